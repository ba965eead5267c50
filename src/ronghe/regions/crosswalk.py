"""Crosswalk between any two vintages of division codes, 1981 onwards, from the division history.

A vintage ``Y`` is the code list of 31 December ``Y`` (:mod:`ronghe.regions.history`). The source
units of ``crosswalk(A, B)`` are the records in use in year ``A``: those of the year-end list plus
those that went out of use during ``A`` (a November census lists codes abolished in July). Targets
are the records of the list of ``B``.

**Overlap.** Forward (``A < B``), a source overlaps a target when some of its area reaches the target
through the recorded changes of years after ``A`` up to ``B``, taken in time order (a change of the
same year may follow another: conservative, it can only join more units). A record that went out of
use during ``A`` starts with its own changes of year ``A``. Backward (``A > B``) the relation is the
same one read the other way: a ``B`` record overlaps every ``A`` record its area reaches.

**Units.** Sources and targets joined by overlaps form groups (connected components):

- one source, one target: ``same`` (the same record), ``rename`` (same code, new name), ``upgrade``
  (县/旗 became 区/市, e.g. 2010 山西 长治县 140421 -> 2023 上党区 140404) or ``recode``;
- several sources, one target: ``merge`` — the target is exactly the union of the sources (2010
  崇文区 110103 and 东城区 110101 -> 东城区 110101; 宣武区 110104 and 西城区 110102 -> 西城区 110102);
- several targets: the area of some source was split or partly transferred, and the dataset gives no
  figures to apportion it. All the group's targets are merged into one **comparable unit**, as census
  compilers do: code ``{smallest target code}C`` (e.g. ``130102C``), name the members' names joined
  by ``+`` with ``（可比单元）``; kind ``comparable``. Its code holds for this crosswalk only.

``transfers="ignore"`` drops the recorded partial transfers (a piece of area moving while both codes
stay in use) instead of merging their units: fewer comparable units, at the price of boundaries that
moved a little. Read backward, a unit made only of transferred parts (龙港市, 2019, from 苍南县) still
goes to the units it came from. Totals are preserved either way: every source lands
in exactly one unit.

Read backward, a unit made of area that no county-level unit of the target year covered (the XPCC
cities such as 北屯市 2011, taken from the land of 新疆 outside its counties; 扎赉诺尔区 2013) has no
target: kind ``new``, kept as its own unit.

Prefecture-level records that the dataset ends without a successor (a 地区 that became a 市 under a
new code, 巢湖市 divided in 2011) pass their area to the prefectures their counties went to that year
(a derived change, cited as such), so that prefecture rows of a yearbook are explained too. Where the
counties went directly under a province (重庆 1997) no prefecture takes over: kind ``dissolved``, kept
as its own unit.

Every row names its source: the areacodes records on the way from source to target and the approvals
the changes cite.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.regions import history as hist

COLUMNS = ["source_code", "source_name", "level", "target_code", "target_name", "unit",
           "unit_name", "kind", "years", "note", "source"]
TRANSFERS = ("merge", "ignore")
SUFFIX = "C"
_OPEN = 10_000  # end year of a record still in use


@dataclass(frozen=True)
class _Graph:
    code: list[str]
    name: list[str]
    level: list[str]
    start: np.ndarray
    end: np.ndarray
    out: list[list[tuple[int, int, bool, int]]]  # (year, next node, part, change row)
    by_code: dict[str, list[int]]


@cache
def _graph() -> _Graph:
    rec = hist._records()
    start = rec["start"].to_numpy(int)
    end = rec["end"].fillna(_OPEN).to_numpy(int)
    codes = rec["code"].tolist()
    key = {(c, s): i for i, (c, s) in enumerate(zip(codes, start.tolist(), strict=True))}
    by_code: dict[str, list[int]] = {}
    for i, c in enumerate(codes):
        by_code.setdefault(c, []).append(i)
    out: list[list[tuple[int, int, bool, int]]] = [[] for _ in range(len(rec))]
    ch = hist._changes()
    cols = [ch[c].tolist() for c in ("old_code", "old_start", "new_code", "new_start", "year",
                                     "part")]
    for j, (oc, os_, nc, ns, y, part) in enumerate(zip(*cols, strict=True)):
        out[key[oc, os_]].append((int(y), key[nc, ns], bool(part), j))
    parents = rec["parent"].tolist()
    for k, (old, new, year) in enumerate(_prefecture_successors(out, codes, parents, start, end,
                                                                rec["level"].tolist())):
        out[old].append((year, new, False, len(ch) + k))
    for edges in out:
        edges.sort()
    return _Graph(codes, rec["name_zh"].tolist(), rec["level"].tolist(), start,
                  end, out, by_code)


def _prefecture_successors(out: list[list[tuple[int, int, bool, int]]], codes: list[str],
                           parents: list[str], start: np.ndarray, end: np.ndarray,
                           levels: list[str]) -> list[tuple[int, int, int]]:
    """Successors the dataset leaves implicit: a prefecture-level record that ended with no
    successor (a 地区 that became a 市 under a new code, 巢湖市 divided in 2011) passed its area to
    the prefecture-level units its counties went to that year. (old, new, year) triples."""
    children: dict[str, list[int]] = {}
    by_code: dict[str, list[int]] = {}
    for n, (code, parent) in enumerate(zip(codes, parents, strict=True)):
        children.setdefault(parent, []).append(n)
        by_code.setdefault(code, []).append(n)
    found = []
    for p in range(len(codes)):
        if levels[p] != "prefecture" or end[p] == _OPEN or any(not e[2] for e in out[p]):
            continue
        year = int(end[p])
        heirs = {parents[nxt] for c in children.get(codes[p], []) if start[c] < year <= end[c]
                 for y, nxt, part, _ in out[c] if y == year and not part
                 and levels[nxt] == "county"}
        for code in sorted(heirs):
            live = [n for n in by_code.get(code, [])
                    if start[n] <= year < end[n] and levels[n] == "prefecture"]
            if live:
                found.append((p, live[0], year))
    return found


def _span() -> tuple[int, int]:
    g = _graph()
    return int(g.start.min()), int(max(g.start.max(), g.end[g.end < _OPEN].max()))


def _check_year(year: int, what: str) -> int:
    first, last = _span()
    if not isinstance(year, int | np.integer) or not first <= int(year) <= last:
        raise InputError(f"{what} vintage must be a year from {first} to {last} (the division "
                         f"history's span) / 区划年份须在 {first}–{last} 之间", value=year)
    return int(year)


def _valid(g: _Graph, node: int, year: int) -> bool:
    return bool(g.start[node] <= year < g.end[node])


def _sources(g: _Graph, year: int) -> dict[int, int]:
    """Records in use in ``year`` -> the first year whose changes apply to them: the year-end list
    (changes after ``year``), then records ended during ``year`` whose code the list does not hold
    (their own changes of ``year`` apply)."""
    found: dict[int, int] = {}
    for nodes in g.by_code.values():
        live = [n for n in nodes if _valid(g, n, year)]
        if live:
            found[live[0]] = year + 1
            continue
        ended = [n for n in nodes if g.end[n] == year]
        if ended:
            found[ended[0]] = year
    return found


def _reach(g: _Graph, node: int, since: int, until: int, transfers: str
           ) -> dict[int, tuple[int, int] | None]:
    """Records the area of ``node`` reaches by changes dated ``since``..``until`` taken in time
    order: node -> (previous node, change row) of the earliest way there (None for ``node``)."""
    arrival = {node: since}
    prev: dict[int, tuple[int, int] | None] = {node: None}
    heap = [(since, node)]
    while heap:
        t, cur = heapq.heappop(heap)
        if t > arrival[cur]:
            continue
        for year, nxt, part, row in g.out[cur]:
            if year < t or year > until or (part and transfers == "ignore"):
                continue
            if year < arrival.get(nxt, _OPEN):
                arrival[nxt] = year
                prev[nxt] = (cur, row)
                heapq.heappush(heap, (year, nxt))
    return prev


def _path(prev: dict[int, tuple[int, int] | None], node: int) -> list[int]:
    rows = []
    step = prev[node]
    while step is not None:
        node, row = step
        rows.append(row)
        step = prev[node]
    return rows[::-1]


@cache
def _pairs(source: int, target: int, transfers: str) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """Overlapping (source record, target record, change rows on the way)."""
    g = _graph()
    pairs = []
    if source <= target:
        for node, since in _sources(g, source).items():
            prev = _reach(g, node, since, target, transfers)
            for hit in prev:
                if _valid(g, hit, target) and _same_tier(g, node, hit):
                    pairs.append((node, hit, tuple(_path(prev, hit))))
    else:
        wanted = _sources(g, source)
        for node, since in _sources(g, target).items():
            if since != target + 1:  # a target is a record of the year-end list
                continue
            prev = _reach(g, node, since, source, transfers)
            for hit in prev:
                if hit in wanted and _same_tier(g, hit, node):
                    pairs.append((hit, node, tuple(_path(prev, hit))))
        if transfers == "ignore":  # a unit made only of transferred parts (龙港市 2019) keeps them
            covered = {s for s, _, _ in pairs}
            pairs += [p for p in _pairs(source, target, "merge") if p[0] not in covered]
    return tuple(sorted(pairs))


def _same_tier(g: _Graph, a: int, b: int) -> bool:
    """Provinces pair with provinces only: the dataset records the XPCC cities (北屯市 …) as taking
    area from the province record of 新疆, which no county unit of another vintage covers."""
    return (g.level[a] == "province") == (g.level[b] == "province")


def _components(pairs: Iterable[tuple[int, int]]) -> dict[tuple[str, int], tuple[str, int]]:
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s, t in pairs:
        a, b = find(("s", s)), find(("t", t))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in parent}


def _cohort(g: _Graph, s: int, srcs: set[int], year: int) -> int:
    """How many sources of its group ``s`` can appear beside in one table of ``year``: the records
    in use at the start of the year (``start < year``) form one set, those of the year-end list
    another; a record in both sets counts the larger. 郫县 (ended 2016) and 郫都区 (new in 2016) are
    never in one table, so 郫县 -> 郫都区 is an upgrade; 崇文区 (ended 2010) and 东城区 (in use
    throughout) are, so they merge."""
    sets = []
    if g.start[s] < year:
        sets.append([n for n in srcs if g.start[n] < year])
    if _valid(g, s, year):
        sets.append([n for n in srcs if _valid(g, n, year)])
    return max(len(x) for x in sets)


def unit_name(names: Iterable[str]) -> str:
    """Name of a comparable unit: its members' names joined by ``+``, then ``（可比单元）``."""
    return "+".join(names) + "（可比单元）"


@cache
def _table(source: int, target: int, transfers: str) -> pd.DataFrame:
    g = _graph()
    pairs = _pairs(source, target, transfers)
    comp = _components((s, t) for s, t, _ in pairs)
    members: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for s, t, _ in pairs:
        srcs, tgts = members.setdefault(comp["s", s], (set(), set()))
        srcs.add(s)
        tgts.add(t)
    steps = _steps()
    rows = []
    for s, t, way in pairs:
        srcs, tgts = members[comp["s", s]]
        if len(tgts) == 1:
            unit, uname = g.code[t], g.name[t]
            if _cohort(g, s, srcs, source) > 1:
                kind = "merge"
            elif s == t:
                kind = "same"
            elif hist.is_upgrade(g.name[s], g.name[t]):
                kind = "upgrade"
            else:
                kind = "rename" if g.code[s] == g.code[t] else "recode"
        else:
            order = sorted(tgts, key=lambda n: g.code[n])
            unit = g.code[order[0]] + SUFFIX
            uname = unit_name(g.name[n] for n in order)
            kind = "comparable"
        years = sorted({steps[r][0] for r in way})
        rows.append({
            "source_code": g.code[s], "source_name": g.name[s], "level": g.level[s],
            "target_code": g.code[t], "target_name": g.name[t], "unit": unit, "unit_name": uname,
            "kind": kind, "years": ";".join(map(str, years)),
            "note": _note(kind, g, srcs, tgts, unit),
            "source": _cite(g, s, way, steps, backward=source > target),
        })
    covered = {s for s, _, _ in pairs}
    for s in sorted(set(_sources(g, source)) - covered, key=lambda n: g.code[n]):
        came = [row for n, edges in enumerate(g.out) for y, nxt, _, row in edges
                if nxt == s and min(source, target) < y <= max(source, target)]
        rows.append({
            "source_code": g.code[s], "source_name": g.name[s], "level": g.level[s],
            "target_code": "", "target_name": "", "unit": g.code[s], "unit_name": g.name[s],
            "kind": "new" if source > target else "dissolved",
            "years": ";".join(str(steps[r][0]) for r in came),
            "note": (f"取自 {target} 年县级单位以外的区域（如兵团土地），无对应单位，保留原样 / made of "
                     f"area outside the county-level units of {target}: kept as it is")
            if source > target else
            ("撤销且无记录的继承单位，其区域由所辖县级单位的对照行承接，保留原样 / abolished with no "
             "recorded successor (its counties' rows carry its area): kept as it is"),
            "source": _cite(g, s, tuple(came), steps, backward=False)})
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(
        ["source_code", "target_code"], ignore_index=True)


def _note(kind: str, g: _Graph, srcs: set[int], tgts: set[int], unit: str) -> str:
    if kind == "same":
        return ""
    if kind == "rename":
        return "更名 / renamed"
    if kind == "upgrade":
        return "撤县设区或设市 / county converted to a district or city"
    if kind == "recode":
        return "代码变更 / re-coded"
    if kind == "merge":
        names = "、".join(sorted(g.name[n] for n in srcs))
        return f"{names} 合并为一个单元（加总）/ {len(srcs)} units merged into one (summed)"
    members = ", ".join(f"{g.code[n]} {g.name[n]}" for n in sorted(tgts, key=lambda n: g.code[n]))
    return (f"拆分或部分区域划转，无分配数据，合并为可比单元 {unit}（{members}）/ split or partial "
            f"transfer with no figures to apportion it: merged into the comparable unit {unit} "
            f"of {members}")


def _record(g: _Graph, n: int) -> str:
    end = "" if g.end[n] == _OPEN else str(g.end[n])
    return f"{g.code[n]} {g.name[n]} ({g.start[n]}–{end})"


@cache
def _steps() -> list[tuple[int, str]]:
    """Each change row: (year, citation 'old -> new in year [文号 title]')."""
    g = _graph()
    key = {(c, int(st)): i for i, (c, st) in enumerate(zip(g.code, g.start, strict=True))}
    docs = hist.documents()
    titles = {d: f" [{n} {t}]".replace("[ ", "[") for d, n, t in
              zip(docs.index.tolist(), docs["number"].tolist(), docs["title"].tolist(),
                  strict=True)}
    ch = hist._changes()
    cols = [ch[c].tolist() for c in ("old_code", "old_start", "new_code", "new_start", "year",
                                     "part", "doc")]
    out = []
    for oc, os_, nc, ns, year, part, doc in zip(*cols, strict=True):
        what = "part of " if part else ""
        out.append((int(year), f"{what}{_record(g, key[oc, os_])} -> {_record(g, key[nc, ns])} "
                               f"in {year}{titles.get(doc, '')}"))
    derived = sorted((row, year, old, new) for old, edges in enumerate(g.out)
                     for year, new, _, row in edges if row >= len(ch))
    for _, year, old, new in derived:
        out.append((year, f"{_record(g, old)} -> {_record(g, new)} in {year} (derived: the "
                          "prefecture its counties went to)"))
    return out


def _cite(g: _Graph, s: int, way: tuple[int, ...], steps: list[tuple[int, str]],
          backward: bool) -> str:
    if not way:
        return f"areacodes {_record(g, s)}"
    text = "; ".join(steps[r][1] for r in way)
    return f"areacodes (read backward): {text}" if backward else f"areacodes: {text}"


def crosswalk(source: int, target: int, *, transfers: str = "merge") -> pd.DataFrame:
    """Crosswalk from the codes in use in ``source`` to the list of 31 December ``target`` (a copy).

    One row per overlapping (source record, target record), columns :data:`COLUMNS`: ``unit`` is the
    code the source's values go to (the target code, or a comparable unit ``…C``), ``kind`` one of
    same | rename | upgrade | recode | merge | comparable, or new | dissolved (no target: the unit
    is the source code, kept as it is), ``years`` the years of the changes on the
    way, ``note`` a bilingual explanation and ``source`` the areacodes records and approvals. All
    levels are included (``level``); prefecture- and province-level codes follow only their own
    changes. See the module docstring for the rules.

    >>> cw = crosswalk(2010, 2020).set_index("source_code")
    >>> cw.loc["110103", ["unit", "kind"]].tolist()
    ['110101', 'merge']
    """
    source, target = _check_year(source, "source"), _check_year(target, "target")
    if transfers not in TRANSFERS:
        raise InputError(f"transfers must be one of {', '.join(TRANSFERS)}", value=transfers)
    return _table(source, target, transfers).copy()


def code_map(codes: Iterable[str], source: int, target: int, *,
             transfers: str = "merge") -> dict[str, str]:
    """The unit of ``target`` each code of ``source`` goes to (see :func:`crosswalk`); codes the
    history does not hold for ``source`` are left out (:func:`unexplained` lists them)."""
    table = crosswalk(source, target, transfers=transfers)
    units = dict(zip(table["source_code"], table["unit"], strict=False))
    return {str(c): units[str(c)] for c in codes if str(c) in units}


def unexplained(codes: Iterable[str], source: int, target: int, *,
                transfers: str = "merge") -> list[str]:
    """Codes of ``source`` that are not in the list of ``target`` and that the crosswalk does not
    explain (no row leads them to a target). Empty for the 2010 census county codes against 2020
    and 2023."""
    known = set(crosswalk(source, target, transfers=transfers)["source_code"])
    live = set(hist.in_use(_check_year(target, "target")).index)
    return sorted({str(c) for c in codes} - known - live)

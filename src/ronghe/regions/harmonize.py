"""Put a panel onto one vintage of division codes (``ronghe regions harmonize``).

The codes of each panel year are read as codes in use in that year (or in the vintage given by
``source``) and mapped with :func:`ronghe.regions.crosswalk.crosswalk` onto the list of 31 December
``vintage``. Comparable units (``…C``, where a split or partial transfer cannot be apportioned) are
made consistent over the panel's years: the target codes that one code of the panel reaches in any
year are joined, units sharing a member are joined, and every year's values of those targets go to
the joined unit, so each unit covers the same area in every year. Only codes present in the panel
join units (a yearbook of year-end codes does not pay for a split of a code it does not hold), so a
unit can be smaller than the crosswalk's unit for the complete code list. Codes the division history
does not hold for their year (statistical-only units such as development zones) are kept as they
are, with a warning.

When several rows land on one unit in the same year, the variable's ``merge`` rule from the catalogue
(``ronghe/frameworks/builtin/*.yaml``, :func:`ronghe.ingest.catalogue.builtin_catalogue`) combines
them:

- ``sum`` (counts): the sum of the members (missing if any member's value is missing: a partial sum
  would understate). Summing preserves totals: the harmonised total of a year equals the raw one;
- ``mean``: the arithmetic mean of the members present;
- ``popweighted`` (shares, per-capita values): sum_i w_i x_i / sum_i w_i over the members with both
  values present, w being the population variable ``weight`` of the same panel and year.

A single member keeps its value whatever the rule. A variable without a merge rule, or a population-
weighted variable without the weight column, is an error only when some unit actually has several
members.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheWarning
from ronghe.panel import Panel
from ronghe.regions import history as hist
from ronghe.regions.crosswalk import SUFFIX, crosswalk, unit_name
from ronghe.words.bilingual import split_bilingual

UNIT_COLUMNS = ["year", "code", "name_zh", "unit", "unit_name", "kind", "members", "note",
                "source"]


def _source_years(years: Iterable[int], source: int | Mapping[int, int] | None) -> dict[int, int]:
    if source is None:
        return {int(y): int(y) for y in years}
    if isinstance(source, Mapping):
        missing = [int(y) for y in years if int(y) not in source]
        if missing:
            raise InputError(f"no code vintage given for the panel years {missing} / 未给出这些年份的"
                             "区划年份")
        return {int(y): int(source[y]) for y in years}
    return {int(y): int(source) for y in years}


def unit_map(codes_by_year: Mapping[int, Iterable[str]], vintage: int, *,
             source: int | Mapping[int, int] | None = None,
             transfers: str = "merge") -> pd.DataFrame:
    """How each (year, code) is harmonised onto ``vintage``: one row per pair, columns
    :data:`UNIT_COLUMNS` (``unit`` the harmonised code, ``kind`` as in
    :func:`~ronghe.regions.crosswalk.crosswalk` or ``unknown`` for a code the history does not hold
    for that year, which is kept as it is). ``source`` gives the code vintage of the years (default:
    each year's own). Comparable units are joined over the years (module docstring).

    >>> m = unit_map({2010: ["110103", "110101"], 2020: ["110101"]}, 2020)
    >>> m[["code", "unit", "kind"]].values.tolist()
    [['110101', '110101', 'merge'], ['110103', '110101', 'merge'], ['110101', '110101', 'same']]
    """
    vintages = _source_years(codes_by_year, source)
    tables = {v: crosswalk(v, vintage, transfers=transfers) for v in sorted(set(vintages.values()))}
    # join the targets of each code that reaches several, over the panel's years
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    targets = {v: t[t["target_code"] != ""].groupby("source_code")["target_code"].agg(set)
               for v, t in tables.items()}
    for year, codes in codes_by_year.items():
        reach = targets[vintages[int(year)]]
        for code in {str(c) for c in codes}:
            found = sorted(reach.get(code, ()))
            for other in found[1:]:
                a, b = find(found[0]), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    sets: dict[str, list[str]] = {}
    for code in list(parent):
        sets.setdefault(find(code), []).append(code)
    live = hist.in_use(vintage)
    names = live["name_zh"].to_dict()
    unit_of: dict[str, tuple[str, str, str]] = {}
    for root, members in sets.items():
        members.sort()
        for m in members:
            unit_of[m] = (root + SUFFIX, unit_name(names.get(m, m) for m in members),
                          ";".join(members))
    rows = []
    for year in sorted(codes_by_year):
        v = vintages[int(year)]
        table = tables[v].drop_duplicates("source_code").set_index("source_code")
        for code in sorted({str(c) for c in codes_by_year[year]}):
            if code not in table.index:
                rows.append((int(year), code, "", code, "", "unknown", "",
                             f"{v} 年区划中无此代码，保留原样 / not a code in use in {v}: kept as it is",
                             ""))
                continue
            r = table.loc[code]
            joined = ""  # the members of a comparable unit, ";"-joined
            if r["target_code"] in unit_of:
                unit, uname, joined = unit_of[r["target_code"]]
                kind = "comparable"
                note = r["note"] if r["kind"] == "comparable" and r["unit"] == unit else (
                    f"可比单元 {unit}（{joined}），另一年份的拆分或划转所需 / comparable unit "
                    f"{unit} of {joined}, needed by a split or transfer seen from another year")
            elif r["kind"] == "comparable":  # its group's split concerns codes not in the panel
                unit, uname = r["target_code"], r["target_name"]
                kind = "same" if unit == code and uname == r["source_name"] else "recode"
                note = (f"{r['unit']} 的其他成员不在数据中，保留单一单元 / the other members of "
                        f"{r['unit']} are not in the panel: kept as one unit")
            else:
                unit, uname, kind, note = r["unit"], r["unit_name"], r["kind"], r["note"]
            rows.append((int(year), code, r["source_name"], unit, uname, kind, joined, note,
                         r["source"]))
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def harmonize(panel: Panel, vintage: int, catalogue: pd.DataFrame,
              weight: str = "resident_pop", *, source: int | Mapping[int, int] | None = None,
              transfers: str = "merge") -> Panel:
    """The panel with the region codes of ``vintage`` (see module docstring).

    Parameters
    ----------
    catalogue : variable catalogue indexed by id with a ``merge`` column (sum | mean | popweighted).
    weight : the population variable used by ``popweighted``.
    source : code vintage of the panel's years: one year for all, or a mapping year -> vintage;
        default each year's own (a 2010 census panel dated 2010 uses the codes in use in 2010).
    transfers : ``merge`` (default) joins units that exchanged part of their area into comparable
        units; ``ignore`` leaves recorded partial transfers out (see
        :mod:`ronghe.regions.crosswalk`).
    """
    data = panel.data.reset_index()
    codes = data.groupby("year")["region"].agg(lambda s: sorted(set(s))).to_dict()
    mapping = unit_map(codes, vintage, source=source, transfers=transfers)
    unknown = mapping.loc[mapping["kind"] == "unknown", "code"].unique().tolist()
    if unknown:
        warnings.warn(f"{len(unknown)} codes are not in the division history for their year and "
                      f"are kept as they are / 区划历史中无这些代码，保留原样: "
                      f"{', '.join(unknown[:10])}", RongheWarning, stacklevel=2)
    key = pd.MultiIndex.from_frame(mapping[["year", "code"]])
    units = pd.Series(mapping["unit"].to_numpy(), index=key)
    data["region"] = units.reindex(pd.MultiIndex.from_arrays(
        [data["year"].astype(int), data["region"].astype(str)])).to_numpy()
    size = data.groupby(["region", "year"])["region"].transform("size")
    single = data[size == 1].set_index(["region", "year"])
    multi = data[size > 1]
    out = single if multi.empty else pd.concat([single, _combine(multi, catalogue, weight)])
    out = out.sort_index()
    regions = _regions(panel.regions, mapping, vintage)
    regions = regions.loc[out.index.get_level_values("region").unique()]
    return Panel(out.astype(float), regions, dict(panel.units), _source(panel.source, vintage),
                 panel.synthetic, panel.shipped)


def _source(source: str, vintage: int) -> str:
    """``source`` saying the codes were harmonised to ``vintage``, in each half of a zh / en
    source (:mod:`ronghe.words.bilingual`), else as a bilingual note after it."""
    zh, en = split_bilingual(source)
    if zh != en:
        return f"{zh}，区划代码统一到 {vintage} 年 / {en}, codes harmonised to {vintage}"
    note = f"区划代码统一到 {vintage} 年 / codes harmonised to {vintage}"
    return f"{source}（{note}）" if source else note


def _combine(multi: pd.DataFrame, catalogue: pd.DataFrame, weight: str) -> pd.DataFrame:
    groups = multi.groupby(["region", "year"])
    cols = {}
    for var in [c for c in multi.columns if c not in ("region", "year")]:
        rule = catalogue["merge"].get(var) if "merge" in catalogue else None
        if rule == "sum":
            total = groups[var].sum(min_count=1)
            complete = groups[var].count() == groups[var].size()
            cols[var] = total.where(complete)
        elif rule == "mean":
            cols[var] = groups[var].mean()
        elif rule == "popweighted":
            if weight not in multi:
                raise InputError(f"merging regions needs the population variable {weight!r} to "
                                 "weight this variable / 合并地区需要人口变量加权", indicator=var)
            ok = multi[var].notna() & multi[weight].notna()
            wx = (multi[var] * multi[weight]).where(ok)
            w = multi[weight].where(ok)
            num = wx.groupby([multi["region"], multi["year"]]).sum(min_count=1)
            den = w.groupby([multi["region"], multi["year"]]).sum(min_count=1)
            cols[var] = num / den.replace(0, np.nan)
        else:
            raise InputError("no merge rule (sum, mean, popweighted) in the catalogue: cannot "
                             "combine merged regions / 目录中无合并规则", indicator=var)
    return pd.DataFrame(cols)


def _regions(meta: pd.DataFrame, mapping: pd.DataFrame, vintage: int) -> pd.DataFrame:
    """Region metadata of the units: name, level and parent from the list of ``vintage``; for a
    comparable unit its name, ``members`` (codes joined by ``;``) and the members' common parent (else
    the province); for a code kept as it is, its name in the history, else the panel's metadata."""
    live = hist.in_use(vintage)
    rows = {}
    for unit, group in mapping.groupby("unit", sort=True):
        first = group.iloc[0]
        if first["members"]:
            members = first["members"].split(";")
            parents = set(live["parent"].reindex(members).dropna())
            rows[unit] = {"name_zh": first["unit_name"], "level": "county",
                          "parent": parents.pop() if len(parents) == 1 else unit[:2] + "0000",
                          "members": first["members"]}
        elif unit in live.index:
            r = live.loc[unit]
            rows[unit] = {"name_zh": r["name_zh"], "level": r["level"], "parent": r["parent"],
                          "members": ""}
        else:  # kept as it is: the history's name, else the panel's metadata
            known = meta.loc[unit] if unit in meta.index else pd.Series(dtype=object)
            rows[unit] = {"name_zh": first["name_zh"] or known.get("name_zh", unit),
                          "level": known.get("level", ""), "parent": known.get("parent", ""),
                          "members": ""}
        rows[unit]["province"] = unit[:2]
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "region"
    return out

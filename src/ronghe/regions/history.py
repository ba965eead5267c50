"""Every county-and-above division code of the PRC since 1981, its years of use and its successors.

The tables ``data/division_history.csv``, ``data/division_changes.csv`` and
``data/division_documents.csv`` are derived by ``scripts/build_division_history.py`` from the
public-domain (CC0 1.0) dataset yescallop/areacodes, compiled from the Ministry of Civil Affairs' annual
code lists, its change records and the State Council's approvals (see ``data/SOURCE.md``).

Conventions (those of the dataset):

- a **vintage** ``Y`` is the code list as of 31 December of year ``Y``;
- a **record** is one code over one period of use: it is in the lists ``start <= Y < end`` (``end``
  missing while in use). A code can have several records when it was re-used for another area;
- a **change** says that in ``year`` the area of an old record (all of it, ``part = False``, when the
  record ended that year; a piece of it, ``part = True``, when it stayed in use) went to a new record.
  An ended record with one successor was renamed, re-coded or merged into it; with several, it was split.

A code that went out of use in year ``Y`` was still in use during part of ``Y`` (a census taken in
November 2010 lists 崇文区, abolished in July 2010): :func:`record_at` finds such codes for year ``Y``
after the codes of the year-end list.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import numpy as np
import pandas as pd

COUNTY_LEVEL_PROVINCES_EXCLUDED = ("71", "81", "82")  # Taiwan, Hong Kong, Macao: no county records


@cache
def _read(name: str) -> pd.DataFrame:
    with (files("ronghe.regions") / "data" / name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def _records() -> pd.DataFrame:
    df = _read("division_history.csv").copy()
    df["start"] = df["start"].astype(int)
    df["end"] = pd.to_numeric(df["end"]).astype("Int64")
    return df


@cache
def _changes() -> pd.DataFrame:
    df = _read("division_changes.csv").copy()
    for col in ("old_start", "new_start", "year"):
        df[col] = df[col].astype(int)
    df["part"] = df["part"] == "1"
    return df


def history() -> pd.DataFrame:
    """Every record (a copy): ``code, start, end, name_zh, level, parent``; ``end`` is <NA> while the
    code is in use. Levels: province | prefecture | county.

    >>> h = history(); h[h["code"] == "110103"][["name_zh", "start", "end"]].values.tolist()
    [['崇文区', 1981, 2010]]
    """
    return _records().copy()


def documents() -> pd.DataFrame:
    """The approvals and notices that changes cite, indexed by ``doc``: ``title, number, date``."""
    return _read("division_documents.csv").set_index("doc")


def changes() -> pd.DataFrame:
    """Every change (a copy): ``old_code, old_start, old_name, new_code, new_start, new_name, year,
    part, kind, doc, title, number``.

    ``kind`` is derived here: ``transfer`` (part of the area moved, the old code stays), ``split``
    (the old record ended and several successors took its area), otherwise ``rename`` (same code),
    ``upgrade`` (a 县/旗 became a 区 or 市), ``merge`` (the successor also absorbed other areas that
    year or existed before) or ``recode``.
    """
    ch = _changes().copy()
    rec = _records().set_index(["code", "start"])["name_zh"]
    ch["old_name"] = rec.reindex(pd.MultiIndex.from_arrays([ch["old_code"], ch["old_start"]])).values
    ch["new_name"] = rec.reindex(pd.MultiIndex.from_arrays([ch["new_code"], ch["new_start"]])).values
    n_succ = ch.groupby(["old_code", "old_start", "year", "part"])["new_code"].transform("size")
    into = ch.groupby(["new_code", "new_start", "year"])["old_code"].transform("size")
    upgrade = [is_upgrade(o, n) for o, n in zip(ch["old_name"].tolist(), ch["new_name"].tolist(),
                                                strict=True)]
    kinds = np.select(
        [ch["part"], n_succ > 1, ch["old_code"] == ch["new_code"],
         (into > 1) | (ch["new_start"] < ch["year"])],
        ["transfer", "split", np.where(upgrade, "upgrade", "rename"), "merge"],
        np.where(upgrade, "upgrade", "recode"))
    ch["kind"] = kinds
    docs = documents()
    ch["title"] = docs["title"].reindex(ch["doc"]).values
    ch["number"] = docs["number"].reindex(ch["doc"]).values
    return ch[["old_code", "old_start", "old_name", "new_code", "new_start", "new_name", "year",
               "part", "kind", "doc", "title", "number"]]


STORED_SINCE = 2010  # the 6th census: the earliest data ronghe's users harmonise


def code_changes(since: int = STORED_SINCE) -> pd.DataFrame:
    """The changes of ``since`` and later as the store's ``code_changes`` table holds them:
    ``old_code, new_code, year, kind, note`` (note: the names and the approval cited). The table is
    a record for people; crosswalks read the whole history from the package, not from it."""
    ch = changes()
    ch = ch[ch["year"] >= since].reset_index(drop=True)
    cited = (" [" + ch["number"].fillna("") + " " + ch["title"].fillna("") + "]").str.replace(
        "[ ", "[", regex=False)
    return pd.DataFrame({"old_code": ch["old_code"], "new_code": ch["new_code"],
                         "year": ch["year"], "kind": ch["kind"],
                         "note": ch["old_name"] + " -> " + ch["new_name"] + cited})


def is_upgrade(old_name: str, new_name: str) -> bool:
    """True when a county-type unit (县, 自治县, 旗, 自治旗) became a district or a city (区, 市)."""
    return old_name.endswith(("县", "旗")) and new_name.endswith(("区", "市"))


def in_use(year: int) -> pd.DataFrame:
    """Records of the list of 31 December ``year`` (every level), indexed by code."""
    rec = _records()
    ok = (rec["start"] <= year) & (rec["end"].isna() | (rec["end"] > year)).astype(bool)
    return rec[ok].set_index("code")


def units(year: int) -> pd.DataFrame:
    """County-level units of the list of 31 December ``year``, indexed by code: county records plus
    prefecture-level cities without counties (东莞 441900, 中山 442000, 嘉峪关 620200, 儋州 460400 …).

    >>> len(units(2009)), "110103" in units(2009).index, "110103" in units(2010).index
    (2865, True, False)
    """
    rows = in_use(year)
    county = rows[rows["level"] == "county"]
    parents = set(county["parent"])
    childless = rows[(rows["level"] == "prefecture") & ~rows.index.isin(parents)]
    return pd.concat([county, childless]).sort_index()


@cache
def _periods() -> dict[str, list[tuple[int, int, int]]]:
    """code -> [(start, end or 10000, row)] of its records."""
    rec = _records()
    found: dict[str, list[tuple[int, int, int]]] = {}
    ends = rec["end"].fillna(10_000).astype(int).tolist()
    for i, (code, start, end) in enumerate(zip(rec["code"].tolist(), rec["start"].tolist(), ends,
                                               strict=True)):
        found.setdefault(code, []).append((start, end, i))
    return found


def _row_at(code: str, year: int) -> int | None:
    periods = _periods().get(str(code), [])
    for start, end, i in periods:
        if start <= year < end:
            return i
    for _, end, i in periods:
        if end == year:
            return i
    return None


def record_at(code: str, year: int) -> pd.Series | None:
    """The record of ``code`` in use in ``year``: the one of the year-end list, else the one that
    ended during ``year``; None when the code was not in use that year."""
    i = _row_at(code, year)
    return None if i is None else _records().iloc[i]


def validity(codes: list[str] | pd.Index, year: int) -> pd.DataFrame:
    """``valid_from`` and ``valid_to`` of each code as used in ``year`` (indexed by code): the year
    the record came into use and the year it went out of use (<NA> while in use; the list of
    31 December ``valid_to`` no longer holds it). Codes the history does not hold get <NA>.

    >>> validity(["110101", "110103", "999999"], 2009).values.tolist()
    [[1981, <NA>], [1981, 2010], [<NA>, <NA>]]
    """
    rec = _records()
    starts, ends = rec["start"].tolist(), rec["end"].tolist()
    rows = {}
    for code in codes:
        i = _row_at(str(code), year)
        rows[str(code)] = (pd.NA, pd.NA) if i is None else (starts[i], ends[i])
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["valid_from", "valid_to"],
                                 dtype="Int64")
    out.index.name = "code"
    return out

"""Administrative division codes (GB/T 2260 six-digit codes) of mainland China, 2023.

The list is ``data/divisions_2023.csv``, derived from the NBS 2023 statistical division codes
(see ``data/SOURCE.md``): 31 provinces, 333 prefecture-level units and 2,844 county-level units.

Columns: ``name_zh``, ``level`` (province | prefecture | county), ``parent`` (six-digit code of the
unit above; a county directly under a province — municipal districts, 省直辖县级市 — has the
province as parent; empty for provinces), ``province`` (two-digit code, as in
:class:`ronghe.panel.Panel`) and ``type``. County-level types, all counted as counties:
县, 自治县, 县级市, 市辖区, 旗, 自治旗, 特区, 林区. Province codes are written ``110000``.
No English names are included: the source has none.

``valid_from`` and ``valid_to`` come from the division history (:mod:`ronghe.regions.history`): the
year the code came into use (1981 means "in the first list, of 1981") and the year it went out of use
(<NA> while in use). ``divisions(history=True)`` adds every other county-and-above code used since
1981 (its latest period of use, ``type`` empty), so that tables of earlier years can be matched.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

from ronghe.errors import InputError
from ronghe.regions import history as hist
from ronghe.regions.history import validity

LEVELS = ("province", "prefecture", "county")
COUNTY_TYPES = ("县", "自治县", "县级市", "市辖区", "旗", "自治旗", "特区", "林区")


VINTAGE = 2023  # the NBS list of 2023-06-30; its codes are those of the history's 2023 list


@cache
def _table(history: bool) -> pd.DataFrame:
    with (files("ronghe.regions") / "data" / "divisions_2023.csv").open("rb") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.set_index("code")
    df = df.join(validity(df.index, VINTAGE))
    if history:
        past = hist.history().drop_duplicates("code", keep="last").set_index("code")
        past = past[~past.index.isin(df.index)]
        past = pd.DataFrame({
            "name_zh": past["name_zh"], "level": past["level"], "parent": past["parent"],
            "province": past.index.str[:2], "type": "", "valid_from": past["start"],
            "valid_to": past["end"]})
        df = pd.concat([df, past]).sort_index()
    return df


def divisions(level: str | None = None, *, history: bool = False) -> pd.DataFrame:
    """Division table indexed by six-digit code (a copy), optionally one level only; with
    ``history=True`` also the codes no longer in use (module docstring).

    >>> row = divisions("county").loc["110101"]; row["name_zh"], int(row["valid_from"])
    ('东城区', 1981)
    >>> row = divisions(history=True).loc["110103"]; row["name_zh"], int(row["valid_to"])
    ('崇文区', 2010)
    """
    table = _table(history)
    if level is None:
        return table.copy()
    if level not in LEVELS:
        raise InputError(f"unknown division level {level!r}: use one of {', '.join(LEVELS)}")
    return table[table["level"] == level].copy()


def province_names() -> dict[str, str]:
    """Two-digit province code -> Chinese name (31 mainland provinces).

    >>> province_names()["11"]
    '北京市'
    """
    prov = divisions("province")
    return dict(zip(prov["province"], prov["name_zh"], strict=True))

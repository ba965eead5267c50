"""Administrative division codes (GB/T 2260 six-digit codes) of mainland China, 2023.

The list is ``data/divisions_2023.csv``, derived from the NBS 2023 statistical division codes
(see ``data/SOURCE.md``): 31 provinces, 333 prefecture-level units and 2,844 county-level units.

Columns: ``name_zh``, ``level`` (province | prefecture | county), ``parent`` (six-digit code of the
unit above; a county directly under a province — municipal districts, 省直辖县级市 — has the
province as parent; empty for provinces), ``province`` (two-digit code, as in
:class:`ronghe.panel.Panel`) and ``type``. County-level types, all counted as counties:
县, 自治县, 县级市, 市辖区, 旗, 自治旗, 特区, 林区. Province codes are written ``110000``.
No English names are included: the source has none.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

from ronghe.errors import InputError

LEVELS = ("province", "prefecture", "county")
COUNTY_TYPES = ("县", "自治县", "县级市", "市辖区", "旗", "自治旗", "特区", "林区")


@cache
def _table() -> pd.DataFrame:
    with (files("ronghe.regions") / "data" / "divisions_2023.csv").open("rb") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    return df.set_index("code")


def divisions(level: str | None = None) -> pd.DataFrame:
    """Division table indexed by six-digit code (a copy), optionally one level only.

    >>> divisions("county").loc["110101", "name_zh"]
    '东城区'
    """
    table = _table()
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

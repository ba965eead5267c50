"""The real county panel: the 6th (2010) and 7th (2020) national census county tables.

Source: the county tables of the two censuses as compiled by Lei Dong and colleagues
(``leiii/census``, files ``census_county_2010_v1.xlsx`` and ``census_county_2020_v1.xlsx``), MIT
licence (``data/census/LICENSE``; the copyright notice travels with every copy). ronghe ships the
mapped variables only (``data/census/census_counties.parquet``), produced from the unchanged workbooks
by ``scripts/census_panel.py`` through the import path with the built-in column mappings
``census-2010`` and ``census-2020`` (:mod:`ronghe.ingest.mapping`). Variables and units are those of
the ``census`` framework's catalogue (populations in 10^4 persons, counts of the long-form sample in
persons or households, shares in %).

Units: every county-level unit of each census — counties, districts, county-level cities, the
prefecture-level cities without counties (东莞, 中山, 三沙, 儋州, 嘉峪关 in 2020), and the statistical
zones whose code has 7 as fifth digit (development zones the 2020 census counts separately). Units
without a code in the tables (2010: 加格达奇, 芒崖行委 …; 2020: development zones listed by name) are
not in the panel; the import's province check lists them.

Codes: :func:`census_counties` maps each census from the codes in use in its year onto one vintage
(:func:`ronghe.regions.harmonize`: the division-history crosswalk, with splits it cannot apportion
merged into comparable units ``…C``; counts summed, shares weighted by resident population, so the
national totals of each year are unchanged). Every 2010 code is led to a unit. Codes the division
history does not hold (the 2020 statistical zones, 大兴安岭's districts 232761–232764) keep their
own code, and units without a counterpart in the other census (those, and units created after
2010) have one year only: 2,716 units have both years, 110 only 2020.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

from ronghe.panel import Panel

SOURCE = ("第六、七次全国人口普查分县资料（leiii/census 整理，MIT 许可）/ 6th (2010) and 7th (2020) "
          "national census county tables as compiled by leiii/census (MIT licence, Copyright (c) "
          "2022 Lei Dong); ronghe.datasets.census_counties")
YEARS = (2010, 2020)


def _folder():  # type: ignore[no-untyped-def]
    return files("ronghe.datasets") / "data" / "census"


@cache
def _long() -> pd.DataFrame:
    with (_folder() / "census_counties.parquet").open("rb") as fh:
        frame = pd.read_parquet(fh)
    for col in ("region", "variable", "name_zh", "province"):
        frame[col] = frame[col].astype(str)
    return frame


def census_licence() -> str:
    """The MIT licence text of the census tables (keep it with any copy of the data)."""
    return (_folder() / "LICENSE").read_text(encoding="utf-8")


def census_raw() -> Panel:
    """Both censuses at their own code vintage (2010 codes for 2010, 2020 codes for 2020)."""
    long = _long()
    data = long.pivot_table(index=["region", "year"], columns="variable", values="value",
                            aggfunc="first")
    data.columns.name = None
    latest = long.sort_values("year").drop_duplicates("region", keep="last").set_index("region")
    regions = latest[["name_zh", "province"]].rename_axis("region")
    from ronghe.ingest.catalogue import builtin_catalogue

    catalogue = builtin_catalogue()
    units = {v: str(catalogue.at[v, "unit"]) for v in data.columns if v in catalogue.index}
    return Panel(data.astype(float), regions, units, SOURCE, synthetic=False)


def census_counties(vintage: int = 2023) -> Panel:
    """The census panel, 2010 and 2020, on the division codes of ``vintage`` (module docstring).
    The codes the division history does not hold are listed in a RongheWarning."""
    from ronghe.ingest.catalogue import builtin_catalogue
    from ronghe.regions.harmonize import harmonize

    return harmonize(census_raw(), vintage, builtin_catalogue())

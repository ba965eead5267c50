"""The real provincial panel: 31 mainland provinces, 2013–2023, NBS new survey basis.

Shipped in ``data/provinces/`` (``provpanel_long.csv``, ``SOURCES.md``, ``crosschecks.csv``,
``README.md``): complete 2013–2023 series of resident, urban and rural population, urbanisation
rate (derived from the population counts, not the published rate) and GDP (post-census vintage);
urban disposable income is near-complete only in 2016–2018, all-resident income and consumption
only in 2017, other series are single provinces. Every value names its source
(:func:`provinces_sources`). The pre-2013 old-basis table is not included: it is not comparable.

The panel records what it is: its source names the shipped file and the SHA-256 of its bytes
(:func:`data_hash`), and the demo framework is loaded by its id ``provinces-demo``
(:data:`ronghe.frameworks.DATASET_FRAMEWORKS`), so the settings a run records reproduce it.

Region codes are six-digit (``110000`` for Beijing), consistent with
:func:`ronghe.regions.divisions`; the file itself stores two-digit GB/T 2260 codes.
Variable names and units are those of the file (e.g. ``urban_disposable_income`` in yuan,
``gdp`` in 100 million yuan).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

import pandas as pd

from ronghe.frameworks import Framework, load_framework
from ronghe.panel import Panel

SOURCE = ("国家统计局分省年度数据等，见 SOURCES.md / NBS provincial data and provincial yearbooks, "
          "2013–2023, new survey basis (ronghe.datasets.provinces; per-value sources in "
          "provinces_sources())")


FILE = "provpanel_long.csv"
FRAMEWORK_ID = "provinces-demo"


def _path():
    return files("ronghe.datasets") / "data" / "provinces" / FILE


@cache
def data_hash() -> str:
    """SHA-256 (hex) of the shipped ``provpanel_long.csv``: which data a result was computed on."""
    return hashlib.sha256(_path().read_bytes()).hexdigest()


@cache
def _long() -> pd.DataFrame:
    with _path().open("rb") as fh:
        df = pd.read_csv(fh, dtype={"province_code": str}, encoding="utf-8")
    df["region"] = df["province_code"].str.zfill(2) + "0000"
    return df.rename(columns={"indicator": "variable"})


def provinces() -> Panel:
    """The provincial panel (wide, indexed by six-digit region code and year)."""
    long = _long()
    data = long.pivot(index=["region", "year"], columns="variable", values="value")
    data.columns.name = None
    first = long.drop_duplicates("region").set_index("region")
    regions = pd.DataFrame({"name_zh": first["province_name_zh"],
                            "province": first["province_code"].str.zfill(2),
                            "level": "province", "parent": ""},
                           index=first.index.rename("region"))
    units = dict(zip(long["variable"], long["unit"], strict=True))
    zh, en = SOURCE.split(" / ", 1)  # the hash in each half (ronghe.words.bilingual)
    digest = f"{FILE} sha256 {data_hash()[:16]}"
    source = f"{zh}；{digest} / {en}; {digest}"
    return Panel(data.astype(float), regions.sort_index(), units, source, synthetic=False,
                 shipped=True)


def provinces_sources() -> pd.DataFrame:
    """Source of every value: indexed by (region, year, variable), columns ``value``, ``unit``,
    ``source``."""
    long = _long()
    return long.set_index(["region", "year", "variable"])[["value", "unit", "source"]].sort_index()


def provinces_framework() -> Framework:
    """The small framework the provincial demo runs on: population urbanisation and economic
    development, the two complete real series (not an urban-rural integration index); its id
    ``provinces-demo`` loads it too."""
    return load_framework(FRAMEWORK_ID)

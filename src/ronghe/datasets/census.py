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

The panel on the 2023 codes, which the demo loads, is shipped already harmonised
(``census_counties_2023.parquet`` and ``census_regions_2023.parquet``, written by the same script
with :func:`harmonised_frames`; harmonising on every load took seconds). A test harmonises the raw
mapped values again and requires exactly the shipped panel; other vintages are harmonised on load.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd

from ronghe.errors import RongheWarning
from ronghe.panel import Panel

SOURCE_ZH = "第六、七次全国人口普查分县资料（leiii/census 整理，MIT 许可；ronghe.datasets.census_counties）"
SOURCE_EN = ("6th (2010) and 7th (2020) national census county tables as compiled by leiii/census "
             "(MIT licence, Copyright (c) 2022 Lei Dong; ronghe.datasets.census_counties)")
#: zh / en in one line (:mod:`ronghe.words.bilingual` takes one half for a one-language output)
SOURCE = f"{SOURCE_ZH} / {SOURCE_EN}"
RAW_FILE = "census_counties.parquet"
YEARS = (2010, 2020)
SHIPPED_VINTAGE = 2023  #: the vintage shipped already harmonised
_WARNINGS_KEY = b"ronghe_warnings"  #: Parquet metadata: the harmonisation's warnings, re-emitted


def _folder() -> Traversable:
    return files("ronghe.datasets") / "data" / "census"


@cache
def _long() -> pd.DataFrame:
    with (_folder() / RAW_FILE).open("rb") as fh:
        frame = pd.read_parquet(fh)
    for col in ("region", "variable", "name_zh", "province"):
        frame[col] = frame[col].astype(str)
    return frame


def _shipped_file() -> str:
    return f"census_counties_{SHIPPED_VINTAGE}.parquet"


@cache
def data_hash(raw: bool = False) -> str:
    """SHA-256 (hex) of the shipped Parquet file the panel is read from (of the raw file, both
    censuses at their own code vintage, with ``raw=True``): which data a result was computed on."""
    name = RAW_FILE if raw else _shipped_file()
    return hashlib.sha256((_folder() / name).read_bytes()).hexdigest()


def _source(file: str, digest: str, vintage: int | None = None) -> str:
    """The panel's source, zh / en, with the file's hash prefix and the code vintage if any."""
    zh, en = SOURCE_ZH, SOURCE_EN
    if vintage is not None:
        zh, en = f"{zh}，区划代码统一到 {vintage} 年", f"{en}, codes harmonised to {vintage}"
    return f"{zh}；{file} sha256 {digest[:16]} / {en}; {file} sha256 {digest[:16]}"


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
    return Panel(data.astype(float), regions, units, _source(RAW_FILE, data_hash(raw=True)),
                 synthetic=False, shipped=True)


def census_counties(vintage: int = SHIPPED_VINTAGE) -> Panel:
    """The census panel, 2010 and 2020, on the division codes of ``vintage`` (module docstring).
    The codes the division history does not hold are listed in a RongheWarning."""
    if vintage == SHIPPED_VINTAGE:
        return _shipped()
    from ronghe.ingest.catalogue import builtin_catalogue
    from ronghe.regions.harmonize import harmonize

    return harmonize(census_raw(), vintage, builtin_catalogue())


def harmonised_frames(vintage: int = SHIPPED_VINTAGE) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                list[str]]:
    """The raw panel harmonised to ``vintage`` as the shipped files hold it: the data (columns
    region, year, then the variables), the regions (column region first) and the messages of the
    harmonisation's warnings (used by ``scripts/census_panel.py`` and its test)."""
    from ronghe.ingest.catalogue import builtin_catalogue
    from ronghe.regions.harmonize import harmonize

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RongheWarning)
        panel = harmonize(census_raw(), vintage, builtin_catalogue())
    said = [str(w.message) for w in caught if issubclass(w.category, RongheWarning)]
    return panel.data.reset_index(), panel.regions.reset_index(), said


def write_shipped(folder: Path) -> list[Path]:
    """Write the panel on the shipped vintage into ``folder`` (``scripts/census_panel.py``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data, regions, said = harmonised_frames()
    paths = [folder / f"census_counties_{SHIPPED_VINTAGE}.parquet",
             folder / f"census_regions_{SHIPPED_VINTAGE}.parquet"]
    table = pa.Table.from_pandas(data, preserve_index=False)
    meta = {**(table.schema.metadata or {}), _WARNINGS_KEY: json.dumps(said).encode()}
    pq.write_table(table.replace_schema_metadata(meta), paths[0], compression="zstd")
    regions.to_parquet(paths[1], index=False, compression="zstd")
    return paths


@cache
def _shipped_frames() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    import pyarrow.parquet as pq

    folder = _folder()
    with (folder / _shipped_file()).open("rb") as fh:
        table = pq.read_table(fh)
    said = json.loads((table.schema.metadata or {}).get(_WARNINGS_KEY, b"[]"))
    with (folder / f"census_regions_{SHIPPED_VINTAGE}.parquet").open("rb") as fh:
        regions = pd.read_parquet(fh)
    return table.to_pandas(), regions, said


def _shipped() -> Panel:
    data, regions, said = _shipped_frames()
    for message in said:
        warnings.warn(message, RongheWarning, stacklevel=3)
    raw = _long()
    from ronghe.ingest.catalogue import builtin_catalogue

    catalogue = builtin_catalogue()
    variables = sorted(raw["variable"].unique())
    units = {v: str(catalogue.at[v, "unit"]) for v in variables if v in catalogue.index}
    return Panel(data.set_index(["region", "year"]).astype(float), regions.set_index("region"),
                 units, _source(_shipped_file(), data_hash(), SHIPPED_VINTAGE), synthetic=False,
                 shipped=True)

"""The store's village-size paths: a wide table imported in chunks, and the panel pivoted in SQL."""

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from ronghe.errors import InputError
from ronghe.store import bulk

VARIABLES = ["gdp", "population", "urban_share"]


def wide(n_regions: int = 7, years=(2019, 2020, 2021), seed: int = 0) -> pd.DataFrame:
    """Village-style 12-digit codes, some missing cells."""
    rng = np.random.default_rng(seed)
    codes = [f"1301231{i:05d}" for i in range(n_regions)]
    frame = pd.DataFrame({"region": np.repeat(codes, len(years)),
                          "year": np.tile(list(years), n_regions)})
    frame["gdp"] = rng.lognormal(8, 1, len(frame))
    frame["population"] = rng.lognormal(2, 0.5, len(frame))
    frame["urban_share"] = rng.uniform(10, 90, len(frame))
    frame.loc[[1, 5], "gdp"] = np.nan
    frame.loc[4, "urban_share"] = np.nan
    return frame


def long_pivot(store) -> pd.DataFrame:
    """What ``Store.panel`` gave before: the long table pivoted in pandas."""
    long = store.observations(columns=["region", "year", "variable", "value", "unit"])
    long["year"] = long["year"].astype(int)
    data = long.pivot(index=["region", "year"], columns="variable", values="value")
    data.columns.name = None
    return data.astype(float)


def test_parquet_import_in_chunks_and_panel_pivoted_in_sql(store, tmp_path):
    frame = wide()
    path = tmp_path / "villages.parquet"
    frame.sample(frac=1, random_state=1).to_parquet(path, index=False)  # any row order
    res = store.import_wide(path, source_text="村级普查", chunk_rows=4)
    assert (res.status, res.n_values, res.n_superseded) == ("imported", 21 * 3 - 3, 0)
    batch = store.batches().iloc[-1]
    assert (batch["file_name"], batch["layout"], batch["n_values"]) == ("villages.parquet", "wide", 60)
    assert (batch["n_cells"], batch["n_missing"]) == (63, 3)
    panel = store.panel()
    expected = frame.set_index(["region", "year"]).sort_index()
    pd.testing.assert_frame_equal(panel.data, expected[sorted(VARIABLES)], check_names=True)
    assert panel.units == {"gdp": "万元", "population": "万人", "urban_share": "%"}
    # the pivot in SQL, over several ranges of regions, equals the long-table pivot
    with store.engine.connect() as conn:
        data, _ = bulk.wide_frame(conn, None, None, None, chunk_rows=5)
    pd.testing.assert_frame_equal(data, long_pivot(store))
    pd.testing.assert_frame_equal(panel.data, long_pivot(store))
    sub = store.panel(variables=["gdp"], years=[2020])
    assert list(sub.data.columns) == ["gdp"]
    assert sub.data.index.get_level_values("year").unique().tolist() == [2020]
    # provenance: the cell's row in the file
    hist = store.history(frame["region"][3], int(frame["year"][3]), "population")
    assert hist["file_name"].tolist() == ["villages.parquet"]
    # the same file again is a no-op
    assert store.import_wide(path).status == "unchanged"


def test_second_import_supersedes(store):
    first = wide()
    store.import_wide(first, file_name="a", sha256="a" * 64, chunk_rows=5)
    second = first.iloc[:6].assign(gdp=1.0, population=np.nan, urban_share=np.nan)
    res = store.import_wide(second, file_name="b", sha256="b" * 64, chunk_rows=5)
    assert (res.n_values, res.n_superseded) == (6, 4)  # two of the six gdp cells were missing
    panel = store.panel()
    assert (panel.data["gdp"].iloc[:6] == 1.0).all()
    hist = store.history(first["region"][0], int(first["year"][0]), "gdp")
    assert hist["valid"].tolist() == [False, True]
    pd.testing.assert_frame_equal(panel.data, long_pivot(store))


@pytest.mark.parametrize("bad, message", [
    (lambda f: f.assign(urban_share=f["urban_share"].where(f.index != 17, 150.0)),
     "plausible range"),
    (lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True), "more than once"),
    (lambda f: f.assign(year=f["year"].astype(object).where(f.index != 19, "20x")), "not a year"),
    (lambda f: f.assign(other=1.0), "unknown variable"),
])
def test_a_bad_later_chunk_stores_nothing(store, take_snapshot, bad, message):
    frame = wide()
    frame["gdp"] = frame["gdp"].fillna(1.0)
    before = take_snapshot(store)
    with pytest.raises(InputError, match=message):
        store.import_wide(bad(frame), file_name="bad", sha256="c" * 64, chunk_rows=4)
    assert take_snapshot(store) == before
    with store.engine.connect() as conn:
        assert not [n for n in sa.inspect(conn).get_table_names() if n.startswith("ronghe_bulk")]

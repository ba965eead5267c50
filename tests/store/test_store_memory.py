"""A DuckDB store is bounded: every connection carries ronghe's memory limit (not DuckDB's default
of 80 % of the RAM), an import within it succeeds, one beyond it is a one-line StoreError that
stores nothing."""

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from ronghe.ingest import catalogue_frame
from ronghe.store import Store, StoreError, bulk

CATALOGUE = catalogue_frame([{"id": "gdp", "unit": "万元"}, {"id": "population", "unit": "万人"},
                             {"id": "urban_share", "unit": "%"}])
REGIONS = pd.DataFrame({"name_zh": ["天津市"], "level": ["province"], "province": ["12"]},
                       index=pd.Index(["120000"], name="code"))


def as_duckdb_says(size: str) -> str:
    """``size`` as DuckDB reports a memory limit (``'300MB'`` -> ``'286.1 MiB'``)."""
    con = duckdb.connect(config={"memory_limit": size})
    try:
        return str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
    finally:
        con.close()


def setting(store: Store, name: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(sa.text(f"SELECT current_setting('{name}')")).scalar())


def villages(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"region": np.repeat([f"1301231{i:05d}" for i in range(n)], 20),
                          "year": np.tile(np.arange(2000, 2020), n)})
    for v in ("gdp", "population", "urban_share"):
        frame[v] = rng.uniform(10, 90, len(frame))
    return frame


@pytest.fixture
def path(tmp_path, monkeypatch):
    monkeypatch.delenv(bulk.MEMORY_ENV, raising=False)
    target = tmp_path / "bounded.duckdb"
    store = Store(target)
    store.init(regions=REGIONS, catalogue=CATALOGUE)
    store.close()
    return target


def test_every_connection_carries_the_memory_limit(path, monkeypatch):
    default = Store(path)
    assert setting(default, "memory_limit") == as_duckdb_says(bulk.memory_limit())
    assert setting(default, "memory_limit") != as_duckdb_says(
        str(duckdb.connect().execute("SELECT current_setting('memory_limit')").fetchone()[0])
        .replace(" ", ""))  # not DuckDB's own default
    default.close()
    store = Store(path, memory="300MB")
    assert setting(store, "memory_limit") == as_duckdb_says("300MB")
    assert setting(store, "temp_directory") == f"{path}.tmp"  # where DuckDB spills
    store.close()
    monkeypatch.setenv(bulk.MEMORY_ENV, "200MB")
    store = Store(path)
    assert setting(store, "memory_limit") == as_duckdb_says("200MB")
    store.close()
    # a read-only reader (the out-of-core chain's partitions) is bounded the same way
    con = bulk.read_only(str(path))
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == (
            as_duckdb_says("200MB"))
    finally:
        con.close()


def test_an_in_memory_store_spills_to_a_folder_of_its_own(tmp_path):
    store = Store(":memory:", memory="100MB")
    folder = setting(store, "temp_directory")
    assert "ronghe-duckdb-" in folder and folder != ".tmp"
    store.close()


@pytest.mark.parametrize("value", ["lots", "150%", "0%"])
def test_a_bad_memory_limit_is_one_line(path, monkeypatch, value):
    with pytest.raises(StoreError, match="not a size") as err:
        Store(path, memory=value)
    assert "\n" not in str(err.value)
    monkeypatch.setenv(bulk.MEMORY_ENV, value)
    with pytest.raises(StoreError, match=bulk.MEMORY_ENV):
        Store(path)


def test_an_import_within_a_small_limit_succeeds(path):
    store = Store(path, memory="64MB")
    frame = villages(2000)
    res = store.import_wide(frame, file_name="v", sha256="a" * 64)
    assert (res.status, res.n_values) == ("imported", frame.shape[0] * 3)
    pd.testing.assert_frame_equal(store.panel().data, frame.set_index(["region", "year"]))
    store.close()


def test_an_import_beyond_the_limit_stores_nothing(path, take_snapshot):
    store = Store(path, memory="16MB")
    before = take_snapshot(store)
    with pytest.raises(StoreError, match=r"ran out of memory.*nothing was stored") as err:
        store.import_wide(villages(2000), file_name="v", sha256="a" * 64)
    assert "\n" not in str(err.value) and bulk.MEMORY_ENV in str(err.value)
    assert take_snapshot(store) == before
    with store.engine.connect() as conn:
        assert not [n for n in sa.inspect(conn).get_table_names() if n.startswith("ronghe_bulk")]
    store.close()

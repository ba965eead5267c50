"""``Study`` at village size from the store: the out-of-core chain reads the store a range of
region codes at a time, each range pivoted by the database (``ronghe.chain.sources.StoreSource``),
and gives the tables of ``Study(store.panel()).evaluate()`` to 1e-12; ``ronghe evaluate --db``
takes that path when the store holds more region-years than one partition."""

import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from ooc_tables import assert_same
from ronghe import Study, datasets
from ronghe.chain.partitioned import evaluate_partitioned, read_tables
from ronghe.chain.sources import StoreSource
from ronghe.cli import app
from ronghe.errors import InputError
from ronghe.ingest.catalogue import builtin_catalogue
from ronghe.settings import Settings
from ronghe.store import Store


@pytest.fixture(scope="module")
def panel():
    return datasets.synthetic_counties(seed=3, years=range(2019, 2024),
                                       provinces=["11", "13", "32", "44", "52", "65"])


@pytest.fixture
def filled(db_url, panel):
    """A store holding the panel (the catalogue without plausible ranges: the synthetic panel has
    planted outliers), plus one region that is not in the division list."""
    catalogue = builtin_catalogue()
    catalogue[["min_value", "max_value"]] = np.nan
    store = Store(db_url)
    store.init(catalogue=catalogue)
    frame = panel.data.reset_index()
    extra = frame[frame["region"] == frame["region"].iloc[0]].assign(region="990001")
    extra[panel.variables] *= 1.01  # not a tie of the first region's index
    store.import_wide(frame, file_name="panel", sha256="a" * 64)
    store.import_wide(extra, file_name="extra", sha256="b" * 64)
    whole = store.panel()
    store.close()  # the parts open the store themselves (a DuckDB file read only)
    return db_url, whole


def evaluate(source, out, settings=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_partitioned(source, out, "seed", settings)
    return read_tables(out)


def in_memory(panel, settings=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed", settings).evaluate()


def test_store_equals_in_memory(filled, tmp_path):
    url, whole = filled
    source = StoreSource(url, rows=700)
    parts = source.parts(None, {"gdp", "va1"})
    assert len(parts) == 5  # ceil(2,985 / 700)
    assert [p.read().variables for p in parts[:1]] == [["gdp", "va1"]]  # only what is read
    assert "990001" in parts[-1].read().regions.index  # named by its code, province 99
    assert_same(in_memory(whole), evaluate(source, tmp_path / "out"))


def test_store_years_and_no_rows(filled, tmp_path):
    url, whole = filled
    settings = Settings.from_dict({"years": [2021, 2022, 2023]})
    assert_same(in_memory(whole, settings),
                evaluate(StoreSource(url, rows=1000), tmp_path / "out", settings))
    with pytest.raises(InputError, match="the store has no values in the years 1990"):
        StoreSource(url).parts([1990], set())


def test_cli_db_goes_out_of_core_when_the_store_is_larger_than_a_partition(filled, tmp_path):
    url, whole = filled
    runner = CliRunner()
    run = runner.invoke(app, ["evaluate", "--db", url, "--framework", "seed",
                              "--partition-rows", "1000", "--out", str(tmp_path / "r.xlsx")])
    assert run.exit_code == 0, run.output
    assert_same(in_memory(whole), read_tables(tmp_path / "r"))
    runs = Store(url).runs()
    assert len(runs) == 1 and "out of core" in runs["note"].iloc[0]
    # one partition: in memory, a workbook, as before
    run = runner.invoke(app, ["evaluate", "--db", url, "--framework", "seed", "--out",
                              str(tmp_path / "small.xlsx")])
    assert run.exit_code == 0, run.output
    assert (tmp_path / "small.xlsx").is_file()


def test_dask_workers_read_the_store(filled, tmp_path):
    """Two worker processes read the ranges at the same time (a DuckDB file read only)."""
    distributed = pytest.importorskip("distributed")
    from ronghe.chain.distributed import dask_map

    url, whole = filled
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            evaluate_partitioned(StoreSource(url, rows=700), tmp_path / "out", "seed",
                                 run=dask_map(client))
    assert_same(in_memory(whole), read_tables(tmp_path / "out"))

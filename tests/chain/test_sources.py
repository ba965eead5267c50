"""The out-of-core chain reads a wide table of a DuckDB file a range of region codes at a time
(``ronghe.chain.sources.DuckDBTable``) and gives the tables of ``Study.evaluate`` to 1e-12; the
ranges hold whole regions; bad tables are one-line errors naming the table and column."""

import warnings

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

from ooc_tables import YEARS, assert_same, small_panel
from ronghe import Study
from ronghe.chain.partitioned import evaluate_partitioned, read_tables
from ronghe.chain.sources import DuckDBTable
from ronghe.cli import app
from ronghe.errors import InputError
from ronghe.settings import Settings


@pytest.fixture(scope="module")
def panel():
    return small_panel()


@pytest.fixture(scope="module")
def res(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed").evaluate()


def write_table(panel, path, table="panel", select="*"):
    """The panel as a wide table (rows shuffled: a table has no order), ``select`` over it."""
    wide = panel.data.reset_index()
    meta = panel.regions.reindex(wide["region"])
    wide.insert(1, "name_zh", meta["name_zh"].to_numpy())
    wide.insert(2, "province", meta["province"].to_numpy())
    wide = wide.sample(frac=1, random_state=0)
    con = duckdb.connect(str(path))
    con.register("wide", wide)
    con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM wide")
    con.close()
    return path


@pytest.fixture(scope="module")
def db(panel, tmp_path_factory):
    return write_table(panel, tmp_path_factory.mktemp("db") / "panel.duckdb")


def evaluate(source, out, framework="seed", settings=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluate_partitioned(source, out, framework, settings)
    return read_tables(out)


def test_duckdb_table_equals_in_memory(panel, res, db, tmp_path):
    source = DuckDBTable(db, "panel", rows=700)
    assert len(source.parts(None, set(panel.variables))) == 5  # ceil(2,980 / 700)
    assert_same(res, evaluate(source, tmp_path / "out"))


def test_integer_codes_other_column_names_and_years(panel, tmp_path):
    """Region codes stored as integers, the aliases ``code`` and ``Year``, extra text columns
    the framework does not read, ``settings.years`` pushed into the query."""
    path = write_table(panel, tmp_path / "p.duckdb", select=(
        "CAST(region AS BIGINT) AS code, year AS \"Year\", * EXCLUDE (region, year), "
        "'note' AS remark"))
    settings = Settings.from_dict({"years": [2020, 2021, 2022]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = Study(panel, "county", settings).evaluate()
    assert_same(expected, evaluate(DuckDBTable(path, rows=1000), tmp_path / "out", "county",
                                   settings))


@pytest.mark.parametrize("rows", [37, 1000, 10**6])
def test_ranges_hold_whole_regions(panel, db, rows):
    parts = DuckDBTable(db, "panel", rows=rows).parts(None, {"gdp"})
    total = len(panel.data)
    assert len(parts) == -(-total // rows)
    seen: set[str] = set()
    for part in parts:
        got = part.read()
        codes = set(got.region_codes)
        assert not codes & seen  # a region in one part only
        seen |= codes
        assert len(got.data) <= rows + len(YEARS) - 1
        assert list(got.data.columns) == ["gdp"]  # only what the framework reads
        regions = got.data.index.get_level_values("region")
        expected = panel.data.loc[panel.data.index.get_level_values("region").isin(codes), "gdp"]
        assert np.array_equal(got.data["gdp"].to_numpy(), expected.to_numpy(), equal_nan=True)
        assert (got.regions.loc[regions.unique(), "province"].to_numpy()
                == panel.regions.loc[regions.unique(), "province"].to_numpy()).all()
    assert seen == set(panel.region_codes)


@pytest.mark.parametrize(("select", "table", "message"), [
    ("*", "nope", r"panel.duckdb: .*no table 'nope' \(the file has: panel\)"),
    ("* EXCLUDE (year)", "panel", r"table panel: 缺少年份列 / no year column"),
    ("* REPLACE (CAST(year AS VARCHAR) AS year)", "panel",
     r"table panel, column 'year': .*the year column must be integer, not VARCHAR"),
    ("* REPLACE (CAST(gdp AS VARCHAR) AS gdp)", "panel",
     r"table panel, column 'gdp': .*a value column must be numeric, not VARCHAR"),
    ("* REPLACE (CASE WHEN year = 2020 THEN NULL ELSE region END AS region)", "panel",
     r"table panel, column 'region': .*rows are empty"),
])
def test_bad_tables_are_one_line_errors(panel, tmp_path, select, table, message):
    path = write_table(panel, tmp_path / "panel.duckdb", select=select)
    with pytest.raises(InputError, match=message) as caught:
        evaluate(DuckDBTable(path, table), tmp_path / "out")
    assert "\n" not in str(caught.value)


def test_no_file_and_no_table_named(panel, tmp_path):
    with pytest.raises(InputError, match="no such DuckDB file"):
        DuckDBTable(tmp_path / "missing.duckdb").parts(None, set())
    path = write_table(panel, tmp_path / "two.duckdb")
    write_table(panel, path, table="other")
    with pytest.raises(InputError, match=r"name the table with --table \(the file has: other, "
                                         r"panel\)"):
        DuckDBTable(path).parts(None, set())


def test_cli_evaluates_a_duckdb_table_out_of_core(res, db, tmp_path):
    run = CliRunner().invoke(app, ["evaluate", str(db), "--table", "panel", "--framework",
                                   "seed", "--partition-rows", "1500", "--out",
                                   str(tmp_path / "res.xlsx")])
    assert run.exit_code == 0, run.output
    assert_same(res, read_tables(tmp_path / "res"))


def test_cli_table_options_need_a_duckdb_file(panel, tmp_path):
    csv = tmp_path / "p.csv"
    panel.to_long().to_csv(csv, index=False)
    for option, value, message in (("--table", "panel", "--table needs a DuckDB file"),
                                   ("--partition-rows", "10", "--partition-rows needs a DuckDB")):
        with pytest.raises(InputError, match=message):
            CliRunner().invoke(app, ["evaluate", str(csv), option, value],
                               catch_exceptions=False)


def test_cli_a_store_file_is_pointed_to_db(tmp_path):
    from ronghe.store import Store

    path = tmp_path / "store.duckdb"
    Store(path).init()
    with pytest.raises(InputError, match="this is a ronghe store: give it as --db"):
        CliRunner().invoke(app, ["evaluate", str(path)], catch_exceptions=False)


def test_dask_workers_read_the_duckdb_file(res, db, tmp_path):
    """Two worker processes open the file read only at the same time."""
    distributed = pytest.importorskip("distributed")
    from ronghe.chain.distributed import dask_map

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            evaluate_partitioned(DuckDBTable(db, "panel", rows=700), tmp_path / "out", "seed",
                                 run=dask_map(client))
    assert_same(res, read_tables(tmp_path / "out"))

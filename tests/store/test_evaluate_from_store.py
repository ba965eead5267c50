"""``ronghe evaluate --db``: the panel comes from the thematic database and the run is recorded."""

import openpyxl
import pytest
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli import app
from ronghe.store import Store


def test_evaluate_reads_the_store_and_records_the_run(tmp_path):
    panel = datasets.synthetic_counties(seed=3, provinces=["64"], years=range(2021, 2024))
    csv = tmp_path / "panel.csv"
    panel.to_long().to_csv(csv, index=False)
    db = str(tmp_path / "t.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "init", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["import", str(csv), "--db", db]).exit_code == 0
    out = tmp_path / "r.xlsx"
    run = runner.invoke(app, ["evaluate", "--db", db, "--out", str(out)])
    assert run.exit_code == 0, run.output
    index = openpyxl.load_workbook(out, read_only=True)["index"]
    assert index.max_row == len(panel.data) + 1
    runs = Store(db).runs()
    assert len(runs) == 1


def test_evaluate_needs_exactly_one_source(tmp_path):
    from ronghe.errors import InputError

    with pytest.raises(InputError, match="exactly one of a panel file, --db or --demo"):
        CliRunner().invoke(app, ["evaluate"], catch_exceptions=False)

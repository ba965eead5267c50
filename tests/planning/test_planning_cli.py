"""The planning commands (ronghe.cli.planning) write their workbooks and fail in one line."""

from __future__ import annotations

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli.planning import register

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("panel") / "hebei.csv"
    datasets.synthetic_counties(provinces=["13"], years=range(2016, 2024)).to_long().to_csv(
        path, index=False
    )
    return path


def _sheets(path):
    return openpyxl.load_workbook(path, read_only=True).sheetnames


@pytest.mark.parametrize(
    ("args", "sheets"),
    [
        (["uncertainty", "--draws", "12", "--year", "2022"], {"rank_uncertainty", "sobol"}),
        (["simulate", "-r", "130102", "-c", "rural_income+10%", "-c", "income_ratio=2"],
         {"scenario", "scenario_indicators", "changes"}),
        (["target", "-r", "130102", "--goal", "D>=0.7", "--bound", "income_ratio=1.8:"],
         {"target", "target_changes"}),
        (["forecast", "--horizon", "2027", "--regions", "130102,130104"],
         {"forecast", "forecast_models"}),
    ],
)
def test_commands_write_workbooks(panel_file, tmp_path, args, sheets):
    out = tmp_path / "out.xlsx"
    res = runner.invoke(app, [*args, str(panel_file), "--framework", "seed", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "written" in res.output
    names = set(_sheets(out))
    assert sheets <= names and "列说明 Columns" in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "-r", "130102", "-c", "rural_income*2"], "not understood"),
        (["target", "-r", "130102", "--goal", "D>0.7"], "not understood"),
        (["forecast", "--horizon", "2020"], "after the last year"),
        (["uncertainty", "--draws", "4", "--year", "1999"], "no year 1999"),
    ],
)
def test_errors_are_one_line(panel_file, tmp_path, args, message):
    res = runner.invoke(app, [*args, str(panel_file), "--out", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1
    assert message in res.output and "Traceback" not in res.output


def test_data_or_demo_required(tmp_path):
    res = runner.invoke(app, ["forecast", "--out", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1 and "--demo" in res.output

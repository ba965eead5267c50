"""``ronghe diagnose`` through a Typer app built around the command (the lead mounts it)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ronghe.cli.diagnose import diagnose_command

app = typer.Typer()
app.command()(diagnose_command)
runner = CliRunner()


@pytest.fixture(scope="module")
def panel_file(planted, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "panel.csv"
    planted.panel.data.reset_index().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def equal_weights(tmp_path_factory):
    """The settings of the planted fixture (equal indicator weights), as a file."""
    path = tmp_path_factory.mktemp("cli") / "settings.yaml"
    path.write_text("weighting:\n  indicators: equal\n", encoding="utf-8")
    return path


def test_text_in_both_languages(planted, panel_file, equal_weights):
    args = ["--region", planted.target, "--year", "2023", "--data", str(panel_file),
            "--settings", str(equal_weights)]
    zh = runner.invoke(app, [*args, "--framework", "seed"])
    assert zh.exit_code == 0, zh.output
    assert f"城乡融合诊断：{planted.target}" in zh.stdout
    assert "1. 村卫生室覆盖率 (village_clinic_coverage) [O3]" in zh.stdout
    assert "1. R3 促进高质高效" in zh.stdout
    assert "合成数据" not in zh.stdout  # a CSV file is user data, whatever its origin
    assert "synthetic demo panel" not in zh.output
    en = runner.invoke(app, [*args, "--lang", "en"])
    assert en.exit_code == 0, en.output
    assert "Blocking indicators" in en.stdout


def test_json_output(planted, panel_file, equal_weights):
    res = runner.invoke(app, ["-r", planted.target, "-y", "2022", "--data", str(panel_file),
                              "--settings", str(equal_weights), "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["region"] == planted.target and payload["year"] == 2022
    assert payload["blockers"][0]["indicator"] == "village_clinic_coverage"


def test_errors_are_one_line(panel_file):
    res = runner.invoke(app, ["--region", "999999", "--data", str(panel_file)])
    assert res.exit_code == 1
    assert res.stderr.strip() == ("错误 error: region '999999' is not in the data (194 regions)")
    res = runner.invoke(app, ["--region", "330102", "--data", str(panel_file), "--lang", "fr"])
    assert res.exit_code == 1 and "lang must be zh or en, got 'fr'" in res.stderr
    res = runner.invoke(app, ["--region", "330102", "--data", str(panel_file), "--demo"])
    assert res.exit_code == 1 and "give exactly one of DATA or --demo" in res.stderr


def test_demo_says_so():
    res = runner.invoke(app, ["--region", "110101", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "synthetic demo panel" in res.stderr
    assert "Integration diagnosis: 110101 东城区" in res.stdout
    assert "synthetic data (demo, not real statistics)" in res.stdout

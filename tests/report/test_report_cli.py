"""``ronghe report``: formats by suffix or --format, and one-line errors for bad combinations."""

from __future__ import annotations

import docx
import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli.report import report
from ronghe.errors import InputError

app = typer.Typer()
app.command("report")(report)
app.command("noop")(lambda: None)  # two commands, so "report" is a sub-command as when mounted


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    panel = datasets.synthetic_counties(provinces=["14"], years=range(2021, 2024),
                                        missing_rate=0.0, n_outliers=0)
    wide = panel.data.reset_index().merge(
        panel.regions[["name_zh", "province"]], left_on="region", right_index=True)
    path = tmp_path_factory.mktemp("cli") / "panel.csv"
    wide.to_csv(path, index=False)
    return path


def test_workbook_and_brief(panel_csv, tmp_path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["report", str(panel_csv), "--out", str(tmp_path / "r.xlsx"),
                              "--framework", "seed"])
    assert res.exit_code == 0, res.output
    assert "r.xlsx" in res.output
    assert "rankings" in openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).sheetnames
    res = runner.invoke(app, ["report", str(panel_csv), "--out", str(tmp_path / "b.docx"),
                              "--framework", "seed", "--region", "140105", "--lang", "en"])
    assert res.exit_code == 0, res.output
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs)
    assert "Recommended paths" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "b.docx"], "needs --region"),
    (["--out", "r.pdf"], "cannot tell the format"),
    (["--out", "r.html", "--format", "pptx"], "--format must be one of"),
    (["--out", "r.html", "--lang", "fr"], "lang must be zh or en"),
    (["--out", "r.html", "--demo"], "give exactly one of DATA or --demo"),
])
def test_bad_combinations(panel_csv, tmp_path, args, message) -> None:
    args = [a if not a.endswith((".docx", ".pdf", ".html")) else str(tmp_path / a) for a in args]
    res = CliRunner().invoke(app, ["report", str(panel_csv), *args])
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError) and message in str(res.exception)

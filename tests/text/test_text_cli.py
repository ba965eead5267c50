"""`ronghe text` sub-commands: score, terms, demo."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli.text import app
from ronghe.errors import InputError
from ronghe.text import builtin_terms_path, demo_corpus_dir, load_terms

runner = CliRunner()


def test_score_demo_to_xlsx_prints_bilingual_summary(tmp_path):
    out = tmp_path / "scores.xlsx"
    result = runner.invoke(app, ["score", str(demo_corpus_dir()), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已评分 18 份报告（6 个地区，2021–2023 年）" in result.output
    assert "Scored 18 reports (6 regions, 2021–2023)" in result.output
    assert "generated samples" in result.output
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert set(sheets) == {"measures", "term_counts", "hits", "problems"}
    assert len(sheets["measures"]) == 18


def test_score_to_csv_with_problems(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "130123_2021.txt").write_text("推进城乡融合，控制土地财政。", encoding="utf-8")
    (src / "130123_2022.txt").write_bytes(b"")
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["score", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "1 个文件或条目有问题" in result.output
        and "1 files or entries have problems" in result.output
    )
    assert pd.read_csv(out)["rural_priority_attention"].tolist() == [50.0]
    assert "empty file" in pd.read_csv(tmp_path / "s_problems.csv")["reason"][0]


def test_score_with_nothing_readable_exits_1(tmp_path):
    (tmp_path / "130123_2021.txt").write_bytes(b"")
    result = runner.invoke(app, ["score", str(tmp_path), "--out", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 1
    assert "No report could be scored" in result.output


def test_score_bad_source_raises_ronghe_error(tmp_path):
    result = runner.invoke(app, ["score", str(tmp_path / "none"), "--out", str(tmp_path / "s.csv")])
    assert isinstance(result.exception, InputError)


def test_terms_lists_and_copies(tmp_path):
    out = tmp_path / "mine.yaml"
    result = runner.invoke(app, ["terms", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "rural_priority (乡村优先 / rural priority)" in result.output
    assert out.read_bytes() == builtin_terms_path().read_bytes()
    assert load_terms(out).digest == load_terms().digest


def test_demo_writes_the_corpus(tmp_path):
    result = runner.invoke(app, ["demo", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "d").glob("*.txt"))) == 18


@pytest.mark.parametrize("args", [["--help"], ["score", "--help"]])
def test_help_is_bilingual(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "/" in result.output

"""`ronghe text import`: measures into the thematic database (DuckDB), with provenance."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe.cli.text import app
from ronghe.store import Store
from ronghe.text import demo_corpus_dir, load_terms, score_reports
from ronghe.text.store_import import import_reports

DEMO_CODES = ["130123", "130125", "130126", "130127", "130128", "130129"]


@pytest.fixture()
def store(tmp_path):
    # a small division list and catalogue keep init fast; the import does not depend on them
    regions = pd.DataFrame(
        {"name_zh": [f"示例县{i}" for i in range(6)], "level": "county", "parent": "130100"},
        index=pd.Index(DEMO_CODES, name="code"),
    )
    catalogue = pd.DataFrame(
        {"name_zh": ["乡村优先政策注意力"], "name_en": ["rural priority attention"], "unit": ["%"]},
        index=pd.Index(["rural_priority_attention"], name="id"),
    )
    s = Store(tmp_path / "t.duckdb")
    s.init(regions=regions, catalogue=catalogue)
    yield s
    s.close()


@pytest.fixture()
def corpus(tmp_path):
    target = tmp_path / "reports"
    shutil.copytree(demo_corpus_dir(), target)
    return target


def test_import_writes_measures_with_provenance(store, corpus):
    result = import_reports(corpus, store, user="tester")
    assert result.files["status"].tolist() == ["imported"] * 18
    scored = score_reports(corpus)
    stored = store.observations()
    assert len(stored) == 36
    expected = scored.to_observations().sort_values(["region", "year", "variable"])
    assert stored[["region", "year", "variable"]].values.tolist() == (
        expected[["region", "year", "variable"]].values.tolist()
    )
    assert stored["value"].tolist() == pytest.approx(expected["value"].tolist())
    batches = store.batches()
    assert len(batches) == 18 and set(batches["layout"]) == {"text"}
    first = batches.iloc[0]
    assert first["file_name"] == "130123_2021.txt" and first["user_name"] == "tester"
    assert load_terms().digest[:12] in first["source"]
    assert scored.measures.loc[0, "sha256"] in first["source"]
    assert "generated sample" in first["source"]
    panel = store.panel(variables=["rural_priority_attention"])
    m = scored.measures.set_index(["region", "year"])["rural_priority_attention"]
    got = panel.data["rural_priority_attention"]
    assert got.sort_index().tolist() == pytest.approx(m.sort_index().tolist())


def test_reimport_changes_nothing_and_an_edit_supersedes(store, corpus):
    import_reports(corpus, store)
    again = import_reports(corpus, store)
    assert again.files["status"].tolist() == ["unchanged"] * 18
    assert len(store.batches()) == 18 and len(store.observations(current=False)) == 36
    report = corpus / "130127_2023.txt"
    report.write_text(report.read_text(encoding="utf-8") + "坚持城乡融合。\n", encoding="utf-8")
    edited = import_reports(corpus, store)
    changed = edited.files[edited.files["status"] == "imported"]
    assert changed[["file", "n_values", "n_superseded"]].values.tolist() == [
        ["130127_2023.txt", 2, 2]
    ]
    history = store.history("130127", 2023, "rural_priority_attention")
    assert history["valid"].tolist() == [False, True]
    assert history["value"].iloc[1] > history["value"].iloc[0]  # one more integration term


def test_other_dictionary_gives_new_batches(store, corpus, tmp_path):
    for report in corpus.glob("13012[6-9]_*.txt"):
        report.unlink()  # keep 130123 and 130125: 6 reports
    import_reports(corpus, store)
    path = tmp_path / "t.yaml"
    path.write_text("extends: builtin\ncategories:\n  city_centred: {add: [招商引资]}\n", "utf-8")
    other = import_reports(corpus, store, path)
    assert other.files["status"].tolist() == ["imported"] * 6
    assert other.files["n_superseded"].tolist() == [2] * 6
    assert len(store.batches()) == 12
    assert len(store.observations()) == 12 and len(store.observations(current=False)) == 24


def test_unreadable_files_are_not_written(store, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "130123_2021.txt").write_text("今年经济运行平稳。", encoding="utf-8")
    (tmp_path / "in" / "130123_2022.txt").write_bytes(b"")
    result = import_reports(tmp_path / "in", store)
    # no policy term: attention undefined, so only the density (0) is stored
    assert result.files[["file", "status", "n_values"]].values.tolist() == [
        ["130123_2021.txt", "imported", 1]
    ]
    assert store.observations()[["variable", "value"]].values.tolist() == [
        ["integration_density", 0.0]
    ]
    assert store.batches()["n_missing"].tolist() == [1]
    assert result.score.problems["file"].tolist() == ["130123_2021.txt", "130123_2022.txt"]


def test_cli_import(store, corpus):
    url = store.url.removeprefix("duckdb:///")
    store.close()
    result = CliRunner().invoke(app, ["import", str(corpus), "--db", url])
    assert result.exit_code == 0, result.output
    assert "已导入 18 份报告的 36 个值" in result.output
    assert "Imported 36 values from 18 reports" in result.output
    result = CliRunner().invoke(app, ["import", str(corpus), "--db", url])
    assert "18 unchanged" in result.output

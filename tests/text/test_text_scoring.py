"""Measures per region-year, observations for the store, outputs, and the generated demo corpus."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import InputError
from ronghe.text import (
    CATEGORIES,
    GENERATED_MARKER,
    demo_corpus_dir,
    generate_demo_corpus,
    load_terms,
    score_reports,
    write_demo_corpus,
)

TERMS = load_terms()


@pytest.fixture()
def hand_corpus(tmp_path: Path) -> Path:
    # 130123/2021: 农业农村优先发展 (rp), 城乡融合 + 城乡一体化 (int), 土地财政 (cc);
    #   ideographs 坚持2 农业农村优先发展8 推进2 城乡融合4 和1 城乡一体化5 不搞2 土地财政4 = 28
    (tmp_path / "130123_2021.txt").write_text(
        "坚持农业农村优先发展，推进城乡融合和城乡一体化，不搞土地财政。", encoding="utf-8"
    )
    # 130123/2023: 乡村振兴 (rp), 中心城区 + 城市扩张 (cc);
    #   ideographs 做大2 中心城区4 推进2 城市扩张4 发展2 乡村振兴4 = 18
    (tmp_path / "130123_2023.txt").write_text(
        "做大中心城区，推进城市扩张，发展乡村振兴。", encoding="utf-8"
    )
    # 130125/2021: no policy term
    (tmp_path / "130125_2021.txt").write_text("今年经济运行平稳。", encoding="utf-8")
    return tmp_path


def test_hand_worked_measures(hand_corpus):
    result = score_reports(hand_corpus)
    m = result.measures.set_index(["region", "year"])
    a, b, c = m.loc[("130123", 2021)], m.loc[("130123", 2023)], m.loc[("130125", 2021)]
    assert [a[f"n_{k}"] for k in CATEGORIES] == [1, 2, 1]
    assert a["n_chars"] == 28
    assert a["rural_priority_attention"] == pytest.approx(100 * (1 + 2) / (1 + 2 + 1))  # 75
    assert a["integration_density"] == pytest.approx(2 / 28 * 10_000)  # 714.29
    assert pd.isna(a["previous_year"]) and math.isnan(a["rural_priority_attention_change"])
    assert [b[f"n_{k}"] for k in CATEGORIES] == [1, 0, 2]
    assert b["n_chars"] == 18
    assert b["rural_priority_attention"] == pytest.approx(100 / 3)
    assert b["integration_density"] == 0.0
    # the previous available year is 2021 (there is no 2022 report)
    assert b["previous_year"] == 2021
    assert b["rural_priority_attention_change"] == pytest.approx(100 / 3 - 75)
    assert b["integration_density_change"] == pytest.approx(-2 / 28 * 10_000)
    assert math.isnan(c["rural_priority_attention"]) and c["integration_density"] == 0.0
    assert result.problems.values.tolist() == [
        [
            "130125_2021.txt",
            "没有政策术语，注意力无定义 / no policy term found: rural_priority_attention undefined",
        ]
    ]
    assert not m["generated"].any()


def test_hits_and_term_counts(hand_corpus):
    result = score_reports(hand_corpus)
    hits = result.hits
    assert len(hits) == 7
    first = hits.iloc[0]
    assert (first["term"], first["category"], first["start"], first["end"]) == (
        "农业农村优先发展",
        "rural_priority",
        2,
        10,
    )
    assert first["context"].startswith("坚持农业农村优先发展，推进城乡融合")
    for row in hits.itertuples():
        text = (hand_corpus / row.file).read_text(encoding="utf-8")
        assert text[row.start : row.end] == row.term
    counts = result.term_counts
    assert counts["count"].sum() == 7
    row = counts[(counts["term"] == "城乡融合")].iloc[0]
    assert (row["count"], row["offsets"]) == (1, "13-17")


def test_observations_for_the_store(hand_corpus):
    obs = score_reports(hand_corpus).to_observations()
    assert list(obs.columns) == ["region", "year", "variable", "value", "unit", "source"]
    # 130125/2021 has no attention (undefined) but has a density of 0
    assert len(obs) == 5
    att = obs[obs["variable"] == "rural_priority_attention"]
    assert att[["region", "year"]].values.tolist() == [["130123", 2021], ["130123", 2023]]
    assert att["value"].tolist() == pytest.approx([75.0, 100 / 3])
    assert set(att["unit"]) == {"%"}
    assert not obs["value"].isna().any()
    source = obs["source"].iloc[0]
    assert "130123_2021.txt" in source and TERMS.digest[:12] in source and "utf-8" in source


def test_write_xlsx_and_csv(hand_corpus, tmp_path):
    result = score_reports(hand_corpus)
    [xlsx] = result.write(tmp_path / "out.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None, dtype={"region": str}, engine="openpyxl")
    assert list(sheets) == ["measures", "term_counts", "hits", "problems"]
    assert sheets["measures"]["rural_priority_attention"].iloc[0] == pytest.approx(75.0)
    assert len(sheets["hits"]) == 7
    paths = result.write(tmp_path / "out.csv")
    assert [p.name for p in paths] == [
        "out.csv",
        "out_term_counts.csv",
        "out_hits.csv",
        "out_problems.csv",
    ]
    back = pd.read_csv(paths[0], dtype={"region": str}, encoding="utf-8-sig")
    assert back["region"].tolist() == ["130123", "130123", "130125"]
    with pytest.raises(InputError, match=r"\.xlsx or \.csv"):
        result.write(tmp_path / "out.json")


def test_custom_dictionary_changes_the_measure(hand_corpus, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "categories:\n  rural_priority: {terms: [乡村振兴]}\n  integration: {terms: [城乡融合]}\n"
        "  city_centred: {terms: [土地财政, 经济运行]}\n",
        encoding="utf-8",
    )
    m = score_reports(hand_corpus, path).measures.set_index(["region", "year"])
    # 2021: 城乡融合 (int) vs 土地财政 (cc) -> 50 %; 130125: 经济运行 (cc) -> 0 %
    assert m.loc[("130123", 2021), "rural_priority_attention"] == pytest.approx(50.0)
    assert m.loc[("130125", 2021), "rural_priority_attention"] == 0.0


category_counts = st.tuples(*(st.integers(0, 6) for _ in CATEGORIES))


@settings(max_examples=25, deadline=None)
@given(st.lists(category_counts, min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_share_in_range_and_equal_to_planted_ratio(plans, rnd):
    with tempfile.TemporaryDirectory() as tmp:
        for year, plan in enumerate(plans, start=2020):
            words = [
                rnd.choice(TERMS.terms[cat])
                for cat, n in zip(CATEGORIES, plan, strict=True)
                for _ in range(n)
            ]
            rnd.shuffle(words)
            text = "今年" + "。我们要".join(words) + "。"
            Path(tmp, f"130123_{year}.txt").write_text(text, encoding="utf-8")
        m = score_reports(tmp).measures
    assert len(m) == len(plans)
    for row, (rp, it, cc) in zip(m.itertuples(), plans, strict=True):
        assert (row.n_rural_priority, row.n_integration, row.n_city_centred) == (rp, it, cc)
        if rp + it + cc == 0:
            assert math.isnan(row.rural_priority_attention)
        else:
            assert 0.0 <= row.rural_priority_attention <= 100.0
            assert row.rural_priority_attention == pytest.approx(100 * (rp + it) / (rp + it + cc))
        assert row.integration_density >= 0.0
    changes = m["rural_priority_attention_change"].to_numpy()
    assert np.isnan(changes[0])


def test_demo_corpus_scores_exactly_as_planted():
    planted = generate_demo_corpus()
    assert len(planted) == 18
    result = score_reports(demo_corpus_dir())
    assert result.problems.empty
    counts = result.term_counts
    for report in planted:
        rows = counts[(counts["region"] == report.region) & (counts["year"] == report.year)]
        assert dict(zip(rows["term"], rows["count"], strict=True)) == report.planted
        assert report.text.startswith(GENERATED_MARKER)
    m = result.measures
    assert m["generated"].all()
    att = m["rural_priority_attention"]
    assert att.min() < 40 and att.max() > 90  # deliberately varied between counties
    assert m.groupby("region")["rural_priority_attention"].agg(np.ptp).max() > 20  # and over time
    assert all("generated sample" in s for s in result.to_observations()["source"])


def test_shipped_demo_equals_regenerated(tmp_path):
    paths = write_demo_corpus(tmp_path)
    assert len(paths) == 19
    shipped = demo_corpus_dir()
    assert sorted(p.name for p in shipped.iterdir()) == sorted(p.name for p in paths)
    for p in paths:
        assert (shipped / p.name).read_bytes() == p.read_bytes(), p.name
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "not real government documents" in readme and "`130129_2023.txt`" in readme


def test_demo_generator_is_seeded():
    a, b, c = generate_demo_corpus(1), generate_demo_corpus(1), generate_demo_corpus(2)
    assert [r.text for r in a] == [r.text for r in b]
    assert [r.text for r in a] != [r.text for r in c]

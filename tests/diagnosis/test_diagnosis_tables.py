"""Result.diagnoses(), typology tables and the workbook sheets."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.diagnosis import COLUMN_LABELS, OBSTACLES
from ronghe.knowledge import load_knowledge

DIAGNOSIS_COLUMNS = [
    "region", "name_zh", "province", "year", "top1", "top1_degree", "top2", "top3", "obstacle",
    "obstacle_share", "obstacle_type", "obstacle_type_zh", "type_factor", "share_O1", "share_O2",
    "share_O3", "share_O4", "untagged", "path", "path_zh", "path_score",
]


def test_diagnoses_shape_and_columns(plain):
    table = plain.diagnoses()
    assert list(table.columns) == DIAGNOSIS_COLUMNS
    assert len(table) == len(plain.index) == 194 * 8
    one = plain.diagnoses(year=2021)
    assert len(one) == 194 and set(one["year"]) == {2021}
    pd.testing.assert_frame_equal(
        one.reset_index(drop=True),
        table[table["year"] == 2021].reset_index(drop=True),
    )
    assert table["top1"].equals(plain.top_obstacles["top1"])
    assert set(table["obstacle"]) <= set(OBSTACLES)
    assert set(table["path"]) <= {"R1", "R2", "R3", "R4"}
    assert ((table["obstacle_share"] > 0.25) & (table["obstacle_share"] <= 1)).all()
    for col in DIAGNOSIS_COLUMNS[8:]:
        if not col.startswith("top"):
            assert col in COLUMN_LABELS


def test_typology_is_the_largest_location_quotient(plain):
    typed = plain.typology(2022)
    cat = plain.obstacles["category"].xs(2022, level="year").reindex(columns=list(OBSTACLES))
    shares = cat.to_numpy() / cat.to_numpy().sum(axis=1, keepdims=True)
    np.testing.assert_allclose(typed[[f"share_{c}" for c in OBSTACLES]].to_numpy(), shares)
    kb = load_knowledge()
    # independent recomputation: location quotient against the year's mean share, type = the
    # largest quotient if it reaches 1.1, else balanced
    lq = pd.DataFrame(shares, columns=list(OBSTACLES))
    lq = lq / lq.mean()
    best = lq.max(axis=1)
    lead = [OBSTACLES[int(np.argmax(row))] for row in lq.to_numpy()]
    expected = [kb.type_for_obstacle(c if b >= 1.1 else None).id
                for c, b in zip(lead, best, strict=True)]
    assert typed["obstacle_type"].tolist() == expected
    dominant = {t.id: t.dominant_path or "R1+R2+R3+R4" for t in kb.types}
    assert typed["dominant_path"].tolist() == [dominant[t] for t in expected]


def test_planted_target_is_service_lagging(planted):
    typed = planted.result.typology(2023).set_index("region")
    assert typed.loc[planted.target, "obstacle_type"] == "service-lagging"
    assert typed.loc[planted.target, "dominant_path"] == "R3"


@settings(max_examples=6, deadline=None)
@given(year=st.sampled_from([None, 2016, 2019, 2023]), by_province=st.booleans())
def test_typology_shares_sum_to_one(plain, year, by_province):
    summary = plain.typology_summary(year, by_province=by_province)
    keys = ["year", "province"] if by_province else ["year"]
    sums = summary.groupby(keys)["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    counts = summary.groupby("year")["regions"].sum()
    assert (counts == 194).all()
    assert set(summary["obstacle_type"]) <= {t.id for t in load_knowledge().types}


def test_leading_path_is_the_mode_of_first_paths(plain):
    summary = plain.typology_summary(2023).set_index("obstacle_type")
    table = plain.diagnoses(2023).assign(kind=plain.typology(2023)["obstacle_type"].to_numpy())
    for typ, group in table.groupby("kind"):
        counts = group["path"].value_counts()
        best = sorted(counts[counts == counts.max()].index)[0]
        assert summary.loc[typ, "leading_path"] == best
        assert summary.loc[typ, "leading_path_share"] == pytest.approx(counts.max() / len(group))
        assert summary.loc[typ, "regions"] == len(group)


def test_workbook_has_diagnosis_and_typology_sheets(plain, tmp_path):
    tables = plain.tables()
    assert set(tables["diagnosis"]["year"]) == {2023}
    assert len(tables["diagnosis"]) == 194
    assert list(tables["typology"].columns[:4]) == [
        "year", "obstacle_type", "obstacle_type_zh", "obstacle_type_en"]
    for col in tables["typology"].columns[1:]:
        assert col in COLUMN_LABELS
    path = plain.to_excel(tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert {"diagnosis", "typology"} <= set(book.sheetnames)
    rows = list(book["typology"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(tables["typology"])
    assert all(cell is not None for row in rows for cell in row)

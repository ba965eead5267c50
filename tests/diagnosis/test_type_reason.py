"""The type is explained where it appears: the factor behind the relative rule, and the largest
absolute category beside it whenever the two differ (潮阳区 was typed O1 while O1 was its smallest
category, with nothing to say why)."""

from __future__ import annotations

import numpy as np
import pytest

from ronghe.diagnosis import OBSTACLES, diagnoses, distribution, obstacle_shares


def test_factor_is_the_share_over_the_year_mean(plain):
    year = 2023
    table = diagnoses(plain, year)
    shares = obstacle_shares(plain, year)
    mean = shares[[f"share_{c}" for c in OBSTACLES]].mean()
    for _, row in table.sample(40, random_state=0).iterrows():
        s = shares.set_index("region").loc[row["region"]]
        lq = np.array([s[f"share_{c}"] / mean[f"share_{c}"] for c in OBSTACLES])
        if row["obstacle_type"] == "balanced":
            assert lq.max() < 1.1 + 1e-12 and row["type_factor"] == pytest.approx(lq.max())
        else:
            assert row["type_factor"] == pytest.approx(lq.max()) and lq.max() >= 1.1


def test_reason_names_the_largest_category_when_it_differs(plain):
    year = 2023
    table = diagnoses(plain, year)
    kb_type = {"O1": "awareness-lagging", "O2": "spatially-unbalanced", "O3": "service-lagging",
               "O4": "factor-blocked"}
    differs = table[(table["obstacle_type"] != "balanced")
                    & (table["obstacle_type"] != table["obstacle"].map(kb_type))]
    assert len(differs) > 0  # the relative rule does type regions off their largest category
    for code in differs["region"].head(5):
        d = plain.diagnose(code, year)
        assert d.largest_category != d.type_category
        assert f"{d.largest_category}（" in d.type_reason_zh and "相对规则" in d.type_reason_zh
        assert f"largest category in absolute terms is {d.largest_category}" in d.type_reason_en
        assert f"{d.type_factor:.2f}" in d.type_reason_en
        assert d.type_reason_zh in d.to_text("zh")


def test_distribution_sums_to_one(plain):
    dist = distribution(plain, 2023)
    for name in ("first_obstacles", "largest_categories", "types"):
        assert dist[name]["share"].sum() == pytest.approx(1.0)
        assert dist[name]["regions"].sum() == (plain.index["year"] == 2023).sum()

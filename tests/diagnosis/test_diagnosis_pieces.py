"""The pieces of a diagnosis against independent computations (scipy, sets, hand-worked)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import linregress, percentileofscore

from ronghe.diagnosis import OBSTACLES, percentile, trend
from ronghe.knowledge import load_knowledge

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)


def test_percentile_hand_worked():
    # z = [0.1, 0.5, 0.5, 0.9]: the first 0.5 has 1 worse and 2 tied -> (1 + 2/2) / 4 = 50
    z = np.array([0.1, 0.5, 0.5, 0.9])
    assert percentile(z, 1) == 50.0
    assert percentile(z, 0) == 12.5  # (0 + 1/2) / 4
    assert percentile(z, 3) == 87.5


@given(arrays(float, st.integers(1, 40), elements=st.integers(0, 8).map(lambda v: v / 8)),
       st.data())
def test_percentile_equals_scipy_mean_kind(z, data):
    i = data.draw(st.integers(0, z.size - 1))
    assert percentile(z, i) == pytest.approx(percentileofscore(z, z[i], kind="mean"))


def test_trend_hand_worked():
    # values 10, 12, 14 over 2019-2021: slope +2 a year; better for "+", worse for "-"
    years = np.array([2019, 2020, 2021])
    v = np.array([10.0, 12.0, 14.0])
    up = trend(years, v, "+")
    assert (up.first_year, up.last_year, up.points, up.slope, up.status) == (
        2019, 2021, 3, 2.0, "improving")
    assert trend(years, v, "-").status == "worsening"
    # target 13: distances 3, 1, 1 -> goodness -3, -1, -1, slope +1: improving
    assert trend(years, v, 13.0).status == "improving"
    # target 10: distances 0, 2, 4 -> worsening
    assert trend(years, v, 10.0).status == "worsening"
    assert trend(years, np.array([5.0, 5.0, 5.0]), "+").status == "flat"
    assert trend(years, np.array([5.0, np.nan, 5.0]), "+") is None  # two points are too few


@given(st.lists(finite, min_size=3, max_size=6), st.sampled_from(["+", "-"]))
def test_trend_slope_equals_linregress(values, direction):
    v = np.array(values)
    years = np.arange(2018, 2018 + v.size)
    t = trend(years, v, direction)
    ref = linregress(years, v).slope
    assert t.slope == pytest.approx(ref, rel=1e-9, abs=1e-6)
    if t.status != "flat":
        rising = t.slope > 0
        assert (t.status == "improving") == (rising if direction == "+" else not rising)


def test_route_scores_equal_set_based_evidence(planted):
    """Score = obstacle degree of the union of the route's evidence, recomputed with sets."""
    res = planted.result
    s, fw, kb = res.state, res.framework, load_knowledge()
    for region, year in ((planted.target, 2023), ("330102", 2019), ("341523", 2021)):
        d = res.diagnose(region, year)
        row = int(np.flatnonzero((s.regions == region) & (s.years == year))[0])
        O = dict(zip(s.indicator_ids, s.O[row], strict=True))
        top = [b.indicator for b in d.blockers]
        assert top == sorted(O, key=lambda i: -O[i])[: len(top)]
        for rec in d.paths + d.mechanisms:
            route = kb.route(rec.route)
            evidence = set()
            if route.kind == "path":
                evidence |= {i.id for i in fw.indicators if set(i.tags.obstacle) & set(route.obstacles)}
            for ind in fw.indicators:
                tags = {*ind.tags.pillar, *ind.tags.mechanism, *ind.tags.value, *ind.tags.obstacle,
                        *ind.tags.subsystem}
                if ind.id in top and (tags & set(route.triggers.tags)
                                      or ind.id in route.triggers.indicators):
                    evidence.add(ind.id)
            assert rec.score == pytest.approx(sum(O[i] for i in evidence), abs=1e-11)
        scores = [r.score for r in d.paths]
        assert scores == sorted(scores, reverse=True)
        assert {r.route for r in d.paths} <= {"R1", "R2", "R3", "R4"}


def test_categories_and_type_follow_the_obstacle_table(planted):
    res = planted.result
    d = res.diagnose("330102", 2020)
    cat = res.obstacles["category"].loc[("330102", 2020)]
    degrees = {c.id: c.degree for c in d.categories}
    assert degrees == pytest.approx({c: float(cat.get(c, 0.0)) for c in OBSTACLES})
    assert sum(c.share for c in d.categories) == pytest.approx(1.0)
    assert sum(degrees.values()) + d.untagged == pytest.approx(1.0)
    typed = res.typology(2020).set_index("region")
    assert d.type == typed.loc["330102", "obstacle_type"]
    assert [x.degree for x in d.dimensions] == sorted((x.degree for x in d.dimensions),
                                                       reverse=True)
    assert sum(x.degree for x in d.dimensions) == pytest.approx(1.0)


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_single_diagnosis_agrees_with_the_table(plain, data):
    table = plain.diagnoses()
    i = data.draw(st.integers(0, len(table) - 1))
    row = table.iloc[i]
    d = plain.diagnose(row["region"], int(row["year"]))
    assert [b.indicator for b in d.blockers[:3]] == [row["top1"], row["top2"], row["top3"]]
    assert d.blockers[0].degree == pytest.approx(row["top1_degree"])
    assert d.categories[0].id == row["obstacle"]
    assert d.categories[0].share == pytest.approx(row["obstacle_share"])
    assert d.type == row["obstacle_type"]
    assert d.paths[0].route == row["path"]
    assert d.paths[0].score == pytest.approx(row["path_score"])
    s = plain.state
    year_rows = s.years == int(row["year"])
    home = year_rows & (s.panel.regions["province"].reindex(s.regions).to_numpy()
                        == d.province)
    own = np.flatnonzero(year_rows & (s.regions == row["region"]))[0]
    for b in d.blockers:
        j = s.indicator_ids.index(b.indicator)
        assert b.percentile == pytest.approx(
            percentileofscore(s.Z[year_rows, j], s.Z[own, j], kind="mean"))
        assert b.province_percentile == pytest.approx(
            percentileofscore(s.Z[home, j], s.Z[own, j], kind="mean"))
    for p in d.peers:
        assert p.improvement > 0
    scopes = [p.scope for p in d.peers]
    assert scopes == sorted(scopes, key=["province", "national"].index)


def test_missing_raw_value_is_reported_as_imputed(plain):
    s = plain.state
    top1 = np.argmax(s.O, axis=1)
    rows = np.flatnonzero(np.isnan(s.raw[np.arange(len(top1)), top1]))
    assert rows.size  # the default synthetic panel has missing cells
    r = int(rows[0])
    d = plain.diagnose(s.regions[r], int(s.years[r]))
    assert d.blockers[0].value is None
    assert "缺失（已插补）" in d.to_text() and "missing (imputed)" in d.to_text("en")
    assert d.to_dict()["blockers"][0]["value"] is None

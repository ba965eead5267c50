"""Geographical detector against the published neural-tube-defects figures (TESTING.md), PyPI
`geodetector`, scipy and mapclassify; hypothesis properties of q."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods.geodetector import (
    INTERACTION_TYPES,
    ecological_detector,
    factor_detector,
    factor_detector_many,
    interaction_detector,
    optimal_discretization,
    risk_detector,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "disease.csv"
# column names in disease.csv: type = soil type, region = watershed, level = elevation
Q = {"region": 0.6377736701, "level": 0.6067087097, "type": 0.3857168428}
P_POPULATION = {"region": 0.000128803, "level": 0.043382244, "type": 0.372145486}
P_SAMPLE = {"region": 0.0001169904, "level": 0.0408040679, "type": 0.3632362881}
Q12_DROP = {("type", "region"): 0.7231835615, ("type", "level"): 0.6629798049,
            ("region", "level"): 0.7102780883}
Q12_KEEP = {("type", "region"): 0.7356805481, ("type", "level"): 0.6635236983,
            ("region", "level"): 0.7135967785}


@pytest.fixture(scope="module")
def disease() -> pd.DataFrame:
    return pd.read_csv(DATA, encoding="utf-8-sig")


def test_factor_detector_published(disease):
    y = disease["incidence"].to_numpy()
    for name, q in Q.items():
        pop = factor_detector(y, disease[name].to_numpy())
        smp = factor_detector(y, disease[name].to_numpy(), variance="sample")
        assert pop.q == pytest.approx(q, abs=5e-11)
        assert smp.q == pop.q
        assert pop.p_value == pytest.approx(P_POPULATION[name], abs=1e-8)
        assert smp.p_value == pytest.approx(P_SAMPLE[name], abs=1e-9)
        assert pop.variance == "population" and pop.n == 185


def test_interaction_detector_published(disease):
    y = disease["incidence"].to_numpy()
    for (a, b), q12 in Q12_KEEP.items():
        keep = interaction_detector(y, disease[a].to_numpy(), disease[b].to_numpy())
        drop = interaction_detector(y, disease[a].to_numpy(), disease[b].to_numpy(),
                                    singletons="drop")
        assert keep.q12 == pytest.approx(q12, abs=5e-11)
        assert drop.q12 == pytest.approx(Q12_DROP[(a, b)], abs=5e-11)
        assert keep.q1 == pytest.approx(Q[a], abs=5e-11)
        assert keep.type == "bi-enhance" and keep.label_zh == "双因子增强"
    table = factor_detector_many(y, disease[["type", "region", "level"]].to_numpy())
    np.testing.assert_allclose(table.q, [Q["type"], Q["region"], Q["level"]], atol=5e-11)
    expected_p = [P_POPULATION[k] for k in ("type", "region", "level")]
    np.testing.assert_allclose(table.p_value, expected_p, atol=1e-8)
    assert table.interaction_q[0, 1] == pytest.approx(Q12_KEEP[("type", "region")], abs=5e-11)
    assert table.interaction_q[2, 1] == pytest.approx(Q12_KEEP[("region", "level")], abs=5e-11)
    assert (table.interaction_type[~np.eye(3, dtype=bool)] == 2).all()


def test_interaction_types_hand_made():
    # 2x2 design, two units per cell; labels a, b in {0, 1}
    a = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    b = np.array([0, 0, 1, 1, 0, 0, 1, 1])
    # y = a + b: cell means 0,1,1,2, no within-cell variance → q12 = 1;
    # SST = 8·0.5 = 4, SSB(a) = 8·0.25 = 2 → q(a) = q(b) = 0.5 = half, q1 + q2 = 1 → independent
    r = interaction_detector((a + b).astype(float), a, b)
    assert (r.q1, r.q2, r.q12, r.type) == (pytest.approx(0.5), pytest.approx(0.5), 1.0,
                                           "independent")
    # y = a XOR b: every margin has mean 0.5 → q(a) = q(b) = 0, cells explain all
    # → nonlinear-enhance
    r = interaction_detector((a ^ b).astype(float), a, b)
    assert r.q1 == pytest.approx(0) and r.q12 == 1.0 and r.type == "nonlinear-enhance"
    # x2 = x1: the crossing is x1 itself → q12 = q1 = q2 → uni-variable weaken
    y = np.array([1.0, 2, 3, 4, 6, 7, 8, 9])
    assert interaction_detector(y, a, a).type == "uni-weaken"
    # y = 0..5, a = 000111, b = 001122: SST = Σ(y - 2.5)² = 17.5
    # SSW(a) = 2 + 2 = 4 → q1 = 1 - 4/17.5; SSW(b) = 3·0.5 → q2 = 1 - 1.5/17.5
    # cells {0,1} {2} {3} {4,5}: SSW = 1 → q12 = 1 - 1/17.5; max < q12 < q1 + q2 → bi-enhance
    r = interaction_detector(np.arange(6.0), [0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])
    assert (r.q1, r.q2, r.q12) == pytest.approx((1 - 4 / 17.5, 1 - 1.5 / 17.5, 1 - 1 / 17.5))
    assert r.type == "bi-enhance"
    # dropping single-unit strata: y = 0 3 3 0 3 3 1, mean 13/7, SST = 37 - 169/7 = 90/7
    # x1: {0,3} and {0,3,3,3,1}: SSW = 4.5 + 8 = 12.5 → q1 = 1 - 12.5·7/90 = 1/36
    # x2: {3,1} {0,3,3} {3,0}: SSW = 2 + 6 + 4.5 = 12.5 → q2 = 1/36
    # crossing: only cell (1,1) = {0,3,3} has 2+ units, one stratum left → q12 = 0 < min
    r = interaction_detector([0.0, 3, 3, 0, 3, 3, 1], [1, 1, 1, 0, 0, 1, 1],
                             [1, 2, 1, 2, 0, 1, 0], singletons="drop")
    assert (r.q1, r.q2, r.q12) == pytest.approx((1 / 36, 1 / 36, 0.0))
    assert r.type == "nonlinear-weaken" and r.label_zh == "非线性减弱"
    assert [c for c, _, _ in INTERACTION_TYPES] == ["nonlinear-weaken", "uni-weaken", "bi-enhance",
                                                    "independent", "nonlinear-enhance"]


def test_matches_pypi_geodetector_drop_convention():
    gd = pytest.importorskip("geodetector")
    rng = np.random.default_rng(11)
    for _ in range(5):
        x = rng.integers(0, 12, size=60)
        x[:3] = [20, 21, 22]  # single-unit strata
        y = rng.normal(size=60) + 0.3 * x
        ours = factor_detector(y, x, singletons="drop")
        assert ours.q == pytest.approx(gd.q_statistic(y, x), rel=1e-12)
        assert ours.p_value == pytest.approx(gd._stats.q_significance_test(y, x), rel=1e-9,
                                             abs=1e-15)


def test_many_equals_single_calls():
    rng = np.random.default_rng(5)
    X = rng.integers(0, 5, size=(300, 4))
    X[:, 3] = rng.integers(0, 40, size=300)  # many strata → singletons in crossings
    y = X @ np.array([1.0, 0.5, 0.0, 0.02]) + rng.normal(size=300)
    for singletons in ("keep", "drop"):
        for variance in ("population", "sample"):
            t = factor_detector_many(y, X, variance=variance, singletons=singletons)
            for i in range(4):
                single = factor_detector(y, X[:, i], variance=variance, singletons=singletons)
                assert t.q[i] == pytest.approx(single.q, rel=1e-12)
                assert t.p_value[i] == pytest.approx(single.p_value, rel=1e-9, abs=1e-300)
                for j in range(i + 1, 4):
                    pair = interaction_detector(y, X[:, i], X[:, j], singletons=singletons)
                    assert t.interaction_q[i, j] == pytest.approx(pair.q12, rel=1e-12)
                    assert t.interaction_type[j, i] == pair.code


def test_risk_detector_matches_scipy_welch(disease):
    y = disease["incidence"].to_numpy()
    x = disease["type"].to_numpy()
    r = risk_detector(y, x)
    assert r.strata == (1, 2, 3, 5, 7)
    for i, si in enumerate(r.strata):
        assert r.means[i] == pytest.approx(y[x == si].mean())
        for j, sj in enumerate(r.strata):
            if i == j:
                assert not r.tested[i, j]
                continue
            ref = stats.ttest_ind(y[x == si], y[x == sj], equal_var=False)
            assert r.t[i, j] == pytest.approx(ref.statistic, rel=1e-12)
            assert r.p_value[i, j] == pytest.approx(ref.pvalue, rel=1e-9)
            assert r.df[i, j] == pytest.approx(ref.df, rel=1e-12)
            assert r.significant[i, j] == (ref.pvalue < 0.05)


def test_risk_detector_warns_on_untestable_pairs():
    with pytest.warns(RongheWarning, match="not tested"):
        r = risk_detector([1.0, 2.0, 3.0, 4.0, 9.0], ["a", "a", "b", "b", "c"])
    assert r.tested[0, 1] and not r.tested[0, 2] and np.isnan(r.p_value[0, 2])


def test_ecological_detector(disease):
    y = disease["incidence"].to_numpy()
    r = ecological_detector(y, disease["type"].to_numpy(), disease["region"].to_numpy())
    # F = SSW(type)/SSW(region) = (1 - q_type)/(1 - q_region)
    assert r.f_stat == pytest.approx((1 - Q["type"]) / (1 - Q["region"]), rel=1e-9)
    assert r.p_value == pytest.approx(stats.f.sf(r.f_stat, 184, 184), rel=1e-12)
    assert r.significant
    gd = pytest.importorskip("geodetector")
    ref = gd.EcologicalDetector().fit(disease[["type", "region"]], y).eco_result_.iloc[0]
    assert r.f_stat == pytest.approx(ref["f_stat"], rel=1e-9)
    assert r.p_value == pytest.approx(ref["p_value"] / 2, rel=1e-9)  # theirs is two-sided


def test_optimal_discretization_against_mapclassify():
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(2)
    x = rng.lognormal(size=200)
    y = np.sqrt(x) + rng.normal(scale=0.2, size=200)
    r = optimal_discretization(y, x)
    assert r.table.shape == (5, 6)
    assert r.q == np.nanmax(r.table)
    assert r.q == pytest.approx(factor_detector(y, r.strata).q, rel=1e-12)
    # quantile, k = 4 via mapclassify's own class labels
    yb = mapclassify.Quantiles(x, k=4).yb
    assert r.table[2, 1] == pytest.approx(factor_detector(y, yb).q, rel=1e-12)
    yb = mapclassify.FisherJenks(x, k=6).yb
    assert r.table[1, 3] == pytest.approx(factor_detector(y, yb).q, rel=1e-12)
    # geometric, k = 3: breaks min·r, min·r², max with r = (max/min)^(1/3)
    ratio = (x.max() / x.min()) ** (1 / 3)
    cls = np.digitize(x, [x.min() * ratio, x.min() * ratio**2], right=True)
    assert r.table[3, 0] == pytest.approx(factor_detector(y, cls).q, rel=1e-12)
    # sd, k = 3: breaks at mean ± 0.5 sd
    m, s = x.mean(), x.std(ddof=1)
    cls = np.digitize(x, [m - 0.5 * s, m + 0.5 * s], right=True)
    assert r.table[4, 0] == pytest.approx(factor_detector(y, cls).q, rel=1e-12)


def test_optimal_discretization_skips_geometric_for_non_positive_x():
    x = np.linspace(-1, 1, 50)
    with pytest.warns(RongheWarning, match="geometric"):
        r = optimal_discretization(x**2, x, k_range=[3, 4])
    assert np.isnan(r.table[3]).all() and r.method != "geometric"


@settings(max_examples=80, deadline=None)
@given(st.integers(4, 40).flatmap(lambda n: st.tuples(
    st.lists(st.integers(-1000, 1000), min_size=n, max_size=n),
    st.lists(st.integers(0, 4), min_size=n, max_size=n),
    st.lists(st.integers(0, 3), min_size=n, max_size=n))),
    st.floats(1e-3, 1e3), st.floats(-1e3, 1e3))
def test_q_properties(sample, scale, shift):
    y, a, b = (np.array(v) for v in sample)
    y = y.astype(float)
    if np.ptp(y) == 0:
        with pytest.raises(MethodError, match="constant"):
            interaction_detector(y, a, b)
        return
    r = interaction_detector(y, a, b)
    for q in (r.q1, r.q2, r.q12):
        assert 0.0 <= q <= 1.0
    assert r.q12 >= max(r.q1, r.q2) - 1e-12  # keeping all units, crossing only refines strata
    again = interaction_detector(y * scale + shift, a, b)
    assert again.q12 == pytest.approx(r.q12, abs=1e-8)
    assert again.q1 == pytest.approx(r.q1, abs=1e-8)
    means = pd.Series(y).groupby(a).transform("mean").to_numpy()
    assert r.q1 == pytest.approx(1 - ((y - means) ** 2).sum() / ((y - y.mean()) ** 2).sum(),
                                 abs=1e-9)


def test_bad_input():
    with pytest.raises(MethodError, match="constant"):
        factor_detector([1.0, 1.0, 1.0], [0, 1, 1])
    with pytest.raises(MethodError, match="single stratum"):
        factor_detector([1.0, 2.0, 3.0], [0, 0, 0])
    with pytest.raises(MethodError, match="missing"):
        factor_detector([1.0, 2.0, 3.0], [0, np.nan, 1])
    with pytest.raises(MethodError, match="one stratum label per unit"):
        factor_detector([1.0, 2.0, 3.0], [0, 1])
    with pytest.raises(MethodError, match="variance"):
        factor_detector([1.0, 2.0, 3.0, 4.0], [0, 0, 1, 1], variance="unbiased")
    with pytest.raises(MethodError, match="unknown"):
        optimal_discretization([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], methods=["jenks"])


def test_many_names_the_failing_column():
    X = np.column_stack([[0, 0, 1, 1], [0, 0, 0, 0]])
    with pytest.raises(MethodError, match="X column 1: the factor has a single stratum"):
        factor_detector_many([1.0, 2.0, 3.0, 4.0], X)
    X = np.column_stack([[0, 1, 2, 3], [0, 0, 1, 1]])
    with pytest.raises(MethodError, match="X column 0: fewer than 2 units"):
        factor_detector_many([1.0, 2.0, 3.0, 4.0], X, singletons="drop")

"""Gini, coefficient of variation and Theil T/L against PyPI `inequality` and hand-worked values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import MethodError
from ronghe.methods.inequality import coefficient_of_variation, gini, theil

inequality = pytest.importorskip("inequality")
libpysal = pytest.importorskip("libpysal")
from inequality.gini import Gini  # noqa: E402
from inequality.theil import Theil, TheilD  # noqa: E402

positive = st.lists(st.floats(1e-3, 1e4), min_size=2, max_size=60)


def _mexico() -> pd.DataFrame:
    # libpysal ships this example inside the wheel (libpysal/examples/mexico/): no download.
    from libpysal.examples import get_path

    return pd.read_csv(get_path("mexico.csv"))


def test_gini_hand_worked():
    # {1, 2, 3, 4}: Σ_i Σ_j |yi - yj| = 2·(1+2+3+1+2+1) = 20; G = 20 / (2·4²·2.5) = 0.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25, abs=1e-15)
    assert gini([5, 5, 5]) == 0.0
    # one unit holds everything: G = (n - 1)/n
    assert gini([0, 0, 0, 7]) == pytest.approx(0.75)


def test_gini_matches_inequality_package():
    rng = np.random.default_rng(3)
    for y in (rng.lognormal(size=500), rng.uniform(0, 1, 37), _mexico()["pcgdp1940"].to_numpy()):
        assert gini(y) == pytest.approx(Gini(y).g, rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(positive, st.floats(1e-3, 1e3))
def test_gini_properties(values, scale):
    y = np.array(values)
    g = gini(y)
    assert 0.0 <= g <= 1.0
    assert gini(y * scale) == pytest.approx(g, rel=1e-9, abs=1e-15)
    naive = np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())
    assert g == pytest.approx(naive, rel=1e-9, abs=1e-15)


def test_coefficient_of_variation():
    # {2, 4, 6}: mean 4, Σ(y-μ)² = 8; population sd √(8/3), sample sd √(8/2) = 2
    assert coefficient_of_variation([2, 4, 6]) == pytest.approx(math.sqrt(8 / 3) / 4)
    assert coefficient_of_variation([2, 4, 6], ddof=1) == pytest.approx(0.5)
    with pytest.raises(MethodError, match="positive mean"):
        coefficient_of_variation([-1, 0, 1])
    with pytest.raises(MethodError, match="ddof"):
        coefficient_of_variation([3], ddof=1)


def test_theil_t_matches_theild_on_mexico():
    df = _mexico()
    regions = df["hanson98"].to_numpy()
    for year in range(1940, 2010, 10):
        y = df[f"pcgdp{year}"].to_numpy()
        ref = TheilD(y, regions)
        ours = theil(y, regions, kind="T")
        assert ours.total == pytest.approx(float(np.squeeze(ref.T)), rel=1e-10)
        assert ours.between == pytest.approx(float(np.squeeze(ref.bg)), rel=1e-10)
        assert ours.within == pytest.approx(float(np.squeeze(ref.wg)), rel=1e-10)
        assert theil(y).total == pytest.approx(float(np.squeeze(Theil(y).T)), rel=1e-10)
    # the published figures in TheilD's docstring (1940): bg 0.0345889, wg 0.17435454
    y40 = df["pcgdp1940"].to_numpy()
    assert theil(y40, regions).between == pytest.approx(0.0345889, abs=5e-8)
    assert theil(y40, regions).within == pytest.approx(0.17435454, abs=5e-9)


def test_theil_l_hand_worked():
    # y = {1, 2, 3, 4}, groups {1, 2} and {3, 4}; μ = 2.5, p = (.5, .5), s = (.3, .7)
    # L = mean ln(μ/y) = ln 2.5 - ln(24)/4
    # L_1 = ln 1.5 - ln(2)/2, L_2 = ln 3.5 - ln(12)/2; between = .5 ln(.5/.3) + .5 ln(.5/.7)
    r = theil([1, 2, 3, 4], [0, 0, 1, 1], kind="L")
    assert r.total == pytest.approx(math.log(2.5) - math.log(24) / 4)
    np.testing.assert_allclose(r.group_index, [math.log(1.5) - math.log(2) / 2,
                                               math.log(3.5) - math.log(12) / 2])
    assert r.between == pytest.approx(0.5 * math.log(0.5 / 0.3) + 0.5 * math.log(0.5 / 0.7))
    np.testing.assert_allclose(r.weights, [0.5, 0.5])
    t = theil([1, 2, 3, 4], [0, 0, 1, 1], kind="T")
    np.testing.assert_allclose(t.weights, [0.3, 0.7])
    assert t.between == pytest.approx(0.3 * math.log(0.3 / 0.5) + 0.7 * math.log(0.7 / 0.5))


@settings(max_examples=100, deadline=None)
@given(positive.flatmap(lambda v: st.tuples(
    st.just(v), st.lists(st.integers(0, 3), min_size=len(v), max_size=len(v)))),
    st.floats(1e-3, 1e3), st.sampled_from(["T", "L"]))
def test_theil_properties(sample, scale, kind):
    y, g = np.array(sample[0]), np.array(sample[1])
    r = theil(y, g, kind=kind)
    direct = (np.mean(y / y.mean() * np.log(y / y.mean())) if kind == "T"
              else np.mean(np.log(y.mean() / y)))
    assert r.total == pytest.approx(direct, rel=1e-9, abs=1e-12)
    assert r.within >= -1e-12 and r.between >= -1e-12
    assert theil(y * scale, g, kind=kind).total == pytest.approx(r.total, rel=1e-8, abs=1e-12)
    whole = theil(y, kind=kind)
    assert whole.between == 0.0 and whole.within == pytest.approx(r.total, rel=1e-9, abs=1e-12)


def test_theil_bad_input():
    with pytest.raises(MethodError, match="strictly positive"):
        theil([1.0, 0.0, 2.0])
    with pytest.raises(MethodError, match="kind"):
        theil([1.0, 2.0], kind="X")
    with pytest.raises(MethodError, match="missing"):
        theil([1.0, float("nan")])

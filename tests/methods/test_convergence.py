"""σ- and β-convergence against hand-worked panels, scipy and statsmodels OLS."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import MethodError
from ronghe.methods.convergence import beta_convergence, sigma_convergence

sm = pytest.importorskip("statsmodels.api")


def _panel(seed: int, n: int = 40, T: int = 8):
    rng = np.random.default_rng(seed)
    logs = np.empty((n, T))
    logs[:, 0] = rng.normal(1.0, 0.5, n)
    region = rng.normal(0, 0.02, n)
    year = rng.normal(0, 0.01, T)
    for t in range(1, T):
        logs[:, t] = logs[:, t - 1] + 0.06 - 0.03 * logs[:, t - 1] + region + year[t] + \
            rng.normal(0, 0.02, n)
    return np.exp(logs), np.arange(2010, 2010 + T), rng


def test_sigma_hand_worked():
    # two regions: ln y = (0, ln 2, ln 4) and (ln 4)·3; population sd of two values = |a - b|/2
    # σ = (ln 4/2, ln 2/2, 0) = (ln 2, ln 2/2, 0): exactly linear, slope -ln 2/2 per year
    Y = np.array([[1.0, 2.0, 4.0], [4.0, 4.0, 4.0]])
    r = sigma_convergence(Y, [2000, 2001, 2002])
    np.testing.assert_allclose(r.sigma, [math.log(2), math.log(2) / 2, 0.0], atol=1e-15)
    assert r.slope == pytest.approx(-math.log(2) / 2)
    assert r.r_squared == pytest.approx(1.0)
    # CV (population): year 0: mean 2.5, sd 1.5 → 0.6; year 2: 0
    assert r.cv[0] == pytest.approx(0.6) and r.cv[2] == 0.0


def test_sigma_trend_matches_statsmodels():
    Y, years, _ = _panel(1)
    r = sigma_convergence(Y, years, ddof=1)
    np.testing.assert_allclose(r.sigma, np.log(Y).std(axis=0, ddof=1))
    fit = sm.OLS(r.sigma, sm.add_constant(years.astype(float))).fit()
    assert r.slope == pytest.approx(fit.params[1], rel=1e-9)
    assert r.p_value == pytest.approx(fit.pvalues[1], rel=1e-7)
    assert r.slope_std_error == pytest.approx(fit.bse[1], rel=1e-9)
    assert r.slope < 0  # the simulated panel converges


def test_beta_hand_worked_speed():
    # ln y0 = (0, 1, 2); growth g = 0.05 - 0.02 ln y0 = (.05, .03, .01) per year over τ = 10
    # → β = -0.02 exactly; λ = -ln(1 - 0.2)/10; half-life = ln 2 / λ
    y0 = np.exp([0.0, 1.0, 2.0])
    g = 0.05 - 0.02 * np.log(y0)
    r = beta_convergence(np.column_stack([y0, y0 * np.exp(10 * g)]), [2000, 2010])
    assert r.beta == pytest.approx(-0.02)
    assert r.speed == pytest.approx(-math.log(0.8) / 10)
    assert r.half_life == pytest.approx(math.log(2) / (-math.log(0.8) / 10))
    assert r.r_squared == pytest.approx(1.0)
    assert r.interval == 10.0 and r.names == ("const", "beta")
    # divergence: g = 0.01 + 0.02 ln y0 → β = +0.02, λ = -ln 1.2 / 10 < 0, no half-life
    r = beta_convergence(np.column_stack([y0, y0 * np.exp(10 * (0.01 + 0.02 * np.log(y0)))]),
                         [2000, 2010])
    assert r.beta == pytest.approx(0.02) and r.speed == pytest.approx(-math.log(1.2) / 10)
    assert r.half_life is None
    # 1 + βτ ≤ 0 (β = -0.2 over τ = 10): the speed is undefined
    r = beta_convergence(np.column_stack([y0, y0 * np.exp(10 * (0.5 - 0.2 * np.log(y0)))]),
                         [2000, 2010])
    assert r.beta == pytest.approx(-0.2) and r.speed is None and r.half_life is None


def test_beta_cross_section_matches_statsmodels():
    Y, years, rng = _panel(2)
    growth = (np.log(Y[:, -1]) - np.log(Y[:, 0])) / (years[-1] - years[0])
    z = rng.normal(size=(Y.shape[0], 2))
    for controls in (None, z):
        X = np.log(Y[:, 0])[:, None] if controls is None else np.column_stack([np.log(Y[:, 0]), z])
        ref = sm.OLS(growth, sm.add_constant(X)).fit()
        r = beta_convergence(Y, years, controls=controls)
        np.testing.assert_allclose(r.coefficients, ref.params, rtol=1e-9)
        np.testing.assert_allclose(r.std_errors, ref.bse, rtol=1e-9)
        np.testing.assert_allclose(r.t_values, ref.tvalues, rtol=1e-9)
        np.testing.assert_allclose(r.p_values, ref.pvalues, rtol=1e-7)
        assert r.r_squared == pytest.approx(ref.rsquared, rel=1e-9)
        assert r.df_resid == ref.df_resid
    assert r.beta < 0 and r.half_life is not None


def test_beta_panel_pooled_and_two_way_fe_match_statsmodels_dummies():
    Y, years, rng = _panel(3, n=25, T=6)
    n, T = Y.shape
    logs = np.log(Y)
    g = np.diff(logs, axis=1).ravel()
    lvl = logs[:, :-1].ravel()
    z = rng.normal(size=(n, T))
    zl = z[:, :-1].ravel()
    pooled = sm.OLS(g, sm.add_constant(np.column_stack([lvl, zl]))).fit()
    r = beta_convergence(Y, years, controls=z, form="panel")
    np.testing.assert_allclose(r.coefficients, pooled.params, rtol=1e-9)
    np.testing.assert_allclose(r.std_errors, pooled.bse, rtol=1e-9)
    assert r.speed == pytest.approx(-math.log(1 + r.beta))
    # two-way fixed effects = OLS with region and year dummies (LSDV)
    region = np.repeat(np.arange(n), T - 1)
    period = np.tile(np.arange(T - 1), n)
    dummies = np.column_stack([np.ones(g.size), lvl, zl,
                               (region[:, None] == np.arange(1, n)).astype(float),
                               (period[:, None] == np.arange(1, T - 1)).astype(float)])
    lsdv = sm.OLS(g, dummies).fit()
    fe = beta_convergence(Y, years, controls=z, fixed_effects=True, form="panel")
    assert fe.names == ("beta", "control_0")
    np.testing.assert_allclose(fe.coefficients, lsdv.params[1:3], rtol=1e-8)
    np.testing.assert_allclose(fe.std_errors, lsdv.bse[1:3], rtol=1e-8)
    np.testing.assert_allclose(fe.p_values, lsdv.pvalues[1:3], rtol=1e-6)
    assert fe.df_resid == lsdv.df_resid


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.01, 100))
def test_scale_invariance(seed, scale):
    Y, years, _ = _panel(seed, n=15, T=5)
    a, b = sigma_convergence(Y, years), sigma_convergence(Y * scale, years)
    np.testing.assert_allclose(b.sigma, a.sigma, atol=1e-12)
    np.testing.assert_allclose(b.cv, a.cv, rtol=1e-10)
    # rescaling y shifts ln y: β is unchanged, only the constant moves
    assert beta_convergence(Y * scale, years).beta == pytest.approx(
        beta_convergence(Y, years).beta, rel=1e-8, abs=1e-12)
    fe_a = beta_convergence(Y, years, fixed_effects=True, form="panel")
    fe_b = beta_convergence(Y * scale, years, fixed_effects=True, form="panel")
    assert fe_b.beta == pytest.approx(fe_a.beta, rel=1e-8, abs=1e-12)


def test_bad_input():
    Y = np.array([[1.0, 2.0, 3.0], [2.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    with pytest.raises(MethodError, match="region row 1, year 2001"):
        beta_convergence(Y, [2000, 2001, 2002])
    with pytest.raises(MethodError, match="strictly increasing"):
        sigma_convergence(np.ones((3, 3)), [2000, 2000, 2001])
    with pytest.raises(MethodError, match="form='panel'"):
        beta_convergence(np.ones((3, 3)) + np.eye(3), [1, 2, 3], fixed_effects=True)
    with pytest.raises(MethodError, match="equally spaced"):
        beta_convergence(np.ones((3, 3)) + np.eye(3), [1, 2, 4], form="panel")
    with pytest.raises(MethodError, match="collinear"):
        beta_convergence(np.ones((4, 2)) + np.eye(4, 2), [1, 2], controls=np.ones(4))
    with pytest.raises(MethodError, match="too few"):
        beta_convergence(np.array([[1.0, 2.0], [2.0, 3.0]]), [1, 2])

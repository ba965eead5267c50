"""GM(1,1), ETS and the hold-out choice between them (ronghe.methods.forecast)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods.forecast import (
    ets_forecast,
    gm11,
    gm11_many,
    level_ratio_bounds,
    posterior_grade,
    select_forecast,
)

# The textbook series of Liu Sifeng et al. (灰色系统理论及其应用), whose published fit is
# a = -0.0372, b = 3.0654.
TEXTBOOK = [2.874, 3.278, 3.337, 3.390, 3.679]


def test_gm11_hand_worked_normal_equations():
    x0 = TEXTBOOK
    # AGO: running sums
    x1 = [2.874, 6.152, 9.489, 12.879, 16.558]
    assert np.allclose(np.cumsum(x0), x1)
    # background values z_k = (x1_k + x1_{k-1}) / 2, k = 2..5
    z = [(6.152 + 2.874) / 2, (9.489 + 6.152) / 2, (12.879 + 9.489) / 2, (16.558 + 12.879) / 2]
    assert z == pytest.approx([4.513, 7.8205, 11.184, 14.7185])
    y = [3.278, 3.337, 3.390, 3.679]
    # normal equations of y = -a z + b:  [[sum z^2, -sum z], [-sum z, m]] [a, b] = [-sum zy, sum y]
    m = 4
    sz = 4.513 + 7.8205 + 11.184 + 14.7185  # 38.236
    szz = 4.513**2 + 7.8205**2 + 11.184**2 + 14.7185**2  # 423.2434875
    sy = 3.278 + 3.337 + 3.390 + 3.679  # 13.684
    szy = 4.513 * 3.278 + 7.8205 * 3.337 + 11.184 * 3.390 + 14.7185 * 3.679  # 132.953744
    assert (sz, szz, sy, szy) == pytest.approx((38.236, 423.2434875, 13.684, 132.953744))
    det = szz * m - sz * sz
    a = (sz * sy - m * szy) / det
    b = (szz * sy - sz * szy) / det
    assert (a, b) == pytest.approx((-0.0372044, 3.0653633), abs=1e-7)
    assert (round(a, 4), round(b, 4)) == (-0.0372, 3.0654)  # the published figures

    # time response x1hat(k+1) = (x0_1 - b/a) e^{-ak} + b/a, restored by differencing
    x1hat = [(x0[0] - b / a) * math.exp(-a * k) + b / a for k in range(7)]
    x0hat = [x1hat[0]] + [x1hat[k] - x1hat[k - 1] for k in range(1, 7)]

    r = gm11(x0, horizon=2)
    assert (r.a, r.b) == pytest.approx((a, b), rel=1e-12)
    assert r.fitted == pytest.approx(x0hat[:5], rel=1e-10)
    assert r.forecast == pytest.approx(x0hat[5:], rel=1e-10)
    assert r.shift == 0 and r.level_ratio_passed

    # posterior-error test over k = 2..5, population standard deviations
    e = [y[i] - x0hat[i + 1] for i in range(4)]
    s1 = statistics.pstdev(x0)
    s2 = statistics.pstdev(e)
    ebar = statistics.fmean(e)
    p = sum(abs(ei - ebar) < 0.6745 * s1 for ei in e) / 4
    assert r.residuals == pytest.approx(e)
    assert r.C == pytest.approx(s2 / s1) and r.C == pytest.approx(0.23755, abs=1e-5)
    assert r.P == p == 1.0
    assert r.grade == "good" and (r.grade_zh, r.grade_en) == ("好", "good")
    rel = [abs(ei) / yi for ei, yi in zip(e, y, strict=True)]
    assert r.relative_errors == pytest.approx(rel)
    assert r.mean_relative_error == pytest.approx(sum(rel) / 4)


def test_gm11_matches_least_squares_solver():
    rng = np.random.default_rng(11)
    x0 = 50 * np.exp(0.05 * np.arange(8)) + rng.normal(0, 1, 8)
    x1 = np.cumsum(x0)
    z = 0.5 * (x1[1:] + x1[:-1])
    (a, b), *_ = np.linalg.lstsq(np.column_stack([-z, np.ones(7)]), x0[1:], rcond=None)
    r = gm11(x0)
    assert (r.a, r.b) == pytest.approx((a, b), rel=1e-10)


def test_level_ratio_shift_hand_worked():
    x0 = [1.0, 10.0, 11.0, 12.0, 13.0]
    lo, hi = level_ratio_bounds(5)
    assert (lo, hi) == pytest.approx((math.exp(-1 / 3), math.exp(1 / 3)))
    assert not lo < 1 / 10 < hi  # sigma_2 = x0_1 / x0_2 = 0.1 fails
    # narrowed bounds |ln sigma| <= 0.99 * 2/6 = 0.33; each rising pair (p < q) needs
    # (p + c)/(q + c) >= l, i.e. c >= (l q - p)/(1 - l) with l = e^{-0.33}
    low = math.exp(-0.33)
    needs = [(low * q - p) / (1 - low) for p, q in [(1, 10), (10, 11), (11, 12), (12, 13)]]
    c = max(needs)  # the first pair binds: (7.18924 - 1) / 0.28108 = 22.0198
    assert c == pytest.approx(22.019779, abs=1e-5)
    with pytest.warns(RongheWarning, match="22.0198"):
        r = gm11(x0, horizon=1)
    assert r.shift == pytest.approx(c, rel=1e-12)
    assert not r.level_ratio_passed
    shifted = np.array(x0) + r.shift
    assert np.all((shifted[:-1] / shifted[1:] > lo) & (shifted[:-1] / shifted[1:] < hi))
    assert r.level_ratio == pytest.approx(shifted[:-1] / shifted[1:])
    # minimal: a slightly smaller shift leaves the first ratio outside the narrowed interval
    smaller = (1 + c - 1e-6) / (10 + c - 1e-6)
    assert math.log(smaller) < -0.33
    # fitted and forecast are back on the original scale
    assert r.fitted[0] == 1.0
    assert r.fitted[1:] == pytest.approx(x0[1:], abs=0.05)
    assert r.forecast[0] == pytest.approx(14, abs=0.2)


def test_nonpositive_series_is_shifted_positive():
    x0 = [-2.0, 0.0, 1.0, 3.0, 4.0]
    with pytest.warns(RongheWarning):
        r = gm11(x0, horizon=2)
    assert r.shift > 2
    assert np.all(np.array(x0) + r.shift > 0)
    lo, hi = r.ratio_bounds
    assert np.all((r.level_ratio > lo) & (r.level_ratio < hi))
    assert r.relative_to_shifted  # x0_2 = 0, so relative errors use the shifted series
    assert np.isfinite(r.relative_errors).all()


def test_constant_series():
    r = gm11([5.0, 5.0, 5.0, 5.0], horizon=3)
    assert r.a == 0 and r.b == pytest.approx(5)
    assert r.forecast == pytest.approx([5, 5, 5])
    assert (r.C, r.P, r.grade) == (0.0, 1.0, "good")
    with pytest.warns(RongheWarning):
        z = gm11([0.0, 0.0, 0.0, 0.0], horizon=2)
    assert z.shift == 1.0 and z.forecast == pytest.approx([0, 0])


@pytest.mark.parametrize(
    ("C", "P", "grade"),
    [
        (0.35, 0.95, "good"),
        (0.36, 0.99, "qualified"),
        (0.10, 0.94, "qualified"),
        (0.50, 0.80, "qualified"),
        (0.51, 0.80, "barely"),
        (0.30, 0.79, "barely"),
        (0.65, 0.70, "barely"),
        (0.66, 1.00, "unqualified"),
        (0.10, 0.69, "unqualified"),
    ],
)
def test_posterior_grade_limits(C, P, grade):
    assert posterior_grade(C, P) == grade


def test_c_and_p_by_hand_on_a_zigzag_series():
    x0 = [10.0, 11.0, 13.0, 12.0, 15.0, 14.0, 17.0]
    r = gm11(x0)
    e = [x0[k] - r.fitted[k] for k in range(1, 7)]
    s1 = statistics.pstdev(x0)
    ebar = statistics.fmean(e)
    within = [abs(ek - ebar) < 0.6745 * s1 for ek in e]
    assert r.C == pytest.approx(statistics.pstdev(e) / s1) and 0.35 < r.C <= 0.5
    assert r.P == sum(within) / 6 == 1.0
    # the 0.6745 S1 band matters here: a 0.5 S1 band would leave one residual out
    assert sum(abs(ek - ebar) < 0.5 * s1 for ek in e) == 5
    assert r.grade == "qualified" and r.grade_zh == "合格"


def test_poor_fit_is_unqualified():
    x0 = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0]
    r = gm11(x0)
    e = r.residuals
    s1 = statistics.pstdev(x0)
    assert r.C == pytest.approx(statistics.pstdev(e) / s1)
    assert r.C > 0.65 and r.grade == "unqualified" and r.grade_zh == "不合格"


def test_gm11_rejects_bad_input():
    with pytest.raises(MethodError, match="at least 4"):
        gm11([1.0, 2.0, 3.0])
    with pytest.raises(MethodError, match="not finite"):
        gm11([1.0, np.nan, 3.0, 4.0])
    with pytest.raises(MethodError, match="horizon"):
        gm11([1.0, 2.0, 3.0, 4.0], horizon=-1)
    with pytest.raises(MethodError, match="row 1"):
        gm11_many([[1.0, 2, 3, 4], [1.0, np.nan, 3, 4]])


def test_gm11_many_equals_row_by_row():
    rng = np.random.default_rng(5)
    Y = 10 * np.exp(rng.normal(0.03, 0.02, (40, 1)) * np.arange(10)) + rng.normal(0, 0.3, (40, 10))
    Y[3, 0] = 0.5  # fails the level-ratio check: shifted
    with pytest.warns(RongheWarning, match="1 series"):
        batch = gm11_many(Y, horizon=4)
    for i in range(Y.shape[0]):
        if i == 3:
            with pytest.warns(RongheWarning):
                one = gm11(Y[i], horizon=4)
        else:
            one = gm11(Y[i], horizon=4)
        assert batch.row(i).a == pytest.approx(one.a, rel=1e-12)
        assert batch.shift[i] == one.shift
        assert batch.forecast[i] == pytest.approx(one.forecast, rel=1e-12)
        assert (batch.C[i], batch.P[i], batch.grade[i]) == pytest.approx((one.C, one.P, one.grade))


positive_series = st.lists(st.floats(0.5, 100, allow_nan=False), min_size=4, max_size=12).map(
    np.array
)


@pytest.mark.filterwarnings("ignore::ronghe.errors.RongheWarning")
@settings(max_examples=60, deadline=None)
@given(positive_series, st.floats(0.01, 1000))
def test_gm11_scale_equivariant(x, s):
    with np.errstate(all="raise"):
        r1 = gm11_many(x[None, :], horizon=3)
        r2 = gm11_many(s * x[None, :], horizon=3)
    assert r2.a == pytest.approx(r1.a, rel=1e-6, abs=1e-9)
    assert r2.shift == pytest.approx(s * r1.shift, rel=1e-9, abs=1e-9)
    assert r2.forecast == pytest.approx(s * r1.forecast, rel=1e-6)
    assert r2.C == pytest.approx(r1.C, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-50, 50).map(lambda v: round(v, 3)), min_size=4, max_size=12).map(np.array)
)
def test_shifted_series_always_passes(x):
    batch = gm11_many(x[None, :], horizon=2) if _passes(x) else _quiet(x)
    lo, hi = batch.ratio_bounds
    shifted = x + batch.shift[0]
    assert np.all(shifted > 0)
    assert np.all((batch.level_ratio[0] > lo) & (batch.level_ratio[0] < hi))
    assert np.isfinite(batch.forecast).all() and np.isfinite(batch.C).all()


def _passes(x: np.ndarray) -> bool:
    lo, hi = level_ratio_bounds(x.shape[0])
    return bool(np.all(x > 0) and np.all((x[:-1] / x[1:] > lo) & (x[:-1] / x[1:] < hi)))


def _quiet(x: np.ndarray):
    with pytest.warns(RongheWarning):
        return gm11_many(x[None, :], horizon=2)


def test_ets_recovers_linear_trend():
    # seed 3: y = 10 + 2 t + N(0, 0.05^2), t = 0..14
    rng = np.random.default_rng(3)
    t = np.arange(15)
    y = 10 + 2 * t + rng.normal(0, 0.05, 15)
    r = ets_forecast(y, horizon=5)
    truth = 10 + 2 * np.arange(15, 20)
    assert r.forecast == pytest.approx(truth, abs=0.2)
    assert np.all((r.lower < truth) & (truth < r.upper))
    assert np.all(np.diff(r.upper - r.lower) >= 0)  # intervals widen with the horizon
    assert r.fitted.shape == (15,) and r.level == 0.95
    assert set(r.params) >= {"smoothing_level", "smoothing_trend"}


def test_ets_options_and_errors():
    y = [3.0, 3.5, 4.1, 4.4, 5.0, 5.6, 6.1]
    damped = ets_forecast(y, 3, damped=True)
    assert "damping_trend" in damped.params and damped.forecast.shape == (3,)
    level = ets_forecast(y, 2, trend=None)
    assert level.forecast[0] == pytest.approx(level.forecast[1])  # no trend: flat forecast
    assert ets_forecast(y, 0).forecast.shape == (0,)
    with pytest.raises(MethodError, match="at least 4"):
        ets_forecast([1.0, 2.0, 3.0], 2)
    with pytest.raises(MethodError, match="trend"):
        ets_forecast(y, 2, trend="mul")


def test_selection_picks_gm11_on_exponential_series():
    t = np.arange(10)
    y = 100 * 1.08**t
    s = select_forecast(y, 2014 + t, 2030)
    assert s.model == "gm11" and isinstance(s.detail.grade, str)
    assert s.years.tolist() == list(range(2024, 2031))
    assert s.forecast == pytest.approx(100 * 1.08 ** np.arange(10, 17), rel=0.01)
    assert np.isnan(s.lower).all() and not s.has_interval
    # reported errors are the hold-out errors of each model fitted on the first 8 points
    gm_pred = gm11(y[:8], 2).forecast
    assert s.holdout_errors["gm11"]["rmse"] == pytest.approx(
        math.sqrt(((y[8:] - gm_pred) ** 2).mean())
    )
    assert s.holdout_errors["gm11"]["mape"] == pytest.approx(
        100 * (abs(y[8:] - gm_pred) / y[8:]).mean()
    )
    assert s.holdout_errors["gm11"]["mape"] < s.holdout_errors["ets"]["mape"]
    table = s.table()
    assert list(table) == ["year", "forecast", "lower", "upper", "model"]
    assert set(table["model"]) == {"gm11"}


def test_selection_picks_ets_on_noisy_linear_series():
    # seed 0: y = 80 - 5 t + N(0, 0.5^2), t = 0..11; a falling straight line, which an
    # exponential curve bends away from (ETS won for each of seeds 0..29 when this was written)
    rng = np.random.default_rng(0)
    t = np.arange(12)
    y = 80 - 5 * t + rng.normal(0, 0.5, 12)
    s = select_forecast(y, 2012 + t, 2026, criterion="rmse")
    assert s.model == "ets" and s.has_interval
    assert s.holdout_errors["ets"]["rmse"] < s.holdout_errors["gm11"]["rmse"]
    truth = 80 - 5 * np.arange(12, 15)
    assert s.forecast == pytest.approx(truth, abs=2)
    assert np.all((s.lower < s.forecast) & (s.forecast < s.upper))


def test_selection_rejects_bad_input():
    y = np.arange(1.0, 9.0)
    years = np.arange(2015, 2023)
    with pytest.raises(MethodError, match="consecutive"):
        select_forecast(y, years * 2, 2030)
    with pytest.raises(MethodError, match="after the last year"):
        select_forecast(y, years, 2022)
    with pytest.raises(MethodError, match="needs at least 7"):
        select_forecast(y[:6], years[:6], 2030, holdout=3)
    with pytest.raises(MethodError, match="criterion"):
        select_forecast(y, years, 2030, criterion="mae")
    z = np.array([5.0, 6, 7, 8, 9, 10, 0, 12])
    with pytest.raises(MethodError, match="MAPE is undefined"), pytest.warns(RongheWarning):
        select_forecast(z, years, 2030)

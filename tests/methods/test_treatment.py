"""Imputation and outlier treatment on small arrays, with the arithmetic visible."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import kurtosis, skew

from ronghe.errors import MethodError
from ronghe.methods import impute_panel, treat_outliers
from ronghe.methods.treatment import _skew_kurt

nan = np.nan


def _panel():
    # regions A, B (parent P) and C, D (parent Q); years 2000, 2001, 2002, 2003.
    region = np.repeat(["A", "B", "C", "D"], 4)
    year = np.tile([2000, 2001, 2002, 2003], 4)
    parent = np.repeat(["P", "P", "Q", "Q"], 4)
    col0 = [1, nan, 3, nan, *[nan] * 8, 10, 10, 10, 10]
    col1 = [nan, 2, nan, 8, 1, 1, 1, 1, 5, 5, 5, 5, 7, 7, 7, 7]
    X = np.column_stack([col0, col1]).astype(float)
    return X, region, year, parent


def test_linear_then_parent_then_year_means():
    X, region, year, parent = _panel()
    # shuffle the rows: the result must not depend on row order
    perm = np.random.default_rng(0).permutation(X.shape[0])
    inv = np.argsort(perm)
    out, log = impute_panel(X[perm], region[perm], year[perm], parent[perm])
    out = out[inv]
    # col 0, A: 2001 = (1 + 3)/2 = 2 (linear); 2003 carries 3 from 2002
    np.testing.assert_allclose(out[0:4, 0], [1, 2, 3, 3])
    # B has nothing: parent P's mean per year = A's filled values
    np.testing.assert_allclose(out[4:8, 0], [1, 2, 3, 3])
    # C has nothing: parent Q's mean per year = D = 10
    np.testing.assert_allclose(out[8:12, 0], [10, 10, 10, 10])
    # col 1, A: 2000 carries 2 back; 2002 = 2 + (8 - 2) x 1/2 = 5
    np.testing.assert_allclose(out[0:4, 1], [2, 2, 5, 8])
    methods = {(int(perm[r]), int(c)): m for r, c, m, _ in log}
    assert methods[(1, 0)] == "linear" and methods[(3, 0)] == "carry"
    assert methods[(4, 0)] == "parent_mean" and methods[(8, 0)] == "parent_mean"
    assert methods[(0, 1)] == "carry" and methods[(2, 1)] == "linear"
    assert len(log) == int(np.isnan(X).sum())


def test_year_mean_without_parent_and_uneven_years():
    region = np.array(["A", "A", "A", "B", "B", "B"])
    year = np.array([2000, 2002, 2003, 2000, 2002, 2003])
    X = np.array([[1.0], [nan], [4.0], [nan], [nan], [nan]])
    out, log = impute_panel(X, region, year)
    # A 2002: 1 + (4 - 1) x (2002 - 2000)/(2003 - 2000) = 3
    # B: year means of A -> 1, 3, 4
    np.testing.assert_allclose(out[:, 0], [1, 3, 4, 1, 3, 4])
    assert list(log["method"]) == ["linear", "year_mean", "year_mean", "year_mean"]


def test_parent_mean_method_skips_interpolation():
    region = np.array(["A", "A", "B", "B"])
    year = np.array([2000, 2001, 2000, 2001])
    X = np.array([[1.0], [nan], [3.0], [5.0]])
    out, log = impute_panel(X, region, year, parent=["P", "P", "P", "P"], method="parent_mean")
    assert out[1, 0] == 5.0  # only B is observed in 2001
    assert log["method"][0] == "parent_mean"
    # 2001 has no value at all: each region takes its nearest observed year (A: 1.0, B: 3.0)
    out, log = impute_panel([[1.0], [nan], [3.0], [nan]], region, year, method="parent_mean")
    assert out[:, 0].tolist() == [1.0, 1.0, 3.0, 3.0]
    assert log["method"].tolist() == ["carry", "carry"]


def test_nearest_year_prefers_the_earlier_on_a_tie():
    region = np.array(["A"] * 3 + ["B"] * 3)
    year = np.array([2000, 2001, 2002] * 2)
    X = np.array([[1.0], [nan], [3.0], [4.0], [nan], [6.0]])
    out, _ = impute_panel(X, region, year, method="parent_mean")
    assert out[[1, 4], 0].tolist() == [1.0, 4.0]


def test_impute_errors():
    region, year = np.array(["A", "A"]), np.array([2000, 2000])
    with pytest.raises(MethodError, match="row 1 repeats"):
        impute_panel([[1.0], [2.0]], region, year)
    with pytest.raises(MethodError, match="column\\(s\\) 1"):
        impute_panel([[1.0, nan], [2.0, nan]], ["A", "A"], [2000, 2001])
    with pytest.raises(MethodError, match="method"):
        impute_panel([[1.0]], ["A"], [2000], method="knn")


def test_no_missing_returns_copy_and_empty_log():
    X = np.arange(6.0).reshape(3, 2)
    out, log = impute_panel(X, ["A", "A", "A"], [1, 2, 3])
    np.testing.assert_array_equal(out, X)
    assert log.size == 0 and log.dtype.names == ("row", "col", "method", "value")


def test_winsorises_one_point_like_coinr_example():
    # COINr's vignette vector: 1..10, 30, 100. skew = 3.06 >= 2 and kurtosis = 9.74 >= 3.5.
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    assert abs(skew(x, bias=False)) >= 2 and kurtosis(x, bias=False) >= 3.5
    X = np.column_stack([x, np.arange(12.0)])
    out, log = treat_outliers(X)
    # 100 takes the next-largest value 30; then skew = 1.71 < 2 passes
    np.testing.assert_array_equal(out[:, 0], np.r_[np.arange(1.0, 11.0), 30.0, 30.0])
    np.testing.assert_array_equal(out[:, 1], np.arange(12.0))
    assert log.tolist() == [(11, 0, "winsorised", 100.0, 30.0)]
    assert abs(skew(out[:, 0], bias=False)) < 2


def test_falls_back_to_log_after_five_winsorisations():
    # six distinct outliers: five steps leave six tied values at 1000, still outlying
    x = np.r_[np.arange(1.0, 95.0), 1000.0, 1001, 1002, 1003, 1004, 1005]
    out, log = treat_outliers(x[:, None])
    a = 0.01 * (1005 - 1)
    np.testing.assert_allclose(out[:, 0], np.log(x - 1 + a))
    assert set(log["action"]) == {"log"} and log.size == x.size
    # negative skew mirrors: -log(max + a - x)
    out_neg, _ = treat_outliers(-x[:, None])
    np.testing.assert_allclose(out_neg[:, 0], -np.log(-1 + a + x))


def test_nan_kept_and_short_or_flat_columns_untouched():
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0, nan]
    X = np.column_stack([x, np.full(13, 2.0), np.r_[1.0, 2.0, 100.0, [nan] * 10]])
    out, log = treat_outliers(X)
    assert np.isnan(out[12, 0]) and out[11, 0] == 30.0
    np.testing.assert_array_equal(out[:, 1:], X[:, 1:])
    assert list(log["col"]) == [0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False), min_size=4, max_size=50)
)
def test_skew_and_kurtosis_match_scipy_bias_corrected(values):
    v = np.array(values)
    assume(np.ptp(v) > 1e-6 * max(1.0, np.abs(v).max()))
    sk, ku = _skew_kurt(v)
    assert math.isclose(sk, skew(v, bias=False), rel_tol=1e-7, abs_tol=1e-7)
    assert math.isclose(ku, kurtosis(v, fisher=True, bias=False), rel_tol=1e-7, abs_tol=1e-7)


def _coinr_loop(x, skew_max=2.0, kurt_max=3.5, max_winsor=5):
    """The rule written plainly, with scipy's statistics and a pass over the column per step:
    (treated column, action, whether a statistic came within 1e-9 of a threshold)."""
    out = x.copy()
    keep = ~np.isnan(x)
    v = x[keep]
    near = False

    def outlying(w):
        nonlocal near
        if np.ptp(w) == 0:
            return False, 0.0
        sk, ku = skew(w, bias=False), kurtosis(w, bias=False)
        near |= abs(abs(sk) - skew_max) < 1e-9 or abs(ku - kurt_max) < 1e-9
        return abs(sk) >= skew_max and ku >= kurt_max, sk

    if v.size < 4 or np.ptp(v) == 0:
        return out, None, near
    hit, sk0 = outlying(v)
    if not hit:
        return out, None, near
    w, changed = v.copy(), np.zeros(v.size, bool)
    while changed.sum() < max_winsor:
        hit, sk_now = outlying(w)
        if not hit:
            break
        at = w == (w.max() if sk_now >= 0 else w.min())
        w[at] = w[~at].max() if sk_now >= 0 else w[~at].min()
        changed |= at
    if outlying(w)[0]:
        a = 0.01 * np.ptp(v)
        w = np.log(v - v.min() + a) if sk0 > 0 else -np.log(v.max() + a - v)
        action = "log"
    else:
        action = "winsorised"
    out[keep] = w
    return out, action, near


def _tied_column(rng, n):
    """Skewed values, either side, rounded so that the extremes repeat, with some gaps."""
    x = rng.lognormal(0, rng.uniform(0.5, 2.5), n) ** rng.integers(1, 4)
    x = np.round(x, int(rng.integers(0, 3)))
    if rng.random() < 0.5:
        x = -x
    if rng.random() < 0.3:
        x[rng.integers(0, n, n // 10)] = nan
    return x


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(4, 120), st.integers(0, 6))
def test_outlier_rule_equals_the_plain_loop(seed, n, max_winsor):
    # the rule finds each step's cells in a window of the column's extremes and updates the
    # moments from the changed cells; the plain loop re-reads the whole column every step
    rng = np.random.default_rng(seed)
    X = np.column_stack([_tied_column(rng, n) for _ in range(3)])
    got, log = treat_outliers(X, max_winsor=max_winsor)
    for j in range(X.shape[1]):
        want, action, near = _coinr_loop(X[:, j], max_winsor=max_winsor)
        assume(not near)
        np.testing.assert_array_equal(got[:, j], want)
        assert set(log["action"][log["col"] == j]) == ({action} if action else set())


@pytest.mark.parametrize("seed", range(6))
def test_outlier_rule_equals_the_plain_loop_on_long_columns(seed):
    # long enough for the block search of the extremes (more than 7 blocks of 4,096 values),
    # with ties at the extremes as wide as the window in some columns
    rng = np.random.default_rng(seed)
    X = np.column_stack([_tied_column(rng, 40_000) for _ in range(4)])
    X[:9, 1] = np.nanmax(X[:, 1])  # nine cells tied at the top
    X[-9:, 2] = np.nanmin(X[:, 2])  # and at the bottom
    got, _ = treat_outliers(X)
    for j in range(X.shape[1]):
        want, _, near = _coinr_loop(X[:, j])
        assert not near
        np.testing.assert_array_equal(got[:, j], want)


def _sides_and_cancellation():
    rng = np.random.default_rng(1)
    short = rng.normal(0, 1, 60)
    short[0], short[1:3] = 60, -12  # the top first, then the skew turns and the bottom follows
    long = rng.normal(0, 1, 40_000)
    long[0], long[1:4] = 600, -150
    dominated = np.r_[np.arange(1.0, 11.0), 1e8]  # one cell carries almost all of m2 and m4
    return [short, long, dominated, -dominated]


@pytest.mark.parametrize("x", _sides_and_cancellation(), ids=["turn", "turn-long", "big", "-big"])
def test_outlier_rule_equals_the_plain_loop_when_the_skew_turns_or_one_cell_dominates(x):
    got, _ = treat_outliers(x[:, None])
    want, action, near = _coinr_loop(x)
    assert action == "winsorised" and not near
    np.testing.assert_array_equal(got[:, 0], want)


def _impute_loop(x, region, year, parent, method):
    """The imputation rule for one column, region by region and year by year (plain loops)."""
    out = x.copy()
    step = {}
    regions = sorted(set(region))
    if method == "linear":
        for r in regions:
            rows = sorted(np.flatnonzero(region == r), key=lambda i: year[i])
            seen = [i for i in rows if not np.isnan(x[i])]
            for i in rows:
                if not np.isnan(x[i]) or not seen:
                    continue
                before = [s for s in seen if year[s] < year[i]]
                after = [s for s in seen if year[s] > year[i]]
                if before and after:
                    p, q = before[-1], after[0]
                    out[i] = x[p] + (x[q] - x[p]) * ((year[i] - year[p]) / (year[q] - year[p]))
                    step[i] = "linear"
                else:
                    out[i] = x[before[-1]] if before else x[after[0]]
                    step[i] = "carry"
    for label, key in (("parent_mean", parent), ("year_mean", None)):
        if label == "parent_mean" and parent is None:
            continue
        now = out.copy()
        for i in np.flatnonzero(np.isnan(now)):
            same = (year == year[i]) & (True if key is None else key == key[i]) & ~np.isnan(now)
            if same.any():
                out[i] = now[same].sum() / same.sum()
                step[i] = label
    now = out.copy()
    for i in np.flatnonzero(np.isnan(now)):
        obs = np.flatnonzero((region == region[i]) & ~np.isnan(now))
        if obs.size:
            dist = [(abs(year[s] - year[i]), year[s], s) for s in obs]
            out[i] = now[min(dist)[2]]
            step[i] = "carry"
    return out, step


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 7),
       st.sampled_from(["linear", "parent_mean"]), st.booleans(), st.booleans())
def test_imputation_equals_the_plain_loops(seed, n_regions, n_years, method, with_parent,
                                           int_labels):
    # runs of gaps share their neighbours; the rule must equal region-by-region loops in any
    # row order, with or without parents, on integer and string labels
    rng = np.random.default_rng(seed)
    years = np.sort(rng.choice(np.arange(2000, 2015), n_years, replace=False))
    region = np.repeat(np.arange(n_regions), n_years)
    year = np.tile(years, n_regions)
    parent = region // 2 if with_parent else None
    X = rng.normal(size=(region.size, 2))
    X[rng.random(X.shape) < rng.uniform(0.1, 0.8)] = nan
    X[0, :] = 1.0  # every column has a value
    perm = rng.permutation(region.size)
    labels = region if int_labels else np.array([f"R{r}" for r in region])
    out, log = impute_panel(X[perm], labels[perm], year[perm],
                            None if parent is None else parent[perm], method)
    for j in range(X.shape[1]):
        want, step = _impute_loop(X[:, j], region, year, parent, method)
        np.testing.assert_allclose(out[np.argsort(perm), j], want, rtol=1e-12, atol=1e-12)
        got_steps = {int(perm[r]): m for r, c, m, _ in log if c == j}
        assert got_steps == step

"""The class breaks of the optimal discretisation, computed by ronghe without importing mapclassify,
are mapclassify's own (EqualInterval, Quantiles, FisherJenks), bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.methods.geodetector import _breaks, _jenks_table, optimal_discretization

mapclassify = pytest.importorskip("mapclassify")
PEERS = {"equal": "EqualInterval", "quantile": "Quantiles", "natural": "FisherJenks"}


def _peer(x: np.ndarray, method: str, k: int) -> np.ndarray | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return np.asarray(getattr(mapclassify, PEERS[method])(x, k=k).bins, dtype=float)
        except ValueError:  # FisherJenks: fewer distinct values than classes
            return None


def assert_same_breaks(x: np.ndarray) -> None:
    table = _jenks_table(np.sort(x), 8)
    for k in range(2, 9):
        for method in PEERS:
            want = _peer(x, method, k)
            got = _breaks(x, method, k, table if method == "natural" else None)
            if want is None:
                assert got is None, (method, k)
            else:
                np.testing.assert_array_equal(got, want, err_msg=f"{method} k={k}")
        if np.unique(x).size >= k:  # one table for k = 8 serves every smaller k
            np.testing.assert_array_equal(_breaks(x, "natural", k), _breaks(x, "natural", k, table))


@pytest.mark.parametrize("seed", range(4))
def test_breaks_equal_the_peer_on_skewed_and_tied_data(seed):
    rng = np.random.default_rng(seed)
    assert_same_breaks(rng.lognormal(size=600))
    assert_same_breaks(np.round(rng.normal(size=400), 1))  # many ties
    assert_same_breaks(rng.integers(0, 5, 120).astype(float))  # fewer distinct values than some k


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(3, 60),
              elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)))
def test_breaks_equal_the_peer_property(x):
    if np.ptp(x) == 0:
        return
    assert_same_breaks(x)


def test_a_spread_of_subnormals_has_no_equal_intervals():
    # found by the property above: the width 5e-324 / k rounds to 0, and the peer fails there
    assert_same_breaks(np.array([5e-324, 0.0, 0.0]))
    assert _breaks(np.array([5e-324, 0.0, 0.0]), "equal", 2) is None


def test_few_distinct_values_skip_natural_breaks_instead_of_failing():
    """mapclassify's FisherJenks raises for k above the number of distinct values, which made the
    whole detector fail; natural breaks with such k are now left out of the comparison."""
    x = np.repeat([1.0, 2.0, 3.0, 4.0], 10)
    y = x * 2 + np.linspace(0, 1, x.size)
    res = optimal_discretization(y, x, methods=("natural",), k_range=range(3, 7))
    assert np.isfinite(res.table[0, :2]).all() and np.isnan(res.table[0, 2:]).all()  # k = 5, 6

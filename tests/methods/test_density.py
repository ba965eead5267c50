"""Kernel density: the Gaussian KDE sum written out, bandwidth rules, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.errors import MethodError
from ronghe.methods.density import kernel_density


def _kde(values, grid, h):
    z = (grid[:, None] - values[None, :]) / h
    return np.exp(-0.5 * z * z).sum(axis=1) / (values.size * h * np.sqrt(2 * np.pi))


def test_matches_written_out_sum_and_rules():
    rng = np.random.default_rng(4)
    data = {2021: rng.normal(0.4, 0.1, 300), 2020: rng.normal(0.3, 0.12, 250)}
    grid = np.linspace(0, 1, 101)
    for rule, factor in (("silverman", lambda n: (3 * n / 4) ** -0.2),
                         ("scott", lambda n: n**-0.2)):
        r = kernel_density(data, grid, bandwidth=rule)
        assert r.years == (2020, 2021)
        for i, year in enumerate(r.years):
            v = data[year]
            h = v.std(ddof=1) * factor(v.size)
            assert r.bandwidth[i] == pytest.approx(h, rel=1e-12)
            np.testing.assert_allclose(r.density[i], _kde(v, grid, h), rtol=1e-10, atol=1e-300)
    r = kernel_density(data, grid, bandwidth=0.05)
    np.testing.assert_allclose(r.bandwidth, [0.05, 0.05])
    np.testing.assert_allclose(r.density[1], _kde(data[2021], grid, 0.05), rtol=1e-10)


def test_default_grid_covers_mass():
    r = kernel_density({1: [0.0, 1.0, 2.0], 2: [5.0, 6.0, 9.0]})
    assert r.grid.size == 512
    assert r.grid[0] == pytest.approx(0.0 - 3 * r.bandwidth.max())
    mass = np.trapezoid(r.density, r.grid, axis=1)
    np.testing.assert_allclose(mass, 1.0, atol=2e-3)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=3, max_size=40), st.floats(0.1, 10))
def test_properties(values, scale):
    v = np.array(values, dtype=float)
    if np.ptp(v) == 0:
        with pytest.raises(MethodError, match="distinct"):
            kernel_density({2000: v})
        return
    a = kernel_density({2000: v})
    assert (a.density >= 0).all()
    b = kernel_density({2000: v * scale}, grid=a.grid * scale)
    np.testing.assert_allclose(b.density * scale, a.density, rtol=1e-8, atol=1e-14)


def test_bad_input():
    with pytest.raises(MethodError, match="bandwidth"):
        kernel_density({1: [1.0, 2.0]}, bandwidth="normal")
    with pytest.raises(MethodError, match="bandwidth"):
        kernel_density({1: [1.0, 2.0]}, bandwidth=-1.0)
    with pytest.raises(MethodError, match="year 3"):
        kernel_density({3: [1.0, np.nan]})
    with pytest.raises(MethodError, match="at least one year"):
        kernel_density({})

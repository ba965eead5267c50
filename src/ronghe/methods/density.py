"""Gaussian kernel density of a cross-section, year by year (the "dynamic evolution" figure).

Thin wrapper over ``scipy.stats.gaussian_kde`` that fixes the conventions: one common grid for all
years so that curves are comparable, and the bandwidth rule stated here.

Bandwidth h (the standard deviation of the Gaussian kernel) for n values with sample standard
deviation s (ddof=1):

- ``"silverman"``: h = s · (3n/4)^(-1/5)  (scipy's Silverman factor (n(d+2)/4)^(-1/(d+4)), d = 1;
  note this is not the 0.9·min(s, IQR/1.34)·n^(-1/5) rule of thumb);
- ``"scott"``: h = s · n^(-1/5);
- a positive float: h itself, in the units of the values, the same for every year.

Silverman (1986), Density Estimation for Statistics and Data Analysis; Scott (1992), Multivariate
Density Estimation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from ronghe.errors import MethodError

__all__ = ["DensityResult", "kernel_density"]


@dataclass(frozen=True)
class DensityResult:
    years: tuple[int, ...]
    grid: NDArray[np.float64]  #: (g,) evaluation points, shared by all years
    density: NDArray[np.float64]  #: (years, g)
    bandwidth: NDArray[np.float64]  #: (years,) kernel standard deviation h used for each year


def kernel_density(values_by_year: Mapping[int, ArrayLike], grid: ArrayLike | None = None,
                   bandwidth: str | float = "silverman", *, n_grid: int = 512) -> DensityResult:
    """Gaussian kernel density estimate f̂(x) = (1/(n h)) Σ_i φ((x - x_i)/h) for each year.

    ``grid`` defaults to ``n_grid`` equally spaced points from min - 3h_max to max + 3h_max over all
    years (h_max the largest bandwidth), so every curve integrates to ≈ 1 on it. Years are sorted.
    Each year needs at least 2 finite values that are not all equal.
    """
    if not values_by_year:
        raise MethodError("kernel density needs at least one year of values")
    if isinstance(bandwidth, str):
        if bandwidth not in ("silverman", "scott"):
            raise MethodError(f"bandwidth must be 'silverman', 'scott' or a positive number, "
                              f"got {bandwidth!r}")
    elif not (isinstance(bandwidth, Real) and np.isfinite(bandwidth) and bandwidth > 0):
        raise MethodError(f"bandwidth must be 'silverman', 'scott' or a positive number, "
                          f"got {bandwidth!r}")
    years = tuple(sorted(values_by_year))
    kdes = []
    for year in years:
        try:
            v = np.asarray(values_by_year[year], dtype=np.float64).ravel()
        except (TypeError, ValueError) as exc:
            raise MethodError(f"year {year}: values must be numeric: {exc}") from None
        if not np.isfinite(v).all():
            raise MethodError(f"year {year}: values have missing or infinite entries")
        if v.size < 2 or np.ptp(v) == 0:
            raise MethodError(f"year {year}: need at least 2 distinct values for a density")
        method = bandwidth if isinstance(bandwidth, str) else float(bandwidth) / v.std(ddof=1)
        kdes.append(stats.gaussian_kde(v, bw_method=method))
    h = np.array([float(np.sqrt(k.covariance[0, 0])) for k in kdes])
    if grid is None:
        if n_grid < 2:
            raise MethodError(f"n_grid must be at least 2, got {n_grid}")
        lo = min(float(k.dataset.min()) for k in kdes) - 3.0 * h.max()
        hi = max(float(k.dataset.max()) for k in kdes) + 3.0 * h.max()
        points = np.linspace(lo, hi, n_grid)
    else:
        points = np.asarray(grid, dtype=np.float64).ravel()
        if points.size == 0 or not np.isfinite(points).all():
            raise MethodError("grid must be a non-empty array of finite numbers")
    density = np.vstack([k(points) for k in kdes])
    return DensityResult(years=years, grid=points, density=density, bandwidth=h)

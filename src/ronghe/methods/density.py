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

from ronghe.methods._checks import as_vector, fail

__all__ = ["DensityResult", "kernel_density"]


@dataclass(frozen=True)
class DensityResult:
    """Kernel density curves of each year on one common grid (years ascending)."""

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
        raise fail("核密度至少需要一年的数据", "kernel density needs at least one year of values")
    if isinstance(bandwidth, str):
        known = bandwidth in ("silverman", "scott")
    else:
        known = isinstance(bandwidth, Real) and bool(np.isfinite(bandwidth)) and bandwidth > 0
    if not known:
        raise fail(
            f"带宽须为 'silverman'、'scott' 或正数（{bandwidth!r}）",
            f"bandwidth must be 'silverman', 'scott' or a positive number, got {bandwidth!r}",
        )
    years = tuple(sorted(values_by_year))
    kdes = []
    for year in years:
        try:
            v = np.asarray(values_by_year[year], dtype=np.float64).ravel()
        except (TypeError, ValueError) as exc:
            raise fail(
                f"{year} 年：数值含非数值元素", f"year {year}: values must be numeric: {exc}"
            ) from None
        if not np.isfinite(v).all():
            raise fail(
                f"{year} 年：数值含缺失或无穷值",
                f"year {year}: values have missing or infinite entries",
            )
        if v.size < 2 or np.ptp(v) == 0:
            raise fail(
                f"{year} 年：核密度至少需要 2 个不同的值",
                f"year {year}: need at least 2 distinct values for a density",
            )
        method = bandwidth if isinstance(bandwidth, str) else float(bandwidth) / v.std(ddof=1)
        kdes.append(stats.gaussian_kde(v, bw_method=method))
    h = np.array([float(np.sqrt(k.covariance[0, 0])) for k in kdes])
    if grid is None:
        if n_grid < 2:
            raise fail(f"n_grid 至少为 2（{n_grid}）", f"n_grid must be at least 2, got {n_grid}")
        lo = min(float(k.dataset.min()) for k in kdes) - 3.0 * h.max()
        hi = max(float(k.dataset.max()) for k in kdes) + 3.0 * h.max()
        points = np.linspace(lo, hi, n_grid)
    else:
        points = as_vector(np.ravel(grid), "grid", min_length=1)
    density = np.vstack([k(points) for k in kdes])
    return DensityResult(years=years, grid=points, density=density, bandwidth=h)

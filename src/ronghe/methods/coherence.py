"""Statistical coherence of a composite indicator: the checks of the JRC's audits and of COINr
(Becker et al. 2022, "COINr: an R package for developing composite indicators", JOSS 7(78)).

- ``cronbach_alpha``: internal consistency of a group of indicators (Cronbach 1951).
- ``first_component_share``: share of the variance the first principal component of the
  standardised indicators explains (one latent dimension behind the group?).
- ``variance_shares``: each indicator's share of the variance of a weighted arithmetic composite,
  its *effective* weight, to set against the nominal weight: an indicator with a large variance
  carries more of the ranking than its weight says (Paruolo, Saisana & Saltelli 2013, "Ratings and
  rankings: voodoo or science?", JRSS A 176(3)).
- ``correlation_importance``: the same question answered by correlations, for any composite:
  r_j² / Σ r_k² with r_j the Pearson correlation of indicator j with the composite (under a linear
  relation r_j² is Paruolo et al.'s first-order sensitivity index of the composite to j).

Every function takes the (n, k) matrix of normalised indicators (rows: units, columns: indicators)
and uses sample moments (ddof = 1). Constant columns carry no variance: they get 0 in the shares
and are left out of the principal components.
"""

from __future__ import annotations

import numpy as np

from ronghe.methods._checks import as_matrix, as_vector, as_weights, fail


def cronbach_alpha(Z: object) -> float:
    """Cronbach's α = k/(k - 1) · (1 - Σ_j var(z_j) / var(Σ_j z_j)), sample variances.

    NaN for fewer than two columns or when the row sums do not vary."""
    arr = as_matrix(Z, "Z")
    k = arr.shape[1]
    if k < 2 or arr.shape[0] < 2:
        return float("nan")
    total = arr.sum(axis=1).var(ddof=1)
    if total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - arr.var(axis=0, ddof=1).sum() / total))


def first_component_share(Z: object) -> float:
    """λ1 / Σ λ of the correlation matrix of the non-constant columns (the share of variance the
    first principal component of the standardised indicators explains); 1 for a single varying
    column, NaN when none varies."""
    arr = as_matrix(Z, "Z")
    live = arr.std(axis=0) > 0
    if live.sum() == 0 or arr.shape[0] < 2:
        return float("nan")
    if live.sum() == 1:
        return 1.0
    eig = np.linalg.eigvalsh(np.corrcoef(arr[:, live], rowvar=False))
    return float(eig[-1] / eig.sum())


def variance_shares(Z: object, w: object) -> np.ndarray:
    """Share of each indicator in the variance of y = Σ_j w_j z_j (w scaled to sum 1):
    s_j = w_j cov(z_j, y) / var(y). The shares sum to 1; one is negative when the indicator
    moves against the composite. All zero when y does not vary."""
    arr = as_matrix(Z, "Z")
    wn = as_weights(w, arr.shape[1])
    y = arr @ wn
    var = y.var(ddof=1) if arr.shape[0] > 1 else 0.0
    if var <= 0:
        return np.zeros(arr.shape[1])
    cov = ((arr - arr.mean(axis=0)) * (y - y.mean())[:, None]).sum(axis=0) / (arr.shape[0] - 1)
    return wn * cov / var


def correlation_importance(Z: object, y: object) -> np.ndarray:
    """r_j² / Σ_k r_k² with r_j the Pearson correlation of column j with ``y`` (0 for a constant
    column); sums to 1 (all zero when nothing correlates or y is constant)."""
    arr = as_matrix(Z, "Z")
    yv = as_vector(y, "y", arr.shape[0])
    r = correlations_with(arr, yv)
    r2 = np.nan_to_num(r) ** 2
    total = r2.sum()
    return r2 / total if total > 0 else np.zeros(arr.shape[1])


def correlations_with(Z: object, y: object) -> np.ndarray:
    """Pearson correlation of every column of ``Z`` with ``y``; NaN where either is constant."""
    arr = as_matrix(Z, "Z")
    yv = as_vector(y, "y", arr.shape[0])
    if arr.shape[0] < 2:
        raise fail("相关系数至少需要 2 行", "correlations need at least 2 rows")
    dz = arr - arr.mean(axis=0)
    dy = yv - yv.mean()
    den = np.sqrt((dz**2).sum(axis=0) * (dy**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (dz * dy[:, None]).sum(axis=0) / np.where(den > 0, den, 1), np.nan)

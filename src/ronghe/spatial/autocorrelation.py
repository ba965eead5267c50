"""Global and local spatial autocorrelation for every year of a region × year table (via esda).

- :func:`global_moran` — Moran's I (Moran 1950) with row-standardised weights,
  ``I = (n / S0) · Σ_ij w_ij z_i z_j / Σ_i z_i²`` with z the deviations from the yearly mean,
  ``E[I] = −1/(n−1)``; ``z_norm``/``p_norm`` under the normality assumption (two-sided) and ``p_sim``
  from random permutations (one-sided in the direction of the observed I, esda's convention:
  ``(M + 1)/(permutations + 1)`` with M the number of permuted values at least as extreme).
- :func:`local_moran` — LISA (Anselin 1995) in esda's convention
  ``I_i = (n − 1) z_i Σ_j w_ij z_j / Σ_k z_k²`` (Anselin's m2 = Σ z²/n gives (n − 1)/n of these values;
  the factor is common to all regions, so quadrants, p-values and clusters are the same); conditional
  permutation pseudo p-values; a region is in its quadrant's cluster (HH, LL, HL, LH) when
  ``p_sim`` is below the year's cut-off and "ns" (不显著) otherwise. The cut-off is ``alpha``, or
  with ``correction`` the Bonferroni bound alpha/n or the false-discovery-rate cut-off of
  ``esda.fdr`` (:func:`ronghe.methods.significance.p_threshold`), computed over the year's regions.
- :func:`getis_ord` — Gi* (Getis & Ord 1992; Ord & Getis 1995) with binary weights that include the
  region itself (w_ii = 1): ``G*_i = Σ_j w_ij x_j / Σ_j x_j``; the z-score uses esda's analytical
  moments, and hot/cold spots are classified by the two-sided normal test on z at 99%, 95% and 90%
  confidence (|z| ≥ 2.576, 1.960, 1.645), the convention of ArcGIS's hot spot analysis that papers in
  this field follow. Permutation p-values are reported alongside.

All three take the same weights (any libpysal ``W``; a row-standardised copy is used, the caller's
object is never modified) and return tidy frames covering all years in one call. Permutations are
seeded, so results are reproducible. The statistics come from esda; the local permutation tests use
:mod:`ronghe.spatial.conditional` (same procedure as esda, without its per-process numba
compilation), and the global test uses esda's own permutations.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheError
from ronghe.methods.significance import CORRECTIONS, p_threshold
from ronghe.regions.boundaries import MAPS_EXTRA_MESSAGE
from ronghe.spatial.align import region_year_matrix
from ronghe.spatial.conditional import conditional_p_values

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = [
    "CLUSTER_LABELS_ZH",
    "HOTSPOT_LABELS_ZH",
    "getis_ord",
    "gi_star_weights",
    "global_moran",
    "local_moran",
]

SIGNIFICANCE_LEVELS = (0.05, 0.01, 0.001, 0.0001)
"""The classes of GeoDa's LISA significance map."""
CLUSTER_LABELS_ZH = {"HH": "高高", "LL": "低低", "HL": "高低", "LH": "低高", "ns": "不显著"}
# esda's quadrant codes: 1 = HH, 2 = LH, 3 = LL, 4 = HL (0 when z_i or its lag is exactly 0).
_QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
HOTSPOT_LABELS_ZH = {
    "hot_99": "热点 (99%)",
    "hot_95": "热点 (95%)",
    "hot_90": "热点 (90%)",
    "cold_99": "冷点 (99%)",
    "cold_95": "冷点 (95%)",
    "cold_90": "冷点 (90%)",
    "ns": "不显著",
}
_HOTSPOT_Z = ((2.5758293035489004, "99"), (1.959963984540054, "95"), (1.6448536269514722, "90"))


def _esda():
    try:
        import esda
        from libpysal import weights
    except ImportError as exc:
        raise RongheError(f"{MAPS_EXTRA_MESSAGE} (missing: {exc.name})") from exc
    return esda, weights


def _row_standardised(w: W) -> W:
    _, weights = _esda()
    copy = weights.W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    copy.transform = "r"
    return copy


def _check_permutations(permutations: int) -> None:
    if permutations < 0:
        raise InputError("置换次数不能为负 / permutations must be >= 0", value=permutations)


def _check_variation(column: np.ndarray, year: int) -> None:
    if np.ptp(column) == 0:
        raise InputError(
            f"{year} 年所有区域取值相同，空间自相关无定义 / all regions have the same value in "
            f"{year}; spatial autocorrelation is undefined",
            column=str(year),
        )


@contextmanager
def _quiet_components() -> Iterator[None]:
    """Silence libpysal's notice that the weights have several connected components: expected on
    real maps (Hainan, Zhoushan, Xiamen island) and repeated each time esda rebuilds a ``W``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
        yield


@contextmanager
def _global_seed(seed: int | None) -> Iterator[None]:
    """esda's global Moran draws from NumPy's global generator; seed it and restore it afterwards."""
    state = np.random.get_state()  # noqa: NPY002 -- esda's Moran uses the legacy global generator
    if seed is not None:
        np.random.seed(seed)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def global_moran(
    values: pd.DataFrame | pd.Series,
    w: W,
    *,
    permutations: int = 999,
    seed: int | None = 12345,
) -> pd.DataFrame:
    """Global Moran's I for each year: columns ``year, n, I, E_I, z_norm, p_norm, p_sim``.

    ``p_sim`` is NaN when ``permutations == 0``.
    """
    esda, _ = _esda()
    _check_permutations(permutations)
    y, _, years = region_year_matrix(values, w.id_order)
    wr = _row_standardised(w)
    rows = []
    with _global_seed(seed):
        for t, year in enumerate(years):
            _check_variation(y[:, t], year)
            mi = esda.Moran(y[:, t], wr, transformation="r", permutations=permutations)
            rows.append(
                {
                    "year": year,
                    "n": int(mi.n),
                    "I": float(mi.I),
                    "E_I": float(mi.EI),
                    "z_norm": float(mi.z_norm),
                    "p_norm": float(mi.p_norm),
                    "p_sim": float(mi.p_sim) if permutations else np.nan,
                }
            )
    return pd.DataFrame(rows)


def local_moran(
    values: pd.DataFrame | pd.Series,
    w: W,
    *,
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int | None = 12345,
    correction: str = "none",
) -> pd.DataFrame:
    """Local Moran's I for each region and year: ``I_i = (n − 1) z_i Σ_j w_ij z_j / Σ_k z_k²``
    with row-standardised w and z the deviations from the year's mean (esda ``Moran_Local.Is``).

    Columns ``region, year, Ii, p_sim, quadrant, cluster, cluster_zh, p_threshold,
    significance``; ``quadrant`` is the unfiltered HH/LH/LL/HL position in the Moran scatter plot
    and ``cluster`` keeps it only where ``p_sim < p_threshold`` ("ns" otherwise), the cut-off of
    ``alpha`` under ``correction`` (``none``, ``bonferroni`` or ``fdr``) over the year's regions.
    ``significance`` is GeoDa's significance-map class: the smallest of 0.05, 0.01, 0.001, 0.0001
    (not above ``alpha``) whose corrected cut-off the p-value is below, else "ns".
    """
    esda, _ = _esda()
    if permutations < 1:
        raise InputError(
            "局部 Moran 需要置换检验 / local Moran needs permutations >= 1", value=permutations
        )
    if not 0 < alpha < 1:
        raise InputError("显著性水平须在 (0, 1) / alpha must be in (0, 1)", value=alpha)
    if correction not in CORRECTIONS:
        raise InputError("多重检验校正须为 none、bonferroni 或 fdr / correction must be none, "
                         "bonferroni or fdr", value=correction)
    y, _, years = region_year_matrix(values, w.id_order)
    wr = _row_standardised(w)
    regions = [str(r) for r in wr.id_order]
    frames = []
    for t, year in enumerate(years):
        _check_variation(y[:, t], year)
        lm = esda.Moran_Local(y[:, t], wr, transformation="r", permutations=0)
        z, scale = lm.z, lm.n_1 / lm.den

        def local_i(i: np.ndarray, lags: np.ndarray, z: np.ndarray = z,
                    scale: float = scale) -> np.ndarray:
            return scale * z[i, None] * lags

        p_sim = conditional_p_values(
            z, wr.sparse, lm.Is, local_i, permutations=permutations, seed=seed
        )
        quadrant = np.array([_QUADRANTS.get(int(q), "ns") for q in lm.q], dtype=object)
        cut = p_threshold(p_sim, alpha, correction)
        cluster = np.where(p_sim < cut, quadrant, "ns")
        significance = np.full(p_sim.size, "ns", dtype=object)
        for level in sorted((a for a in SIGNIFICANCE_LEVELS if a <= alpha), reverse=True):
            significance[p_sim < p_threshold(p_sim, level, correction)] = f"{level:g}"
        frames.append(
            pd.DataFrame(
                {
                    "region": regions,
                    "year": year,
                    "Ii": lm.Is.astype(float),
                    "p_sim": p_sim,
                    "quadrant": quadrant,
                    "cluster": cluster,
                    "cluster_zh": [CLUSTER_LABELS_ZH[c] for c in cluster],
                    "p_threshold": cut,
                    "significance": significance,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def gi_star_weights(w: W) -> W:
    """Binary copy of ``w`` with every region its own neighbour (w_ii = 1), as Gi* requires."""
    _, weights = _esda()
    binary = weights.W(w.neighbors, id_order=w.id_order, silence_warnings=True)
    with _quiet_components():
        return weights.fill_diagonal(binary, 1.0)


def _hotspot(z: np.ndarray) -> np.ndarray:
    spot = np.full(z.shape, "ns", dtype=object)
    # Least to most confident, so the strongest level that applies is written last.
    for critical, level in reversed(_HOTSPOT_Z):
        spot[z >= critical] = f"hot_{level}"
        spot[z <= -critical] = f"cold_{level}"
    return spot


def getis_ord(
    values: pd.DataFrame | pd.Series,
    w: W,
    *,
    permutations: int = 999,
    seed: int | None = 12345,
) -> pd.DataFrame:
    """Getis-Ord Gi* for each region and year.

    Columns ``region, year, G, z, p_norm, p_sim, spot, spot_zh``; ``p_norm`` is two-sided,
    ``spot`` one of hot_99/hot_95/hot_90/cold_99/cold_95/cold_90/ns (see the module docstring).
    """
    esda, _ = _esda()
    _check_permutations(permutations)
    y, _, years = region_year_matrix(values, w.id_order)
    if (y < 0).any():
        raise InputError(
            "Gi* 要求非负数值 / Gi* needs non-negative values (it divides by their total)"
        )
    ws = gi_star_weights(w)
    regions = [str(r) for r in ws.id_order]
    frames = []
    for t, year in enumerate(years):
        _check_variation(y[:, t], year)
        yt = y[:, t]
        with _quiet_components():
            g = esda.G_Local(yt, ws, transform="B", permutations=0, star=True)
        def gi_star(i: np.ndarray, lags: np.ndarray, yt: np.ndarray = yt) -> np.ndarray:
            return (lags + yt[i, None]) / yt.sum()

        p_sim = (
            conditional_p_values(
                yt,
                ws.sparse,
                np.asarray(g.Gs, dtype=float),
                gi_star,
                permutations=permutations,
                seed=seed,
            )
            if permutations
            else np.full(len(yt), np.nan)
        )
        z = np.asarray(g.Zs, dtype=float)
        spot = _hotspot(z)
        frames.append(
            pd.DataFrame(
                {
                    "region": regions,
                    "year": year,
                    "G": np.asarray(g.Gs, dtype=float),
                    "z": z,
                    "p_norm": 2.0 * np.asarray(g.p_norm, dtype=float),
                    "p_sim": p_sim,
                    "spot": spot,
                    "spot_zh": [HOTSPOT_LABELS_ZH[s] for s in spot],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)

"""Step 7, obstacle degrees: what holds each region-year back, by indicator.

O_ij = w*_j (best - z_ij) / Σ_j w*_j (best - z_ij) (:func:`ronghe.methods.obstacle_degree`), with
the effective weights w* and best = 1, or 1 + shift under the additive shift; rows sum to 1.
Row-wise. The Result aggregates them to dimensions and to the obstacle categories O1-O4.
"""

from __future__ import annotations

import numpy as np

from ronghe import methods as m


def obstacles(Z: np.ndarray, w_eff: np.ndarray, best: float) -> np.ndarray:
    """Obstacle degree of each indicator (n, k) (module docstring)."""
    return m.obstacle_degree(Z, w_eff, best=best)

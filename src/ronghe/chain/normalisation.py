"""Step 3, normalisation: treated indicator values to scores, larger always better.

Each entry of :data:`NORMALISATIONS` is :func:`ronghe.methods.normalize` with one method:
``minmax`` ((x - min)/(max - min), the reverse for a cost indicator, 1 - |x - t|/max|x - t| for a
target indicator), ``target`` (a synonym of the same formulas), ``zscore`` (z-scores with
ddof = 1 mapped by one affine transform common to all columns onto [0, 1], ``common_range``) and
``rank`` (percentile ranks). Then the shift: ``affine`` z' = shift + (1 - shift) z, scores in
[shift, 1], or ``add`` z' = z + shift, scores in [shift, 1 + shift] (``Normalization.best``).

Anchors are pooled over all rows given (``scope: global``), or taken per year (``by``, scope
``year``). Min–max anchors can be passed (``bounds``, from :func:`ronghe.methods.minmax_bounds`
over all rows): the map is then row-wise, so slices of rows are scored on the whole panel's
scale (values beyond the anchors are clipped), as the frozen-anchor scenarios do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ronghe import methods as m
from ronghe.settings import Normalization

Direction = str | float
Normaliser = Callable[..., np.ndarray]


def _kernel(method: str, common_range: bool = False) -> Normaliser:
    def normalise(X: np.ndarray, directions: Sequence[Direction], *, shift: float,
                  shift_mode: str, by: np.ndarray | None = None,
                  bounds: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        return m.normalize(X, directions, method=method, shift=shift, shift_mode=shift_mode,
                           bounds=bounds, by=by, common_range=common_range)
    normalise.__doc__ = f":func:`ronghe.methods.normalize` with method {method!r}."
    return normalise


#: ``normalization.method`` name -> normaliser (X, directions, *, shift, shift_mode, by, bounds).
NORMALISATIONS: dict[str, Normaliser] = {
    "minmax": _kernel("minmax"),
    "zscore": _kernel("zscore", common_range=True),
    "rank": _kernel("rank"),
    "target": _kernel("target"),
}
#: Methods with min–max anchors (the frozen-anchor scenarios and targets need them).
ANCHORED = ("minmax", "target")


def normalise(
    X: np.ndarray,
    directions: Sequence[Direction],
    spec: Normalization,
    years: np.ndarray | None = None,
    *,
    method: str | None = None,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Scores of the treated values ``X`` under ``spec`` (module docstring). ``years`` (one per
    row) is used when ``spec.scope`` is ``year``; ``method`` overrides ``spec.method`` (the
    uncertainty audit's options); ``bounds`` freezes min–max anchors."""
    by = years if spec.scope == "year" and bounds is None else None
    Z = NORMALISATIONS[method or spec.method](
        X, directions, shift=spec.shift, shift_mode=spec.shift_mode, by=by, bounds=bounds
    )
    # rows contiguous: the row-wise steps (aggregation, obstacle degrees) then sum a row in the
    # same order whether they get the panel or one row (a scenario), so the two agree to the bit
    return np.ascontiguousarray(Z)


def denormalise(z: np.ndarray, directions: Sequence[Direction], spec: Normalization,
                bounds: tuple[np.ndarray, np.ndarray], near: np.ndarray) -> np.ndarray:
    """Treated values whose anchored min–max scores are ``z`` (the inverse of :func:`normalise`
    with ``bounds`` inside the anchors); for a target indicator, the side of the target that
    ``near`` lies on."""
    lo, hi = bounds
    raw = (z - spec.shift) / (1.0 - spec.shift) if spec.shift_mode == "affine" else z - spec.shift
    out = np.empty_like(raw)
    for j, d in enumerate(directions):
        if d == "+":
            out[j] = lo[j] + raw[j] * (hi[j] - lo[j])
        elif d == "-":
            out[j] = hi[j] - raw[j] * (hi[j] - lo[j])
        else:
            scale = max(abs(lo[j] - float(d)), abs(hi[j] - float(d)))
            side = 1.0 if near[j] >= float(d) else -1.0
            out[j] = float(d) + side * (1.0 - raw[j]) * scale
    return out

"""Multiple-testing control for many simultaneous tests (one per region in a LISA map).

``p_threshold(p, alpha, method)`` returns the cut-off below which a p-value counts as significant
(``p < threshold``, the comparison esda and GeoDa make):

- ``"none"``: alpha itself (each region tested on its own; many false positives over thousands
  of counties);
- ``"bonferroni"``: alpha / n (controls the family-wise error; conservative);
- ``"fdr"``: the Benjamini–Hochberg false-discovery-rate cut-off (Benjamini & Hochberg 1995;
  Castro & Singer 2006 for LISA): with the p-values sorted ascending p_(1) <= ... <= p_(n), the
  cut-off is i·alpha/n for the largest i with p_(i) < i·alpha/n; when no i qualifies, alpha/n.
  This is exactly ``esda.fdr`` (the tests compare the two), so a map made here and one made with
  PySAL or GeoDa's FDR option mark the same regions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ronghe.methods._checks import fail

__all__ = ["CORRECTIONS", "Correction", "p_threshold"]

Correction = Literal["none", "bonferroni", "fdr"]
CORRECTIONS: tuple[str, ...] = ("none", "bonferroni", "fdr")


def p_threshold(p: object, alpha: float = 0.05, method: str = "fdr") -> float:
    """The significance cut-off for the p-values ``p`` at level ``alpha`` (see the module
    docstring). NaN p-values are ignored (they count neither as tests nor as discoveries)."""
    if not 0 < alpha < 1:
        raise fail(f"显著性水平 {alpha} 须在 (0, 1)", f"alpha must be in (0, 1), got {alpha}")
    if method not in CORRECTIONS:
        raise fail(f"未知多重检验校正 {method!r}",
                   f"unknown correction {method!r}; use none, bonferroni or fdr")
    arr = np.asarray(p, dtype=float).ravel()
    arr = arr[np.isfinite(arr)]
    n = arr.size
    if method == "none" or n == 0:
        return float(alpha)
    if method == "bonferroni":
        return float(alpha / n)
    ranked = np.sort(arr)
    cut = np.arange(1, n + 1) * alpha / n
    hits = np.flatnonzero(ranked < cut)
    return float(cut[hits[-1]]) if hits.size else float(alpha / n)

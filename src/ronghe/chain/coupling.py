"""Step 6, coupling coordination among the dimensions.

Coupling (:func:`ronghe.methods.coupling_coordination`): D = sqrt(C T), T = Σ α_d U_d (α equal
unless the settings or the framework give it), C by the formula of :data:`COUPLING_FORMULAS`:
``classic`` C = m [Π U / (Σ U)^m]^(1/m); ``corrected`` (王淑佳 et al., 自然资源学报 2021, 36(3)).
Scores lie in [0, best], best = 1 or 1 + shift under the additive shift; D is capped at 1.
Row-wise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ronghe import methods as m
from ronghe.errors import InputError
from ronghe.frameworks import Framework
from ronghe.settings import Settings

CouplingFormula = Callable[[np.ndarray, list[float] | None, float],
                           tuple[np.ndarray, np.ndarray, np.ndarray]]


def _kernel(formula: str) -> CouplingFormula:
    def couple(U: np.ndarray, alpha: list[float] | None, upper: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        C, T, D = m.coupling_coordination(U, alpha=alpha, formula=formula, upper=upper)
        return C, T, D
    couple.__doc__ = f":func:`ronghe.methods.coupling_coordination` with formula {formula!r}."
    return couple


#: ``coupling.formula`` name -> (U, alpha, upper) -> (C, T, D).
COUPLING_FORMULAS: dict[str, CouplingFormula] = {
    "classic": _kernel("classic"),
    "corrected": _kernel("corrected"),
}


@dataclass(frozen=True)
class CouplingSpec:
    """The coupling settings with the framework's α resolved and checked."""

    formula: str
    alpha: list[float] | None
    best: float

    @classmethod
    def of(cls, s: Settings, fw: Framework) -> CouplingSpec:
        alpha = s.coupling.alpha or fw.coupling_alpha()
        k = len(fw.dimensions)
        if alpha is not None and len(alpha) != k:
            raise InputError(
                f"coupling.alpha has {len(alpha)} values; the framework {fw.id!r} has "
                f"{k} dimensions"
            )
        return cls(s.coupling.formula, alpha, s.normalization.best)


@dataclass(frozen=True)
class Coupled:
    """Coupling degree C, development index T and coordination degree D, each (n,)."""

    C: np.ndarray
    T: np.ndarray
    D: np.ndarray


def couple(U: np.ndarray, spec: CouplingSpec) -> Coupled:
    """C, T and D of the dimension scores U (n, m) (module docstring), in blocks of rows (each
    row's C, T and D are its own), so that the kernel's temporaries stay a block's size."""
    kernel = COUPLING_FORMULAS[spec.formula]
    n, k = U.shape
    lo, hi = (U.min(), U.max()) if U.size else (0.0, 0.0)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo >= 0 and hi <= spec.best) or n <= 1:
        return Coupled(*kernel(U, spec.alpha, spec.best))  # its error names the row of U
    C, T, D = np.empty(n), np.empty(n), np.empty(n)
    for rows in m.row_blocks(n, k):
        C[rows], T[rows], D[rows] = kernel(U[rows], spec.alpha, spec.best)
    return Coupled(C, T, D)


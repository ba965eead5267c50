"""The baseline of an evaluated study, frozen: treatment, normalisation anchors, weights and TOPSIS
ideals, so that changed indicator values can be scored on exactly the baseline's scale.

Scenarios and targets move one region-year while everything learned from the panel stays put:

- outlier treatment: an indicator log-transformed by the COINr rule keeps its transform
  (log(x - lo + a) for positive skew, -log(hi + a - x) for negative, with the baseline's lo, hi and
  a = 0.01 (hi - lo), recovered from the treatment log); a new value is first clipped to [lo, hi];
- normalisation: min–max with the baseline anchors (pooled, or the year's own anchors when the
  study normalises year by year), values beyond them clipped, then the same shift;
- weights, dimension weights, aggregation and coupling settings of the baseline;
- TOPSIS ideal and anti-ideal: the baseline's, not recomputed with the changed row.

Dimension scores, the composite, coupling and obstacle degrees are recomputed on the whole
baseline matrix with one row replaced, through the same steps of :mod:`ronghe.chain` as
:class:`ronghe.Study`,
so an unchanged row reproduces the baseline bit for bit. TOPSIS closeness is
:func:`ronghe.methods.topsis` with the baseline rows as ``reference`` (the frozen ideals), on
matrices laid out as the study's, since NumPy's row sums depend on the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ronghe import chain
from ronghe import methods as m
from ronghe.chain import LogTransform
from ronghe.errors import InputError
from ronghe.result import Result

__all__ = ["Frozen", "LogTransform", "Scores"]


@dataclass(frozen=True)
class Scores:
    """One region-year scored on the frozen baseline."""

    X: np.ndarray
    Z: np.ndarray
    U: np.ndarray
    composite: float
    closeness: float
    C: float
    T: float
    D: float
    O: np.ndarray
    rank: int


class Frozen:
    """The frozen baseline of a :class:`~ronghe.result.Result` (see the module docstring)."""

    def __init__(self, result: Result) -> None:
        s = result.state
        method = s.settings.normalization.method
        if method not in chain.ANCHORED:
            raise InputError(
                f"scenarios and targets need min–max normalisation with anchors; the study uses "
                f"{method!r} (set normalization.method: minmax)"
            )
        self.result = result
        self.state = s
        self.ids = list(s.indicator_ids)
        self.directions = s.framework.directions()
        self._outlier_log = self._read_outlier_log()

    # ------------------------------------------------------------------ lookup
    def row(self, region: str, year: int) -> int:
        """Row of (region, year) in the state arrays (InputError if the study has none)."""
        s = self.state
        hit = np.flatnonzero((s.regions.astype(str) == str(region)) & (s.years == int(year)))
        if hit.size == 0:
            raise InputError(f"region {region} has no row in year {year} in the evaluated study")
        return int(hit[0])

    def column(self, name: str) -> int:
        if name not in self.ids:
            raise InputError("is not an indicator of the framework", indicator=name)
        return self.ids.index(name)

    # --------------------------------------------------------------- treatment
    def _read_outlier_log(self) -> pd.DataFrame:
        parts = [pd.DataFrame(dict(t)) for t in self.state.treated if np.size(t["row"])]
        if not parts:
            return pd.DataFrame({"row": [], "col": [], "action": [], "old": [], "new": []})
        log = pd.concat(parts, ignore_index=True)
        return log[log["action"].astype(str).isin(["log", "winsorised"])]

    @cached_property
    def transforms(self) -> dict[int, LogTransform]:
        """Column -> the log transform the baseline applied to it."""
        out = {}
        logged = self._outlier_log[self._outlier_log["action"] == "log"]
        for col, grp in logged.groupby("col"):
            out[int(col)] = LogTransform.recover(grp["old"].to_numpy(dtype=float),
                                                 grp["new"].to_numpy(dtype=float))
        return out

    def before_outliers(self, row: int) -> np.ndarray:
        """Indicator values of a row after imputation and before outlier treatment."""
        x = self.state.X[row].copy()
        cells = self._outlier_log[self._outlier_log["row"] == row]
        x[cells["col"].to_numpy(dtype=int)] = cells["old"].to_numpy(dtype=float)
        return x

    def treat(self, values: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Outlier treatment of new (pre-treatment) values of the columns ``cols``."""
        return self._per_column(values, cols, LogTransform.apply)

    def untreat(self, values: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`treat` (a treated value back to the indicator's own unit)."""
        return self._per_column(values, cols, LogTransform.invert)

    def _per_column(self, values: np.ndarray, cols: np.ndarray,
                    step: Callable[[LogTransform, np.ndarray], np.ndarray]) -> np.ndarray:
        """``values`` (one per column of ``cols``) with ``step`` of each logged column's
        transform applied; columns the baseline did not log keep their value."""
        out = np.asarray(values, dtype=float).copy()
        for i, j in enumerate(cols):
            t = self.transforms.get(int(j))
            if t is not None:
                out[i] = step(t, np.array([out[i]]))[0]
        return out

    # ----------------------------------------------------------- normalisation
    def anchors(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """Min–max anchors on the treated scale: pooled, or the year's own for scope ``year``."""
        s = self.state
        if s.settings.normalization.scope == "year":
            return m.minmax_bounds(s.X[s.years == year])
        return s.bounds

    def normalize(self, x: np.ndarray, year: int) -> np.ndarray:
        """Frozen min–max scores of one treated row (clipped beyond the anchors, then shifted)."""
        return chain.normalise(np.asarray(x, dtype=float)[None, :], self.directions,
                               self.state.settings.normalization, bounds=self.anchors(year))[0]

    def denormalize(self, z: np.ndarray, year: int, near: np.ndarray) -> np.ndarray:
        """Treated values whose frozen scores are ``z`` (inverse of :meth:`normalize` inside the
        anchors); for a target indicator the side of the target that ``near`` lies on."""
        return chain.denormalise(z, self.directions, self.state.settings.normalization,
                                 self.anchors(year), near)

    # ------------------------------------------------------------------- chain
    def dimension_scores(self, Z: np.ndarray) -> np.ndarray:
        """U of the rows ``Z`` (scores of all indicators), TOPSIS against the baseline's ideals."""
        s = self.state
        return chain.dimension_scores(Z, s.effective_weights, s.members, s.settings.aggregation,
                                      reference=s.Z)

    def closeness(self, Z: np.ndarray) -> np.ndarray:
        """TOPSIS closeness of the rows ``Z`` against the baseline's ideals. Row sums follow the
        memory layout of ``Z``, so pass the matrix laid out as the study passed it to get its
        numbers to the last bit."""
        return chain.closeness(Z, self.state.effective_weights, reference=self.state.Z)

    def composite(self, U: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """Composite index of rows with dimension scores ``U`` and indicator scores ``Z``."""
        s = self.state
        return chain.composite(U, s.dimension_weights, s.settings.aggregation,
                               lambda: self.closeness(Z))

    def score(self, row: int, x: np.ndarray) -> Scores:
        """Score treated indicator values ``x`` in place of row ``row`` on the frozen baseline."""
        s = self.state
        z = self.normalize(x, int(s.years[row]))
        Z = s.Z.copy()
        Z[row] = z
        U = self.dimension_scores(Z)
        closeness = self.closeness(Z)
        composite = float(chain.composite(U, s.dimension_weights, s.settings.aggregation,
                                          lambda: closeness)[row])
        spec = chain.CouplingSpec.of(s.settings, s.framework)
        coupled = chain.couple(U, spec)
        O = chain.obstacles(Z, s.effective_weights, spec.best)[row]
        same_year = (s.years == s.years[row]) & (np.arange(s.years.size) != row)
        rank = 1 + int((s.composite[same_year] > composite).sum())
        return Scores(
            X=np.asarray(x, dtype=float),
            Z=z,
            U=U[row],
            composite=composite,
            closeness=float(closeness[row]),
            C=float(coupled.C[row]),
            T=float(coupled.T[row]),
            D=float(coupled.D[row]),
            O=O,
            rank=rank,
        )

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
baseline matrix with one row replaced, through the same kernel calls as :class:`ronghe.Study`,
so an unchanged row reproduces the baseline bit for bit. TOPSIS closeness is
:func:`ronghe.methods.topsis` with the baseline rows as ``reference`` (the frozen ideals), on
matrices laid out as the study's, since NumPy's row sums depend on the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.errors import InputError
from ronghe.result import Result


@dataclass(frozen=True)
class LogTransform:
    """The COINr log transform of one indicator, with the baseline's parameters."""

    positive: bool
    lo: float
    hi: float
    a: float

    def apply(self, x: np.ndarray) -> np.ndarray:
        v = np.clip(x, self.lo, self.hi)
        return np.log(v - self.lo + self.a) if self.positive else -np.log(self.hi + self.a - v)

    def invert(self, v: np.ndarray) -> np.ndarray:
        e = np.asarray(v, dtype=float)
        return np.exp(e) + self.lo - self.a if self.positive else self.hi + self.a - np.exp(-e)


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
        if method not in ("minmax", "target"):
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
            old = grp["old"].to_numpy(dtype=float)
            new = grp["new"].to_numpy(dtype=float)
            lo, hi = old.min(), old.max()
            a = 0.01 * (hi - lo)
            positive = bool(np.array_equal(np.log(old - lo + a), new))
            out[int(col)] = LogTransform(positive, float(lo), float(hi), float(a))
        return out

    def before_outliers(self, row: int) -> np.ndarray:
        """Indicator values of a row after imputation and before outlier treatment."""
        x = self.state.X[row].copy()
        cells = self._outlier_log[self._outlier_log["row"] == row]
        x[cells["col"].to_numpy(dtype=int)] = cells["old"].to_numpy(dtype=float)
        return x

    def treat(self, values: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Outlier treatment of new (pre-treatment) values of the columns ``cols``."""
        out = np.asarray(values, dtype=float).copy()
        for i, j in enumerate(cols):
            t = self.transforms.get(int(j))
            if t is not None:
                out[i] = t.apply(np.array([out[i]]))[0]
        return out

    def untreat(self, values: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`treat` (a treated value back to the indicator's own unit)."""
        out = np.asarray(values, dtype=float).copy()
        for i, j in enumerate(cols):
            t = self.transforms.get(int(j))
            if t is not None:
                out[i] = t.invert(np.array([out[i]]))[0]
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
        n = self.state.settings.normalization
        return m.normalize(
            np.asarray(x, dtype=float)[None, :],
            self.directions,
            method=n.method,
            shift=n.shift,
            shift_mode=n.shift_mode,
            bounds=self.anchors(year),
        )[0]

    def denormalize(self, z: np.ndarray, year: int, near: np.ndarray) -> np.ndarray:
        """Treated values whose frozen scores are ``z`` (inverse of :meth:`normalize` inside the
        anchors); for a target indicator the side of the target that ``near`` lies on."""
        n = self.state.settings.normalization
        lo, hi = self.anchors(year)
        raw = (z - n.shift) / (1.0 - n.shift) if n.shift_mode == "affine" else z - n.shift
        out = np.empty_like(raw)
        for j, d in enumerate(self.directions):
            if d == "+":
                out[j] = lo[j] + raw[j] * (hi[j] - lo[j])
            elif d == "-":
                out[j] = hi[j] - raw[j] * (hi[j] - lo[j])
            else:
                scale = max(abs(lo[j] - d), abs(hi[j] - d))
                side = 1.0 if near[j] >= d else -1.0
                out[j] = d + side * (1.0 - raw[j]) * scale
        return out

    # ------------------------------------------------------------------- chain
    def weights_in(self, idx: np.ndarray) -> np.ndarray:
        w = self.state.effective_weights
        total = w[idx].sum()
        return w[idx] / total if total > 0 else np.full(idx.size, 1 / idx.size)

    def aggregate(self, Z: np.ndarray, w: np.ndarray) -> np.ndarray:
        if self.state.settings.aggregation == "geometric":
            return m.weighted_geometric(Z, w)
        return m.weighted_arithmetic(Z, w)

    @staticmethod
    def topsis_frozen(Zb: np.ndarray, Zr: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Closeness of the rows ``Zr`` against the ideals of the baseline rows ``Zb``. Row sums
        follow the memory layout of ``Zr``, so pass the matrix laid out as the study passed it to
        get its numbers to the last bit."""
        return m.topsis(Zr, w, reference=Zb)

    def score(self, row: int, x: np.ndarray) -> Scores:
        """Score treated indicator values ``x`` in place of row ``row`` on the frozen baseline."""
        s = self.state
        settings = s.settings
        z = self.normalize(x, int(s.years[row]))
        Z = s.Z.copy()
        Z[row] = z
        if settings.aggregation == "topsis":
            U = s.U.copy()
            U[row] = [self.topsis_frozen(s.Z[:, idx], Z[:, idx], self.weights_in(idx))[row]
                      for idx in s.members]
        else:
            U = np.column_stack(
                [self.aggregate(Z[:, idx], self.weights_in(idx)) for idx in s.members]
            )
        closeness = float(self.topsis_frozen(s.Z, Z, s.effective_weights)[row])
        if settings.aggregation == "topsis":
            composite = closeness
        else:
            composite = float(self.aggregate(U, s.dimension_weights)[row])
        alpha = settings.coupling.alpha or s.framework.coupling_alpha()
        best = settings.normalization.best
        C, T, D = m.coupling_coordination(U, alpha=alpha, formula=settings.coupling.formula,
                                          upper=best)
        O = m.obstacle_degree(Z, s.effective_weights, best=best)[row]
        same_year = (s.years == s.years[row]) & (np.arange(s.years.size) != row)
        rank = 1 + int((s.composite[same_year] > composite).sum())
        return Scores(
            X=np.asarray(x, dtype=float),
            Z=z,
            U=U[row],
            composite=composite,
            closeness=closeness,
            C=float(C[row]),
            T=float(T[row]),
            D=float(D[row]),
            O=O,
            rank=rank,
        )

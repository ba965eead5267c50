"""Step 2, treatment: imputation of missing values, then the outlier rule (with its transforms).

Imputation (:func:`ronghe.methods.impute_panel`): ``linear`` within a region over years, then
the parent region's mean in the same year, then the year's mean; ``parent_mean`` skips the first
step; ``none`` makes a missing value an error. Outliers (:func:`ronghe.methods.treat_outliers`):
``coinr``, the JRC/COINr rule (winsorise up to ``max_winsor`` points while |skew| >= skew_max and
kurtosis >= kurt_max, else log-transform the column); ``none`` leaves values as they are.

The values after imputation and before the outlier rule are kept (``Treated.imputed``): CV
weights need the indicators' own ratio scale. Each rule is a row-wise map with column statistics
(the skewness, kurtosis and range of a column over all region-years), so on slices of rows the
statistics are a first pass and the map a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ronghe import methods as m
from ronghe.chain.indicators import Indicators, Log
from ronghe.errors import InputError
from ronghe.settings import Treatment


@dataclass(frozen=True)
class Treated:
    """Values after treatment (``X``), after imputation only (``imputed``), and the log."""

    X: np.ndarray
    imputed: np.ndarray
    log: Log = field(default_factory=list)


Imputation = Callable[[np.ndarray, Indicators, np.ndarray, str | None], tuple[np.ndarray, Log]]
OutlierRule = Callable[[np.ndarray, Treatment], tuple[np.ndarray, Log]]


def _by_action(log: np.ndarray, field: str) -> list[tuple[str, np.ndarray]]:
    """The kernel's log split by its action (one string per cell in the kernel's record) into
    (action, the records' positions): the log parts keep one action string each. The kernel
    writes its log in blocks of one column and one action, so only block starts are read."""
    values = log[field]
    if values.size == 0:
        return []
    starts = np.flatnonzero(np.r_[True, (values[1:] != values[:-1])
                                  | (log["col"][1:] != log["col"][:-1])])
    ends = np.r_[starts[1:], values.size]
    by: dict[str, list[np.ndarray]] = {}
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        by.setdefault(str(values[a]), []).append(np.arange(a, b))
    return [(name, np.concatenate(parts)) for name, parts in by.items()]


def _kernel_imputation(method: str) -> Imputation:
    def impute(X: np.ndarray, ind: Indicators, parent: np.ndarray, source: str | None
               ) -> tuple[np.ndarray, Log]:
        filled, log = m.impute_panel(X, ind.regions, ind.years, parent=parent, method=method)
        return filled, [{"row": log["row"][at], "col": log["col"][at],
                         "action": f"imputed: {name}", "old": np.nan, "new": log["value"][at]}
                        for name, at in _by_action(log, "method")]
    impute.__doc__ = f":func:`ronghe.methods.impute_panel` with method {method!r}."
    return impute


def _no_imputation(X: np.ndarray, ind: Indicators, parent: np.ndarray, source: str | None
                   ) -> tuple[np.ndarray, Log]:
    """A missing value is an error naming its region, year and indicator."""
    r, c = (int(v[0]) for v in np.nonzero(np.isnan(X)))
    raise InputError(
        f"missing value for region {ind.regions[r]}, year {ind.years[r]} and "
        "treatment.imputation is 'none'",
        file=source,
        indicator=ind.ids[c],
    )


def _coinr(X: np.ndarray, spec: Treatment) -> tuple[np.ndarray, Log]:
    """The JRC/COINr outlier rule of :func:`ronghe.methods.treat_outliers`.

    The log keeps no copy of a whole-column transform: its part for column j refers to the
    columns of the values before (``X``) and after the rule (views, no copy) and to one row
    vector shared by all such columns; winsorised cells are listed one by one."""
    out, log = m.treat_outliers(X, skew_max=spec.skew_max, kurt_max=spec.kurt_max,
                                max_winsor=spec.max_winsor)
    parts: Log = []
    every = np.arange(X.shape[0])
    for name, at in _by_action(log, "action"):
        cols = log["col"][at]
        if name != "log":
            parts.append({"row": log["row"][at], "col": cols, "action": name,
                          "old": log["old"][at], "new": log["new"][at]})
            continue
        for j in np.unique(cols):
            rows = log["row"][at[cols == j]]
            whole = rows.size == every.size
            parts.append({"row": every if whole else rows, "col": int(j), "action": name,
                          "old": X[:, j] if whole else X[rows, j],
                          "new": out[:, j] if whole else out[rows, j]})
    return out, parts


def _no_outlier_rule(X: np.ndarray, spec: Treatment) -> tuple[np.ndarray, Log]:
    """Values left as they are."""
    return X, []


#: ``treatment.imputation`` name -> imputation (run only when a value is missing).
IMPUTATIONS: dict[str, Imputation] = {
    "linear": _kernel_imputation("linear"),
    "parent_mean": _kernel_imputation("parent_mean"),
    "none": _no_imputation,
}
#: ``treatment.outliers`` name -> outlier rule.
OUTLIER_RULES: dict[str, OutlierRule] = {"coinr": _coinr, "none": _no_outlier_rule}


def treat(ind: Indicators, parent: np.ndarray, spec: Treatment, source: str | None = None
          ) -> Treated:
    """Impute (when a value is missing) and apply the outlier rule of ``spec`` to ``ind.X``;
    ``parent`` is the parent region (province) of each row."""
    X, log = ind.X, []
    if np.isnan(X).any():
        X, part = IMPUTATIONS[spec.imputation](X, ind, parent, source)
        log += part
    imputed = X
    X, part = OUTLIER_RULES[spec.outliers](X, spec)
    return Treated(X=X, imputed=imputed, log=log + part)


@dataclass(frozen=True)
class LogTransform:
    """The COINr log transform of one indicator, with the baseline's parameters:
    log(x - lo + a) for positive skew, -log(hi + a - x) for negative, a = 0.01 (hi - lo); a new
    value is first clipped to [lo, hi]."""

    positive: bool
    lo: float
    hi: float
    a: float

    @classmethod
    def recover(cls, old: np.ndarray, new: np.ndarray) -> LogTransform:
        """The transform that turned the column's values ``old`` into ``new`` (from the log)."""
        lo, hi = float(old.min()), float(old.max())
        a = 0.01 * (hi - lo)
        return cls(bool(np.array_equal(np.log(old - lo + a), new)), lo, hi, a)

    def apply(self, x: np.ndarray) -> np.ndarray:
        v = np.clip(x, self.lo, self.hi)
        return np.log(v - self.lo + self.a) if self.positive else -np.log(self.hi + self.a - v)

    def invert(self, v: np.ndarray) -> np.ndarray:
        e = np.asarray(v, dtype=float)
        return np.exp(e) + self.lo - self.a if self.positive else self.hi + self.a - np.exp(-e)

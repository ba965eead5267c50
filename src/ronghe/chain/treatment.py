"""Step 2, treatment: imputation of missing values, then the outlier rule (with its transforms).

Imputation (:func:`ronghe.methods.impute_panel`): ``linear`` within a region over years, then
the parent region's mean in the same year, then the year's mean; ``parent_mean`` skips the first
step; ``none`` makes a missing value an error. Outliers (:func:`ronghe.methods.treat_outliers`):
``coinr``, the JRC/COINr rule (winsorise up to ``max_winsor`` points while |skew| >= skew_max and
kurtosis >= kurt_max, else log-transform the column); ``none`` leaves values as they are.

The values after imputation and before the outlier rule (``Treated.imputed``, which CV weights
need for the indicators' own ratio scale) are not kept as a second matrix: the log holds every
value the outlier rule changed, so they are rebuilt from ``X`` and the log when asked for
(:func:`imputed_values`). Each rule is a row-wise map with column statistics
(the skewness, kurtosis and range of a column over all region-years), so on slices of rows the
statistics are a first pass and the map a second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.chain.indicators import Indicators, Log
from ronghe.errors import InputError
from ronghe.settings import Treatment

#: the actions of the outlier rule, whose log parts hold the values before the rule
OUTLIER_ACTIONS = ("winsorised", "log")


def imputed_values(X: np.ndarray, log: Log) -> np.ndarray:
    """The values before the outlier rule: ``X`` with the cells of the rule's log parts set back
    to their old values (``X`` itself when the rule changed nothing)."""
    parts = [p for p in log if np.size(p["row"]) and np.asarray(p["action"]).flat[0]
             in OUTLIER_ACTIONS]
    if not parts:
        return X
    out = X.copy()
    for p in parts:
        out[p["row"], p["col"]] = p["old"]
    return out


@dataclass(frozen=True)
class Treated:
    """Values after treatment (``X``) and the log; ``imputed`` (after imputation only) is
    rebuilt from them on first use."""

    X: np.ndarray
    log: Log = field(default_factory=list)

    @cached_property
    def imputed(self) -> np.ndarray:
        return imputed_values(self.X, self.log)


#: (values, indicators, parent per row, file, write into the values) -> (filled values, log)
Imputation = Callable[[np.ndarray, Indicators, np.ndarray, str | None, bool],
                      tuple[np.ndarray, Log]]
#: (values, spec, write into the values) -> (treated values, log)
OutlierRule = Callable[[np.ndarray, Treatment, bool], tuple[np.ndarray, Log]]


def _kernel_imputation(method: str) -> Imputation:
    def impute(X: np.ndarray, ind: Indicators, parent: np.ndarray, source: str | None,
               inplace: bool) -> tuple[np.ndarray, Log]:
        # integer codes for the kernel's groups (a string per row would cost more than X)
        region = ind.groups[0]
        parents = pd.factorize(parent, use_na_sentinel=False)[0]
        filled, parts = m.impute_parts(X, region, ind.years, parent=parents, method=method,
                                       inplace=inplace)
        by: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        for rows, col, step, values in parts:  # one part per action, in the order of the log
            by.setdefault(step, []).append((rows, np.full(rows.size, col), values))
        return filled, [{"row": np.concatenate([p[0] for p in got]),
                         "col": np.concatenate([p[1] for p in got]),
                         "action": f"imputed: {step}", "old": np.nan,
                         "new": np.concatenate([p[2] for p in got])}
                        for step, got in by.items()]
    impute.__doc__ = f":func:`ronghe.methods.impute_panel` with method {method!r}."
    return impute


def _no_imputation(X: np.ndarray, ind: Indicators, parent: np.ndarray, source: str | None,
                   inplace: bool) -> tuple[np.ndarray, Log]:
    """A missing value is an error naming its region, year and indicator."""
    r, c = (int(v[0]) for v in np.nonzero(np.isnan(X)))
    raise InputError(
        f"missing value for region {ind.regions[r]}, year {ind.years[r]} and "
        "treatment.imputation is 'none'",
        file=source,
        indicator=ind.ids[c],
    )


def _coinr(X: np.ndarray, spec: Treatment, inplace: bool) -> tuple[np.ndarray, Log]:
    """The JRC/COINr outlier rule of :func:`ronghe.methods.treat_outliers` (into ``X`` itself
    when ``inplace``).

    The log keeps whole-column transforms as one part per column (its previous values and a
    view of the new ones, rows shared by all such columns); winsorised cells are listed one by
    one, all columns in one part. Parts come in the order of the actions' first columns."""
    out = X if inplace else X.copy()
    done = m.outlier_columns(X, out, skew_max=spec.skew_max, kurt_max=spec.kurt_max,
                             max_winsor=spec.max_winsor)
    every = np.arange(X.shape[0])
    by: dict[str, Log] = {}
    for c in done:
        if c.action == "log":
            whole = c.rows.size == every.size
            by.setdefault("log", []).append({
                "row": every if whole else c.rows, "col": c.col, "action": "log", "old": c.old,
                "new": out[:, c.col] if whole else c.new})
        else:
            by.setdefault(c.action, []).append({"row": c.rows, "col": np.full(c.rows.size, c.col),
                                                "old": c.old, "new": c.new})
    parts: Log = []
    for action, items in by.items():
        if action == "log":
            parts += items
            continue
        parts.append({"row": np.concatenate([p["row"] for p in items]),
                      "col": np.concatenate([p["col"] for p in items]), "action": action,
                      "old": np.concatenate([p["old"] for p in items]),
                      "new": np.concatenate([p["new"] for p in items])})
    return out, parts


def _no_outlier_rule(X: np.ndarray, spec: Treatment, inplace: bool) -> tuple[np.ndarray, Log]:
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


def treat(ind: Indicators, parent: np.ndarray, spec: Treatment, source: str | None = None,
          *, consume: bool = False) -> Treated:
    """Impute (when a value is missing) and apply the outlier rule of ``spec`` to ``ind.X``;
    ``parent`` is the parent region (province) of each row. ``consume``: the caller gives up
    ``ind.X`` (and ``ind.raw``), so the rule may write into it instead of a copy."""
    X, log = ind.X, []
    owned = consume and X.flags.writeable  # pandas may hand out read-only views
    if np.isnan(X.sum()):  # a value is missing (one reduction, no (n, k) mask)
        X, part = IMPUTATIONS[spec.imputation](X, ind, parent, source, owned)
        log += part
        owned = True  # the imputation's copy, or X itself
    X, part = OUTLIER_RULES[spec.outliers](X, spec, owned)
    return Treated(X=X, log=log + part)


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

"""Step 1, indicators: the framework's formulas on the raw variables, then a screen of the values.

Rows are region-years (panel order), columns the framework's indicators. Formula results that are
undefined (±inf: a division by zero, say) become missing values and are logged, so treatment
imputes them; an indicator with no value at all is an error; a region with no value in any year is
named in a warning, since imputation then borrows its values entirely from means.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheWarning
from ronghe.frameworks import Framework
from ronghe.panel import Panel

Log = list[dict[str, Any]]  # parts of the treatment log: row, col, action, old, new


@dataclass(frozen=True)
class Indicators:
    """Indicator values per region-year: ``raw`` as the formulas give them, ``X`` with undefined
    values set to NaN (the input of treatment; the same array as ``raw`` when no value is
    undefined: neither is written to), and the log of those cells."""

    ids: list[str]
    regions: np.ndarray
    years: np.ndarray
    raw: np.ndarray
    X: np.ndarray
    log: Log = field(default_factory=list)
    given_groups: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @cached_property
    def groups(self) -> tuple[np.ndarray, np.ndarray]:
        """(0-based code of each row's region, the regions by code): the grouping that
        imputation and the screen use, from the panel's index when it came with one."""
        return self.given_groups if self.given_groups is not None else _factorized(self.regions)


def indicator_values(panel: Panel, framework: Framework, years: list[int] | None) -> pd.DataFrame:
    """Indicator values per region-year (index region, year), computed from the raw variables of
    ``panel`` restricted to ``years`` (all when None), before any treatment."""
    panel = _selected(panel, framework, years)
    return framework.compute(panel.data)


def panel_indicators(panel: Panel, framework: Framework, years: list[int] | None,
                     source: str | None = None) -> Indicators:
    """:func:`indicators` of :func:`indicator_values`, with ``raw`` an array of the run's own
    (writable, columns contiguous; :meth:`ronghe.frameworks.Framework.compute_array`), which
    the treatment of a study may fill in place (``treat(..., consume=True)``). Undefined values
    are screened in place too: ``raw`` is ``X`` (the log keeps the undefined values)."""
    panel = _selected(panel, framework, years)
    raw = framework.compute_array(panel.data)
    return _screened(raw, list(framework.indicator_ids), panel.data.index, source, whole=True,
                     own=True)


def _selected(panel: Panel, framework: Framework, years: list[int] | None) -> Panel:
    """The panel's rows of ``years`` (all when None), checked to hold the framework's variables."""
    if years:
        panel = panel.select(years=years)
        if panel.data.empty:
            raise InputError(f"years: none of {years} is in the data", file=panel.source)
    framework.require(list(panel.data.columns), file=panel.source or None)
    return panel


def _groups(index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's region, the regions by code) of a (region, year) index. From a
    MultiIndex the codes are the index's own (compacted) and the rows share the level's objects:
    one integer and one pointer per row, not a new string per row, which costs more than a
    column of values at village scale."""
    if isinstance(index, pd.MultiIndex):
        i = index.names.index("region")
        codes, used = pd.factorize(index.codes[i])
        return codes, index.levels[i].to_numpy(dtype=object)[used]
    return _factorized(index.get_level_values("region"))


def _factorized(regions: Any) -> tuple[np.ndarray, np.ndarray]:
    """(0-based code of each region label, the labels by code), codes in order of appearance."""
    codes, labels = pd.factorize(regions)
    return codes, np.asarray(labels, dtype=object)


def indicators(values: pd.DataFrame, source: str | None = None, *, whole: bool = True
               ) -> Indicators:
    """Arrays of the indicator frame of :func:`indicator_values`, screened (module docstring).

    ``source`` names the file in errors. Needs at least two region-years, since normalisation
    and weights compare rows. ``whole=False``: ``values`` is one slice of the panel's rows, so
    the two checks on all rows (two region-years, a value in every indicator) are left to the
    caller (:func:`check_pooled`)."""
    return _screened(values.to_numpy(dtype=float), list(values.columns), values.index, source,
                     whole=whole)


def _screened(raw: np.ndarray, ids: list[str], index: pd.Index, source: str | None,
              whole: bool, own: bool = False) -> Indicators:
    """The indicator values ``raw`` (rows ``index``) with undefined values screened (into
    ``raw`` itself when the caller gives it up: ``own``)."""
    groups = _groups(index)
    regions, years = groups[1][groups[0]], index.get_level_values("year").to_numpy()
    log: Log = []
    X = raw  # shared with ``raw`` (neither is written to) unless a value is undefined
    # two reductions tell whether any value is infinite, without an (n, k) mask
    if raw.size and (np.fmax.reduce(raw, axis=None) == np.inf
                     or np.fmin.reduce(raw, axis=None) == -np.inf):
        undefined = np.isinf(raw)
        X = raw if own else raw.copy()
        r, c = np.nonzero(undefined)
        log.append({"row": r, "col": c, "action": "undefined", "old": X[r, c], "new": np.nan})
        _warn_cells(
            "指标公式结果无定义（除以零等），按缺失值插补",
            "the indicator formula is undefined (division by zero or the like); imputed as "
            "missing",
            ids, regions, years, r, c,
        )
        X[undefined] = np.nan
    gaps = _gaps(X)
    if whole:
        check_pooled(X.shape[0], X.shape[0] - np.array([g.size for g in gaps]), ids, source)
    _warn_regions_without_values(gaps, ids, groups)
    return Indicators(ids=ids, regions=regions, years=years, raw=raw, X=X, log=log,
                      given_groups=groups)


def check_pooled(rows: int, present: np.ndarray, ids: list[str], source: str | None) -> None:
    """The checks on all rows: at least two region-years, and a value (not missing, not
    undefined) in every indicator; ``present`` counts the values of each indicator."""
    if rows < 2:
        raise InputError(
            "needs at least two region-years (normalisation and weights compare rows)",
            file=source,
        )
    empty = np.asarray(present) == 0
    if empty.any():
        raise InputError(
            "has no value in any region-year",
            file=source,
            indicator=ids[int(np.flatnonzero(empty)[0])],
        )


def _warn_cells(
    zh: str, en: str, ids: list[str], regions: np.ndarray, years: np.ndarray,
    r: np.ndarray, c: np.ndarray,
) -> None:
    """One bilingual warning per indicator naming its cells (the first five)."""
    for j in np.unique(c):
        rows = r[c == j]
        cells = ", ".join(f"{regions[i]} {int(years[i])}" for i in rows[:5])
        more = f" (+{rows.size - 5})" if rows.size > 5 else ""
        warnings.warn(
            f"指标 {ids[j]!r}：{zh}：{cells}{more}；indicator {ids[j]!r}: {en}: {cells}{more}",
            RongheWarning,
            stacklevel=4,
        )


def _gaps(X: np.ndarray) -> list[np.ndarray]:
    """The rows of each column of ``X`` that are missing, column by column through one mask
    (an (n, k) mask of a village panel is half a gigabyte)."""
    mask = np.empty(X.shape[0], dtype=bool)
    return [np.flatnonzero(np.isnan(X[:, j], out=mask)) for j in range(X.shape[1])]


def _warn_regions_without_values(gaps: list[np.ndarray], ids: list[str],
                                 groups: tuple[np.ndarray, np.ndarray]) -> None:
    """Warn about (region, indicator) pairs with no value in any year (``gaps``: the missing
    rows of each indicator): imputation fills them entirely from the province (or year) means,
    so the region's score there is borrowed."""
    codes, distinct = groups
    rows = None  # region-years per region, counted when a column first has gaps
    for j, missing in enumerate(gaps):
        if not missing.size:
            continue
        rows = np.bincount(codes, minlength=distinct.size) if rows is None else rows
        none = np.bincount(codes[missing], minlength=distinct.size) == rows
        if not none.any():
            continue
        names = sorted(str(r) for r in distinct[none])
        shown = ", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else "")
        warnings.warn(
            f"指标 {ids[j]!r}：地区 {shown} 各年均无数值，全部由省份（或全年）均值填补；"
            f"indicator {ids[j]!r}: region(s) {shown} have no value in any year and are filled "
            "entirely from province (or year) means",
            RongheWarning,
            stacklevel=4,
        )

"""The HTML report of the web platform, whole for full-scope roles and restricted to the caller's
regions for county-scoped ones.

A scoped report is built from the evaluated Result cut down to the in-scope rows (every
row-aligned array of the run, the treatment log re-indexed, and the panel's rows). Values that
come from the whole evaluation stay as they are — the composite index, C, T, D and the weights,
exactly what the overview and the API already show a scoped caller — while everything the report
derives from several regions (rankings, means, grade shares, disparity, Moran's I, profiles'
ranks and comparison means) is computed over the in-scope regions only. The method appendix
(weight tables, audit, weighting comparison, LISA) is left out: recomputed on the scope it would
not describe the weights actually used, and computed on all regions it would show out-of-scope
values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ronghe.result import Result

ROW_ARRAYS = ("regions", "years", "X", "Z", "U", "composite", "closeness", "C", "T", "D")
#: arrays a run derives on first use (:class:`ronghe.result.State`): cut from the whole run's
DERIVED = ("raw", "O", "imputed")


def scoped_result(result: Result, scope: frozenset[str] | set[str]) -> Result:
    """``result`` restricted to the regions in ``scope`` (see the module docstring)."""
    s = result.state
    keep = np.isin(s.regions.astype(str), list(scope))
    new_row = np.cumsum(keep) - 1  # old row -> new row, valid where keep
    arrays = {name: getattr(s, name)[keep] for name in ROW_ARRAYS}
    given = {name: getattr(s, name)[keep] for name in DERIVED}
    treated = []
    for part in s.treated:
        rows = np.atleast_1d(np.asarray(part["row"], dtype=int))
        sel = keep[rows]
        treated.append({key: (new_row[rows[sel]] if key == "row"
                              else np.atleast_1d(np.asarray(value))[sel]
                              if np.size(value) == len(rows) else value)
                        for key, value in part.items()})
    panel = s.panel
    codes = panel.data.index.get_level_values("region").astype(str)
    panel = replace(panel, data=panel.data[codes.isin(list(scope))],
                    regions=panel.regions[panel.regions.index.astype(str).isin(list(scope))])
    return Result(replace(s, panel=panel, treated=treated, given=given, **arrays))


def write_report(result: Result, path: Path, lang: str,
                 scope: frozenset[str] | set[str] | None) -> Path:
    """Write the report of ``result`` to ``path``: whole when ``scope`` is None, otherwise of the
    in-scope regions with a note saying so at the top of the notes."""
    from ronghe.report.content import build_content
    from ronghe.report.html import write_html

    if scope is None:
        return write_html(result, path, lang=lang)
    mine = scoped_result(result, scope)
    content = build_content(mine, lang=lang, methods=False)
    content.notes.insert(0, content.t(
        "本报告仅含您有权查看的地区：指数与耦合协调度为全体评价的结果，位次、均值、等级占比与"
        "差异分析只在这些地区之间计算；计算表附录不提供。",
        "This report covers only the regions you may read: index and coupling values are those "
        "of the whole evaluation; ranks, means, grade shares and disparities are computed among "
        "these regions only; the method-table appendix is not included."))
    return write_html(mine, path, content=content)

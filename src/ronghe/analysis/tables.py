"""The analyses in the workbook: their sheets (:func:`analysis_tables`) and the column sheet that
explains them (:func:`explanations`, labels from :data:`ronghe.words.columns.ANALYSIS_COLUMNS`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ronghe import labels
from ronghe.analysis.autocorrelation import SpatialResult, spatial
from ronghe.analysis.disparity import DisparityResult, disparity
from ronghe.analysis.drivers import DriversResult, drivers
from ronghe.analysis.dynamics import DynamicsResult, dynamics
from ronghe.words.columns import ANALYSIS_COLUMNS

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["analysis_tables", "explanations"]


_Analysis = DisparityResult | SpatialResult | DynamicsResult | DriversResult
_RUNNERS: dict[str, Callable[[Result], _Analysis]] = {
    "disparity": disparity, "spatial": spatial, "dynamics": dynamics, "drivers": drivers
}


def analysis_tables(
    result: Result,
    *,
    disparity: DisparityResult | bool | None = None,
    spatial: SpatialResult | bool | None = None,
    dynamics: DynamicsResult | bool | None = None,
    drivers: DriversResult | bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Sheets of the analyses, by name, to merge into ``Result.tables()``.

    Each argument is a computed analysis, ``True`` (run it with its defaults on ``result``) or
    None/False (left out). Sheet names are prefixed ``disparity_``, ``spatial_``, ``dynamics_``,
    ``drivers_`` and never collide with the Result's own sheets.
    """
    given = {"disparity": disparity, "spatial": spatial, "dynamics": dynamics, "drivers": drivers}
    tables: dict[str, pd.DataFrame] = {}
    for name, analysis in given.items():
        if analysis is None or analysis is False:
            continue
        done: _Analysis = _RUNNERS[name](result) if analysis is True else analysis
        tables.update(done.tables())
    return tables


def explanations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The workbook's column sheet: the shared labels, completed with the analysis columns."""
    extra: dict[str | tuple[str, str], tuple[str, str]] = dict(ANALYSIS_COLUMNS.items())
    return labels.column_sheet(tables, extra)

"""Spatio-temporal analysis of a Result: disparity, spatial autocorrelation, dynamics, drivers.

Orchestration only: every statistic comes from the kernels in :mod:`ronghe.methods` (inequality,
convergence, geodetector, density) and the PySAL layer :mod:`ronghe.spatial`; this package picks the
values out of a :class:`~ronghe.result.Result`, runs the kernels year by year and shapes tidy frames.

Variables. ``variable`` names one value per region-year: ``"index"`` (the composite index), ``"C"``,
``"T"``, ``"D"`` (coupling), ``"U_<dimension>"`` (a dimension score), an indicator id (its raw
values, in the indicator's own units, before any treatment) or a raw variable of the panel.
Analyses that need a balanced panel use complete cases: years without any value, then regions
missing a value in a remaining year, are dropped with a :class:`~ronghe.errors.RongheWarning` giving
their number (never silently).

Groups (disparity). ``"macro"``: the NBS four macro-regions (east, central, west, northeast;
:mod:`ronghe.regions.macro`); ``"province"``: the two-digit province code; or one label per
region (a mapping region → label, or a sequence in the order of :func:`regions`).

Every analysis returns a frozen dataclass whose ``tables()`` gives the sheets it adds to the
workbook (name → DataFrame) and whose ``notes()`` states its conventions; :func:`analysis_tables`
merges several into one dict.

Modules: :mod:`~ronghe.analysis.common` (values, complete cases, groups, weights),
:mod:`~ronghe.analysis.disparity` (:func:`dagum`, :func:`disparity`),
:mod:`~ronghe.analysis.autocorrelation` (:func:`moran`, :func:`spatial`),
:mod:`~ronghe.analysis.dynamics`, :mod:`~ronghe.analysis.drivers`,
:mod:`~ronghe.analysis.figures`, :mod:`~ronghe.analysis.tables` (workbook sheets and column
labels). Their words are in :mod:`ronghe.words.analysis` and :mod:`ronghe.words.columns`.
"""

from __future__ import annotations

from ronghe.analysis.autocorrelation import MoranResult, SpatialResult, moran, spatial
from ronghe.analysis.common import (
    WeightsOptions,
    detect_level,
    regions,
    variable_name,
    variable_values,
)
from ronghe.analysis.disparity import DagumResult, DisparityResult, dagum, disparity
from ronghe.analysis.drivers import DISCRETIZE_METHODS, DriversResult, drivers
from ronghe.analysis.dynamics import DynamicsResult, dynamics
from ronghe.analysis.figures import dynamics_figures, spatial_figures
from ronghe.analysis.tables import analysis_tables, explanations

__all__ = [
    "DISCRETIZE_METHODS",
    "DagumResult",
    "DisparityResult",
    "DriversResult",
    "DynamicsResult",
    "MoranResult",
    "SpatialResult",
    "WeightsOptions",
    "analysis_tables",
    "dagum",
    "detect_level",
    "disparity",
    "drivers",
    "dynamics",
    "dynamics_figures",
    "explanations",
    "moran",
    "regions",
    "spatial",
    "spatial_figures",
    "variable_name",
    "variable_values",
]

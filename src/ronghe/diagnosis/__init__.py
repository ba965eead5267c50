"""Diagnosis of a region-year: what blocks integration, which of the seeds' paths answer it, and
which structurally similar regions have already moved on the blocking indicator.

It reads an evaluated :class:`~ronghe.result.Result` (obstacle degrees O_ij = w_j (1 - z_ij) /
Σ_k w_k (1 - z_ik), which sum to 1 per region-year), the knowledge base
(:func:`ronghe.knowledge.load_knowledge`) and the kernels of :mod:`ronghe.methods.typology`.
The framework must tag indicators with the seeds' obstacle categories O1-O4 (paper 000 §四).

Conventions
-----------
- **Blocking indicators**: the ``settings.top_obstacles`` indicators with the largest obstacle
  degree, ties in framework order (as in ``Result.top_obstacles``).
- **Percentile** of an indicator: 100 (r - 1/2) / n, with r the average rank (1 = worst) of the
  region's normalised score z among the n regions of the year, or of its province: 0 is the worst,
  100 the best. This is ``scipy.stats.percentileofscore(kind="mean")``. Normalised scores order
  regions the way the index does, whatever the indicator's direction.
- **Trend**: least-squares slope, per year, of the raw value over the last ``TREND_YEARS`` years up to
  the diagnosed year (at least ``TREND_MIN_POINTS`` values present). Whether that is good follows the
  indicator's direction (``Framework.directions()``): the slope of
  ``improvement(v_first, v_t, direction)`` is > 0 (improving), < 0 (worsening) or 0 (flat, within
  rounding).
- **Obstacle categories** (one convention in every output: CLI, workbook, report, brief, web,
  API; :func:`obstacle_shares`): degree = sum of the obstacle degrees of the indicators tagged
  O1..O4 (``Result.obstacles["category"]``); the **shares of O1-O4 sum to 100 %**:
  share = degree / (O1 + O2 + O3 + O4). Indicators without an obstacle tag are **shown
  separately** as ``untagged``, their part of the total obstacle degree (1 - (O1 + ... + O4)),
  never added to the O1-O4 shares. The seeds' four obstacles are what the typology compares, so
  their shares are the ones to read side by side.
- **Recommended routes** (knowledge-base paths R1-R4 and county mechanisms): the evidence of a route
  is a set of indicators; its score is their summed obstacle degree (each indicator counted once,
  so the score is the share of the region's obstacle mass the route addresses).

  * a *path* is evidenced by every indicator tagged with an obstacle category it answers
    (``Route.obstacles``) and by every blocking indicator that triggers it by tag or id
    (``KnowledgeBase.paths_for_tags``);
  * a *mechanism* (a concrete county instrument) only by blocking indicators that trigger it.

  Routes with a score of 0 are not recommended. Equal scores (to 12 decimals) are ordered by the
  obstacle degree of the blocking indicators that the route names by id (the more specific
  evidence), then by knowledge-base order.
- **Peer exemplars** for the leading blocking indicator j, between the base year b = the earliest
  data year in [year - ``years_back``, year - 1] and the diagnosed year: the structural profile of a
  region is its normalised indicator vector z of year b (all indicators; a column with a missing
  value is left out), compared by ``peer_similarity`` (standardised Euclidean distance). Candidates
  have raw values of j in both years. Among the ``pool`` most similar regions of the same province,
  those that improved (``improvement(v_b, v_year, direction) > 0``) are ranked by improvement; if
  fewer than ``n`` are found, the ``pool`` most similar regions of other provinces fill the list
  the same way. "Regions that stood where this one stood and have since moved."
- **Typology**: ``relative_typology`` on the O1-O4 shares: a region-year's type is the category whose
  share exceeds the mean share of all regions in the same year by the largest factor, if that
  factor is at least 1.1; otherwise it is balanced. A type therefore names the obstacle a region
  suffers *more than the average region*; on raw shares, whichever category carries the most
  weight would dominate everywhere and the typology would say nothing. A region-year whose O1-O4
  degree is 0 is balanced. Index j maps to ``kb.type_for_obstacle(f"O{j+1}")``, -1 to the balanced
  type. Every diagnosis states the rule in words with the factor (``type_factor``: the location
  quotient of the type's category, or the largest one for a balanced region) and names the
  category with the largest absolute share beside it (``largest_category``), so a type that
  differs from the largest category is explained where it appears.

Modules
-------
- :mod:`~ronghe.diagnosis.records`: the records (:class:`Diagnosis`, :class:`Blocker`, :class:`Trend`,
  :class:`Share`, :class:`Recommendation`, :class:`Evidence`, :class:`Peer`);
- :mod:`~ronghe.diagnosis.setup`: what every diagnosis of one Result reads, built once and kept in
  ``result.memo`` (:func:`prepare`, :func:`peer_profiles`);
- :mod:`~ronghe.diagnosis.diagnose`: one region-year (:func:`diagnose`, :func:`locate`,
  :func:`resolve_region`, :func:`trend`, :func:`percentile`, :func:`peer_exemplars`);
- :mod:`~ronghe.diagnosis.tables`: many region-years (:func:`diagnoses`, :func:`distribution`,
  :func:`typology`, :func:`typology_summary`, :func:`obstacle_shares`, :func:`type_reason`);
- :mod:`~ronghe.diagnosis.text`: a Diagnosis as text. Words are in :mod:`ronghe.words.diagnosis`,
  column labels in :data:`ronghe.words.columns.DIAGNOSIS_COLUMNS`.
"""

from ronghe.diagnosis import records
from ronghe.diagnosis.diagnose import (
    N_PEERS,
    PEER_POOL,
    TREND_MIN_POINTS,
    TREND_YEARS,
    YEARS_BACK,
    diagnose,
    locate,
    peer_exemplars,
    percentile,
    resolve_region,
    trend,
)
from ronghe.diagnosis.records import *  # noqa: F403  (the record types, listed in records.__all__)
from ronghe.diagnosis.setup import (
    OBSTACLES,
    TYPE_THRESHOLD,
    check_obstacle_tags,
    has_obstacle_tags,
    peer_profiles,
    prepare,
)
from ronghe.diagnosis.tables import (
    NONE,
    diagnoses,
    distribution,
    obstacle_shares,
    type_reason,
    typology,
    typology_summary,
)
from ronghe.diagnosis.text import SHOWN_ROUTES
from ronghe.words.columns import DIAGNOSIS_COLUMNS as COLUMN_LABELS

__all__ = [
    *records.__all__,
    "COLUMN_LABELS", "NONE", "N_PEERS", "OBSTACLES", "PEER_POOL", "SHOWN_ROUTES",
    "TREND_MIN_POINTS", "TREND_YEARS", "TYPE_THRESHOLD", "YEARS_BACK", "check_obstacle_tags",
    "diagnose", "diagnoses", "distribution", "has_obstacle_tags", "locate", "obstacle_shares",
    "peer_exemplars", "peer_profiles", "percentile", "prepare", "resolve_region", "trend",
    "type_reason", "typology", "typology_summary",
]

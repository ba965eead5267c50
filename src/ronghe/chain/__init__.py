"""The evaluation chain as named steps, each a function on arrays (rows are region-years,
columns indicators), shared by :class:`ronghe.Study`, the frozen-anchor scenarios and targets
(:mod:`ronghe.planning.frozen`) and the uncertainty audit (:mod:`ronghe.planning.uncertainty`):

1. :func:`indicators` (framework formulas, undefined values screened);
2. :func:`treat` (imputation, outlier rule and its transforms);
3. :func:`normalise` (pooled or per-year anchors, or frozen ``bounds``);
4. :func:`indicator_weights`, :func:`dimension_weights`, :func:`effective_weights`;
5. :func:`dimension_scores`, :func:`composite`, :func:`closeness`;
6. :func:`couple`;
7. :func:`obstacles`.

Choices are looked up in registries (name -> function): :data:`IMPUTATIONS`,
:data:`OUTLIER_RULES`, :data:`NORMALISATIONS`, :data:`INDICATOR_WEIGHTINGS`,
:data:`DIMENSION_WEIGHTINGS`, :data:`AGGREGATIONS`, :data:`COUPLING_FORMULAS`. A new method is its
kernel in :mod:`ronghe.methods`, one entry here, and its name in the matching ``Literal`` of
:mod:`ronghe.settings` (a test checks that settings accept exactly the registry names).

Out of core: every step is row-wise given a few pooled statistics, which are explicit inputs —
min–max anchors (``bounds``), weights, TOPSIS ideals (``reference``) and the outlier rule's
column statistics. :mod:`ronghe.chain.partitioned` computes those in a first pass over the
partitions of a source (:mod:`ronghe.chain.sources`: the files of a Parquet folder, or ranges of
region codes of a DuckDB table or a ronghe store; sums of :mod:`ronghe.chain.pooled`) and maps
each partition in a second, in this process or on a Dask cluster
(:mod:`ronghe.chain.distributed`); ``ronghe evaluate <folder | file.duckdb | --db>`` takes that
path.
"""

from ronghe.chain.aggregation import (
    AGGREGATIONS,
    Aggregation,
    closeness,
    composite,
    dimension_scores,
    warn_constant_dimensions,
)
from ronghe.chain.coupling import COUPLING_FORMULAS, Coupled, CouplingSpec, couple
from ronghe.chain.indicators import (
    Indicators,
    check_pooled,
    indicator_values,
    indicators,
    panel_indicators,
)
from ronghe.chain.normalisation import ANCHORED, NORMALISATIONS, denormalise, normalise
from ronghe.chain.obstacles import obstacles
from ronghe.chain.treatment import IMPUTATIONS, OUTLIER_RULES, LogTransform, Treated, treat
from ronghe.chain.weights import (
    COMBINABLE,
    DIMENSION_WEIGHTINGS,
    INDICATOR_WEIGHTINGS,
    DimensionSpec,
    WeightData,
    WeightSpec,
    cap,
    dimension_index,
    dimension_weights,
    effective_weights,
    indicator_weights,
    members,
    single,
    within,
)

__all__ = [
    "AGGREGATIONS",
    "ANCHORED",
    "COMBINABLE",
    "COUPLING_FORMULAS",
    "DIMENSION_WEIGHTINGS",
    "IMPUTATIONS",
    "INDICATOR_WEIGHTINGS",
    "NORMALISATIONS",
    "OUTLIER_RULES",
    "Aggregation",
    "Coupled",
    "CouplingSpec",
    "DimensionSpec",
    "Indicators",
    "LogTransform",
    "Treated",
    "WeightData",
    "WeightSpec",
    "cap",
    "check_pooled",
    "closeness",
    "composite",
    "couple",
    "denormalise",
    "dimension_index",
    "dimension_scores",
    "dimension_weights",
    "effective_weights",
    "indicator_values",
    "indicator_weights",
    "indicators",
    "members",
    "normalise",
    "obstacles",
    "panel_indicators",
    "single",
    "treat",
    "warn_constant_dimensions",
    "within",
]

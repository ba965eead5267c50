"""Planning on an evaluated study: what-if scenarios, rank uncertainty and sensitivity, targets and
forecasts. Each function takes a :class:`~ronghe.result.Result`.

- :func:`simulate` (:mod:`ronghe.planning.scenario`): change variables or indicators of a
  region-year and score it on the frozen baseline;
- :func:`uncertainty` (:mod:`ronghe.planning.uncertainty`): Monte Carlo over methodological
  choices, rank statistics and Sobol' indices, optionally on Dask;
- :func:`target` (:mod:`ronghe.planning.targets`): yearly changes and least-effort plans to meet
  a goal by a year;
- :func:`forecast` (:mod:`ronghe.planning.forecasting`): GM(1,1) or ETS forecasts of the index
  and D.
"""

from ronghe.planning.forecasting import Forecast, forecast
from ronghe.planning.scenario import Scenario, simulate
from ronghe.planning.targets import Goal, TargetPlan, target
from ronghe.planning.uncertainty import UncertaintyResult, uncertainty

__all__ = [
    "Forecast",
    "Goal",
    "Scenario",
    "TargetPlan",
    "UncertaintyResult",
    "forecast",
    "simulate",
    "target",
    "uncertainty",
]

"""Targets: what it takes for one region to reach a goal by a year, on the frozen baseline.

A goal is ``"D>=0.6"``, ``"index>=0.5"`` or an indicator bound such as ``"income_ratio<=2.0"``
(``>=`` or ``<=``; a :class:`Goal` works too).

- Indicator goal: the required yearly change from the current value (compound rate and linear
  step, :func:`ronghe.methods.target.required_annual_change`), and what reaching it does to the
  index and D (a scenario that sets the indicator).
- Index goal under arithmetic aggregation: the composite is linear in the scores,
  index = Σ_j w_j z_j with the study's effective weights, so the least-effort plan is
  :func:`ronghe.methods.target.least_effort` (a linear programme, or the closed-form convex
  quadratic with ``method="quadratic"``).
- D goal, or an index goal under geometric or TOPSIS aggregation: the same objective (effort
  Σ cost_j |Δz_j|, or Σ cost_j Δz_j² for ``quadratic``) under the nonlinear constraint
  score(z) >= goal, solved with SciPy's SLSQP; changes are split into rises and falls so the
  linear objective stays smooth. Under arithmetic aggregation and the classic coupling formula
  with equal contributions, D = (Π_d U_d)^(1/(2m)) with each U_d linear in z, so log D is concave,
  the feasible set convex and the solution global; otherwise SLSQP gives a local optimum.

Scores move between user bounds: by default each indicator may rise from its current score up to
the best value observed in the panel (score 1 at the anchor) and may not fall; ``bounds`` gives
levels in the indicator's own unit instead. Every plan is checked by scoring it as a scenario
(:func:`ronghe.planning.scenario.simulate`), and its score changes are turned back into indicator
levels with the frozen normalisation and treatment.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from ronghe import chain
from ronghe.errors import InputError, MethodError, RongheWarning
from ronghe.methods.target import (
    CHANGED,
    AnnualChange,
    EffortPlan,
    explain,
    least_effort,
    required_annual_change,
)
from ronghe.planning.frozen import Frozen
from ronghe.planning.scenario import Scenario, simulate
from ronghe.result import Result

_GOAL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=)\s*([+-]?[0-9.]+(?:[eE][+-]?\d+)?)\s*$")


@dataclass(frozen=True)
class Goal:
    """``metric`` (``index``, ``D`` or an indicator id) ``op`` (``>=``/``<=``) ``value``."""

    metric: str
    op: str
    value: float

    @classmethod
    def parse(cls, text: str) -> Goal:
        hit = _GOAL.match(text)
        if hit is None:
            raise InputError(f"goal {text!r} not understood; write e.g. D>=0.6, index>=0.5 or "
                             "income_ratio<=2.0")
        return cls(hit.group(1), hit.group(2), float(hit.group(3)))

    def met(self, value: float) -> bool:
        return value >= self.value if self.op == ">=" else value <= self.value

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


@dataclass(frozen=True)
class TargetPlan:
    """A plan: per-indicator changes with the yearly rates they need, the scenario that checks it,
    and the plan in plain words."""

    region: str
    year: int
    by: int
    goal: Goal
    current: float
    achieved: float
    met_now: bool
    changes: pd.DataFrame
    scenario: Scenario
    explanation: list[tuple[str, str]]
    effort: float

    def tables(self) -> dict[str, pd.DataFrame]:
        head = pd.DataFrame({
            "region": [self.region], "year": [self.year], "by": [self.by], "goal": [str(self.goal)],
            "current": [self.current], "achieved": [self.achieved], "met_now": [self.met_now],
            "effort": [self.effort],
        })
        words = pd.DataFrame(self.explanation, columns=["中文", "English"])
        return {"target": head, "target_changes": self.changes,
                "target_scenario": self.scenario.summary, "explanation": words}


def _rates(current: np.ndarray, required: np.ndarray, years: int) -> AnnualChange:
    """Yearly changes; the compound rate is NaN where a level is not positive (the explanation
    says so in words, so the kernel's positional warning is not passed on)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        return required_annual_change(current, required, years)


def _compound(rate: float, lang: str) -> str:
    if np.isnan(rate):
        return "数值非正，复合增长率无定义" if lang == "zh" else "no compound rate: a level is not positive"
    return f"复合 {100 * rate:+.2f}%" if lang == "zh" else f"{100 * rate:+.2f}% compound"


def _metric(scenario: Scenario, metric: str, which: str = "scenario") -> float:
    s = getattr(scenario, which)
    return s.composite if metric == "index" else s.D


def _score_fn(fz: Frozen, row: int, metric: str) -> Callable[[np.ndarray], float]:
    """score(z) of the region-year with scores z (index or D), through the study's chain steps."""
    s = fz.state
    spec = chain.CouplingSpec.of(s.settings, s.framework)
    best = spec.best

    def score(z: np.ndarray) -> float:
        z = np.clip(z, 0.0, best)[None, :]
        U = np.clip(fz.dimension_scores(z), 0.0, best)
        if metric == "D":
            return float(chain.couple(U, spec).D[0])
        return float(fz.composite(U, z)[0])

    return score


def _nonlinear_plan(score: Callable[[np.ndarray], float], z0: np.ndarray, lo: np.ndarray,
                    hi: np.ndarray, goal: float, cost: np.ndarray,
                    method: str) -> tuple[np.ndarray, float]:
    """Least effort to reach score(z) >= goal within [lo, hi] (module docstring); (delta, effort)."""
    best = score(hi)
    if best < goal:
        raise InputError(f"the goal {goal:.4g} cannot be reached within the bounds; the best "
                         f"reachable is {best:.4g}")
    k = z0.size
    up, down = np.maximum(hi - z0, 0.0), np.maximum(z0 - lo, 0.0)

    def delta(v: np.ndarray) -> np.ndarray:
        return v[:k] - v[k:]

    def effort(v: np.ndarray) -> float:
        d = delta(v)
        return float(cost @ (v[:k] + v[k:])) if method == "linear" else float(cost @ d**2)

    res = minimize(
        effort,
        np.concatenate([up, np.zeros(k)]),
        method="SLSQP",
        bounds=list(zip(np.zeros(2 * k), np.concatenate([up, down]), strict=True)),
        constraints=[
            {"type": "ineq", "fun": lambda v: score(z0 + delta(v)) - goal},
            {"type": "ineq", "fun": lambda v: z0 + delta(v) - lo},
            {"type": "ineq", "fun": lambda v: hi - (z0 + delta(v))},
        ],
        options={"maxiter": 500, "ftol": 1e-12},
    )
    d = np.clip(delta(res.x), lo - z0, hi - z0)
    d[np.abs(d) <= CHANGED] = 0.0
    return d, effort(np.concatenate([np.maximum(d, 0), np.maximum(-d, 0)]))


def _z_bounds(fz: Frozen, row: int, year: int, z0: np.ndarray,
              bounds: Mapping[str, tuple[float | None, float | None]] | None) -> tuple:
    lo, hi = z0.copy(), np.full_like(z0, fz.state.settings.normalization.best)
    for name, (a, b) in (bounds or {}).items():
        j = fz.column(name)
        ends = []
        for v in (a, b):
            if v is None:
                continue
            x = fz.state.X[row].copy()
            x[j] = fz.treat(np.array([float(v)]), np.array([j]))[0]
            ends.append(fz.normalize(x, year)[j])
        if len(ends) == 2:
            lo[j], hi[j] = min(ends), max(ends)
        elif ends:
            lo[j], hi[j] = (min(z0[j], ends[0]), max(z0[j], ends[0]))
        if not lo[j] <= z0[j] <= hi[j]:
            lo[j], hi[j] = min(lo[j], z0[j]), max(hi[j], z0[j])
    return lo, hi


def target(
    result: Result,
    region: str,
    goal: str | Goal,
    by: int = 2035,
    year: int | None = None,
    *,
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
    cost: Mapping[str, float] | None = None,
    levers: Sequence[str] | None = None,
    method: str = "linear",
) -> TargetPlan:
    """Plan for ``region`` to meet ``goal`` by the year ``by``, starting from ``year`` (default: the
    study's last year). ``bounds``: indicator -> (low, high) levels in its own unit (None keeps
    that side's default); ``levers``: the only indicators allowed to move (default all);
    ``cost``: indicator -> effort per unit of score (default 1). See the module docstring."""
    g = goal if isinstance(goal, Goal) else Goal.parse(goal)
    fz = Frozen(result)
    s = fz.state
    year = int(s.years.max()) if year is None else int(year)
    row = fz.row(region, year)
    region = str(s.regions[row])
    if by <= year:
        raise InputError(f"the target year {by} must come after the base year {year}")
    span = by - year
    if method not in ("linear", "quadratic"):
        raise InputError(f"method must be 'linear' or 'quadratic', got {method!r}")
    fw = s.framework
    inds = fw.indicators
    baseline = simulate(result, region, year)
    if g.metric not in ("index", "D"):
        return _indicator_goal(result, fz, row, g, by, baseline)
    if g.op != ">=":
        raise InputError(f"a goal on {g.metric} must be of the form {g.metric}>=value")
    current = _metric(baseline, g.metric, "baseline")
    z0 = s.Z[row].copy()
    lo, hi = _z_bounds(fz, row, year, z0, bounds)
    if levers is not None:
        fixed = np.ones(z0.size, dtype=bool)
        fixed[[fz.column(name) for name in levers]] = False
        lo[fixed], hi[fixed] = z0[fixed], z0[fixed]
    c = np.ones(z0.size)
    for name, v in (cost or {}).items():
        c[fz.column(name)] = float(v)
    if (c <= 0).any():
        raise InputError("costs must be positive")
    w = s.effective_weights / s.effective_weights.sum()
    if current >= g.value:
        delta, effort = np.zeros_like(z0), 0.0
    elif g.metric == "index" and s.settings.aggregation == "arithmetic":
        try:
            plan = least_effort(z0, w, g.value, lo, hi, cost=c, method=method)
        except MethodError as exc:
            raise InputError(str(exc)) from None
        delta, effort = plan.delta, plan.effort
    else:
        delta, effort = _nonlinear_plan(_score_fn(fz, row, g.metric), z0, lo, hi, g.value, c,
                                        method)
    z1 = z0 + delta
    moved = np.flatnonzero(np.abs(delta) > CHANGED)
    x_now = fz.before_outliers(row)
    treated = fz.denormalize(z1, year, near=s.X[row])
    x_new = x_now.copy()
    x_new[moved] = fz.untreat(treated[moved], moved)
    scen = simulate(result, region, year, {fw.indicator_ids[j]: ("set", float(x_new[j]))
                                           for j in moved})
    rates = _rates(x_now[moved], x_new[moved], span) if moved.size else None
    changes = pd.DataFrame({
        "indicator": [inds[j].id for j in moved],
        "name_zh": [inds[j].name_zh for j in moved],
        "name_en": [inds[j].name_en for j in moved],
        "unit": [inds[j].unit for j in moved],
        "current": x_now[moved],
        "required": x_new[moved],
        "change": x_new[moved] - x_now[moved],
        "compound_rate": rates.compound_rate if rates is not None else [],
        "linear_step": rates.linear_step if rates is not None else [],
        "z_current": z0[moved],
        "z_required": z1[moved],
    })
    ep = EffortPlan(delta=delta, new_levels=z1, weights=w, score_before=float(w @ z0),
                    score_after=float(w @ z1), target=float(w @ z1), effort=effort, method=method)
    achieved = _metric(scen, g.metric)
    if achieved < g.value - 1e-6:
        warnings.warn(f"the optimiser stopped short of the goal: {g.metric} = {achieved:.6g}",
                      RongheWarning, stacklevel=2)
    words = [(
        f"目标：{region} 到 {by} 年 {g}（{year} 年为 {current:.4f}）；按此方案为 {achieved:.4f}。",
        f"Goal: {region} reaches {g} by {by} ({current:.4f} in {year}); this plan gives "
        f"{achieved:.4f}.",
    )]
    words += explain(ep, [i.name_zh for i in inds], [i.name_en for i in inds], years=span)[1:]
    for r in changes.itertuples():
        words.append((
            f"{r.name_zh}：{r.current:.4g} → {r.required:.4g} {r.unit}，"
            f"每年约 {r.linear_step:+.4g}（{_compound(r.compound_rate, 'zh')}）。",
            f"{r.name_en}: {r.current:.4g} → {r.required:.4g} {r.unit}, about "
            f"{r.linear_step:+.4g} a year ({_compound(r.compound_rate, 'en')}).",
        ))
    return TargetPlan(region=region, year=year, by=by, goal=g, current=current, achieved=achieved,
                      met_now=current >= g.value, changes=changes, scenario=scen,
                      explanation=words, effort=effort)


def _indicator_goal(result: Result, fz: Frozen, row: int, g: Goal, by: int,
                    baseline: Scenario) -> TargetPlan:
    s = fz.state
    j = fz.column(g.metric)
    ind = s.framework.indicators[j]
    year = int(s.years[row])
    region = str(s.regions[row])
    current = float(fz.before_outliers(row)[j])
    met = g.met(current)
    required = current if met else g.value
    rates = _rates(np.array([current]), np.array([required]), by - year)
    scen = simulate(result, region, year, {} if met else {g.metric: ("set", required)})
    changes = pd.DataFrame({
        "indicator": [ind.id], "name_zh": [ind.name_zh], "name_en": [ind.name_en],
        "unit": [ind.unit], "current": [current], "required": [required],
        "change": [required - current], "compound_rate": rates.compound_rate,
        "linear_step": rates.linear_step, "z_current": [s.Z[row, j]],
        "z_required": [scen.scenario.Z[j]],
    })
    if met:
        words = [(f"{region} 的{ind.name_zh}为 {current:.4g} {ind.unit}，已满足 {g}。",
                  f"{region}: {ind.name_en} is {current:.4g} {ind.unit}, already meeting {g}.")]
    else:
        words = [(
            f"{region} 的{ind.name_zh}需从 {current:.4g} 变为 {required:.4g} {ind.unit}（{by} 年），"
            f"每年约 {rates.linear_step[0]:+.4g}（{_compound(rates.compound_rate[0], 'zh')}）。",
            f"{region}: {ind.name_en} must go from {current:.4g} to {required:.4g} {ind.unit} by "
            f"{by}, about {rates.linear_step[0]:+.4g} a year "
            f"({_compound(rates.compound_rate[0], 'en')}).",
        )]
    words += scen.explain()[:1]
    return TargetPlan(region=region, year=year, by=by, goal=g, current=current,
                      achieved=required, met_now=met, changes=changes, scenario=scen,
                      explanation=words, effort=abs(required - current))

"""Targets: the yearly change a target needs, and the least-effort changes that lift a
composite score to a target.

Yearly change from ``current`` to ``target`` in ``years`` years, two ways:

- compound rate r with current (1 + r)^years = target, r = (target / current)^(1 / years) - 1,
  defined only when both values are positive;
- linear step s with current + s years = target, s = (target - current) / years.

Least effort. For a weighted arithmetic composite S = w . z of indicator scores z (already
normalised and oriented, so a higher z is better), find changes D with
lower <= z0 + D <= upper and w . (z0 + D) >= target that minimise

- ``method="linear"``: sum_j cost_j |D_j| / scale_j, a linear programme (|D| split into
  D+ - D-) solved by SciPy's HiGHS; the effort concentrates on the indicators with the best
  weight per unit cost;
- ``method="quadratic"``: sum_j cost_j (D_j / scale_j)^2, which spreads the effort. Its solution
  is in closed form (the KKT conditions of a separable convex quadratic under one linear
  constraint and box bounds): D_j = clip(lambda w_j scale_j^2 / (2 cost_j), lower_j - z0_j,
  upper_j - z0_j) with the smallest lambda >= 0 meeting the target; lambda is found exactly
  between the breakpoints of the piecewise-linear map lambda -> w . D(lambda), so no iterative
  solver (and no solver tolerance) is involved.

``scale`` (default 1, right for scores on a common [0, 1] scale) makes the effort unit-free when
the z are in different units (pass each indicator's range); ``cost`` (default 1) weighs how hard
a unit of each indicator is to move. Both must be positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linprog

from ronghe.methods._checks import as_vector, fail, warn

__all__ = [
    "CHANGED",
    "EFFORT_METHODS",
    "ROUNDING",
    "AnnualChange",
    "EffortPlan",
    "explain",
    "least_effort",
    "required_annual_change",
]

EFFORT_METHODS = ("linear", "quadratic")
CHANGED = 1e-9  # a change smaller than this (in absolute value) counts as no change
ROUNDING = 1e-12  # a target this close (relatively) to the best reachable score counts as reachable


@dataclass(frozen=True)
class AnnualChange:
    """Compound yearly rate (NaN where a value is not positive, with a warning) and linear
    yearly step."""

    compound_rate: np.ndarray
    linear_step: np.ndarray


def required_annual_change(
    current: ArrayLike, target: ArrayLike, years: float
) -> AnnualChange:
    """The yearly change taking ``current`` to ``target`` in ``years`` years (arrays broadcast;
    formulas in the module docstring)."""
    cur = as_vector(np.atleast_1d(current), "current")
    tgt = as_vector(np.atleast_1d(target), "target")
    if cur.shape != tgt.shape and 1 not in (cur.shape[0], tgt.shape[0]):
        raise fail(
            f"current 与 target 长度不一致（{cur.shape[0]} 对 {tgt.shape[0]}）",
            f"current and target differ in length ({cur.shape[0]} vs {tgt.shape[0]})",
        )
    if not isinstance(years, int | float | np.number) or not np.isfinite(years) or years <= 0:
        raise fail(f"年数须为正（{years}）", f"years must be positive, got {years}")
    cur, tgt = np.broadcast_arrays(cur, tgt)
    positive = (cur > 0) & (tgt > 0)
    if not positive.all():
        bad = ", ".join(str(i) for i in np.flatnonzero(~positive))
        warn(
            f"第 {bad} 项含非正值，复合增长率无定义（记为 NaN），请看线性年增量",
            f"position(s) {bad} have a non-positive value, so the compound rate is undefined "
            "(NaN); use the linear step",
        )
    ratio = np.divide(tgt, cur, out=np.ones_like(cur), where=positive)
    rate = np.where(positive, ratio ** (1.0 / years) - 1.0, np.nan)
    return AnnualChange(compound_rate=rate, linear_step=(tgt - cur) / years)


@dataclass(frozen=True)
class EffortPlan:
    """A least-effort plan: ``delta`` per indicator, the new levels, the score before and after, and
    the minimised ``effort`` (the objective of ``method``)."""

    delta: np.ndarray
    new_levels: np.ndarray
    weights: np.ndarray
    score_before: float
    score_after: float
    target: float
    effort: float
    method: str


def _broadcast(v: ArrayLike, name: str, k: int) -> np.ndarray:
    """A length-k vector from a scalar or a length-k sequence."""
    arr = np.atleast_1d(v)
    return as_vector(np.repeat(arr, k) if arr.shape == (1,) else arr, name, k)


def least_effort(
    z0: object,
    w: object,
    target_score: float,
    lower: ArrayLike,
    upper: ArrayLike,
    cost: ArrayLike = 1.0,
    method: str = "linear",
    scale: ArrayLike = 1.0,
) -> EffortPlan:
    """The cheapest changes lifting S = w . z from w . z0 to at least ``target_score`` with
    every level kept within [``lower``, ``upper``] (scalars broadcast; pass ``lower=z0`` to
    forbid decreases).

    Raises MethodError stating the best reachable score when the bounds cannot reach the target.
    """
    z = as_vector(z0, "z0")
    k = z.shape[0]
    wv = as_vector(w, "w", k)
    lo = _broadcast(lower, "lower", k)
    hi = _broadcast(upper, "upper", k)
    cst = _broadcast(cost, "cost", k)
    sc = _broadcast(scale, "scale", k)
    if method not in EFFORT_METHODS:
        raise fail(
            f"method 须为 {EFFORT_METHODS} 之一（{method!r}）",
            f"method must be one of {EFFORT_METHODS}, got {method!r}",
        )
    if not np.isfinite(target_score):
        raise fail("目标得分须为有限数", f"target_score must be finite, got {target_score}")
    for name, arr in (("cost", cst), ("scale", sc)):
        if (arr <= 0).any():
            j = int(np.flatnonzero(arr <= 0)[0])
            raise fail(f"{name} 第 {j} 项须为正", f"{name} element {j} must be positive ({arr[j]})")
    if (lo > hi).any():
        j = int(np.flatnonzero(lo > hi)[0])
        raise fail(
            f"第 {j} 个指标下界大于上界（{lo[j]} > {hi[j]}）",
            f"indicator {j} has lower > upper ({lo[j]} > {hi[j]})",
        )
    dlo, dhi = lo - z, hi - z
    best = float(wv @ np.where(wv > 0, hi, np.where(wv < 0, lo, np.clip(z, lo, hi))))
    if best < target_score - ROUNDING * max(1.0, abs(target_score)):
        raise fail(
            f"在给定上下界内无法达到目标 {target_score:.6g}，最高可达 {best:.6g}",
            f"target {target_score:.6g} cannot be reached within the bounds; the best reachable "
            f"score is {best:.6g}",
        )
    need = target_score - float(wv @ z)
    if method == "linear":
        delta = _linear_plan(wv, need, dlo, dhi, cst / sc)
        effort = float((cst / sc) @ np.abs(delta))
    else:
        delta = _quadratic_plan(wv, need, dlo, dhi, wv * sc**2 / (2.0 * cst))
        effort = float(cst @ (delta / sc) ** 2)
    return EffortPlan(
        delta=delta,
        new_levels=z + delta,
        weights=wv,
        score_before=float(wv @ z),
        score_after=float(wv @ (z + delta)),
        target=float(target_score),
        effort=effort,
        method=method,
    )


def _linear_plan(
    w: np.ndarray, need: float, dlo: np.ndarray, dhi: np.ndarray, unit_cost: np.ndarray
) -> np.ndarray:
    """min unit_cost . (D+ + D-) s.t. w . (D+ - D-) >= need, D+ - D- in [dlo, dhi], D+, D- >= 0.

    The box goes into the variables' own bounds (D+ in [max(dlo, 0), max(dhi, 0)], D- in
    [max(-dhi, 0), max(-dlo, 0)], which allow exactly D in [dlo, dhi]) and the score row is scaled
    to a largest coefficient of 1, so HiGHS's absolute tolerances do not depend on the units of w.
    """
    k = w.shape[0]
    top = float(np.abs(w).max())
    row = 1.0 / top if top > 0 else 1.0
    bounds = list(
        zip(
            np.concatenate([np.maximum(dlo, 0), np.maximum(-dhi, 0)]),
            np.concatenate([np.maximum(dhi, 0), np.maximum(-dlo, 0)]),
            strict=True,
        )
    )
    res = linprog(
        np.concatenate([unit_cost, unit_cost]),
        A_ub=row * np.concatenate([-w, w])[None, :],
        b_ub=[-row * need],
        bounds=bounds,
        method="highs",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )
    if res.status != 0:
        raise fail(
            f"线性规划求解失败：{res.message}", f"the linear programme failed: {res.message}"
        )
    return np.clip(res.x[:k] - res.x[k:], dlo, dhi)


def _quadratic_plan(
    w: np.ndarray, need: float, dlo: np.ndarray, dhi: np.ndarray, kappa: np.ndarray
) -> np.ndarray:
    """D(lambda) = clip(lambda kappa, dlo, dhi) at the smallest lambda >= 0 with w . D >= need."""
    moving = kappa != 0
    breaks = np.concatenate([dlo[moving] / kappa[moving], dhi[moving] / kappa[moving]])
    lam = np.unique(np.concatenate([[0.0], breaks[breaks > 0]]))
    gain = np.clip(lam[:, None] * kappa[None, :], dlo, dhi) @ w
    above = np.flatnonzero(gain >= need)
    if above.size == 0:  # the target is the best reachable score up to rounding
        return np.clip(lam[-1] * kappa, dlo, dhi)
    i = int(above[0])
    if i == 0:
        return np.clip(0.0, dlo, dhi)
    t = (need - gain[i - 1]) / (gain[i] - gain[i - 1])
    return np.clip((lam[i - 1] + t * (lam[i] - lam[i - 1])) * kappa, dlo, dhi)


def explain(
    plan: EffortPlan,
    names: list[str],
    names_en: list[str] | None = None,
    years: float | None = None,
    digits: int = 3,
) -> list[tuple[str, str]]:
    """The plan in plain words: a list of (zh, en) sentences, the score first, then each change in
    order of its contribution to the score, with the linear yearly step when ``years`` is given."""
    k = plan.delta.shape[0]
    if len(names) != k or (names_en is not None and len(names_en) != k):
        raise fail(f"指标名称须有 {k} 个", f"names must have {k} entries, one per indicator")
    en = names_en if names_en is not None else names
    f = f"{{:.{digits}f}}"
    before, after, target = (
        f.format(v) for v in (plan.score_before, plan.score_after, plan.target)
    )
    lines = [
        (
            f"目标得分 {target}：当前得分 {before}，按此方案调整后为 {after}。",
            f"Target score {target}: the score is {before} now and {after} after this plan.",
        )
    ]
    changed = np.flatnonzero(np.abs(plan.delta) > CHANGED)
    if changed.size == 0:
        lines.append(
            (
                "当前得分已达到目标，无需调整。",
                "The score already meets the target; nothing needs to change.",
            )
        )
        return lines
    contribution = plan.weights * plan.delta
    for j in changed[np.argsort(-contribution[changed], kind="stable")]:
        a, b = f.format(plan.new_levels[j] - plan.delta[j]), f.format(plan.new_levels[j])
        d, c = f.format(abs(plan.delta[j])), f"{contribution[j]:+.{digits}f}"
        verb_zh, verb_en, sign = (
            ("提高", "Raise", "+") if plan.delta[j] > 0 else ("降低", "Lower", "-")
        )
        zh = f"把{names[j]}从 {a} {verb_zh}到 {b}（{sign}{d}），得分变化 {c}"
        sentence_en = f"{verb_en} {en[j]} from {a} to {b} ({sign}{d}), changing the score by {c}"
        if years is not None:
            step = f.format(plan.delta[j] / years)
            zh += f"，即 {years:g} 年内每年约 {step}"
            sentence_en += f", about {step} a year over {years:g} years"
        lines.append((zh + "。", sentence_en + "."))
    if changed.size < k:
        lines.append(("其余指标保持不变。", "All other indicators stay as they are."))
    return lines

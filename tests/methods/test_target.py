"""Required yearly change and least-effort plans (ronghe.methods.target)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods.target import explain, least_effort, required_annual_change


def test_required_annual_change_hand_worked():
    # doubling in 10 years: (1 + r)^10 = 2, r = 2^0.1 - 1 = 0.0717735; linear step (2 - 1)/10
    res = required_annual_change([1.0, 2.5], [2.0, 2.0], 10)
    assert res.compound_rate == pytest.approx([2**0.1 - 1, 0.8**0.1 - 1])
    assert res.compound_rate[0] == pytest.approx(0.0717735, abs=1e-7)
    assert res.linear_step == pytest.approx([0.1, -0.05])
    assert 1.0 * (1 + res.compound_rate[0]) ** 10 == pytest.approx(2.0)
    # scalars broadcast against arrays
    assert required_annual_change(1.0, [2.0, 4.0], 2).linear_step == pytest.approx([0.5, 1.5])


def test_required_annual_change_nonpositive_and_errors():
    with pytest.warns(RongheWarning, match="position"):
        res = required_annual_change([0.0, 1.0], [1.0, 1.21], 2)
    assert np.isnan(res.compound_rate[0]) and res.compound_rate[1] == pytest.approx(0.1)
    assert res.linear_step == pytest.approx([0.5, 0.105])
    with pytest.raises(MethodError, match="years must be positive"):
        required_annual_change(1.0, 2.0, 0)
    with pytest.raises(MethodError, match="differ in length"):
        required_annual_change([1.0, 2.0], [1.0, 2.0, 3.0], 5)


def test_least_effort_hand_worked():
    z0, w = [0.3, 0.5, 0.2], [0.5, 0.3, 0.2]
    # score now 0.5*0.3 + 0.3*0.5 + 0.2*0.2 = 0.34; the target needs +0.16.
    # linear, equal costs: the heaviest weight buys most score per unit: D0 = 0.16 / 0.5 = 0.32
    lin = least_effort(z0, w, 0.5, 0, 1)
    assert lin.score_before == pytest.approx(0.34)
    assert lin.delta == pytest.approx([0.32, 0, 0], abs=1e-9)
    assert lin.effort == pytest.approx(0.32) and lin.score_after == pytest.approx(0.5)
    # quadratic, equal costs: D_j = lambda w_j / 2 with 0.16 = (lambda / 2) sum w^2 = (lambda/2) 0.38
    quad = least_effort(z0, w, 0.5, 0, 1, method="quadratic")
    assert quad.delta == pytest.approx(0.16 / 0.38 * np.array(w))
    assert quad.effort == pytest.approx((0.16 / 0.38) ** 2 * 0.38)
    # a cap on indicator 0 moves the rest of the linear effort to the next best (weight 0.3)
    capped = least_effort(z0, w, 0.5, 0, [0.4, 1, 1])
    assert capped.delta == pytest.approx([0.1, (0.16 - 0.05) / 0.3, 0], abs=1e-9)
    # costs change the order: score per unit effort is 0.5/3 = 0.167, 0.3/1 and 0.2/1, so
    # indicator 1 goes first up to its cap (+0.5 adds 0.15), then indicator 2 adds the last 0.01
    costly = least_effort(z0, w, 0.5, 0, 1, cost=[3, 1, 1])
    assert costly.delta == pytest.approx([0, 0.5, 0.01 / 0.2], abs=1e-9)
    assert costly.effort == pytest.approx(0.55)


def test_least_effort_already_met_and_infeasible():
    plan = least_effort([0.9, 0.9], [0.5, 0.5], 0.6, 0, 1, method="quadratic")
    assert plan.delta == pytest.approx([0, 0]) and plan.effort == 0
    # a target equal to the best reachable score stays reachable despite rounding in lambda
    hi = np.array([0.1, 0.83])
    for method in ("linear", "quadratic"):
        top = least_effort([0, 0], [1e-3, 1e-3], np.array([1e-3, 1e-3]) @ hi, 0, hi, method=method)
        assert top.new_levels == pytest.approx(hi, rel=1e-9)
    with pytest.raises(MethodError, match=r"best reachable score is 0\.7"):
        least_effort([0.3, 0.5], [0.5, 0.5], 0.8, 0, [0.9, 0.5])
    with pytest.raises(MethodError, match="lower > upper"):
        least_effort([0.3, 0.5], [0.5, 0.5], 0.5, [0.4, 0], [0.3, 1])
    with pytest.raises(MethodError, match="cost element 1 must be positive"):
        least_effort([0.3, 0.5], [0.5, 0.5], 0.5, 0, 1, cost=[1, 0])
    with pytest.raises(MethodError, match="method"):
        least_effort([0.3, 0.5], [0.5, 0.5], 0.5, 0, 1, method="cubic")


def _vertex_brute_force(z0, w, target, lo, hi, unit_cost):
    """Exact minimum of sum unit_cost |D| over {lo <= z0 + D <= hi, w.(z0 + D) >= target} by
    enumerating vertices: |D| is linear on each sub-box split at D = 0, so an optimum has every
    coordinate but at most one at lo, 0 or hi, the free one fixed by w.(z0 + D) = target."""
    dlo, dhi = lo - z0, hi - z0
    cands = [
        sorted({dlo[j], dhi[j]} | ({0.0} if dlo[j] <= 0 <= dhi[j] else set()))
        for j in range(len(z0))
    ]
    need = target - w @ z0
    best = np.inf
    for free in range(len(z0)):
        others = [j for j in range(len(z0)) if j != free]
        for combo in itertools.product(*(cands[j] for j in others)):
            d = np.zeros(len(z0))
            d[others] = combo
            for dj in cands[free] + ([(need - w[others] @ d[others]) / w[free]] if w[free] else []):
                d[free] = dj
                if dlo[free] - 1e-12 <= dj <= dhi[free] + 1e-12 and w @ d >= need - 1e-12:
                    best = min(best, unit_cost @ np.abs(d))
    return best


def test_linear_matches_brute_force_on_tiny_problems():
    rng = np.random.default_rng(2024)
    checked = 0
    for _ in range(60):
        k = int(rng.integers(2, 5))
        z0 = rng.uniform(0, 1, k)
        w = rng.dirichlet(np.ones(k))
        lo = np.minimum(z0, rng.uniform(0, 1, k))
        hi = np.maximum(z0, rng.uniform(0, 1, k))
        cost = rng.uniform(0.5, 3, k)
        target = w @ z0 + rng.uniform(0, 1) * (w @ hi - w @ z0)
        plan = least_effort(z0, w, target, lo, hi, cost=cost)
        oracle = _vertex_brute_force(z0, w, target, lo, hi, cost)
        assert plan.effort == pytest.approx(oracle, abs=1e-8)
        checked += 1
    assert checked == 60


def test_quadratic_matches_slsqp():
    rng = np.random.default_rng(7)
    for _ in range(20):
        k = int(rng.integers(2, 7))
        z0 = rng.uniform(0, 1, k)
        w = rng.dirichlet(np.ones(k))
        lo, hi = np.zeros(k), np.minimum(1.0, z0 + rng.uniform(0.05, 0.6, k))
        cost = rng.uniform(0.5, 3, k)
        target = w @ z0 + rng.uniform(0.1, 0.9) * (w @ hi - w @ z0)
        plan = least_effort(z0, w, target, lo, hi, cost=cost, method="quadratic")
        ref = minimize(
            lambda d, cost=cost: cost @ d**2,
            np.zeros(k),
            jac=lambda d, cost=cost: 2 * cost * d,
            method="SLSQP",
            bounds=list(zip(lo - z0, hi - z0, strict=True)),
            constraints=[{"type": "ineq", "fun": lambda d, w=w, z0=z0, t=target: w @ (z0 + d) - t}],
            options={"ftol": 1e-12, "maxiter": 500},
        )
        # SLSQP sometimes stops at the optimum with "positive directional derivative", so judge
        # its point rather than its status: feasible up to 1e-8, and then no cheaper than the
        # closed form beyond what that slack buys (multiplier ~ 1.6 x 1e-8)
        assert w @ (z0 + ref.x) >= target - 1e-8
        assert np.all(ref.x >= lo - z0 - 1e-10) and np.all(ref.x <= hi - z0 + 1e-10)
        assert plan.effort <= ref.fun + 1e-7
        assert plan.effort == pytest.approx(ref.fun, rel=1e-6, abs=1e-10)
        assert plan.delta == pytest.approx(ref.x, abs=1e-5)


@st.composite
def problems(draw):
    k = draw(st.integers(1, 6))
    unit = st.floats(0, 1, allow_nan=False)
    z0 = np.array(draw(st.lists(unit, min_size=k, max_size=k)))
    w = np.array(draw(st.lists(st.floats(0, 1), min_size=k, max_size=k))) + 1e-3
    a = np.array(draw(st.lists(unit, min_size=k, max_size=k)))
    b = np.array(draw(st.lists(unit, min_size=k, max_size=k)))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    cost = np.array(draw(st.lists(st.floats(0.1, 10), min_size=k, max_size=k)))
    frac = draw(st.floats(0, 1))
    target = float(w @ lo + frac * (w @ hi - w @ lo))
    seed = draw(st.integers(0, 2**32 - 1))
    return z0, w, target, lo, hi, cost, seed


@settings(max_examples=80, deadline=None)
@given(problems(), st.sampled_from(["linear", "quadratic"]))
def test_plans_are_feasible_and_no_costlier_than_random_feasible_points(problem, method):
    z0, w, target, lo, hi, cost, seed = problem
    plan = least_effort(z0, w, target, lo, hi, cost=cost, method=method)
    new = z0 + plan.delta
    assert np.all(new >= lo - 1e-9) and np.all(new <= hi + 1e-9)
    assert w @ new >= target - 1e-9
    assert plan.new_levels == pytest.approx(new)

    def effort(d):
        return cost @ np.abs(d) if method == "linear" else cost @ d**2

    assert plan.effort == pytest.approx(effort(plan.delta), rel=1e-9, abs=1e-12)
    rng = np.random.default_rng(seed)
    points = rng.uniform(lo, hi, size=(200, len(z0)))
    feasible = points[points @ w >= target]
    for p in feasible:
        assert plan.effort <= effort(p - z0) + 1e-7


@settings(max_examples=40, deadline=None)
@given(problems(), st.lists(st.floats(0.01, 100), min_size=6, max_size=6))
def test_effort_is_invariant_to_indicator_units(problem, factors):
    # indicator j measured in units s_j times smaller: z, bounds and scale times s_j, w over s_j
    z0, w, target, lo, hi, cost, _ = problem
    s = np.array(factors[: len(z0)])
    for method in ("linear", "quadratic"):
        base = least_effort(z0, w, target, lo, hi, cost=cost, method=method)
        units = least_effort(s * z0, w / s, target, s * lo, s * hi, cost, method, scale=s)
        assert units.effort == pytest.approx(base.effort, rel=1e-6, abs=1e-9)
        if method == "quadratic":  # strictly convex: the plan itself is unique
            assert units.delta == pytest.approx(s * base.delta, rel=1e-6, abs=1e-9)


def test_explain_in_plain_words():
    plan = least_effort([0.3, 0.5, 0.2], [0.5, 0.3, 0.2], 0.5, 0, [0.4, 1, 1])
    lines = explain(
        plan, ["收入比", "公路密度", "医疗"], ["income ratio", "road density", "health"], years=10
    )
    zh, en = zip(*lines, strict=True)
    assert zh[0] == "目标得分 0.500：当前得分 0.340，按此方案调整后为 0.500。"
    assert en[0] == "Target score 0.500: the score is 0.340 now and 0.500 after this plan."
    # changes in order of their contribution: road density adds 0.110, income ratio 0.050
    assert (
        zh[1]
        == "把公路密度从 0.500 提高到 0.867（+0.367），得分变化 +0.110，即 10 年内每年约 0.037。"
    )
    assert en[2] == (
        "Raise income ratio from 0.300 to 0.400 (+0.100), changing the score by +0.050, "
        "about 0.010 a year over 10 years."
    )
    assert lines[-1] == ("其余指标保持不变。", "All other indicators stay as they are.")
    met = least_effort([0.9, 0.9], [0.5, 0.5], 0.6, 0, 1)
    assert explain(met, ["a", "b"])[-1][0] == "当前得分已达到目标，无需调整。"
    forced = least_effort([0.9, 0.2], [0.5, 0.5], 0.5, 0, [0.8, 1])
    assert "降低" in explain(forced, ["a", "b"])[1][0]
    with pytest.raises(MethodError, match="names"):
        explain(plan, ["a"])

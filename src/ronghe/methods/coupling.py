"""Coupling coordination (耦合协调度) between subsystems, its grades, stages and development types.

Written here because no maintained Python library implements the model with both the classic and
the corrected coupling degree, the 10-level grade table and zh/en labels used in Chinese regional
studies.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ronghe.methods._checks import as_matrix, as_vector, fail
from ronghe.words import lang_index

__all__ = [
    "CCD_LEVELS",
    "COUPLING_STAGES",
    "ROUNDING_ULPS",
    "CcdLevel",
    "CouplingResult",
    "GradeResult",
    "StageResult",
    "ccd_grade",
    "coupling_coordination",
    "coupling_stage",
    "development_type",
]


class CcdLevel(NamedTuple):
    """One coupling-coordination grade: D in [lower, upper) (the last grade includes 1.0)."""

    level: int
    lower: float
    upper: float
    zh: str
    en: str


CCD_LEVELS: tuple[CcdLevel, ...] = (
    CcdLevel(1, 0.0, 0.1, "极度失调", "extreme imbalance"),
    CcdLevel(2, 0.1, 0.2, "严重失调", "serious imbalance"),
    CcdLevel(3, 0.2, 0.3, "中度失调", "moderate imbalance"),
    CcdLevel(4, 0.3, 0.4, "轻度失调", "mild imbalance"),
    CcdLevel(5, 0.4, 0.5, "濒临失调", "on the verge of imbalance"),
    CcdLevel(6, 0.5, 0.6, "勉强协调", "barely coordinated"),
    CcdLevel(7, 0.6, 0.7, "初级协调", "primary coordination"),
    CcdLevel(8, 0.7, 0.8, "中级协调", "intermediate coordination"),
    CcdLevel(9, 0.8, 0.9, "良好协调", "good coordination"),
    CcdLevel(10, 0.9, 1.0, "优质协调", "high-quality coordination"),
)

# (upper bound, zh, en); stage s covers (previous upper, upper], and C = 0 falls in the first stage.
COUPLING_STAGES: tuple[tuple[float, str, str], ...] = (
    (0.3, "低水平耦合", "low-level coupling"),
    (0.5, "拮抗", "antagonism"),
    (0.8, "磨合", "running-in"),
    (1.0, "高水平耦合", "high-level coupling"),
)


# Values this close outside [0, upper] are rounding (a few ulps), not data: they are clipped.
ROUNDING_ULPS = 8


def _unit_interval(values: object, name: str, upper: float = 1.0) -> np.ndarray:
    """Values as a vector in [0, upper]; within ROUNDING_ULPS ulps outside it they are clipped,
    further out MethodError names the first one."""
    arr = as_vector(np.ravel(np.asarray(values, dtype=np.float64)), name)
    scale = max(upper, 1.0) if np.isfinite(upper) else 1.0
    tol = ROUNDING_ULPS * np.finfo(np.float64).eps * scale
    lo, hi = (arr.min(), arr.max()) if arr.size else (0.0, 0.0)
    if lo < -tol or hi > upper + tol:
        i = int(np.flatnonzero((arr < -tol) | (arr > upper + tol))[0])
        raise fail(
            f"{name} 第 {i} 个值 {arr[i]} 不在 [0, {upper:g}]",
            f"{name}[{i}] = {arr[i]} is outside [0, {upper:g}]",
        )
    # ``arr`` is as_vector's own copy: clipped in place, and only when a value needs it
    return np.clip(arr, 0.0, upper, out=arr) if lo < 0 or hi > upper else arr


class CouplingResult(NamedTuple):
    """Per row: coupling degree C, development index T and coordination degree D = sqrt(C·T);
    unpacks as ``C, T, D = coupling_coordination(U)``."""

    C: np.ndarray
    T: np.ndarray
    D: np.ndarray


class GradeResult(NamedTuple):
    """Coupling-coordination grade per value: ``level`` 1..10 and its ``label`` in the language
    asked for; unpacks as ``level, label = ccd_grade(D)``."""

    level: np.ndarray
    label: np.ndarray


class StageResult(NamedTuple):
    """Coupling stage per value: ``stage`` 1..4 and its ``label`` in the language asked for;
    unpacks as ``stage, label = coupling_stage(C)``."""

    stage: np.ndarray
    label: np.ndarray


def coupling_coordination(
    U: object, alpha: object = None, formula: str = "classic", upper: float = 1.0
) -> CouplingResult:
    """Coupling degree C, development index T and coupling coordination degree D = sqrt(C·T).

    U is (n, m): n rows (region-years), m ≥ 2 subsystem scores in [0, ``upper``]. ``upper`` is the
    best attainable score: 1, or 1 + s under the additive shift (scores min–max + s, the
    "+0.0001" convention of many published studies). Values within a few ulps outside
    [0, upper] are rounding and are clipped; further out they raise MethodError.

    ``formula="classic"``: C = m · [Π_i U_i / (Σ_i U_i)^m]^(1/m), i.e. the geometric over the
    arithmetic mean of the U_i; for m = 2, C = 2·sqrt(U1·U2)/(U1 + U2).

    ``formula="corrected"`` (王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 2021,
    国内耦合协调度模型的误区及修正, 自然资源学报 36(3): 793–810, doi:10.31497/zrzyxb.20210319):
    C = sqrt{ [1 - Σ_{i>j} sqrt((U_i - U_j)^2) / Σ_{s=1}^{m-1} s]
              × [Π_i (U_i / max_j U_j)]^(1/(m-1)) }.
    The first factor is one minus the mean absolute pairwise gap (there are m(m-1)/2 pairs); the
    second is the geometric-type ratio of each subsystem to the leading one. For m = 2:
    C = sqrt{(1 - |U1 - U2|) · min(U1, U2)/max(U1, U2)}.

    T = Σ_i α_i U_i, α defaulting to 1/m each (must be non-negative and sum to 1).
    A row with every U_i = 0 has C = T = D = 0 by definition (both formulas are 0/0 there).
    C lies in [0, 1] and T in [0, upper] (clipped against rounding); D is capped at 1, the top of
    the grade scale (with upper = 1 + s the cap moves D by at most s/2, and only for a row whose
    every subsystem is near its best).
    """
    arr = as_matrix(U, "U", copy=False)
    m = arr.shape[1]
    if m < 2:
        raise fail("耦合协调度至少需要 2 个子系统", f"coupling needs m >= 2 subsystems, got {m}")
    if not (np.isfinite(upper) and upper > 0):
        raise fail(f"上界 {upper} 无效", f"upper must be > 0, got {upper}")
    arr = _unit_interval(arr.ravel(), "U", upper).reshape(arr.shape)
    if alpha is None:
        a = np.full(m, 1.0 / m)
    else:
        a = as_vector(alpha, "alpha", m)
        if (a < 0).any() or abs(a.sum() - 1.0) > 1e-9:
            raise fail("alpha 须非负且和为 1", "alpha must be non-negative and sum to 1")
    top = arr.max(axis=1)
    # Both formulas use U_i / max U only through scale-free ratios; dividing by the row maximum
    # first keeps the products from underflowing when all U are tiny.
    rel = arr / np.where(top > 0, top, 1.0)[:, None]
    if formula == "classic":
        total = np.where(top > 0, rel.sum(axis=1), 1.0)
        C = np.where(top > 0, m * rel.prod(axis=1) ** (1.0 / m) / total, 0.0)
    elif formula == "corrected":
        gaps = sum(np.abs(arr[:, i] - arr[:, j]) for i in range(m) for j in range(i))
        balance = np.clip(1.0 - gaps / (m * (m - 1) / 2), 0.0, 1.0)
        ratio = rel.prod(axis=1) ** (1.0 / (m - 1))
        C = np.where(top > 0, np.sqrt(balance * ratio), 0.0)
    else:
        raise fail(
            f"未知耦合度公式 {formula!r}",
            f"formula must be 'classic' or 'corrected', got {formula!r}",
        )
    C = np.clip(C, 0.0, 1.0)
    T = np.clip(arr @ a, 0.0, upper)
    D = np.minimum(np.sqrt(C * T), 1.0)
    return CouplingResult(C, T, D)


def ccd_grade(D: object, lang: str = "zh") -> GradeResult:
    """Ten equal-width grades of D: level k covers [(k-1)/10, k/10), with D = 1.0 in level 10.

    Returns a :class:`GradeResult` (levels as int 1..10, labels in ``lang``); see ``CCD_LEVELS``
    for the table.
    D outside [0, 1] (beyond a few ulps of rounding, which are clipped) raises MethodError.
    """
    col = lang_index(lang) + 3
    d = _unit_interval(D, "D")
    edges = np.array([lv.lower for lv in CCD_LEVELS[1:]])
    levels = np.searchsorted(edges, d, side="right") + 1
    labels = np.array([lv[col] for lv in CCD_LEVELS])[levels - 1]
    return GradeResult(levels.astype(np.int64), labels)


def coupling_stage(C: object, lang: str = "zh") -> StageResult:
    """Coupling stage by C: (0, 0.3] low-level, (0.3, 0.5] antagonism, (0.5, 0.8] running-in,
    (0.8, 1] high-level coupling; C = 0 (no coupling at all) is reported as low-level.

    Returns a :class:`StageResult` (stage as int 1..4, labels in ``lang``).
    """
    col = lang_index(lang) + 1
    c = _unit_interval(C, "C")
    edges = np.array([s[0] for s in COUPLING_STAGES[:-1]])
    stages = np.searchsorted(edges, c, side="left") + 1
    labels = np.array([s[col] for s in COUPLING_STAGES])[stages - 1]
    return StageResult(stages.astype(np.int64), labels)


_ZH_NAMES = {"urban": "城镇", "rural": "乡村"}


def development_type(
    U1: object,
    U2: object,
    tol: float = 0.1,
    lang: str = "zh",
    names: tuple[str, str] = ("urban", "rural"),
    rule: str = "difference",
) -> np.ndarray:
    """Relative development type of two subsystems (e.g. urban U1, rural U2).

    ``rule="difference"`` (default, the common rule): U1 - U2 > tol → second subsystem lagged
    (乡村滞后型 / rural-lagged); U2 - U1 > tol → first lagged (城镇滞后型 / urban-lagged);
    otherwise synchronous (同步型).
    ``rule="ratio"`` (used by some papers): r = U2/U1; r < 0.9 → second lagged, r > 1.1 → first
    lagged, else synchronous (``tol`` is ignored; U1 = 0 counts as first lagged unless U2 = 0 too).

    ``names`` are the subsystem names used in the labels (zh labels translate "urban"/"rural" and
    use any other name as given). Scores must be non-negative (any scale: under the additive
    shift they reach 1 + s). Returns an array of labels in ``lang``.
    """
    lang_index(lang)
    if len(names) != 2:
        raise fail(
            "names 须为两个子系统名称", f"names must hold two subsystem names, got {names!r}"
        )
    u1 = _unit_interval(U1, "U1", np.inf)
    u2 = _unit_interval(U2, "U2", np.inf)
    if u1.shape != u2.shape:
        raise fail("U1 与 U2 长度不同", f"U1 and U2 differ in length ({u1.size} vs {u2.size})")
    if not (np.isfinite(tol) and tol >= 0):
        raise fail(f"容差 {tol} 无效", f"tol must be >= 0, got {tol}")
    if rule == "difference":
        second_lags = u1 - u2 > tol
        first_lags = u2 - u1 > tol
    elif rule == "ratio":
        safe = np.where(u1 > 0, u1, 1.0)
        ratio = np.where(u1 > 0, u2 / safe, np.where(u2 > 0, np.inf, 1.0))
        second_lags = ratio < 0.9
        first_lags = ratio > 1.1
    else:
        raise fail(f"未知判定规则 {rule!r}", f"rule must be 'difference' or 'ratio', got {rule!r}")
    if lang == "zh":
        first, second = (_ZH_NAMES.get(nm, nm) for nm in names)
        labels = (f"{first}滞后型", f"{second}滞后型", "同步型")
    else:
        labels = (f"{names[0]}-lagged", f"{names[1]}-lagged", "synchronous")
    return np.where(first_lags, labels[0], np.where(second_lags, labels[1], labels[2]))

"""Step 4, weights: indicator weights w, dimension weights W and the effective weights.

Indicator weights are computed globally, all region-years as samples: ``entropy`` and ``critic``
on the scores Z, ``cv`` on the values after imputation and before outlier treatment (the ratio
scale it needs), ``equal`` 1/k, ``fixed`` from the settings or the framework (scaled to sum 1),
``combined`` a combination (:func:`ronghe.methods.combine_weights`) of the combinable methods.
Data-driven weights (``capped``) are capped at ``cap`` times the equal share 1/k+ of the k+
positive weights (:func:`ronghe.methods.cap_weights`); fixed and equal weights never are.

Dimension weights: ``sum`` (W_d = Σ_{j in d} w_j, following the indicator weights), ``equal``,
``fixed`` (settings, else the framework's dimension weights) and ``ahp`` (the principal
eigenvector of the pairwise matrix; a warning when CR > 0.1).

Effective weights: w*_j = W_d w_j / Σ_{i in d} w_i for j in dimension d, an even split of W_d
over the dimension's (active) indicators when their weights sum to 0. Within a dimension the
aggregation uses w*_j / Σ_{i in d} w*_i (:func:`within`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ronghe import methods as m
from ronghe.errors import InputError, MethodError
from ronghe.frameworks import Framework
from ronghe.settings import Weighting


@dataclass(frozen=True)
class WeightData:
    """What indicator weights are computed from: the scores ``Z`` and the values ``X`` after
    imputation only (ratio scale), both (n, k); ``X`` may be a function returning them, called
    only by the methods that read them (CV), since the chain rebuilds them on demand."""

    X: np.ndarray | Callable[[], np.ndarray]
    Z: np.ndarray
    ids: list[str]

    def values(self) -> np.ndarray:
        """``X``, built now if it was given as a function."""
        return self.X() if callable(self.X) else self.X


@dataclass(frozen=True)
class WeightSpec:
    """Indicator weighting with the framework's choices resolved (``framework`` -> its method)."""

    method: str
    combine: tuple[str, ...] = ("entropy", "critic")
    combine_method: str = "multiplicative"
    fixed: Mapping[str, float] | None = None
    cap: float | None = None
    setting: str = "weighting.indicators"

    @classmethod
    def of(cls, s: Weighting, fw: Framework) -> WeightSpec:
        by_fw = s.indicators == "framework"
        return cls(
            method=fw.weighting_method() if by_fw else s.indicators,
            combine=tuple(fw.combine_methods() if by_fw else s.combine),
            combine_method=s.combine_method,
            fixed=s.fixed or fw.fixed_weights(),
            cap=s.cap,
        )


@dataclass(frozen=True)
class IndicatorWeighting:
    """A registry entry: ``kernel(data, spec)`` -> weights summing to 1; ``capped``: subject to
    ``weighting.cap``; ``combinable``: may enter ``combined``."""

    kernel: Callable[[WeightData, WeightSpec], np.ndarray]
    capped: bool
    combinable: bool


def _entropy(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """Entropy weights of Z (:func:`ronghe.methods.entropy_weights`)."""
    return m.entropy_weights(d.Z)


def _critic(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """CRITIC weights of Z (:func:`ronghe.methods.critic_weights`)."""
    return m.critic_weights(d.Z)


def _cv(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """Coefficient-of-variation weights of the imputed values (:func:`ronghe.methods.cv_weights`)."""
    try:
        return m.cv_weights(d.values(), names=d.ids)
    except MethodError as exc:
        raise InputError(f"{spec.setting} 'cv' cannot be used: {exc}") from None


def _equal(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """1/k each."""
    return m.equal_weights(d.Z.shape[1])


def _fixed(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """The given weights (indicators not named weigh 0), scaled to sum 1."""
    fixed = dict(spec.fixed or {})
    unknown = sorted(set(fixed) - set(d.ids))
    if unknown:
        raise InputError(
            "fixed weight for an indicator the framework does not have", indicator=unknown[0]
        )
    w = np.array([float(fixed.get(i, 0.0)) for i in d.ids])
    if (w < 0).any() or w.sum() <= 0:
        raise InputError("fixed weights must be non-negative and not all zero")
    return w / w.sum()


def _combined(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """:func:`ronghe.methods.combine_weights` of the methods ``spec.combine``."""
    parts = [
        single(name, d, WeightSpec(name, setting="weighting.combine")) for name in spec.combine
    ]
    return combine(parts, spec)


def combine(parts: list[np.ndarray], spec: WeightSpec) -> np.ndarray:
    """The weights ``parts`` of the methods ``spec.combine`` combined by ``spec.combine_method``
    (:func:`ronghe.methods.combine_weights`); a combination the data cannot form is an InputError
    naming the setting."""
    try:
        return m.combine_weights(parts, method=spec.combine_method)
    except MethodError as exc:
        raise InputError(
            f"weighting.combine_method {spec.combine_method!r} of {', '.join(spec.combine)} "
            f"cannot be formed on these data ({exc})"
        ) from None


#: ``weighting.indicators`` name -> indicator weighting (``framework`` resolves to one of them).
INDICATOR_WEIGHTINGS: dict[str, IndicatorWeighting] = {
    "entropy": IndicatorWeighting(_entropy, capped=True, combinable=True),
    "critic": IndicatorWeighting(_critic, capped=True, combinable=True),
    "cv": IndicatorWeighting(_cv, capped=True, combinable=True),
    "equal": IndicatorWeighting(_equal, capped=False, combinable=True),
    "fixed": IndicatorWeighting(_fixed, capped=False, combinable=False),
    "combined": IndicatorWeighting(_combined, capped=True, combinable=False),
}
COMBINABLE = tuple(k for k, v in INDICATOR_WEIGHTINGS.items() if v.combinable)
_HINTS = {
    "ahp": "AHP needs a pairwise matrix: use it for dimensions "
    "(weighting.dimensions: ahp, weighting.ahp_matrix) or give fixed weights",
}


def single(name: str, d: WeightData, spec: WeightSpec) -> np.ndarray:
    """The uncapped weights of the method ``name`` (InputError for a name not registered)."""
    entry = INDICATOR_WEIGHTINGS.get(name)
    if entry is None:
        raise InputError(_HINTS.get(name, f"unknown weighting method {name!r}"))
    return entry.kernel(d, spec)


def cap(w: np.ndarray, method: str, limit: float | None) -> np.ndarray:
    """``w`` capped at ``limit`` times the equal share of its positive weights when ``method``
    is capped (module docstring); ``limit`` None leaves it."""
    if limit is None or not INDICATOR_WEIGHTINGS[method].capped:
        return w
    return m.cap_weights(w, limit / max(int((w > 0).sum()), 1))


def critic_left_out(Z: np.ndarray, left: Sequence[int | None]) -> np.ndarray:
    """CRITIC weights (one row per option in ``left``: None for all columns, else the column left
    out, which gets 0), equal to ``critic_weights(Z[:, keep])`` for each (the tests check this).

    Leaving a column out changes no standard deviation and no correlation among the others, so
    one correlation matrix serves every option: C_j = sd_j Σ_{l in keep} (1 - r_jl) (ddof = 1),
    w = clip(C, 0) / Σ C, as in :func:`ronghe.methods.critic_weights`. With a constant column, or
    no positive sum, the kernel itself is called on the kept columns, since it handles those cases.
    """
    k = Z.shape[1]
    out = np.zeros((len(left), k))
    regular = bool((Z.max(axis=0) > Z.min(axis=0)).all()) and k > 2
    if regular:
        sd = Z.std(axis=0, ddof=1)
        conflict = 1.0 - np.corrcoef(Z, rowvar=False)
    for i, j in enumerate(left):
        keep = np.arange(k) if j is None else np.delete(np.arange(k), j)
        if regular:
            c = sd[keep] * conflict[np.ix_(keep, keep)].sum(axis=0)
            if c.sum() > 0:
                out[i, keep] = np.clip(c, 0.0, None) / c.sum()
                continue
        out[i, keep] = m.critic_weights(Z[:, keep])
    return out


def indicator_weights(d: WeightData, spec: WeightSpec) -> np.ndarray:
    """Indicator weights (k,) of ``spec.method``, capped when the method is."""
    return cap(single(spec.method, d, spec), spec.method, spec.cap)


# ---------------------------------------------------------------- dimensions
def members(fw: Framework) -> list[np.ndarray]:
    """Column indices of each dimension's indicators, in framework order."""
    dim_of = fw.dimension_of
    ids = fw.indicator_ids
    return [np.array([j for j, i in enumerate(ids) if dim_of[i] == d.id]) for d in fw.dimensions]


@dataclass(frozen=True)
class DimensionSpec:
    """Dimension weighting with the framework's choices resolved."""

    method: str
    dimension_ids: tuple[str, ...]
    fixed: Mapping[str, float]
    ahp_matrix: Sequence[Sequence[float]] | None = None

    @classmethod
    def of(cls, s: Weighting, fw: Framework) -> DimensionSpec:
        return cls(
            method=fw.dimension_weighting() if s.dimensions == "framework" else s.dimensions,
            dimension_ids=tuple(d.id for d in fw.dimensions),
            fixed=s.dimension_fixed or {d.id: d.weight for d in fw.dimensions if d.weight},
            ahp_matrix=s.ahp_matrix,
        )


@dataclass(frozen=True)
class DimensionWeighting:
    """A registry entry: ``kernel(w, members, spec)`` -> W summing to 1; ``follows_indicators``:
    W is a function of the indicator weights (recomputed when they change)."""

    kernel: Callable[[np.ndarray, list[np.ndarray], DimensionSpec], np.ndarray]
    follows_indicators: bool


def _sum(w: np.ndarray, groups: list[np.ndarray], spec: DimensionSpec) -> np.ndarray:
    """W_d = Σ_{j in d} w_j."""
    return np.array([w[idx].sum() for idx in groups])


def _equal_dims(w: np.ndarray, groups: list[np.ndarray], spec: DimensionSpec) -> np.ndarray:
    """1/m each."""
    return np.full(len(groups), 1 / len(groups))


def _fixed_dims(w: np.ndarray, groups: list[np.ndarray], spec: DimensionSpec) -> np.ndarray:
    """The given dimension weights (settings, else framework), scaled to sum 1."""
    W = np.array([float(spec.fixed.get(d, 0.0)) for d in spec.dimension_ids])
    if W.sum() <= 0:
        raise InputError(
            "weighting.dimensions is 'fixed' but neither weighting.dimension_fixed nor "
            "the framework gives a positive dimension weight"
        )
    return W / W.sum()


def _ahp(w: np.ndarray, groups: list[np.ndarray], spec: DimensionSpec) -> np.ndarray:
    """AHP weights of ``weighting.ahp_matrix`` (:func:`ronghe.methods.ahp_weights`)."""
    k = len(groups)
    A = np.asarray(spec.ahp_matrix, dtype=float)
    if A.shape != (k, k):
        raise InputError(f"weighting.ahp_matrix must be {k}x{k} (one row per dimension)")
    W, _cr = m.ahp_weights(A)  # warns itself when CR > 0.1
    return np.asarray(W)


#: ``weighting.dimensions`` name -> dimension weighting (``framework`` resolves to one of them).
DIMENSION_WEIGHTINGS: dict[str, DimensionWeighting] = {
    "sum": DimensionWeighting(_sum, follows_indicators=True),
    "equal": DimensionWeighting(_equal_dims, follows_indicators=False),
    "fixed": DimensionWeighting(_fixed_dims, follows_indicators=False),
    "ahp": DimensionWeighting(_ahp, follows_indicators=False),
}


def dimension_weights(w: np.ndarray, groups: list[np.ndarray], spec: DimensionSpec
                      ) -> np.ndarray:
    """Dimension weights (m,) of ``spec.method`` (module docstring)."""
    entry = DIMENSION_WEIGHTINGS.get(spec.method)
    if entry is None:
        raise InputError(f"unknown dimension weighting {spec.method!r}")
    return entry.kernel(w, groups, spec)


def effective_weights(w: np.ndarray, W: np.ndarray, groups: list[np.ndarray],
                      active: np.ndarray | None = None) -> np.ndarray:
    """Effective weights w*_j = W_d (w_j / Σ_{i in d} w_i), or W_d / (active members of d) when
    the dimension's weights sum to 0; inactive (left-out) indicators get 0.

    ``w`` is (k,) or a batch (b, k), ``W`` (m,), ``groups`` the column indices of each
    dimension (:func:`members`), ``active`` a mask like ``w`` (all active when None). The sums
    run over each dimension's columns, as ``w[idx].sum()`` does."""
    dim_of = dimension_index(groups, w.shape[-1])
    on = np.ones(w.shape, dtype=bool) if active is None else active
    S = np.stack([w[..., idx].sum(axis=-1) for idx in groups], axis=-1)[..., dim_of]
    count = np.stack([on[..., idx].sum(axis=-1) for idx in groups], axis=-1)[..., dim_of]
    share = np.divide(w, S, out=np.zeros_like(w), where=S > 0)
    even = np.divide(1.0, count, out=np.zeros(count.shape), where=count > 0)
    eff = W[dim_of] * np.where(S > 0, share, even)
    return np.where(on, eff, 0.0)


def dimension_index(groups: list[np.ndarray], k: int) -> np.ndarray:
    """The dimension index of each of the k indicators (the inverse of :func:`members`)."""
    dim_of = np.empty(k, dtype=np.int64)
    for d, idx in enumerate(groups):
        dim_of[idx] = d
    return dim_of


def within(w: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The weights ``w[idx]`` scaled to sum 1 within a dimension (1/size each when they sum to
    0): the weights of a dimension score."""
    total = w[idx].sum()
    return w[idx] / total if total > 0 else np.full(idx.size, 1 / idx.size)

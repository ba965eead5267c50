"""What every analysis shares: the values of a variable out of a Result, complete cases, group
labels, the division level of region codes and spatial weights over the regions found in the
boundaries; and the wrapper that names the variable and year in a kernel's error."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

import numpy as np
import pandas as pd

from ronghe.errors import InputError, MethodError, RongheWarning
from ronghe.regions.boundaries import Level
from ronghe.regions.macro import macro_regions_of
from ronghe.spatial.align import unmatched_regions

if TYPE_CHECKING:
    from libpysal.weights import W

    from ronghe.result import Result
    from ronghe.spatial.weights import WeightsKind

__all__ = ["WeightsOptions", "detect_level", "regions", "variable_name", "variable_values"]


def regions(result: Result) -> list[str]:
    """Region codes of the result, sorted (the order group labels given as a sequence follow)."""
    return sorted({str(r) for r in result.state.regions})


def variable_name(result: Result, variable: str, lang: str = "zh") -> str:
    """``variable`` as a reader knows it, in ``lang``: the chain's results by name (``index`` ->
    综合指数, ``U_economy`` -> 经济维度得分), an indicator or raw variable by its framework name;
    anything else (a panel column the framework does not declare) as it is."""
    from ronghe.words import lang_index
    from ronghe.words.analysis import DIMENSION_SCORE
    from ronghe.words.figures import VARIABLE_LABELS

    li = lang_index(lang)
    if variable in VARIABLE_LABELS:
        return VARIABLE_LABELS[variable][li]
    fw = result.framework
    named = {d.id: (d.name_zh, d.name_en) for d in fw.dimensions}
    if variable.startswith("U_") and variable[2:] in named:
        return DIMENSION_SCORE[li].format(name=named[variable[2:]][li])
    named = {i.id: (i.name_zh, i.name_en) for i in fw.indicators}
    named.update({v.id: (v.name_zh, v.name_en) for v in fw.variables
                  if v.id not in named})
    return named[variable][li] if variable in named else variable


def variable_values(result: Result, variable: str, *, treated: bool = False) -> pd.Series:
    """Values of ``variable`` per region-year, indexed by (region, year); see :mod:`ronghe.analysis`.

    ``treated=True`` gives an indicator's values after the study's treatment (imputation,
    winsorising, and the log transform where the study applied one — see ``Result.transforms``),
    i.e. the values the index is built from; otherwise its raw values. Undefined cells are NaN.
    """
    s = result.state
    index = pd.MultiIndex.from_arrays(
        [s.regions.astype(str), s.years.astype(int)], names=["region", "year"]
    )
    dims = result.dimension_ids
    if variable == "index":
        values = s.composite
    elif variable in ("C", "T", "D"):
        values = getattr(s, variable)
    elif variable.startswith("U_") and variable[2:] in dims:
        values = s.U[:, dims.index(variable[2:])]
    elif variable in s.indicator_ids:
        values = (s.X if treated else s.raw)[:, s.indicator_ids.index(variable)]
    elif variable in s.panel.data.columns:
        data = s.panel.data[variable]
        keys = pd.MultiIndex.from_arrays(
            [data.index.get_level_values(0).astype(str), data.index.get_level_values(1).astype(int)]
        )
        values = data.set_axis(keys).reindex(index).to_numpy(dtype=float)
    else:
        raise InputError(
            f"未知变量 {variable!r}：可用 index、C、T、D、U_<维度>、指标代码或原始变量 / unknown "
            f"variable {variable!r}: use index, C, T, D, U_<dimension>, an indicator id or a raw "
            "variable of the panel",
            column=variable,
        )
    values = np.asarray(values, dtype=float).copy()
    values[~np.isfinite(values)] = np.nan
    return pd.Series(values, index=index, name=variable)


def _complete(series: pd.Series, what: str) -> pd.DataFrame:
    """Region × year frame of complete cases (see :mod:`ronghe.analysis`)."""
    wide = series.unstack("year").sort_index().sort_index(axis=1)
    empty = [int(y) for y in wide.columns[wide.isna().all()]]
    if empty:
        warnings.warn(
            f"{what}：{len(empty)} 个年份没有数值，已略去（{empty}） / {what}: {len(empty)} year(s) "
            f"without any value left out ({empty})",
            RongheWarning,
            stacklevel=3,
        )
        wide = wide.drop(columns=empty)
    gaps = wide.isna().any(axis=1)
    if gaps.any():
        warnings.warn(
            f"{what}：{int(gaps.sum())} 个区域有缺失年份，已略去 / {what}: {int(gaps.sum())} "
            f"region(s) with a missing year left out (e.g. {', '.join(wide.index[gaps][:3])})",
            RongheWarning,
            stacklevel=3,
        )
        wide = wide[~gaps]
    if wide.shape[0] < 2 or wide.shape[1] < 1:
        raise InputError(
            f"{what}：完整数据不足（至少 2 个区域、1 个年份） / {what}: too few complete values "
            "(need at least 2 regions and 1 year)",
            column=str(series.name),
        )
    wide.columns = [int(y) for y in wide.columns]
    return wide


_T = TypeVar("_T")


def _context(what: str, call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Run a kernel, prefixing its MethodError with the variable and year it was run on."""
    try:
        return call(*args, **kwargs)
    except MethodError as exc:
        raise MethodError(f"{what}: {exc}") from None


def _group_labels(result: Result, codes: Sequence[str], groups: Any) -> tuple[np.ndarray, str]:
    """Group label of each of ``codes`` and the grouping's name (macro, province or custom)."""
    meta = result.state.panel.regions
    province = meta["province"].set_axis([str(i) for i in meta.index]).astype(str)
    if isinstance(groups, str):
        if groups == "macro":
            return macro_regions_of(province.reindex(codes).to_numpy()), "macro"
        if groups == "province":
            return province.reindex(codes).to_numpy(dtype=object), "province"
        raise InputError(
            f"未知分组 {groups!r}，可选 macro / province 或逐区域标签 / unknown grouping "
            f"{groups!r}: use macro, province or one label per region",
            value=groups,
        )
    if isinstance(groups, Mapping | pd.Series):
        mapping = {str(k): v for k, v in dict(groups).items()}
        missing = [c for c in codes if c not in mapping]
        if missing:
            raise unmatched_regions(missing, "{n} 个区域没有分组", "{n} regions have no group")
        return np.array([mapping[c] for c in codes], dtype=object), "custom"
    labels_arr = np.asarray(groups, dtype=object)
    everyone = regions(result)
    if labels_arr.shape != (len(everyone),):
        raise InputError(
            f"分组须为每个区域一个标签（{len(everyone)} 个） / groups must hold one label per "
            f"region ({len(everyone)}), got shape {labels_arr.shape}",
            column="group",
        )
    by_code = dict(zip(everyone, labels_arr, strict=True))
    return np.array([by_code[c] for c in codes], dtype=object), "custom"


def detect_level(codes: Sequence[str]) -> Level:
    """Division level of six-digit codes: all ending in 0000 → province, all in 00 → prefecture,
    otherwise county."""
    codes = [str(c) for c in codes]
    if not codes or not all(len(c) == 6 and c.isdigit() for c in codes):
        bad = next((c for c in codes if not (len(c) == 6 and c.isdigit())), "")
        raise InputError(
            f"空间分析需要 6 位行政区划代码，例如 {bad!r} 不是 / spatial analysis needs 6-digit "
            f"division codes, got e.g. {bad!r}",
            column="region",
        )
    if all(c.endswith("0000") for c in codes):
        return "province"
    if all(c.endswith("00") for c in codes):
        return "prefecture"
    return "county"


class WeightsOptions(TypedDict, total=False):
    """The spatial weights of an analysis (:func:`~ronghe.analysis.moran`,
    :func:`~ronghe.analysis.spatial`, :func:`~ronghe.analysis.dynamics`); an option left out keeps
    its default.

    - ``level``: the division level of the boundaries; default None, the level of the region codes
      (:func:`detect_level`);
    - ``kind``: default ``"queen"`` (queen contiguity with nearest-boundary links for islands),
      ``"knn"`` or ``"distance"`` (:func:`ronghe.spatial.weights.spatial_weights`);
    - ``cache_dir``: where the boundaries are cached; default None,
      :func:`ronghe.regions.boundaries.default_cache_dir`.
    """

    level: Level | None
    kind: str
    cache_dir: str | Path | None


@dataclass(frozen=True)
class _Weights:
    """Spatial weights over the codes found in the boundaries, and what they were built from."""

    w: W
    keep: list[str]  #: the codes found, in the order of the weights
    missing: list[str]  #: the codes not found (left out)
    level: Level
    kind: str


def _weights(
    codes: Sequence[str],
    *,
    level: Level | None = None,
    kind: str = "queen",
    cache_dir: str | Path | None = None,
) -> _Weights:
    """Weights over the codes found in the boundaries of their level; the others are reported
    (the options are those of :class:`WeightsOptions`)."""
    from ronghe.regions.boundaries import boundaries
    from ronghe.spatial.weights import spatial_weights

    level = level or detect_level(codes)
    known = {str(c) for c in boundaries(level, cache_dir=cache_dir).index}
    missing = [c for c in codes if c not in known]
    keep = [c for c in codes if c in known]
    if missing:
        warnings.warn(
            f"{len(missing)} 个区域不在 {level} 边界中，空间分析中略去 / {len(missing)} region(s) "
            f"not in the {level} boundaries are left out of the spatial analysis "
            f"(e.g. {', '.join(missing[:5])})",
            RongheWarning,
            stacklevel=3,
        )
    if len(keep) < 3:
        raise InputError(
            f"边界中只找到 {len(keep)} 个区域，空间分析至少需要 3 个 / only {len(keep)} regions "
            "found in the boundaries; spatial analysis needs at least 3",
            column="region",
        )
    # kind as the user gave it: spatial_weights rejects an unknown one with a located InputError
    w = spatial_weights(level, cast("WeightsKind", kind), codes=keep, cache_dir=cache_dir)
    return _Weights(w, keep, missing, level, kind)

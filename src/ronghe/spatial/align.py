"""Bring region × year values into the order of a spatial weights matrix.

Accepted layouts: a wide DataFrame (index = region codes, columns = years), or long data indexed by
(region, year) — a Series or a one-column DataFrame, as sliced from a Panel. Region codes are compared
as strings, years as integers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ronghe.errors import InputError

__all__ = ["region_year_matrix", "unmatched_regions"]


def unmatched_regions(codes: Sequence[str], zh: str, en: str, **fields: object) -> InputError:
    """The error for region codes that do not match where they should: ``zh`` and ``en`` are
    templates of the reason, formatted with ``n`` (how many codes) and ``fields``; the message
    ends with the first five codes and names the column ``region``."""
    n = len(codes)
    return InputError(
        f"{zh.format(n=n, **fields)} / {en.format(n=n, **fields)}: {', '.join(codes[:5])}",
        column="region",
    )


def _wide(values: pd.DataFrame | pd.Series) -> pd.DataFrame:
    if isinstance(values, pd.DataFrame) and values.index.nlevels == 1:
        return values
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputError(
                f"长表只能有一列数值，实际 {values.shape[1]} 列 / long data must hold exactly one "
                f"value column, got {values.shape[1]}: {', '.join(map(str, values.columns[:5]))}"
            )
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series) or values.index.nlevels != 2:
        raise InputError(
            "数值须为 区域×年份 宽表，或以 (区域, 年份) 为索引的长表 / values must be a region × year "
            "frame or long data indexed by (region, year)"
        )
    dup = values.index.duplicated()
    if dup.any():
        region, year = values.index[dup][0]
        raise InputError(
            f"区域 {region} 在 {year} 年重复 / region {region} appears twice in year {year}",
            column=str(year),
        )
    return values.unstack(level=1)


def region_year_matrix(
    values: pd.DataFrame | pd.Series, ids: Sequence[str] | None = None
) -> tuple[np.ndarray, list[str], list[int]]:
    """Return an (n regions × T years) float array, its region codes and its sorted years.

    ``ids`` (e.g. ``w.id_order`` of a weights matrix) fixes the regions and their order: every one
    must have a finite value in every year, and no other region may appear. Without ``ids`` the
    regions of ``values`` are used in their order.
    """
    wide = _wide(values)
    wide = wide.set_axis([str(r) for r in wide.index], axis=0)
    try:
        years = [int(y) for y in wide.columns]
    except (TypeError, ValueError) as exc:
        raise InputError(f"年份必须是整数 / years must be integers: {exc}", column="year") from exc
    wide = wide.set_axis(years, axis=1).sort_index(axis=1)
    years = list(wide.columns)
    if wide.index.duplicated().any():
        region = wide.index[wide.index.duplicated()][0]
        raise InputError(f"区域重复 / duplicated region {region}", column="region")
    ids = list(wide.index) if ids is None else [str(i) for i in ids]
    extra = sorted(set(wide.index) - set(ids))
    if extra:
        raise unmatched_regions(extra, "{n} 个区域不在空间权重中", "{n} regions are not in the weights")
    missing = [r for r in ids if r not in wide.index]
    if missing:
        raise unmatched_regions(missing, "空间权重中的 {n} 个区域没有数值",
                                "{n} regions of the weights have no values")
    try:
        matrix = wide.loc[ids].to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"数值不是数字 / values are not numeric: {exc}") from exc
    bad = ~np.isfinite(matrix)
    if bad.any():
        i, t = np.argwhere(bad)[0]
        raise InputError(
            f"区域 {ids[i]} 在 {years[t]} 年缺少数值 / region {ids[i]} has no finite value in "
            f"{years[t]} ({int(bad.sum())} such cells)",
            column=str(years[t]),
        )
    return matrix, ids, years

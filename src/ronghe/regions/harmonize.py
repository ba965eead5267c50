"""Put a panel onto one vintage of county codes (``ronghe regions harmonize``).

Each region code is mapped with :func:`ronghe.regions.crosswalk.code_map`. When several codes land on
one target code in the same year, the variable's ``merge`` rule from the catalogue combines them:

- ``sum``: the sum of the members (missing if any member is missing: a partial sum would understate);
- ``mean``: the arithmetic mean of the members present;
- ``popweighted``: sum_i w_i x_i / sum_i w_i over the members with both values present, w being the
  population variable ``weight`` of the same panel and year.

A single member keeps its value whatever the rule. A variable without a merge rule, or a population-
weighted variable without the weight column, is an error only when some target actually has several
members.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheWarning
from ronghe.panel import Panel
from ronghe.regions.crosswalk import code_map, crosswalk
from ronghe.regions.divisions import divisions


def harmonize(panel: Panel, vintage: int, catalogue: pd.DataFrame,
              weight: str = "resident_pop") -> Panel:
    """The panel with region codes of ``vintage`` (see module docstring).

    Parameters
    ----------
    catalogue : variable catalogue indexed by id with a ``merge`` column (sum | mean | popweighted).
    weight : the population variable used by ``popweighted``.
    """
    codes = panel.region_codes
    mapping, stuck = code_map(codes, vintage)
    if stuck:
        warnings.warn(f"{len(stuck)} codes were merged into others after {vintage} and cannot be "
                      f"split back; kept as they are: {', '.join(stuck[:10])}", RongheWarning,
                      stacklevel=2)
    data = panel.data.reset_index()
    data["region"] = data["region"].map(mapping)
    size = data.groupby(["region", "year"])["region"].transform("size")
    single = data[size == 1].set_index(["region", "year"])
    multi = data[size > 1]
    if multi.empty:
        out = single
    else:
        out = pd.concat([single, _combine(multi, catalogue, weight)])
    out = out.sort_index()
    regions = _regions(panel.regions, out.index.get_level_values("region").unique())
    source = f"{panel.source} (codes harmonised to {vintage})" if panel.source else ""
    return Panel(out.astype(float), regions, dict(panel.units), source, panel.synthetic)


def _combine(multi: pd.DataFrame, catalogue: pd.DataFrame, weight: str) -> pd.DataFrame:
    groups = multi.groupby(["region", "year"])
    cols = {}
    for var in [c for c in multi.columns if c not in ("region", "year")]:
        rule = catalogue["merge"].get(var) if "merge" in catalogue else None
        if rule == "sum":
            total = groups[var].sum(min_count=1)
            complete = groups[var].count() == groups[var].size()
            cols[var] = total.where(complete)
        elif rule == "mean":
            cols[var] = groups[var].mean()
        elif rule == "popweighted":
            if weight not in multi:
                raise InputError(f"merging regions needs the population variable {weight!r} to "
                                 "weight this variable / 合并地区需要人口变量加权", indicator=var)
            ok = multi[var].notna() & multi[weight].notna()
            wx = (multi[var] * multi[weight]).where(ok)
            w = multi[weight].where(ok)
            num = wx.groupby([multi["region"], multi["year"]]).sum(min_count=1)
            den = w.groupby([multi["region"], multi["year"]]).sum(min_count=1)
            cols[var] = num / den.replace(0, np.nan)
        else:
            raise InputError("no merge rule (sum, mean, popweighted) in the catalogue: cannot "
                             "combine merged regions / 目录中无合并规则", indicator=var)
    return pd.DataFrame(cols)


def _regions(meta: pd.DataFrame, codes: pd.Index) -> pd.DataFrame:
    """Region metadata for the target codes: the 2023 division list, else the panel's own, else
    the crosswalk's names."""
    known = divisions()
    names = dict(zip(crosswalk()["new_code"], crosswalk()["new_name"], strict=True))
    rows = {}
    for code in codes:
        if code in known.index:
            rows[code] = known.loc[code, ["name_zh", "province"]].to_dict()
        elif code in meta.index:
            rows[code] = meta.loc[code, ["name_zh", "province"]].to_dict()
        else:
            rows[code] = {"name_zh": names.get(code, code), "province": code[:2]}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "region"
    return out

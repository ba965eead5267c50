"""The method tables researchers cite, built from an evaluated Result: the intermediate quantities
of every weighting method and of TOPSIS, as SPSSAU, SPSSPRO and the textbooks print them.

- ``weights_entropy``: e_j, d_j = 1 - e_j, weight (熵值法; :func:`ronghe.methods.entropy_parts`);
- ``weights_critic``: σ_j, conflict Σ_k (1 - r_jk), information C_j, weight;
- ``weights_cv``: mean, sd, CV, weight (on the treated raw values);
- ``weights_ahp``: the pairwise matrix of the dimensions, the weights, λmax, CI, RI and CR (only
  when the dimensions are weighted by AHP);
- ``weights_compared``: per indicator each method's weight beside the combination the study used
  (before the cap), the weight after the cap (``weighting.cap``) and the weight in the index
  (after the dimension weights);
- ``topsis``: D+, D-, closeness C and its rank within the year, per region-year;
- ``topsis_ideals``: the positive and negative ideal v+_j, v-_j of the weighted matrix.

Entropy, CRITIC and TOPSIS are computed on the normalised matrix the study used, over all
region-years (the panel convention); the weights are the study's own. Nothing here changes a number
of the Result: the tables lay out how those numbers came about.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.errors import MethodError

if TYPE_CHECKING:
    from ronghe.result import Result



def _indicator_frame(result: Result) -> pd.DataFrame:
    fw = result.framework
    return pd.DataFrame({
        "indicator": [i.id for i in fw.indicators],
        "name_zh": [i.name_zh for i in fw.indicators],
        "dimension": [fw.dimension_of[i.id] for i in fw.indicators],
    })


def _methods_used(result: Result) -> tuple[str, list[str]]:
    """The indicator weighting method of the study and, when combined, its parts."""
    s, fw = result.settings.weighting, result.framework
    method = fw.weighting_method() if s.indicators == "framework" else s.indicators
    if method == "combined":
        return method, list(fw.combine_methods() if s.indicators == "framework" else s.combine)
    return method, [method]


def weight_tables(result: Result) -> dict[str, pd.DataFrame]:
    """``weights_entropy``, ``weights_critic``, ``weights_cv`` (left out when a column mean is 0),
    ``weights_ahp`` (AHP dimension weighting only) and ``weights_compared``."""
    st = result.state
    base = _indicator_frame(result)
    out: dict[str, pd.DataFrame] = {}
    columns: dict[str, np.ndarray] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the evaluation already warned about constant columns
        ent = m.entropy_parts(st.Z)
        cri = m.critic_parts(st.Z)
        try:
            cvp: m.CvParts | None = m.cv_parts(st.X)
        except MethodError:
            cvp = None
    out["weights_entropy"] = base.assign(entropy=ent.entropy, utility=ent.utility,
                                         weight=ent.weight)
    out["weights_critic"] = base.assign(sd=cri.sd, conflict=cri.conflict,
                                        information=cri.information, weight=cri.weight)
    columns["entropy"], columns["critic"] = ent.weight, cri.weight
    if cvp is not None:
        out["weights_cv"] = base.assign(mean=cvp.mean, sd=cvp.sd, cv=cvp.cv, weight=cvp.weight)
        columns["cv"] = cvp.weight
    columns["equal"] = m.equal_weights(len(st.indicator_ids))
    method, parts = _methods_used(result)
    compared = base.copy()
    for name, w in columns.items():
        compared[name] = w
    s = result.settings.weighting
    if method == "combined" and all(p in columns for p in parts):
        compared["combined"] = m.combine_weights([columns[p] for p in parts],
                                                 method=s.combine_method)
    elif method in columns:
        compared["combined"] = columns[method]
    compared["capped"] = st.weights
    compared["weight_in_index"] = st.effective_weights
    out["weights_compared"] = compared
    if result.settings.weighting.ahp_matrix and (
        s.dimensions == "ahp"
        or (s.dimensions == "framework" and result.framework.dimension_weighting() == "ahp")
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ahp = m.ahp_parts(np.asarray(s.ahp_matrix, dtype=float))
        dims = [d.id for d in result.framework.dimensions]
        table = pd.DataFrame(ahp.matrix, columns=dims)
        table.insert(0, "dimension", dims)
        table["weight"] = ahp.weight
        table["lambda_max"] = ahp.lambda_max
        table["CI"], table["RI"], table["CR"] = ahp.ci, ahp.ri, ahp.cr
        out["weights_ahp"] = table
    return out


def topsis_tables(result: Result) -> dict[str, pd.DataFrame]:
    """``topsis`` (D+, D-, C and rank per region-year) and ``topsis_ideals`` (v+, v- per
    indicator), with the study's weights in the index and its pooled normalised matrix."""
    st = result.state
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = m.topsis_parts(st.Z, st.effective_weights)
    keys = result.index[["region", "name_zh", "province", "year"]].copy()
    keys["d_plus"], keys["d_minus"], keys["closeness"] = parts.d_plus, parts.d_minus, parts.closeness
    keys["closeness_rank"] = (keys.groupby("year")["closeness"]
                              .rank(ascending=False, method="min").astype(int))
    ideals = _indicator_frame(result).assign(ideal=parts.ideal, anti_ideal=parts.anti_ideal)
    return {"topsis": keys, "topsis_ideals": ideals}


def method_tables(result: Result) -> dict[str, pd.DataFrame]:
    """Every method table of ``result`` by workbook sheet name (see the module docstring)."""
    return {**weight_tables(result), **topsis_tables(result)}

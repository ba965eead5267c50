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

COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "entropy": ("信息熵 e_j", "Information entropy e_j"),
    "utility": ("信息效用值（差异系数）d_j = 1 − e_j", "Utility (divergence) d_j = 1 - e_j"),
    "sd": ("标准差 σ_j（样本，ddof=1）", "Standard deviation sigma_j (sample, ddof=1)"),
    "conflict": ("冲突性 Σ(1 − r_jk)", "Conflict sum(1 - r_jk)"),
    "information": ("信息量 C_j = σ_j × 冲突性", "Information C_j = sigma_j x conflict"),
    "mean": ("均值", "Mean"),
    "cv": ("变异系数 CV = σ/|均值|", "Coefficient of variation CV = sd / |mean|"),
    "critic": ("CRITIC 权重", "CRITIC weight"),
    "equal": ("等权", "Equal weight"),
    "combined": ("组合权重（封顶前）", "Combined weight (before the cap)"),
    "capped": ("封顶后的指标权重", "Indicator weight after the cap"),
    "weight_in_index": ("在综合指数中的权重（含维度权重）",
                        "Weight in the index (after the dimension weights)"),
    "d_plus": ("到正理想解的距离 D+", "Distance to the positive ideal D+"),
    "d_minus": ("到负理想解的距离 D−", "Distance to the negative ideal D-"),
    "closeness": ("相对贴近度 C = D−/(D+ + D−)", "Closeness C = D- / (D+ + D-)"),
    "closeness_rank": ("当年贴近度排名（1为最高）", "Rank of the closeness in the year (1 = best)"),
    "ideal": ("正理想解 v+（加权）", "Positive ideal v+ (weighted)"),
    "anti_ideal": ("负理想解 v−（加权）", "Negative ideal v- (weighted)"),
    "lambda_max": ("最大特征根 λmax", "Largest eigenvalue lambda_max"),
    "CI": ("一致性指标 CI = (λmax − n)/(n − 1)", "Consistency index CI = (lambda_max - n)/(n - 1)"),
    "RI": ("平均随机一致性指标 RI（Saaty）", "Random index RI (Saaty)"),
    "CR": ("一致性比率 CR = CI/RI（< 0.1 可接受）", "Consistency ratio CR = CI / RI (< 0.1 acceptable)"),
}
"""Bilingual explanations of the columns of the method tables (the workbook's column sheet)."""


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

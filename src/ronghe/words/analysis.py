"""Words of the spatio-temporal analyses (:mod:`ronghe.analysis`): the notes each analysis adds to
the workbook, as (zh, en) pairs with ``str.format`` fields.

:func:`note` renders one as the (title, text) row of a workbook's notes sheet, zh first then en.
Error and warning messages stay with the code that raises them, bilingual in one line as
:mod:`ronghe.errors` asks.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DIMENSION_SCORE", "NOTES", "note"]

#: A dimension score U_<dimension> named in a figure, ``{name}`` the dimension's name.
DIMENSION_SCORE: tuple[str, str] = ("{name}维度得分", "{name} score")

#: Analysis -> ((title zh, title en), (text zh, text en)).
NOTES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "disparity": (
        ("差异分解", "disparity"),
        (
            "变量 {variable}；分组 {grouping}。Dagum (1997) 基尼系数 G = Gw + Gnb + Gt；泰尔指数 T/L "
            "取自然对数；CV、σ 用总体标准差（ddof=0）；β 收敛：绝对收敛为全时段横截面 OLS，条件收敛为含"
            "地区与年份固定效应的面板；收敛速度 λ = -ln(1+βτ)/τ，半衰期 ln2/λ。",
            "variable {variable}; groups {grouping}. Dagum (1997) Gini G = Gw + Gnb + Gt; Theil "
            "T/L in natural logs; CV and σ with the population s.d. (ddof=0); β-convergence: "
            "absolute = cross-section OLS over the whole span, conditional = panel with region "
            "and year fixed effects; speed λ = -ln(1+βτ)/τ, half-life ln2/λ.",
        ),
    ),
    "spatial": (
        ("空间自相关", "spatial autocorrelation"),
        (
            "变量 {variable}；{level} 级 {kind} 权重（行标准化）；{permutations} 次置换；LISA 多重检验"
            "控制 {correction}，显著性水平 {alpha}；边界中缺失的区域 {missing} 个。",
            "variable {variable}; {level} {kind} weights (row-standardised); {permutations} "
            "permutations; LISA multiple testing: {correction}, alpha {alpha}; regions missing "
            "from the boundaries: {missing}.",
        ),
    ),
    "dynamics": (
        ("动态演进", "dynamics"),
        (
            "变量 {variable}；马尔可夫链：{k} 个全样本分位类（1 = 最低）；空间马尔可夫链以期初空间滞后"
            "类别为条件；核密度：高斯核，带宽 {bandwidth}。",
            "variable {variable}; Markov: {k} pooled quantile classes (1 = lowest); spatial "
            "Markov conditioned on the lag class at the start; kernel density: Gaussian kernel, "
            "bandwidth {bandwidth}.",
        ),
    ),
    "drivers": (
        ("地理探测器", "geographical detector"),
        (
            "因变量 {y}，{year} 年，n = {n}；连续因子按 q 最大选择离散化方法与类别数（Song et al. "
            "2020）；λ 的方差：{variance}；单元素分层：{singletons}。",
            "y {y}, year {year}, n = {n}; continuous factors discretised by the method and class "
            "count with the largest q (Song et al. 2020); variance of λ: {variance}; single-unit "
            "strata: {singletons}.",
        ),
    ),
}


def note(analysis: str, **values: Any) -> tuple[str, str]:
    """(title, text) of ``analysis``'s note, each zh then en, with ``values`` filled in."""
    (title_zh, title_en), (zh, en) = NOTES[analysis]
    return f"{title_zh} {title_en}", f"{zh.format(**values)} / {en.format(**values)}"

"""Labels of the table columns ronghe writes (zh-CN, en), one dict per area.

Every explanation of a column a reader sees in a workbook's column sheet lives here; each area adds
one block under a comment naming it and exports one dict (``ANALYSIS_COLUMNS`` ...). The module
imports nothing of ronghe.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# analysis: the sheets of ronghe.analysis (disparity, spatial, dynamics, drivers)

#: Dagum columns are named after the component they hold or divide: ``share_Gw`` = Gw / G, and
#: ``G_jj`` the Gini inside group j, as in Dagum (1997) and :func:`ronghe.methods.dagum_gini`;
#: ``share_within``/``share_between`` are the Theil parts.
ANALYSIS_COLUMNS: dict[str, tuple[str, str]] = {
    "G": ("总体基尼系数", "Overall Gini coefficient"),
    "Gw": ("组内差异贡献", "Within-group contribution"),
    "Gnb": ("组间净差异贡献", "Net between-group contribution"),
    "Gt": ("超变密度贡献", "Transvariation contribution"),
    "Gb": ("组间差异贡献（Gnb + Gt）", "Between-group contribution (Gnb + Gt)"),
    "share_Gw": ("组内差异贡献率 Gw / G", "Share of G from within groups, Gw / G"),
    "share_Gnb": ("组间净差异贡献率 Gnb / G", "Share of G from net between-group, Gnb / G"),
    "share_Gt": ("超变密度贡献率 Gt / G", "Share of G from transvariation, Gt / G"),
    "group": ("分组", "Group"),
    "group_zh": ("分组名称", "Group name"),
    "group_j": ("组 j（均值较低）", "Group j (lower mean)"),
    "group_h": ("组 h（均值较高）", "Group h (higher mean)"),
    "G_jj": ("组内基尼系数 G_jj", "Within-group Gini G_jj (Gini inside the group)"),
    "G_jh": ("组间基尼系数", "Between-group Gini"),
    "D_jh": ("相对经济影响", "Relative economic affluence"),
    "kind": ("类型", "Kind"),
    "total": ("总指数", "Total"),
    "within": ("组内部分", "Within-group part"),
    "between": ("组间部分", "Between-group part"),
    "share_within": ("泰尔指数组内部分占比", "Theil: share of the within-group part"),
    "share_between": ("泰尔指数组间部分占比", "Theil: share of the between-group part"),
    "n": ("样本数", "Number of units"),
    "mean": ("均值", "Mean"),
    "gini": ("基尼系数", "Gini coefficient"),
    "cv": ("变异系数（总体标准差）", "Coefficient of variation (population s.d.)"),
    "sigma": ("对数标准差 σ", "Standard deviation of logs σ"),
    "series": ("序列", "Series"),
    "slope": ("时间趋势斜率", "Slope of the time trend"),
    "p_value": ("p 值", "p-value"),
    "r_squared": ("拟合优度 R²", "R squared"),
    "std_error": ("标准误", "Standard error"),
    "beta": ("β 系数", "β coefficient"),
    "speed": ("收敛速度", "Convergence speed"),
    "half_life": ("半衰期（年）", "Half-life (years)"),
    "I": ("全局 Moran's I", "Global Moran's I"),
    "Ii": ("局部 Moran's I", "Local Moran's I"),
    "cluster": ("LISA 集聚类型", "LISA cluster"),
    "spot": ("冷热点类型", "Hot/cold spot"),
    "from_class": ("期初类型", "Class at t"),
    "to_class": ("期末类型", "Class at t+1"),
    "lag_class": ("空间滞后类型", "Class of the spatial lag"),
    "probability": ("转移概率", "Transition probability"),
    "count": ("转移次数", "Number of transitions"),
    "steady_state": ("稳态分布", "Steady-state distribution"),
    "density": ("核密度", "Kernel density"),
    "bandwidth": ("带宽", "Bandwidth"),
    "factor": ("探测因子", "Factor"),
    "q": ("解释力 q", "Explanatory power q"),
    "q_12": ("交互作用 q", "q of the interaction"),
    "type": ("交互作用类型", "Interaction type"),
    "stratum": ("分层", "Stratum"),
    "significant": ("是否显著", "Significant"),
}

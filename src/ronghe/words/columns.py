"""Bilingual (zh-CN, en) explanations of the table columns ronghe writes, shown in the column sheet
of every workbook (:func:`ronghe.labels.column_sheet`). One block per area, each one dict
``column -> (zh, en)`` named ``<AREA>_COLUMNS``.
"""

from __future__ import annotations

# ------------------------------------------------------------------------------------- generic
#: Columns of the Result's own tables (index, weights, coupling, obstacles, treatment log).
GENERIC_COLUMNS: dict[str, tuple[str, str]] = {
    "region": ("地区代码（6位行政区划代码）", "Region code (6-digit division code)"),
    "name_zh": ("地区名称", "Region name"),
    "province": ("所属省份代码", "Province code (first two digits)"),
    "year": ("年份", "Year"),
    "index": (
        "综合发展指数（0–1，按设置的集成方法）",
        "Composite index (0-1, by the aggregation set)",
    ),
    "rank": (
        "当年综合指数排名（1为最高）",
        "Rank of the composite index within the year (1 = best)",
    ),
    "topsis": ("TOPSIS 相对贴近度（0–1）", "TOPSIS closeness to the ideal (0-1)"),
    "indicator": ("指标代码", "Indicator id"),
    "name_en": ("英文名称", "English name"),
    "dimension": ("所属维度", "Dimension"),
    "direction": (
        "指标方向：+ 正向，- 负向，数值为适度值",
        "Direction: + positive, - negative, a number is the target",
    ),
    "unit": ("单位", "Unit"),
    "weight": ("指标权重（全部指标合计为1）", "Indicator weight (all indicators sum to 1)"),
    "weight_in_dimension": (
        "维度内权重（维度内合计为1）",
        "Weight within its dimension (sums to 1 per dimension)",
    ),
    "dimension_weight": ("维度权重", "Weight of the dimension"),
    "method": ("赋权方法", "Weighting method"),
    "C": ("耦合度 C", "Coupling degree C"),
    "T": ("综合协调指数 T", "Comprehensive coordination index T"),
    "D": ("耦合协调度 D = √(C·T)", "Coupling coordination degree D = sqrt(C*T)"),
    "grade": ("协调等级（1–10）", "Coordination level (1-10)"),
    "grade_zh": ("协调等级（中文）", "Coordination grade (zh)"),
    "grade_en": ("协调等级（英文）", "Coordination grade (en)"),
    "stage": ("耦合阶段（1–4）", "Coupling stage (1-4)"),
    "stage_zh": ("耦合阶段（中文）", "Coupling stage (zh)"),
    "stage_en": ("耦合阶段（英文）", "Coupling stage (en)"),
    "type_zh": ("相对发展类型（中文）", "Relative development type (zh)"),
    "type_en": ("相对发展类型（英文）", "Relative development type (en)"),
    "action": (
        "处理方式：插补、缩尾、对数、无定义",
        "Treatment: imputed, winsorised, log, undefined",
    ),
    "old": ("处理前数值", "Value before treatment"),
    "new": ("处理后数值", "Value after treatment"),
    "cells": ("受影响的单元格数", "Number of cells changed"),
    "obstacle_rank": ("障碍因子位次", "Rank of the obstacle factor"),
    "degree": ("障碍度（该地区当年合计为1）", "Obstacle degree (sums to 1 per region-year)"),
}

#: Columns named by a prefix and an id (``U_D1``, ``obs_cat_O3``, ``top2``): the prefix's text
#: followed by the column name.
GENERIC_PREFIXES: dict[str, tuple[str, str]] = {
    "U_": ("维度得分（0–1）：", "Dimension score (0-1): "),
    "obs_dim_": ("维度障碍度：", "Obstacle degree of dimension: "),
    "obs_cat_": ("障碍类别的障碍度：", "Obstacle degree of category: "),
    "top": ("第 N 位障碍因子及其障碍度：", "N-th obstacle factor and its degree: "),
}

# ----------------------------------------------------------------------------------- diagnosis
#: Columns of :func:`ronghe.diagnosis.diagnoses`, :func:`~ronghe.diagnosis.typology` and
#: :func:`~ronghe.diagnosis.typology_summary`.
DIAGNOSIS_COLUMNS: dict[str, tuple[str, str]] = {
    "obstacle": ("主导障碍类别（O1–O4）", "Dominant obstacle category (O1-O4)"),
    "obstacle_share": (
        "主导障碍类别占 O1–O4 障碍度的比例",
        "Share of the dominant category in the O1-O4 obstacle degree",
    ),
    "obstacle_type": ("障碍类型代码", "Obstacle-profile type id"),
    "type_factor": (
        "类型依据：该类别占比是当年地区平均占比的倍数（均衡型为最大倍数）",
        "Basis of the type: the category's share over the year's mean share (balanced: the "
        "largest such factor)",
    ),
    "share_O1": ("O1 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O1 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O2": ("O2 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O2 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O3": ("O3 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O3 share of the O1-O4 obstacle degree (sum 100 %)"),
    "share_O4": ("O4 占 O1–O4 障碍度的比例（四类合计 100%）",
                 "O4 share of the O1-O4 obstacle degree (sum 100 %)"),
    "untagged": (
        "未标注障碍类别的指标另占总障碍度的比例（不计入 O1–O4 的 100%）",
        "Part of the total obstacle degree from untagged indicators (apart from the O1-O4 100 %)",
    ),
    "obstacle_type_zh": ("障碍类型（中文）", "Obstacle-profile type (zh)"),
    "obstacle_type_en": ("障碍类型（英文）", "Obstacle-profile type (en)"),
    "path": ("首要推荐路径（R1–R4）", "First recommended path (R1-R4)"),
    "path_zh": ("首要推荐路径名称", "Name of the first recommended path (zh)"),
    "path_score": (
        "首要路径所针对的障碍度之和",
        "Obstacle degree addressed by the first path",
    ),
    "regions": ("地区数", "Number of regions"),
    "share": ("占当年地区的比例", "Share of the year's regions"),
    "dominant_path": (
        "该类型的主导路径（知识库；均衡型为四条路径统筹）",
        "Dominant path of the type (knowledge base; balanced: all four paths together)",
    ),
    "leading_path": (
        "该类型地区最常见的首要推荐路径",
        "Most frequent first recommended path among the type's regions",
    ),
    "leading_path_share": (
        "最常见首要路径在该类型中所占比例",
        "Share of the type's regions whose first path is the leading path",
    ),
}


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


# ---------------------------------------------------------------------------------------------
# audit: the statistical audit of the framework (ronghe.audit)
AUDIT_COLUMNS: dict[str, tuple[str, str]] = {
    "indicator_a": ("指标甲", "Indicator A"),
    "indicator_b": ("指标乙", "Indicator B"),
    "r": ("皮尔逊相关系数（当年截面）", "Pearson correlation (cross-section of the year)"),
    "flag": (
        "标记：collinear 高度共线（r > 0.9）；negative 负相关（指标对 r < -0.2，与维度或指数 r < 0）；"
        "weak 弱相关（与维度或指数 0 ≤ r < 0.2）",
        "Flag: collinear (r > 0.9); negative (pairs r < -0.2, with dimension or index r < 0); "
        "weak (with dimension or index 0 <= r < 0.2)",
    ),
    "r_dimension": ("与所属维度得分的相关系数", "Correlation with its dimension score"),
    "r_index": ("与综合指数的相关系数", "Correlation with the composite index"),
    "nominal_weight": ("名义权重（全部指标合计为1）", "Nominal weight (sums to 1)"),
    "variance_share": (
        "有效权重：占综合指数方差的份额（合计为1）",
        "Effective weight: share of the index variance (sums to 1)",
    ),
    "correlation_importance": (
        "相关重要性 r²/Σr²（合计为1）",
        "Correlation-based importance r^2 / sum r^2 (sums to 1)",
    ),
    "first_obstacle_share": (
        "作为首要障碍因子的地区比例",
        "Share of units whose first obstacle it is",
    ),
    "indicators": ("指标数", "Number of indicators"),
    "cronbach_alpha": ("克朗巴哈 α 系数", "Cronbach's alpha"),
    "first_pc_share": ("第一主成分解释的方差比例", "Variance share of the first principal component"),
    "kind": (
        "主导类型：名义权重、有效权重、首要障碍",
        "Kind: nominal weight, effective weight, first obstacle",
    ),
    "value": ("数值", "Value"),
    "threshold": ("阈值", "Threshold"),
    "message_zh": ("警告（中文）", "Warning (zh)"),
    "message_en": ("警告（英文）", "Warning (en)"),
    "dimension_zh": ("维度名称", "Dimension name (zh)"),
    "dimension_en": ("维度英文名称", "Dimension name (en)"),
    "measure_zh": ("对照指标（中文）", "Measure (zh)"),
    "measure_en": ("对照指标（英文）", "Measure (en)"),
    "value_zh": ("数值（中文）", "Value (zh)"),
    "value_en": ("数值（英文）", "Value (en)"),
}

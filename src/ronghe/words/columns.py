"""Bilingual (zh-CN, en) explanations of the table columns ronghe writes, shown in the column sheet
of every workbook (:func:`ronghe.labels.column_sheet`). One block per area, each one dict
``column -> (zh, en)`` named ``<AREA>_COLUMNS``; a key may also be ``(sheet, column)`` where one
sheet gives a column another meaning.
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


# ----------------------------------------------------------------------------------- workbooks
#: Columns of the report workbook's own tables (:mod:`ronghe.report.workbook`) and the name
#: columns every workbook writes beside a code (:func:`ronghe.excel.write_workbook`).
WORKBOOK_COLUMNS: dict[str | tuple[str, str], tuple[str, str]] = {
    "macro_region": ("四大区域（国家统计局划分）", "Macro-region (NBS: east, central, west, northeast)"),
    "group": ("分组代码（四大区域或省份）", "Group id (macro-region or province)"),
    "group_name": ("分组名称", "Group name"),
    "variable": ("变量：index 综合指数，D 耦合协调度", "Variable: index or D"),
    "n": ("地区数", "Number of regions"),
    "mean": ("组内均值", "Group mean"),
    ("disparity", "G"): ("总体基尼系数 G", "Overall Gini G"),
    ("disparity", "Gw"): ("区域内差异贡献 Gw", "Within-group contribution Gw"),
    ("disparity", "Gnb"): ("区域间净差异贡献 Gnb", "Net between-group contribution Gnb"),
    ("disparity", "Gt"): ("超变密度贡献 Gt", "Transvariation contribution Gt"),
    ("disparity", "Gb"): ("区域间差异贡献 Gb = Gnb + Gt", "Between-group contribution Gb = Gnb + Gt"),
    ("disparity", "share_Gw"): ("区域内差异贡献率 Gw / G", "Within-group share Gw / G"),
    ("disparity", "share_Gnb"): ("区域间净差异贡献率 Gnb / G", "Net between-group share Gnb / G"),
    ("disparity", "share_Gt"): ("超变密度贡献率 Gt / G", "Transvariation share Gt / G"),
    ("disparity_groups", "G_jj"): ("组内基尼系数 G_jj", "Within-group Gini G_jj"),
    "grade_label": ("协调等级名称", "Grade name"),
    ("grade_shares", "share"): ("该等级地区占比", "Share of regions in the grade"),
    ("obstacle_categories", "share"): (
        "该类别的地区平均占比（O1–O4 合计 100%；other 为未标注指标另占总障碍度的部分）",
        "Mean share of the category over regions (O1-O4 sum to 100 %; other: the untagged part "
        "of the total obstacle degree, apart)"),
    "category": ("障碍类别代码（O1–O4，other 未归类）", "Obstacle category (O1-O4, other = untagged)"),
    "name": ("名称", "Name"),
    "label": ("显示标签", "Display label"),
    ("moran", "I"): ("全局 Moran's I", "Global Moran's I"),
    ("moran", "E_I"): ("期望值 E[I] = −1/(n−1)", "Expected value E[I] = -1/(n-1)"),
    ("moran", "z_norm"): ("正态假设下的 z 值", "z-score under normality"),
    ("moran", "p_norm"): ("正态假设下的双侧 p 值", "Two-sided p-value under normality"),
    ("moran", "p_sim"): ("置换检验 p 值", "Permutation p-value"),
    ("rank_intervals", "nominal_rank"): ("名义位次（本次设置）", "Nominal rank (the study's settings)"),
    ("rank_intervals", "median_rank"): ("蒙特卡洛位次中位数", "Median rank over the Monte Carlo draws"),
    ("rank_intervals", "p05_rank"): ("位次第 5 百分位", "5th percentile of the rank"),
    ("rank_intervals", "p95_rank"): ("位次第 95 百分位", "95th percentile of the rank"),
    # name columns written beside a code (the code's kind decides the text)
    "province_name": ("所属省份名称", "Province name"),
    "indicator_name": ("指标名称", "Indicator name"),
    "dimension_name": ("维度名称", "Dimension name"),
    "category_name": ("障碍类别名称", "Obstacle category name"),
    "path_name": ("路径名称", "Path name"),
    "metric_name": ("度量名称", "Metric name"),
    # the validation report of an import (sheets report and totals)
    ("report", "file"): ("文件名", "File"),
    ("report", "sheet"): ("工作表", "Sheet"),
    ("report", "row"): ("行号（与电子表格显示一致，从 1 起）", "Row (1-based, as the spreadsheet shows)"),
    ("report", "column"): ("列字母", "Column letter"),
    ("report", "header"): ("该列的表头", "Heading of the column"),
    ("report", "raw"): ("单元格原值", "Raw cell text"),
    ("report", "reason"): ("原因（中文 / 英文）", "Reason (zh / en)"),
    ("report", "severity"): ("类别：错误（未入库）、警告（已入库，请核查）、缺失",
                             "Severity: error (not stored), warning (stored, check), missing"),
    ("totals", "variable"): ("变量", "Variable"),
    ("totals", "unit"): ("单位", "Unit"),
    ("totals", "province"): ("省份代码", "Province code"),
    ("totals", "province_name"): ("省份名称", "Province name"),
    ("totals", "province_row"): ("表中省份行的数值", "Value of the province row"),
    ("totals", "county_sum"): ("县级单位合计", "Sum over the county-level units"),
    ("totals", "n_units"): ("县级单位数", "Number of county-level units"),
    ("totals", "difference"): ("差额（省份行 − 县级合计）", "Difference (province row - county sum)"),
    ("totals", "codeless_sum"): ("无代码单位（开发区等）合计", "Sum over code-less units (zones)"),
    ("totals", "codeless_units"): ("无代码单位", "Code-less units"),
    ("totals", "remainder"): ("未解释的差额", "Difference left unexplained"),
    ("totals", "county_equivalents"): ("县级同等单位", "County-equivalent units"),
}

# ------------------------------------------------------------------------------------ planning
#: Columns of the planning workbooks (:mod:`ronghe.planning.workbook`): scenario, uncertainty,
#: target and forecast tables.
PLANNING_COLUMNS: dict[str | tuple[str, str], tuple[str, str]] = {
    "nominal_rank": ("基准设置下的排名", "Rank under the study's own settings"),
    "median_rank": ("各次抽样排名的中位数", "Median rank over the draws"),
    "p05_rank": ("排名第5百分位数", "5th percentile of the rank"),
    "p95_rank": ("排名第95百分位数", "95th percentile of the rank"),
    "mean_abs_shift": ("与基准排名的平均绝对偏移", "Mean absolute shift from the nominal rank"),
    "rank_range_90": ("90% 排名区间宽度（p95 − p05）", "Width of the 90% rank band (p95 - p05)"),
    "choice": ("方法选择（不确定性来源）", "Methodological choice (source of uncertainty)"),
    "options": ("抽样时可取的选项", "Options drawn from"),
    "S1": ("一阶 Sobol 指数", "First-order Sobol' index"),
    "ST": ("总效应 Sobol 指数", "Total-effect Sobol' index"),
    "S1_conf": ("一阶指数置信区间半宽（95%）", "Half-width of the 95% interval of S1"),
    "ST_conf": ("总效应指数置信区间半宽（95%）", "Half-width of the 95% interval of ST"),
    "metric": ("度量：index 综合指数，D 耦合协调度，grade 协调等级等",
               "Metric: index, D, grade and the like"),
    "baseline": ("基准值", "Baseline value"),
    "scenario": ("情景值", "Scenario value"),
    "change": ("变化（情景 − 基准）", "Change (scenario - baseline)"),
    ("target_changes", "change"): ("所需变化（目标所需值 − 当前值，自身单位）",
                                   "Change required (required - current, own unit)"),
    "value_before": ("指标原值（自身单位）", "Indicator value before (own unit)"),
    "value_after": ("指标新值（自身单位）", "Indicator value after (own unit)"),
    "z_before": ("标准化得分（前）", "Normalised score before"),
    "z_after": ("标准化得分（后）", "Normalised score after"),
    "obstacle_before": ("指标障碍度（前）", "Obstacle degree of the indicator before"),
    "obstacle_after": ("指标障碍度（后）", "Obstacle degree of the indicator after"),
    "clipped": ("超出基准锚点而被截断", "Beyond the baseline anchors, clipped"),
    ("forecast", "clipped"): ("预测值或区间超出 [0, 1] 而被截断",
                              "Forecast or interval beyond [0, 1], clipped"),
    ("changes", "name"): ("变动的变量或指标代码", "Variable or indicator changed"),
    ("changes", "kind"): ("变动方式：rel 相对（比例），abs 绝对增量，set 设为该值",
                          "Kind: rel (relative), abs (absolute step), set (new value)"),
    ("changes", "amount"): ("变动幅度（rel 为比例，0.1 即 +10%）",
                            "Amount (rel: a fraction, 0.1 = +10 %)"),
    "中文": ("中文说明", "Explanation in Chinese"),
    "English": ("英文说明", "Explanation in English"),
    "by": ("目标年份", "Target year"),
    "goal": ("目标（如 D>=0.6）", "Goal (e.g. D>=0.6)"),
    "current": ("当前值", "Current value"),
    "achieved": ("按方案可达到的值", "Value the plan achieves"),
    "met_now": ("当前已达到目标", "Goal already met"),
    "effort": ("方案的调整量（标准化得分变化的加权和）",
               "Effort of the plan (weighted sum of the score changes)"),
    "required": ("目标所需值", "Value the goal requires"),
    "compound_rate": ("所需年均复合增长率", "Required compound yearly rate"),
    "linear_step": ("所需年均线性增量", "Required linear yearly step"),
    "z_current": ("当前标准化得分", "Current normalised score"),
    "z_required": ("所需标准化得分", "Normalised score required"),
    "forecast": ("预测值", "Forecast"),
    "lower": ("预测区间下限", "Lower prediction limit"),
    "upper": ("预测区间上限", "Upper prediction limit"),
    "model": ("所选模型（gm11 灰色模型 / ets 指数平滑）", "Model chosen (gm11 or ets)"),
    "criterion": ("模型选择准则（mape 平均绝对百分比误差 / rmse 均方根误差）",
                  "Selection criterion (mape or rmse)"),
    "holdout": ("留出检验年数", "Hold-out years"),
    "gm11_mape": ("GM(1,1) 留出期平均绝对百分比误差", "GM(1,1) hold-out MAPE"),
    "gm11_rmse": ("GM(1,1) 留出期均方根误差", "GM(1,1) hold-out RMSE"),
    "ets_mape": ("指数平滑留出期平均绝对百分比误差", "ETS hold-out MAPE"),
    "ets_rmse": ("指数平滑留出期均方根误差", "ETS hold-out RMSE"),
    "gm11_a": ("GM(1,1) 发展系数 a", "GM(1,1) development coefficient a"),
    "gm11_b": ("GM(1,1) 灰色作用量 b", "GM(1,1) grey input b"),
    "gm11_shift": ("GM(1,1) 平移量（使序列为正）", "GM(1,1) shift (makes the series positive)"),
    "gm11_C": ("GM(1,1) 后验差比 C", "GM(1,1) posterior variance ratio C"),
    "gm11_P": ("GM(1,1) 小误差概率 P", "GM(1,1) small-error probability P"),
    "gm11_grade": ("GM(1,1) 精度等级（good 好、qualified 合格、barely 勉强合格、unqualified 不合格）",
                   "GM(1,1) accuracy grade (good, qualified, barely, unqualified)"),
    "gm11_mean_relative_error": ("GM(1,1) 平均相对误差", "GM(1,1) mean relative error"),
}


# ---------------------------------------------------------------------------------------------
# method tables: entropy, CRITIC, CV, AHP and TOPSIS tables (ronghe.method_tables)
METHOD_COLUMNS: dict[str, tuple[str, str]] = {
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

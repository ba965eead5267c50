"""Words of the workbooks and of the import validation report (zh-CN first, en).

- :data:`HEADERS`: the short Chinese header a workbook shows above a column (the long explanation
  of each column is in :mod:`ronghe.words.columns`; a column without a header here shows the
  first clause of its explanation);
- :data:`SHEETS` / :data:`SHEET_PREFIXES`: what each sheet holds, listed on the About sheet;
- :data:`ABOUT`: the keys of the About sheet; :data:`TITLES`: the title of each kind of workbook;
- :data:`SEVERITIES`, :data:`WHERE`, :data:`REASONS`: the validation report of an import.
"""

from __future__ import annotations

#: Short zh headers of the columns (what a sheet's first row shows).
HEADERS: dict[str, str] = {
    "region": "地区代码",
    "name_zh": "地区名称",
    "name_en": "英文名称",
    "province": "省份代码",
    "province_name": "省份",
    "year": "年份",
    "index": "综合指数",
    "rank": "排名",
    "topsis": "TOPSIS 贴近度",
    "indicator": "指标代码",
    "indicator_name": "指标名称",
    "indicator_a": "指标代码 A",
    "indicator_a_name": "指标 A",
    "indicator_b": "指标代码 B",
    "indicator_b_name": "指标 B",
    "dimension": "维度代码",
    "dimension_name": "维度",
    "direction": "方向",
    "unit": "单位",
    "weight": "权重",
    "weight_in_dimension": "维度内权重",
    "dimension_weight": "维度权重",
    "C": "耦合度 C",
    "T": "协调指数 T",
    "D": "耦合协调度 D",
    "grade": "协调等级",
    "grade_zh": "等级名称",
    "grade_en": "等级（英文）",
    "stage": "耦合阶段",
    "stage_zh": "阶段名称",
    "stage_en": "阶段（英文）",
    "type_zh": "发展类型",
    "type_en": "发展类型（英文）",
    "action": "处理方式",
    "old": "处理前",
    "new": "处理后",
    "cells": "单元格数",
    "category": "障碍类别代码",
    "category_name": "障碍类别",
    "obstacle": "主导障碍代码",
    "obstacle_name": "主导障碍类别",
    "obstacle_share": "主导类别占比",
    "untagged": "未标注指标占比",
    "path": "路径代码",
    "path_zh": "路径",
    "metric": "度量代码",
    "metric_name": "度量",
    "baseline": "基准值",
    "scenario": "情景值",
    "change": "变化",
    "中文": "中文说明",
    "English": "英文说明",
    "sd": "标准差 σ",
    "conflict": "冲突性",
    "information": "信息量 C_j",
    "message_zh": "警告",
    "message_en": "警告（英文）",
    "obstacle_type_en": "障碍类型（英文）",
}

#: Headers of columns named by a prefix and an id: the text with ``{name}`` (the id's name, or the
#: id itself) or ``{k}`` (the number).
PREFIX_HEADERS: tuple[tuple[str, str], ...] = (
    ("U_", "{name}得分"),
    ("obs_dim_", "{name}障碍度"),
    ("obs_cat_", "{name}障碍度"),
    ("share_", "{name}占比"),
)

#: Headers of the leading obstacle factors (``top1``, its name and its degree).
TOP_HEADERS: tuple[str, str, str] = ("第{k}障碍因子代码", "第{k}障碍因子", "第{k}障碍度")

#: Treatments of a cell (the ``action`` column of the treatment log) in Chinese.
TREATMENTS: dict[str, str] = {
    "undefined": "无定义（无法计算）",
    "winsorised": "缩尾",
    "log": "对数变换",
    "imputed: linear": "插补：线性插值",
    "imputed: carry": "插补：沿用最近年份",
    "imputed: parent_mean": "插补：上级同年均值",
    "imputed: year_mean": "插补：全样本同年均值",
}

#: Names of obstacle categories not in the knowledge base.
CATEGORY_NAMES: dict[str, str] = {"other": "未标注类别", "untagged": "未标注类别"}

#: What each sheet holds (zh, en), listed on the About sheet.
SHEETS: dict[str, tuple[str, str]] = {
    "说明 About": ("本工作簿说明：数据来源、设置、引用方式与工作表目录",
                 "This sheet: data source, settings, how to cite, list of sheets"),
    "列说明 Columns": ("每个工作表每一列的含义（列代码、表头、中英文说明）",
                     "Meaning of every column of every sheet (code, header, zh, en)"),
    "index": ("综合指数、排名与维度得分（逐地区逐年）", "Composite index, rank, dimension scores"),
    "weights": ("指标权重、维度内权重与维度权重", "Indicator, within-dimension, dimension weights"),
    "coupling": ("耦合度、协调指数、耦合协调度与协调等级", "Coupling, coordination, D and grade"),
    "obstacles": ("主要障碍因子、维度与障碍类别的障碍度", "Leading obstacle factors and degrees"),
    "treatment": ("插补、缩尾等处理过的单元格", "Cells imputed, winsorised or undefined"),
    "transforms": ("整列对数变换的指标", "Indicators log-transformed as a whole"),
    "diagnosis": ("最新年份每个地区的诊断：障碍、类型与路径", "Diagnosis of every region"),
    "typology": ("障碍类型的地区占比与主导路径", "Obstacle types: shares and leading paths"),
    "rankings": ("排名表", "Rankings"),
    "trends": ("历年均值走势", "Trends of the means"),
    "disparity": ("Dagum 基尼系数分解", "Dagum Gini decomposition"),
    "grade_shares": ("各协调等级的地区占比", "Share of regions by grade"),
    "obstacle_categories": ("障碍类别的平均占比", "Mean shares of the obstacle categories"),
    "moran": ("全局 Moran's I", "Global Moran's I"),
    "rank_intervals": ("排名的蒙特卡洛区间", "Monte Carlo rank intervals"),
    "scenario": ("情景前后的综合指数、维度得分、耦合协调度与等级", "Scenario against baseline"),
    "scenario_indicators": ("情景前后各指标的数值、得分与障碍度", "Indicators before and after"),
    "changes": ("情景中的变动", "Changes of the scenario"),
    "explanation": ("文字说明", "Explanation in words"),
    "rank_uncertainty": ("排名的不确定性区间", "Rank uncertainty"),
    "sobol": ("各方法选择对排名的 Sobol 敏感性", "Sobol' sensitivity of the ranks"),
    "choices": ("抽样的方法选择及其选项", "Methodological choices drawn"),
    "target": ("目标与方案概要", "Goal and plan"),
    "target_changes": ("达成目标所需的指标变化", "Indicator changes the goal requires"),
    "target_scenario": ("按方案实施后的情景", "The plan as a scenario"),
    "forecast": ("预测值与预测区间", "Forecasts and prediction intervals"),
    "forecast_models": ("预测模型的选择与精度", "Forecast models and their accuracy"),
}

#: Sheet families named by a prefix (analysis, method tables, audit).
SHEET_PREFIXES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("disparity_", ("区域差异分析（Dagum 基尼、泰尔指数、收敛）", "Disparity analysis")),
    ("spatial_", ("空间自相关分析（Moran's I、LISA、热点）", "Spatial autocorrelation")),
    ("dynamics_", ("动态演进分析（马尔可夫链、核密度）", "Dynamics (Markov chains, density)")),
    ("drivers_", ("驱动因素分析（地理探测器）", "Drivers (geographical detector)")),
    ("weights_", ("赋权方法的中间量", "Intermediate quantities of the weighting")),
    ("topsis", ("TOPSIS 的距离、贴近度与理想解", "TOPSIS distances, closeness and ideals")),
    ("audit_", ("统计审计：相关、信度与权重主导", "Statistical audit")),
)

#: Keys of the About sheet (zh en).
ABOUT: dict[str, str] = {
    "item": "项目 item",
    "value": "内容 value",
    "workbook": "工作簿 workbook",
    "date": "生成日期 date",
    "software": "软件 software",
    "cite": "引用 how to cite",
    "sheets": "工作表目录 sheets",
}

#: Column sheet headers (zh en), in the order of its columns.
COLUMN_SHEET: tuple[str, ...] = ("工作表 sheet", "列代码 column", "中文说明", "英文说明 English",
                                 "表头 header")

#: Titles of the workbooks (zh / en).
TITLES: dict[str, str] = {
    "result": "计算结果工作簿 / results workbook",
    "report": "报告数据工作簿 / report tables",
    "scenario": "情景模拟工作簿 / scenario workbook",
    "uncertainty": "不确定性分析工作簿 / uncertainty workbook",
    "target": "目标测算工作簿 / target workbook",
    "forecast": "趋势预测工作簿 / forecast workbook",
}

#: How to cite a workbook: the software, its version, the settings hash and the date.
CITE = ("ronghe {version}（城乡融合测度、诊断与规划开源软件），设置哈希 {hash}，{date} 生成 / "
        "ronghe {version} (open-source software for urban-rural integration), settings hash "
        "{hash}, written {date}")

# ------------------------------------------------------------------ import validation report
#: Severity of an issue (zh, en).
SEVERITIES: dict[str, tuple[str, str]] = {
    "error": ("错误（未入库）", "error (not stored)"),
    "warning": ("警告（已入库，请核查）", "warning (stored, please check)"),
    "missing": ("缺失（无数据标记或空白）", "missing (no-data mark or blank)"),
}

#: Where an issue is, as a line of the report says it (zh, en): the parts are joined with ``sep``;
#: ``column_header`` when the column has a heading, ``column`` when it has none.
WHERE: dict[str, tuple[str, str]] = {
    "sheet": ("工作表 {!r}", "sheet {!r}"),
    "row": ("第 {} 行", "row {}"),
    "column_header": ("{} 列（{}）", "column {} ({})"),
    "column": ("{} 列", "column {}"),
    "sep": ("，", ", "),
}

#: Reasons of the readers (English, as :mod:`ronghe.ingest` records them) -> Chinese: a regular
#: expression matched against the whole reason, and the zh text with its groups ``{0}``, ``{1}``.
#: A reason that already carries its Chinese after `` / `` is shown zh first as it is.
REASONS: tuple[tuple[str, str], ...] = (
    (r"no data mark", "无数据标记（空白或“…”“—”等）"),
    (r"not a number", "不是数值"),
    (r"not a finite number", "不是有限数值"),
    (r"implausibly large number \(\|x\| >= 1e15\)", "数值大得不合理（|x| ≥ 1e15）"),
    (r"a true/false cell is not a number", "逻辑值（是/否）不是数值"),
    (r"a (\w+) cell is not a number", "{0} 类型的单元格不是数值"),
    (r"formula without a stored result", "公式没有保存计算结果"),
    (r"spreadsheet error value", "单元格为错误值（如 #DIV/0!）"),
    (r"malformed thousands separators", "千分位分隔符有误"),
    (r"row has values but no region code or name; row skipped", "该行有数值但无地区代码或名称，已跳过"),
    (r"(\S+) outside the valid range \[(.*)\]", "{0} 超出有效范围 [{1}]"),
    (r"(\S+) must be positive", "{0} 须为正数"),
    (r"unit (.*) in the cell does not fit the unit '(.*)'", "单元格中的单位 {0} 与指标单位 {1} 不符"),
    (r"footnote mark '(.*)' removed", "已去掉脚注标记 '{0}'"),
)

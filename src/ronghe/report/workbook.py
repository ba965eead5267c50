"""The report workbook: every table of the Result plus the report's own tables (rankings, trends,
grade shares, obstacle categories, disparity, Moran's I, rank intervals), with the column sheet
explaining each column in zh and en. Written by :func:`ronghe.report.excel.write_workbook` (frozen
headers, number formats, text that cannot become a formula)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ronghe import labels
from ronghe.report.content import ReportContent, build_content
from ronghe.report.excel import write_workbook

if TYPE_CHECKING:
    from ronghe.result import Result

__all__ = ["REPORT_COLUMNS", "write_report_workbook"]

#: zh and en explanations of the report's columns; keys are a column or (sheet, column).
REPORT_COLUMNS: dict[str | tuple[str, str], tuple[str, str]] = {
    "macro_region": ("四大区域（国家统计局划分）", "Macro-region (NBS: east, central, west, northeast)"),
    "group": ("分组代码（四大区域或省份）", "Group id (macro-region or province)"),
    "group_name": ("分组名称", "Group name"),
    "variable": ("变量：index 综合指数，D 耦合协调度", "Variable: index or D"),
    "n": ("地区数", "Number of regions"),
    "mean": ("组内均值", "Group mean"),
    "G": ("总体基尼系数 G", "Overall Gini G"),
    "Gw": ("区域内差异贡献 Gw", "Within-group contribution Gw"),
    "Gnb": ("区域间净差异贡献 Gnb", "Net between-group contribution Gnb"),
    "Gt": ("超变密度贡献 Gt", "Transvariation contribution Gt"),
    "Gb": ("区域间差异贡献 Gb = Gnb + Gt", "Between-group contribution Gb = Gnb + Gt"),
    "share_Gw": ("Gw / G", "Gw / G"),
    "share_Gnb": ("Gnb / G", "Gnb / G"),
    "share_Gt": ("Gt / G", "Gt / G"),
    "G_jj": ("组内基尼系数 G_jj", "Within-group Gini G_jj"),
    "grade_label": ("协调等级名称", "Grade name"),
    ("grade_shares", "share"): ("该等级地区占比", "Share of regions in the grade"),
    ("obstacle_categories", "share"): (
        "该类别的地区平均占比（O1–O4 合计 100%；other 为未标注指标另占总障碍度的部分）",
        "Mean share of the category over regions (O1-O4 sum to 100 %; other: the untagged part "
        "of the total obstacle degree, apart)"),
    "category": ("障碍类别（O1–O4，other 未归类）", "Obstacle category (O1-O4, other = untagged)"),
    "name": ("名称", "Name"),
    "label": ("显示标签", "Display label"),
    "I": ("全局 Moran's I", "Global Moran's I"),
    "E_I": ("期望值 E[I] = −1/(n−1)", "Expected value E[I] = -1/(n-1)"),
    "z_norm": ("正态假设下的 z 值", "z-score under normality"),
    "p_norm": ("正态假设下的双侧 p 值", "Two-sided p-value under normality"),
    "p_sim": ("置换检验 p 值", "Permutation p-value"),
    "nominal_rank": ("名义位次（本次设置）", "Nominal rank (the study's settings)"),
    "median_rank": ("蒙特卡洛位次中位数", "Median rank over the Monte Carlo draws"),
    "p05_rank": ("位次第 5 百分位", "5th percentile of the rank"),
    "p95_rank": ("位次第 95 百分位", "95th percentile of the rank"),
}


def write_report_workbook(
    result: Result,
    path: str | Path,
    *,
    lang: str = "zh",
    content: ReportContent | None = None,
    draws: int = 0,
) -> Path:
    """Write the Result's tables and the report's tables to one workbook (see the module
    docstring); ``content`` reuses an already built report, ``draws`` > 0 adds rank intervals."""
    c = content if content is not None else build_content(result, lang=lang, draws=draws)
    tables = {**result.tables(), **c.tables()}
    notes = [*result.notes(), *(("报告说明 report note", note) for note in c.notes),
             ("地区画像 profiles", c.profile_rule)]
    return write_workbook(path, tables, labels.column_sheet(tables, REPORT_COLUMNS), notes)


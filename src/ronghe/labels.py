"""Bilingual (zh-CN, en) labels of the columns ronghe writes; shown in the workbook's column sheet."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ronghe.diagnosis import COLUMN_LABELS as DIAGNOSIS_COLUMNS

COLUMNS: dict[str, tuple[str, str]] = {
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

PREFIXED: dict[str, tuple[str, str]] = {
    "U_": ("维度得分（0–1）：", "Dimension score (0-1): "),
    "obs_dim_": ("维度障碍度：", "Obstacle degree of dimension: "),
    "obs_cat_": ("障碍类别的障碍度：", "Obstacle degree of category: "),
    "top": ("第 N 位障碍因子及其障碍度：", "N-th obstacle factor and its degree: "),
}


def explain(column: str) -> tuple[str, str]:
    """zh and en explanation of a column name (prefixed names get the prefix's text)."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column in DIAGNOSIS_COLUMNS:
        return DIAGNOSIS_COLUMNS[column]
    from ronghe.audit import COLUMN_LABELS as AUDIT_COLUMNS
    from ronghe.method_tables import COLUMN_LABELS as METHOD_COLUMNS

    if column in METHOD_COLUMNS:
        return METHOD_COLUMNS[column]
    if column in AUDIT_COLUMNS:
        return AUDIT_COLUMNS[column]
    for prefix, (zh, en) in PREFIXED.items():
        if column.startswith(prefix):
            return zh + column, en + column
    return "", ""


Extra = Mapping[str | tuple[str, str], tuple[str, str]]


def column_sheet(tables: Mapping[str, pd.DataFrame], extra: Extra | None = None) -> pd.DataFrame:
    """The workbook's column sheet (sheet, column, zh, en) for ``tables``.

    A column's text is, in this order: ``extra[(sheet, column)]``, :func:`explain`, then
    ``extra[column]`` — so a front end can add its own columns and override one sheet's meaning
    without touching the shared labels.
    """
    extra = extra or {}
    rows = []
    for sheet, df in tables.items():
        for col in map(str, df.columns):
            text = extra.get((sheet, col))
            if text is None:
                text = explain(col)
                if not text[0] and col in extra:
                    text = extra[col]
            rows.append({"sheet": sheet, "column": col, "中文说明": text[0], "English": text[1]})
    return pd.DataFrame(rows)

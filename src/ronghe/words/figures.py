"""Words of the analysis figures (:mod:`ronghe.spatial.figures`): titles, axis labels, legend
classes of the LISA, significance and Gi* maps, the map furniture. Every entry is a (zh, en) pair;
``{name}`` fields are filled by the figure."""

from __future__ import annotations

__all__ = ["CLUSTER_LABELS", "CORRECTION_TEXT", "HOTSPOT_LABELS", "SIGNIFICANCE_LABELS", "TEXT",
           "VARIABLE_LABELS"]

#: LISA clusters (local Moran quadrants; "ns" not significant).
CLUSTER_LABELS: dict[str, tuple[str, str]] = {
    "HH": ("高高", "High-High"),
    "LL": ("低低", "Low-Low"),
    "LH": ("低高", "Low-High"),
    "HL": ("高低", "High-Low"),
    "ns": ("不显著", "Not significant"),
}

#: Classes of the LISA significance map: the smallest level the corrected pseudo p is below.
SIGNIFICANCE_LABELS: dict[str, tuple[str, str]] = {
    "0.0001": ("p < 0.0001", "p < 0.0001"),
    "0.001": ("p < 0.001", "p < 0.001"),
    "0.01": ("p < 0.01", "p < 0.01"),
    "0.05": ("p < 0.05", "p < 0.05"),
    "ns": ("不显著", "Not significant"),
}

#: Getis-Ord Gi* hot and cold spots by confidence level (|z| >= 2.576, 1.960, 1.645).
HOTSPOT_LABELS: dict[str, tuple[str, str]] = {
    "hot_99": ("热点（99% 置信）", "Hot spot (99 % confidence)"),
    "hot_95": ("热点（95% 置信）", "Hot spot (95 % confidence)"),
    "hot_90": ("热点（90% 置信）", "Hot spot (90 % confidence)"),
    "cold_99": ("冷点（99% 置信）", "Cold spot (99 % confidence)"),
    "cold_95": ("冷点（95% 置信）", "Cold spot (95 % confidence)"),
    "cold_90": ("冷点（90% 置信）", "Cold spot (90 % confidence)"),
    "ns": ("不显著", "Not significant"),
}

#: Multiple-testing control named in the map titles.
CORRECTION_TEXT: dict[str, tuple[str, str]] = {
    "fdr": ("FDR 校正", "FDR"),
    "bonferroni": ("Bonferroni 校正", "Bonferroni"),
    "none": ("未校正", "uncorrected"),
}

#: Names of the chain's own results when a figure is drawn of one of them (an indicator is named
#: by the caller, from its framework).
VARIABLE_LABELS: dict[str, tuple[str, str]] = {
    "index": ("综合指数", "Composite index"),
    "D": ("耦合协调度 D", "Coupling coordination degree D"),
    "C": ("耦合度 C", "Coupling degree C"),
    "T": ("综合协调指数 T", "Comprehensive coordination index T"),
    "topsis": ("TOPSIS 相对贴近度", "TOPSIS closeness"),
}

TEXT: dict[str, tuple[str, str]] = {
    "lisa": ("{year} 年 LISA 集聚图", "LISA clusters, {year}"),
    "significance": ("{year} 年 LISA 显著性图", "LISA significance, {year}"),
    "hotspot": ("{year} 年 Getis-Ord Gi* 冷热点图", "Getis-Ord Gi* hot and cold spots, {year}"),
    "moran": ("{year} 年 Moran 散点图", "Moran scatterplot, {year}"),
    "detail": ("{variable}，{permutations} 次置换，{correction}",
               "{variable}, {permutations} permutations, {correction}"),
    "hotspot_detail": ("{variable}，按 z 值判定（|z| ≥ 1.645、1.960、2.576）",
                       "{variable}, classed by z (|z| ≥ 1.645, 1.960, 2.576)"),
    "permutations": ("{variable}，{permutations} 次置换", "{variable}, {permutations} permutations"),
    "z": ("标准化值 z", "Standardised value z"),
    "lag": ("空间滞后 Wz", "Spatial lag Wz"),
    "slope": ("斜率（Moran's I）= {slope:.4f}", "slope (Moran's I) = {slope:.4f}"),
    "no_data": ("无数据", "No data"),
    "no_result": ("无数据（含 {n} 个无结果的分析地区）",
                  "No data ({n} analysed regions without a result)"),
    "no_polygon": ("无边界、未绘制的地区", "Regions without a boundary, not drawn"),
    "inset": ("南海诸岛", "South China Sea Islands"),
    "markov": ("马尔可夫转移概率矩阵", "Markov transition probabilities"),
    "from": ("期初类型", "Class at t"),
    "to": ("期末类型", "Class at t+1"),
    "kde": ("核密度演进", "Kernel density over years"),
    "density": ("密度", "Density"),
    "value": ("取值", "Value"),
    "year": ("年份", "Year"),
    "synthetic": ("合成数据，仅用于演示，不代表任何真实地区",
                  "Synthetic data, for demonstration only; they describe no real region"),
    "no_font": ("未找到中文字体，图中标签改用英文；安装字体：apt-get install fonts-noto-cjk",
                "no CJK font found, figure labels fall back to English; install one with "
                "apt-get install fonts-noto-cjk"),
}

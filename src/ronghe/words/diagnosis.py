"""Words of the diagnosis (:mod:`ronghe.diagnosis`): the one-screen summary of a region-year and the
typology rule in words. Every entry is a (zh, en) pair; templates are filled with
:meth:`str.format` by the diagnosis, which picks the language with :func:`ronghe.words.pick`.
"""

from __future__ import annotations

__all__ = ["PEER_SCOPE", "TEXT", "TREND_STATUS", "TYPE_REASON"]

#: Lines and fragments of :meth:`ronghe.diagnosis.Diagnosis.to_text`.
TEXT: dict[str, tuple[str, str]] = {
    "title": (
        "城乡融合诊断：{region} {name}（{province}）· {year} 年 · 框架 {fw}",
        "Integration diagnosis: {region} {name} ({province}) · {year} · framework {fw}",
    ),
    "synthetic": ("注意：合成数据（演示用，非真实统计）",
                  "Note: synthetic data (demo, not real statistics)"),
    "index": (
        "综合指数 {index:.3f}，当年排名 {rank} / {n}；障碍类型：{type}",
        "Composite index {index:.3f}, rank {rank} of {n} in the year; type: {type}",
    ),
    "why": ("  类型说明：{reason}", "  Why this type: {reason}"),
    "blockers": (
        "主要障碍指标（障碍度；数值；全部 / 省内百分位，0 最差 100 最好；趋势）",
        "Blocking indicators (obstacle degree; value; percentile among all / province, "
        "0 worst 100 best; trend)",
    ),
    "missing": ("缺失（已插补）", "missing (imputed)"),
    "trend": ("{a}–{b} 年每年 {slope}，{status}", "{a}-{b} {slope} a year, {status}"),
    "no_trend": ("年份不足，无趋势", "too few years for a trend"),
    "categories": ("障碍类别（O1–O4 合计 100%）", "Obstacle categories (O1-O4 sum to 100 %)"),
    "untagged": (
        "未标注障碍类别的指标另占总障碍度 {share:.0%}",
        "indicators without an obstacle tag add {share:.0%} of the total obstacle degree, "
        "shown apart",
    ),
    "dimensions": ("维度障碍度", "Obstacle degree by dimension"),
    "paths": ("推荐路径（分值 = 所针对的障碍度；依据）",
              "Recommended paths (score = obstacle degree addressed; evidence)"),
    "mechanisms": ("配套机制", "Supporting mechanisms"),
    "none": ("无", "none"),
    "peers": ("同类地区经验：{ind}，{a}→{b} 年改善最多的结构相似地区",
              "Peer exemplars: similar regions that improved most on {ind}, {a}->{b}"),
    "no_peers": ("同类地区经验：未找到 {ind} 在 {a}→{b} 年改善的结构相似地区",
                 "Peer exemplars: no similar region improved on {ind}, {a}->{b}"),
    "no_base": ("同类地区经验：数据中没有 {year} 年之前可供比较的年份",
                "Peer exemplars: the data have no year before {year} to compare with"),
    "distance": ("距离", "distance"),
    "sep": ("，", ", "),
}

#: Status of an indicator's trend (:class:`ronghe.diagnosis.Trend`).
TREND_STATUS: dict[str, tuple[str, str]] = {
    "improving": ("改善", "improving"),
    "worsening": ("恶化", "worsening"),
    "flat": ("持平", "flat"),
}

#: Where a peer exemplar was found (:class:`ronghe.diagnosis.Peer`).
PEER_SCOPE: dict[str, tuple[str, str]] = {
    "province": ("省内", "same province"),
    "national": ("外省", "other province"),
}

#: The typology rule in words (:func:`ronghe.diagnosis.type_reason`): ``no_degree`` alone, or
#: ``balanced`` / ``typed`` followed by ``also_largest`` or ``largest_differs``.
TYPE_REASON: dict[str, tuple[str, str]] = {
    "no_degree": ("该地区当年没有 O1–O4 障碍度，记为均衡型。",
                  "The region has no O1-O4 obstacle degree this year, so it is typed balanced."),
    "balanced": (
        "相对规则：没有哪一类障碍的占比达到 {year} 年各地区平均占比的 {threshold} 倍"
        "（最高为 {factor:.2f} 倍），故为均衡型",
        "Relative rule: no category's share reaches {threshold} times the mean share of the "
        "regions in {year} (the highest factor is {factor:.2f}), so the type is balanced",
    ),
    "typed": (
        "相对规则：{category} 占 O1–O4 障碍度的 {share:.1%}，是 {year} 年各地区平均占比"
        "（{mean:.1%}）的 {factor:.2f} 倍，在四类中相对最突出（阈值 {threshold} 倍）",
        "Relative rule: {category} is {share:.1%} of the O1-O4 obstacle degree, {factor:.2f} "
        "times the mean share of the regions in {year} ({mean:.1%}), more than the average "
        "county by the largest factor of the four (threshold {threshold})",
    ),
    "also_largest": ("；它也是绝对占比最大的类别。",
                     "; it is also the largest category in absolute terms."),
    "largest_differs": (
        "。按绝对占比最大的是 {largest}（{largest_share:.1%}，为当年平均的 {largest_factor:.2f} 倍）："
        "该类在多数地区都占比较高，不能区分地区，因此类型按相对规则判定。",
        ". The largest category in absolute terms is {largest} ({largest_share:.1%}, "
        "{largest_factor:.2f} times the year's mean): it is large almost everywhere and does not "
        "tell regions apart, so the type follows the relative rule.",
    ),
}

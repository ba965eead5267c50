"""A short self-contained HTML summary of a Result (no scripts, no network requests)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from jinja2 import Environment, select_autoescape

if TYPE_CHECKING:
    from ronghe.result import Result

TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ronghe 融合 — {{ fw_zh }} / {{ fw_en }}</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem auto;
max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccd;padding:.25rem .6rem;
text-align:right}th{background:#eef2f7}td.l,th.l{text-align:left}.note{background:#fff6dd;padding:.6rem;
border-left:4px solid #e0a800}svg{max-width:100%}
</style></head><body>
<h1>城乡融合评价摘要 <small>Urban–rural integration summary</small></h1>
<p class="note">{{ data_note }}</p>
<p>框架 framework: <b>{{ fw_id }}</b> — {{ fw_zh }} / {{ fw_en }}；{{ n_regions }} 个地区 regions ×
{{ years[0] }}–{{ years[-1] }}；设置哈希 settings hash <code>{{ hash }}</code></p>
<h2>年度均值 Yearly means</h2>
{{ chart | safe }}
<table><tr><th>年份 year</th><th>综合指数 index</th><th>耦合协调度 D</th></tr>
{% for y, a, d in trend %}<tr><td>{{ y }}</td><td>{{ '%.4f' % a }}</td><td>{{ '%.4f' % d }}</td></tr>
{% endfor %}</table>
<h2>{{ last }} 年前十位 Top 10 in {{ last }}</h2>
<table><tr><th>位次 rank</th><th class="l">地区 region</th><th>综合指数 index</th><th>D</th>
<th class="l">协调等级 grade</th></tr>
{% for r in top %}<tr><td>{{ r.rank }}</td><td class="l">{{ r.name_zh }} ({{ r.region }})</td>
<td>{{ '%.4f' % r.index }}</td><td>{{ '%.4f' % r.D }}</td>
<td class="l">{{ r.grade_zh }} {{ r.grade_en }}</td></tr>
{% endfor %}</table>
<h2>{{ last }} 年协调等级分布 Grades in {{ last }}</h2>
<table><tr><th class="l">等级 grade</th><th>地区数 regions</th><th>占比 share</th></tr>
{% for g in grades %}<tr><td class="l">{{ g.label }}</td><td>{{ g.n }}</td>
<td>{{ '%.1f' % g.share }}%</td></tr>
{% endfor %}</table>
<p>完整表格见工作簿 Full tables are in the workbook.</p>
</body></html>
"""


def _line_chart(
    xs: list[int], series: dict[str, np.ndarray], width: int = 640, height: int = 220
) -> str:
    """An inline SVG line chart (no scripts)."""
    pad = 36
    allv = np.concatenate(list(series.values()))
    lo, hi = float(allv.min()), float(allv.max())
    hi = hi if hi > lo else lo + 1
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    span = max(len(xs) - 1, 1)

    def pt(i: int, v: float) -> str:
        x = pad + i * (width - 2 * pad) / span
        y = height - pad - (v - lo) * (height - 2 * pad) / (hi - lo)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
    ]
    for n, (name, ys) in enumerate(series.items()):
        pts = " ".join(pt(i, float(v)) for i, v in enumerate(ys))
        c = colours[n % len(colours)]
        parts.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{pts}"/>')
        parts.append(
            f'<text x="{pad + 150 * n}" y="16" fill="{c}" font-size="13">{html.escape(name)}</text>'
        )
    for i in (0, len(xs) - 1):
        parts.append(
            f'<text x="{pt(i, lo).split(",")[0]}" y="{height - 10}" font-size="12" '
            f'text-anchor="middle">{xs[i]}</text>'
        )
    parts.append(f'<text x="4" y="{height - pad}" font-size="11">{lo:.3f}</text>')
    parts.append(f'<text x="4" y="{pad}" font-size="11">{hi:.3f}</text></svg>')
    return "".join(parts)


def write_summary(result: Result, path: str | Path) -> Path:
    idx, cpl = result.index, result.coupling
    years = sorted(idx["year"].unique().tolist())
    mean_idx = idx.groupby("year")["index"].mean()
    mean_d = cpl.groupby("year")["D"].mean()
    last = years[-1]
    cur = idx[idx["year"] == last].merge(
        cpl[cpl["year"] == last][["region", "D", "grade", "grade_zh", "grade_en"]], on="region"
    )
    top = cur.nsmallest(10, "rank").to_dict("records")
    counts = cur.groupby(["grade", "grade_zh", "grade_en"]).size().reset_index(name="n")
    grades = [
        {
            "label": f"{r.grade} {r.grade_zh} {r.grade_en}",
            "n": int(r.n),
            "share": 100 * r.n / len(cur),
        }
        for r in counts.itertuples()
    ]
    panel = result.state.panel
    note = (
        "本页数据为合成数据，仅用于演示，不代表任何真实地区。 The data are synthetic, for "
        "demonstration only; they describe no real region."
        if panel.synthetic
        else f"数据来源 source: {panel.source}"
    )
    env = Environment(autoescape=select_autoescape(default=True))
    page = env.from_string(TEMPLATE).render(
        fw_id=result.framework.id,
        fw_zh=result.framework.info.name_zh,
        fw_en=result.framework.info.name_en,
        data_note=note,
        n_regions=int(idx["region"].nunique()),
        years=years,
        hash=result.settings_hash,
        trend=list(zip(years, mean_idx[years], mean_d[years], strict=True)),
        chart=_line_chart(
            years,
            {
                "综合指数 index": mean_idx[years].to_numpy(),
                "耦合协调度 D": mean_d[years].to_numpy(),
            },
        ),
        last=last,
        top=top,
        grades=grades,
    )
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out

"""Small inline SVG charts for the pages: a line chart over years and a histogram.

Hand-written on purpose: the pages must work offline and on phones without a JavaScript chart
library, and matplotlib's SVG output turns every label into glyph paths from whichever font is
installed (often without CJK glyphs) at a fixed size. Here the browser draws the text in the page's
font and the ``viewBox`` makes the chart scale with the screen. Bin edges come from
:func:`numpy.histogram_bin_edges` (``auto`` rule).
"""

from __future__ import annotations

from html import escape

import numpy as np

W, H, PAD = 360, 200, 32
COLOURS = ("#1f6f8b", "#d1495b", "#edae49", "#66a182")


def _scale(v: np.ndarray, lo: float, hi: float, a: float, b: float) -> np.ndarray:
    span = hi - lo if hi > lo else 1.0
    return a + (v - lo) / span * (b - a)


def line_chart(years: list[int], series: dict[str, list[float | None]], title: str = "") -> str:
    """Lines of ``series`` (label -> values per year) with a legend; gaps for missing values."""
    x_years = np.asarray(years, dtype=float)
    vals = [np.asarray([np.nan if v is None else v for v in s], dtype=float)
            for s in series.values()]
    finite = np.concatenate([v[np.isfinite(v)] for v in vals]) if vals else np.array([])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    xs = _scale(x_years, x_years.min(), x_years.max(), PAD, W - 8) if len(years) else x_years
    parts = [f'<svg viewBox="0 0 {W} {H}" class="chart" role="img" aria-label="{escape(title)}">',
             f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 8}" y2="{H - PAD}" class="axis"/>',
             f'<text x="2" y="14" class="tick">{hi:.3f}</text>',
             f'<text x="2" y="{H - PAD}" class="tick">{lo:.3f}</text>']
    for x, y in zip(xs, years, strict=True):
        parts.append(f'<text x="{x:.1f}" y="{H - PAD + 14}" class="tick" '
                     f'text-anchor="middle">{y}</text>')
    for i, ((label, _), v) in enumerate(zip(series.items(), vals, strict=True)):
        colour = COLOURS[i % len(COLOURS)]
        ys = _scale(v, lo, hi, H - PAD, 16)
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True)
                          if np.isfinite(y))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     'stroke-width="2"/>')
        parts.append(f'<text x="{PAD + 110 * i}" y="{H - 4}" fill="{colour}" class="tick">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: list[float], title: str = "") -> str:
    """Histogram of the finite ``values``."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return ""
    edges = np.histogram_bin_edges(v, bins="auto")[:41] if np.ptp(v) > 0 else np.array(
        [v[0] - 0.5, v[0] + 0.5])
    counts, edges = np.histogram(v, bins=edges)
    top = counts.max()
    width = (W - PAD - 8) / len(counts)
    parts = [f'<svg viewBox="0 0 {W} {H}" class="chart" role="img" aria-label="{escape(title)}">']
    for i, c in enumerate(counts):
        h = (H - PAD - 16) * c / top
        parts.append(f'<rect x="{PAD + i * width:.1f}" y="{H - PAD - h:.1f}" '
                     f'width="{max(width - 1, 1):.1f}" height="{h:.1f}" fill="{COLOURS[0]}">'
                     f'<title>{edges[i]:.3f}–{edges[i + 1]:.3f}: {c}</title></rect>')
    parts += [f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - 8}" y2="{H - PAD}" class="axis"/>',
              f'<text x="{PAD}" y="{H - PAD + 14}" class="tick">{edges[0]:.3f}</text>',
              f'<text x="{W - 8}" y="{H - PAD + 14}" class="tick" text-anchor="end">'
              f'{edges[-1]:.3f}</text>',
              f'<text x="2" y="14" class="tick">{top}</text></svg>']
    return "".join(parts)


BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def choropleth(shapes: dict, values: dict[str, float], names: dict[str, str],
               counts: dict[str, int] | None = None) -> str:
    """Units (counties, prefectures or provinces) coloured by quintile of ``values`` (class k
    holds values in (q_{k-1}, q_k], q from :func:`numpy.quantile`), with a hover title per unit
    ("name code: value", plus "(n = counts[code])" when ``counts`` is given); units without a
    shape are left out."""
    codes = [c for c in values if c in shapes and np.isfinite(values[c])]
    if not codes:
        return ""
    v = np.asarray([values[c] for c in codes])
    cuts = np.quantile(v, [0.2, 0.4, 0.6, 0.8])
    classes = np.searchsorted(cuts, v, side="left")
    b = np.asarray([shapes[c].bounds for c in codes])
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    stroke = max(x1 - x0, y1 - y0) / 800
    parts = [f'<svg viewBox="{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f}" class="chart map" '
             f'role="img" stroke="#fff" stroke-width="{stroke:.4f}">']
    for c, k, val in zip(codes, classes, v, strict=True):
        n = f" (n = {counts[c]})" if counts is not None else ""
        parts.append(f'<path d="{shapes[c].path}" fill="{BLUES[int(k)]}" data-code="{escape(c)}">'
                     f'<title>{escape(names.get(c, c))} {escape(c)}: {val:.4f}{n}</title></path>')
    parts.append("</svg>")
    legend = "".join(f'<span class="key" style="background:{col}"></span>{lab} '
                     for col, lab in zip(BLUES, ["≤ " + f"{q:.3f}" for q in cuts] + [
                         f"> {cuts[-1]:.3f}"], strict=True))
    return "".join(parts) + f'<p class="legend">{legend}</p>'

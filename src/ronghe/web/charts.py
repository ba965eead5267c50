"""Small inline SVG charts for the pages: a line chart over years and a histogram.

Hand-written on purpose: the pages must work offline and on phones without a JavaScript chart
library, and matplotlib's SVG output turns every label into glyph paths from whichever font is
installed (often without CJK glyphs) at a fixed size. Here the browser draws the text in the page's
font and the ``viewBox`` makes the chart scale with the screen. Bin edges come from
:func:`numpy.histogram_bin_edges` (``auto`` rule).
"""

from __future__ import annotations

from html import escape
from typing import Any

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
NO_DATA = "#d9d9d9"
MAP_WORDS = {"no_data": "无数据", "missing": "无边界、未绘制的地区", "inset": "南海诸岛"}


def _classes(v: np.ndarray, grades: bool, lang: str) -> tuple[np.ndarray, list[str], list[str]]:
    """(class per value, colours, labels): the ten grades of D, or quintiles (class k holds
    values in (q_{k-1}, q_k], q from :func:`numpy.quantile`)."""
    if grades:
        from ronghe.regions.chinamap import grade_classes

        g = grade_classes(lang)
        return g.assign(v.tolist()), list(g.colours), list(g.labels)
    cuts = np.quantile(v, [0.2, 0.4, 0.6, 0.8])
    labels = ["≤ " + f"{q:.3f}" for q in cuts] + [f"> {cuts[-1]:.3f}"]
    return np.searchsorted(cuts, v, side="left"), list(BLUES), labels


def _view(shapes: dict, codes: list[str], base: Any
          ) -> tuple[tuple[float, ...], tuple[float, ...] | None]:
    """The extent of the map and of its inset (None): the whole country with the South China Sea
    inset, or the one province (other than Hainan) holding every unit."""
    provinces = {c[:2] for c in codes}
    if base is not None and (len(provinces) != 1 or "46" in provinces):
        return base.extent, base.inset
    if base is not None and next(iter(provinces)) in base.province_bounds:
        x0, y0, x1, y1 = base.province_bounds[next(iter(provinces))]
    else:
        b = np.asarray([shapes[c].bounds for c in codes])
        x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    d = 0.02 * max(x1 - x0, y1 - y0)
    return (x0 - d, y0 - d, x1 + d, y1 + d), None


def choropleth(shapes: dict, values: dict[str, float], names: dict[str, str],
               counts: dict[str, int] | None = None, *, base: Any = None,
               grades: bool = False, lang: str = "zh", words: dict[str, str] | None = None) -> str:
    """Units (counties, prefectures or provinces) coloured by quintile of ``values`` — by the ten
    grades of D with ``grades`` — with a hover title per unit ("name code: value", plus
    "(n = counts[code])" when ``counts`` is given) and a classed legend with the units per class.
    With ``base`` (:class:`ronghe.web.maps.Base`) the whole national territory is drawn grey
    beneath, with province borders, the maritime line and the South China Sea inset (see
    :mod:`ronghe.regions.chinamap`); units with a value and no shape are listed under the map."""
    words = {**MAP_WORDS, **(words or {})}
    finite = [c for c in values if np.isfinite(values[c])]
    codes = [c for c in finite if c in shapes]
    missing = sorted(c for c in finite if c not in shapes)
    if not codes:
        return ""
    v = np.asarray([values[c] for c in codes])
    classes, colours, labels = _classes(v, grades, lang)
    extent, inset = _view(shapes, codes, base)
    x0, y0, x1, y1 = extent
    stroke = max(x1 - x0, y1 - y0) / 800
    units: dict[str, str] = {}
    for c, k, val in zip(codes, classes, v, strict=True):
        n = f" (n = {counts[c]})" if counts is not None else ""
        units[c] = (f'<path d="{shapes[c].path}" fill="{colours[int(k)]}" data-code="{escape(c)}">'
                     f'<title>{escape(names.get(c, c))} {escape(c)}: {val:.4f}{n}</title></path>')
    body = "".join(units.values())
    if base is not None:
        body = (f'<path d="{base.land}" fill="{NO_DATA}" stroke="none"/>{body}'
                f'<path d="{base.provinces}" fill="none" stroke="#7a7a7a" '
                f'stroke-width="{1.5 * stroke:.3f}"/>'
                f'<path d="{base.maritime}" fill="none" stroke="#444" '
                f'stroke-width="{3 * stroke:.3f}"/>')
    parts = [f'<svg viewBox="{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f}" class="chart map" '
             f'role="img" stroke="#fff" stroke-width="{stroke:.4f}" fill-rule="evenodd">', body]
    if inset is not None:
        ix0, iy0, ix1, iy1 = inset
        iw = 0.16 * (x1 - x0)
        ih = iw * (iy1 - iy0) / (ix1 - ix0)
        px, py = x1 - iw, y1 - ih
        # the inset repeats the units it frames, without code or title (one data-code per unit)
        inner = "".join(f'<path d="{shapes[c].path}" fill="{colours[int(k)]}"/>'
                        for c, k in zip(codes, classes, strict=True)
                        if _overlaps(shapes[c].bounds, inset))
        parts.append(
            f'<svg x="{px:.1f}" y="{py:.1f}" width="{iw:.1f}" height="{ih:.1f}" '
            f'viewBox="{ix0:.1f} {iy0:.1f} {ix1 - ix0:.1f} {iy1 - iy0:.1f}" '
            f'stroke-width="{stroke * (ix1 - ix0) / iw:.3f}">'
            f'<rect x="{ix0:.1f}" y="{iy0:.1f}" width="{ix1 - ix0:.1f}" height="{iy1 - iy0:.1f}" '
            f'fill="#fff" stroke="none"/>'
            f'<path d="{base.land}" fill="{NO_DATA}" stroke="none"/>'
            + inner
            + f'<path d="{base.maritime}" fill="none" stroke="#444" '
            f'stroke-width="{3 * stroke * (ix1 - ix0) / iw:.3f}"/></svg>'
            f'<rect x="{px:.1f}" y="{py:.1f}" width="{iw:.1f}" height="{ih:.1f}" fill="none" '
            f'stroke="#444" stroke-width="{2 * stroke:.3f}"/>'
            f'<text x="{px + iw / 2:.1f}" y="{py + 0.95 * ih:.1f}" text-anchor="middle" '
            f'font-size="{0.09 * iw:.1f}" fill="#222" stroke="none">{escape(words["inset"])}</text>')
    parts.append("</svg>")
    n_per = np.bincount(classes, minlength=len(colours))
    legend = "".join(f'<span class="key" style="background:{col}"></span>{escape(lab)} ({n}) '
                     for col, lab, n in zip(colours, labels, n_per, strict=True))
    legend += f'<span class="key" style="background:{NO_DATA}"></span>{escape(words["no_data"])}'
    out = "".join(parts) + f'<p class="legend">{legend}</p>'
    if missing:
        listed = "，".join(f"{escape(names.get(c, c))}（{escape(c)}）" for c in missing[:30])
        more = f" … +{len(missing) - 30}" if len(missing) > 30 else ""
        out += f'<p class="legend muted">{escape(words["missing"])} {len(missing)}：{listed}{more}</p>'
    return out


def _overlaps(b: tuple[float, ...], box: tuple[float, ...]) -> bool:
    """Whether the bounds ``b`` and ``box`` (x0, y0, x1, y1) overlap."""
    return b[2] >= box[0] and b[0] <= box[2] and b[3] >= box[1] and b[1] <= box[3]

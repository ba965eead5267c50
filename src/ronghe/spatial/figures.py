"""Publication figures for the spatio-temporal chain: LISA cluster map, Markov heatmap, kernel density
evolution. Each function returns a matplotlib ``Figure`` built with the object API (no pyplot, no
display needed) and, given ``path``, saves it as PNG or SVG by the path's suffix.

Chinese labels need a CJK font. The first installed one of Noto Sans/Serif CJK, Source Han Sans/Serif,
WenQuanYi, Microsoft YaHei, SimHei or PingFang is used; without any, labels fall back to English (no
empty boxes) and a :class:`~ronghe.errors.RongheWarning` names the fix
(``apt-get install fonts-noto-cjk`` on Debian/Ubuntu).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.fonts import cjk_family as cjk_font
from ronghe.regions.boundaries import MAPS_EXTRA_MESSAGE

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

__all__ = [
    "cjk_font",
    "kernel_density_lines",
    "lisa_cluster_map",
    "lisa_significance_map",
    "markov_heatmap",
    "moran_scatterplot",
    "save_figure",
]


# Cluster colours follow GeoDa's LISA map.
_CLUSTER_STYLE = {
    "HH": ("#d7191c", "高高", "High-High"),
    "LL": ("#2c7bb6", "低低", "Low-Low"),
    "LH": ("#abd9e9", "低高", "Low-High"),
    "HL": ("#fdae61", "高低", "High-Low"),
    "ns": ("#eeeeee", "不显著", "Not significant"),
}
# GeoDa's significance-map greens, darker for smaller p
_SIGNIFICANCE_STYLE = {
    "0.0001": ("#006d2c", "p < 0.0001", "p < 0.0001"),
    "0.001": ("#31a354", "p < 0.001", "p < 0.001"),
    "0.01": ("#74c476", "p < 0.01", "p < 0.01"),
    "0.05": ("#c7e9c0", "p < 0.05", "p < 0.05"),
    "ns": ("#eeeeee", "不显著", "Not significant"),
}
_CORRECTION_TEXT = {"fdr": ("FDR 校正", "FDR"), "bonferroni": ("Bonferroni 校正", "Bonferroni"),
                    "none": ("未校正", "uncorrected")}
_TEXT = {
    "lisa": ("{year} 年 LISA 集聚图", "LISA clusters, {year}"),
    "significance": ("{year} 年 LISA 显著性图", "LISA significance, {year}"),
    "moran": ("{year} 年 Moran 散点图", "Moran scatterplot, {year}"),
    "detail": ("{variable}，{permutations} 次置换，{correction}",
               "{variable}, {permutations} permutations, {correction}"),
    "z": ("标准化值 z", "Standardised value z"),
    "lag": ("空间滞后 Wz", "Spatial lag Wz"),
    "slope": ("斜率（Moran's I）= {slope:.4f}", "slope (Moran's I) = {slope:.4f}"),
    "no_data": ("无数据", "No data"),
    "markov": ("马尔可夫转移概率矩阵", "Markov transition probabilities"),
    "from": ("期初类型", "Class at t"),
    "to": ("期末类型", "Class at t+1"),
    "kde": ("核密度演进", "Kernel density over years"),
    "density": ("密度", "Density"),
    "value": ("取值", "Value"),
    "year": ("年份", "Year"),
}


def _matplotlib():
    """matplotlib's object API: figures are built without pyplot, so no backend or global figure
    state is touched and figures are freed with their last reference."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.patches import Rectangle
    except ImportError as exc:
        raise RongheError(f"{MAPS_EXTRA_MESSAGE} (missing: {exc.name})") from exc
    return matplotlib, Figure, Rectangle


def _language() -> tuple[int, dict]:
    """Label language (0 = zh, 1 = en) and the rcParams that go with it."""
    family = cjk_font()
    if family is None:
        warnings.warn(
            "未找到中文字体，图中标签改用英文；安装字体：apt-get install fonts-noto-cjk / "
            "no CJK font found, figure labels fall back to English; install one with "
            "apt-get install fonts-noto-cjk",
            RongheWarning,
            stacklevel=3,
        )
        return 1, {}
    return 0, {"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False}


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


def _subtitle(lang: int, variable: str | None, permutations: int | None,
              correction: str | None) -> str:
    if variable is None and permutations is None and correction is None:
        return ""
    return "\n" + _TEXT["detail"][lang].format(
        variable=variable or "-", permutations=permutations or "-",
        correction=_CORRECTION_TEXT.get(correction or "none", (correction, correction))[lang])


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
) -> Figure:
    """Map of local Moran clusters for one year.

    ``regions``: boundaries indexed by region code (e.g. :func:`ronghe.regions.boundaries.boundaries`);
    ``clusters``: the frame of :func:`ronghe.spatial.autocorrelation.local_moran`. Regions of the
    map without a result are drawn hatched as "no data". ``variable``, ``permutations`` and
    ``correction`` (multiple-testing control) go into the title, as GeoDa prints them.
    ``column="significance"`` draws the significance map instead (:func:`lisa_significance_map`).
    """
    mpl, Figure, Rectangle = _matplotlib()
    rows = clusters[clusters["year"] == year]
    if rows.empty:
        raise InputError(f"没有 {year} 年的 LISA 结果 / no LISA results for {year}", column="year")
    by_region = rows.set_index(rows["region"].astype(str))[column]
    styles = _CLUSTER_STYLE if column == "cluster" else _SIGNIFICANCE_STYLE
    unknown = sorted(set(by_region.index) - {str(c) for c in regions.index})
    if unknown:
        raise InputError(
            f"{len(unknown)} 个区域不在边界中 / {len(unknown)} regions are not in the boundaries: "
            f"{', '.join(unknown[:5])}",
            column="region",
        )
    codes = pd.Index([str(c) for c in regions.index])
    label = by_region.reindex(codes)
    lang, rc = _language()
    with mpl.rc_context(rc):
        fig = Figure(figsize=(8, 6.5))
        ax = fig.subplots()
        frame = regions.set_axis(codes)
        missing = label.isna().to_numpy()
        if missing.any():
            frame[missing].plot(
                ax=ax, color="white", edgecolor="#999999", hatch="///", linewidth=0.2
            )
        handles = []
        for cluster, (colour, zh, en) in styles.items():
            mask = (label == cluster).to_numpy()
            if mask.any():
                frame[mask].plot(ax=ax, color=colour, edgecolor="#666666", linewidth=0.2)
            count = int(mask.sum())
            handles.append(
                Rectangle(
                    (0, 0),
                    1,
                    1,
                    facecolor=colour,
                    edgecolor="#666666",
                    label=f"{(zh, en)[lang]} ({count})",
                )
            )
        if missing.any():
            handles.append(
                Rectangle(
                    (0, 0),
                    1,
                    1,
                    facecolor="white",
                    edgecolor="#999999",
                    hatch="///",
                    label=f"{_TEXT['no_data'][lang]} ({int(missing.sum())})",
                )
            )
        ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
        title = "lisa" if column == "cluster" else "significance"
        ax.set_title(_TEXT[title][lang].format(year=year)
                     + _subtitle(lang, variable, permutations, correction))
        ax.set_axis_off()
        if path is not None:
            save_figure(fig, path)
    return fig


def lisa_significance_map(
    regions: gpd.GeoDataFrame,
    clusters: pd.DataFrame,
    year: int,
    *,
    path: str | Path | None = None,
    variable: str | None = None,
    permutations: int | None = None,
    correction: str | None = None,
) -> Figure:
    """GeoDa's LISA significance map: regions by the smallest level (0.05, 0.01, 0.001, 0.0001)
    whose corrected cut-off their pseudo p-value is below (column ``significance`` of
    :func:`ronghe.spatial.autocorrelation.local_moran`); drawn beside the cluster map."""
    return lisa_cluster_map(regions, clusters, year, path=path, variable=variable,
                            permutations=permutations, correction=correction,
                            column="significance")


def moran_scatterplot(
    values: pd.Series,
    w: object,
    *,
    year: int,
    variable: str,
    permutations: int | None = None,
    clusters: pd.DataFrame | None = None,
    path: str | Path | None = None,
) -> Figure:
    """Moran scatterplot of one year: standardised values z against their spatial lag Wz
    (row-standardised ``w``, a libpysal ``W`` whose ``id_order`` the index of ``values``
    follows), with the least-squares line through them; its slope is Moran's I (with
    row-standardised weights). Points are coloured by LISA cluster when ``clusters`` (the frame of
    ``local_moran``) is given."""
    mpl, Figure, _ = _matplotlib()
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
    lang, rc = _language()
    with mpl.rc_context(rc):
        fig = Figure(figsize=(6.5, 6))
        ax = fig.subplots()
        if label is None:
            ax.scatter(z, lag, s=8, color="#555555", alpha=0.7)
        else:
            for cluster, (colour, zh, en) in _CLUSTER_STYLE.items():
                mask = label == cluster
                if mask.any():
                    ax.scatter(z[mask], lag[mask], s=8, alpha=0.8,
                               color=colour if cluster != "ns" else "#bbbbbb",
                               label=f"{(zh, en)[lang]} ({int(mask.sum())})")
            ax.legend(frameon=False, fontsize=8, loc="upper left")
        x = np.array([z.min(), z.max()])
        ax.plot(x, slope * x + (lag.mean() - slope * z.mean()), color="#222222", linewidth=1.2)
        ax.axhline(0, color="#999999", linewidth=0.6)
        ax.axvline(0, color="#999999", linewidth=0.6)
        ax.set_xlabel(_TEXT["z"][lang])
        ax.set_ylabel(_TEXT["lag"][lang])
        detail = f"{variable}" + (f", {permutations} " + ("次置换" if lang == 0 else "permutations")
                                  if permutations else "")
        ax.set_title(_TEXT["moran"][lang].format(year=year) + "\n" + detail + "; "
                     + _TEXT["slope"][lang].format(slope=slope))
        if path is not None:
            save_figure(fig, path)
    fig.slope = slope  # type: ignore[attr-defined]
    return fig


def markov_heatmap(probabilities: pd.DataFrame, *, path: str | Path | None = None) -> Figure:
    """Heatmap of a transition probability matrix (rows: class at t, columns: class at t+1),
    e.g. ``markov(...).probabilities``; each cell is annotated with its probability."""
    mpl, Figure, _ = _matplotlib()
    p = probabilities.to_numpy(dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1] or not np.isfinite(p).all():
        raise InputError("转移概率矩阵须为有限值方阵 / transition matrix must be square and finite")
    lang, rc = _language()
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
        ax.set_xlabel(_TEXT["to"][lang])
        ax.set_ylabel(_TEXT["from"][lang])
        ax.set_title(_TEXT["markov"][lang])
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        if path is not None:
            save_figure(fig, path)
    return fig


def kernel_density_lines(
    densities: Mapping[int, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str | None = None,
    path: str | Path | None = None,
) -> Figure:
    """Ridge-line ("3-D") view of kernel density curves, one per year.

    ``densities`` maps year → (grid, density) of equal length; each year's curve is drawn on its own
    baseline, offset upward in year order, and filled, so the shift and spread over time read like a
    3-D surface seen from the front.
    """
    mpl, Figure, _ = _matplotlib()
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
    lang, rc = _language()
    with mpl.rc_context(rc):
        fig = Figure(figsize=(7, 1.5 + 0.45 * len(curves)))
        ax = fig.subplots()
        for rank, (_, grid, density) in enumerate(reversed(curves)):
            base = (len(curves) - 1 - rank) * step
            colour = cmap(1.0 - rank / max(len(curves) - 1, 1))
            ax.fill_between(grid, base, base + density, color=colour, alpha=0.55, linewidth=0)
            ax.plot(grid, base + density, color="black", linewidth=0.8)
        ax.set_yticks([i * step for i in range(len(curves))], [str(y) for y, _, _ in curves])
        ax.set_ylabel(_TEXT["year"][lang])
        ax.set_xlabel(xlabel or _TEXT["value"][lang])
        ax.set_title(_TEXT["kde"][lang])
        ax.spines[["top", "right"]].set_visible(False)
        if path is not None:
            save_figure(fig, path)
    return fig

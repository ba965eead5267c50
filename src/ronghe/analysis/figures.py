"""Figures of the analyses: LISA cluster and significance maps and the Gi* hot spot map on the map
of China, kernel density lines and the Markov heatmap, drawn by :mod:`ronghe.spatial.figures`.

Each figure is drawn once and saved as PNG and SVG (a national map costs about a second to draw).
Given the ``result`` the analysis ran on, the figures name the variable as a reader knows it
(:func:`ronghe.analysis.common.variable_name`: 综合指数, an indicator's framework name, not its id)
and say under every figure when the panel is synthetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ronghe.analysis.autocorrelation import SpatialResult
from ronghe.analysis.common import variable_name
from ronghe.analysis.dynamics import DynamicsResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ronghe.result import Result

__all__ = ["dynamics_figures", "spatial_figures"]

SUFFIXES = ("png", "svg")


def _save(fig: Figure, directory: str | Path, stem: str) -> list[Path]:
    """``fig`` saved as ``stem``.png and ``stem``.svg in ``directory``."""
    from ronghe.spatial.figures import save_figure

    return [save_figure(fig, Path(directory) / f"{stem}.{suffix}") for suffix in SUFFIXES]


def _labels(result: Result | None, variable: str, lang: str) -> tuple[str, bool]:
    """The variable's name in ``lang`` and whether the panel is synthetic (id and False without
    a result)."""
    if result is None:
        return variable, False
    return variable_name(result, variable, lang), bool(result.state.panel.synthetic)


def spatial_figures(
    res: SpatialResult,
    directory: str | Path,
    *,
    result: Result | None = None,
    lang: str = "zh",
    years: Sequence[int] | None = None,
    cache_dir: str | Path | None = None,
) -> list[Path]:
    """LISA cluster and significance maps and, when the analysis has them, the Getis-Ord Gi* hot
    spot map of ``years`` (default: first and last year), PNG and SVG, into ``directory``, on the
    map of China of :mod:`ronghe.spatial.figures` (the whole national territory, the analysed
    regions coloured). Titles name the variable (by its name when ``result``, the Result the
    analysis ran on, is given), the permutations and the multiple-testing control; labels are in
    ``lang``; a synthetic panel is said so under every map. Files: ``lisa_<variable>_<year>``,
    ``lisa_significance_<variable>_<year>``, ``hotspots_<variable>_<year>``."""
    from ronghe.regions.boundaries import boundaries
    from ronghe.spatial.figures import hotspot_map, lisa_cluster_map

    name, synthetic = _labels(result, res.variable, lang)
    all_years = sorted(res.lisa["year"].unique())
    chosen = sorted({all_years[0], all_years[-1]}) if years is None else list(years)
    codes = list(dict.fromkeys(res.lisa["region"].astype(str)))
    shapes = boundaries(res.level, cache_dir=cache_dir)
    shapes = shapes.set_axis([str(c) for c in shapes.index]).loc[codes]
    out: list[Path] = []
    for year in (int(y) for y in chosen):
        for column, stem in (("cluster", "lisa"), ("significance", "lisa_significance")):
            fig = lisa_cluster_map(shapes, res.lisa, year, column=column, variable=name,
                                   permutations=res.permutations, correction=res.correction,
                                   lang=lang, synthetic=synthetic)
            out += _save(fig, directory, f"{stem}_{res.variable}_{year}")
        if res.hotspots is not None:
            fig = hotspot_map(shapes, res.hotspots, year, variable=name, lang=lang,
                              synthetic=synthetic)
            out += _save(fig, directory, f"hotspots_{res.variable}_{year}")
    return out


def dynamics_figures(res: DynamicsResult, directory: str | Path, *, result: Result | None = None,
                     lang: str = "zh") -> list[Path]:
    """Kernel density lines and the classic Markov heatmap (PNG and SVG) into ``directory``,
    labelled in ``lang``; with ``result`` (the Result the analysis ran on) the variable is named
    and a synthetic panel is said so under each figure."""
    from ronghe.spatial.figures import kernel_density_lines, markov_heatmap

    name, synthetic = _labels(result, res.variable, lang)
    curves = {
        int(year): (g["x"].to_numpy(), g["density"].to_numpy())
        for year, g in res.density.groupby("year")
    }
    kde = kernel_density_lines(curves, xlabel=name, lang=lang, synthetic=synthetic)
    heat = markov_heatmap(res.markov.probabilities, lang=lang, synthetic=synthetic)
    return (_save(kde, directory, f"kernel_density_{res.variable}")
            + _save(heat, directory, f"markov_{res.variable}"))

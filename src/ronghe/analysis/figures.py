"""Figures of the analyses: LISA cluster and significance maps, kernel density lines and the Markov
heatmap, drawn by :mod:`ronghe.spatial.figures`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ronghe.analysis.autocorrelation import SpatialResult
from ronghe.analysis.dynamics import DynamicsResult

__all__ = ["dynamics_figures", "spatial_figures"]


def spatial_figures(
    res: SpatialResult,
    directory: str | Path,
    *,
    years: Sequence[int] | None = None,
    cache_dir: str | Path | None = None,
) -> list[Path]:
    """LISA cluster and significance maps and the Moran scatterplot (PNG and SVG) of ``years``
    (default: first and last year) into ``directory``, drawn on the boundaries of the regions
    analysed; titles name the variable, the permutations and the multiple-testing control."""
    from ronghe.regions.boundaries import boundaries
    from ronghe.spatial.figures import lisa_cluster_map, lisa_significance_map

    all_years = sorted(res.lisa["year"].unique())
    chosen = sorted({all_years[0], all_years[-1]}) if years is None else list(years)
    codes = list(dict.fromkeys(res.lisa["region"].astype(str)))
    shapes = boundaries(res.level, cache_dir=cache_dir)
    shapes = shapes.set_axis([str(c) for c in shapes.index]).loc[codes]
    out = []
    for year in chosen:
        for suffix in ("png", "svg"):
            path = Path(directory) / f"lisa_{res.variable}_{year}.{suffix}"
            lisa_cluster_map(shapes, res.lisa, int(year), path=path, variable=res.variable,
                             permutations=res.permutations, correction=res.correction)
            sig = Path(directory) / f"lisa_significance_{res.variable}_{year}.{suffix}"
            lisa_significance_map(shapes, res.lisa, int(year), path=sig, variable=res.variable,
                                  permutations=res.permutations, correction=res.correction)
            out.extend([path, sig])
    return out


def dynamics_figures(res: DynamicsResult, directory: str | Path) -> list[Path]:
    """Kernel density lines and the classic Markov heatmap (PNG and SVG) into ``directory``."""
    from ronghe.spatial.figures import kernel_density_lines, markov_heatmap

    curves = {
        int(year): (g["x"].to_numpy(), g["density"].to_numpy())
        for year, g in res.density.groupby("year")
    }
    out = []
    for suffix in ("png", "svg"):
        kde = Path(directory) / f"kernel_density_{res.variable}.{suffix}"
        kernel_density_lines(curves, xlabel=res.variable, path=kde)
        heat = Path(directory) / f"markov_{res.variable}.{suffix}"
        markov_heatmap(res.markov.probabilities, path=heat)
        out += [kde, heat]
    return out



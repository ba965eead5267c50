"""Distribution dynamics of a variable: classic and spatial Markov chains on pooled quantile classes
and the kernel density of each year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

import numpy as np
import pandas as pd

from ronghe.analysis.common import WeightsOptions, _complete, _weights, variable_values
from ronghe.methods.density import kernel_density
from ronghe.words.analysis import note

if TYPE_CHECKING:
    from ronghe.result import Result
    from ronghe.spatial.dynamics import MarkovResult, SpatialMarkovResult

__all__ = ["DynamicsResult", "dynamics"]


@dataclass(frozen=True)
class DynamicsResult:
    """Markov chains and kernel density evolution of one variable (see :func:`dynamics`)."""

    variable: str
    k: int
    bandwidth_rule: str
    markov: MarkovResult
    spatial_markov: SpatialMarkovResult | None
    density: pd.DataFrame  #: year, x, density
    bandwidth: pd.DataFrame  #: year, n, bandwidth, rule

    def markov_table(self) -> pd.DataFrame:
        return self.markov.table()

    def tests(self) -> pd.DataFrame:
        """Every test: chain (classic, spatial), test (Q, LR, lag class i), statistic, dof, p."""
        frames = [self.markov.tests.reset_index().assign(chain="classic")]
        if self.spatial_markov is not None:
            sm = self.spatial_markov
            frames.append(sm.tests.reset_index().assign(chain="spatial"))
            lag = sm.lag_tests.rename(columns={"chi2": "statistic"})
            lag.insert(0, "test", [f"lag class {c} vs pooled" for c in lag.pop("lag_class")])
            frames.append(lag.assign(chain="spatial"))
        out = pd.concat(frames, ignore_index=True)
        return out[["chain", "test", "statistic", "dof", "p_value"]]

    def classes(self) -> pd.DataFrame:
        """Class bounds (pooled quantiles) and the steady-state distribution of the classic chain."""
        cut = np.asarray(self.markov.cutoffs, dtype=float)
        return pd.DataFrame(
            {
                "class": range(1, self.k + 1),
                "lower": np.concatenate(([-np.inf], cut)),
                "upper": np.concatenate((cut, [np.inf])),
                "steady_state": self.markov.steady_state.to_numpy(),
            }
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "dynamics_markov": self.markov_table(),
            "dynamics_classes": self.classes(),
            "dynamics_tests": self.tests(),
        }
        if self.spatial_markov is not None:
            out["dynamics_spatial_markov"] = self.spatial_markov.transitions
        out["dynamics_density"] = self.density
        out["dynamics_bandwidth"] = self.bandwidth
        return out

    def notes(self) -> list[tuple[str, str]]:
        return [note("dynamics", variable=self.variable, k=self.k, bandwidth=self.bandwidth_rule)]


_BANDWIDTH_RULES = {
    "silverman": "Silverman h = s·(3n/4)^(-1/5)",
    "scott": "Scott h = s·n^(-1/5)",
}


def dynamics(
    result: Result,
    variable: str = "index",
    *,
    k: int = 4,
    relative: bool = False,
    spatial: bool = True,
    bandwidth: str | float = "silverman",
    n_grid: int = 256,
    **options: Unpack[WeightsOptions],
) -> DynamicsResult:
    """Classic and spatial Markov chains of ``variable`` on ``k`` pooled quantile classes (giddy,
    via :mod:`ronghe.spatial.dynamics`) and the Gaussian kernel density of each year.

    ``spatial=False`` skips the spatial Markov chain (which needs boundaries, the ``maps``
    extra); its weights are the ``level``, ``kind`` and ``cache_dir`` of :class:`WeightsOptions`.
    Bandwidth: ``"silverman"`` h = s·(3n/4)^(-1/5) (default), ``"scott"`` h = s·n^(-1/5), s the
    sample standard deviation of the year, or a fixed positive number; the density is evaluated
    on one grid of ``n_grid`` points shared by all years.
    """
    from ronghe.spatial.dynamics import markov, spatial_markov

    wide = _complete(variable_values(result, variable), f"dynamics of {variable}")
    chain = markov(wide, k=k, relative=relative)
    sm = None
    if spatial:
        weights = _weights(list(wide.index), **options)
        sm = spatial_markov(wide.loc[weights.keep], weights.w, k=k, relative=relative)
    kde = kernel_density(
        {year: wide[year].to_numpy() for year in wide.columns}, bandwidth=bandwidth, n_grid=n_grid
    )
    rule = _BANDWIDTH_RULES.get(str(bandwidth), f"fixed h = {bandwidth}")
    density = pd.DataFrame(
        {
            "year": np.repeat(kde.years, kde.grid.size),
            "x": np.tile(kde.grid, len(kde.years)),
            "density": kde.density.ravel(),
        }
    )
    bw = pd.DataFrame(
        {"year": kde.years, "n": wide.shape[0], "bandwidth": kde.bandwidth, "rule": rule}
    )
    return DynamicsResult(variable, k, rule, chain, sm, density, bw)



"""Study: a panel, a framework and settings; ``evaluate()`` runs the method chain and returns a Result.

The chain (each step a kernel in :mod:`ronghe.methods`):

1. indicators from raw variables (framework formulas);
2. treatment: imputation within regions over years, then parent-region means; COINr outlier rule;
3. normalisation with anchors pooled over the whole panel (or per year, if asked);
4. indicator weights, computed globally over all region-years; dimension weights;
5. dimension scores U_d = aggregate(Z_d, w_d / sum w_d); composite = aggregate(U, W);
   TOPSIS closeness over all indicators with the effective weights W_d * w_j / sum_{i in d} w_i;
6. coupling coordination among the dimensions (C, T, D, grade, stage; type for two subsystems);
7. obstacle degrees by indicator, aggregated to dimensions and to the obstacle categories O1-O4.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.errors import InputError
from ronghe.frameworks import Framework, load_framework
from ronghe.panel import Panel, read_panel
from ronghe.result import Result, State
from ronghe.settings import Settings

Progress = Callable[[str], None]


class Study:
    """An evaluation of a panel under an indicator framework.

    Parameters
    ----------
    panel : Panel, or a path to a CSV/XLSX/Parquet panel file (long or wide form).
    framework : built-in framework id (``seed``, ``county``, ``urban-rural``), a YAML path or a Framework;
        defaults to ``settings.framework``.
    settings : Settings, a YAML path, or a dict of overrides.

    Examples
    --------
    >>> from ronghe import Study, datasets
    >>> res = Study(datasets.synthetic_counties(years=range(2019, 2024)), "seed").evaluate()
    >>> res.index.columns[:4].tolist()
    ['region', 'name_zh', 'province', 'year']
    """

    def __init__(
        self,
        panel: Panel | str | Path,
        framework: str | Path | Framework | None = None,
        settings: Settings | str | Path | dict[str, Any] | None = None,
    ) -> None:
        self.panel = panel if isinstance(panel, Panel) else read_panel(panel)
        if settings is None:
            settings = Settings()
        elif isinstance(settings, dict):
            settings = Settings.model_validate(settings)
        elif not isinstance(settings, Settings):
            settings = Settings.load(settings)
        if framework is not None and not isinstance(framework, Framework):
            settings = settings.model_copy(update={"framework": str(framework)})
        self.settings = settings
        self.framework = (
            framework if isinstance(framework, Framework) else load_framework(settings.framework)
        )

    # ------------------------------------------------------------------ steps
    def indicator_values(self) -> pd.DataFrame:
        """Indicator values per region-year, computed from the raw variables (before treatment)."""
        fw, panel = self.framework, self.panel
        if self.settings.years:
            panel = panel.select(years=self.settings.years)
            if panel.data.empty:
                raise InputError(
                    f"none of the years {self.settings.years} is in the data", file=panel.source
                )
        for indicator, variable in fw.missing(list(panel.data.columns)):
            raise InputError(
                f"needs raw variable {variable!r}, which the data does not have",
                file=panel.source or None,
                indicator=indicator,
            )
        values = fw.compute(panel.data)
        return values[fw.indicator_ids]

    def evaluate(self, progress: Progress | None = None) -> Result:
        """Run the chain and return a :class:`~ronghe.result.Result`."""
        say = progress or (lambda _step: None)
        s, fw = self.settings, self.framework
        say("indicators")
        values = self.indicator_values()
        ids = fw.indicator_ids
        X = values.to_numpy(dtype=float, copy=True)
        regions = values.index.get_level_values("region").to_numpy()
        years = values.index.get_level_values("year").to_numpy()
        source = self.panel.source or None
        treated: list[dict[str, Any]] = []  # columns of the treatment log, framed lazily

        undefined = np.isinf(X)
        if undefined.any():
            r, c = np.nonzero(undefined)
            treated.append({"row": r, "col": c, "action": "undefined", "old": X[r, c], "new": np.nan})
        X[undefined] = np.nan
        empty = np.isnan(X).all(axis=0)
        if empty.any():
            raise InputError(
                "has no value in any region-year",
                file=source,
                indicator=ids[int(np.flatnonzero(empty)[0])],
            )

        say("treatment")
        if np.isnan(X).any():
            if s.treatment.imputation == "none":
                r, c = (int(v[0]) for v in np.nonzero(np.isnan(X)))
                raise InputError(
                    f"missing value for region {regions[r]}, year {years[r]} and "
                    "imputation is 'none'",
                    file=source,
                    indicator=ids[c],
                )
            parent = self.panel.regions["province"].reindex(regions).to_numpy()
            X, log = m.impute_panel(X, regions, years, parent=parent, method=s.treatment.imputation)
            treated.append(
                {
                    "row": log["row"],
                    "col": log["col"],
                    "action": np.char.add("imputed: ", log["method"]),
                    "old": np.nan,
                    "new": log["value"],
                }
            )
        if s.treatment.outliers == "coinr":
            X, log = m.treat_outliers(
                X,
                skew_max=s.treatment.skew_max,
                kurt_max=s.treatment.kurt_max,
                max_winsor=s.treatment.max_winsor,
            )
            treated.append({name: log[name] for name in log.dtype.names})

        say("normalisation")
        directions = fw.directions()
        by = years if s.normalization.scope == "year" else None
        lo, hi = m.minmax_bounds(X)
        Z = m.normalize(
            X,
            directions,
            method=s.normalization.method,
            shift=s.normalization.shift,
            shift_mode=s.normalization.shift_mode,
            by=by,
        )

        say("weights")
        w = self._indicator_weights(X, Z)
        dims = fw.dimensions
        dim_of = fw.dimension_of
        members = [np.array([j for j, i in enumerate(ids) if dim_of[i] == d.id]) for d in dims]
        W = self._dimension_weights(w, members)
        w_eff = np.zeros_like(w)
        for d, idx in enumerate(members):
            share = w[idx].sum()
            w_eff[idx] = W[d] * (w[idx] / share if share > 0 else np.full(idx.size, 1 / idx.size))

        say("aggregation")
        U = np.column_stack(
            [
                self._aggregate(
                    Z[:, idx],
                    w_eff[idx] / w_eff[idx].sum()
                    if w_eff[idx].sum() > 0
                    else np.full(idx.size, 1 / idx.size),
                )
                for idx in members
            ]
        )
        composite = self._aggregate(U, W) if s.aggregation != "topsis" else None
        closeness = m.topsis(Z, w_eff)
        if composite is None:
            composite = closeness

        say("coupling")
        alpha = s.coupling.alpha or fw.coupling_alpha()
        C, T, D = m.coupling_coordination(U, alpha=alpha, formula=s.coupling.formula)

        say("obstacles")
        O = m.obstacle_degree(Z, w_eff)

        state = State(
            framework=fw,
            settings=s,
            panel=self.panel,
            regions=regions,
            years=years,
            indicator_ids=list(ids),
            raw=values.to_numpy(dtype=float),
            X=X,
            Z=Z,
            bounds=(lo, hi),
            weights=w,
            dimension_weights=W,
            effective_weights=w_eff,
            members=members,
            U=U,
            composite=composite,
            closeness=closeness,
            C=C,
            T=T,
            D=D,
            O=O,
            treated=treated,
        )
        return Result(state)

    # --------------------------------------------------------------- helpers
    def _indicator_weights(self, X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        s, fw = self.settings.weighting, self.framework
        method = fw.weighting_method() if s.indicators == "framework" else s.indicators
        ids = fw.indicator_ids
        if method == "fixed":
            fixed = s.fixed or fw.fixed_weights()
            unknown = sorted(set(fixed) - set(ids))
            if unknown:
                raise InputError(
                    "fixed weight for an indicator the framework does not have",
                    indicator=unknown[0],
                )
            w = np.array([float(fixed.get(i, 0.0)) for i in ids])
            if (w < 0).any() or w.sum() <= 0:
                raise InputError("fixed weights must be non-negative and not all zero")
            return w / w.sum()
        if method == "combined":
            names = fw.combine_methods() if s.indicators == "framework" else s.combine
            parts = [self._single_weights(k, X, Z) for k in names]
            w = m.combine_weights(parts, method=s.combine_method)
        else:
            w = self._single_weights(method, X, Z)
        if s.cap is None or method == "equal":
            return w
        return m.cap_weights(w, s.cap / max(int((w > 0).sum()), 1))

    @staticmethod
    def _single_weights(method: str, X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        if method == "entropy":
            return m.entropy_weights(Z)
        if method == "critic":
            return m.critic_weights(Z)
        if method == "cv":
            return m.cv_weights(X)
        if method == "equal":
            return m.equal_weights(Z.shape[1])
        if method == "ahp":
            raise InputError(
                "AHP needs a pairwise matrix: use it for dimensions "
                "(weighting.dimensions: ahp, weighting.ahp_matrix) or give fixed weights"
            )
        raise InputError(f"unknown weighting method {method!r}")

    def _dimension_weights(self, w: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
        s, fw = self.settings.weighting, self.framework
        method = fw.dimension_weighting() if s.dimensions == "framework" else s.dimensions
        k = len(members)
        if method == "sum":
            return np.array([w[idx].sum() for idx in members])
        if method == "equal":
            return np.full(k, 1 / k)
        if method == "fixed":
            fixed = s.dimension_fixed or {d.id: d.weight for d in fw.dimensions if d.weight}
            W = np.array([float(fixed.get(d.id, 0.0)) for d in fw.dimensions])
            if W.sum() <= 0:
                raise InputError("fixed dimension weights are missing or all zero")
            return W / W.sum()
        if method == "ahp":
            A = np.asarray(s.ahp_matrix, dtype=float)
            if A.shape != (k, k):
                raise InputError(f"weighting.ahp_matrix must be {k}x{k} (one row per dimension)")
            W, _cr = m.ahp_weights(A)  # warns itself when CR > 0.1
            return W
        raise InputError(f"unknown dimension weighting {method!r}")

    def _aggregate(self, Z: np.ndarray, w: np.ndarray) -> np.ndarray:
        agg = self.settings.aggregation
        if agg == "geometric":
            return m.weighted_geometric(Z, w)
        if agg == "topsis":
            return m.topsis(Z, w)
        return m.weighted_arithmetic(Z, w)

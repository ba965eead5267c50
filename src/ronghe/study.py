"""Study: a panel, a framework and settings; ``evaluate()`` runs the method chain and returns a Result.

The chain (each step a kernel in :mod:`ronghe.methods`):

1. indicators from raw variables (framework formulas);
2. treatment: imputation within regions over years, then parent-region means; COINr outlier rule;
3. normalisation with anchors pooled over the whole panel (or per year, if asked); z-scores are
   mapped onto [0, 1] by one affine transform common to all indicators, then shifted; scores lie in
   [0, best] with best = 1, or 1 + shift under the additive shift (``Normalization.best``);
4. indicator weights, computed globally over all region-years (CV weights on the values after
   imputation and before outlier treatment, which keep the ratio scale); dimension weights;
5. dimension scores U_d = aggregate(Z_d, w_d / sum w_d); composite = aggregate(U, W);
   TOPSIS closeness over all indicators with the effective weights W_d * w_j / sum_{i in d} w_i;
6. coupling coordination among the dimensions (C, T, D, grade, stage; type for two subsystems);
7. obstacle degrees by indicator (deviation from the best score), aggregated to dimensions and to
   the obstacle categories O1-O4.

Warnings name what a user should know: an undefined formula value (imputed), a region with no
value in any year (filled from means), a dimension whose indicators are all constant.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.errors import InputError, MethodError, RongheWarning
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
            settings = Settings.from_dict(settings)
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
                    f"years: none of {self.settings.years} is in the data", file=panel.source
                )
        fw.require(list(panel.data.columns), file=panel.source or None)
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
        if X.shape[0] < 2:
            raise InputError(
                "needs at least two region-years (normalisation and weights compare rows)",
                file=source,
            )

        undefined = np.isinf(X)
        if undefined.any():
            r, c = np.nonzero(undefined)
            treated.append({"row": r, "col": c, "action": "undefined", "old": X[r, c], "new": np.nan})
            _warn_cells(
                "指标公式结果无定义（除以零等），按缺失值插补",
                "the indicator formula is undefined (division by zero or the like); imputed as "
                "missing",
                ids, regions, years, r, c,
            )
        X[undefined] = np.nan
        empty = np.isnan(X).all(axis=0)
        if empty.any():
            raise InputError(
                "has no value in any region-year",
                file=source,
                indicator=ids[int(np.flatnonzero(empty)[0])],
            )
        _warn_regions_without_values(X, ids, regions)

        say("treatment")
        if np.isnan(X).any():
            if s.treatment.imputation == "none":
                r, c = (int(v[0]) for v in np.nonzero(np.isnan(X)))
                raise InputError(
                    f"missing value for region {regions[r]}, year {years[r]} and "
                    "treatment.imputation is 'none'",
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
        imputed = X  # values in their own unit: CV weights need the ratio scale
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
        try:
            Z = m.normalize(
                X,
                directions,
                method=s.normalization.method,
                shift=s.normalization.shift,
                shift_mode=s.normalization.shift_mode,
                by=by,
                common_range=s.normalization.method == "zscore",
            )
        except MethodError as exc:
            raise InputError(
                f"normalization.method {s.normalization.method!r} with normalization.scope "
                f"{s.normalization.scope!r} cannot be computed on these data ({exc})",
                file=source,
            ) from None

        say("weights")
        w = self._indicator_weights(imputed, Z)
        dims = fw.dimensions
        dim_of = fw.dimension_of
        members = [np.array([j for j, i in enumerate(ids) if dim_of[i] == d.id]) for d in dims]
        W = self._dimension_weights(w, members)
        _warn_constant_dimensions(Z, members, dims)
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
        if alpha is not None and len(alpha) != len(dims):
            raise InputError(
                f"coupling.alpha has {len(alpha)} values; the framework {fw.id!r} has "
                f"{len(dims)} dimensions"
            )
        best = s.normalization.best
        C, T, D = m.coupling_coordination(U, alpha=alpha, formula=s.coupling.formula, upper=best)

        say("obstacles")
        O = m.obstacle_degree(Z, w_eff, best=best)

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
            imputed=imputed,
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
            parts = [self._single_weights(k, X, Z, "weighting.combine") for k in names]
            try:
                w = m.combine_weights(parts, method=s.combine_method)
            except MethodError as exc:
                raise InputError(
                    f"weighting.combine_method {s.combine_method!r} of {', '.join(names)} "
                    f"cannot be formed on these data ({exc})"
                ) from None
        else:
            w = self._single_weights(method, X, Z, "weighting.indicators")
        if s.cap is None or method == "equal":
            return w
        return m.cap_weights(w, s.cap / max(int((w > 0).sum()), 1))

    def _single_weights(self, method: str, X: np.ndarray, Z: np.ndarray, setting: str
                        ) -> np.ndarray:
        if method == "entropy":
            return m.entropy_weights(Z)
        if method == "critic":
            return m.critic_weights(Z)
        if method == "cv":
            try:
                return m.cv_weights(X, names=self.framework.indicator_ids)
            except MethodError as exc:
                raise InputError(f"{setting} 'cv' cannot be used: {exc}") from None
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
                raise InputError(
                    "weighting.dimensions is 'fixed' but neither weighting.dimension_fixed nor "
                    "the framework gives a positive dimension weight"
                )
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


def _warn_cells(
    zh: str, en: str, ids: list[str], regions: np.ndarray, years: np.ndarray,
    r: np.ndarray, c: np.ndarray,
) -> None:
    """One bilingual warning per indicator naming its cells (the first five)."""
    for j in np.unique(c):
        rows = r[c == j]
        cells = ", ".join(f"{regions[i]} {int(years[i])}" for i in rows[:5])
        more = f" (+{rows.size - 5})" if rows.size > 5 else ""
        warnings.warn(
            f"指标 {ids[j]!r}：{zh}：{cells}{more}；indicator {ids[j]!r}: {en}: {cells}{more}",
            RongheWarning,
            stacklevel=3,
        )


def _warn_regions_without_values(X: np.ndarray, ids: list[str], regions: np.ndarray) -> None:
    """Warn about (region, indicator) pairs with no value in any year: imputation fills them
    entirely from the province (or year) means, so the region's score there is borrowed."""
    missing = pd.DataFrame(np.isnan(X), columns=range(X.shape[1])).groupby(
        np.asarray(regions, dtype=str)
    ).all()
    for j in missing.columns[missing.any(axis=0).to_numpy()]:
        names = missing.index[missing[j].to_numpy()].tolist()
        shown = ", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else "")
        warnings.warn(
            f"指标 {ids[j]!r}：地区 {shown} 各年均无数值，全部由省份（或全年）均值填补；"
            f"indicator {ids[j]!r}: region(s) {shown} have no value in any year and are filled "
            "entirely from province (or year) means",
            RongheWarning,
            stacklevel=3,
        )


def _warn_constant_dimensions(Z: np.ndarray, members: list[np.ndarray], dims: list) -> None:
    """A dimension whose indicators are all constant scores the same everywhere (1 under
    min–max), tells no region apart and still enters the coupling: say so by dimension."""
    for d, idx in zip(dims, members, strict=True):
        sub = Z[:, idx]
        if (sub.max(axis=0) == sub.min(axis=0)).all():
            warnings.warn(
                f"维度 {d.id!r} 的所有指标均为常数，维度得分处处相同，但仍参与耦合协调度计算；"
                f"dimension {d.id!r}: every indicator is constant, so its score is the same for "
                "every region-year, yet it still enters the coupling coordination",
                RongheWarning,
                stacklevel=3,
            )

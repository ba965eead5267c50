"""Study: a panel, a framework and settings; ``evaluate()`` runs the method chain and returns a Result.

The chain (each step a function of :mod:`ronghe.chain` over kernels of :mod:`ronghe.methods`,
choices looked up in its registries):

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

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ronghe import chain
from ronghe import methods as m
from ronghe.errors import InputError, MethodError
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
        return chain.indicator_values(self.panel, self.framework, self.settings.years)

    def evaluate(self, progress: Progress | None = None) -> Result:
        """Run the chain (:mod:`ronghe.chain`) and return a :class:`~ronghe.result.Result`."""
        say = progress or (lambda _step: None)
        s, fw = self.settings, self.framework
        source = self.panel.source or None
        say("indicators")
        ind = chain.panel_indicators(self.panel, fw, s.years, source)
        regions, years, ids, log = ind.regions, ind.years, list(ind.ids), ind.log

        say("treatment")
        codes, distinct = ind.groups  # one lookup per region, not per row
        provinces = self.panel.regions["province"].reindex(distinct).to_numpy(dtype=object)
        parent = pd.factorize(provinces, use_na_sentinel=False)[0][codes]  # a code per row
        # the run keeps X and Z only (State): the raw values are given up to the outlier rule
        treated = chain.treat(ind, parent, s.treatment, source, consume=True)
        del ind
        X = treated.X

        say("normalisation")
        directions = fw.directions()
        lo, hi = m.minmax_bounds(X)
        try:
            Z = chain.normalise(X, directions, s.normalization, years)
        except MethodError as exc:
            raise InputError(
                f"normalization.method {s.normalization.method!r} with normalization.scope "
                f"{s.normalization.scope!r} cannot be computed on these data ({exc})",
                file=source,
            ) from None

        say("weights")
        data = chain.WeightData(X=lambda: treated.imputed, Z=Z, ids=ids)
        w = chain.indicator_weights(data, chain.WeightSpec.of(s.weighting, fw))
        members = chain.members(fw)
        W = chain.dimension_weights(w, members, chain.DimensionSpec.of(s.weighting, fw))
        chain.warn_constant_dimensions(Z, members, [d.id for d in fw.dimensions])
        w_eff = chain.effective_weights(w, W, members)

        say("aggregation")
        U = chain.dimension_scores(Z, w_eff, members, s.aggregation)
        closeness = chain.closeness(Z, w_eff)
        composite = chain.composite(U, W, s.aggregation, lambda: closeness)

        say("coupling")
        coupled = chain.couple(U, chain.CouplingSpec.of(s, fw))

        state = State(
            framework=fw,
            settings=s,
            panel=self.panel,
            regions=regions,
            years=years,
            indicator_ids=ids,
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
            C=coupled.C,
            T=coupled.T,
            D=coupled.D,
            treated=log + treated.log,
        )
        if "imputed" in treated.__dict__:  # built for CV weights: kept rather than built again
            state.given["imputed"] = treated.imputed
        return Result(state)

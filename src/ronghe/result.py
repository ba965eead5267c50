"""Result: the tables of an evaluated Study, built on first access from the arrays of the run.

Tables (pandas DataFrames):

- ``index``: composite index, rank, TOPSIS closeness and dimension scores ``U_<dim>`` per region-year;
- ``weights``: indicator weights, weights within the dimension and the dimension weights;
- ``coupling``: C, T, D, the 10-level grade, the coupling stage and (two subsystems) the relative
  development type;
- ``obstacles``: obstacle degrees, columns ``(indicator|dimension|category, id)``; ``top_obstacles``:
  the leading obstacle factors of each region-year with the dimension and category shares;
- ``treatment``: every imputed, winsorised, log-transformed or undefined cell.

A Result holds no hidden state: the analyses (:meth:`disparity`, :meth:`spatial`, ...) return
their results and store nothing; to write them with the Result's tables, pass them
(``res.to_excel(path, analyses=[res.disparity(), res.spatial()])``). Derived data that other
layers compute once per Result (a cache, not a choice) lives in ``memo``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd

from ronghe import labels
from ronghe import methods as m

if TYPE_CHECKING:
    from ronghe.diagnosis import Diagnosis
    from ronghe.frameworks import Framework
    from ronghe.panel import Panel
    from ronghe.settings import Settings

UNTAGGED = "other"


class Analysis(Protocol):
    """What joins a Result's workbook: an analysis (disparity, spatial, dynamics, drivers) or any
    other result with sheets and notes (the uncertainty audit, say)."""

    def tables(self) -> dict[str, pd.DataFrame]: ...

    def notes(self) -> list[tuple[str, str]]: ...


@dataclass
class State:
    """Arrays of one run, aligned on rows (region-years) and columns (indicators).

    Three (n, k) arrays are derived on first use rather than kept by the run, so that a run
    holds two matrices (``X``, ``Z``) besides the panel: ``raw`` (the indicator values as the
    formulas give them, computed again from the panel), ``imputed`` (the values before the outlier
    rule, rebuilt from ``X`` and the treatment log) and ``O`` (the obstacle degrees, from ``Z``
    and the effective weights). A runner that has them anyway passes them in ``given``."""

    framework: Framework
    settings: Settings
    panel: Panel
    regions: np.ndarray
    years: np.ndarray
    indicator_ids: list[str]
    X: np.ndarray
    Z: np.ndarray
    bounds: tuple[np.ndarray, np.ndarray]
    weights: np.ndarray
    dimension_weights: np.ndarray
    effective_weights: np.ndarray
    members: list[np.ndarray]
    U: np.ndarray
    composite: np.ndarray
    closeness: np.ndarray
    C: np.ndarray
    T: np.ndarray
    D: np.ndarray
    treated: list[dict[str, Any]] = field(default_factory=list)
    given: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @cached_property
    def raw(self) -> np.ndarray:
        if "raw" in self.given:
            return self.given["raw"]
        from ronghe.chain import indicator_values

        values = indicator_values(self.panel, self.framework, self.settings.years)
        return values.to_numpy(dtype=float)

    @cached_property
    def imputed(self) -> np.ndarray:
        if "imputed" in self.given:
            return self.given["imputed"]
        from ronghe.chain.treatment import imputed_values

        return imputed_values(self.X, self.treated)

    @cached_property
    def O(self) -> np.ndarray:  # noqa: E743 (O, the obstacle matrix, as in every formula)
        if "O" in self.given:
            return self.given["O"]
        from ronghe.chain import CouplingSpec, obstacles

        return obstacles(self.Z, self.effective_weights,
                         CouplingSpec.of(self.settings, self.framework).best)


class Result:
    """Tables of an evaluated study; see the module docstring for their columns."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.settings = state.settings
        self.framework = state.framework
        #: Derived data computed once per Result by other layers (diagnosis setup, lookups, ...),
        #: keyed by the computing module's name; lives and dies with the Result.
        self.memo: dict[str, Any] = {}

    @property
    def settings_hash(self) -> str:
        return self.settings.hash

    def __repr__(self) -> str:
        s = self.state
        return (
            f"<Result {self.framework.id}: {len(np.unique(s.regions))} regions x "
            f"{len(np.unique(s.years))} years x {len(s.indicator_ids)} indicators, "
            f"settings {self.settings_hash}>"
        )

    # ---------------------------------------------------------------- keys
    @cached_property
    def _keys(self) -> pd.DataFrame:
        s = self.state
        meta = s.panel.regions
        return pd.DataFrame(
            {
                "region": s.regions,
                "name_zh": meta["name_zh"].reindex(s.regions).to_numpy(dtype=object),
                "province": meta["province"].reindex(s.regions).to_numpy(dtype=object),
                "year": s.years.astype(int),
            }
        )

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.framework.dimensions]

    # --------------------------------------------------------------- tables
    @cached_property
    def index(self) -> pd.DataFrame:
        s = self.state
        df = self._keys.copy()
        df["index"] = s.composite
        df["rank"] = df.groupby("year")["index"].rank(ascending=False, method="min").astype(int)
        df["topsis"] = s.closeness
        for d, dim in enumerate(self.dimension_ids):
            df[f"U_{dim}"] = s.U[:, d]
        return df

    @cached_property
    def weights(self) -> pd.DataFrame:
        s, fw = self.state, self.framework
        dim_of = fw.dimension_of
        dim_w = dict(zip(self.dimension_ids, s.dimension_weights, strict=True))
        rows = []
        for j, ind in enumerate(fw.indicators):
            d = dim_of[ind.id]
            idx = s.members[self.dimension_ids.index(d)]
            share = s.effective_weights[idx].sum()
            rows.append(
                {
                    "indicator": ind.id,
                    "name_zh": ind.name_zh,
                    "name_en": ind.name_en,
                    "dimension": d,
                    "direction": fw.directions()[j],
                    "unit": ind.unit,
                    "weight": s.effective_weights[j],
                    "weight_in_dimension": s.effective_weights[j] / share if share > 0 else 0.0,
                    "dimension_weight": dim_w[d],
                }
            )
        df = pd.DataFrame(rows)
        df["direction"] = df["direction"].astype(str)
        return df

    @cached_property
    def coupling(self) -> pd.DataFrame:
        s = self.state
        df = self._keys.copy()
        df["C"], df["T"], df["D"] = s.C, s.T, s.D
        df["grade"], df["grade_zh"] = m.ccd_grade(s.D, lang="zh")
        df["grade_en"] = m.ccd_grade(s.D, lang="en")[1]
        df["stage"], df["stage_zh"] = m.coupling_stage(s.C, lang="zh")
        df["stage_en"] = m.coupling_stage(s.C, lang="en")[1]
        if s.U.shape[1] == 2:
            tol = self.settings.coupling.type_tolerance
            df["type_zh"] = m.development_type(s.U[:, 0], s.U[:, 1], tol=tol, lang="zh")
            df["type_en"] = m.development_type(s.U[:, 0], s.U[:, 1], tol=tol, lang="en")
        return df

    @cached_property
    def _obstacle_groups(self) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
        s, fw = self.state, self.framework
        dims = [fw.dimension_of[i] for i in s.indicator_ids]
        by_dim, dim_names = m.aggregate_obstacles(s.O, dims)
        cats = [c or UNTAGGED for c in fw.tags("obstacle")]
        by_cat, cat_names = m.aggregate_obstacles(s.O, cats)
        return by_dim, list(dim_names), by_cat, list(cat_names)

    @cached_property
    def obstacles(self) -> pd.DataFrame:
        """Obstacle degrees indexed by (region, year); columns (level, id) with level in
        indicator, dimension and category (O1-O4, and ``other`` for untagged indicators)."""
        s = self.state
        by_dim, dim_names, by_cat, cat_names = self._obstacle_groups
        data = np.hstack([s.O, by_dim, by_cat])
        cols = pd.MultiIndex.from_tuples(
            [("indicator", i) for i in s.indicator_ids]
            + [("dimension", d) for d in dim_names]
            + [("category", c) for c in cat_names],
            names=["level", "id"],
        )
        index = pd.MultiIndex.from_arrays(
            [s.regions, s.years.astype(int)], names=["region", "year"]
        )
        return pd.DataFrame(data, index=index, columns=cols)

    @cached_property
    def top_obstacles(self) -> pd.DataFrame:
        s = self.state
        k = min(self.settings.top_obstacles, s.O.shape[1])
        order = np.argsort(-s.O, axis=1, kind="stable")[:, :k]
        ids = np.asarray(s.indicator_ids, dtype=object)
        df = self._keys.copy()
        for r in range(k):
            df[f"top{r + 1}"] = ids[order[:, r]]
            df[f"top{r + 1}_degree"] = np.take_along_axis(s.O, order[:, r : r + 1], axis=1)[:, 0]
        by_dim, dim_names, by_cat, cat_names = self._obstacle_groups
        for j, d in enumerate(dim_names):
            df[f"obs_dim_{d}"] = by_dim[:, j]
        for j, c in enumerate(cat_names):
            df[f"obs_cat_{c}"] = by_cat[:, j]
        from ronghe.diagnosis import obstacle_shares

        shares = obstacle_shares(self)  # the one convention of every output: O1-O4 sum to 1
        for col in shares.columns[2:]:
            df[col] = shares[col].to_numpy()
        return df

    @cached_property
    def treatment(self) -> pd.DataFrame:
        return self._treatment_frame(self.state.treated)

    def _treatment_frame(self, treated: Sequence[dict[str, Any]]) -> pd.DataFrame:
        """The treatment table of some parts of the log (every cell of each part)."""
        s = self.state
        cols = ["region", "year", "indicator", "action", "old", "new"]
        parts = [pd.DataFrame(part) for part in treated if np.size(part["row"])]
        if not parts:  # a clean panel: nothing imputed, treated or undefined
            return pd.DataFrame({c: pd.Series(dtype=float if c in ("old", "new") else object)
                                 for c in cols})
        log = pd.concat(parts, ignore_index=True)
        rows = log["row"].to_numpy(dtype=int)
        return pd.DataFrame(
            {
                "region": s.regions[rows],
                "year": s.years[rows].astype(int),
                "indicator": np.asarray(s.indicator_ids, dtype=object)[
                    log["col"].to_numpy(dtype=int)
                ],
                "action": log["action"].astype(str).to_numpy(),
                "old": log["old"].astype(float).to_numpy(),
                "new": log["new"].astype(float).to_numpy(),
            }
        )

    @staticmethod
    def _whole_column(part: dict[str, Any]) -> bool:
        """A part of the log whose action is the log transform of whole columns."""
        action = np.asarray(part["action"])
        return bool(action.size) and bool((action == "log").all())

    @cached_property
    def transforms(self) -> pd.DataFrame:
        """Column-wide treatments (the log transform of an outlying indicator), one row per
        indicator, with the number of cells it changed (counted on the log's parts, which are
        not framed cell by cell)."""
        ids = self.state.indicator_ids
        cells: dict[str, int] = {}
        for part in self.state.treated:
            if not np.size(part["row"]) or not self._whole_column(part):
                continue
            col = np.broadcast_to(np.asarray(part["col"]), np.shape(part["row"]))
            for j, count in zip(*np.unique(col, return_counts=True), strict=True):
                cells[ids[int(j)]] = cells.get(ids[int(j)], 0) + int(count)
        return pd.DataFrame({"indicator": pd.Series(list(cells), dtype=object),
                             "action": pd.Series(["log"] * len(cells), dtype=object),
                             "cells": pd.Series(list(cells.values()), dtype=np.int64)})

    # --------------------------------------------------------------- output
    def tables(self, analyses: Sequence[Analysis] = ()) -> dict[str, pd.DataFrame]:
        """The tables written to the workbook, by sheet name, then the sheets of ``analyses``.
        The ``treatment`` sheet lists the treated cells; indicators transformed as a whole are
        listed once in ``transforms``."""
        from ronghe.diagnosis import has_obstacle_tags

        cells = [p for p in self.state.treated if not self._whole_column(p)]
        tables = {
            "index": self.index,
            "weights": self.weights,
            "coupling": self.coupling,
            "obstacles": self.top_obstacles,
            "treatment": self._treatment_frame(cells).query("action != 'log'")
            .reset_index(drop=True),
            "transforms": self.transforms,
        }
        if has_obstacle_tags(self.framework):
            tables["diagnosis"] = self.diagnoses(year=int(self.state.years.max()))
            tables["typology"] = self.typology_summary()
        tables.update(self.method_tables())
        tables.update(self.audit.tables())
        for done in analyses:
            tables.update(done.tables())
        return tables

    def notes(self, analyses: Sequence[Analysis] = ()) -> list[tuple[str, str]]:
        """The About sheet: data, framework, settings, warnings, then the notes of ``analyses``."""
        s, p = self.settings, self.state.panel
        kind = (
            "合成数据（演示用，非真实统计）/ synthetic data (demo, not real statistics)"
            if p.synthetic
            else "随 ronghe 发布的数据集 / dataset shipped with ronghe"
            if p.shipped
            else "用户数据 / user data"
        )
        return [
            ("数据 data", f"{p.source or '-'} — {kind}"),
            (
                "框架 framework",
                f"{self.framework.id}: {self.framework.info.name_zh} / "
                f"{self.framework.info.name_en}",
            ),
            ("设置哈希 settings hash", self.settings_hash),
            (
                "标准化 normalisation",
                f"{s.normalization.method}, {s.normalization.scope}, shift "
                f"{s.normalization.shift} ({s.normalization.shift_mode})",
            ),
            ("耦合公式 coupling formula", s.coupling.formula),
            *(("警告 warning", f"{zh} / {en}") for zh, en in
              zip(self.audit.messages("zh"), self.audit.messages("en"), strict=True)),
            ("设置 settings (YAML)", s.to_yaml()),
            *(note for done in analyses for note in done.notes()),
        ]

    def explanations(self, tables: dict[str, pd.DataFrame], analyses: Sequence[Analysis] = ()
                     ) -> pd.DataFrame:
        """The column sheet of the workbook (see :func:`ronghe.labels.column_sheet`; with
        ``analyses``, :func:`ronghe.analysis.explanations`, which also explains their columns)."""
        if analyses:
            from ronghe.analysis import explanations

            return explanations(tables)
        return labels.column_sheet(tables)

    def to_excel(self, path: str | Path, analyses: Sequence[Analysis] = (),
                 headers: Literal["zh", "codes"] = "zh") -> Path:
        """Write every table to one workbook, with the settings and a sheet explaining each
        column; ``analyses`` (results of :meth:`disparity`, :meth:`spatial`, ...) join it.
        Sheets are headed in Chinese, or by the column codes with ``headers="codes"``."""
        from ronghe.excel import names_of, write_workbook

        done = list(analyses)
        tables = self.tables(done)
        return write_workbook(path, tables, self.explanations(tables, done), self.notes(done),
                              names=names_of(self), headers=headers)

    # ------------------------------------------------------- method tables
    def method_tables(self) -> dict[str, pd.DataFrame]:
        """Entropy, CRITIC, CV, AHP and TOPSIS tables with their intermediate quantities
        (see :mod:`ronghe.method_tables`)."""
        from ronghe.method_tables import method_tables

        return method_tables(self)

    @cached_property
    def audit(self) -> Any:
        """Statistical audit of the latest year: correlations, Cronbach's alpha, first principal
        component, effective weights and dominance warnings (see :mod:`ronghe.audit`)."""
        from ronghe.audit import audit

        return audit(self)

    # ------------------------------------------------------------ diagnosis
    def diagnose(self, region: str, year: int | None = None, lang: str = "zh") -> Diagnosis:
        """Diagnosis of one region-year (code or unique Chinese name; ``year=None``: latest):
        blocking indicators, obstacle categories, paths with evidence, peer exemplars.
        See :mod:`ronghe.diagnosis`."""
        from ronghe.diagnosis import diagnose

        return diagnose(self, region, year, lang=lang)

    def diagnoses(self, year: int | None = None) -> pd.DataFrame:
        """Diagnosis table of every region-year (or of one year); see :func:`ronghe.diagnosis.diagnoses`."""
        from ronghe.diagnosis import diagnoses

        return diagnoses(self, year)

    def typology(self, year: int | None = None) -> pd.DataFrame:
        """Obstacle-profile type of every region in ``year`` (all years when None)."""
        from ronghe.diagnosis import typology

        return typology(self, year)

    def typology_summary(self, year: int | None = None, by_province: bool = False) -> pd.DataFrame:
        """Share of regions and dominant path per type, per year (and province)."""
        from ronghe.diagnosis import typology_summary

        return typology_summary(self, year, by_province=by_province)

    # ------------------------------------------------------------- planning
    def simulate(self, region: str, year: int, changes: dict | None = None):
        """What-if: the index, D, grade and obstacles of one region-year after ``changes`` to raw
        variables or indicators, with weights and anchors frozen (see ronghe.planning.scenario)."""
        from ronghe.planning import simulate

        return simulate(self, region, year, changes)

    def uncertainty(self, draws: int = 1000, seed: int = 0, scheduler: str | None = None,
                    progress=None, **kw):
        """Monte Carlo over methodological choices: rank intervals and Sobol indices
        (see ronghe.planning.uncertainty)."""
        from ronghe.planning import uncertainty

        return uncertainty(self, draws, seed, scheduler, progress, **kw)

    def target(self, region: str, goal: str, by: int = 2035, **kw):
        """Required annual change and the least-effort plan to reach ``goal`` (e.g. "D>=0.6")
        by ``by`` (see ronghe.planning.targets)."""
        from ronghe.planning import target

        return target(self, region, goal, by, **kw)

    def forecast(self, horizon_year: int, regions=None, **kw):
        """GM(1,1) or ETS forecasts of the index and D to ``horizon_year``, the model chosen by
        hold-out error (see ronghe.planning.forecasting)."""
        from ronghe.planning import forecast

        return forecast(self, horizon_year, regions, **kw)

    # ------------------------------------------------------------- analysis
    # The analyses return their result and store nothing on the Result: pass them to
    # to_excel(path, analyses=[...]) to write them with its tables.
    def disparity(self, **kw: Any) -> Any:
        """Dagum Gini, Theil, CV and sigma/beta convergence (see :func:`ronghe.analysis.disparity`)."""
        from ronghe.analysis import disparity

        return disparity(self, **kw)

    def spatial(self, **kw: Any) -> Any:
        """Global Moran's I, LISA clusters and Gi* hot spots per year (maps extra; see
        :func:`ronghe.analysis.spatial`)."""
        from ronghe.analysis import spatial

        return spatial(self, **kw)

    def dynamics(self, **kw: Any) -> Any:
        """Classic and spatial Markov chains and kernel density over years (see
        :func:`ronghe.analysis.dynamics`)."""
        from ronghe.analysis import dynamics

        return dynamics(self, **kw)

    def drivers(self, **kw: Any) -> Any:
        """Geographical detector with optimal discretisation (see :func:`ronghe.analysis.drivers`)."""
        from ronghe.analysis import drivers

        return drivers(self, **kw)

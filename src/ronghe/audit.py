"""Statistical audit of an evaluated framework: the coherence checks of the JRC's audits and of
COINr, and a warning whenever one indicator dominates the index.

Everything is computed on the cross-section of one year (default: the latest), on the normalised
scores Z (oriented so that higher is better, so a negative correlation is a real conflict):

- **Correlations within each dimension**: every pair of indicators of a dimension, flagged
  ``collinear`` when r > :data:`COLLINEAR` (the pair says the same thing twice) and ``negative``
  when r < -:data:`WEAK` (a trade-off inside the dimension; COINr and the JRC flag both; two
  nearly uncorrelated indicators are no problem, so small negative values are not flagged).
- **Indicator–dimension and indicator–index correlations**: r(z_j, U_d) and r(z_j, index), flagged
  ``negative`` (r < 0) or ``weak`` (0 <= r < :data:`WEAK`): the indicator hardly moves its
  aggregate.
- **Cronbach's α** and the **first principal component's share** per dimension and for all
  indicators (:mod:`ronghe.methods.coherence`).
- **Effective weights**: each indicator's share of the variance of the arithmetic composite
  Σ_j w_j z_j (:func:`~ronghe.methods.coherence.variance_shares`; the index itself under the
  default arithmetic aggregation), and its correlation-based importance r_j² / Σ r_k² against the
  index as computed; both sum to 1, set beside the nominal weight w_j.
- **Dominance** (:func:`dominance`): an indicator dominates when its nominal weight exceeds
  τ = min(:data:`DOMINANCE_FACTOR` / k, :data:`DOMINANCE_CEILING`) — three times an equal share,
  at most one half —, when its variance share exceeds max(τ, :data:`EFFECTIVE_LIMIT`) — it alone
  carries a quarter of the index's variance; variance shares include the covariances with the
  other indicators, so indicators that move together share a large part of it without any of
  them dominating, hence the absolute floor — or when it is the first obstacle (largest obstacle
  degree) of more than :data:`FIRST_OBSTACLE_MAJORITY` of the units. Every output that shows the
  index repeats the warning (workbook notes and ``audit_warnings`` sheet, report, CLI, diagnosis,
  API).

:func:`weighting_comparison` evaluates the study again with the weight cap
(``weighting.cap``) switched the other way and sets the two rankings side by side.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ronghe.methods import coherence as coh
from ronghe.words.audit import ALL_DIMENSIONS

if TYPE_CHECKING:
    from ronghe.result import Result

COLLINEAR = 0.9
"""A pair of indicators of one dimension correlated above this says the same thing twice."""
WEAK = 0.2
"""An indicator correlated with its dimension or the index below this (and >= 0) barely moves it."""
DOMINANCE_FACTOR = 3.0
"""An indicator dominates when a weight of it exceeds this many equal shares (1/k) ..."""
DOMINANCE_CEILING = 0.5
"""... or this share, whichever is lower (so a framework of few indicators is judged too)."""
EFFECTIVE_LIMIT = 0.25
"""An indicator whose variance share exceeds this (or the nominal threshold, if higher) dominates."""
FIRST_OBSTACLE_MAJORITY = 0.5
"""An indicator that is the first obstacle of more than this share of units dominates the diagnosis."""


_KIND_TEXT = {
    "nominal_weight": ("名义权重", "nominal weight"),
    "effective_weight": ("有效权重（占指数方差份额）", "effective weight (share of index variance)"),
    "first_obstacle": ("作为首要障碍的地区比例", "share of units whose first obstacle it is"),
}


@dataclass(frozen=True)
class Dominance:
    """One indicator that dominates, by one criterion."""

    indicator: str
    name_zh: str
    name_en: str
    kind: str  # nominal_weight | effective_weight | first_obstacle
    value: float
    threshold: float

    def message(self, lang: str = "zh") -> str:
        zh, en = _KIND_TEXT[self.kind]
        if lang == "zh":
            return (f"警告：指标“{self.name_zh}”（{self.indicator}）主导结果——{zh} "
                    f"{self.value:.1%}，超过阈值 {self.threshold:.1%}。")
        return (f"Warning: indicator '{self.name_en}' ({self.indicator}) dominates the result: "
                f"{en} {self.value:.1%}, above the threshold of {self.threshold:.1%}.")


@dataclass
class Audit:
    """The audit of one year of a Result (see the module docstring)."""

    year: int
    units: int
    threshold: float
    pairs: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    dominance: list[Dominance] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Workbook sheets: ``audit_indicators``, ``audit_dimensions``, ``audit_pairs`` (flagged
        pairs only) and ``audit_warnings``."""
        flagged = self.pairs[self.pairs["flag"] != ""].reset_index(drop=True)
        warn = pd.DataFrame(
            [{"indicator": d.indicator, "kind": d.kind, "value": d.value,
              "threshold": d.threshold, "message_zh": d.message("zh"),
              "message_en": d.message("en")} for d in self.dominance],
            columns=["indicator", "kind", "value", "threshold", "message_zh", "message_en"],
        )
        return {"audit_indicators": self.indicators, "audit_dimensions": self.dimensions,
                "audit_pairs": flagged, "audit_warnings": warn}

    def messages(self, lang: str = "zh") -> list[str]:
        """The dominance warnings as sentences (empty when nothing dominates)."""
        return [d.message(lang) for d in self.dominance]

    def to_dict(self) -> dict:
        """JSON-ready: every table as records, the warnings in both languages."""
        def records(df: pd.DataFrame) -> list[dict]:
            rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
            return [{k: v.item() if isinstance(v, np.generic) else v for k, v in r.items()}
                    for r in rows]

        return {
            "year": self.year, "units": self.units, "threshold": self.threshold,
            "indicators": records(self.indicators), "dimensions": records(self.dimensions),
            "pairs": records(self.pairs[self.pairs["flag"] != ""]),
            "warnings": [{"indicator": d.indicator, "kind": d.kind, "value": d.value,
                          "threshold": d.threshold, "zh": d.message("zh"),
                          "en": d.message("en")} for d in self.dominance],
        }


def dominance_threshold(k: int) -> float:
    """min(DOMINANCE_FACTOR / k, DOMINANCE_CEILING) for k indicators."""
    return min(DOMINANCE_FACTOR / k, DOMINANCE_CEILING)


def _flag(r: float, weak: bool) -> str:
    if not np.isfinite(r):  # a constant column: no correlation is defined, said rather than left blank
        return "undefined"
    if r < (0.0 if weak else -WEAK):
        return "negative"
    if weak and r < WEAK:
        return "weak"
    if not weak and r > COLLINEAR:
        return "collinear"
    return ""


def dominance(
    ids: list[str], names: list[tuple[str, str]], nominal: np.ndarray, effective: np.ndarray,
    first_share: np.ndarray,
) -> tuple[float, list[Dominance]]:
    """The threshold and the dominance records of k indicators (see the module docstring)."""
    tau = dominance_threshold(len(ids))
    out = []
    for j, ind in enumerate(ids):
        for kind, value, limit in (("nominal_weight", nominal[j], tau),
                                   ("effective_weight", effective[j], max(tau, EFFECTIVE_LIMIT)),
                                   ("first_obstacle", first_share[j], FIRST_OBSTACLE_MAJORITY)):
            if value > limit:
                out.append(Dominance(ind, names[j][0], names[j][1], kind, float(value),
                                     float(limit)))
    return tau, out


MIN_UNITS = 3  #: fewest units of a year the audit's correlations are computed on
_INDICATOR_COLUMNS = ["indicator", "name_zh", "dimension", "r_dimension", "r_index", "nominal_weight",
                      "variance_share", "correlation_importance", "first_obstacle_share", "flag"]


def audit(result: Result, year: int | None = None) -> Audit:
    """Run the audit of ``result`` on the cross-section of ``year`` (default: the latest); a year
    of fewer than :data:`MIN_UNITS` units gives empty tables and no warning."""
    s, fw = result.state, result.framework
    year = int(s.years.max()) if year is None else int(year)
    rows = np.flatnonzero(s.years == year)
    if rows.size < MIN_UNITS:  # no correlation, alpha or component on fewer units: empty tables
        return Audit(year, int(rows.size), dominance_threshold(len(s.indicator_ids)),
                     pd.DataFrame(columns=["dimension", "indicator_a", "indicator_b", "r", "flag"]),
                     pd.DataFrame(columns=_INDICATOR_COLUMNS),
                     pd.DataFrame(columns=["dimension", "dimension_zh", "dimension_en",
                                           "indicators", "cronbach_alpha",
                                           "first_pc_share", "r_index"]))
    Z, U, y, O = s.Z[rows], s.U[rows], s.composite[rows], s.O[rows]
    ids = list(s.indicator_ids)
    inds = fw.indicators
    dims = [d.id for d in fw.dimensions]
    dim_pos = {i: d for d, idx in enumerate(s.members) for i in idx}

    pairs = []
    for d, idx in enumerate(s.members):
        if idx.size < 2:
            continue
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = np.corrcoef(Z[:, idx], rowvar=False)
        for a in range(idx.size):
            for b in range(a + 1, idx.size):
                pairs.append({"dimension": dims[d], "indicator_a": ids[idx[a]],
                              "indicator_b": ids[idx[b]], "r": float(r[a, b]),
                              "flag": _flag(float(r[a, b]), weak=False)})
    pairs_df = pd.DataFrame(pairs, columns=["dimension", "indicator_a", "indicator_b", "r", "flag"])

    nominal = s.effective_weights / s.effective_weights.sum()
    share = coh.variance_shares(Z, nominal)
    importance = coh.correlation_importance(Z, y)
    r_index = coh.correlations_with(Z, y)
    r_dim = np.array([coh.correlations_with(Z[:, [j]], U[:, dim_pos[j]])[0]
                      for j in range(len(ids))])
    first = np.bincount(np.argmax(O, axis=1), minlength=len(ids)) / max(rows.size, 1)
    ind_df = pd.DataFrame({
        "indicator": ids,
        "name_zh": [i.name_zh for i in inds],
        "dimension": [dims[dim_pos[j]] for j in range(len(ids))],
        "r_dimension": r_dim,
        "r_index": r_index,
        "nominal_weight": nominal,
        "variance_share": share,
        "correlation_importance": importance,
        "first_obstacle_share": first,
    })
    ind_df["flag"] = [
        ",".join(sorted({f for f in (_flag(a, weak=True), _flag(b, weak=True)) if f}))
        for a, b in zip(r_dim, r_index, strict=True)
    ]
    names = {d.id: (d.name_zh, d.name_en) for d in fw.dimensions}
    names["all"] = ALL_DIMENSIONS
    dim_rows = [
        {"dimension": dims[d], "indicators": int(idx.size),
         "cronbach_alpha": coh.cronbach_alpha(Z[:, idx]),
         "first_pc_share": coh.first_component_share(Z[:, idx]),
         "r_index": float(coh.correlations_with(U[:, [d]], y)[0])}
        for d, idx in enumerate(s.members)
    ]
    dim_rows.append({"dimension": "all", "indicators": len(ids),
                     "cronbach_alpha": coh.cronbach_alpha(Z),
                     "first_pc_share": coh.first_component_share(Z), "r_index": 1.0})  # the index itself
    tau, dom = dominance(ids, [(i.name_zh, i.name_en) for i in inds], nominal, share, first)
    dim_df = pd.DataFrame(dim_rows)
    for pos, col in enumerate(("dimension_zh", "dimension_en")):  # names beside the codes
        dim_df.insert(1 + pos, col, dim_df["dimension"].map(lambda d, p=pos: names[d][p]))
    return Audit(year, int(rows.size), tau, pairs_df, ind_df, dim_df, dom)


@dataclass
class WeightingComparison:
    """The ranking of one year under the result's weights and under the weights with the cap
    switched the other way (``weighting.cap`` None <-> the default)."""

    year: int
    label: str  # zh/en description of the alternative
    ranks: pd.DataFrame  # region, name_zh, rank, rank_alternative, shift
    summary: pd.DataFrame  # measure_zh, measure_en, value_zh, value_en (numbers the same in both)


def weighting_comparison(result: Result, year: int | None = None) -> WeightingComparison:
    """Evaluate the study again with ``weighting.cap`` switched (capped <-> uncapped) and compare
    the two rankings of ``year`` (default: the latest): Spearman's ρ, mean and largest absolute
    rank shift, the share of units that move more than 10 places, the overlap of the top 10, the
    largest weight and the most frequent first obstacle with its share under each."""
    from ronghe.settings import Weighting
    from ronghe.study import Study

    s = result.settings
    cap = s.weighting.cap
    other_cap = None if cap is not None else Weighting.model_fields["cap"].default
    alt_settings = s.model_copy(update={"weighting": s.weighting.model_copy(
        update={"cap": other_cap})})
    st = result.state
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the constant-column notices were given the first time
        alt = Study(st.panel, result.framework, alt_settings).evaluate()
    year = int(st.years.max()) if year is None else int(year)
    a = result.index[result.index["year"] == year][["region", "name_zh", "rank"]]
    b = alt.index[alt.index["year"] == year][["region", "rank"]].rename(
        columns={"rank": "rank_alternative"})
    ranks = a.merge(b, on="region")
    ranks["shift"] = ranks["rank_alternative"] - ranks["rank"]
    ranks = ranks.sort_values("rank", kind="stable").reset_index(drop=True)
    rho = float(spearmanr(ranks["rank"], ranks["rank_alternative"]).statistic)
    top = min(10, len(ranks))
    overlap = len(set(ranks.nsmallest(top, "rank")["region"])
                  & set(ranks.nsmallest(top, "rank_alternative")["region"]))
    ids = np.asarray(st.indicator_ids, dtype=object)

    names = {i.id: (i.name_zh, i.name_en) for i in result.framework.indicators}

    def lead(res: Result) -> tuple[tuple[str, str], float, float]:
        rows = res.state.years == year
        first = np.bincount(np.argmax(res.state.O[rows], axis=1), minlength=ids.size)
        j = int(np.argmax(first))
        w = res.state.effective_weights
        name = names.get(str(ids[j]), (str(ids[j]), str(ids[j])))
        return name, float(first[j] / rows.sum()), float(w.max() / w.sum())

    mine, theirs = lead(result), lead(alt)
    label = (f"权重上限 {cap} 倍等权" if cap else "不设权重上限",
             f"weights capped at {cap} x the equal share" if cap else "weights uncapped")
    alt_label = (f"权重上限 {other_cap} 倍等权" if other_cap else "不设权重上限",
                 f"weights capped at {other_cap} x the equal share" if other_cap
                 else "weights uncapped")
    rows: list[tuple[str, str, object, object]] = [
        ("本结果的赋权", "weighting of this result", *label),
        ("对照的赋权", "alternative weighting", *alt_label),
    ]
    for measure_zh, measure_en, value in (
        ("位次斯皮尔曼相关", "Spearman rank correlation", round(rho, 4)),
        ("平均位次变化（绝对值）", "mean absolute rank shift", round(float(ranks["shift"].abs().mean()), 2)),
        ("最大位次变化", "largest rank shift", int(ranks["shift"].abs().max())),
        ("位次变化超过 10 位的地区比例", "share of units moving more than 10 places",
         f"{float((ranks['shift'].abs() > 10).mean()):.1%}"),
        (f"前 {top} 名重合数", f"overlap of the top {top}", overlap),
        ("最大指标权重（本结果 / 对照）", "largest indicator weight (this / alternative)",
         f"{mine[2]:.1%} / {theirs[2]:.1%}"),
    ):
        rows.append((measure_zh, measure_en, value, value))
    rows += [
        ("最常见首要障碍（本结果）", "most frequent first obstacle (this)",
         f"{mine[0][0]} {mine[1]:.1%}", f"{mine[0][1]} {mine[1]:.1%}"),
        ("最常见首要障碍（对照）", "most frequent first obstacle (alternative)",
         f"{theirs[0][0]} {theirs[1]:.1%}", f"{theirs[0][1]} {theirs[1]:.1%}"),
    ]
    summary = pd.DataFrame(rows, columns=["measure_zh", "measure_en", "value_zh", "value_en"])
    return WeightingComparison(year, f"{alt_label[0]} / {alt_label[1]}", ranks, summary)

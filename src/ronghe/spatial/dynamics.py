"""Classic and spatial Markov chains of a region × year variable (via giddy).

Classes. Values are cut into ``k`` quantile classes (default 4) with cut-offs pooled over all regions
and years (mapclassify ``Quantiles`` on the flattened matrix, giddy's ``fixed=True``), so a class means
the same level in every year and moving up a class is real progress, not a re-ranking. Classes are
numbered 1 (lowest) to k in the output. With ``relative=True`` each year is first divided by its
cross-sectional mean (as in Rey's US income example), which removes a common trend.

- :func:`markov` — transition counts n_ij over consecutive years and probabilities
  p_ij = n_ij / Σ_j n_ij (giddy ``Markov``), with the steady-state distribution and Bickenbach &
  Bode's (2003) test of time homogeneity: the T − 1 yearly transitions are split into an earlier
  half (the first ⌈(T − 1)/2⌉) and a later half, and Q and LR test whether both halves share one
  matrix (giddy ``homogeneity``; needs at least three years).
- :func:`spatial_markov` — the same, conditioned on the class of the spatial lag at the start of each
  transition (Rey 2001; giddy ``Spatial_Markov``; lag classes use pooled quantiles of the lag, m = k),
  with Bickenbach & Bode's (2003) homogeneity tests Q (Pearson) and LR (likelihood ratio) of "the
  lag class does not matter", dof = Σ (b_i − 1)(a_i − 1) over non-empty rows, and one chi-square test
  per lag class against the pooled matrix.

Both accept a wide region × year frame or long data indexed by (region, year) — the index, a
sub-index, or the coupling coordination degree D.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.spatial.align import region_year_matrix
from ronghe.words.extras import missing_extra

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = ["MarkovResult", "SpatialMarkovResult", "markov", "spatial_markov"]


def _giddy():
    try:
        import mapclassify
        from libpysal import weights
    except ImportError as exc:
        raise missing_extra("maps", exc.name) from exc
    try:
        from giddy import markov as gm
    except ImportError as exc:
        raise missing_extra("dynamics", exc.name) from exc
    return gm, mapclassify, weights


@dataclass(frozen=True)
class MarkovResult:
    """Classic Markov chain. Frames are labelled by class 1..k (1 = lowest)."""

    cutoffs: np.ndarray  # upper bounds of classes 1..k-1 (class k is open above)
    classes: pd.DataFrame  # region × year class (1..k)
    counts: pd.DataFrame  # from-class × to-class transition counts
    probabilities: pd.DataFrame  # row-stochastic (rows without transitions are all 0)
    steady_state: pd.Series  # ergodic distribution (NaN when the chain is reducible)
    tests: pd.DataFrame  # time homogeneity, rows Q and LR: statistic, dof, p_value (NaN if T < 3)

    def table(self) -> pd.DataFrame:
        """Tidy transitions: from_class, to_class, count, probability."""
        return _long(self.counts, self.probabilities)


@dataclass(frozen=True)
class SpatialMarkovResult:
    """Spatial Markov chain: one transition matrix per class of the spatial lag."""

    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray
    pooled: MarkovResult  # the classic chain on the same classes
    transitions: pd.DataFrame  # tidy: lag_class, from_class, to_class, count, probability
    tests: pd.DataFrame  # rows Q and LR: statistic, dof, p_value
    lag_tests: pd.DataFrame  # per lag class vs pooled: lag_class, chi2, dof, p_value


def _long(counts: pd.DataFrame, probabilities: pd.DataFrame) -> pd.DataFrame:
    table = counts.stack().rename("count").to_frame()
    table["probability"] = probabilities.stack()
    table.index.names = ["from_class", "to_class"]
    return table.reset_index()


def _matrix(
    values: pd.DataFrame | pd.Series, ids: list[str] | None, relative: bool
) -> tuple[np.ndarray, list[str], list[int]]:
    y, regions, years = region_year_matrix(values, ids)
    if len(years) < 2:
        raise InputError("马尔可夫链至少需要两年数据 / a Markov chain needs at least two years")
    if relative:
        means = y.mean(axis=0)
        if (means <= 0).any():
            year = years[int(np.argmax(means <= 0))]
            raise InputError(
                f"{year} 年均值不为正，无法计算相对值 / the mean in {year} is not positive, so "
                "relative values are undefined",
                column=str(year),
            )
        y = y / means
    return y, regions, years


def _classify(y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    _, mapclassify, _ = _giddy()
    if k < 2:
        raise InputError("类别数 k 至少为 2 / k must be at least 2", value=k)
    if np.unique(y).size < k:
        raise InputError(
            f"不同取值少于 {k} 个，无法分为 {k} 个分位类 / fewer than {k} distinct values, so "
            f"{k} quantile classes cannot be formed",
            value=k,
        )
    with warnings.catch_warnings():
        # mapclassify warns and lowers k on ties; the check below turns that into our error.
        warnings.simplefilter("ignore", UserWarning)
        q = mapclassify.Quantiles(y.ravel(), k=k)
    if len(q.bins) < k:
        raise InputError(
            f"分位点重合，只能分出 {len(q.bins)} 类 / tied quantiles leave only {len(q.bins)} "
            f"classes instead of {k}",
            value=k,
        )
    return q.yb.reshape(y.shape), np.asarray(q.bins[:-1], dtype=float)


def _tests_frame(homogeneity) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "statistic": [float(homogeneity.Q), float(homogeneity.LR)],
            "dof": [int(homogeneity.dof)] * 2,
            "p_value": [float(homogeneity.Q_p_value), float(homogeneity.LR_p_value)],
        },
        index=pd.Index(["Q", "LR"], name="test"),
    )


def _time_homogeneity(class_ids: np.ndarray, k: int) -> pd.DataFrame:
    gm, _, _ = _giddy()
    transitions = class_ids.shape[1] - 1
    if transitions < 2:
        return pd.DataFrame(
            {"statistic": np.nan, "dof": 0, "p_value": np.nan},
            index=pd.Index(["Q", "LR"], name="test"),
        )
    split = -(-transitions // 2)  # ceil: the earlier half takes the odd transition
    halves = (class_ids[:, : split + 1], class_ids[:, split:])
    counts = [gm.Markov(h, classes=np.arange(k), summary=False).transitions for h in halves]
    return _tests_frame(gm.homogeneity(counts))


def _markov_result(class_ids: np.ndarray, cutoffs, regions, years, k: int) -> MarkovResult:
    gm, _, _ = _giddy()
    chain = gm.Markov(class_ids, classes=np.arange(k), summary=False)
    labels = pd.Index(range(1, k + 1), name="from_class")
    to_labels = pd.Index(range(1, k + 1), name="to_class")
    counts = pd.DataFrame(chain.transitions.astype(int), index=labels, columns=to_labels)
    probs = pd.DataFrame(chain.p, index=labels, columns=to_labels)
    steady = np.asarray(chain.steady_state, dtype=float)
    if steady.shape != (k,):
        # A reducible chain has no unique ergodic distribution.
        steady = np.full(k, np.nan)
    steady = pd.Series(steady, index=labels.rename("class"))
    classes = pd.DataFrame(class_ids + 1, index=pd.Index(regions, name="region"), columns=years)
    return MarkovResult(
        cutoffs,
        classes,
        counts,
        probs,
        steady.rename("probability"),
        _time_homogeneity(class_ids, k),
    )


def markov(values: pd.DataFrame | pd.Series, *, k: int = 4, relative: bool = False) -> MarkovResult:
    """Classic Markov chain on pooled quantile classes (see the module docstring)."""
    y, regions, years = _matrix(values, None, relative)
    class_ids, cutoffs = _classify(y, k)
    return _markov_result(class_ids, cutoffs, regions, years, k)


def spatial_markov(
    values: pd.DataFrame | pd.Series, w: W, *, k: int = 4, relative: bool = False
) -> SpatialMarkovResult:
    """Spatial Markov chain with lag classes from ``w`` (row-standardised copy) and its tests."""
    gm, _, weights = _giddy()
    y, regions, years = _matrix(values, [str(i) for i in w.id_order], relative)
    class_ids, cutoffs = _classify(y, k)
    wr = weights.W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    wr.transform = "r"
    sm = gm.Spatial_Markov(y, wr, k=k, m=k, fixed=True, cutoffs=cutoffs)
    pooled = _markov_result(class_ids, cutoffs, regions, years, k)
    frames = []
    for lag in range(sm.m):
        idx = pd.Index(range(1, k + 1), name="from_class")
        cols = pd.Index(range(1, k + 1), name="to_class")
        table = _long(
            pd.DataFrame(sm.T[lag], index=idx, columns=cols),
            pd.DataFrame(sm.P[lag], index=idx, columns=cols),
        )
        table.insert(0, "lag_class", lag + 1)
        frames.append(table)
    transitions = pd.concat(frames, ignore_index=True)
    transitions["count"] = transitions["count"].astype(int)
    tests = _tests_frame(sm.ht)
    lag_tests = pd.DataFrame(
        [(lag + 1, float(c), int(d), float(p)) for lag, (c, p, d) in enumerate(sm.chi2)],
        columns=["lag_class", "chi2", "dof", "p_value"],
    )
    return SpatialMarkovResult(
        cutoffs, np.asarray(sm.lag_cutoffs, dtype=float), pooled, transitions, tests, lag_tests
    )

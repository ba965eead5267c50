"""Uncertainty and sensitivity of the ranks to the methodological choices (a JRC/COINr-style audit).

Each draw picks one option of each choice:

- ``normalisation``: ``minmax`` (the study's min–max with its shift), ``zscore`` (z-scores with
  ddof = 1, then one affine map common to all columns onto [shift, 1]: the columns keep the
  z-scores' relative scale, so arithmetic ranks are those of raw z-scores, and the values are
  positive for entropy and the geometric mean), ``rank`` (percentile ranks, shifted);
  year-by-year when the study normalises by year;
- ``weighting``: ``entropy``, ``critic``, ``equal``, ``cv`` (computed once per normalisation and
  imputation, over all region-years, as the study does);
- ``aggregation``: ``arithmetic``, ``geometric`` or ``topsis`` (flat: the study's composite under
  each equals Σ w z, Π z^w, or TOPSIS over all indicators with the effective weights);
- ``weight_perturbation``: a trigger factor (Saisana, Saltelli & Tarantola 2005) selecting one of
  ``POOL`` multiplicative perturbation patterns, each indicator weight times (1 + e), e ~ U(-p, p)
  drawn once from the seeded generator, then renormalised;
- ``imputation``: ``linear`` or ``parent_mean`` (the study's treatment step rerun on its
  indicator values for the option it did not use, only when the data have gaps);
- ``left_out``: no indicator, or one indicator left out (weight 0, the others renormalised; CRITIC
  recomputed without it, since its weights depend on the correlations: see
  :func:`ronghe.chain.weights.critic_left_out`). Indicators that are the
  only member of their dimension are not left out (the dimension would vanish).

Dimension weights follow the study: ``sum`` gives each dimension the sum of its indicators'
weights; any other method keeps the study's dimension weights.

Vectorisation: the normalised matrices of every normalisation × imputation pair and the weight
vectors of every weighting × left-out option are computed once; a chunk of draws is then scored
with one matrix product per (normalisation, imputation, aggregation) group on the rows of the
reported years only (TOPSIS needs the pooled ideal, taken from all rows beforehand:
d± = sqrt((Z - z±)² · w²) since the ideal of w z is w times that of z for w ≥ 0). The batch
forms are those of the entries of :data:`ronghe.chain.AGGREGATIONS` and the effective weights
those of :func:`ronghe.chain.effective_weights`: the study and the audit share one dispatch.

Sampling: one ``numpy.random.Generator(seed)`` draws the perturbation patterns and then the draws
(u ~ U[0, 1) per choice, option floor(u m)); the Sobol' design comes from
:func:`ronghe.methods.sensitivity.sobol_design` with the same seed. Draws are split into chunks of
fixed size and concatenated in order, so the single-process and the Dask runs give the same
numbers. Sobol' indices (:func:`~ronghe.methods.sensitivity.sobol_indices`) are those of the mean
absolute rank shift over the reported regions.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from ronghe import chain
from ronghe import methods as m
from ronghe.chain.weights import critic_left_out
from ronghe.errors import InputError, MethodError, RongheError, RongheWarning
from ronghe.frameworks import Framework
from ronghe.methods.sensitivity import (
    AGGREGATIONS,
    IMPUTATIONS,
    NORMALISATIONS,
    WEIGHTINGS,
    Choice,
    SobolDesign,
    rank_stats,
    sobol_design,
    sobol_indices,
)
from ronghe.result import Result, State
from ronghe.study import Study

Progress = Callable[[int, int], None]
POOL = 1024
CHUNK = 512
NAMES = ("normalisation", "weighting", "aggregation", "weight_perturbation", "imputation",
         "left_out")
_ALLOWED = {"normalisation": NORMALISATIONS, "weighting": WEIGHTINGS,
            "aggregation": AGGREGATIONS, "imputation": IMPUTATIONS}


@dataclass(frozen=True)
class Draw:
    """The choices of one draw; ``factors`` are the weight multipliers 1 + e per indicator."""

    normalisation: str
    weighting: str
    aggregation: str
    factors: np.ndarray
    imputation: str
    left_out: str | None


@dataclass
class _Engine:
    """Everything a chunk of draws needs, as plain arrays (shipped once to Dask workers)."""

    prepared: dict[str, tuple[np.ndarray, ...]]  # aggregation -> its arrays, each (imp, norm, ...)
    base_w: np.ndarray  # (imp, norm, weighting, left_out, k)
    patterns: np.ndarray  # (POOL, k) multipliers 1 + e
    groups: list[np.ndarray]  # column indices of each dimension
    fixed_W: np.ndarray | None  # dimension weights, None when they follow the indicator weights
    left_col: np.ndarray  # (left_out,) column left out, -1 for none
    year_groups: list[np.ndarray]
    aggregations: tuple[str, ...]
    rows: int

    def effective(self, w: np.ndarray, left: np.ndarray) -> np.ndarray:
        """Effective weights W_d w_j / Σ_{i in d} w_i of a batch of indicator weights."""
        if self.fixed_W is None:
            return w
        active = np.ones_like(w, dtype=bool)
        cols = self.left_col[left]
        active[np.flatnonzero(cols >= 0), cols[cols >= 0]] = False
        return chain.effective_weights(w, self.fixed_W, self.groups, active)

    def ranks(self, codes: np.ndarray) -> np.ndarray:
        """Ranks (draws x reported rows; 1 = best within its year) of a chunk of draws."""
        norm, wgt, agg, pert, imp, left = codes.T
        w = self.base_w[imp, norm, wgt, left] * self.patterns[pert]
        w = self.effective(w / w.sum(axis=1, keepdims=True), left)
        comp = np.empty((codes.shape[0], self.rows))
        for key in np.unique(np.column_stack([imp, norm, agg]), axis=0):
            i, n, a = (int(v) for v in key)
            sel = np.flatnonzero((imp == i) & (norm == n) & (agg == a))
            name = self.aggregations[a]
            prepared = tuple(part[i, n] for part in self.prepared[name])
            comp[sel] = chain.AGGREGATIONS[name].batch(prepared, w[sel])
        out = np.empty(comp.shape, dtype=np.int32)
        for g in self.year_groups:
            out[:, g] = descending_ranks(comp[:, g])
        return out


def descending_ranks(values: np.ndarray) -> np.ndarray:
    """Rank of each entry within its row, 1 for the largest, tied entries sharing the smallest
    rank (``scipy.stats.rankdata(-values, method="min", axis=1)``, which sorts stably and is
    several times slower on wide rows). Sorting descending puts ties next to each other, so a
    running maximum of the first position of each run of equal values gives the rank."""
    order = np.argsort(-values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    start = np.ones(ordered.shape, dtype=bool)
    start[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    position = np.arange(1, values.shape[1] + 1, dtype=np.int32)
    first = np.maximum.accumulate(np.where(start, position, 0), axis=1)
    out = np.empty(values.shape, dtype=np.int32)
    np.put_along_axis(out, order, first, axis=1)
    return out


def _chunk_ranks(codes: np.ndarray, engine: _Engine) -> np.ndarray:
    return engine.ranks(codes)


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics per region-year over the Monte Carlo draws, and Sobol' indices."""

    table: pd.DataFrame
    sobol: pd.DataFrame
    ranks: np.ndarray
    codes: np.ndarray
    choices: tuple[Choice, ...]
    patterns: np.ndarray
    indicator_ids: list[str]
    draws: int
    sobol_n: int
    seed: int
    perturbation: float
    note: str

    def draw(self, i: int) -> Draw:
        """The choices of Monte Carlo draw ``i``."""
        c = self.codes[i]
        opts = [ch.options for ch in self.choices]
        left = opts[5][c[5]]
        return Draw(
            normalisation=str(opts[0][c[0]]),
            weighting=str(opts[1][c[1]]),
            aggregation=str(opts[2][c[2]]),
            factors=self.patterns[c[3]].copy(),
            imputation=str(opts[4][c[4]]),
            left_out=None if left is None else self.indicator_ids[int(left)],
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        rows = []
        for ch in self.choices:
            if ch.name == "weight_perturbation":
                p = self.perturbation
                text = f"{len(ch.options)} patterns, e ~ U(-{p}, {p})" if p else "none"
            elif ch.name == "left_out":
                text = ", ".join("none" if o is None else self.indicator_ids[cast(int, o)]
                                 for o in ch.options)
            else:
                text = ", ".join(map(str, ch.options))
            rows.append((ch.name, text))
        options = pd.DataFrame(rows, columns=["choice", "options"])
        return {"rank_uncertainty": self.table, "sobol": self.sobol, "choices": options}

    def notes(self) -> list[tuple[str, str]]:
        return [("抽样 draws", f"{self.draws} (seed {self.seed})"), ("说明 note", self.note)]


# ---------------------------------------------------------------------- set-up
def _choices(result: Result, options: Mapping[str, Sequence] | None,
             perturbation: float) -> tuple[Choice, ...]:
    s = result.state
    given = dict(options or {})
    choosable = set(NAMES) - {"weight_perturbation"}
    unknown = sorted(set(given) - choosable)
    if unknown:
        raise InputError(f"cannot restrict {unknown[0]!r}; restrict one of "
                         f"{', '.join(sorted(choosable))} (the perturbation is set by "
                         "perturbation=)")
    picked = {}
    for name, allowed in _ALLOWED.items():
        opts = tuple(given.get(name, allowed))
        bad = [o for o in opts if o not in allowed]
        if bad or not opts:
            raise InputError(f"{name}: option {bad[0] if bad else None!r} is not one of "
                             f"{', '.join(allowed)}")
        picked[name] = opts
    sizes = np.array([len(idx) for idx in s.members])
    dim_size = {j: sizes[d] for d, idx in enumerate(s.members) for j in idx}
    eligible = [j for j in range(len(s.indicator_ids)) if dim_size[j] > 1]
    if "left_out" in given:
        ids = list(s.indicator_ids)
        wanted = [None if o in (None, "none") else o for o in given["left_out"]]
        for o in wanted:
            if o is not None and (o not in ids or ids.index(o) not in eligible):
                raise InputError("cannot be left out (unknown, or alone in its dimension)",
                                 indicator=str(o))
        left = tuple(None if o is None else ids.index(o) for o in wanted)
    else:
        left = (None, *eligible)
    if not 0 <= perturbation < 1:
        raise InputError(f"weight perturbation must lie in [0, 1), got {perturbation}")
    pool = POOL if perturbation > 0 else 1
    return (
        Choice.discrete("normalisation", picked["normalisation"]),
        Choice.discrete("weighting", picked["weighting"]),
        Choice.discrete("aggregation", picked["aggregation"]),
        Choice.discrete("weight_perturbation", tuple(range(pool))),
        Choice.discrete("imputation", picked["imputation"]),
        Choice.discrete("left_out", left),
    )


def _with(result: Result, **changes: object) -> Study:
    """A Study of the same panel and framework with nested settings replaced
    (``treatment__imputation="linear"`` style keys)."""
    s = result.state
    data = s.settings.model_dump()
    for key, value in changes.items():
        if key == "framework":
            continue
        *path, last = key.split("__")
        node = data
        for p in path:
            node = node[p]
        node[last] = value
    framework = cast(Framework, changes.get("framework", s.framework))
    return Study(s.panel, framework, data)


Treated = tuple[np.ndarray, np.ndarray]  # (X after treatment, X after imputation only)


def _values(state: State) -> Treated:
    X = state.X
    return X, X if state.imputed is None else state.imputed


def _retreated(s: State, imputation: str) -> Treated:
    """:func:`ronghe.chain.treat` with another imputation on the study's indicator values
    (undefined ones screened as the indicator step does), without a whole ``evaluate()``."""
    X = np.where(np.isinf(s.raw), np.nan, s.raw)
    ind = chain.Indicators(ids=list(s.indicator_ids), regions=s.regions, years=s.years,
                           raw=s.raw, X=X)
    parent = s.panel.regions["province"].reindex(s.regions).to_numpy()
    spec = s.settings.treatment.model_copy(update={"imputation": imputation})
    done = chain.treat(ind, parent, spec, s.panel.source or None)
    return done.X, done.imputed


def _treated(result: Result, imputations: Sequence[str]) -> tuple[dict[str, Treated], str]:
    """Indicator values under each imputation option, treated (for the scores) and imputed only
    (for CV weights, which need the indicators' own ratio scale); an option that cannot fill the
    gaps of these data (``parent_mean`` with a year that has no value at all) is dropped, and the
    returned note says so."""
    s = result.state
    gaps = not np.isfinite(s.raw).all()
    out, dropped = {}, []
    for imp in imputations:
        if not gaps or imp == s.settings.treatment.imputation:
            out[imp] = _values(s)
            continue
        try:
            out[imp] = _retreated(s, imp)
        except RongheError as exc:
            dropped.append(f"{imp} ({exc})")
    if not out:
        raise InputError(f"no imputation option works on these data: {'; '.join(dropped)}")
    note = ""
    if dropped:
        note = f"插补选项已剔除 / imputation option dropped: {'; '.join(dropped)}"
        warnings.warn(note, RongheWarning, stacklevel=3)
    return out, note


def _usable(result: Result, choices: tuple[Choice, ...], X_of: dict[str, Treated],
            given: Mapping[str, Sequence]) -> tuple[tuple[Choice, ...], str]:
    """Drop default options that cannot run on these data, with a note: a normalisation the data
    do not allow (z-scores of a year with a single region), the geometric mean when a score can
    be 0 (shift 0 under min–max or z-score), CV weights when an indicator is not ratio-scale.
    Options the caller asked for explicitly are kept (they then fail, saying why)."""
    norms, wgts, aggs = (_names(c) for c in choices[:3])
    notes = []
    if "normalisation" not in given and len(norms) > 1:
        for norm in norms:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    for X, _imputed in X_of.values():
                        _normalised(result, X, norm)
            except MethodError as exc:  # z-scores of a year with one region, say
                norms = tuple(n for n in norms if n != norm)
                notes.append(f"{norm} ({exc})")
    if ("aggregation" not in given and "geometric" in aggs and len(aggs) > 1
            and result.state.settings.normalization.shift == 0 and set(norms) != {"rank"}):
        aggs = tuple(a for a in aggs if a != "geometric")
        notes.append("geometric (normalization.shift is 0, so some scores are 0)")
    if "weighting" not in given and "cv" in wgts and len(wgts) > 1:
        for _treated_x, imputed in X_of.values():
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m.cv_weights(imputed, names=result.state.indicator_ids)
            except MethodError as exc:
                wgts = tuple(w for w in wgts if w != "cv")
                notes.append(f"cv ({exc})")
                break
    if not notes:
        return choices, ""
    note = f"选项已剔除 / option dropped: {'; '.join(notes)}"
    warnings.warn(note, RongheWarning, stacklevel=3)
    return (Choice.discrete("normalisation", norms), Choice.discrete("weighting", wgts),
            Choice.discrete("aggregation", aggs), *choices[3:]), note


def _normalised(result: Result, X: np.ndarray, method: str) -> np.ndarray:
    s = result.state
    return chain.normalise(X, s.framework.directions(), s.settings.normalization, s.years,
                           method=method)


def _weights(method: str, X: np.ndarray, Z: np.ndarray, left: tuple, ids: list[str]
             ) -> np.ndarray:
    """Base weights (left-out options x k) of a single method (:func:`ronghe.chain.single`,
    CV on the imputed X); the left-out column gets 0, the others are scaled to sum 1."""
    k = Z.shape[1]
    try:
        if method == "critic":  # depends on the correlations: recomputed without the column
            return critic_left_out(Z, left)
        full = chain.single(method, chain.WeightData(X=X, Z=Z, ids=ids),
                            chain.WeightSpec(method, setting="weighting"))
        out = np.empty((len(left), k))
        for i, j in enumerate(left):
            if j is None:
                out[i] = full
            else:
                w = full.copy()
                w[j] = 0.0
                out[i] = w / w.sum() if w.sum() > 0 else np.where(np.arange(k) == j, 0, 1 / (k - 1))
    except MethodError as exc:
        raise InputError(f"weighting {method!r} cannot be computed on these data ({exc}); "
                         "leave it out of the options") from None
    return out


def _engine(result: Result, choices: tuple[Choice, ...], rows: np.ndarray,
            patterns: np.ndarray, X_of: dict[str, Treated]) -> _Engine:
    s = result.state
    norms, wgts, aggs, imps = (_names(choices[i]) for i in (0, 1, 2, 4))
    left = choices[5].options
    k = len(s.indicator_ids)
    shape = (len(imps), len(norms))
    prepared: dict[str, tuple[np.ndarray, ...]] = {}
    base_w = np.empty((*shape, len(wgts), len(left), k))
    cap = s.settings.weighting.cap
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant-column notices repeat for every variant
        for i, imp in enumerate(imps):
            for n, norm in enumerate(norms):
                full = _normalised(result, X_of[imp][0], norm)
                for name in aggs:
                    parts = chain.AGGREGATIONS[name].prepare(full, rows)
                    if name not in prepared:
                        prepared[name] = tuple(np.empty((*shape, *p.shape)) for p in parts)
                    for store, p in zip(prepared[name], parts, strict=True):
                        store[i, n] = p
                for g, method in enumerate(wgts):
                    base = _weights(method, X_of[imp][1], full, left, s.indicator_ids)
                    base_w[i, n, g] = np.vstack([chain.cap(row, method, cap) for row in base])
    dims = chain.DimensionSpec.of(s.settings.weighting, s.framework)
    follows = chain.DIMENSION_WEIGHTINGS[dims.method].follows_indicators
    years = s.years[rows]
    return _Engine(
        prepared=prepared, base_w=base_w, patterns=patterns, groups=list(s.members),
        fixed_W=None if follows else s.dimension_weights.copy(),
        left_col=np.array([-1 if j is None else j for j in left]),
        year_groups=[np.flatnonzero(years == y) for y in np.unique(years)],
        aggregations=tuple(aggs), rows=int(rows.size),
    )


def _names(choice: Choice) -> tuple[str, ...]:
    """The options of a choice named by strings (normalisation, weighting, ...)."""
    return tuple(map(str, choice.options))


def _codes(choices: tuple[Choice, ...], u: np.ndarray) -> np.ndarray:
    return np.column_stack([c.codes(u[:, j]) for j, c in enumerate(choices)])


# ----------------------------------------------------------------- execution
def _run(engine: _Engine, codes: np.ndarray, chunk: int, scheduler: str | None,
         progress: Progress | None) -> np.ndarray:
    """Ranks of every row of ``codes``, chunk by chunk, in order (locally or on Dask)."""
    chunks = [codes[i:i + chunk] for i in range(0, codes.shape[0], chunk)]
    say = progress or (lambda _done, _total: None)
    total = codes.shape[0]
    if scheduler is None:
        out, done = [], 0
        for c in chunks:
            out.append(_chunk_ranks(c, engine))
            done += c.shape[0]
            say(done, total)
        return np.concatenate(out)
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RongheError('the Dask backend needs dask.distributed: pip install "ronghe[dist]"'
                          ) from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(processes=False, n_workers=1, threads_per_worker=os.cpu_count(),
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=10)
        except OSError as exc:
            raise RongheError(f"cannot reach the Dask scheduler at {scheduler!r} ({exc})"
                              ) from None
    try:
        remote = client.scatter(engine, broadcast=True)
        futures = client.map(_chunk_ranks, chunks, engine=remote, pure=False)
        done = 0
        for f in as_completed(futures):
            done += int(f.result().shape[0])
            say(done, total)
        return np.concatenate(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _report_rows(result: Result, year: int | str | None) -> np.ndarray:
    s = result.state
    if year == "all":
        return np.arange(s.years.size)
    y = int(s.years.max()) if year is None else int(year)
    rows = np.flatnonzero(s.years == y)
    if rows.size == 0:
        raise InputError(f"the study has no year {y}")
    return rows


def uncertainty(
    result: Result,
    draws: int = 1000,
    seed: int = 0,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    year: int | str | None = None,
    perturbation: float = 0.25,
    options: Mapping[str, Sequence] | None = None,
    sobol_n: int | None = None,
    chunk: int = CHUNK,
) -> UncertaintyResult:
    """Monte Carlo over the methodological choices (module docstring) for the ranks of ``year``
    (the last year by default, ``"all"`` for every year, ranks within each year).

    ``draws``: Monte Carlo draws (0 gives the nominal ranks with no spread and no Sobol' indices).
    ``options``: restrict a choice to some of its options, e.g. ``{"aggregation": ["arithmetic"]}``
    (``left_out`` takes indicator ids and ``"none"``). ``sobol_n``: base size of the Sobol' design
    (a power of two; default the largest with n (d + 2) <= draws, at least 8; 0 skips it).
    ``scheduler``: None (this process), ``"local"`` (a local Dask cluster) or a Dask scheduler
    address; the numbers are the same for every scheduler. ``progress(done, total)`` is called
    after each chunk.
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 0:
        raise InputError(f"draws must be a whole number >= 0, got {draws!r}")
    if not isinstance(chunk, int) or chunk < 1:
        raise InputError(f"chunk must be a positive whole number, got {chunk!r}")
    s = result.state
    choices = _choices(result, options, perturbation)
    rows = _report_rows(result, year)
    d = len(choices)
    X_of, dropped = _treated(result, _names(choices[4])) if draws else ({}, "")
    if draws and len(X_of) < len(choices[4].options):
        choices = (*choices[:4], Choice.discrete("imputation", tuple(X_of)), choices[5])
    if draws:
        choices, unusable = _usable(result, choices, X_of, options or {})
        dropped = "; ".join(t for t in (dropped, unusable) if t)
    rng = np.random.default_rng(seed)
    k = len(s.indicator_ids)
    pool = len(choices[3].options)
    patterns = 1.0 + (rng.uniform(-perturbation, perturbation, (pool, k)) if perturbation > 0
                      else np.zeros((1, k)))
    mc = _codes(choices, rng.random((int(draws), d)))
    if sobol_n is None:
        base = max(int(draws) // (d + 2), 8)
        sobol_n = 2 ** int(np.floor(np.log2(base))) if draws else 0
    design = sobol_design(choices, int(sobol_n), seed) if sobol_n else None
    sob_codes = _codes(choices, design.u) if design is not None else np.empty((0, d), int)
    codes = np.concatenate([mc, sob_codes]).astype(np.int64)
    if codes.shape[0]:
        engine = _engine(result, choices, rows, patterns, X_of)
        # bound a chunk's working arrays (draws x reported rows) to about 4M values
        chunk = min(chunk, max(8, 2**22 // rows.size))
        ranks = _run(engine, codes, chunk, scheduler, progress)
    else:
        ranks = np.empty((0, rows.size), dtype=np.int32)
    nominal = result.index["rank"].to_numpy()[rows]
    mc_ranks = ranks[: int(draws)]
    table = result.index.iloc[rows][["region", "name_zh", "province", "year"]].reset_index(
        drop=True)
    table["nominal_rank"] = nominal
    if draws:
        st = rank_stats(mc_ranks, nominal)
        table["median_rank"], table["p05_rank"], table["p95_rank"] = st.median, st.p05, st.p95
        table["mean_abs_shift"] = st.mean_abs_shift
    else:
        for col in ("median_rank", "p05_rank", "p95_rank"):
            table[col] = nominal.astype(float)
        table["mean_abs_shift"] = 0.0
    table["rank_range_90"] = table["p95_rank"] - table["p05_rank"]
    sobol, note = _sobol(choices, design, ranks[int(draws):], nominal, seed)
    note = f"{note}; {dropped}" if dropped else note
    return UncertaintyResult(
        table=table, sobol=sobol, ranks=mc_ranks, codes=mc, choices=choices, patterns=patterns,
        indicator_ids=list(s.indicator_ids), draws=int(draws), sobol_n=int(sobol_n), seed=seed,
        perturbation=perturbation, note=note,
    )


def _sobol(choices: tuple[Choice, ...], design: SobolDesign | None, ranks: np.ndarray, nominal: np.ndarray,
           seed: int) -> tuple[pd.DataFrame, str]:
    cols = ["choice", "S1", "S1_conf", "ST", "ST_conf"]
    empty = pd.DataFrame({"choice": [c.name for c in choices]}).reindex(columns=cols)
    if design is None:
        return empty, "Sobol' 指数未计算 / Sobol' indices not computed (no design)"
    Y = np.abs(ranks - nominal[None, :]).mean(axis=1)
    if Y.std() == 0:
        return empty, ("所有抽样的排名相同，Sobol' 指数无定义 / every draw gives the same ranks; "
                       "Sobol' indices are undefined")
    idx = sobol_indices(choices, Y, seed=seed)
    df = pd.DataFrame({"choice": list(idx.names), "S1": idx.S1, "S1_conf": idx.S1_conf,
                       "ST": idx.ST, "ST_conf": idx.ST_conf})
    return df, (f"Sobol' 指数：{design.u.shape[0]} 个设计点上地区平均绝对排名变动的方差分解 / "
                f"Sobol' indices of the mean absolute rank shift over {design.u.shape[0]} "
                "design points")


# ------------------------------------------------------------------ reference
def study_ranks(result: Result, draw: Draw, year: int | str | None = None) -> np.ndarray:
    """Ranks of one draw computed the slow way, by running the Study with the draw's choices
    (a framework without the left-out indicator; a second run with the perturbed weights fixed).
    Only draws the Study can express: ``zscore`` (rescaled) has no Study equivalent."""
    if draw.normalisation == "zscore":
        raise InputError("the rescaled z-score of the audit has no Study equivalent")
    s = result.state
    fw: Framework = s.framework
    keep = list(s.indicator_ids)
    if draw.left_out is not None:
        body = fw.model_dump(by_alias=True)
        for dim in body["dimensions"]:
            dim["indicators"] = [i for i in dim["indicators"] if i["id"] != draw.left_out]
        fw = Framework.model_validate(body)
        keep.remove(draw.left_out)
    common = dict(framework=fw, normalization__method=draw.normalisation,
                  aggregation=draw.aggregation, treatment__imputation=draw.imputation)
    first = _with(result, weighting__indicators=draw.weighting, **common).evaluate()
    factors = draw.factors[[s.indicator_ids.index(i) for i in keep]]
    w = first.state.weights * factors
    fixed = dict(zip(keep, (w / w.sum()).tolist(), strict=True))
    second = _with(result, weighting__indicators="fixed", weighting__fixed=fixed,
                   **common).evaluate()
    return second.index["rank"].to_numpy()[_report_rows(result, year)]

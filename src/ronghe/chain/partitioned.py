"""Out of core: the evaluation chain over the partitions of a source — a folder of Parquet files
(one partition per file), a table of a DuckDB file or a ronghe store (ranges of region codes,
:mod:`ronghe.chain.sources`) — in bounded memory, with the results of
:meth:`ronghe.Study.evaluate` (to 1e-12; the tests check it).

The chain's steps are row-wise once their pooled statistics are given (:mod:`ronghe.chain`), so
the runner is a first pass that computes those statistics from every partition and a second that
maps each partition on its own:

1. statistics, pass by pass over the partitions (each reads one partition and returns sums):
   indicators and the within-region imputation step (each partition holds all years of its
   regions), the parent-year and year means (:mod:`ronghe.chain.pooled`); then, one indicator
   column at a time, the outlier rule of :func:`ronghe.methods.treat_outliers` on the whole column
   (a clip to the winsorised range, or the column's log transform) and the min–max anchors; then
   the column sums, extremes and centred cross-products that the weights need;
2. row-wise: scores with the pooled anchors, dimension scores and TOPSIS with the pooled ideals
   (``reference``), coupling and obstacle degrees; each partition's tables are written to
   ``<out>/<table>/part-NNNNN.parquet``; the rank within the year, the one pooled quantity of the
   index table, is added from the sorted composites of each year.

Memory: one partition's arrays, one indicator column of the whole panel (8 bytes a region-year)
and a few floats per region-year (composite and year, for the ranks). Between passes each
partition's imputed indicator values are kept in a work folder as ``.npy`` files (columns
contiguous), so the raw panel is read once.

The partitions are mapped by an executor, ``map(function, items) -> list``: in this process
(:func:`local_map`) or on a Dask ``distributed`` cluster (:func:`ronghe.chain.distributed.dask_map`);
the work folder must then be visible to every worker.

Settings that need all rows at once are refused with a one-line error naming them:
``normalization.method`` ``zscore`` or ``rank`` and ``normalization.scope: year`` (their anchors are
not min–max), and a region whose rows are split over two files (``lag``/``growth`` and the
within-region imputation need all of a region's years in one partition; a range of region codes
cannot split a region).
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ronghe import chain
from ronghe import methods as m
from ronghe.chain.pooled import GroupSums, ImputationMeans, Moments, Spread, pooled_weights
from ronghe.chain.sources import ParquetFolder, Part, Source
from ronghe.chain.sources import partitions as partitions  # moved there, still importable here
from ronghe.chain.sources import read_partition as read_partition
from ronghe.errors import InputError
from ronghe.frameworks import Framework, load_framework
from ronghe.panel import Panel
from ronghe.result import Result, State
from ronghe.settings import Settings

Executor = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]
TABLES = ("index", "coupling", "obstacles", "treatment")
#: treatment log actions, stored as codes in the work folder
ACTIONS = ("undefined", "imputed: linear", "imputed: carry", "imputed: parent_mean",
           "imputed: year_mean", "winsorised", "log")


LOG_DTYPE = np.dtype([("row", np.int64), ("col", np.int64), ("code", np.int8), ("old", "f8"),
                      ("new", "f8")])


def _records(dtype: np.dtype, **fields: Any) -> np.ndarray:
    """A structured array of ``dtype`` from its fields (arrays of one length)."""
    first = next(iter(fields.values()))
    out = np.empty(np.size(first), dtype=dtype)
    for name, values in fields.items():
        out[name] = values
    return out


def local_map(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """Run the partitions one after another in this process."""
    return [fn(item) for item in items]


@dataclass(frozen=True)
class Job:
    """What every partition task needs: the framework, the settings and the work folder."""

    framework: Framework
    settings: Settings
    work: str

    def file(self, i: int, what: str) -> Path:
        return Path(self.work) / f"{what}-{i:05d}.npy"


@dataclass(frozen=True)
class OutlierRule:
    """The outlier rule of one column as a row-wise map: a clip to [lo, hi] (winsorised), the
    column's log transform, or nothing."""

    action: str  # "", "winsorised" or "log"
    lo: float = -np.inf
    hi: float = np.inf
    log: chain.LogTransform | None = None

    def apply(self, x: np.ndarray) -> np.ndarray:
        if self.log is not None:
            return self.log.apply(x)
        return np.clip(x, self.lo, self.hi) if self.action else x


def check_settings(s: Settings) -> None:
    """Refuse the settings the two passes cannot reproduce (module docstring)."""
    if s.normalization.method not in chain.ANCHORED:
        raise InputError(f"normalization.method {s.normalization.method!r} needs every row at "
                         "once; the out-of-core path supports 'minmax' and 'target'")
    if s.normalization.scope != "global":
        raise InputError("normalization.scope 'year' is not supported on the out-of-core path "
                         "(use 'global')")


# ------------------------------------------------------------------ pass 1
def _indicators(job: Job, item: tuple[int, Part]) -> tuple[list[str], GroupSums, int]:
    """Indicators of one partition and the within-region imputation step; returns its regions,
    its parent-year sums and its number of rows."""
    i, part = item
    s = job.settings
    panel = part.read()
    panel.regions[["name_zh", "province"]].to_parquet(Path(job.work) / f"meta-{i:05d}.parquet")
    ind = chain.indicators(chain.indicator_values(panel, job.framework, None), part.name,
                           whole=False)
    parent = panel.regions["province"].reindex(ind.regions).to_numpy()
    X = ind.X
    rows, cols, codes, old, new = [], [], [], [], []
    for entry in ind.log:  # undefined formula values
        size = np.size(entry["row"])
        rows.append(entry["row"])
        cols.append(entry["col"])
        old.append(entry["old"])
        codes.append(np.zeros(size))
        new.append(np.full(size, np.nan))
    if np.isnan(X).any():
        if s.treatment.imputation == "none":
            chain.IMPUTATIONS["none"](X, ind, parent, part.name, False)
        if s.treatment.imputation == "linear":
            X, step = _within_regions(X, ind)
            for r, c, code, v in step:
                rows.append(r)
                cols.append(c)
                codes.append(np.full(r.size, code))
                old.append(np.full(r.size, np.nan))
                new.append(v)
    np.save(job.file(i, "X"), np.ascontiguousarray(X.T))
    regions, parents = ind.regions.astype(str), parent.astype(str)
    np.save(job.file(i, "keys"), _records(
        np.dtype([("region", regions.dtype), ("year", np.int64), ("parent", parents.dtype)]),
        region=regions, year=ind.years, parent=parents))
    _save_log(job, i, "log1", rows, cols, codes, old, new)
    return (np.unique(ind.regions.astype(str)).tolist(), GroupSums.of(X, parent, ind.years),
            X.shape[0])


def _within_regions(X: np.ndarray, ind: chain.Indicators
                    ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray, int, np.ndarray]]]:
    """The first step of :func:`ronghe.methods.impute_panel` (``linear``): the kernel run on the
    partition without parents, keeping only what it filled within a region (a region with a value
    in the column); the later steps need the pooled means."""
    live = np.flatnonzero(~np.isnan(X).all(axis=0))  # a column empty here has nothing to do
    out = X.copy()
    if live.size == 0:
        return out, []
    filled, log = m.impute_panel(X[:, live], ind.regions, ind.years, parent=None,
                                 method="linear")
    seen = pd.DataFrame(~np.isnan(X)).groupby(np.asarray(ind.regions, dtype=str)).transform(
        "any").to_numpy()
    step = []
    for code, method in ((1, "linear"), (2, "carry")):
        pick = log[log["method"] == method]
        r, c = pick["row"], live[pick["col"]]
        keep = seen[r, c]
        r, c, v = r[keep], c[keep], filled[pick["row"][keep], pick["col"][keep]]
        out[r, c] = v
        step.append((r, c, code, v))
    return out, step


def _save_log(job: Job, i: int, name: str, rows: list, cols: list, codes: list, old: list,
              new: list) -> None:
    def cat(parts: list) -> np.ndarray:
        return np.concatenate(parts) if parts else np.empty(0)
    np.save(job.file(i, name), _records(LOG_DTYPE, row=cat(rows), col=cat(cols),
                                        code=cat(codes), old=cat(old), new=cat(new)))


def _impute(job: Job, means: ImputationMeans, i: int) -> None:
    """The parent-year and year means, then the nearest year (as the kernel's last step)."""
    X = np.load(job.file(i, "X")).T.copy()
    keys = np.load(job.file(i, "keys"))
    if np.isnan(X).any():
        log = means.fill(X, keys["parent"], keys["year"])
        rows = [r for r, *_ in log]
        cols = [c for _, c, *_ in log]
        codes = [np.full(r.size, ACTIONS.index(f"imputed: {lab}")) for r, _, lab, _ in log]
        new = [v for *_, v in log]
        if np.isnan(X).any():  # a year with no value at all in a column
            filled, last = m.impute_panel(X, keys["region"], keys["year"], method="parent_mean")
            X = filled
            rows.append(last["row"])
            cols.append(last["col"])
            new.append(last["value"])
            codes.append(np.full(last.size, ACTIONS.index("imputed: carry")))
        _save_log(job, i, "log2", rows, cols, codes, [np.full(r.size, np.nan) for r in rows], new)
        np.save(job.file(i, "X"), np.ascontiguousarray(X.T))
    else:
        _save_log(job, i, "log2", [], [], [], [], [])


def _column(job: Job, parts: list[int], j: int) -> np.ndarray:
    return np.concatenate([np.load(job.file(i, "X"), mmap_mode="r")[j] for i in parts])


def outlier_rules(job: Job, parts: list[int], k: int
                  ) -> tuple[list[OutlierRule], tuple[np.ndarray, np.ndarray]]:
    """The outlier rule of each column, from the kernel on the whole column, and the min–max
    anchors of the treated values."""
    spec = job.settings.treatment
    rules, lo, hi = [], np.empty(k), np.empty(k)
    for j in range(k):
        v = _column(job, parts, j)
        rule = OutlierRule("")
        if spec.outliers == "coinr":
            w, log = m.treat_outliers(v[:, None], skew_max=spec.skew_max,
                                      kurt_max=spec.kurt_max, max_winsor=spec.max_winsor)
            if log.size and log["action"][0] == "log":
                rule = OutlierRule("log", log=chain.LogTransform.recover(v, w[:, 0]))
            elif log.size:
                rule = OutlierRule("winsorised", float(w.min()), float(w.max()))
            v = w[:, 0]
        rules.append(rule)
        lo[j], hi[j] = v.min(), v.max()
    return rules, (lo, hi)


@dataclass(frozen=True)
class Scales:
    """The pooled statistics of the row-wise pass."""

    rules: list[OutlierRule]
    bounds: tuple[np.ndarray, np.ndarray]


def _treated(job: Job, sc: Scales, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(imputed, treated, scores) of partition i."""
    imputed = np.load(job.file(i, "X")).T
    X = np.column_stack([r.apply(imputed[:, j]) for j, r in enumerate(sc.rules)])
    with warnings.catch_warnings():  # constant columns: warned once, from the pooled anchors
        warnings.simplefilter("ignore")
        Z = chain.normalise(X, job.framework.directions(), job.settings.normalization,
                            bounds=sc.bounds)
    return imputed, X, Z


def _moments(job: Job, sc: Scales, i: int) -> Moments:
    imputed, _, Z = _treated(job, sc, i)
    return Moments.of(Z, imputed)


def _spread(job: Job, sc: Scales, mom: Moments, i: int) -> Spread:
    imputed, _, Z = _treated(job, sc, i)
    return Spread.of(Z, imputed, mom)


# ------------------------------------------------------------------ pass 2
@dataclass(frozen=True)
class Final:
    """Everything the row-wise pass needs besides the partition itself."""

    scales: Scales
    weights: np.ndarray
    dimension_weights: np.ndarray
    effective_weights: np.ndarray
    members: list[np.ndarray]
    reference: np.ndarray  # (2, k): the column maxima and minima of the scores (TOPSIS ideals)


def _state(job: Job, fin: Final, i: int) -> State:
    """The arrays of partition i after the whole chain, as a Result's state."""
    s, fw = job.settings, job.framework
    imputed, X, Z = _treated(job, fin.scales, i)
    keys = np.load(job.file(i, "keys"))
    meta = pd.read_parquet(Path(job.work) / f"meta-{i:05d}.parquet")
    w_eff, W = fin.effective_weights, fin.dimension_weights
    U = chain.dimension_scores(Z, w_eff, fin.members, s.aggregation, fin.reference)
    closeness = chain.closeness(Z, w_eff, fin.reference)
    spec = chain.CouplingSpec.of(s, fw)
    coupled = chain.couple(U, spec)
    empty = pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["region", "year"]))
    return State(
        framework=fw, settings=s, panel=Panel(empty, meta), regions=keys["region"].astype(object),
        years=keys["year"], indicator_ids=list(fw.indicator_ids), X=X, Z=Z,
        bounds=fin.scales.bounds, weights=fin.weights, dimension_weights=W,
        effective_weights=w_eff, members=fin.members, U=U,
        composite=chain.composite(U, W, s.aggregation, lambda: closeness), closeness=closeness,
        C=coupled.C, T=coupled.T, D=coupled.D, treated=_log(job, fin.scales, i, imputed, X),
        given={"raw": X, "imputed": imputed, "O": chain.obstacles(Z, w_eff, spec.best)},
    )


def _log(job: Job, sc: Scales, i: int, imputed: np.ndarray, X: np.ndarray
         ) -> list[dict[str, Any]]:
    """The treatment log of partition i in the Result's form (actions decoded here)."""
    parts = [np.load(job.file(i, name)) for name in ("log1", "log2")]
    for j, rule in enumerate(sc.rules):
        if rule.action:
            r = np.flatnonzero(X[:, j] != imputed[:, j]) if rule.action == "winsorised" else \
                np.arange(X.shape[0])
            parts.append(_records(LOG_DTYPE, row=r, col=np.full(r.size, j),
                                  code=np.full(r.size, ACTIONS.index(rule.action)),
                                  old=imputed[r, j], new=X[r, j]))
    names = np.asarray(ACTIONS, dtype=object)
    return [{"row": p["row"], "col": p["col"], "action": names[p["code"]], "old": p["old"],
             "new": p["new"]} for p in parts if p.size]


def _write(job: Job, fin: Final, out: str, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Write partition i's tables (the index without its rank); returns (years, composite)."""
    res = Result(_state(job, fin, i))
    obstacles = res.obstacles
    obstacles.columns = [f"{a}/{b}" for a, b in obstacles.columns]
    frames = {"index": res.index.drop(columns="rank"), "coupling": res.coupling,
              "obstacles": obstacles.reset_index(), "treatment": res.treatment}
    for name, frame in frames.items():
        frame.to_parquet(Path(out) / name / f"part-{i:05d}.parquet", index=False)
    return res.state.years, res.state.composite


def _rank(out: str, item: tuple[int, np.ndarray]) -> None:
    i, rank = item
    path = Path(out) / "index" / f"part-{i:05d}.parquet"
    frame = pd.read_parquet(path)
    frame.insert(frame.columns.tolist().index("index") + 1, "rank", rank)
    frame.to_parquet(path, index=False)


# ------------------------------------------------------------------ driver
def _catching(fn: Callable[[Any], Any], item: Any) -> tuple[Any, list[tuple[type, str]]]:
    """``fn(item)`` and the warnings it raised (a worker process would print them itself)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(item)
    return out, [(w.category, str(w.message)) for w in caught]


def _mapped(run: Executor, fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """``run(fn, items)`` with the tasks' warnings raised here, each distinct one once."""
    done = run(partial(_catching, fn), items)
    seen: set[tuple[type, str]] = set()
    for _, caught in done:
        for category, message in caught:
            if (category, message) not in seen:
                seen.add((category, message))
                warnings.warn(message, category, stacklevel=3)
    return [out for out, _ in done]


def _first_pass(job: Job, run: Executor, items: list[tuple[int, Part]]
                ) -> tuple[int, list[int]]:
    """Indicators and imputation of every partition; returns k and the partitions with rows
    (a file may have none in ``settings.years``)."""
    done = _mapped(run, partial(_indicators, job), items)
    owner: dict[str, int] = {}
    for i, (regions, _, _) in enumerate(done):
        for r in regions:
            if owner.setdefault(r, i) != i:
                raise InputError(
                    f"地区 {r} 的数据分在两个文件中 / region {r} is in {items[owner[r]][1].name} "
                    f"and {items[i][1].name}: the out-of-core path needs all years of a region "
                    "in one file (lag/growth and treatment.imputation work within a region)")
    sums = GroupSums.merge([d[1] for d in done])
    chain.check_pooled(sum(d[2] for d in done), sums.present.sum(axis=0),
                       list(job.framework.indicator_ids), None)
    parts = [i for (i, _), d in zip(items, done, strict=True) if d[2]]
    _mapped(run, partial(_impute, job, ImputationMeans.of(sums, use_parent=True)), parts)
    return sums.total.shape[1], parts


def evaluate_partitioned(
    source: str | Path | Source,
    out: str | Path,
    framework: str | Path | Framework | None = None,
    settings: Settings | None = None,
    run: Executor = local_map,
    work: str | Path | None = None,
) -> Path:
    """Evaluate the panel of ``source`` — a folder of Parquet files, or a source of
    :mod:`ronghe.chain.sources` — partition by partition (module docstring) and write the tables
    under ``out`` (``weights.parquet`` and one folder of parts per table in :data:`TABLES`);
    ``run`` maps the partitions, ``work`` holds the intermediate arrays (a temporary folder when
    None, removed at the end). Returns ``out``."""
    s = settings or Settings()
    if framework is not None and not isinstance(framework, Framework):
        s = s.model_copy(update={"framework": str(framework)})
    fw = framework if isinstance(framework, Framework) else load_framework(s.framework)
    check_settings(s)
    src = ParquetFolder(source) if isinstance(source, str | Path) else source
    pieces = src.parts(s.years, set(fw.indicator_ids) | fw.raw_variables())
    out = Path(out)
    for name in TABLES:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="ronghe-", dir=work))
    try:
        job = Job(fw, s, str(tmp))
        k, parts = _first_pass(job, run, list(enumerate(pieces)))
        rules, bounds = outlier_rules(job, parts, k)
        chain.normalise(np.vstack(bounds), fw.directions(), s.normalization, bounds=bounds)
        sc = Scales(rules, bounds)
        mom = Moments.merge(_mapped(run, partial(_moments, job, sc), parts))
        spread = Spread.merge(_mapped(run, partial(_spread, job, sc, mom), parts))
        w = pooled_weights(mom, spread, list(fw.indicator_ids), chain.WeightSpec.of(s.weighting,
                                                                                    fw))
        members = chain.members(fw)
        W = chain.dimension_weights(w, members, chain.DimensionSpec.of(s.weighting, fw))
        reference = np.vstack([mom.z_max, mom.z_min])
        chain.warn_constant_dimensions(reference, members, [d.id for d in fw.dimensions])
        fin = Final(sc, w, W, chain.effective_weights(w, W, members), members, reference)
        done = _mapped(run, partial(_write, job, fin, str(out)), parts)
        years = np.concatenate([y for y, _ in done])
        composite = np.concatenate([c for _, c in done])
        rank = pd.Series(composite).groupby(years).rank(ascending=False, method="min")
        cuts = np.cumsum([y.size for y, _ in done])[:-1]
        ranks = np.split(rank.to_numpy(dtype=int), cuts)
        _mapped(run, partial(_rank, str(out)), list(zip(parts, ranks, strict=True)))
        Result(_weights_state(fw, s, fin)).weights.to_parquet(out / "weights.parquet",
                                                              index=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _weights_state(fw: Framework, s: Settings, fin: Final) -> State:
    """A state without rows, enough for the weights table."""
    none = np.empty(0)
    empty = pd.DataFrame(index=pd.MultiIndex.from_arrays([[], []], names=["region", "year"]))
    return State(fw, s, Panel(empty), none, none, list(fw.indicator_ids), none, none,
                 fin.scales.bounds, fin.weights, fin.dimension_weights, fin.effective_weights,
                 fin.members, none, none, none, none, none, none, given={"raw": none, "O": none})


def read_tables(out: str | Path) -> dict[str, pd.DataFrame]:
    """The tables written by :func:`evaluate_partitioned`, each read whole (for tests and small
    panels): ``weights`` and every table of :data:`TABLES`, ``obstacles`` indexed by
    (region, year) with (level, id) columns as :attr:`ronghe.result.Result.obstacles`."""
    out = Path(out)
    tables = {"weights": pd.read_parquet(out / "weights.parquet")}
    for name in TABLES:
        files = sorted((out / name).glob("part-*.parquet"))
        tables[name] = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    obs = tables["obstacles"].set_index(["region", "year"])
    obs.columns = pd.MultiIndex.from_tuples([tuple(c.split("/", 1)) for c in obs.columns],
                                            names=["level", "id"])
    tables["obstacles"] = obs
    return tables


def write_partitions(panel: Panel, folder: str | Path, parts: int) -> list[Path]:
    """Write ``panel`` as ``parts`` Parquet files of whole regions (wide layout with name and
    province columns), the input :func:`evaluate_partitioned` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    codes = np.asarray(panel.region_codes)
    meta = panel.regions.reindex(codes)
    paths = []
    for p, chunk in enumerate(np.array_split(codes, parts)):
        data = panel.data[panel.data.index.get_level_values("region").isin(chunk)].reset_index()
        data.insert(1, "name_zh", meta["name_zh"].reindex(data["region"]).to_numpy())
        data.insert(2, "province", meta["province"].reindex(data["region"]).to_numpy())
        paths.append(folder / f"part-{p:05d}.parquet")
        data.to_parquet(paths[-1], index=False)
    return paths

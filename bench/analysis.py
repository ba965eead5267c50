"""Benchmarks of the analysis kernels against fair peers (run: PYTHONPATH=src python bench/analysis.py).

Every comparison gives both sides the same data and the same number of runs after the same warm-up,
interleaved (``bench/timing.py``), and prints what each side computes and how far the results agree.

- Dagum Gini decomposition: ronghe's O(n log n) form on 500,000 units (target < 2 s); against a
  plain O(n²) NumPy form (``tests/methods/dagum_naive.py: dagum_gini_pairs``, each pair of units
  visited once, in blocks) on 2,850 and 30,000 units. (The test oracle ``dagum_gini_naive``, which
  recomputes every double sum separately, is several times slower still and is not the peer.)
- Geographical detector, 10 factors and all 45 interactions on 2,850 units: ronghe's
  ``factor_detector_many`` against PyPI ``geodetector`` (FactorDetector per factor +
  InteractionDetector), with the agreement of q.
- LISA (local Moran, 999 conditional permutations) on the county map with queen weights, one year:
  ronghe's ``local_moran`` against esda's ``Moran_Local``. Two figures: the steady state (both
  warmed up in this process) and the first call in a fresh process, where esda compiles its numba
  functions (both sides timed in their own new interpreter, after their imports).
Data are synthetic (seeded), so timings are comparable between runs.

    PYTHONPATH=src python bench/analysis.py [--repeat 5] [--big-repeat 2] [--first-call-rounds 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from timing import interleaved, once

from ronghe.methods.geodetector import factor_detector_many
from ronghe.methods.inequality import dagum_gini

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "methods"))
from dagum_naive import dagum_gini_pairs

SEED = 20240501


def bench_dagum(rng: np.random.Generator, repeat: int, big_repeat: int) -> None:
    for groups in (4, 31):
        n = 500_000
        y = rng.lognormal(10, 0.6, n)
        g = rng.integers(0, groups, n)
        dagum_gini(y, g)
        t = min(once(lambda y=y, g=g: dagum_gini(y, g)) for _ in range(repeat))
        flag = "ok" if t < 2.0 else "SLOW (target < 2 s)"
        print(f"Dagum Gini, {n:,} units, {groups} groups, ronghe alone: best {t:.3f} s  [{flag}]")
    for n, rounds in ((2_850, repeat), (30_000, big_repeat)):
        for groups in (4, 31):
            y = rng.lognormal(10, 0.6, n)
            g = rng.integers(0, groups, n)
            fast, plain = dagum_gini(y, g), dagum_gini_pairs(y, g)
            diff = max(abs(fast.gini - plain["gini"]), abs(fast.within - plain["within"]),
                       abs(fast.net_between - plain["net_between"]))
            print(f"Dagum Gini, {n:,} units, {groups} groups: ronghe O(n log n) vs plain O(n²) "
                  f"NumPy (max |Δ| of G, Gw, Gnb = {diff:.1e})")
            timing = interleaved(("ronghe dagum_gini", lambda y=y, g=g: dagum_gini(y, g)),
                                 ("plain O(n²)", lambda y=y, g=g: dagum_gini_pairs(y, g)),
                                 repeat=rounds)
            print(timing.describe())


def bench_geodetector(rng: np.random.Generator, repeat: int) -> None:
    n, m = 2_850, 10
    X = rng.integers(0, rng.integers(3, 9, m), size=(n, m))
    y = X @ rng.normal(size=m) + rng.normal(size=n)
    head = f"geodetector, {m} factors + {m * (m - 1) // 2} interactions, {n:,} units"
    try:
        import pandas as pd
        from geodetector import FactorDetector, InteractionDetector
    except ImportError:
        t = min(once(lambda: factor_detector_many(y, X, singletons="drop")) for _ in range(repeat))
        print(f"{head}: ronghe best {t * 1e3:.1f} ms (PyPI geodetector not installed: no peer)")
        return
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(m)])

    def reference() -> tuple[list[float], InteractionDetector]:
        qs = [FactorDetector().fit(frame[[c]], y).q_value_ for c in frame.columns]
        return qs, InteractionDetector().fit(frame, y)

    qs, inter = reference()
    table = factor_detector_many(y, X, singletons="drop")
    dq = max(np.max(np.abs(table.q - np.array(qs))),
             np.max(np.abs(table.interaction_q - inter.interaction_q_.to_numpy())))
    print(f"{head}: q and interaction q of every factor, both sides (max |Δq| = {dq:.1e})")
    timing = interleaved(("ronghe factor_detector_many",
                          lambda: factor_detector_many(y, X, singletons="drop")),
                         ("PyPI geodetector", reference), repeat=repeat)
    print(timing.describe())


LISA_FIRST_CALL = """
import time, numpy as np, pandas as pd
from ronghe.spatial.weights import spatial_weights
w = spatial_weights("county")
y = np.random.default_rng({seed}).lognormal(0, 0.5, w.n)
if "{side}" == "ronghe":
    from ronghe.spatial.autocorrelation import local_moran
    values = pd.DataFrame({{2023: y}}, index=w.id_order)
    call = lambda: local_moran(values, w, permutations=999, seed=1)
else:
    import esda
    from libpysal import weights
    wr = weights.W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    wr.transform = "r"
    call = lambda: esda.Moran_Local(y, wr, transformation="r", permutations=999, seed=1, n_jobs=1)
start = time.perf_counter()
call()
print(time.perf_counter() - start)
"""


def first_call(side: str) -> float:
    """Seconds of the first LISA call of ``side`` in a new interpreter (imports not counted)."""
    code = LISA_FIRST_CALL.format(seed=SEED, side=side)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ), check=True, timeout=1800)
    return float(run.stdout.strip().splitlines()[-1])


def bench_lisa(rng: np.random.Generator, repeat: int, first_rounds: int) -> None:
    import pandas as pd

    from ronghe.errors import RongheError
    from ronghe.spatial.autocorrelation import local_moran
    from ronghe.spatial.weights import spatial_weights

    try:
        build = once(lambda: spatial_weights("county"))
        w = spatial_weights("county")
        import esda
        from libpysal import weights
    except (RongheError, ImportError) as exc:
        print(f"LISA: not measured ({exc})")
        return
    y = np.random.default_rng(SEED).lognormal(0, 0.5, w.n)
    values = pd.DataFrame({2023: y}, index=w.id_order)
    wr = weights.W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    wr.transform = "r"

    def ours() -> pd.DataFrame:
        return local_moran(values, w, permutations=999, seed=1)

    def peer() -> esda.Moran_Local:
        return esda.Moran_Local(y, wr, transformation="r", permutations=999, seed=1, n_jobs=1)

    a, b = ours(), peer()
    dI = np.max(np.abs(a["Ii"].to_numpy() - b.Is))
    agree = np.mean((a["p_sim"].to_numpy() < 0.05) == (b.p_sim < 0.05))
    print(f"LISA, {w.n:,} counties, 999 permutations, one year (queen weights read "
          f"in {build:.1f} s): max |ΔIi| = {dI:.1e}; same significance at 5% for {agree:.1%} "
          "(different random draws)")
    print("  steady state (both warmed up in this process):")
    print(interleaved(("ronghe local_moran", ours), ("esda Moran_Local", peer),
                      repeat=repeat).describe(unit="s"))
    print(f"  first call in a fresh process ({first_rounds} round(s), esda compiles numba):")
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(first_rounds):
        runs[0].append(first_call("ronghe"))
        runs[1].append(first_call("esda"))
    ratio = np.median([e / r for r, e in zip(*runs, strict=True)])
    print(f"    ronghe {np.median(runs[0]):.2f} s, esda {np.median(runs[1]):.2f} s (medians); "
          f"ratio esda / ronghe: {ratio:.3g}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed rounds per side")
    ap.add_argument("--big-repeat", type=int, default=2, help="rounds at 30,000 units")
    ap.add_argument("--first-call-rounds", type=int, default=1,
                    help="fresh-process rounds per side for LISA's first call")
    ap.add_argument("--only", choices=("dagum", "geodetector", "lisa"), help="one bench only")
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)
    if args.only in (None, "dagum"):
        bench_dagum(rng, args.repeat, args.big_repeat)
    if args.only in (None, "geodetector"):
        bench_geodetector(rng, args.repeat)
    if args.only in (None, "lisa"):
        bench_lisa(rng, args.repeat, args.first_call_rounds)


if __name__ == "__main__":
    main()

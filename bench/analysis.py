"""Benchmarks of the analysis kernels (run: PYTHONPATH=src python bench/analysis.py).

- Dagum Gini decomposition on 500,000 units (target < 2 s) and its speed-up over the O(n²)
  reference form (tests/analysis/dagum_naive.py) on 2,850 units;
- geographical detector, 10 factors and all 45 interactions on 2,850 units, against PyPI
  ``geodetector`` (FactorDetector per factor + InteractionDetector), with the agreement of q;
- LISA (local Moran, 999 conditional permutations) on the county map, queen weights (built once
  and cached by ronghe.spatial.weights; the build is timed separately), one year of values.
Data are synthetic (seeded), so timings are comparable between runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ronghe.methods.geodetector import factor_detector_many
from ronghe.methods.inequality import dagum_gini

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "analysis"))
from dagum_naive import dagum_gini_naive


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_dagum(rng: np.random.Generator) -> None:
    for groups in (4, 31):
        n = 500_000
        y = rng.lognormal(10, 0.6, n)
        g = rng.integers(0, groups, n)
        t = best_of(lambda y=y, g=g: dagum_gini(y, g))
        flag = "ok" if t < 2.0 else "SLOW (target < 2 s)"
        print(f"Dagum Gini, {n:,} units, {groups} groups: {t:.3f} s  [{flag}]")
    n = 2_850
    y = rng.lognormal(10, 0.6, n)
    g = rng.integers(0, 31, n)
    fast = best_of(lambda: dagum_gini(y, g), repeat=5)
    slow = best_of(lambda: dagum_gini_naive(y, g), repeat=2)
    diff = abs(dagum_gini(y, g).gini - dagum_gini_naive(y, g)["gini"])
    print(f"Dagum Gini, {n:,} units, 31 groups: {fast * 1e3:.2f} ms vs naive O(n²) "
          f"{slow * 1e3:.1f} ms → {slow / fast:.0f}x faster (|ΔG| = {diff:.1e})")


def bench_geodetector(rng: np.random.Generator) -> None:
    n, m = 2_850, 10
    X = rng.integers(0, rng.integers(3, 9, m), size=(n, m))
    y = X @ rng.normal(size=m) + rng.normal(size=n)
    ours = best_of(lambda: factor_detector_many(y, X, singletons="drop"))
    try:
        import pandas as pd
        from geodetector import FactorDetector, InteractionDetector
    except ImportError:
        print(f"geodetector, {m} factors + {m * (m - 1) // 2} interactions, {n:,} units: "
              f"{ours * 1e3:.1f} ms (PyPI geodetector not installed: no comparison)")
        return
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(m)])

    def reference() -> tuple[list[float], InteractionDetector]:
        qs = [FactorDetector().fit(frame[[c]], y).q_value_ for c in frame.columns]
        return qs, InteractionDetector().fit(frame, y)

    theirs = best_of(reference, repeat=1)
    qs, inter = reference()
    table = factor_detector_many(y, X, singletons="drop")
    dq = max(np.max(np.abs(table.q - np.array(qs))),
             np.max(np.abs(table.interaction_q - inter.interaction_q_.to_numpy())))
    print(f"geodetector, {m} factors + {m * (m - 1) // 2} interactions, {n:,} units: ours "
          f"{ours * 1e3:.1f} ms vs PyPI geodetector {theirs * 1e3:.0f} ms → "
          f"{theirs / ours:.0f}x faster (max |Δq| = {dq:.1e})")


def bench_lisa(rng: np.random.Generator) -> None:
    import pandas as pd

    from ronghe.errors import RongheError
    from ronghe.spatial.autocorrelation import local_moran
    from ronghe.spatial.weights import spatial_weights

    try:
        start = time.perf_counter()
        w = spatial_weights("county")
        build = time.perf_counter() - start
    except RongheError as exc:
        print(f"LISA: not measured ({exc})")
        return
    values = pd.DataFrame({2023: rng.lognormal(0, 0.5, w.n)}, index=w.id_order)
    t = best_of(lambda: local_moran(values, w, permutations=999, seed=1), repeat=3)
    print(f"LISA, {w.n:,} counties, 999 permutations: {t:.2f} s per year "
          f"(queen weights: {build:.1f} s, read from the cache after the first build)")


def main() -> None:
    rng = np.random.default_rng(20240501)
    bench_dagum(rng)
    bench_geodetector(rng)
    bench_lisa(rng)


if __name__ == "__main__":
    main()

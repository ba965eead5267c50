"""How the whole chain scales with the number of units: time, peak memory, growth exponent.

For each size the synthetic county panel (``datasets.synthetic_counties(seed=0)``, 20 years, the
seed framework) is tiled to that many units — tile t of county c gets the township-style code
c + f"{t:03d}", the county's province and its values times a seeded lognormal factor (sd 0.05) so
no two units are equal — and ``Study.evaluate()`` is timed, in a fresh process per size so that the
peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that size's alone. The
data are generated in memory; nothing is written.

Printed per size: units, region-years, raw data (MB, float64), the time of ``Study.evaluate()``
(best of ``--repeat``), the peak RSS after building the panel and after evaluating, the growth
exponents b of time ∝ n^b and RSS ∝ n^b from the previous size, and the ratio to the baseline
below (log-log interpolated between the baseline's sizes, extrapolated beyond them).

Baseline: today's main (issue 19, before any memory work), measured on a 16-core, 128 GB machine:

    units     region-years   Study.evaluate   peak RSS
    2,844         56,880          0.57 s        0.6 GB
    28,440       568,800          8.4 s         4.0 GB
    147,888    2,957,760         42 s          13.2 GB
    619,992   12,399,840        169 s          54.5 GB

and on the project's 2-core, 24 GB machine (commit 48f157e, this script, while 8 helpers shared
the machine: load average 13-17, so the times are several times what an idle machine gives and
must be re-measured there; the memory figures do not depend on load):

    units     region-years   raw data   Study.evaluate   peak RSS (after panel)
    3,000         60,000        27 MB       6.8 s         0.41 GB (0.37 GB)
    40,000       800,000       366 MB      72 s           2.86 GB (1.44 GB)
    growth exponent 3,000 -> 40,000:  time 0.92, RSS 0.75

Sizes 3,000 and 40,000 by default; 200,000 and 620,000 only with ``--large`` (on a 24 GB machine
today's main needs about 3.3 KB per region-year and fails above about 280,000 units; a failed size is
reported, not retried).

    PYTHONPATH=src python bench/scale.py [--large] [--sizes 3000 40000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

DEFAULT_SIZES = (3_000, 40_000)
LARGE_SIZES = (200_000, 620_000)
YEARS = range(2004, 2024)
#: (units, seconds of Study.evaluate, peak RSS in GB) of today's main, by machine
BASELINES = {
    "16-core": ((2_844, 0.57, 0.6), (28_440, 8.4, 4.0), (147_888, 42.0, 13.2),
                (619_992, 169.0, 54.5)),
}


def tiled_panel(units: int, seed: int = 0):  # type: ignore[no-untyped-def]
    """The synthetic county panel tiled to ``units`` regions (module docstring)."""
    import pandas as pd

    from ronghe import datasets
    from ronghe.panel import Panel

    base = datasets.synthetic_counties(seed=seed, years=YEARS)
    codes = np.asarray(base.region_codes)
    n_base, n_years = codes.size, len(base.years)
    tiles = math.ceil(units / n_base)
    if tiles > 1000:
        raise SystemExit(f"at most {1000 * n_base:,} units (three-digit tile suffix)")
    values = base.data.to_numpy()  # sorted by (region, year): one block of n_years rows per region
    factor = np.random.default_rng(seed).lognormal(0.0, 0.05, size=(tiles, n_base, 1, values.shape[1]))
    cube = values.reshape(1, n_base, n_years, -1) * factor
    cube[0] = values.reshape(n_base, n_years, -1)  # tile 0 is the county panel itself
    cube = cube.reshape(tiles * n_base, n_years, -1)[:units]
    suffix = np.char.zfill(np.arange(tiles).astype(str), 3)[:, None]  # tile-major, as the cube
    new_codes = np.char.add(codes[None, :].astype(str), suffix).ravel()[:units]
    index = pd.MultiIndex.from_arrays([np.repeat(new_codes, n_years),
                                       np.tile(np.asarray(base.years), units)],
                                      names=["region", "year"])
    data = pd.DataFrame(cube.reshape(units * n_years, -1), index=index, columns=base.data.columns)
    info = base.regions.reindex(codes)
    names = np.char.add(np.char.add(info["name_zh"].to_numpy().astype(str)[None, :], "·"), suffix)
    regions = pd.DataFrame({"name_zh": names.ravel()[:units],
                            "province": np.tile(info["province"].to_numpy(), tiles)[:units]},
                           index=pd.Index(new_codes, name="region"))
    return Panel(data, regions, dict(base.units), f"tiled {base.source}", synthetic=True)


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KB


def worker(units: int, repeat: int) -> dict[str, float]:
    """One size, in this process: build, evaluate, report (as JSON on stdout)."""
    from ronghe import Study

    panel = tiled_panel(units)
    raw_mb = panel.data.to_numpy().nbytes / 1024**2
    rss_panel = peak_rss_gb()
    study = Study(panel, "seed")
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            start = time.perf_counter()
            study.evaluate()
            times.append(time.perf_counter() - start)
    return {"units": units, "region_years": len(panel.data), "raw_mb": raw_mb,
            "seconds": min(times), "rss_panel_gb": rss_panel, "rss_gb": peak_rss_gb()}


def run_size(units: int, repeat: int) -> dict[str, float] | str:
    """Run :func:`worker` in a new interpreter; the result, or the reason it failed."""
    proc = subprocess.run([sys.executable, __file__, "--worker", str(units), "--repeat",
                           str(repeat)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return f"failed (exit {proc.returncode}: {tail[:120]})"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def baseline_at(units: int, points: tuple[tuple[int, float, float], ...]) -> tuple[float, float]:
    """Baseline (seconds, GB) at ``units``, log-log interpolated (or extrapolated from the nearest
    segment)."""
    n = np.log([p[0] for p in points])
    x = math.log(units)
    i = int(np.clip(np.searchsorted(n, x) - 1, 0, len(points) - 2))
    f = (x - n[i]) / (n[i + 1] - n[i])
    return tuple(math.exp((1 - f) * math.log(points[i][c]) + f * math.log(points[i + 1][c]))
                 for c in (1, 2))  # type: ignore[return-value]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", help="units per run (overrides the defaults)")
    ap.add_argument("--large", action="store_true", help="also 200,000 and 620,000 units")
    ap.add_argument("--repeat", type=int, default=1, help="evaluations per size (best is kept)")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeat)))
        return
    sizes = args.sizes or [*DEFAULT_SIZES, *(LARGE_SIZES if args.large else ())]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(timings on a loaded machine are not comparable with an idle one)")
    print(f"{'units':>9} {'reg-years':>11} {'raw MB':>8} {'evaluate':>9} {'RSS panel':>10} "
          f"{'peak RSS':>9} {'b(time)':>8} {'b(RSS)':>7} {'time/base':>10} {'RSS/base':>9}")
    previous = None
    for units in sizes:
        r = run_size(units, args.repeat)
        if isinstance(r, str):
            print(f"{units:>9,} {r}")
            previous = None
            continue
        bt = br = ""
        if previous is not None:
            step = math.log(units / previous["units"])
            bt = f"{math.log(r['seconds'] / previous['seconds']) / step:.2f}"
            br = f"{math.log(r['rss_gb'] / previous['rss_gb']) / step:.2f}"
        t0, m0 = baseline_at(units, BASELINES["16-core"])
        print(f"{units:>9,} {r['region_years']:>11,} {r['raw_mb']:>8.0f} {r['seconds']:>8.2f}s "
              f"{r['rss_panel_gb']:>8.2f}GB {r['rss_gb']:>7.2f}GB {bt:>8} {br:>7} "
              f"{r['seconds'] / t0:>9.2f}x {r['rss_gb'] / m0:>8.2f}x")
        previous = r
    print(f"load average at end: {os.getloadavg()[0]:.1f}. base = today's main on the 16-core "
          "machine (docstring), log-log interpolated to each size")


if __name__ == "__main__":
    main()

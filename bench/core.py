"""Time the whole measurement chain on 2,850 regions x 20 years x 36 indicators.

Prints the time of ``Study.evaluate()`` (indicators from raw variables, imputation, outlier rule,
global normalisation, entropy weights, dimension scores, TOPSIS, coupling coordination, obstacle
degrees) and, for scale, of the loop researchers usually run instead: one pymcdm entropy + TOPSIS per
year (which does less: no treatment, no coupling, no obstacles, and year-by-year anchors).
Target: the chain under 0.5 s on the project's 2-core machine.
"""

from __future__ import annotations

import time
import warnings

import numpy as np


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from ronghe import Study, datasets

    panel = datasets.synthetic_counties(seed=0, years=range(2004, 2024))
    study = Study(panel, "seed")
    n_reg, n_year = len(panel.region_codes), len(panel.years)
    k = len(study.framework.indicator_ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study.evaluate()  # warm-up
        t_chain = best_of(study.evaluate)
        res = study.evaluate()
    print(f"regions x years x indicators: {n_reg} x {n_year} x {k}")
    print(f"ronghe Study.evaluate (whole chain):  {t_chain:.3f} s   (target < 0.5 s)")

    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import minmax_normalization
        from pymcdm.weights import entropy_weights
    except ImportError:
        print("pymcdm not installed: no peer ratio (pip install pymcdm)")
        return
    X = res.state.X
    years = res.state.years
    dirs = np.array(
        [
            1 if d == "+" else -1
            for d in [d if isinstance(d, str) else "+" for d in study.framework.directions()]
        ]
    )

    def per_year() -> None:
        for y in np.unique(years):
            M = X[years == y]
            W = entropy_weights(M - M.min(axis=0) + 1.0)  # pymcdm needs positive data
            TOPSIS(normalization_function=minmax_normalization)(M, W, dirs)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_loop = best_of(per_year, repeat=3)
    print(f"per-year pymcdm loop (entropy+TOPSIS only): {t_loop:.3f} s")
    print(f"ratio pymcdm loop / ronghe chain: {t_loop / t_chain:.2f}x")


if __name__ == "__main__":
    main()

"""Time the uncertainty audit: 10,000 Monte Carlo draws over 2,850 regions x 20 years x 36 indicators.

Prints the time of ``uncertainty(result, draws=10_000)`` (six choices: normalisation, weighting,
aggregation, weight perturbation, imputation, indicator left out; plus the Sobol' design it adds),
and, for scale, the per-draw alternative: rebuilding the Study for every draw. That loop is not run
10,000 times: five draws are run through the Study (two Study runs each, as
:func:`ronghe.planning.uncertainty.study_ranks` needs for perturbed weights) and the mean time is
extrapolated to 10,000 draws; the printout says so. Target: the audit under 60 s on the project's
2-core machine.
"""

from __future__ import annotations

import time
import warnings

DRAWS = 10_000


def main() -> None:
    from ronghe import Study, datasets
    from ronghe.planning.uncertainty import study_ranks, uncertainty

    panel = datasets.synthetic_counties(seed=0, years=range(2004, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = Study(panel, "seed").evaluate()
        n_reg, n_year = len(panel.region_codes), len(panel.years)
        k = len(result.state.indicator_ids)
        print(f"regions x years x indicators: {n_reg} x {n_year} x {k}")
        t = time.perf_counter()
        audit = uncertainty(result, draws=DRAWS, seed=0)
        t_audit = time.perf_counter() - t
        design = audit.sobol_n * (len(audit.choices) + 2)
        print(f"ronghe uncertainty, {DRAWS} draws (+ {design} Sobol' design points): "
              f"{t_audit:.1f} s   (target < 60 s)")

        done, t_loop = 0, 0.0
        for i in range(DRAWS):
            draw = audit.draw(i)
            if draw.normalisation == "zscore":  # no Study equivalent
                continue
            t = time.perf_counter()
            study_ranks(result, draw)
            t_loop += time.perf_counter() - t
            done += 1
            if done == 5:
                break
    per_draw = t_loop / done
    loop = per_draw * DRAWS
    print(f"per-draw loop over the Study: {per_draw:.2f} s per draw (mean of {done} draws), "
          f"extrapolated to {DRAWS} draws: {loop / 60:.0f} min (not run)")
    print(f"ratio (extrapolated loop / vectorised audit): {loop / t_audit:.0f}x")


if __name__ == "__main__":
    main()

"""Time the uncertainty audit on 2,850 regions x 20 years x 36 indicators against a per-draw loop.

Both sides compute the ranks of the last year under the same Monte Carlo draws (normalisation,
weighting, aggregation, weight perturbation, imputation, indicator left out), starting from the
evaluated study, and must agree rank for rank:

- ronghe: ``uncertainty(result, draws=N, sobol_n=0)``, the vectorised engine (every normalised
  matrix and weight vector computed once, then one matrix product per group of draws);
- the loop: per draw, the same kernels one after another (``normalize``, the weighting kernel,
  perturbation, ``weighted_arithmetic`` / ``weighted_geometric`` / ``topsis``, ranking), after the
  same one-off treatment of the data under each imputation option.

Both run N draws for real (default 200), warmed up once and interleaved (``bench/timing.py``).
Then the audit alone is timed at 10,000 draws (plus the Sobol' design it adds), with the loop's
measured time per draw scaled to the same number of draws; that second ratio is extrapolated and
printed as such. Target: the 10,000-draw audit under 60 s on the project's 2-core machine.

    PYTHONPATH=src python bench/uncertainty.py [--draws 200] [--repeat 3] [--audit-draws 10000]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from timing import interleaved, once

from ronghe import Study, datasets
from ronghe import methods as m
from ronghe.planning.uncertainty import (
    UncertaintyResult,
    _normalised,
    _report_rows,
    _treated,
    _weights,
    descending_ranks,
    uncertainty,
)
from ronghe.result import Result

AGGREGATE = {"arithmetic": m.weighted_arithmetic, "geometric": m.weighted_geometric,
             "topsis": m.topsis}


def effective(result: Result, w: np.ndarray) -> np.ndarray:
    """Effective indicator weights as the Study forms them (W_d w_j / sum of w over d)."""
    s = result.state
    fw, settings = s.framework, s.settings.weighting
    method = fw.dimension_weighting() if settings.dimensions == "framework" else settings.dimensions
    if method == "sum":
        return w
    eff = np.zeros_like(w)
    for d, idx in enumerate(s.members):
        share = w[idx].sum()
        active = idx[w[idx] > 0] if share > 0 else idx
        eff[active] = s.dimension_weights[d] * (w[active] / share if share > 0
                                                else 1 / active.size)
    return eff


def loop_ranks(result: Result, audit: UncertaintyResult, draws: int | None = None) -> np.ndarray:
    """Ranks of the audit's first ``draws`` draws (all by default), one draw at a time through the
    kernels, after treating the data once under each imputation option."""
    ids = list(result.state.indicator_ids)
    rows = _report_rows(result, None)
    X_of, _ = _treated(result, audit.choices[4].options)
    count = audit.draws if draws is None else draws
    out = np.empty((count, rows.size), dtype=np.int32)
    for i in range(count):
        draw = audit.draw(i)
        X = X_of[draw.imputation]
        Z = _normalised(result, X, draw.normalisation)
        left = None if draw.left_out is None else ids.index(draw.left_out)
        w = _weights(draw.weighting, X, Z, (left,))[0] * draw.factors
        comp = AGGREGATE[draw.aggregation](Z, effective(result, w / w.sum()))
        out[i] = descending_ranks(comp[rows][None, :])[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200, help="draws run by both sides")
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds per side")
    ap.add_argument("--audit-draws", type=int, default=10_000, help="draws of the audit alone")
    args = ap.parse_args()
    panel = datasets.synthetic_counties(seed=0, years=range(2004, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = Study(panel, "seed").evaluate()
        print(f"regions x years x indicators: {len(panel.region_codes)} x {len(panel.years)} x "
              f"{len(result.state.indicator_ids)}; ranks of the last year")

        def audit() -> UncertaintyResult:
            return uncertainty(result, draws=args.draws, seed=0, sobol_n=0)

        reference = audit()
        ranks = loop_ranks(result, reference)
        same = float(np.mean(ranks == reference.ranks))
        print(f"1. {args.draws} draws on both sides (vectorised audit vs per-draw kernel loop); "
              f"ranks identical in {same:.4%} of region-draws")
        timing = interleaved(("ronghe uncertainty()", audit),
                             ("per-draw loop", lambda: loop_ranks(result, reference)),
                             repeat=args.repeat)
        print(timing.describe(unit="s"))

        n = args.audit_draws
        full: list[UncertaintyResult] = []
        t_audit = once(lambda: full.append(uncertainty(result, draws=n, seed=0)))
        design = full[0].sobol_n * (len(full[0].choices) + 2)
        setup = once(lambda: loop_ranks(result, reference, draws=0))
    per_draw = max(timing.median(1) - setup, 0.0) / args.draws
    loop = setup + per_draw * (n + design)
    flag = "ok" if t_audit < 60 else "SLOW"
    print(f"2. ronghe uncertainty(), {n} draws + {design} Sobol' design points: {t_audit:.1f} s "
          f"[{flag}: target < 60 s]")
    print(f"    per-draw loop: treatment once {setup:.1f} s + {per_draw * 1e3:.0f} ms per draw x "
          f"{n + design} draws = {loop / 60:.1f} min, EXTRAPOLATED from part 1 (not run): "
          f"ratio {loop / t_audit:.0f}x")


if __name__ == "__main__":
    main()

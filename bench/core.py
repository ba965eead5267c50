"""Time the measurement chain on 2,850 regions x 20 years x 36 indicators, in two separate parts.

1. Kernel for kernel, against pymcdm (the peer): year by year, min–max normalisation, entropy
   weights of the normalised matrix and TOPSIS closeness. Both sides get the same treated matrix and
   the same directions (moderate, target-type indicators counted as benefit-type on both sides,
   since pymcdm has no target type), run the same steps in the same per-year loop and must give the
   same weights and closeness (the maximal differences are printed). pymcdm's TOPSIS normalises the
   raw matrix itself, as pymcdm is called. The peer runs without its input validation (which
   checks every pair of rows and costs most of its time; ronghe only checks for NaN and shape);
   the ratio with pymcdm's default validation is printed too.
2. The whole chain, which has no peer: ``Study.evaluate()`` (indicators from raw variables,
   imputation, outlier rule, global normalisation, entropy weights, dimension scores, TOPSIS,
   coupling coordination, obstacle degrees), and the same followed by building every table of the
   workbook (``Result.tables()``: index, weights, coupling, obstacles, treatment, diagnosis,
   typology), not written to disk.

Every side is warmed up once and the runs are interleaved (see ``bench/timing.py``).
Target: the chain under 0.5 s on the project's 2-core machine.

    PYTHONPATH=src python bench/core.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from timing import interleaved, once

from ronghe import Study, datasets
from ronghe import methods as m


def kernels(X: np.ndarray, years: np.ndarray, directions: list[str], repeat: int) -> None:
    from pymcdm.helpers import normalize_matrix
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization
    from pymcdm.weights import entropy_weights

    shift = 1e-4  # ronghe's default affine shift, so that no entropy term meets ln 0
    types = np.array([1 if d == "+" else -1 for d in directions])
    blocks = [X[years == y] for y in np.unique(years)]

    def ours() -> tuple[list[np.ndarray], list[np.ndarray]]:
        ws, cs = [], []
        for M in blocks:
            Z = m.normalize(M, directions, shift=shift)
            w = m.entropy_weights(Z)
            ws.append(w)
            cs.append(m.topsis(Z, w))
        return ws, cs

    topsis = TOPSIS(normalization_function=minmax_normalization)

    def peer(validation: bool = False) -> tuple[list[np.ndarray], list[np.ndarray]]:
        ws, cs = [], []
        for M in blocks:
            Z = shift + (1 - shift) * normalize_matrix(M, minmax_normalization, types)
            w = entropy_weights(Z)
            ws.append(w)
            cs.append(topsis(M, w, types, validation=validation))
        return ws, cs

    (w1, c1), (w2, c2) = ours(), peer(validation=True)
    dw = max(np.abs(a - b).max() for a, b in zip(w1, w2, strict=True))
    dc = max(np.abs(a - b).max() for a, b in zip(c1, c2, strict=True))
    print(f"1. kernel for kernel, {len(blocks)} years: per year min-max + entropy + TOPSIS "
          f"(max |Δw| = {dw:.1e}, max |Δcloseness| = {dc:.1e})")
    print(interleaved(("ronghe kernels", ours), ("pymcdm, validation off", peer),
                      repeat=repeat).describe())
    checked = interleaved(("ronghe kernels", ours),
                          ("pymcdm, default validation", lambda: peer(validation=True)),
                          repeat=max(2, repeat // 3))
    print(f"    (with pymcdm's default input validation: {checked.ratio:.3g}x, pymcdm median "
          f"{checked.median(1) * 1e3:.4g} ms over {len(checked.runs[1])} runs)")


def chain(study: Study, repeat: int) -> None:
    def evaluate() -> None:
        study.evaluate()

    def with_tables() -> None:
        study.evaluate().tables()

    print("2. whole chain (no peer does this; the two lines differ by building the tables)")
    timing = interleaved(("Study.evaluate()", evaluate),
                         ("Study.evaluate().tables()", with_tables), repeat=repeat)
    print(timing.describe(unit="s"))
    flag = "ok" if timing.median(0) < 0.5 else "SLOW"
    print(f"    Study.evaluate() median {timing.median(0):.3f} s  [{flag}: target < 0.5 s]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed rounds per side (after warm-up)")
    args = ap.parse_args()
    panel = datasets.synthetic_counties(seed=0, years=range(2004, 2024))
    study = Study(panel, "seed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_first = once(study.evaluate)
        res = study.evaluate()
        print(f"regions x years x indicators: {len(panel.region_codes)} x {len(panel.years)} x "
              f"{len(study.framework.indicator_ids)} (first Study.evaluate(): {t_first:.2f} s)")
        directions = [d if d in ("+", "-") else "+" for d in study.framework.directions()]
        try:
            kernels(res.state.X, res.state.years, directions, args.repeat)
        except ImportError:
            print("1. pymcdm not installed: no kernel comparison (pip install pymcdm)")
        chain(study, args.repeat)


if __name__ == "__main__":
    main()

"""Multiple-testing cut-offs: equal to esda.fdr, Bonferroni by hand."""

import numpy as np
import pytest
from esda import fdr

from ronghe.errors import MethodError
from ronghe.methods.significance import p_threshold


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_fdr_equals_esda(seed, alpha):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 400))
    # a mix of real signals and nulls, on the permutation grid of 999 draws as LISA gives
    p = np.concatenate([rng.uniform(0, 1, n), rng.uniform(0, 0.01, int(rng.integers(0, 50)))])
    p = np.ceil(p * 1000) / 1000
    assert p_threshold(p, alpha, "fdr") == pytest.approx(fdr(p, alpha), rel=0, abs=1e-15)


def test_fdr_esda_docstring_cases_and_bonferroni():
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    # by hand: i*0.05/10 = .005 .01 .015 .02 .025 ...; p(1)=.001 < .005, p(2)=.008 < .01, p(3) no
    assert p_threshold(p, 0.05, "fdr") == pytest.approx(0.01)
    assert p_threshold(p, 0.05, "fdr") == pytest.approx(fdr(p, 0.05))
    assert p_threshold(p, 0.05, "bonferroni") == pytest.approx(0.005)
    assert p_threshold(p, 0.05, "none") == 0.05
    # nothing survives: esda falls back to the Bonferroni bound
    assert p_threshold([0.5, 0.9], 0.05, "fdr") == pytest.approx(0.025) == fdr(np.array([0.5, 0.9]))


def test_bad_arguments():
    with pytest.raises(MethodError):
        p_threshold([0.1], 1.5)
    with pytest.raises(MethodError, match="unknown correction"):
        p_threshold([0.1], 0.05, "holm")

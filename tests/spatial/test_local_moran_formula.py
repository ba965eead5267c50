"""The local Moran formula the docstring states is the one the values follow (esda's (n − 1))."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("esda", reason="esda (the maps extra) is not installed")
from libpysal import weights as lw

from ronghe.spatial.autocorrelation import local_moran


def test_local_moran_is_n_minus_one_times_z_lag_over_sum_of_squares():
    w = lw.lat2W(4, 4)
    y = np.random.default_rng(0).normal(size=16)
    frame = pd.DataFrame({2020: y}, index=w.id_order)
    got = local_moran(frame, w, permutations=9)["Ii"].to_numpy()
    z = y - y.mean()
    dense, _ = w.full()
    lag = (dense / dense.sum(axis=1, keepdims=True)) @ z
    np.testing.assert_allclose(got, (16 - 1) * z * lag / (z**2).sum(), rtol=1e-12)
    assert not np.allclose(got, z * lag / ((z**2).sum() / 16))  # not Anselin's m2 = Σz²/n

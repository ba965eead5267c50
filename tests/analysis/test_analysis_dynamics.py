"""ronghe.analysis.dynamics on the provincial panel and a synthetic county panel.

Oracles: transition counts recounted here from the class matrix, row sums of the transition
matrices, the Silverman bandwidth written out, and the trapezoid integral of each density curve.
"""

from __future__ import annotations

import numpy as np
import pytest

from ronghe import analysis


@pytest.fixture(scope="module")
def prov_dyn(province_result, analysis_cache):
    return analysis.dynamics(province_result, "D", kind="knn", cache_dir=analysis_cache)


def assert_rows_stochastic(p: np.ndarray) -> None:
    sums = p.sum(axis=1)
    assert np.all(np.isclose(sums, 1.0) | np.isclose(sums, 0.0))  # empty rows stay 0


def test_markov_rows_sum_to_one(prov_dyn):
    assert_rows_stochastic(prov_dyn.markov.probabilities.to_numpy())
    sm = prov_dyn.spatial_markov.transitions
    for _, block in sm.groupby("lag_class"):
        p = block.pivot(index="from_class", columns="to_class", values="probability")
        assert_rows_stochastic(p.to_numpy())


def test_markov_counts_recounted_by_hand(prov_dyn):
    classes = prov_dyn.markov.classes.to_numpy()  # region x year, 1..k
    k = prov_dyn.k
    counts = np.zeros((k, k), dtype=int)
    for a, b in zip(classes[:, :-1].ravel(), classes[:, 1:].ravel(), strict=True):
        counts[a - 1, b - 1] += 1
    np.testing.assert_array_equal(prov_dyn.markov.counts.to_numpy(), counts)
    table = prov_dyn.markov_table()
    assert table["count"].sum() == 31 * 10
    assert set(table.columns) == {"from_class", "to_class", "count", "probability"}


def test_spatial_markov_counts_add_up_to_the_classic_chain(prov_dyn):
    sm = prov_dyn.spatial_markov.transitions
    pooled = sm.groupby(["from_class", "to_class"])["count"].sum().unstack().to_numpy()
    np.testing.assert_array_equal(pooled, prov_dyn.markov.counts.to_numpy())


def test_tests_frame(prov_dyn):
    tests = prov_dyn.tests()
    assert list(tests.columns) == ["chain", "test", "statistic", "dof", "p_value"]
    assert set(tests["chain"]) == {"classic", "spatial"}
    assert ((tests["p_value"] >= 0) & (tests["p_value"] <= 1)).all()
    assert len(tests) == 2 + 2 + prov_dyn.k


def test_class_bounds_are_pooled_quantiles(province_result, prov_dyn):
    d = analysis.variable_values(province_result, "D").to_numpy()
    classes = prov_dyn.classes()
    np.testing.assert_allclose(classes["upper"].iloc[:-1], np.quantile(d, [0.25, 0.5, 0.75]))
    assert classes["lower"].iloc[0] == -np.inf


def test_kernel_density_integrates_to_one_and_bandwidth_rule(province_result, prov_dyn):
    for year, curve in prov_dyn.density.groupby("year"):
        x, f = curve["x"].to_numpy(), curve["density"].to_numpy()
        assert np.trapezoid(f, x) == pytest.approx(1.0, abs=2e-3)
        y = analysis.variable_values(province_result, "D").xs(year, level="year").to_numpy()
        h = prov_dyn.bandwidth.set_index("year").loc[year, "bandwidth"]
        assert h == pytest.approx(y.std(ddof=1) * (3 * y.size / 4) ** (-1 / 5), rel=1e-12)
    assert prov_dyn.bandwidth["rule"].str.startswith("Silverman").all()


def test_without_spatial_chain_and_fixed_bandwidth(small_result):
    res = analysis.dynamics(small_result, spatial=False, k=3, bandwidth=0.02, n_grid=64)
    assert res.spatial_markov is None
    assert "dynamics_spatial_markov" not in res.tables()
    assert res.markov.probabilities.shape == (3, 3)
    np.testing.assert_allclose(res.bandwidth["bandwidth"], 0.02)
    assert len(res.density) == 64 * 6
    assert_rows_stochastic(res.markov.probabilities.to_numpy())


def test_figures_png_and_svg(prov_dyn, tmp_path):
    paths = analysis.dynamics_figures(prov_dyn, tmp_path)
    assert sorted(p.name for p in paths) == [
        "kernel_density_D.png",
        "kernel_density_D.svg",
        "markov_D.png",
        "markov_D.svg",
    ]
    assert all(p.stat().st_size > 1000 for p in paths)

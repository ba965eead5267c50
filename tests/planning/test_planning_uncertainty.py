"""Monte Carlo uncertainty of the ranks (ronghe.planning.uncertainty)."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from ronghe import Study, datasets
from ronghe import methods as m
from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.planning.uncertainty import (
    critic_left_out,
    descending_ranks,
    study_ranks,
    uncertainty,
)

# fewer left-out options keep the precomputation (CRITIC without each indicator) small
SOME = {"left_out": ["none", "income_ratio", "road_density", "gas_gap"]}
NOMINAL = {
    "normalisation": ["minmax"],
    "weighting": ["entropy"],
    "aggregation": ["arithmetic"],
    "imputation": ["linear"],
    "left_out": ["none"],
}


@pytest.fixture(scope="module")
def result():
    panel = datasets.synthetic_counties(provinces=["13"], years=range(2016, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed").evaluate()


def _run(result, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return uncertainty(result, **kw)


def test_no_variation_gives_the_nominal_ranks(result):
    nominal = result.index.loc[result.index["year"] == 2023, "rank"].to_numpy()
    res = _run(result, draws=50, options=NOMINAL, perturbation=0.0)
    # the vectorised engine under the study's own choices reproduces the study's ranks
    assert (res.ranks == nominal[None, :]).all()
    t = res.table
    assert (t["nominal_rank"] == nominal).all()
    for col in ("median_rank", "p05_rank", "p95_rank"):
        assert (t[col] == nominal).all()
    assert (t["mean_abs_shift"] == 0).all() and (t["rank_range_90"] == 0).all()
    assert res.sobol[["S1", "ST"]].isna().all().all() and "undefined" in res.note


def test_zero_draws(result):
    res = _run(result, draws=0)
    assert res.ranks.shape == (0, 167) and res.sobol_n == 0
    assert (res.table["p05_rank"] == res.table["nominal_rank"]).all()
    assert (res.table["mean_abs_shift"] == 0).all()


def test_ranks_match_a_slow_loop_over_the_study(result):
    res = _run(result, draws=8, seed=11, sobol_n=0,
               options={**SOME, "normalisation": ["minmax", "rank"], "imputation": ["linear"]})
    seen = set()
    for i in range(6):
        draw = res.draw(i)
        seen.add((draw.normalisation, draw.weighting, draw.aggregation))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = study_ranks(result, draw)
        assert np.array_equal(reference, res.ranks[i]), draw
    assert len(seen) >= 4  # the draws cover several combinations


def test_fixed_dimension_weights_match_the_study():
    panel = datasets.synthetic_counties(provinces=["13"], years=range(2019, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        equal_dims = Study(panel, "seed", {"weighting": {"dimensions": "equal"}}).evaluate()
    res = _run(equal_dims, draws=4, seed=3, sobol_n=0,
               options={**SOME, "normalisation": ["minmax"], "imputation": ["linear"]})
    for i in range(4):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert np.array_equal(study_ranks(equal_dims, res.draw(i)), res.ranks[i])


def test_rank_statistics_by_hand(result):
    res = _run(result, draws=40, seed=2, sobol_n=0, options=SOME)
    R, nom = res.ranks, res.table["nominal_rank"].to_numpy()
    j = 17
    column = np.sort(R[:, j])
    # type-7 percentile of 40 values: position 0.05 * 39 = 1.95 between the 2nd and 3rd values
    assert res.table["p05_rank"].iloc[j] == pytest.approx(column[1] + 0.95 * (column[2] - column[1]))
    assert res.table["median_rank"].iloc[j] == pytest.approx((column[19] + column[20]) / 2)
    assert res.table["mean_abs_shift"].iloc[j] == pytest.approx(np.abs(R[:, j] - nom[j]).mean())
    assert (res.table["p05_rank"] <= res.table["median_rank"]).all()
    assert (res.table["median_rank"] <= res.table["p95_rank"]).all()
    assert R.min() >= 1 and R.max() <= 167


def test_sobol_indices_vanish_for_fixed_choices(result):
    res = _run(result, draws=16, seed=0, sobol_n=32,
               options={**NOMINAL, "aggregation": ["arithmetic", "geometric", "topsis"]},
               perturbation=0.0)
    s = res.sobol.set_index("choice")
    assert s.loc["aggregation", "ST"] > 0.5
    fixed = ["normalisation", "weighting", "weight_perturbation", "imputation", "left_out"]
    assert (s.loc[fixed, ["S1", "ST"]] == 0).all().all()


def test_same_seed_same_numbers_and_chunking_does_not_matter(result):
    a = _run(result, draws=60, seed=5, chunk=7, options=SOME)
    b = _run(result, draws=60, seed=5, chunk=512, options=SOME)
    c = _run(result, draws=60, seed=6, options=SOME)
    assert np.array_equal(a.ranks, b.ranks) and a.table.equals(b.table)
    assert not np.array_equal(a.ranks, c.ranks)


def test_dask_runs_equal_the_local_run(result):
    distributed = pytest.importorskip("distributed")
    local = _run(result, draws=48, seed=4, chunk=16, options=SOME)
    on_dask = _run(result, draws=48, seed=4, chunk=16, scheduler="local", options=SOME)
    assert np.array_equal(local.ranks, on_dask.ranks)
    assert local.table.equals(on_dask.table) and local.sobol.equals(on_dask.sobol)
    with distributed.LocalCluster(processes=False, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = _run(result, draws=48, seed=4, chunk=16, scheduler=cluster.scheduler_address,
                      options=SOME)
    assert np.array_equal(local.ranks, remote.ranks) and local.table.equals(remote.table)


def test_dask_missing_names_the_extra(result, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(RongheError, match=r'pip install "ronghe\[dist\]"'):
        _run(result, draws=4, scheduler="local", options=NOMINAL)


def test_progress_and_bad_input(result):
    calls = []
    _run(result, draws=20, sobol_n=8, chunk=30, options=SOME,
         progress=lambda d, t: calls.append((d, t)))
    assert calls == [(30, 84), (60, 84), (84, 84)]
    with pytest.raises(InputError, match="draws"):
        _run(result, draws=-1)
    with pytest.raises(InputError, match="normalisation"):
        _run(result, draws=2, options={"normalisation": ["log"]})
    with pytest.raises(InputError, match="left out"):
        _run(result, draws=2, options={"left_out": ["no_such_indicator"]})


def test_critic_left_out_equals_the_kernel_on_the_kept_columns(result):
    Z = result.state.Z
    k = Z.shape[1]
    options = [None, 0, 5, k - 1]
    got = critic_left_out(Z, options)
    for row, j in zip(got, options, strict=True):
        keep = np.arange(k) if j is None else np.delete(np.arange(k), j)
        assert row[keep] == pytest.approx(m.critic_weights(Z[:, keep]), rel=1e-10, abs=1e-15)
        if j is not None:
            assert row[j] == 0.0
    # a constant column goes through the kernel (weight 0 for it, with its warning)
    Zc = Z[:, :5].copy()
    Zc[:, 2] = 0.5
    with pytest.warns(RongheWarning):
        got = critic_left_out(Zc, [None, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert got[1, [0, 2, 3, 4]] == pytest.approx(m.critic_weights(Zc[:, [0, 2, 3, 4]]))
    assert got[0, 2] == 0.0


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 30)),
              elements=st.sampled_from([0.0, 0.25, 0.5, 1.0, -3.0, 7.5])))
def test_descending_ranks_equal_scipy(values):
    assert np.array_equal(descending_ranks(values), rankdata(-values, method="min", axis=1))

"""Global Moran, local Moran (LISA) and Getis-Ord Gi* against esda and hand-worked values."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

esda = pytest.importorskip("esda", reason="esda (the maps extra) is not installed")
import libpysal  # noqa: E402
from libpysal import examples  # noqa: E402
from libpysal import weights as lw  # noqa: E402

from ronghe.errors import InputError  # noqa: E402
from ronghe.spatial.autocorrelation import (  # noqa: E402
    _hotspot,
    getis_ord,
    gi_star_weights,
    global_moran,
    local_moran,
)


def stl() -> tuple[lw.W, pd.DataFrame]:
    """libpysal's St Louis homicide example (ships in the wheel, no download)."""
    w = libpysal.io.open(examples.get_path("stl.gal")).read()
    table = libpysal.io.open(examples.get_path("stl_hom.txt"))
    frame = pd.DataFrame(
        {1986: np.array(table.by_col["HR8488"]), 1990: np.array(table.by_col["HR8893"])},
        index=w.id_order,
    )
    return w, frame


def test_global_moran_reproduces_esda_docstring_oracle() -> None:
    w, frame = stl()
    out = global_moran(frame[[1990]], w).set_index("year").loc[1990]
    # TESTING.md / esda's Moran docstring, stl.gal and HR8893.
    assert out["I"] == pytest.approx(0.24365582621771695, abs=1e-12)
    assert out["E_I"] == pytest.approx(-0.012987012987012988, abs=1e-12)
    assert out["z_norm"] == pytest.approx(3.641097183545746, abs=1e-12)
    assert out["p_norm"] == pytest.approx(0.0002714786277092747, abs=1e-12)
    assert out["n"] == 78


def test_global_moran_equals_esda_for_every_year_and_restores_rng() -> None:
    # esda's global Moran draws from NumPy's legacy global generator, so the oracle must too.
    w, frame = stl()
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    out = global_moran(frame, w, permutations=99, seed=7).set_index("year")
    assert np.array_equal(np.random.get_state()[1], state)  # noqa: NPY002
    wr = libpysal.io.open(examples.get_path("stl.gal")).read()
    np.random.seed(7)  # noqa: NPY002
    first = esda.Moran(frame[1986].to_numpy(), wr, permutations=99)
    second = esda.Moran(frame[1990].to_numpy(), wr, permutations=99)
    for year, ref in ((1986, first), (1990, second)):
        assert out.loc[year, "I"] == pytest.approx(ref.I, abs=1e-12)
        assert out.loc[year, "z_norm"] == pytest.approx(ref.z_norm, abs=1e-12)
        assert out.loc[year, "p_sim"] == pytest.approx(ref.p_sim, abs=1e-12)
    assert np.isnan(global_moran(frame, w, permutations=0)["p_sim"]).all()


def test_long_input_is_accepted() -> None:
    w, frame = stl()
    long = frame.stack().rename_axis(["region", "year"]).rename("hr")
    wide_out = global_moran(frame, w, permutations=0)
    long_out = global_moran(long, w, permutations=0)
    pd.testing.assert_frame_equal(wide_out, long_out)


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 100.0), st.floats(-50.0, 50.0))
def test_moran_is_invariant_to_positive_affine_rescaling(a: float, b: float) -> None:
    w, frame = stl()
    base = global_moran(frame, w, permutations=0)
    scaled = global_moran(frame * a + b, w, permutations=0)
    np.testing.assert_allclose(scaled["I"], base["I"], rtol=1e-9, atol=1e-12)


def test_local_moran_statistics_equal_esda() -> None:
    w, frame = stl()
    out = local_moran(frame, w, permutations=99)
    wr = libpysal.io.open(examples.get_path("stl.gal")).read()
    for year in frame.columns:
        ref = esda.Moran_Local(frame[year].to_numpy(), wr, permutations=0)
        rows = out[out["year"] == year]
        np.testing.assert_allclose(rows["Ii"], ref.Is, rtol=0, atol=1e-12)
        quads = rows["quadrant"].map({"HH": 1, "LH": 2, "LL": 3, "HL": 4})
        np.testing.assert_array_equal(quads, ref.q)
    sig = out["p_sim"] < 0.05
    assert (out.loc[~sig, "cluster"] == "ns").all()
    assert (out.loc[sig, "cluster"] == out.loc[sig, "quadrant"]).all()
    assert set(out["cluster_zh"]) <= {"高高", "低低", "高低", "低高", "不显著"}
    assert out["cluster"].value_counts().get("HH", 0) > 0


def test_local_moran_p_values_match_exact_enumeration() -> None:
    # Hand-checkable oracle: 6 regions on a path 0-1-2-3-4-5 (rook), values below. The exact
    # conditional-permutation distribution of region 0's lag (1 neighbour) is the 5 other values,
    # and region 2's (2 neighbours, weights 1/2) is the mean of any 2 of the 5 others.
    values = np.array([10.0, 8.0, 7.0, 1.0, 2.0, 0.0])
    w = lw.W({0: [1], 1: [0, 2], 2: [1, 3], 3: [2, 4], 4: [3, 5], 5: [4]})
    ids = [str(i) for i in range(6)]
    w = lw.W({str(k): [str(v) for v in n] for k, n in w.neighbors.items()}, id_order=ids)
    frame = pd.DataFrame({2020: values}, index=ids)
    out = local_moran(frame, w, permutations=20000, seed=1).set_index("region")
    z = (values - values.mean()) / values.std()

    def exact(i: int, k: int) -> float:
        others = np.delete(z, i)
        lags = np.array([np.mean(c) for c in combinations(others, k)])
        observed_lag = np.mean(z[[int(j) for j in w.neighbors[str(i)]]])
        share = np.mean(z[i] * lags >= z[i] * observed_lag)
        return min(share, 1 - share)

    # Region 0: lag = z[1]; the others' z are ranked so that 1 of 5 draws is >= it -> 1/5 = 0.2.
    assert exact(0, 1) == pytest.approx(0.2)
    for region, k in ((0, 1), (2, 2), (3, 2)):
        assert out.loc[str(region), "p_sim"] == pytest.approx(exact(region, k), abs=0.012)


def test_gi_star_equals_esda_and_hand_value() -> None:
    w, frame = stl()
    out = getis_ord(frame, w, permutations=99)
    ws = gi_star_weights(libpysal.io.open(examples.get_path("stl.gal")).read())
    y = frame[1990].to_numpy()
    ref = esda.G_Local(y, ws, transform="B", permutations=0, star=True)
    rows = out[out["year"] == 1990].reset_index(drop=True)
    np.testing.assert_allclose(rows["G"], ref.Gs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rows["z"], ref.Zs, rtol=0, atol=1e-12)
    # Gi* of the first region by hand: its value plus its neighbours' values over the total.
    first = w.id_order[0]
    members = [first, *w.neighbors[first]]
    hand = frame.loc[members, 1990].sum() / frame[1990].sum()
    assert rows.loc[0, "G"] == pytest.approx(hand, abs=1e-12)
    hot = rows["spot"].str.startswith("hot")
    assert (rows.loc[hot, "z"] >= 1.6448536269514722).all()
    assert set(rows["spot_zh"]) <= set(
        [
            "热点 (99%)",
            "热点 (95%)",
            "热点 (90%)",
            "冷点 (99%)",
            "冷点 (95%)",
            "冷点 (90%)",
            "不显著",
        ]
    )


def test_hotspot_thresholds() -> None:
    z = np.array([3.0, 2.0, 1.7, 1.0, -1.7, -2.0, -2.6])
    assert list(_hotspot(z)) == [
        "hot_99",
        "hot_95",
        "hot_90",
        "ns",
        "cold_90",
        "cold_95",
        "cold_99",
    ]


def test_bad_values_are_reported() -> None:
    w, frame = stl()
    gaps = frame.copy()
    gaps.iloc[3, 1] = np.nan
    with pytest.raises(InputError, match=r"region 4 has no finite value in 1990"):
        global_moran(gaps, w)
    with pytest.raises(InputError, match="have no values"):
        global_moran(frame.iloc[1:], w)
    extra = pd.concat([frame, pd.DataFrame({1986: [1.0], 1990: [1.0]}, index=["x"])])
    with pytest.raises(InputError, match="not in the weights"):
        local_moran(extra, w)
    constant = frame.assign(**{"1990": 1.0}).drop(columns=[1990]).rename(columns={"1990": 1990})
    with pytest.raises(InputError, match="same value in 1990"):
        global_moran(constant, w)
    with pytest.raises(InputError, match="non-negative"):
        getis_ord(frame - 10.0, w)


@pytest.mark.slow
def test_permutation_p_values_agree_with_esda() -> None:
    # esda's conditional randomisation (numba, compiled here) on the same weights and seed; the
    # draws differ, so the p-values agree within Monte Carlo error (sd <= 0.005 at 9,999 draws).
    w, frame = stl()
    y = frame[1990].to_numpy()
    ours = local_moran(frame[[1990]], w, permutations=9999, seed=3)
    wr = libpysal.io.open(examples.get_path("stl.gal")).read()
    ref = esda.Moran_Local(y, wr, permutations=9999, seed=3, n_jobs=1)
    np.testing.assert_allclose(ours["p_sim"], ref.p_sim, atol=0.025)
    gi = getis_ord(frame[[1990]], w, permutations=9999, seed=3)
    ws = gi_star_weights(libpysal.io.open(examples.get_path("stl.gal")).read())
    gref = esda.G_Local(y, ws, transform="B", permutations=9999, star=True, seed=3, n_jobs=1)
    np.testing.assert_allclose(gi["p_sim"], gref.p_sim, atol=0.025)

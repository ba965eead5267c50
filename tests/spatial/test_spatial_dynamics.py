"""Classic and spatial Markov chains against giddy (us_income) and a hand-worked chain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

giddy_markov = pytest.importorskip("giddy.markov", reason="giddy (the dynamics extra) is not installed")
import libpysal  # noqa: E402
import mapclassify  # noqa: E402
from libpysal import examples  # noqa: E402

from ronghe.errors import InputError  # noqa: E402
from ronghe.spatial.dynamics import markov, spatial_markov  # noqa: E402

YEARS = list(range(1929, 2010))


def us_income() -> tuple[pd.DataFrame, libpysal.weights.W]:
    """Per-capita income of the 48 US states 1929–2009 (libpysal example, ships in the wheel)."""
    table = libpysal.io.open(examples.get_path("usjoin.csv"))
    pci = np.array([table.by_col[str(y)] for y in YEARS]).T
    w = libpysal.io.open(examples.get_path("states48.gal")).read()
    return pd.DataFrame(pci, index=w.id_order, columns=YEARS), w


def test_classic_markov_equals_giddy() -> None:
    frame, _ = us_income()
    result = markov(frame, k=5, relative=True)
    rpci = frame.to_numpy() / frame.to_numpy().mean(axis=0)
    classes = mapclassify.Quantiles(rpci.ravel(), k=5).yb.reshape(rpci.shape)
    ref = giddy_markov.Markov(classes, summary=False)
    np.testing.assert_array_equal(result.counts.to_numpy(), ref.transitions)
    np.testing.assert_allclose(result.probabilities.to_numpy(), ref.p, rtol=0, atol=1e-15)
    np.testing.assert_allclose(result.steady_state.to_numpy(), ref.steady_state, atol=1e-12)
    np.testing.assert_array_equal(result.classes.to_numpy(), classes + 1)
    assert result.counts.to_numpy().sum() == 48 * 80
    # Time homogeneity: 80 transitions, the first 40 (1929→1969) against the last 40.
    halves = [classes[:, :41], classes[:, 40:]]
    ref_ht = giddy_markov.homogeneity(
        [giddy_markov.Markov(h, classes=np.arange(5), summary=False).transitions for h in halves]
    )
    assert result.tests.loc["Q", "statistic"] == pytest.approx(ref_ht.Q, abs=1e-9)
    assert result.tests.loc["LR", "statistic"] == pytest.approx(ref_ht.LR, abs=1e-9)
    assert result.tests.loc["LR", "dof"] == ref_ht.dof
    table = result.table()
    assert list(table.columns) == ["from_class", "to_class", "count", "probability"]
    assert len(table) == 25


def test_spatial_markov_equals_giddy() -> None:
    frame, w = us_income()
    result = spatial_markov(frame, w, k=5, relative=True)
    rpci = frame.to_numpy() / frame.to_numpy().mean(axis=0)
    wr = libpysal.io.open(examples.get_path("states48.gal")).read()
    wr.transform = "r"
    ref = giddy_markov.Spatial_Markov(rpci, wr, fixed=True, k=5, m=5)
    np.testing.assert_allclose(result.pooled.probabilities.to_numpy(), ref.p, atol=1e-15)
    t = result.transitions.sort_values(["lag_class", "from_class", "to_class"])
    np.testing.assert_array_equal(t["count"].to_numpy().reshape(5, 5, 5), ref.T)
    np.testing.assert_allclose(t["probability"].to_numpy().reshape(5, 5, 5), ref.P, atol=1e-15)
    assert result.tests.loc["Q", "statistic"] == pytest.approx(ref.Q, abs=1e-9)
    assert result.tests.loc["LR", "statistic"] == pytest.approx(ref.LR, abs=1e-9)
    assert result.tests.loc["LR", "dof"] == ref.dof_hom
    assert result.tests.loc["LR", "p_value"] == pytest.approx(ref.LR_p_value, abs=1e-12)
    for row, (chi2, p, dof) in zip(result.lag_tests.itertuples(), ref.chi2, strict=True):
        assert row.chi2 == pytest.approx(chi2, abs=1e-9)
        assert row.p_value == pytest.approx(p, abs=1e-12)
        assert row.dof == dof
    np.testing.assert_allclose(result.lag_cutoffs, ref.lag_cutoffs, atol=1e-15)
    # The caller's weights are untouched.
    assert w.transform == "O"


def test_hand_worked_chain() -> None:
    # 4 regions, 3 years, k = 2: pooled median of the 12 values 1..12 is 6.5, so values 1..6 are
    # class 1 and 7..12 class 2.
    frame = pd.DataFrame(
        {2001: [1, 2, 7, 8], 2002: [3, 9, 4, 10], 2003: [11, 5, 6, 12]},
        index=["a", "b", "c", "d"],
    )
    result = markov(frame, k=2)
    np.testing.assert_allclose(result.cutoffs, [6.5])
    # Transitions: a 1→1, 1→2; b 1→2, 2→1; c 2→1, 1→1; d 2→2, 2→2.
    # From 1: to 1 twice (a, c), to 2 twice (a, b). From 2: to 1 twice (b, c), to 2 twice (d).
    assert result.counts.to_numpy().tolist() == [[2, 2], [2, 2]]
    np.testing.assert_allclose(result.probabilities.to_numpy(), [[0.5, 0.5], [0.5, 0.5]])
    np.testing.assert_allclose(result.steady_state.to_numpy(), [0.5, 0.5])
    # Time homogeneity: 2001→02 gives [[1, 1], [1, 1]] (a 1→1, b 1→2, c 2→1, d 2→2) and 2002→03
    # the same (a 1→2, b 2→1, c 1→1, d 2→2), so both statistics are exactly 0.
    assert result.tests["statistic"].tolist() == [0.0, 0.0]
    assert result.tests.loc["Q", "dof"] == 2  # (2 non-empty rows) × (2 − 1) × (2 periods − 1)
    assert np.isnan(markov(frame[[2001, 2002]], k=2).tests["statistic"]).all()


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, (6, 5), elements=st.floats(0, 1e6, allow_nan=False)))
def test_probabilities_are_row_stochastic(values: np.ndarray) -> None:
    frame = pd.DataFrame(values, index=list("abcdef"), columns=range(2000, 2005))
    if np.unique(values).size < 4:
        with pytest.raises(InputError):
            markov(frame)
        return
    try:
        result = markov(frame)
    except InputError as err:  # tied quantiles on heavily repeated values
        assert "tied quantiles" in str(err)
        return
    p = result.probabilities.to_numpy()
    sums = p.sum(axis=1)
    assert np.all(np.isclose(sums, 1.0) | np.isclose(sums, 0.0))
    assert result.counts.to_numpy().sum() == 6 * 4


def test_bad_input() -> None:
    frame, w = us_income()
    with pytest.raises(InputError, match="at least two years"):
        markov(frame[[1929]])
    with pytest.raises(InputError, match="k must be at least 2"):
        markov(frame, k=1)
    with pytest.raises(InputError, match="have no values"):
        spatial_markov(frame.iloc[:-1], w)

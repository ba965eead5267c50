"""Obstacle degree: hand-worked example, all-ideal rows, aggregation by tags, properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.errors import MethodError, RongheWarning
from ronghe.methods import aggregate_obstacles, obstacle_degree


def test_hand_worked_and_all_ideal_row():
    Z = np.array([[0.5, 1.0, 0.0], [1.0, 1.0, 1.0]])
    w = [0.2, 0.3, 0.5]
    # row 0: deviations 0.5, 0, 1; w x I = 0.1, 0, 0.5; sum 0.6 -> 1/6, 0, 5/6
    # row 1: no deviation -> the weights' shares 0.2, 0.3, 0.5
    shares = obstacle_degree(Z, w)
    np.testing.assert_allclose(shares, [[1 / 6, 0.0, 5 / 6], [0.2, 0.3, 0.5]])


def test_out_of_range_names_cell():
    with pytest.raises(MethodError, match="row 0, column 1"):
        obstacle_degree([[0.5, 1.0001]], [1, 1])


def test_aggregate_by_labels():
    shares = np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])
    A, groups = aggregate_obstacles(shares, ["O2", None, "O1", "O2"])
    assert groups == ["O2", "O1"]
    np.testing.assert_allclose(A, [[0.5, 0.3], [0.5, 0.25]])
    An, _ = aggregate_obstacles(shares, ["O2", None, "O1", "O2"], renormalize=True)
    np.testing.assert_allclose(An, [[0.625, 0.375], [2 / 3, 1 / 3]])


def test_aggregate_renormalize_zero_row_and_bad_labels():
    shares = np.array([[0.0, 1.0]])
    with pytest.warns(RongheWarning):
        A, _ = aggregate_obstacles(shares, ["O1", None], renormalize=True)
    np.testing.assert_allclose(A, [[1.0]])
    with pytest.raises(MethodError, match="2 labels for 3 columns"):
        aggregate_obstacles(np.ones((1, 3)) / 3, ["a", "b"])


unit = arrays(
    np.float64,
    st.tuples(st.integers(1, 10), st.integers(1, 6)),
    elements=st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=80, deadline=None)
@given(unit, st.data())
def test_rows_sum_to_one_and_are_nonnegative(Z, data):
    k = Z.shape[1]
    w = np.array(data.draw(st.lists(st.floats(0.01, 10.0), min_size=k, max_size=k)))
    shares = obstacle_degree(Z, w)
    assert (shares >= 0).all()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-12)

"""improvement: direction-aware change, by hand and by properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.errors import MethodError
from ronghe.methods.typology import improvement


def test_hand_worked():
    before, after = np.array([1.0, 5.0]), np.array([3.0, 4.0])
    np.testing.assert_allclose(improvement(before, after, "+"), [2.0, -1.0])  # 3-1, 4-5
    np.testing.assert_allclose(improvement(before, after, "-"), [-2.0, 1.0])  # 1-3, 5-4
    np.testing.assert_allclose(improvement(before, after, "negative"), [-2.0, 1.0])
    # target 1.0 (land-population elasticity): |1.5-1| - |1.1-1| = 0.4; |0.8-1| - |1.3-1| = -0.1;
    # crossing the target at equal distance: |0.9-1| - |1.1-1| = 0
    np.testing.assert_allclose(
        improvement([1.5, 0.8, 0.9], [1.1, 1.3, 1.1], 1.0), [0.4, -0.1, 0.0], atol=1e-12
    )
    assert improvement(2.0, 3.0, " Positive ") == 1.0


def test_broadcasts_one_before_against_many_after():
    np.testing.assert_allclose(improvement(2.0, [1.0, 4.0], "-"), [1.0, -2.0])


finite = st.floats(-1e6, 1e6, allow_subnormal=False)
pairs = st.integers(1, 8).flatmap(
    lambda n: st.tuples(arrays(float, n, elements=finite), arrays(float, n, elements=finite))
)


@given(pairs, st.one_of(st.sampled_from(["+", "-"]), finite))
def test_properties(pair, direction):
    a, b = pair
    forward = improvement(a, b, direction)
    np.testing.assert_allclose(improvement(b, a, direction), -forward, atol=1e-6)
    np.testing.assert_array_equal(improvement(a, a, direction), 0.0)
    assert np.all(np.abs(forward) <= np.abs(b - a) * (1 + 1e-12) + 1e-6)  # triangle inequality


@given(pairs)
def test_positive_and_negative_are_opposite(pair):
    a, b = pair
    np.testing.assert_array_equal(improvement(a, b, "+"), -improvement(a, b, "-"))


@given(pairs, finite)
def test_moving_to_the_target_is_the_largest_gain(pair, t):
    a, b = pair
    best = improvement(a, np.full_like(a, t), t)
    np.testing.assert_allclose(best, np.abs(a - t))
    assert np.all(improvement(a, b, t) <= best + 1e-6)


@pytest.mark.parametrize(
    ("before", "after", "direction", "message"),
    [
        ([1.0, np.nan], [1.0, 2.0], "+", "value before at position (1,) is not finite"),
        ([1.0], [np.inf], "-", "value after at position (0,) is not finite"),
        ([1.0], [2.0], "up", "unknown indicator direction 'up'"),
        ([1.0], [2.0], float("nan"), "target value of an indicator must be finite"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "+", "incompatible shapes (2,) and (3,)"),
    ],
)
def test_bad_input(before, after, direction, message):
    with pytest.raises(MethodError) as err:
        improvement(np.asarray(before), np.asarray(after), direction)
    assert message in str(err.value)

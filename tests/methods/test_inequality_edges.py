"""Edge cases of the inequality kernels found by the property tests."""

from __future__ import annotations

import numpy as np
import pytest

from ronghe.errors import MethodError
from ronghe.methods import dagum_gini, gini


def test_gini_of_equal_values_is_zero_not_a_rounding_negative():
    # Σ (2i - n - 1) y_(i) rounds to -1e-17 for these four equal values
    assert gini(np.full(4, 1365.6704377309911)) == 0.0


def test_group_labels_are_checked_once_for_every_kernel():
    with pytest.raises(MethodError, match="groups has missing labels") as err:
        dagum_gini([1.0, 2.0, 3.0], np.array([0, None, 1], dtype=object))
    assert str(err.value).startswith("groups 有缺失标签")

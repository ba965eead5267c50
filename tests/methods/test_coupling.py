"""Coupling coordination: hand-worked classic and corrected C (m = 2, 3), grades, stages, types."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.errors import InputError, MethodError
from ronghe.methods import (
    CCD_LEVELS,
    ccd_grade,
    coupling_coordination,
    coupling_stage,
    development_type,
)


def test_two_subsystems_classic_and_corrected():
    U = np.array([[0.6, 0.4]])
    # classic: C = 2 sqrt(0.6 * 0.4)/(0.6 + 0.4) = 2 * 0.4898979 = 0.9797959
    # T = 0.5, D = sqrt(0.9797959 * 0.5) = 0.6999271
    C, T, D = coupling_coordination(U)
    assert C[0] == pytest.approx(2 * math.sqrt(0.24))
    assert T[0] == pytest.approx(0.5)
    assert D[0] == pytest.approx(math.sqrt(math.sqrt(0.24)))
    # corrected: [1 - |0.6 - 0.4| / 1] x (0.4/0.6 x 0.6/0.6)^(1/1) = 0.8 x 2/3 = 0.5333333
    # C = sqrt(0.5333333) = 0.7302967, D = sqrt(0.7302967 x 0.5) = 0.6042750
    C, T, D = coupling_coordination(U, formula="corrected")
    assert C[0] == pytest.approx(math.sqrt(0.8 * 2 / 3))
    assert C[0] == pytest.approx(0.7302967, abs=1e-7)
    assert D[0] == pytest.approx(math.sqrt(math.sqrt(0.8 * 2 / 3) * 0.5))


def test_three_subsystems_classic_and_corrected():
    U = np.array([[0.2, 0.4, 0.8]])
    # classic: 3 x (0.2 x 0.4 x 0.8)^(1/3) / 1.4 = 3 x 0.4 / 1.4 = 0.8571429
    # T = 1.4/3 = 0.4666667, D = sqrt(0.8571429 x 0.4666667) = sqrt(0.4) = 0.6324555
    C, T, D = coupling_coordination(U)
    assert C[0] == pytest.approx(3 * 0.4 / 1.4)
    assert T[0] == pytest.approx(1.4 / 3)
    assert D[0] == pytest.approx(math.sqrt(0.4))
    # corrected: gaps 0.2 + 0.6 + 0.4 = 1.2 over 1 + 2 = 3 -> 1 - 0.4 = 0.6
    # ratios 0.25 x 0.5 x 1 = 0.125, ^(1/2) = 0.3535534; C = sqrt(0.6 x 0.3535534) = 0.4605779
    C, _, _ = coupling_coordination(U, formula="corrected")
    assert C[0] == pytest.approx(math.sqrt(0.6 * math.sqrt(0.125)))
    assert C[0] == pytest.approx(0.4605779, abs=1e-7)


def test_weighted_t_and_all_zero_row():
    U = np.array([[0.2, 0.8], [0.0, 0.0]])
    C, T, D = coupling_coordination(U, alpha=[0.25, 0.75])
    assert T[0] == pytest.approx(0.65)
    np.testing.assert_array_equal([C[1], T[1], D[1]], [0.0, 0.0, 0.0])
    Cc, _, Dc = coupling_coordination(U, formula="corrected")
    assert Cc[1] == 0.0 and Dc[1] == 0.0


def test_equal_subsystems_couple_perfectly():
    C, _, _ = coupling_coordination([[0.3, 0.3, 0.3]], formula="corrected")
    assert C[0] == pytest.approx(1.0)
    C, _, _ = coupling_coordination([[0.3, 0.3, 0.3]])
    assert C[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("U", "kwargs", "match"),
    [
        ([[0.5, 1.2]], {}, "outside"),
        ([[0.5]], {}, "m >= 2"),
        ([[0.5, 0.5]], {"alpha": [0.7, 0.7]}, "alpha"),
        ([[0.5, 0.5]], {"formula": "fan"}, "formula"),
    ],
)
def test_bad_input(U, kwargs, match):
    with pytest.raises(MethodError, match=match):
        coupling_coordination(U, **kwargs)


def test_grades_at_boundaries():
    D = [0.0, 0.0999, 0.1, 0.3, 0.5, 0.6, 0.7, 0.8999, 0.9, 1.0]
    levels, labels = ccd_grade(D)
    np.testing.assert_array_equal(levels, [1, 1, 2, 4, 6, 7, 8, 9, 10, 10])
    assert labels[0] == "极度失调" and labels[-1] == "优质协调" and labels[4] == "勉强协调"
    _, en = ccd_grade(D, lang="en")
    assert en[3] == "mild imbalance" and en[-1] == "high-quality coordination"
    assert [lv.level for lv in CCD_LEVELS] == list(range(1, 11))
    with pytest.raises(MethodError, match="outside"):
        ccd_grade([1.01])
    with pytest.raises(InputError, match="lang"):
        ccd_grade([0.5], lang="fr")


def test_coupling_stages_right_closed():
    stages, labels = coupling_stage([0.0, 0.3, 0.31, 0.5, 0.8, 0.81, 1.0])
    np.testing.assert_array_equal(stages, [1, 1, 2, 2, 3, 4, 4])
    assert list(labels[[0, 2, 4, 6]]) == ["低水平耦合", "拮抗", "磨合", "高水平耦合"]
    _, en = coupling_stage([0.4], lang="en")
    assert en[0] == "antagonism"


def test_development_type_difference_and_ratio():
    u1 = [0.6, 0.3, 0.5, 0.5, 0.0]
    u2 = [0.4, 0.5, 0.45, 0.6, 0.0]
    # differences u1 - u2: 0.2 (rural lags), -0.2 (urban lags), 0.05, -0.1 (not > 0.1), 0
    zh = development_type(u1, u2)
    assert list(zh) == ["乡村滞后型", "城镇滞后型", "同步型", "同步型", "同步型"]
    en = development_type(u1, u2, lang="en")
    assert list(en[:2]) == ["rural-lagged", "urban-lagged"]
    # ratios u2/u1: 0.667 (<0.9 rural lags), 1.667 (urban lags), 0.9 (sync), 1.2 (urban), 0/0 sync
    ratio = development_type(u1, u2, rule="ratio", lang="en")
    assert list(ratio) == [
        "rural-lagged",
        "urban-lagged",
        "synchronous",
        "urban-lagged",
        "synchronous",
    ]
    named = development_type([0.9], [0.1], lang="en", names=("economy", "ecology"))
    assert named[0] == "ecology-lagged"


unit = arrays(
    np.float64,
    st.tuples(st.integers(1, 10), st.integers(2, 5)),
    elements=st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False),
)


@settings(max_examples=80, deadline=None)
@given(unit, st.sampled_from(["classic", "corrected"]))
def test_c_t_d_lie_in_unit_interval(U, formula):
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        C, T, D = coupling_coordination(U, formula=formula)
    for v in (C, T, D):
        assert ((v >= 0) & (v <= 1)).all()
    np.testing.assert_allclose(D, np.sqrt(C * T))

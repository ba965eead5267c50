import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ronghe.errors import MethodError
from ronghe.methods.typology import BALANCED, relative_typology


def test_hand_worked_location_quotients():
    # group means: (0.4, 0.3, 0.3); row 0 LQ = (1.25, 0.667, 0.667) -> category 0
    # row 1 LQ = (0.75, 1.333, 0.833) -> category 1; row 2 LQ = (1.0, 1.0, 1.167) -> category 2
    # row 3 is alone in its group: LQ = 1 everywhere -> tie -> balanced
    a = [[0.5, 0.2, 0.2 + 0.1], [0.3, 0.4, 0.3], [0.4, 0.3, 0.3 + 0.05], [0.2, 0.3, 0.5]]
    a = np.array(a) / np.array(a).sum(axis=1, keepdims=True)
    got = relative_typology(a, [2020, 2020, 2020, 2021])
    mean = a[:3].mean(axis=0)
    lq = a[:3] / mean
    assert got[:3].tolist() == [int(np.argmax(r)) if r.max() >= 1.1 else BALANCED for r in lq]
    assert got[3] == BALANCED


def test_threshold_controls_balanced():
    a = [[0.52, 0.48], [0.48, 0.52]]
    assert relative_typology(a, [0, 0]).tolist() == [BALANCED, BALANCED]
    assert relative_typology(a, [0, 0], threshold=1.01).tolist() == [0, 1]


def test_bad_input():
    with pytest.raises(MethodError):
        relative_typology([[0.5, 0.5]], [0, 1])
    with pytest.raises(MethodError):
        relative_typology([[0.5, 0.5]], [0], threshold=0)


@given(st.lists(st.lists(st.floats(0.01, 1), min_size=4, max_size=4), min_size=2, max_size=30),
       st.permutations(range(4)))
def test_permuting_categories_permutes_types(rows, perm):
    a = np.array(rows)
    a = a / a.sum(axis=1, keepdims=True)
    groups = np.zeros(len(a))
    base = relative_typology(a, groups)
    moved = relative_typology(a[:, perm], groups)
    inverse = np.argsort(perm)
    expected = np.where(base == BALANCED, BALANCED, inverse[np.maximum(base, 0)])
    assert moved.tolist() == expected.tolist()

"""obstacle_typology: dominance rule by hand, k-means on planted groups, properties, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ronghe.errors import MethodError
from ronghe.methods.typology import BALANCED, obstacle_typology

B = BALANCED


def test_rule_hand_worked():
    # defaults for m = 4: min_share = 1/4 + 0.10 = 0.35, margin = 0.05
    A = np.array(
        [
            [0.40, 0.30, 0.20, 0.10],  # 0.40 >= 0.35 and 0.40 - 0.30 = 0.10 >= 0.05 -> O1
            [0.34, 0.22, 0.22, 0.22],  # 0.34 < 0.35 -> balanced
            [0.38, 0.34, 0.18, 0.10],  # lead 0.38 - 0.34 = 0.04 < 0.05 -> balanced
            [0.10, 0.20, 0.35, 0.35],  # tie for first place -> balanced
            [0.10, 0.15, 0.50, 0.25],  # 0.50, lead 0.25 -> O3
            [0.35, 0.30, 0.20, 0.15],  # both thresholds met exactly (boundary inclusive) -> O1
            [0.25, 0.25, 0.25, 0.25],  # even split -> balanced
            [0.00, 0.00, 0.00, 1.00],  # all in O4 -> O4
        ]
    )
    np.testing.assert_array_equal(obstacle_typology(A), [0, B, B, B, 2, 0, B, 3])


def test_rule_options():
    row = np.array([[0.45, 0.20, 0.20, 0.15]])
    assert obstacle_typology(row)[0] == 0
    assert obstacle_typology(row, min_share=0.5)[0] == B  # 0.45 < 0.50
    assert obstacle_typology(row, margin=0.30)[0] == B  # lead 0.25 < 0.30
    tie = np.array([[0.4, 0.4, 0.1, 0.1]])
    assert obstacle_typology(tie, margin=0.0)[0] == B  # ties never pick a winner
    # two categories: default min_share = 1/2 + 0.10 = 0.60
    np.testing.assert_array_equal(obstacle_typology([[0.59, 0.41], [0.2, 0.8]]), [B, 1])


def _planted(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = np.array(
        [
            [0.70, 0.10, 0.10, 0.10],  # awareness-lagging
            [0.10, 0.10, 0.70, 0.10],  # service-lagging
            [0.10, 0.10, 0.10, 0.70],  # factor-blocked
            [0.25, 0.25, 0.25, 0.25],  # balanced
        ]
    )
    truth = np.repeat([0, 2, 3, B], 15)
    rows = np.repeat(centres, 15, axis=0) + rng.normal(0, 0.01, size=(60, 4))
    rows = np.clip(rows, 0, None)
    return rows / rows.sum(axis=1, keepdims=True), truth


def test_kmeans_recovers_planted_groups():
    A, truth = _planted(np.random.default_rng(7))
    np.testing.assert_array_equal(obstacle_typology(A, method="kmeans", k=4), truth)
    np.testing.assert_array_equal(obstacle_typology(A), truth)  # the rule agrees
    # the default k = m + 1 = 5 splits some group but still labels every region correctly
    np.testing.assert_array_equal(obstacle_typology(A, method="kmeans"), truth)


def test_kmeans_is_deterministic_and_handles_few_profiles():
    A, _ = _planted(np.random.default_rng(1))
    first = obstacle_typology(A, method="kmeans", seed=3)
    np.testing.assert_array_equal(first, obstacle_typology(A, method="kmeans", seed=3))
    # two distinct profiles: k is capped at 2
    two = np.array([[0.7, 0.1, 0.1, 0.1]] * 3 + [[0.1, 0.7, 0.1, 0.1]] * 2)
    np.testing.assert_array_equal(obstacle_typology(two, method="kmeans"), [0, 0, 0, 1, 1])
    assert obstacle_typology(np.empty((0, 4)), method="kmeans").shape == (0,)


@st.composite
def shares(draw, max_rows: int = 12, cols: tuple[int, int] = (2, 5)):
    n, m = draw(st.integers(1, max_rows)), draw(st.integers(*cols))
    raw = draw(arrays(float, (n, m), elements=st.floats(0.0, 1.0)))
    raw[:, 0] += 1e-3  # keep every row sum positive
    return raw / raw.sum(axis=1, keepdims=True)


@given(shares())
def test_rule_properties(A):
    n, m = A.shape
    out = obstacle_typology(A)
    assert out.shape == (n,) and set(out.tolist()) <= {B, *range(m)}
    s = np.sort(A, axis=1)
    for row, t, (s1, s2) in zip(A, out, s[:, [-1, -2]], strict=True):
        if t == B:
            assert s1 < 1 / m + 0.10 - 1e-12 or s1 - s2 < 0.05 - 1e-12 or s1 == s2
        else:
            assert row[t] == s1 > s2 and s1 >= 1 / m + 0.10 - 1e-12
    # each region typed on its own profile
    np.testing.assert_array_equal(out, [obstacle_typology(r[None, :])[0] for r in A])
    # a stricter margin never creates a dominant type
    strict = obstacle_typology(A, margin=0.2)
    assert np.all((strict == B) | (strict == out))


@given(shares(), st.randoms(use_true_random=False))
def test_rule_is_equivariant_to_permutations(A, rnd):
    n, m = A.shape
    rows = list(range(n))
    cols = list(range(m))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    out = obstacle_typology(A)
    np.testing.assert_array_equal(obstacle_typology(A[rows]), out[rows])
    permuted = obstacle_typology(A[:, cols])  # new column k is old column cols[k]
    back = np.array([B if t == B else cols[t] for t in permuted])
    np.testing.assert_array_equal(back, out)


@given(shares(max_rows=20, cols=(4, 4)))
def test_kmeans_types_are_centroid_types(A):
    out = obstacle_typology(A, method="kmeans", seed=0)
    assert set(out.tolist()) <= {B, 0, 1, 2, 3}
    np.testing.assert_array_equal(out, obstacle_typology(A, method="kmeans", seed=0))
    # identical profiles always share a type
    doubled = obstacle_typology(np.vstack([A, A]), method="kmeans", seed=0)
    np.testing.assert_array_equal(doubled[: len(A)], doubled[len(A) :])


@pytest.mark.parametrize(
    ("A", "kwargs", "message"),
    [
        (
            [[0.5, 0.4, 0.0, 0.0]],
            {"labels": ["341602"]},
            "region '341602': obstacle shares sum to 0.9",
        ),
        ([[0.5, 0.5], [1.2, -0.2]], {}, "row 1: obstacle shares must be finite and >= 0"),
        ([[np.nan, 1.0]], {}, "row 0: obstacle shares must be finite"),
        ([0.5, 0.5], {}, "must be an (n, m) array"),
        ([[0.5, 0.5]], {"labels": ["a", "b"]}, "2 labels for 1 rows"),
        ([[0.5, 0.5]], {"min_share": 1.5}, "min_share must lie in [0, 1]"),
        ([[0.5, 0.5]], {"margin": -0.1}, "margin must be >= 0"),
        ([[0.5, 0.5]], {"method": "ward"}, "unknown typology method 'ward'"),
        ([[0.5, 0.5]], {"method": "kmeans", "k": 0}, "k must be >= 1"),
    ],
)
def test_bad_input(A, kwargs, message):
    with pytest.raises(MethodError) as err:
        obstacle_typology(np.asarray(A), **kwargs)
    assert message in str(err.value)

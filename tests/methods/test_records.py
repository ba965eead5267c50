"""Kernels that used to return bare tuples return typed records that still unpack (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from ronghe.methods import (
    AhpResult,
    Bounds,
    CouplingResult,
    GradeResult,
    GroupedObstacles,
    ImputeResult,
    LocationQuotients,
    OutlierResult,
    PeerRanking,
    RatioBounds,
    StageResult,
    TopsisDistances,
    aggregate_obstacles,
    ahp_weights,
    ccd_grade,
    coupling_coordination,
    coupling_stage,
    impute_panel,
    level_ratio_bounds,
    location_quotients,
    minmax_bounds,
    peer_similarity,
    topsis,
    treat_outliers,
)

U = np.array([[0.2, 0.4], [0.9, 0.8], [0.5, 0.5]])


def test_coupling_records_have_named_fields_and_unpack():
    res = coupling_coordination(U)
    assert isinstance(res, CouplingResult)
    C, T, D = res
    np.testing.assert_array_equal(res.C, C)
    np.testing.assert_array_equal(res.T, T)
    np.testing.assert_array_equal(res.D, D)
    np.testing.assert_allclose(res.D, np.sqrt(res.C * res.T))
    grade = ccd_grade(res.D, lang="en")
    assert isinstance(grade, GradeResult)
    level, label = grade
    assert grade.level is level and grade.label is label and grade[1] is label
    assert list(level) == [6, 10, 8]
    assert label[1] == "high-quality coordination"
    stage = coupling_stage(res.C, lang="zh")
    assert isinstance(stage, StageResult)
    assert stage.stage.tolist() == list(stage[0])
    assert stage.label[2] == "高水平耦合"


def test_weight_and_aggregation_records():
    A = np.array([[1.0, 3.0, 5.0], [1 / 3, 1.0, 3.0], [1 / 5, 1 / 3, 1.0]])
    res = ahp_weights(A)
    assert isinstance(res, AhpResult)
    w, cr = res
    assert res.weight is w and res.cr == cr
    assert w.sum() == pytest.approx(1.0) and 0 <= cr < 0.1
    dist = topsis(U, [1.0, 1.0], return_distances=True)
    assert isinstance(dist, TopsisDistances)
    np.testing.assert_array_equal(dist.closeness, topsis(U, [1.0, 1.0]))
    np.testing.assert_allclose(dist.closeness, dist.d_minus / (dist.d_plus + dist.d_minus))


def test_treatment_and_normalisation_records():
    X = np.array([[1.0, np.nan], [2.0, 4.0], [3.0, 5.0]])
    filled = impute_panel(X, ["a", "a", "a"], [2000, 2001, 2002])
    assert isinstance(filled, ImputeResult)
    values, log = filled
    assert filled.values is values and filled.log is log
    assert values[0, 1] == 4.0 and log["method"].tolist() == ["carry"]
    treated = treat_outliers(values)
    assert isinstance(treated, OutlierResult) and treated.log.size == 0
    bounds = minmax_bounds(X)
    assert isinstance(bounds, Bounds)
    assert bounds.lo.tolist() == [1.0, 4.0] and bounds.hi.tolist() == [3.0, 5.0]


def test_obstacle_typology_and_forecast_records():
    O = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    grouped = aggregate_obstacles(O, ["a", "b", "a"])
    assert isinstance(grouped, GroupedObstacles)
    assert grouped.groups == ["a", "b"]
    np.testing.assert_allclose(grouped.shares, [[0.7, 0.3], [0.9, 0.1]])
    lq = location_quotients([[0.5, 0.5], [0.3, 0.7]], [0, 0])
    assert isinstance(lq, LocationQuotients)
    np.testing.assert_allclose(lq.mean, [[0.4, 0.6], [0.4, 0.6]])
    np.testing.assert_allclose(lq.lq, np.array([[0.5, 0.5], [0.3, 0.7]]) / lq.mean)
    peers = peer_similarity(np.array([[0.0, 0.0], [1.0, 1.0], [0.1, 0.0]]), 0, [1, 2])
    assert isinstance(peers, PeerRanking)
    assert peers.order.tolist() == [2, 1] and peers.distance[0] < peers.distance[1]
    bounds = level_ratio_bounds(5)
    assert isinstance(bounds, RatioBounds)
    assert bounds.low == pytest.approx(np.exp(-1 / 3)) and bounds.high == pytest.approx(np.exp(1 / 3))

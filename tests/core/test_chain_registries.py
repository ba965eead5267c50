"""Settings accept exactly the names of the chain's registries, and the registries are what the
study, the scenarios and the uncertainty audit dispatch on."""

from typing import get_args

import numpy as np
import pytest

from ronghe import chain, settings
from ronghe.errors import InputError
from ronghe.methods import sensitivity

FRAMEWORK = {"framework"}  # defers to the framework file, resolved before the registry


@pytest.mark.parametrize(("literal", "registry", "extra"), [
    (settings.ImputationName, chain.IMPUTATIONS, set()),
    (settings.OutlierRuleName, chain.OUTLIER_RULES, set()),
    (settings.NormalisationName, chain.NORMALISATIONS, set()),
    (settings.IndicatorWeightingName, chain.INDICATOR_WEIGHTINGS, FRAMEWORK),
    (settings.DimensionWeightingName, chain.DIMENSION_WEIGHTINGS, FRAMEWORK),
    (settings.AggregationName, chain.AGGREGATIONS, set()),
    (settings.CouplingFormulaName, chain.COUPLING_FORMULAS, set()),
])
def test_settings_accept_exactly_the_registry_names(literal, registry, extra):
    assert set(get_args(literal)) == set(registry) | extra


def test_settings_fields_use_the_registry_names():
    fields = {
        "treatment.imputation": (settings.Treatment, "imputation", settings.ImputationName),
        "treatment.outliers": (settings.Treatment, "outliers", settings.OutlierRuleName),
        "normalization.method": (settings.Normalization, "method", settings.NormalisationName),
        "weighting.indicators": (settings.Weighting, "indicators",
                                 settings.IndicatorWeightingName),
        "weighting.dimensions": (settings.Weighting, "dimensions",
                                 settings.DimensionWeightingName),
        "aggregation": (settings.Settings, "aggregation", settings.AggregationName),
        "coupling.formula": (settings.Coupling, "formula", settings.CouplingFormulaName),
    }
    for model, name, literal in fields.values():
        assert model.model_fields[name].annotation == literal
    combine = settings.Weighting.model_fields["combine"].annotation
    assert set(get_args(get_args(combine)[0])) == set(chain.COMBINABLE)


def test_audit_options_are_registered():
    assert set(sensitivity.NORMALISATIONS) <= set(chain.NORMALISATIONS)
    assert set(sensitivity.WEIGHTINGS) <= set(chain.COMBINABLE)
    assert set(sensitivity.AGGREGATIONS) <= set(chain.AGGREGATIONS)
    assert set(sensitivity.IMPUTATIONS) <= set(chain.IMPUTATIONS)


def test_a_new_registry_entry_is_dispatched(monkeypatch):
    """One entry makes a method usable by every step that dispatches on the name."""
    called = []

    def median_score(Z, w, reference):
        called.append(Z.shape)
        return np.median(Z, axis=1)

    entry = chain.Aggregation(median_score, False, chain.AGGREGATIONS["arithmetic"].prepare,
                              chain.AGGREGATIONS["arithmetic"].batch)
    monkeypatch.setitem(chain.AGGREGATIONS, "median", entry)
    Z = np.array([[0.1, 0.5, 0.9], [0.2, 0.2, 0.8]])
    groups = [np.array([0, 1]), np.array([2])]
    U = chain.dimension_scores(Z, np.full(3, 1 / 3), groups, "median")
    np.testing.assert_array_equal(U, [[0.3, 0.9], [0.2, 0.8]])
    comp = chain.composite(U, np.array([0.5, 0.5]), "median", lambda: pytest.fail("not flat"))
    np.testing.assert_array_equal(comp, [0.6, 0.5])
    assert len(called) == 3


def test_unknown_names_and_ahp_for_indicators_say_what_to_do():
    data = chain.WeightData(X=np.ones((3, 2)), Z=np.ones((3, 2)), ids=["a", "b"])
    with pytest.raises(InputError, match="AHP needs a pairwise matrix"):
        chain.single("ahp", data, chain.WeightSpec("ahp"))
    with pytest.raises(InputError, match="unknown weighting method 'nope'"):
        chain.single("nope", data, chain.WeightSpec("nope"))


def test_effective_weights_batch_equals_single_rows():
    rng = np.random.default_rng(0)
    groups = [np.array([0, 2]), np.array([1, 3, 4])]
    W = np.array([0.3, 0.7])
    w = rng.uniform(size=(5, 5))
    w[1, [0, 2]] = 0.0  # a dimension with no weight: even split
    active = np.ones_like(w, dtype=bool)
    active[2, 3] = False
    batch = chain.effective_weights(w, W, groups, active)
    for i in range(5):
        one = chain.effective_weights(w[i], W, groups, active[i])
        np.testing.assert_array_equal(batch[i], one)
    np.testing.assert_allclose(batch[[0, 1, 3, 4]].sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(batch[1, [0, 2]], [0.15, 0.15])
    assert batch[2, 3] == 0.0
    for d, idx in enumerate(groups):
        np.testing.assert_allclose(batch[0, idx], W[d] * w[0, idx] / w[0, idx].sum(), rtol=1e-15)

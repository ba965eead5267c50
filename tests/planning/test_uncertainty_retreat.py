"""The uncertainty audit reruns only the treatment step for the imputation option the study did
not use; its values must be those of a whole study run under that option, bit for bit."""

import warnings

import numpy as np
import pytest

from ronghe import Study, datasets
from ronghe.planning.uncertainty import _treated


@pytest.mark.parametrize("study_imputation, other", [("linear", "parent_mean"),
                                                     ("parent_mean", "linear")])
def test_other_imputation_equals_a_study_run(study_imputation, other):
    panel = datasets.synthetic_counties(provinces=["13", "52"], years=range(2017, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = Study(panel, "seed", {"treatment": {"imputation": study_imputation}}).evaluate()
        rerun = Study(panel, "seed", {"treatment": {"imputation": other}}).evaluate().state
        values, note = _treated(result, [study_imputation, other])
    assert note == "" and np.isnan(result.state.raw).any()  # the data have gaps to impute
    X, imputed = values[other]
    assert np.array_equal(X, rerun.X) and np.array_equal(imputed, rerun.imputed)
    assert not np.array_equal(X, result.state.X)  # the option changes the values

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ronghe.errors import InputError
from ronghe.settings import Settings


def test_defaults_round_trip_and_hash_is_stable():
    s = Settings()
    again = Settings.from_yaml(s.to_yaml())
    assert again == s
    assert again.hash == s.hash
    assert len(s.hash) == 12


def test_hash_changes_with_any_choice():
    base = Settings()
    changed = Settings.model_validate({"normalization": {"shift": 0.001}})
    assert changed.hash != base.hash


@given(
    shift=st.floats(0, 0.5),
    formula=st.sampled_from(["classic", "corrected"]),
    agg=st.sampled_from(["arithmetic", "geometric", "topsis"]),
    years=st.none() | st.lists(st.integers(1990, 2035), max_size=5),
)
def test_any_valid_settings_round_trip(shift, formula, agg, years):
    assume(not (agg == "geometric" and shift == 0))  # refused: see test_study
    s = Settings.model_validate(
        {
            "normalization": {"shift": shift},
            "coupling": {"formula": formula},
            "aggregation": agg,
            "years": years,
        }
    )
    assert Settings.from_yaml(s.to_yaml()) == s


@pytest.mark.parametrize(
    "text, where",
    [
        ("normalization: {method: median}", "normalization.method"),
        ("weighting: {indicators: fixed}", "weighting.indicators is 'fixed'"),
        ("colour: red", "colour"),
        ("[1, 2", "not valid YAML"),
        ("- a\n- b", "mapping"),
    ],
)
def test_bad_settings_name_the_key(text, where):
    with pytest.raises(InputError) as e:
        Settings.from_yaml(text, file="s.yaml")
    assert "s.yaml" in str(e.value)
    assert where in str(e.value)


def test_missing_settings_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        Settings.load(tmp_path / "nope.yaml")

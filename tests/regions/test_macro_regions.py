"""The four NBS macro-regions: a partition of the 31 mainland provinces of the division list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ronghe.errors import InputError
from ronghe.regions.divisions import divisions
from ronghe.regions.macro import (
    MACRO_REGIONS,
    PROVINCE_NAMES_EN,
    macro_region,
    macro_regions_of,
)

MAINLAND = sorted(p for provs in MACRO_REGIONS.values() for p in provs)


def test_partition_of_the_mainland_provinces() -> None:
    # NBS 2011: 10 east, 6 central, 12 west, 3 northeast = 31, no province twice
    assert {k: len(v) for k, v in MACRO_REGIONS.items()} == {
        "east": 10, "central": 6, "west": 12, "northeast": 3}
    assert len(MAINLAND) == len(set(MAINLAND)) == 31
    codes = {str(c)[:2] for c in divisions("province").index}
    assert set(MAINLAND) == codes - {"71", "81", "82"} == set(PROVINCE_NAMES_EN)


def test_known_members() -> None:
    assert macro_region("11") == "east" and macro_region("130123") == "east"
    assert macro_region("14") == "central" and macro_region("15") == "west"
    assert macro_region("23") == "northeast" and macro_region("46") == "east"
    assert list(macro_regions_of(["50", "21"])) == ["west", "northeast"]


@pytest.mark.parametrize("code", ["71", "81", "99", ""])
def test_outside_the_four_is_an_error(code: str) -> None:
    with pytest.raises(InputError, match="macro-regions"):
        macro_region(code)


@given(st.sampled_from(MAINLAND), st.text("0123456789", max_size=4))
def test_any_code_maps_by_its_province(province: str, rest: str) -> None:
    group = macro_region(province + rest)
    assert province in MACRO_REGIONS[group]

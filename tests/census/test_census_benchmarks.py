"""The census framework's benchmarks (goalposts) and the spread of its diagnosis on the real panel.

Three positive shares of the ``census`` framework are capped at their national level of 2020
(docs/census.md): against the sample maximum, a metropolitan core district, ``tertiary_share`` was
the first obstacle of 88 % of the counties in 2020 and the audit of the shipped demo warned. The
tests recompute the benchmarks from the shipped panel, check the rule that chose the capped
indicators, and hold the demo's diagnosis to these bounds (both census years unless stated):

- 2020, the year the audit and the demo report read: no indicator is the first obstacle of more than
  ``FIRST_OBSTACLE_MAJORITY`` (one half) of the counties, and the audit carries no warning;
- at least four indicators are each the first obstacle of at least 5 % of the counties (one county
  in twenty: an obstacle a reader meets in any province);
- no obstacle-profile type holds more than one half of the counties and at least three types hold
  15 % or more each (the typology separates counties);
- the largest absolute O1-O4 category is not the same for more than 90 % of the counties, and at
  least two categories are the largest somewhere for 10 % or more (O3 carries six of the eight
  tagged indicators, so it is the absolute largest in most counties; the typology's relative rule
  is what separates them);
- the audit's first-obstacle warnings of each year are exactly the indicators the diagnosis's
  distribution puts above the threshold. In 2010 that is ``registered_elsewhere_share`` (53.7 %):
  mobility was 19.6 % nationally against the 2020 benchmark of 34.9 %, a true statement about 2010
  on anchors common to both censuses, and it stays below 60 %.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from ronghe import diagnosis as dg
from ronghe.audit import FIRST_OBSTACLE_MAJORITY, audit
from ronghe.datasets import census_counties
from ronghe.frameworks import builtin_path, framework_from_yaml, load_framework
from ronghe.study import Study

CAPPED = {"professional_share": 10.42, "registered_elsewhere_share": 34.91, "tertiary_share": 15.39}


@pytest.fixture(scope="module")
def full():
    """The shipped harmonised census panel, every unit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return census_counties()


@pytest.fixture(scope="module")
def panel(full):
    """The demo's panel: the units observed in both censuses."""
    years = full.data.groupby(level="region").size()
    return full.select(regions=list(years.index[years == 2]))


@pytest.fixture(scope="module")
def result(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "census").evaluate()


def _uncapped_framework():
    """The census framework with the benchmarks taken out (min(share, b) -> share)."""
    doc = yaml.safe_load(builtin_path("census").read_text(encoding="utf-8"))
    for dim in doc["dimensions"]:
        for ind in dim["indicators"]:
            if ind["id"] in CAPPED:
                f = ind["formula"]
                ind["formula"] = f[len("min("):f.rindex(",")]
    return framework_from_yaml(yaml.safe_dump(doc, allow_unicode=True))


def _national_2020(full) -> dict[str, float]:
    """Every positive share of the framework on the national sums of 2020 (counts summed over all
    units of the census, then the indicator's own formula)."""
    fw = _uncapped_framework()
    sums = full.data.xs(2020, level="year").sum().to_frame().T
    sums.index = pd.MultiIndex.from_tuples([("CN", 2020)], names=["region", "year"])
    return {i.id: float(i.parsed_formula.evaluate(sums).iloc[0]) for i in fw.indicators
            if i.formula is not None and i.direction == "+" and i.unit == "%"}


def test_benchmarks_are_the_national_levels_of_2020(full):
    national = _national_2020(full)
    for ind, b in CAPPED.items():
        assert national[ind] == pytest.approx(b, abs=0.005), ind
    fw = load_framework("census")
    for i in fw.indicators:
        assert (i.id in CAPPED) == (i.formula is not None and i.formula.startswith("min(")), i.id
        if i.id in CAPPED:
            assert i.formula.endswith(f", {CAPPED[i.id]})")
            assert "封顶" in i.name_zh and "capped" in i.name_en


def test_capped_are_the_shares_whose_anchor_is_over_twice_the_national_level(full, panel):
    """The rule of the framework's comment: the min-max anchor (panel maximum) of a positive share
    is more than twice its national level of 2020 exactly for the capped indicators."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = Study(panel, _uncapped_framework()).evaluate().state
    national = _national_2020(full)
    ratio = {i: float(np.nanmax(raw.raw[:, raw.indicator_ids.index(i)]) / national[i])
             for i in national}
    assert {i for i, r in ratio.items() if r > 2} == set(CAPPED)
    assert max(r for i, r in ratio.items() if i not in CAPPED) < 1.7


def test_without_benchmarks_one_indicator_dominates(panel):
    """The state the benchmarks repair: the audit's dominance warning on the shipped demo."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, _uncapped_framework()).evaluate()
    first = {(d.indicator, d.kind): d.value for d in res.audit.dominance}
    assert first[("tertiary_share", "first_obstacle")] > 0.8


@pytest.mark.parametrize("year", [2010, 2020])
def test_first_obstacles_are_spread(result, year):
    first = dg.distribution(result, year)["first_obstacles"]
    assert (first["share"] >= 0.05).sum() >= 4
    limit = FIRST_OBSTACLE_MAJORITY if year == 2020 else 0.6
    assert first["share"].max() <= limit


def test_demo_audit_carries_no_warning(result):
    assert result.audit.year == 2020
    assert result.audit.dominance == []


@pytest.mark.parametrize("year", [2010, 2020])
def test_types_and_categories_are_spread(result, year):
    d = dg.distribution(result, year)
    types = d["types"]["share"]
    assert types.max() <= 0.5 and (types >= 0.15).sum() >= 3
    largest = d["largest_categories"]["share"]
    assert largest.max() <= 0.9 and (largest >= 0.10).sum() >= 2


@pytest.mark.parametrize("year", [2010, 2020])
def test_audit_warnings_match_the_distribution(result, year):
    first = dg.distribution(result, year)["first_obstacles"]
    above = set(first.loc[first["share"] > FIRST_OBSTACLE_MAJORITY, "indicator"])
    warned = {d.indicator for d in audit(result, year).dominance if d.kind == "first_obstacle"}
    assert warned == above
    assert warned == (set() if year == 2020 else {"registered_elsewhere_share"})


def test_full_panel_audit_carries_no_warning(full):
    """Every unit of the census (2,826 in 2020, with those observed in one census only), as
    ``ronghe evaluate`` reads it: before the benchmarks tertiary_share led 83.7 % of them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(full, "census").evaluate()
    assert res.audit.units == 2826
    assert res.audit.dominance == []

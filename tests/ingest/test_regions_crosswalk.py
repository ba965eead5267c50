"""County code crosswalk and harmonize: checked against the independently derived NBS 2023 list
(ronghe.regions.divisions) and a hand-worked merge."""

import numpy as np
import pandas as pd
import pytest

from ronghe.errors import InputError, RongheWarning
from ronghe.ingest import catalogue_frame
from ronghe.panel import Panel
from ronghe.regions.crosswalk import VINTAGES, code_map, crosswalk
from ronghe.regions.divisions import divisions
from ronghe.regions.harmonize import harmonize


def test_every_code_maps_into_the_2023_list():
    table = crosswalk()
    assert set(table["kind"]) <= {"rename", "upgrade", "merge"}
    assert set(table["vintage"]) <= set(VINTAGES[1:])
    counties = set(divisions("county").index)
    mapping, stuck = code_map(sorted(set(table["old_code"]) | set(table["new_code"])), 2023)
    assert stuck == []
    assert set(mapping.values()) <= counties
    gone = set(table.loc[table["old_code"] != table["new_code"], "old_code"])
    assert not gone & counties  # a replaced code is no longer in use in 2023


@pytest.mark.parametrize(("old", "new"), [
    ("510124", "510117"),   # 郫县 -> 郫都区 (2016 -> 2019)
    ("371202", "370116"),   # 莱城区 -> 济南市莱芜区
    ("540422", "540481"),   # 米林县 -> 米林市 (2023)
    ("140402", "140403"), ("140411", "140403"),  # 长治 城区, 郊区 -> 潞州区
])
def test_known_changes(old, new):
    assert code_map([old], 2023)[0][old] == new
    assert divisions().loc[new, "province"] == old[:2]


def test_backward_for_one_to_one_only():
    mapping, stuck = code_map(["510117", "140403", "110101"], 2016)
    assert mapping["510117"] == "510124"
    assert mapping["110101"] == "110101"
    assert stuck == ["140403"]  # 潞州区 absorbed two districts: it cannot be split back


def _catalogue():
    return catalogue_frame([
        {"id": "gdp", "unit": "万元", "merge": "sum"},
        {"id": "resident_pop", "unit": "万人", "merge": "sum"},
        {"id": "income_ratio", "unit": "", "merge": "mean"},
        {"id": "urban_share", "unit": "%", "merge": "popweighted"},
    ])


def _panel(rows):
    data = pd.DataFrame(rows, columns=["region", "year", "gdp", "resident_pop", "income_ratio",
                                       "urban_share"]).set_index(["region", "year"])
    return Panel(data, source="test")


def test_harmonize_merge_by_hand():
    # 长治: 城区 140402 and 郊区 140411 became 潞州区 140403; 长治县 140421 became 上党区 140404.
    panel = _panel([
        ("140402", 2016, 100.0, 10.0, 2.0, 80.0),
        ("140411", 2016, 50.0, 40.0, 3.0, 40.0),
        ("140421", 2016, 70.0, 30.0, 2.4, 30.0),
        ("140403", 2020, 160.0, 52.0, 2.2, 50.0),
    ])
    out = harmonize(panel, 2023, _catalogue())
    row = out.data.loc[("140403", 2016)]
    assert row["gdp"] == 150.0                    # 100 + 50
    assert row["resident_pop"] == 50.0            # 10 + 40
    assert row["income_ratio"] == 2.5             # (2.0 + 3.0) / 2
    assert row["urban_share"] == pytest.approx(48.0)  # (80*10 + 40*40) / (10 + 40) = 2400 / 50
    assert out.data.loc[("140404", 2016), "gdp"] == 70.0
    assert out.data.loc[("140403", 2020), "gdp"] == 160.0
    assert out.regions.loc["140403", "name_zh"] == "潞州区"
    assert len(out.data) == 3


def test_partial_sum_is_missing():
    panel = _panel([("140402", 2016, 100.0, 10.0, 2.0, 80.0),
                    ("140411", 2016, np.nan, 40.0, 3.0, 40.0)])
    out = harmonize(panel, 2023, _catalogue())
    assert np.isnan(out.data.loc[("140403", 2016), "gdp"])
    assert out.data.loc[("140403", 2016), "resident_pop"] == 50.0


def test_errors_and_warnings():
    panel = _panel([("140402", 2016, 1.0, 1.0, 1.0, 1.0), ("140411", 2016, 1.0, 1.0, 1.0, 1.0)])
    with pytest.raises(InputError, match="no merge rule"):
        harmonize(panel, 2023, _catalogue().drop(index="gdp"))
    no_pop = Panel(panel.data.drop(columns="resident_pop"))
    with pytest.raises(InputError, match="resident_pop"):
        harmonize(no_pop, 2023, _catalogue())
    with pytest.warns(RongheWarning, match="cannot be split back"):
        harmonize(_panel([("140403", 2020, 1.0, 1.0, 1.0, 1.0)]), 2016, _catalogue())

"""Crosswalk between any two vintages: hand-checked changes (State Council approvals quoted in the
comments), every census 2010 code explained, composition through an intermediate vintage."""

from __future__ import annotations

import pytest

from ronghe.errors import InputError
from ronghe.regions.crosswalk import code_map, crosswalk, unexplained
from ronghe.regions.history import history, in_use, units


def _rows(source, target, code, **kw):
    table = crosswalk(source, target, **kw)
    return table[table["source_code"] == code]


@pytest.mark.parametrize("target", [2010, 2016, 2020, 2023])
def test_chongwen_xuanwu_merge(target):
    # 国函〔2010〕55号: 撤销东城区、崇文区，设立新的东城区；撤销西城区、宣武区，设立新的西城区
    for old, new, name in (("110103", "110101", "东城区"), ("110104", "110102", "西城区")):
        row = _rows(2010, target, old).iloc[0]
        assert (row["target_code"], row["target_name"], row["unit"], row["kind"]) == (
            new, name, new, "merge")
        assert "国函〔2010〕55号" in row["source"] and row["years"] == "2010"
        assert _rows(2010, target, new).iloc[0]["kind"] == "merge"  # the 2010 东城区 joins too
    assert code_map(["110101", "110103", "110104"], 2010, target) == {
        "110101": "110101", "110103": "110101", "110104": "110102"}


def test_county_to_district():
    # 国函〔2018〕87号: 撤销长治县，设立长治市上党区 (code 140404); 城区 and 郊区 became 潞州区
    row = _rows(2010, 2020, "140421").iloc[0]
    assert (row["target_code"], row["target_name"], row["kind"], row["years"]) == (
        "140404", "上党区", "upgrade", "2018")
    assert "国函〔2018〕87号" in row["source"]
    for old in ("140402", "140411"):
        assert _rows(2010, 2023, old)[["unit", "kind"]].values.tolist() == [["140403", "merge"]]
    # 郫县 -> 郫都区 in 2016: a table of 2016 holds one of the two codes, never both
    assert _rows(2016, 2023, "510124")[["unit", "kind"]].values.tolist() == [["510117", "upgrade"]]
    assert _rows(2016, 2023, "510117")[["unit", "kind"]].values.tolist() == [["510117", "same"]]
    # 米林县 -> 米林市 (2023), a change of the NBS 2023 list
    assert _rows(2020, 2023, "540422")[["unit", "kind"]].values.tolist() == [["540481", "upgrade"]]


def test_documented_split_becomes_a_comparable_unit():
    # 国函〔2016〕157号: 撤销邯郸县，its area divided among 邯山区, 丛台区 and 复兴区 (the dataset also
    # records earlier transfers of parts of 磁县 and 永年区); no figures apportion it.
    rows = _rows(2010, 2020, "130421")
    assert set(rows["target_code"]) >= {"130402", "130403", "130404"}
    assert set(rows["kind"]) == {"comparable"}
    unit = rows["unit"].iat[0]
    assert unit == "130402C" and (rows["unit"] == unit).all()
    assert "无分配数据" in rows["note"].iat[0] and "no figures to apportion" in rows["note"].iat[0]
    assert "130403 丛台区" in rows["note"].iat[0]
    assert rows["unit_name"].iat[0].startswith("邯山区+丛台区+复兴区")
    assert "国函〔2016〕157号" in ";".join(rows["source"])
    # every unit member that was itself a 2010 unit goes into the same comparable unit
    table = crosswalk(2010, 2020)
    members = table[table["unit"] == unit]
    assert set(members["source_code"]) >= {"130402", "130403", "130404", "130421"}
    # with recorded partial transfers ignored the split still needs the comparable unit
    assert set(_rows(2010, 2020, "130421", transfers="ignore")["kind"]) == {"comparable"}


def test_every_source_lands_in_one_unit_and_targets_are_in_use():
    for source, target in ((2010, 2020), (2010, 2023), (2023, 2010), (2000, 2023), (2020, 2020)):
        table = crosswalk(source, target)
        assert table.groupby("source_code")["unit"].nunique().max() == 1
        assert set(table["source_code"]) == set(_in_use_during(source))
        live = set(in_use(target).index)
        kept = table["kind"].isin(["new", "dissolved"])
        assert set(table.loc[~kept, "target_code"]) <= live
        assert (table.loc[kept, "unit"] == table.loc[kept, "source_code"]).all()
        plain = table[~table["kind"].isin(["comparable", "new", "dissolved"])]
        assert set(plain["unit"]) <= live
        assert table["source"].str.startswith("areacodes").all()
        assert (table["kind"] == "same").sum() > 0.8 * len(units(target)) or source == 2000
        assert (table.loc[table["kind"] != "same", "note"] != "").all()


def test_backward_merge_cannot_be_split_back():
    # 2020 港闸区 + 崇川区 -> 崇川区 320613: read backward, the new 崇川区 covers two 2016 units
    rows = _rows(2023, 2016, "320613")
    assert set(rows["target_code"]) == {"320602", "320611"}
    assert set(rows["unit"]) == {"320602C"} and set(rows["kind"]) == {"comparable"}
    assert rows["source"].str.contains("read backward").all()
    # a 1:1 change reads backward as 1:1
    assert _rows(2023, 2016, "510117")[["unit", "kind"]].values.tolist() == [["510117", "same"]]
    assert _rows(2023, 2010, "140404")[["unit", "kind"]].values.tolist() == [["140421", "recode"]]


def _in_use_during(year):
    """Codes in use at some time of ``year``: the year-end list and those ended during the year."""
    h = history()
    return set(h.loc[(h["start"] <= year) & (h["end"].isna() | (h["end"] >= year)), "code"])


def test_units_without_a_target():
    # read backward, 北屯市 (2011) was made of XPCC land outside every county of 2010
    row = _rows(2020, 2010, "659005").iloc[0]
    assert (row["kind"], row["unit"], row["target_code"]) == ("new", "659005", "")
    assert "国函〔2011〕161号" in row["source"] and "outside the county-level units" in row["note"]
    # 重庆市 (prefecture) ended in 1997 when its counties went directly under the new municipality
    assert _rows(1990, 2023, "510200")["kind"].tolist() == ["dissolved"]


def test_prefectures_ended_without_successor():
    # 巢湖市 (prefecture, 2011): its counties went to 合肥, 芜湖 and 马鞍山 (derived change)
    rows = _rows(2010, 2020, "341400")
    assert set(rows["target_code"]) == {"340100", "340200", "340500"}
    assert set(rows["unit"]) == {"340100C"}
    assert rows["source"].str.contains("derived").all()
    # 铜仁地区 became 铜仁市 under a new code
    assert _rows(2010, 2020, "522200")[["unit", "kind"]].values.tolist() == [["520600", "recode"]]


def _relation(table):
    table = table[~table["kind"].isin(["new", "dissolved"])]
    return set(zip(table["source_code"], table["target_code"], strict=True))


@pytest.mark.parametrize(("a", "b", "c"), [(2010, 2016, 2023), (2009, 2014, 2020),
                                           (2023, 2016, 2010)])
def test_composition_through_an_intermediate_vintage(a, b, c):
    direct = crosswalk(a, c)
    first, second = crosswalk(a, b), crosswalk(b, c)
    onward: dict[str, set[str]] = {}
    for s, t in _relation(second):
        onward.setdefault(s, set()).add(t)
    composed = {(s, t2) for s, t in _relation(first) for t2 in onward.get(t, ())}
    assert composed == _relation(direct)
    # where both steps are plain codes (1:1 or merge), the composed unit is the direct unit
    step1 = dict(zip(first["source_code"], first["unit"], strict=False))
    step2 = dict(zip(second["source_code"], second["unit"], strict=False))
    whole = dict(zip(direct["source_code"], direct["unit"], strict=False))
    checked = 0
    for code, mid in step1.items():
        if not mid.endswith("C") and mid in step2 and not step2[mid].endswith("C"):
            assert whole[code] == step2[mid], code
            checked += 1
    assert checked > 2500


@pytest.mark.parametrize("target", [2020, 2023])
def test_census_2010_codes_all_explained(census_codes, target):
    codes = census_codes(2010)
    assert {"110103", "110104", "441900"} <= set(codes) and len(codes) > 2800
    assert unexplained(codes, 2010, target) == []
    gone = set(codes) - set(in_use(target).index)
    assert len(gone) > 300  # county -> district conversions, merges, splits
    assert gone <= set(code_map(codes, 2010, target))


def test_census_2020_unexplained_are_statistical_units(census_codes):
    """The 2020 census also lists development zones (fifth digit 7), the four districts of
    大兴安岭地区 and 大柴旦行政委员会: statistical units that were never divisions."""
    left = unexplained(census_codes(2020), 2020, 2023)
    assert left and all(c[4] == "7" or c in {"232761", "232762", "232763", "232764", "632857"}
                        for c in left)


def test_bad_vintages():
    with pytest.raises(InputError, match="1981"):
        crosswalk(1970, 2020)
    with pytest.raises(InputError, match="transfers"):
        crosswalk(2010, 2020, transfers="split")


def test_ignored_transfers_still_explain_units_made_of_parts():
    # 龙港市 330383 was set up in 2019 from part of 苍南县 330327 (苍南县 stays in use)
    for transfers in ("merge", "ignore"):
        rows = _rows(2020, 2016, "330383", transfers=transfers)
        assert rows["target_code"].tolist() == ["330327"]
    assert set(_rows(2016, 2020, "330327")["target_code"]) == {"330327", "330383"}
    assert _rows(2016, 2020, "330327", transfers="ignore")["target_code"].tolist() == ["330327"]

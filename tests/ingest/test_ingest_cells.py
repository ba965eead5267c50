"""The yearbook cell cleaner and the unit table, checked cell by cell and by properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ronghe.errors import InputError
from ronghe.ingest import clean_cell
from ronghe.ingest.units import conversion_factor, split_header


@pytest.mark.parametrize(("raw", "value"), [
    ("123.4", 123.4), (" 7.1 ", 7.1), ("１２３．４", 123.4), ("1,234,567.8", 1234567.8),
    ("１，２３４．５", 1234.5), ("-3", -3.0), ("+2.5e3", 2500.0), (42, 42.0), (0.5, 0.5),
    ("12 345", 12345.0),
])
def test_numbers(raw, value):
    cell = clean_cell(raw)
    assert cell.status == "ok"
    assert cell.value == pytest.approx(value)
    assert cell.note == ""


@pytest.mark.parametrize(("raw", "value", "mark"), [
    ("123.4①", 123.4, "①"), ("12*", 12.0, "*"), ("5.0#", 5.0, "#"), ("8.8²", 8.8, "²"),
    ("３．５⑳", 3.5, "⑳"), ("7△", 7.0, "△"),
])
def test_footnote_marks_are_removed_and_noted(raw, value, mark):
    cell = clean_cell(raw)
    # NFKC alone would read 123.4① as 123.41: the mark must go first.
    assert cell.value == pytest.approx(value)
    assert mark in cell.note


@pytest.mark.parametrize("raw", ["", "  ", "—", "——", "–", "…", "……", "...", "-", "--", "－", "/",
                                 "NA", "n.a.", None, float("nan")])
def test_missing_marks(raw):
    assert clean_cell(raw).status == "missing"


@pytest.mark.parametrize(("raw", "reason"), [
    ("abc", "not a number"), ("12,34.5", "thousands"), ("1e20", "large"), (1e20, "large"),
    (float("inf"), "finite"), ("inf", "not a number"), ("nan1", "not a number"),
    ("=SUM(A1:A3)", "formula"), ("#DIV/0!", "error"), (True, "true/false"), ("0x1F", "not a number"),
])
def test_rejections(raw, reason):
    cell = clean_cell(raw)
    assert cell.status == "rejected"
    assert reason in cell.reason


def test_unit_in_cell():
    assert (clean_cell("45.6%").value, clean_cell("45.6%").unit) == (45.6, "%")
    assert clean_cell("５‰").unit == "‰"


@given(st.floats(min_value=-1e14, max_value=1e14, allow_nan=False).map(lambda x: round(x, 2)))
def test_thousands_and_full_width_round_trip(x):
    text = f"{x:,.2f}"
    wide = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,.-"})
    for form in (text, wide, text + "①"):
        cell = clean_cell(form)
        assert cell.status == "ok"
        assert cell.value == pytest.approx(x, abs=1e-6)


@given(st.one_of(st.text(max_size=12), st.binary(max_size=12), st.floats(), st.integers(),
                 st.booleans(), st.none()))
def test_never_raises_and_ok_means_finite(raw):
    cell = clean_cell(raw)
    assert cell.status in {"ok", "missing", "rejected"}
    if cell.status == "ok":
        assert math.isfinite(cell.value) and abs(cell.value) < 1e15
    else:
        assert cell.value is None


@pytest.mark.parametrize(("header", "name", "unit"), [
    ("地区生产总值（亿元）", "地区生产总值", "亿元"), ("城镇化率(%)", "城镇化率", "%"),
    ("GDP (10^4 yuan)", "GDP", "10^4 yuan"),
    ("城乡居民收入比（倍）", "城乡居民收入比", "倍"), ("县（市、区）", "县(市、区)", None),
    ("gdp", "gdp", None),
])
def test_split_header(header, name, unit):
    assert split_header(header) == (name, unit)


def test_conversion_factors():
    # 1 亿元 = 10^8 元 = 10^4 万元; 1 ‰ = 0.1 %; 1 万人 = 10^4 persons; 1 km² = 100 ha.
    assert conversion_factor("亿元", "万元") == pytest.approx(1e4)
    assert conversion_factor("亿元", "10^4 yuan") == pytest.approx(1e4)
    assert conversion_factor("元", "万元") == pytest.approx(1e-4)
    assert conversion_factor("‰", "%") == pytest.approx(0.1)
    assert conversion_factor("万人", "persons") == pytest.approx(1e4)
    assert conversion_factor("km²", "ha") == pytest.approx(100)
    assert conversion_factor(None, "万元") == 1.0
    assert conversion_factor("%", "–") == 1.0
    assert conversion_factor("倍", "") == 1.0
    with pytest.raises(InputError, match="same thing"):
        conversion_factor("万元", "万人")
    with pytest.raises(InputError, match="cannot convert"):
        conversion_factor("斤", "万元")

"""Units written in yearbook headers and their conversion to the catalogue's unit.

A header such as ``地区生产总值（亿元）`` or ``GDP (10^4 yuan)`` carries its unit in the last bracket.
Each known unit belongs to one dimension with a factor to that dimension's base unit, so a value in
亿元 becomes a value in 万元 by multiplying with 1e8 / 1e4 = 1e4. Percent and per-mille are factors
of the dimensionless base (1 % = 0.01, 1 ‰ = 0.001).
"""

from __future__ import annotations

import re
import unicodedata

from ronghe.errors import InputError

# unit spelling -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0), "yuan": ("money", 1.0),
    "千元": ("money", 1e3), "10^3yuan": ("money", 1e3),
    "万元": ("money", 1e4), "10^4yuan": ("money", 1e4), "10000yuan": ("money", 1e4),
    "百万元": ("money", 1e6), "10^6yuan": ("money", 1e6),
    "亿元": ("money", 1e8), "10^8yuan": ("money", 1e8),
    "人": ("people", 1.0), "persons": ("people", 1.0), "person": ("people", 1.0),
    "万人": ("people", 1e4), "10^4persons": ("people", 1e4),
    "%": ("ratio", 1e-2), "percent": ("ratio", 1e-2),
    "‰": ("ratio", 1e-3), "permille": ("ratio", 1e-3),
    "公顷": ("area", 1.0), "ha": ("area", 1.0), "千公顷": ("area", 1e3),
    "平方公里": ("area", 100.0), "km2": ("area", 100.0), "km²": ("area", 100.0),
    "亩": ("area", 1.0 / 15.0), "万亩": ("area", 1e4 / 15.0),
    "吨": ("mass", 1.0), "t": ("mass", 1.0), "万吨": ("mass", 1e4),
    "千瓦": ("power", 1.0), "kw": ("power", 1.0), "万千瓦": ("power", 1e4),
    "平方米": ("area", 1e-4), "m²": ("area", 1e-4), "m2": ("area", 1e-4),
    "公里": ("length", 1.0), "km": ("length", 1.0),
    "个": ("count", 1.0), "count": ("count", 1.0),
    "张": ("beds", 1.0), "beds": ("beds", 1.0),
}
DIMENSIONLESS = frozenset({"", "-", "–", "—", "无", "none", "倍", "times"})
_BRACKET = re.compile(r"^(.*?)[(\[]([^()\[\]]*)[)\]]\s*$")


def normalise_unit(unit: str | None) -> str:
    """A unit spelling reduced for lookup: NFKC, no spaces, lower case ('10^4 Yuan' -> '10^4yuan')."""
    if unit is None:
        return ""
    text = unicodedata.normalize("NFKC", str(unit)).replace(" ", "").strip().lower()
    return "" if text in DIMENSIONLESS else text


def split_header(header: object) -> tuple[str, str | None]:
    """Split ``'地区生产总值（万元）'`` into ``('地区生产总值', '万元')``; no bracket gives unit None.

    Full-width brackets are folded by NFKC first. A trailing bracket that is not a known unit (or a
    dimensionless mark such as 倍) stays part of the name (``'县（市、区）'`` keeps its bracket).
    """
    text = unicodedata.normalize("NFKC", str(header)).strip()
    m = _BRACKET.match(text)
    if m and m.group(2).strip() and (normalise_unit(m.group(2)) in UNITS
                                     or normalise_unit(m.group(2)) == ""):
        return m.group(1).strip(), m.group(2).strip()
    return text, None


def conversion_factor(source: str | None, target: str | None) -> float:
    """Factor that turns a value in ``source`` units into ``target`` units.

    An empty source means "as in the catalogue" (factor 1). Units of different dimensions, or a unit
    this table does not know that differs from the target, raise InputError.
    """
    s, t = normalise_unit(source), normalise_unit(target)
    if not s or not t or s == t:
        return 1.0
    if s not in UNITS or t not in UNITS:
        raise InputError(f"cannot convert unit {source!r} to the catalogue unit {target!r} / "
                         f"无法将单位 {source!r} 换算为 {target!r}")
    (sd, sf), (td, tf) = UNITS[s], UNITS[t]
    if sd != td:
        raise InputError(f"unit {source!r} does not measure the same thing as {target!r} / "
                         f"单位 {source!r} 与 {target!r} 量纲不同")
    return sf / tf

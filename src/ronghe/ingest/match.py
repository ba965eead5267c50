"""Match the region cells of a yearbook table to division codes.

A row is matched by its code when it has one (6 digits, or the 12-digit statistical code with trailing
zeros), else by its Chinese name. County names repeat across China (和平区, 新城区, 城关镇 …), so a name
with several candidates is resolved by the row's province — from a province column, or from the last
province row above it, as yearbooks list counties under their province — and is otherwise an error that
lists the candidates. Names are compared after NFKC folding and removal of spaces and footnote marks.

A division list with history (``divisions(history=True)``, the store's default) also holds codes no
longer in use, so that a 2010 table may name 崇文区 110103 by code or by name. A name shared by a code
in use and retired codes (东城区: 110101 in Beijing, 510102 in Chengdu until 1990) means the code in
use; a name held only by retired codes means the one retired last.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypedDict, Unpack

import pandas as pd

from ronghe.errors import InputError
from ronghe.ingest.cells import FOOTNOTE_CHARS

_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
_CODE = re.compile(r"\d{6}(?:\d{6})?")


class RowWhere(TypedDict, total=False):
    """Where a row is, as keyword arguments of :class:`~ronghe.errors.InputError`."""

    file: str | None
    sheet: str | None
    row: int | None


class Where(RowWhere, total=False):
    """Where a cell is, as keyword arguments of :class:`~ronghe.errors.InputError`."""

    column: str | None


def normalise_name(text: object) -> str:
    """Name as compared: NFKC, no whitespace, no trailing footnote marks (removed before NFKC,
    which would turn ① into the digit 1)."""
    s = unicodedata.normalize("NFKC", "".join(str(text).split()).rstrip(FOOTNOTE_CHARS))
    s = "".join(s.split())
    return s.rstrip(FOOTNOTE_CHARS)


def code_text(raw: object) -> str:
    """A code cell as text: 130123.0 (a float from Excel) becomes '130123'."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return unicodedata.normalize("NFKC", str(raw)).strip()


class RegionMatcher:
    """Resolve codes and names against a division list.

    Parameters
    ----------
    regions : DataFrame indexed by code with ``name_zh`` and ``province`` (2-digit code), optionally
        ``level`` and ``parent`` (as from :func:`ronghe.regions.divisions.divisions`). An empty frame
        accepts any code as given and cannot match names.
    """

    def __init__(self, regions: pd.DataFrame) -> None:
        self.codes = {str(c) for c in regions.index}
        self.names: dict[str, list[str]] = {}
        self.province_codes: dict[str, str] = {}
        self.province_label: dict[str, str] = {}
        names = regions["name_zh"] if "name_zh" in regions else pd.Series(dtype=str)
        provinces = regions["province"] if "province" in regions else pd.Series(dtype=str)
        levels = regions["level"] if "level" in regions else pd.Series("", index=regions.index)
        ended = (pd.to_numeric(regions["valid_to"], errors="coerce") if "valid_to" in regions
                 else pd.Series(dtype=float))
        #: last year of use of each retired code (codes in use are absent)
        self.retired = {str(c): float(y) for c, y in ended.dropna().items()}
        self.name_of: dict[str, str] = {}
        for code, name in names.items():
            self.names.setdefault(normalise_name(name), []).append(str(code))
            if isinstance(name, str) and name:
                self.name_of[str(code)] = name
        self.provinces: set[str] = set()
        for code, level in levels.items():
            if level == "province" or (str(code).endswith("0000") and len(str(code)) == 6):
                self.provinces.add(str(code))
                prov = str(provinces.get(code, str(code)[:2]))
                full = normalise_name(names.get(code, ""))
                self.province_label[prov] = full
                for key in {full, _short_province(full), prov, str(code)}:
                    if key:
                        self.province_codes[key] = prov
        self.province_of = {str(c): str(p) for c, p in provinces.items()}
        self.parent_name = {}
        if "parent" in regions:
            for code, parent in regions["parent"].items():
                if isinstance(parent, str) and parent in regions.index:
                    self.parent_name[str(code)] = str(names.get(parent, ""))

    def is_province(self, code: str) -> bool:
        return code in self.provinces or (len(code) == 6 and code.endswith("0000"))

    def province(self, raw: object, **where: Unpack[Where]) -> str:
        """Two-digit province code of a province cell ('河北', '河北省', '13' or '130000')."""
        key = normalise_name(code_text(raw))
        if key in self.province_codes:
            return self.province_codes[key]
        if _short_province(key) in self.province_codes:
            return self.province_codes[_short_province(key)]
        raise InputError(f"unknown province {raw!r} / 无法识别的省份", **where)

    def by_code(self, raw: object, **where: Unpack[Where]) -> str:
        text = code_text(raw)
        if not _CODE.fullmatch(text):
            raise InputError("region code must have 6 (or 12) digits / 区划代码应为 6 位数字",
                             value=text, **where)
        code = text[:6] if len(text) == 12 and text.endswith("000000") else text
        if self.codes and code not in self.codes:
            raise InputError("unknown region code / 区划代码不存在", value=code, **where)
        return code

    def disagreeing_name(self, code: str, raw: object) -> str | None:
        """The listed name of ``code`` when the name ``raw`` given beside it disagrees, else None.

        Names agree when equal after :func:`normalise_name`, or when the given name (two
        characters or more) begins the listed one, as a short form does (西湖 for 西湖区, 大厂 for
        大厂回族自治县).
        """
        listed = self.name_of.get(code)
        if listed is None or raw is None or isinstance(raw, int | float):
            return None
        given, full = normalise_name(raw), normalise_name(listed)
        if not given or given == full or (len(given) >= 2 and full.startswith(given)):
            return None
        return listed

    def by_name(self, raw: object, province: str | None, **where: Unpack[Where]) -> str:
        """Code of a named region; ``province`` (2-digit) separates duplicate names."""
        name = normalise_name(raw)
        found = self.names.get(name, [])
        if not found:
            raise InputError("unknown region name / 无法识别的地区名称", value=str(raw), **where)
        if len(found) > 1 and province:
            found = [c for c in found if self.province_of.get(c) == province] or found
        if len(found) > 1:
            found = self._latest(found)
        if len(found) > 1:
            cands = "; ".join(self._describe(c) for c in found)
            raise InputError(f"ambiguous region name {name!r} matches {len(found)} regions ({cands}); "
                             "add a province column or use codes / 地区名称重复，请补充省份或代码",
                             **where)
        return found[0]

    def _latest(self, codes: list[str]) -> list[str]:
        """The codes in use among ``codes``; if none is, those retired last (module docstring)."""
        in_use = [c for c in codes if c not in self.retired]
        if in_use:
            return in_use
        last = max(self.retired[c] for c in codes)
        return [c for c in codes if self.retired[c] == last]

    def _describe(self, code: str) -> str:
        prov = self.province_label.get(self.province_of.get(code, ""), "")
        parent = self.parent_name.get(code, "")
        parts = [prov] if prov else []
        if parent and parent != prov:
            parts.append(parent)
        return " ".join([code, *parts])


def _short_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name

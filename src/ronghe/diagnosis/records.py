"""The records a diagnosis returns: :class:`Diagnosis` and its parts (blocking indicators with their
trend, obstacle shares, recommended routes with their evidence, peer exemplars). Conventions are in
the package docstring (:mod:`ronghe.diagnosis`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

from ronghe.diagnosis.text import render
from ronghe.words import check_lang

#: The record types, re-exported by :mod:`ronghe.diagnosis` as they are named here.
__all__ = ["Blocker", "Diagnosis", "Evidence", "Peer", "Recommendation", "Share", "Trend"]


@dataclass(frozen=True)
class Trend:
    """Least-squares trend of an indicator's raw value over ``first_year``..``last_year``."""

    first_year: int
    last_year: int
    points: int
    slope: float
    status: Literal["improving", "worsening", "flat"]


@dataclass(frozen=True)
class Blocker:
    """A blocking indicator of the region-year. ``value`` is the raw value (None when the data
    lack it and the index used an imputed one); percentiles: 0 worst, 100 best."""

    indicator: str
    name_zh: str
    name_en: str
    unit: str
    dimension: str
    category: str | None
    degree: float
    value: float | None
    percentile: float
    province_percentile: float
    trend: Trend | None


@dataclass(frozen=True)
class Share:
    """An obstacle category or dimension with its obstacle degree and its share."""

    id: str
    name_zh: str
    name_en: str
    degree: float
    share: float


@dataclass(frozen=True)
class Evidence:
    """A blocking indicator that triggered a route, with the tags (or ``"id"``) that matched."""

    indicator: str
    degree: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    """A recommended path or mechanism; ``score`` is the obstacle degree of its evidence."""

    route: str
    kind: Literal["path", "mechanism"]
    name_zh: str
    name_en: str
    score: float
    categories: tuple[tuple[str, float], ...]
    indicators: tuple[Evidence, ...]


@dataclass(frozen=True)
class Peer:
    """A peer exemplar: a similar region and its values of the blocking indicator."""

    region: str
    name_zh: str
    province: str
    scope: Literal["province", "national"]
    distance: float
    before: float
    after: float
    improvement: float


@dataclass
class Diagnosis:
    """The diagnosis of one region-year (see the package docstring for every convention)."""

    region: str
    name_zh: str
    province: str
    province_zh: str
    year: int
    framework: str
    source: str
    synthetic: bool
    index: float
    rank: int
    n_regions: int
    blockers: list[Blocker]
    categories: list[Share]
    untagged: float
    dimensions: list[Share]
    type: str
    type_zh: str
    type_en: str
    paths: list[Recommendation]
    mechanisms: list[Recommendation]
    peer_indicator: str | None
    peer_years: tuple[int, int] | None
    peers: list[Peer]
    lang: str = "zh"
    type_category: str | None = None  #: the category the type names (None: balanced)
    type_factor: float = float("nan")  #: its share over the year's mean share (balanced: largest)
    largest_category: str | None = None  #: the category with the largest absolute share
    type_reason_zh: str = ""
    type_reason_en: str = ""
    warnings_zh: list[str] = field(default_factory=list)  #: dominance warnings of the audit
    warnings_en: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (missing numbers become None)."""
        return _jsonable(self)

    def to_text(self, lang: str | None = None) -> str:
        """A one-screen summary in Chinese (``"zh"``) or English (``"en"``)."""
        return render(self, check_lang(lang or self.lang))


def _jsonable(obj: Any) -> Any:
    """``dataclasses.asdict`` with non-finite floats as None, without asdict's deep copies (which
    took half the time of a diagnosis)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj

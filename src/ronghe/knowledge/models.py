"""Validated models of the knowledge base: the seeds' values, pillars, obstacles, paths, mechanisms
and the obstacle-profile types, with cross-references checked when the base is built.

Ids follow ../FRAMEWORK.md: values V1-V4, pillars P1-P4, obstacles O1-O4, paths R1-R4, mechanisms
M1-M4 with sub-paths named after their mechanism (M1a, M1b, ...). A "route" is anything that can be
recommended: a path R*, a mechanism sub-path, or a mechanism without sub-paths (M3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ronghe.errors import InputError
from ronghe.words import Lang, check_lang

SUBSYSTEMS: tuple[str, ...] = ("urban", "rural")

# "000 §四(二)", "002 §二(二)1", "000 §五", "002 摘要": paper, then section / sub-section / item.
CITE_PATTERN = re.compile(
    r"^(?P<paper>000|002) (?:摘要|§(?P<sec>[一二三四五六七八九十]+)"
    r"(?:\((?P<sub>[一二三四五六七八九十]+)\)(?P<item>\d+)?)?)$"
)



class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Action(_Frozen):
    """One concrete action, in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def text(self, lang: Lang = "zh") -> str:
        return getattr(self, check_lang(lang))


class Entry(_Frozen):
    """An item of the knowledge base with bilingual name and summary and its seed citations."""

    id: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    summary_zh: str = Field(min_length=1)
    summary_en: str = Field(min_length=1)
    cite: tuple[str, ...] = Field(min_length=1)

    @field_validator("cite")
    @classmethod
    def _cite_format(cls, cite: tuple[str, ...]) -> tuple[str, ...]:
        for c in cite:
            if not CITE_PATTERN.match(c):
                raise ValueError(f"citation {c!r} is not like '000 §四(二)' or '002 §二(二)1'")
        return cite

    def name(self, lang: Lang = "zh") -> str:
        return getattr(self, f"name_{check_lang(lang)}")

    def summary(self, lang: Lang = "zh") -> str:
        return getattr(self, f"summary_{check_lang(lang)}")


class Triggers(_Frozen):
    """What points a diagnosis to a route: framework tags (P*, M*, V*, O*, urban/rural) and
    catalogue indicator ids whose obstacle degree is high."""

    tags: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


class Route(Entry):
    """A recommendable path or mechanism: the obstacles it answers, its triggers and its actions."""

    obstacles: tuple[str, ...] = Field(min_length=1)
    triggers: Triggers = Triggers()
    actions: tuple[Action, ...] = Field(min_length=1)

    @property
    def kind(self) -> Literal["path", "mechanism"]:
        return "path" if self.id.startswith("R") else "mechanism"


class Path(Route):
    """One of the four paths R1-R4 of paper 000 §五."""


class SubPath(Route):
    """A sub-path of a county mechanism (paper 002 §三), e.g. M1b land."""


class Mechanism(Route):
    """A county mechanism M1-M4 (paper 002). With sub-paths, the actions sit on the sub-paths."""

    actions: tuple[Action, ...] = ()
    sub_paths: tuple[SubPath, ...] = ()

    @model_validator(mode="after")
    def _actions_or_sub_paths(self) -> Mechanism:
        if not self.sub_paths and not self.actions:
            raise ValueError(f"mechanism {self.id} needs actions or sub_paths")
        for sp in self.sub_paths:
            if not sp.id.startswith(self.id) or sp.id == self.id:
                raise ValueError(f"sub-path {sp.id} must be named {self.id}a, {self.id}b, ...")
        return self


class ObstacleType(Entry):
    """A typology type: regions whose obstacle profile is dominated by ``obstacle`` (None for the
    balanced type), answered first by ``dominant_path`` and then by the ``supporting`` routes."""

    obstacle: str | None = None
    dominant_path: str | None = None
    supporting: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteMatch:
    """A route triggered by a set of tags and indicators, with the evidence that triggered it."""

    route: Route
    tags: tuple[str, ...]
    indicators: tuple[str, ...]


_E = TypeVar("_E", bound=Entry)


def _by_id(entries: tuple[_E, ...], id: str, what: str) -> _E:
    """The entry ``id`` of ``entries``; InputError ``unknown <what> 'id' (known: ...)`` otherwise."""
    for e in entries:
        if e.id == id:
            return e
    known = ", ".join(e.id for e in entries)
    raise InputError(f"unknown {what} {id!r} (known: {known})")


def _flatten_tags(tags: Mapping[str, Iterable[str]] | Iterable[str]) -> set[str]:
    if isinstance(tags, str):
        return {tags}
    if isinstance(tags, Mapping):
        return {t for values in tags.values() for t in values}
    return set(tags)


class KnowledgeBase(_Frozen):
    """The whole knowledge base. Cross-references are checked on construction: ids are unique,
    every obstacle is answered by at least one path, every obstacle/route/tag referenced exists."""

    values: tuple[Entry, ...] = Field(min_length=1)
    pillars: tuple[Entry, ...] = Field(min_length=1)
    obstacles: tuple[Entry, ...] = Field(min_length=1)
    paths: tuple[Path, ...] = Field(min_length=1)
    mechanisms: tuple[Mechanism, ...] = Field(min_length=1)
    types: tuple[ObstacleType, ...] = Field(min_length=1)

    _items: dict[str, Entry] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _cross_references(self) -> KnowledgeBase:
        items: dict[str, Entry] = {}
        every = [
            *self.values,
            *self.pillars,
            *self.obstacles,
            *self.paths,
            *self.mechanisms,
            *(sp for m in self.mechanisms for sp in m.sub_paths),
            *self.types,
        ]
        for item in every:
            if item.id in items:
                raise ValueError(f"id {item.id} is used twice")
            items[item.id] = item
        obstacle_ids = {o.id for o in self.obstacles}
        tag_ids = {
            e.id for e in (*self.values, *self.pillars, *self.obstacles, *self.mechanisms)
        } | set(SUBSYSTEMS)
        for route in self._all_routes():
            for o in route.obstacles:
                if o not in obstacle_ids:
                    raise ValueError(f"{route.id} answers unknown obstacle {o}")
            for tag in route.triggers.tags:
                if tag not in tag_ids:
                    raise ValueError(f"{route.id} is triggered by unknown tag {tag}")
        for o in obstacle_ids:
            if not any(o in p.obstacles for p in self.paths):
                raise ValueError(f"obstacle {o} is answered by no path")
        route_ids = {r.id for r in self._all_routes()}
        seen: set[str | None] = set()
        for t in self.types:
            if t.obstacle is not None and t.obstacle not in obstacle_ids:
                raise ValueError(f"type {t.id} refers to unknown obstacle {t.obstacle}")
            if t.obstacle in seen:
                raise ValueError(f"two types share the dominant obstacle {t.obstacle}")
            seen.add(t.obstacle)
            if (t.obstacle is None) != (t.dominant_path is None):
                raise ValueError(f"type {t.id}: a dominant_path goes with a dominant obstacle")
            for r in (t.dominant_path, *t.supporting):
                if r is not None and r not in route_ids:
                    raise ValueError(f"type {t.id} refers to unknown route {r}")
        missing = (obstacle_ids | {None}) - seen
        if missing:
            raise ValueError(f"no type for obstacle(s) {sorted(map(str, missing))}")
        self._items.update(items)
        return self

    def _all_routes(self) -> list[Route]:
        out: list[Route] = [*self.paths]
        for m in self.mechanisms:
            out.append(m)
            out.extend(m.sub_paths)
        return out

    @property
    def routes(self) -> tuple[Route, ...]:
        """Recommendable routes: the paths R1-R4, then mechanism sub-paths and mechanisms that have
        none (M3), in knowledge-base order."""
        out: list[Route] = [*self.paths]
        for m in self.mechanisms:
            out.extend(m.sub_paths or (m,))
        return tuple(out)

    def item(self, id: str) -> Entry:
        """Any item by id (value, pillar, obstacle, path, mechanism, sub-path or type)."""
        try:
            return self._items[id]
        except KeyError:
            raise InputError(f"unknown knowledge-base id {id!r}") from None

    def name(self, id: str, lang: Lang = "zh") -> str:
        return self.item(id).name(lang)

    def summary(self, id: str, lang: Lang = "zh") -> str:
        return self.item(id).summary(lang)

    def obstacle(self, id: str) -> Entry:
        return _by_id(self.obstacles, id, "obstacle")

    def route(self, id: str) -> Route:
        """A path, mechanism or sub-path by id."""
        item = self._items.get(id)
        if not isinstance(item, Route):
            raise InputError(f"unknown path or mechanism {id!r}")
        return item

    def mechanism(self, id: str) -> Mechanism:
        """A mechanism by its id or by the id of one of its sub-paths."""
        for m in self.mechanisms:
            if m.id == id or any(sp.id == id for sp in m.sub_paths):
                return m
        raise InputError(f"unknown mechanism {id!r}")

    def paths_for_obstacle(
        self, id: str, kind: Literal["path", "mechanism"] | None = None
    ) -> tuple[Route, ...]:
        """Routes that answer obstacle ``id``, paths first, in knowledge-base order; ``kind``
        keeps only paths or only mechanisms."""
        self.obstacle(id)
        return tuple(
            r for r in self.routes if id in r.obstacles and (kind is None or r.kind == kind)
        )

    def paths_for_tags(
        self,
        tags: Mapping[str, Iterable[str]] | Iterable[str] = (),
        indicators: Iterable[str] = (),
    ) -> list[RouteMatch]:
        """Routes triggered by any of ``tags`` (a flat collection such as {"O3", "P3"} or a
        framework tag mapping such as {"pillar": ["P3"], "obstacle": ["O3"]}) or ``indicators``.

        Ranked by the number of matched indicators, then of matched tags (an indicator match is the
        more specific evidence), then knowledge-base order. Each match lists its evidence."""
        tag_set = _flatten_tags(tags)
        ind_set = {indicators} if isinstance(indicators, str) else set(indicators)
        matches = []
        for order, r in enumerate(self.routes):
            mt = tuple(t for t in r.triggers.tags if t in tag_set)
            mi = tuple(i for i in r.triggers.indicators if i in ind_set)
            if mt or mi:
                matches.append((-len(mi), -len(mt), order, RouteMatch(r, mt, mi)))
        matches.sort(key=lambda m: m[:3])
        return [m[3] for m in matches]

    def type(self, id: str) -> ObstacleType:
        return _by_id(self.types, id, "typology type")

    def type_for_obstacle(self, obstacle: str | None) -> ObstacleType:
        """The type dominated by ``obstacle``; ``None`` gives the balanced type."""
        for t in self.types:
            if t.obstacle == obstacle:
                return t
        raise InputError(f"no typology type for obstacle {obstacle!r}")

    def referenced_tags(self) -> set[str]:
        """Every framework tag some route is triggered by."""
        return {t for r in self._all_routes() for t in r.triggers.tags}

    def referenced_indicators(self) -> set[str]:
        """Every catalogue indicator id some route is triggered by."""
        return {i for r in self._all_routes() for i in r.triggers.indicators}

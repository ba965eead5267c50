"""Results the web platform serves: the evaluation of the store's current panel under the
evaluation settings an administrator chose (table ``web_settings``, kept through
:mod:`ronghe.store.platform`: every change a new row, the
newest in force; none means the seed framework with ``Settings()``), computed once per snapshot key
(the data version, i.e. the number and last id of import batches, and the settings revision, i.e.
the id of the newest settings row) and shared by all requests. The key is read from the database
at most once per ``VERSION_TTL`` seconds (at once after an import or a settings change through this
process; other workers follow within that time).

Settings are checked before they are stored: :meth:`Analysis.change` evaluates the panel with them
and refuses them (nothing stored) when that fails, e.g. when the data lacks a variable the framework
needs. Should stored settings stop working later, the snapshot falls back to the defaults and says
why in ``Snapshot.problem``, so the platform keeps serving.

Each snapshot keeps what answering costs: every result row already encoded as JSON (built once per
table, on first use), so a one-region answer is a join of a few byte strings; finished answers
(JSON bytes) keyed by endpoint, caller scope and parameters, so a repeated question costs a
dictionary look-up; and the latest diagnoses. The two caches keep the ``MAX_ANSWERS`` most recently
built entries each."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, get_args

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ronghe import diagnosis
from ronghe.errors import InputError, RongheError
from ronghe.frameworks import list_frameworks, load_framework
from ronghe.panel import Panel
from ronghe.result import Result
from ronghe.settings import Coupling, Normalization, Settings, Treatment, Weighting
from ronghe.store import Store, StoreError
from ronghe.store import platform as db
from ronghe.web.security import utcnow

FRAMEWORK = "seed"  # the framework in force while no settings are stored
VERSION_TTL = 1.0  # seconds
MAX_ANSWERS = 4096
HISTORY = 50  # settings changes listed on the admin page


def _options(model: type[BaseModel], name: str, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The values a Literal field of a settings model allows, less ``leave_out``."""
    return tuple(o for o in get_args(model.model_fields[name].annotation) if o not in leave_out)


CHOICES: dict[str, tuple[str, ...]] = {
    "framework": tuple(list_frameworks()),
    # fixed weights and AHP need numbers per indicator or dimension, which a select cannot give
    "weighting.indicators": _options(Weighting, "indicators", ("fixed",)),
    "weighting.dimensions": _options(Weighting, "dimensions", ("ahp", "fixed")),
    # z-scores leave [0, 1] (entropy and coupling need non-negative scores); "target" is a synonym
    # of min-max (identical scores)
    "normalization.method": _options(Normalization, "method", ("zscore", "target")),
    "normalization.scope": _options(Normalization, "scope"),
    "treatment.imputation": _options(Treatment, "imputation"),
    "treatment.outliers": _options(Treatment, "outliers"),
    "aggregation": _options(Settings, "aggregation"),
    "coupling.formula": _options(Coupling, "formula"),
}
"""The settings the admin page offers: dotted path in :class:`~ronghe.settings.Settings` -> the
values offered (built-in frameworks only: a path would let the form read server files)."""


def defaults() -> Settings:
    """The settings in force while none are stored."""
    # validated from a mapping: mypy without the pydantic plugin does not see the defaults that
    # Settings declares through Field(...)
    return Settings.model_validate({"framework": FRAMEWORK})


def choose(settings: Settings, choices: Mapping[str, str]) -> Settings:
    """``settings`` with each dotted path of ``choices`` set to its value; InputError for a path
    or a value :data:`CHOICES` does not offer."""
    data = settings.model_dump(mode="json")
    for path, value in choices.items():
        if value not in CHOICES.get(path, ()):
            raise InputError(f"{path}: {value!r} is not offered / 无效选项")
        *parents, leaf = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[leaf] = value
    return Settings.model_validate(data)


def leaves(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every non-mapping value of nested mappings, in order."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def differences(old: Settings, new: Settings) -> list[str]:
    """``"path: old → new"`` for every setting that differs, in the settings' field order."""
    before = dict(leaves(old.model_dump(mode="json")))
    return [f"{path}: {before.get(path)} → {value}"
            for path, value in leaves(new.model_dump(mode="json")) if before.get(path) != value]


@dataclass(frozen=True)
class Stored:
    """Settings as stored: ``revision`` is the row id (0: nothing stored, the defaults). When the
    row's YAML is no longer valid settings (say, written by another version of ronghe),
    ``settings`` are the defaults and ``problem`` says why."""

    revision: int
    settings: Settings
    changed_at: datetime | None = None
    changed_by: str | None = None
    problem: str = ""


def stored(store: Store, revision: int | None = None) -> Stored:
    """The settings of row ``revision`` (the newest row when None; the defaults when there is no
    row)."""
    row = db.settings_row(store.engine, revision)
    if row is None:
        return Stored(0, defaults())
    try:
        settings, problem = Settings.from_yaml(row.settings_yaml, f"web_settings #{row.id}"), ""
    except InputError as exc:
        settings, problem = defaults(), str(exc)
    return Stored(row.id, settings, row.changed_at, row.changed_by, problem)


def history(store: Store, limit: int = HISTORY) -> list[dict[str, Any]]:
    """The newest ``limit`` settings changes: id, framework, settings_hash, changed_at, changed_by."""
    return db.settings_history(store.engine, limit)


def evaluate(panel: Panel, settings: Settings) -> Result:
    """The panel evaluated under ``settings`` (a built-in framework only), ready for diagnoses.
    A framework whose variables the panel lacks is an InputError naming them in both languages."""
    from ronghe.study import Study

    if settings.framework not in CHOICES["framework"]:
        raise InputError(f"framework {settings.framework!r} is not built in / 不是内置指标体系")
    missing = sorted({v for _, v in load_framework(settings.framework).missing(panel.data.columns)})
    if missing:
        shown = ", ".join(missing[:8]) + (f" … (+{len(missing) - 8})" if len(missing) > 8 else "")
        raise InputError(f"指标体系 {settings.framework} 需要的变量数据库中没有 / framework "
                         f"{settings.framework} needs variables the data lacks: {shown}")
    result = Study(panel, settings=settings).evaluate()
    diagnosis.prepare(result)
    return result


@dataclass
class Snapshot:
    """One data version's result under one settings revision, and its frames (None when the
    store holds no values). ``settings`` are those the result was computed with; ``problem`` says
    why they are the defaults rather than those of ``revision`` (empty when they are not)."""

    version: tuple[int, int]
    result: Result | None
    revision: int = 0
    settings: Settings = field(default_factory=defaults)
    problem: str = ""
    index: pd.DataFrame = field(default_factory=pd.DataFrame)
    coupling: pd.DataFrame = field(default_factory=pd.DataFrame)
    obstacles: pd.DataFrame = field(default_factory=pd.DataFrame)
    diagnoses: OrderedDict[tuple[str, int, str], dict[str, Any]] = field(
        default_factory=OrderedDict)
    answers: OrderedDict[tuple, bytes] = field(default_factory=OrderedDict)
    tables: dict[str, list[bytes]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def answer(self, key: tuple, build: Callable[[], bytes]) -> bytes:
        """The cached answer for ``key``, built (and the oldest dropped) when missing."""
        return _bounded(self.answers, key, build)

    def encoded(self, name: str, build: Callable[[], list[bytes]]) -> list[bytes]:
        """The JSON of every row of result table ``name`` (``build()`` on first use, once)."""
        rows = self.tables.get(name)
        if rows is None:
            with self._lock:
                rows = self.tables.get(name)
                if rows is None:
                    rows = self.tables[name] = build()
        return rows

    @cached_property
    def rows_of(self) -> dict[str, np.ndarray]:
        """Row positions of each region in the result frames (index, coupling and obstacles share
        one row order)."""
        return {str(k): v for k, v in self.index.groupby("region", sort=False).indices.items()}

    @cached_property
    def region_codes(self) -> np.ndarray:
        """The region code of each row, as a NumPy object array."""
        return self.index["region"].astype(str).to_numpy(dtype=object)

    @cached_property
    def row_years(self) -> np.ndarray:
        """The year of each row."""
        return self.index["year"].to_numpy(dtype=np.int64)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.index["year"].unique()) if len(self.index) else []

    def diagnosis(self, region: str, year: int | None, lang: str) -> dict[str, Any]:
        """:meth:`Result.diagnose` as a dict (``year=None``: the latest), kept like answers."""
        if self.result is None:
            raise StoreError("no data / 没有数据")
        year = int(year) if year is not None else self.years[-1]
        result = self.result
        return _bounded(self.diagnoses, (region, year, lang),
                        lambda: result.diagnose(region, year, lang=lang).to_dict())

    @property
    def key(self) -> tuple[tuple[int, int], int]:
        """What the snapshot is of: (data version, settings revision)."""
        return self.version, self.revision


class Analysis:
    """Evaluate the store lazily and keep the latest snapshot. ``warm(snapshot)`` runs on each
    new snapshot before any request sees it (the API encodes its tables there)."""

    def __init__(self, store: Store, warm: Callable[[Snapshot], None] | None = None) -> None:
        self.store = store
        self._warm = warm
        self._lock = threading.Lock()  # held while evaluating
        self._checking = threading.Lock()  # held while reading the key
        self._snap: Snapshot | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        """Re-read the data version on the next request (call after an import)."""
        self._checked = 0.0

    def version(self) -> tuple[tuple[int, int], int]:
        """The snapshot key in force: the data version (number and last id of import batches) and
        the settings revision (id of the newest settings row, 0 when there is none)."""
        return db.data_version(self.store.engine)

    @property
    def problem(self) -> str:
        """Why the latest snapshot uses the defaults instead of the stored settings ("" if it
        does not, or if nothing was evaluated yet); never touches the database."""
        snap = self._snap
        return snap.problem if snap is not None else ""

    def change(self, settings: Settings, user: str) -> tuple[Stored, Stored] | None:
        """Store ``settings`` as the newest revision, changed by ``user``, and serve results under
        them from this process at once; returns (settings before, settings now), or None when
        they equal the stored ones. The store's panel is evaluated first: when that fails, an
        InputError says why (in both languages) and nothing is stored."""
        old = stored(self.store)
        if settings.hash == old.settings.hash and not old.problem:
            return None
        version, _ = self.version()
        try:
            panel = self.store.panel()
        except StoreError:  # no values yet: nothing to check the settings against
            panel = None
        result = None
        if panel is not None:
            try:
                result = evaluate(panel, settings)
            except (RongheError, ValueError) as exc:
                raise InputError(f"未保存：这些设置无法评价当前数据 / not saved: these settings "
                                 f"cannot evaluate the data: {exc}") from None
        elif settings.framework not in CHOICES["framework"]:
            raise InputError(f"framework {settings.framework!r} is not built in / 不是内置指标体系")
        revision = db.add_settings(self.store.engine, settings.framework, settings.to_yaml(),
                                   settings.hash, utcnow(), user)
        new = stored(self.store, revision)
        snap = _snapshot(version, result, new.revision, settings)
        with self._lock:
            if self._warm is not None and result is not None:
                self._warm(snap)
            self._snap = snap
            self._checked = time.monotonic()
        return old, new

    def current(self) -> Snapshot | None:
        """The latest snapshot if its key was checked within ``VERSION_TTL`` or is being checked
        right now, else None; never touches the database (for callers that must not block)."""
        snap = self._snap
        if snap is not None and (time.monotonic() - self._checked < VERSION_TTL
                                 or self._checking.locked()):
            return snap
        return None

    def snapshot(self) -> Snapshot:
        """The snapshot of the current key. One caller at a time checks the key (one query);
        callers arriving meanwhile get the latest snapshot rather than a query each."""
        snap = self._snap
        if snap is not None and time.monotonic() - self._checked < VERSION_TTL:
            return snap
        if snap is None:
            self._checking.acquire()
        elif not self._checking.acquire(blocking=False):
            return snap  # another caller is checking
        try:
            key = self.version()
        finally:
            self._checking.release()
        if snap is not None and snap.key == key:
            self._checked = time.monotonic()
            return snap
        with self._lock:
            if self._snap is None or self._snap.key != key:
                snap = _evaluate(self.store, *key)
                if self._warm is not None and snap.result is not None:
                    self._warm(snap)
                self._snap = snap
            self._checked = time.monotonic()
            return self._snap


def _bounded(cache: OrderedDict, key: tuple, build: Callable[[], Any]) -> Any:
    """``cache[key]``, built when missing; beyond ``MAX_ANSWERS`` entries the oldest is dropped.
    Concurrent misses may build twice; the value is the same."""
    value = cache.get(key)
    if value is None:
        value = cache[key] = build()
        while len(cache) > MAX_ANSWERS:
            try:
                cache.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                break
    return value


def _snapshot(version: tuple[int, int], result: Result | None, revision: int,
              settings: Settings, problem: str = "") -> Snapshot:
    if result is None:
        return Snapshot(version, None, revision, settings, problem)
    return Snapshot(version, result, revision, settings, problem, index=result.index,
                    coupling=result.coupling, obstacles=result.top_obstacles)


def _evaluate(store: Store, version: tuple[int, int], revision: int) -> Snapshot:
    """The snapshot of ``version`` under settings ``revision``; under the defaults, with the
    reason in ``problem``, when the stored settings are unreadable or cannot evaluate the data
    (errors under the defaults themselves propagate)."""
    chosen = stored(store, revision)
    settings, problem = chosen.settings, chosen.problem
    try:
        panel = store.panel()
    except StoreError:
        return _snapshot(version, None, revision, settings, problem)
    if not problem:
        try:
            return _snapshot(version, evaluate(panel, settings), revision, settings)
        except (RongheError, ValueError) as exc:
            if settings == defaults():
                raise
            settings, problem = defaults(), str(exc)
    logging.getLogger("ronghe.web").warning(
        "stored settings #%s not applied, defaults used / 已保存的设置未生效，改用默认设置: %s",
        revision, problem)
    return _snapshot(version, evaluate(panel, settings), revision, settings, problem)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> None, NumPy scalars -> Python)."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
            for r in out]

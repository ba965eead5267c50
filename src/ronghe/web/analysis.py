"""Results the web platform serves: the seed-framework evaluation of the store's current panel,
computed once per data version (the number and last id of import batches) and shared by all
requests. The version is read from the database at most once per ``VERSION_TTL`` seconds (at once
after an import through this process).

Each snapshot keeps what answering costs: every result row already encoded as JSON (built once per
table, on first use), so a one-region answer is a join of a few byte strings; finished answers
(JSON bytes) keyed by endpoint, caller scope and parameters, so a repeated question costs a
dictionary look-up; and the latest diagnoses. The two caches keep the ``MAX_ANSWERS`` most recently
built entries each."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from ronghe import diagnosis
from ronghe.result import Result
from ronghe.store import Store, StoreError
from ronghe.store import schema as t

FRAMEWORK = "seed"
VERSION_TTL = 1.0  # seconds
MAX_ANSWERS = 4096


@dataclass
class Snapshot:
    """One data version's result and its frames (None when the store holds no values)."""

    version: tuple[int, int]
    result: Result | None
    index: pd.DataFrame = field(default_factory=pd.DataFrame)
    coupling: pd.DataFrame = field(default_factory=pd.DataFrame)
    obstacles: pd.DataFrame = field(default_factory=pd.DataFrame)
    diagnoses: OrderedDict[tuple[str, int, str], dict[str, Any]] = field(
        default_factory=OrderedDict)
    answers: OrderedDict[tuple, bytes] = field(default_factory=OrderedDict)
    tables: dict[str, list[bytes]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def answer(self, key: tuple, build) -> bytes:  # type: ignore[no-untyped-def]
        """The cached answer for ``key``, built (and the oldest dropped) when missing."""
        return _bounded(self.answers, key, build)

    def encoded(self, name: str, build) -> list[bytes]:  # type: ignore[no-untyped-def]
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


class Analysis:
    """Evaluate the store lazily and keep the latest snapshot. ``warm(snapshot)`` runs on each
    new snapshot before any request sees it (the API encodes its tables there)."""

    def __init__(self, store: Store, warm: Callable[[Snapshot], None] | None = None) -> None:
        self.store = store
        self._warm = warm
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        """Re-read the data version on the next request (call after an import)."""
        self._checked = 0.0

    def version(self) -> tuple[int, int]:
        b = t.import_batches
        with self.store.engine.connect() as conn:
            n, last = conn.execute(sa.select(sa.func.count(), sa.func.max(b.c.id))).one()
        return int(n), int(last or 0)

    def current(self) -> Snapshot | None:
        """The latest snapshot if its data version was checked within ``VERSION_TTL``, else None;
        never touches the database (for callers that must not block)."""
        snap = self._snap
        if snap is not None and time.monotonic() - self._checked < VERSION_TTL:
            return snap
        return None

    def snapshot(self) -> Snapshot:
        snap = self._snap
        if snap is not None and time.monotonic() - self._checked < VERSION_TTL:
            return snap
        version = self.version()
        if snap is not None and snap.version == version:
            self._checked = time.monotonic()
            return snap
        with self._lock:
            if self._snap is None or self._snap.version != version:
                snap = _evaluate(self.store, version)
                if self._warm is not None and snap.result is not None:
                    self._warm(snap)
                self._snap = snap
            self._checked = time.monotonic()
            return self._snap

    def diagnosis(self, region: str, year: int | None, lang: str) -> dict[str, Any]:
        snap = self.snapshot()
        if snap.result is None:
            raise StoreError("no data / 没有数据")
        year = int(year) if year is not None else snap.years[-1]
        result = snap.result
        return _bounded(snap.diagnoses, (region, year, lang),
                        lambda: result.diagnose(region, year, lang=lang).to_dict())


def _bounded(cache: OrderedDict, key: tuple, build):  # type: ignore[no-untyped-def]
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


def _evaluate(store: Store, version: tuple[int, int]) -> Snapshot:
    from ronghe.study import Study

    try:
        panel = store.panel()
    except StoreError:
        return Snapshot(version, None)
    result = Study(panel, FRAMEWORK).evaluate()
    diagnosis.prepare(result)
    return Snapshot(version, result, index=result.index, coupling=result.coupling,
                    obstacles=result.top_obstacles)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> None, NumPy scalars -> Python)."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
            for r in out]

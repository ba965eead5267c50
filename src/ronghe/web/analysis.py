"""Results the web platform serves: the seed-framework evaluation of the store's current panel,
computed once per data version (the number and last id of import batches) and shared by all
requests. The version is read from the database at most once per ``VERSION_TTL`` seconds (at once
after an import through this process). Each snapshot also keeps finished API answers (JSON bytes)
keyed by endpoint, caller scope and parameters, so a repeated question costs a dictionary look-up."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

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
    diagnoses: dict[tuple[str, int, str], dict[str, Any]] = field(default_factory=dict)
    answers: OrderedDict[tuple, bytes] = field(default_factory=OrderedDict)

    def answer(self, key: tuple, build) -> bytes:  # type: ignore[no-untyped-def]
        """The cached answer for ``key``, built (and the oldest dropped) when missing."""
        body = self.answers.get(key)
        if body is None:
            body = build()
            self.answers[key] = body
            while len(self.answers) > MAX_ANSWERS:
                self.answers.popitem(last=False)
        return body

    @cached_property
    def rows_of(self) -> dict[str, np.ndarray]:
        """Row positions of each region in the result frames (index, coupling and obstacles share
        one row order)."""
        return {str(k): v for k, v in self.index.groupby("region", sort=False).indices.items()}

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.index["year"].unique()) if len(self.index) else []


class Analysis:
    """Evaluate the store lazily and keep the latest snapshot."""

    def __init__(self, store: Store) -> None:
        self.store = store
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
                self._snap = _evaluate(self.store, version)
            self._checked = time.monotonic()
            return self._snap

    def diagnosis(self, region: str, year: int | None, lang: str) -> dict[str, Any]:
        snap = self.snapshot()
        if snap.result is None:
            raise StoreError("no data / 没有数据")
        year = int(year) if year is not None else snap.years[-1]
        key = (region, year, lang)
        if key not in snap.diagnoses:
            snap.diagnoses[key] = snap.result.diagnose(region, year, lang=lang).to_dict()
        return snap.diagnoses[key]


def _evaluate(store: Store, version: tuple[int, int]) -> Snapshot:
    from ronghe.study import Study

    try:
        panel = store.panel()
    except StoreError:
        return Snapshot(version, None)
    result = Study(panel, FRAMEWORK).evaluate()
    return Snapshot(version, result, index=result.index, coupling=result.coupling,
                    obstacles=result.top_obstacles)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> None, NumPy scalars -> Python)."""
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
            for r in out]

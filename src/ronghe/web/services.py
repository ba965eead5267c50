"""What the pages and the API both do with the platform: check a region against the caller's
scope, cut result frames to it, fetch the current snapshot, diagnose a region and store
corrections. Route modules (:mod:`ronghe.web.routes`) call these; none of them knows HTTP beyond
raising :class:`fastapi.HTTPException` with the status the caller gets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from ronghe.errors import RongheError
from ronghe.result import Result
from ronghe.store import StoreConflict
from ronghe.store.store import EditResult
from ronghe.web.analysis import Snapshot, records
from ronghe.web.auth import Principal
from ronghe.web.context import Platform
from ronghe.words import number, unit_label

NO_DATA = "no data in the database / 数据库中没有数据"


def check_region(p: Platform, who: Principal, code: str) -> None:
    """404 for an unknown region code, 403 for one outside the caller's scope."""
    if code not in p.accounts.regions.index:
        raise HTTPException(404, f"unknown region {code} / 地区不存在")
    if not who.can_read(code):
        raise HTTPException(403, f"region {code} is outside your scope / 无权访问该地区")


def check_optional_region(p: Platform, who: Principal, region: str | None) -> None:
    """:func:`check_region` when a region is given."""
    if region is not None:
        check_region(p, who, region)


def scoped(frame: pd.DataFrame, who: Principal, region: str | None, year: int | None
           ) -> pd.DataFrame:
    """Rows of a result frame for the caller: in scope, optionally one region and one year."""
    mask = np.ones(len(frame), dtype=bool)
    if who.scope is not None:
        mask &= frame["region"].isin(who.scope).to_numpy()
    if region is not None:
        mask &= (frame["region"] == region).to_numpy()
    if year is not None:
        mask &= (frame["year"] == year).to_numpy()
    return frame[mask]


async def current(p: Platform) -> Snapshot:
    """The current snapshot without blocking the event loop: the data-version check (at most
    once per second) and any evaluation run in the threadpool."""
    snap = p.analysis.current()
    return snap if snap is not None else await run_in_threadpool(p.analysis.snapshot)


def result_or_404(p: Platform) -> tuple[Snapshot, Result]:
    """The current snapshot and its result; 404 when the store holds no values."""
    snap = p.analysis.snapshot()
    if snap.result is None:
        raise HTTPException(404, NO_DATA)
    return snap, snap.result


def diagnosis_for(p: Platform, who: Principal, code: str, year: int | None,
                  lang: str, snap: Snapshot | None = None) -> dict[str, Any]:
    """The diagnosis of an in-scope region with peers outside the scope removed and the data
    source (which may name the database) left out; from ``snap`` (default: the current
    snapshot)."""
    snap = result_or_404(p)[0] if snap is None else snap
    if snap.result is None:
        raise HTTPException(404, NO_DATA)
    if year is not None and year not in snap.years:
        raise HTTPException(404, f"no results for {year} / 该年份没有结果")
    if code not in snap.rows_of:
        raise HTTPException(404, f"no results for region {code} / 该地区没有结果")
    try:
        d = dict(snap.diagnosis(code, year, lang))
    except RongheError as exc:
        raise HTTPException(422, str(exc)) from None
    d.pop("source", None)
    d["peers"] = [peer for peer in d.get("peers", []) if who.can_read(peer["region"])]
    return d


def correct_values(p: Platform, who: Principal, values: pd.DataFrame, reason: str,
                   ip: str) -> EditResult:
    """Store corrections (:meth:`ronghe.store.Store.write_values`) for the profile form and
    ``POST /observations``: 404 for an unknown region and 403 unless the caller may write every
    region (nothing stored), 422 with the store's message (row and reason) for an invalid value;
    then the results are refreshed and each changed value gets an ``edit`` entry in the audit
    log. Concurrent writers of the same values that keep conflicting get 409 (StoreConflict)."""
    if not who.can_import:
        raise HTTPException(403, "your role cannot edit data / 当前角色不能修改数据")
    codes = set(values["region"].astype(str))
    unknown = sorted(codes - set(p.accounts.regions.index))
    if unknown:
        raise HTTPException(404, f"unknown region {', '.join(unknown[:5])} / 地区不存在")
    outside = sorted(c for c in codes if not who.can_write(c))
    if outside:
        raise HTTPException(403, f"regions outside your scope: {', '.join(outside[:5])} / "
                                 "包含无权编辑的地区")
    try:
        done = p.store.write_values(values, source=reason, user=who.username)
    except StoreConflict:
        raise  # 409, see create_app
    except RongheError as exc:
        raise HTTPException(422, str(exc)) from None
    if done.status == "imported":
        p.analysis.invalidate()
        p.accounts.audit_many(who.username, "edit", [
            (f"{c['region']} {c['year']} {c['variable']}",
             # rounded for reading; the exact old and new values stay in the store's history
             f"{number(c['old'], 6)} → {number(c['new'], 6)} "
             f"{unit_label(c['unit'])}; 批次 batch {done.batch_id}; {reason.strip()}")
            for c in records(done.changes)])
    return done

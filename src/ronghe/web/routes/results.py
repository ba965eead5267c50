"""Result tables under ``/api/v1/results`` (index, coupling, obstacles, method tables), served
from the current snapshot's pre-encoded rows and cached answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from pydantic import TypeAdapter

from ronghe.web.analysis import Snapshot, records
from ronghe.web.api import ERRORS, CouplingRow, IndexRow, ObstacleRow, RegionQ, Year
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, get_platform
from ronghe.web.services import NO_DATA, check_optional_region, current

api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
ANY = TypeAdapter(dict[str, Any])


def _index_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    u_cols = [c for c in frame.columns if c.startswith("U_")]
    rows = records(frame)
    for r in rows:
        r["U"] = {c[2:]: r.pop(c) for c in u_cols}
    return rows


def _obstacle_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in records(frame):
        tops = sorted(k for k in r if k.startswith("top") and not k.endswith("_degree"))
        out.append({
            "region": r["region"], "year": r["year"],
            "top": [{"indicator": r[k], "degree": r[f"{k}_degree"]} for k in tops],
            "dimensions": {k[8:]: v for k, v in r.items() if k.startswith("obs_dim_")},
            "categories": {k[8:]: v for k, v in r.items() if k.startswith("obs_cat_")},
            "shares": {k.removeprefix("share_"): v for k, v in r.items()
                       if k.startswith("share_") or k == "untagged"}})
    return out


TABLES: dict[str, tuple[TypeAdapter[Any], Callable[[Snapshot], list[dict[str, Any]]]]] = {
    "index": (TypeAdapter(IndexRow), lambda s: _index_rows(s.index)),
    "coupling": (TypeAdapter(CouplingRow), lambda s: records(
        s.coupling.reindex(columns=list(CouplingRow.model_fields)))),
    "obstacles": (TypeAdapter(ObstacleRow), lambda s: _obstacle_rows(s.obstacles)),
}
"""Result tables served row by row: name -> (row adapter, JSON-ready rows of a snapshot)."""


def _encoded(snap: Snapshot, name: str) -> list[bytes]:
    adapter, rows = TABLES[name]
    return snap.encoded(name, lambda: [adapter.dump_json(adapter.validate_python(r))
                                       for r in rows(snap)])


def encode_tables(snap: Snapshot) -> None:
    """Encode every row of the result tables of a new snapshot (about a second for 2,844
    counties × 5 years), so that no request waits for it."""
    for name in TABLES:
        _encoded(snap, name)


def table_answer(snap: Snapshot, who: Principal, name: str, region: str | None,
                 year: int | None) -> Response:
    """The rows of result table ``name`` (a key of ``TABLES``) for the caller (in scope,
    optionally one region and one year) as a JSON list. Each row is encoded once per snapshot
    (see :func:`encode_tables`); an answer is the join of its rows, cached in the snapshot by
    table, caller scope and year unless it is one region's few rows. Cheap enough to run on the
    event loop."""
    rows = _encoded(snap, name)

    def join(pos: np.ndarray) -> bytes:
        return b"[" + b",".join([rows[i] for i in pos]) + b"]"

    if region is not None:  # in scope: checked by the endpoint
        pos = snap.rows_of.get(region, np.array([], dtype=np.int64))
        if year is not None:
            pos = pos[snap.row_years[pos] == year]
        return Response(join(pos), media_type="application/json")

    def select() -> bytes:
        mask = np.ones(len(rows), dtype=bool)
        if who.scope is not None:
            mask &= np.isin(snap.region_codes, list(who.scope))
        if year is not None:
            mask &= snap.row_years == year
        return join(np.flatnonzero(mask))

    return Response(snap.answer((name, who.scope, year), select), media_type="application/json")


async def _table(p: Platform, who: Principal, name: str, region: str | None,
                 year: int | None) -> Response:
    check_optional_region(p, who, region)
    return table_answer(await current(p), who, name, region, year)


@api.get("/results/index", response_model=list[IndexRow])
async def index(region: str | None = RegionQ, year: int | None = Year,
                who: Principal = Depends(api_principal),
                p: Platform = Depends(get_platform)) -> Response:
    return await _table(p, who, "index", region, year)


@api.get("/results/coupling", response_model=list[CouplingRow])
async def coupling(region: str | None = RegionQ, year: int | None = Year,
                   who: Principal = Depends(api_principal),
                   p: Platform = Depends(get_platform)) -> Response:
    return await _table(p, who, "coupling", region, year)


@api.get("/results/obstacles", response_model=list[ObstacleRow])
async def obstacles(region: str | None = RegionQ, year: int | None = Year,
                    who: Principal = Depends(api_principal),
                    p: Platform = Depends(get_platform)) -> Response:
    return await _table(p, who, "obstacles", region, year)


@api.get("/results/methods", response_model=dict[str, Any])
async def methods_tables(region: str | None = RegionQ, year: int | None = Year,
                         who: Principal = Depends(api_principal),
                         p: Platform = Depends(get_platform)) -> Response:
    """Weighting tables (entropy e/d, CRITIC parts, CV, AHP, the weights compared), TOPSIS
    ideals and D+/D-/C per region-year in scope, and the statistical audit with its
    dominance warnings (ronghe.method_tables, ronghe.audit)."""
    check_optional_region(p, who, region)
    snap = await current(p)
    if snap.result is None:
        raise HTTPException(404, NO_DATA)
    return Response(snap.answer(("methods", who.scope, region, year), lambda: ANY.dump_json(
        methods_for(snap, who, region, year))), media_type="application/json")


def methods_for(snap: Snapshot, who: Principal, region: str | None,
                year: int | None) -> dict[str, Any]:
    """The body of ``/results/methods``: framework-level tables whole, TOPSIS rows in scope."""
    res = snap.result
    if res is None:
        raise HTTPException(404, NO_DATA)
    tables = res.method_tables()
    topsis = tables.pop("topsis")
    keep = np.ones(len(topsis), dtype=bool)
    if who.scope is not None:
        keep &= topsis["region"].isin(list(who.scope)).to_numpy()
    if region is not None:
        keep &= (topsis["region"] == region).to_numpy()
    if year is not None:
        keep &= (topsis["year"] == year).to_numpy()
    out: dict[str, Any] = {name: records(frame) for name, frame in tables.items()}
    out["topsis"] = records(topsis[keep])
    out["audit"] = res.audit.to_dict()
    return out

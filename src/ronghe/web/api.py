"""REST API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``). Every endpoint that touches
region data checks the caller's region scope: an unknown code is 404, a code outside the scope 403,
and lists only ever contain regions inside the scope."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib.util import find_spec
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field, TypeAdapter
from starlette.concurrency import run_in_threadpool

from ronghe import methods as m
from ronghe.errors import RongheError
from ronghe.store.store import EditResult, StoreConflict
from ronghe.web import imports
from ronghe.web.analysis import Snapshot, records
from ronghe.web.auth import Principal
from ronghe.web.context import Platform, api_principal, platform
from ronghe.web.security import NO_CONTROL, client_ip
from ronghe.words import number

CODE = r"^[0-9A-Za-z]{1,12}$"
Year = Query(None, ge=1949, le=2100, description="calendar year (all years when omitted)")
RegionQ = Query(None, pattern=CODE, description="one region code (all in scope when omitted)")


class RegionOut(BaseModel):
    code: str
    name_zh: str
    name_en: str | None = None
    level: str | None = None
    parent: str | None = None
    province: str | None = None


class IndicatorOut(BaseModel):
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    unit: str | None = None
    merge: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    positive: bool | None = None


class ObservationOut(BaseModel):
    region: str
    year: int
    variable: str
    value: float
    unit: str | None = None
    batch_id: int


class IndexRow(BaseModel):
    region: str
    name_zh: str | None = None
    province: str | None = None
    year: int
    index: float | None = None
    rank: int | None = None
    topsis: float | None = None
    U: dict[str, float | None]


class CouplingRow(BaseModel):
    region: str
    name_zh: str | None = None
    province: str | None = None
    year: int
    C: float | None = None
    T: float | None = None
    D: float | None = None
    grade: int | None = None
    grade_zh: str | None = None
    grade_en: str | None = None
    stage: int | None = None
    stage_zh: str | None = None
    stage_en: str | None = None


class Degree(BaseModel):
    indicator: str
    degree: float | None = None


class ObstacleRow(BaseModel):
    region: str
    year: int
    top: list[Degree]
    dimensions: dict[str, float | None]
    categories: dict[str, float | None]
    #: O1-O4 shares summing to 1 and ``untagged`` apart (ronghe.diagnosis.obstacle_shares)
    shares: dict[str, float | None] = Field(default_factory=dict)


class SimulateIn(BaseModel):
    region: str = Field(pattern=CODE)
    year: int | None = Field(None, ge=1949, le=2100)
    changes: dict[str, str | float] = Field(
        default_factory=dict, max_length=50,
        description="indicator or raw variable -> change: '+10%', '+500', '=2.0' or a number "
                    "(absolute change)")


class MetricRow(BaseModel):
    metric: str
    baseline: float | None = None
    scenario: float | None = None
    change: float | None = None


class SimulateOut(BaseModel):
    region: str
    year: int
    grade: int
    grade_zh: str
    grade_en: str
    summary: list[MetricRow]
    obstacles: list[Degree]


class IssueOut(BaseModel):
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    raw: str | None = None
    reason: str
    severity: str


class ImportOut(BaseModel):
    file: str
    sha256: str
    status: str = Field(description="dry-run, imported, or unchanged (same file already stored)")
    batch_id: int | None = None
    layout: str
    n_values: int
    n_superseded: int
    errors: int
    warnings: int
    missing: int
    issues: list[IssueOut] = Field(description="the first 500 issues of the validation report")


class CorrectionValue(BaseModel):
    region: str = Field(pattern=CODE, description="region code as in /regions")
    year: int = Field(ge=1949, le=2100)
    variable: str = Field(min_length=1, max_length=64, pattern=NO_CONTROL,
                          description="variable id as in /indicators")
    value: float | Annotated[str, Field(max_length=64, pattern=NO_CONTROL)] = Field(
        description="the corrected value in the catalogue's unit: a number, or text as a "
                    "yearbook cell holds it ('12,345.6')")


class CorrectionIn(BaseModel):
    values: list[CorrectionValue] = Field(min_length=1, max_length=1000)
    reason: str = Field(min_length=1, max_length=500, pattern=NO_CONTROL,
                        description="why the values change; stored as the batch's source / 修正理由")


class CorrectionOut(BaseModel):
    status: str = Field(description="imported, or unchanged (every value was already stored)")
    batch_id: int | None = None
    sha256: str
    n_values: int = Field(description="values that changed (stored in the batch)")
    n_unchanged: int = Field(description="values that already held the given value")
    n_superseded: int
    warnings: list[str] = Field(description="doubts about stored values (year-on-year jumps)")


class TokenIn(BaseModel):
    name: str = Field("token", min_length=1, max_length=64, pattern=NO_CONTROL)


class TokenOut(BaseModel):
    token: str


class Problem(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "not signed in / bad token"},
    403: {"model": Problem, "description": "region outside the caller's scope, or CSRF"},
    404: {"model": Problem, "description": "unknown region, or no results"},
    422: {"description": "invalid parameters or scenario"},
}


class Me(BaseModel):
    username: str
    role: str
    regions: list[str] | None


def check_region(p: Platform, who: Principal, code: str) -> None:
    """404 for an unknown region code, 403 for one outside the caller's scope."""
    if code not in p.accounts.regions.index:
        raise HTTPException(404, f"unknown region {code} / 地区不存在")
    if not who.can_read(code):
        raise HTTPException(403, f"region {code} is outside your scope / 无权访问该地区")


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


def _prepare(p: Platform, who: Principal, region: str | None) -> None:
    if region is not None:
        check_region(p, who, region)


async def current(p: Platform) -> Snapshot:
    """The current snapshot without blocking the event loop: the data-version check (at most
    once per second) and any evaluation run in the threadpool."""
    return p.analysis.current() or await run_in_threadpool(p.analysis.snapshot)


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


TABLES: dict[str, tuple[TypeAdapter, Callable[[Snapshot], list[dict[str, Any]]]]] = {
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


def build_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)

    @api.get("/me", response_model=Me)
    async def me(who: Principal = Depends(api_principal)) -> Me:
        return Me(username=who.username, role=who.role,
                  regions=None if who.scope is None else sorted(who.scope))

    @api.get("/regions", response_model=list[RegionOut])
    def regions(level: Literal["province", "prefecture", "county"] | None = None,
                who: Principal = Depends(api_principal),
                p: Platform = Depends(platform)) -> list[dict[str, Any]]:
        frame = p.accounts.regions.reset_index()
        if level is not None:
            frame = frame[frame["level"] == level]
        if who.scope is not None:
            frame = frame[frame["code"].isin(who.scope)]
        return records(frame[list(RegionOut.model_fields)])

    @api.get("/regions/{code}", response_model=RegionOut)
    def region(code: str, who: Principal = Depends(api_principal),
               p: Platform = Depends(platform)) -> dict[str, Any]:
        check_region(p, who, code)
        row = p.accounts.regions.loc[[code]].reset_index()
        return records(row[list(RegionOut.model_fields)])[0]

    @api.get("/indicators", response_model=list[IndicatorOut])
    def indicators(who: Principal = Depends(api_principal),
                   p: Platform = Depends(platform)) -> list[dict[str, Any]]:
        return records(p.store.catalogue().reset_index())

    @api.get("/observations", response_model=list[ObservationOut])
    def observations(region: str | None = RegionQ, year: int | None = Year,
                     variable: str | None = Query(None, max_length=64, pattern=NO_CONTROL),
                     limit: int = Query(1000, ge=1, le=100_000),
                     who: Principal = Depends(api_principal),
                     p: Platform = Depends(platform)) -> list[dict[str, Any]]:
        _prepare(p, who, region)
        codes = [region] if region else None if who.scope is None else sorted(who.scope)
        frame = p.store.observations(
            variables=[variable] if variable else None, years=[year] if year else None,
            regions=codes, columns=["region", "year", "variable", "value", "unit", "batch_id"])
        return records(frame.head(limit))

    @api.get("/results/index", response_model=list[IndexRow])
    async def index(request: Request, region: str | None = RegionQ,
                    year: int | None = Year, who: Principal = Depends(api_principal)) -> Response:
        p = platform(request)
        _prepare(p, who, region)
        return table_answer(await current(p), who, "index", region, year)

    @api.get("/results/coupling", response_model=list[CouplingRow])
    async def coupling(request: Request, region: str | None = RegionQ,
                       year: int | None = Year, who: Principal = Depends(api_principal)) -> Response:
        p = platform(request)
        _prepare(p, who, region)
        return table_answer(await current(p), who, "coupling", region, year)

    @api.get("/results/obstacles", response_model=list[ObstacleRow])
    async def obstacles(request: Request, region: str | None = RegionQ,
                        year: int | None = Year, who: Principal = Depends(api_principal)) -> Response:
        p = platform(request)
        _prepare(p, who, region)
        return table_answer(await current(p), who, "obstacles", region, year)

    @api.get("/diagnosis/{code}", response_model=dict[str, Any])
    async def diagnosis(request: Request, code: str, year: int | None = Year,
                        lang: Literal["zh", "en"] = "zh",
                        who: Principal = Depends(api_principal)) -> Response:
        p = platform(request)
        check_region(p, who, code)
        snap = await current(p)
        key = ("diagnosis", who.scope, code, year, lang)
        # A new diagnosis costs about 4 ms of CPU; computed here rather than in the threadpool,
        # where it waited for the GIL behind the event loop (p95 350 ms against 105 ms in
        # bench/web.py)
        body = snap.answer(key, lambda: ANY.dump_json(
            diagnosis_for(p, who, code, year, lang, snap)))
        return Response(body, media_type="application/json")

    @api.get("/results/methods", response_model=dict[str, Any])
    async def methods_tables(request: Request, region: str | None = RegionQ,
                             year: int | None = Year,
                             who: Principal = Depends(api_principal)) -> Response:
        """Weighting tables (entropy e/d, CRITIC parts, CV, AHP, the weights compared), TOPSIS
        ideals and D+/D-/C per region-year in scope, and the statistical audit with its
        dominance warnings (ronghe.method_tables, ronghe.audit)."""
        p = platform(request)
        _prepare(p, who, region)
        snap = await current(p)
        if snap.result is None:
            raise HTTPException(404, "no data in the database / 数据库中没有数据")
        return Response(snap.answer(("methods", who.scope, region, year), lambda: ANY.dump_json(
            methods_for(snap, who, region, year))), media_type="application/json")

    if find_spec("ronghe.planning.scenario") is not None:
        @api.post("/simulate", response_model=SimulateOut)
        def simulate(body: SimulateIn, who: Principal = Depends(api_principal),
                     p: Platform = Depends(platform)) -> dict[str, Any]:
            check_region(p, who, body.region)
            return simulate_for(p, body)

    @api.post("/imports", response_model=ImportOut, responses={
        400: {"model": Problem, "description": "unreadable file"},
        413: {"model": Problem, "description": "file over 20 MB"},
        409: {"model": Problem, "description": "concurrent writes kept conflicting; retry"},
        415: {"model": Problem, "description": "not .csv, .xlsx or .parquet"}})
    async def import_data(
            request: Request, file: UploadFile,
            source: str = Form("", max_length=500, pattern=NO_CONTROL,
                               description="provenance: yearbook, table, page / 数据来源"),
            dry_run: bool = Query(False, description="validate only, store nothing"),
            who: Principal = Depends(api_principal),
            p: Platform = Depends(platform)) -> dict[str, Any]:
        """Validate a yearbook table (.csv, .xlsx, .parquet) and, unless ``dry_run``, import it
        as one batch. Admins and editors only; every region in the file must be in scope."""
        path = await imports.stage(p, who, file)
        try:
            done = await run_in_threadpool(imports.check, p, who, path, source)
            if not dry_run:
                done = await run_in_threadpool(imports.commit, p, who, path, source,
                                               client_ip(request))
        except imports.Unreadable as exc:
            raise HTTPException(400, str(exc)) from None
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
        report = done.report
        issues = report.issues.head(500).astype(object)
        for col in ("file", "sheet", "column", "header", "raw"):
            issues[col] = [None if v is None or v != v else str(v) for v in issues[col]]
        return {"file": done.file, "sha256": done.sha256, "status": done.status,
                "batch_id": done.batch_id, "layout": done.layout, "n_values": done.n_values,
                "n_superseded": done.n_superseded, "errors": report.count("error"),
                "warnings": report.count("warning"), "missing": report.count("missing"),
                "issues": records(issues)}

    @api.post("/tokens", response_model=TokenOut, status_code=201)
    def tokens(body: TokenIn, who: Principal = Depends(api_principal),
               p: Platform = Depends(platform)) -> dict[str, str]:
        token = p.accounts.create_token(who.id, body.name)
        p.accounts.audit(who.username, "token", body.name)
        return {"token": token}

    @api.post("/observations", response_model=CorrectionOut, responses={
        409: {"model": Problem, "description": "concurrent writes kept conflicting; retry"},
        422: {"description": "a value is invalid (the detail names its row and the reason)"}})
    def correct(request: Request, body: CorrectionIn, who: Principal = Depends(api_principal),
                p: Platform = Depends(platform)) -> dict[str, Any]:
        """Correct single values as one batch (the reason is its source). Admins and editors
        only; every region must be in the caller's scope, else nothing is stored (403). Rows
        are numbered from 1 in errors."""
        values = pd.DataFrame([v.model_dump() for v in body.values])
        done = correct_values(p, who, values, body.reason, client_ip(request))
        return {"status": done.status, "batch_id": done.batch_id, "sha256": done.sha256,
                "n_values": done.n_values, "n_unchanged": done.n_unchanged,
                "n_superseded": done.n_superseded,
                "warnings": done.report.lines(severities=("warning",))}

    return api


def methods_for(snap: Snapshot, who: Principal, region: str | None,
                year: int | None) -> dict[str, Any]:
    """The body of ``/results/methods``: framework-level tables whole, TOPSIS rows in scope."""
    res = snap.result
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


def _result_or_404(p: Platform):  # type: ignore[no-untyped-def]
    snap = p.analysis.snapshot()
    if snap.result is None:
        raise HTTPException(404, "no data in the database / 数据库中没有数据")
    return snap


def diagnosis_for(p: Platform, who: Principal, code: str, year: int | None,
                  lang: str, snap: Snapshot | None = None) -> dict[str, Any]:
    """The diagnosis of an in-scope region with peers outside the scope removed and the data
    source (which may name the database) left out; from ``snap`` (default: the current
    snapshot)."""
    snap = _result_or_404(p) if snap is None else snap
    if snap.result is None:
        raise HTTPException(404, "no data in the database / 数据库中没有数据")
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


def simulate_for(p: Platform, body: SimulateIn) -> dict[str, Any]:
    from ronghe.planning.scenario import simulate

    snap = _result_or_404(p)
    year = body.year if body.year is not None else snap.years[-1]
    if year not in snap.years or not (snap.index["region"] == body.region).any():
        raise HTTPException(404, "no results for this region and year / 该地区年份没有结果")
    changes = {k: (v if isinstance(v, str) else ("abs", float(v)))
               for k, v in body.changes.items()}
    try:
        sc = simulate(snap.result, body.region, year, changes)
    except (RongheError, ValueError) as exc:
        raise HTTPException(422, str(exc).splitlines()[0]) from None
    summary = records(sc.summary)
    D = float(sc.scenario.D)
    grade, zh = m.ccd_grade(np.array([D]), lang="zh")
    en = m.ccd_grade(np.array([D]), lang="en")[1]
    ind = sc.indicators.sort_values("obstacle_after", ascending=False).head(5)
    return {"region": sc.region, "year": sc.year, "grade": int(grade[0]), "grade_zh": str(zh[0]),
            "grade_en": str(en[0]), "summary": summary,
            "obstacles": [{"indicator": r["indicator"], "degree": r["obstacle_after"]}
                          for r in records(ind)]}


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
             f"{c['unit'] or ''}; 批次 batch {done.batch_id}; {reason.strip()}")
            for c in records(done.changes)])
    return done

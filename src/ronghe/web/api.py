"""REST API under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``): its models, error answers and
shared parameters. The endpoints are in :mod:`ronghe.web.routes`, one module per resource. Every
endpoint that touches region data checks the caller's region scope: an unknown code is 404, a code
outside the scope 403, and lists only ever contain regions inside the scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ronghe.web.security import NO_CONTROL
from ronghe.web.services import check_region, correct_values, diagnosis_for, scoped

__all__ = ["CODE", "ERRORS", "RegionQ", "Year", "build_router", "check_region",
           "correct_values", "diagnosis_for", "scoped"]

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


class RegionYearRow(BaseModel):
    """What identifies a row of the results: the region (its name and province) and the year."""

    region: str
    name_zh: str | None = None
    province: str | None = None
    year: int


class IndexRow(RegionYearRow):
    index: float | None = None
    rank: int | None = None
    topsis: float | None = None
    U: dict[str, float | None]


class CouplingRow(RegionYearRow):
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


def build_router() -> APIRouter:
    """Every endpoint under ``/api/v1`` (see :func:`ronghe.web.routes.api_router`)."""
    from ronghe.web.routes import api_router

    return api_router()

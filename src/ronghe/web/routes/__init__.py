"""The platform's routes, one module per resource; each has a ``pages`` router (server-rendered
pages, left out of the OpenAPI schema) and/or an ``api`` router (under ``/api/v1``).

=============  ==========================================================================
session        sign in and out; ``/api/v1/me``
overview       the overview page
regions        region profile and scenario pages; regions, diagnosis, simulation API
observations   the profile's correction form; indicators and observations API
data           the data page (upload, preview, confirm); ``POST /api/v1/imports``
results        ``/api/v1/results/*`` (index, coupling, obstacles, method tables)
tokens         own tokens page, admin token forms; ``POST /api/v1/tokens``
admin          the admin page
users          the admin page's user forms
settings       the admin page's evaluation settings form
reports        the HTML report
=============  ==========================================================================

Handlers are module-level functions; what they share comes from dependencies
(:func:`ronghe.web.context.get_platform`, :func:`ronghe.web.context.api_principal`,
:func:`ronghe.web.pages.user`) and from :mod:`ronghe.web.services`.
"""

from __future__ import annotations

from fastapi import APIRouter

from ronghe.web.routes import (
    admin,
    data,
    observations,
    overview,
    regions,
    reports,
    results,
    session,
    settings,
    tokens,
    users,
)

__all__ = ["api_router", "page_router"]


def api_router() -> APIRouter:
    """Every endpoint under ``/api/v1``."""
    api = APIRouter()
    for module in (session, regions, observations, results, data, tokens):
        api.include_router(module.api)
    return api


def page_router() -> APIRouter:
    """Every page."""
    pages = APIRouter(include_in_schema=False)
    for module in (session, overview, regions, observations, data, admin, users, settings,
                   tokens, reports):
        pages.include_router(module.pages)
    return pages

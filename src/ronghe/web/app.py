"""The web platform's application factory."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ronghe.store import Store, StoreConflict
from ronghe.web.analysis import Analysis
from ronghe.web.auth import Accounts
from ronghe.web.context import Platform
from ronghe.web.pages import NeedLogin, render
from ronghe.web.routes import api_router, page_router
from ronghe.web.routes.results import encode_tables
from ronghe.web.security import MAX_UPLOAD, Sessions

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' "
                               "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
}


class LimitsAndHeaders:
    """Refuse requests announcing more than the upload limit (413) and add the security headers
    to every response. A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` streams every
    response body through a task and a queue, which cost about as much as a cached API answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length and length.isdigit() and int(length) > MAX_UPLOAD + 65536:
            too_big = JSONResponse({"detail": "request larger than 20 MB / 请求超过 20 MB"}, 413,
                                   headers=SECURITY_HEADERS)
            await too_big(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store_url: str, *, secret_key: str | None = None, demo: bool = False) -> FastAPI:
    """A FastAPI app serving the pages and ``/api/v1`` on the store at ``store_url`` (initialised
    or upgraded on start). Without ``secret_key`` a random one is used, so sessions end when the
    process does (give one, e.g. from ``RONGHE_SECRET_KEY``, when running several workers).
    ``demo`` shows the demo banner."""
    store = Store(store_url)
    store.init()
    platform = Platform(store=store, accounts=Accounts(store),
                        analysis=Analysis(store, warm=encode_tables),
                        sessions=Sessions(secret_key or secrets.token_urlsafe(32)))
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Evaluate the store while the server already answers, so that the first user does not
        # wait seconds for it (requests arriving meanwhile wait for the same evaluation).
        threading.Thread(target=_warm, args=(platform,), daemon=True,
                         name="ronghe-warm-up").start()
        yield

    app = FastAPI(title="ronghe 融合 API", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url="/api/v1/docs", redoc_url=None, lifespan=lifespan,
                  description="城乡融合数据、评价结果与诊断 / Urban-rural integration data, "
                              "results and diagnosis. Authenticate with a Bearer API token.")
    app.state.platform = platform
    app.state.demo = demo
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router())
    app.include_router(page_router())

    app.add_middleware(LimitsAndHeaders)

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, exc: NeedLogin) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                      status=exc.status_code)

    @app.exception_handler(StoreConflict)
    async def conflict(request: Request, exc: StoreConflict) -> Response:
        # concurrent writers of the same values kept conflicting (retried in the store); nothing
        # of this request was stored and the data are consistent
        return await http_error(request, HTTPException(409, str(exc)))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")}
                  for e in exc.errors()]
        return JSONResponse({"detail": errors}, 422)

    return app


def _warm(platform: Platform) -> None:
    try:
        platform.accounts.regions  # noqa: B018 (loads the region table)
        platform.analysis.snapshot()
    except Exception as exc:  # a request meets and reports the same error
        logging.getLogger("ronghe.web").warning("warm-up failed / 预计算失败: %s", exc)


def from_env() -> FastAPI:
    """The app for ``uvicorn --factory ronghe.web.app:from_env`` (several workers): the store URL
    from ``RONGHE_DB``, the session key from ``RONGHE_SECRET_KEY`` (required, so that all workers
    accept each other's cookies)."""
    try:
        return create_app(os.environ["RONGHE_DB"], secret_key=os.environ["RONGHE_SECRET_KEY"])
    except KeyError as exc:
        raise RuntimeError(f"set {exc.args[0]} / 请设置环境变量 {exc.args[0]}") from None

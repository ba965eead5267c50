"""Shared fixtures of the web tests: one demo database (two provinces, three years) per session,
on DuckDB, or on the PostgreSQL server named by RONGHE_TEST_PG_URL (emptied first)."""

from __future__ import annotations

import os
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("argon2")

from fastapi.testclient import TestClient

from ronghe.web import create_app
from ronghe.web.demo import build_demo

YEARS = range(2021, 2024)


def _fresh_pg(url: str) -> str:
    import sqlalchemy as sa

    from ronghe.store import database_url

    engine = sa.create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    pg = os.environ.get("RONGHE_TEST_PG_URL")
    url = _fresh_pg(pg) if pg else str(tmp_path_factory.mktemp("web") / "demo.duckdb")
    return url, build_demo(url, years=YEARS)


@pytest.fixture(scope="session")
def web_app(web_db: tuple[str, dict[str, str]]):  # type: ignore[no-untyped-def]
    return create_app(web_db[0], secret_key="test-secret")


@pytest.fixture(scope="session")
def passwords(web_db: tuple[str, dict[str, str]]) -> dict[str, str]:
    return web_db[1]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def login(app, username: str, password: str, base_url: str = "http://testserver") -> TestClient:
    """A TestClient signed in as ``username``."""
    client = TestClient(app, base_url=base_url)
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": username, "password": password, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="session")
def clients(web_app, passwords):  # type: ignore[no-untyped-def]
    return {name: login(web_app, name, pw) for name, pw in passwords.items()}


@pytest.fixture(scope="session")
def tokens(web_app, passwords) -> dict[str, str]:  # type: ignore[no-untyped-def]
    p = web_app.state.platform
    return {u["username"]: p.accounts.create_token(u["id"], "test") for u in p.accounts.users()}


@pytest.fixture(scope="session")
def csrf():  # type: ignore[no-untyped-def]
    """The CSRF-token reader, for tests that post forms."""
    return csrf_of


@pytest.fixture(scope="session")
def sign_in():  # type: ignore[no-untyped-def]
    """The sign-in helper, for tests that need their own client."""
    return login

"""``ronghe serve``: the demo flag builds a database, prints one login per role, and hands an app
on that database to uvicorn (uvicorn.run is replaced so no server starts)."""

from __future__ import annotations

import re

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ronghe.cli.serve import serve_command


def test_serve_demo_prints_logins(monkeypatch, sign_in) -> None:
    import uvicorn

    import ronghe.web.demo as demo

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    real = demo.build_demo
    monkeypatch.setattr(demo, "build_demo",
                        lambda db: real(db, provinces=("33",), years=range(2022, 2024)))
    app = typer.Typer()
    app.command()(serve_command)
    result = CliRunner().invoke(app, ["--demo", "--port", "8123"])
    assert result.exit_code == 0, result.output
    logins = dict(re.findall(r"demo login: (\w+) / (\S+)", result.output))
    assert set(logins) == {"admin", "analyst", "editor", "viewer"}
    assert seen["port"] == 8123 and seen["host"] == "127.0.0.1"
    client = sign_in(seen["app"], "viewer", logins["viewer"])
    assert client.get("/region/330102").status_code == 200
    assert client.get("/region/330302").status_code == 403
    assert TestClient(seen["app"]).get("/api/v1/me").status_code == 401
    assert "演示模式" in TestClient(seen["app"]).get("/login").text


def test_from_env_needs_variables(monkeypatch) -> None:
    from ronghe.web.app import from_env

    monkeypatch.delenv("RONGHE_SECRET_KEY", raising=False)
    monkeypatch.setenv("RONGHE_DB", "x.duckdb")
    with pytest.raises(RuntimeError, match="RONGHE_SECRET_KEY"):
        from_env()


def test_demo_banner_only_in_demo_mode(web_app) -> None:
    assert "演示模式" not in TestClient(web_app).get("/login").text

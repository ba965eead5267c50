"""``ronghe serve``: run the web platform with uvicorn (the lead mounts :func:`serve_command`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False, soft_wrap=True)


def serve_command(
    db: Annotated[str, typer.Option("--db", help="数据库 DuckDB file or postgresql:// URL")
                  ] = "ronghe.duckdb",
    host: Annotated[str, typer.Option(help="监听地址 address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 port")] = 8000,
    demo: Annotated[bool, typer.Option(
        "--demo", help="演示数据库与演示账号 start on a fresh demo database with demo users")
    ] = False,
) -> None:
    """网页平台 Serve the web platform (pages and /api/v1). Set RONGHE_SECRET_KEY to keep
    sessions valid across restarts and workers."""
    try:
        import uvicorn

        from ronghe.web import create_app
    except ImportError as exc:
        out.print(f"错误 error: the web platform needs the web extra: pip install 'ronghe[web]' "
                  f"({exc.name} missing)", markup=False)
        raise typer.Exit(1) from None
    if demo:
        from ronghe.web.demo import build_demo

        db = str(Path(tempfile.mkdtemp(prefix="ronghe-demo-")) / "demo.duckdb")
        out.print("正在生成演示数据库 building the demo database ...", markup=False)
        passwords = build_demo(db)
        out.print(f"演示数据库 demo database: {db}", markup=False)
        for name, password in passwords.items():
            out.print(f"演示账号 demo login: {name} / {password}", markup=False)
    app = create_app(db, secret_key=os.environ.get("RONGHE_SECRET_KEY"), demo=demo)
    out.print(f"打开 open http://{host}:{port}/", markup=False)
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")

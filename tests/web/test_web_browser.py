"""Browser tests in headless Debian Chromium through Playwright for Python: sign in, upload a file
and see its validation report, open a region, move a scenario slider and see the numbers change —
on a desktop and a phone-sized viewport — while every request stays on the loopback server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"viewport": {"width": 1280, "height": 800}},
             "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                       "has_touch": True, "device_scale_factor": 2}}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) not installed")
uvicorn = pytest.importorskip("uvicorn")
if shutil.which(CHROMIUM) is None:
    pytest.skip(f"Debian chromium not found at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def server(web_app):  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_user_journey(server, browser, passwords, tmp_path: Path, device: str) -> None:
    context = browser.new_context(**VIEWPORTS[device])
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.set_default_timeout(30_000)

    page.goto(f"{server}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", passwords["admin"])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector("#ranking")

    upload = tmp_path / f"browser-{device}.csv"
    upload.write_text(f"region,year,variable,value\n330102,2023,gdp,{len(device)}1.5\n"
                      "330105,2023,gdp,-5\n", encoding="utf-8")
    page.goto(f"{server}/data")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form[action='/data/upload'] button[type=submit]")
    page.wait_for_selector("#validation")
    assert page.inner_text("#validation").count(upload.name) == 1

    page.goto(f"{server}/")
    page.click("#ranking tbody tr:first-child a")
    page.wait_for_selector("#index")
    assert page.url.startswith(f"{server}/region/")
    code = page.url.split("/region/")[1].split("?")[0]

    page.goto(f"{server}/scenario/{code}")
    before = page.inner_text("#new-index")
    slider = page.locator("input[type=range]").first
    slider.fill("100")
    page.wait_for_function(
        "b => document.getElementById('new-index').textContent !== b", arg=before)
    assert page.inner_text("#new-index") != before
    assert page.locator("input[type=range]").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[device]["viewport"]["width"] + 1  # no sideways scrolling
    context.close()

    outside = [u for u in requests if not u.startswith((server, "data:", "about:", "blob:"))]
    assert requests and outside == []

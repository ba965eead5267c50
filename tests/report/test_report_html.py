"""The HTML report: one self-contained file that Chromium draws offline — no request but the file,
no console error, every chart and the map drawn, a screenshot that is not blank."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from ronghe.report.html import write_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(result, content, tmp_path_factory) -> Path:
    return write_html(result, tmp_path_factory.mktemp("html") / "report.html", content=content)


def test_self_contained_file(report, content, renamed) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.count(get_plotlyjs()[:200]) == 1  # plotly.js inlined exactly once
    assert not re.search(r"<(script|img|link|iframe)\b[^>]*\b(src|href)=", page)
    assert "default-src 'none'" in page  # the page itself forbids any request
    _, markup = renamed["markup"]
    assert markup not in page and "&lt;b id=" in page  # region names are escaped
    for p in content.profiles:
        assert f'id="region-{p.region}"' in page


def test_english_page(result, tmp_path) -> None:
    page = write_html(result, tmp_path / "en.html", lang="en", region="130123").read_text()
    assert '<html lang="en">' in page and "Recommended paths" in page
    assert page.count('<article id="region-') == 1


def test_drawn_offline_in_headless_chromium(report, content, renamed, tmp_path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright for Python is not installed")
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    ImageStat = pytest.importorskip("PIL.ImageStat", reason="Pillow is not installed")
    url = report.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url, wait_until="load")
            n_charts = page.locator("div.plotly-graph-div").count()
            page.wait_for_function(
                f"document.querySelectorAll('div.plotly-graph-div .main-svg').length >= "
                f"{n_charts}", timeout=30_000)
            drawn = page.evaluate(
                "Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                ".filter(d => d.querySelector('.main-svg') !== null).length")
            n_map = page.locator("svg.map").first.locator(":scope > path[data-code]").count()
            n_maps = page.locator("svg.map").count()
            injected = page.locator("#injected").count()
            shot = page.screenshot(full_page=False)
            map_shot = (page.locator("svg.map").first if content.boundaries is not None
                        else page.locator("div.plotly-graph-div").first).screenshot()
        finally:
            browser.close()
    assert requests == [url]
    assert errors == []
    # histogram, grades, trends, group trends, obstacles; disparity, Moran, rank intervals;
    # one per profile; the Moran scatterplot of the methods section (the maps are inline SVG)
    lisa = content.methods is not None and content.methods.lisa is not None
    expected = 5 + (content.disparity is not None) + (content.moran is not None) \
        + (content.rank_intervals is not None) + len(content.profiles) + lisa
    assert n_charts == drawn == expected
    if content.boundaries is not None:
        assert n_map == len(content.d_map().units) == len(content.boundaries)
        assert n_maps == 1 + 2 * lisa  # D, and the LISA cluster and significance maps
    assert injected == 0
    for png in (shot, map_shot):
        img = Image.open(io.BytesIO(png)).convert("RGB")
        colours = img.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 50  # a blank page has a handful
        assert ImageStat.Stat(img.convert("L")).var[0] > 100  # grey-level variance

"""Layout of the HTML report at phone and desktop widths (issue 18): in Chromium, no chart covers a
table or leaves its grid cell, the page never scrolls sideways, and the grade column does not wrap
one character per line. Screenshots of every width are kept in the test's tmp directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from ronghe.report.html import write_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (390, 1024, 1400, 1920)

#: every overlap of a chart with a table or with the edge of its grid cell, the widest grade cell's
#: line count and the page's scroll width
PROBE = """() => {
  const out = [];
  const rect = e => e.getBoundingClientRect();
  const cross = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
                          a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const charts = Array.from(document.querySelectorAll('.plotly-graph-div, svg.map'));
  const tables = Array.from(document.querySelectorAll('table'));
  for (const c of charts) {
    const a = rect(c);
    for (const t of tables) if (cross(a, rect(t))) out.push('chart covers table');
    for (const s of c.querySelectorAll('svg.main-svg')) {
      const b = rect(s);
      if (b.right > a.right + 1 || b.left < a.left - 1) out.push('chart drawn beyond its box');
    }
    const cell = c.closest('.grid > div');
    if (cell && (a.right > rect(cell).right + 1)) out.push('chart beyond its cell');
  }
  // lines of text in the grade column: one rectangle per line box of the cell's text
  const lines = Array.from(document.querySelectorAll('#overview table tr')).slice(1).map(tr => {
    const range = document.createRange();
    range.selectNodeContents(tr.lastElementChild);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
  });
  return {problems: out, scroll: document.documentElement.scrollWidth,
          width: window.innerWidth, gradeLines: Math.max(0, ...lines)};
}"""


@pytest.fixture(scope="module")
def page_file(result, content, tmp_path_factory) -> Path:
    return write_html(result, tmp_path_factory.mktemp("layout") / "report.html", content=content)


def test_report_layout_at_phone_and_desktop_widths(page_file, tmp_path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    found = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(page_file.resolve().as_uri(), wait_until="load")
                page.wait_for_function(
                    "Array.from(document.querySelectorAll('.plotly-graph-div'))"
                    ".every(d => d.querySelector('.main-svg') !== null)",
                    timeout=30_000)
                page.wait_for_timeout(300)
                found[width] = page.evaluate(PROBE)
                page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
    for width, got in found.items():
        assert got["problems"] == [], (width, got["problems"][:3])
        assert got["scroll"] <= got["width"], (width, got["scroll"])
        assert got["gradeLines"] == 1, (width, got["gradeLines"])

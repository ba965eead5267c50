"""CJK fonts are found even when matplotlib's cached font list predates them (issue 18): a figure
drawn in a fresh MPLCONFIGDIR whose fontlist has had every CJK entry removed still renders Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ronghe.fonts import cjk_font_files

SRC = str(Path(__file__).resolve().parents[2] / "src")

SCRIPT = r"""
import json, sys, warnings
from ronghe.report.style import resolve_style
from ronghe.report.figures import _figure
warnings.simplefilter("error")          # a missing glyph or the no-CJK warning fails the run
style = resolve_style("zh")
fig = _figure(style, 2.0)
with style.context():
    ax = fig.add_subplot()
    ax.set_title("城乡融合 耦合协调度")
    fig.canvas.draw()
print(json.dumps({"lang": style.lang, "family": style.family}))
"""


def _env(config: Path) -> dict[str, str]:
    return {**os.environ, "MPLCONFIGDIR": str(config), "PYTHONPATH": SRC}


@pytest.mark.skipif(not cjk_font_files(), reason="no CJK font installed")
def test_figure_is_chinese_when_the_font_cache_predates_the_font(tmp_path: Path) -> None:
    config = tmp_path / "mpl"
    config.mkdir()
    # 1. matplotlib writes its font list in the fresh directory
    subprocess.run([sys.executable, "-c", "from matplotlib import font_manager"],
                   env=_env(config), check=True, timeout=300)
    (cache,) = config.glob("fontlist-*.json")
    # 2. make it look as if it was written before the CJK fonts were installed
    data = json.loads(cache.read_text())
    data["ttflist"] = [f for f in data["ttflist"] if "CJK" not in f["name"]
                       and not f["fname"].lower().endswith((".ttc", ".otc"))]
    cache.write_text(json.dumps(data))
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=_env(config), capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["lang"] == "zh"
    assert got["family"] is not None

"""``ronghe demo``: the whole chain on bundled data, written as a workbook and an HTML summary.

``synthetic``: the seeded synthetic county panel (all county-level units, 2016-2023, framework ``seed``),
labelled synthetic everywhere it is shown. ``provinces``: the real provincial panel of 31 provinces,
2013-2023 (NBS), on the small population-urbanisation / economy framework shipped with it — the real
data carries too few series for a full urban-rural index, and the outputs say so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ronghe import datasets
from ronghe.errors import InputError
from ronghe.report.summary import write_summary
from ronghe.study import Study

DEMO_YEARS = range(2016, 2024)


def run_demo(
    out_dir: str | Path, data: str = "synthetic", progress: Callable[[str], None] | None = None
) -> list[Path]:
    """Evaluate the demo data and write ``ronghe-demo-<data>.xlsx`` and ``.html`` into ``out_dir``."""
    say = progress or (lambda _s: None)
    out = Path(out_dir)
    if data == "synthetic":
        say("synthetic panel")
        study = Study(datasets.synthetic_counties(seed=0, years=DEMO_YEARS), "seed")
    elif data == "provinces":
        study = Study(datasets.provinces(), datasets.provinces_framework())
    else:
        raise InputError(f"unknown demo data {data!r} (use synthetic or provinces)")
    result = study.evaluate(progress=say)
    say("workbook")
    xlsx = result.to_excel(out / f"ronghe-demo-{data}.xlsx")
    say("summary")
    html = write_summary(result, out / f"ronghe-demo-{data}.html")
    return [xlsx, html]

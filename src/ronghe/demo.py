"""``ronghe demo``: the whole chain on bundled data, written as a workbook, a short HTML summary and
the full HTML report (:mod:`ronghe.report.html`).

``census`` (the default): the real county panel of the 2010 and 2020 censuses
(:func:`ronghe.datasets.census_counties`, codes harmonised to the 2023 list) on the built-in
``census`` framework; units observed in one census only (statistical zones, units the code lists
cannot follow) are left out, so every unit has both years and nothing is imputed across a decade.
``synthetic``: the seeded synthetic county panel (all county-level units, 2016-2023, framework ``seed``),
labelled synthetic everywhere it is shown. The O1 indicator ``rural_priority_attention`` of the six
counties that have generated work reports (``ronghe.text.demo_corpus_dir()``, 2021-2023) is replaced by
the value ronghe.text measures from those reports, so the demo shows the text path end to end.
``provinces``: the real provincial panel of 31 provinces,
2013-2023 (NBS), on the small population-urbanisation / economy framework shipped with it (id
``provinces-demo``, recorded in the settings) — the real data carries too few series for a full
urban-rural index, and the outputs say so. The real panels are labelled as datasets shipped with
ronghe, by their source (for the provinces with the SHA-256 of the data file), never as user data.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ronghe import datasets
from ronghe.datasets.provinces import FRAMEWORK_ID
from ronghe.errors import InputError, RongheWarning
from ronghe.panel import Panel
from ronghe.report.summary import write_summary
from ronghe.study import Study

DEMO_YEARS = range(2016, 2024)
DEMO_DRAWS = 500  #: Monte Carlo draws behind the rank intervals of the demo report
ATTENTION = "rural_priority_attention"


def with_text_attention(panel: Panel) -> int:
    """Put the attention measured from the generated demo work reports into ``panel`` (in place);
    returns the number of region-years replaced (only the synthetic demo imports ronghe.text)."""
    from ronghe.text import demo_corpus_dir, score_reports

    obs = score_reports(demo_corpus_dir()).to_observations()
    obs = obs[obs["variable"] == ATTENTION]
    keys = pd.MultiIndex.from_arrays([obs["region"].astype(str), obs["year"].astype(int)])
    present = keys.isin(panel.data.index)
    panel.data.loc[keys[present], ATTENTION] = obs["value"].to_numpy(dtype=float)[present]
    return int(present.sum())


def census_demo_panel() -> Panel:
    """The census panel restricted to the units observed in both censuses (the statistical codes
    the harmonisation keeps as they are, and warns about, are 2020-only and so left out here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        panel = datasets.census_counties()
    years = panel.data.groupby(level="region").size()
    return panel.select(regions=list(years.index[years == len(panel.years)]))


def demo_study(data: str = "census", progress: Callable[[str], None] | None = None) -> Study:
    """The study of the demo data ``census``, ``synthetic`` or ``provinces`` (module docstring)."""
    say = progress or (lambda _s: None)
    if data == "census":
        say("人口普查面板 census panel")
        return Study(census_demo_panel(), "census")
    if data == "synthetic":
        say("合成面板 synthetic panel")
        panel = datasets.synthetic_counties(seed=0, years=DEMO_YEARS)
        say("工作报告 work reports")
        n = with_text_attention(panel)
        panel.source += (f"; {ATTENTION}：{n} 个地区年份由 ronghe.text 从生成的示例工作报告测得 / "
                         f"{n} region-years measured by ronghe.text from the generated demo work "
                         "reports")
        return Study(panel, "seed")
    if data == "provinces":
        say("省级面板 provinces panel")
        # by id, so the settings the outputs record name the framework and reproduce the run
        return Study(datasets.provinces(), FRAMEWORK_ID)
    raise InputError(f"演示数据须为 census、synthetic 或 provinces / unknown demo data {data!r} "
                     "(use census, synthetic or provinces)")


def run_demo(
    out_dir: str | Path, data: str = "census", progress: Callable[[str], None] | None = None
) -> list[Path]:
    """Evaluate the demo data and write ``ronghe-demo-<data>.xlsx``, the summary
    ``ronghe-demo-<data>.html``, for the census the two-census analyses
    ``ronghe-demo-census-decade.xlsx`` (:mod:`ronghe.analysis.decade`), and the report
    ``ronghe-demo-<data>-report.html`` into ``out_dir``; returns their paths, the report last."""
    from ronghe.report.html import write_html

    say = progress or (lambda _s: None)
    out = Path(out_dir)
    result = demo_study(data, say).evaluate(progress=say)
    say("工作簿 workbook")
    xlsx = result.to_excel(out / f"ronghe-demo-{data}.xlsx")
    say("摘要 summary")
    html = write_summary(result, out / f"ronghe-demo-{data}.html")
    extra = []
    if data == "census":
        from ronghe.analysis.decade import write_decade

        say("2010–2020 十年变化 decade")
        extra.append(write_decade(result, out / "ronghe-demo-census-decade.xlsx"))
    say("报告 report")
    report = write_html(result, out / f"ronghe-demo-{data}-report.html", draws=DEMO_DRAWS)
    return [xlsx, html, *extra, report]

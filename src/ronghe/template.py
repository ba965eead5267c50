"""Data-entry templates: the workbook of the raw variables a framework needs.

:func:`write_template` writes a workbook whose first sheet is a wide panel in the layout
:func:`ronghe.panel.read_panel` reads (``地区代码, 年份, 地区`` then one column per raw variable, headed
by the variable id), so a user fills it in and runs ``ronghe evaluate panel.xlsx --framework F``.
The columns are the raw variables the indicators' formulas read (:meth:`Framework.raw_variables`),
not the derived indicators. Each heading carries a note with the Chinese and English name and
the unit; a second sheet lists the variables with names, units and the indicators that use them.

The example values come from the bundled data that has every variable the framework needs: the
synthetic county panel (``seed``, ``county``, ``urban-rural``; not real statistics, and the sheet
says so) or the census county panel (``census``). A framework neither covers gets an example row
with the region and year only. ``example=True`` writes a filled sample panel of several regions and
years instead of one row, for trying ``ronghe evaluate`` at once.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ronghe.errors import RongheWarning
from ronghe.frameworks import Framework, load_framework
from ronghe.panel import Panel
from ronghe.words import unit_label

__all__ = ["example_panel", "variable_table", "write_template"]

REGION, YEAR, NAME = "地区代码", "年份", "地区"
SAMPLE_PROVINCE = "13"  # Hebei: counties of every kind, in both bundled county panels
SAMPLE_YEARS = 3


def variable_table(fw: Framework) -> pd.DataFrame:
    """One row per raw variable the framework needs, in the order the indicators first read them:
    ``variable, name_zh, name_en, unit_zh, unit_en, indicators`` (the ids of the indicators
    that read it). A variable the framework does not declare takes the names of the indicator
    it is (an indicator without a formula reads its own id)."""
    declared = {v.id: v for v in fw.variables}
    users: dict[str, list[str]] = {}
    for ind in fw.indicators:
        for var in sorted(ind.raw_variables):
            users.setdefault(var, []).append(ind.id)
    rows = []
    for var, inds in users.items():
        if var in declared:
            d = declared[var]
            zh, en, unit = d.name_zh, d.name_en, d.unit
        elif var in fw.indicator_ids:
            ind = fw.indicator(var)
            zh, en, unit = ind.name_zh, ind.name_en, ind.unit
        else:
            zh, en, unit = "", "", None
        rows.append({"variable": var, "name_zh": zh or "", "name_en": en or "",
                     "unit_zh": unit_label(unit, "zh"), "unit_en": unit_label(unit, "en"),
                     "indicators": ", ".join(inds)})
    return pd.DataFrame(rows, columns=["variable", "name_zh", "name_en", "unit_zh", "unit_en",
                                       "indicators"])


def example_panel(fw: Framework) -> Panel | None:
    """The bundled panel that has every raw variable ``fw`` needs (synthetic, then census),
    restricted to the sample province; None when neither has them all."""
    from ronghe import datasets

    need = fw.raw_variables()
    synthetic = datasets.synthetic_counties(seed=0, years=range(2021, 2024), missing_rate=0.0,
                                            provinces=[SAMPLE_PROVINCE])
    if need <= set(synthetic.data.columns):
        return synthetic
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        census = datasets.census_counties()
    if need <= set(census.data.columns):
        return census.select(regions=[r for r in census.region_codes
                                      if r.startswith(SAMPLE_PROVINCE)])
    return None


def _rows(fw: Framework, variables: list[str], example: bool) -> tuple[pd.DataFrame, str]:
    """The data rows (one example row, or the whole sample) and a line saying where they come from."""
    panel = example_panel(fw)
    if panel is None:
        row = {REGION: "130123", YEAR: 2023, NAME: "正定县"} | {v: None for v in variables}
        return pd.DataFrame([row]), "示例行只有地区和年份 / the example row holds region and year only"
    years = panel.years[-SAMPLE_YEARS:]
    data = panel.select(years=years).data[variables].round(2)
    if not example:  # the first region in the latest year
        data = data.xs(years[-1], level="year", drop_level=False).iloc[[0]]
    codes = data.index.get_level_values("region")
    names = panel.regions["name_zh"].reindex(codes).fillna("").to_numpy()
    frame = data.reset_index()
    frame.insert(2, NAME, names)
    frame = frame.rename(columns={"region": REGION, "year": YEAR})
    kind = ("合成数据，非真实统计 / synthetic data, not real statistics" if panel.synthetic
            else f"数据来源 source: {panel.source}")
    return frame, kind


def write_template(framework: str | Path | Framework, path: str | Path,
                   example: bool = False) -> Path:
    """Write the template workbook of ``framework`` to ``path`` (``.xlsx``) and return the path.

    Sheets: ``数据 data`` (the panel to fill in, first so ``ronghe evaluate`` reads it),
    ``变量 variables`` (id, names, units, indicators) and ``说明 about``.
    """
    import xlsxwriter

    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    table = variable_table(fw)
    variables = list(table["variable"])
    rows, origin = _rows(fw, variables, example)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False,
                                   "nan_inf_to_errors": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    code = wb.add_format({"num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet("数据 data")
    for j, name in enumerate(rows.columns):
        ws.write_string(0, j, str(name), head)
    for k, var in enumerate(table.itertuples(index=False), start=3):
        unit = f"（{var.unit_zh}）" if var.unit_zh else ""
        ws.write_comment(0, k, f"{var.name_zh}{unit}\n{var.name_en}"
                               f"{f' ({var.unit_en})' if var.unit_en else ''}",
                         {"x_scale": 1.6, "y_scale": 0.8})
    for i, rec in enumerate(rows.itertuples(index=False), start=1):
        ws.write_string(i, 0, str(rec[0]), code)
        ws.write_number(i, 1, int(rec[1]))
        ws.write_string(i, 2, str(rec[2]))
        for j, value in enumerate(rec[3:], start=3):
            if value is not None and pd.notna(value):
                ws.write_number(i, j, float(value))
    ws.set_column(0, 1, 10)
    ws.set_column(2, 2, 12)
    ws.set_column(3, len(rows.columns) - 1, 16)
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, len(rows), len(rows.columns) - 1)

    vs = wb.add_worksheet("变量 variables")
    headings = ["变量 variable", "中文名称", "English name", "单位", "Unit", "用于指标 indicators"]
    for j, name in enumerate(headings):
        vs.write_string(0, j, name, head)
    for i, rec in enumerate(table.itertuples(index=False), start=1):
        for j, value in enumerate(rec):
            vs.write_string(i, j, str(value))
    for j, width in enumerate([24, 26, 40, 12, 16, 40]):
        vs.set_column(j, j, width)
    vs.freeze_panes(1, 1)
    vs.autofilter(0, 0, len(table), len(headings) - 1)

    about = wb.add_worksheet("说明 about")
    lines = [
        f"框架 framework: {fw.id} — {fw.info.name_zh} / {fw.info.name_en}",
        f"“数据 data”表每行一个地区-年份，每列一个原始变量（共 {len(variables)} 个，"
        "列名为变量代码，批注中有名称和单位；不是指标本身，指标由框架公式计算）。",
        f"The 'data' sheet holds one row per region-year and one column per raw variable "
        f"({len(variables)}, headed by the variable id; the note on each heading gives its name and "
        "unit). These are not the indicators: the framework's formulas compute those.",
        "地区代码为6位行政区划代码；空格表示缺失 / region is the 6-digit division code; "
        "an empty cell is missing.",
        ("示例行（填写时请替换或删除） example row (replace or delete it when filling in): "
         if not example else "样例面板 sample panel: ") + origin,
        f"填写后运行 when filled in, run: ronghe evaluate {out.name} --framework {fw.id} "
        "--out results.xlsx",
    ]
    for i, text in enumerate(lines):
        about.write_string(i, 0, text, wrap)
    about.set_column(0, 0, 110)
    wb.close()
    return out

"""Planning workbooks from the Python API (ronghe.planning.workbook): About, Chinese headers,
names beside codes and every column of every sheet explained."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

from ronghe import Study, datasets
from ronghe.planning import forecast, simulate, target, uncertainty
from ronghe.planning.workbook import (
    write_forecast,
    write_scenario,
    write_target,
    write_uncertainty,
)

REGION = "130102"


@pytest.fixture(scope="module")
def result():
    panel = datasets.synthetic_counties(provinces=["13"], years=range(2016, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # imputation notices of the synthetic panel
        return Study(panel, "seed").evaluate()


def _check(path, title):
    wb = openpyxl.load_workbook(path)
    about = {r[0]: r[1] for r in wb["说明 About"].iter_rows(min_row=2, values_only=True)}
    assert about["工作簿 workbook"] == title
    described = {(r[0], r[4]): r for r in wb["列说明 Columns"].iter_rows(min_row=2,
                                                                       values_only=True)}
    for ws in wb.worksheets:
        for cell in ws[1]:
            row = described[(ws.title, cell.value)]
            assert row[2] and row[3], row  # every column explained in zh and en
        if ws.title != "说明 About":
            assert ws.freeze_panes and ws.auto_filter.ref
    return wb


def test_scenario_workbook(result, tmp_path):
    scen = simulate(result, REGION, 2023, {"rural_income": "+10%"})
    wb = _check(write_scenario(scen, result, tmp_path / "s.xlsx"), "情景模拟工作簿 / scenario workbook")
    head = [c.value for c in wb["scenario"][1]]
    assert head[:2] == ["度量代码", "度量"]
    metrics = [r[1] for r in wb["scenario"].iter_rows(min_row=2, values_only=True)]
    assert "综合指数" in metrics and "耦合协调度 D" in metrics
    assert "指标名称" in [c.value for c in wb["scenario_indicators"][1]]


def test_uncertainty_target_and_forecast_workbooks(result, tmp_path):
    unc = uncertainty(result, draws=8, seed=0, year=2023)
    wb = _check(write_uncertainty(unc, result, tmp_path / "u.xlsx"),
                "不确定性分析工作簿 / uncertainty workbook")
    assert any(str(k).startswith("抽样") for k, in wb["说明 About"].iter_rows(
        min_row=2, max_col=1, values_only=True))
    plan = target(result, REGION, "D>=0.7", by=2030)
    _check(write_target(plan, result, tmp_path / "t.xlsx"), "目标测算工作簿 / target workbook")
    fc = forecast(result, 2027, [REGION])
    _check(write_forecast(fc, result, tmp_path / "f.xlsx"), "趋势预测工作簿 / forecast workbook")

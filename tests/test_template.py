"""``ronghe template``: the data-entry workbook of a framework's raw variables, its round trip
through ``ronghe evaluate``, the sample panel, ``evaluate --demo``, and the one error that names
every missing variable."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli import app
from ronghe.errors import InputError
from ronghe.frameworks import load_framework
from ronghe.panel import Panel, read_panel
from ronghe.study import Study
from ronghe.template import variable_table, write_template

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_template(tmp_path_factory):
    return write_template("seed", tmp_path_factory.mktemp("tpl") / "panel.xlsx")


def test_template_lists_the_raw_variables_not_the_indicators(seed_template) -> None:
    fw = load_framework("seed")
    ws = openpyxl.load_workbook(seed_template)["数据 data"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["地区代码", "年份", "地区"]
    assert set(header[3:]) == fw.raw_variables() and len(header[3:]) == len(fw.raw_variables())
    derived = {i.id for i in fw.indicators if i.formula} - fw.raw_variables()
    assert derived and not derived & set(header)  # e.g. income_ratio is computed, not asked for
    assert ws.max_row == 2  # one example row
    assert ws.cell(1, header.index("resident_pop") + 1).comment.text.startswith("常住人口（万人）")


def test_variable_sheet_has_names_units_and_users(seed_template) -> None:
    table = pd.read_excel(seed_template, sheet_name="变量 variables", dtype=str, engine="openpyxl")
    row = table.set_index("变量 variable").loc["urban_income"]
    assert row["中文名称"] and row["English name"] and row["单位"] == "元" and row["Unit"] == "yuan"
    assert "income_ratio" in row["用于指标 indicators"]


def test_filled_template_evaluates(seed_template, tmp_path) -> None:
    """The example row, replicated for 4 regions x 3 years with noise, runs through evaluate."""
    example = read_panel(seed_template)
    assert example.data.shape == (1, len(load_framework("seed").raw_variables()))
    rng = np.random.default_rng(0)
    keys = pd.MultiIndex.from_product([["130123", "130124", "130125", "130126"], [2021, 2022, 2023]],
                                      names=["region", "year"])
    values = np.repeat(example.data.to_numpy(), len(keys), axis=0)
    values *= rng.uniform(0.8, 1.2, values.shape)
    wide = pd.DataFrame(values, index=keys, columns=example.data.columns).reset_index()
    wide.insert(2, "地区", "测试")
    path = tmp_path / "filled.xlsx"
    wide.rename(columns={"region": "地区代码", "year": "年份"}).to_excel(path, index=False)
    out = tmp_path / "results.xlsx"
    res = runner.invoke(app, ["evaluate", str(path), "--framework", "seed", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_sample_panel_is_the_readmes_first_command(tmp_path) -> None:
    sample = tmp_path / "my_panel.xlsx"
    res = runner.invoke(app, ["template", "seed", "--example", "--out", str(sample)])
    assert res.exit_code == 0, res.output
    panel = read_panel(sample)
    assert len(panel.region_codes) > 100 and len(panel.years) == 3
    about = openpyxl.load_workbook(sample)["说明 about"]
    assert any("合成数据" in (c.value or "") for c in about["A"])  # says it is not real statistics
    out = tmp_path / "results.xlsx"
    res = runner.invoke(app, ["evaluate", str(sample), "--framework", "seed", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "综合指数" in [c.value for c in openpyxl.load_workbook(out, read_only=True)["index"][1]]
    codes = tmp_path / "codes.xlsx"
    res = runner.invoke(app, ["evaluate", str(sample), "--framework", "seed", "--out", str(codes),
                              "--headers", "codes"])
    assert res.exit_code == 0, res.output
    head = [c.value for c in openpyxl.load_workbook(codes, read_only=True)["index"][1]]
    assert head[:2] == ["region", "name_zh"] and "index" in head
    res = runner.invoke(app, ["evaluate", str(sample), "--out", str(codes), "--headers", "ids"])
    assert isinstance(res.exception, InputError) and "--headers must be" in str(res.exception)


def test_census_template_columns_without_loading_data() -> None:
    fw = load_framework("census")
    table = variable_table(fw)
    assert set(table["variable"]) == fw.raw_variables()
    assert (table["name_zh"] != "").all()


def test_all_missing_variables_in_one_error(tmp_path) -> None:
    """Regression: the check stopped at the first missing variable, one per run."""
    panel = datasets.synthetic_counties(seed=0, years=[2022, 2023], provinces=["13"])
    gone = ["gdp", "loans", "va1", "urban_income"]
    short = Panel(panel.data.drop(columns=gone), panel.regions, source="p.xlsx")
    with pytest.raises(InputError) as info:
        Study(short, "seed").evaluate()
    message = str(info.value)
    assert all(f"'{v}' (" in message for v in gone), message
    assert message.startswith("p.xlsx: ") and "\n" not in message
    assert "'loans' ('loan_deposit_ratio', 'agri_loan_share')" in message
    with pytest.raises(InputError) as info:
        load_framework("seed").compute(short.data)
    assert all(f"'{v}' (" in str(info.value) for v in gone)


def test_evaluate_demo(tmp_path, monkeypatch) -> None:
    """``evaluate --demo`` runs on the demo study (made small here: the full one takes a minute)."""
    import ronghe.demo

    small = datasets.synthetic_counties(seed=0, years=[2022, 2023], provinces=["13"])
    monkeypatch.setattr(ronghe.demo, "demo_study", lambda kind: Study(small, "seed"))
    out = tmp_path / "demo.xlsx"
    res = runner.invoke(app, ["evaluate", "--demo", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.exists()
    res = runner.invoke(app, ["evaluate", "--demo", str(out)])
    assert res.exit_code != 0

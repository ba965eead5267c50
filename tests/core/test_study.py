"""The Study wires the kernels together; these tests recompute the chain by hand on a tiny panel."""

import subprocess
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ronghe import Study
from ronghe.errors import InputError, MethodError
from ronghe.frameworks import load_framework
from ronghe.panel import Panel
from ronghe.settings import Settings

TINY = """
framework: {id: tiny, name_zh: 测试框架, name_en: Tiny, level: any}
weighting: {indicators: entropy, dimensions: sum}
dimensions:
  - id: urban
    name_zh: 城镇
    name_en: Urban
    indicators:
      - {id: a, name_zh: 甲, name_en: A, unit: "-", direction: "+", tags: {obstacle: [O2]}}
      - {id: b, name_zh: 乙, name_en: B, unit: "-", direction: "-", tags: {obstacle: [O3]}}
  - id: rural
    name_zh: 乡村
    name_en: Rural
    indicators:
      - {id: c, name_zh: 丙, name_en: C, unit: "-", direction: "+", formula: "x / y"}
"""
NO_TREATMENT = {"treatment": {"outliers": "none"}}


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_framework(str(path))


def tiny_panel(names=("甲县", "乙县", "丙县")):
    idx = pd.MultiIndex.from_product(
        [["110101", "110102", "130102"], [2020, 2021]], names=["region", "year"]
    )
    data = pd.DataFrame(
        {
            "a": [1, 2, 3, 4, 5, 7],
            "b": [9, 8, 6, 5, 3, 1],
            "x": [2, 3, 3, 5, 8, 9],
            "y": [4, 4, 3, 5, 4, 3],
        },
        index=idx,
        dtype=float,
    )
    regions = pd.DataFrame(
        {"name_zh": list(names), "province": ["11", "11", "13"]},
        index=pd.Index(["110101", "110102", "130102"], name="region"),
    )
    return Panel(data, regions, source="tiny.csv")


def test_chain_equals_hand_computation(tiny):
    res = Study(tiny_panel(), tiny, NO_TREATMENT).evaluate()
    raw = tiny_panel().data
    X = np.column_stack([raw["a"], raw["b"], raw["x"] / raw["y"]])
    mm = (X - X.min(0)) / (X.max(0) - X.min(0))
    mm[:, 1] = 1 - mm[:, 1]  # b is negative
    Z = 1e-4 + (1 - 1e-4) * mm
    P = Z / Z.sum(0)
    e = -(P * np.log(P)).sum(0) / np.log(len(Z))
    w = (1 - e) / (1 - e).sum()
    u_urban = (Z[:, 0] * w[0] + Z[:, 1] * w[1]) / (w[0] + w[1])
    u_rural = Z[:, 2]
    C = 2 * np.sqrt(u_urban * u_rural) / (u_urban + u_rural)
    D = np.sqrt(C * (u_urban + u_rural) / 2)
    dev = w * (1 - Z)
    total = dev.sum(1, keepdims=True)
    # the best region-year is ideal on every indicator: its obstacle shares are the weights
    O = np.where(total > 0, dev / np.where(total > 0, total, 1), w)

    np.testing.assert_allclose(res.weights["weight"], w, rtol=1e-12)
    np.testing.assert_allclose(res.index["index"], Z @ w, rtol=1e-12)
    np.testing.assert_allclose(res.index["U_urban"], u_urban, rtol=1e-12)
    np.testing.assert_allclose(res.coupling["D"], D, rtol=1e-12)
    np.testing.assert_allclose(res.obstacles["indicator"].to_numpy(), O, rtol=1e-12)
    np.testing.assert_allclose(res.obstacles["category"]["O2"], O[:, 0], rtol=1e-12)
    assert res.index.loc[res.index["year"] == 2021, "rank"].tolist() == [3, 2, 1]
    assert set(res.coupling.columns) >= {"grade_zh", "stage_en", "type_zh"}


def test_settings_yaml_reproduces_bit_for_bit(tiny, tmp_path):
    s = Settings.model_validate({**NO_TREATMENT, "coupling": {"formula": "corrected"}})
    first = Study(tiny_panel(), tiny, s).evaluate()
    path = tmp_path / "s.yaml"
    path.write_text(first.settings.to_yaml(), encoding="utf-8")
    again = Study(tiny_panel(), tiny, str(path)).evaluate()
    assert again.settings_hash == first.settings_hash
    pd.testing.assert_frame_equal(again.index, first.index, check_exact=True)
    pd.testing.assert_frame_equal(again.coupling, first.coupling, check_exact=True)


def test_missing_raw_variable_names_the_indicator(tiny):
    p = tiny_panel()
    p.data = p.data.drop(columns="y")
    with pytest.raises(InputError) as e:
        Study(p, tiny).evaluate()
    assert "'c'" in str(e.value) and "'y'" in str(e.value) and "tiny.csv" in str(e.value)


def test_all_missing_indicator(tiny):
    p = tiny_panel()
    p.data["a"] = np.nan
    with pytest.raises(InputError, match="indicator 'a': has no value"):
        Study(p, tiny).evaluate()


def test_division_by_zero_is_logged_and_imputed(tiny):
    p = tiny_panel()
    p.data.loc[("110101", 2021), "y"] = 0.0
    res = Study(p, tiny, NO_TREATMENT).evaluate()
    t = res.treatment
    assert ((t["indicator"] == "c") & (t["action"] == "undefined")).sum() == 1
    assert np.isfinite(res.index["index"]).all()


def test_geometric_with_zero_scores_is_refused_with_the_settings(tiny):
    s = {**NO_TREATMENT, "aggregation": "geometric", "normalization": {"shift": 0.0}}
    with pytest.raises(InputError, match=r"normalization\.shift"):
        Study(tiny_panel(), tiny, s)


def test_non_reciprocal_ahp_is_a_clear_error(tiny):
    s = {**NO_TREATMENT, "weighting": {"dimensions": "ahp", "ahp_matrix": [[1, 3], [3, 1]]}}
    with pytest.raises(MethodError, match="recipro"):
        Study(tiny_panel(), tiny, s).evaluate()


def test_excel_has_sheets_and_formula_text_is_inert(tiny, tmp_path):
    res = Study(tiny_panel(names=("=1+1", "@SUM(A1)", "乙县")), tiny, NO_TREATMENT).evaluate()
    path = res.to_excel(tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:10] == [
        "说明 About",
        "列说明 Columns",
        "index",
        "weights",
        "coupling",
        "obstacles",
        "treatment",
        "transforms",
        "diagnosis",
        "typology",
    ]
    # then the method tables and the statistical audit
    assert {"weights_entropy", "weights_critic", "weights_compared", "topsis", "topsis_ideals",
            "audit_indicators", "audit_dimensions", "audit_pairs", "audit_warnings"} <= set(
        wb.sheetnames[10:])
    ws = wb["index"]
    assert ws.freeze_panes == "C2"  # the header row, region code and name stay in view
    names = [ws.cell(row=r, column=2) for r in range(2, 8)]
    assert names[0].value == "=1+1" and names[0].data_type == "s"
    assert names[2].value == "@SUM(A1)" and names[2].data_type == "s"
    cols = {(r[0].value, r[1].value) for r in wb["列说明 Columns"].iter_rows(min_row=2)}
    assert ("coupling", "D") in cols
    about = {r[0].value: r[1].value for r in wb["说明 About"].iter_rows(min_row=2)}
    assert res.settings_hash in about["设置哈希 settings hash"]


def test_seed_framework_on_synthetic_counties():
    from ronghe import datasets

    panel = datasets.synthetic_counties(seed=1, years=range(2019, 2024), provinces=["13", "62"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, "seed").evaluate()
    assert res.weights["weight"].sum() == pytest.approx(1.0)
    assert res.index["index"].between(0, 1).all()
    assert res.coupling["D"].between(0, 1).all()
    np.testing.assert_allclose(res.obstacles["indicator"].sum(axis=1), 1.0)
    assert set(res.obstacles["category"].columns) >= {"O1", "O2", "O3", "O4"}
    assert len(res.index) == len(panel.data)


def test_cli_bad_input_is_one_line_and_exit_1(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,gdp\n1,2020,abc\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "ronghe", "evaluate", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "bad.csv, row 2, column 'gdp'" in run.stderr


def test_demo_puts_text_attention_into_the_panel():
    from ronghe import datasets
    from ronghe.demo import ATTENTION, with_text_attention
    from ronghe.text import demo_corpus_dir, score_reports

    panel = datasets.synthetic_counties(seed=0, years=range(2021, 2024), provinces=["13"])
    assert with_text_attention(panel) == 18
    measured = score_reports(demo_corpus_dir()).measures.set_index(["region", "year"])
    got = panel.data.loc[("130123", 2022), ATTENTION]
    assert got == measured.loc[("130123", 2022), ATTENTION]

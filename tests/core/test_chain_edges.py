"""Regression tests of issue 14: the edges between the kernels and the settings.

Each test failed on the code before the fix (checked against the original main)."""

import subprocess
import sys
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from chain_panels import IDS, five_two, leader_panel, panel

from ronghe import Study
from ronghe import methods as m
from ronghe.errors import InputError, MethodError, RongheWarning
from ronghe.panel import Panel, read_panel

QUIET = {"treatment": {"outliers": "none"}}


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        return fn(*args, **kw)


# ----------------------------------------------------------- 1. a clean panel
CLEAN_FW = """
framework: {id: clean, name_zh: 干净, name_en: Clean, level: any}
weighting: {indicators: entropy, dimensions: sum}
dimensions:
  - id: u
    name_zh: 城
    name_en: U
    indicators: [{id: a, name_zh: 甲, name_en: A, unit: "-", direction: "+"}]
  - id: r
    name_zh: 乡
    name_en: R
    indicators: [{id: b, name_zh: 乙, name_en: B, unit: "-", direction: "-"}]
"""


def _clean_csv(tmp_path):
    rows = [("110101", 2020, 1, 9), ("110101", 2021, 2, 8), ("110102", 2020, 3, 6),
            ("110102", 2021, 4, 5), ("130102", 2020, 5, 3), ("130102", 2021, 7, 1)]
    path = tmp_path / "clean.csv"
    pd.DataFrame(rows, columns=["region", "year", "a", "b"]).to_csv(path, index=False)
    fw = tmp_path / "clean.yaml"
    fw.write_text(CLEAN_FW, encoding="utf-8")
    return path, fw


def test_clean_panel_has_an_empty_treatment_table_and_writes(tmp_path):
    path, fw = _clean_csv(tmp_path)
    res = Study(str(path), str(fw)).evaluate()  # default settings: the outlier test runs, passes
    assert res.treatment.empty
    assert list(res.treatment.columns) == ["region", "year", "indicator", "action", "old", "new"]
    assert res.tables()["treatment"].empty and res.transforms.empty
    out = res.to_excel(tmp_path / "r.xlsx")
    assert "treatment" in openpyxl.load_workbook(out).sheetnames


def test_cli_evaluate_clean_csv(tmp_path):
    path, fw = _clean_csv(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "ronghe", "evaluate", str(path), "--framework", str(fw),
         "--out", str(tmp_path / "r.xlsx")],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (tmp_path / "r.xlsx").exists()


# ------------------------------------------------------ 2. rounding at the top
def test_weighted_mean_of_ones_stays_one():
    w = np.array([0.116, 0.614, 0.015, 0.253, 0.003])
    assert np.ones(5) @ (w / w.sum()) > 1  # the rounding the kernel must absorb
    assert m.weighted_arithmetic(np.ones((1, 5)), w)[0] == 1.0
    assert m.weighted_geometric(np.ones((1, 5)), w)[0] == 1.0


def test_coupling_clips_a_few_ulps_and_refuses_more():
    C, T, D = m.coupling_coordination([[1.0000000000000002, 0.5], [-1e-17, 0.5]])
    assert T.max() <= 1 and D.max() <= 1 and C.min() >= 0
    with pytest.raises(MethodError, match="outside"):
        m.coupling_coordination([[1.000001, 0.5]])


def test_leader_on_every_indicator_of_a_five_indicator_dimension():
    res = quiet(Study(leader_panel(0), five_two(), QUIET).evaluate)  # crashed in coupling
    assert res.index["U_A"].max() == 1.0 and res.coupling["D"].max() <= 1.0
    scen = quiet(res.simulate, res.index["region"].iloc[0], 2020, {i: "=20" for i in IDS[:5]})
    assert scen.scenario.U[0] <= 1.0 and 0 <= scen.scenario.D <= 1


# ---------------------------------------------------- 3. the additive shift
def test_additive_shift_runs_end_to_end_with_the_literature_numbers(tmp_path):
    fw, p = five_two(), leader_panel(1)
    s = 1e-4
    add = quiet(Study(p, fw, {**QUIET, "normalization": {"shift_mode": "add"}}).evaluate)
    raw = quiet(Study(p, fw, {**QUIET, "normalization": {"shift": 0.0}}).evaluate)
    Z0 = raw.state.Z
    np.testing.assert_allclose(add.state.Z, Z0 + s, rtol=0, atol=1e-15)  # minmax + 0.0001
    assert add.index["U_A"].max() == pytest.approx(1 + s)  # the leader's score
    # obstacle deviations are measured from the best score 1 + s, i.e. 1 - minmax
    w = add.state.effective_weights
    dev = w * (1 - Z0)
    total = dev.sum(1, keepdims=True)
    O = np.where(total > 0, dev / np.where(total > 0, total, 1.0), w)  # the leader: the weights
    np.testing.assert_allclose(add.state.O, O, rtol=1e-12)
    assert (add.state.O >= 0).all() and add.coupling["D"].max() <= 1.0
    assert add.coupling["T"].max() == pytest.approx(1 + s)
    add.to_excel(tmp_path / "add.xlsx")
    region = str(add.state.regions[0])
    scen = quiet(add.simulate, region, 2021, {"a0": "+10%"})
    assert 0 <= scen.scenario.D <= 1
    plan = quiet(add.target, region, "index>=0.8", by=2030, year=2021)
    assert plan.achieved >= 0.8 - 1e-6


# ------------------------------------------------------------ 4. z-scores
@pytest.mark.parametrize("weighting", ["entropy", "critic", "cv", "equal"])
def test_zscore_is_rescaled_and_runs(weighting):
    p = leader_panel(2)
    res = quiet(Study(p, five_two(), {**QUIET, "normalization": {"method": "zscore"},
                                      "weighting": {"indicators": weighting}}).evaluate)
    Z = res.state.Z
    assert Z.min() == pytest.approx(1e-4) and Z.max() == pytest.approx(1.0)
    # one affine map common to all columns: differences keep the z-scores' relative scale
    Zz = m.normalize(res.state.X, five_two().directions(), method="zscore")
    ratio = np.ptp(Z, axis=0) / np.ptp(Zz, axis=0)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)
    assert res.coupling["D"].between(0, 1).all()
    with pytest.raises(InputError, match=r"normalization\.method"):
        res.simulate(str(res.state.regions[0]), 2020, {"a0": "+1"})


def test_uncertainty_zscore_uses_the_chain_scores():
    from ronghe.planning.uncertainty import _normalised

    res = quiet(Study(leader_panel(3), five_two(), {**QUIET, "normalization": {"method": "zscore"}}
                      ).evaluate)
    np.testing.assert_array_equal(quiet(_normalised, res, res.state.X, "zscore"), res.state.Z)


# ------------------------------------------------------------- 5. CV weights
def test_cv_refuses_negative_and_near_zero_mean_columns():
    X = np.column_stack([np.linspace(1, 5, 10), np.linspace(-0.1, 0.12, 10)])  # a growth rate
    with pytest.raises(MethodError, match=r"indicator 'growth'.*not ratio-scale"):
        m.cv_weights(X, names=["x", "growth"])
    sparse = np.zeros((200, 2))
    sparse[:, 0] = np.linspace(1, 2, 200)
    sparse[0, 1] = 1.0  # one value in 200: sd = 14 x mean
    with pytest.raises(MethodError, match="column 1 has a standard deviation above 10"):
        m.cv_weights(sparse)
    zeros_ok = np.column_stack([np.linspace(1, 5, 10), [0, 0, 1, 2, 0, 3, 1, 0, 2, 1]])
    assert m.cv_weights(zeros_ok).sum() == pytest.approx(1.0)


def test_study_cv_names_the_setting_and_the_indicator():
    X = leader_panel(4).data.to_numpy().copy()
    X[:, IDS.index("b1")] -= 5.5  # a balance around zero
    p = panel(X, 6, [2020, 2021, 2022])
    with pytest.raises(InputError, match=r"weighting\.indicators 'cv'.*indicator 'b1'"):
        quiet(Study(p, five_two(), {**QUIET, "weighting": {"indicators": "cv"}}).evaluate)


def test_cv_uses_values_before_the_log_transform():
    X = leader_panel(5).data.to_numpy().copy()
    X[:, 0] = np.r_[np.full(17, 1.0), 1000.0] + np.arange(18) * 0.01  # log-transformed by COINr
    res = quiet(Study(panel(X, 6, [2020, 2021, 2022]), five_two(),  # no winsorising: log
                      {"treatment": {"max_winsor": 0}, "weighting": {"indicators": "cv", "cap": None}}
                      ).evaluate)
    assert (res.treatment["action"] == "log").any()
    w = quiet(m.cv_weights, res.state.imputed)
    np.testing.assert_allclose(res.state.weights, w)


# ----------------------------------------------------------------- 6. Panel
def _data():
    idx = pd.MultiIndex.from_product([["110101", "110102"], [2020, 2021]],
                                     names=["region", "year"])
    return pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}, index=idx)


def test_panel_refuses_duplicate_region_years():
    d = _data()
    with pytest.raises(InputError, match=r"duplicated \(region, year\) = \(110101, 2020\)"):
        Panel(pd.concat([d, d.iloc[:1]]), source="p.csv")


def test_panel_text_cell_is_a_located_input_error():
    d = _data().astype(object)
    d.iloc[2, 0] = "abc"
    with pytest.raises(InputError) as e:
        Panel(d, source="p.csv")
    assert str(e.value) == "p.csv, column 'a': region 110102, year 2020: not a number (value 'abc')"
    d.iloc[2, 0] = " 3.5 "
    assert Panel(d).data.loc[("110102", 2020), "a"] == 3.5


def test_inf_cell_is_an_error_naming_the_cell(tmp_path):
    path = tmp_path / "inf.csv"
    path.write_text("region,year,a\n110101,2020,1\n110101,2021,inf\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"inf\.csv, row 3, column 'a': not a number \(value 'inf'\)"):
        read_panel(path)


def test_undefined_formula_value_warns_with_the_cell():
    p = leader_panel(6)
    p.data = p.data.rename(columns={"b1": "x"})
    p.data["y"] = 1.0
    p.data.loc[("130100", 2020), "y"] = 0.0
    body = five_two().model_dump(by_alias=True)
    body["dimensions"][1]["indicators"][1]["formula"] = "x / y"
    from ronghe.frameworks import Framework

    with pytest.warns(RongheWarning, match="indicator 'b1'.*undefined.*130100 2020"):
        Study(p, Framework.model_validate(body), QUIET).evaluate()


def test_region_without_any_value_is_filled_from_means_with_a_warning():
    p = leader_panel(7)
    p.data.loc[p.data.index.get_level_values("region") == "110101", "a1"] = np.nan
    with pytest.warns(RongheWarning, match="indicator 'a1'.*110101.*no value in any year"):
        Study(p, five_two(), QUIET).evaluate()


# ------------------------------------------------------------ 7. conventions
def test_constant_dimension_is_named_in_a_warning():
    X = leader_panel(8).data.to_numpy().copy()
    X[:, 5:] = 3.0  # both B indicators constant
    with pytest.warns(RongheWarning, match="dimension 'B': every indicator is constant"):
        Study(panel(X, 6, [2020, 2021, 2022]), five_two(), QUIET).evaluate()


def test_outlier_rule_is_documented_as_coinr_greater_or_equal():
    from ronghe.settings import Treatment

    desc = Treatment.model_fields["outliers"].description
    assert ">= skew_max and kurtosis >= kurt_max" in desc


# ------------------------------------------------ settings refused when read
@pytest.mark.parametrize(
    "data, where",
    [
        ({"coupling": {"alpha": [0.7, 0.7]}}, "coupling.alpha"),
        ({"weighting": {"indicators": "fixed", "fixed": {"a0": -1.0}}}, "weighting.fixed"),
        ({"treatment": {"max_winsor": -1}}, "treatment.max_winsor"),
        ({"coupling": {"type_tolerance": -0.1}}, "coupling.type_tolerance"),
        ({"weighting": {"combine": []}}, "weighting.combine"),
        ({"aggregation": "geometric", "normalization": {"shift": 0}}, "normalization.shift"),
    ],
)
def test_settings_that_cannot_run_are_refused_naming_the_setting(data, where):
    from ronghe.settings import Settings

    with pytest.raises(InputError, match=where.replace(".", r"\.")):
        Settings.from_dict(data)


def test_alpha_of_the_wrong_length_names_the_setting():
    with pytest.raises(InputError, match=r"coupling\.alpha has 3 values"):
        quiet(Study(leader_panel(9), five_two(), {"coupling": {"alpha": [0.2, 0.3, 0.5]}}).evaluate)


def test_uncertainty_drops_default_options_the_data_cannot_run():
    X = leader_panel(10).data.to_numpy().copy()
    X[:, IDS.index("b1")] -= 5.5  # a balance: CV cannot weigh it
    res = quiet(Study(panel(X, 6, [2020, 2021, 2022]), five_two(),
                      {**QUIET, "normalization": {"shift": 0.0}}).evaluate)
    with pytest.warns(RongheWarning, match="option dropped: geometric.*cv"):
        unc = res.uncertainty(draws=16, sobol_n=0)
    assert set(unc.choices[1].options) == {"entropy", "critic", "equal"}
    assert set(unc.choices[2].options) == {"arithmetic", "topsis"}
    assert "geometric" in unc.note
    with pytest.raises(InputError, match="cv"):  # asked for explicitly: refused, saying why
        quiet(res.uncertainty, draws=16, sobol_n=0, options={"weighting": ["cv"]})


def test_winsorising_a_column_flat_is_not_a_zero_division():
    # Winsorising the one high value leaves no spread: skewness is 0/0 unless guarded (pytest
    # turns ronghe's RuntimeWarnings into errors)
    out, log = m.treat_outliers(np.array([[1.0], [1.0], [1.0], [50.0]]), skew_max=1.9)
    assert out[:, 0].tolist() == [1.0, 1.0, 1.0, 1.0] and log["action"].tolist() == ["winsorised"]

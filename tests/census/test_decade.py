"""Two-census analyses (ronghe.analysis.decade) on the real panel, checked by hand and by identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ronghe.analysis.decade import decade, write_decade
from ronghe.demo import census_demo_panel
from ronghe.errors import InputError
from ronghe.methods.inequality import gini
from ronghe.study import Study


@pytest.fixture(scope="module")
def result():
    panel = census_demo_panel()
    # three provinces of three macro regions (and 21, northeast) keep the test small
    keep = [c for c in panel.region_codes if c[:2] in ("13", "21", "42", "53")]
    return Study(panel.select(regions=keep), "census").evaluate()


@pytest.fixture(scope="module")
def dec(result):
    return decade(result, ["index", "avg_schooling_years"], lisa=None)


def test_dagum_identity_both_years(dec, result):
    d = dec.dagum
    assert sorted(d["year"].unique()) == [2010, 2020]
    assert np.allclose(d["G"], d["Gw"] + d["Gnb"] + d["Gt"])
    from ronghe.analysis import variable_values

    v = variable_values(result, "avg_schooling_years").unstack("year")
    row = d[(d["variable"] == "avg_schooling_years") & (d["year"] == 2020)].iloc[0]
    assert row["G"] == pytest.approx(gini(v[2020].to_numpy()))
    assert set(dec.dagum_within["group"]) == {"east", "central", "west", "northeast"}


def test_beta_and_sigma_by_hand(dec, result):
    from ronghe.analysis import variable_values

    v = variable_values(result, "avg_schooling_years").unstack("year")
    y0, y1 = np.log(v[2010].to_numpy()), np.log(v[2020].to_numpy())
    slope = np.polyfit(y0, (y1 - y0) / 10, 1)[0]
    beta = dec.beta.set_index("variable").at["avg_schooling_years", "beta"]
    assert beta == pytest.approx(slope, rel=1e-9)
    s = dec.sigma.set_index("variable").loc["avg_schooling_years"]
    assert s["sigma_change"] == pytest.approx(np.std(y1) - np.std(y0))


def test_methods_needing_more_periods_are_named_not_run(dec):
    assert {"markov", "forecast", "beta_conditional"} <= set(dec.not_run["method"])
    assert dec.lisa is None and "decade_lisa" not in dec.tables()


def test_drivers_on_2010_levels(dec):
    f = dec.drivers
    assert f["factor"].str.endswith("(2010)").all()
    assert ((f["q"] >= 0) & (f["q"] <= 1)).all()


def test_more_than_two_years_refused():
    from ronghe import datasets

    res = Study(datasets.synthetic_counties(seed=0, years=range(2019, 2022)).select(
        regions=[f"1301{k:02d}" for k in range(2, 40)]), "seed").evaluate()
    with pytest.raises(InputError, match="exactly two years"):
        decade(res, ["index"], lisa=None)


def test_workbook(result, tmp_path, monkeypatch):
    monkeypatch.setattr("ronghe.analysis.decade.maps_available", lambda: False)
    path = write_decade(result, tmp_path / "d.xlsx", ["index"])
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert "lisa" in set(sheets["decade_not_run"]["method"])
    assert {"decade_dagum", "decade_beta", "decade_drivers"} <= set(sheets)


def test_report_states_what_the_census_framework_covers(result):
    """The report's data note carries the framework's coverage: three pillars, and what a census
    cannot measure (incomes, land, finance, P4, O1)."""
    from ronghe.report.content import build_content

    zh = build_content(result, lang="zh", draws=0, spatial=False)
    en = build_content(result, lang="en", draws=0, spatial=False)
    assert "P4" in zh.data_note and "收入" in zh.data_note and "leiii/census" in zh.data_note
    assert "cannot measure city-centred thinking (O1)" in en.data_note

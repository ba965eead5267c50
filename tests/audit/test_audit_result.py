"""The audit runs with every evaluation and its warning reaches every output; the default weight
cap keeps the synthetic panel from one dominant indicator (uncapped entropy gave
``collective_land_market`` the most weight and made it the first obstacle of most counties)."""

from __future__ import annotations

import warnings

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.study import Study

PROVINCES = ["13", "33", "34", "44"]


@pytest.fixture(scope="module")
def panel():
    return datasets.synthetic_counties(seed=0, years=range(2019, 2024), provinces=PROVINCES)


def _evaluate(panel, settings=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed", settings).evaluate()


def test_default_cap_ships_no_lopsided_index(panel):
    capped = _evaluate(panel)
    assert capped.settings.weighting.cap == 2.0
    assert capped.audit.dominance == []
    w = capped.state.weights
    assert w.max() <= 2 / (w > 0).sum() + 1e-12
    uncapped = _evaluate(panel, {"weighting": {"cap": None}})
    found = {(d.indicator, d.kind) for d in uncapped.audit.dominance}
    assert ("collective_land_market", "first_obstacle") in found
    assert ("collective_land_market", "nominal_weight") in found


def test_warning_reaches_workbook_diagnosis_and_cli(panel, tmp_path):
    heavy = {i.id: 1.0 for i in _evaluate(panel).framework.indicators}
    heavy["road_density"] = 40.0
    res = _evaluate(panel, {"weighting": {"indicators": "fixed", "fixed": heavy}})
    msgs = res.audit.messages("zh")
    assert msgs and all("road_density" in m for m in msgs)
    book = openpyxl.load_workbook(res.to_excel(tmp_path / "r.xlsx"), read_only=True)
    assert any(r[0] and "road_density" in str(r[0])
               for r in book["audit_warnings"].iter_rows(values_only=True))
    about = [str(c) for row in book[book.sheetnames[0]].iter_rows(values_only=True)
             for c in row if c]
    assert any("road_density" in c and "警告" in c for c in about)
    region = str(res.index["region"].iloc[0])
    d = res.diagnose(region, 2023)
    assert msgs[0] in d.to_text("zh") and d.to_dict()["warnings_en"]
    # the command line
    from ronghe.cli import app

    path = tmp_path / "p.csv"
    panel.data.reset_index().to_csv(path, index=False)
    settings = tmp_path / "s.yaml"
    settings.write_text("weighting:\n  indicators: fixed\n  fixed:\n"
                        + "".join(f"    {k}: {v}\n" for k, v in heavy.items()), encoding="utf-8")
    run = CliRunner().invoke(app, ["evaluate", str(path), "--settings", str(settings),
                                   "--out", str(tmp_path / "cli.xlsx")])
    assert run.exit_code == 0, run.output
    assert "road_density" in run.output and "dominates" in run.output


def test_method_tables_match_the_result(panel):
    res = _evaluate(panel)
    t = res.method_tables()
    np.testing.assert_allclose(t["weights_compared"]["capped"], res.state.weights)
    np.testing.assert_allclose(t["topsis"]["closeness"], res.index["topsis"])
    ent = t["weights_entropy"]
    np.testing.assert_allclose(ent["entropy"] + ent["utility"], 1.0)
    assert abs(ent["weight"].sum() - 1) < 1e-12
    # effective weights of the audit sum to 1
    assert res.audit.indicators["variance_share"].sum() == pytest.approx(1.0)
    assert res.audit.indicators["correlation_importance"].sum() == pytest.approx(1.0)


def test_ahp_table_when_dimensions_are_weighted_by_ahp(panel):
    A = [[1, 2, 3, 4], [1 / 2, 1, 2, 3], [1 / 3, 1 / 2, 1, 2], [1 / 4, 1 / 3, 1 / 2, 1]]
    res = _evaluate(panel, {"weighting": {"dimensions": "ahp", "ahp_matrix": A}})
    table = res.method_tables()["weights_ahp"]
    from ronghe.methods import ahp_parts

    parts = ahp_parts(np.array(A))
    np.testing.assert_allclose(table["weight"], res.state.dimension_weights)
    assert table["CR"].iloc[0] == pytest.approx(parts.cr) and table["RI"].iloc[0] == 0.90
    assert table["lambda_max"].iloc[0] == pytest.approx(parts.lambda_max)

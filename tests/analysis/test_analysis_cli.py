"""``ronghe analyze ...`` through typer's CliRunner: each command writes its workbook (and figures)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli.analyze import app
from ronghe.errors import InputError
from ronghe.excel import read_sheet

runner = CliRunner()
FRONT = ["说明 About", "列说明 Columns"]


@pytest.fixture(autouse=True)
def _cache(monkeypatch, analysis_cache):
    monkeypatch.setenv("RONGHE_CACHE", str(analysis_cache))


def _run(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, (res.output, res.exception)
    return res


def _sheets(path):
    wb = load_workbook(path, read_only=True)
    try:
        return wb.sheetnames
    finally:
        wb.close()


def test_disparity_on_provinces(tmp_path, disparity_sheets):
    out = tmp_path / "d.xlsx"
    _run(["disparity", "--provinces", "--out", str(out)])
    assert _sheets(out) == [*FRONT, *disparity_sheets]
    about = load_workbook(out, read_only=True)["说明 About"]
    text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
    assert "Dagum" in text and "provinces-demo" in text


def test_disparity_on_a_panel_file_by_province(tmp_path):
    panel = datasets.synthetic_counties(seed=0, provinces=["13", "14"], years=range(2019, 2023))
    frame = panel.data.reset_index().merge(panel.regions[["name_zh"]].reset_index(), on="region")
    data = tmp_path / "panel.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "d.xlsx"
    _run(["disparity", str(data), "--groups", "province", "--variable", "D", "--out", str(out)])
    within = load_workbook(out, read_only=True)["disparity_dagum_within"]
    groups = {row[1] for row in within.iter_rows(min_row=2, values_only=True)}
    assert groups == {"13", "14"}


def test_spatial_with_figures(tmp_path):
    out, figs = tmp_path / "s.xlsx", tmp_path / "figs"
    _run(
        [
            "spatial",
            "--provinces",
            "--weights",
            "knn",
            "--permutations",
            "19",
            "--out",
            str(out),
            "--figures",
            str(figs),
            "--lang",
            "en",
        ]
    )
    assert _sheets(out) == [
        *FRONT,
        "spatial_moran",
        "spatial_lisa",
        "spatial_lisa_counts",
        "spatial_hotspots",
    ]
    assert sorted(p.name for p in figs.iterdir()) == [
        "hotspots_index_2013.png",
        "hotspots_index_2013.svg",
        "hotspots_index_2023.png",
        "hotspots_index_2023.svg",
        "lisa_index_2013.png",
        "lisa_index_2013.svg",
        "lisa_index_2023.png",
        "lisa_index_2023.svg",
        "lisa_significance_index_2013.png",
        "lisa_significance_index_2013.svg",
        "lisa_significance_index_2023.png",
        "lisa_significance_index_2023.svg",
    ]


def test_figure_language_is_checked_before_the_evaluation(tmp_path, monkeypatch):
    from ronghe.cli.common import DataOptions

    monkeypatch.setattr(DataOptions, "result",
                        lambda *a: pytest.fail("evaluated before checking --lang"))
    for command in ("spatial", "dynamics"):
        res = runner.invoke(app, [command, "--provinces", "--lang", "fr", "--out",
                                  str(tmp_path / "x.xlsx")])
        assert isinstance(res.exception, InputError) and "lang" in str(res.exception)


def test_dynamics_with_figures(tmp_path):
    out, figs = tmp_path / "y.xlsx", tmp_path / "figs"
    _run(
        [
            "dynamics",
            "--provinces",
            "--variable",
            "D",
            "--weights",
            "knn",
            "--out",
            str(out),
            "--figures",
            str(figs),
        ]
    )
    assert _sheets(out) == [
        *FRONT,
        "dynamics_markov",
        "dynamics_classes",
        "dynamics_tests",
        "dynamics_spatial_markov",
        "dynamics_density",
        "dynamics_bandwidth",
    ]
    assert len(list(figs.glob("*.png"))) == 2 and len(list(figs.glob("*.svg"))) == 2


def test_drivers_on_provinces(tmp_path):
    out = tmp_path / "r.xlsx"
    _run(["drivers", "--provinces", "--y", "D", "--year", "2022", "--out", str(out)])
    assert _sheets(out) == [
        *FRONT,
        "drivers_factors",
        "drivers_interactions",
        "drivers_strata",
        "drivers_risk",
        "drivers_ecological",
    ]
    factors = read_sheet(out, "drivers_factors")  # headers are Chinese; codes via the column sheet
    assert list(factors.columns[:3]) == ["factor", "method", "k"] and len(factors) == 4


def test_demo_panel_drivers_with_named_factors(tmp_path):
    out = tmp_path / "r.xlsx"
    _run(
        [
            "drivers",
            "--demo",
            "--factors",
            "nonfarm_va_share,machinery_intensity",
            "--discretize",
            "quantile",
            "--out",
            str(out),
        ]
    )
    rows = list(load_workbook(out, read_only=True)["drivers_factors"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["nonfarm_va_share", "machinery_intensity"]


def test_exactly_one_data_source(tmp_path):
    res = runner.invoke(app, ["disparity", "--out", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1 and isinstance(res.exception, InputError)
    res = runner.invoke(app, ["disparity", "--demo", "--provinces"])
    assert isinstance(res.exception, InputError)

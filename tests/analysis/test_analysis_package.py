"""The analysis package's layout (issue 15): its modules stay below the report layer, its Dagum
decomposition is the one disparity() writes, its notes come from the words catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

import ronghe.analysis as analysis
from ronghe.words.analysis import NOTES


def test_no_module_imports_the_report_layer() -> None:
    package = Path(analysis.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("ronghe.report"), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("ronghe.report") for a in node.names), path.name


def test_spatial_is_the_function_and_dagum_is_disparitys(small_result) -> None:
    assert callable(analysis.spatial) and analysis.spatial.__module__.endswith("autocorrelation")
    full = analysis.disparity(small_result, "D")
    dg = analysis.dagum(small_result, "D", "macro")
    pd.testing.assert_frame_equal(dg.totals, full.dagum, check_exact=True)
    pd.testing.assert_frame_equal(dg.within, full.dagum_within, check_exact=True)
    pd.testing.assert_frame_equal(dg.between, full.dagum_between, check_exact=True)
    assert list(dg.totals.columns) == ["year", "G", "Gw", "Gnb", "Gt", "Gb", "share_Gw",
                                       "share_Gnb", "share_Gt"]


def test_dagum_needs_no_three_years() -> None:
    """The report's decomposition runs on two years, where σ/β-convergence cannot."""
    from ronghe.datasets import synthetic_counties
    from ronghe.study import Study

    two = Study(synthetic_counties(seed=0, provinces=["13", "14"], years=range(2022, 2024)),
                "seed").evaluate()
    assert sorted(analysis.dagum(two, "index").totals["year"]) == [2022, 2023]


def test_notes_are_zh_then_en(small_result) -> None:
    (title, text), = analysis.disparity(small_result).notes()
    (title_zh, title_en), _ = NOTES["disparity"]
    assert title == f"{title_zh} {title_en}"
    assert text.index("变量") < text.index(" / variable") and "Dagum (1997) Gini" in text

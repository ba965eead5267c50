"""Shared fixtures of the report tests: one tiny evaluated panel (Hebei and Shanxi counties,
2019-2023) and its report content, built once per session."""

from __future__ import annotations

import pytest

from ronghe import datasets
from ronghe.report.content import ReportContent, build_content
from ronghe.result import Result
from ronghe.study import Study

#: A region renamed to a formula and one to markup: both must come out inert.
FORMULA_REGION, FORMULA_NAME = "130102", "=1+1"
MARKUP_REGION, MARKUP_NAME = "130104", "<b id='injected'>x</b>"
DRAWS = 100  #: Monte Carlo draws behind the rank intervals of the shared content


@pytest.fixture(scope="session")
def result() -> Result:
    panel = datasets.synthetic_counties(provinces=["13", "14"], years=range(2019, 2024))
    panel.regions.loc[FORMULA_REGION, "name_zh"] = FORMULA_NAME
    panel.regions.loc[MARKUP_REGION, "name_zh"] = MARKUP_NAME
    return Study(panel, "seed").evaluate()


@pytest.fixture(scope="session")
def content(result: Result) -> ReportContent:
    return build_content(result, lang="zh", draws=DRAWS)


@pytest.fixture(scope="session")
def renamed() -> dict[str, tuple[str, str]]:
    """(region, name) of the regions renamed to a formula and to markup."""
    return {"formula": (FORMULA_REGION, FORMULA_NAME), "markup": (MARKUP_REGION, MARKUP_NAME)}

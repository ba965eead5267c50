"""Fixtures for the analysis integration tests: two evaluated results and one map cache per session."""

from __future__ import annotations

import pytest

from ronghe import datasets
from ronghe.study import Study


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: reads county boundaries (deselect with -m 'not slow')"
    )


@pytest.fixture(scope="session")
def disparity_sheets():
    """The sheets of the disparity analysis, in workbook order."""
    return [
        "disparity_dagum",
        "disparity_dagum_within",
        "disparity_dagum_between",
        "disparity_theil",
        "disparity_theil_groups",
        "disparity_dispersion",
        "disparity_sigma",
        "disparity_beta",
    ]


@pytest.fixture(scope="session")
def small_result(county_result):
    """Synthetic counties of Hebei (13, east) and Shanxi (14, central), 2018-2023: the shared
    ``county_result`` of tests/conftest.py."""
    return county_result


@pytest.fixture(scope="session")
def province_result():
    """The real provincial panel on its own framework (31 provinces, 2013-2023)."""
    return Study(datasets.provinces(), datasets.provinces_framework()).evaluate()


@pytest.fixture(scope="session")
def analysis_cache(tmp_path_factory: pytest.TempPathFactory):
    """Boundaries and weights cache shared by the tests of this directory."""
    return tmp_path_factory.mktemp("ronghe-analysis-cache")

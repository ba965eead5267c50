"""Fixtures shared by every test folder: one evaluated synthetic county panel per session.

Folders that need a special panel build their own on top of these (the report's renames two
regions to a formula and to markup; the diagnosis plants a blocking indicator)."""

from __future__ import annotations

import pytest

from ronghe import datasets
from ronghe.panel import Panel
from ronghe.result import Result
from ronghe.study import Study


@pytest.fixture(scope="session")
def county_panel() -> Panel:
    """Synthetic counties of Hebei (13, east) and Shanxi (14, central), 2018-2023, seed 0."""
    return datasets.synthetic_counties(seed=0, provinces=["13", "14"], years=range(2018, 2024))


@pytest.fixture(scope="session")
def county_result(county_panel: Panel) -> Result:
    """``county_panel`` evaluated on the seed framework with the default settings."""
    return Study(county_panel, "seed").evaluate()

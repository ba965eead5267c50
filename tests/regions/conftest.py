"""Real data the regions tests read when it is present: the areacodes dataset the division history is
built from and the census county workbooks (``../shared/data`` beside the repository, or
``RONGHE_SHARED_DATA``). Tests that need them are skipped without them."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


def shared(sub: str) -> Path | None:
    candidates = [Path(os.environ["RONGHE_SHARED_DATA"])] if "RONGHE_SHARED_DATA" in os.environ else []
    candidates += [ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data"]
    for base in candidates:
        if (base / sub).exists():
            return base / sub
    return None


@pytest.fixture(scope="session")
def divisions_dir() -> Path:
    path = shared("divisions")
    if path is None:
        pytest.skip("the areacodes dataset (shared/data/divisions) is not present")
    return path


@pytest.fixture(scope="session")
def census_codes():
    return _census_codes


def _census_codes(year: int) -> list[str]:
    """Codes of the county rows of a census workbook: six digits, not a province (..0000) nor a
    prefecture (....00) row, except the prefecture-level cities without counties."""
    path = shared(f"census/census_county_{year}_v1.xlsx")
    if path is None:
        pytest.skip("the census workbooks (shared/data/census) are not present")
    column = 1 if year == 2010 else 0  # 2010: 地区, 区划代码 …; 2020: 区划代码, 省, 市, 区县 …
    raw = pd.read_excel(path, engine="calamine", header=None, usecols=[column], dtype=str)
    codes = {c.strip() for c in raw.iloc[:, 0].dropna().astype(str)}
    codes = {c for c in codes if len(c) == 6 and c.isdigit()}
    cities = {"441900", "442000", "460300", "460400", "620200"}
    return sorted(c for c in codes if not c.endswith("00") or c in cities)

"""The raw census workbooks of ../shared/data/census (relative to the repository root, or one level
further up for a worktree; RONGHE_SHARED_DATA overrides). Tests that need them skip, naming the
folder, when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ronghe.ingest import builtin_catalogue, read_file

ROOT = Path(__file__).resolve().parents[2]


def shared_data() -> Path | None:
    env = os.environ.get("RONGHE_SHARED_DATA")
    candidates = [Path(env)] if env else [ROOT.parent / "shared" / "data",
                                          ROOT.parent.parent / "shared" / "data"]
    return next((c for c in candidates if (c / "census").is_dir()), None)


@pytest.fixture(scope="session")
def census_dir() -> Path:
    found = shared_data()
    if found is None:
        pytest.skip("raw census workbooks not found: ../shared/data/census from the repository "
                    "root (set RONGHE_SHARED_DATA to the data folder)")
    return found / "census"


@pytest.fixture(scope="session")
def ingested(census_dir: Path) -> dict:
    """Both workbooks read with their built-in mappings, as `ronghe import --mapping` reads them."""
    cat = builtin_catalogue()
    return {y: read_file(census_dir / f"census_county_{y}_v1.xlsx", catalogue=cat,
                         mapping=f"census-{y}") for y in (2010, 2020)}

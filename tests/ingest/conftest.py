"""Fixtures for the ingest tests: the messy fixture files' region list and catalogue."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from ronghe.ingest import catalogue_frame

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="session")
def messy_regions() -> pd.DataFrame:
    return pd.read_csv(DATA / "messy_regions.csv", dtype=str, keep_default_na=False).set_index("code")


@pytest.fixture(scope="session")
def messy_catalogue() -> pd.DataFrame:
    doc = yaml.safe_load((DATA / "messy_catalogue.yaml").read_text(encoding="utf-8"))
    return catalogue_frame(doc["variables"])

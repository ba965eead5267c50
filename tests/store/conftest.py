"""Store fixtures: every store test runs on a DuckDB file and, when RONGHE_TEST_PG_URL names a
PostgreSQL database, on that server too (its tables are dropped before each test)."""

import os
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from ronghe.ingest import catalogue_frame
from ronghe.store import Store

DATA = Path(__file__).parents[1] / "data"
PG_URL = os.environ.get("RONGHE_TEST_PG_URL")
ENGINES = ["duckdb", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="RONGHE_TEST_PG_URL not set (no PostgreSQL server to test against)"))]


def messy_regions() -> pd.DataFrame:
    return pd.read_csv(DATA / "messy_regions.csv", dtype=str, keep_default_na=False).set_index("code")


def messy_catalogue() -> pd.DataFrame:
    doc = yaml.safe_load((DATA / "messy_catalogue.yaml").read_text(encoding="utf-8"))
    return catalogue_frame(doc["variables"])


def reset_postgres(url: str) -> None:
    """An empty database: drop and recreate schema public (whatever the migrations created)."""
    engine = sa.create_engine(Store(url).url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.init(regions=messy_regions(), catalogue=messy_catalogue())
    yield s
    s.close()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged database."""
    out = {}
    with store.engine.connect() as conn:
        for table in ("regions", "code_changes", "indicators", "import_batches", "observations",
                      "runs", "alembic_version"):
            rows = conn.execute(sa.text(f"SELECT * FROM {table}")).fetchall()
            out[table] = sorted(tuple(map(repr, r)) for r in rows)
    return out


@pytest.fixture
def take_snapshot():
    return snapshot

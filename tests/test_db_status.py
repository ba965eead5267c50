"""``ronghe db status`` (issue 18): batch times to the second with the zone stated (no
microseconds, UTC said), and a store holding synthetic demo batches is called synthetic."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from typer.testing import CliRunner

from ronghe.cli.db import db_app, utc_second

runner = CliRunner()


def test_utc_second_hand_examples() -> None:
    assert utc_second(dt.datetime(2026, 1, 2, 3, 4, 5, 987654)) == "2026-01-02 03:04:05 UTC"
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert utc_second(dt.datetime(2026, 1, 2, 11, 4, 5, tzinfo=beijing)) == "2026-01-02 03:04:05 UTC"
    assert utc_second(pd.NaT) == "-"


def test_status_lists_batches_to_the_second_in_utc(tmp_path) -> None:
    from ronghe.store import Store

    db = str(tmp_path / "t.duckdb")
    store = Store(db)
    store.init()
    long = tmp_path / "long.csv"
    long.write_text("region,year,variable,value,unit\n130123,2020,gdp,42,亿元\n", encoding="utf-8")
    store.import_files([long])
    r = runner.invoke(db_app, ["status", "--db", db])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if "long.csv" in x)
    assert re.search(r"#1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC long\.csv", line), line
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", line)


def test_status_says_a_synthetic_store_is_synthetic(tmp_path) -> None:
    from ronghe.store import Store
    from ronghe.store.store import SYNTHETIC_SOURCE

    db = str(tmp_path / "s.duckdb")
    store = Store(db)
    store.init()
    long = tmp_path / "long.csv"
    long.write_text("region,year,variable,value,unit\n130123,2020,gdp,42,亿元\n", encoding="utf-8")
    store.import_files([long])
    assert "合成数据" not in runner.invoke(db_app, ["status", "--db", db]).output
    other = tmp_path / "other.csv"
    other.write_text("region,year,variable,value,unit\n130123,2021,gdp,43,亿元\n", encoding="utf-8")
    store.import_files([other], source=SYNTHETIC_SOURCE)
    r = runner.invoke(db_app, ["status", "--db", db])
    assert "合成数据：库中有合成演示批次" in r.output and "marked synthetic" in r.output

"""One current value per cell, whoever writes: the database refuses a second current value,
a migration repairs stores that already hold some, and concurrent writers through the Store API
(threads) and the CLI (processes) end with exactly one current value per cell, the later writer
winning or meeting a clear conflict. Bounded: a handful of writers, a few hundred cells (the
100,000-cell CLI race runs on PostgreSQL only, where two processes can write at once)."""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ronghe.ingest import catalogue_frame
from ronghe.store import Store, StoreConflict
from ronghe.store import schema as t

SRC = str(Path(__file__).parents[2] / "src")
CODES = [f"{110100 + i:06d}" for i in range(50)]
YEARS = range(2018, 2022)


def _regions(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"name_zh": codes, "level": "county", "province": "11"},
                        index=pd.Index(codes, name="code"))


CATALOGUE = catalogue_frame([{"id": "v0", "unit": "万元"}, {"id": "v1", "unit": "万元"}])


def _csv(path: Path, codes: list[str], years, value: float) -> Path:
    """A wide CSV with a value for every (code, year) in v0 and v1: ``value`` plus a small offset
    per row, so that each writer's file is distinct and its values recognisable."""
    rows = [(c, y) for c in codes for y in years]
    frame = pd.DataFrame({"代码": [r[0] for r in rows], "年份": [r[1] for r in rows]})
    frame["v0"] = [value + i * 1e-3 for i in range(len(rows))]
    frame["v1"] = value
    frame.to_csv(path, index=False)
    return path


def _current_counts(store: Store) -> pd.Series:
    """Number of current rows per (region, year, variable)."""
    o = store.observations(current=False)
    return o[o["valid"]].groupby(["region", "year", "variable"]).size()


def _assert_one_current(store: Store, n_cells: int) -> None:
    counts = _current_counts(store)
    assert len(counts) == n_cells
    assert counts.max() == 1
    store.panel()  # the pivot that failed on duplicates


@pytest.fixture
def cells_store(db_url):
    s = Store(db_url)
    s.init(regions=_regions(CODES), catalogue=CATALOGUE)
    yield s
    s.close()


def test_database_refuses_a_second_current_value(cells_store, tmp_path):
    cells_store.import_file(_csv(tmp_path / "a.csv", CODES[:1], [2020], 1.0))
    row = {"batch_id": 999, "region": CODES[0], "year": 2020, "variable": "v0", "value": 2.0,
           "valid": True}
    with pytest.raises(sa.exc.IntegrityError), cells_store.engine.begin() as conn:
        conn.execute(t.observations.insert().values(**row, is_current=True))
    _assert_one_current(cells_store, 2)


def _alembic(conn: sa.Connection) -> Config:
    from importlib import resources

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("ronghe.store") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def test_migration_keeps_the_latest_of_duplicate_current_values(db_url, caplog):
    """A store at 0005 holding the damage of the old race (two current values for some cells)
    is repaired by the upgrade: the latest batch's value stays current, the other is superseded
    by it, and the repair is logged and audited."""
    store = Store(db_url)
    with store.engine.connect() as conn:
        command.upgrade(_alembic(conn), "0005")
        conn.commit()
    now = pd.Timestamp("2026-01-01").to_pydatetime()
    with store.engine.begin() as conn:
        for b in (1, 2):
            conn.execute(t.import_batches.insert().values(
                id=b, file_name=f"f{b}.csv", sha256=str(b) * 64, imported_at=now))
        rows = [(1, "110101", 2020, "v0", 1.0), (2, "110101", 2020, "v0", 2.0),  # duplicate
                (2, "110101", 2020, "v1", 5.0),  # single
                (2, "110102", 2020, "v0", 3.0), (1, "110102", 2020, "v0", 4.0)]  # duplicate
        conn.execute(sa.text(
            "INSERT INTO observations (batch_id, region, year, variable, value, valid) "
            "VALUES (:b, :r, :y, :v, :x, true)"),
            [{"b": b, "r": r, "y": y, "v": v, "x": x} for b, r, y, v, x in rows])
    with caplog.at_level(logging.WARNING, logger="ronghe.store"):
        store.init(regions=_regions(["110101", "110102"]), catalogue=CATALOGUE)
    assert store.revision() == "0006"
    current = store.observations().set_index(["region", "variable"])["value"]
    assert current.to_dict() == {("110101", "v0"): 2.0, ("110101", "v1"): 5.0,
                                 ("110102", "v0"): 3.0}
    old = store.history("110102", 2020, "v0")
    assert old["batch_id"].tolist() == [1, 2] and old["valid"].tolist() == [False, True]
    assert old["superseded_by"].iloc[0] == 2
    assert "2 duplicate current values" in caplog.text
    with store.engine.connect() as conn:
        audit = conn.execute(sa.select(t.audit_log.c.action, t.audit_log.c.detail)).all()
    assert audit[0].action == "migrate" and audit[0].detail.startswith("2 duplicate")
    with store.engine.connect() as conn:  # down and up again (DuckDB keeps the column)
        command.downgrade(_alembic(conn), "0005")
        conn.commit()
    store.init()
    assert store.revision() == "0006"
    _assert_one_current(store, 3)
    store.close()


def _race(store: Store, paths: list[Path]) -> list[object]:
    """Import each file from its own thread, all released at once; each result or exception."""
    out: list[object] = [None] * len(paths)
    start = threading.Barrier(len(paths))

    def run(i: int) -> None:
        start.wait()
        try:
            out[i] = store.import_file(paths[i], source=f"writer {i}")
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(paths))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    return out


def test_concurrent_writers_on_the_same_cells(cells_store, tmp_path):
    """Five writers replace the same 400 values at once: every writer either stores its whole
    file or meets a clear conflict; afterwards each cell has one current value and all of them
    come from one writer (the last to commit), the others being history."""
    cells_store.import_file(_csv(tmp_path / "base.csv", CODES, YEARS, 0.5))
    paths = [_csv(tmp_path / f"w{i}.csv", CODES, YEARS, float(i + 1)) for i in range(5)]
    out = _race(cells_store, paths)
    assert all(getattr(r, "status", None) == "imported" or isinstance(r, StoreConflict)
               for r in out), out
    assert any(getattr(r, "status", None) == "imported" for r in out)
    n_cells = len(CODES) * len(YEARS) * 2
    _assert_one_current(cells_store, n_cells)
    current = cells_store.observations()
    assert current["batch_id"].nunique() == 1  # one writer's file, whole
    imported = sum(getattr(r, "status", None) == "imported" for r in out)
    assert len(cells_store.observations(current=False)) == n_cells * (1 + imported)


def test_concurrent_writers_on_disjoint_cells(cells_store, tmp_path):
    """Five writers on separate regions all succeed and each keeps its own values."""
    parts = [CODES[i::5] for i in range(5)]
    paths = [_csv(tmp_path / f"d{i}.csv", parts[i], YEARS, float(i + 1)) for i in range(5)]
    out = _race(cells_store, paths)
    assert all(getattr(r, "status", None) == "imported" for r in out), out
    _assert_one_current(cells_store, len(CODES) * len(YEARS) * 2)
    current = cells_store.observations(variables=["v1"]).set_index("region")["value"]
    for i, part in enumerate(parts):
        assert (current.loc[part] == float(i + 1)).all()


def test_concurrent_identical_corrections_and_different_ones(cells_store, tmp_path):
    """Corrections of one cell from six threads: identical ones store one batch (the others
    report unchanged), different ones leave one current value."""
    cells_store.import_file(_csv(tmp_path / "base.csv", CODES[:2], [2020], 1.0))
    out: list[object] = [None] * 6
    start = threading.Barrier(6)

    def run(i: int) -> None:
        start.wait()
        value = 7.0 if i < 3 else 10.0 + i
        try:
            out[i] = cells_store.write_values(pd.DataFrame(
                {"region": [CODES[0]], "year": [2020], "variable": ["v1"], "value": [value]}),
                source=f"fix {i}")
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert all(getattr(r, "status", None) in ("imported", "unchanged")
               or isinstance(r, StoreConflict) for r in out), out
    _assert_one_current(cells_store, 4)


CLI = ("import sys; from ronghe.cli import main; sys.argv = ['ronghe'] + sys.argv[1:]; main()")


def _cli_race(db: str, paths: list[Path]) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [subprocess.Popen([sys.executable, "-c", CLI, "import", str(p), "--db", db],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in paths]
    outputs = [p.communicate(timeout=300) for p in procs]
    return [subprocess.CompletedProcess(p.args, p.returncode, *out)
            for p, out in zip(procs, outputs, strict=True)]


def test_cli_imports_of_the_same_cells_race(db_url, tmp_path):
    """The issue's reproduction: two `ronghe import` runs started together on files with the
    same cells. On PostgreSQL (100,000 cells) both succeed, the later superseding the earlier; a
    DuckDB file (400 cells) admits one writing process, so the other may instead stop with a
    one-line error. Either way no traceback, and every cell ends with one current value, all
    from one file."""
    postgres = db_url.startswith("postgresql")
    codes = [f"{110000 + i:06d}" for i in range(2500)] if postgres else CODES
    years = range(2004, 2024) if postgres else YEARS
    store = Store(db_url)
    store.init(regions=_regions(codes), catalogue=CATALOGUE)
    store.close()  # DuckDB: let the child processes open the file
    paths = [_csv(tmp_path / f"big{i}.csv", codes, years, float(i + 1)) for i in range(2)]
    done = _cli_race(db_url, paths)
    codes_back = [d.returncode for d in done]
    assert codes_back == [0, 0] if postgres else 0 in codes_back, [d.stderr[-500:] for d in done]
    for d in done:
        assert d.returncode in (0, 1) and "Traceback" not in d.stderr, d.stderr[-800:]
    store = Store(db_url)
    _assert_one_current(store, len(codes) * len(years) * 2)
    assert store.observations()["batch_id"].nunique() == 1
    store.close()

"""A kill -9 in the middle of a large import leaves the database consistent (all of the import or
none of it) and the import repeatable."""

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ronghe.ingest import catalogue_frame
from ronghe.store import Store

# The child announces the moment its write transaction starts loading rows, so the kill lands
# inside the transaction (or just after its commit), not while the file is still being read.
KILL_SCRIPT = textwrap.dedent("""
    import sys
    import ronghe.store.store as m
    load = m._load_stage
    def announced(conn, stage):
        print("writing", flush=True)
        load(conn, stage)
    m._load_stage = announced
    m.Store(sys.argv[1]).import_file(sys.argv[2], source="big")
    print("done", flush=True)
""")


def _big_store(tmp_path: Path) -> tuple[str, Path, int]:
    n_regions, years = 800, range(1990, 2020)
    codes = [f"{110000 + i:06d}" for i in range(n_regions)]
    regions = pd.DataFrame({"name_zh": codes, "level": "county", "province": "11"},
                           index=pd.Index(codes, name="code"))
    cat = catalogue_frame([{"id": f"v{j}", "unit": "万元"} for j in range(5)])
    db = str(tmp_path / "big.duckdb")
    store = Store(db)
    store.init(regions=regions, catalogue=cat)
    store.close()  # DuckDB lets one process at a time open the file
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"代码": np.repeat(codes, len(years)),
                          "年份": np.tile(list(years), n_regions)})
    for j in range(5):
        frame[f"v{j}"] = rng.uniform(1, 2, len(frame)).round(3)
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    path = tmp_path / "big.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return db, path, len(frame) * 5


def test_kill_9_leaves_database_consistent(tmp_path):
    db, path, n_values = _big_store(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    for delay in (0.0, 0.3):
        proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, db, str(path)], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = Store(db)
        batches = store.batches()
        stored = store.status().values
        # either nothing of the import is visible, or all of it
        assert (len(batches), stored) in {(0, 0), (1, n_values)}
        store.close()
    store = Store(db)
    res = store.import_file(path, source="big")
    assert res.status in {"imported", "unchanged"}
    assert store.status().values == n_values
    assert len(store.batches()) == 1

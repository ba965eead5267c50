"""``ronghe --help`` must not load the scientific stack: every command imports its implementation
inside the command function, so listing the commands costs little more than typer itself (issue 19).

The property is stated on the modules imported (read from ``python -X importtime``), not on a
timing: timings belong in ``bench/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"scipy", "pandas", "matplotlib", "pyarrow", "numba", "statsmodels", "duckdb", "sqlalchemy"}
SRC = Path(__file__).resolve().parents[1] / "src"


def imported_modules(*args: str) -> tuple[set[str], str]:
    """Top-level packages imported by ``python -X importtime -m ronghe ARGS``, and its stdout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "ronghe", *args],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip().split(".")[0]
             for line in run.stderr.splitlines() if line.startswith("import time:")}
    return names, run.stdout


@pytest.mark.parametrize("args", [("--help",), ("frameworks", "--help"), ("text", "--help")])
def test_help_imports_no_heavy_module(args: tuple[str, ...]) -> None:
    names, out = imported_modules(*args)
    assert "ronghe" in names  # the parse read the import log
    assert "Usage" in out
    assert not names & HEAVY, f"`ronghe {' '.join(args)}` imports {sorted(names & HEAVY)}"


def test_help_lists_the_commands() -> None:
    _, out = imported_modules("--help")
    for command in ("evaluate", "demo", "frameworks", "uncertainty", "analyze", "report"):
        assert command in out

"""The layers of docs/architecture.md hold: no module imports from a higher layer, lazily or not,
except the Result façade, whose methods import the features lazily (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ronghe"

#: Layer of each top-level module or package of ronghe, lowest first (docs/architecture.md).
LAYERS: dict[str, int] = {
    # 0 ground floor: errors, words, caches and fonts import nothing above them
    "errors": 0, "words": 0, "cache": 0, "fonts": 0,
    # 1 numeric kernels
    "methods": 1,
    # 2 definitions: indicator systems, knowledge, settings, divisions, spatial weights, the Panel
    # and the column-sheet helpers
    "frameworks": 2, "knowledge": 2, "settings": 2, "regions": 2, "spatial": 2, "panel": 2,
    "labels": 2,
    # 3 data: writing workbooks, reading yearbook files, the thematic database, shipped datasets,
    # policy texts
    "excel": 3, "ingest": 3, "store": 3, "datasets": 3, "text": 3,
    # 4 the evaluation chain and its result
    "chain": 4, "study": 4, "result": 4,
    # 5 features on a Result
    "analysis": 5, "diagnosis": 5, "planning": 5, "audit": 5, "method_tables": 5,
    "template": 5,
    # 6 front ends
    "report": 6, "cli": 6, "web": 6, "demo": 6, "__main__": 6,
}

#: Lazy imports a lower layer may make: the Result façade's methods reach the features, and
#: reading a panel from a file uses the ingest readers.
FACADES = {"result", "panel"}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported top-level part of ronghe, lazily?, line) for every ronghe import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy_lines = {
        node.lineno
        for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(fn) if isinstance(node, ast.Import | ast.ImportFrom)
    }
    typing_only = {
        node.lineno
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block) if isinstance(node, ast.Import | ast.ImportFrom)
    }
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ronghe":
            tops = [_top(node.module)] if node.module != "ronghe" else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            tops = [_top(a.name) for a in node.names if a.name.split(".")[0] == "ronghe"]
        else:
            continue
        found += [(t, node.lineno in lazy_lines, node.lineno) for t in tops if t]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_every_module_has_a_layer() -> None:
    tops = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in _modules()} - {"__init__"}
    assert tops <= set(LAYERS), sorted(tops - set(LAYERS))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_import_reaches_up(path: Path) -> None:
    rel = path.relative_to(SRC)
    own = rel.parts[0].removesuffix(".py")
    if own == "__init__":  # the package façade re-exports the public API
        return
    up = [
        f"{rel}:{line} imports ronghe.{top} (layer {LAYERS[top]} > {LAYERS[own]})"
        for top, lazy, line in _imports(path)
        if top in LAYERS and LAYERS[top] > LAYERS[own] and not (lazy and own in FACADES)
    ]
    assert up == []

"""``ronghe.methods`` exports every public name of every methods module (issue 15).

A public name is one a module defines at top level (function, class, constant or type alias)
without a leading underscore; imported names do not count. Read from the source, so a constant
is caught as well as a function.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import ronghe.methods as methods

MODULES = sorted(m.name for m in pkgutil.iter_modules(methods.__path__) if not m.name.startswith("_"))


def defined_public(module_name: str) -> list[str]:
    """Top-level names the module's source defines, without a leading underscore."""
    path = Path(methods.__path__[0]) / f"{module_name}.py"
    names: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in dict.fromkeys(names) if not n.startswith("_")]  # @overload repeats a def


def test_every_module_is_seen():
    assert {"coupling", "forecast", "sensitivity", "target", "typology", "coherence"} <= set(MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_public_names_are_exported(module_name):
    module = importlib.import_module(f"ronghe.methods.{module_name}")
    names = defined_public(module_name)
    assert names, module_name
    missing = [n for n in names if n not in methods.__all__]
    assert not missing, f"ronghe.methods does not export {module_name}.{missing}"
    for name in names:
        assert getattr(methods, name) is getattr(module, name), f"{module_name}.{name}"


@pytest.mark.parametrize("module_name", MODULES)
def test_module_all_lists_what_it_defines(module_name):
    module = importlib.import_module(f"ronghe.methods.{module_name}")
    if not hasattr(module, "__all__"):
        pytest.skip(f"{module_name} has no __all__")
    assert sorted(module.__all__) == sorted(defined_public(module_name))


def test_package_all_is_unique_and_resolves():
    assert len(methods.__all__) == len(set(methods.__all__))
    for name in methods.__all__:
        assert hasattr(methods, name), name

"""One validation entry point for the kernels: ``ronghe.methods._checks`` (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import ronghe.methods as methods
from ronghe.errors import MethodError
from ronghe.methods import (
    factor_detector,
    improvement,
    kernel_density,
    obstacle_typology,
    sigma_convergence,
    theil,
)
from ronghe.methods._checks import as_array, as_codes, as_vector

SOURCES = sorted(p for p in Path(methods.__path__[0]).glob("*.py") if p.name != "_checks.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_kernels_raise_and_warn_only_through_checks(path):
    """No kernel builds a MethodError, a ValueError or a warning itself, nor asserts: messages
    come from ``_checks.fail``/``warn``, bilingual (zh-CN first)."""
    own = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assert):
            own.append(f"assert at line {node.lineno}")
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in ("MethodError", "ValueError") or (
                isinstance(f, ast.Attribute) and name == "warn"
                and getattr(f.value, "id", "") == "warnings"
            ):
                own.append(f"{name} at line {node.lineno}")
    assert not own, f"{path.name}: {own}"


@pytest.mark.parametrize(
    ("call", "en"),
    [
        (lambda: theil([1.0, 2.0], kind="X"), "Theil kind must be 'T' or 'L'"),
        (lambda: factor_detector([1.0, 2.0, 3.0], [0, 0, 0]), "the factor has a single stratum"),
        (lambda: kernel_density({}), "kernel density needs at least one year"),
        (lambda: sigma_convergence(np.ones((3, 3)), [2000, 2000, 2001]), "strictly increasing"),
        (lambda: obstacle_typology(np.array([[0.5, 0.5]]), margin=-0.1), "margin must be >= 0"),
        (lambda: improvement([1.0], ["a"], "+"), "values_after contains non-numeric values"),
    ],
)
def test_converted_kernels_speak_zh_then_en(call, en):
    with pytest.raises(MethodError) as err:
        call()
    zh, _, tail = str(err.value).partition(" / ")
    assert en in tail and en not in zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), str(err.value)


def test_as_codes_and_as_vector_messages():
    with pytest.raises(MethodError, match="x must hold one stratum label per unit \\(3\\)"):
        as_codes([0, 1], 3, "x", ("分层标签", "stratum label per unit"))
    with pytest.raises(MethodError, match="x has missing labels \\(first at position 1\\)"):
        as_codes(np.array([0.0, np.nan, 1.0]), 3, "x")
    labels, codes = as_codes(["b", "a", "b"], 3, "g")
    assert labels.tolist() == ["a", "b"] and codes.tolist() == [1, 0, 1]
    with pytest.raises(MethodError, match="y needs at least 2 value"):
        as_vector([1.0], "y", min_length=2)
    with pytest.raises(MethodError, match="2 missing or infinite value\\(s\\); element 0"):
        as_vector([np.nan, 1.0, np.inf], "y")
    with pytest.raises(MethodError, match="A contains non-numeric values"):
        as_array([[1.0, "x"]], "A")
    assert np.isnan(as_array([np.nan], "A")[0])

"""Safe indicator formulas over raw variables.

A formula is an arithmetic expression over raw variable names, for example
``(va1 / l1) / ((va2 + va3) / l23)`` or ``growth(rural_income) - growth(urban_income)``.
It is parsed with :func:`ast.parse` (``mode="eval"``) and every node of the tree is checked against
a whitelist; nothing is ever passed to ``eval``/``exec``. Allowed:

- numbers (int or float literals) and names (raw variables, looked up as columns of the data);
- ``+ - * / **``, unary ``-`` and ``+``, parentheses;
- calls, positional arguments only, to ``log`` (natural), ``exp``, ``sqrt``, ``abs``,
  ``min(a, b, ...)`` and ``max(a, b, ...)`` (element-wise; a missing argument gives a missing
  result), ``lag(x)`` and ``growth(x)``.

``lag(x)`` is the value of ``x`` in the previous calendar year of the same region: the row
``(r, y)`` takes ``x`` at ``(r, y - 1)``; when that row is absent (first year, or a gap in the
years) the result is missing. ``growth(x) = (x / lag(x) - 1) * 100``, a growth rate in percent.
``x`` may be any sub-expression, e.g. ``growth(va2 + va3)``.

Undefined arithmetic is not hidden: division by zero gives ``inf`` (or ``NaN`` for 0/0), the log
of a non-positive number ``-inf``/``NaN``, and these cells are returned as they are (no warning
is emitted) so that the study can report each of them by region, year and indicator.

Written here rather than taken from a library because the general expression libraries
(numexpr, pandas.eval, asteval) either evaluate arbitrary Python or know nothing of a
region-year panel, which ``lag`` and ``growth`` need.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeAlias, cast

import numpy as np
import pandas as pd

from ronghe.errors import FrameworkError, InputError
from ronghe.methods import panel_order

Value: TypeAlias = np.ndarray | float  #: what a sub-expression evaluates to

_BINARY: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_UNARY: dict[type[ast.unaryop], Callable[[Value], Value]] = {
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: +a,
}
_ONE_ARG = {"log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs}
_MANY_ARGS = {"min": np.minimum, "max": np.maximum}
_PANEL = ("lag", "growth")
FUNCTIONS = frozenset([*_ONE_ARG, *_MANY_ARGS, *_PANEL])


@dataclass(frozen=True)
class Formula:
    """A checked formula: ``.variables`` (raw variables read) and ``.evaluate(df)``.

    Build one with :func:`parse`.
    """

    text: str
    tree: ast.Expression = field(repr=False, compare=False)
    variables: frozenset[str] = frozenset()

    @property
    def uses_lag(self) -> bool:
        """True when the formula needs the previous year (``lag`` or ``growth``)."""
        return any(isinstance(n, ast.Call) and n.func.id in _PANEL  # type: ignore[attr-defined]
                   for n in ast.walk(self.tree))

    def evaluate(self, data: pd.DataFrame) -> pd.Series:
        """Evaluate on a frame indexed by ``(region, year)`` whose columns hold the raw variables.

        Returns a float Series on ``data.index``. Cells where a variable is missing are NaN;
        undefined arithmetic gives ``inf``/``NaN`` (see the module docstring). Raises
        :class:`~ronghe.errors.InputError` when a variable is not a column of ``data`` or when
        ``lag``/``growth`` is used on data without a ``(region, year)`` index.
        """
        return pd.Series(self.values(data), index=data.index)

    def values(self, data: pd.DataFrame, evaluator: Evaluator | None = None) -> np.ndarray:
        """:meth:`evaluate` as a float64 array (NumPy arithmetic on the columns, no Series per
        sub-expression); ``evaluator`` (an :class:`Evaluator` of ``data``) shares the columns
        and the lag rows between the formulas of one framework."""
        absent = sorted(self.variables - set(map(str, data.columns)))
        if absent:
            raise InputError(f"formula {self.text!r} needs variable {absent[0]!r}, "
                             "which the data does not have", column=absent[0])
        if self.uses_lag and not {"region", "year"} <= set(data.index.names):
            raise InputError(f"formula {self.text!r} uses lag/growth, which needs data indexed "
                             "by (region, year)")
        ev = evaluator or Evaluator(data)
        with np.errstate(all="ignore"):
            value = ev.visit(self.tree.body)
        if isinstance(value, np.ndarray):  # a bare variable is the data's column: a copy
            return value.copy() if ev.is_column(value) else value.astype(float, copy=False)
        return np.full(len(data), float(value))


def parse(formula: str) -> Formula:
    """Parse and check a formula; raise :class:`~ronghe.errors.FrameworkError` naming the formula
    and the offending token when it uses anything outside the whitelist.

    >>> sorted(parse("urban_income / rural_income").variables)
    ['rural_income', 'urban_income']
    """
    text = str(formula).strip()
    if not text:
        raise FrameworkError("empty formula")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise FrameworkError(f"formula {text!r}: syntax error at column {exc.offset}") from None
    variables: set[str] = set()
    _check(tree.body, text, variables)
    return Formula(text, tree, frozenset(variables))


def _reject(node: ast.AST, text: str, what: str) -> FrameworkError:
    token = ast.get_source_segment(text, node) or type(node).__name__
    return FrameworkError(f"formula {text!r}: {what} {token!r} is not allowed")


def _check(node: ast.AST, text: str, variables: set[str]) -> None:
    """Walk the tree, accepting only whitelisted nodes; collect variable names."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _reject(node, text, "constant")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise _reject(node, text, "function name used as a variable")
        variables.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise _reject(node, text, "operator in")
        _check(node.left, text, variables)
        _check(node.right, text, variables)
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise _reject(node, text, "operator in")
        _check(node.operand, text, variables)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise _reject(node.func, text, "function")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _reject(node, text, "keyword or starred argument in")
        name, n = node.func.id, len(node.args)
        if (name in _MANY_ARGS and n < 2) or (name not in _MANY_ARGS and n != 1):
            need = "at least 2 arguments" if name in _MANY_ARGS else "exactly 1 argument"
            raise FrameworkError(f"formula {text!r}: {name}() takes {need}, got {n}")
        for arg in node.args:
            _check(arg, text, variables)
    else:
        raise _reject(node, text, "expression")


class Evaluator:
    """Evaluates checked trees on ``data``; values are float64 arrays (one per row) or NumPy
    floats. A column is read once, however many formulas use it."""

    def __init__(self, data: pd.DataFrame) -> None:
        self.data = data
        self._columns: dict[str, np.ndarray] = {}

    def is_column(self, value: np.ndarray) -> bool:
        """Whether ``value`` is one of the data's columns as read (not a computed array)."""
        return any(value is c for c in self._columns.values())

    def column(self, name: str) -> np.ndarray:
        """The raw variable ``name`` as float64 (read-only: every operation makes a new array)."""
        if name not in self._columns:
            self._columns[name] = self.data[name].to_numpy(dtype=float)
        return self._columns[name]

    def visit(self, node: ast.AST) -> Value:
        if isinstance(node, ast.Constant):
            # parse admits int and float constants only; numpy scalars so that a constant
            # sub-expression divides by zero as the columns do (inf or nan), not with an exception
            return np.float64(cast(float, node.value))
        if isinstance(node, ast.Name):
            return self.column(node.id)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self.visit(node.operand))
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # checked by parse
        args = [self.visit(a) for a in node.args]
        name = node.func.id
        if name in _ONE_ARG:
            return _ONE_ARG[name](args[0])
        if name in _MANY_ARGS:
            out = args[0]
            for a in args[1:]:
                out = _MANY_ARGS[name](out, a)
            return out
        lagged = self._lag(args[0])
        return lagged if name == "lag" else (args[0] / lagged - 1.0) * 100.0

    @cached_property
    def _lag_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(rows that have the previous calendar year, the rows of that year), found once for
        every lag of the evaluation: rows in (region, year) order (integer codes, no index of
        tuples), a row follows its predecessor when that is the same region one year earlier."""
        index = self.data.index
        if isinstance(index, pd.MultiIndex):
            region = index.codes[index.names.index("region")]
        else:
            region = pd.factorize(index.get_level_values("region"))[0]
        year = index.get_level_values("year").to_numpy().astype(int)
        order = panel_order(region, year)
        rs, ys = region[order], year[order]
        same = rs[1:] == rs[:-1]
        if (same & (ys[1:] == ys[:-1])).any():
            raise InputError("lag/growth needs unique (region, year) rows; the data repeats some")
        follows = np.flatnonzero(same & (ys[1:] == ys[:-1] + 1)) + 1  # sorted rows with a lag
        return order[follows], order[follows - 1]

    def _lag(self, value: Value) -> np.ndarray:
        """Previous calendar year's value within each region (NaN when that year is absent)."""
        n = len(self.data.index)
        values = (value if isinstance(value, np.ndarray)
                  else np.broadcast_to(np.asarray(value, dtype=float), (n,)))
        rows, previous = self._lag_rows
        lagged = np.full(n, np.nan)
        lagged[rows] = values[previous]
        return lagged

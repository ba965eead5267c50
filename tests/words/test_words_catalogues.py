"""The word catalogues are data files (``src/ronghe/words/*.toml``) read by one loader,
:class:`ronghe.words.Catalogue`: every file is read by its module, every (zh, en) pair is two
non-empty texts with the Chinese first and the same ``str.format`` fields, and a slip in a file (a
key given twice, an entry of another form, a table nobody reads) is a one-line error naming it."""

from __future__ import annotations

import ast
import importlib
import string
import tomllib
from pathlib import Path

import pytest

import ronghe.words
from ronghe.errors import InputError
from ronghe.words import Catalogue

WORDS = Path(ronghe.words.__file__).parent
FILES = sorted(WORDS.glob("*.toml"))

#: Pairs whose zh side is rightly ASCII: significance levels read the same in both languages.
ASCII_ZH = {("SIGNIFICANCE_LABELS", level) for level in ("0.0001", "0.001", "0.01", "0.05")}


def _module(file: Path) -> object:
    """The module that reads ``file`` (``shared.toml`` is read by ``ronghe.words`` itself)."""
    name = "ronghe.words" if file.stem == "shared" else f"ronghe.words.{file.stem}"
    return importlib.import_module(name)


def _pairs(table: str, value: object) -> list[tuple[str, tuple[str, str]]]:
    """(key, (zh, en)) of every bilingual pair in a table: a dict of pairs, a dict of (title,
    text) pairs of pairs (NOTES) or a single pair; other tables (zh only) give none."""
    def is_pair(v: object) -> bool:
        return isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, str) for x in v)

    if is_pair(value):
        return [(table, value)]
    if isinstance(value, dict) and all(is_pair(v) for v in value.values()):
        return list(value.items())
    if isinstance(value, dict) and all(isinstance(v, tuple) and all(map(is_pair, v))
                                       for v in value.values()):
        return [(f"{k}[{i}]", p) for k, v in value.items() for i, p in enumerate(v)]
    return []


def _fields(text: str) -> list[str | None]:
    return sorted((f for _, f, _, _ in string.Formatter().parse(text) if f is not None), key=str)


def _lists(value: object) -> bool:
    """Whether a list is left anywhere in ``value`` (TOML arrays must come back as tuples)."""
    if isinstance(value, dict):
        return any(_lists(v) for v in value.values())
    return isinstance(value, list) or (isinstance(value, tuple) and any(map(_lists, value)))


def test_every_file_is_read_by_its_module_as_the_names_it_exports():
    assert {f.stem for f in FILES} >= {"shared", "columns", "web", "workbook", "figures"}
    for file in FILES:
        module = _module(file)
        for name in tomllib.loads(file.read_text(encoding="utf-8")):
            assert not _lists(getattr(module, name)), (file.name, name)


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.name)
def test_pairs_are_zh_then_en_with_the_same_fields(file):
    module = _module(file)
    count = 0
    for table in tomllib.loads(file.read_text(encoding="utf-8")):
        for key, (zh, en) in _pairs(table, getattr(module, table)):
            count += 1
            assert zh.strip() and en.strip(), (table, key)
            assert not zh.isascii() or (table, key) in ASCII_ZH, (table, key)  # Chinese first
            assert _fields(zh) == _fields(en), (table, key)
    assert count, file.name


def test_keys_order_and_sheet_keys_survive_the_file():
    from ronghe.words.columns import PLANNING_COLUMNS, WORKBOOK_COLUMNS
    from ronghe.words.figures import CLUSTER_LABELS
    from ronghe.words.workbook import REASONS, TOP_HEADERS

    assert list(CLUSTER_LABELS) == ["HH", "LL", "LH", "HL", "ns"]
    assert CLUSTER_LABELS["HH"] == ("高高", "High-High")
    assert WORKBOOK_COLUMNS[("report", "file")] == ("文件名", "File")
    assert "forecast" in PLANNING_COLUMNS and ("forecast", "clipped") in PLANNING_COLUMNS
    patterns = [p for p, _ in REASONS]  # the first pattern that matches wins: order is meaning
    assert patterns.index("a true/false cell is not a number") < patterns.index(
        r"a (\w+) cell is not a number")
    assert isinstance(TOP_HEADERS, tuple) and len(TOP_HEADERS) == 3


def test_no_words_module_holds_a_table_literal():
    """New words go to the data files; the modules keep code only."""
    for path in sorted(WORDS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = [node.lineno for node in ast.walk(tree)
                  if (isinstance(node, ast.Dict) and len(node.keys) > 4)
                  or (isinstance(node, ast.Tuple) and len(node.elts) > 4)]
        assert not tables, (path.name, tables)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [
    '[LABELS]\nHH = ["高高", "High-High"]\nLL = ["低低", "Low-Low"]\nHH = ["高", "High"]\n',
    '[LABELS]\nHH = ["高高", "High-High"]\nHH = ["高", "High"]',  # no newline at the end
])
def test_a_key_given_twice_is_a_one_line_error_naming_file_line_and_key(tmp_path, text):
    with pytest.raises(InputError) as err:
        Catalogue(_write(tmp_path, text))
    message = str(err.value)
    assert "broken.toml" in message and "HH" in message and "line " in message
    assert "\n" not in message


def test_a_table_given_twice_is_named(tmp_path):
    path = _write(tmp_path, '[A]\nx = ["甲", "a"]\n\n[A]\ny = ["乙", "b"]\n')
    with pytest.raises(InputError, match=r"broken\.toml: .*line 4.*\[A\]"):
        Catalogue(path)


def test_an_entry_of_another_form_is_named(tmp_path):
    words = Catalogue(_write(tmp_path, '[LABELS]\nHH = ["高高", "High-High"]\nLL = ["低低"]\n'))
    with pytest.raises(InputError, match=r"broken\.toml: .*LABELS\.LL .*\(value \['低低'\]\)"):
        words.take("LABELS", dict[str, tuple[str, str]])


def test_a_table_nobody_reads_or_a_missing_one_is_an_error(tmp_path):
    words = Catalogue(_write(tmp_path, 'A = ["甲", "a"]\nB = ["乙", "b"]\n'))
    assert words.take("A", tuple[str, str]) == ("甲", "a")
    with pytest.raises(InputError, match="no C"):
        words.take("C", tuple[str, str])
    with pytest.raises(InputError, match="B"):
        words.close()

"""Every word a person reads: bilingual labels and message catalogues (zh-CN first, en).

This package is the one place for words. Its modules sit on the ground floor: they import nothing
of ronghe except :mod:`ronghe.errors` (itself a leaf), so the CLI, reports, workbooks and web pages
all show the same words. Each area keeps its catalogue in a submodule named for it
(``words.web``, ``words.diagnosis``, ``words.columns`` ...); this module holds what they share:
the language check, units of measurement, user roles, audit actions and numbers shown to their
precision. A code without an entry is shown as it is.

The words themselves are data: each module reads its tables from a TOML file beside it
(``figures.py`` from ``figures.toml``, this module from ``shared.toml``) with one
:class:`Catalogue`, so a translator edits words without touching Python.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from types import UnionType
from typing import Any, Literal, TypeVar, cast, get_args, get_origin

from ronghe.errors import InputError

__all__ = [
    "ACTIONS", "LANGS", "ROLES", "UNITS_ZH", "Catalogue", "Lang", "action_label", "check_lang",
    "lang_index", "number", "pick", "role_label", "unit_label",
]

_T = TypeVar("_T")

Lang = Literal["zh", "en"]

#: Supported languages, in the order bilingual pairs are written: (zh, en).
LANGS: tuple[Lang, Lang] = ("zh", "en")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is ``zh`` or ``en``, else an InputError naming the value."""
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise InputError(f"语言须为 zh 或 en / lang must be zh or en, got {lang!r}", value=lang)


def lang_index(lang: str) -> int:
    """Position of ``lang`` in a (zh, en) pair: 0 for zh, 1 for en (checked)."""
    return LANGS.index(check_lang(lang))


def pick(pair: tuple[str, str], lang: str) -> str:
    """The word of a (zh, en) pair in ``lang`` (checked)."""
    return pair[lang_index(lang)]


class Catalogue:
    """The word tables of one module, read once from a TOML file of this package (``file``, a name
    beside this module, or a path): ``Catalogue("figures.toml").take("TEXT", dict[str, tuple[str,
    str]])``.

    :meth:`take` turns a table into the Python ``kind`` it names, checking it on the way: a TOML
    array becomes a tuple (``["高高", "High-High"]`` -> ``("高高", "High-High")``), a table a dict
    in the file's order; a table read as a tuple of (key, value) pairs keeps its order (the
    first key that matches wins); a key ``"sheet:column"`` of a dict whose keys may be
    ``(sheet, column)`` becomes that pair. :meth:`close` checks every table was taken. A file
    that is not valid TOML (a key written twice) or an entry of another form is an InputError
    naming the file, line or table and key.
    """

    def __init__(self, file: str | Path) -> None:
        self.path = file if isinstance(file, Path) else Path(__file__).with_name(file)
        self.tables = _read_toml(self.path)

    def take(self, name: str, kind: type[_T]) -> _T:
        """Table ``name`` as ``kind`` (``str``, ``tuple[...]``, ``dict[...]`` of these)."""
        if name not in self.tables:
            raise InputError(f"词表文件缺少 {name} / words file has no {name}", file=str(self.path))
        return cast(_T, _as(self.tables.pop(name), kind, name, self.path))

    def close(self) -> None:
        """InputError if the file holds a table no module took (a misspelt or stale name)."""
        if self.tables:
            names = ", ".join(self.tables)
            raise InputError(f"词表文件有未使用的表 / words file has tables no module reads: {names}",
                             file=str(self.path))


def _read_toml(path: Path) -> dict[str, Any]:
    """The tables of ``path``; a syntax error or a key given twice as a one-line InputError
    naming the file, the line and its key."""
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        reason = str(err)
        found = re.search(r"line (\d+)", reason)
        lines = text.splitlines()
        n = int(found.group(1)) if found else len(lines)  # "at end of document": the last line
        line = lines[n - 1].strip() if 0 < n <= len(lines) else ""
        key = line.split("=", 1)[0].strip() if "=" in line else line
        if reason.startswith(("Cannot overwrite", "Cannot declare")):
            reason = f"第 {n} 行 {key} 重复 / line {n}: {key} is given twice"
        else:
            reason = f"第 {n} 行（{key}）不是有效的 TOML / line {n} ({key}) is not valid TOML: {reason}"
        raise InputError(reason, file=str(path)) from None


def _as(value: Any, kind: Any, where: str, path: Path) -> Any:
    """``value`` read from TOML as ``kind``, checked; ``where`` names the entry in an error."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is str and isinstance(value, str):
        return value
    if origin is tuple and isinstance(value, dict):  # an ordered table of (key, value) pairs
        value = [[k, v] for k, v in value.items()]
    if origin is tuple and isinstance(value, list):
        kinds = [args[0]] * len(value) if args[1:] == (Ellipsis,) else list(args)
        if len(kinds) == len(value):
            items = zip(value, kinds, strict=True)
            return tuple(_as(v, k, f"{where}[{i}]", path) for i, (v, k) in enumerate(items))
    if origin is dict and isinstance(value, dict):
        sheets = get_origin(args[0]) is UnionType  # keys: column or (sheet, column)
        return {
            tuple(k.split(":", 1)) if sheets and ":" in k else k: _as(v, args[1], f"{where}.{k}", path)
            for k, v in value.items()
        }
    shape = str(kind).replace("typing.", "")
    raise InputError(f"词表条目的形式不对 / words entry {where} is not a {shape}", file=str(path),
                     value=value)


_WORDS = Catalogue("shared.toml")
UNITS_ZH = _WORDS.take("UNITS_ZH", dict[str, str])
ROLES = _WORDS.take("ROLES", dict[str, tuple[str, str]])
ACTIONS = _WORDS.take("ACTIONS", dict[str, tuple[str, str]])
_WORDS.close()


def unit_label(unit: str | None, lang: str = "zh") -> str:
    """The unit in ``lang``: Chinese for the framework's English codes (``10^4 yuan`` -> 万元);
    empty for no unit or a dash."""
    if unit is None or unit.strip() in ("", "-", "–"):
        return ""
    return UNITS_ZH.get(unit.strip(), unit) if lang == "zh" else unit


def role_label(role: str, lang: str = "zh") -> str:
    """A user role in ``lang`` (admin -> 管理员)."""
    return ROLES[role][lang != "zh"] if role in ROLES else role


def action_label(action: str, lang: str = "zh") -> str:
    """An audit action in ``lang`` (user-create -> 新建用户)."""
    return ACTIONS[action][lang != "zh"] if action in ACTIONS else action


def number(value: float | None, digits: int = 4) -> str:
    """``value`` rounded to ``digits`` decimals without trailing zeros (0.1234567890123 ->
    0.1235, 12.50 -> 12.5, 3.0 -> 3); '–' for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text

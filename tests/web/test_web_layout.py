"""The web package's layout (issue 15): routes are module-level functions in one module per
resource, and no web module touches the database except through the store
(:mod:`ronghe.store.platform`, :class:`ronghe.store.Store`)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from datetime import datetime
from pathlib import Path

import pytest

import ronghe.web
from ronghe.web import routes
from ronghe.web.pages import when

WEB = Path(ronghe.web.__file__).parent
MODULES = sorted(WEB.rglob("*.py"))
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX)|DROP\s+TABLE)\b", re.IGNORECASE | re.DOTALL)
CALLS = {"text", "exec_driver_sql", "execute", "executemany", "scalar", "scalars"}


def raw_sql(source: str) -> list[str]:
    """What in ``source`` talks to a database directly: SQL in string literals, SQLAlchemy's
    ``text()``, ``exec_driver_sql`` and ``execute``-style calls, and imports of the table
    definitions (:mod:`ronghe.store.schema`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.search(node.value):
                found.append(f"line {node.lineno}: SQL string {node.value[:40]!r}")
        elif isinstance(node, ast.Call):
            name = (node.func.attr if isinstance(node.func, ast.Attribute)
                    else node.func.id if isinstance(node.func, ast.Name) else "")
            if name in CALLS:
                found.append(f"line {node.lineno}: call of {name}()")
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.module == "ronghe.store.schema" or (
                    node.module == "ronghe.store" and "schema" in names):
                found.append(f"line {node.lineno}: imports the table definitions")
    return found


def test_the_check_finds_raw_sql() -> None:
    """The check itself: each kind of database access it is meant to catch is caught."""
    assert raw_sql('q = "SELECT id FROM users WHERE name = :n"')
    assert raw_sql("conn.execute(sa.text('x'))")
    assert raw_sql("engine.exec_driver_sql('VACUUM')")
    assert raw_sql("from ronghe.store import schema as t")
    assert raw_sql("from ronghe.store.schema import users")
    assert raw_sql('"insert into audit_log values (1)"')
    assert not raw_sql('message = "select a framework / 选择指标体系"')
    assert not raw_sql("from ronghe.store import platform as db\ndb.users(engine, now)")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WEB)))
def test_no_raw_sql_in_web_modules(path: Path) -> None:
    assert raw_sql(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WEB)))
def test_web_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_routes_are_module_level_functions_of_route_modules() -> None:
    """No closure routes (``build_pages`` once held every page in one function): every endpoint
    is a top-level function of the route module whose router serves it."""
    n = 0
    for info in pkgutil.iter_modules(routes.__path__):
        module = importlib.import_module(f"{routes.__name__}.{info.name}")
        for router in (getattr(module, "pages", None), getattr(module, "api", None)):
            for route in getattr(router, "routes", []):
                fn = route.endpoint
                assert fn.__module__ == module.__name__, (route.path, fn.__module__)
                assert fn.__qualname__ == fn.__name__, (route.path, fn.__qualname__)
                assert getattr(module, fn.__name__) is fn
                n += 1
    assert n >= 35  # every page and endpoint


def test_pages_do_not_use_the_api_module() -> None:
    """Page code gets shared behaviour from ronghe.web.services, not from the API module."""
    for path in [WEB / "pages.py", *sorted((WEB / "routes").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ronghe.web.api":
                helpers = {a.name for a in node.names} & {
                    "check_region", "scoped", "correct_values", "diagnosis_for"}
                assert not helpers, f"{path.name} imports {helpers} from ronghe.web.api"


def test_when_shows_minutes_or_seconds_in_utc() -> None:
    moment = datetime(2026, 12, 5, 8, 1, 13, 456789)
    assert when(moment) == "2026-12-05 08:01 UTC"
    assert when(moment, seconds=True) == "2026-12-05 08:01:13 UTC"
    assert when(None) == ""


def test_admin_audit_times_have_no_microseconds(clients) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: the audit table showed ``2026-12-05 08:01:13.456789``."""
    page = clients["admin"].get("/admin").text
    audit = page[page.index('id="audit"'):]
    stamps = re.findall(r"<td>(\d{4}-\d\d-\d\d [\d:.]+(?: UTC)?)</td>", audit)
    assert stamps, "no audit entry shown"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", s) for s in stamps), stamps[:3]


def test_every_page_word_is_in_the_catalogue() -> None:
    """The templates' ``t('key')`` and the settings form's labels all have a (zh, en) pair in
    :mod:`ronghe.words.web` (a missing key would show the key itself on the page), and the
    catalogue, a ground-floor words module, imports nothing of ronghe."""
    from ronghe.web.analysis import CHOICES
    from ronghe.words import web as words

    keys = set()
    for page in (WEB / "templates").glob("*.html"):
        keys |= set(re.findall(r"\bt\('([^']+)'\)", page.read_text(encoding="utf-8")))
    for path, values in CHOICES.items():
        keys.add(f"set:{path}")
        keys |= {f"{path}={v}" for v in values if path != "framework"}
    assert len(keys) > 100
    assert sorted(keys - set(words.STRINGS)) == []
    for key, pair in words.STRINGS.items():
        assert len(pair) == 2 and all(pair), key
        assert re.search(r"[\u4e00-\u9fff]", pair[0]), key  # Chinese first
    source = Path(words.__file__).read_text(encoding="utf-8")
    imported = re.findall(r"^(?:from|import) (ronghe[\w.]*)", source, re.M)
    assert set(imported) <= {"ronghe.words", "ronghe.errors"}, imported  # the words' loader only

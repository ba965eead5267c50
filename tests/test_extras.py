"""The optional parts of ronghe: each extra the code names exists in pyproject.toml, ``all`` installs
every one, the demo's install (core + maps) leaves out what the demo does not show, and every code
path that needs a left-out package says which extra to install when it is missing (issue 19).

A package is made missing by putting ``None`` in ``sys.modules`` (``import`` then fails as it does
when the package is not installed).
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from pathlib import Path

import pytest

from ronghe.errors import RongheError
from ronghe.words.extras import EXTRA_FEATURES

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
EXTRAS: dict[str, list[str]] = PROJECT["optional-dependencies"]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()


def _hides(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``modules`` unimportable, with the submodules an earlier test has imported (an import
    of ``a.b`` finds ``sys.modules["a.b"]`` without looking at ``a``)."""
    for module in modules:
        for name in [m for m in sys.modules if m.startswith(module + ".")]:
            monkeypatch.setitem(sys.modules, name, None)
        monkeypatch.setitem(sys.modules, module, None)


def test_every_named_extra_exists_and_all_installs_every_extra() -> None:
    assert set(EXTRA_FEATURES) <= set(EXTRAS)
    (everything,) = EXTRAS["all"]
    named = set(re.fullmatch(r"ronghe\[(.+)\]", everything).group(1).split(","))  # type: ignore[union-attr]
    assert named == set(EXTRAS) - {"all"}


def test_the_demo_install_leaves_out_what_the_demo_does_not_show() -> None:
    demo = {_name(r) for r in PROJECT["dependencies"] + EXTRAS["maps"]}
    for extra in ("dynamics", "text", "store", "planning"):
        left_out = {_name(r) for r in EXTRAS[extra]}
        assert not left_out & demo, extra


def _raises_extra(extra: str, module: str):
    return pytest.raises(RongheError, match=re.escape(f'pip install "ronghe[{extra}]"') + r".*"
                         + re.escape(f"(missing: {module}"))


def test_jieba_missing_names_the_text_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    segment = importlib.import_module("ronghe.text.segment")  # ronghe.text.segment is also a function
    _hides(monkeypatch, "jieba")
    segment._tokenizer.cache_clear()
    try:
        with _raises_extra("text", "jieba"):
            segment._tokenizer((("x", ("城乡融合",)),))
    finally:
        segment._tokenizer.cache_clear()


@pytest.mark.parametrize(("suffix", "module"), [(".docx", "docx"), (".pdf", "pypdf")])
def test_report_reader_missing_names_the_text_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, suffix: str, module: str
) -> None:
    from ronghe.text.reading import read_report_text

    path = tmp_path / f"report{suffix}"
    path.write_bytes(b"not read")
    _hides(monkeypatch, module)
    with _raises_extra("text", module):
        read_report_text(path)


def test_word_brief_missing_names_the_text_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ronghe.report.brief import write_brief

    _hides(monkeypatch, "docx")
    with _raises_extra("text", "docx"):
        write_brief(None, tmp_path / "brief.docx", "130102")  # type: ignore[arg-type]
    assert not (tmp_path / "brief.docx").exists()


def test_giddy_missing_names_the_dynamics_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("libpysal", reason="the maps extra is not installed")
    from ronghe.spatial import dynamics

    _hides(monkeypatch, "giddy")
    with _raises_extra("dynamics", "giddy"):
        dynamics._giddy()


def test_statsmodels_missing_names_the_planning_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from ronghe.methods.forecast import ets_forecast

    _hides(monkeypatch, "statsmodels")
    with _raises_extra("planning", "statsmodels"):
        ets_forecast([1.0, 2.0, 3.0, 4.0, 5.0], horizon=2)


def test_store_without_its_extra_names_the_store_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "ronghe.store" or m.startswith("ronghe.store.")]:
        monkeypatch.delitem(sys.modules, name)
    _hides(monkeypatch, "duckdb_engine")
    with _raises_extra("store", "duckdb_engine"):
        importlib.import_module("ronghe.store")

"""Load the knowledge base shipped with ronghe (YAML files in this package) or one in a directory.

Each YAML file holds one or more top-level sections (values, pillars, obstacles, paths, mechanisms,
types); the sections of all files are merged, each section may appear in one file only. Errors name
the file and the offending entry.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path as FsPath

import yaml
from pydantic import ValidationError

from ronghe.errors import FrameworkError
from ronghe.knowledge.models import KnowledgeBase

SECTIONS = ("values", "pillars", "obstacles", "paths", "mechanisms", "types")


def _read(files: list[tuple[str, str]]) -> KnowledgeBase:
    data: dict[str, object] = {}
    origin: dict[str, str] = {}
    for name, text in files:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark is not None else ""
            raise FrameworkError(f"{name}{where}: invalid YAML ({exc})") from None
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise FrameworkError(f"{name}: expected a mapping of sections {', '.join(SECTIONS)}")
        for key, value in doc.items():
            if key not in SECTIONS:
                raise FrameworkError(f"{name}: unknown section {key!r} (use {', '.join(SECTIONS)})")
            if key in data:
                raise FrameworkError(f"{name}: section {key!r} also appears in {origin[key]}")
            data[key] = value
            origin[key] = name
    try:
        return KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        file = origin.get(str(loc[0]), "knowledge base") if loc else "knowledge base"
        path = ".".join(str(p) for p in loc)
        where = f"{file}, {path}" if path else file
        raise FrameworkError(f"{where}: {err['msg']}") from None


@cache
def _builtin() -> KnowledgeBase:
    root = resources.files("ronghe.knowledge")
    files = sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in root.iterdir()
        if entry.name.endswith(".yaml")
    )
    return _read(files)


def load_knowledge(directory: str | FsPath | None = None) -> KnowledgeBase:
    """The knowledge base: the built-in one (cached) or the ``*.yaml`` files in ``directory``."""
    if directory is None:
        return _builtin()
    folder = FsPath(directory)
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise FrameworkError(f"{folder}: no knowledge-base *.yaml files found")
    return _read([(str(p), p.read_text(encoding="utf-8")) for p in paths])

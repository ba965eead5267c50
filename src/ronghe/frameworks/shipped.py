"""The YAML files ronghe ships in a package folder (indicator frameworks, column mappings), found by
id, and a user's own file of the same kind, found by path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path


def yaml_ids(folder: Traversable) -> list[str]:
    """The ids of the ``*.yaml`` files in ``folder`` (names without the suffix), sorted."""
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def shipped_or_file(name: str, shipped: Mapping[str, Traversable],
                    missing: Callable[[], Exception]) -> Path:
    """The shipped file of id ``name``, else ``name`` as the path of an existing file; the error
    ``missing()`` when it is neither."""
    if name in shipped:
        return Path(str(shipped[name]))
    path = Path(name)
    if not path.is_file():
        raise missing()
    return path

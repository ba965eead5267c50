"""Indicator frameworks: YAML files validated by :mod:`ronghe.frameworks.schema`.

Three frameworks are built in (``builtin/*.yaml``): ``seed`` (the four system pillars P1–P4),
``county`` (the four county-driven mechanisms M1–M4) and ``urban-rural`` (new-type urbanisation vs
rural revitalisation). Users write their own in the same format and load them by path.

>>> fw = load_framework("seed")
>>> len(fw.indicator_ids), [d.id for d in fw.dimensions]
(36, ['P1', 'P2', 'P3', 'P4'])
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from ronghe.errors import FrameworkError
from ronghe.frameworks.formula import Formula, parse
from ronghe.frameworks.schema import (
    TAG_KINDS,
    Dimension,
    Framework,
    Indicator,
    Tags,
    Variable,
    format_validation_error,
)
from ronghe.frameworks.shipped import shipped_or_file, yaml_ids

__all__ = [
    "TAG_KINDS",
    "Dimension",
    "Formula",
    "Framework",
    "Indicator",
    "Tags",
    "Variable",
    "builtin_path",
    "framework_from_yaml",
    "list_frameworks",
    "load_framework",
    "parse",
]

_BUILTIN = files("ronghe.frameworks") / "builtin"
#: Frameworks shipped beside a dataset of :mod:`ronghe.datasets`: loaded by id like the built-ins,
#: so settings that name them reproduce a run, but not listed among them (each fits its dataset).
DATASET_FRAMEWORKS = {"provinces-demo": ("data", "provinces", "framework.yaml")}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: ~20x faster


def list_frameworks() -> list[str]:
    """Ids of the built-in frameworks."""
    return yaml_ids(_BUILTIN)


def builtin_path(name: str) -> Path:
    """Path of a built-in framework file."""
    if name not in list_frameworks():
        raise FrameworkError(f"no built-in framework {name!r} (built-ins: "
                             f"{', '.join(list_frameworks())})")
    return Path(str(_BUILTIN / f"{name}.yaml"))


def framework_from_yaml(text: str, file: str = "<text>") -> Framework:
    """Validate YAML text; errors are FrameworkError ``file: path: message`` on one line."""
    try:
        body = yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise FrameworkError(f"{file}: {where}not valid YAML ({problem})") from None
    if not isinstance(body, dict):
        raise FrameworkError(f"{file}: a framework file must be a mapping with 'framework' and "
                             "'dimensions' keys")
    try:
        return Framework.model_validate(body)
    except ValidationError as exc:
        raise FrameworkError(f"{file}: {format_validation_error(exc.errors())}") from None
    except FrameworkError as exc:
        raise FrameworkError(f"{file}: {exc}") from None


def load_framework(name_or_path: str | Path) -> Framework:
    """A built-in framework by id (``seed``, ``county``, ``urban-rural``), a dataset's framework by
    id (:data:`DATASET_FRAMEWORKS`) or a YAML file by path."""
    name = str(name_or_path)
    shipped = {n: files("ronghe.datasets").joinpath(*parts)
               for n, parts in DATASET_FRAMEWORKS.items()}
    shipped |= {n: _BUILTIN / f"{n}.yaml" for n in list_frameworks()}  # a built-in id first
    path = shipped_or_file(name, shipped, lambda: FrameworkError(
        f"{name}: neither a built-in framework ({', '.join(list_frameworks())}) nor an existing "
        "file"))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(f"{path}: cannot read ({type(exc).__name__})") from None
    return framework_from_yaml(text, file=str(path))

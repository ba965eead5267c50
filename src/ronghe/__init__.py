"""ronghe (融合): measure, diagnose and plan urban-rural integration for Chinese counties.

>>> from ronghe import Study, datasets
>>> result = Study(datasets.synthetic_counties(seed=0), "seed").evaluate()   # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Study": "ronghe.study",
    "Result": "ronghe.result",
    "Settings": "ronghe.settings",
    "Panel": "ronghe.panel",
    "read_panel": "ronghe.panel",
}
__all__ = ["Panel", "Result", "Settings", "Study", "__version__", "datasets", "read_panel"]


def __getattr__(name: str) -> Any:
    """Import the public objects on first use, so ``import ronghe.methods`` stays light."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    if name == "datasets":
        return import_module("ronghe.datasets")
    raise AttributeError(f"module 'ronghe' has no attribute {name!r}")

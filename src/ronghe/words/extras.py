"""The optional parts of ronghe (pip extras) and the one message that names the extra to install.

Each extra in pyproject.toml that a code path needs has an entry in ``extras.toml``: what it
enables, in Chinese and English. A code path imports an extra's modules lazily and, when one is
missing, raises ``missing_extra(extra, exc.name)``: a one-line RongheError naming
``pip install "ronghe[extra]"`` and the missing module.
"""

from __future__ import annotations

from ronghe.errors import RongheError
from ronghe.words import Catalogue

__all__ = ["EXTRA_FEATURES", "extra_message", "missing_extra"]

_WORDS = Catalogue("extras.toml")
EXTRA_FEATURES = _WORDS.take("EXTRA_FEATURES", dict[str, tuple[str, str]])
_WORDS.close()


def extra_message(extra: str) -> str:
    """The bilingual install hint of ``extra`` (a key of :data:`EXTRA_FEATURES`)."""
    zh, en = EXTRA_FEATURES[extra]
    return (f'{zh}需要可选依赖，请运行 pip install "ronghe[{extra}]" / '
            f'the optional extra for {en}: run pip install "ronghe[{extra}]"')


def missing_extra(extra: str, module: str | None) -> RongheError:
    """The error to raise when ``module`` of ``extra`` cannot be imported."""
    return RongheError(f"{extra_message(extra)} (missing: {module})")

"""The web platform's words: every label, button and message of its pages, as (zh-CN, en) pairs
keyed by the name the templates use (``t("login")``). Dotted keys ``path=value`` label the evaluation
settings an administrator chooses; ``set:path`` labels the setting itself. The words are in
``web.toml``."""

from __future__ import annotations

from ronghe.words import Catalogue

_WORDS = Catalogue("web.toml")
STRINGS = _WORDS.take("STRINGS", dict[str, tuple[str, str]])
_WORDS.close()

"""The language of a web request and the templates' translator; the words themselves are in
:mod:`ronghe.words.web`. The language comes from a ``lang`` query parameter (remembered in a
cookie), Chinese by default."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from ronghe.words import LANGS, lang_index
from ronghe.words.web import STRINGS

__all__ = ["LANGS", "STRINGS", "lang_of", "translator"]


def lang_of(request: Request) -> str:
    """``lang`` query parameter, else the ``lang`` cookie, else Chinese."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in LANGS else "zh"


def translator(lang: str) -> Callable[[str], str]:
    """A function key -> text in ``lang`` (the key itself when unknown); InputError for a
    language other than zh or en."""
    i = lang_index(lang)
    return lambda key: STRINGS[key][i] if key in STRINGS else key

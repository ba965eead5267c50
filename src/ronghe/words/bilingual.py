"""One language out of a bilingual message.

Errors, warnings and notes are written zh first, then en, in one line: ``中文 / English``
(:mod:`ronghe.errors`). A report, brief or page in one language shows only its half.
:func:`in_language` takes it, following the conventions the messages are written in:

- ``中文 / English``: the part before the top-level `` / `` is zh, the part after it en;
- ``中文 / English: detail``: a detail after the English head belongs to both halves (zh gets
  ``中文：detail``), as in ``选项已剔除 / option dropped: cv (...)``;
- a bilingual message quoted inside brackets, ``(中文 / English)`` or ``（中文 / English）``, as a
  note quoting an exception does, is split the same way, however deep.

A `` / `` counts as the language separator only when the text before it has a Chinese character
and the text after it more Latin letters than Chinese ones (a quoted Chinese name may sit in the
English half), so ``Spearman / Kendall`` or ``元 / 月`` stay as they are; a text
with no separator is returned unchanged (apart from the brackets inside it).
"""

from __future__ import annotations

import re

from ronghe.words import lang_index

__all__ = ["in_language", "split_bilingual"]

SEPARATOR = " / "
_OPEN = {"(": ")", "（": "）", "[": "]"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def _top_level(text: str, needle: str) -> list[int]:
    """Positions of ``needle`` in ``text`` outside any brackets."""
    found, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif not stack and text.startswith(needle, i):
            found.append(i)
            i += len(needle)
            continue
        i += 1
    return found


def _groups(text: str, index: int) -> str:
    """``text`` with every bracketed bilingual message reduced to language ``index``."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            depth, j = 0, i
            for j in range(i, len(text)):  # the matching bracket, nested ones skipped
                if text[j] == ch:
                    depth += 1
                elif text[j] == _OPEN[ch]:
                    depth -= 1
                    if depth == 0:
                        break
            if depth == 0:
                out.append(ch + _pick(text[i + 1:j], index) + _OPEN[ch])
                i = j + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _pick(text: str, index: int) -> str:
    for pos in _top_level(text, SEPARATOR):
        zh, en = text[:pos], text[pos + len(SEPARATOR):]
        rest = _outside_brackets(en)
        if not _CJK.search(zh) or len(_CJK.findall(rest)) >= len(_LATIN.findall(rest)):
            continue
        colon = _top_level(en, ": ")
        if colon and not _top_level(zh, "：") and not _top_level(zh, ": "):
            head, detail = en[:colon[0]], en[colon[0] + 2:]
            zh, en = f"{zh}：{detail}", f"{head}: {detail}"
        return _groups(en if index else zh, index)
    return _groups(text, index)


def _outside_brackets(text: str) -> str:
    """``text`` without its bracketed parts (a quoted name may be Chinese in an English half)."""
    out, stack = [], []
    for ch in text:
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif not stack:
            out.append(ch)
    return "".join(out)


def in_language(text: str, lang: str) -> str:
    """The ``lang`` half of a bilingual message (see the module docstring); ``lang`` is ``zh`` or
    ``en``, checked."""
    return _pick(text, lang_index(lang))


def split_bilingual(text: str) -> tuple[str, str]:
    """(zh, en) halves of a bilingual message; a monolingual text comes back twice."""
    return _pick(text, 0), _pick(text, 1)

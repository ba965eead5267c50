"""Which characters count: CJK ideographs, and the runs of them that segmentation sees.

``n_chars`` of a report — the denominator of every density — is the number of CJK ideographs
(Unicode blocks: CJK Unified Ideographs U+4E00-U+9FFF and Extensions A-H, the compatibility
ideographs, plus 〇 U+3007 as used in years like 二〇二三). Whitespace, punctuation (full- or
half-width), digits and Latin letters are not counted: they vary with typesetting and numerals, not
with what the text says.

Chinese writes no spaces between words, so whitespace between two ideographs is a layout artefact
(a hard line break in a PDF or a wrapped TXT): :func:`han_runs` joins across it, so a term broken
over two lines is still found, and maps every position back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002ebef\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
"""Character-class body (for use inside ``[...]``) of the ideographs counted as characters."""

_JOIN = r"[\s\u200b-\u200d\u2060\ufeff]"
_HAN_CHAR = re.compile(f"[{HAN}]")
_HAN_RUN = re.compile(f"[{HAN}](?:{_JOIN}*[{HAN}])*")
_JOINER = re.compile(_JOIN)


def count_han(text: str) -> int:
    """Number of CJK ideographs in ``text`` (the module docstring defines the set)."""
    return len(_HAN_CHAR.findall(text))


def han_runs(text: str) -> Iterator[tuple[str, list[int]]]:
    """Yield each maximal run of ideographs, whitespace inside it removed, with the offset in
    ``text`` of every character of the run (so a hit at run[i:j] spans text[pos[i]:pos[j-1]+1])."""
    for match in _HAN_RUN.finditer(text):
        start = match.start()
        chars: list[str] = []
        positions: list[int] = []
        for i, ch in enumerate(match.group()):
            if not _JOINER.match(ch):
                chars.append(ch)
                positions.append(start + i)
        yield "".join(chars), positions

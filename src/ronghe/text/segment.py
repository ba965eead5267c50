"""Finding policy terms in a text with jieba word segmentation.

Why segmentation rather than substring search: a term is counted only where the text uses it as a
word, and nested terms are never counted twice — 乡村振兴战略 is one hit of 乡村振兴战略, not
also one of 乡村振兴, because segmentation gives every character to exactly one token.

Conventions (deterministic by construction):

- one private ``jieba.Tokenizer`` per term dictionary, built once and cached; jieba's own global
  tokenizer is never touched, so other code adding words to it cannot change ronghe's counts;
- jieba's bundled dictionary only (nothing is downloaded); every term is added with frequency
  ``TERM_FREQ`` = 10^6, above every word of jieba's dictionary (the most frequent, 的, has
  about 3.2·10^5), so the maximum-probability path keeps a term whole next to its neighbours
  and prefers the longest of nested terms (where two terms overlap, as in 和美乡村优先发展, one
  of them wins);
- ``HMM=False``: dictionary-based segmentation only, no guessing of unknown words;
- the text is segmented run by run, a run being a maximal stretch of ideographs with whitespace
  inside it removed (:func:`ronghe.text.chars.han_runs`): punctuation, digits and Latin letters
  end a run, line breaks do not;
- jieba's start-up messages (it logs to stderr) are silenced by setting its logger to WARNING.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache

from ronghe.text.chars import han_runs
from ronghe.text.terms import CATEGORIES, TermDictionary
from ronghe.words.extras import missing_extra

TERM_FREQ = 10**6


@dataclass(frozen=True)
class Hit:
    """One occurrence of a term: ``text[start:end]`` holds it (maybe with a line break inside)."""

    term: str
    category: str
    start: int
    end: int


def find_hits(text: str, terms: TermDictionary) -> list[Hit]:
    """Every occurrence of a dictionary term in ``text``, in text order."""
    tokenizer = _tokenizer(tuple((c, terms.terms[c]) for c in CATEGORIES))
    category_of = terms.category_of
    hits = []
    for run, positions in han_runs(text):
        for word, i, j in tokenizer.tokenize(run, HMM=False):
            cat = category_of.get(word)
            if cat is not None:
                hits.append(Hit(word, cat, positions[i], positions[j - 1] + 1))
    return hits


def segment(text: str, terms: TermDictionary) -> list[str]:
    """The tokens ronghe's segmentation gives the runs of ideographs in ``text`` (to inspect)."""
    tokenizer = _tokenizer(tuple((c, terms.terms[c]) for c in CATEGORIES))
    return [w for run, _ in han_runs(text) for w in tokenizer.lcut(run, HMM=False)]


@lru_cache(maxsize=8)
def _tokenizer(entries: tuple[tuple[str, tuple[str, ...]], ...]):
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which newer setuptools flag as deprecated
        warnings.simplefilter("ignore")
        try:
            import jieba
        except ImportError as exc:
            raise missing_extra("text", exc.name) from exc
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for _, words in entries:
        for word in words:
            tokenizer.add_word(word, freq=TERM_FREQ)
    return tokenizer

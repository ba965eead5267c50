"""Policy-term dictionaries: the words whose frequency measures attention in work reports.

A dictionary is a YAML file with three categories, each a list of Chinese words:

- ``rural_priority`` — the countryside put first (乡村振兴, 农业农村优先发展 …);
- ``integration`` — town and country as one system (城乡融合, 要素双向流动, 三权分置 …);
- ``city_centred`` — growth-first, city-centred development (城市扩张, 土地财政, 中心城区 …).

The built-in dictionary (``terms_zh.yaml`` beside this module) is seeded from the vocabulary of the
seed papers. A user file either replaces it (all three categories with ``terms:``) or, with
``extends: builtin``, edits it per category with ``add:`` and ``remove:`` lists.

Rules checked on load, each failure an :class:`~ronghe.errors.InputError` naming the file and term:
a term is 2-20 CJK ideographs of U+4E00-U+9FD5 (the range jieba segments; no spaces, digits or
punctuation — words, not sentences) and belongs to exactly one category.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ronghe.errors import InputError

CATEGORIES = ("rural_priority", "integration", "city_centred")
"""The three categories every dictionary has, in output order."""

BUILTIN_FILE = "terms_zh.yaml"
_TERM = re.compile(r"^[\u4e00-\u9fd5]{2,20}$")  # the ideographs jieba segments as words


@dataclass(frozen=True)
class TermDictionary:
    """Terms per category, with the name and content hash that identify it in provenance.

    ``terms`` maps each category of :data:`CATEGORIES` to a tuple of words, sorted.
    ``digest`` is the SHA-256 of the canonical term list, so two files with the same words in a
    different order or with different comments have the same digest.
    """

    name: str
    terms: dict[str, tuple[str, ...]]
    labels: dict[str, tuple[str, str]]

    @property
    def category_of(self) -> dict[str, str]:
        """term -> category."""
        return {t: c for c in CATEGORIES for t in self.terms[c]}

    @property
    def digest(self) -> str:
        canonical = "\n".join(f"{c}\t{t}" for c in CATEGORIES for t in self.terms[c])
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def describe(self) -> str:
        """One line naming the dictionary for provenance: name, size and digest prefix."""
        n = sum(len(v) for v in self.terms.values())
        return f"{self.name} ({n} terms, sha256 {self.digest[:12]})"


def builtin_terms_path() -> Path:
    """Path of the built-in dictionary file shipped in the package."""
    return Path(str(resources.files("ronghe.text").joinpath(BUILTIN_FILE)))


def load_terms(path: str | Path | None = None) -> TermDictionary:
    """Load a term dictionary: the built-in one when ``path`` is None, else the user file."""
    builtin = _parse(builtin_terms_path(), base=None)
    if path is None:
        return builtin
    return _parse(Path(path), base=builtin)


def _parse(path: Path, base: TermDictionary | None) -> TermDictionary:
    file = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("term dictionary not found / 找不到术语词典文件", file=file) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = f"not a UTF-8 YAML file / 不是 UTF-8 YAML 文件: {exc}".splitlines()[0]
        raise InputError(reason, file=file) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("categories"), dict):
        raise InputError("expected a mapping with a 'categories' key / 缺少 categories", file=file)
    extends = raw.get("extends")
    if extends not in (None, "builtin"):
        raise InputError("'extends' must be 'builtin' or absent", file=file, value=extends)
    if extends == "builtin" and base is None:
        raise InputError("the built-in dictionary cannot extend itself", file=file)
    cats = raw["categories"]
    unknown = sorted(set(cats) - set(CATEGORIES))
    if unknown:
        raise InputError(
            f"unknown category / 未知类别 {unknown[0]!r}; expected {', '.join(CATEGORIES)}",
            file=file,
        )
    terms: dict[str, tuple[str, ...]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for cat in CATEGORIES:
        spec = cats.get(cat)
        if spec is None and extends == "builtin":
            terms[cat], labels[cat] = base.terms[cat], base.labels[cat]  # type: ignore[union-attr]
            continue
        if not isinstance(spec, dict):
            raise InputError(f"category {cat!r} missing or not a mapping / 类别缺失", file=file)
        if extends == "builtin":
            words = set(base.terms[cat])  # type: ignore[union-attr]
            words |= set(_words(spec, "add", cat, file))
            removed = _words(spec, "remove", cat, file)
            missing = [w for w in removed if w not in words]
            if missing:
                raise InputError(
                    f"cannot remove a term that is not in category {cat!r}",
                    file=file,
                    value=missing[0],
                )
            words -= set(removed)
            default_labels = base.labels[cat]  # type: ignore[union-attr]
        else:
            if "terms" not in spec:
                raise InputError(f"category {cat!r} has no 'terms' list", file=file)
            words = set(_words(spec, "terms", cat, file))
            default_labels = (cat, cat)
        terms[cat] = tuple(sorted(words))
        labels[cat] = (
            str(spec.get("label_zh", default_labels[0])),
            str(spec.get("label_en", default_labels[1])),
        )
    seen: dict[str, str] = {}
    for cat in CATEGORIES:
        for word in terms[cat]:
            if word in seen:
                raise InputError(
                    f"term in two categories / 术语重复: {seen[word]} and {cat}",
                    file=file,
                    value=word,
                )
            seen[word] = cat
    if not seen:
        raise InputError("the dictionary has no terms / 词典为空", file=file)
    return TermDictionary(name=str(raw.get("name", path.stem)), terms=terms, labels=labels)


def _words(spec: dict, key: str, cat: str, file: str) -> list[str]:
    values = spec.get(key, [])
    if not isinstance(values, list):
        raise InputError(f"category {cat!r}: '{key}' must be a list of words", file=file)
    for word in values:
        if not isinstance(word, str) or not _TERM.match(word):
            raise InputError(
                f"category {cat!r}: a term must be 2-20 Chinese characters without spaces or "
                "punctuation / 术语须为 2-20 个汉字",
                file=file,
                value=word,
            )
    return values

"""Term dictionaries: the built-in file, user overrides and the rules every term obeys."""

from __future__ import annotations

import re

import pytest
import yaml

from ronghe.errors import InputError
from ronghe.text import CATEGORIES, builtin_terms_path, load_terms

SEED_TERMS = {
    # compound terms named in the issue and in the seed papers, with the category they belong to
    "城乡融合": "integration",
    "乡村振兴": "rural_priority",
    "一网通办": "integration",
    "三权分置": "integration",
    "集体经营性建设用地入市": "integration",
    "农业农村优先发展": "rural_priority",
    "城乡一体化": "integration",
    "要素双向流动": "integration",
    "城市扩张": "city_centred",
    "土地财政": "city_centred",
    "中心城区": "city_centred",
}


def test_builtin_dictionary_holds_the_seed_vocabulary():
    d = load_terms()
    assert d.name == "ronghe-builtin"
    for term, cat in SEED_TERMS.items():
        assert d.category_of[term] == cat, term
    for cat in CATEGORIES:
        assert len(d.terms[cat]) >= 25
        assert list(d.terms[cat]) == sorted(d.terms[cat])


def test_builtin_terms_are_words_not_sentences():
    raw = yaml.safe_load(builtin_terms_path().read_text(encoding="utf-8"))
    for cat in CATEGORIES:
        for term in raw["categories"][cat]["terms"]:
            assert re.fullmatch(r"[\u4e00-\u9fd5]{2,11}", term), term


def test_digest_ignores_order_and_comments(tmp_path):
    d = load_terms()
    user = {
        "name": "mine",
        "categories": {c: {"terms": list(reversed(d.terms[c]))} for c in CATEGORIES},
    }
    path = tmp_path / "mine.yaml"
    path.write_text("# my copy\n" + yaml.safe_dump(user, allow_unicode=True), encoding="utf-8")
    mine = load_terms(path)
    assert mine.name == "mine"
    assert mine.digest == d.digest
    assert mine.describe().startswith(f"mine ({sum(len(v) for v in d.terms.values())} terms")


def test_user_file_replaces_the_builtin(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "categories:\n"
        "  rural_priority: {terms: [乡村振兴]}\n"
        "  integration: {terms: [城乡融合, 三权分置]}\n"
        "  city_centred: {terms: [土地财政]}\n",
        encoding="utf-8",
    )
    d = load_terms(path)
    assert d.terms == {
        "rural_priority": ("乡村振兴",),
        "integration": ("三权分置", "城乡融合"),
        "city_centred": ("土地财政",),
    }
    assert d.name == "t"


def test_extends_builtin_adds_and_removes(tmp_path):
    path = tmp_path / "ext.yaml"
    path.write_text(
        "extends: builtin\n"
        "categories:\n"
        "  city_centred:\n"
        "    add: [招商引资]\n"
        "    remove: [城市更新]\n",
        encoding="utf-8",
    )
    base, d = load_terms(), load_terms(path)
    assert set(d.terms["city_centred"]) == set(base.terms["city_centred"]) - {"城市更新"} | {
        "招商引资"
    }
    assert d.terms["integration"] == base.terms["integration"]
    assert d.labels["city_centred"] == base.labels["city_centred"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("categories:\n  rural_priority: {terms: [乡村振兴]}\n", "category 'integration' missing"),
        ("categories: {other: {terms: [乡村振兴]}}\n", "unknown category"),
        (
            "categories:\n  rural_priority: {terms: [乡村振兴]}\n"
            "  integration: {terms: [乡村振兴]}\n  city_centred: {terms: [土地财政]}\n",
            "term in two categories",
        ),
        (
            "categories:\n  rural_priority: {terms: [推进乡村振兴。]}\n  integration: {terms: []}\n"
            "  city_centred: {terms: []}\n",
            "2-20 Chinese characters",
        ),
        (
            "categories:\n  rural_priority: {terms: [城 乡]}\n  integration: {terms: []}\n"
            "  city_centred: {terms: []}\n",
            "2-20 Chinese characters",
        ),
        (
            "categories:\n  rural_priority: {terms: []}\n  integration: {terms: []}\n"
            "  city_centred: {terms: []}\n",
            "no terms",
        ),
        ("extends: builtin\ncategories:\n  city_centred: {remove: [乡村振兴]}\n", "cannot remove"),
        ("extends: other\ncategories: {}\n", "'extends' must be"),
        ("[1, 2]\n", "'categories'"),
        ("categories: {a: [\n", "not a UTF-8 YAML"),
    ],
)
def test_bad_dictionary_names_file_and_problem(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as info:
        load_terms(path)
    assert info.value.file == str(path)


def test_missing_dictionary_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_terms(tmp_path / "none.yaml")

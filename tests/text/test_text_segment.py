"""Segmentation and term hits: compound terms stay whole, planted counts come back exactly."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.text import find_hits, load_terms, segment
from ronghe.text.chars import count_han, han_runs

TERMS = load_terms()
COMPOUNDS = ["城乡融合", "乡村振兴", "一网通办", "三权分置", "集体经营性建设用地入市"]
# neutral phrases: no dictionary term, and chosen so that their edges combine with term edges
# into ordinary words (推进 + 城乡 -> 进城, 建设 + 用地 ...), which segmentation must resist; not
# 发展, which after some terms makes a longer term (乡村优先 + 发展 = 乡村优先发展)
FILLERS = [
    "推进",
    "深化",
    "加快",
    "我们要",
    "进一步",
    "全年经济运行平稳",
    "坚持",
    "各项工作取得明显成效",
    "建设",
    "改革",
    "县里",
    "今年",
    "稳步",
]
NOISE = st.text(alphabet=" \t\n\r\u3000abcXYZ0123456789.,;:!?-_()[]/", min_size=0, max_size=6)


def counts(text: str) -> Counter:
    return Counter(h.term for h in find_hits(text, TERMS))


def test_compound_terms_stay_whole_alone_and_next_to_words():
    for term in COMPOUNDS:
        assert segment(term, TERMS) == [term]
        for left in ("推进", "全面推进", "深化", "探索", "完善农村土地", "县域"):
            for right in ("改革", "发展", "工作", "试点", "建设", "取得成效"):
                tokens = segment(left + term + right, TERMS)
                # the term is one token, or inside a longer term (城乡融合 + 发展 = 城乡融合发展)
                whole = [t for t in tokens if term in t and t in TERMS.category_of]
                assert len(whole) == 1, (left, term, right, tokens)


def test_compound_terms_adjacent_to_each_other():
    text = "".join(COMPOUNDS) + "城乡融合乡村振兴"
    assert counts(text) == Counter(COMPOUNDS) + Counter(["城乡融合", "乡村振兴"])


def test_nested_terms_counted_once_as_the_longest():
    # 乡村振兴战略 contains 乡村振兴; 城乡融合发展 contains 城乡融合; 要素双向流动 contains 双向流动
    text = "实施乡村振兴战略，推动城乡融合发展，促进要素双向流动，实现双向流动。"
    assert counts(text) == Counter(["乡村振兴战略", "城乡融合发展", "要素双向流动", "双向流动"])


def test_hits_carry_offsets_into_the_original_text():
    text = "一、总体要求\n推进城乡\n融合，守住土地财政底线。Section 2：三权 分置。"
    hits = find_hits(text, TERMS)
    assert [(h.term, h.category) for h in hits] == [
        ("城乡融合", "integration"),
        ("土地财政", "city_centred"),
        ("三权分置", "integration"),
    ]
    # the term broken over a line break and across a space is found; offsets span the original
    assert text[hits[0].start : hits[0].end] == "城乡\n融合"
    assert (hits[0].start, hits[0].end) == (9, 14)
    assert text[hits[1].start : hits[1].end] == "土地财政"
    assert text[hits[2].start : hits[2].end] == "三权 分置"


def test_punctuation_digits_and_latin_break_a_term():
    assert counts("城乡，融合 城乡1融合 城乡A融合 城乡。融合") == Counter()


def test_count_han_counts_ideographs_only():
    # 二〇二三年 (5, 〇 included) + 增长 (2) + 城乡融合 (4); digits, Latin, spaces and both
    # full- and half-width punctuation excluded
    assert count_han("二〇二三年，GDP 增长5.2%。城乡融合! ") == 5 + 2 + 4
    assert count_han("abc 123 ，。！") == 0


def test_han_runs_map_positions():
    runs = list(han_runs("ab城 乡\n融合cd土地"))
    assert runs == [("城乡融合", [2, 4, 6, 7]), ("土地", [10, 11])]


def test_segmentation_ignores_jieba_global_state():
    import jieba

    text = "推进城乡融合发展"
    before = counts(text)
    jieba.add_word("推进城乡", freq=10**9)  # another library changing jieba's global tokenizer
    try:
        assert counts(text) == before == Counter(["城乡融合发展"])
    finally:
        jieba.del_word("推进城乡")


plan = st.lists(
    st.tuples(st.sampled_from(sorted(TERMS.category_of)), st.sampled_from(FILLERS)),
    min_size=0,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(plan, st.sampled_from(FILLERS), st.data())
def test_planted_counts_exact_and_invariant_to_noise(pairs, head, data):
    text = head + "".join(term + filler for term, filler in pairs)
    planted = Counter(term for term, _ in pairs)
    assert counts(text) == planted
    # insert whitespace / ASCII noise at every boundary between a term and its neighbours
    pieces = [head]
    for term, filler in pairs:
        pieces += [data.draw(NOISE), term, data.draw(NOISE), filler]
    noisy = "".join(pieces)
    assert counts(noisy) == planted
    assert count_han(noisy) == count_han(text) == len(re.sub(r"[^\u4e00-\u9fff]", "", text))

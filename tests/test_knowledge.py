"""Knowledge base: schema, cross-references, seed citations, own words, framework tags, lookups."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ronghe.errors import FrameworkError, InputError
from ronghe.knowledge import KnowledgeBase, Route, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "src" / "ronghe" / "knowledge"
FRAMEWORK_DIR = ROOT / "src" / "ronghe" / "frameworks" / "builtin"
SEEDS = ROOT.parent / "shared" / "seeds"
CJK = re.compile(r"[\u4e00-\u9fff]")

KB = load_knowledge()


def _all_entries(kb: KnowledgeBase):
    yield from (*kb.values, *kb.pillars, *kb.obstacles, *kb.paths, *kb.mechanisms, *kb.types)
    for m in kb.mechanisms:
        yield from m.sub_paths


def _all_routes(kb: KnowledgeBase) -> list[Route]:
    return [*kb.paths, *kb.mechanisms, *(sp for m in kb.mechanisms for sp in m.sub_paths)]


# ---- contents -------------------------------------------------------------------------------


def test_ids_are_the_seed_system():
    assert [v.id for v in KB.values] == ["V1", "V2", "V3", "V4"]
    assert [p.id for p in KB.pillars] == ["P1", "P2", "P3", "P4"]
    assert [o.id for o in KB.obstacles] == ["O1", "O2", "O3", "O4"]
    assert [p.id for p in KB.paths] == ["R1", "R2", "R3", "R4"]
    assert [m.id for m in KB.mechanisms] == ["M1", "M2", "M3", "M4"]
    subs = [sp.id for m in KB.mechanisms for sp in m.sub_paths]
    assert subs == ["M1a", "M1b", "M1c", "M2a", "M2b", "M2c", "M4a", "M4b", "M4c"]
    assert [r.id for r in KB.routes] == ["R1", "R2", "R3", "R4", *subs[:6], "M3", *subs[6:]]
    assert {t.obstacle for t in KB.types} == {"O1", "O2", "O3", "O4", None}


def test_texts_are_bilingual_and_nonempty():
    for e in _all_entries(KB):
        assert CJK.search(e.name_zh) and CJK.search(e.summary_zh), e.id
        assert not CJK.search(e.name_en) and not CJK.search(e.summary_en), e.id
        assert e.name("zh") == e.name_zh and e.summary("en") == e.summary_en
        # 1-3 sentences of our own
        assert 1 <= len(re.findall(r"[。！？]", e.summary_zh)) <= 3, e.id
        assert " " not in e.summary_zh, f"{e.id}: a YAML fold put a space into Chinese text"
    for r in KB.routes:
        for a in r.actions:
            assert CJK.search(a.zh) and not CJK.search(a.en), r.id
            assert a.text("en") == a.en


def test_every_obstacle_has_a_path_and_paths_follow_framework():
    for o in KB.obstacles:
        assert any(o.id in p.obstacles for p in KB.paths), o.id
    # FRAMEWORK.md: R1 for O1, R2 for O2, R3 for O3, R4 for O4
    assert [p.obstacles for p in KB.paths] == [("O1",), ("O2",), ("O3",), ("O4",)]
    known = {o.id for o in KB.obstacles}
    for r in _all_routes(KB):
        assert set(r.obstacles) <= known, r.id


def test_every_route_is_triggered_and_actionable():
    for r in KB.routes:
        assert r.triggers.tags or r.triggers.indicators, r.id
        assert len(r.actions) >= 2, r.id


def test_types_have_dominant_paths_answering_their_obstacle():
    for t in KB.types:
        if t.obstacle is None:
            assert t.dominant_path is None and set(t.supporting) == {"R1", "R2", "R3", "R4"}
        else:
            assert t.obstacle in KB.route(t.dominant_path).obstacles
    ids = {t.id for t in KB.types}
    assert {"service-lagging", "factor-blocked", "spatially-unbalanced", "awareness-lagging"} <= ids
    assert KB.type("service-lagging").obstacle == "O3"
    assert KB.type("factor-blocked").dominant_path == "R4"
    assert KB.type_for_obstacle(None).name("zh") == "综合均衡型"


# ---- the framework catalogue ------------------------------------------------------------------


def _framework_catalogue() -> tuple[set[str], set[str]]:
    files = sorted(FRAMEWORK_DIR.glob("*.yaml"))
    if not files:
        pytest.skip("built-in frameworks (src/ronghe/frameworks/builtin/*.yaml) not present yet")
    ids: set[str] = set()
    tags: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "id" in node and isinstance(node.get("tags"), dict):
                ids.add(node["id"])
                for values in node["tags"].values():
                    tags.update(values or [])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for f in files:
        walk(yaml.safe_load(f.read_text(encoding="utf-8")))
    return ids, tags


def test_referenced_tags_and_indicators_exist_in_some_framework():
    ids, tags = _framework_catalogue()
    assert ids, "no tagged indicator found in the built-in frameworks"
    assert KB.referenced_tags() - tags == set()
    assert KB.referenced_indicators() - ids == set()
    # the helpers really collect every reference (the check above cannot pass vacuously)
    assert {"O1", "O3", "M3", "P1"} <= KB.referenced_tags()
    assert {"hukou_gap", "beds_per_1000", "online_service_rate"} <= KB.referenced_indicators()


# ---- the seeds ---------------------------------------------------------------------------------


def _seed(paper: str) -> str:
    files = sorted(SEEDS.glob(f"{paper}_*.txt"))
    if not files:
        pytest.skip(f"seed paper {paper} not available at {SEEDS}")
    return files[0].read_text(encoding="utf-8")


NUMERALS = "一二三四五六七八九十"


def _section(text: str, sec: str) -> str:
    start = re.search(rf"(?m)^[#\s]*{sec}[　、]", text)
    assert start, f"section {sec} not found"
    end = re.compile(rf"(?m)^[#\s]*[{NUMERALS}]+[　、]").search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def _sub(text: str, sub: str) -> str:
    start = text.find(f"（{sub}）")
    assert start >= 0, f"sub-section ({sub}) not found"
    end = re.compile(rf"（[{NUMERALS}]+）").search(text, start + 3)
    return text[start : end.start() if end else len(text)]


def test_section_locator_on_a_known_heading():
    text = _seed("000")
    assert "城市本位" in _sub(_section(text, "四"), "一")
    assert "教育发展不均衡" in _sub(_section(text, "四"), "三")
    assert "一核多元" in _sub(_section(_seed("002"), "三"), "三")


def test_citations_point_to_existing_seed_sections():
    from ronghe.knowledge.models import CITE_PATTERN

    for e in _all_entries(KB):
        for cite in e.cite:
            m = CITE_PATTERN.match(cite)
            text = _seed(m["paper"])
            if m["sec"] is None:
                assert "摘" in text, cite
                continue
            part = _section(text, m["sec"])
            if m["sub"]:
                part = _sub(part, m["sub"])
            if m["item"]:
                assert re.search(rf"(?m)^[#\s]*{m['item']}\.", part), f"{e.id}: {cite}"


# Named reforms quoted as terms of art, not sentences.
TERMS = ("集体经营性建设用地入市",)
WINDOW = 10


def test_texts_are_our_own_words():
    seed = "".join(re.sub(r"\s+", "", _seed(p)) for p in ("000", "002"))
    texts = [(e.id, e.summary_zh) for e in _all_entries(KB)]
    texts += [(r.id, a.zh) for r in KB.routes for a in r.actions]
    for item, text in texts:
        for term in TERMS:
            text = text.replace(term, "|")
        for i in range(len(text) - WINDOW + 1):
            window = text[i : i + WINDOW]
            assert window not in seed, f"{item} copies the seed: {window}"
    english = re.sub(r"\s+", " ", _seed("002")).lower()
    for e in _all_entries(KB):
        words = e.summary_en.lower().split()
        for i in range(len(words) - 5):
            assert " ".join(words[i : i + 6]) not in english, e.id


def test_copy_detector_catches_a_copied_sentence():
    seed = re.sub(r"\s+", "", _seed("000"))
    copied = "城乡融合发展思想认知有待提升"
    assert any(copied[i : i + WINDOW] in seed for i in range(len(copied) - WINDOW + 1))


# ---- lookups -----------------------------------------------------------------------------------


def test_obstacle_and_item_lookups():
    assert KB.obstacle("O3").name("en") == "Lagging public-service system"
    assert KB.name("R2", "zh") == "强化规划引领"
    assert KB.mechanism("M1b").id == "M1"
    assert KB.route("M3").kind == "mechanism" and KB.route("R1").kind == "path"
    with pytest.raises(InputError, match="unknown obstacle 'O9'"):
        KB.obstacle("O9")
    with pytest.raises(InputError, match="unknown typology type"):
        KB.type("nope")
    with pytest.raises(InputError, match="lang must be zh or en, got 'fr'"):
        KB.obstacle("O1").name("fr")
    with pytest.raises(InputError, match="unknown path or mechanism"):
        KB.route("O1")


def test_paths_for_obstacle():
    # O3 is answered by R3 and by M1a (equal services for migrants), M3 (utilities), M4b (one-stop).
    assert [r.id for r in KB.paths_for_obstacle("O3")] == ["R3", "M1a", "M3", "M4b"]
    assert [r.id for r in KB.paths_for_obstacle("O3", kind="path")] == ["R3"]
    assert [r.id for r in KB.paths_for_obstacle("O1", kind="mechanism")] == ["M4a"]
    for o in ("O1", "O2", "O3", "O4"):
        assert all(o in r.obstacles for r in KB.paths_for_obstacle(o))


def test_paths_for_tags_hand_example():
    # R3 triggers: tags O3, P3 + nine service indicators; M3: tag M3 + water_gap among others.
    got = KB.paths_for_tags({"O3", "P3", "M3"}, ["beds_per_1000", "water_gap"])
    assert [(m.route.id, m.tags, m.indicators) for m in got[:2]] == [
        ("R3", ("O3", "P3"), ("beds_per_1000", "water_gap")),
        ("M3", ("M3",), ("water_gap",)),
    ]
    framework_style = {"pillar": ["P3"], "mechanism": ["M3"], "obstacle": ["O3"]}
    again = KB.paths_for_tags(framework_style, ["beds_per_1000", "water_gap"])
    assert [m.route.id for m in again] == [m.route.id for m in got]
    assert KB.paths_for_tags(["urban"]) == []
    assert [m.route.id for m in KB.paths_for_tags("O1")] == ["R1", "M4a"]


ALL_TAGS = sorted(KB.referenced_tags() | {"urban", "rural", "V1"})
ALL_INDICATORS = sorted(KB.referenced_indicators() | {"consumption_ratio"})


@given(
    st.sets(st.sampled_from(ALL_TAGS)),
    st.sets(st.sampled_from(ALL_INDICATORS)),
)
def test_paths_for_tags_evidence_is_sound_and_complete(tags, indicators):
    got = KB.paths_for_tags(tags, indicators)
    found = {m.route.id for m in got}
    for m in got:
        assert m.tags or m.indicators
        assert set(m.tags) <= tags & set(m.route.triggers.tags)
        assert set(m.indicators) <= indicators & set(m.route.triggers.indicators)
    for r in KB.routes:
        hit = tags & set(r.triggers.tags) or indicators & set(r.triggers.indicators)
        assert (r.id in found) == bool(hit)
    keys = [(len(m.indicators), len(m.tags)) for m in got]
    assert keys == sorted(keys, reverse=True)


# ---- invalid knowledge bases -------------------------------------------------------------------


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    for f in KB_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    target = tmp_path / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_copy_of_builtin_loads(tmp_path):
    kb = load_knowledge(_broken(tmp_path, "paths.yaml", "R1", "R1"))
    assert kb == KB


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("paths.yaml", "obstacles: [O2]", "obstacles: [O3]", "obstacle O2 is answered by no path"),
        ("paths.yaml", "obstacles: [O1]", "obstacles: [O9]", "R1 answers unknown obstacle O9"),
        ("paths.yaml", "tags: [O1]", "tags: [X1]", "R1 is triggered by unknown tag X1"),
        ("paths.yaml", '"000 §五(一)"', '"000 section 5"', "paths.yaml, paths.0.cite"),
        ("types.yaml", "dominant_path: R3", "dominant_path: R9", "unknown route R9"),
        ("types.yaml", "obstacle: O4", "obstacle: O3", "two types share"),
        ("mechanisms.yaml", "- id: M1b", "- id: M2x", "must be named M1a, M1b"),
        ("concepts.yaml", "- id: V2", "- id: V1", "id V1 is used twice"),
        ("paths.yaml", "    name_zh: 深化思想认知\n", "", "paths.yaml, paths.0.name_zh"),
        ("types.yaml", "types:", "typez:", "types.yaml: unknown section 'typez'"),
        ("types.yaml", "types:", "paths:", "section 'paths' also appears"),
        ("paths.yaml", "  - id: R1", "  - id: [R1", "paths.yaml, line"),
    ],
)
def test_invalid_knowledge_base_is_reported(tmp_path, file, old, new, message):
    folder = _broken(tmp_path, file, old, new)
    with pytest.raises(FrameworkError, match=re.escape(message)):
        load_knowledge(folder)


def test_empty_directory_is_reported(tmp_path):
    with pytest.raises(FrameworkError, match="no knowledge-base"):
        load_knowledge(tmp_path)

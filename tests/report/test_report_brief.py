"""The county brief opens with python-docx and holds the region's name, grade, position and paths."""

from __future__ import annotations

import docx
import pytest

from ronghe.errors import InputError
from ronghe.knowledge import load_knowledge
from ronghe.report.brief import write_brief

REGION = "130123"


def _text(path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _expected_paths(result, lang: str) -> list[str]:
    kb = load_knowledge()
    if hasattr(result, "diagnose"):
        return [f"{p['route']} {kb.name(p['route'], lang)}"
                for p in result.diagnose(REGION, 2023).to_dict()["paths"]]
    cats = result.obstacles.loc[(REGION, 2023), "category"].drop("other", errors="ignore")
    return [f"{r.id} {r.name(lang)}" for r in kb.paths_for_obstacle(cats.idxmax(), "path")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_brief_holds_name_grade_position_and_paths(result, tmp_path, lang) -> None:
    path = write_brief(result, tmp_path / f"brief-{lang}.docx", REGION, lang=lang)
    text = _text(path)
    row = result.coupling.query("region == @REGION and year == 2023").iloc[0]
    idx = result.index.query("region == @REGION and year == 2023").iloc[0]
    assert "正定县" in text
    subject = getattr(result.framework.info, f"name_{lang}")
    assert docx.Document(str(path)).paragraphs[0].text == (
        f"正定县（{REGION}）{subject}简报" if lang == "zh" else
        f"{subject}: brief on 正定县 ({REGION})")  # titled for what the framework measures
    assert f"{row['grade']} {row['grade_zh'] if lang == 'zh' else row['grade_en']}" in text
    assert f"{idx['index']:.4f}" in text and f"{row['D']:.4f}" in text
    assert (f"第 {idx['rank']} 位" if lang == "zh" else f"rank {idx['rank']} of") in text
    paths = _expected_paths(result, lang)
    assert paths
    for p in paths:
        assert p in text
    doc = docx.Document(str(path))
    assert len(doc.inline_shapes) == 1  # the trend figure
    assert doc.inline_shapes[0].width > 0


def test_brief_of_unknown_region(result, tmp_path) -> None:
    with pytest.raises(InputError, match="region 000000"):
        write_brief(result, tmp_path / "x.docx", "000000")


def test_brief_without_obstacle_tags_says_so(tmp_path) -> None:
    from ronghe import datasets
    from ronghe.study import Study

    result = Study(datasets.provinces(), datasets.provinces_framework()).evaluate()
    text = _text(write_brief(result, tmp_path / "bj.docx", "110000", lang="en"))
    rank = result.index.query("region == '110000' and year == 2023")["rank"].item()
    assert "北京市" in text
    assert f"rank {rank} of 31 regions." in text  # no rank within a province of one region
    assert "so no path can be recommended" in text
    assert "no peer regions are listed" in text


def test_brief_is_a4_government_layout_with_page_numbers(result, tmp_path) -> None:
    """Issue 18: A4 with the GB/T 9704 margins, 仿宋 body, 黑体 headings and a PAGE field."""
    from docx.oxml.ns import qn
    path = write_brief(result, tmp_path / "a4.docx", "130123")
    doc = docx.Document(str(path))
    section = doc.sections[0]
    got = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.top_margin,
                                     section.bottom_margin, section.left_margin,
                                     section.right_margin)]
    assert got == [210, 297, 37, 35, 28, 26]
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text

    def east_asian(name: str) -> str:
        return doc.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "仿宋" and east_asian("Heading 1") == "黑体"

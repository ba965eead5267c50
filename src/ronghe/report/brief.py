"""The county brief: one region on one or two A4 pages as a Word document (python-docx), for
officials to forward — position (rank among all regions and within the province), trend (a small
figure), grade, leading obstacles, recommended paths and peers.

Paths and peers come from the region's diagnosis (``Result.diagnose``) when the Result offers one;
otherwise the paths are the knowledge base's paths for the region's largest obstacle category, no
peers are listed, and the brief says so (see :mod:`ronghe.report.content`). Text is written in the
language asked; the trend figure follows :func:`ronghe.report.style.resolve_style` (English labels
when no CJK font is installed). Chinese text uses the East Asian font slot of Word's style.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from ronghe.errors import InputError
from ronghe.report.content import Profile, ReportContent, build_content
from ronghe.report.figures import region_trend
from ronghe.report.style import resolve_style
from ronghe.words import check_lang
from ronghe.words.extras import missing_extra

if TYPE_CHECKING:
    from docx.document import Document

    from ronghe.result import Result

__all__ = ["write_brief"]

#: GB/T 9704-2012 (党政机关公文格式): A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
#: title in 2号小标宋 (22 pt), headings in 3号黑体, body in 3号仿宋 (16 pt) on a fixed 28 pt line,
#: page numbers in 4号 (14 pt) as "— 1 —" at the foot. Word substitutes an installed CJK font
#: where a named one is absent, so the brief opens everywhere and is 仿宋 wherever 仿宋 exists.
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
FIGURE_WIDTH_CM = 14.0
FIGURE_DPI = 200


def _font(style, east_asian: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _fonts(doc: Document) -> None:
    """Styles after GB/T 9704 (see :data:`BODY_FONT`)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    _font(doc.styles["Normal"], BODY_FONT, 16)
    body = doc.styles["Normal"].paragraph_format
    body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.line_spacing = Pt(28)
    body.space_after = Pt(0)
    _font(doc.styles["List Bullet"], BODY_FONT, 16)
    _font(doc.styles["Title"], TITLE_FONT, 22)
    title = doc.styles["Title"].paragraph_format
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.space_after = Pt(16)
    _font(doc.styles["Heading 1"], HEADING_FONT, 16)


def _page_numbers(section) -> None:
    """"— n —" centred in the footer (a PAGE field, so Word numbers every page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ").font.size = Pt(14)
    run = para.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    para.add_run(" —").font.size = Pt(14)


def _table(doc: Document, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def _trend_png(p: Profile, lang: str) -> bytes:
    style = resolve_style(lang)
    fig = region_trend(p, style, style.region(p.name_zh, p.region))
    buf = io.BytesIO()
    with style.context():
        fig.savefig(buf, format="png", dpi=FIGURE_DPI, metadata={"Software": "ronghe"})
    return buf.getvalue()


def _build(result: Result, c: ReportContent, p: Profile) -> Document:
    import docx
    from docx.shared import Cm, Mm

    t = c.t
    doc = docx.Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(20)
        _page_numbers(section)
    _fonts(doc)

    # titled, like the report page, for what the framework measures
    doc.add_heading(t(f"{p.name_zh}（{p.region}）{c.subject}简报",
                      f"{c.subject}: brief on {p.name_zh} ({p.region})"), level=0)
    fw = result.framework.info
    doc.add_paragraph(t(f"{p.year} 年 · 指标框架：{fw.name_zh} · ", f"{p.year} · framework: "
                        f"{fw.name_en} · ") + c.data_note)

    doc.add_heading(t("一、位置与等级", "1. Position and grade"), level=1)
    kind = f"{t('；障碍类型：', '; obstacle type: ')}{p.type_label}" if p.type_label else ""
    in_province = p.n_in_province > 1
    doc.add_paragraph(t(
        f"综合指数 {p.index:.4f}，在全部 {p.n_regions} 个地区中居第 {p.rank} 位"
        + (f"，在本省 {p.n_in_province} 个地区中居第 {p.rank_in_province} 位" if in_province
           else "")
        + f"。耦合协调度 D = {p.D:.4f}，协调等级：{p.grade} {p.grade_label}{kind}。",
        f"Composite index {p.index:.4f}: rank {p.rank} of {p.n_regions} regions"
        + (f" and {p.rank_in_province} of {p.n_in_province} in its province" if in_province
           else "")
        + f". Coupling coordination D = {p.D:.4f}, grade: {p.grade} {p.grade_label}{kind}.",
    ))

    doc.add_heading(t("二、趋势", "2. Trend"), level=1)
    doc.add_picture(io.BytesIO(_trend_png(p, c.lang)), width=Cm(FIGURE_WIDTH_CM))
    tr = p.trend
    first, last = tr.iloc[0], tr.iloc[-1]
    span = int(last["year"] - first["year"])
    if span > 0:
        per_year = (last["index"] - first["index"]) / span
        mean = "province_mean_index" if in_province else "all_mean_index"
        gap = last["index"] - last[mean]
        whom = (t("本省均值", "the province mean") if in_province
                else t("全部地区均值", "the mean of all regions"))
        doc.add_paragraph(t(
            f"{int(first['year'])}–{int(last['year'])} 年，综合指数由 {first['index']:.4f} 变为 "
            f"{last['index']:.4f}（年均 {per_year:+.4f}），D 由 {first['D']:.4f} 变为 "
            f"{last['D']:.4f}；当前比{whom}{'高' if gap >= 0 else '低'} {abs(gap):.4f}。",
            f"From {int(first['year'])} to {int(last['year'])} the index moved from "
            f"{first['index']:.4f} to {last['index']:.4f} ({per_year:+.4f} a year) and D from "
            f"{first['D']:.4f} to {last['D']:.4f}; it now stands {abs(gap):.4f} "
            f"{'above' if gap >= 0 else 'below'} {whom}.",
        ))

    doc.add_heading(t("三、主要障碍", "3. Leading obstacles"), level=1)
    _table(doc, [t("指标", "Indicator"), t("维度", "Dimension"), t("障碍度", "Obstacle degree")],
           [[o.name, o.dimension_name, f"{o.degree:.1%}"]
            for o in p.top_obstacles.itertuples()])
    doc.add_paragraph(t("障碍类别：", "Obstacle categories: ") + t("，", ", ").join(
        f"{r.label} {r.share:.1%}" for r in p.categories.itertuples()))
    if p.type_reason:
        doc.add_paragraph(t("障碍类型说明：", "Why this type: ") + p.type_reason)

    doc.add_heading(t("四、建议路径", "4. Recommended paths"), level=1)
    if not p.paths:
        doc.add_paragraph(t("框架未把指标标注到障碍类别（O1–O4），无法推荐路径。",
                            "The framework tags no indicator with an obstacle category (O1–O4), "
                            "so no path can be recommended."))
    for pid, name, summary in p.paths:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"{pid} {name}").bold = True
        para.add_run(t("：", ": ") + summary)
    if p.paths and p.paths_source == "knowledge":
        doc.add_paragraph(t("路径依据该地区占比最高的障碍类别，取自知识库。",
                            "Paths follow the region's largest obstacle category, from the "
                            "knowledge base."))

    doc.add_heading(t("五、同类地区", "5. Peers"), level=1)
    doc.add_paragraph(p.peers_note)
    if p.peers:
        _table(doc, [t("地区", "Region"), t("范围", "Scope"), t("之前", "Before"),
                     t("之后", "After"), t("改善", "Improvement")],
               [[f"{q['name_zh']} ({q['region']})",
                 t("省内", "province") if q["scope"] == "province" else t("全国", "national"),
                 f"{q['before']:.4g}", f"{q['after']:.4g}", f"{q['improvement']:+.4g}"]
                for q in p.peers])
    doc.add_paragraph(t(f"由 ronghe 生成；设置哈希 {result.settings_hash}。",
                        f"Generated by ronghe; settings hash {result.settings_hash}."))
    return doc


def write_brief(
    result: Result,
    path: str | Path,
    region: str,
    *,
    lang: str = "zh",
    year: int | None = None,
    content: ReportContent | None = None,
) -> Path:
    """Write the brief of ``region`` (in ``year``, default the last) to ``path`` (.docx); needs
    python-docx (the ``text`` extra)."""
    lang = check_lang(lang)
    try:
        import docx  # noqa: F401
    except ImportError as exc:
        raise missing_extra("text", exc.name) from exc
    c = content
    if c is None or c.lang != lang or not any(p.region == region for p in c.profiles):
        c = build_content(result, lang=lang, region=region, year=year, spatial=False,
                          methods=False)
    profile = next(p for p in c.profiles if p.region == region)
    doc = _build(result, c, profile)
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(out))
    except OSError as exc:
        raise InputError(f"无法写入简报 / cannot write the brief ({exc.strerror})",
                         file=str(out)) from None
    return out

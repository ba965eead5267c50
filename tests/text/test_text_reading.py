"""Reading reports: encodings, DOCX, PDF, naming, listings, and problems that are never fatal."""

from __future__ import annotations

import io

import docx
import pytest

from ronghe.errors import InputError
from ronghe.text import locate_reports, read_report_text, score_reports

TEXT = "二〇二三年政府工作报告\n坚持农业农村优先发展，推进城乡融合，控制土地财政依赖。\n"


def cjk_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is ``text``, shown with the non-embedded Adobe-GB1 font
    STSong-Light through the predefined CMap UniGB-UTF16-H (codes are UTF-16BE)."""
    hex_text = text.encode("utf-16-be").hex().upper()
    content = f"BT /F1 12 Tf 72 720 Td <{hex_text}> Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def figure_pdf(with_text: str | None) -> bytes:
    """A PDF written by matplotlib: a line, and optionally ASCII text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [0, 1])
    if with_text:
        fig.text(0.1, 0.5, with_text)
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    plt.close(fig)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("encoding", "data", "how"),
    [
        ("utf-8", TEXT.encode("utf-8"), "utf-8"),
        ("utf-8-bom", TEXT.encode("utf-8-sig"), "utf-8-sig"),
        ("gbk", TEXT.encode("gbk"), "gb18030"),
        ("gb18030", (TEXT + "𠀀").encode("gb18030"), "gb18030"),
        ("utf-16", TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_txt_encodings(tmp_path, encoding, data, how):
    path = tmp_path / f"130123_2021_{encoding}.txt"
    path.write_bytes(data)
    text, read_as = read_report_text(path)
    assert read_as == how
    assert text.startswith(TEXT)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # the file really is not UTF-8


def test_gbk_file_scores_like_utf8(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "130123_2021.txt").write_bytes(TEXT.encode("gbk"))
    (tmp_path / "b" / "130123_2021.txt").write_bytes(TEXT.encode("utf-8"))
    ma = score_reports(tmp_path / "a").measures.drop(columns=["read_as", "sha256"])
    mb = score_reports(tmp_path / "b").measures.drop(columns=["read_as", "sha256"])
    assert ma.equals(mb)
    # hand count: 农业农村优先发展 (rural_priority), 城乡融合 (integration), 土地财政 (city_centred)
    assert ma.loc[0, ["n_rural_priority", "n_integration", "n_city_centred"]].tolist() == [1, 1, 1]


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("二〇二三年政府工作报告")
    document.add_paragraph("坚持农业农村优先发展。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "三权分置"
    table.cell(0, 1).text = "一网通办"
    document.add_paragraph("控制土地财政依赖。")
    document.sections[0].header.paragraphs[0].text = "城乡融合"  # headers are left out
    path = tmp_path / "130123_2023.docx"
    document.save(path)
    text, how = read_report_text(path)
    assert how == "docx"
    assert (
        text
        == "二〇二三年政府工作报告\n坚持农业农村优先发展。\n三权分置\n一网通办\n控制土地财政依赖。"
    )
    hits = score_reports(tmp_path).hits
    assert hits["term"].tolist() == ["农业农村优先发展", "三权分置", "一网通办", "土地财政"]
    spans = zip(hits["start"], hits["end"], hits["term"], strict=True)
    assert all(text[s:e] == t for s, e, t in spans)


def test_pdf_with_chinese_text_layer(tmp_path):
    sentence = "推进城乡融合和乡村振兴"
    path = tmp_path / "130123_2022.pdf"
    path.write_bytes(cjk_pdf(sentence))
    text, how = read_report_text(path)
    assert how == "pdf, 1 pages"
    assert text.strip() == sentence
    assert score_reports(tmp_path).hits["term"].tolist() == ["城乡融合", "乡村振兴"]


def test_pdf_from_matplotlib_ascii_only_is_reported(tmp_path):
    path = tmp_path / "130123_2022.pdf"
    path.write_bytes(figure_pdf("Work report 2022"))
    with pytest.raises(InputError, match=r"no Chinese characters.*scanned PDF"):
        read_report_text(path)


def test_problems_are_reported_not_fatal(tmp_path):
    (tmp_path / "130123_2021.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "130123_2022.txt").write_bytes(b"")
    (tmp_path / "130123_2023.txt").write_text("Annual report, English only.", encoding="utf-8")
    (tmp_path / "130125_2021.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "130125_2022.docx").write_bytes(b"not a zip file")
    (tmp_path / "130125_2023.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    (tmp_path / "report2021.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "130126_2021.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "130127_2021.txt").write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, broken pair
    (tmp_path / "README.md").write_text("not a report", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    result = score_reports(tmp_path)
    assert result.measures[["region", "year"]].values.tolist() == [["130123", 2021]]
    reasons = dict(zip(result.problems["file"], result.problems["reason"], strict=True))
    assert set(reasons) == {
        "130123_2022.txt",
        "130123_2023.txt",
        "130125_2021.txt",
        "130125_2022.docx",
        "130125_2023.pdf",
        "report2021.txt",
        "130126_2021.doc",
        "130127_2021.txt",
    }
    assert "empty file" in reasons["130123_2022.txt"]
    assert "no Chinese characters" in reasons["130123_2023.txt"]
    assert "binary file" in reasons["130125_2021.txt"]
    assert "not a valid DOCX" in reasons["130125_2022.docx"]
    assert "PDF" in reasons["130125_2023.pdf"]
    assert "<code>_<year>" in reasons["report2021.txt"]
    assert "unsupported file type .doc" in reasons["130126_2021.doc"]
    assert "invalid utf-16" in reasons["130127_2021.txt"]


def test_undecodable_text_is_reported(tmp_path):
    (tmp_path / "130123_2021.txt").write_bytes(b"\x81\x30\xff\xff")  # invalid UTF-8 and GB18030
    result = score_reports(tmp_path)
    assert result.measures.empty
    assert "not UTF-8 or GB18030" in result.problems.loc[0, "reason"]


def test_name_patterns(tmp_path):
    for name in ("130123_2021.txt", "13_2020.TXT", "130123_2022_政府工作报告.txt", "x_2021.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    reports, problems = locate_reports(tmp_path)
    assert [(r.region, r.year, r.label) for r in reports] == [
        ("130123", 2021, "130123_2021.txt"),
        ("130123", 2022, "130123_2022_政府工作报告.txt"),
        ("13", 2020, "13_2020.TXT"),
    ]
    assert [p.file for p in problems] == ["x_2021.txt"]


def test_duplicate_region_year_keeps_the_first(tmp_path):
    (tmp_path / "130123_2021.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "130123_2021_copy.txt").write_text(TEXT, encoding="utf-8")
    reports, problems = locate_reports(tmp_path)
    assert [r.label for r in reports] == ["130123_2021.txt"]
    assert problems[0].file == "130123_2021_copy.txt"
    assert "duplicate region-year, already read from 130123_2021.txt" in problems[0].reason


def test_listing_csv_in_gbk_with_chinese_headers(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "长安区2021年报告.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(TEXT, encoding="utf-8")
    listing = tmp_path / "list.csv"
    listing.write_bytes(
        (
            "文件,地区代码,年份\n"
            "docs/长安区2021年报告.txt,013010,2021\n"
            "docs/b.txt,013010,二〇二二\n"
            "docs/missing.txt,013010,2023\n"
            ",013010,2024\n"
        ).encode("gbk")
    )
    reports, problems = locate_reports(listing)
    assert [(r.region, r.year, r.label) for r in reports] == [
        ("013010", 2021, "docs/长安区2021年报告.txt")
    ]
    assert [p.file for p in problems] == [
        "list.csv row 3",
        "docs/missing.txt (list.csv row 4)",
        "list.csv row 5",
    ]
    assert "year is not a 4-digit number ('二〇二二')" in problems[0].reason
    assert "file not found" in problems[1].reason
    assert "empty file or region cell" in problems[2].reason


def test_listing_without_required_column_is_an_error(tmp_path):
    listing = tmp_path / "list.csv"
    listing.write_text("file,year\na.txt,2021\n", encoding="utf-8")
    with pytest.raises(InputError, match="no region column") as info:
        locate_reports(listing)
    assert info.value.file == str(listing)
    listing.write_bytes(b"")
    with pytest.raises(InputError, match="listing is not a CSV table") as info:
        locate_reports(listing)
    assert info.value.file == str(listing)


def test_missing_or_wrong_source(tmp_path):
    with pytest.raises(InputError, match="no such directory"):
        score_reports(tmp_path / "nowhere")
    other = tmp_path / "x.xlsx"
    other.write_bytes(b"")
    with pytest.raises(InputError, match="directory or a listing"):
        score_reports(other)

"""Write minimal XLSX files by hand, so a test can put any cell XML in a sheet (a far cell, cells
without ``r`` attributes, an oversized dimension) that a writer library would refuse or tidy."""

from __future__ import annotations

import zipfile
from pathlib import Path

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def write_xlsx(path: Path, sheets: dict[str, str], *, dimension: str | None = None,
               states: dict[str, str] | None = None) -> Path:
    """Write ``sheets`` (name -> the XML inside ``<sheetData>``) as an XLSX; ``states`` gives a
    sheet's visibility ('hidden', 'veryHidden')."""
    states = states or {}
    names = list(sheets)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(names)))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{types}</Types>")
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
    entries = "".join(
        f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"'
        + (f' state="{states[n]}"' if n in states else "") + "/>" for i, n in enumerate(names))
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_R}><sheets>{entries}'
                "</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{_REL}" '
                   f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
    book_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                 f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, n in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{dim}<sheetData>'
                       f"{sheets[n]}</sheetData></worksheet>")
    return path


def table_xml(rows: list[list[object]]) -> str:
    """Sheet XML of a small table starting at A1 (numbers as numbers, the rest inline text)."""
    from ronghe.ingest.tables import column_letter

    out = []
    for i, row in enumerate(rows, start=1):
        cells = []
        for j, v in enumerate(row):
            ref = f"{column_letter(j)}{i}"
            if isinstance(v, int | float):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif v is not None:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        out.append(f'<row r="{i}">{"".join(cells)}</row>')
    return "".join(out)

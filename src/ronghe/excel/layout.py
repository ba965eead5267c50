"""Excel workbooks a person can read and a county office can publish as they are.

:func:`write_workbook` lays out every table before :mod:`ronghe.excel.xlsx` writes it:

- a first sheet "说明 About" (what the workbook is, the date, the software, the Result's notes: data
  source, framework, settings hash, settings; how to cite; the list of sheets and what each holds)
  and a second "列说明 Columns" describing every column of every sheet: sheet, column code, zh and
  en explanation and the header shown (codes stay there for researchers);
- Chinese headers (:data:`ronghe.words.workbook.HEADERS`, else the first clause of the column's
  explanation); a name column beside every code (region, province, indicator, dimension, obstacle
  category, the leading obstacle factors), from ``names`` or from the workbook's own tables; units
  in Chinese (:func:`ronghe.words.unit_label`: 10^4 persons -> 万人);
- obstacle columns in the order O1, O2, O3, O4, then other/untagged;
- the header row frozen, with the key columns (code and name) when they lead, an autofilter on every table,
  column widths fitted to the content (a CJK character counts two), number formats that round for
  display only (the cells keep every digit): integers ``0``, shares ``0.0%``, values of 1,000 or
  more ``#,##0.00``, others four decimals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ronghe.excel.xlsx import FORMULA_START, MAX_SHEET_NAME, Sheet, write_xlsx
from ronghe.words import columns as column_words
from ronghe.words import unit_label
from ronghe.words import workbook as w

__all__ = ["ABOUT_SHEET", "COLUMN_SHEET", "FORMULA_START", "Names", "names_of", "read_sheet",
           "write_workbook"]

ABOUT_SHEET = "说明 About"
COLUMN_SHEET = "列说明 Columns"

#: kind -> code -> Chinese name; kinds: region, province, indicator, dimension, category, path.
Names = Mapping[str, Mapping[str, str]]

#: Code columns and the kind of code they hold (``top1``, ``top2`` ... are indicators too).
CODE_KINDS: dict[str, str] = {
    "region": "region", "province": "province", "indicator": "indicator",
    "indicator_a": "indicator", "indicator_b": "indicator", "dimension": "dimension",
    "category": "category", "obstacle": "category", "metric": "metric",
}
_TOP = re.compile(r"^top(\d+)$")
_TOP_DEGREE = re.compile(r"^top(\d+)_degree$")
_CATEGORY = re.compile(r"^(.*?)(O\d+|other|untagged)$")
_CLAUSE = re.compile(r"（|\(|，|；|：|; |: | = |=")
#: Columns kept in view with the header (with those before them) when among a sheet's first three.
KEYS = ("region", "name_zh", "indicator", "indicator_name")
SHARE = re.compile(r"^(share|share_.*|.*_share|untagged)$")


def _name_column(code: str) -> str:
    return "name_zh" if code == "region" else f"{code}_name"


def _fixed_names() -> dict[str, dict[str, str]]:
    """Names that do not depend on the data: provinces, the seeds' obstacle categories, paths
    (both sources keep their tables loaded, so this costs under a millisecond)."""
    from ronghe.knowledge import load_knowledge
    from ronghe.regions.divisions import province_names

    kb = load_knowledge()
    return {
        "province": province_names(),
        "category": {**{o.id: o.name_zh for o in kb.obstacles}, **w.CATEGORY_NAMES},
        "path": {p.id: p.name_zh for p in kb.paths},
    }


def names_of(result: object) -> dict[str, dict[str, str]]:
    """Names of the codes a Result's tables hold: regions, indicators and dimensions of its
    framework, and the metrics of a scenario (pass to :func:`write_workbook` as ``names``)."""
    state = result.state  # type: ignore[attr-defined]
    fw = result.framework  # type: ignore[attr-defined]
    regions = state.panel.regions["name_zh"].dropna()
    dimensions = {d.id: d.name_zh for d in fw.dimensions}
    metrics = {m: w.HEADERS[m] for m in ("index", "rank", "topsis", "C", "T", "D", "grade")}
    metrics.update({f"U_{d}": f"{name}得分" for d, name in dimensions.items()})
    return {
        "region": {str(k): str(v) for k, v in regions.items()},
        "indicator": {i.id: i.name_zh for i in fw.indicators},
        "dimension": dimensions,
        "metric": metrics,
    }


def _names(sheets: Mapping[str, pd.DataFrame], given: Names | None) -> dict[str, dict[str, str]]:
    """``given`` completed with what the tables tell (regions and indicators beside their names)
    and the fixed names."""
    found: dict[str, dict[str, str]] = {k: dict(v) for k, v in _fixed_names().items()}
    for df in sheets.values():
        if "name_zh" not in df.columns:
            continue
        key = "region" if "region" in df.columns else "indicator" if "indicator" in df else None
        if key is None:
            continue
        pairs = df[[key, "name_zh"]].drop_duplicates(key).dropna()
        found.setdefault(key, {}).update(zip(pairs[key].astype(str), pairs["name_zh"].astype(str),
                                             strict=True))
    for kind, mapping in (given or {}).items():
        found.setdefault(kind, {}).update(mapping)
    return found


def _category_key(col: str) -> tuple[int, str]:
    m = _CATEGORY.match(col)
    tag = m.group(2) if m else col
    return (int(tag[1:]) if tag.startswith("O") else 99, tag)


def arrange(df: pd.DataFrame, names: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """``df`` for reading: obstacle-category columns in the order O1..O4, other/untagged (each run
    of columns with one prefix), units and treatments in Chinese, and a name column after each
    code column that has none."""
    cols = [str(c) for c in df.columns]
    groups: dict[str, list[int]] = {}
    for j, c in enumerate(cols):
        m = _CATEGORY.match(c)
        if m:
            groups.setdefault(m.group(1), []).append(j)
    order = list(cols)
    for positions in groups.values():
        ranked = sorted((cols[j] for j in positions), key=_category_key)
        for j, c in zip(positions, ranked, strict=True):
            order[j] = c
    key = "region" if "region" in order else "indicator" if "indicator" in order else None
    if key and "name_zh" in order:  # the name right after its code (rank_intervals ends with it)
        order.remove("name_zh")
        order.insert(order.index(key) + 1, "name_zh")
    out = df.copy(deep=False)
    out.columns = cols
    out = out[order]
    if "unit" in cols and out["unit"].dtype.kind not in "biufcmM":  # 万人, 万元, 公顷 ...
        out["unit"] = [unit_label(u) if isinstance(u, str) else u for u in out["unit"]]
    if "action" in cols and out["action"].dtype.kind not in "biufcmM":  # 插补, 缩尾 ...
        out["action"] = out["action"].map(lambda a: w.TREATMENTS.get(a, a))
    has_region = "region" in cols
    inserted = 0
    for j, c in enumerate(order):
        kind = CODE_KINDS.get(c) or ("indicator" if _TOP.match(c) else None)
        if kind is None:
            continue
        target = _name_column(c)
        present = target in cols or f"{c}_zh" in cols or (
            kind == "indicator" and c == "indicator" and "name_zh" in cols and not has_region)
        mapping = names.get(kind, {})
        if present or not mapping or out[c].dtype.kind in "fiub":
            continue
        codes = out[c].astype(str)
        if not codes.isin(mapping.keys()).any():
            continue
        named = codes.map(mapping)
        values = named.where(named.notna(), None).astype(object)
        out.insert(j + inserted + 1, target, values.to_numpy())
        inserted += 1
    return out


def header(col: str, explanation: str, names: Mapping[str, Mapping[str, str]],
           sheet_cols: list[str]) -> str:
    """The zh header of ``col`` (see the module docstring)."""
    if col == "name_zh" and "indicator" in sheet_cols and "region" not in sheet_cols:
        return w.HEADERS["indicator_name"]
    if col in w.HEADERS:
        return w.HEADERS[col]
    top = _TOP.match(col) or _TOP_DEGREE.match(col)
    if top:
        code, _, degree = w.TOP_HEADERS
        text = degree if col.endswith("_degree") else code
        return text.format(k=top.group(1))
    if col.startswith("top") and col.endswith("_name") and _TOP.match(col[:-5]):
        return w.TOP_HEADERS[1].format(k=col[3:-5])
    for prefix, template in w.PREFIX_HEADERS:
        code = col[len(prefix):]
        if col.startswith(prefix) and (prefix != "share_" or _CATEGORY.fullmatch(code)):
            kind = "dimension" if prefix in ("U_", "obs_dim_") else "category"
            name = names.get(kind, {}).get(code)
            return template.format(name=f"{code} {name}" if name and kind == "category" else
                                   name or code)
    if explanation:
        first = _CLAUSE.split(explanation, maxsplit=1)[0].strip()
        if first:
            return first
    return col


def number_format(col: str, series: pd.Series) -> str | None:
    """Excel number format of a column (module docstring); None for text."""
    kind = series.dtype.kind
    if kind in "iu":
        return "0"
    if kind != "f":
        return None
    if SHARE.match(col):
        return "0.0%"
    values = series.to_numpy()
    finite = values[np.isfinite(values)]
    if finite.size and np.all(finite == np.round(finite)) and col not in ("old", "new"):
        return "0"
    big = finite.size and float(np.max(np.abs(finite))) >= 1000
    return "#,##0.00" if big else "0.0000"


def _text_width(values: pd.Series) -> float:
    """Display width of the widest text: a character of 3 UTF-8 bytes (CJK) counts two."""
    head = values.iloc[:3000]
    sample = pd.Series(head[head.notna()].astype(str).unique()[:300])
    if sample.empty:
        return 0.0
    chars = sample.str.len()
    wide = sample.map(lambda s: len(s.encode("utf-8"))) - chars
    return float(((chars + wide / 2)).max())


def width(col: pd.Series, head: str, fmt: str | None) -> float:
    """Column width in characters: the header or the widest value, 8 to 48."""
    if fmt is None:
        content = _text_width(col)
    else:
        values = col.to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        top = float(np.max(np.abs(finite))) if finite.size else 0.0
        digits = len(f"{top:,.0f}") + (0 if fmt == "0" else 5)
        content = float(digits + 1)
    head_width = _text_width(pd.Series([head]))
    return float(min(48.0, max(8.0, content, min(head_width, 24.0)) + 2))


def _explain_lookup(explanations: pd.DataFrame | None) -> dict[tuple[str, str], tuple[str, str]]:
    if explanations is None or explanations.empty:
        return {}
    ex = explanations.iloc[:, :4].astype(object).where(explanations.iloc[:, :4].notna(), "")
    return {(str(s), str(c)): (str(zh), str(en)) for s, c, zh, en in ex.itertuples(index=False)}


def _blocks() -> list[Mapping[str | tuple[str, str], tuple[str, str]]]:
    return [getattr(column_words, n) for n in sorted(dir(column_words))
            if n.endswith("_COLUMNS") and isinstance(getattr(column_words, n), dict)]


def _describe(sheet: str, col: str, given: dict[tuple[str, str], tuple[str, str]],
              cols: list[str], names: Mapping[str, Mapping[str, str]]) -> tuple[str, str]:
    """zh and en explanation of a column written by this module or missing from ``given``."""
    if col == "name_zh" and "region" not in cols and "indicator" in cols:
        return column_words.WORKBOOK_COLUMNS["indicator_name"]
    text = given.get((sheet, col), ("", ""))
    if text[0]:
        return text
    if col == "name_zh" and "region" in cols:
        return ("地区名称", "Region name")
    top = _TOP.match(col[:-5]) if col.endswith("_name") else None
    if top:
        return (f"第 {top.group(1)} 位障碍因子的指标名称",
                f"Name of the indicator of obstacle factor {top.group(1)}")
    if col.endswith("_name") and col[:-5] in cols:
        kind = CODE_KINDS.get(col[:-5], "")
        label = column_words.WORKBOOK_COLUMNS.get(f"{kind}_name")
        if label:
            return label
    for block in _blocks():  # a sheet's own label in any area's block
        if (sheet, col) in block:
            return block[(sheet, col)]
    return column_words.WORKBOOK_COLUMNS.get(col, text)


def _about(notes: list[tuple[str, str]], title: str, sheets: list[str]) -> pd.DataFrame:
    from ronghe import __version__

    today = datetime.now(UTC).date().isoformat()
    settings_hash = next((v for k, v in notes if k.startswith("设置哈希")), "-")
    rows = [(w.ABOUT["workbook"], title), (w.ABOUT["date"], today),
            (w.ABOUT["software"], f"ronghe {__version__}"), *notes,
            (w.ABOUT["cite"], w.CITE.format(version=__version__, hash=settings_hash, date=today)),
            (w.ABOUT["sheets"], "")]
    for name in sheets:
        zh, en = w.SHEETS.get(name) or next(
            (text for prefix, text in w.SHEET_PREFIXES if name.startswith(prefix)),
            ("见列说明", "see the column sheet"))
        rows.append((name, f"{zh} / {en}"))
    return pd.DataFrame(rows, columns=[w.ABOUT["item"], w.ABOUT["value"]], dtype=object)


def write_workbook(
    path: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    explanations: pd.DataFrame | None = None,
    notes: list[tuple[str, str]] | None = None,
    *,
    names: Names | None = None,
    title: str | None = None,
    headers: Literal["zh", "codes"] = "zh",
) -> Path:
    """Write ``sheets`` (name -> frame) to ``path`` laid out as the module docstring says.

    ``explanations`` is a column sheet (sheet, column, zh, en: :func:`ronghe.labels.column_sheet`);
    columns it leaves empty are explained from :mod:`ronghe.words.columns`. ``notes`` (key, text)
    go to the About sheet; ``names`` (:data:`Names`, e.g. :func:`names_of`) gives the names
    written beside codes, completed from the tables; ``title`` says what the workbook is.
    ``headers="codes"`` heads the data sheets with the column codes (``index``, ``U_P1``) instead
    of the Chinese headers, for researchers who script against the sheets; the column sheet
    explains them either way.

    Without ``explanations`` and ``notes`` the workbook is a data export (``ronghe db export``):
    the sheets as they are, headed by their column codes so a program reads them back, with the
    same filters, frozen header, widths and number formats.
    """
    if explanations is None and not notes:
        plain = []
        for name, df in sheets.items():
            cols = [str(c) for c in df.columns]
            formats = [number_format(c, df.iloc[:, j]) for j, c in enumerate(cols)]
            widths = [width(df.iloc[:, j], c, f) for j, (c, f) in enumerate(zip(cols, formats,
                                                                                strict=True))]
            plain.append(Sheet(str(name)[:MAX_SHEET_NAME], df, cols, formats, widths,
                               autofilter=bool(cols)))
        return write_xlsx(path, plain, title=title or "")
    lookup = _names(sheets, names)
    given = _explain_lookup(explanations)
    laid: dict[str, pd.DataFrame] = {str(k)[:MAX_SHEET_NAME]: arrange(df, lookup)
                                     for k, df in sheets.items()}
    rows: list[tuple[str, str, str, str, str]] = []
    body: list[Sheet] = []
    for name, df in laid.items():
        cols = list(df.columns)
        heads, formats, widths = [], [], []
        for col in cols:
            zh, en = _describe(name, col, given, cols, lookup)
            head = col if headers == "codes" else header(col, zh, lookup, cols)
            if head in heads:  # two columns may share a short header: the code tells them apart
                head = f"{head}（英文）" if col.endswith("_en") else f"{head}（{col}）"
            fmt = number_format(col, df[col])
            heads.append(head)
            formats.append(fmt)
            widths.append(width(df[col], head, fmt))
            rows.append((name, col, zh, en, head))
        keys = max((j + 1 for j, c in enumerate(cols[:3]) if c in KEYS), default=0)
        body.append(Sheet(name, df, heads, formats, widths, freeze=(1, keys),
                          autofilter=bool(cols)))
    about_frame = _about(list(notes or []), title or w.TITLES["result"],
                         [ABOUT_SHEET, COLUMN_SHEET, *laid])
    col_sheet = pd.DataFrame(rows, columns=list(w.COLUMN_SHEET), dtype=object)
    front_rows = [(ABOUT_SHEET, c, "", "", c) for c in about_frame.columns] + [
        (COLUMN_SHEET, c, "", "", c) for c in col_sheet.columns]
    front = pd.DataFrame(front_rows, columns=list(w.COLUMN_SHEET), dtype=object)
    col_sheet = pd.concat([front, col_sheet], ignore_index=True)
    front_text = {"项目 item": ("项目", "Item"), "内容 value": ("内容", "Value"),
                  w.COLUMN_SHEET[0]: ("工作表名称", "Sheet"),
                  w.COLUMN_SHEET[1]: ("列代码（程序读取时的列名）", "Column code (as programs read it)"),
                  w.COLUMN_SHEET[2]: ("中文说明", "Explanation in Chinese"),
                  w.COLUMN_SHEET[3]: ("英文说明", "Explanation in English"),
                  w.COLUMN_SHEET[4]: ("工作表中显示的表头", "Header shown in the sheet")}
    for i in range(len(front)):
        col_sheet.iat[i, 2], col_sheet.iat[i, 3] = front_text.get(str(col_sheet.iat[i, 1]),
                                                                  ("", ""))
    about = Sheet(ABOUT_SHEET, about_frame, list(about_frame.columns), [None, None], [26.0, 110.0],
                  freeze=(1, 0), autofilter=False, wrap={1})
    columns = Sheet(COLUMN_SHEET, col_sheet, list(col_sheet.columns), [None] * 5,
                    [22.0, 24.0, 56.0, 56.0, 20.0], freeze=(1, 2), wrap={2, 3})
    return write_xlsx(path, [about, columns, *body], title=title or w.TITLES["result"])


def read_sheet(path: str | Path, sheet: str) -> pd.DataFrame:
    """A sheet of a workbook written by :func:`write_workbook`, with its column codes as the
    column names (``index``, ``U_P1``, ``obs_cat_O1`` ...) instead of the Chinese headers: what a
    program reads back. The codes come from the column sheet."""
    book = Path(path)
    columns = pd.read_excel(book, sheet_name=COLUMN_SHEET, dtype=str, engine="calamine")
    mine = columns[columns.iloc[:, 0] == sheet]
    code = dict(zip(mine.iloc[:, 4], mine.iloc[:, 1], strict=True))
    frame = pd.read_excel(book, sheet_name=sheet, engine="calamine")
    return frame.rename(columns=code)

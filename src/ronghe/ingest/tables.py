"""Turn a yearbook file into long, clean observations plus a validation report.

Four layouts are understood (``layout="auto"`` detects them from the header; an explicit value
overrides detection):

- ``long``: columns region (code and/or name), year, variable, value, optionally unit;
- ``per-year``: one sheet per year (sheet named ``2020`` or ``2020年``, or a year column), regions in
  rows and variables in columns;
- ``per-variable``: one sheet per variable (the sheet — or, for CSV/Parquet, the file — named by the
  variable), regions in rows and years in columns;
- ``variable-year``: regions in rows and a two-row header, variable headings in the first row
  (usually merged over several columns) and years under them in the second, so that each column is
  one (variable, year); detected when most second-row headings are years.

The header row is the first of the top 20 rows holding a region heading (代码, 地区, region …); title
rows above it are skipped, and a ``单位：万元`` line there sets the unit of columns without their own
bracketed unit. In a CSV file a data row with a value right of the last heading is an error
(a separator too many shifts every value after it). Rows after the table that start with 注,
资料来源 or 说明 end the sheet; total rows
(合计, 全省 …) are skipped with a warning, and 序号/备注 columns are ignored.

A header has at most two rows. The row right below the header row continues it when its region
cells are blank, every other cell it has is a heading (a year, or text that is neither a number nor
a no-data mark) under a data column, and the row after it holds a region. Merged cells arrive as the
value in their first cell and blanks elsewhere, so a first-row heading is carried right across blank
first-row cells that have a second-row heading; a column blank in both rows is ignored and ends the
carried heading. Each column then reads as follows:

- a year under a heading: that heading's variable, that year (``variable-year``);
- other text under a heading: the text is the variable when the catalogue knows it (or when there
  is no catalogue), else the text joined with the heading above (``第一产业`` under ``增加值``
  tries ``第一产业``, ``第一产业增加值``, ``增加值第一产业``); a total sub-heading (合计) stands for
  the heading above, and a second-row cell holding only a unit (``(万元)``, ``万元`` or
  ``单位：万元``) gives the unit of the heading above. The year comes from the sheet name or the
  year column, as in ``per-year``;
- a unit may be written in either row; the second row's wins, then the first row's, then the
  sheet's ``单位`` line.

Variables are matched to the catalogue by id, Chinese or English name; values are converted to the
catalogue's unit. Structural problems (no header, unknown or ambiguous region, unknown variable,
impossible unit, a duplicated observation) raise :class:`~ronghe.errors.InputError` naming the file,
sheet, row and column (for a header problem, the header cell); problems of single cells go to the
:class:`~ronghe.ingest.report.ValidationReport` and the cell is not stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.excel.xlsx import column_letter
from ronghe.ingest.cells import MAX_ABS, clean_cell
from ronghe.ingest.headers import (
    FOOTER_PREFIXES,
    FOOTER_STARTS,
    LAYOUTS,
    TOTAL_NAMES,
    _Catalogue,
    _detect,
    _find_header,
    _grid,
    _Header,
    _header_width,
    _key,
    _text,
    _year_heading,
    parse_year,
)
from ronghe.ingest.match import RegionMatcher, RowWhere, Where
from ronghe.ingest.readers import Sheet, read_sheets
from ronghe.ingest.report import ValidationReport
from ronghe.ingest.units import conversion_factor, split_header

if TYPE_CHECKING:
    from ronghe.ingest.mapping import Mapping



@dataclass
class Ingested:
    """What one file yields: clean long values (columns :data:`VALUE_COLUMNS`), the report, and
    the facts an import batch records."""

    file: str
    sha256: str
    layout: str
    values: pd.DataFrame
    report: ValidationReport
    n_cells: int
    units: pd.DataFrame | None = None  #: units a mapped table names (code, name_zh, province)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Reader:
    """State of one file being read (the shared pieces each sheet needs)."""

    def __init__(self, file: str, matcher: RegionMatcher, catalogue: _Catalogue) -> None:
        self.file = file
        self.matcher = matcher
        self.catalogue = catalogue
        self.issues: list[dict] = []
        self.parts: list[tuple[str, str, str, str, dict[str, np.ndarray]]] = []
        self.code_ids: dict[str, int] = {}
        self.n_cells = 0
        self._cache: dict = {}

    def issue(self, sheet: str, row: int | None, col: int | None, header: object, raw: object,
              reason: str, severity: str) -> None:
        self.issues.append({
            "file": self.file, "sheet": sheet, "row": row,
            "column": column_letter(col) if col is not None else "",
            "header": "" if header is None else str(header),
            "raw": "" if raw is None else str(raw), "reason": reason, "severity": severity,
        })

    def regions(self, sheet: Sheet, grid: np.ndarray, h: _Header) -> tuple[list[int], list[int]]:
        """Data rows (grid indices) and their region numbers (positions in ``self.codes``); stops
        at a footer line."""
        rows, codes = [], []
        context: str | None = None
        width = _header_width(grid, h)
        for i in range(h.body, grid.shape[0]):
            line = grid[i]
            first = next((c for c in line if c is not None), None)
            if first is None:
                continue
            if (isinstance(first, str) and first.lstrip()[:1] in FOOTER_STARTS
                    and _key(first).startswith(FOOTER_PREFIXES)):
                break
            where: RowWhere = {"file": self.file, "sheet": sheet.name, "row": i + 1}
            code_cell = line[h.code] if h.code is not None else None
            name_cell = line[h.name] if h.name is not None else None
            prov_cell = line[h.province] if h.province is not None else None
            if code_cell is None and name_cell is not None and _key(name_cell) in TOTAL_NAMES:
                self.issue(sheet.name, i + 1, h.name, grid[h.row, h.name], name_cell,
                           "total row skipped / 合计行已跳过", "warning")
                continue
            key = (code_cell, name_cell, prov_cell, context)
            code = self._cache.get(key)
            if code is None:
                if code_cell is not None:
                    code = self.matcher.by_code(code_cell, column=str(grid[h.row, h.code]), **where)
                    listed = self.matcher.disagreeing_name(code, name_cell)
                    if listed is not None:
                        self.issue(sheet.name, i + 1, h.name, grid[h.row, h.name], name_cell,
                                   f"code {code} is {listed!r} in the division list, the row "
                                   f"says {str(name_cell).strip()!r}; stored under the code / "
                                   "代码与名称不符，按代码存储", "warning")
                elif name_cell is not None:
                    prov = (self.matcher.province(prov_cell, column=str(grid[h.row, h.province]),
                                                  **where)
                            if prov_cell is not None else context)
                    code = self.matcher.by_name(name_cell, prov,
                                                column=str(grid[h.row, h.name]), **where)
                else:
                    self.issue(sheet.name, i + 1, None, None, first,
                               "row has values but no region code or name; row skipped", "error")
                    continue
                self._cache[key] = code
            if self.matcher.is_province(code):
                context = code[:2]
            if sheet.text and any(c is not None for c in line[width:]):
                n = max(j for j, c in enumerate(line) if c is not None) + 1
                raise InputError(f"the row has {n} cells but the header has {width}: a separator "
                                 "too many, or a value without a heading / 该行单元格多于表头",
                                 file=self.file, row=i + 1, value=",".join(
                                     "" if c is None else str(c) for c in line[:n]))
            rows.append(i)
            codes.append(self.code_ids.setdefault(code, len(self.code_ids)))
        return rows, codes

    def column(self, sheet: str, cells: np.ndarray, rows: np.ndarray, col: int, header: object,
               vid: str, unit: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Clean one column of cells for variable ``vid`` given in ``unit``; returns values
        (converted to the catalogue unit) and a mask of the cells kept."""
        target = self.catalogue.unit(vid)
        try:
            factor = conversion_factor(unit, target)
        except InputError as exc:
            raise InputError(exc.reason, file=self.file, sheet=sheet, column=column_letter(col),
                             indicator=vid) from None
        lo, hi, positive = self.catalogue.bounds(vid)
        n = len(cells)
        self.n_cells += n
        if set(map(type, cells)) <= {float, int}:
            out = cells.astype(float) * factor
            keep = np.abs(out) < MAX_ABS
            keep &= (out >= lo) & (out <= hi) & ((out > 0) | (not positive))
            if keep.all():
                return out, keep
        out = np.full(n, np.nan)
        keep = np.zeros(n, dtype=bool)
        for k, raw in enumerate(cells):
            t = type(raw)
            if (t is float or t is int) and -MAX_ABS < raw < MAX_ABS:
                x = raw * factor
            else:
                cell = clean_cell(raw)
                if cell.status != "ok":
                    self.issue(sheet, int(rows[k]) + 1, col, header, raw, cell.reason,
                               "missing" if cell.status == "missing" else "error")
                    continue
                value = cast(float, cell.value)  # status "ok" sets the value
                if cell.unit is not None:
                    try:
                        x = value * conversion_factor(cell.unit, target or unit or cell.unit)
                    except InputError:
                        self.issue(sheet, int(rows[k]) + 1, col, header, raw,
                                   f"unit {cell.unit} in the cell does not fit the unit {target!r}",
                                   "error")
                        continue
                else:
                    x = value * factor
                if cell.note:
                    self.issue(sheet, int(rows[k]) + 1, col, header, raw, cell.note, "warning")
            if x < lo or x > hi or (positive and x <= 0):
                rng = "must be positive" if positive else f"outside the valid range [{lo:g}, {hi:g}]"
                self.issue(sheet, int(rows[k]) + 1, col, header, raw,
                           f"{x:g} {rng} / 超出合理范围", "error")
                continue
            out[k] = x
            keep[k] = True
        return out, keep

    def add(self, sheet: str, vid: str, unit: str, col: int, keep: np.ndarray,
            **arrays: np.ndarray) -> None:
        """Keep the cells of one column (arrays region, year, value, row filtered by ``keep``)."""
        self.parts.append((sheet, vid, unit, column_letter(col),
                           {k: v[keep] for k, v in arrays.items()}))

    def at(self, sheet: str, row: int | None, col: int | None) -> Where:
        """Where a cell is, for an InputError (grid indices in, 1-based row and letter out)."""
        return {"file": self.file, "sheet": sheet, "row": row + 1 if row is not None else None,
                "column": column_letter(col) if col is not None else None}

    def years(self, sheet: str, grid: np.ndarray, rows: np.ndarray, col: int) -> np.ndarray:
        """Years of data ``rows`` read from the year column ``col``."""
        years = np.array([parse_year(grid[i, col]) or -1 for i in rows])
        if (years < 0).any():
            bad = rows[int(np.flatnonzero(years < 0)[0])]
            raise InputError("year cell is not a year / 年份无效", **self.at(sheet, bad, col),
                             value=grid[bad, col])
        return years

    def row_years(self, sheet: Sheet, grid: np.ndarray, h: _Header,
                  rows: np.ndarray) -> np.ndarray:
        """Years of the data rows of a sheet whose columns do not state them: from the year column,
        else the sheet name."""
        if h.year is not None:
            return self.years(sheet.name, grid, rows, h.year)
        year = parse_year(sheet.name)
        if year is None:
            raise InputError("cannot tell the year: name the sheet by its year (2020) or add a "
                             "'year' column / 无法确定年份", **self.at(sheet.name, h.row, None))
        return np.full(len(rows), year)

    def heading(self, sheet: str, h: _Header, j: int, top: int | None, parent: object,
                below: object) -> tuple[str, str | None, int | None]:
        """Variable, unit and year (None: the rows' year) of data column ``j`` headed ``parent``
        (in column ``top`` of the first header row) over ``below`` (module docstring)."""
        if below is None:
            vid, unit = self.catalogue.resolve(parent, **self.at(sheet, h.row, j))
            return vid, unit or h.sheet_unit, None
        year = _year_heading(below)
        if year is None:
            vid, unit = self.catalogue.resolve(below, parent, **self.at(sheet, h.sub, j))
            return vid, unit or h.sheet_unit, None
        if parent is None:
            raise InputError(f"year heading {_text(below)!r} has no variable heading above it / "
                             "年份上方缺少指标名称", **self.at(sheet, h.sub, j))
        vid, unit = self.catalogue.resolve(parent, **self.at(sheet, h.row, top))
        return vid, split_header(below)[1] or unit or h.sheet_unit, year

    def wide(self, sheet: Sheet, grid: np.ndarray, h: _Header, layout: str) -> None:
        rows, codes = self.regions(sheet, grid, h)
        if not rows:
            return
        rows_a, codes_a = np.asarray(rows), np.asarray(codes)
        row_years = None
        if layout == "per-variable":
            vid, unit = self.catalogue.resolve(sheet.name, **self.at(sheet.name, h.row, None))
            unit = unit or h.sheet_unit
        elif layout == "per-year":
            row_years = self.row_years(sheet, grid, h, rows_a)
        for j, top in zip(h.data, h.tops, strict=True):
            parent = grid[h.row, top] if top is not None else None
            below = grid[h.sub, j] if h.sub is not None else None
            header = " ".join(_text(c) for c in (parent, below) if c is not None)
            if layout == "per-variable":
                head = parent if below is None else below
                year = parse_year(head)
                if year is None:
                    raise InputError(f"column header {head!r} is not a year / 列标题不是年份",
                                     **self.at(sheet.name, h.row if below is None else h.sub, j))
                years = np.full(len(rows), year)
                var_unit = unit
            else:
                vid, var_unit, year = self.heading(sheet.name, h, j, top, parent, below)
                if year is not None:
                    years = np.full(len(rows), year)
                else:
                    if row_years is None:
                        row_years = self.row_years(sheet, grid, h, rows_a)
                    years = row_years
            value, keep = self.column(sheet.name, grid[rows_a, j], rows_a, j, header, vid, var_unit)
            self.add(sheet.name, vid, self.stored_unit(vid, var_unit), j, keep, region=codes_a,
                     year=years, value=value, row=rows_a)

    def long(self, sheet: Sheet, grid: np.ndarray, h: _Header) -> None:
        value_col = cast(int, h.value)  # read_file checked that a long sheet has a value column
        rows, codes = self.regions(sheet, grid, h)
        if not rows:
            return
        if h.year is None:
            raise InputError("long layout needs a year column / 长表需要年份列",
                             **self.at(sheet.name, h.row, None))
        header = grid[h.row, value_col]
        groups: dict[tuple[str, str | None], list[int]] = {}
        for k, i in enumerate(rows):
            vid, unit = self.catalogue.resolve(grid[i, h.variable],
                                               **self.at(sheet.name, i, h.variable))
            if h.unit is not None and grid[i, h.unit] is not None:
                unit = str(grid[i, h.unit])
            groups.setdefault((vid, unit), []).append(k)
        codes_a = np.asarray(codes)
        rows_a = np.asarray(rows)
        for (vid, unit), ks in groups.items():
            sel = np.asarray(ks)
            r = rows_a[sel]
            years = self.years(sheet.name, grid, r, h.year)
            value, keep = self.column(sheet.name, grid[r, value_col], r, value_col, header, vid,
                                      unit)
            self.add(sheet.name, vid, self.stored_unit(vid, unit), value_col, keep,
                     region=codes_a[sel], year=years, value=value, row=r)

    def stored_unit(self, vid: str, unit: str | None) -> str:
        """Unit values are stored in: the catalogue's when there is a catalogue, else the file's."""
        return self.catalogue.unit(vid) if self.catalogue.frame is not None else (unit or "")

    def frame(self) -> pd.DataFrame:
        """All kept cells as one frame (text columns categorical: they repeat a lot)."""
        sizes = np.array([len(p[4]["value"]) for p in self.parts], dtype=np.int64)

        def labels(k: int) -> pd.Categorical:
            cats, idx = np.unique(np.array([p[k] for p in self.parts] or [""], dtype=object),
                                  return_inverse=True)
            return pd.Categorical.from_codes(np.repeat(idx[: len(sizes)], sizes), list(cats))

        def stack(name: str, dtype: str) -> np.ndarray:
            return np.concatenate([p[4][name] for p in self.parts] or [np.empty(0)]).astype(dtype)

        codes = list(self.code_ids)
        region_ids = stack("region", "int64")
        out = pd.DataFrame({
            "region": pd.Categorical.from_codes(region_ids, codes or [""]),
            "year": stack("year", "int64"), "variable": labels(1), "value": stack("value", "float64"),
            "unit": labels(2), "sheet": labels(0), "row": stack("row", "int64") + 1,
            "column": labels(3),
        })
        key = (region_ids * 400 + (out["year"].to_numpy() - 1800)) * max(len(out["variable"]
               .cat.categories), 1) + out["variable"].cat.codes.to_numpy()
        sorted_key = np.sort(key)
        if (sorted_key[1:] == sorted_key[:-1]).any():
            dup = pd.Series(key).duplicated(keep=False).to_numpy()
            d = out[dup].sort_values(["region", "year", "variable"]).head(2)
            a, b = d.iloc[0], d.iloc[1]
            raise InputError(f"the value of ({a.region}, {a.year}, {a.variable}) appears twice: "
                             f"sheet {a.sheet!r} row {a.row} column {a.column} and "
                             f"sheet {b.sheet!r} row {b.row} column {b.column} / 同一观测值出现两次",
                             file=self.file)
        return out


def jump_records(frame: pd.DataFrame, factor: float, file: str) -> list[dict]:
    """Report records for rows of ``frame`` (columns value, prev, year, variable, sheet, row,
    column) whose value is more than ``factor`` times, or less than 1/``factor`` of, ``prev``; both
    must be positive. The record points at the later cell."""
    ratio = frame["value"] / frame["prev"]
    jump = (frame["prev"] > 0) & (frame["value"] > 0) & ((ratio > factor) | (ratio < 1 / factor))
    return [{
        "file": file, "sheet": r.sheet, "row": r.row, "column": r.column, "header": r.variable,
        "raw": f"{r.value:g}", "severity": "warning",
        "reason": f"year-on-year jump ×{r.value / r.prev:.2f} ({r.year - 1}: {r.prev:g} → "
                  f"{r.year}: {r.value:g}) / 同比突变",
    } for r in frame[jump].itertuples(index=False)]


def flag_jumps(values: pd.DataFrame, factor: float, file: str) -> list[dict]:
    """Year-on-year jumps inside one file: consecutive years of one (region, variable)."""
    if values.empty:
        return []
    region, _ = pd.factorize(values["region"])
    variable, cats = pd.factorize(values["variable"])
    series = region.astype(np.int64) * max(len(cats), 1) + variable
    year = values["year"].to_numpy(dtype=np.int64)
    order = np.argsort(series * 10_000 + year, kind="stable")
    r, y = series[order], year[order]
    value = values["value"].to_numpy()[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (r[1:] == r[:-1]) & (y[1:] == y[:-1] + 1)
    prev = np.full(len(order), np.nan)
    prev[1:] = value[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = value / prev
    hit = same & (prev > 0) & (value > 0) & ((ratio > factor) | (ratio < 1 / factor))
    rows = values.iloc[order[hit]].assign(prev=prev[hit])
    return jump_records(rows, factor, file)


def read_file(path: str | Path, *, catalogue: pd.DataFrame | None = None,
              regions: pd.DataFrame | None = None, layout: str = "auto",
              jump: float = 3.0, mapping: str | Path | Mapping | None = None) -> Ingested:
    """Read one yearbook file (see module docstring).

    Parameters
    ----------
    catalogue : variable catalogue (:func:`ronghe.ingest.catalogue.catalogue_frame`); None accepts
        any header as a variable id, in the unit its header states.
    regions : division list indexed by code; None or empty accepts any 6/12-digit code.
    layout : "auto", "long", "per-year", "per-variable" or "variable-year".
    jump : year-on-year ratio beyond which a value is flagged (warning, value kept).
    mapping : a column mapping (built-in id, YAML path or :class:`ronghe.ingest.mapping.Mapping`):
        the file is read as the mapping describes it (:func:`ronghe.ingest.mapping.read_mapped`)
        instead of by its headers; ``layout`` is then ignored.
    """
    if mapping is not None:
        from ronghe.ingest.mapping import read_mapped

        return read_mapped(path, mapping, catalogue=catalogue, regions=regions)
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout {layout!r} (use {', '.join(LAYOUTS)})")
    p = Path(path)
    sheets = read_sheets(p)
    reader = _Reader(p.name, RegionMatcher(regions if regions is not None else pd.DataFrame()),
                     _Catalogue(catalogue))
    layouts = []
    for sheet in sheets:
        if sheet.hidden:
            reader.issue(sheet.name, None, None, None, "",
                         f"{sheet.hidden} sheet skipped (unhide it to import it) / 隐藏工作表已跳过",
                         "warning")
            continue
        if not sheet.rows:
            continue
        grid = _grid(sheet.rows)
        h = _find_header(grid)
        if h is None:
            reader.issue(sheet.name, None, None, None, "",
                         "sheet skipped: no header row with a region column / 未找到表头", "warning")
            continue
        kind = _detect(h, grid) if layout == "auto" else layout
        if kind == "long" and (h.variable is None or h.value is None):
            raise InputError("long layout needs 'variable' and 'value' columns / 长表需要指标列和数值列",
                             file=p.name, sheet=sheet.name, row=h.row + 1)
        if kind == "variable-year" and h.sub is None:
            raise InputError("variable-year layout needs a second header row with years under the "
                             "variable headings / 该布局需要两行表头（指标下为年份）", file=p.name,
                             sheet=sheet.name, row=h.row + 1)
        layouts.append(kind)
        if kind == "long":
            reader.long(sheet, grid, h)
        else:
            reader.wide(sheet, grid, h, kind)
    if not layouts:
        raise InputError("no table found: no sheet has a header row with a region column "
                         "(代码 / 地区 / region) / 未找到数据表", file=p.name)
    values = reader.frame()
    issues = reader.issues + flag_jumps(values, jump, p.name)
    return Ingested(p.name, file_sha256(p), "+".join(dict.fromkeys(layouts)), values,
                    ValidationReport.from_records(issues), reader.n_cells)

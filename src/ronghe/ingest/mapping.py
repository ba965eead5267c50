"""Column mappings: read a yearbook table whose headers are not catalogue names, as a user describes it.

A mapping is a YAML file (``ronghe import FILE --mapping MAP.yaml``; built-in mappings by name, e.g.
``census-2010``, live in ``ronghe/ingest/mappings/``)::

    mapping:  {id: census-2010, name_zh: …, name_en: …, source: …}
    sheet: Sheet1            # optional: the first sheet by default
    year: 2010               # the year of every row
    code: 区划代码            # header of the division-code column
    name: 地区                # header of the name column (optional)
    aggregates: [市辖区, 县]   # code-less rows with these names are sub-totals (optional; defaults below)
    totals: [resident_pop]   # variables whose county sums are checked against the province rows
    columns:
      - {header: 合计, variable: resident_pop, unit: 人}
      - {header: 乡村人口, variable: rural_resident_pop, unit: 人, blank: zero}
      - {header: [大学专科-男, 大学专科-女], variable: college_pop, unit: 人}

Each column entry names one source header (or a list of headers whose cells are added), the
catalogue variable it holds, the unit the cells are written in (omitted: the catalogue's unit) and
how an empty cell reads: ``missing`` (default) or ``zero`` (a breakdown column where the table leaves
zero blank). A written no-data mark (``NA``, ``—``) is always missing. Headers are compared after NFKC
folding with whitespace removed, so a header broken over lines in the workbook matches its one-line
spelling; a header the table does not have is an error naming it.

Rows. The table's hierarchy is read from the codes, as in a census or yearbook county table:

- a code ending in ``0000`` is a province row, a code ending in ``00`` a prefecture row: aggregates,
  not stored, used to check the county rows;
- a prefecture row with no county row under it (no code sharing its first four digits) is a
  county-level unit itself (东莞 441900, 中山 442000, 嘉峪关 620200 …) and is stored;
- every other code is a county-level unit and is stored. Codes the division lists do not hold
  (the statistical zones whose fifth digit is 7, development zones the 2020 census counts as units;
  大兴安岭's districts 232761–232764) are stored under their own code, each with a warning: a census
  table's codes are its own, and the harmonisation keeps such units as they are;
- a unit belongs to the province row above it; a code whose first two digits say otherwise (2020:
  170971 五台山风景名胜区 under 山西 14) is counted there with a warning;
- a row without a code is the nation (全国), a sub-total when its name is one of ``aggregates``
  (default 市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划), a breakdown of the county-level unit
  above it when the code-less rows right after that unit add up to it (三沙's island groups), and
  otherwise a unit without a code (a development zone): reported, not stored, and counted in the
  province check. A code-less row without any value (a note, an advertisement line) is skipped with a
  warning.

Codes are checked against the division list given (the store's) and the division history's codes
in use during ``year`` (:mod:`ronghe.regions.history`), so a 2010 table may hold 崇文区 110103. Names
are names: leading spaces and footnote marks do not matter; a code whose name differs from every
name those lists give it is a warning naming both.

The check (:attr:`ValidationReport.totals`): for each ``totals`` variable and province, the province
row, the sum of the stored county-level units and their number, the difference, the code-less units
of the province (names and values) and what remains unexplained; the first line compares the nation
row (when the table has one) with the sum of the province rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, cast

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ronghe.errors import InputError
from ronghe.excel.xlsx import column_letter
from ronghe.frameworks.schema import format_validation_error
from ronghe.frameworks.shipped import shipped_or_file, yaml_ids
from ronghe.ingest.cells import clean_cell
from ronghe.ingest.headers import _Catalogue, _grid, _key
from ronghe.ingest.match import RegionMatcher, code_text, normalise_name
from ronghe.ingest.readers import read_sheets
from ronghe.ingest.report import ValidationReport
from ronghe.ingest.tables import Ingested, _Reader, file_sha256

DEFAULT_AGGREGATES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
NATION_NAMES = ("全国", "全国合计", "中国", "总计")
TOTALS_COLUMNS = ["variable", "unit", "province", "province_name", "province_row", "county_sum",
                  "n_units", "difference", "codeless_sum", "codeless_units", "remainder",
                  "county_equivalents"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MappingInfo(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    name_zh: str = ""
    name_en: str = ""
    source: str = ""


class ColumnMap(_Model):
    """One stored variable: the source header(s), the catalogue id, the unit, the blank rule."""

    header: str | list[str]
    variable: str
    unit: str | None = None
    blank: Literal["missing", "zero"] = "missing"

    @property
    def headers(self) -> list[str]:
        return [self.header] if isinstance(self.header, str) else list(self.header)

    @field_validator("header")
    @classmethod
    def _some_header(cls, v: str | list[str]) -> str | list[str]:
        if not v:
            raise ValueError("give a header (or a list of headers)")
        return v


class Mapping(_Model):
    """A validated column mapping (see the module docstring)."""

    info: MappingInfo = Field(alias="mapping")
    sheet: str | None = None
    year: Annotated[int, Field(ge=1900, le=2100)]
    code: str
    name: str | None = None
    aggregates: list[str] = Field(default_factory=lambda: list(DEFAULT_AGGREGATES))
    totals: list[str] = Field(default_factory=list)
    columns: Annotated[list[ColumnMap], Field(min_length=1)]

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


_SHIPPED = resources.files("ronghe.ingest") / "mappings"


def list_mappings() -> list[str]:
    """Ids of the built-in mappings."""
    return yaml_ids(_SHIPPED)


def load_mapping(name_or_path: str | Path | Mapping) -> Mapping:
    """A built-in mapping by id (``census-2010``, ``census-2020``) or a YAML file by path."""
    if isinstance(name_or_path, Mapping):
        return name_or_path
    name = str(name_or_path)
    path = shipped_or_file(name, {n: _SHIPPED / f"{n}.yaml" for n in list_mappings()},
                           lambda: InputError(f"mapping {name!r} is neither a built-in mapping "
                                              f"({', '.join(list_mappings())}) nor a file / "
                                              "找不到列映射"))
    try:
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the mapping ({type(exc).__name__}) / 无法读取列映射",
                         file=path.name) from None
    if not isinstance(body, dict):
        raise InputError("a mapping file must be a YAML mapping with 'mapping', 'year', 'code' "
                         "and 'columns' / 列映射格式错误", file=path.name)
    try:
        return Mapping.model_validate(body)
    except ValidationError as exc:
        raise InputError(f"{format_validation_error(exc.errors())} / 列映射格式错误",
                         file=path.name) from None


@dataclass
class _Row:
    index: int       #: grid row
    code: str | None
    name: str
    kind: str        #: province | prefecture | county | nation | aggregate | codeless | part
    province: str    #: two-digit code ('' when unknown)


def _header_row(grid: np.ndarray, m: Mapping, file: str, sheet: str) -> int:
    want = _key(m.code)
    for i in range(min(20, grid.shape[0])):
        if any(c is not None and _key(c) == want for c in grid[i]):
            return i
    raise InputError(f"no header row with the code column {m.code!r} in the first 20 rows / "
                     "未找到区划代码列", file=file, sheet=sheet)


def _column_index(grid: np.ndarray, h: int, header: str, file: str, sheet: str) -> int:
    want = _key(header)
    hits = [j for j, c in enumerate(grid[h]) if c is not None and _key(c) == want]
    if not hits:
        raise InputError(f"the mapping's header {header!r} is not in the header row / "
                         "表头中没有列映射所列的列", file=file, sheet=sheet, row=h + 1)
    if len(hits) > 1:
        cols = ", ".join(column_letter(j) for j in hits)
        raise InputError(f"the mapping's header {header!r} appears {len(hits)} times (columns "
                         f"{cols}) / 列标题重复", file=file, sheet=sheet, row=h + 1)
    return hits[0]


def _number(raw: object) -> float:
    """A cell as a number for the hierarchy checks (NaN when it is not one)."""
    cell = clean_cell(raw)
    return float(cell.value) if cell.status == "ok" and cell.value is not None else np.nan


def _classify(grid: np.ndarray, body: range, code_col: int, name_col: int | None,
              value_cols: list[int], aggregates: set[str], check_col: int | None,
              reader: _Reader, sheet: str, header_cells: tuple[object, object]) -> list[_Row]:
    """Rows of the table with their kind (see the module docstring)."""
    rows: list[_Row] = []
    province = ""
    for i in body:
        line = grid[i]
        raw_code = line[code_col]
        raw_name = line[name_col] if name_col is not None else None
        name = "" if raw_name is None else str(raw_name).strip()
        has_value = any(line[j] is not None and clean_cell(line[j]).status == "ok"
                        for j in value_cols)
        code_cell = clean_cell(raw_code) if raw_code is not None else None
        if raw_code is None or (code_cell is not None and code_cell.status == "missing"):
            if not name and not has_value:
                continue
            if not has_value:
                reader.issue(sheet, i + 1, name_col, header_cells[1], name,
                             "row without a code and without values skipped / 无代码无数值的行已跳过",
                             "warning")
                continue
            key = normalise_name(name)
            kind = ("nation" if key in NATION_NAMES and not rows
                    else "aggregate" if key in aggregates else "codeless")
            rows.append(_Row(i, None, name, kind, "" if kind == "nation" else province))
            continue
        code = code_text(raw_code)
        if len(code) == 12 and code.endswith("000000"):
            code = code[:6]
        if not (len(code) == 6 and code.isdigit()):
            raise InputError("region code must have 6 (or 12) digits / 区划代码应为 6 位数字",
                             file=reader.file, sheet=sheet, row=i + 1,
                             column=str(header_cells[0]), value=code)
        kind = ("province" if code.endswith("0000") else "prefecture" if code.endswith("00")
                else "county")
        if kind == "province":
            province = code[:2]
        elif province and code[:2] != province:
            reader.issue(sheet, i + 1, code_col, header_cells[0], code,
                         f"code {code} sits under province {province}0000 but its first two "
                         f"digits say {code[:2]}; counted under {province}0000 / 代码与所在省份不符",
                         "warning")
        rows.append(_Row(i, code, name, kind, province or code[:2]))
    with_counties = {r.code[:4] for r in rows if r.kind == "county" and r.code}
    for r in rows:
        if r.kind == "prefecture" and r.code and r.code[:4] not in with_counties:
            r.kind = "county"  # a county-equivalent city (东莞, 中山, 嘉峪关 …)
    if check_col is not None:
        _mark_parts(grid, rows, check_col)
    return rows


def _mark_parts(grid: np.ndarray, rows: list[_Row], col: int) -> None:
    """Code-less rows right after a county-level unit that add up to it are its breakdown."""
    k = 0
    while k < len(rows):
        r = rows[k]
        run = []
        j = k + 1
        while j < len(rows) and rows[j].kind == "codeless":
            run.append(rows[j])
            j += 1
        if r.kind == "county" and run:
            unit = _number(grid[r.index, col])
            parts = sum(np.nan_to_num(_number(grid[p.index, col])) for p in run)
            if np.isfinite(unit) and unit > 0 and abs(parts - unit) <= 1e-9 * max(unit, 1.0):
                for p in run:
                    p.kind = "part"
        k = j if run else k + 1


def _year_list(year: int) -> pd.DataFrame:
    """Codes in use at some time in ``year`` (the lists of 31 December ``year - 1`` and ``year``)
    with their names, from the division history (:mod:`ronghe.regions.history`)."""
    from ronghe.regions.history import in_use

    both = pd.concat([in_use(year - 1)[["name_zh"]], in_use(year)[["name_zh"]]])
    return both.reset_index().drop_duplicates().set_index("code")


def _check_names(rows: list[_Row], listed: pd.DataFrame, reader: _Reader, sheet: str,
                 name_col: int | None, header: object) -> None:
    """Warn where a unit's name is none of the names the division lists give its code."""
    names = listed["name_zh"]
    for r in rows:
        if r.kind != "county" or r.code is None or r.code not in names.index or not r.name:
            continue
        listed = names.loc[r.code]
        listed_all = list(dict.fromkeys([listed] if isinstance(listed, str) else listed))
        if normalise_name(r.name) not in {normalise_name(n) for n in listed_all}:
            reader.issue(sheet, r.index + 1, name_col, header, r.name,
                         f"code {r.code} is {' / '.join(map(str, listed_all))!s} in the division "
                         f"list, the table names it {normalise_name(r.name)} / 名称与区划代码不符",
                         "warning")


def read_mapped(path: str | Path, mapping: str | Path | Mapping, *,
                catalogue: pd.DataFrame | None = None,
                regions: pd.DataFrame | None = None) -> Ingested:
    """Read one table with a column mapping (see the module docstring) into long values, the
    validation report and its province check (``report.totals``)."""
    m = load_mapping(mapping)
    p = Path(path)
    sheets = read_sheets(p)
    if m.sheet is None:
        sheet = next((s for s in sheets if s.rows), None)
    else:
        sheet = next((s for s in sheets if s.name == m.sheet), None)
    if sheet is None:
        raise InputError(f"no sheet {m.sheet!r} / 找不到工作表" if m.sheet else
                         "the file has no data / 文件无数据", file=p.name)
    grid = _grid(sheet.rows)
    h = _header_row(grid, m, p.name, sheet.name)
    code_col = _column_index(grid, h, m.code, p.name, sheet.name)
    name_col = _column_index(grid, h, m.name, p.name, sheet.name) if m.name else None
    cat = _Catalogue(catalogue)
    known = set(cat.frame.index) if cat.frame is not None else None
    cols: list[tuple[ColumnMap, list[int]]] = []
    for k, c in enumerate(m.columns):
        if known is not None and c.variable not in known:
            raise InputError(f"columns[{k}]: variable {c.variable!r} is not in the catalogue / "
                             "指标不在目录中", file=p.name, sheet=sheet.name)
        cols.append((c, [_column_index(grid, h, hd, p.name, sheet.name) for hd in c.headers]))
    seen: dict[str, int] = {}
    for k, (c, _) in enumerate(cols):
        if c.variable in seen:
            raise InputError(f"columns[{k}]: variable {c.variable!r} is mapped twice (also "
                             f"columns[{seen[c.variable]}]) / 同一指标映射两次", file=p.name)
        seen[c.variable] = k
    for t in m.totals:
        if t not in seen:
            raise InputError(f"totals: {t!r} is not one of the mapped variables / 校核指标未映射",
                             file=p.name)
    reader = _Reader(p.name, RegionMatcher(regions if regions is not None else pd.DataFrame()),
                     cat)
    value_cols = sorted({j for _, js in cols for j in js})
    check = cols[seen[m.totals[0]]][1][0] if m.totals else value_cols[0]
    header_cells = (grid[h, code_col], grid[h, name_col] if name_col is not None else None)
    rows = _classify(grid, range(h + 1, grid.shape[0]), code_col, name_col, value_cols,
                     {normalise_name(a) for a in m.aggregates}, check, reader, sheet.name,
                     header_cells)
    units = [r for r in rows if r.kind == "county"]
    unit_codes = [cast(str, r.code) for r in units]  # _classify gives every county row its code
    of_year = _year_list(m.year) if reader.matcher.codes else pd.DataFrame()
    for r, code in zip(units, unit_codes, strict=True):
        if (code in reader.matcher.codes or not reader.matcher.codes
                or code in of_year.index):
            continue
        what = ("statistical zone (fifth digit 7)" if code[4] == "7"
                else f"code not in the division lists of {m.year}")
        reader.issue(sheet.name, r.index + 1, code_col, header_cells[0], code,
                     f"{what}: {r.name} stored under its own code / 区划表中无此代码，按原代码保存",
                     "warning")
    if regions is not None and not regions.empty and "name_zh" in regions:
        listed = pd.concat([regions[["name_zh"]], of_year[["name_zh"]]])
        _check_names(rows, listed, reader, sheet.name, name_col, header_cells[1])
    rows_a = np.array([r.index for r in units], dtype=np.int64)
    ids = np.array([reader.code_ids.setdefault(code, len(reader.code_ids)) for code in unit_codes],
                   dtype=np.int64)
    years = np.full(len(units), m.year, dtype=np.int64)
    for c, js in cols:
        total = np.zeros(len(units))
        keep = np.ones(len(units), dtype=bool)
        for j in js:
            cells = grid[rows_a, j] if len(units) else np.empty(0, dtype=object)
            if c.blank == "zero":
                cells = np.array([0.0 if x is None else x for x in cells], dtype=object)
            value, ok = reader.column(sheet.name, cells, rows_a, j, grid[h, j], c.variable, c.unit)
            total = total + np.where(ok, value, 0.0)
            keep &= ok
        reader.add(sheet.name, c.variable, reader.stored_unit(c.variable, c.unit), js[0], keep,
                   region=ids, year=years, value=total, row=rows_a)
    values = reader.frame()
    report = ValidationReport.from_records(reader.issues)
    report.totals = _totals(grid, rows, m, cols, seen)
    named = pd.DataFrame({"name_zh": [normalise_name(r.name) for r in units],
                          "province": [r.province for r in units]},
                         index=pd.Index([r.code for r in units], name="code"))
    return Ingested(p.name, file_sha256(p), f"mapping:{m.info.id}", values, report,
                    reader.n_cells, named)


def _totals(grid: np.ndarray, rows: list[_Row], m: Mapping,
            cols: list[tuple[ColumnMap, list[int]]], seen: dict[str, int]) -> pd.DataFrame:
    """The province check of every ``totals`` variable (module docstring), in source units."""
    out = []
    provinces = [r for r in rows if r.kind == "province"]
    nation = next((r for r in rows if r.kind == "nation"), None)
    for var in m.totals:
        c, js = cols[seen[var]]

        def value(r: _Row, js: list[int] = js, c: ColumnMap = c) -> float:
            xs = [_number(grid[r.index, j]) for j in js]
            if c.blank == "zero":
                xs = [0.0 if grid[r.index, j] is None else x
                      for x, j in zip(xs, js, strict=True)]
            return float(sum(xs))

        unit = c.unit or ""
        if nation is not None:
            prov_sum = sum(value(r) for r in provinces)
            out.append({"variable": var, "unit": unit, "province": "", "province_name":
                        f"{nation.name} (sum of province rows)", "province_row": value(nation),
                        "county_sum": prov_sum, "n_units": len(provinces),
                        "difference": value(nation) - prov_sum, "codeless_sum": 0.0,
                        "codeless_units": "", "remainder": value(nation) - prov_sum,
                        "county_equivalents": ""})
        for prov in provinces:
            mine = [r for r in rows if r.province == prov.province]
            units = [r for r in mine if r.kind == "county"]
            codeless = [r for r in mine if r.kind == "codeless"]
            unit_sum = float(np.nansum([value(r) for r in units]))
            cl = [(r.name, value(r)) for r in codeless]
            cl_sum = float(np.nansum([v for _, v in cl]))
            diff = value(prov) - unit_sum
            out.append({
                "variable": var, "unit": unit, "province": prov.province,
                "province_name": prov.name, "province_row": value(prov), "county_sum": unit_sum,
                "n_units": len(units), "difference": diff, "codeless_sum": cl_sum,
                "codeless_units": "; ".join(f"{n} {v:g}" for n, v in cl if np.isfinite(v)),
                "remainder": diff - cl_sum,
                "county_equivalents": "; ".join(f"{r.code} {r.name}" for r in units
                                                if r.code and r.code.endswith("00")),
            })
    return pd.DataFrame(out, columns=TOTALS_COLUMNS)

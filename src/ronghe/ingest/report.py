"""The validation report: every cell ronghe could not use, or used with a doubt.

Severity ``error`` means the cell was rejected and nothing was stored for it; ``warning`` means the
value was stored but deserves a look (a footnote mark, a jump between years); ``missing`` means the
cell held a yearbook "no data" mark or was blank.

A table read with a column mapping (:mod:`ronghe.ingest.mapping`) also checks its county rows against
its province rows: :attr:`ValidationReport.totals`, one row per variable and province (written as the
sheet ``totals`` of an XLSX report, or ``<name>-totals.csv`` beside a CSV report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ronghe.errors import InputError

COLUMNS = ["file", "sheet", "row", "column", "header", "raw", "reason", "severity"]


@dataclass
class ValidationReport:
    """Issues found while reading one or more files (one row per cell, columns :data:`COLUMNS`).

    Rows are 1-based as a spreadsheet shows them; ``column`` is the spreadsheet letter and ``header``
    the column's heading. ``totals`` is the province check of a mapped table (empty otherwise;
    columns :data:`ronghe.ingest.mapping.TOTALS_COLUMNS`).
    """

    issues: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def from_records(cls, records: list[dict]) -> ValidationReport:
        frame = pd.DataFrame.from_records(records, columns=COLUMNS)
        frame["row"] = frame["row"].astype("Int64")
        return cls(frame)

    def __add__(self, other: ValidationReport) -> ValidationReport:
        parts = [f for f in (self.issues, other.issues) if not f.empty]
        totals = [f for f in (self.totals, other.totals) if not f.empty]
        return ValidationReport(
            pd.concat(parts, ignore_index=True) if parts else ValidationReport().issues,
            pd.concat(totals, ignore_index=True) if totals else pd.DataFrame())

    def __len__(self) -> int:
        return len(self.issues)

    def count(self, severity: str) -> int:
        return int((self.issues["severity"] == severity).sum())

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def missing(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "missing"]

    def lines(self) -> list[str]:
        """One human-readable line per issue: ``file, sheet 'S', row R, column C (header): reason``."""
        out = []
        for r in self.issues.itertuples(index=False):
            where = [str(r.file)]
            if r.sheet:
                where.append(f"sheet {r.sheet!r}")
            if not pd.isna(r.row):
                where.append(f"row {r.row}")
            if r.column:
                where.append(f"column {r.column} ({r.header})" if r.header else f"column {r.column}")
            raw = "" if r.raw is None or r.raw == "" else f" [{r.raw}]"
            out.append(f"{r.severity}: {', '.join(where)}: {r.reason}{raw}")
        return out

    def totals_lines(self) -> list[str]:
        """One line per province whose county rows do not add up to its province row."""
        out = []
        for r in self.totals.itertuples(index=False):
            if r.difference == 0:
                continue
            line = (f"{r.variable} {r.province} {r.province_name}: 省行 province row "
                    f"{r.province_row:,.0f}, 县级合计 county-level sum {r.county_sum:,.0f} "
                    f"({r.n_units} units), 差 difference {r.difference:,.0f}")
            if r.codeless_units:
                line += f"; 无代码单位 code-less units {r.codeless_units}"
            if r.remainder != r.difference:
                line += f"; 未解释 unexplained {r.remainder:,.0f}"
            out.append(line)
        return out

    def write(self, path: str | Path) -> Path:
        """Write the report as CSV (UTF-8 with BOM so Excel shows Chinese) or XLSX, by suffix."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix == ".csv":
            self.issues.to_csv(p, index=False, encoding="utf-8-sig")
            if not self.totals.empty:
                self.totals.to_csv(p.with_name(f"{p.stem}-totals.csv"), index=False,
                                   encoding="utf-8-sig")
        elif suffix == ".xlsx":
            with pd.ExcelWriter(p) as book:
                self.issues.to_excel(book, index=False, sheet_name="report")
                if not self.totals.empty:
                    self.totals.to_excel(book, index=False, sheet_name="totals")
        else:
            raise InputError("report file must end in .csv or .xlsx / 报告文件须为 .csv 或 .xlsx",
                             file=str(p))
        return p

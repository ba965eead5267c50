"""The validation report: every cell ronghe could not use, or used with a doubt.

Read in Chinese first: :meth:`ValidationReport.lines` writes ``错误 error：文件，工作表 'S'，第 R 行，
C 列（表头）：原因 / reason [原值]`` (``lang="en"`` gives the English line), the reasons the readers record
in English translated by :data:`ronghe.words.workbook.REASONS`; the XLSX report is a workbook with
an About sheet (counts by severity), Chinese headers and a column sheet
(:func:`ronghe.excel.write_workbook`); the CSV keeps the column codes for programs and adds the
Chinese severity and reason.

Severity ``error`` means the cell was rejected and nothing was stored for it; ``warning`` means the
value was stored but deserves a look (a footnote mark, a jump between years); ``missing`` means the
cell held a yearbook "no data" mark or was blank.

A table read with a column mapping (:mod:`ronghe.ingest.mapping`) also checks its county rows against
its province rows: :attr:`ValidationReport.totals`, one row per variable and province (written as the
sheet ``totals`` of an XLSX report, or ``<name>-totals.csv`` beside a CSV report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ronghe.errors import InputError
from ronghe.words import check_lang, pick
from ronghe.words.columns import WORKBOOK_COLUMNS
from ronghe.words.workbook import REASONS, SEVERITIES, WHERE

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

    def lines(self, lang: str = "zh", severities: tuple[str, ...] | None = None) -> list[str]:
        """One line per issue (of ``severities``, all by default): in Chinese first
        ``警告 warning：文件，工作表 'S'，第 R 行，C 列（表头）：原因 / reason [原值]``; ``lang="en"``:
        ``warning: file, sheet 'S', row R, column C (header): reason [raw]``."""
        zh = check_lang(lang) == "zh"
        sep = pick(WHERE["sep"], lang)
        out = []
        for r in self.issues.itertuples(index=False):
            if severities is not None and r.severity not in severities:
                continue
            raw = "" if r.raw is None or r.raw == "" else f" [{r.raw}]"
            where = [str(r.file)]
            if r.sheet:
                where.append(pick(WHERE["sheet"], lang).format(r.sheet))
            if not pd.isna(r.row):
                where.append(pick(WHERE["row"], lang).format(r.row))
            if r.column:
                where.append(pick(WHERE["column_header" if r.header else "column"], lang)
                             .format(r.column, r.header))
            if zh:
                label = SEVERITIES.get(r.severity, (r.severity, r.severity))[0].split("（")[0]
                out.append(f"{label} {r.severity}：{sep.join(where)}：{reason_zh(r.reason)}{raw}")
            else:
                out.append(f"{r.severity}: {sep.join(where)}: {r.reason}{raw}")
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

    def readable(self) -> pd.DataFrame:
        """The issues as a person reads them: the severity and the reason in Chinese first."""
        out = self.issues.copy()
        out["severity"] = [" / ".join(SEVERITIES.get(v, (v, v))) for v in out["severity"]]
        out["reason"] = [reason_zh(v) for v in out["reason"]]
        return out

    def write(self, path: str | Path) -> Path:
        """Write the report as CSV (UTF-8 with BOM so Excel shows Chinese; column codes, the
        severity and reason in Chinese first) or XLSX (a workbook with About and column sheets,
        Chinese headers, the sheets ``report`` and ``totals``), by suffix."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix == ".csv":
            self.readable().to_csv(p, index=False, encoding="utf-8-sig")
            if not self.totals.empty:
                self.totals.to_csv(p.with_name(f"{p.stem}-totals.csv"), index=False,
                                   encoding="utf-8-sig")
        elif suffix == ".xlsx":
            # the report file is an output and takes the workbooks' layout: imported when written,
            # as Result.to_excel does, so that reading files does not load the front end
            from ronghe import labels
            from ronghe.excel import write_workbook

            sheets = {"report": self.readable()}
            if not self.totals.empty:
                sheets["totals"] = self.totals
            counts = "，".join(f"{SEVERITIES[k][0]} {self.count(k)}" for k in SEVERITIES)
            notes = [("导入校验报告 validation report", counts),
                     ("说明 note", "error 未入库；warning 已入库，请核查；missing 为无数据标记或空白 / "
                                 "error: not stored; warning: stored, please check; missing: "
                                 "no-data mark or blank")]
            write_workbook(p, sheets, labels.column_sheet(sheets, WORKBOOK_COLUMNS), notes,
                           title="导入校验报告 / validation report")
        else:
            raise InputError("report file must end in .csv or .xlsx / 报告文件须为 .csv 或 .xlsx",
                             file=str(p))
        return p


def reason_zh(reason: str) -> str:
    """``reason`` zh first: ``中文 / English`` (:data:`ronghe.words.workbook.REASONS`); a reason
    already written ``English / 中文`` is turned round; an unknown one is shown as it is."""
    text = str(reason)
    if " / " in text:
        en, _, zh = text.rpartition(" / ")
        if not zh.isascii():
            return f"{zh} / {en}"
    for pattern, zh in REASONS:
        m = re.fullmatch(pattern, text)
        if m:
            return f"{zh.format(*m.groups())} / {text}"
    return text


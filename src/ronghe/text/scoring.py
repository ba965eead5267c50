"""Scoring work reports: policy-term attention per region-year, with the hits behind every figure.

Measures per report (one report per region-year; counts are term occurrences found by
:func:`ronghe.text.segment.find_hits`; ``n_chars`` is the number of CJK ideographs, see
:mod:`ronghe.text.chars`):

- ``rural_priority_attention`` (%, the O1 indicator) =
  100 · (n_rural_priority + n_integration) / (n_rural_priority + n_integration + n_city_centred):
  the share of the report's policy terms that put the countryside first or treat town and country
  as one, against city-centred growth terms. Undefined (NaN, and listed in ``problems``) when a
  report has no policy term at all. Alternatives a user can compute from the count columns: the
  narrow share 100 · rp / (rp + cc), which ignores integration vocabulary; or per-category densities
  (count / n_chars · 10^4), which mix attention with report length and style;
- ``integration_density`` = n_integration / n_chars · 10^4, integration terms per 10,000 characters;
- ``*_change`` = value − value in the region's previous report year present in the input
  (``previous_year``; not necessarily the calendar year before), in percentage points for the share;
  NaN for a region's first year and where either value is undefined.

This follows the policy-attention approach of counting a fixed vocabulary in government work
reports; the vocabulary comes from the seed papers (see ``terms_zh.yaml``). Counts measure what a
report talks about, not its stance: "遏制城市无序扩张" is still one city-centred hit. The hit list
(term, category, offsets and context of every occurrence) lets a reader check each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.ingest.tables import file_sha256
from ronghe.text.chars import count_han
from ronghe.text.demo_corpus import GENERATED_MARKER
from ronghe.text.reading import Problem, locate_reports, read_report_text
from ronghe.text.segment import find_hits
from ronghe.text.terms import CATEGORIES, TermDictionary, load_terms

PER_CHARS = 10_000
CONTEXT = 12
"""Characters of context kept either side of a hit."""

UNITS = {"rural_priority_attention": "%", "integration_density": "per 10,000 characters"}

REPORT_COLUMNS = [
    "region",
    "year",
    "file",
    "sha256",
    "read_as",
    "generated",
    "n_chars",
    *(f"n_{c}" for c in CATEGORIES),
]
MEASURE_COLUMNS = [
    *REPORT_COLUMNS,
    "rural_priority_attention",
    "integration_density",
    "previous_year",
    "rural_priority_attention_change",
    "integration_density_change",
]
HIT_COLUMNS = ["region", "year", "file", "term", "category", "start", "end", "context"]


@dataclass
class ScoreResult:
    """Measures, hits and problems of one scoring run.

    ``measures``: one row per region-year (columns :data:`MEASURE_COLUMNS`; ``sha256`` is the
    file's, ``read_as`` the encoding or format, ``generated`` whether it is a generated sample).
    ``hits``: one row per term occurrence; ``start``/``end`` are character offsets into the text
    returned by :func:`ronghe.text.reading.read_report_text` for ``file``.
    ``problems``: files or listing rows that gave no figure, and why.
    """

    measures: pd.DataFrame
    hits: pd.DataFrame
    problems: pd.DataFrame
    terms: TermDictionary
    source: str

    @property
    def term_counts(self) -> pd.DataFrame:
        """Hits summed per region-year and term: count and the ``start-end`` offsets of each."""
        cols = ["region", "year", "file", "term", "category"]
        if self.hits.empty:
            return pd.DataFrame(columns=[*cols, "count", "offsets"])
        spans = self.hits["start"].astype(str) + "-" + self.hits["end"].astype(str)
        grouped = self.hits.assign(span=spans).groupby(cols, sort=True)
        return grouped.agg(count=("span", "size"), offsets=("span", "; ".join)).reset_index()

    def to_observations(self) -> pd.DataFrame:
        """Long table ``region, year, variable, value, unit, source`` of the defined measures.

        ``variable`` is ``rural_priority_attention`` (unit %, the seed framework's O1 indicator) or
        ``integration_density``; ``source`` names the file, how it was read, the term dictionary
        (name, size, digest) and whether the report is a generated sample.
        """
        rows = []
        for m in self.measures.itertuples(index=False):
            source = f"work report {m.file} ({m.read_as}); ronghe.text {self.terms.describe()}"
            if m.generated:
                source += "; generated sample, not a real report"
            for variable, unit in UNITS.items():
                value = getattr(m, variable)
                if not np.isnan(value):
                    rows.append((m.region, m.year, variable, float(value), unit, source))
        return pd.DataFrame(rows, columns=["region", "year", "variable", "value", "unit", "source"])

    def write(self, path: str | Path) -> list[Path]:
        """Write the tables: an ``.xlsx`` with sheets measures, term_counts, hits and problems, or
        ``.csv`` files (``FILE`` holds the measures, ``FILE_<table>.csv`` the others)."""
        out = Path(path)
        tables = {
            "measures": self.measures,
            "term_counts": self.term_counts,
            "hits": self.hits,
            "problems": self.problems,
        }
        suffix = out.suffix.lower()
        if suffix == ".xlsx":
            with pd.ExcelWriter(out, engine="openpyxl") as writer:
                for name, table in tables.items():
                    table.to_excel(writer, sheet_name=name, index=False)
            return [out]
        if suffix == ".csv":
            written = []
            for name, table in tables.items():
                target = out if name == "measures" else out.with_name(f"{out.stem}_{name}.csv")
                table.to_csv(target, index=False, encoding="utf-8-sig")
                written.append(target)
            return written
        raise InputError(
            "output must end in .xlsx or .csv / 输出文件须为 .xlsx 或 .csv", file=str(out)
        )

    def summary(self) -> list[str]:
        """A few bilingual lines (zh first) on what was scored."""
        m = self.measures
        lines = []
        if m.empty:
            lines.append("没有可评分的报告。 / No report could be scored.")
        else:
            years = f"{m['year'].min()}–{m['year'].max()}"
            n_regions = m["region"].nunique()
            lines.append(f"已评分 {len(m)} 份报告（{n_regions} 个地区，{years} 年）。")
            lines.append(f"Scored {len(m)} reports ({n_regions} regions, {years}).")
            att = m["rural_priority_attention"].dropna()
            dens = m["integration_density"]
            if not att.empty:
                lines.append(
                    f"乡村优先注意力 中位数 {att.median():.1f}%"
                    f"（{att.min():.1f}–{att.max():.1f}%）；"
                    f"融合术语密度 中位数 {dens.median():.2f} 次/万字。"
                )
                lines.append(
                    f"rural_priority_attention median {att.median():.1f}% "
                    f"(range {att.min():.1f}–{att.max():.1f}%); integration_density median "
                    f"{dens.median():.2f} per 10,000 characters."
                )
            if m["generated"].any():
                lines.append(
                    f"其中 {int(m['generated'].sum())} 份为生成的示例文本。 / "
                    f"{int(m['generated'].sum())} of them are generated samples."
                )
        if not self.problems.empty:
            lines.append(
                f"{len(self.problems)} 个文件或条目有问题，见 problems。 / "
                f"{len(self.problems)} files or entries have problems, see problems."
            )
        lines.append(f"术语词典 / term dictionary: {self.terms.describe()}")
        return lines


def score_reports(
    source: str | Path, terms: TermDictionary | str | Path | None = None
) -> ScoreResult:
    """Score every report in ``source`` (a directory or a listing CSV, see
    :mod:`ronghe.text.reading`) with ``terms``: a dictionary, a YAML path, or None (built-in).
    """
    dictionary = terms if isinstance(terms, TermDictionary) else load_terms(terms)
    reports, problems = locate_reports(source)
    rows, hit_rows = [], []
    for report in reports:
        try:
            text, how = read_report_text(report.path)
        except InputError as exc:
            problems.append(Problem(report.label, exc.reason))
            continue
        hits = find_hits(text, dictionary)
        counts = dict.fromkeys(CATEGORIES, 0)
        for h in hits:
            counts[h.category] += 1
            context = text[max(0, h.start - CONTEXT) : h.end + CONTEXT]
            hit_rows.append(
                (
                    report.region,
                    report.year,
                    report.label,
                    h.term,
                    h.category,
                    h.start,
                    h.end,
                    " ".join(context.split()),
                )
            )
        if not hits:
            problems.append(
                Problem(
                    report.label,
                    "没有政策术语，注意力无定义 / no policy term "
                    "found: rural_priority_attention undefined",
                )
            )
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        rows.append(
            (
                report.region,
                report.year,
                report.label,
                file_sha256(report.path),
                how,
                GENERATED_MARKER in first_line,
                count_han(text),
                *(counts[c] for c in CATEGORIES),
            )
        )
    measures = _measures(pd.DataFrame(rows, columns=REPORT_COLUMNS))
    hits_frame = pd.DataFrame(hit_rows, columns=HIT_COLUMNS)
    problem_frame = pd.DataFrame([(p.file, p.reason) for p in problems], columns=["file", "reason"])
    return ScoreResult(measures, hits_frame, problem_frame, dictionary, str(source))


def _measures(counts: pd.DataFrame) -> pd.DataFrame:
    frame = counts.astype({"year": int, "n_chars": int, **{f"n_{c}": int for c in CATEGORIES}})
    frame = frame.sort_values(["region", "year"], ignore_index=True)
    rp, it, cc = (frame[f"n_{c}"].to_numpy(float) for c in CATEGORIES)
    total = rp + it + cc
    with np.errstate(invalid="ignore"):
        frame["rural_priority_attention"] = np.where(total > 0, 100.0 * (rp + it) / total, np.nan)
    frame["integration_density"] = it / frame["n_chars"].to_numpy(float) * PER_CHARS
    by_region = frame.groupby("region", sort=False)
    frame["previous_year"] = by_region["year"].shift(1).astype("Int64")
    for col in ("rural_priority_attention", "integration_density"):
        frame[f"{col}_change"] = frame[col] - by_region[col].shift(1)
    return frame[MEASURE_COLUMNS]

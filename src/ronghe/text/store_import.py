"""Writing text measures into the thematic database (:class:`ronghe.store.Store`).

Each report file becomes one import batch, written in one transaction by
:meth:`Store.import_frame`, holding its ``rural_priority_attention`` (%) and ``integration_density``
(per 10,000 characters) for its region and year. Provenance kept per batch:

- ``file_name``: the report as named in the source; ``layout``: ``text``;
- ``sha256``: SHA-256 of ``"<file sha256>:<term-dictionary digest>"``, because a figure depends on
  both — re-importing the same file with the same dictionary is a no-op (status ``unchanged``),
  while an edited report or dictionary gives a new batch whose values supersede the old ones
  (the store keeps both, see :meth:`Store.history`);
- ``source``: the file, how it was read, its own SHA-256 and the dictionary (name, size, digest),
  and "generated sample" for generated texts.

Observations carry no spreadsheet cell: ``sheet`` and ``column`` are empty and ``row`` is 0. Files
that could not be read are not written; they are listed in the score result's ``problems``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ronghe.store import Store
from ronghe.text.scoring import UNITS, ScoreResult, score_reports
from ronghe.text.terms import TermDictionary


@dataclass
class TextImportResult:
    """What an import did: the scoring behind it and one row per report file
    (``file, region, year, status, batch_id, n_values, n_superseded``)."""

    score: ScoreResult
    files: pd.DataFrame

    def summary(self) -> list[str]:
        """Bilingual lines (zh first): the scoring summary, then what was written."""
        f = self.files
        new = f[f["status"] == "imported"]
        n_same = int((f["status"] == "unchanged").sum())
        return [
            *self.score.summary(),
            f"已导入 {len(new)} 份报告的 {int(new['n_values'].sum())} 个值"
            f"（替换旧值 {int(new['n_superseded'].sum())} 个），{n_same} 份未变。",
            f"Imported {int(new['n_values'].sum())} values from {len(new)} reports "
            f"({int(new['n_superseded'].sum())} older values superseded); {n_same} unchanged.",
        ]


def import_reports(
    source: str | Path,
    store: Store,
    terms: TermDictionary | str | Path | None = None,
    user: str | None = None,
) -> TextImportResult:
    """Score the reports in ``source`` and write each one's measures to ``store`` (initialised
    first if it is new). See the module docstring for what is recorded."""
    result = score_reports(source, terms)
    if store.revision() is None:
        store.init()
    known = dict(zip(store.batches()["sha256"], store.batches()["id"], strict=True))
    observations = result.to_observations()
    digest = result.terms.digest
    rows = []
    for m in result.measures.itertuples(index=False):
        batch_sha = hashlib.sha256(f"{m.sha256}:{digest}".encode("ascii")).hexdigest()
        values = observations[
            (observations["region"] == m.region) & (observations["year"] == m.year)
        ]
        if batch_sha in known:
            rows.append((m.file, m.region, m.year, "unchanged", int(known[batch_sha]), 0, 0))
            continue
        stage = values[["region", "year", "variable", "value", "unit"]].assign(
            sheet=None, row=0, column=None
        )
        batch_id, superseded = store.import_frame(
            stage,
            file_name=m.file,
            sha256=batch_sha,
            # integration_density is always defined (a read report has n_chars > 0)
            source=f"{values['source'].iloc[0]}; file sha256 {m.sha256}",
            user=user,
            layout="text",
            counts={
                "n_cells": len(UNITS),
                "n_missing": len(UNITS) - len(stage),
                "n_rejected": 0,
                "n_warnings": 0,
            },
        )
        rows.append((m.file, m.region, m.year, "imported", batch_id, len(stage), superseded))
    files = pd.DataFrame(
        rows,
        columns=["file", "region", "year", "status", "batch_id", "n_values", "n_superseded"],
    )
    return TextImportResult(result, files)

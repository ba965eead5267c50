"""Rebuild the division history shipped in ``src/ronghe/regions/data/`` from the areacodes dataset.

    python scripts/build_division_history.py /work/shared/data/divisions

The source directory holds ``codes.json`` of the public-domain (CC0 1.0) dataset yescallop/areacodes:
every county-and-above division code of the PRC from 1981 with its years of use, the codes that took
over its area (``succ``; ``time`` marks a transfer of part of the area while the code stays in use)
and the approval each change cites (``descriptions``). Three CSV files are written:

- ``division_history.csv``: ``code, start, end, name_zh, level, parent`` — one row per code and period
  of use; ``start`` is the first year-end list holding the code, ``end`` the first one without it
  (empty while in use); ``level`` province | prefecture | county; ``parent`` the code above it in the
  dataset's tree (empty for provinces).
- ``division_changes.csv``: ``old_code, old_start, new_code, new_start, year, part, doc`` — one row per
  successor: area of the old record went to the new record in ``year``; ``part`` is 1 when only part
  of it did (a transfer), 0 when the old record ended and its remaining area went to the successors
  listed for that year (one successor: renamed, re-coded or merged; several: split).
- ``division_documents.csv``: ``doc, title, number, date`` — the approval or notice a change cites
  (``doc`` is ``year-index`` as in the dataset; title, 文号 and date only, not the full text).

Run it again after updating the source; the output is deterministic.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "ronghe" / "regions" / "data"


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _records(items: list[dict], parent: str, out: list[dict]) -> None:
    for item in items:
        code = f"{item['code']:06d}"
        out.append({"code": code, "start": item["start"], "end": item.get("end", ""),
                    "name_zh": item["name"], "level": _level(code), "parent": parent,
                    "succ": item.get("succ", [])})
        _records(item.get("children", []), code, out)


def _document(text: str) -> dict[str, str]:
    lines = text.splitlines()
    meta = dict(line.split("：", 1) for line in lines[1:] if "：" in line and len(line) < 80)
    return {"title": lines[0].lstrip("# ").strip(), "number": meta.get("文号", "").strip(),
            "date": meta.get("日期", "").strip()}


def build(source: Path, out: Path = OUT) -> None:
    tree = json.loads((source / "codes.json").read_text(encoding="utf-8"))
    records: list[dict] = []
    _records(tree["items"], "", records)
    periods: dict[str, list[tuple[int, int]]] = {}
    for r in records:
        periods.setdefault(r["code"], []).append((r["start"], r["end"] or 10_000))

    def start_at(code: str, year: int) -> int:
        found = [s for s, e in periods.get(code, []) if s <= year < e]
        if len(found) != 1:
            raise SystemExit(f"successor {code} is not in use at the end of {year}")
        return found[0]

    changes, docs = [], set()
    for r in records:
        for s in r["succ"]:
            year = s.get("time", r["end"])
            new = f"{s['code']:06d}"
            doc = f"{year}-{s['desc']}"
            docs.add((year, s["desc"]))
            changes.append({"old_code": r["code"], "old_start": r["start"], "new_code": new,
                            "new_start": start_at(new, year), "year": year,
                            "part": int("time" in s), "doc": doc})
    records.sort(key=lambda r: (r["code"], r["start"]))
    changes.sort(key=lambda c: (c["year"], c["old_code"], c["new_code"]))
    _write(out / "division_history.csv", ["code", "start", "end", "name_zh", "level", "parent"],
           records)
    _write(out / "division_changes.csv",
           ["old_code", "old_start", "new_code", "new_start", "year", "part", "doc"], changes)
    texts = tree["descriptions"]
    _write(out / "division_documents.csv", ["doc", "title", "number", "date"],
           [{"doc": f"{y}-{i}", **_document(texts[str(y)][i])} for y, i in sorted(docs)])


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))

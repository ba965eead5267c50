"""The variable catalogue that imports check against: ids, names, units, merge rule and valid range.

The catalogue is the union of the ``variables:`` sections of the built-in framework YAML files
(``ronghe/frameworks/builtin/*.yaml``: id, name_zh, name_en, unit, merge). Range checks come from an
entry's ``min``/``max`` when given; otherwise shares (unit % or ‰ with an id or name saying share, rate,
比重, 占比, 率) lie in 0–100 (0–1000 for ‰), and ratios (id containing ``ratio``, or a name ending in 比 or
系数) must be positive.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd
import yaml

from ronghe.errors import FrameworkError

COLUMNS = ["name_zh", "name_en", "unit", "merge", "min_value", "max_value", "positive"]
MERGE_RULES = ("sum", "mean", "popweighted")
_SHARE_WORDS = ("share", "rate", "比重", "占比", "率")


def _range(entry: dict) -> tuple[float | None, float | None, bool]:
    vid = str(entry.get("id", "")).lower()
    name = str(entry.get("name_zh") or "")
    unit = str(entry.get("unit") or "").strip()
    lo, hi = entry.get("min"), entry.get("max")
    if lo is not None or hi is not None:
        return (None if lo is None else float(lo)), (None if hi is None else float(hi)), False
    if unit in ("%", "‰") and any(w in vid or w in name for w in _SHARE_WORDS):
        return 0.0, (100.0 if unit == "%" else 1000.0), False
    positive = "ratio" in vid or name.endswith(("比", "系数"))
    return None, None, positive


def catalogue_frame(entries: list[dict]) -> pd.DataFrame:
    """Catalogue DataFrame indexed by variable id (columns :data:`COLUMNS`) from YAML-like entries."""
    rows = {}
    for e in entries:
        if not isinstance(e, dict) or not e.get("id"):
            raise FrameworkError(f"a catalogue variable needs an 'id' (got {e!r})")
        merge = str(e.get("merge") or "sum")
        if merge not in MERGE_RULES:
            raise FrameworkError(f"variable {e['id']!r}: merge must be one of {MERGE_RULES}")
        lo, hi, positive = _range(e)
        rows[str(e["id"])] = {
            "name_zh": str(e.get("name_zh") or ""), "name_en": str(e.get("name_en") or ""),
            "unit": str(e.get("unit") or ""), "merge": merge,
            "min_value": lo, "max_value": hi, "positive": positive,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=COLUMNS)
    frame.index.name = "id"
    return frame


def builtin_catalogue() -> pd.DataFrame:
    """Union of the ``variables:`` of every built-in framework (first definition of an id wins)."""
    entries: list[dict] = []
    seen: set[str | None] = set()
    folder = resources.files("ronghe.frameworks") / "builtin"
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if not item.name.endswith((".yaml", ".yml")):
            continue
        doc = yaml.safe_load(item.read_text(encoding="utf-8")) or {}
        for e in doc.get("variables") or []:
            if isinstance(e, dict) and e.get("id") not in seen:
                seen.add(e.get("id"))
                entries.append(e)
    return catalogue_frame(entries)

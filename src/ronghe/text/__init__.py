"""Policy-text attention: measuring "city-centred thinking" (obstacle O1) from work reports.

Reads government work reports (TXT, DOCX, PDF; one per region-year), counts the terms of an
editable dictionary with jieba segmentation, and turns the counts into ``rural_priority_attention``
(%, the seed framework's O1 indicator) and an integration-term density, with every hit listed.

>>> from ronghe.text import score_reports, demo_corpus_dir
>>> result = score_reports(demo_corpus_dir())
>>> sorted(result.to_observations()["variable"].unique())
['integration_density', 'rural_priority_attention']
"""

from importlib import import_module
from typing import Any

from ronghe.text.demo_corpus import (
    DEFAULT_SEED,
    GENERATED_MARKER,
    DemoReport,
    demo_corpus_dir,
    generate_demo_corpus,
    write_demo_corpus,
)
from ronghe.text.segment import Hit, find_hits, segment
from ronghe.text.terms import CATEGORIES, TermDictionary, builtin_terms_path, load_terms

#: Objects whose modules need pandas: imported on first use, so ``ronghe --help`` stays light.
_LAZY = {
    "Problem": "reading",
    "ReportFile": "reading",
    "locate_reports": "reading",
    "read_report_text": "reading",
    "ScoreResult": "scoring",
    "score_reports": "scoring",
}

__all__ = [
    "CATEGORIES",
    "DEFAULT_SEED",
    "GENERATED_MARKER",
    "DemoReport",
    "Hit",
    "Problem",
    "ReportFile",
    "ScoreResult",
    "TermDictionary",
    "builtin_terms_path",
    "demo_corpus_dir",
    "find_hits",
    "generate_demo_corpus",
    "load_terms",
    "locate_reports",
    "read_report_text",
    "score_reports",
    "segment",
    "write_demo_corpus",
]


def __getattr__(name: str) -> Any:
    """The reading and scoring objects, imported on first use."""
    if name in _LAZY:
        return getattr(import_module(f"ronghe.text.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'ronghe.text' has no attribute {name!r}")

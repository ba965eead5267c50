"""Policy-text attention: measuring "city-centred thinking" (obstacle O1) from work reports.

Reads government work reports (TXT, DOCX, PDF; one per region-year), counts the terms of an
editable dictionary with jieba segmentation, and turns the counts into ``rural_priority_attention``
(%, the seed framework's O1 indicator) and an integration-term density, with every hit listed.

>>> from ronghe.text import score_reports, demo_corpus_dir
>>> result = score_reports(demo_corpus_dir())
>>> sorted(result.to_observations()["variable"].unique())
['integration_density', 'rural_priority_attention']
"""

from ronghe.text.demo_corpus import (
    DEFAULT_SEED,
    GENERATED_MARKER,
    DemoReport,
    demo_corpus_dir,
    generate_demo_corpus,
    write_demo_corpus,
)
from ronghe.text.reading import Problem, ReportFile, locate_reports, read_report_text
from ronghe.text.scoring import ScoreResult, score_reports
from ronghe.text.segment import Hit, find_hits, segment
from ronghe.text.terms import CATEGORIES, TermDictionary, builtin_terms_path, load_terms

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

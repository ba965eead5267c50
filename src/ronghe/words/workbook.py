"""Words of the workbooks and of the import validation report (zh-CN first, en).

- :data:`HEADERS`: the short Chinese header a workbook shows above a column (the long explanation
  of each column is in :mod:`ronghe.words.columns`; a column without a header here shows the
  first clause of its explanation);
- :data:`SHEETS` / :data:`SHEET_PREFIXES`: what each sheet holds, listed on the About sheet;
- :data:`ABOUT`: the keys of the About sheet; :data:`TITLES`: the title of each kind of workbook;
- :data:`SEVERITIES`, :data:`WHERE`, :data:`REASONS`: the validation report of an import.

The words are in ``workbook.toml``.
"""

from __future__ import annotations

from ronghe.words import Catalogue

_WORDS = Catalogue("workbook.toml")
HEADERS = _WORDS.take("HEADERS", dict[str, str])
PREFIX_HEADERS = _WORDS.take("PREFIX_HEADERS", tuple[tuple[str, str], ...])
TOP_HEADERS = _WORDS.take("TOP_HEADERS", tuple[str, str, str])
TREATMENTS = _WORDS.take("TREATMENTS", dict[str, str])
CATEGORY_NAMES = _WORDS.take("CATEGORY_NAMES", dict[str, str])
SHEETS = _WORDS.take("SHEETS", dict[str, tuple[str, str]])
SHEET_PREFIXES = _WORDS.take("SHEET_PREFIXES", tuple[tuple[str, tuple[str, str]], ...])
ABOUT = _WORDS.take("ABOUT", dict[str, str])
COLUMN_SHEET = _WORDS.take("COLUMN_SHEET", tuple[str, ...])
TITLES = _WORDS.take("TITLES", dict[str, str])
CITE = _WORDS.take("CITE", str)
SEVERITIES = _WORDS.take("SEVERITIES", dict[str, tuple[str, str]])
WHERE = _WORDS.take("WHERE", dict[str, tuple[str, str]])
REASONS = _WORDS.take("REASONS", tuple[tuple[str, str], ...])
_WORDS.close()

"""Derived data of the diagnosis lives on the Result (``result.memo``), not in module globals; the
column labels and the diagnosis words sit on the ground floor (``ronghe.words``)."""

from __future__ import annotations

import string
import subprocess
import sys
from collections.abc import MutableMapping

import pytest

from ronghe import datasets, diagnosis
from ronghe.diagnosis.setup import LOOKUP_KEY, SETUP_KEY
from ronghe.study import Study
from ronghe.words.diagnosis import PEER_SCOPE, TEXT, TREND_STATUS, TYPE_REASON


def _result():
    return Study(datasets.synthetic_counties(seed=3, years=range(2019, 2023), provinces=["33"]),
                 "seed").evaluate()


def test_prepared_tables_live_in_the_results_memo():
    a, b = _result(), _result()
    assert SETUP_KEY not in a.memo and LOOKUP_KEY not in a.memo
    diagnosis.prepare(a)
    setup, lookup = a.memo[SETUP_KEY], a.memo[LOOKUP_KEY]
    assert sorted(lookup.profiles) == [2019, 2020, 2021, 2022]
    code = str(a.state.regions[0])
    first = diagnosis.diagnose(a, code)
    assert a.memo[SETUP_KEY] is setup and a.memo[LOOKUP_KEY] is lookup  # built once, reused
    assert not b.memo  # another Result shares nothing
    diagnosis.diagnoses(b)
    assert b.memo[SETUP_KEY] is not setup
    assert diagnosis.diagnose(b, code).to_dict() == first.to_dict()  # same data, same diagnosis


def test_no_module_level_caches():
    from ronghe import words
    from ronghe.diagnosis import diagnose, records, setup, tables, text
    from ronghe.words import columns
    from ronghe.words import diagnosis as diagnosis_words

    catalogues = {id(v) for m in (words, columns, diagnosis_words) for v in vars(m).values()}
    for module in (diagnosis, diagnose, records, setup, tables, text):
        for name, value in vars(module).items():
            if name.startswith("__") or id(value) in catalogues:  # words, imported
                continue
            held = isinstance(value, dict | list | set | MutableMapping)
            assert not held and not hasattr(value, "cache_info"), f"{module.__name__}.{name}"


def test_labels_and_words_import_no_feature():
    code = ("import sys, ronghe.labels, ronghe.words.diagnosis, ronghe.words.columns; "
            "print(*(m for m in sys.modules if m.startswith('ronghe')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert loaded <= {"ronghe", "ronghe.errors", "ronghe.labels", "ronghe.words",
                      "ronghe.words.diagnosis", "ronghe.words.columns"}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("catalogue", [TEXT, TREND_STATUS, PEER_SCOPE, TYPE_REASON])
def test_diagnosis_words_are_pairs_with_the_same_blanks(catalogue):
    for key, (zh, en) in catalogue.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert not zh.isascii(), key  # the Chinese text comes first

"""The validation report's reasons read in Chinese first (issue 18: no English-only report)."""

from __future__ import annotations

import pytest

from ronghe.ingest.report import ValidationReport, reason_zh


@pytest.mark.parametrize(("reason", "zh"), [
    ("no data mark", "无数据标记（空白或“…”“—”等）"),
    ("120 outside the valid range [0, 100]", "120 超出有效范围 [0, 100]"),
    ("a datetime cell is not a number", "datetime 类型的单元格不是数值"),
    ("year-on-year jump ×4.05 (2021: 1 → 2022: 4.05) / 同比突变", "同比突变"),
    ("total row skipped / 合计行已跳过", "合计行已跳过"),
])
def test_reason_zh_first(reason, zh):
    assert reason_zh(reason).startswith(zh)
    assert reason_zh(reason).endswith(reason.split(" / ")[0])


def test_unknown_reason_as_it_is_and_readable_frame():
    assert reason_zh("something new") == "something new"
    report = ValidationReport.from_records([
        {"file": "a.csv", "sheet": "", "row": 3, "column": "B", "header": "gdp", "raw": "x",
         "reason": "not a number", "severity": "error"}])
    shown = report.readable()
    assert shown.loc[0, "severity"] == "错误（未入库） / error (not stored)"
    assert shown.loc[0, "reason"] == "不是数值 / not a number"
    assert report.lines() == ["错误 error：a.csv，第 3 行，B 列（gdp）：不是数值 / not a number [x]"]
    assert report.lines(severities=("warning",)) == []

"""One language out of a bilingual message, progress steps and audit flags in words."""

from __future__ import annotations

import pytest

from ronghe.errors import InputError
from ronghe.words.audit import flag_label
from ronghe.words.bilingual import in_language, split_bilingual
from ronghe.words.progress import STEPS, step_label

DROPPED = ("选项已剔除 / option dropped: cv (指标 'gdp_growth' 含非正值 / indicator 'gdp_growth' "
           "has non-positive values)")


def test_head_and_quoted_message_split():
    zh, en = split_bilingual(DROPPED)
    assert zh == "选项已剔除：cv (指标 'gdp_growth' 含非正值)"
    assert en == "option dropped: cv (indicator 'gdp_growth' has non-positive values)"


@pytest.mark.parametrize(("text", "zh", "en"), [
    ("空间自相关：无法计算（边界缺失 / boundaries missing）。", "空间自相关：无法计算（边界缺失）。",
     "空间自相关：无法计算（boundaries missing）。"),
    ("指标 地区生产总值 缺失 / indicator 地区生产总值 is missing", "指标 地区生产总值 缺失",
     "indicator 地区生产总值 is missing"),
    ("Spearman / Kendall", "Spearman / Kendall", "Spearman / Kendall"),
    ("元 / 月", "元 / 月", "元 / 月"),
    ("plain", "plain", "plain"),
])
def test_in_language(text, zh, en):
    assert (in_language(text, "zh"), in_language(text, "en")) == (zh, en)


def test_in_language_checks_lang():
    with pytest.raises(InputError):
        in_language(DROPPED, "fr")


def test_every_step_of_the_chain_has_words():
    assert step_label("normalisation") == "标准化 normalisation"
    assert step_label("coupling", "zh") == "耦合协调度"
    assert step_label("工作簿 workbook") == "工作簿 workbook"
    import inspect

    from ronghe.study import Study

    said = set(__import__("re").findall(r'say\("(\w+)"\)', inspect.getsource(Study.evaluate)))
    assert said and said <= set(STEPS)


def test_flag_labels():
    assert flag_label("negative,weak") == "负相关、弱相关"
    assert flag_label("collinear", "en") == "collinear"
    assert flag_label("") == ""

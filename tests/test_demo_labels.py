"""The provinces demo records what it is (issue 18): framework ``provinces-demo`` by id, settings
that reproduce the run, the data file's SHA-256, labelled as a dataset shipped with ronghe (never
"user data"), and no English exception repeated in the region profiles."""

from __future__ import annotations

import hashlib
from importlib.resources import files

import pandas as pd
import pytest

from ronghe import Study, datasets
from ronghe.demo import demo_study
from ronghe.frameworks import list_frameworks, load_framework
from ronghe.settings import Settings


@pytest.fixture(scope="module")
def result():
    return demo_study("provinces").evaluate()


def test_demo_records_its_framework_and_data(result) -> None:
    notes = dict(result.notes())
    assert notes["框架 framework"].startswith("provinces-demo: 人口城镇化与经济发展耦合")
    assert result.settings.framework == "provinces-demo"
    assert "framework: provinces-demo" in notes["设置 settings (YAML)"]
    csv = files("ronghe.datasets") / "data" / "provinces" / "provpanel_long.csv"
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    assert datasets.provinces_data_hash() == digest
    assert f"provpanel_long.csv sha256 {digest[:16]}" in notes["数据 data"]
    assert notes["数据 data"].endswith("— 随 ronghe 发布的数据集 / dataset shipped with ronghe")
    assert "用户数据" not in notes["数据 data"] and "user data" not in notes["数据 data"]


def test_recorded_settings_reproduce_the_run(result, tmp_path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(dict(result.notes())["设置 settings (YAML)"], encoding="utf-8")
    again = Study(datasets.provinces(), settings=Settings.load(path)).evaluate()
    assert again.settings_hash == result.settings_hash
    assert again.framework.id == "provinces-demo"
    pd.testing.assert_frame_equal(again.index, result.index)


def test_dataset_framework_loads_by_id_but_is_not_a_builtin() -> None:
    assert "provinces-demo" not in list_frameworks()
    fw = load_framework("provinces-demo")
    assert fw.id == "provinces-demo" and fw == datasets.provinces_framework()


def test_user_panel_is_still_user_data(result) -> None:
    panel = datasets.provinces()
    user = type(panel)(panel.data, panel.regions, dict(panel.units), "my.xlsx")
    res = Study(user, "provinces-demo").evaluate()
    assert dict(res.notes())["数据 data"] == "my.xlsx — 用户数据 / user data"
    assert panel.select(years=[2020]).shipped  # a sub-panel of shipped data stays shipped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profiles_say_why_there_is_no_diagnosis_without_the_exception(result, lang) -> None:
    from ronghe.report.content import build_content

    content = build_content(result, lang=lang, spatial=False, methods=False)
    assert content.profiles
    for p in content.profiles:
        assert "needs obstacle tags" not in p.peers_note and "'provinces-demo'" not in p.peers_note
        assert "O1–O4" in p.peers_note
    if lang == "zh":
        assert content.profiles[0].peers_note.startswith("框架未把指标标注到障碍类别")


def test_synthetic_demo_says_which_values_come_from_the_text_path() -> None:
    panel = demo_study("synthetic").panel
    assert panel.synthetic and not panel.shipped
    assert "rural_priority_attention：" in panel.source and "ronghe.text" in panel.source


def test_report_lisa_maps_name_their_classes(result, tmp_path) -> None:
    """The HTML report's LISA maps and scatter name the classes (高高, p < 0.05), not the codes."""
    import html
    import re

    from ronghe.report.html import write_html

    page = write_html(result, tmp_path / "r.html").read_text(encoding="utf-8")
    keys = [html.unescape(k) for k in
            re.findall(r'<span class="map-key"><i[^>]*></i>([^<]*)</span>', page)]
    assert "高高 (0)" in keys and "不显著 (30)" in keys and "p < 0.05 (1)" in keys
    assert not any(k.startswith(("HH", "ns", "0.05")) for k in keys), keys

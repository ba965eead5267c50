"""Done-when of issue 4: the planted blocking indicator, its category and path, and the peers."""

from __future__ import annotations

import json

from ronghe.diagnosis import peer_exemplars


def test_planted_indicator_ranks_first_and_maps_to_o3_and_r3(planted):
    d = planted.result.diagnose(planted.target, 2023)
    top = d.blockers[0]
    assert top.indicator == "village_clinic_coverage"
    assert top.category == "O3"
    assert top.value == 5.0
    # lowest normalised score of the year, alone with the decoy: (1.5 - 0.5) / 194 -> about 0.5
    assert top.percentile < 1.0 and top.province_percentile < 2.0
    assert top.trend is not None and top.trend.status == "flat" and top.trend.slope == 0.0
    assert d.categories[0].id == "O3"
    assert d.type == "service-lagging"
    assert d.paths[0].route == "R3"
    evidence = {e.indicator: e.matched for e in d.paths[0].indicators}
    assert "id" in evidence["village_clinic_coverage"]
    assert set(evidence["village_clinic_coverage"]) >= {"O3", "P3"}


def test_planted_peers_are_found_in_order_of_improvement(planted):
    d = planted.result.diagnose(planted.target, 2023)
    assert d.peer_indicator == "village_clinic_coverage"
    assert d.peer_years == (2020, 2023)
    assert [p.region for p in d.peers] == list(planted.peers)
    assert [p.scope for p in d.peers] == ["province"] * 3
    assert [(p.before, p.after) for p in d.peers] == [(5.0, 95.0), (5.0, 85.0), (5.0, 75.0)]
    assert [round(p.improvement, 9) for p in d.peers] == [90.0, 80.0, 70.0]
    # the far region improved more (+95) and the decoy is as similar, neither is a peer
    found = {p.region for p in d.peers}
    assert planted.far not in found and planted.decoy not in found


def test_national_peers_fill_after_the_province(planted):
    years, peers = peer_exemplars(planted.result, planted.target, 2023,
                                  "village_clinic_coverage", n=5, pool=4)
    assert years == (2020, 2023)
    assert [p.scope for p in peers] == ["province"] * 3 + ["national"] * 2
    assert [p.region for p in peers[:3]] == list(planted.peers)
    assert all(p.province == "33" and p.improvement > 0 for p in peers[3:])
    assert peers[3].improvement >= peers[4].improvement


def test_peer_window_shrinks_to_the_first_year(planted):
    years, peers = peer_exemplars(planted.result, planted.target, 2017,
                                  "village_clinic_coverage", years_back=3)
    assert years == (2016, 2017)
    # the planted copies had not started yet: only ordinary regions with small gains are left
    assert not {p.region for p in peers} & {*planted.peers, planted.decoy}
    assert all(0 < p.improvement < 5 for p in peers)
    assert peer_exemplars(planted.result, planted.target, 2016, "village_clinic_coverage") == (
        None, [])


def test_text_and_dict(planted):
    d = planted.result.diagnose(planted.target, 2023)
    zh, en = d.to_text(), d.to_text("en")
    assert "村卫生室覆盖率" in zh and "合成数据" in zh and "R3 促进高质高效" in zh
    assert "Villages with a clinic" in en and "synthetic" in en and "Service-lagging" in en
    for p in planted.peers:
        assert p in zh and p in en
    assert len(zh.splitlines()) <= 30
    payload = json.loads(json.dumps(d.to_dict(), allow_nan=False))
    assert payload["blockers"][0]["indicator"] == "village_clinic_coverage"
    assert payload["paths"][0]["route"] == "R3"
    assert payload["peers"][0]["region"] == planted.peers[0]


def test_first_year_has_no_peer_window(planted):
    d = planted.result.diagnose(planted.target, 2016, lang="en")
    assert d.peer_years is None and d.peers == [] and d.peer_indicator is None
    assert d.blockers[0].trend is None  # a single year is no trend
    text = d.to_text()  # the language given to diagnose is the default
    assert "the data have no year before 2016 to compare with" in text
    assert "数据中没有 2016 年之前可供比较的年份" in d.to_text("zh")

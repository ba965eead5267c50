"""Clear errors: unknown region or year, a framework without obstacle tags, bad arguments."""

from __future__ import annotations

import pytest
import yaml

from ronghe.diagnosis import diagnose, peer_exemplars
from ronghe.errors import FrameworkError, InputError
from ronghe.frameworks import framework_from_yaml, load_framework
from ronghe.panel import Panel
from ronghe.study import Study


def test_unknown_region_names_the_data_and_similar_codes(plain):
    with pytest.raises(InputError, match=r"region '34012' is not in the data \(194 regions\); "
                                         r"similar codes: 340121, 340122, 340123"):
        plain.diagnose("34012", 2020)
    with pytest.raises(InputError, match=r"region '3301' is not in the data \(194 regions\); "
                                         r"similar codes: 330102, 330105, 330106"):
        plain.diagnose("3301")
    with pytest.raises(InputError, match=r"region '上城' .*; similar names: 上城区 \(330102\)"):
        plain.diagnose("上城")
    with pytest.raises(InputError, match=r"region '999999' is not in the data \(194 regions\)$"):
        plain.diagnose("999999")


def test_unknown_year_suggests_the_nearest(plain):
    with pytest.raises(InputError, match=r"year 2030 is not in the data for region 330102 "
                                         r"\(years 2016-2023; nearest 2023\)"):
        plain.diagnose("330102", 2030)
    with pytest.raises(InputError, match="nearest 2016"):
        plain.diagnose("330102", 2010)
    with pytest.raises(InputError, match=r"year 1999 is not in the data \(years 2016-2023"):
        plain.diagnoses(year=1999)
    with pytest.raises(InputError, match="whole number"):
        plain.diagnose("330102", "last")


def test_year_gaps_are_listed(plain):
    p = plain.state.panel
    gappy = p.select(years=[2016, 2017, 2018, 2021, 2022, 2023])
    res = Study(gappy, "seed").evaluate()
    with pytest.raises(InputError, match=r"years 2016, 2017, 2018, 2021, 2022, 2023; nearest 2018"):
        res.diagnose("330102", 2019)


def test_region_by_name_and_ambiguous_names(plain):
    assert plain.diagnose("上城区", 2020).region == "330102"
    p = plain.state.panel
    regions = p.regions.copy()
    regions.loc[["330105", "330106"], "name_zh"] = "同名区"
    res = Study(Panel(p.data, regions, p.units, p.source, p.synthetic), "seed").evaluate()
    with pytest.raises(InputError, match="region name '同名区' is ambiguous: use one of the codes "
                                         "330105, 330106"):
        res.diagnose("同名区")


def test_latest_year_by_default(plain):
    assert plain.diagnose("330102").year == 2023


def test_framework_without_obstacle_tags(plain):
    body = yaml.safe_load(load_framework("seed").to_yaml())
    for dim in body["dimensions"]:
        for ind in dim["indicators"]:
            ind.get("tags", {}).pop("obstacle", None)
    fw = framework_from_yaml(yaml.safe_dump(body, allow_unicode=True))
    res = Study(plain.state.panel, fw).evaluate()
    msg = "tags no indicator with an obstacle category .* diagnosis needs obstacle tags"
    with pytest.raises(FrameworkError, match=msg):
        res.diagnose("330102", 2020)
    with pytest.raises(FrameworkError, match=msg):
        res.diagnoses()
    with pytest.raises(FrameworkError, match=msg):
        res.typology_summary()
    assert "diagnosis" not in res.tables() and "typology" not in res.tables()


def test_bad_arguments(plain):
    with pytest.raises(InputError, match="lang must be zh or en, got 'fr'"):
        diagnose(plain, "330102", 2020, lang="fr")
    with pytest.raises(InputError, match="lang must be zh or en, got 'fr'"):
        plain.diagnose("330102", 2020).to_text("fr")
    with pytest.raises(InputError, match="indicator 'gdp': framework 'seed' has no such indicator"):
        peer_exemplars(plain, "330102", 2020, "gdp")
    with pytest.raises(InputError, match="at least 1"):
        peer_exemplars(plain, "330102", 2020, "income_ratio", n=0)

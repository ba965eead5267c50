"""What the report shows: disparity against PyPI ``inequality``, the profile rule, shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from inequality.gini import Gini

from ronghe.errors import InputError
from ronghe.regions.macro import macro_region
from ronghe.report.content import ALL_PROFILES_UP_TO, TOP_BOTTOM, build_content


def test_dagum_total_and_within_match_inequality_gini(result, content) -> None:
    # oracle: the overall Dagum G is the plain Gini of the pooled values, and G_jj is the plain
    # Gini of group j (PyPI inequality, same n^2 convention)
    assert content.disparity_grouping == "macro"
    idx = result.coupling
    for year in (2019, 2023):
        d = idx.loc[idx["year"] == year, ["D", "province"]]
        row = content.disparity.query("year == @year and variable == 'D'").iloc[0]
        assert row["G"] == pytest.approx(Gini(d["D"].to_numpy()).g, rel=1e-12)
        assert row["G"] == pytest.approx(row["Gw"] + row["Gnb"] + row["Gt"], rel=1e-12)
        groups = content.disparity_groups.query("year == @year and variable == 'D'")
        for g in groups.itertuples():
            vals = d.loc[d["province"].map(macro_region) == g.group, "D"].to_numpy()
            assert g.n == len(vals)
            assert g.G_jj == pytest.approx(Gini(vals).g, rel=1e-12)


def test_rankings_and_shares(result, content) -> None:
    last = content.last
    assert last == 2023
    r = content.rankings
    assert list(r["rank"]) == sorted(r["rank"])
    assert len(r) == result.index["region"].nunique()
    shares = content.grade_shares.groupby("year")["share"].sum()
    np.testing.assert_allclose(shares.to_numpy(), 1.0)
    oc = content.obstacle_categories
    cats = oc[oc["category"] != "other"].groupby("year")["share"].sum()
    # the one convention of every output: O1-O4 shares sum to 1, the untagged part apart
    np.testing.assert_allclose(cats.to_numpy(), 1.0)


def test_profile_rule_top_and_bottom(result, content) -> None:
    n = content.rankings.shape[0]
    assert n > ALL_PROFILES_UP_TO
    regions = [p.region for p in content.profiles]
    order = content.rankings["region"].tolist()
    assert regions == order[:TOP_BOTTOM] + order[-TOP_BOTTOM:]
    for p in content.profiles:
        assert 1 <= p.rank_in_province <= p.n_in_province
        assert p.paths, p.region
        cur = result.coupling.query("region == @p.region and year == 2023").iloc[0]
        assert (p.grade, p.grade_label) == (cur["grade"], cur["grade_zh"])


def test_one_region_and_its_position(result) -> None:
    c = build_content(result, lang="en", region="130123", spatial=False)
    (p,) = c.profiles
    idx = result.index.query("year == 2023")
    hebei = idx[idx["province"] == "13"].sort_values("index", ascending=False)
    assert p.rank_in_province == hebei["region"].tolist().index("130123") + 1
    assert p.rank == int(idx.set_index("region").at["130123", "rank"])
    assert c.boundaries is None and c.moran is None
    assert any("skipped" in n for n in c.notes)


def test_rank_intervals(result, content) -> None:
    pytest.importorskip("ronghe.planning.uncertainty", reason="no uncertainty analysis")
    ri = content.rank_intervals
    assert ri is not None and len(ri) == len(content.rankings)
    nominal = result.index.query("year == 2023").set_index("region")["rank"]
    assert (ri.set_index("region")["nominal_rank"] == nominal.reindex(ri["region"])).all()
    assert (ri["p05_rank"] <= ri["median_rank"]).all() and (ri["median_rank"] <= ri["p95_rank"]).all()
    assert any("100" in n and ("蒙特卡洛" in n) for n in content.notes)


def test_rank_intervals_need_their_columns(result) -> None:
    with pytest.raises(InputError, match="p95_rank"):
        build_content(result, spatial=False,
                      rank_intervals=pd.DataFrame({"region": ["130123"], "nominal_rank": [1],
                                                   "median_rank": [1], "p05_rank": [1]}))


def test_unknown_region_or_year(result) -> None:
    with pytest.raises(InputError, match="region 999999"):
        build_content(result, region="999999", spatial=False)
    with pytest.raises(InputError, match="year 1990"):
        build_content(result, year=1990, spatial=False)


def test_one_macro_region_groups_by_province() -> None:
    from ronghe import datasets
    from ronghe.study import Study

    panel = datasets.synthetic_counties(provinces=["14", "34"], years=range(2022, 2024))
    res = Study(panel, "seed").evaluate()
    c = build_content(res, lang="en", spatial=False)  # Shanxi and Anhui: both central
    assert c.disparity_grouping == "province"
    assert set(c.trends_by_group["group_name"]) == {"Shanxi", "Anhui"}
    d = res.coupling.query("year == 2023")
    row = c.disparity.query("year == 2023 and variable == 'D'").iloc[0]
    assert row["G"] == pytest.approx(Gini(d["D"].to_numpy()).g, rel=1e-12)
    groups = c.disparity_groups.query("year == 2023 and variable == 'D'").set_index("group")
    for prov in ("14", "34"):
        vals = d.loc[d["province"] == prov, "D"].to_numpy()
        assert groups.at[prov, "G_jj"] == pytest.approx(Gini(vals).g, rel=1e-12)


def test_title_names_what_the_framework_measures() -> None:
    """Issue 18: the provinces demo measures urbanisation and economy, not integration."""
    from ronghe import datasets
    from ronghe.report.content import build_content
    from ronghe.study import Study

    res = Study(datasets.provinces(), datasets.provinces_framework()).evaluate()
    title = build_content(res, lang="zh", spatial=False).title
    assert "城乡融合" not in title and "人口城镇化与经济发展" in title


def test_report_dagum_and_moran_are_the_analysis_numbers(result, content) -> None:
    """Issue 15: the report shows ronghe.analysis's Dagum and Moran tables, not its own
    recomputation: same numbers, same column names as the analysis workbook."""
    from ronghe import analysis
    from ronghe.report.content import MORAN_PERMUTATIONS

    grouping = content.disparity_grouping
    full = analysis.disparity(result, "D", grouping)
    assert set(content.disparity.columns) == {"variable", *full.dagum.columns}
    assert set(content.disparity_groups.columns) == {"variable", "group_name",
                                                     *full.dagum_within.columns} - {"group_zh"}
    for variable in ("index", "D"):
        dg = analysis.dagum(result, variable, grouping)
        shown = content.disparity.query("variable == @variable").drop(columns="variable")
        pd.testing.assert_frame_equal(shown.reset_index(drop=True), dg.totals, check_exact=True)
        groups = content.disparity_groups.query("variable == @variable")
        pd.testing.assert_frame_equal(groups.drop(columns=["variable", "group_name"])
                                      .reset_index(drop=True),
                                      dg.within.drop(columns="group_zh"), check_exact=True)
    pd.testing.assert_frame_equal(
        content.disparity.query("variable == 'D'").drop(columns="variable")
        .reset_index(drop=True), full.dagum, check_exact=True)

    assert content.moran is not None, content.notes  # boundaries of the maps extra are present
    for variable in ("index", "D"):
        done = analysis.moran(result, variable, level=content.level,
                              permutations=MORAN_PERMUTATIONS)
        shown = content.moran.query("variable == @variable").drop(columns="variable")
        pd.testing.assert_frame_equal(shown.reset_index(drop=True),
                                      done.moran.reset_index(drop=True), check_exact=True)


def test_names_not_ids_in_profiles_audit_and_notes(result, content) -> None:
    """Issue 18: a reader sees dimension names in the report language (ids stay in a code column)
    and notes in one language."""
    from ronghe.report.content import build_content

    dims = {d.id: d for d in result.framework.dimensions}
    for lang, content_ in (("zh", content), ("en", build_content(result, lang="en",
                                                                 spatial=False, methods=False))):
        top = content_.profiles[0].top_obstacles
        assert set(top["dimension"]) <= set(dims)
        assert list(top["dimension_name"]) == [
            getattr(dims[d], f"name_{lang}") for d in top["dimension"]]
        for note in content_.notes:
            assert " / " not in note
    table = result.audit.dimensions
    assert list(table.columns[:3]) == ["dimension", "dimension_zh", "dimension_en"]
    assert table.set_index("dimension").loc["all", "dimension_zh"] == "全部指标"
    first = table.iloc[0]
    assert first["dimension_zh"] == dims[first["dimension"]].name_zh


def test_county_panel_with_cities_without_counties_is_a_county_panel(result) -> None:
    """The census panel holds 东莞 (441900) among its counties: still a county panel, so the report
    draws its map (it drew none)."""
    from dataclasses import replace

    from ronghe.report.content import _level

    regions = result.state.panel.regions
    assert _level(result) == "county"
    city = regions.iloc[:1].set_axis(["441900"]).assign(level="prefecture", name_zh="东莞市")
    with_city = replace(result.state.panel, regions=pd.concat([regions, city]))
    fake = type("R", (), {"state": type("S", (), {"panel": with_city})()})()
    assert _level(fake) == "county"
    parent = str(regions.index[0])[:4] + "00"  # a prefecture whose counties are in the panel
    mixed = replace(with_city, regions=pd.concat([regions, city.set_axis([parent])]))
    fake.state.panel = mixed
    assert _level(fake) is None

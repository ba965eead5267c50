"""Framework files: schema validation with YAML paths, built-ins, computing indicators, CLI."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ronghe.errors import FrameworkError, InputError
from ronghe.frameworks import framework_from_yaml, list_frameworks, load_framework

MINIMAL = {
    "framework": {"id": "mini", "name_zh": "小框架", "name_en": "Mini"},
    "variables": [
        {"id": "urban_income", "name_zh": "城镇收入", "name_en": "Urban income", "unit": "yuan",
         "merge": "popweighted"},
        {"id": "rural_income", "name_zh": "农村收入", "name_en": "Rural income", "unit": "yuan",
         "merge": "popweighted"},
        {"id": "beds", "name_zh": "床位", "name_en": "Beds", "unit": "beds", "merge": "sum"},
        {"id": "pop", "name_zh": "人口", "name_en": "Population", "unit": "10^4", "merge": "sum"},
    ],
    "dimensions": [
        {"id": "A", "name_zh": "甲", "name_en": "A", "indicators": [
            {"id": "income_ratio", "name_zh": "收入比", "name_en": "Income ratio", "unit": "–",
             "direction": "-", "formula": "urban_income / rural_income",
             "tags": {"pillar": ["P3"], "value": ["V4"], "obstacle": ["O2"]}},
            {"id": "rural_income", "name_zh": "农村收入", "name_en": "Rural income",
             "unit": "yuan", "direction": "+", "tags": {"subsystem": ["rural"]}},
        ]},
        {"id": "B", "name_zh": "乙", "name_en": "B", "indicators": [
            {"id": "beds_per_1000", "name_zh": "千人床位", "name_en": "Beds per 1000",
             "unit": "beds", "target": 5.0, "formula": "beds / pop / 10",
             "tags": {"pillar": ["P3", "P2"], "mechanism": ["M3"]}},
        ]},
    ],
}


def load(body: dict, tmp_path, name: str = "fw.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return load_framework(path)


def broken(tmp_path, edit) -> str:
    body = copy.deepcopy(MINIMAL)
    edit(body)
    with pytest.raises(FrameworkError) as info:
        load(body, tmp_path)
    msg = str(info.value)
    assert msg.startswith(str(tmp_path / "fw.yaml") + ": ") and "\n" not in msg
    return msg


def ind(body: dict, d: int, i: int) -> dict:
    return body["dimensions"][d]["indicators"][i]


# ------------------------------------------------------------------ structure and methods
def test_minimal_framework_methods(tmp_path):
    fw = load(MINIMAL, tmp_path)
    assert fw.id == "mini"
    assert fw.indicator_ids == ["income_ratio", "rural_income", "beds_per_1000"]
    assert fw.directions() == ["-", "+", 5.0]
    assert fw.dimension_of == {"income_ratio": "A", "rural_income": "A", "beds_per_1000": "B"}
    assert fw.tags("pillar") == ["P3", None, "P3"]
    assert fw.tags("subsystem") == [None, "rural", None]
    assert fw.raw_variables() == {"urban_income", "rural_income", "beds", "pop"}
    assert fw.weighting_method() == "entropy" and fw.dimension_weighting() == "sum"
    assert fw.coupling_alpha() is None and fw.fixed_weights() == {}
    with pytest.raises(FrameworkError, match="unknown tag kind"):
        fw.tags("colour")


def test_compute_uses_formula_or_supplied_column(tmp_path):
    fw = load(MINIMAL, tmp_path)
    index = pd.MultiIndex.from_tuples([("110101", 2020), ("110101", 2021)],
                                      names=["region", "year"])
    raw = pd.DataFrame({"urban_income": [30000.0, 33000.0], "rural_income": [12000.0, 15000.0],
                        "beds": [500.0, 600.0], "pop": [10.0, 12.0]}, index=index)
    out = fw.compute(raw)
    assert list(out.columns) == fw.indicator_ids
    # 30000/12000 = 2.5 ; 33000/15000 = 2.2 ; beds per 1000: 500 / 10 / 10 = 5, 600 / 12 / 10 = 5
    assert out["income_ratio"].tolist() == pytest.approx([2.5, 2.2])
    assert out["beds_per_1000"].tolist() == pytest.approx([5.0, 5.0])
    assert out["rural_income"].tolist() == [12000.0, 15000.0]
    # a supplied indicator column wins over the formula, and then its raw variables are not needed
    supplied = raw.drop(columns=["beds", "pop"]).assign(beds_per_1000=[4.0, 4.5])
    assert fw.missing(supplied.columns) == []
    assert fw.compute(supplied)["beds_per_1000"].tolist() == [4.0, 4.5]


def test_missing_lists_indicator_variable_pairs(tmp_path):
    fw = load(MINIMAL, tmp_path)
    assert fw.missing(["urban_income", "beds"]) == [
        ("income_ratio", "rural_income"), ("rural_income", "rural_income"),
        ("beds_per_1000", "pop")]
    index = pd.MultiIndex.from_tuples([("1", 2020)], names=["region", "year"])
    with pytest.raises(InputError, match="income_ratio"):
        fw.compute(pd.DataFrame({"urban_income": [1.0]}, index=index))


def test_to_yaml_round_trip(tmp_path):
    fw = load(MINIMAL, tmp_path)
    again = framework_from_yaml(fw.to_yaml())
    assert again == fw and again.to_yaml() == fw.to_yaml()


def test_direction_words_and_combined_weighting(tmp_path):
    body = copy.deepcopy(MINIMAL)
    ind(body, 0, 0)["direction"] = "negative"
    ind(body, 0, 1)["direction"] = "−"  # U+2212 as in the catalogue
    body["weighting"] = {"indicators": "entropy*critic", "dimensions": "equal"}
    fw = load(body, tmp_path)
    assert fw.directions()[:2] == ["-", "-"]
    assert fw.weighting_method() == "combined" and fw.combine_methods() == ["entropy", "critic"]


def test_fixed_weights_and_alpha(tmp_path):
    body = copy.deepcopy(MINIMAL)
    body["weighting"] = {"indicators": "fixed", "dimensions": "fixed"}
    body["coupling"] = {"alpha": [0.6, 0.4]}
    for d, dim in enumerate(body["dimensions"]):
        dim["weight"] = 1.0 + d
        for k, item in enumerate(dim["indicators"]):
            item["weight"] = 0.1 * (k + 1)
    fw = load(body, tmp_path)
    assert fw.fixed_weights() == {"income_ratio": 0.1, "rural_income": 0.2, "beds_per_1000": 0.1}
    assert fw.coupling_alpha() == [0.6, 0.4]


# ------------------------------------------------------------------ errors name the YAML path
def test_error_both_direction_and_target(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 1, 0).update(direction="+"))
    assert "dimensions[1].indicators[0].target: give either direction or target" in msg


def test_error_neither_direction_nor_target(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 0, 1).pop("direction"))
    assert "dimensions[0].indicators[1].target: give a direction" in msg


def test_error_bad_direction(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 0, 1).update(direction="up"))
    assert "dimensions[0].indicators[1].direction:" in msg


def test_error_unknown_tag_value_and_kind(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 1, 0)["tags"].update(pillar=["P3", "P9"]))
    assert "dimensions[1].indicators[0].tags.pillar[1]:" in msg and "P1" in msg
    msg = broken(tmp_path, lambda b: ind(b, 0, 0)["tags"].update(colour=["red"]))
    assert "dimensions[0].indicators[0].tags.colour:" in msg


def test_error_duplicate_indicator_and_dimension(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 1, 0).update(id="income_ratio"))
    assert "dimensions[1].indicators[0].id: duplicate indicator 'income_ratio'" in msg
    assert "dimensions[0].indicators[0]" in msg
    msg = broken(tmp_path, lambda b: b["dimensions"][1].update(id="A"))
    assert "dimensions[1].id: duplicate dimension 'A'" in msg


def test_error_missing_fields(tmp_path):
    assert "dimensions: Field required" in broken(tmp_path, lambda b: b.pop("dimensions"))
    assert "dimensions[0].indicators[1].unit: Field required" in broken(
        tmp_path, lambda b: ind(b, 0, 1).pop("unit"))
    assert "dimensions[1].indicators:" in broken(
        tmp_path, lambda b: b["dimensions"][1].update(indicators=[]))


def test_error_bad_formula_and_undeclared_variable(tmp_path):
    msg = broken(tmp_path, lambda b: ind(b, 0, 0).update(formula="__import__('os')"))
    assert "dimensions[0].indicators[0].formula:" in msg and "'__import__'" in msg
    msg = broken(tmp_path, lambda b: ind(b, 0, 0).update(formula="urban_income / farm_income"))
    assert "dimensions[0].indicators[0].formula: raw variable 'farm_income' is not declared" in msg


def test_error_snake_case_id_and_unknown_keys(tmp_path):
    assert "dimensions[0].indicators[0].id:" in broken(
        tmp_path, lambda b: ind(b, 0, 0).update(id="IncomeRatio"))
    assert "dimensions[0].indicators[0].colour: Extra inputs" in broken(
        tmp_path, lambda b: ind(b, 0, 0).update(colour="red"))


def test_error_weighting_alpha_and_fixed(tmp_path):
    assert "weighting.indicators: unknown method 'entropy*ahp'" in broken(
        tmp_path, lambda b: b.update(weighting={"indicators": "entropy*ahp"}))
    assert "coupling.alpha: has 3 weights for 2 dimensions" in broken(
        tmp_path, lambda b: b.update(coupling={"alpha": [0.2, 0.3, 0.5]}))
    assert "coupling.alpha: alpha must sum to 1" in broken(
        tmp_path, lambda b: b.update(coupling={"alpha": [0.2, 0.3]}))
    assert "dimensions[0].indicators[0].weight: weighting.indicators is 'fixed'" in broken(
        tmp_path, lambda b: b.update(weighting={"indicators": "fixed"}))


def test_error_yaml_syntax_and_not_a_mapping(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("framework:\n  id: x\n  direction: -\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"bad\.yaml: line 3, column \d+: not valid YAML"):
        load_framework(path)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="must be a mapping"):
        load_framework(path)
    with pytest.raises(FrameworkError, match="neither a built-in"):
        load_framework(tmp_path / "absent.yaml")


# ------------------------------------------------------------------ built-ins
def test_builtins_validate_and_have_expected_shape():
    assert list_frameworks() == ["census", "county", "seed", "urban-rural"]
    seed = load_framework("seed")
    assert len(seed.indicator_ids) == 36 and [d.id for d in seed.dimensions] == [
        "P1", "P2", "P3", "P4"]
    # each indicator sits in its first pillar's dimension; the two without a pillar as documented
    for iid, pillar in zip(seed.indicator_ids, seed.tags("pillar"), strict=True):
        expected = {"rural_catchup": "P3", "strong_collective_villages": "P4"}.get(iid, pillar)
        assert seed.dimension_of[iid] == expected
    county = load_framework("county")
    assert [d.id for d in county.dimensions] == ["M1", "M2", "M3", "M4"]
    assert set(county.indicator_ids) == {i for i, m in zip(
        seed.indicator_ids, seed.tags("mechanism"), strict=True) if m is not None}
    assert all(county.dimension_of[i] == m for i, m in zip(
        county.indicator_ids, county.tags("mechanism"), strict=True))
    ur = load_framework("urban-rural")
    assert [d.id for d in ur.dimensions] == ["urban", "rural"]
    assert ur.tags("subsystem") == [ur.dimension_of[i] for i in ur.indicator_ids]
    assert ur.coupling_alpha() == [0.5, 0.5]


def test_builtin_catalogue_formulas_and_tags():
    seed = load_framework("seed")
    by_id = {i.id: i for i in seed.indicators}
    assert by_id["income_ratio"].formula == "urban_income / rural_income"
    assert by_id["rural_catchup"].formula == "growth(rural_income) - growth(urban_income)"
    assert by_id["land_pop_elasticity"].target == 1.0
    assert by_id["hukou_gap"].tags.obstacle == ["O4"] and by_id["hukou_gap"].direction == "-"
    assert by_id["strong_collective_villages"].tags.pillar == []
    # obstacles O1-O4 all occur, every indicator has a name in both languages
    assert {t for t in seed.tags("obstacle") if t} == {"O1", "O2", "O3", "O4"}
    assert all(i.name_zh and i.name_en for i in seed.indicators)


@pytest.mark.parametrize("name", ["seed", "county", "urban-rural"])
def test_builtin_round_trip_and_declared_variables(name):
    fw = load_framework(name)
    assert framework_from_yaml(fw.to_yaml()) == fw
    assert {v.id for v in fw.variables} == fw.raw_variables()


def test_builtin_variable_catalogues_agree():
    seen: dict[str, tuple] = {}
    for name in list_frameworks():
        for v in load_framework(name).variables:
            entry = (v.name_zh, v.name_en, v.unit, v.merge)
            assert seen.setdefault(v.id, entry) == entry, v.id


INCOME_RATIO = load_framework("seed").indicator("income_ratio").parsed_formula


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.1, 1e5), min_size=4, max_size=4),
       st.lists(st.floats(0.1, 1e5), min_size=4, max_size=4))
def test_income_ratio_property(urban, rural):
    index = pd.MultiIndex.from_product([["a", "b"], [2020, 2021]], names=["region", "year"])
    data = pd.DataFrame({"urban_income": urban, "rural_income": rural}, index=index)
    got = INCOME_RATIO.evaluate(data)
    np.testing.assert_allclose(got, np.array(urban) / np.array(rural), rtol=1e-12)


# ------------------------------------------------------------------ CLI
def test_cli_list_show_validate(tmp_path):
    from ronghe.cli.frameworks import app

    runner = CliRunner()
    res = runner.invoke(app, ["list"])
    assert res.exit_code == 0 and "urban-rural" in res.output
    res = runner.invoke(app, ["show", "seed", "--lang", "en"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "income_ratio" in res.output and "T 1" in res.output
    res = runner.invoke(app, ["validate", str(load(MINIMAL, tmp_path).id)])
    assert res.exit_code == 1
    res = runner.invoke(app, ["validate", str(tmp_path / "fw.yaml")])
    assert res.exit_code == 0 and "mini" in res.output
    bad = copy.deepcopy(MINIMAL)
    ind(bad, 0, 1)["direction"] = "up"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    res = runner.invoke(app, ["validate", str(path)])
    assert res.exit_code == 1
    assert "dimensions[0].indicators[1].direction" in res.output
    assert "Traceback" not in res.output and res.output.strip().count("\n") == 0

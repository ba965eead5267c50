"""The guarantee: every documented setting runs on every valid panel, or is refused saying which.

For each combination of settings (the literal options are read from the Settings model, so a new
option is covered without editing this file) and each generated valid panel, ``Study.evaluate()``
either completes with every table finite and in range and ``to_excel`` writes, or the combination
is refused (when the settings are validated, or — for data the setting cannot handle, such as CV
on a growth rate — by an InputError naming the setting). The same for ``simulate``,
``uncertainty`` (small draws) and ``target`` on the result. A MethodError, any other exception, a
RuntimeWarning from ronghe (pytest turns those into errors) or a NaN fails the test.

Deterministic part: covering rows, row i taking option i (mod its count) of every choice, on a
clean and on a gappy panel, so every single option value appears; the test then checks that every
option completed in at least one case. Sampled part: hypothesis over the whole product and over
panel shapes (gaps, constant columns, one region, two regions, one year, magnitudes 1e-9 and 1e9,
a balance column with negative values, the leader on top of every indicator), derandomized.
"""

from __future__ import annotations

import types
import typing
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chain_panels import A_IDS, IDS, five_two, panel
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from ronghe import Study
from ronghe.errors import InputError, RongheError, RongheWarning
from ronghe.settings import Settings

# ------------------------------------------------------------------ the space


def _literal_options(model: type[BaseModel] = Settings, prefix: str = ""
                     ) -> dict[str, tuple[tuple, bool]]:
    """Dotted path -> (options, is_list) of every Literal field of the Settings model."""
    out: dict[str, tuple[tuple, bool]] = {}
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.update(_literal_options(ann, f"{path}."))
            continue
        is_list = typing.get_origin(ann) is list
        inner = typing.get_args(ann)[0] if is_list else ann
        if typing.get_origin(inner) in (typing.Union, types.UnionType):
            inner = next(a for a in typing.get_args(inner) if a is not type(None))
        if typing.get_origin(inner) is typing.Literal:
            out[path] = (typing.get_args(inner), is_list)
    return out


def _all_paths(model: type[BaseModel] = Settings, prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += _all_paths(ann, f"{prefix}{name}.")
        else:
            out.append(f"{prefix}{name}")
    return out


OPTIONS = _literal_options()
SETTING_NAMES = sorted(_all_paths(), key=len, reverse=True)
WIDTH = max(len(opts) for opts, _ in OPTIONS.values())
SHIFTS = (1e-4, 0.0, 0.05)


def test_the_space_is_read_from_the_model():
    assert OPTIONS["normalization.shift_mode"] == (("affine", "add"), False)
    assert OPTIONS["weighting.combine"][1] is True
    assert {"aggregation", "coupling.formula", "treatment.imputation"} <= set(OPTIONS)


def _nest(flat: dict[str, object]) -> dict:
    out: dict = {}
    for path, value in flat.items():
        *parents, last = path.split(".")
        node = out
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def _companions(flat: dict[str, object], years: list[int], pick: int) -> dict[str, object]:
    """The values a chosen option needs to be complete (fixed weights, an AHP matrix...)."""
    flat = dict(flat)
    flat.pop("framework", None)  # the test's own framework
    if flat.get("weighting.indicators") == "fixed":
        flat["weighting.fixed"] = {i: 1.0 + (j + pick) % 3 for j, i in enumerate(IDS)}
    if flat.get("weighting.dimensions") == "fixed":
        flat["weighting.dimension_fixed"] = {"A": 0.6, "B": 0.4}
    if flat.get("weighting.dimensions") == "ahp":
        flat["weighting.ahp_matrix"] = [[1.0, 3.0], [1 / 3, 1.0]]
    flat["normalization.shift"] = SHIFTS[(pick // 2) % len(SHIFTS)]
    flat["coupling.alpha"] = None if pick % 2 else [0.6, 0.4]
    flat["years"] = None if pick % 3 or len(years) < 2 else years[1:]
    flat["top_obstacles"] = 1 + pick % 9
    return flat


def covering_row(i: int, years: list[int]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for path, (opts, is_list) in OPTIONS.items():
        if is_list:
            flat[path] = sorted({opts[i % len(opts)], opts[(i + 1) % len(opts)]})
        else:
            flat[path] = opts[i % len(opts)]
    return _companions(flat, years, i)


# ------------------------------------------------------------------ the checks

def _names_a_setting(message: str) -> bool:
    return any(name in message for name in SETTING_NAMES)


def _finite_tables(res, tmp_path: Path) -> None:
    best = res.settings.normalization.best
    tables = res.tables()
    for name, df in tables.items():
        num = df.select_dtypes("number")
        if name == "treatment":  # old is NaN for an imputed cell, new for an undefined one
            num = num.drop(columns=["old", "new"])
        if name == "weights_critic":  # a constant column's conflict is undefined (its sd is 0)
            assert (df["sd"][df["conflict"].isna()] < 1e-9).all()
            num = num.drop(columns=["conflict"])
        if name == "diagnosis":  # no O1-O4 degree: no factor, the type reason says so in words
            none = df[[f"share_O{i}" for i in range(1, 5)]].sum(axis=1) == 0
            assert df["type_factor"][~none].notna().all()
            num = num.drop(columns=["type_factor"])
        if name.startswith("audit_"):  # correlations of a constant column are undefined, and said so
            if "flag" in df:
                num = num[~df["flag"].str.contains("undefined")]
            else:  # a dimension of constant indicators (warned at the dimension level)
                num = num.drop(columns=["cronbach_alpha", "first_pc_share", "r_index"], errors="ignore")
        assert np.isfinite(num.to_numpy(dtype=float)).all(), f"NaN or inf in table {name}"
    idx, cpl = res.index, res.coupling
    score_cols = ["index"] + [c for c in idx.columns if c.startswith("U_")]
    assert idx[score_cols].to_numpy().min() >= 0 and idx[score_cols].to_numpy().max() <= best
    assert idx["topsis"].between(0, 1).all() and (idx["rank"] >= 1).all()
    assert cpl["C"].between(0, 1).all() and cpl["D"].between(0, 1).all()
    assert cpl["T"].between(0, best).all() and cpl["grade"].between(1, 10).all()
    w = res.weights
    assert (w["weight"] >= 0).all() and w["weight"].sum() == pytest.approx(1.0)
    O = res.obstacles["indicator"].to_numpy()
    assert (O >= 0).all() and np.allclose(O.sum(axis=1), 1.0)
    assert res.state.Z.min() >= 0 and res.state.Z.max() <= best + 1e-15
    out = res.to_excel(tmp_path / "r.xlsx")
    assert out.stat().st_size > 0


def _follow_ons(res, rng: np.random.Generator) -> None:
    s = res.state
    best = res.settings.normalization.best
    row = int(rng.integers(s.years.size))
    region, year = str(s.regions[row]), int(s.years[row])
    target_ind = IDS[int(rng.integers(len(IDS)))]
    change = ["=10", "+10%", "-0.3", ("set", 0.0), "+1e9"][int(rng.integers(5))]
    anchored = res.settings.normalization.method in ("minmax", "target")
    try:
        scen = res.simulate(region, year, {target_ind: change})
    except InputError as exc:
        assert not anchored and "normalization.method" in str(exc), exc
    else:
        assert anchored
        summary = scen.summary[["baseline", "scenario", "change"]].to_numpy(dtype=float)
        assert np.isfinite(summary).all()
        for sc in (scen.baseline, scen.scenario):
            assert 0 <= sc.D <= 1 and 0 <= sc.C <= 1 and (sc.U >= 0).all()
            assert (sc.U <= best).all() and np.isclose(sc.O.sum(), 1.0)
    unc = res.uncertainty(draws=8, sobol_n=0, seed=int(rng.integers(100)))
    nums = unc.table.select_dtypes("number").to_numpy(dtype=float)
    assert np.isfinite(nums).all()
    goal = ["D>=0.9", "index>=0.6", f"{A_IDS[0]}>=5"][int(rng.integers(3))]
    try:
        plan = res.target(region, goal, by=int(s.years.max()) + 5, year=int(s.years.max()))
    except InputError as exc:
        assert not anchored or "cannot be reached" in str(exc), exc
    else:
        assert anchored and np.isfinite(plan.achieved) and np.isfinite(plan.effort)
        ch = plan.changes
        # the compound rate is undefined (NaN, and said so in words) where a level is not positive
        undefined = (ch["current"] <= 0) | (ch["required"] <= 0)
        assert (ch["compound_rate"].isna() == undefined).all()
        rest = ch.drop(columns="compound_rate").select_dtypes("number")
        assert np.isfinite(rest.to_numpy(dtype=float)).all()


def run_case(p, flat: dict[str, object], tmp_path: Path, seed: int = 0) -> str:
    """'settings' (refused when validated), 'data' (refused for these data, naming the setting)
    or 'completed'; anything else fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RongheWarning)
        try:
            s = Settings.from_dict(_nest(flat))
        except InputError as exc:
            assert _names_a_setting(str(exc)), exc
            return "settings"
        try:
            res = Study(p, five_two(), s).evaluate()
        except RongheError as exc:
            assert isinstance(exc, InputError), f"{type(exc).__name__}: {exc}"
            # refused for these data: naming the setting, or the indicator the data lack
            located = exc.indicator is not None or "at least two region-years" in str(exc)
            assert _names_a_setting(str(exc)) or located, exc
            return "data"
        _finite_tables(res, tmp_path)
        _follow_ons(res, np.random.default_rng(seed))
    return "completed"


# ------------------------------------------------------------------ the panels

def make_panel(seed: int, n_regions: int, n_years: int, scale: float, gaps: float,
               constant: tuple[str, ...], leader: bool, balance: bool):
    rng = np.random.default_rng(seed)
    years = list(range(2018, 2018 + n_years))
    X = rng.lognormal(1.0, 0.6, (n_regions * n_years, len(IDS))) * scale
    X[:, IDS.index("a4")] = rng.uniform(0.5, 1.5, X.shape[0])  # around its target 1.0
    if leader:
        X[-1] = X.max(axis=0) * 2
        X[-1, IDS.index("a3")] = X[:, IDS.index("a3")].min() / 2  # cost indicator: lowest
        X[-1, IDS.index("a4")] = 1.0
    if balance:
        X[:, IDS.index("b1")] -= np.median(X[:, IDS.index("b1")])  # values around zero
    for name in constant:
        X[:, IDS.index(name)] = 3.0 * scale
    if gaps and X.shape[0] > 1:
        holes = rng.random(X.shape) < gaps
        holes[0] = False  # every column keeps a value
        X[holes] = np.nan
    return panel(X, n_regions, years)


PANELS = {
    "clean": dict(seed=0, n_regions=5, n_years=3, scale=1.0, gaps=0.0, constant=(),
                  leader=True, balance=False),
    "gappy": dict(seed=1, n_regions=4, n_years=3, scale=1.0, gaps=0.15, constant=("a2",),
                  leader=True, balance=False),
}


# ------------------------------------------------------------------ the tests

def test_every_option_completes_in_a_deterministic_case(tmp_path):
    completed: dict[str, set] = {path: set() for path in OPTIONS}
    outcomes = []
    for kind, spec in PANELS.items():
        p = make_panel(**spec)
        for i in range(WIDTH):
            flat = covering_row(i, p.years)
            outcome = run_case(p, flat, tmp_path, seed=i)
            outcomes.append((kind, i, outcome))
            if outcome == "completed":
                for path in OPTIONS:
                    value = flat[path]
                    completed[path].update(value if isinstance(value, list) else [value])
    missing = {path: set(opts) - completed[path] for path, (opts, _) in OPTIONS.items()
               if set(opts) - completed[path]}
    assert not missing, f"options never completed: {missing}; outcomes {outcomes}"


@st.composite
def flat_settings(draw, years: list[int]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for path, (opts, is_list) in OPTIONS.items():
        if is_list:
            flat[path] = draw(st.lists(st.sampled_from(opts), min_size=1, max_size=3,
                                       unique=True))
        else:
            flat[path] = draw(st.sampled_from(opts))
    return _companions(flat, years, draw(st.integers(0, 17)))


panel_specs = st.fixed_dictionaries({
    "seed": st.integers(0, 10_000),
    "n_regions": st.sampled_from([1, 2, 3, 6]),
    "n_years": st.sampled_from([1, 2, 4]),
    "scale": st.sampled_from([1e-9, 1.0, 1e9]),
    "gaps": st.sampled_from([0.0, 0.0, 0.2]),
    "constant": st.sampled_from([(), (), ("b0",), ("b0", "b1"), tuple(A_IDS)]),
    "leader": st.booleans(),
    "balance": st.sampled_from([False, False, True]),
})


@settings(max_examples=30, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=panel_specs, data=st.data())
def test_any_settings_on_any_valid_panel(tmp_path, spec, data):
    p = make_panel(**spec)
    flat = data.draw(flat_settings(p.years))
    run_case(p, flat, tmp_path, seed=spec["seed"])


def test_a_single_region_year_is_refused_in_one_line(tmp_path):
    p = make_panel(seed=3, n_regions=1, n_years=1, scale=1.0, gaps=0.0, constant=(),
                   leader=False, balance=False)
    assert run_case(p, covering_row(0, p.years), tmp_path) == "data"


def test_the_panels_are_what_they_say():
    p = make_panel(**PANELS["gappy"])
    assert p.data.isna().any().any() and p.data["a2"].nunique() == 1
    assert isinstance(p.data, pd.DataFrame) and len(p.region_codes) == 4

"""Evaluation settings chosen on the admin page: stored with their history (migration 0004), applied
to what the platform serves, refused when the data cannot support them, audited, and picked up by a
second worker after its version check.

Oracle: the index served by ``/api/v1/results/index`` equals ``Study(panel, settings=...)`` run
directly on the store's panel with settings built by hand (not through the form code).

The store here is this module's own (a Zhejiang synthetic panel without the variable
``seat_road_area_per_capita``, which only the ``urban-rural`` framework needs), so changing its
settings does not disturb the other web tests' shared database."""

from __future__ import annotations

import hashlib
import html
import os
import re
from importlib import resources

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from scopes import ROLES

from ronghe.datasets import synthetic_counties
from ronghe.errors import InputError
from ronghe.settings import Coupling, Settings, Weighting
from ronghe.store import Store, database_url
from ronghe.store import schema as t
from ronghe.study import Study
from ronghe.web import analysis, create_app
from ronghe.web.analysis import CHOICES, choose, defaults, differences, stored
from ronghe.web.auth import Accounts

LACKING = "seat_road_area_per_capita"  # needed by urban-rural only
# the form as the admin page fills it for the defaults, written out by hand
DEFAULT_FORM = {
    "framework": "seed",
    "weighting.indicators": "framework",
    "weighting.dimensions": "framework",
    "normalization.method": "minmax",
    "normalization.scope": "global",
    "treatment.imputation": "linear",
    "treatment.outliers": "coinr",
    "aggregation": "arithmetic",
    "coupling.formula": "classic",
}


def _pg_schema(url: str, sql: str, schema: str) -> None:
    engine = sa.create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(sql))
    engine.dispose()


def _database(tmp_path, schema: str):  # type: ignore[no-untyped-def]
    """A fresh DuckDB file, or a fresh schema on the test PostgreSQL server when there is one;
    yields its URL and drops the schema afterwards."""
    pg = os.environ.get("RONGHE_TEST_PG_URL")
    if not pg:
        yield str(tmp_path / f"{schema}.duckdb")
        return
    _pg_schema(pg, f"CREATE SCHEMA {schema}", schema)
    sep = "&" if "?" in pg else "?"
    yield f"{database_url(pg)}{sep}options=-csearch_path%3D{schema}"
    _pg_schema(pg, "SELECT 1", schema)


@pytest.fixture(scope="module")
def settings_db(tmp_path_factory):  # type: ignore[no-untyped-def]
    """This module's store: three years of Zhejiang's synthetic counties without ``LACKING``, and
    one user per role; yields (URL, {user: password})."""
    for url in _database(tmp_path_factory.mktemp("settings"), "web_settings_test"):
        store = Store(url)
        store.init()
        panel = synthetic_counties(years=range(2021, 2024), provinces=("33",))
        long = panel.data.drop(columns=[LACKING]).stack().dropna().rename("value").reset_index()
        long.columns = ["region", "year", "variable", "value"]
        long = long.assign(unit=long["variable"].map(panel.units), sheet="", row=0, column="")
        store.import_frame(long, file_name="zhejiang", layout="long",
                           sha256=hashlib.sha256(b"zhejiang").hexdigest())
        accounts = Accounts(store)
        passwords = {role: f"password-{role}" for role in ROLES}
        for role in ROLES:
            accounts.create_user(role, passwords[role], role, ["330000"])
        store.close()
        yield url, passwords


@pytest.fixture
def app(settings_db):  # type: ignore[no-untyped-def]
    """A new app (a worker) on this module's store, with no settings and no audit entries."""
    url = settings_db[0]
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(t.web_settings.delete())
        conn.execute(t.audit_log.delete())
    store.close()
    application = create_app(url, secret_key="settings-test")
    yield application
    application.state.platform.store.close()


@pytest.fixture
def admin(app, settings_db, sign_in):  # type: ignore[no-untyped-def]
    return sign_in(app, "admin", settings_db[1]["admin"])


def _post(client: TestClient, csrf, **changes: str):  # type: ignore[no-untyped-def]
    token = csrf(client.get("/admin").text)
    return client.post("/admin/settings", data={**DEFAULT_FORM, **changes, "csrf": token},
                       follow_redirects=False)


def _served(client: TestClient) -> list[dict]:
    r = client.get("/api/v1/results/index")
    assert r.status_code == 200, r.text
    return r.json()


def _oracle(app, settings: Settings):  # type: ignore[no-untyped-def]
    """The index frame of an independent evaluation of the store's panel."""
    return Study(app.state.platform.store.panel(), settings=settings).evaluate().index


def _assert_same(rows: list[dict], frame) -> None:  # type: ignore[no-untyped-def]
    assert [(r["region"], r["year"]) for r in rows] == list(
        zip(frame["region"], frame["year"], strict=True))
    assert [r["index"] for r in rows] == pytest.approx(frame["index"].tolist(), rel=1e-12)
    assert [r["rank"] for r in rows] == frame["rank"].tolist()
    for dim in (c[2:] for c in frame.columns if c.startswith("U_")):
        assert [r["U"][dim] for r in rows] == pytest.approx(frame[f"U_{dim}"].tolist(),
                                                            rel=1e-12)


def _rows(app) -> list[sa.Row]:  # type: ignore[no-untyped-def]
    with app.state.platform.store.engine.connect() as conn:
        return conn.execute(sa.select(t.web_settings).order_by(t.web_settings.c.id)).all()


def _settings_audit(app) -> list[dict]:  # type: ignore[no-untyped-def]
    return [a for a in app.state.platform.accounts.audit_entries() if a["action"] == "settings"]


# -- the form and the served results -------------------------------------------------------------
def test_change_of_weighting_changes_the_served_index(app, admin, csrf) -> None:
    before = _served(admin)
    _assert_same(before, _oracle(app, Settings()))
    r = _post(admin, csrf, **{"weighting.indicators": "critic"})
    assert r.status_code == 303 and r.headers["location"] == "/admin#settings"
    after = _served(admin)  # this worker: at once, no waiting for the version check
    _assert_same(after, _oracle(app, Settings(weighting=Weighting(indicators="critic"))))
    assert max(abs(a["index"] - b["index"]) for a, b in zip(after, before, strict=True)) > 1e-3


def test_framework_and_coupling_formula(app, admin, csrf) -> None:
    r = _post(admin, csrf, framework="county", **{"coupling.formula": "corrected",
                                                   "normalization.scope": "year"})
    assert r.status_code == 303
    want = Settings.model_validate({"framework": "county", "coupling": {"formula": "corrected"},
                                    "normalization": {"scope": "year"}})
    rows = _served(admin)
    _assert_same(rows, _oracle(app, want))
    assert set(rows[0]["U"]) == {"M1", "M2", "M3", "M4"}  # the county framework's mechanisms
    d = admin.get("/api/v1/results/coupling").json()
    oracle = Study(app.state.platform.store.panel(), settings=want).evaluate().coupling
    assert [x["D"] for x in d] == pytest.approx(oracle["D"].tolist(), rel=1e-12)


def test_admin_page_shows_the_stored_choice(app, admin, csrf) -> None:
    page = admin.get("/admin").text
    assert "评价设置" in page and Settings().hash in page
    _post(admin, csrf, aggregation="geometric", **{"weighting.dimensions": "equal"})
    page = admin.get("/admin?lang=en").text
    assert "Evaluation settings" in page
    want = Settings.model_validate({"aggregation": "geometric",
                                    "weighting": {"dimensions": "equal"}})
    selected = dict(re.findall(
        r'<select name="([a-z.]+)">(?:(?!</select>).)*?<option value="([^"]+)" selected>', page,
        re.S))
    assert selected == {**DEFAULT_FORM, "aggregation": "geometric",
                        "weighting.dimensions": "equal"}
    assert f'<code id="settings-hash">{want.hash}</code>' in page
    shown = re.search(r'<pre id="settings-yaml">(.*?)</pre>', page, re.S).group(1)
    assert Settings.from_yaml(html.unescape(shown)) == want


# -- who may change, and how ---------------------------------------------------------------------
@pytest.mark.parametrize("role", ["analyst", "editor", "viewer"])
def test_other_roles_are_refused(app, settings_db, sign_in, csrf, role) -> None:
    client = sign_in(app, role, settings_db[1][role])
    assert client.get("/admin").status_code == 403
    token = csrf(client.get("/tokens").text)
    r = client.post("/admin/settings", data={**DEFAULT_FORM, "aggregation": "geometric",
                                             "csrf": token}, follow_redirects=False)
    assert r.status_code == 403
    assert _rows(app) == [] and _settings_audit(app) == []


@pytest.mark.parametrize("token", [None, "wrong"])
def test_csrf_is_required(app, admin, token) -> None:
    data = {**DEFAULT_FORM, "aggregation": "geometric"}
    if token is not None:
        data["csrf"] = token
    r = admin.post("/admin/settings", data=data, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    assert _rows(app) == []


def test_audit_and_history(app, admin, csrf) -> None:
    # critic, not cv: the demo panel has gap indicators with negative values, which CV refuses
    first = Settings(weighting=Weighting(indicators="critic"))
    second = Settings(weighting=Weighting(indicators="critic"), coupling=Coupling(formula="corrected"))
    assert _post(admin, csrf, **{"weighting.indicators": "critic"}).status_code == 303
    assert _post(admin, csrf, **{"weighting.indicators": "critic",
                                 "coupling.formula": "corrected"}).status_code == 303
    # the same choice again stores and audits nothing
    assert _post(admin, csrf, **{"weighting.indicators": "critic",
                                 "coupling.formula": "corrected"}).status_code == 303
    rows = _rows(app)
    assert [(r.framework, r.settings_hash, r.changed_by) for r in rows] == [
        ("seed", first.hash, "admin"), ("seed", second.hash, "admin")]
    assert [Settings.from_yaml(r.settings_yaml) for r in rows] == [first, second]
    assert stored(app.state.platform.store).revision == rows[-1].id  # the newest is in force
    entries = _settings_audit(app)  # newest first
    assert [(a["username"], a["target"], a["detail"]) for a in entries] == [
        ("admin", f"#{rows[1].id}",
         f"{first.hash} → {second.hash}; coupling.formula: classic → corrected"),
        ("admin", f"#{rows[0].id}",
         f"{Settings().hash} → {first.hash}; weighting.indicators: framework → critic"),
    ]
    page = admin.get("/admin").text
    history = page[page.index("修改历史"):]
    assert history.index(second.hash) < history.index(first.hash)


# -- settings the data cannot support ------------------------------------------------------------
@pytest.mark.parametrize(("path", "value", "reason"), [
    ("framework", "urban-rural", LACKING),  # a variable the store does not have
    ("treatment.imputation", "none", "imputation is 'none'"),  # the panel has gaps
])
def test_unsupported_settings_are_refused(app, admin, csrf, path, value, reason) -> None:
    before = _served(admin)
    r = _post(admin, csrf, **{path: value})
    assert r.status_code == 400
    message = html.unescape(re.search(r'<p class="error" role="alert">(.*?)</p>', r.text).group(1))
    assert "未保存" in message and "not saved" in message and reason in message
    assert _rows(app) == [] and _settings_audit(app) == []
    assert _served(admin) == before


@pytest.mark.parametrize(("path", "value"), [
    ("framework", "/etc/passwd"), ("weighting.indicators", "fixed"), ("aggregation", ""),
])
def test_values_not_offered_are_refused(app, admin, csrf, path, value) -> None:
    r = _post(admin, csrf, **{path: value})
    assert r.status_code == 400 and "无效选项" in r.text
    assert _rows(app) == []


def test_stored_settings_that_fail_fall_back_to_the_defaults(app, admin, csrf) -> None:
    """A row the form would have refused (written by hand, or by another version of ronghe)
    does not take the platform down: the defaults are served and the admin page says why."""
    bad = Settings(framework="urban-rural")
    with app.state.platform.store.engine.begin() as conn:
        conn.execute(t.web_settings.insert().values(
            framework=bad.framework, settings_yaml=bad.to_yaml(), settings_hash=bad.hash,
            changed_at=sa.func.now(), changed_by="hand"))
    _assert_same(_served(admin), _oracle(app, Settings()))
    page = admin.get("/admin").text
    assert "暂按默认设置计算" in page and LACKING in page
    with app.state.platform.store.engine.begin() as conn:
        conn.execute(t.web_settings.insert().values(
            framework="seed", settings_yaml="weighting: {indicators: astrology}\n",
            settings_hash="x", changed_at=sa.func.now(), changed_by="hand"))
    app.state.platform.analysis.invalidate()
    _assert_same(_served(admin), _oracle(app, Settings()))
    assert "weighting.indicators" in admin.get("/admin").text
    assert _post(admin, csrf, **{"weighting.indicators": "equal"}).status_code == 303
    _assert_same(_served(admin), _oracle(app, Settings(weighting=Weighting(indicators="equal"))))


# -- several workers -----------------------------------------------------------------------------
def test_second_worker_follows_after_its_version_check(app, admin, settings_db, sign_in, csrf,
                                                       monkeypatch) -> None:
    other = create_app(settings_db[0], secret_key="settings-test")
    try:
        viewer = sign_in(other, "analyst", settings_db[1]["analyst"])
        monkeypatch.setattr(analysis, "VERSION_TTL", 3600.0)  # no version check from now on
        before = _served(viewer)
        assert _served(admin) == before  # both workers hold a snapshot of the defaults
        assert _post(admin, csrf, **{"weighting.indicators": "equal"}).status_code == 303
        want = _oracle(app, Settings(weighting=Weighting(indicators="equal")))
        _assert_same(_served(admin), want)  # the worker that saved: at once
        assert _served(viewer) == before  # the other: its last check is recent
        monkeypatch.setattr(analysis, "VERSION_TTL", 0.0)  # as if the check interval had passed
        _assert_same(_served(viewer), want)
    finally:
        other.state.platform.store.close()


# -- the pure helpers ----------------------------------------------------------------------------
def test_differences_by_hand() -> None:
    new = Settings(weighting=Weighting(indicators="critic"), coupling=Coupling(formula="corrected"))
    assert differences(Settings(), new) == ["weighting.indicators: framework → critic",
                                            "coupling.formula: classic → corrected"]
    assert differences(new, new) == []
    with pytest.raises(InputError, match="not offered"):
        choose(Settings(), {"top_obstacles": "3"})


@hsettings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({}, optional={p: st.sampled_from(v) for p, v in CHOICES.items()}))
def test_choose_sets_exactly_the_chosen_paths(choices: dict[str, str]) -> None:
    new = choose(defaults(), choices)
    dumped = new.model_dump(mode="json")
    for path, value in choices.items():
        node = dumped
        for key in path.split("."):
            node = node[key]
        assert node == value
    changed = {d.split(":")[0] for d in differences(defaults(), new)}
    assert changed == {p for p, v in choices.items() if v != DEFAULT_FORM[p]}
    assert Settings.from_yaml(new.to_yaml()) == new


# -- migration 0004 ------------------------------------------------------------------------------
def _upgrade(store: Store, revision: str, downgrade: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("ronghe.store") / "migrations"))
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if downgrade else command.upgrade)(cfg, revision)
        conn.commit()


def _columns(store: Store, table: str) -> dict[str, bool]:
    """{column: nullable} from the database's catalogue."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_name = :t AND table_schema = current_schema()"), {"t": table}).all()
    return {name: nullable == "YES" for name, nullable in rows}


def test_migration_0004_upgrades_a_0003_database(tmp_path) -> None:
    for url in _database(tmp_path, "migration_0004"):
        store = Store(url)
        _upgrade(store, "0003")
        assert not sa.inspect(store.engine).has_table("web_settings")
        _upgrade(store, "0004")
        assert store.revision() == "0004"
        assert _columns(store, "web_settings") == {c.name: c.nullable
                                                   for c in t.web_settings.columns}
        worker = analysis.Analysis(store)
        assert stored(store).revision == 0 and worker.version()[1] == 0
        old, new = worker.change(Settings(aggregation="topsis"), "admin")  # no data: no check
        assert (old.revision, new.revision) == (0, worker.version()[1])
        assert stored(store).settings == Settings(aggregation="topsis")
        _upgrade(store, "0003", downgrade=True)
        assert store.revision() == "0003"
        assert not sa.inspect(store.engine).has_table("web_settings")
        _upgrade(store, "0004")  # the sequence went with the table
        assert stored(store).revision == 0
        store.close()

"""The demo database for ``ronghe serve --demo``: the synthetic county panel of a few provinces
imported into a fresh DuckDB file, and one user per role with a random password."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from pathlib import Path

from ronghe.datasets import synthetic_counties
from ronghe.store import Store
from ronghe.store.store import SYNTHETIC_SOURCE
from ronghe.web.auth import Accounts

DEMO_PROVINCES = ("33", "52")  # Zhejiang and Guizhou: a rich and a poorer province
DEMO_YEARS = range(2019, 2024)
# who gets which region: the editor all of Zhejiang, the viewer the Hangzhou prefecture
DEMO_USERS = (("admin", "admin", ()), ("analyst", "analyst", ()),
              ("editor", "editor", ("330000",)), ("viewer", "viewer", ("330100",)))


def build_demo(target: str | Path, provinces: Iterable[str] | None = DEMO_PROVINCES,
               years: Iterable[int] = DEMO_YEARS) -> dict[str, str]:
    """Fill the demo database at ``target`` (a DuckDB path, replaced if it exists, or an empty
    database's URL) and return {user name: password}. ``provinces=None`` loads all 2,844
    counties."""
    if "://" not in str(target):
        Path(target).unlink(missing_ok=True)
    years = list(years)
    store = Store(target)
    store.init()
    panel = synthetic_counties(years=years, provinces=provinces)
    long = panel.data.stack().dropna().rename("value").reset_index()
    long.columns = ["region", "year", "variable", "value"]
    long = long.assign(unit=long["variable"].map(panel.units), sheet="", row=0, column="")
    digest = hashlib.sha256(f"synthetic {sorted(provinces or [])} {years}".encode()
                            ).hexdigest()
    store.import_frame(long, file_name="synthetic_counties", sha256=digest,
                       source=SYNTHETIC_SOURCE, user="demo",
                       layout="long")
    accounts = Accounts(store)
    passwords = {}
    for name, role, regions in DEMO_USERS:
        passwords[name] = secrets.token_urlsafe(9)
        accounts.create_user(name, passwords[name], role, list(regions))
    store.close()
    return passwords

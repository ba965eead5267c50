"""County code changes between NBS vintages 2016, 2019, 2021, 2022 and 2023.

The table ``data/crosswalk_counties.csv`` (derivation and sources in ``data/crosswalk_SOURCE.md``)
lists, per change, the old and new code, the first vintage holding the new code, and the kind:
``rename`` or ``upgrade`` (one unit re-coded or renamed: 1:1) and ``merge`` (the old unit was absorbed
by the new one: n:1).

:func:`code_map` maps codes onto one vintage: changes up to that vintage are followed forward (chains
such as A -> B -> C collapse to A -> C); 1:1 changes after it are followed backward, so a 2023 code
goes back to its 2016 code when the target is 2016. A merge cannot be undone backward: such codes stay
as they are and :func:`code_map` reports them.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

VINTAGES = (2016, 2019, 2021, 2022, 2023)


@cache
def _table() -> pd.DataFrame:
    with (files("ronghe.regions") / "data" / "crosswalk_counties.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype={"old_code": str, "new_code": str}, encoding="utf-8")


def crosswalk() -> pd.DataFrame:
    """The change table (a copy): old_code, old_name, new_code, new_name, vintage, kind, basis.

    >>> crosswalk().set_index("old_code").loc["510124", ["new_code", "kind"]].tolist()
    ['510117', 'upgrade']
    """
    return _table().copy()


def code_map(codes: list[str], vintage: int) -> tuple[dict[str, str], list[str]]:
    """Map each code onto ``vintage``; returns (mapping of every code, codes that a later merge
    makes impossible to map backward). Codes without changes map to themselves."""
    table = _table()
    forward = table[table["vintage"] <= vintage].sort_values("vintage")
    later = table[table["vintage"] > vintage].sort_values("vintage", ascending=False)
    step = dict(zip(forward["old_code"], forward["new_code"], strict=True))
    back = later[later["kind"] != "merge"]
    back_step = dict(zip(back["new_code"], back["old_code"], strict=True))
    merged_later = set(later.loc[later["kind"] == "merge", "new_code"])
    mapping, stuck = {}, []
    for code in codes:
        c, seen = str(code), set()
        while c in step and c not in seen and step[c] != c:
            seen.add(c)
            c = step[c]
        while c in back_step and c not in seen and back_step[c] != c:
            seen.add(c)
            c = back_step[c]
        if c in merged_later:
            stuck.append(str(code))
        mapping[str(code)] = c
    return mapping, stuck

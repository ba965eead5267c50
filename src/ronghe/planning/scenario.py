"""What-if scenarios: change raw variables or indicators of one region-year and score it again on the
frozen baseline (anchors, weights, TOPSIS ideals and settings of the evaluated study; see
:mod:`ronghe.planning.frozen`), so scenarios are comparable with the baseline and with each other.

Changes are a mapping ``{name: change}`` where ``name`` is an indicator id or a raw variable of the
panel (an indicator id wins when a name is both) and ``change`` is one of

- ``("rel", 0.10)`` or ``"+10%"``: relative change, new = old × (1 + 0.10);
- ``("abs", 500)`` or ``"+500"`` / ``"-0.3"``: absolute change in the variable's own unit;
- ``("set", 2.0)`` or ``"=2.0"``: set the value.

Raw-variable changes are applied to that region's rows of the panel and the indicators recomputed
with the framework formulas (over all of the region's years, so ``lag``/``growth`` see the previous
year); indicator changes are applied afterwards, to the indicator values as computed (after
imputation, before outlier treatment). Only the indicators whose value moves are re-treated; all
others keep their baseline values, which is why no change reproduces the baseline bit for bit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ronghe import methods as m
from ronghe.errors import InputError
from ronghe.planning.frozen import Frozen, Scores
from ronghe.result import Result

Change = tuple[str, float] | str
KINDS = ("rel", "abs", "set")
_TEXT = re.compile(r"^\s*(=)?\s*([+-]?\s*[0-9.]+(?:[eE][+-]?\d+)?)\s*(%)?\s*$")


def parse_change(name: str, change: Change) -> tuple[str, float]:
    """Normalise one change to ``(kind, amount)``; see the module docstring for the forms."""
    if isinstance(change, tuple):
        if len(change) != 2 or change[0] not in KINDS:
            raise InputError(f"change {change!r} must be (kind, amount) with kind in {KINDS}",
                             indicator=name)
        kind, amount = change
    elif isinstance(change, str):
        hit = _TEXT.match(change)
        if hit is None or (hit.group(1) and hit.group(3)):
            raise InputError(
                f"change {change!r} not understood; write +10% (relative), +500 (absolute) "
                "or =2.0 (set)",
                indicator=name,
            )
        number = float(hit.group(2).replace(" ", ""))
        kind = "set" if hit.group(1) else "rel" if hit.group(3) else "abs"
        amount = number / 100 if kind == "rel" else number
    else:
        raise InputError(f"change {change!r} must be a (kind, amount) pair or text such as +10%",
                         indicator=name)
    try:
        value = float(amount)
    except (TypeError, ValueError):
        raise InputError(f"change amount {amount!r} is not a number", indicator=name) from None
    if not np.isfinite(value):
        raise InputError(f"change amount {amount!r} is not finite", indicator=name)
    return str(kind), value


def _apply(old: float, kind: str, amount: float) -> float:
    if kind == "set":
        return amount
    return old * (1.0 + amount) if kind == "rel" else old + amount


@dataclass(frozen=True)
class Scenario:
    """A scored scenario: the baseline and the changed region-year side by side."""

    region: str
    year: int
    changes: dict[str, tuple[str, float]]
    indicator_ids: list[str]
    dimension_ids: list[str]
    before_values: np.ndarray
    after_values: np.ndarray
    clipped: np.ndarray
    baseline: Scores
    scenario: Scores

    def _grade(self, D: float) -> tuple[int, str, str]:
        level, zh = m.ccd_grade([D], lang="zh")
        return int(level[0]), str(zh[0]), str(m.ccd_grade([D], lang="en")[1][0])

    @property
    def summary(self) -> pd.DataFrame:
        """Metric, baseline, scenario and change: index, rank, TOPSIS, U per dimension, C, T, D
        and the coordination level."""
        b, s = self.baseline, self.scenario
        rows = [("index", b.composite, s.composite), ("rank", b.rank, s.rank),
                ("topsis", b.closeness, s.closeness)]
        rows += [(f"U_{d}", b.U[i], s.U[i]) for i, d in enumerate(self.dimension_ids)]
        rows += [("C", b.C, s.C), ("T", b.T, s.T), ("D", b.D, s.D),
                 ("grade", self._grade(b.D)[0], self._grade(s.D)[0])]
        df = pd.DataFrame(rows, columns=["metric", "baseline", "scenario"])
        df["baseline"] = df["baseline"].astype(float)
        df["scenario"] = df["scenario"].astype(float)
        df["change"] = df["scenario"] - df["baseline"]
        return df

    @property
    def indicators(self) -> pd.DataFrame:
        """Per indicator: value before and after (own unit), treated value, score, obstacle degree
        and whether the new value lies beyond the frozen anchors (and was clipped)."""
        b, s = self.baseline, self.scenario
        return pd.DataFrame({
            "indicator": self.indicator_ids,
            "value_before": self.before_values,
            "value_after": self.after_values,
            "z_before": b.Z,
            "z_after": s.Z,
            "obstacle_before": b.O,
            "obstacle_after": s.O,
            "clipped": self.clipped,
        })

    def explain(self) -> list[tuple[str, str]]:
        """The scenario in plain words, (zh, en) sentences."""
        b, s = self.baseline, self.scenario
        gb, gs = self._grade(b.D), self._grade(s.D)
        lines = [(
            f"{self.region} {self.year} 年：综合指数 {b.composite:.4f} → {s.composite:.4f}，"
            f"当年排名 {b.rank} → {s.rank}；耦合协调度 D {b.D:.4f} → {s.D:.4f}"
            f"（{gb[1]} → {gs[1]}）。",
            f"{self.region}, {self.year}: index {b.composite:.4f} → {s.composite:.4f}, rank in "
            f"the year {b.rank} → {s.rank}; coupling coordination D {b.D:.4f} → {s.D:.4f} "
            f"({gb[2]} → {gs[2]}).",
        )]
        top = np.argsort(-s.O, kind="stable")[:3]
        names = ", ".join(self.indicator_ids[j] for j in top)
        lines.append((f"情景下的主要障碍因子：{names}。", f"Leading obstacles in the scenario: {names}."))
        cut = [self.indicator_ids[j] for j in np.flatnonzero(self.clipped)]
        if cut:
            lines.append((
                f"{', '.join(cut)} 的新值超出基准锚点，按锚点截断计分。",
                f"{', '.join(cut)} moved beyond the baseline anchors and score at the anchor.",
            ))
        return lines

    def tables(self) -> dict[str, pd.DataFrame]:
        changes = pd.DataFrame(
            [(k, kind, amount) for k, (kind, amount) in self.changes.items()],
            columns=["name", "kind", "amount"],
        )
        words = pd.DataFrame(self.explain(), columns=["中文", "English"])
        return {"scenario": self.summary, "scenario_indicators": self.indicators,
                "changes": changes, "explanation": words}


def _indicator_values(result: Result, region: str, raw_changes: dict, year: int) -> pd.Series:
    """Indicator values of (region, year) recomputed from the region's panel rows with the raw
    changes applied to the year's row."""
    s = result.state
    data = s.panel.data
    if s.settings.years:
        data = data[data.index.get_level_values("year").isin(s.settings.years)]
    mine = data[data.index.get_level_values("region").astype(str) == str(region)].copy()
    key = next(k for k in mine.index if int(k[1]) == year)
    for name, (kind, amount) in raw_changes.items():
        old = float(mine.at[key, name])
        if np.isnan(old) and kind != "set":
            raise InputError(
                f"is missing for region {region} in {year}; give a value with =",
                column=name,
            )
        mine.at[key, name] = _apply(old, kind, amount)
    return s.framework.compute(mine).loc[key, s.indicator_ids].astype(float)


def simulate(
    result: Result, region: str, year: int, changes: Mapping[str, Change] | None = None
) -> Scenario:
    """Score (region, year) after ``changes`` on the frozen baseline of ``result``.

    Returns a :class:`Scenario` with the new index, rank in the year, U, C, T, D, grade and
    obstacle degrees next to the baseline's. With no change every number equals the baseline.
    """
    fz = Frozen(result)
    s = fz.state
    row = fz.row(region, year)
    region, year = str(s.regions[row]), int(s.years[row])
    parsed = {str(k): parse_change(str(k), v) for k, v in (changes or {}).items()}
    raw_vars = set(map(str, s.panel.data.columns))
    ind_changes = {k: v for k, v in parsed.items() if k in fz.ids}
    raw_changes = {k: v for k, v in parsed.items() if k not in fz.ids}
    unknown = sorted(set(raw_changes) - raw_vars)
    if unknown:
        raise InputError("is neither an indicator of the framework nor a raw variable of the "
                         "panel", column=unknown[0])

    before = fz.before_outliers(row)
    after = before.copy()
    if raw_changes:
        base = _indicator_values(result, region, {}, year).to_numpy()
        new = _indicator_values(result, region, raw_changes, year).to_numpy()
        moved = ~((base == new) | (np.isnan(base) & np.isnan(new)))
        after[moved] = new[moved]
    for name, (kind, amount) in ind_changes.items():
        j = fz.column(name)
        after[j] = _apply(after[j], kind, amount)
    changed = np.flatnonzero(after != before)
    bad = changed[~np.isfinite(after[changed])]
    if bad.size:
        raise InputError("the changed value is undefined (division by zero or log of a "
                         "non-positive number)", indicator=fz.ids[int(bad[0])])

    x = s.X[row].copy()
    x[changed] = fz.treat(after[changed], changed)
    lo, hi = fz.anchors(year)
    clipped = np.zeros(len(fz.ids), dtype=bool)
    clipped[changed] = (x[changed] < lo[changed]) | (x[changed] > hi[changed])
    for j in map(int, changed):
        t = fz.transforms.get(j)
        if t is not None:
            clipped[j] = bool(after[j] < t.lo or after[j] > t.hi)
    baseline = fz.score(row, s.X[row])
    scenario = baseline if changed.size == 0 else fz.score(row, x)
    return Scenario(
        region=region,
        year=year,
        changes=parsed,
        indicator_ids=fz.ids,
        dimension_ids=[d.id for d in s.framework.dimensions],
        before_values=before,
        after_values=after,
        clipped=clipped,
        baseline=baseline,
        scenario=scenario,
    )

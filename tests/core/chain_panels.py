"""Small frameworks and panels for the chain's edge and settings-space tests.

``five_two()``: dimension A with five indicators (one a cost, one a target indicator) and
dimension B with two; the panels put their leader at the top of every indicator in one year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ronghe.frameworks import Framework
from ronghe.panel import Panel

A_IDS = ["a0", "a1", "a2", "a3", "a4"]
B_IDS = ["b0", "b1"]
IDS = A_IDS + B_IDS
DIRECTIONS = {"a3": "-", "a4": 1.0}  # a cost indicator and a moderate one (best at 1.0)


def _indicator(i: str, tags: dict | None = None) -> dict:
    d = DIRECTIONS.get(i, "+")
    way = {"direction": d} if isinstance(d, str) else {"target": d}
    return {"id": i, "name_zh": f"指标{i}", "name_en": f"Indicator {i}", "unit": "-", **way,
            "tags": tags or {}}


def five_two(weighting: str = "entropy") -> Framework:
    """Two dimensions (5 + 2 indicators), obstacle tags on some indicators."""
    tags = {"a0": {"obstacle": ["O2"]}, "a1": {"obstacle": ["O3"]}, "b0": {"obstacle": ["O4"]}}
    return Framework.model_validate({
        "framework": {"id": "five_two", "name_zh": "五二", "name_en": "Five-two", "level": "any"},
        "weighting": {"indicators": weighting, "dimensions": "sum"},
        "dimensions": [
            {"id": "A", "name_zh": "甲", "name_en": "A",
             "indicators": [_indicator(i, tags.get(i)) for i in A_IDS]},
            {"id": "B", "name_zh": "乙", "name_en": "B",
             "indicators": [_indicator(i, tags.get(i)) for i in B_IDS]},
        ],
    })


def panel(values: np.ndarray, n_regions: int, years: list[int]) -> Panel:
    """A panel of ``n_regions`` regions (two provinces) x ``years`` with columns ``IDS``."""
    regions = [f"{11 if r % 2 else 13}01{r:02d}" for r in range(n_regions)]
    idx = pd.MultiIndex.from_product([regions, years], names=["region", "year"])
    return Panel(pd.DataFrame(values, index=idx, columns=IDS), source="generated.csv")


def leader_panel(seed: int, n_regions: int = 6, years: tuple[int, ...] = (2020, 2021, 2022),
                 scale: float = 1.0) -> Panel:
    """Uniform values in [1, 10) times ``scale``; the last region-year is the best on every
    indicator (largest on benefit ones, smallest on the cost one, at the target on a4)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n_regions * len(years), len(IDS))) * scale
    X[-1] = 20 * scale
    X[-1, IDS.index("a3")] = 0.5 * scale
    X[-1, IDS.index("a4")] = 1.0
    return panel(X, n_regions, list(years))

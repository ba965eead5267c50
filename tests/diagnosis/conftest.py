"""A synthetic panel of two provinces with a planted blocking indicator and planted peers.

Province 34 gets a target region T that copies, in every year, the raw variables of the region
whose worst normalised indicator is the best of all (so T is good everywhere) except that only 5 %
of its villages have a clinic (``village_clinic_coverage``, tagged O3, answered by path R3).
Three more regions of province 34 copy T exactly up to 2020 and then raise clinic coverage to 95,
85 and 75 % by 2023 (the planted peers, in that order of improvement); a fourth copy (the decoy)
stays at 5 %. The weakest region of province 34 jumps from 5 % to 100 % in 2021: it improved most,
but it is structurally unlike T, so it must not be found as a peer.

Indicator weights are equal: entropy weighting gives an indicator that most regions have
saturated (clinic coverage near 100 %) almost no weight, which would hide any plant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from ronghe import datasets
from ronghe.panel import Panel
from ronghe.result import Result
from ronghe.study import Study

YEARS = range(2016, 2024)
SETTINGS = {"weighting": {"indicators": "equal"}}


@dataclass
class Planted:
    result: Result
    target: str
    peers: tuple[str, str, str]
    decoy: str
    far: str
    panel: Panel


def _panel() -> Panel:
    return datasets.synthetic_counties(seed=0, years=YEARS, provinces=["33", "34"],
                                       missing_rate=0.0, n_outliers=0)


@pytest.fixture(scope="session")
def plain() -> Result:
    """The two-province panel without plants (default missing cells and outliers)."""
    return Study(datasets.synthetic_counties(seed=0, years=YEARS, provinces=["33", "34"]),
                 "seed").evaluate()


@pytest.fixture(scope="session")
def planted() -> Planted:
    base = _panel()
    first = Study(base, "seed", SETTINGS).evaluate()
    s = first.state
    j = s.indicator_ids.index("village_clinic_coverage")
    worst = pd.Series(np.delete(s.Z, j, axis=1).min(axis=1), index=s.regions)
    model = worst.groupby(level=0).min().idxmax()
    last = first.index[(first.index["year"] == 2023) & (first.index["province"] == "34")]
    far = str(last.sort_values("index")["region"].iloc[0])
    codes = [c for c in base.regions.index if c.startswith("34") and c not in (far, model)]
    target, p1, p2, p3, decoy = codes[5:10]

    data = base.data.copy()
    template = data.loc[model].to_numpy()
    years = list(YEARS)

    def plant(code: str, coverage: list[float]) -> None:
        for k, y in enumerate(years):
            data.loc[(code, y), :] = template[k]
            data.loc[(code, y), "villages_with_clinic"] = coverage[k] * template[
                k, data.columns.get_loc("villages")]

    plant(target, [0.05] * 8)
    plant(decoy, [0.05] * 8)
    for code, end in ((p1, 0.95), (p2, 0.85), (p3, 0.75)):
        plant(code, [0.05] * 5 + [0.05 + (end - 0.05) * f for f in (1 / 3, 2 / 3, 1.0)])
    villages = data.loc[far, "villages"].to_numpy()
    data.loc[far, "villages_with_clinic"] = np.where(np.array(years) <= 2020, 0.05, 1.0) * villages
    panel = Panel(data, base.regions, base.units, base.source, base.synthetic)
    result = Study(panel, "seed", SETTINGS).evaluate()
    return Planted(result, target, (p1, p2, p3), decoy, far, panel)

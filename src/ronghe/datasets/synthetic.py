"""A seeded synthetic county panel for demos, tests and benchmarks — invented numbers, real codes.

Every county-level unit of the 2023 division list (2,844 units: counties, county-level cities,
districts, banners, …; real codes and names) gets every raw variable that the built-in frameworks
read (``census`` excepted: it has the real panel), for each requested year. Nothing here is a
statistic: outputs built on this panel say so (``Panel.synthetic`` is True and the source text says
"synthetic").

How the numbers are made (all vectorised, one ``numpy.random.Generator`` stream per purpose):

- a development level per county = regional gradient (east +0.55, northeast −0.10, central 0,
  west −0.35) + a province effect N(0, 0.15²) + a county effect N(0, 0.3²) + a premium for
  municipal districts (+0.35) and county-level cities (+0.15);
- each variable = a smooth calendar-year trend (``t = year − 2004``) shifted by the development
  level and a persistent county effect, times small year-to-year noise. Averages over counties
  (seed 0, 2004 → 2023): resident urbanisation 37 % → 60 %; urban income 10,400 → 42,400 yuan;
  the urban–rural income ratio falls linearly from 2.8 to 2.3; the primary-sector share of value
  added 23 % → 12 %; the digital finance index follows an S-curve centred on 2014 (the real index
  starts in 2014; the synthetic series runs over all years);
- county-seat built-up land follows urban population with a county elasticity N(1.3, 0.15²), so
  ``land_pop_elasticity`` scatters around 1.3;
- missing cells: a share ``0.8 × missing_rate`` scattered at random plus runs of 3–6 consecutive
  years for random (county, variable) pairs making up about ``0.2 × missing_rate``;
- ``n_outliers`` planted outliers: distinct non-missing cells multiplied by 10 (a unit slip).

The value, missing and outlier streams are separate, so changing ``missing_rate`` or
``n_outliers`` leaves every other cell unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from ronghe.errors import InputError
from ronghe.frameworks import list_frameworks, load_framework
from ronghe.panel import Panel
from ronghe.regions import divisions

REGION_OF_PROVINCE = {
    **dict.fromkeys(("11", "12", "13", "31", "32", "33", "35", "37", "44", "46"), "east"),
    **dict.fromkeys(("14", "34", "36", "41", "42", "43"), "central"),
    **dict.fromkeys(("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
                    "west"),
    **dict.fromkeys(("21", "22", "23"), "northeast"),
}
REGION_LEVEL = {"east": 0.55, "central": 0.0, "west": -0.35, "northeast": -0.10}
TYPE_PREMIUM = {"市辖区": 0.35, "县级市": 0.15}
OUTLIER_FACTOR = 10.0


@cache
def _catalogue() -> dict[str, str]:
    """Unit of every raw variable declared by the built-in frameworks (read once), except the
    ``census`` framework's, which runs on the real census panel."""
    units: dict[str, str] = {}
    for name in (n for n in list_frameworks() if n != "census"):
        units.update({v.id: v.unit for v in load_framework(name).variables})
    return units


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _values(rng: np.random.Generator, counties: pd.DataFrame, years: np.ndarray
            ) -> dict[str, np.ndarray]:
    """All raw variables as (county, year) arrays."""
    n, n_years = len(counties), len(years)
    t = (years - 2004).astype(float)[None, :]

    def eff(sd: float) -> np.ndarray:  # persistent county effect
        return rng.normal(0.0, sd, (n, 1))

    def eps(sd: float) -> np.ndarray:  # year-to-year noise
        return rng.normal(0.0, sd, (n, n_years))

    prov = counties["province"].to_numpy()
    prov_codes = np.unique(prov)
    prov_effect = dict(zip(prov_codes, rng.normal(0.0, 0.15, prov_codes.size), strict=True))
    group = np.array([REGION_OF_PROVINCE[p] for p in prov])
    ctype = counties["type"].to_numpy()
    district = (ctype == "市辖区")[:, None]
    west = (group == "west")[:, None]
    dev = (np.array([REGION_LEVEL[g] + prov_effect[p] for g, p in zip(group, prov, strict=True)])
           + rng.normal(0.0, 0.3, n)
           + np.array([TYPE_PREMIUM.get(c, 0.0) for c in ctype]))[:, None]
    tau = t / 19.0
    v: dict[str, np.ndarray] = {}

    # population and urbanisation
    pop0 = np.exp(rng.normal(np.log(45.0), 0.55, (n, 1)))
    pop = pop0 * np.exp((-0.004 + 0.01 * dev + eff(0.004)) * t) * np.exp(eps(0.002))
    urb = _sigmoid(-0.75 + 1.2 * dev + np.maximum(0.055 + eff(0.012), 0.03) * t + eps(0.005))
    v["resident_pop"] = pop
    v["urban_resident_pop"] = pop * urb
    hukou = pop * np.exp(-0.12 * dev + eff(0.05) + 0.002 * t)
    gap = np.clip(0.05 + 0.05 * dev + 0.003 * t + eff(0.02), 0.005, np.maximum(urb - 0.05, 0.005))
    v["hukou_pop"] = hukou
    v["urban_hukou_pop"] = hukou * np.clip(urb - gap, 0.01, 1.0)

    # output and employment
    gdp = 11000.0 * np.exp(0.9 * dev + eff(0.15)) * np.exp(0.095 * t - 0.0012 * t**2) * pop
    gdp = gdp * np.exp(eps(0.02))
    s1 = np.clip(0.27 - 0.12 * dev - 0.006 * t - 0.08 * district + eff(0.04) + eps(0.005),
                 0.01, 0.6)
    s2 = np.clip(0.45 + 0.03 * dev - 0.003 * t + eff(0.06) + eps(0.008), 0.1, 0.9 - s1)
    v["gdp"], v["va1"], v["va2"], v["va3"] = gdp, gdp * s1, gdp * s2, gdp * (1.0 - s1 - s2)
    emp = pop * 1e4 * 0.55 * np.exp(eff(0.03))
    e1 = np.clip(0.55 - 0.2 * dev - 0.011 * t + eff(0.06) + eps(0.01), 0.03, 0.85)
    v["l1"], v["l23"] = emp * e1, emp * (1.0 - e1)
    industrial = v["va2"] * 3.2 * np.exp(eff(0.2) + eps(0.04))
    v["industrial_output"] = industrial
    v["leading_chain_output"] = industrial * np.clip(0.25 + 0.006 * t + eff(0.08) + eps(0.02),
                                                     0.03, 0.9)
    v["rural_online_retail"] = v["va1"] * np.exp(np.log(0.005) + 0.19 * t + 0.5 * dev
                                                 + eff(0.4) + eps(0.08))
    rural_pop = pop * (1.0 - urb)
    v["rural_workers"] = rural_pop * 1e4 * 0.58 * np.exp(eff(0.03))
    v["rural_nonfarm_workers"] = v["rural_workers"] * np.clip(
        0.28 + 0.0135 * t + 0.15 * dev + eff(0.06) + eps(0.01), 0.05, 0.95)

    # land and farming
    land = (np.exp(rng.normal(np.log(2200.0), 0.7, (n, 1)) + 0.8 * west)
            * np.where(district, 0.25, 1.0))
    v["land_area"] = np.broadcast_to(land, (n, n_years)).copy()
    cultivated = (land * 100.0 * np.clip(0.22 - 0.1 * west + eff(0.08), 0.02, 0.6)
                  * np.exp(-0.001 * t))
    v["cultivated_area"] = cultivated
    sown = cultivated * np.clip(1.3 + 0.1 * (group == "central")[:, None] + eff(0.2), 0.7, 2.2)
    v["sown_area"] = sown * np.exp(eps(0.02))
    v["machinery_power"] = cultivated * (4.5 + 0.2 * t) * np.exp(eff(0.3) + eps(0.03))
    v["fertiliser"] = v["sown_area"] * (0.28 + 0.006 * t - 0.0003 * t**2) * np.exp(eff(0.25)
                                                                                    + eps(0.04))
    contracted = cultivated * np.clip(0.85 + eff(0.05), 0.5, 1.0)
    v["contracted_land"] = contracted
    v["transferred_land"] = contracted * _sigmoid(-3.0 + 0.13 * t + 0.3 * dev + eff(0.3)
                                                  + eps(0.05))
    rate = 0.6 * np.maximum(t - 11.0, 0.0) / 8.0 * np.exp(eff(0.5))
    v["collective_land_parcels"] = rng.poisson(rural_pop * rate).astype(float)
    base = 0.95 * pop0 * _sigmoid(-0.75 + 1.2 * dev)
    v["built_up_area"] = base * (v["urban_resident_pop"] / base) ** (1.3 + eff(0.15)) * np.exp(
        eps(0.002))

    # finance
    savings = gdp * 0.55 * np.exp(eff(0.2) + 0.01 * t)
    v["household_savings"] = savings
    v["loans"] = savings * np.clip(0.55 + 0.15 * dev + 0.012 * t + eff(0.1) + eps(0.02), 0.15, 2.0)
    v["agri_loans"] = v["loans"] * np.clip(0.35 - 0.12 * dev - 0.004 * t + eff(0.06) + eps(0.01),
                                           0.03, 0.8)
    v["digital_finance_index"] = (20.0 + 95.0 * _sigmoid(0.35 * (t - 10.0)) + 8.0 * dev + eff(3.0)
                                  + eps(1.5))

    # infrastructure and night lights
    v["road_length"] = land * (0.55 + 0.035 * t) * np.exp(0.3 * dev + eff(0.3) + eps(0.02))
    v["night_light_seat"] = 8.0 * np.exp(0.6 * dev + 0.04 * t + eff(0.3) + eps(0.05))
    v["night_light_rural"] = 0.4 * np.exp(0.9 * dev + 0.07 * t + eff(0.4) + eps(0.08))
    v["seat_road_area_per_capita"] = (8.0 + 0.5 * t) * np.exp(eff(0.2) + eps(0.03))

    # income and consumption
    urban_income = (9500.0 * np.exp(0.45 * dev + eff(0.08)) * np.exp(0.095 * t - 0.0011 * t**2)
                    * np.exp(eps(0.012)))
    ratio = np.maximum(2.8 - 0.5 * tau - 0.25 * (dev - dev.mean()) + eff(0.2), 1.2)
    v["urban_income"] = urban_income
    v["rural_income"] = urban_income / ratio * np.exp(eps(0.012))
    v["urban_consumption"] = urban_income * np.clip(0.70 - 0.002 * t + eff(0.04) + eps(0.01),
                                                    0.4, 0.95)
    v["rural_consumption"] = v["rural_income"] * np.clip(0.82 + eff(0.05) + eps(0.015), 0.5, 1.1)

    # health and education
    v["hospital_beds"] = pop * 10.0 * (2.4 + 0.17 * t) * np.exp(0.15 * dev + eff(0.2) + eps(0.03))
    v["urban_beds_per_1000"] = (5.0 + 0.18 * t) * np.exp(eff(0.15) + eps(0.03))
    v["rural_beds_per_1000"] = (1.6 + 0.14 * t) * np.exp(0.1 * dev + eff(0.2) + eps(0.03))
    v["urban_health_workers_per_1000"] = (6.0 + 0.25 * t) * np.exp(eff(0.15) + eps(0.03))
    v["rural_health_workers_per_1000"] = (2.3 + 0.14 * t) * np.exp(0.1 * dev + eff(0.2) + eps(0.03))
    villages = np.maximum(np.round(np.exp(rng.normal(np.log(220.0), 0.5, (n, 1)))
                                   * np.where(district, 0.3, 1.0) * np.exp(-0.005 * t)), 5.0)
    v["villages"] = villages
    v["villages_with_clinic"] = np.round(villages * np.clip(0.86 + 0.007 * t + eff(0.04)
                                                            + eps(0.01), 0.0, 1.0))
    v["strong_villages"] = np.round(villages * _sigmoid(-3.2 + 0.14 * t + 0.8 * dev + eff(0.4)
                                                        + eps(0.05)))
    v["urban_pupil_teacher_ratio"] = np.maximum(20.5 - 0.15 * t + eff(1.5) + eps(0.3), 8.0)
    v["rural_pupil_teacher_ratio"] = np.maximum(19.5 - 0.32 * t + eff(2.0) + eps(0.3), 6.0)

    # social assistance and public utilities
    urban_dibao = 170.0 * np.exp(0.085 * t + 0.3 * dev + eff(0.1))
    v["urban_dibao_standard"] = urban_dibao
    v["rural_dibao_standard"] = urban_dibao * np.clip(0.35 + 0.023 * t + eff(0.06) + eps(0.01),
                                                      0.15, 1.0)
    pct = {
        "water_access_seat": 100.0 - 20.0 * np.exp(-0.12 * t + eff(0.3) + eps(0.05)),
        "water_access_rural": 100.0 - 55.0 * np.exp(-0.08 * t - 0.3 * dev + eff(0.25) + eps(0.04)),
        "gas_access_seat": 100.0 - 55.0 * np.exp(-0.09 * t - 0.2 * dev + eff(0.2) + eps(0.04)),
        "gas_access_rural": 3.0 * np.exp(0.13 * t + 0.5 * dev + eff(0.4) + eps(0.06)),
        "sewage_treatment_seat": 100.0 - 80.0 * np.exp(-0.15 * t + eff(0.3) + eps(0.05)),
        "sewage_treatment_rural": 2.0 * np.exp(0.16 * t + 0.5 * dev + eff(0.4) + eps(0.06)),
        "sanitary_toilet_rate": 100.0 - 60.0 * np.exp(-0.07 * t - 0.3 * dev + eff(0.3) + eps(0.04)),
        "land_revenue_to_rural": 2.0 + 0.45 * t + eff(1.5) + eps(0.8),
        "online_service_rate": 100.0 * _sigmoid(-2.5 + 0.28 * t + 0.5 * dev + eff(0.4) + eps(0.1)),
        "rural_priority_attention": 20.0 + 0.6 * t + eff(5.0) + eps(4.0),
    }
    v.update({k: np.clip(x, 0.0, 100.0) for k, x in pct.items()})

    # public finance
    budget = gdp * np.clip(0.18 - 0.08 * dev + 0.002 * t + eff(0.05), 0.05, 0.8)
    v["budget_spending"] = budget
    v["farm_spending"] = budget * np.clip(0.10 + 0.003 * t - 0.03 * dev + eff(0.03) + eps(0.008),
                                          0.02, 0.4)
    return {k: np.broadcast_to(x, (n, n_years)).astype(float) for k, x in v.items()}


def _missing_mask(rng: np.random.Generator, shape: tuple[int, int, int], rate: float) -> np.ndarray:
    """Scattered cells (0.8 × rate) plus runs of 3–6 consecutive years (about 0.2 × rate)."""
    n, n_years, n_vars = shape
    mask = rng.random(shape) < 0.8 * rate
    n_runs = round(0.2 * rate * mask.size / 4.5) if n_years >= 3 else 0
    if n_runs:
        length = rng.integers(3, 7, n_runs)
        length = np.minimum(length, n_years)
        start = rng.integers(0, n_years - length + 1)
        region = rng.integers(0, n, n_runs)
        var = rng.integers(0, n_vars, n_runs)
        offset = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
        mask[np.repeat(region, length), np.repeat(start, length) + offset,
             np.repeat(var, length)] = True
    return mask


def synthetic_counties(seed: int = 0, years: Iterable[int] = range(2004, 2024),
                       provinces: Iterable[str] | None = None, missing_rate: float = 0.03,
                       n_outliers: int = 12) -> Panel:
    """A synthetic county panel (see the module docstring for how values are made).

    Parameters
    ----------
    seed : the same seed gives the same panel.
    years : calendar years (any set; trends are functions of the calendar year).
    provinces : two-digit province codes to keep (all 31 when None); values of a county do not
        depend on this choice.
    missing_rate : target share of missing cells (0 for a complete panel).
    n_outliers : number of cells multiplied by 10.

    >>> p = synthetic_counties(years=range(2020, 2024))
    >>> p.synthetic, len(p.region_codes)
    (True, 2844)
    """
    year_arr = np.array(sorted(set(int(y) for y in years)), dtype=int)
    if year_arr.size == 0:
        raise InputError("synthetic_counties needs at least one year")
    if not 0.0 <= missing_rate < 0.5:
        raise InputError(f"missing_rate must be in [0, 0.5), got {missing_rate}")
    if n_outliers < 0:
        raise InputError(f"n_outliers must be non-negative, got {n_outliers}")
    counties = divisions("county")
    value_rng, missing_rng, outlier_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))
    values = _values(value_rng, counties, year_arr)
    units = _catalogue()
    names = sorted(units)
    cube = np.stack([values[k] for k in names], axis=2)  # county x year x variable
    if missing_rate > 0:
        cube[_missing_mask(missing_rng, cube.shape, missing_rate)] = np.nan
    if n_outliers:
        present = np.flatnonzero(~np.isnan(cube))
        if n_outliers > present.size:
            raise InputError(f"n_outliers={n_outliers} exceeds the {present.size} cells")
        cube.flat[outlier_rng.choice(present, n_outliers, replace=False)] *= OUTLIER_FACTOR
    n, n_years = len(counties), year_arr.size
    index = pd.MultiIndex.from_arrays(
        [np.repeat(counties.index.to_numpy(), n_years), np.tile(year_arr, n)],
        names=["region", "year"])
    data = pd.DataFrame(cube.reshape(n * n_years, len(names)), index=index, columns=names)
    regions = counties.rename_axis("region")
    if provinces is not None:
        keep = {str(p) for p in provinces}
        unknown = sorted(keep - set(regions["province"]))
        if unknown:
            raise InputError(f"unknown province code {unknown[0]!r} (use two-digit codes such as "
                             "'11' or '52')")
        regions = regions[regions["province"].isin(keep)]
        data = data[data.index.get_level_values("region").isin(regions.index)]
    source = (f"合成数据（非真实统计，seed={seed}）/ synthetic data, not statistics "
              f"(ronghe.datasets.synthetic_counties, seed={seed}); region codes and names: "
              "NBS 2023 division list")
    return Panel(data, regions.copy(), {k: units[k] for k in names}, source, synthetic=True)

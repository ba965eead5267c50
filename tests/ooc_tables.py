"""What the out-of-core tests share (tests/core, tests/chain, tests/store): the tables of the
out-of-core chain equal those of ``Study.evaluate``. Importable from every test folder (pytest puts
``tests/`` on the path for its conftest)."""

import pandas as pd

from ronghe import datasets

#: the small synthetic panel of the out-of-core tests: six provinces, five years
YEARS = range(2019, 2024)
PROVINCES = ["11", "13", "32", "44", "52", "65"]


def small_panel():
    return datasets.synthetic_counties(seed=3, years=YEARS, provinces=PROVINCES)


def sorted_rows(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("region", "year", "indicator", "action") if c in df]
    return df.sort_values(keys).reset_index(drop=True) if keys else df


def assert_same(res, tables) -> None:
    """Index, weights, coupling, obstacles equal to 1e-12; the treatment log (values in the
    indicators' units, means summed in another order) to 1e-12 relative."""
    for name in ("index", "weights", "coupling"):
        pd.testing.assert_frame_equal(sorted_rows(getattr(res, name)), sorted_rows(tables[name]),
                                      check_dtype=False, rtol=0, atol=1e-12, obj=name)
    pd.testing.assert_frame_equal(sorted_rows(res.treatment), sorted_rows(tables["treatment"]),
                                  check_dtype=False, rtol=1e-12, atol=0, obj="treatment")
    pd.testing.assert_frame_equal(res.obstacles.sort_index(), tables["obstacles"].sort_index(),
                                  check_dtype=False, rtol=0, atol=1e-12, obj="obstacles")

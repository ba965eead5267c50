"""The scoped report's Result: the in-scope rows of the whole evaluation, unchanged, with ranks
recomputed among them and the treatment log re-indexed (oracle: the full tables filtered)."""

from __future__ import annotations

import pandas as pd
import pytest

from ronghe.web.reports import scoped_result


@pytest.mark.parametrize("prefix", ["3301", "33", "52"])
def test_scoped_result_is_the_full_result_filtered(web_app, prefix) -> None:
    full = web_app.state.platform.analysis.snapshot().result
    scope = {r for r in full.index["region"] if str(r).startswith(prefix)}
    mine = scoped_result(full, frozenset(scope))
    keep = full.index["region"].isin(scope)
    cols = ["region", "year", "index", "topsis"]
    pd.testing.assert_frame_equal(mine.index[cols].reset_index(drop=True),
                                  full.index.loc[keep, cols].reset_index(drop=True))
    pd.testing.assert_frame_equal(
        mine.coupling[["region", "year", "C", "T", "D"]].reset_index(drop=True),
        full.coupling.loc[keep, ["region", "year", "C", "T", "D"]].reset_index(drop=True))
    expected = mine.index.groupby("year")["index"].rank(ascending=False, method="min")
    assert (mine.index["rank"] == expected.astype(int)).all()
    assert mine.index["rank"].max() <= len(scope)
    treated = full.treatment[full.treatment["region"].isin(scope)].reset_index(drop=True)
    assert not treated.empty  # the demo imputes in every province, so the re-indexing is tested
    pd.testing.assert_frame_equal(mine.treatment.reset_index(drop=True), treated,
                                  check_dtype=False)
    assert set(mine.state.panel.data.index.get_level_values("region")) == scope
    assert set(mine.state.panel.regions.index) == scope

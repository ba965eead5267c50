"""Property: a panel written in yearbook style (any encoding, layout, formatting quirk) reads back
to the same numbers, with every blank or dash reported as missing."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ronghe.ingest import read_file

CODES = ["120101", "130123", "150102", "210102"]
FULL = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
STYLES = ["plain", "thousands", "fullwidth", "footnote", "padded"]
MISSING = ["", "—", "…", "-", "——"]


def styled(x: float, style: str) -> str:
    text = f"{x:,.2f}" if style in ("thousands", "fullwidth") else f"{x:.2f}"
    if style == "fullwidth":
        return text.translate(FULL)
    if style == "footnote":
        return text + "①"
    if style == "padded":
        return f"  {text} "
    return text


cell = st.one_of(
    st.tuples(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)),
              st.sampled_from(STYLES)),
    st.sampled_from(MISSING).map(lambda m: (None, m)),
)


@settings(max_examples=40, deadline=None)
@given(grid=st.lists(st.lists(cell, min_size=2, max_size=2), min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
       layout=st.sampled_from(["per-year", "per-variable", "long"]))
def test_yearbook_style_round_trip(tmp_path_factory, grid, encoding, layout):
    tmp = tmp_path_factory.mktemp("rt")
    regions = CODES[: len(grid)]
    expected = {(r, 2020 + j): x for r, row in zip(regions, grid, strict=False)
                for j, (x, _) in enumerate(row) if x is not None}
    def text(c):
        return c[1] if c[0] is None else styled(*c)
    if layout == "per-year":  # a year column, variables across
        lines = ["代码,年份,v(万元)"] + [f"{r},{2020 + j},\"{text(c)}\"" for r, row in
                                        zip(regions, grid, strict=False) for j, c in enumerate(row)]
        path = tmp / "t.csv"
    elif layout == "per-variable":  # the file named by the variable, years across
        lines = ["代码,2020年,2021年"] + [f"{r}," + ",".join(f"\"{text(c)}\"" for c in row)
                                         for r, row in zip(regions, grid, strict=False)]
        path = tmp / "v.csv"
    else:
        lines = ["region,year,variable,value"] + [f"{r},{2020 + j},v,\"{text(c)}\"" for r, row in
                                                  zip(regions, grid, strict=False)
                                                  for j, c in enumerate(row)]
        path = tmp / "l.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    got = read_file(path)
    assert got.layout == layout
    back = {(r.region, r.year): r.value for r in got.values.itertuples()}
    assert back.keys() == expected.keys()
    for k, x in expected.items():
        assert back[k] == pytest.approx(x, abs=1e-9)
    n_missing = sum(c[0] is None for row in grid for c in row)
    assert got.report.count("missing") == n_missing
    assert got.report.count("error") == 0


def test_parquet_long(tmp_path):
    frame = pd.DataFrame({"region": ["120101", "130123"], "year": [2020, 2020],
                          "variable": ["v", "v"], "value": [1.5, None]})
    frame.to_parquet(tmp_path / "p.parquet")
    got = read_file(tmp_path / "p.parquet")
    assert got.layout == "long"
    assert got.values[["region", "value"]].values.tolist() == [["120101", 1.5]]
    assert got.report.count("missing") == 1

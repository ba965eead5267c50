import pandas as pd
import pytest

from ronghe.errors import InputError
from ronghe.panel import Panel, read_panel


def _wide(tmp_path, rows, name="p.csv", encoding="utf-8"):
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False, encoding=encoding)
    return path


def test_wide_csv(tmp_path):
    p = read_panel(
        _wide(
            tmp_path,
            {
                "region": ["130102", "130102", "130104"],
                "name": ["长安区", "长安区", "桥西区"],
                "year": [2020, 2021, 2020],
                "gdp": ["1.5", "", "3"],
            },
        )
    )
    assert p.years == [2020, 2021]
    assert p.data.loc[("130102", 2020), "gdp"] == 1.5
    assert pd.isna(p.data.loc[("130102", 2021), "gdp"])
    assert p.regions.loc["130104", "name_zh"] == "桥西区"
    assert p.regions.loc["130104", "province"] == "13"


def test_long_gbk_csv(tmp_path):
    path = _wide(
        tmp_path,
        {
            "地区代码": ["11", "11"],
            "年份": [2020, 2020],
            "variable": ["gdp", "pop"],
            "value": [1, 2],
        },
        encoding="gbk",
    )
    p = read_panel(path)
    assert p.data.loc[("11", 2020)].to_dict() == {"gdp": 1.0, "pop": 2.0}


def test_text_in_numeric_column_names_row_and_column(tmp_path):
    path = _wide(
        tmp_path, {"region": ["1", "2", "3"], "year": [2020] * 3, "gdp": ["1", "2", "abc"]}
    )
    with pytest.raises(InputError) as e:
        read_panel(path)
    msg = str(e.value)
    assert "p.csv" in msg and "row 4" in msg and "'gdp'" in msg and "abc" in msg


def test_duplicated_region_year(tmp_path):
    path = _wide(tmp_path, {"region": ["1", "1"], "year": [2020, 2020], "gdp": [1, 2]})
    with pytest.raises(InputError, match=r"row 3.*|duplicated"):
        read_panel(path)


def test_xlsx_and_parquet_agree(tmp_path):
    df = pd.DataFrame({"region": ["1", "2"], "year": [2020, 2020], "gdp": [1.25, 2.5]})
    df.to_excel(tmp_path / "p.xlsx", index=False)
    df.to_parquet(tmp_path / "p.parquet")
    a, b = read_panel(tmp_path / "p.xlsx"), read_panel(tmp_path / "p.parquet")
    pd.testing.assert_frame_equal(a.data, b.data)


@pytest.mark.parametrize(
    "content, reason",
    [
        ("just,text\n1,2\n", "needs a 'region'"),
        ("region,year\n1,2020\n", "no variable columns"),
    ],
)
def test_unusable_files(tmp_path, content, reason):
    path = tmp_path / "x.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=reason):
        read_panel(path)


def test_unsupported_and_missing(tmp_path):
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(InputError, match="unsupported"):
        read_panel(tmp_path / "a.doc")
    with pytest.raises(InputError, match="not found"):
        read_panel(tmp_path / "none.csv")


def test_panel_select_and_long():
    data = pd.DataFrame(
        {"gdp": [1.0, 2.0, None]},
        index=pd.MultiIndex.from_tuples(
            [("1", 2020), ("1", 2021), ("2", 2020)], names=["region", "year"]
        ),
    )
    p = Panel(data)
    assert p.select(years=[2021]).region_codes == ["1"]
    long = p.to_long()
    assert list(long.columns) == ["region", "year", "variable", "value"]
    assert len(long) == 2

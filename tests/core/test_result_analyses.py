"""A Result has no hidden state: analyses return their results and join a workbook only when
passed to it; the same Result writes the same workbook whatever was run on it before."""

import warnings

import openpyxl
import pandas as pd
import pytest

from ronghe import Study, datasets


class Sheets:
    """A stand-in analysis: one sheet and one note."""

    def __init__(self, name: str, value: float) -> None:
        self.name, self.value = name, value

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f"extra_{self.name}": pd.DataFrame({"value": [self.value]})}

    def notes(self) -> list[tuple[str, str]]:
        return [(f"extra {self.name}", str(self.value))]


@pytest.fixture(scope="module")
def result():
    panel = datasets.synthetic_counties(seed=3, provinces=["13", "62"], years=range(2021, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Study(panel, "seed").evaluate()


def test_analyses_store_nothing_on_the_result(result):
    before = set(result.tables())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dis = result.disparity(groups="macro")
    assert not hasattr(result, "analyses")
    assert set(result.tables()) == before
    assert dis.tables().keys() <= set(result.tables([dis]))


def test_analyses_are_passed_explicitly(result):
    a, b = Sheets("a", 1.0), Sheets("a", 2.0)
    tables = result.tables([Sheets("b", 0.5), a])
    assert {"extra_a", "extra_b"} <= set(tables) and "extra_a" not in result.tables()
    assert result.tables([a])["extra_a"]["value"].iloc[0] == 1.0
    assert result.tables([b])["extra_a"]["value"].iloc[0] == 2.0  # no call overwrites another
    assert ("extra a", "1.0") in result.notes([a]) and ("extra a", "1.0") not in result.notes()


def test_to_excel_writes_what_it_is_given(result, tmp_path):
    plain = openpyxl.load_workbook(result.to_excel(tmp_path / "plain.xlsx"), read_only=True)
    extra = openpyxl.load_workbook(
        result.to_excel(tmp_path / "extra.xlsx", analyses=[Sheets("a", 1.0)]), read_only=True)
    again = openpyxl.load_workbook(result.to_excel(tmp_path / "again.xlsx"), read_only=True)
    assert "extra_a" in extra.sheetnames and "extra_a" not in plain.sheetnames
    assert again.sheetnames == plain.sheetnames

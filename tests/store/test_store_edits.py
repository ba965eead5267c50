"""Store.write_values: corrections of single values as one batch, on DuckDB and PostgreSQL.

Oracles: a hand-worked example (the batch's sha256 recomputed here from its canonical text
written out by hand, the supersession chain and the batch row), the import's own cell rules for
invalid values (each case names its row and reason, and the database snapshot is unchanged), and
hypothesis properties (every submitted value becomes current, a repeated submission changes
nothing, the sha256 does not depend on the order of the rows)."""

import hashlib

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ronghe.errors import InputError

COLUMNS = ["region", "year", "variable", "value"]


def edit(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def current(store, region: str, year: int, variable: str) -> tuple[float, int]:
    h = store.history(region, year, variable)
    row = h[h["valid"]].iloc[0]
    return float(row["value"]), int(row["batch_id"])


def test_hand_worked_correction(store):
    first = store.write_values(edit(("120101", 2020, "gdp", 100.0),
                                    ("130123", 2020, "urban_share", "45.5%")),
                               source="first", user="alice")
    assert (first.status, first.batch_id, first.n_values, first.n_superseded) == (
        "imported", 1, 2, 0)
    # canonical text: sorted lines region \t year \t variable \t repr(value) \t replaced batch
    text = "120101\t2020\tgdp\t100.0\t\n130123\t2020\turban_share\t45.5\t"
    assert first.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert first.changes["old"].isna().all()

    second = store.write_values(edit(("120101", 2020, "gdp", "1,234.5"),
                                     ("130123", 2020, "urban_share", 45.5)),
                                source="  统计年鉴 2021 更正 ", user="bob")
    assert (second.status, second.batch_id, second.n_values, second.n_unchanged,
            second.n_superseded) == ("imported", 2, 1, 1, 1)
    assert second.sha256 == hashlib.sha256(b"120101\t2020\tgdp\t1234.5\t1").hexdigest()
    assert second.changes[["region", "year", "variable", "unit", "old", "new"]].values.tolist() == [
        ["120101", 2020, "gdp", "万元", 100.0, 1234.5]]
    assert int(second.changes["old_batch"].iloc[0]) == 1

    h = store.history("120101", 2020, "gdp")
    assert h["value"].tolist() == [100.0, 1234.5]
    assert h["valid"].tolist() == [False, True]
    assert int(h["superseded_by"].iloc[0]) == 2 and h["batch_id"].tolist() == [1, 2]
    assert h["source"].tolist() == ["first", "统计年鉴 2021 更正"]
    assert h["user_name"].tolist() == ["alice", "bob"]
    assert current(store, "130123", 2020, "urban_share") == (45.5, 1)  # unchanged row: kept

    b = store.batches().set_index("id").loc[2]
    assert (b["file_name"], b["layout"], b["source"], b["user_name"], b["sha256"]) == (
        "edit", "edit", "统计年鉴 2021 更正", "bob", second.sha256)
    assert (b["n_cells"], b["n_values"], b["n_superseded"], b["n_rejected"]) == (2, 1, 1, 0)


def test_identical_resubmission_is_unchanged(store, take_snapshot):
    one = store.write_values(edit(("120101", 2020, "gdp", 1483.752)), source="r")
    two = store.write_values(edit(("130123", 2020, "gdp", 2)), source="r")
    before = take_snapshot(store)
    # 1483.752 is not a float32: DuckDB's single-precision column stores 1483.751953125, and
    # the submission must still count as the stored value
    again = store.write_values(edit(("120101", 2020, "gdp", "1483.752")), source="other")
    assert (again.status, again.batch_id, again.n_values, again.n_unchanged) == (
        "unchanged", one.batch_id, 0, 1)
    both = store.write_values(edit(("120101", 2020, "gdp", 1483.752),
                                   ("130123", 2020, "gdp", 2.0)), source="again")
    assert (both.status, both.batch_id, both.n_unchanged) == ("unchanged", None, 2)
    assert two.batch_id == 2  # the two values are held by two batches: no single batch id
    assert take_snapshot(store) == before


def test_nothing_written_when_unchanged(store, take_snapshot):
    store.write_values(edit(("120101", 2020, "gdp", 7)), source="r")
    before = take_snapshot(store)
    assert store.write_values(edit(("120101", 2020, "gdp", "7.0")), source="r").status == (
        "unchanged")
    assert take_snapshot(store) == before


def test_old_correction_applies_again_after_a_newer_import(store):
    """A -> B (correction), C (import), B again: B is current again, in a new batch whose
    sha256 differs from the first correction's because it replaces another batch."""
    first = store.write_values(edit(("120101", 2020, "gdp", 5)), source="fix")
    frame = pd.DataFrame({"region": ["120101"], "year": [2020], "variable": ["gdp"],
                          "value": [9.0], "unit": ["万元"], "sheet": [""], "row": [1],
                          "column": ["D"]})
    newer, _ = store.import_frame(frame, file_name="later.csv", sha256="c" * 64)
    again = store.write_values(edit(("120101", 2020, "gdp", 5)), source="fix")
    assert again.status == "imported" and again.sha256 != first.sha256
    assert int(again.changes["old_batch"].iloc[0]) == newer
    assert current(store, "120101", 2020, "gdp") == (5.0, again.batch_id)


@pytest.mark.parametrize(("rows", "row", "message"), [
    ([("120101", 2020, "gdp", "abc")], 1, "not a number"),
    ([("120101", 2020, "gdp", 1), ("130123", 2020, "urban_share", 150)], 2,
     r"150 outside the valid range \[0, 100\]"),
    ([("120101", 2020, "birth_rate", "1200")], 1, r"outside the valid range \[0, 1000\]"),
    ([("120101", 2020, "income_ratio", 0)], 1, "must be positive"),
    ([("120101", 2020, "gdp", "12%")], 1, "does not fit the unit"),
    ([("120101", 2020, "gdp", None)], 1, "no value"),
    ([("120101", 2020, "gdp", float("inf"))], 1, "not a number"),
    ([("120101", 2020, "gdp", 1), ("999999", 2020, "gdp", 1)], 2, "unknown region code"),
    ([("120101", 2020, "nope", 1)], 1, "unknown variable"),
    ([("120101", "20x", "gdp", 1)], 1, "year is not a year"),
    ([("120101", 2020, "gdp", 1), ("120101", "2020年", "gdp", 2)], 2, "also given in row 1"),
    ([("120101", 2020, "gdp", "x"), ("120101", 2021, "gdp", "y")], 1, "and 1 more rows"),
])
def test_invalid_rows_name_row_and_reason(store, take_snapshot, rows, row, message):
    store.write_values(edit(("120101", 2019, "gdp", 3)), source="base")
    before = take_snapshot(store)
    with pytest.raises(InputError, match=message) as err:
        store.write_values(edit(*rows), source="bad", user="u")
    assert err.value.row == row and err.value.file == "edit"
    assert take_snapshot(store) == before


def test_reason_and_columns_are_required(store, take_snapshot):
    before = take_snapshot(store)
    with pytest.raises(InputError, match="needs a reason"):
        store.write_values(edit(("120101", 2020, "gdp", 1)), source="  ")
    with pytest.raises(InputError, match="missing value"):
        store.write_values(pd.DataFrame({"region": ["120101"], "year": [2020],
                                         "variable": ["gdp"]}), source="r")
    with pytest.raises(InputError, match="no values"):
        store.write_values(edit(), source="r")
    assert take_snapshot(store) == before


def test_dry_run_writes_nothing(store, take_snapshot):
    before = take_snapshot(store)
    dry = store.write_values(edit(("120101", 2020, "gdp", 11)), source="r", dry_run=True)
    assert (dry.status, dry.batch_id, dry.n_values) == ("dry-run", None, 1)
    assert take_snapshot(store) == before
    done = store.write_values(edit(("120101", 2020, "gdp", 11)), source="r")
    assert done.sha256 == dry.sha256


def test_identical_correction_stored_first_by_another_writer(store):
    """Two identical corrections racing: the second insert hits the unique sha256 and the
    call reports ``unchanged`` with the winner's batch (the race is replayed by storing a
    batch with the correction's sha256 first)."""
    rows = edit(("120101", 2020, "gdp", 100.0))
    sha = store.write_values(rows, source="r", dry_run=True).sha256
    winner, _ = store.import_frame(pd.DataFrame(columns=["region", "year", "variable", "value",
                                                         "unit", "sheet", "row", "column"]),
                                   file_name="edit", sha256=sha)
    lost = store.write_values(rows, source="r")
    assert (lost.status, lost.batch_id, lost.n_values, lost.n_unchanged) == (
        "unchanged", winner, 0, 1)
    assert store.observations().empty


def test_jump_against_stored_year_is_a_warning(store):
    store.write_values(edit(("120101", 2020, "gdp", 100)), source="r")
    done = store.write_values(edit(("120101", 2021, "gdp", 1000)), source="r")
    assert done.status == "imported" and done.report.count("warning") == 1
    assert "×10.00" in done.report.warnings["reason"].iloc[0]
    assert int(store.batches().set_index("id").loc[done.batch_id, "n_warnings"]) == 1


CELLS = [("120101", 2020), ("130123", 2020), ("150102", 2021), ("210102", 2022)]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CELLS), st.integers(0, 200)), min_size=1,
                max_size=4, unique_by=lambda x: x[0]))
def test_properties(store, cells):
    """Values are multiples of 0.5 in [0, 100]: stored exactly by every backend."""
    rows = [(region, year, "urban_share", half / 2) for (region, year), half in cells]
    frame = edit(*rows)
    before = store.observations(variables=["urban_share"])
    held = {(r.region, int(r.year)): r.value for r in before.itertuples()}
    dry = store.write_values(frame, source="p", dry_run=True)
    assert dry.sha256 == store.write_values(frame.iloc[::-1], source="p", dry_run=True).sha256
    done = store.write_values(frame, source="p")
    differ = sum(held.get((r, y)) != v for r, y, _, v in rows)
    assert (done.n_values, done.n_unchanged) == (differ, len(rows) - differ)
    assert done.status == ("imported" if differ else "unchanged")
    for region, year, variable, value in rows:
        assert current(store, region, year, variable)[0] == value
    assert store.write_values(frame, source="p").status == "unchanged"

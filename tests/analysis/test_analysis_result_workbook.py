"""Analyses passed to a Result's workbook join it, with their columns explained and notes added."""

import warnings

import openpyxl

from ronghe import Study, datasets


def test_disparity_and_drivers_join_the_workbook(tmp_path):
    panel = datasets.synthetic_counties(seed=2, provinces=["13", "62"], years=range(2020, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, "seed").evaluate()
        dis = res.disparity(groups="macro")
        drv = res.drivers(factors=["income_ratio", "road_density"])
    path = res.to_excel(tmp_path / "r.xlsx", analyses=[dis, drv])
    wb = openpyxl.load_workbook(path, read_only=True)
    names = wb.sheetnames
    assert "disparity_dagum" in names and any(n.startswith("drivers_") for n in names)
    columns = {(r[0], r[1]): r[2] for r in wb["列说明 Columns"].iter_rows(min_row=2, values_only=True)}
    assert columns[("disparity_dagum", "G")]
    about = [r[0] for r in wb["说明 About"].iter_rows(min_row=2, values_only=True)]
    assert any("disparity" in str(k) for k in about)

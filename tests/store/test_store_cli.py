"""The db / import / regions commands: output, one-line errors with exit code 1, report files."""

from pathlib import Path

import pandas as pd
import typer
from typer.testing import CliRunner

from ronghe.cli.db import db_app, import_files, regions_app

DATA = Path(__file__).parents[1] / "data"
runner = CliRunner()
import_app = typer.Typer()
import_app.command()(import_files)


def test_init_import_status_export(tmp_path):
    db = str(tmp_path / "c.duckdb")
    r = runner.invoke(db_app, ["init", "--db", db])
    assert r.exit_code == 0, r.output
    assert "regions: 6450" in r.output  # the 2023 list (3,208) and the codes retired since 1981
    report = tmp_path / "report.csv"
    long = tmp_path / "long.csv"  # variables of the built-in catalogue
    long.write_text("region,year,variable,value,unit\n130123,2020,gdp,42,亿元\n"
                    "130123,2020,常住人口,50,万人\n120101,2020,gdp,1,亿元\n"
                    "120101,2020,resident_pop,—,万人\n120101,2021,resident_pop,11,万人\n",
                    encoding="utf-8")
    r = runner.invoke(import_app, [str(long), "--db", db, "--source", "测试", "--report",
                                   str(report)])
    assert r.exit_code == 0, r.output
    assert "long.csv: 已导入 imported; 4 值 values (long), 0 拒绝 rejected, 1 缺失 missing" in r.output
    assert len(pd.read_csv(report, encoding="utf-8-sig")) == 1
    r = runner.invoke(import_app, [str(long), "--db", db])
    assert "未变化 unchanged" in r.output
    r = runner.invoke(db_app, ["status", "--db", db])
    assert "当前值 current values: 4" in r.output and "— 测试" in r.output
    out = tmp_path / "o.csv"
    r = runner.invoke(db_app, ["export", str(out), "--db", db])
    assert r.exit_code == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 4
    harmonized = tmp_path / "h.csv"
    r = runner.invoke(regions_app, ["harmonize", "--out", str(harmonized), "--db", db])
    assert r.exit_code == 0, r.output
    assert len(pd.read_csv(harmonized)) == 3  # (130123, 2020), (120101, 2020), (120101, 2021)


def test_dry_run_and_report_lines(tmp_path):
    db = str(tmp_path / "d.duckdb")
    r = runner.invoke(import_app, [str(tmp_path / "none.csv"), "--db", db, "--dry-run"])
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and "file not found" in r.output
    messy = tmp_path / "2021.csv"
    messy.write_text("代码,地区生产总值(万元)\n130123,abc\n120101,１２３\n", encoding="utf-8")
    r = runner.invoke(import_app, [str(messy), "--db", db, "--dry-run", "--report",
                                   str(tmp_path / "r.xlsx")])
    assert r.exit_code == 0, r.output
    assert "试运行 dry run; 1 值 values" in r.output
    assert ("错误 error：2021.csv，工作表 '2021'，第 2 行，B 列（地区生产总值(万元)）：不是数值 / "
            "not a number [abc]") in r.output
    assert not Path(db).exists()  # a dry run on a new database creates nothing


def test_errors_are_one_line(tmp_path):
    db = str(tmp_path / "e.duckdb")
    r = runner.invoke(import_app, [str(DATA / "messy_ambiguous.csv"), "--db", db])
    assert r.exit_code == 1
    assert r.output.startswith("错误 error: messy_ambiguous.csv, sheet 'messy_ambiguous', row 2")
    assert "Traceback" not in r.output
    r = runner.invoke(db_app, ["export", str(tmp_path / "x.csv"), "--db", db])
    assert r.exit_code == 1 and "错误 error" in r.output


def test_export_neutralises_formulas(tmp_path):
    """Stored text that a spreadsheet would run (file name, sheet, source beginning with
    = + - @, tab or CR) stays text in the exported CSV and XLSX."""
    import csv

    import openpyxl

    from ronghe.store import Store

    db = str(tmp_path / "f.duckdb")
    assert runner.invoke(db_app, ["init", "--db", db]).exit_code == 0
    bad = tmp_path / "=HYPERLINK(1).csv"
    bad.write_text("region,year,variable,value\n130123,2020,gdp,42\n", encoding="utf-8")
    r = runner.invoke(import_app, [str(bad), "--db", db, "--source", "@SUM(1,2)"])
    assert r.exit_code == 0, r.output
    store = Store(db)
    values = pd.DataFrame({"region": ["120101"], "year": [2020], "variable": ["gdp"],
                           "value": [1.0], "unit": ["亿元"], "sheet": ["+cmd|' /C calc'!A0"],
                           "row": [2], "column": ["B"]})
    store.import_frame(values, file_name="-2+3.csv", sha256="f" * 64, source="\t=1+1")
    store.close()
    hostile = {"=HYPERLINK(1).csv", "@SUM(1,2)", "+cmd|' /C calc'!A0", "-2+3.csv", "\t=1+1"}
    out = tmp_path / "o.csv"
    assert runner.invoke(db_app, ["export", str(out), "--db", db]).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        cells = {c for row in csv.reader(f) for c in row}
    assert {"'" + h for h in hostile} <= cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    xlsx = tmp_path / "o.xlsx"
    assert runner.invoke(db_app, ["export", str(xlsx), "--db", db]).exit_code == 0
    ws = openpyxl.load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert hostile <= {c.value for c in cells}
    r = runner.invoke(db_app, ["export", str(tmp_path / "o.txt"), "--db", db])
    assert r.exit_code == 1 and "must end in" in r.output

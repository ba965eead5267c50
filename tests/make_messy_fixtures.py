"""Write the messy yearbook fixtures in tests/data/ (run once; the outputs are committed).

    PYTHONPATH=src python tests/make_messy_fixtures.py

Every quirk ronghe's importer must handle appears at a known cell, and the tests assert the value or
report line of each. Region codes are real NBS codes; the numbers are invented.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

DATA = Path(__file__).parent / "data"

REGIONS = """code,name_zh,level,parent,province
120000,天津市,province,,12
120101,和平区,county,120000,12
130000,河北省,province,,13
130100,石家庄市,prefecture,130000,13
130123,正定县,county,130100,13
150000,内蒙古自治区,province,,15
150100,呼和浩特市,prefecture,150000,15
150102,新城区,county,150100,15
210000,辽宁省,province,,21
210100,沈阳市,prefecture,210000,21
210102,和平区,county,210100,21
540000,西藏自治区,province,,54
540100,拉萨市,prefecture,540000,54
540102,城关区,county,540100,54
610000,陕西省,province,,61
610100,西安市,prefecture,610000,61
610102,新城区,county,610100,61
620000,甘肃省,province,,62
620100,兰州市,prefecture,620000,62
620102,城关区,county,620100,62
"""

CATALOGUE = """variables:
  - {id: gdp, name_zh: 地区生产总值, name_en: GDP, unit: 万元, merge: sum}
  - {id: urban_share, name_zh: 城镇化率, name_en: urbanisation rate, unit: "%", merge: popweighted}
  - {id: income_ratio, name_zh: 城乡居民收入比, name_en: urban-rural income ratio, unit: "", merge: mean}
  - {id: population, name_zh: 常住人口, name_en: resident population, unit: 万人, merge: sum}
  - {id: birth_rate, name_zh: 出生率, name_en: birth rate, unit: "‰", merge: popweighted}
"""

HEADER = ["代码", "地区", "省份", "地区生产总值（亿元）", "城镇化率(%)", "城乡居民收入比",
          "常住人口（万人）", "出生率(‰)"]


def yearbook(path: Path) -> None:
    """One sheet per year, with title rows, a notes sheet, province rows and a footer."""
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表数据为测试用虚构数据。"])
    s = book.create_sheet("2021年")
    s.append(["表2-1 各县（市、区）主要指标（2021年）"])                      # row 1
    s.append(["单位：万元"])                                                 # row 2
    s.append([])                                                            # row 3
    s.append(HEADER)                                                        # row 4
    s.append([None, "天津市", None, "15,695.1", "84.9", "1.8", "1373", "5.0"])   # row 5
    s.append([None, "和 平 区", None, "1,234.5", "１００", "1.85①", "—", "4.1"])  # row 6
    s.append([None, "和平区", "辽宁", "987.6*", "…", "-", None, "６．８"])         # row 7
    s.append([None, "正定县", "河北省", 456.78, "120", "0", "abc", "=1+1"])       # row 8
    s.append([150102, "新城区", None, "12,34.5", "45.6%", "2.1", "８８．８", " 7.1 "])  # row 9
    s.append(["610102000000", "新城区", None, 1e20, "-3", "#DIV/0!", 123.4, True])  # row 10
    s.append([])                                                            # row 11
    s.append(["注：带*为初步核算数。"])                                        # row 12
    s = book.create_sheet("2022")
    s.append(HEADER)                                                        # row 1
    s.append(["120101", "和平区", "天津", "5,000", "99.5", "1.80", "15.8", "3.9"])  # row 2
    s.append(["130123", "正定县", "河北", "470.1", "52.3", "1.9", "48.0", "6.5"])   # row 3
    book.save(path)


def per_variable(path: Path) -> None:
    """One sheet per variable, years in columns."""
    book = Workbook()
    s = book.active
    s.title = "地区生产总值（亿元）"
    s.append(["地区代码", "名称", "2020年", "2021年", "2022年"])
    s.append(["120101", "和平区", "1,100", "1,234.5", "—"])
    s.append(["130123", "正定县", 420.5, 456.78, "470.1"])
    s = book.create_sheet("urban_share")
    s.append(["代码", "2020", "2021", "2022"])
    s.append(["120101", "99", "１００", "99.5"])
    book.save(path)


def gbk_csv(path: Path) -> None:
    """Regions in rows with a year column, GBK-encoded, names with duplicate resolution."""
    text = ("地区,省份,年份,地区生产总值(万元),城镇化率(%)\n"
            "和平区,天津市,2020,\"11,000,000\",99\n"
            "和平区,辽宁省,2020,\"9,000,000\",100\n"
            "城关区,甘肃,2020,\"8,500,000\",‰\n")
    path.write_bytes(text.encode("gbk"))


def long_bom_csv(path: Path) -> None:
    """Long layout in UTF-8 with BOM and a unit column."""
    text = ("region,year,variable,value,unit\n"
            "120101,2020,gdp,1100,亿元\n"
            "120101,2020,urban_share,99,%\n"
            "130123,2020,地区生产总值,\"4,205,000\",万元\n"
            "130123,2020,出生率,0.65,%\n")
    path.write_bytes(text.encode("utf-8-sig"))


def ambiguous_csv(path: Path) -> None:
    path.write_bytes("地区,年份,地区生产总值(万元)\n城关区,2020,100\n".encode("gbk"))


def main() -> None:
    DATA.mkdir(exist_ok=True)
    (DATA / "messy_regions.csv").write_text(REGIONS, encoding="utf-8")
    (DATA / "messy_catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    yearbook(DATA / "messy_yearbook.xlsx")
    per_variable(DATA / "messy_per_variable.xlsx")
    gbk_csv(DATA / "messy_gbk.csv")
    long_bom_csv(DATA / "messy_long_bom.csv")
    ambiguous_csv(DATA / "messy_ambiguous.csv")


if __name__ == "__main__":
    main()

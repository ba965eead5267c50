"""One convention for obstacle-category shares in every output: the O1-O4 shares sum to 100 %
and the untagged part of the total obstacle degree is shown apart. One region-year is read from
the CLI (text and JSON), the workbook, the HTML report, the DOCX brief and the API's
serialisation, and every reading must agree.

Before the convention, the CLI printed O1-O4 shares of the tagged degree plus "untagged 21 %"
(121 % in all) while the report and the brief printed shares of the total degree (O4 44.2 %,
其他 21.3 %): the same county, two sets of numbers."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from ronghe import datasets
from ronghe.cli.diagnose import diagnose_command
from ronghe.diagnosis import OBSTACLES, obstacle_shares
from ronghe.study import Study

app = typer.Typer()
app.command()(diagnose_command)
YEAR = 2023


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    out = tmp_path_factory.mktemp("shares")
    panel = datasets.synthetic_counties(seed=3, years=range(2019, 2024), provinces=["13"])
    path = out / "panel.csv"
    panel.data.reset_index().to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = Study(path, "seed").evaluate()
    region = str(result.index.sort_values("region")["region"].iloc[3])
    return out, path, result, region


def _pct(text: str, cat: str) -> float:
    """The percentage printed after the category code ``cat`` (e.g. 'O4 体制… 40.3%')."""
    m = re.search(rf"{cat} [^%]*?(\d+(?:\.\d+)?)%", text)
    assert m, f"{cat} not found"
    return float(m.group(1))


def test_every_output_prints_the_same_shares(case):
    out, path, result, region = case
    truth = obstacle_shares(result, YEAR).set_index("region").loc[region]
    shares = {c: float(truth[f"share_{c}"]) for c in OBSTACLES}
    untagged = float(truth["untagged"])
    assert sum(shares.values()) == pytest.approx(1.0)
    assert 0 < untagged < 1  # the seed framework leaves some indicators untagged

    # CLI, JSON and text
    runner = CliRunner()
    res = runner.invoke(app, ["-r", region, "-y", str(YEAR), "--data", str(path), "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert {c["id"]: c["share"] for c in body["categories"]} == pytest.approx(shares, abs=1e-12)
    assert body["untagged"] == pytest.approx(untagged, abs=1e-12)
    text = runner.invoke(app, ["-r", region, "-y", str(YEAR), "--data", str(path)]).stdout
    line = next(x for x in text.splitlines() if x.startswith("障碍类别"))
    listed = line.split(": ", 1)[1]
    assert "合计 100%" in line and f"另占总障碍度 {untagged:.0%}" in line
    assert sum(_pct(listed, c) for c in OBSTACLES) == pytest.approx(100, abs=2)  # 1 % rounding

    # workbook: the obstacles sheet carries the shares of every region-year
    book = result.to_excel(out / "r.xlsx")
    wb = openpyxl.load_workbook(book, read_only=True)
    rows = wb["obstacles"].iter_rows(values_only=True)
    code = {r[4]: r[1] for r in wb["列说明 Columns"].iter_rows(min_row=2, values_only=True)
            if r[0] == "obstacles"}  # header shown -> column code
    head = [code[h] for h in next(rows)]
    row = next(r for r in rows if str(r[head.index("region")]) == region
               and r[head.index("year")] == YEAR)
    assert {c: row[head.index(f"share_{c}")] for c in OBSTACLES} == pytest.approx(shares)
    assert row[head.index("untagged")] == pytest.approx(untagged)

    # HTML report and DOCX brief print one decimal
    from ronghe.report.brief import write_brief
    from ronghe.report.html import write_html

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = write_html(result, out / "r.html", region=region).read_text(encoding="utf-8")
        docx_path = write_brief(result, out / "r.docx", region)
    table = html[html.index(f'id="region-{region}"'):]
    table = table[table.index("障碍类别"):table.index("</table>", table.index("障碍类别"))]
    import docx

    para = next(p.text for p in docx.Document(str(docx_path)).paragraphs
                if p.text.startswith("障碍类别："))
    for c in OBSTACLES:
        assert _pct(table, c) == pytest.approx(100 * shares[c], abs=0.051)
        assert _pct(para, c) == pytest.approx(100 * shares[c], abs=0.051)
    for shown in (table, para):
        other = re.search(r"不计入 O1–O4 的 100%）(?:</td><td>|\s)*(\d+\.\d)%", shown)
        assert other and float(other.group(1)) == pytest.approx(100 * untagged, abs=0.051)

    # API: the serialisation of /results/obstacles and the /diagnosis body
    pytest.importorskip("fastapi")
    from ronghe.web.routes.results import _obstacle_rows

    top = result.top_obstacles
    api_row = next(r for r in _obstacle_rows(top[(top["region"] == region) & (top["year"] == YEAR)]))
    assert {c: api_row["shares"][c] for c in OBSTACLES} == pytest.approx(shares, abs=1e-12)
    assert api_row["shares"]["untagged"] == pytest.approx(untagged, abs=1e-12)
    diag = result.diagnose(region, YEAR).to_dict()
    assert {c["id"]: c["share"] for c in diag["categories"]} == pytest.approx(shares, abs=1e-12)


def test_shares_sum_to_one_everywhere(case):
    _, _, result, _ = case
    s = obstacle_shares(result)
    tagged = s[[f"share_{c}" for c in OBSTACLES]].sum(axis=1)
    assert np.allclose(tagged, 1.0)
    cat = result.obstacles["category"]
    assert np.allclose(s["untagged"], cat["other"].to_numpy())

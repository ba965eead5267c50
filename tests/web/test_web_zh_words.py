"""Every zh page reads Chinese (issue 18): no English unit, role, audit action or English word and
no indicator id in the visible text of any page an administrator opens, and numbers are rounded."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from ronghe.frameworks import load_framework
from ronghe.words import number

#: English words that must not reach a zh reader (units, roles, audit actions, validation words).
#: (The demo's user names are admin, analyst, editor and viewer, so role names are checked apart.)
ENGLISH = ("10^4", "persons", "parcels", "pp", "yuan", "ha", "beds", "count", "login", "logout",
           "import", "user-create", "user-edit", "token", "password-reset", "missing", "layout",
           "per-year", "no data mark", "Rank", "Region", "Value")
PAGES = ("/", "/?metric=D", "/?metric=raw:urban_resident_share", "/region/330102",
         "/region/330102?variable=rural_income", "/scenario/330102", "/data", "/admin", "/tokens")


class _Text(HTMLParser):
    """The text a person sees: no tags, scripts, styles or attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def test_number_rounds_to_its_precision() -> None:
    assert number(0.1234567890123) == "0.1235"
    assert number(12.5000000000001, 6) == "12.5"
    assert number(3.0) == "3" and number(None) == "–" and number(float("nan")) == "–"


def test_every_zh_page_reads_chinese(clients, web_app) -> None:
    ids = set(load_framework("seed").indicator_ids)
    # Token names are what users typed (other tests name theirs "token admin"), not interface words.
    typed = sorted({k["name"] for k in web_app.state.platform.accounts.tokens()}, key=len,
                   reverse=True)
    found = {}
    for path in PAGES:
        response = clients["admin"].get(path + ("&" if "?" in path else "?") + "lang=zh")
        if response.status_code == 404:
            continue
        assert response.status_code == 200, path
        text = _visible(response.text)
        for name in typed:
            text = text.replace(name, " ")
        words = set(re.findall(r"[A-Za-z_^0-9][A-Za-z0-9_^\-]*(?: [a-z]+){0,2}", text))
        bad = sorted({w for w in words for e in ENGLISH if w == e or w.split()[0] == e}
                     | (set(re.findall(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", text)) & ids))
        if bad:
            found[path] = bad
        assert not re.search(r"\d\.\d{7,}", text), (path, re.search(r"\d\.\d{7,}", text))
    assert found == {}
    admin = _visible(clients["admin"].get("/admin?lang=zh").text)
    for role in ("管理员", "分析员", "数据填报员", "查看者"):
        assert f"· {role}" in admin
    assert not re.search(r"· (admin|analyst|editor|viewer)\b", admin)


def test_demo_database_is_labelled_synthetic(web_app) -> None:
    """Issue 18: the API said "synthetic": false for the demo database."""
    panel = web_app.state.platform.store.panel()
    assert panel.synthetic


def test_upload_preview_reads_chinese(clients, csrf) -> None:
    """A rejected cell in the upload preview: headers, severity and reason in Chinese on a zh page
    (the preview showed the validation report's English codes and reasons)."""
    client = clients["admin"]
    token = csrf(client.get("/data").text)
    body = b"region,year,variable,value\n330106,2023,gdp,abc\n"
    r = client.post("/data/upload?lang=zh", data={"csrf": token, "source": "test"},
                    files={"file": ("bad.csv", io.BytesIO(body), "text/csv")})
    assert r.status_code == 200
    table = _visible(r.text.split("<table>", 1)[1].split("</table>", 1)[0])
    assert "工作表" in table and "类别" in table and "错误" in table
    assert not re.search(r"\b(sheet|row|column|error)\b", table.split("/")[0]), table

"""Security: headers, write token, CSRF, escaping, upload caps and zip bombs, SQL sandbox."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import POLICY_HEADER, TOKEN, csrf_of, wait_job

from zonescope.web.security import WritePolicy, is_loopback
from zonescope.web.uploads import Limits

GOOD_TRADE = ("地区,期间,口径,流向,监管方式,值（万元）,来源\n"
              "鹏城,2030-06,ytd,export,9610,12345,我的调查\n")


def _upload(client: TestClient, content: bytes, name: str = "t.csv", kind: str = "trade",
            action: str = "import", token: str = TOKEN, csrf: str | None = None) -> Any:
    csrf = csrf if csrf is not None else csrf_of(client)
    return client.post("/data/import", files={"file": (name, content)}, follow_redirects=False,
                       data={"kind": kind, "action": action, "token": token, "csrf": csrf})


def test_security_headers_on_pages_api_and_static(client: TestClient) -> None:
    for path in ("/", "/api/v1/overview", "/static/app.js", "/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1
                                                                                 ].split(";")[0]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script(client: TestClient) -> None:
    html = client.get("/").text
    scripts = html.split("<script")[1:]
    assert scripts
    for script in scripts:
        head = script.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head


@pytest.mark.parametrize("host,expected", [("127.0.0.1", True), ("127.8.0.1", True),
                                          ("::1", True), ("localhost", True),
                                          ("0.0.0.0", False), ("192.168.1.5", False),
                                          ("example.org", False)])
def test_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_write_policy() -> None:
    generated, fresh = WritePolicy.decide("127.0.0.1", None)
    assert fresh and generated.token and len(generated.token) >= 16
    closed, fresh = WritePolicy.decide("0.0.0.0", None)
    assert closed.token is None and not fresh
    given, fresh = WritePolicy.decide("0.0.0.0", "from-the-environment-123")
    assert given.token == "from-the-environment-123" and not fresh


def test_import_without_token_is_refused_and_writes_nothing(
        client: TestClient, state: Callable[[], Any]) -> None:
    before = client.get("/api/v1/data").json()["history"]
    response = _upload(client, GOOD_TRADE.encode(), token="")
    assert response.status_code == 401
    assert "令牌" in response.text
    wrong = _upload(client, GOOD_TRADE.encode(), token="not-the-token-at-all")
    assert wrong.status_code == 403
    api = client.post("/api/v1/import?kind=trade", files={"file": ("t.csv", GOOD_TRADE)})
    assert api.status_code == 401 and api.json()["error"] == "web.token_missing"
    assert client.get("/api/v1/data").json()["history"] == before


def test_non_loopback_without_token_refuses_writes(make_client: Callable[..., TestClient]
                                                   ) -> None:
    client = make_client(token=None, host="0.0.0.0")
    assert client.app.state.generated_token is None  # type: ignore[attr-defined]
    response = client.post("/api/v1/import?kind=trade", files={"file": ("t.csv", GOOD_TRADE)},
                           headers={"authorization": "Bearer anything-at-all-here"})
    assert response.status_code == 403 and response.json()["error"] == "web.writes_disabled"
    assert client.post("/api/v1/db/reset").status_code == 403
    assert "禁止一切写入" in client.get("/data").text


def test_form_post_without_csrf_is_refused(client: TestClient) -> None:
    response = _upload(client, GOOD_TRADE.encode(), csrf="")
    assert response.status_code == 403 and "CSRF" in response.text
    forged = _upload(client, GOOD_TRADE.encode(), csrf="forged-value-not-the-cookie")
    assert forged.status_code == 403
    assert client.post("/claims", data={"text": "深圳", "csrf": "x"}).status_code == 403
    assert client.post("/policies/classify", data={"text": "x"}).status_code == 403


def test_policy_title_with_script_renders_as_text(client: TestClient) -> None:
    title = "<script>alert(1)</script>"
    body = (POLICY_HEADER + f'深圳市,2023-01-01,"{title}",摘要<b>粗</b>,传统外贸企业,展会参展,'
            "test-synthetic,表X\n").encode()
    done = wait_job(client, _upload(client, body, kind="policies").headers["location"])
    assert done["status"] == "done", done
    html = client.get("/policies", params={"q": "alert"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    doc = client.get("/policies/doc", params={"region": "440300", "title": title}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc and "<script>alert" not in doc
    assert "<b>粗</b>" not in doc
    assert client.get("/api/v1/policies", params={"q": "alert"}).json()["search"][
        "results"][0]["title"] == title


def test_chart_data_cannot_close_its_script_block(client: TestClient) -> None:
    html = client.get("/").text
    for block in html.split('<script type="application/json"')[1:]:
        body = block.split(">", 1)[1].split("</script>", 1)[0]
        assert "<" not in body


def test_upload_too_big(make_client: Callable[..., TestClient]) -> None:
    client = make_client(limits=Limits(max_bytes=1000))
    response = _upload(client, GOOD_TRADE.encode() * 100)
    assert response.status_code == 413 and "MB" in response.text


def test_upload_too_many_rows(make_client: Callable[..., TestClient]) -> None:
    client = make_client(limits=Limits(max_rows=3))
    rows = GOOD_TRADE + "".join(f"鹏城,2030-0{m},ytd,export,9610,1,我的调查\n" for m in range(1, 6))
    response = _upload(client, rows.encode(), action="preview")
    assert response.status_code == 413 and "3" in response.text


def test_upload_wrong_type_and_empty(client: TestClient) -> None:
    assert _upload(client, b"MZ\x90\x00", name="evil.exe").status_code == 400
    assert _upload(client, b"", name="empty.csv").status_code == 400


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * size)
    return buffer.getvalue()


def test_xlsx_zip_bomb_is_refused(client: TestClient) -> None:
    bomb = _bomb(50 * 1024 * 1024)
    assert len(bomb) < 200_000
    response = _upload(client, bomb, name="bomb.xlsx", action="preview")
    assert response.status_code == 413 and "sheet1.xml" in response.text


def test_xlsx_unzipped_total_is_capped(make_client: Callable[..., TestClient]) -> None:
    client = make_client(limits=Limits(max_unzipped=1024 * 1024, max_ratio=10_000))
    response = _upload(client, _bomb(2 * 1024 * 1024), name="big.xlsx", action="preview")
    assert response.status_code == 413


def test_not_a_zip_named_xlsx(client: TestClient) -> None:
    assert _upload(client, b"just text", name="fake.xlsx", action="preview").status_code == 400


@pytest.mark.parametrize("sql,error", [
    ("DELETE FROM trade", "sql.refused_write"),
    ("SELECT * FROM read_csv('/etc/passwd')", "sql.refused_file"),
    ("COPY trade TO '/tmp/x.csv'", "sql.refused_file"),
    ("SELECT 1; SELECT 2", "sql.one_statement"),
    ("SET enable_external_access = true", "sql.refused_setting"),
])
def test_sql_console_is_read_only(client: TestClient, sql: str, error: str) -> None:
    response = client.get("/api/v1/sql", params={"q": sql})
    assert response.status_code == 400 and response.json()["error"] == error
    assert client.get("/data/sql", params={"q": sql}).status_code == 400


def test_reset_needs_token_and_confirmation(client: TestClient) -> None:
    csrf = csrf_of(client)
    no_confirm = client.post("/data/reset", data={"token": TOKEN, "csrf": csrf, "confirm": ""})
    assert no_confirm.status_code == 400
    no_token = client.post("/data/reset", data={"token": "", "csrf": csrf, "confirm": "RESET"})
    assert no_token.status_code == 401
    assert client.post("/api/v1/db/reset").status_code == 401

"""数据 page: preview with row errors (nothing written), import with the token, export, history."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from tests.web.conftest import POLICY_HEADER, TOKEN, csrf_of, wait_job

from zonescope.store.queries import snapshot

HEADER = "地区,期间,口径,流向,监管方式,值（万元）,来源\n"
GOOD = (HEADER + "鹏城,2030-06,ytd,export,9610,12345,我的调查\n"
        "甬,2030-06,ytd,export,9610,500,我的调查\n")
BAD = (HEADER + "鹏城,2030-06,ytd,export,9610,12345,我的调查\n"
       "不存在市,2030-13,ytd,sideways,9610,abc,x\n")


def _state(client: TestClient) -> dict[str, Any]:
    with client.app.state.store.read() as con:  # type: ignore[attr-defined]
        return snapshot(con)


def _post(client: TestClient, body: str, action: str, token: str = TOKEN,
          kind: str = "trade", name: str = "mine.csv") -> Any:
    return client.post("/data/import", follow_redirects=False,
                       files={"file": (name, body.encode())},
                       data={"kind": kind, "action": action, "token": token,
                             "csrf": csrf_of(client)})


def test_preview_lists_row_errors_and_writes_nothing(client: TestClient) -> None:
    before = _state(client)
    page = _post(client, BAD, "preview", token="")
    assert page.status_code == 200
    assert 'id="preview-bad"' in page.text and 'id="problems"' in page.text
    assert "<td>3</td>" in page.text  # the bad row, numbered as the user sees the file
    api = client.post("/api/v1/import/preview?kind=trade", files={"file": ("m.csv", BAD)}).json()
    assert not api["ok"] and {p["row"] for p in api["problems"]} == {3}
    assert {p["column"] for p in api["problems"]} >= {"地区", "期间"}
    assert _state(client) == before


def test_bad_import_is_rejected_whole(client: TestClient) -> None:
    before = _state(client)
    response = _post(client, BAD, "import")
    assert response.status_code == 303
    job = wait_job(client, response.headers["location"])
    assert job["status"] == "failed" and job["rejected"]
    assert {p["row"] for p in job["error"]["problems"]} == {3}
    page = client.get(response.headers["location"]).text
    assert 'id="import-rejected"' in page and 'id="problems"' in page
    assert _state(client) == before


def test_good_import_with_token_shows_the_data(client: TestClient) -> None:
    preview = _post(client, GOOD, "preview", token="")
    assert 'id="preview-ok"' in preview.text
    response = _post(client, GOOD, "import")
    job = wait_job(client, response.headers["location"])
    assert job["status"] == "done" and job["result"]["added"] == 2
    assert 'id="import-done"' in client.get(response.headers["location"]).text
    rows = client.get("/api/v1/sql", params={"q": "SELECT count(*) FROM trade WHERE period = "
                                             "'2030-06'"}).json()["sql"]["result"]["rows"]
    assert rows == [[2]]
    shown = client.get("/compare", params={"regions": ["深圳", "宁波"], "period": "2030"}).text
    assert "1.2345" in shown  # 12345 万元 = 1.2345 亿元, and the caches saw the new version
    history = client.get("/api/v1/data").json()["history"]
    assert history[0]["file_name"] == "mine.csv" and history[0]["rows_added"] == 2


def test_api_import_with_bearer_token(client: TestClient) -> None:
    started = client.post("/api/v1/import?kind=trade", files={"file": ("a.csv", GOOD)},
                          headers={"authorization": f"Bearer {TOKEN}"})
    assert started.status_code == 202
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/jobs/{started.json()['id']}").json()["result"]["added"] == 2


def test_export_neutralises_formulas(client: TestClient) -> None:
    body = POLICY_HEADER + ("深圳市,2023-01-01,=HYPERLINK(\"http://x\"),摘要,传统外贸企业,展会参展,"
                            "test-synthetic,表X\n")
    job = wait_job(client, _post(client, body, "import", kind="policies").headers["location"])
    assert job["status"] == "done", job
    exported = client.get("/data/export", params={"kind": "policies", "format": "csv"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    titles = [r[rows[0].index(next(h for h in rows[0] if "title" in h or "标题" in h))]
              for r in rows[1:]]
    assert not any(t.startswith("=") for t in titles)
    assert any(t.endswith('=HYPERLINK("http://x")') for t in titles)
    api = client.get("/api/v1/export", params={"kind": "trade", "format": "xlsx"})
    assert api.status_code == 200 and api.content[:2] == b"PK"
    assert client.get("/api/v1/export", params={"kind": "trade", "format": "exe"}
                      ).status_code == 400


def test_reset_with_token(client: TestClient) -> None:
    wait_job(client, _post(client, GOOD, "import").headers["location"])
    assert client.get("/api/v1/data").json()["history"][0]["file_name"] == "mine.csv"
    done = client.post("/api/v1/db/reset", headers={"authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 200 and done.json()["reset"]
    assert all(e["origin"] != "user" for e in client.get("/api/v1/data").json()["history"])

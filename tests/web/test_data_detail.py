"""数据 page: customs query-platform exports (`customs-detail`) — options, dry-run preview, import.

Files are written as the platform exports them (GBK, trailing commas, thousands
separators; `platform_csv` of the importer's tests). Every refusal must leave the
store — `customs_detail` included, which `snapshot` does not cover — as it was.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from tests.ingest.test_customs_detail import FULL, platform_csv
from tests.web.conftest import TOKEN, csrf_of, wait_job
from tests.web.test_data import GOOD

from zonescope.store.queries import snapshot

NAME = "浙江出口.csv"  # the flow (export) from the file name, as the platform's users name them
ROWS = (
    '202403,\t03019110,鲜\t活鱼,141,越南,9610,跨境贸易电子商务,33,浙江省,"1,200",千克,,,"1,234,567"',
    '202403,3019110,活鱼,502,美国,110,一般贸易,44,广东省,5,千克,"2,000.5",个,800',
    '202404,85176299,手机零件,116,日本,9710,跨境电商B2B直接出口,440000,广东,1,台,1,千克,"12,000"',
)
GOOD_DETAIL = platform_csv(FULL, *ROWS)
NO_MONTH = platform_csv(FULL.removeprefix("数据年月,"), *(r.split(",", 1)[1] for r in ROWS))
BAD_CELL = platform_csv(FULL, ROWS[0], ROWS[1].replace(",800", ",八百元"), ROWS[2])
USD = platform_csv(FULL.replace("人民币", "美元"), *ROWS)


def _state(client: TestClient) -> dict[str, Any]:
    with client.app.state.store.read() as con:  # type: ignore[attr-defined]
        return {**snapshot(con), "customs_detail": con.execute(
            "SELECT count(*) FROM customs_detail").fetchall()}


def _sql(client: TestClient, query: str) -> list[list[Any]]:
    answer = client.get("/api/v1/sql", params={"q": query}).json()
    return answer["sql"]["result"]["rows"]  # type: ignore[no-any-return]


def _detail_rows(client: TestClient) -> int:
    return int(_sql(client, "SELECT count(*) FROM customs_detail")[0][0])


def _form(client: TestClient, body: bytes, action: str, *, kind: str = "customs-detail",
          name: str = NAME, **fields: str) -> Any:
    return client.post("/data/import", follow_redirects=False,
                       files={"file": (name, body)},
                       data={"kind": kind, "action": action, "token": TOKEN,
                             "csrf": csrf_of(client), **fields})


def _api(client: TestClient, route: str, body: bytes, name: str = NAME, **params: str) -> Any:
    return client.post(route, params={"kind": "customs-detail", **params},
                       files={"file": (name, body)},
                       headers={"authorization": f"Bearer {TOKEN}"})


# bad input first


def test_detail_options_with_another_kind_are_refused(client: TestClient) -> None:
    before = _state(client)
    page = _form(client, GOOD.encode(), "import", kind="trade", name="mine.csv", flow="export")
    assert page.status_code == 400 and "customs-detail" in page.text and "trade" in page.text
    for route in ("/api/v1/import/preview", "/api/v1/import"):
        answer = client.post(route, params={"kind": "trade", "period": "2024-03"},
                             files={"file": ("mine.csv", GOOD)},
                             headers={"authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 400
        assert answer.json()["error"] == "customs_detail.options_only"
    assert _state(client) == before


def test_file_without_month_needs_a_period(client: TestClient) -> None:
    before = _state(client)
    page = _form(client, NO_MONTH, "preview")
    assert page.status_code == 400 and "数据年月" in page.text and "--period" in page.text
    answer = _api(client, "/api/v1/import/preview", NO_MONTH)
    assert answer.status_code == 400
    assert answer.json()["error"] == "customs_detail.period_required"
    started = _api(client, "/api/v1/import", NO_MONTH)
    assert started.status_code == 202
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    job = client.get(f"/api/v1/jobs/{started.json()['id']}").json()
    assert job["status"] == "failed" and job["error"]["error"] == "customs_detail.period_required"
    assert _state(client) == before


def test_bad_option_values_are_refused_before_any_job(client: TestClient) -> None:
    before = _state(client)
    for params, key in (({"flow": "sideways"}, "customs_detail.bad_flow"),
                        ({"period": "2024-13"}, "customs_detail.bad_period_option")):
        answer = _api(client, "/api/v1/import", GOOD_DETAIL, **params)
        assert answer.status_code == 400 and answer.json()["error"] == key
    ambiguous = _api(client, "/api/v1/import/preview", GOOD_DETAIL, name="query.csv")
    assert ambiguous.json()["error"] == "customs_detail.flow_required"
    assert _state(client) == before


def test_bad_cell_is_listed_by_row_and_column_and_import_writes_nothing(
        client: TestClient) -> None:
    before, rows = _state(client), _detail_rows(client)
    preview = _api(client, "/api/v1/import/preview", BAD_CELL).json()
    assert not preview["ok"]
    assert [(p["row"], p["column"], p["value"]) for p in preview["problems"]] == [
        (3, "人民币", "八百元")]
    page = _form(client, BAD_CELL, "preview")
    assert 'id="preview-bad"' in page.text and "八百元" in page.text
    response = _form(client, BAD_CELL, "import")
    assert response.status_code == 303
    job = wait_job(client, response.headers["location"])
    assert job["status"] == "failed" and job["rejected"]
    assert [(p["row"], p["column"]) for p in job["error"]["problems"]] == [(3, "人民币")]
    assert _detail_rows(client) == rows and _state(client) == before


def test_usd_file_without_fx_is_refused(client: TestClient) -> None:
    before = _state(client)
    preview = _api(client, "/api/v1/import/preview", USD).json()
    assert not preview["ok"]
    assert [p["code"] for p in preview["problems"]] == ["customs_detail.usd_needs_fx"]
    started = _api(client, "/api/v1/import", USD)
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    job = client.get(f"/api/v1/jobs/{started.json()['id']}").json()
    assert job["status"] == "failed" and job["rejected"]
    assert _state(client) == before
    with_fx = _api(client, "/api/v1/import/preview", USD, fx="USD_CNY=7.1").json()
    assert with_fx["ok"] and with_fx["rows"] == len(ROWS)


# good input


def test_preview_shows_sample_and_writes_nothing(client: TestClient) -> None:
    before = _state(client)
    preview = _api(client, "/api/v1/import/preview", GOOD_DETAIL).json()
    assert preview["ok"] and preview["problems"] == []
    assert preview["kind"] == "customs-detail" and preview["rows"] == len(ROWS)
    assert preview["sample_rows"] == [2, 3, 4]
    hs = preview["headers"].index("hs_code")
    assert [row[hs] for row in preview["sample"]] == ["03019110", "03019110", "85176299"]
    page = _form(client, GOOD_DETAIL, "preview", period="", source="")
    assert 'id="preview-ok"' in page.text and "85176299" in page.text
    assert _state(client) == before


def test_import_through_the_api_lands_detail_and_trade(client: TestClient) -> None:
    rows = _detail_rows(client)
    started = _api(client, "/api/v1/import", GOOD_DETAIL, source="web-test 查询")
    assert started.status_code == 202
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    job = client.get(f"/api/v1/jobs/{started.json()['id']}").json()
    assert job["status"] == "done", job
    assert job["result"]["rows"] == len(ROWS) and job["result"]["flow"] == "export"
    assert _detail_rows(client) == rows + len(ROWS)
    trade = _sql(client, "SELECT region_id, period, mode, value FROM trade "
                         "WHERE source = 'web-test 查询' ORDER BY ALL")
    assert [tuple(r[:3]) for r in trade] == [("330000", "2024-03", "9610"),
                                            ("440000", "2024-03", "0110"),
                                            ("440000", "2024-04", "9710")]
    assert abs(trade[0][3] - 1_234_567 / 1e8) < 1e-9  # 元 → 亿元


def test_form_import_redirects_to_the_job(client: TestClient) -> None:
    response = _form(client, NO_MONTH, "import", flow="import", period="2024-01:2024-06")
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    job = wait_job(client, response.headers["location"])
    assert job["status"] == "done", job
    assert job["result"]["flow"] == "import" and job["result"]["period"] == "2024-01:2024-06"
    assert _sql(client, "SELECT DISTINCT span, flow FROM trade WHERE source = '浙江出口.csv'"
                        " AND period = '2024-06'") == [["ytd", "import"]]

"""Every page and its JSON twin: same context, rendered or as JSON; errors as messages."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of

from zonescope.web.views import NAV

PAGES = [("/", "/api/v1/overview"), ("/cities?region=宁波", "/api/v1/cities?region=宁波"),
         ("/compare?regions=深圳&regions=宁波", "/api/v1/compare?regions=深圳&regions=宁波"),
         ("/index", "/api/v1/index"), ("/mindset?region=宁波", "/api/v1/mindset?region=宁波"),
         ("/policies?q=独立站", "/api/v1/policies?q=独立站"),
         ("/subsidy?site_sales=80万美元&fx=7.1", "/api/v1/subsidy?site_sales=80万美元&fx=7.1"),
         ("/clusters?city=宁波", "/api/v1/clusters?city=宁波"), ("/data", "/api/v1/data")]


@pytest.mark.parametrize("path", [href for href, _ in NAV])
def test_every_nav_page_renders(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in response.text and 'aria-current="page"' in response.text


@pytest.mark.parametrize("page,api", PAGES)
def test_page_and_twin_share_context(client: TestClient, page: str, api: str) -> None:
    html, data = client.get(page), client.get(api)
    assert html.status_code == 200 and data.status_code == 200
    assert data.headers["content-type"].startswith("application/json")
    body = data.json()
    names = re.findall(r'"name_zh": "([^"]+[市省])"', json.dumps(body, ensure_ascii=False))[:5]
    for name in names:  # the names in the context are what the page shows
        assert name in html.text


def test_overview_figures(client: TestClient) -> None:
    data = client.get("/api/v1/overview").json()
    assert data["period"] and data["pilot_zones"]["total"] > 100
    assert sum(b["count"] for b in data["pilot_zones"]["batches"]) == data["pilot_zones"]["total"]
    assert len(data["provinces"]) == 31 and len(data["top_cities"]) == 15
    values = [c["value"] for c in data["top_cities"]]
    assert values == sorted(values, reverse=True)
    html = client.get("/").text
    specs = re.findall(r'class="chart-spec" data-target="chart-([a-z_]+)">(.*?)</script>', html)
    names = {name for name, _ in specs}
    assert {"pilot_map", "province_map", "national", "pilot_batches"} <= names
    for _, spec in specs:
        text = json.loads(spec)
        assert "http" not in json.dumps(text)  # geometry and everything else from this server
    assert "/static/geo/china-provinces.geojson" in html


def test_geojson_and_plotly_served_locally(client: TestClient) -> None:
    geo = client.get("/static/geo/china-provinces.geojson").json()
    ids = {f["properties"]["id"] for f in geo["features"]}
    provinces = {r["region_id"] for r in client.get("/api/v1/overview").json()["provinces"]}
    assert provinces <= ids
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and b"plotly.js" in js.content[:2000]
    topo = client.get("/static/topojson/world_110m.json").json()
    assert topo["type"] == "Topology"


def test_english_switch_sets_cookie(client: TestClient) -> None:
    response = client.get("/?lang=en")
    assert "Overview" in response.text and '<html lang="en">' in response.text
    assert response.cookies.get("zs_lang") == "en"
    assert "Policies" in client.get("/policies").text  # the cookie keeps English
    assert "政策库" in client.get("/policies?lang=zh").text


def test_city_unknown_is_404_with_message(client: TestClient) -> None:
    api = client.get("/api/v1/cities", params={"region": "不存在市"})
    assert api.status_code == 404 and api.json()["error"]
    page = client.get("/cities", params={"region": "不存在市"})
    assert page.status_code == 404 and api.json()["message"] in page.text


def test_city_page(client: TestClient) -> None:
    data = client.get("/api/v1/cities", params={"region": "甬"}).json()
    assert data["region"]["id"] == "330200"
    assert data["region"]["pilot_zones"][0]["batch"] == 2
    assert data["series"]


@pytest.mark.parametrize("query", [{"regions": ["深圳"]},
                                   {"regions": ["深圳", "宁波", "杭州", "广州", "厦门"]}])
def test_compare_needs_two_to_four(client: TestClient, query: dict[str, list[str]]) -> None:
    assert client.get("/api/v1/compare", params=query).status_code in (400, 422)


def test_compare_page(client: TestClient) -> None:
    data = client.get("/api/v1/compare", params={"regions": ["深圳", "宁波"]}).json()
    assert [r["id"] for r in data["comparison"]["regions"]] == ["440300", "330200"]
    assert len(data["comparison"]["dimensions"]) >= 5


def test_index_whatif_changes_ranks(client: TestClient) -> None:
    base = client.get("/api/v1/index", params={"top": 500}).json()
    dims = [d["code"] for d in base["dimensions"]]
    heavy = {f"w_{d}": (100 if i == 1 else 0) for i, d in enumerate(dims)}
    changed = client.get("/api/v1/index", params={**heavy, "top": 500}).json()
    assert all("rank_before" in r for r in changed["results"])
    assert any(r["rank"] != r["rank_before"] for r in changed["results"])
    weights = {d["code"]: d["weight"] for d in changed["dimensions"]}
    assert weights[dims[1]] == pytest.approx(1.0)
    html = client.get("/index", params=heavy).text
    assert "whatif-note" in html


def test_index_bad_weights(client: TestClient) -> None:
    assert client.get("/api/v1/index", params={"w_scale": "0", "w_growth": "0",
                                               "w_standing": "0"}).status_code == 400
    assert client.get("/api/v1/index", params={"w_nonsense": "3"}).status_code == 400
    assert client.get("/api/v1/index", params={"w_scale": "abc"}).status_code == 400
    assert client.get("/api/v1/index", params={"framework": "nope"}).status_code == 400


def test_index_explain_and_uncertainty_job(client: TestClient) -> None:
    data = client.get("/api/v1/index", params={"region": "宁波"}).json()
    assert data["explain"]["unit"]["region_id"] == "330200"
    started = client.post("/api/v1/index/uncertainty", params={"runs": 20})
    assert started.status_code == 202
    job_id = started.json()["id"]
    client.app.state.jobs.wait(job_id)  # type: ignore[attr-defined]
    done = client.get(f"/api/v1/jobs/{job_id}").json()
    assert done["status"] == "done"
    unit = done["result"]["units"][0]
    assert unit["rank_p05"] <= unit["median_rank"] <= unit["rank_p95"]
    page = client.get(f"/jobs/{job_id}").text
    assert 'id="intervals"' in page
    assert client.get("/api/v1/jobs/unknown").status_code == 404
    assert client.get("/jobs/unknown").status_code == 404


def test_mindset_page(client: TestClient) -> None:
    data = client.get("/api/v1/mindset", params={"region": "宁波", "audience": "factory"}).json()
    assert data["diagnosis"]["region"]["id"] == "330200"
    assert {r["audience"] for r in data["advice"]["recommendations"]} == {"factory"}
    assert client.get("/api/v1/mindset", params={"region": "宁波",
                                                 "audience": "aliens"}).status_code == 400


def test_policy_search_and_open(client: TestClient) -> None:
    found = client.get("/api/v1/policies", params={"q": "独立站", "region": "深圳"}).json()
    first = found["search"]["results"][0]
    assert first["region_id"] == "440300"
    html = client.get("/policies", params={"q": "独立站"}).text
    link = re.search(r'class="policy-link" href="([^"]+)"', html)
    assert link
    doc = client.get(link.group(1).replace("&amp;", "&"))
    assert doc.status_code == 200 and 'id="policy"' in doc.text
    missing = client.get("/api/v1/policies/doc", params={"region": "440300", "title": "无此政策"})
    assert missing.status_code == 400


def test_policy_classify(client: TestClient) -> None:
    text = "对跨境电商企业建设独立站给予补贴，支持海外仓建设。"
    api = client.post("/api/v1/policies/classify", json={"text": text}).json()
    assert api["categories"]
    assert client.post("/api/v1/policies/classify", json={"text": " "}).status_code == 400
    csrf = csrf_of(client, "/policies")
    page = client.post("/policies/classify", data={"text": text, "csrf": csrf})
    assert page.status_code == 200 and api["categories"][0]["code"] in page.text


def test_subsidy_page(client: TestClient) -> None:
    data = client.get("/api/v1/subsidy", params={"site_sales": "80万美元", "fx": "7.1"}).json()
    assert len(data["result"]["cities"]) == 8
    one = client.get("/api/v1/subsidy", params={"site_sales": "500万元", "city": "深圳"}).json()
    assert [c["city"] for c in one["result"]["cities"]] == ["深圳市"]
    assert client.get("/api/v1/subsidy", params={"site_sales": "很多"}).status_code == 400
    assert client.get("/api/v1/subsidy", params={"site_sales": "80万美元"}).status_code == 400


def test_clusters_page(client: TestClient) -> None:
    data = client.get("/api/v1/clusters", params={"city": "宁波"}).json()
    assert data["clusters"] and all(r["city"] == "宁波市" for r in data["clusters"])
    assert client.get("/api/v1/clusters", params={"sector": "nope"}).status_code == 400


def test_claims_check(client: TestClient) -> None:
    text = "2024年，深圳市跨境电商进出口额占广东省的10%。"
    api = client.post("/api/v1/claims/check", json={"text": text}).json()
    assert api["summary"]["total"] == len(api["claims"])
    page = client.post("/claims", data={"text": text, "csrf": csrf_of(client, "/claims")})
    assert page.status_code == 200 and 'id="claims-summary"' in page.text
    assert client.post("/api/v1/claims/check", json={"text": ""}).status_code == 400


def test_sql_console(client: TestClient) -> None:
    data = client.get("/api/v1/sql", params={"q": "SELECT count(*) AS n FROM regions "
                                             "WHERE level = 'province'"}).json()
    assert data["sql"]["result"] == {"columns": ["n"], "rows": [[31]]}
    html = client.get("/data/sql", params={"q": "SELECT 1 AS one"}).text
    assert 'id="sql-result"' in html


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    api_routes = {r.path for r in client.app.routes  # type: ignore[attr-defined]
                  if getattr(r, "path", "").startswith("/api/v1/") and "openapi" not in r.path}
    assert api_routes <= paths
    assert not [p for p in paths if not p.startswith("/api/v1/")]


def test_report_download_and_bad_format(client: TestClient) -> None:
    query = {"regions": ["深圳", "宁波"]}
    assert client.get("/compare/report.exe", params=query).status_code == 400
    assert client.get("/api/v1/report", params={"regions": ["深圳"]}).status_code == 400
    report = client.get("/api/v1/report", params={**query, "format": "json"})
    assert report.status_code == 200
    assert "attachment" in report.headers["content-disposition"]
    assert [r["id"] for r in report.json()["regions"]] == ["440300", "330200"]
    page = client.get("/compare", params=query).text
    assert 'id="downloads"' in page and "/compare/report.pdf?" in page


def test_uncertainty_from_the_form(client: TestClient) -> None:
    refused = client.post("/index/uncertainty", data={"runs": "20", "csrf": "nope"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert refused.headers["content-type"].startswith("text/html")
    started = client.post("/index/uncertainty", follow_redirects=False,
                          data={"runs": "20", "csrf": csrf_of(client, "/index")})
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    job_id = started.headers["location"].rsplit("/", 1)[-1]
    client.app.state.jobs.wait(job_id)  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/jobs/{job_id}").json()["status"] == "done"
    too_many = client.post("/api/v1/index/uncertainty", params={"runs": 5})
    assert too_many.status_code == 422

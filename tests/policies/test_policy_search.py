"""Policy search: BM25 over the library, document numbers in any brackets, filters, bad queries."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import zonescope
import zonescope.cli.policies  # noqa: F401 - registers `zonescope policies`
from zonescope.errors import ZoneScopeError
from zonescope.policies import SearchFilters, get_index, get_search
from zonescope.policies.text import query_terms, user_words


def _search(zs: zonescope.ZoneScope, query: str, **filters: Any) -> dict[str, Any]:
    return get_search(get_index(zs.store.con, str(zs.path)), query, SearchFilters(**filters))


@pytest.mark.parametrize("spelling", [
    "深商务规〔2021〕3号", "深商务规[2021]3号", "深商务规(2021)3号", "深商务规（2021）3号",
    "深商务规［2021］3号", "深商务规【2021】3号", "深商务规 ( 2021 ) 3 号", "深商务规(2021)3"])
def test_document_number_matches_in_any_bracket_style(zs: zonescope.ZoneScope,
                                                      spelling: str) -> None:
    found = _search(zs, spelling)
    assert found["doc_numbers"] == ["深商务规〔2021〕3号"]
    assert found["total"] == 1
    assert found["results"][0]["doc_no"] == "深商务规〔2021〕3号"


def test_document_number_inside_a_longer_query_still_finds_its_prefix(
        zs: zonescope.ZoneScope) -> None:
    found = _search(zs, "展会深商务规(2021)3号")
    assert found["doc_numbers"] == ["深商务规〔2021〕3号"]
    assert found["results"][0]["doc_no"] == "深商务规〔2021〕3号"


def test_user_dictionary_keeps_domain_terms_whole() -> None:
    assert {"独立站", "海外仓", "综试区", "9710"} <= set(user_words())
    assert query_terms("独立站海外仓综试区9710").words == ["独立站", "海外仓", "综试区", "9710"]


def test_independent_site_query_ranks_table_6_and_highlights_the_term(
        zs: zonescope.ZoneScope) -> None:
    found = _search(zs, "独立站")
    # seven cities of Table 6 (Nanyang writes 网站建设) and Table 2's 2021-08-05 notice
    assert found["total"] == 8
    for result in found["results"]:
        snippet = result["snippet"]
        assert snippet["highlights"]
        for start, end in snippet["highlights"]:
            assert snippet["text"][start:end] == "独立站"


def test_scores_are_ranked_and_title_hits_weigh_more(zs: zonescope.ZoneScope) -> None:
    found = _search(zs, "展会")
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True)
    assert "展会" in found["results"][0]["title"]


def test_filters_region_dates_category_target_issuer(zs: zonescope.ZoneScope) -> None:
    guangdong = _search(zs, "独立站", region="广东")
    assert {r["region"] for r in guangdong["results"]} == {"深圳市", "广州市", "中山市", "佛山市"}
    dated = _search(zs, "外贸", start="2022", end="2022-06")
    assert dated["results"] and all("2022-01-01" <= r["published"] <= "2022-06-30"
                                    for r in dated["results"])
    brand = _search(zs, "推广", categories=("市场开拓—品牌营销",))
    assert {r["region"] for r in brand["results"]} == {"中山市", "佛山市", "南阳市"}
    both = _search(zs, "出口", targets=("cbec", "traditional"))
    assert both["total"] >= _search(zs, "出口", targets=("cbec",))["total"]
    issuer = _search(zs, "通知", issuer="深圳市商务局")
    assert issuer["results"] and all("深圳市商务局" in r["issuer"] for r in issuer["results"])


def test_unknown_category_and_bad_dates_are_refused(zs: zonescope.ZoneScope) -> None:
    with pytest.raises(ZoneScopeError) as err:
        _search(zs, "独立站", categories=("跨境物流",))
    assert err.value.key == "policies.unknown_category"
    with pytest.raises(ZoneScopeError) as err:
        _search(zs, "独立站", start="2022-13")
    assert err.value.key == "policies.bad_date"


@pytest.mark.parametrize(("query", "key"), [
    ("", "policies.query_empty"),
    ("   ", "policies.query_empty"),
    ("的 和 了 关于", "policies.query_stop_words"),
    ("独" * 10_000, "policies.query_too_long"),
    (r".*+?[](){}|^$\\", "policies.query_no_terms"),
])
def test_bad_queries_get_a_clear_message_and_change_nothing(
        cli: Callable[..., Any], state: Callable[[], Any], query: str, key: str) -> None:
    before = state()
    result = cli("policies", "search", query, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == key
    assert state() == before


def test_regex_special_characters_are_literal(zs: zonescope.ZoneScope) -> None:
    found = _search(zs, "独立站.*(")
    assert found["terms"] == ["独立站"]
    assert found["total"] == 8


def test_index_updates_on_import(zs: zonescope.ZoneScope, write_file: Callable[..., Any]) -> None:
    assert _search(zs, "直播")["total"] == 0
    before = get_index(zs.store.con, str(zs.path))
    path = write_file("new.csv", "region,published,title,doc_no,summary,targets,categories,source\n"
                      "杭州市,2023-05-01,杭州市关于支持跨境电商直播基地建设的通知,杭商务〔2023〕7号,"
                      "支持建设跨境电商直播基地，培育直播电商人才。,跨境电商企业,人才,my-notes\n")
    zs.import_file(path, kind="policies")
    after = get_index(zs.store.con, str(zs.path))
    assert after is not before and after.size == before.size + 1
    found = _search(zs, "杭商务[2023]7号")
    assert found["results"][0]["title"] == "杭州市关于支持跨境电商直播基地建设的通知"
    assert _search(zs, "直播")["results"][0]["region"] == "杭州市"


def test_cache_is_reused_while_the_library_is_unchanged(zs: zonescope.ZoneScope) -> None:
    assert get_index(zs.store.con, str(zs.path)) is get_index(zs.store.con, str(zs.path))


def test_cli_search_json_and_table(cli: Callable[..., Any], cli_json: Callable[..., Any]) -> None:
    found = cli_json("policies", "search", "汇率风险")
    assert set(found) == {"query", "terms", "doc_numbers", "dropped", "filters", "total",
                          "results"}
    assert found["results"][0]["categories"] == ["金融外汇"]
    table = cli("policies", "search", "汇率风险", "--lang", "en")
    assert table.exit_code == 0 and "hits" in table.stdout


def test_jieba_prints_nothing() -> None:
    code = ("from zonescope.policies.text import query_terms; "
            "query_terms('跨境电商独立站')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout == "" and done.stderr == ""

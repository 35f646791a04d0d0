"""`advise`: which rules apply to the five test cities, ranked, why, and with what evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zonescope.advice import advise, get_rules
from zonescope.advice.rules import default_path
from zonescope.api import ZoneScope
from zonescope.errors import ZoneScopeError

CITIES = ("深圳", "宁波", "常州", "厦门", "三明")


def _ids(zs: ZoneScope, city: str, *audiences: str) -> list[str]:
    result = advise(zs.store.con, zs.region(city), audiences or None)
    return [a.rule.id for a in result.items]


def _rec(zs: ZoneScope, city: str, rule_id: str, lang: str = "zh") -> dict[str, Any]:
    data = advise(zs.store.con, zs.region(city)).to_dict(lang)
    return next(r for r in data["recommendations"] if r["id"] == rule_id)


def test_every_rule_fires_for_at_least_one_test_city(syn: ZoneScope) -> None:
    fired = {rule_id for city in CITIES for rule_id in _ids(syn, city)}
    assert fired == {r.id for r in get_rules().rules}


def test_brand_new_zone_gets_early_stage_and_data_advice_only(syn: ZoneScope) -> None:
    assert _ids(syn, "三明", "government") == [
        "gov.benchmark.collect_data", "gov.position.early", "gov.association.found"]
    for audience in ("factory", "trade", "service", "association"):
        assert _ids(syn, "三明", audience) == [], audience  # nothing fires on a guess
    why = _rec(syn, "三明", "gov.position.early")["why"]
    assert why == ["发展阶段 起步 = 起步"]


def test_factory_heavy_city_gets_b2b_and_digital_advice(syn: ZoneScope) -> None:
    assert _ids(syn, "常州", "factory") == [
        "factory.b2b_channels", "factory.digital_transformation", "factory.local_resources"]
    why = _rec(syn, "常州", "factory.b2b_channels")["why"]
    assert "发展思维结论 外贸思维主导 = 外贸思维主导" in why
    assert "本市产业集群（名录去重） 13 ≥ 5" in why
    assert any("位置" in w and "-1 < 0" in w for w in why)
    assert "factory.own_brand" not in _ids(syn, "常州")  # 60 CBEC firms, foreign-trade led
    assert _ids(syn, "常州", "government")[0] == "gov.position.quality"
    assert "trade.domestic_market" in _ids(syn, "常州", "trade")


def test_seller_heavy_city_gets_the_trade_type_playbook(syn: ZoneScope) -> None:
    ids = _ids(syn, "厦门", "trade")
    assert ids[0] == "trade.independent_site"  # priority 80 first
    assert {"trade.offline_channels", "trade.emerging_markets", "trade.brand_compliance",
            "trade.amazon_core"} <= set(ids)
    site = _rec(syn, "厦门", "trade.independent_site")
    assert "独立站政策数 3 ≥ 1" in site["why"]  # two of ours plus Table 6's Xiamen row
    assert site["see"] and "表 6" in site["see"]
    assert "factory.own_brand" in _ids(syn, "厦门", "factory")
    assert "gov.position.link_industry" in _ids(syn, "厦门", "government")


def test_association_advice_follows_the_mindset(zs: ZoneScope) -> None:
    assert "assoc.take_industry_belts_abroad" in _ids(zs, "深圳", "association")
    assert "assoc.guide_factory_transformation" not in _ids(zs, "深圳", "association")
    assert "assoc.guide_factory_transformation" in _ids(zs, "宁波", "association")


def test_evidence_comes_from_the_store_with_sources(zs: ZoneScope) -> None:
    offline = {e["ref"]: e for e in _rec(zs, "深圳", "trade.offline_channels")["evidence"]}
    anker = offline["indicator:anker_revenue_share_offline_pct"]
    assert (anker["value"], anker["unit"], anker["year"]) == (36.38, "%", 2021)
    assert anker["source"] == "igdt-2022-04" and anker["region"] == "全国"
    assert offline["indicator:sellers_unsold_stock_none_pct"]["value"] == 8
    service = {e["ref"]: e["value"] for e in
               _rec(zs, "宁波", "service.core_plus_diversified")["evidence"]}
    assert service["indicator:cbec_financing_service_amount_share_pct@2021"] == 34.5
    assert service["indicator:cbec_financing_service_amount_share_pct@2022"] == 91.21
    brazil = _rec(zs, "宁波", "platform.brazil_duty_threshold")["evidence"][0]
    assert (brazil["value_raw"], brazil["unit_raw"]) == (50, "美元")


def test_sichuan_model_evidence_is_pinned_to_sichuan(syn: ZoneScope) -> None:
    found = _rec(syn, "三明", "gov.association.found")
    sichuan = next(e for e in found["evidence"] if e["kind"] == "indicator")
    assert sichuan["region"] == "四川省" and sichuan["value"] == 7


def test_ranking_is_by_priority(zs: ZoneScope) -> None:
    data = advise(zs.store.con, zs.region("深圳")).to_dict("en")
    priorities = [r["priority"] for r in data["recommendations"]]
    assert priorities == sorted(priorities, reverse=True)
    assert data["considered"] == len(get_rules().rules)


def test_unknown_audience_is_refused(zs: ZoneScope) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        advise(zs.store.con, zs.region("深圳"), ("investors",))
    assert caught.value.key == "advice.bad_audience"
    assert "platform" in caught.value.render("en")


def test_cli_advise_json_terminal_and_english(cli: Callable[..., Any],
                                              cli_json: Callable[..., Any]) -> None:
    data = cli_json("advise", "宁波", "--audience", "factory")
    assert set(data) == {"region", "audiences", "diagnosis", "considered", "recommendations",
                         "knowledge"}
    assert data["audiences"] == ["factory"]
    assert set(data["recommendations"][0]) == {
        "id", "audience", "priority", "text", "rationale", "article", "quote", "see",
        "condition", "why", "checks", "evidence"}
    result = cli("advise", "宁波", "-a", "government", "-a", "trade")
    flat = "".join(result.output.split())
    assert result.exit_code == 0 and "为何适用" in flat and "进出并重" in flat
    english = "".join(cli("advise", "Shenzhen", "--audience", "trade", "--lang", "en")
                      .output.split())
    assert "Buildanindependentsite" in english and "why" in english


def test_cli_bad_audience_and_bad_rules_change_nothing(
        cli: Callable[..., Any], state: Callable[[], Any],
        write_file: Callable[..., Path]) -> None:
    before = state()
    result = cli("advise", "深圳", "--audience", "investors")
    assert result.exit_code == 2 and "investors" in result.output
    text = default_path().read_text(encoding="utf-8").replace(
        "audience: service", "audience: services", 1)
    bad = cli("advise", "深圳", "--rules", str(write_file("r.yaml", text)), "--json")
    assert bad.exit_code == 2
    assert json.loads(bad.stdout)["error"] == "advice.unknown_audience"
    assert state() == before

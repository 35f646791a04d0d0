"""The mindset diagnosis on the article's two cities and three synthetic ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from zonescope.api import ZoneScope
from zonescope.errors import ZoneScopeError
from zonescope.mindset import diagnose, get_spec


def _signals(result: dict) -> dict[str, dict]:
    return {s["id"]: s for s in result["signals"]}


def test_shenzhen_is_ecommerce_thinking_from_bundled_data(zs: ZoneScope) -> None:
    result = diagnose(zs.store.con, zs.region("深圳")).to_dict("zh")
    assert result["label"] == "ecommerce" and result["label_text"] == "电商思维主导"
    signals = _signals(result)
    # the article's reason: Shenzhen's large number of CBEC enterprises (摘要；一（二）)
    assert signals["cbec_enterprises"]["value"] == 3300
    assert signals["cbec_enterprises"]["position"] == 1.0
    assert signals["cbec_enterprises"]["contribution"] == max(
        s["contribution"] for s in result["signals"] if s["has_data"])
    assert "3,300" in signals["cbec_enterprises"]["evidence"]
    assert signals["cbec_enterprises"]["sources"] == [
        {"source": "igdt-2022-04", "source_ref": "一（二）；脚注3"}]
    assert signals["association_focus"]["position"] > 0
    assert signals["policy_targeting"]["value"] == pytest.approx(5 / 9)


def test_ningbo_is_foreign_trade_thinking_from_bundled_data(zs: ZoneScope) -> None:
    result = diagnose(zs.store.con, zs.region("宁波")).to_dict("zh")
    assert result["label"] == "foreign_trade" and result["label_text"] == "外贸思维主导"
    signals = _signals(result)
    # the article's reason: Ningbo's industrial base (摘要；表4) and its policies and association
    assert signals["industrial_clusters_city"]["value"] == 12
    assert signals["industrial_clusters_city"]["position"] == -1.0
    assert signals["policy_targeting"]["value"] == pytest.approx(2 / 8)
    assert signals["association_focus"]["value"] == -1.0
    assert signals["cbec_enterprises"]["has_data"] is False  # not in the article: not guessed


def test_score_is_the_weighted_mean_and_contributions_add_up(zs: ZoneScope) -> None:
    spec = get_spec()
    result = diagnose(zs.store.con, zs.region("深圳")).to_dict("zh")
    known = [s for s in result["signals"] if s["has_data"]]
    weight = sum(s["weight"] for s in known)
    expected = sum(s["weight"] * s["position"] for s in known) / weight
    assert result["score"] == pytest.approx(expected, abs=1e-4)
    assert sum(s["contribution"] for s in known) == pytest.approx(result["score"], abs=1e-3)
    assert result["confidence"] == pytest.approx(weight / spec.total_weight, abs=1e-4)
    assert result["signals_with_data"] == len(known) and result["signals_total"] == 9


def test_missing_signals_are_listed_heaviest_first_with_the_reachable_range(
        zs: ZoneScope) -> None:
    result = diagnose(zs.store.con, zs.region("宁波")).to_dict("en")
    missing = [m["id"] for m in result["missing"]]
    assert missing[0] == "cbec_enterprises" and "trade_mode_mix" in missing
    assert all(m["needs"] for m in result["missing"])
    low, high = result["score_range"]
    assert low <= result["score"] and result["possible_labels"][0] == "foreign_trade"
    assert result["robust"] is (len(result["possible_labels"]) == 1)


def test_factory_heavy_city_with_few_sellers(syn: ZoneScope) -> None:
    result = diagnose(syn.store.con, syn.region("常州")).to_dict("zh")
    assert result["label"] == "foreign_trade"
    signals = _signals(result)
    for reason in ("cbec_enterprises", "cbec_share_of_traders", "industrial_clusters_city",
                   "policy_targeting", "association_focus", "trade_mode_mix"):
        assert signals[reason]["position"] == -1.0, reason
    assert signals["industrial_clusters_city"]["value"] == 13  # districts count for the city
    assert "0.21%" in signals["trade_mode_mix"]["evidence"]


def test_seller_heavy_city_with_little_industry(syn: ZoneScope) -> None:
    result = diagnose(syn.store.con, syn.region("厦门")).to_dict("zh")
    assert result["label"] == "ecommerce"
    signals = _signals(result)
    # no cluster in the city, while the province's directory is stored: a real zero
    assert signals["industrial_clusters_city"]["value"] == 0
    assert signals["industrial_clusters_city"]["position"] == 1.0
    for reason in ("cbec_share_of_traders", "policy_targeting", "association_focus",
                   "trade_mode_mix"):
        assert signals[reason]["position"] == 1.0, reason
    assert 0 < signals["cbec_enterprises"]["position"] < 1


def test_brand_new_pilot_zone_says_insufficient_and_what_would_decide(syn: ZoneScope) -> None:
    result = diagnose(syn.store.con, syn.region("三明")).to_dict("zh")
    assert result["label"] == "insufficient" and result["label_text"] == "数据不足"
    assert result["score"] is None  # never a guess
    assert result["confidence"] < get_spec().labels.min_confidence
    assert [m["id"] for m in result["missing"]][:2] == ["cbec_enterprises", "policy_targeting"]
    assert set(result["possible_labels"]) == {"foreign_trade", "balanced", "ecommerce"}
    assert "cbec_enterprises" in result["missing"][0]["needs"]


def test_missing_directory_is_not_a_zero(zs: ZoneScope) -> None:
    signals = _signals(diagnose(zs.store.con, zs.region("常州")).to_dict("zh"))
    assert signals["industrial_clusters_city"]["has_data"] is False
    assert "江苏省" in signals["industrial_clusters_city"]["evidence"]
    assert signals["industrial_clusters_city"]["value"] is None


def test_english_evidence_names_regions_in_english(zs: ZoneScope) -> None:
    signals = _signals(diagnose(zs.store.con, zs.region("深圳")).to_dict("en"))
    assert "Guangdong" in signals["industrial_clusters_city"]["evidence"]
    assert "Shenzhen" in signals["cbec_enterprises"]["evidence"]


def test_a_province_is_refused_with_a_clear_error(zs: ZoneScope) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        diagnose(zs.store.con, zs.region("浙江省"))
    assert caught.value.key == "diagnose.not_city"
    assert "330000" in caught.value.render("zh")


DETAIL = ("数据年月,商品编码,商品名称,贸易伙伴编码,贸易伙伴名称,贸易方式编码,贸易方式名称,"
          "注册地编码,注册地名称,人民币")


def _platform(*rows: str) -> bytes:
    """A customs query-platform export: GBK, a trailing comma on every line."""
    return "".join(f"{line},\r\n" for line in (DETAIL, *rows)).encode("gbk")


def test_municipality_uses_its_own_customs_detail(zs: ZoneScope,
                                                   write_file: Callable[..., Path]) -> None:
    before = diagnose(zs.store.con, zs.region("天津")).to_dict("zh")
    assert _signals(before)["trade_mode_mix"]["has_data"] is False
    path = write_file("天津出口.csv", _platform(
        '202403,85176299,手机零件,502,美国,0110,一般贸易,12,天津市,"9,000,000"',
        "202403,85176299,手机零件,502,美国,9710,跨境电商B2B直接出口,12,天津市,500000",
        "202403,61091000,针织T恤,141,越南,9610,跨境贸易电子商务,12,天津市,400000",
        "202403,94036000,木家具,502,美国,9810,跨境电商出口海外仓,12,天津市,100000"))
    zs.import_file(path, kind="customs-detail")
    signals = _signals(diagnose(zs.store.con, zs.region("天津")).to_dict("zh"))
    mix = signals["trade_mode_mix"]
    assert mix["value"] == pytest.approx(400000 / 10_000_000)
    assert mix["sources"] == [{"source": "customs_detail", "source_ref": "2024-03"}]
    hhi = signals["product_concentration"]
    shares = [9_500_000 / 10_000_000, 400_000 / 10_000_000, 100_000 / 10_000_000]
    assert hhi["value"] == pytest.approx(sum(s * s for s in shares) * 10000)
    assert hhi["position"] == -1.0  # one chapter dominates: concentrated
    # a municipality is its own province; no directory of 天津 is stored: no data, not zero
    assert signals["industrial_clusters_city"]["has_data"] is False
    assert "天津市" in signals["industrial_clusters_city"]["evidence"]

"""Development stage: pilot age, CBEC scale and trade scale, with the article's stage advice."""

from __future__ import annotations

from zonescope.api import ZoneScope
from zonescope.mindset import get_spec, get_stage


def _criteria(stage: dict) -> dict[str, dict]:
    return {c["id"]: c for c in stage["criteria"]}


def test_article_cities_are_mature_with_industry_led_advice(zs: ZoneScope) -> None:
    for name in ("深圳", "宁波"):
        stage = get_stage(zs.store.con, zs.region(name), get_spec()).to_dict("zh")
        assert stage["code"] == "mature" and stage["label"] == "成熟"
        pilot = _criteria(stage)["pilot_years"]
        assert pilot["value"] == stage["as_of"] - 2016 and "第 2 批" in pilot["evidence"]
        assert stage["advice"]["article"].startswith("三（一）1 其二")


def test_missing_criterion_is_left_out_not_zeroed(zs: ZoneScope) -> None:
    stage = get_stage(zs.store.con, zs.region("宁波"), get_spec()).to_dict("en")
    scale = _criteria(stage)["cbec_scale"]
    assert scale["value"] is None and scale["points"] is None
    assert stage["mean_points"] == 2.0  # from the two criteria that have data


def test_factory_city_of_batch_five_is_growing(syn: ZoneScope) -> None:
    stage = get_stage(syn.store.con, syn.region("常州"), get_spec()).to_dict("zh")
    points = {k: c["points"] for k, c in _criteria(stage).items()}
    assert points == {"pilot_years": 1, "cbec_scale": 0, "trade_scale": 1}
    assert stage["code"] == "growth"


def test_brand_new_zone_is_early_and_leads_with_ecommerce_thinking(syn: ZoneScope) -> None:
    stage = get_stage(syn.store.con, syn.region("三明"), get_spec()).to_dict("zh")
    assert stage["code"] == "early" and stage["label"] == "起步"
    assert "第 8 批" in _criteria(stage)["pilot_years"]["evidence"]
    assert stage["advice"]["quote"] == "初期发展需要以跨境电商思维为主导"
    assert "0 到 1" in stage["advice"]["text"]


def test_as_of_moves_the_pilot_age(zs: ZoneScope) -> None:
    spec = get_spec()
    early = get_stage(zs.store.con, zs.region("深圳"), spec, as_of=2017).to_dict("zh")
    assert _criteria(early)["pilot_years"]["value"] == 1
    assert _criteria(early)["pilot_years"]["points"] == 0


def test_no_data_at_all_is_unknown(zs: ZoneScope) -> None:
    stage = get_stage(zs.store.con, zs.region("运城"), get_spec(), as_of=2030)
    # Yuncheng is a batch-7 pilot zone with no stored data: pilot age alone decides
    assert stage.code == "mature" and stage.mean_points == 2.0
    assert [c.points for c in stage.criteria] == [2, None, None]
    unknown = get_stage(zs.store.con, zs.region("日喀则"), get_spec()).to_dict("zh")
    assert unknown["code"] == "unknown" and unknown["advice"] is None

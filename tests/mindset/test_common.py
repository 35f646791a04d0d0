"""What two cities share and where they differ, in the spirit of the article's part 二."""

from __future__ import annotations

from zonescope.api import ZoneScope
from zonescope.mindset import get_common


def _points(result: dict) -> dict[str, dict]:
    points = {p["key"]: p for p in result["commonalities"]}
    for dimension in result["dimensions"]:
        points.update({p["key"]: p for p in dimension["points"]})
    return points


def test_shenzhen_and_ningbo_share_the_four_commonalities(zs: ZoneScope) -> None:
    result = get_common(zs.store.con, zs.region("深圳"), zs.region("宁波")).to_dict("zh")
    commons = {p["key"]: p["status"] for p in result["commonalities"]}
    assert commons == {"fit": "shared", "policy_system": "shared", "innovation": "shared",
                       "association": "shared"}
    assert [d["code"] for d in result["dimensions"]] == [
        "trade", "entities", "innovation", "policy", "association"]
    points = _points(result)
    assert points["moc_tier"]["status"] == "shared"  # both first tier (一（三）)
    assert points["moc_tier"]["values"] == {"440300": 1.0, "330200": 1.0}
    assert points["mindset"]["status"] == "differs"
    assert points["policy_targeting"]["status"] == "differs"
    assert points["association_focus"]["status"] == "differs"
    assert points["association_size"]["values"] == {"440300": 2700.0, "330200": 500.0}
    assert points["association_size"]["status"] == "differs"
    assert points["innovation_results"]["values"] == {"440300": 6.0, "330200": 5.0}
    assert "深圳市 8 条 7 类" in points["policy_system"]["text"]


def test_missing_data_is_unknown_not_different(zs: ZoneScope) -> None:
    points = _points(get_common(zs.store.con, zs.region("深圳"), zs.region("宁波"))
                     .to_dict("en"))
    assert points["cbec_enterprises"]["status"] == "unknown"  # Ningbo's count is not stored
    assert points["cbec_enterprises"]["values"]["330200"] is None


def test_synthetic_factory_and_seller_cities_differ_in_mindset_but_fit_their_base(
        syn: ZoneScope) -> None:
    result = get_common(syn.store.con, syn.region("常州"), syn.region("厦门")).to_dict("zh")
    points = _points(result)
    assert points["fit"]["status"] == "shared"
    assert points["mindset"]["status"] == "differs"
    assert points["cbec_enterprises"]["status"] == "differs"  # 60 vs 1,500
    assert points["association_focus"]["status"] == "differs"
    assert result["mindsets"]["320400"]["label"] == "foreign_trade"
    assert result["mindsets"]["350200"]["label"] == "ecommerce"


def test_city_without_records_leaves_commonalities_unknown(syn: ZoneScope) -> None:
    result = get_common(syn.store.con, syn.region("厦门"), syn.region("三明")).to_dict("en")
    commons = {p["key"]: p for p in result["commonalities"]}
    assert commons["association"]["status"] == "unknown"
    assert commons["association"]["values"]["held"] == {"350200": True, "350400": None}
    assert commons["policy_system"]["status"] == "unknown"
    assert "Sanming" in commons["association"]["text"]

"""The region registry: codes, levels, parents, pilot zones, and name resolution."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from zonescope.errors import RegionAmbiguous, RegionNotFound
from zonescope.regions import registry
from zonescope.regions.resolve import resolve, suggest


def _reference_pilot_rows() -> list[dict[str, str]]:
    text = (resources.files("zonescope") / "data" / "regions" / "pilot_zones.csv").read_text(
        encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_levels_and_counts() -> None:
    reg = registry()
    levels = [r.level for r in reg]
    assert levels.count("nation") == 1
    assert levels.count("province") == 31
    assert levels.count("prefecture") >= 330
    assert levels.count("county") >= 2800


def test_every_parent_exists_and_sits_one_level_up_or_more() -> None:
    reg = registry()
    order = ("nation", "province", "prefecture", "county", "zone")
    for region in reg:
        if region.level == "nation":
            continue
        parent = reg.parent(region)
        assert parent is not None, region
        assert order.index(parent.level) < order.index(region.level), region


def test_codes_follow_gbt_2260() -> None:
    reg = registry()
    for region in reg:
        if region.level in ("province", "prefecture", "county"):
            assert len(region.id) == 6 and region.id.isdigit(), region
        if region.level == "prefecture":
            assert region.id[:2] == region.parent_id[:2]


@pytest.mark.parametrize(("name", "code"), [
    ("深圳", "440300"), ("深圳市", "440300"), ("鹏城", "440300"), ("鹏", "440300"),
    ("Shenzhen", "440300"), ("440300", "440300"), ("甬", "330200"), ("宁波", "330200"),
    ("宁波地区", "330200"), ("Ningbo", "330200"), ("粤", "440000"), ("浙", "330000"),
    ("苏", "320000"), ("广东", "440000"), ("全国", "000000"), ("义乌", "330782"),
    ("慈溪", "330282"), ("宝安区", "440306"), ("浙江省宁波市", "330200"),
    ("宁波市慈溪市", "330282"), ("ＳＨＥＮＺＨＥＮ", "440300"), (" 深圳 ", "440300"),
    ("羊城", "440100"), ("穗", "440100"),
])
def test_resolves_names_aliases_and_codes(name: str, code: str) -> None:
    assert resolve(name).region.id == code


def test_unknown_name_lists_the_closest_matches() -> None:
    with pytest.raises(RegionNotFound) as info:
        resolve("深川")
    message = info.value.render("zh")
    assert message.startswith("未找到地区「深川」，是否指：深圳市 (440300)")
    assert "Did you mean: 深圳市 (440300)" in info.value.render("en") or \
        "Shenzhen (440300)" in info.value.render("en") or "440300" in info.value.render("en")


def test_ambiguous_name_lists_every_candidate_with_its_parent() -> None:
    with pytest.raises(RegionAmbiguous) as info:
        resolve("鼓楼区")
    candidates = info.value.params["candidates"]
    assert len(candidates) >= 4
    assert any("南京市" in c for c in candidates) and any("福州市" in c for c in candidates)


def test_short_name_shared_across_levels_prefers_the_higher_and_reports_the_other() -> None:
    found = resolve("吉林")
    assert found.region.id == "220000"
    assert [r.id for r in found.alternatives] == ["220200"]
    assert resolve("吉林", level="prefecture").region.id == "220200"


def test_suggest_puts_the_closest_first() -> None:
    assert suggest("深川")[0].id == "440300"


def test_pilot_zones_all_181_rows_with_178_active() -> None:
    zones = registry().pilot_zones
    assert len(zones) == 181
    assert sum(z.active for z in zones) == 178
    assert {z.batch for z in zones} == set(range(1, 9))


def test_county_level_members_stay_county_level() -> None:
    reg = registry()
    for name in ("义乌", "珲春", "绥芬河", "满洲里", "延吉", "同江", "阿拉山口", "二连浩特"):
        zone = next(z for z in reg.pilot_zones if z.name == name)
        assert reg.get(zone.region_id).level == "county", name


def test_non_code_places_have_synthetic_ids_under_their_parent() -> None:
    reg = registry()
    xiongan = resolve("雄安新区").region
    assert xiongan.level == "zone" and xiongan.parent_id == "130000"
    assert not xiongan.id.isdigit()
    assert reg.pilot(xiongan.id)[0].batch == 5
    zone = resolve("宁波经济技术开发区").region
    assert zone.parent_id == "330200" and zone.level == "zone"


@pytest.mark.parametrize("row", [r for r in _reference_pilot_rows() if not r["revoked_by"]],
                         ids=lambda r: r["name"])
def test_every_active_pilot_zone_name_resolves_to_its_region(row: dict[str, str]) -> None:
    """Alias resolution for all 178 active pilot zones, as written in the State Council replies."""
    reg = registry()
    levels = {"county-level city": ["county"], "new area": ["zone"],
              "island (province-wide)": ["province"]}.get(row["place_kind"], ["prefecture"])
    try:
        found = resolve(row["name"], level=levels).region
    except RegionNotFound:  # the four municipalities are province-level cities
        levels = ["province"]
        found = resolve(row["name"], level=levels).region
    assert found.id == row["region_id"]
    assert any(z.active for z in reg.pilot(found.id))
    assert resolve(found.id).region == found
    assert resolve(found.name_zh, level=levels).region == found
    try:  # English names can be shared (Suzhou: 苏州 and 宿州); then both must be offered
        assert resolve(found.name_en, level=levels).region == found
    except RegionAmbiguous as exc:
        assert any(f"({found.id})" in c for c in exc.params["candidates"])


def test_long_unknown_names_fail_quickly_with_suggestions() -> None:
    """Composite matching is bounded: a long footnote line is not tried split by split forever."""
    with pytest.raises(RegionNotFound):
        resolve("单位：人民币，元，%这是一个很长的未知名称再加一些字" * 2)
    assert resolve("浙江省宁波市慈溪市").region.id == "330282"

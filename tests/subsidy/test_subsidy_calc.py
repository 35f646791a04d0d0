"""The calculator against worked cases of Table 6, bad profiles, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zonescope.cli.subsidy  # noqa: F401 - registers `zonescope subsidy`
from zonescope.errors import ZoneScopeError
from zonescope.subsidy import build_profile, calculate, compare_sizes, parse_rules, size_profiles
from zonescope.subsidy.profile import fields, read_profile

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "table6_cases.json").read_text(encoding="utf-8"))["cases"]
DOCS = HERE.parents[1] / "docs" / "subsidy.md"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worked_case(case: dict[str, Any]) -> None:
    profile = build_profile(case["profile"], case["name"], case.get("fx"))
    (city,) = calculate(profile, case["city"])["cities"]
    expected = case["expected"]
    assert city["status"] == expected["status"], case["why"]
    assert city["amount"] == expected["amount"], case["why"]
    if "maximum" in expected:
        assert city["maximum"] is expected["maximum"]
    for scheme_id, status in expected.get("schemes", {}).items():
        assert next(s for s in city["schemes"] if s["id"] == scheme_id)["status"] == status


def test_trace_shows_base_rate_cap_floor_with_quotes() -> None:
    profile = build_profile({"uses_domestic_saas": True, "retail_export": True,
                             "site_projects": 1, "saas_fee": "2万元", "site_build_cost": "8万元",
                             "promotion_cost": "10万元"}, "t")
    (city,) = calculate(profile, "广州市")["cities"]
    trace = city["schemes"][0]["trace"]
    assert [s["step"] for s in trace] == ["base", "rate", "cap", "floor"]
    assert trace[0]["value"] == 200000 and trace[1]["value"] == 100000
    assert trace[2]["applied"] and trace[2]["quote"] == "封顶4万元"
    assert "起付线" in trace[3]["reading"] and trace[3]["alternatives"]
    assert city["policy"]["source_ref"] == "表6"


def test_tier_reports_the_raised_rate_with_its_own_quote() -> None:
    profile = build_profile({"site_projects": 1, "site_sales": "100万美元", "saas_fee": 10000},
                            "t", 7.0)
    (city,) = calculate(profile, "中山")["cities"]
    rate = next(s for s in city["schemes"][0]["trace"] if s["step"] == "rate")
    assert rate["rate"] == 0.5 and rate["quote"] == "支持比例提高至50%"


def test_pending_tier_is_reported_without_a_rate() -> None:
    profile = build_profile({"site_projects": 1, "site_sales": "600万元", "saas_fee": 10000}, "t")
    (city,) = calculate(profile, "中山")["cities"]
    assert city["schemes"][0]["pending"] == [{"step": "tier", "why": ["fx"]}]
    assert city["schemes"][0]["amount"] == 3000


def test_deductible_floor_reading_can_be_chosen_in_a_rule_file() -> None:
    rules = parse_rules("""
city: 广州市
policy: {title: 测试, source: test}
schemes:
  - id: site
    name_zh: 测试
    name_en: test
    quote: 补助起付线为5000元
    base: {items: [saas_fee], quote: 年服务费}
    rate: {value: 50%, quote: 50%}
    floor: {amount: 5000元, mode: deductible, quote: 起付线}
    cap: {amount: 4万元, quote: 封顶}
""", "alt.yaml")
    profile = build_profile({"saas_fee": 30000}, "t")
    (city,) = calculate(profile, rules=(rules,))["cities"]
    assert city["amount"] == 10000  # 30000 × 50% − 5000


@pytest.mark.parametrize(("field", "value", "key"), [
    ("promotion_cost", -5, "subsidy.amount_negative_in"),
    ("promotion_cost", "-5万元", "subsidy.amount_negative_in"),
    ("saas_fee", "很多", "subsidy.amount_not_number_in"),
    ("saas_fee", "5万英镑", "subsidy.amount_bad_unit_in"),
    ("site_projets", 1, "subsidy.profile_unknown_field"),
    ("site_projects", -1, "subsidy.profile_bad_count"),
    ("own_brand", "maybe", "subsidy.profile_bad_flag"),
    ("export_modes", ["9999"], "subsidy.profile_bad_modes"),
    ("site_sales", "80万美元", "subsidy.profile_fx_missing"),
])
def test_bad_profiles_are_refused_clearly(field: str, value: Any, key: str) -> None:
    with pytest.raises(ZoneScopeError) as err:
        build_profile({field: value}, "p.yaml")
    assert err.value.key == key
    assert field in err.value.render("zh") and field in err.value.render("en")


def test_unknown_field_suggests_the_near_miss() -> None:
    with pytest.raises(ZoneScopeError) as err:
        build_profile({"site_projets": 1}, "p.yaml")
    assert err.value.params["suggestions"][0] == "site_projects"


def test_profile_file_errors_point_at_the_line(write_file: Callable[..., Path]) -> None:
    path = write_file("p.yaml", "name: 甲\nsaas_fee: 2万元\nsite_build_cost: abc\n")
    with pytest.raises(ZoneScopeError) as err:
        read_profile(path)
    assert "p.yaml:3" in err.value.render("en")


def test_profile_fx_in_the_file_and_on_the_command_line(write_file: Callable[..., Path]) -> None:
    path = write_file("p.json", json.dumps({"site_sales": "10万美元", "fx": {"USD_CNY": 7}}))
    assert read_profile(path).yuan("site_sales") == 700000
    assert read_profile(path, fx=7.5).yuan("site_sales") == 750000


def test_cli_calc_json_and_bad_profile(cli: Callable[..., Any], state: Callable[[], Any],
                                       write_file: Callable[..., Path]) -> None:
    path = write_file("me.yaml", "site_projects: 1\nsaas_fee: 2万元\nsite_build_cost: 8万元\n")
    result = cli("subsidy", "calc", "--profile", str(path), "--city", "中山", "--json")
    assert result.exit_code == 0, result.output
    (city,) = json.loads(result.stdout)["cities"]
    assert city["amount"] == 30000 and city["region_id"] == "442000"
    before = state()
    for args in (["--set", "saas_fee=-1"], ["--set", "site_sales=80万美元"], ["--set", "oops"],
                 ["--set", "color=red"], ["--profile", "missing.yaml"], []):
        bad = cli("subsidy", "calc", *args, "--json")
        assert bad.exit_code == 2, args
        assert json.loads(bad.stdout)["message"]
    assert state() == before
    text = cli("subsidy", "calc", "--profile", str(path), "--lang", "en")
    assert text.exit_code == 0 and "base:" in text.stdout


def test_compare_sizes_table(cli: Callable[..., Any], cli_json: Callable[..., Any]) -> None:
    found = cli_json("subsidy", "compare", "--sizes", "small,large", "--fx", "USD_CNY=7.1")
    assert [r["city"] for r in found["rows"]] == ["深圳市", "广州市", "中山市", "佛山市", "厦门市",
                                                  "绍兴市", "苏州市", "南阳市"]
    zhongshan = found["rows"][2]["sizes"]
    assert zhongshan["small"]["amount"] == 51000  # 7万元 × 30% + 10万元 × 30%
    assert cli("subsidy", "compare", "--sizes", "huge").exit_code == 2
    assert cli("subsidy", "compare").exit_code == 0


def test_size_profiles_are_valid_and_ordered() -> None:
    profiles = size_profiles([], 7.1)
    table = compare_sizes(profiles)
    for row in table["rows"]:
        amounts = [row["sizes"][s]["amount"] or 0 for s in ("small", "medium", "large")]
        assert amounts == sorted(amounts), row["city"]


def test_every_profile_field_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in fields():
        assert f"`{name}`" in text, name

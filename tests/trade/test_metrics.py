"""Trade metrics reproduce the article's derived statements from the bundled data."""

from __future__ import annotations

import ibis
import pytest

import zonescope
from zonescope.errors import ZoneScopeError
from zonescope.trade import SeriesQuery, get_ranking, get_series, get_share, metrics
from zonescope.trade.engine import duckdb_tables


def _rank(zs: zonescope.ZoneScope, **kw: object) -> list[dict[str, object]]:
    return get_ranking(zs.store.con, **kw)  # type: ignore[arg-type]


def test_guangdong_jiangsu_zhejiang_share_of_the_national_total(zs: zonescope.ZoneScope) -> None:
    nation = zs.region("全国")
    shares = [get_share(zs.store.con, zs.region(p), period="2022-06", of=nation)[0]["share_pct"]
              for p in ("广东", "江苏", "浙江")]
    # the article prints 44.3 %; Table 1 over 19.8万亿元 gives 44.52 %
    assert sum(shares) == pytest.approx((39111.70 + 26356.84 + 22679.97) / 198000 * 100)
    assert sum(shares) == pytest.approx(44.52, abs=0.01)


def test_zhejiang_leads_jiangsu_in_exports_by_nearly_13_yi(zs: zonescope.ZoneScope) -> None:
    rows = _rank(zs, level="province", period="2022-06", flow="export")
    by_id = {r["region_id"]: r for r in rows}
    assert by_id["330000"]["rank"] == 2 and by_id["320000"]["rank"] == 3
    assert by_id["320000"]["gap_to_above"] == pytest.approx(12.91)
    assert by_id["320000"]["above_region_id"] == "330000"


def test_henan_misses_the_top_ten_by_111_34_yi(zs: zonescope.ZoneScope) -> None:
    rows = {r["region_id"]: r for r in _rank(zs, level="province", period="2022-06")}
    assert rows["410000"]["rank"] == 11 and rows["120000"]["rank"] == 10
    assert rows["410000"]["gap_to_above"] == pytest.approx(111.34)
    assert all(r["value"] > 4000 for r in rows.values() if r["rank"] <= 10)


def test_25_provinces_grew_and_the_six_fastest(zs: zonescope.ZoneScope) -> None:
    rows = _rank(zs, level="province", period="2022-06", by="growth")
    assert len(rows) == 31
    assert sum(1 for r in rows if r["yoy_pct"] > 0) == 25
    fastest = [r["name_zh"] for r in rows[:6]]
    assert fastest == ["宁夏回族自治区", "海南省", "青海省", "江西省", "新疆维吾尔自治区",
                       "黑龙江省"]
    shrinking = {r["name_zh"] for r in rows if r["yoy_pct"] < 0}
    assert shrinking == {"上海市", "广西壮族自治区", "云南省", "山西省", "吉林省", "贵州省"}


def test_shenzhen_share_of_guangdong_exports(zs: zonescope.ZoneScope) -> None:
    rows = {r["flow"]: r for r in get_share(zs.store.con, zs.region("深圳"), period="2022-06")}
    assert rows["export"]["share_pct"] == pytest.approx(9142.5 / 24680.54 * 100)
    assert rows["export"]["parent_id"] == "440000"
    assert rows["import"]["share_pct"] is None  # Guangdong's H1 imports are not bundled


def test_single_months_from_cumulative_keep_the_combined_jan_feb_block(
        zs: zonescope.ZoneScope) -> None:
    rows = get_series(zs.store.con, SeriesQuery(zs.region("广东"), flows=("export",),
                                                spans=("month",), start="2022-01",
                                                end="2022-06"))
    by_period = {r["period"]: r for r in rows}
    assert "2022-01" not in by_period  # no invented January
    assert by_period["2022-02"]["months"] == 2
    assert by_period["2022-03"]["value"] == pytest.approx(11447.8 - 7892.32)
    assert all(r["derived"] for r in rows)


def test_derived_single_month_growth_uses_revision_consistent_bases(
        zs: zonescope.ZoneScope) -> None:
    rows = get_series(zs.store.con, SeriesQuery(zs.region("广东"), flows=("export",),
                                                spans=("month",), start="2022-03",
                                                end="2022-03"))
    base_3 = 11447.8 / 1.022
    base_2 = 7892.32 / 1.048
    expected = ((11447.8 - 7892.32) / (base_3 - base_2) - 1) * 100
    assert rows[0]["yoy_derived"] == pytest.approx(expected)
    assert rows[0]["prior_implied"] == pytest.approx(base_3 - base_2)


def test_growth_flags_disagreement_and_blanks_near_zero_bases() -> None:
    trade = ibis.memtable({
        "region_id": ["a", "a", "b", "b"], "period": ["2023-06", "2024-06"] * 2,
        "span": ["ytd"] * 4, "flow": ["total"] * 4, "mode": ["all"] * 4,
        "value": [100.0, 110.0, 0.001, 5.0], "yoy_pct": [None, 12.0, None, 499900.0]})
    out = metrics.growth(trade).filter(lambda t: t.period == "2024-06").order_by(
        "region_id").execute()
    assert out.yoy_derived[0] == pytest.approx(10.0)
    assert bool(out.yoy_flag[0]) is True and out.yoy_gap_pp[0] == pytest.approx(-2.0)
    assert out.prior_implied[0] == pytest.approx(110 / 1.12)
    assert out.yoy_derived.isna()[1]  # base of 0.001 亿元: growth shown as —


def test_cumulative_from_months_needs_every_month() -> None:
    trade = ibis.memtable({
        "region_id": ["a"] * 4, "period": ["2024-01", "2024-02", "2024-04", "2024-05"],
        "span": ["month"] * 4, "flow": ["total"] * 4, "mode": ["all"] * 4,
        "value": [1.0, 2.0, 4.0, 5.0]})
    out = metrics.cumulative_from_months(trade).order_by("period").execute()
    assert list(out.period) == ["2024-01", "2024-02"]
    assert list(out.value) == [1.0, 3.0]


def test_balance_and_ratio(zs: zonescope.ZoneScope) -> None:
    t = duckdb_tables(zs.store.con)
    out = metrics.balance(t.trade).filter(
        lambda r: (r.region_id == "440300") & (r.period == "2022-06")).execute()
    assert out.balance[0] == pytest.approx(9142.5 - 7010.1)
    assert out.export_import_ratio[0] == pytest.approx(9142.5 / 7010.1)


def test_zones_are_never_ranked_among_cities(zs: zonescope.ZoneScope, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file("t.csv", "region,period,span,flow,mode,value,unit,source\n"
                               "宁波市,2030-06,ytd,total,all,100,亿元,t\n"
                               "宁波经济技术开发区,2030-06,ytd,total,all,30,亿元,t\n"
                               "温州市,2030-06,ytd,total,all,80,亿元,t\n")
    zs.import_file(path, "trade")
    rows = _rank(zs, level="prefecture", period="2030-06", parent=zs.region("浙江"))
    assert [r["name_zh"] for r in rows] == ["宁波市", "温州市"]
    share = get_share(zs.store.con, zs.region("宁波经济技术开发区"), period="2030-06")[0]
    assert share["parent_id"] == "330200" and share["share_pct"] == pytest.approx(30.0)


def test_bad_options_and_non_ancestors_are_errors(zs: zonescope.ZoneScope) -> None:
    with pytest.raises(ZoneScopeError) as info:
        _rank(zs, level="province", period="2022-06", by="size")
    assert info.value.key == "trade.bad_option"
    with pytest.raises(ZoneScopeError) as info:
        get_share(zs.store.con, zs.region("深圳"), period="2022-06", of=zs.region("浙江"))
    assert info.value.key == "trade.not_an_ancestor"
    with pytest.raises(ZoneScopeError):
        get_series(zs.store.con, SeriesQuery(zs.region("深圳"), flows=("exports",)))


def test_trade_cli(cli, cli_json) -> None:  # type: ignore[no-untyped-def]
    ranked = cli_json("trade", "rank", "--level", "province", "--period", "2022-06")
    assert ranked[10]["name_zh"] == "河南省"
    share = cli_json("trade", "share", "深圳", "--period", "2022-06")
    assert share[1]["share_pct"] == pytest.approx(37.04, abs=0.01)
    series = cli_json("trade", "show", "广东", "--flow", "export", "--span", "month")
    assert series["rows"][0]["months"] == 2
    assert "111.34" in cli("trade", "rank", "--level", "province", "--period", "2022-06").output
    assert "9,142.50 ÷ 24,680.54" in cli("trade", "share", "深圳", "--period", "2022-06").output
    assert "derived" in cli("trade", "show", "广东", "--lang", "en").output
    assert cli("trade", "rank", "--level", "province", "--period", "2022-06",
               "--by", "size").exit_code == 2

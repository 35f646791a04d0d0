"""Counts, sums and exact values that pin the extraction of the source article (igdt-2022-04)."""

from __future__ import annotations

from collections import Counter

import pytest

import zonescope

ARTICLE = "igdt-2022-04"


def _one(zs: zonescope.ZoneScope, sql: str) -> object:
    rows = zs.sql(sql).rows
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def test_table1_has_31_provinces_and_sums_to_the_national_total(zs: zonescope.ZoneScope) -> None:
    rows = zs.sql("SELECT t.region_id, t.value FROM trade t JOIN regions r ON r.id = t.region_id "
                  "WHERE t.source_ref = '表1' AND r.level = 'province'").rows
    assert len(rows) == 31
    total = _one(zs, "SELECT value FROM trade WHERE region_id = '000000' AND period = '2022-06' "
                     "AND span = 'ytd' AND flow = 'total'")
    assert total == pytest.approx(198000)  # 19.8万亿元, printed
    assert sum(v for _, v in rows) == pytest.approx(198121.82, abs=0.01)  # the table's own sum


@pytest.mark.parametrize(("region", "period", "flow", "value", "yoy"), [
    ("440000", "2022-06", "total", 39111.70, 2.8),     # 表1 广东
    ("330000", "2022-06", "total", 22679.97, 17.3),    # 表1 浙江
    ("410000", "2022-06", "total", 3958.28, 7.9),      # 表1 河南 (gap to 天津: 111.34)
    ("120000", "2022-06", "total", 4069.62, 1.3),      # 表1 天津
    ("000000", "2022-06", "export", 111400, 13.2),     # 11.14万亿元
    ("000000", "2022-06", "import", 86600, 4.8),       # 8.66万亿元
    ("440000", "2022-03", "export", 11447.8, 2.2),     # 图3
    ("440300", "2022-06", "export", 9142.5, 7.1),      # 深圳 H1 出口
    ("440300", "2022-06", "import", 7010.1, -5.2),     # 深圳 H1 进口
    ("330200", "2022-06", "total", 6322.5, 11.9),      # 宁波 H1
])
def test_exact_trade_values(zs: zonescope.ZoneScope, region: str, period: str, flow: str,
                            value: float, yoy: float) -> None:
    row = _one(zs, f"SELECT value, yoy_pct FROM trade WHERE region_id = '{region}' AND "
                   f"period = '{period}' AND span = 'ytd' AND flow = '{flow}' AND mode = 'all' "
                   f"AND source = '{ARTICLE}'")
    assert row == (pytest.approx(value), pytest.approx(yoy))


def test_henan_gap_to_tianjin_matches_the_article(zs: zonescope.ZoneScope) -> None:
    values = dict(zs.sql("SELECT region_id, value FROM trade WHERE source_ref = '表1' AND "
                         "region_id IN ('410000', '120000')").rows)
    assert values["120000"] - values["410000"] == pytest.approx(111.34)


@pytest.mark.parametrize(("region", "indicator", "value"), [
    ("330000", "foreign_trade_related_enterprises", 620000),   # 图10
    ("330000", "enterprises_with_trade_record", 89000),         # 图10
    ("330000", "cbec_enterprises", 3836),                       # 图10
    ("440300", "cbec_enterprises", 3300),
    ("000000", "sellers_unsold_stock_11_20_pct", 26),          # 图11
    ("000000", "zone_index_indicators", 44),
    ("000000", "zone_index_cities", 105),
])
def test_exact_indicator_values(zs: zonescope.ZoneScope, region: str, indicator: str,
                                value: float) -> None:
    got = zs.sql(f"SELECT value FROM indicators WHERE region_id = '{region}' AND "
                 f"indicator = '{indicator}'").rows
    assert (pytest.approx(value),) in got


def test_anker_revenue_by_channel_for_2020_and_2021(zs: zonescope.ZoneScope) -> None:
    rows = zs.sql("SELECT year, count(*) FROM indicators WHERE source_ref LIKE '%表7%' "
                  "GROUP BY year ORDER BY year").rows
    assert [y for y, _ in rows] == [2020, 2021] and all(n >= 5 for _, n in rows)
    amazon_2021 = _one(zs, "SELECT value FROM indicators WHERE indicator = 'anker_revenue_amazon' "
                           "AND year = 2021")
    assert amazon_2021 == pytest.approx(68.732756)  # 687,327.56 万元 in 亿元


def test_figure11_inventory_shares_sum_to_100(zs: zonescope.ZoneScope) -> None:
    total = _one(zs, "SELECT sum(value) FROM indicators WHERE indicator LIKE "
                     "'sellers_unsold_stock_%_pct'")
    assert total == pytest.approx(100)


def test_policies_7_8_8_and_shenzhen_categories_match_the_article(zs: zonescope.ZoneScope) -> None:
    counts = dict(zs.sql("SELECT source_ref, count(*) FROM policies GROUP BY ALL").rows)
    assert counts == {"表2": 7, "表3": 8, "表6": 8}
    table6 = {r[0] for r in zs.sql("SELECT region_id FROM policies WHERE source_ref = '表6'").rows}
    assert len(table6) == 8
    cats = [c for (row,) in zs.sql("SELECT categories FROM policies WHERE source_ref = '表2'").rows
            for c in row]
    counted = Counter(cats)
    assert counted["展会参展"] == 2 and counted["统计监测"] == 1 and counted["金融外汇"] == 1
    assert counted["平台与服务体系"] == 2 and counted["通关监管"] == 2
    market = _one(zs, "SELECT count(*) FROM policies WHERE source_ref = '表2' AND "
                      "(list_contains(categories, '市场开拓-独立站') OR "
                      "list_contains(categories, '市场开拓-海外仓'))")
    assert market == 1  # 独立站、海外仓等市场开拓奖励: one policy


def test_clusters_155_and_110_printed_rows_numbered_without_gaps(zs: zonescope.ZoneScope) -> None:
    for province, printed in (("330000", 155), ("440000", 110)):
        numbers = [n for (n,) in zs.sql(f"SELECT number FROM clusters WHERE province_id = "
                                        f"'{province}' ORDER BY number").rows]
        assert numbers == list(range(1, printed + 1))
    dup = _one(zs, "SELECT duplicate_of FROM clusters WHERE province_id = '330000' "
                   "AND number = 151")
    assert dup == 133  # 宁海模具产业群 printed twice


def test_clusters_resolve_to_city_and_county(zs: zonescope.ZoneScope) -> None:
    places = dict(zs.sql("SELECT place, region_id FROM clusters WHERE place IN ('慈溪', '松岗')")
                  .rows)
    assert places == {"慈溪": "330282", "松岗": "440306"}


def test_every_row_names_a_registered_source(zs: zonescope.ZoneScope) -> None:
    for table in ("trade", "indicators", "policies", "innovations", "associations", "clusters"):
        unknown = zs.sql(f"SELECT DISTINCT source FROM {table} WHERE source NOT IN "
                         "(SELECT id FROM sources)").rows
        assert unknown == [], table
        if table in ("trade", "indicators"):
            cited = zs.sql(f"SELECT DISTINCT cited_source FROM {table} WHERE cited_source IS NOT "
                           "NULL AND cited_source NOT IN (SELECT id FROM sources)").rows
            assert cited == [], table


def test_article_rows_say_where_in_the_article(zs: zonescope.ZoneScope) -> None:
    for table in ("trade", "indicators", "policies", "innovations", "associations", "clusters"):
        missing = _one(zs, f"SELECT count(*) FROM {table} WHERE source = '{ARTICLE}' AND "
                           "(source_ref IS NULL OR source_ref = '')")
        assert missing == 0, table


def test_innovations_and_associations(zs: zonescope.ZoneScope) -> None:
    titles = {t for (t,) in zs.sql("SELECT title FROM innovations").rows}
    assert {"全球中心仓", "深港陆空联运"} <= titles
    assert any("邮海联运" in t for t in titles) and any("中欧班列" in t for t in titles)
    names = dict(zs.sql("SELECT region_id, name FROM associations").rows)
    assert names["440300"] == "深圳市跨境电子商务协会"
    assert names["330200"] == "宁波市跨境电子商务协会"


def test_sources_registry_lists_article_footnotes_and_providers(cli_json) -> None:  # type: ignore[no-untyped-def]
    ids = {s["id"] for s in cli_json("sources")}
    assert {ARTICLE, *(f"{ARTICLE}-fn{i}" for i in range(1, 10))} <= ids
    assert {"tianyancha", "ennews", "cifnews", "100ec", "zjmif", "gacc", "anker-reports"} <= ids

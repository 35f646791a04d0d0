"""The report as data: the article's structure, numbered figures and tables with sources,
a claim check of its own sentences, and JSON that validates against the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import zonescope
from zonescope.report import Report, build_report
from zonescope.report.jsonout import render_json

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"
SECTIONS = ["differences", "trade", "entities", "innovation", "policy", "association", "mindset",
            "index", "common", "advice", "advice-government", "advice-market", "advice-factory",
            "advice-trade", "advice-platform", "advice-service", "appendix",
            "appendix-policies", "appendix-clusters", "appendix-claims", "appendix-sources"]


def test_sections_follow_the_article(report_zh: Report) -> None:
    assert [s.id for s in report_zh.all_sections()] == SECTIONS
    titles = [s.title for s in report_zh.sections]
    assert titles[0].startswith("一、") and titles[1].startswith("二、")
    assert titles[2].startswith("三、") and titles[3] == "附录"


def test_figures_and_tables_are_numbered_in_reading_order(report_zh: Report) -> None:
    figures, tables = report_zh.figures(), report_zh.tables()
    assert [f.number for f in figures] == list(range(1, len(figures) + 1))
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert len(figures) >= 10 and len(tables) >= 12
    assert all(f.label == f"图 {f.number}" for f in figures)
    assert all(t.label == f"表 {t.number}" for t in tables)


def test_every_figure_and_table_names_its_sources(report_zh: Report) -> None:
    for block in [*report_zh.figures(), *report_zh.tables()]:
        assert block.source_line.startswith("数据来源："), block.caption
        assert block.sources, block.caption
    registry_ids = {s["id"] for s in report_zh.sources}
    assert {"gacc-2024-city", "igdt-2022-04"} <= registry_ids


def test_table_1_ranks_the_provinces_and_marks_the_cities_provinces(report_zh: Report) -> None:
    table = report_zh.tables()[0]
    assert len(table.rows) == 31 and [r[0] for r in table.rows[:3]] == [1, 2, 3]
    marked = {table.rows[i][1] for i in table.highlight}
    assert marked == {"广东省", "浙江省"}
    values = [r[2] for r in table.rows]
    assert values == sorted(values, reverse=True)


def test_figure_3_like_chart_has_bars_growth_and_share(report_zh: Report) -> None:
    combo = [f for f in report_zh.figures() if f.chart.type == "combo"]
    assert len(combo) == 4  # 广东, 浙江, 深圳, 宁波
    shenzhen = next(f for f in combo if "深圳" in f.caption)
    kinds = [(s.type, s.axis) for s in shenzhen.chart.series]
    assert ("bar", "y") in kinds and ("line", "y2") in kinds
    assert len(shenzhen.chart.categories) == 12
    assert all(v is not None for s in shenzhen.chart.series for v in s.values)


def test_mindset_contributions_add_up_to_each_score(report_zh: Report) -> None:
    figure = next(f for f in report_zh.figures() if f.chart.type == "hbar"
                  and "思维" in f.caption)
    totals = [sum(v or 0 for v in s.values) for s in figure.chart.series]
    assert totals[0] > 0.2 and totals[1] < -0.2  # 深圳 电商思维, 宁波 外贸思维


def test_the_report_checks_its_own_sentences(report_zh: Report) -> None:
    claims = report_zh.claims
    assert claims["summary"]["total"] >= 10
    assert claims["summary"]["contradicted"] == 0
    assert claims["summary"]["supported"] == claims["summary"]["total"]


def test_missing_index_is_said_plainly(report_zh: Report) -> None:
    index = next(s for s in report_zh.all_sections() if s.id == "index")
    assert index.blocks[0].kind == "note" and "zonescope index build" in index.blocks[0].text
    assert any("zonescope index build" in u for u in report_zh.unavailable)


def test_json_validates_against_the_published_schema(report_zh: Report) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(render_json(report_zh))
    jsonschema.validate(data, schema)


def test_the_schema_rejects_what_it_should(report_zh: Report) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = json.loads(render_json(report_zh))
    data["sections"][0]["children"][0]["blocks"].append({"kind": "figure", "number": 0})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


@pytest.mark.slow
def test_english_and_an_earlier_period(report_store: Path) -> None:
    with zonescope.open(report_store) as zs:
        report = build_report(zs, ["Shenzhen", "Ningbo"], lang="en", period="2022")
    assert report.period["code"] == "2022-06" and report.period["label"] == "Jan–Jun 2022"
    assert report.title.startswith("Cross-border") and "Shenzhen" in report.title
    table_1 = report.tables()[0]
    assert table_1.rows[0][1] == "Guangdong" and len(table_1.rows) == 31
    guangdong = next(f for f in report.figures() if "Guangdong" in f.caption)
    assert guangdong.chart.series[0].values == [7892.32, 11447.8, 15955.01, 20268.3, 24680.54]
    assert report.claims["summary"]["contradicted"] == 0


@pytest.mark.slow
def test_index_scores_with_rank_intervals_when_a_build_is_stored(store_path: Path) -> None:
    from zonescope import index
    from zonescope.index.results import save_run

    with zonescope.open(store_path) as zs:
        build = index.run_build(zs.store.con, "trade-performance", year=2024)
        build_id = save_run(zs.store.con, build)
        analysis = index.run_uncertainty(build, runs=60, sobol=0)
        save_run(zs.store.con, build, "uncertainty", analysis, build_id=build_id)
        report = build_report(zs, ["深圳", "宁波"])
    section = next(s for s in report.all_sections() if s.id == "index")
    table = next(b for b in section.blocks if b.kind == "table")
    expected = {u["region_id"]: u for u in analysis["units"]}
    for row, region_id in zip(table.rows, ("440300", "330200"), strict=True):
        assert row[4] == expected[region_id]["rank_p05"]
        assert row[5] == expected[region_id]["rank_p95"]
    figure = next(b for b in section.blocks if b.kind == "figure")
    assert figure.chart.type == "interval" and figure.chart.series[0].error_low


def test_three_and_four_regions_make_a_valid_report_with_every_city(report_store: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for names in (["深圳", "宁波", "杭州"], ["深圳", "宁波", "杭州", "广州"]):
        with zonescope.open(report_store) as zs:
            report = build_report(zs, names)
        data = json.loads(render_json(report))
        jsonschema.validate(data, schema)
        assert [r["name_zh"][:2] for r in data["regions"]] == [n[:2] for n in names]
        assert data["claims"]["summary"]["contradicted"] == 0
        # 杭州's policies are not in the bundled library: said plainly, not left blank
        assert any("杭州" in note for note in data["unavailable"])
        text = json.dumps(data, ensure_ascii=False)
        assert all(name in text for name in names)

"""Building an index: screening, the step log, replay, patches, storage, bad input."""

from __future__ import annotations

import csv
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import zonescope
from zonescope.errors import ImportRejected, ZoneScopeError
from zonescope.index.build import IndexBuild
from zonescope.index.data import active_pilot_units
from zonescope.index.results import export_build, get_runs, load_build, save_run, stored_results
from zonescope.index.runs import run_build
from zonescope.trade import get_share

Small = Callable[..., tuple[Path, Path]]
DATASETS = ("raw", "imputed", "treated", "normalised", "dimension_scores", "scores", "ranks",
            "tiers", "weights_indicator", "weights_dimension")


@pytest.fixture(scope="module")
def trade_build(seeded_store: Path) -> IndexBuild:
    with zonescope.open(seeded_store) as zs:
        return run_build(zs.store.con)


def test_trade_performance_scores_the_pilot_zones_the_customs_tables_cover(
        trade_build: IndexBuild) -> None:
    data = trade_build.to_dict("en")
    counts = data["counts"]
    assert counts["units"] == len(active_pilot_units()) == 178
    assert 100 <= counts["scored"] <= 130
    assert counts["scored"] + counts["screened_units"] == 178
    scored = {r["region_id"] for r in data["results"]}
    for entry in data["screened"]["units"]:
        assert entry["region_id"] not in scored
        assert entry["reason"] == "index.screen_no_data" and entry["message"]
    assert "330782" in {e["region_id"] for e in data["screened"]["units"]}  # 义乌: no table row
    assert all(r["score"] is not None for r in data["results"])
    assert data["data"] == {"from": "trade", "period": "2024-12", "span": "ytd", "year": 2024}


def test_every_value_carries_its_source(trade_build: IndexBuild) -> None:
    for row in trade_build.to_dict()["results"]:
        for cell in row["indicators"].values():
            assert (cell["raw"] is None) == (cell["source"] is None)
            assert cell["source"] in (None, "gacc-2024-city", "hzcustoms-2024-zj")


def test_shares_come_from_the_trade_metrics_and_provinces_have_none(
        trade_build: IndexBuild, seeded_store: Path) -> None:
    rows = {r["region_id"]: r for r in trade_build.to_dict("en")["results"]}
    with zonescope.open(seeded_store) as zs:
        expected = get_share(zs.store.con, zs.region("深圳"), period="2024-12")
    export = next(r for r in expected if r["flow"] == "export")
    assert rows["440300"]["indicators"]["export_share_of_province_pct"]["raw"] == \
        pytest.approx(export["share_pct"])
    shanghai = rows["310000"]["indicators"]["export_share_of_province_pct"]
    assert shanghai["raw"] is None and "province-level" in shanghai["note"]


def test_replaying_the_log_reproduces_the_build_exactly(trade_build: IndexBuild) -> None:
    again = trade_build.replay()
    for name in DATASETS:
        a = getattr(trade_build.stage, name)
        b = getattr(again.stage, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    assert again.to_dict() == trade_build.to_dict()
    assert [s.to_dict() for s in again.log] == [s.to_dict() for s in trade_build.log]


def test_the_log_writes_out_every_parameter(trade_build: IndexBuild) -> None:
    log = {s.name: s.params for s in trade_build.log}
    assert log["treat"] == {"method": "winsorise", "skew": 2.0, "kurtosis": 3.5,
                            "max_points": 5, "fallback": "log", "indicators": None}
    assert log["tier"]["shares"] == [10, 50, 40, 5]
    treated = {i["code"]: i["treatment"] for i in trade_build.to_dict()["indicators"]}
    assert treated["trade_value"]["treated"] in ("winsorised", "log")


def test_a_variation_is_a_patch_to_one_log_entry(trade_build: IndexBuild) -> None:
    variant = trade_build.patch("normalise", {"method": "rank"})
    changed = [a.name for a, b in zip(trade_build.log, variant.log, strict=True) if a != b]
    assert changed == ["normalise"]
    assert variant.steps["normalise"] == {"method": "rank", "high": 100.0}
    assert not np.array_equal(variant.scores(), trade_build.scores())
    back = variant.patch("normalise", trade_build.steps["normalise"])
    assert back.to_dict() == trade_build.to_dict()
    levels = trade_build.patch("aggregate", {"index": {"method": "topsis"}}).steps["aggregate"]
    assert levels == {"dimension": {"method": "arithmetic"},
                      "index": {"method": "topsis", "scale": 100.0}}


def test_a_bad_patch_is_refused_like_a_bad_framework(trade_build: IndexBuild) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        trade_build.patch("normalise", {"method": "minmax", "hihg": 1})
    assert "hihg" in caught.value.render("en")


def test_stored_build_replays_to_the_same_results(trade_build: IndexBuild,
                                                  store_path: Path) -> None:
    with zonescope.open(store_path) as zs:
        run_id = save_run(zs.store.con, trade_build)
        found, loaded = load_build(zs.store.con)
        assert found == run_id
        assert loaded.to_dict() == trade_build.to_dict() == stored_results(zs.store.con, run_id)
        assert get_runs(zs.store.con)[0]["kind"] == "build"


def test_export_csv_and_xlsx(trade_build: IndexBuild, tmp_path: Path) -> None:
    rows = export_build(trade_build, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == rows == len(trade_build.stage.units)
    assert table[0]["rank"] == "1.0" and table[0]["tier_name"] == "成效明显"
    export_build(trade_build, tmp_path / "out.xlsx", "en")
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["results", "indicators", "screened", "log"]
    with pytest.raises(ZoneScopeError):
        export_build(trade_build, tmp_path / "out.pdf")


def _build(small: Small, **kwargs: object) -> IndexBuild:
    framework, data = small(**kwargs)
    return run_build(None, framework, data=data)


def test_direction_negative_means_less_is_better(small: Small) -> None:
    build = _build(small)
    rows = {r["region_id"]: r for r in build.to_dict()["results"]}
    assert rows["330200"]["indicators"]["rent"]["normalised"] > \
        rows["440300"]["indicators"]["rent"]["normalised"]


def test_constant_indicator_warns_and_divides_by_nothing(small: Small) -> None:
    data = "地区,firms,sales,rent,delay\n" + "\n".join(
        f"{c},{f},{s},{r},10" for c, f, s, r in [("深圳", 9, 5, 3), ("宁波", 5, 7, 4),
                                                 ("杭州", 7, 6, 2), ("郑州", 3, 2, 5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build = _build(small, data=data, replace={
            "treat: {method: none}": "treat: {method: none}\n  weight:\n"
                                     "    indicator: {method: entropy}"})
    data_out = build.to_dict("en")
    assert [n["key"] for n in data_out["notices"]] == ["index.constant_indicator"]
    assert "delay" in data_out["notices"][0]["message"]
    weights = {i["code"]: i["weight"] for i in data_out["indicators"]}
    assert weights["delay"] == 0.0 and weights["rent"] == 1.0
    assert {r["indicators"]["delay"]["normalised"] for r in data_out["results"]} == {50.0}


def test_an_all_missing_city_is_listed_not_scored(small: Small, small_data: str) -> None:
    build = _build(small, data=small_data + "西安市,,,,\n")
    screened = build.to_dict("en")["screened"]["units"]
    assert [(u["region_id"], u["message"]) for u in screened] == [
        ("610100", "no data for any indicator")]
    with pytest.raises(ZoneScopeError) as caught:
        build.position("610100")
    assert caught.value.key == "index.unit_screened"


def test_negative_values_under_geometric_aggregation_are_refused(small: Small) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        _build(small, replace={"treat: {method: none}": "treat: {method: none}\n"
                               "  normalise: {method: zscore}\n"
                               "  aggregate: {dimension: {method: geometric}}"})
    assert caught.value.key == "index.geometric_nonpositive"
    message = caught.value.render("en")
    assert "geometric aggregation needs positive values" in message
    assert any(code in message for code in ("firms", "sales", "rent", "delay"))
    build = _build(small, replace={"treat: {method: none}": "treat: {method: none}\n"
                                   "  normalise: {method: minmax, low: 1, high: 100}\n"
                                   "  aggregate: {dimension: {method: geometric}}"})
    assert np.isfinite(build.scores()).all()


def test_weights_set_to_zero_are_refused(small: Small) -> None:
    build = _build(small)
    with pytest.raises(ZoneScopeError) as caught:
        build.patch("weight", {"dimension": {"overrides": {"size": 0, "cost": 0}}})
    assert caught.value.key == "index.weights_zero"


def test_framework_naming_absent_data_is_refused(small: Small, small_data: str,
                                                  seeded_store: Path) -> None:
    without_delay = "\n".join(line.rsplit(",", 1)[0] for line in small_data.splitlines())
    with pytest.raises(ZoneScopeError) as caught:
        _build(small, data=without_delay)
    assert caught.value.key == "index.data_absent" and "delay" in caught.value.render("en")
    with zonescope.open(seeded_store) as zs, pytest.raises(ZoneScopeError) as caught:
        run_build(zs.store.con, year=2019)
    assert caught.value.key == "index.no_trade_year" and "2024" in caught.value.render("en")


def test_store_indicators_that_have_no_rows_are_absent(small: Small, seeded_store: Path) -> None:
    framework, _ = small(replace={"from: file": "from: indicators", "code: firms":
                                  "code: cbec_enterprises", "code: sales": "code: shopify_sites",
                                  "code: rent": "code: pilot_zones", "code: delay":
                                  "code: association_k100_plans"})
    with zonescope.open(seeded_store) as zs, pytest.raises(ZoneScopeError) as caught:
        run_build(zs.store.con, framework)
    assert caught.value.key == "index.data_absent"


def test_a_data_file_with_bad_cells_says_where(small: Small, small_data: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        _build(small, data=small_data.replace("900", "九百").replace("青岛市", "不存在市"))
    cells = {(p.row, p.column) for p in caught.value.problems}
    assert cells == {(2, "firms"), (9, "地区")}


def test_a_file_framework_needs_a_data_file(small: Small, seeded_store: Path) -> None:
    framework, _ = small()
    with zonescope.open(seeded_store) as zs, pytest.raises(ZoneScopeError) as caught:
        run_build(zs.store.con, framework)
    assert caught.value.key == "index.data_file_needed"


def test_thin_units_and_indicators_are_screened(small: Small, small_data: str) -> None:
    data = small_data.replace("深圳市,900,120,80,10", "深圳市,900,,,")
    build = _build(small, data=data, replace={"treat: {method: none}": "treat: {method: none}\n"
                                              "  screen: {min_unit_coverage: 0.75}"})
    screened = build.to_dict()["screened"]["units"]
    assert [(u["region_id"], u["reason"], u["coverage"]) for u in screened] == [
        ("440300", "index.screen_unit", 0.25)]

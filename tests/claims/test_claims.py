"""The claim checker: number parsing, extraction, verdicts on the source article, and the CLI."""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zonescope
from zonescope.claims import VERDICTS, Verdict, check_report, check_text
from zonescope.claims.context import find_mentions, find_periods
from zonescope.claims.extract import extract
from zonescope.claims.numbers import parse_quantity
from zonescope.claims.vocab import load, vocab
from zonescope.errors import ZoneScopeError

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "article.txt"


def _check(zs: zonescope.ZoneScope, text: str, lang: str = "zh") -> list[Verdict]:
    return check_text(zs.store.con, text, lang)


def _one(verdicts: list[Verdict], stated: str) -> Verdict:
    found = [v for v in verdicts if v.stated == stated]
    assert len(found) == 1, [(v.stated, v.verdict) for v in verdicts]
    return found[0]


# --- numbers and qualifiers ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "unit", "accepted"), [
    ("四成", 40.0, "%", "[35, 45]"),
    ("三分之一", 100 / 3, "%", "[30, 36.6667]"),
    ("半壁江山", 50.0, "%", "[40, 60]"),
    ("近 13 亿元", 13.0, "亿元", "[12, 13]"),
    ("1.62 万亿", 16200.0, "亿元", "[16150, 16250]"),
    ("70.1%", 70.1, "%", "[70.05, 70.15]"),
    ("44.3%", 44.3, "%", "[44.25, 44.35]"),
    ("超 10 万", 100000.0, "", "> 100000"),
    ("35%以上", 35.0, "%", "≥ 35"),
    ("两成以上", 20.0, "%", "≥ 20"),
    ("四成左右", 40.0, "%", "[35, 45]"),
    ("15%左右", 15.0, "%", "[13.5, 16.5]"),
    ("约 28.3%", 28.3, "%", "[25.47, 31.13]"),
    ("不到 20%", 20.0, "%", "< 20"),
    ("仅为111.34亿元", 111.34, "亿元", "[111.335, 111.345]"),
    ("2700 多家", 2700.0, "家", "> 2700"),
    ("4 亿美金", 4.0, "USD", "[3.5, 4.5]"),
    ("200万元", 0.02, "亿元", "[0.0199, 0.0201]"),
])
def test_numbers_and_their_tolerance(text: str, value: float, unit: str, accepted: str) -> None:
    q = parse_quantity(text)
    assert q.value == pytest.approx(value) and q.unit == unit
    assert q.accepted().show() == accepted


def test_strict_and_inclusive_bounds() -> None:
    assert 100000 not in parse_quantity("超 10 万").accepted()
    assert 100001 in parse_quantity("超 10 万").accepted()
    assert 35 in parse_quantity("35% 以上").accepted()
    assert 34.99 not in parse_quantity("35% 以上").accepted()
    assert 13.01 not in parse_quantity("近13亿元").accepted()
    assert math.isinf(parse_quantity("35%以上").accepted().hi)


def test_not_one_number_is_refused() -> None:
    with pytest.raises(ZoneScopeError) as caught:
        parse_quantity("甲乙")
    assert caught.value.key == "claims.not_a_number"


def test_the_vocabulary_is_validated() -> None:
    assert vocab().qualifiers["about"].relative == pytest.approx(0.10)
    data = vocab().model_dump()
    data["qualifiers"]["roughly"] = {"before": ["大约摸"]}
    with pytest.raises(ZoneScopeError) as caught:
        load(data)
    assert caught.value.key == "claims.bad_vocab" and "roughly" in caught.value.render("en")
    data = vocab().model_dump()
    data["flows"]["转口"] = "transit"
    with pytest.raises(ZoneScopeError):
        load(data)


# --- regions, periods, kinds ----------------------------------------------------------------

def _regions(text: str) -> list[list[str]]:
    return [[r.short_zh for r in m.regions] for m in find_mentions(text, vocab(), [])]


def test_abbreviation_runs_and_aliases() -> None:
    assert _regions("上半年粤苏浙三省进出口总值") == [["广东", "江苏", "浙江"]]
    assert _regions("洞悉鹏甬两城的发展现状") == [["深圳", "宁波"]]
    assert _regions("从鹏、甬两城外贸新业态") == [["深圳", "宁波"]]
    assert _regions("宁夏、海南、青海6省区增速领跑") == [["宁夏", "海南", "青海"]]
    # one-character abbreviations alone are words, not places
    assert _regions("进出口规模创历史新高，深入推进") == []
    later = find_mentions("粤苏浙三省合计，三地总合占全国", vocab(), [])
    assert [r.short_zh for r in later[1].regions] == ["广东", "江苏", "浙江"]


@pytest.mark.parametrize(("text", "period"), [
    ("2022 年上半年".replace(" ", ""), ("2022-06", "ytd")),
    ("1-5月", ("2022-05", "ytd")),
    ("去年", ("2021-12", "year")),
    ("2021年", ("2021-12", "year")),
    ("2021全年", ("2021-12", "year")),
    ("一季度", ("2022-03", "ytd")),
    ("第1季度", ("2022-03", "ytd")),
    ("3月份", ("2022-03", "month")),
    ("今年“半年报”", ("2022-06", "ytd")),
])
def test_periods(text: str, period: tuple[str, str]) -> None:
    found, _ = find_periods(text, vocab(), 2022, 2022)
    assert found and found[0].period is not None
    assert (found[0].period.key, found[0].period.span) == period


def test_comparison_bases_and_unstorable_periods() -> None:
    assert find_periods("与去年同期相比", vocab(), 2022, 2022)[0] == []
    assert find_periods("2021年以来", vocab(), 2022, 2022)[0] == []
    assert find_periods("2022年下半年", vocab(), 2022, 2022)[0][0].period is None


def test_a_sentence_without_a_period_inherits_the_last_trade_period() -> None:
    found = extract("2021全年，深圳市进出口达3.54万亿。其中，出口规模1.92万亿。")
    assert [(c.period.key, c.period_note) for c in found.claims if c.period] == [
        ("2021-12", "explicit"), ("2021-12", "inherited")]


def test_claim_kinds() -> None:
    text = ("2022年上半年，粤苏浙三省进出口总值合计8.81万亿元，三地总合占全国的44.3%，"
            "浙江省以近13亿元的微弱差距超越江苏省，宁夏增速达70.1%，居全国第1位。")
    kinds = [c.kind for c in extract(text).claims]
    assert kinds == ["sum", "share", "difference", "growth", "rank"]


_PIECES = ["广东", "深圳", "粤苏浙", "鹏甬", "三地", "全省", "全国", "进出口", "出口", "进口",
           "同比增长", "下降", "占", "分别为", "逐月累计", "第", "TOP", "未能挤入", "差距", "合计",
           "超越", "亿元", "万亿", "%", "成", "三分之一", "近", "超", "以上", "左右", "，", "。",
           "、", "2022年", "上半年", "1-5月", "去年", "一季度", "12", "3.5", "-1", "四", "省市",
           "除", "外", "其余", "正增长", "首位", "领跑", "三甲", "\n", " ", "１２", "％"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_extraction_never_fails_and_spans_stay_in_the_input(text: str) -> None:
    found = extract(text)
    for item in (*found.claims, *found.skipped):
        assert 0 <= item.span[0] < item.span[1] <= len(text)


# --- verdicts on the article's statements --------------------------------------------------

def test_guangdong_jiangsu_zhejiang_share_is_contradicted(zs: zonescope.ZoneScope) -> None:
    v = _one(_check(zs, "2022年上半年，粤苏浙三省进出口总值分别为3.91万亿、2.63万亿、2.27万亿，"
                        "三地总合占据全国进出口总额的44.3%，稳居全国三甲；"), "44.3%")
    assert v.kind == "share" and v.verdict == "contradicted"
    assert v.computed == pytest.approx(44.52, abs=0.005)
    for part in ("39111.70", "26356.84", "22679.97", "198000.00", "44.52%", "0.22 个百分点"):
        assert part in v.explanation


def test_henan_value_and_gap_to_tianjin(zs: zonescope.ZoneScope) -> None:
    verdicts = _check(zs, "2022年上半年，河南省进出口总值为3958.28亿元，"
                          "与排名第10的天津市差距仅为111.34亿元，未能挤入TOP10名单。")
    assert [(v.kind, v.verdict) for v in verdicts] == [
        ("value", "supported"), ("rank", "supported"), ("difference", "supported"),
        ("rank", "supported")]
    gap = _one(verdicts, "仅为111.34亿元")
    assert gap.computed == pytest.approx(111.34)
    assert "天津市 4069.62 − 河南省 3958.28" in gap.explanation


def test_the_other_25_provinces_grew(zs: zonescope.ZoneScope) -> None:
    verdicts = _check(zs, "2022年上半年，除上海、广西、云南、山西、吉林、贵州6省市外，"
                          "其余25省市外贸进出口规模均呈正增长趋势。")
    assert [(v.kind, v.verdict, v.computed) for v in verdicts] == [
        ("count", "supported", 6.0), ("count", "supported", 25.0)]
    assert "上海市" in verdicts[1].explanation and "-0.60%" in verdicts[1].explanation


def test_zhejiang_exports_exceed_jiangsu_by_nearly_13(zs: zonescope.ZoneScope) -> None:
    v = _one(_check(zs, "2022年上半年，出口规模分别为24680.54亿、16619.69亿、16632.6亿，其中，"
                        "浙江省以近13亿元的微弱差距超越江苏省。"), "近13亿元")
    assert v.verdict == "supported" and v.computed == pytest.approx(12.91)
    assert "浙江省 16632.60 − 江苏省 16619.69" in v.explanation and "[12, 13]" in v.explanation


def test_ningxia_growth(zs: zonescope.ZoneScope) -> None:
    verdicts = _check(zs, "2022年上半年，各省外贸进出口规模多呈正增长趋势，其中，宁夏、海南、青海、"
                          "江西、新疆、黑龙江6省区增速领跑其他省份，"
                          "增速分别达到70.1%、56%、43.2%、40.0%、39.1%、30.7%。")
    assert all(v.verdict == "supported" for v in verdicts) and len(verdicts) == 7
    ningxia = _one(verdicts, "70.1%")
    assert ningxia.regions == ("640000",) and ningxia.computed == pytest.approx(70.1)


def test_shenzhen_share_of_guangdong_as_printed(zs: zonescope.ZoneScope) -> None:
    at_least = _one(_check(zs, "2022年上半年，深圳进出口总量达1.62万亿。上半年深圳出口规模"
                               "仍占据全省35%以上的市场份额。"), "35%以上")
    assert at_least.verdict == "supported" and at_least.computed == pytest.approx(37.04, abs=0.01)
    assert "9142.50 ÷ 广东省 24680.54" in at_least.explanation and "≥ 35%" in at_least.explanation
    about = _one(_check(zs, "2022年上半年，深圳市外贸进出口体量在广东省35%左右的占比。"), "35%左右")
    assert about.verdict == "contradicted" and about.computed == pytest.approx(41.42, abs=0.01)
    assert "16200.00 ÷ 广东省 39111.70" in about.explanation
    assert "[31.5, 38.5]" in about.explanation


def test_ningbo_share_of_zhejiang_exports_is_contradicted(zs: zonescope.ZoneScope) -> None:
    v = _one(_check(zs, "2022年上半年，宁波市出口规模总体占浙江省出口总量的四成左右。"), "四成左右")
    assert v.verdict == "contradicted" and v.computed == pytest.approx(24.56, abs=0.01)


def test_english_explanations(zs: zonescope.ZoneScope) -> None:
    v = _one(_check(zs, "2022年上半年，宁波市出口规模总体占浙江省出口总量的四成左右。", "en"),
             "四成左右")
    assert "Ningbo 4085.00 ÷ Zhejiang 16632.60" in v.explanation
    assert "inconsistent" in v.explanation


# --- bad input: unverifiable, never a guess ------------------------------------------------

@pytest.mark.parametrize(("text", "needle"), [
    ("2030年上半年，广东省进出口总值为40000亿元。", "2030-06"),
    ("2022年上半年，拉萨市进出口总值为10亿元。", "拉萨市"),
    ("2022年下半年，广东省进出口总值为40000亿元。", "下半年"),
    ("2022年上半年，广东省出口4亿美元。", "USD"),
    ("进出口总值为10亿元。", "期间"),
    ("2022年上半年，进出口总值为10亿元。", "地区"),
    ("2022年上半年，广东省进出口增速居东部沿海第一。", "东部沿海"),
    ("2022年上半年，浙江省出口规模居全国第2位。", "3/31"),
    ("2021全年，深圳市出口规模继续领跑全国。", "城市"),
])
def test_missing_data_is_unverifiable(zs: zonescope.ZoneScope, text: str, needle: str) -> None:
    verdicts = _check(zs, text)
    assert len(verdicts) == 1
    assert verdicts[0].verdict == "unverifiable"
    assert needle in verdicts[0].explanation, verdicts[0].explanation


def test_non_trade_figures_are_skipped_with_a_reason(zs: zonescope.ZoneScope) -> None:
    report = check_report(zs.store.con, "海关总署数据显示，今年上半年，我国有进出口实绩的外贸企业"
                                        "50.6万家，同比增加5.5%。")
    assert report.verdicts == []
    assert [s.reason for s in report.skipped] == ["claims.skip.counted", "claims.skip.non_trade"]


# --- the whole article -----------------------------------------------------------------------

CONTRADICTED = {  # stated as printed → recomputed
    "2.63万亿": 26356.84,   # Jiangsu: 2.6357 万亿 rounds to 2.64 (the text truncated)
    "44.3%": 44.5194,       # (39111.70 + 26356.84 + 22679.97) ÷ 198000
    "四成左右": 24.5602,    # Ningbo 4085 ÷ Zhejiang 16632.6 exports
    "35%左右": 41.4198,     # Shenzhen 16200 ÷ Guangdong 39111.70 total trade
}


@pytest.fixture(scope="module")
def article(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    """The whole source article, checked once against a copy of the seeded store."""
    copy = tmp_path_factory.mktemp("claims") / "article.duckdb"
    shutil.copy(seeded_store, copy)
    text = ARTICLE.read_text(encoding="utf-8")
    with zonescope.open(copy) as zs:
        return text, check_report(zs.store.con, text)


def test_every_article_claim_gets_a_verdict(article: tuple[str, Any]) -> None:
    text, report = article
    verdicts: list[Verdict] = report.verdicts
    assert all(v.verdict in VERDICTS and v.explanation for v in verdicts)
    assert report.counts()["contradicted"] == len(CONTRADICTED)
    assert {v.stated: v.computed for v in verdicts if v.verdict == "contradicted"} == \
        pytest.approx(CONTRADICTED)
    assert len(verdicts) == 91 and report.counts()["supported"] >= 64
    for v in verdicts:  # spans point at the input
        start, end = v.span
        assert re.sub(r"\s", "", text[start:end]).endswith(v.text[-3:])


def test_claims_about_table_1_and_the_two_cities(article: tuple[str, Any]) -> None:
    _, report = article
    by_region: dict[str, int] = {}
    for v in report.verdicts:
        for region in v.regions:
            by_region[region] = by_region.get(region, 0) + 1
    for province in ("440000", "320000", "330000", "410000", "120000", "640000", "460000",
                     "630000", "360000", "650000", "230000"):
        assert by_region.get(province), province
    assert by_region["440300"] >= 20 and by_region["330200"] >= 20  # 深圳, 宁波
    counts = [v for v in report.verdicts if v.kind == "count"]
    assert [v.stated for v in counts] == [
        "粤苏浙沪京鲁6省市", "上海、广西、云南、山西、吉林、贵州6省市", "其余25省市"]


def test_no_trade_figure_in_section_one_is_dropped(article: tuple[str, Any]) -> None:
    """Every 亿 / 万亿 / % figure in the prose of 一、 is inside a claim's span."""
    text, report = article
    start, end = text.index("一、鹏甬两城外贸发展差异"), text.index("（二）市场主体情况对比")
    spans = [v.span for v in report.verdicts]
    prose = [m for m in re.finditer(r"\d+(?:\.\d+)?\s*(?:万亿|亿|%)", text[start:end])
             if "，" in _line(text, start + m.start()) or "。" in _line(text, start + m.start())]
    assert len(prose) >= 60
    missing = [m.group(0) for m in prose
               if not any(a <= start + m.start() < b for a, b in spans)]
    assert missing == []
    extra = [m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?%", text[4900:5100])]
    assert extra == ["35%"]  # the (二) sentence on Shenzhen's share is checked too
    assert any(v.stated == "35%左右" for v in report.verdicts)


def _line(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:text.find("\n", pos)]


# --- CLI ---------------------------------------------------------------------------------------

def test_cli_json(cli_json: Callable[..., Any]) -> None:
    data = cli_json("claims", "check", str(ARTICLE))
    assert data["summary"]["total"] == len(data["claims"]) == 91
    assert data["summary"]["contradicted"] == 4 and data["document_year"] == 2022
    first = data["claims"][0]
    assert set(first) >= {"text", "span", "kind", "stated", "computed", "verdict", "explanation"}
    assert all(s["why"] for s in data["skipped"])


def test_cli_reads_stdin(cli: Callable[..., Any]) -> None:
    text = "2022年上半年，宁波市出口规模总体占浙江省出口总量的四成左右。"
    result = cli("claims", "check", "-", "--json", input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["file"] == "标准输入" and data["claims"][0]["verdict"] == "contradicted"


def test_cli_year_for_relative_periods(cli: Callable[..., Any]) -> None:
    text = "今年上半年，宁波市出口规模总体占浙江省出口总量的四成左右。"
    undated = json.loads(cli("claims", "check", "-", "--json", input=text).stdout)
    assert undated["claims"][0]["verdict"] == "unverifiable"
    assert "--year" in undated["claims"][0]["explanation"]
    dated = json.loads(cli("claims", "check", "-", "--year", "2022", "--json", input=text).stdout)
    assert dated["claims"][0]["verdict"] == "contradicted" and dated["document_year"] == 2022


def test_whole_year_reads_the_january_to_december_cumulative(
        zs: zonescope.ZoneScope, write_file: Callable[..., Path]) -> None:
    path = write_file("sz.csv", "地区,期间,口径,流向,监管方式,值（亿元）,来源\n"
                                "深圳,2030-12,ytd,total,all,45048.24,我的调查\n")
    zs.import_file(path, kind="trade")
    v = _check(zs, "2030年，深圳市进出口4.5万亿元。")[0]
    assert v.verdict == "supported" and v.computed == pytest.approx(45048.24, abs=0.01)
    assert "1–12 月累计" in v.explanation


def test_cli_table_and_summary(cli: Callable[..., Any], write_file: Callable[..., Path]) -> None:
    path = write_file("gbk.txt", "2022年上半年，河南省进出口总值为3958.28亿元。", encoding="gbk")
    result = cli("claims", "check", str(path))
    assert result.exit_code == 0, result.output
    assert "相符" in result.output and "共 1 条论断：相符 1，不符 0，无法核对 0" in result.output
    english = cli("claims", "check", str(path), "--lang", "en")
    assert "1 claims: 1 supported, 0 contradicted, 0 unverifiable" in english.output


def test_cli_bad_files(cli: Callable[..., Any], write_file: Callable[..., Path],
                       tmp_path: Path) -> None:
    missing = cli("claims", "check", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "找不到文件" in missing.output
    binary = cli("claims", "check", str(write_file("bin.txt", b"\x00\x01\xff\xfe")))
    assert binary.exit_code == 2 and "无法读取" in binary.output
    empty = cli("claims", "check", str(write_file("empty.txt", "没有数字的句子。")))
    assert empty.exit_code == 0 and "没有找到可核对的数字论断" in empty.output

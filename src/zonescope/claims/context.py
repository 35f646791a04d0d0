"""What a sentence is about: the regions it names, the periods it states, the flows.

Regions come from the registry (names, short names and curated aliases, longest match
first). One-character abbreviations (粤, 甬, 鹏) are read only in runs of two or more —
粤苏浙, 鹏甬, 鹏、甬 — because alone they are ordinary words (新, 深, 青). Lists joined
by 、/和 become one group, and a count after a group (粤苏浙三省, 鹏甬两城) is absorbed
into it; 三地 later in the text refers back to the last group of three.

Periods are `Period(year, month, span)` as the store keeps them: 2022 年上半年 → 2022-06
ytd, 1-5 月 → 05 ytd, 一季度 → 03 ytd, 2021 全年 / 去年 → 2021-12 year, 3 月份 → 03
month. Relative years count from the document's year. A stated period the store cannot
hold (下半年, 3-5 月) is kept as a mention with no period, so the claim is unverifiable
instead of silently moved to a neighbouring period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from zonescope.claims.numbers import cn_number
from zonescope.claims.vocab import Vocab
from zonescope.regions import Region, registry
from zonescope.regions.registry import LEVELS, NATION_ID

_SEPARATORS = ("、", "和", "及", "与", "以及")
_QUOTES = "“”\"「」『』"


@dataclass(frozen=True)
class Mention:
    """Regions named at [start, end) of a sentence; a group when several."""

    start: int
    end: int
    regions: tuple[Region, ...]
    kind: str = "name"             # name | run | list | anaphor | scope
    scope: str | None = None       # for 全省 / 全市: the level it stands for
    count: int | None = None       # a count written after the group (三省 → 3)
    obj: bool = False              # the object of a comparison, share or rank

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.regions)


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    span: str  # month | ytd | year

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def show(self, lang: str = "zh") -> str:
        names = {"zh": {"month": "当月", "ytd": "累计", "year": "全年"},
                 "en": {"month": "month", "ytd": "ytd", "year": "year"}}
        return f"{self.key} {names[lang][self.span]}"


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    text: str
    period: Period | None  # None: a period the store cannot hold (下半年, 3-5月)
    needs_year: bool = False  # 今年 / 去年 in a text that states no year to count from


# --- regions -------------------------------------------------------------------------------

@cache
def _names(nation_words: tuple[str, ...]) -> tuple[dict[str, Region], dict[str, Region]]:
    """Multi-character names and one-character abbreviations → region (ambiguous ones left out).

    Counties and zones are matched only by their full name: their short names (东方, 和平,
    城关) are too often ordinary words.
    """
    multi: dict[str, list[Region]] = {}
    single: dict[str, list[Region]] = {}
    reg = registry()
    for region in reg:
        if region.level in ("nation", "province", "prefecture"):
            keys = {region.name_zh, region.short_zh, *region.aliases}
        else:
            keys = {region.name_zh}
        for key in keys:
            if not any("\u4e00" <= c <= "\u9fff" for c in key):
                continue
            bucket = (single if len(key) == 1 else multi).setdefault(key, [])
            if region not in bucket:
                bucket.append(region)
    nation = reg.get(NATION_ID)
    if nation is not None:
        for word in nation_words:
            multi[word] = [nation]
    return _unique(multi), _unique(single)


def _unique(index: dict[str, list[Region]]) -> dict[str, Region]:
    """A key shared by several regions keeps the single highest-level one, else is dropped."""
    out: dict[str, Region] = {}
    for key, regions in index.items():
        top = min(LEVELS.index(r.level) for r in regions)
        highest = [r for r in regions if LEVELS.index(r.level) == top]
        if len(highest) == 1:
            out[key] = highest[0]
    return out


def find_mentions(text: str, v: Vocab, groups: list[Mention]) -> list[Mention]:
    """Region mentions in one sentence; `groups` (earlier groups) resolves 三地-style anaphors."""
    multi, single = _names(v.nation_words)
    longest = max(map(len, multi))
    masked = _masked(text, v.not_regions)
    raw: list[Mention] = []
    i = 0
    while i < len(text):
        if masked[i]:
            i += 1
            continue
        hit = next((text[i:i + n] for n in range(min(longest, len(text) - i), 1, -1)
                    if text[i:i + n] in multi), None)
        if hit:
            raw.append(Mention(i, i + len(hit), (multi[hit],)))
            i += len(hit)
            continue
        run, j = [], i
        while j < len(text) and text[j] in single and not masked[j]:
            run.append(single[text[j]])
            j += 1
            if j < len(text) - 1 and text[j] == "、" and text[j + 1] in single:
                j += 1
        if len(run) >= 2:
            raw.append(Mention(i, j, tuple(dict.fromkeys(run)), "run"))
            i = j
            continue
        i += 1
    merged = _merge(text, _nest(raw))
    merged = _anaphors(text, v, merged, groups)
    merged += _scopes(text, v)
    merged.sort(key=lambda m: m.start)
    return [_mark_object(text, v, m) for m in merged]


def _masked(text: str, words: tuple[str, ...]) -> list[bool]:
    masked = [False] * len(text)
    for word in words:
        for m in re.finditer(re.escape(word), text):
            for k in range(m.start(), m.end()):
                masked[k] = True
    return masked


def _nest(raw: list[Mention]) -> list[Mention]:
    """`广东省深圳市` and doubled `深圳市深圳市` are one mention of the more specific place."""
    out: list[Mention] = []
    reg = registry()
    for m in raw:
        if out and out[-1].end == m.start and len(m.regions) == 1 and len(out[-1].regions) == 1:
            prev = out[-1]
            inside = prev.regions[0] in reg.ancestors(m.regions[0])
            if inside or prev.regions == m.regions:
                out[-1] = Mention(prev.start, m.end, m.regions, m.kind)
                continue
        out.append(m)
    return out


def _merge(text: str, mentions: list[Mention]) -> list[Mention]:
    """Join lists (A、B 和 C) into one group, and absorb a count after a group (6 省市)."""
    out: list[Mention] = []
    for m in mentions:
        if out and text[out[-1].end:m.start] in _SEPARATORS:
            prev = out[-1]
            regions = tuple(dict.fromkeys(prev.regions + m.regions))
            out[-1] = Mention(prev.start, m.end, regions, "list")
        else:
            out.append(m)
    counted = []
    for m in out:
        tail = re.match(r"(\d+|[两二三四五六七八九十]+)个?(省市区|省市|省区|省份|省|市|地|城)",
                        text[m.end:])
        if tail and len(m.regions) > 1:
            m = Mention(m.start, m.end + tail.end(), m.regions, m.kind, count=_int(tail[1]))
        counted.append(m)
    return counted


def _anaphors(text: str, v: Vocab, mentions: list[Mention],
              groups: list[Mention]) -> list[Mention]:
    nouns = "".join(v.group_nouns)
    out = list(mentions)
    for m in re.finditer(rf"([两二三四五六七八九十])([{nouns}])(?![市区份会长委级])", text):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        size = _int(m.group(1))
        earlier = [g for g in groups + [x for x in out if x.start < m.start()]
                   if len(g.regions) == size]
        if earlier:
            out.append(Mention(m.start(), m.end(), earlier[-1].regions, "anaphor"))
    return out


def _scopes(text: str, v: Vocab) -> list[Mention]:
    return [Mention(m.start(), m.end(), (), "scope", scope=level)
            for word, level in v.scope_words.items() for m in re.finditer(word, text)]


def _mark_object(text: str, v: Vocab, m: Mention) -> Mention:
    """An object follows a marker (仅次于广东省, 超越江苏省, 占全国) or its clause opens with 与."""
    clause_start = max(text.rfind(c, 0, m.start) for c in "，,：:；;") + 1
    before = re.sub(r"(排名)?第\d+的|的$", "", text[clause_start:m.start])
    markers = tuple(sorted(v.object_markers, key=len, reverse=True))
    opens = re.match(r"(与|同|跟|较|比)", text[clause_start:])
    if before.endswith(markers) or (opens and m.start > clause_start):
        return Mention(m.start, m.end, m.regions, m.kind, m.scope, m.count, obj=True)
    return m


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_number(text, _vocab())


def _vocab() -> Vocab:
    from zonescope.claims.vocab import vocab

    return vocab()


# --- periods -------------------------------------------------------------------------------

_SUFFIX = (r"(?P<suf>上半年|下半年|半年报|全年|年底|年末|前三季度|第?[一二三四]季度|第[1-4]季度"
           r"|(?P<from>\d{1,2})[-–—~至到](?P<to>\d{1,2})月份?|(?P<mon>\d{1,2})月份?)")


def find_periods(text: str, v: Vocab, anchor: int | None,
                 current: int | None) -> tuple[list[PeriodMention], list[tuple[int, int]]]:
    """Period mentions, and spans that are not periods (去年同期, 2021-2022, 2021 年以来).

    `anchor` is the document's year (for 今年/去年); `current` the year of the period in
    force (for a bare 上半年 or 1-5 月), falling back to the anchor.
    """
    masked: list[tuple[int, int]] = []
    for word in sorted(v.comparison_bases, key=len, reverse=True):
        masked += [(m.start(), m.end()) for m in re.finditer(word, text)
                   if not any(a <= m.start() < b for a, b in masked)]
    not_after = "|".join(map(re.escape, v.year_not_period))
    ranges = (rf"\d{{4}}[-–—~至到]\d{{4}}年?(?:上半年|下半年|全年)?"
              rf"|(?:\d{{4}}年?|今年|去年)(?:{not_after})")
    masked += [(m.start(), m.end()) for m in re.finditer(ranges, text)]
    rel = "|".join(sorted(v.relative_years, key=len, reverse=True))
    pattern = re.compile(rf"(?:(?P<y>(?:19|20)\d{{2}})年?|(?P<rel>{rel}))?[{_QUOTES}]?{_SUFFIX}"
                         rf"|(?P<yo>(?:19|20)\d{{2}})年(?![\d{_QUOTES}])|(?P<ro>{rel})")
    found: list[PeriodMention] = []
    for m in pattern.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in masked):
            continue
        if m.group("yo"):
            period: Period | None = Period(int(m.group("yo")), 12, "year")
        elif m.group("ro"):  # 去年 alone: that whole year
            period = Period(anchor + v.relative_years[m["ro"]], 12, "year") if anchor else None
        else:
            year: int | None
            if m.group("y"):
                year = int(m.group("y"))
            elif m.group("rel"):
                year = anchor + v.relative_years[m.group("rel")] if anchor else None
            else:
                year = current or anchor
            period = _suffix(m, year) if year else None
        if period is not None:
            current = period.year  # a bare 上半年 later in the sentence is in this year
        relative = bool(m.group("rel") or m.group("ro"))
        found.append(PeriodMention(m.start(), m.end(), m.group(0), period,
                                   needs_year=relative and anchor is None))
    return found, masked


def _suffix(m: re.Match[str], year: int) -> Period | None:
    suf = m.group("suf")
    if suf in ("上半年", "半年报"):
        return Period(year, 6, "ytd")
    if suf in ("全年", "年底", "年末"):
        return Period(year, 12, "year")
    if suf == "前三季度":
        return Period(year, 9, "ytd")
    if suf.endswith("季度"):
        return Period(year, 3, "ytd") if suf[-3] in "一1" else None
    if m.group("to"):
        start, end = int(m.group("from")), int(m.group("to"))
        return Period(year, end, "ytd") if start == 1 and 1 < end <= 12 else None
    if m.group("mon") and 1 <= int(m.group("mon")) <= 12:
        return Period(year, int(m.group("mon")), "month")
    return None


def document_year(text: str) -> int | None:
    """The latest year written with a period (2022 年上半年, 2022 半年报), else any year."""
    with_period = [int(y) for y in re.findall(
        rf"((?:19|20)\d{{2}})年?[{_QUOTES}]?(?:上半年|下半年|半年报|全年|\d{{1,2}}[-–—~至到]?\d{{0,2}}月|"
        r"[一二三四]季度)", text)]
    if with_period:
        return max(with_period)
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", text)]
    return max(years) if years else None


# --- flows ---------------------------------------------------------------------------------

def find_flows(text: str, v: Vocab) -> list[tuple[int, int, str]]:
    """(start, end, flow) for 进出口 / 出口 / 进口, longest first so 进出口 is not 出口."""
    out: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for word in sorted(v.flows, key=len, reverse=True):
        for m in re.finditer(word, text):
            if not any(taken[m.start():m.end()]):
                out.append((m.start(), m.end(), v.flows[word]))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    return sorted(out)

"""Rank and count statements, which are phrases rather than single figures.

Rank: 排名第 10 的天津市, 居全国第 3 位, 第二出口大省, 首位 / 榜首 / 领跑, 三甲, TOP10 (and
未能挤入 TOP10; TOP10 … 均在 4000 亿元以上). Count: 除 A、B…6 省市外，其余 25 省市…正增长;
万亿规模以上的共有粤苏浙沪京鲁 6 省市. Each becomes a `Claim` with a `RankSpec` or
`CountSpec`; the spans they use are returned so that their figures are not read again
as plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from zonescope.claims.context import Mention
from zonescope.claims.model import Claim, CountSpec, RankSpec, Skipped
from zonescope.claims.numbers import MONEY, Quantity, cn_number
from zonescope.claims.view import SentenceView
from zonescope.regions import Region

Span = tuple[int, int]
_NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, words))


@dataclass
class _Trigger:
    """A rank phrase at [start, end) and what it states."""

    start: int
    end: int
    position: int | None = None
    top: int | None = None
    negated: bool = False
    threshold: Quantity | None = None
    lead: bool = False                 # 领跑: the first, or the top N when a group leads
    subject: Mention | None = None     # named by the phrase itself (排名第 10 的天津市)
    needs_subject: bool = True
    flow: str | None = None            # 第二出口大省


def rank_count(view: SentenceView) -> tuple[list[Claim], list[Skipped], list[Span]]:
    """Rank and count claims of a sentence, skipped rank words, and the spans consumed."""
    claims: list[Claim] = []
    skipped: list[Skipped] = []
    used: list[Span] = []
    _counts(view, claims, used)
    for trigger in _rank_triggers(view, used):
        trade, word = view.measure_at(trigger.start)
        used.append((trigger.start, trigger.end))
        if not view.is_trade_sentence() or not trade:
            reason = "claims.skip.non_trade" if word else "claims.skip.no_flow"
            skipped.append(Skipped(view.span(trigger.start, trigger.end),
                                   view.text[trigger.start:trigger.end], reason,
                                   {"word": word or ""}))
            continue
        claims += _rank_claims(view, trigger)
    return claims, skipped, used


def _counts(view: SentenceView, claims: list[Claim], used: list[Span]) -> None:
    """除 LIST N 省市外，其余 M 省市…正增长 (two claims); X 以上的共有 LIST N 省市 (one)."""
    text, v = view.text, view.v
    nouns = _alternatives(v.words("count_nouns"))
    for m in re.finditer(rf"除(.+?)外，?其余{_NUM}个?(?:{nouns})", text):
        listed = next((x for x in view.mentions if m.start() < x.start and x.end <= m.end(1)
                       and len(x.regions) > 1), None)
        rest = text[m.end():]
        positive = view.has(v.words("positive"), m.end(), len(text))
        negative = view.has(v.words("negative"), m.end(), len(text))
        if listed is None or not (positive or negative):
            continue
        first = positive and (not negative or rest.find(positive) < rest.find(negative))
        op = ">" if first else "<"
        word = (positive if op == ">" else negative) or ""
        cond_end = m.end() + rest.find(word) + len(word)
        n_listed = listed.count or len(listed.regions)
        claims.append(view.claim("count", m.start(), m.end(1) + 1,
                            _plain(n_listed, text[listed.start:listed.end]),
                            text[listed.start:listed.end], anchor=m.start(),
                            count=CountSpec("growth", "<=" if op == ">" else ">=", 0.0,
                                            listed.regions, "members")))
        rest_n = _int(m.group(2), view)
        claims.append(view.claim("count", m.start() + text[m.start():].find("其余"), cond_end,
                            _plain(rest_n, m.group(0)), text[m.end(1) + 1:m.end()].lstrip("，"),
                            anchor=m.start(),
                            count=CountSpec("growth", op, 0.0, listed.regions, "excluded")))
        used.append((m.start(), cond_end))
    pattern = re.compile(r"(?:(?P<mag>万亿|千亿|百亿)|(?P<num>\d+(?:\.\d+)?)(?P<mult>万亿|亿)元?)"
                         r"(?:规模)?(?P<cmp>及以上|以上)的?(?:共有|共计|共|有)?$")
    for mention in view.mentions:
        if len(mention.regions) < 2 or mention.count is None:
            continue
        start, _ = view.clause(mention.start)
        found = pattern.search(text, start, mention.start)
        if not found or any(a <= mention.start < b for a, b in used):
            continue
        threshold = (v.magnitudes[found["mag"]] if found["mag"] else
                     float(found["num"]) * v.multipliers[found["mult"]] / 1e8)
        claims.append(view.claim("count", found.start(), mention.end,
                            _plain(mention.count, text[mention.start:mention.end]),
                            text[mention.start:mention.end], anchor=found.start(),
                            count=CountSpec("value", ">=", threshold, mention.regions,
                                            "members")))
        used.append((found.start(), mention.end))


def _rank_triggers(view: SentenceView, used: list[Span]) -> list[_Trigger]:
    """Every rank phrase of the sentence, earliest first; overlapping phrases count once."""
    text, v = view.text, view.v
    found: list[_Trigger] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in used) and \
            not any(p.start < b and a < p.end for p in view.periods) and \
            not any(f.start < b and a < f.end for f in found)

    suffix = _alternatives(v.words("rank_suffix"))
    for m in re.finditer(rf"排名第{_NUM}(?:{suffix})?的", text):
        subject = next((x for x in view.mentions if x.start == m.end()), None)
        if subject is not None and free(m.start(), subject.end):
            found.append(_Trigger(m.start(), subject.end, position=_int(m[1], view),
                                  subject=subject))
    prefixes = _alternatives(v.words("rank_top_prefix"))
    for m in re.finditer(rf"({prefixes}){_NUM}(?:名(?!单)|位|强)?", text):
        if not free(m.start(), m.end()) or (m[1] == "前" and not m[2].isdigit()
                                             and not text.startswith(("名", "位"), m.end())):
            continue
        before = text[max(0, m.start() - 6):m.start()]
        negation = next((w for w in v.words("rank_negation") if w in before), None)
        start = m.start() - len(before) + before.find(negation) if negation else m.start()
        trigger = _Trigger(start, m.end(), top=_int(m[2], view), negated=negation is not None)
        tail = re.match(r"[^，。；;]*?均(?:在|超过|超|高于|不低于)?", text[m.end():])
        if tail and negation is None:
            fig = next((f for f in view.figures if f.start == m.end() + tail.end()
                        and f.quantity.unit == MONEY), None)
            if fig is not None:  # TOP10 … 均在 4000 亿元以上: about the ranking, not a region
                trigger.end, trigger.threshold, trigger.needs_subject = fig.end, fig.quantity, False
        found.append(trigger)
    for word, n in v.triggers["rank_top_words"].items():
        found += [_Trigger(m.start(), m.end(), top=int(n))
                  for m in re.finditer(re.escape(word), text) if free(m.start(), m.end())]
    skip = tuple(v.triggers["ordinal_not_rank"])
    nouns = _alternatives(v.words("rank_noun"))
    for m in re.finditer(rf"第{_NUM}({suffix})?", text):
        after = text[m.end():]
        noun = re.match(rf"(进出口|出口|进口)?({nouns})", after)
        closes = bool(m[2]) or bool(noun) or re.match(r"\d*($|[，。；、,;）)和])", after)
        if after.startswith(skip) or not closes or not free(m.start(), m.end()):
            continue
        found.append(_Trigger(m.start(), m.end() + (noun.end() if noun else 0),
                              position=_int(m[1], view),
                              flow=v.flows.get(noun[1]) if noun and noun[1] else None))
    for word in v.words("rank_first"):
        found += [_Trigger(m.start(), m.end(), position=1, lead=word == "领跑")
                  for m in re.finditer(re.escape(word), text) if free(m.start(), m.end())]
    return sorted(found, key=lambda f: f.start)


def _rank_claims(view: SentenceView, t: _Trigger) -> list[Claim]:
    """One claim per flow the phrase is about (进出口和进口增速居…首位 → two)."""
    text, v = view.text, view.v
    clause_start, clause_end = view.clause(t.start)
    by = "growth" if view.has(v.words("rank_by_growth"), clause_start, t.start) else "value"
    shown = text[t.start:t.end]
    flows: list[str | None] = [t.flow] if t.flow else [*view.flow_list(clause_start, t.start)]
    flows = flows or [view.flow_at(t.start)]
    marker = view.last_before(v.words("list_marker"), clause_start, t.start)
    if marker is not None and len(flows) > 1:  # 进出口、出口和进口…分别居第3位、第2位和第6位
        ordinals = [m.start() for m in re.finditer(rf"第{_NUM}", text[marker[0]:clause_end])]
        index = t.start - marker[0]
        if len(ordinals) == len(flows) and index in ordinals:
            flows = [flows[ordinals.index(index)]]
    spec = RankSpec(position=t.position, top=t.top, negated=t.negated, threshold=t.threshold,
                    scope=_scope(view, clause_start, clause_end))
    stated = _plain(t.position or t.top, shown)
    return [view.claim("rank", t.start, t.end, stated, shown, anchor=t.start, flow=f, by=by,
                       issue=_scope_issue(view, t.start), rank=spec, lead=t.lead,
                       subject=t.subject, subject_at=t.start if t.needs_subject else None)
            for f in flows]


def _scope_issue(view: SentenceView, end: int) -> tuple[str, dict[str, Any]] | None:
    """A comparison group nobody defined (东部沿海主要外贸省市, 大中城市) before the rank word."""
    hits = [(view.text.find(w, 0, end), w) for w in view.v.undefined_groups]
    hits = [(k, w) for k, w in hits if k >= 0]
    if not hits:
        return None
    start = min(k for k, _ in hits)
    stop = min([end] + [i for i in range(start, end) if view.text[i] in "，,；;。"])
    phrase = re.sub(r"的$", "", re.sub(r"(首位|榜首|之首|第\S*)$", "", view.text[start:stop]))
    return "claims.issue.undefined_group", {"group": phrase or max(hits)[1]}


def _scope(view: SentenceView, start: int, end: int) -> Region | None:
    """全国 named as the scope in the rank word's clause (居全国第 3 位, 领跑全国)."""
    named = [m for m in view.mentions if start <= m.start < end and m.obj]
    for m in reversed(named):
        if m.kind == "scope":
            return None
        if len(m.regions) == 1 and m.regions[0].level == "nation":
            return m.regions[0]
    return None


def _plain(value: object, text: str) -> Quantity:
    number = float(value) if isinstance(value, int | float) else 0.0
    return Quantity(number, "", text, 0.0, 1.0)


def _int(text: str, view: SentenceView) -> int | None:
    return int(text) if text.isdigit() else cn_number(text, view.v)

"""Finding the testable numeric claims in Chinese prose.

The pipeline: `text.split` (prose sentences with input offsets) → for each sentence a
`SentenceView` (regions, periods, flows, figures; `context`, `numbers`) → rank and count
phrases (`patterns`) → every remaining figure classified by the trigger words around it:
value (X 亿元), growth (同比增长 g% / 增速 / 下降), share (占 … % / 成 / 分之), sum
(合计 … 亿元), difference (差距 / 相差 / 超越 … 亿元). Lists after 分别 are paired with
the regions, flows or periods listed before it (or, after 逐月累计, with the months
ending at the period in force). A figure that is not a trade claim is kept as
`Skipped` with the reason — nothing disappears without a trace.

>>> found = extract("2022年上半年，河南省进出口总值为3958.28亿元。")
>>> [(c.kind, c.subjects[0].name_zh, c.period.key, c.flow, c.stated.value)
...  for c in found.claims]
[('value', '河南省', '2022-06', 'total', 3958.28)]
"""

from __future__ import annotations

from typing import Any

from zonescope.claims.context import Mention, Period, document_year
from zonescope.claims.model import Claim, Extraction, Skipped
from zonescope.claims.numbers import MONEY, PERCENT, PLAIN
from zonescope.claims.patterns import rank_count
from zonescope.claims.text import split
from zonescope.claims.view import Figure, SentenceView, State
from zonescope.claims.vocab import Vocab, vocab
from zonescope.regions import Region, registry


def extract(text: str, v: Vocab | None = None, year: int | None = None) -> Extraction:
    """Claims and skipped figures of `text`; `year` overrides the document's year (今年)."""
    v = v or vocab()
    doc = split(text, v)
    state = State(year or document_year("".join(s.text for s in doc.sentences)))
    claims: list[Claim] = []
    skipped: list[Skipped] = []
    for sentence in doc.sentences:
        view = SentenceView(sentence, v, state)
        if sentence.heading:
            state.subject, state.flow = None, None
            state.groups += [m for m in view.mentions if len(m.regions) > 1]
            continue
        found, aside, used = rank_count(view)
        for figure in view.figures:
            if any(a <= figure.start < b for a, b in used):
                continue
            claim, skip = _figure(view, figure)
            found += [claim] if claim else []
            skipped += [skip] if skip else []
        claims += sorted(found, key=lambda c: c.span)
        skipped += aside
        _carry(view, state, found, aside)
        state.flow = next((c.flow for c in reversed(found) if c.flow), None)
    return Extraction(tuple(claims), tuple(skipped), state.year, doc.skipped_lines)


def _carry(view: SentenceView, state: State, found: list[Claim], aside: list[Skipped]) -> None:
    """Move the period and subject in force, but only from sentences about trade."""
    state.groups += [m for m in view.mentions if len(m.regions) > 1]
    non_trade = any(s.reason == "claims.skip.non_trade" for s in aside) or any(
        f.quantity.unit in view.v.count_units for f in view.figures)
    if not found and (non_trade or not view.is_trade_sentence()):
        return
    stated = [p.period for p in view.periods if p.period is not None]
    if stated:
        state.period = stated[-1]
    if view.used:
        state.subject = view.used[-1]
    elif found or view.is_trade_sentence():
        named = [m for m in view.mentions if not m.obj and m.kind != "scope"]
        state.subject = named[-1] if named else state.subject


def _figure(view: SentenceView, figure: Figure) -> tuple[Claim | None, Skipped | None]:
    """The claim a figure makes, or why it makes none."""
    q, v, text = figure.quantity, view.v, view.text

    def skip(reason: str, **params: Any) -> tuple[None, Skipped]:
        return None, Skipped(view.span(figure.start, figure.end), q.text, reason, params)

    if q.unit in v.count_units:
        return skip("claims.skip.counted", unit=q.unit)
    if q.unit in v.other_units:
        return skip("claims.skip.not_amount", unit=q.unit)
    if q.unit in (PLAIN, "pp"):
        return skip("claims.skip.no_unit")
    if not view.is_trade_sentence():
        return skip("claims.skip.no_flow")
    trade, word = view.measure_at(figure.start)
    if not trade:
        return skip("claims.skip.non_trade", word=word or "")
    clause_start, clause_end = view.clause(figure.start)
    kind = _kind(view, figure, clause_start, clause_end)
    if kind is None:
        return skip("claims.skip.no_trigger")
    issue = None
    if q.unit not in (MONEY, PERCENT):
        issue = ("claims.issue.currency", {"currency": q.unit})
    kw: dict[str, Any] = {"anchor": figure.start, "issue": issue}
    decline = view.last_before(v.words("decline"), clause_start, figure.start)
    if kind == "growth" and decline and q.value > 0:
        # 下降 5.2% is a growth rate of −5.2; the statement keeps its wording
        shown = text[decline[0]:figure.end] if decline[0] + len(decline[1]) + 2 >= \
            figure.start else f"{decline[1]} {q.text}"
        q = type(q)(-q.value, q.unit, shown, q.half_unit, q.step, q.qualifier, q.fuzzy,
                    q.fuzzy_pp, q.relative)
    if kind == "share":
        kw.update(_share(view, figure, clause_start))
    elif kind == "difference":
        kw.update(_difference(view, figure, clause_start, clause_end))
    else:
        kw["subject_at"] = figure.start
    kw.update(_pairing(view, figure, clause_start, kw))
    return view.claim(kind, clause_start, figure.end, q, q.text, **kw), None


def _kind(view: SentenceView, figure: Figure, start: int, end: int) -> str | None:
    v, q = view.v, figure.quantity
    if q.unit != PERCENT:  # 亿元, or a foreign currency (unverifiable later)
        if view.has(v.words("difference"), start, end):
            return "difference"
        if view.last_before(v.words("sum"), start, figure.start):
            return "sum"
        return "value"
    share = view.last_before(v.words("share"), start, figure.start)
    growth = view.last_before(v.words("growth"), start, figure.start)
    after = view.text[figure.end:figure.end + 6]
    if share and (not growth or share[0] > growth[0]):
        return "share"
    if growth:
        return "growth"
    if after.startswith(v.words("share_after")) or q.fuzzy:
        return "share"
    return None


def _share(view: SentenceView, figure: Figure, clause_start: int) -> dict[str, Any]:
    """Numerator: the subject before 占 (or before the figure); whole: the region after 占."""
    found = (view.last_before(("占据", "占"), clause_start, figure.start)
             or view.last_before(view.v.words("share"), clause_start, figure.start))
    pivot = found[0] if found else figure.start
    whole = view.object_after(pivot) if found else view.object_before(figure.start)
    subject, _ = view.subject_at(pivot)
    others: tuple[Region, ...] = ()
    if whole is not None and whole.kind == "scope" and subject is not None:
        parent = _ancestor(subject.regions[0], whole.scope or "province")
        others = (parent,) if parent else ()
    elif whole is not None:
        others = whole.regions
    return {"subject": subject, "others": others}


def _difference(view: SentenceView, figure: Figure, clause_start: int,
                clause_end: int) -> dict[str, Any]:
    """The two sides: regions named up to the end of the clause (subject first)."""
    named = [m for m in view.mentions if m.start < clause_end and len(m.regions) == 1]
    sides: list[Mention] = []
    for m in reversed(named):
        if all(m.regions != s.regions for s in sides):
            sides.insert(0, m)
        if len(sides) == 2:
            break
    directed = bool(view.last_before(view.v.words("difference_directed"), clause_start,
                                     clause_end))
    if len(sides) < 2:
        return {"subject_at": figure.start,
                "issue": ("claims.issue.no_other_side", {})}
    first, second = sides
    if first.obj and not second.obj:
        first, second = second, first
    view.used.append(first)
    return {"subjects": first.regions, "others": second.regions, "directed": directed}


def _pairing(view: SentenceView, figure: Figure, clause_start: int,
             kw: dict[str, Any]) -> dict[str, Any]:
    """After 分别: pair the i-th figure with the i-th region, flow, period or month."""
    v, text = view.v, view.text
    marker = view.last_before(v.words("list_marker"), clause_start, figure.start)
    if marker is None:
        return {}
    items = [f for f in view.figures if clause_start <= f.start and f.start > marker[0]
             and f.start < view.clause(figure.start)[1]
             and (f.quantity.unit == PERCENT) == (figure.quantity.unit == PERCENT)]
    i, n = items.index(figure), len(items)
    subject, _ = view.subject_at(marker[0])
    if subject is not None and len(subject.regions) == n:
        view.used.append(subject)
        return {"subject": None, "subject_at": None, "subjects": (subject.regions[i],)}
    flows = view.flow_list(0, marker[0])
    if len(flows) == n and n > 1:
        return {"flow": flows[i]}
    periods = view.period_list(marker[0])
    if len(periods) == n and n > 1:
        return {"period": periods[i].period, "period_note": "listed",
                "issue": kw.get("issue") or (None if periods[i].period else (
                    "claims.issue.period_unsupported", {"text": periods[i].text}))}
    if view.has(v.words("series_marker"), 0, marker[0]):
        mention, _note = view.period_at(marker[0])
        end = mention.period if mention else None
        if end is not None and end.span == "ytd" and n in (end.month, end.month - 1):
            month = end.month - n + 1  # n = m − 1: Jan–Feb came as one figure
            return {"period": Period(end.year, month + i, "ytd"), "period_note": "series"}
    return {"issue": ("claims.issue.pairing", {"values": n, "text": text[clause_start:marker[0]]})}


def _ancestor(region: Region, level: str) -> Region | None:
    reg = registry()
    return next((a for a in reg.ancestors(region) if a.level == level), None)

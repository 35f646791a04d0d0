"""One sentence seen by the extractor: its mentions, periods, flows and figures, and the
rules for who a figure is about, when, and of which flow.

Subject: the last region named before the figure in its clause that is not an object
(仅次于广东省, 超越江苏省, 与…天津市, 占全国); failing that, in an earlier clause of the
sentence; failing that, the subject carried over from the previous trade sentence.
Period: the latest period stated before the figure in the sentence, else one stated
after it, else the period carried over. Only sentences about trade move what is carried
over — a date in a sentence about enterprise counts does not re-date the next trade
figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from zonescope.claims.context import (
    Mention,
    Period,
    PeriodMention,
    find_flows,
    find_mentions,
    find_periods,
)
from zonescope.claims.model import Claim, CountSpec, RankSpec
from zonescope.claims.numbers import Quantity, find_quantities
from zonescope.claims.text import Sentence
from zonescope.claims.vocab import Vocab
from zonescope.regions import Region


@dataclass
class State:
    """What carries from one sentence to the next."""

    year: int | None
    period: Period | None = None
    subject: Mention | None = None
    groups: list[Mention] = field(default_factory=list)
    flow: str | None = None  # the flow of the previous sentence, when it made trade claims


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    quantity: Quantity


class SentenceView:
    def __init__(self, sentence: Sentence, v: Vocab, state: State) -> None:
        self.s, self.v, self.state = sentence, v, state
        self.used: list[Mention] = []  # subjects the claims of this sentence are about
        text = sentence.text
        self.text = text
        self.mentions = find_mentions(text, v, state.groups)
        current = state.period.year if state.period else None
        self.periods, masked = find_periods(text, v, state.year, current)
        self.flows = find_flows(text, v)
        blocked = [(p.start, p.end) for p in self.periods] + masked
        blocked += [(m.start, m.end) for m in self.mentions]
        blocked += [(m.start(), m.end()) for m in re.finditer(r"第\d+|TOP\d+|前\d+", text)]
        self.figures = [Figure(a, b, q) for a, b, q in find_quantities(text, v)
                        if not any(x <= a < y or x < b <= y for x, y in blocked)]

    # --- positions ---------------------------------------------------------------------

    def clause(self, pos: int) -> tuple[int, int]:
        return self.s.clause_at(pos)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.s.span(start, end)

    def has(self, words: tuple[str, ...], start: int, end: int) -> str | None:
        """The longest of `words` found in text[start:end], if any."""
        return next((w for w in sorted(words, key=len, reverse=True)
                     if w in self.text[start:end]), None)

    def last_before(self, words: tuple[str, ...], start: int, end: int) -> tuple[int, str] | None:
        """(position, word) of the occurrence of any of `words` ending last before `end`."""
        best: tuple[int, str] | None = None
        for word in words:
            k = self.text.rfind(word, start, end)
            if k >= 0 and (best is None or k + len(word) > best[0] + len(best[1])):
                best = (k, word)
        return best

    # --- who, when, what ---------------------------------------------------------------

    def subject_at(self, pos: int) -> tuple[Mention | None, bool]:
        """(subject, inherited?) for a figure or trigger at `pos`."""
        for start, end in reversed([c for c in self.s.clauses() if c[0] <= pos]):
            limit = min(end, pos)
            found = [m for m in self.mentions if start <= m.start < limit and not m.obj
                     and m.kind != "scope"]
            if found:
                return found[-1], False
        return self.state.subject, True

    def object_after(self, pos: int) -> Mention | None:
        """The first mention (or 全省 / 全市) after `pos` in its clause: a share's whole."""
        start, end = self.clause(pos)
        after = [m for m in self.mentions if pos <= m.start < end]
        return after[0] if after else None

    def object_before(self, pos: int) -> Mention | None:
        start, _ = self.clause(pos)
        before = [m for m in self.mentions if start <= m.start and m.end <= pos and m.obj]
        return before[-1] if before else None

    def period_at(self, pos: int) -> tuple[PeriodMention | None, str]:
        before = [p for p in self.periods if p.end <= pos]
        if before:
            return before[-1], "explicit"
        start, end = self.clause(pos)
        after = [p for p in self.periods if pos <= p.start < end]
        if after:
            return after[0], "explicit"
        if self.state.period is not None:
            return PeriodMention(-1, -1, "", self.state.period), "inherited"
        return None, "missing"

    def flow_at(self, pos: int) -> str | None:
        before = [f for f in self.flows if f[1] <= pos]
        if before:
            return before[-1][2]
        after = [f for f in self.flows if f[0] >= pos]
        return after[0][2] if after else self.state.flow

    def flow_list(self, start: int, end: int) -> list[str]:
        """Flows listed together (进出口、出口和进口; 进出口总额、出口总额) in text[start:end]."""
        found = [f for f in self.flows if start <= f[0] and f[1] <= end]
        best: list[tuple[int, int, str]] = []
        run: list[tuple[int, int, str]] = []
        for f in found:
            gap = self.text[run[-1][1]:f[0]] if run else ""
            if run and re.fullmatch(r"(总额|总值|规模|额|总量)?[、和及与]", gap):
                run.append(f)
            else:
                run = [f]
            best = run if len(run) >= len(best) else best
        return [f[2] for f in best]

    def period_list(self, end: int) -> list[PeriodMention]:
        """Periods listed together before `end` (1-4 月、1-5 月)."""
        found = [p for p in self.periods if p.end <= end]
        run: list[PeriodMention] = []
        for p in found:
            if run and self.text[run[-1].end:p.start] == "、":
                run.append(p)
            else:
                run = [p]
        return run

    def measure_at(self, pos: int) -> tuple[bool, str | None]:
        """(is trade?, the non-trade word) from the nearest measure word before `pos`.

        Measure words are the flows (trade), the non-trade measures (企业, 融资, GDP …), a
        flow right after a non-goods modifier (跨境电商出口), and figures in counted units
        (3300 家). With none before, the first one after in the clause decides.
        """
        marks: list[tuple[int, int, bool, str]] = []
        for a, b, _flow in self.flows:
            modifier = next((w for w in self.v.non_goods_modifiers
                             if self.text.endswith(w, 0, a)), None)
            marks.append((a, b, modifier is None, modifier or ""))
        for word in self.v.non_trade_measures:
            marks += [(m.start(), m.end(), False, word)
                      for m in re.finditer(re.escape(word), self.text)]
        marks += [(f.start, f.end, False, f.quantity.unit) for f in self.figures
                  if f.quantity.unit in self.v.count_units]
        before = [m for m in marks if m[1] <= pos]
        if before:
            mark = max(before, key=lambda m: (m[1], m[1] - m[0]))
            return mark[2], (None if mark[2] else mark[3])
        _, end = self.clause(pos)
        after = sorted(m for m in marks if pos <= m[0] < end)
        if after:
            return after[0][2], (None if after[0][2] else after[0][3])
        return self.is_trade_sentence(), None

    def is_trade_sentence(self) -> bool:
        """Names a flow, or follows a trade sentence and names no other measure (海南增速 56%)."""
        if self.flows:
            return True
        other = any(w in self.text for w in self.v.non_trade_measures) or any(
            f.quantity.unit in self.v.count_units for f in self.figures)
        return self.state.flow is not None and not other

    # --- building a claim ----------------------------------------------------------------

    def claim(self, kind: str, start: int, end: int, stated: Quantity, shown: str, *,
              anchor: int, subject: Mention | None = None, subject_at: int | None = None,
              subjects: tuple[Region, ...] = (), others: tuple[Region, ...] = (),
              flow: str | None = None, by: str = "value", rank: RankSpec | None = None,
              count: CountSpec | None = None, issue: tuple[str, dict[str, Any]] | None = None,
              lead: bool = False, period: Period | None = None, period_note: str | None = None,
              directed: bool = False) -> Claim:
        """A claim from the start of its clause to `end`, with who, when and which flow.

        What is not given is found by the rules above (subject, period, flow at `anchor`);
        what cannot be found becomes the claim's `issue`, so it is reported unverifiable.
        """
        clause_start, _ = self.clause(start)
        if subject is None and subject_at is not None:
            subject, _inherited = self.subject_at(subject_at)
        if subject is not None:
            self.used.append(subject)
            subjects = subjects or subject.regions
        if lead and rank is not None and len(subjects) > 1:
            rank = RankSpec(top=len(subjects), scope=rank.scope)  # 6 省区…领跑: the top six
        if period is None:
            mention, note = self.period_at(anchor)
            period_note = period_note or note
            if mention is None:
                issue = issue or ("claims.issue.no_period", {})
            elif mention.needs_year:
                issue = issue or ("claims.issue.no_year", {"text": mention.text})
            elif mention.period is None:
                issue = issue or ("claims.issue.period_unsupported", {"text": mention.text})
            else:
                period = mention.period
        needs_subject = kind != "count" and not (rank is not None and rank.threshold is not None)
        if needs_subject and not subjects:
            issue = issue or ("claims.issue.no_region", {})
        return Claim(kind, self.span(clause_start, end), self.text[clause_start:end], stated,
                     shown, subjects, others, period, period_note or "explicit",
                     flow or self.flow_at(anchor), by, rank, count, directed, issue)

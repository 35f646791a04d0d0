"""Recomputing each claim from the store and judging it.

For every claim the figure is recomputed through the trade analytics (`data.TradeData`):
value → the published row; growth → its published 同比 (derived growth only when none was
published, and said so); share → `get_share` (a group's shares of one whole added up);
sum → the values added; difference → the two values (the ranking's gap to the
rank above when they are neighbours); rank → `get_ranking`; count → `get_ranking` filtered
by the condition. The verdict is `supported` when the recomputed figure lies in the
interval the statement allows (`numbers.Quantity.accepted`), `contradicted` when it does
not, and `unverifiable` when the data needed is missing — never a guess. Each
explanation shows the operands, the arithmetic, the rule and the sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zonescope.claims.context import Period
from zonescope.claims.data import TradeData, siblings, source_of
from zonescope.claims.explain import Explainer
from zonescope.claims.model import Claim
from zonescope.claims.numbers import Interval
from zonescope.claims.ranks import judge_count, judge_rank
from zonescope.regions import Region, registry

VERDICTS = ("supported", "contradicted", "unverifiable")


@dataclass(frozen=True)
class Verdict:
    """One claim's judgement; `span` is (start, end) character offsets in the input."""

    text: str
    span: tuple[int, int]
    kind: str
    stated: str
    computed: float | None
    unit: str
    verdict: str
    explanation: str
    accepted: str | None = None
    regions: tuple[str, ...] = ()
    period: str | None = None
    period_span: str | None = None
    flow: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in docs/cli.md)."""
        return {"text": self.text, "span": list(self.span), "kind": self.kind,
                "stated": self.stated, "computed": self.computed, "unit": self.unit,
                "verdict": self.verdict, "explanation": self.explanation,
                "accepted": self.accepted, "regions": list(self.regions),
                "period": self.period, "period_span": self.period_span, "flow": self.flow}


def check_claims(data: TradeData, claims: tuple[Claim, ...], lang: str) -> list[Verdict]:
    """One verdict per claim, in order; every claim gets one."""
    return [Checker(data, claim, lang).verdict() for claim in claims]


class Checker:
    def __init__(self, data: TradeData, claim: Claim, lang: str) -> None:
        self.data, self.c, self.x = data, claim, Explainer(claim, lang)
        self.notes: list[str] = []  # said once, at the end of the explanation

    @property
    def period(self) -> Period:
        assert self.c.period is not None, "claims without a period carry an issue"
        return self.c.period

    @property
    def flow(self) -> str:
        return self.c.flow or "total"

    def verdict(self) -> Verdict:
        c = self.c
        if c.issue is not None:
            key, params = c.issue
            return self._make("unverifiable", None, self.x.issue(key, params))
        handler: Callable[[], Verdict] = getattr(self, f"_{c.kind}")
        return handler()

    def _make(self, verdict: str, computed: float | None, explanation: str,
              accepted: Interval | None = None, unit: str | None = None) -> Verdict:
        c = self.c
        return Verdict(c.text, c.span, c.kind, c.shown,
                       None if computed is None else round(computed, 4),
                       unit if unit is not None else c.stated.unit, verdict, explanation,
                       accepted.show() if accepted else None,
                       tuple(r.id for r in c.subjects + c.others),
                       c.period.key if c.period else None,
                       c.period.span if c.period else None, c.flow)

    def _judge(self, computed: float, formula: str, sources: list[str],
               note: str = "") -> Verdict:
        accepted = self.c.stated.accepted()
        ok = computed in accepted
        notes = "".join(dict.fromkeys(self.notes))
        text = self.x.numeric(formula, computed, accepted, ok, sources, note + notes)
        return self._make("supported" if ok else "contradicted", computed, text, accepted)

    def _missing(self, region: Region, what: str = "row") -> Verdict:
        return self._make("unverifiable", None, self.x.missing(region, what))

    def _rows(self, regions: tuple[Region, ...]) -> tuple[list[dict[str, Any]], Region | None]:
        rows: list[dict[str, Any]] = []
        for region in regions:
            row = self.data.row(region, self.period, self.flow)
            if row is None:
                return rows, region
            if row["span"] != self.period.span:  # 2024 全年 read from the 1–12 月 cumulative row
                self.notes.append(self.x.t("claims.note.year_as_ytd", period=self.period.key))
            rows.append(row)
        return rows, None

    # --- kinds --------------------------------------------------------------------------

    def _value(self) -> Verdict:
        rows, lacking = self._rows(self.c.subjects[:1])
        if lacking:
            return self._missing(lacking)
        return self._judge(rows[0]["value"], self.x.series(self.c.subjects[0]),
                           [source_of(rows[0]) or ""])

    def _growth(self) -> Verdict:
        rows, lacking = self._rows(self.c.subjects[:1])
        if lacking:
            return self._missing(lacking)
        row, note = rows[0], ""
        value = row.get("yoy_pct")
        if value is None and row.get("yoy_derived") is not None:
            value, note = row["yoy_derived"], self.x.t("claims.note.derived_growth")
        if value is None:
            return self._missing(self.c.subjects[0], "growth")
        return self._judge(value, self.x.series(self.c.subjects[0], growth=True),
                           [source_of(row) or ""], note)

    def _sum(self) -> Verdict:
        rows, lacking = self._rows(self.c.subjects)
        if lacking:
            return self._missing(lacking)
        values = [r["value"] for r in rows]
        return self._judge(sum(values), self.x.terms(self.c.subjects, values),
                           [source_of(r) or "" for r in rows])

    def _share(self) -> Verdict:
        c = self.c
        whole = c.others[0] if c.others else registry().parent(c.subjects[0])
        if whole is None:
            return self._missing(c.subjects[0], "parent")
        rows: list[dict[str, Any]] = []
        for region in c.subjects:
            row = self.data.share(region, self.period, self.flow, whole)
            if row is None:
                return self._make("unverifiable", None, self.x.issue(
                    "claims.issue.not_within", {"region": self.x.name(region),
                                                "whole": self.x.name(whole)}))
            if row.get("value") is None:
                return self._missing(region)
            rows.append(row)
        if rows[0].get("parent_value") in (None, 0):
            return self._missing(whole)
        values = [r["value"] for r in rows]
        total = rows[0]["parent_value"]
        # shares of one whole add up: the group's share is the sum of get_share's shares
        share = sum(r["share_pct"] for r in rows)
        formula = self.x.ratio(c.subjects, values, whole, total)
        cited = [self.data.row(r, self.period, self.flow) for r in (*c.subjects, whole)]
        return self._judge(share, formula, [source_of(r) or "" for r in cited])

    def _difference(self) -> Verdict:
        c = self.c
        pair = c.subjects[:1] + c.others[:1]
        rows, lacking = self._rows(pair)
        if lacking:
            return self._missing(lacking)
        (a, b), (ra, rb) = pair, rows
        if not c.directed and rb["value"] > ra["value"]:
            (a, b), (ra, rb) = (b, a), (rb, ra)
        gap = ra["value"] - rb["value"]
        note = ""
        if a.parent_id == b.parent_id and a.level == b.level:
            parent = registry().parent(a)
            ranked = {r["region_id"]: r for r in self.data.ranking(
                a.level, self.period, self.flow, "value", parent)}
            low = ranked.get(b.id)
            complete = parent is not None and len(ranked) >= siblings(parent, a.level)
            adjacent = low is not None and low.get("above_region_id") == a.id
            if complete and low and adjacent and low.get("gap_to_above") is not None:
                gap = low["gap_to_above"]
                note = self.x.t("claims.note.gap_to_above", rank=low["rank"])
        return self._judge(gap, self.x.minus(a, ra["value"], b, rb["value"]),
                           [source_of(ra) or "", source_of(rb) or ""], note)

    def _rank(self) -> Verdict:
        return judge_rank(self)

    def _count(self) -> Verdict:
        return judge_count(self)

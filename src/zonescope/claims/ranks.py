"""Judging rank and count claims against `get_ranking`.

A ranking is only complete when every sibling has data: with 3 of 31 provinces' exports
in the store, 浙江 being 2nd among them says nothing about its national rank. Partial
data still proves some things — a rank among the known regions can only get worse as
others are added — so "第 2" is contradicted when the known rank is already 3rd, and
"未能挤入 TOP10" is supported when the known rank is already 11th; anything else is
unverifiable, with how many siblings had data.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

from zonescope.claims.data import siblings
from zonescope.regions import Region, registry
from zonescope.regions.registry import NATION_ID

if TYPE_CHECKING:
    from zonescope.claims.check import Checker, Verdict

_OPS = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def judge_rank(ch: Checker) -> Verdict:
    c, spec, x = ch.c, ch.c.rank, ch.x
    assert spec is not None and c.period is not None
    reg = registry()
    if spec.threshold is not None:
        level, parent = "province", reg.get(NATION_ID)
    else:
        level, parent, issue = _field(c.subjects[0], spec.scope)
        if issue:
            return ch._make("unverifiable", None, x.issue(issue, {}), unit="rank")
    assert parent is not None
    rows = ch.data.ranking(level, c.period, c.flow or "total", c.by, parent)
    field = siblings(parent, level)
    by_id = {r["region_id"]: r for r in rows}
    if spec.threshold is not None:
        return _threshold(ch, rows, field, parent, level)
    found = [by_id.get(r.id) for r in c.subjects]
    if any(row is None for row in found):
        region = c.subjects[[row is None for row in found].index(True)]
        return ch._make("unverifiable", None, x.t(
            "claims.missing.not_ranked", region=x.name(region), when=x.when(), flow=x.flow(),
            by=x.by()), unit="rank")
    ranks = [int(row["rank"]) for row in found if row]
    complete = len(rows) >= field
    ok, certain = _decide(spec.position, spec.top, spec.negated, ranks, complete)
    items = "、".join(_item(ch, row) for row in found if row)
    ranking = x.t("claims.rank.list", when=x.when(), flow=x.flow(), by=x.by(), field=len(rows),
                  level=x.level(level), items=items)
    sources = x.sources([str(row.get("source") or "") for row in found if row])
    if not certain:
        return ch._make("unverifiable", float(ranks[0]), x.t(
            "claims.missing.coverage", ranking=ranking, have=len(rows), field=field,
            level=x.level(level), stated=c.shown), unit="rank")
    actual = "、".join(x.t("claims.rank.nth", rank=r) for r in ranks)
    outcome = x.t("claims.outcome.supported") if ok else x.t(
        "claims.outcome.rank_contradicted", actual=actual)
    note = "" if complete else x.t("claims.note.partial_ranking", have=len(rows), field=field)
    return ch._make("supported" if ok else "contradicted", float(ranks[0]), x.t(
        "claims.explain.rank", ranking=ranking, stated=c.shown, outcome=outcome,
        note=note + x.period_note(), sources=sources), unit="rank")


def _field(subject: Region, scope: Region | None) -> tuple[str, Region | None, str | None]:
    """(level, parent, issue): provinces rank nationally; cities only within a stated parent."""
    reg = registry()
    if subject.level == "province":
        return "province", reg.parent(subject), None
    if subject.level == "prefecture":
        if scope is not None and scope.level == "nation":
            return subject.level, None, "claims.issue.city_rank"
        return subject.level, None, "claims.issue.rank_scope"
    return subject.level, None, "claims.issue.rank_scope"


def _decide(position: int | None, top: int | None, negated: bool, ranks: list[int],
            complete: bool) -> tuple[bool, bool]:
    """(holds?, certain?) — with partial data a known rank is a lower bound on the true one."""
    if position is not None:
        ok = all(r == position for r in ranks)
        return ok, complete or any(r > position for r in ranks)
    assert top is not None
    if negated:
        ok = all(r > top for r in ranks)
        return ok, complete or ok
    ok = all(r <= top for r in ranks)
    return ok, complete or not ok


def _item(ch: Checker, row: dict[str, Any], by: str | None = None) -> str:
    x, by = ch.x, by or ch.c.by
    region = registry().get(row["region_id"])
    measure = row["value"] if by == "value" else row["yoy_pct"]
    value = x.amount(measure, "亿元" if by == "value" else "%")
    return x.t("claims.rank.item", name=x.name(region) if region else row["region_id"],
               rank=row["rank"], value=value)


def _threshold(ch: Checker, rows: list[dict[str, Any]], field: int, parent: Region,
               level: str) -> Verdict:
    """TOP N … 均在 X 以上: the smallest of the top N against X."""
    c, x, spec = ch.c, ch.x, ch.c.rank
    assert spec is not None and spec.threshold is not None and spec.top is not None
    if len(rows) < field:
        return ch._make("unverifiable", None, x.t(
            "claims.missing.coverage_plain", when=x.when(), flow=x.flow(), have=len(rows),
            field=field, level=x.level(level)), unit="亿元")
    top = [r for r in rows if r["rank"] <= spec.top]
    lowest = min(top, key=lambda r: r["value"])
    accepted = spec.threshold.accepted()
    ok = lowest["value"] in accepted
    outcome = x.t("claims.outcome.supported") if ok else x.t(
        "claims.outcome.contradicted", diff=x.amount(abs(lowest["value"] - spec.threshold.value),
                                                     "亿元"))
    ranking = x.t("claims.rank.threshold", when=x.when(), flow=x.flow(), top=spec.top,
                  item=_item(ch, lowest), accepted=accepted.show())
    return ch._make("supported" if ok else "contradicted", lowest["value"], x.t(
        "claims.explain.rank", ranking=ranking, stated=c.shown, outcome=outcome,
        note=x.period_note(), sources=x.sources([str(r.get("source") or "") for r in top])),
        accepted, unit="亿元")


def judge_count(ch: Checker) -> Verdict:
    """N 省市 meeting a condition, and whether the regions the text lists are those ones."""
    c, x, spec = ch.c, ch.x, ch.c.count
    assert spec is not None and c.period is not None
    nation = registry().get(NATION_ID)
    assert nation is not None
    rows = ch.data.ranking("province", c.period, c.flow or "total", spec.by, nation)
    field = siblings(nation, "province")
    condition = _condition(ch)
    if len(rows) < field:
        return ch._make("unverifiable", None, x.t(
            "claims.missing.coverage_plain", when=x.when(), flow=x.flow(), have=len(rows),
            field=field, level=x.level("province")), unit="")
    column = "value" if spec.by == "value" else "yoy_pct"
    meets = [r for r in rows if _OPS[spec.op](r[column], spec.threshold)]
    others = [r for r in rows if r not in meets]
    listed = {r.id for r in spec.listed}
    expected = {r["region_id"] for r in (meets if spec.role == "members" else others)}
    listed_ok = not listed or listed == expected
    ok = len(meets) in c.stated.accepted() and listed_ok
    shown = meets if len(meets) <= 10 else others
    names = "、".join(_item(ch, r, spec.by) for r in shown)
    names = x.t("claims.count.members" if shown is meets else "claims.count.except", names=names)
    check = ""
    if listed:
        check = x.t("claims.count.listed_ok") if listed_ok else x.t(
            "claims.count.listed_diff", listed=_names(ch, listed), actual=_names(ch, expected))
    outcome = x.t("claims.outcome.supported") if ok else x.t(
        "claims.outcome.count_contradicted", actual=len(meets))
    return ch._make("supported" if ok else "contradicted", float(len(meets)), x.t(
        "claims.explain.count", when=x.when(), flow=x.flow(), condition=condition,
        computed=len(meets), field=field, level=x.level("province"), names=names,
        stated=f"{c.stated.value:g}", listed=check, outcome=outcome,
        note=x.period_note(), sources=x.sources([str(r.get("source") or "") for r in rows])),
        c.stated.accepted(), unit="")


def _condition(ch: Checker) -> str:
    spec, x = ch.c.count, ch.x
    assert spec is not None
    op = {">=": "≥", "<=": "≤"}.get(spec.op, spec.op)
    bound = f"{spec.threshold:g}%" if spec.by == "growth" else x.amount(spec.threshold, "亿元")
    return f"{x.by(spec.by)} {op} {bound}"


def _names(ch: Checker, ids: set[str]) -> str:
    reg = registry()
    names = [ch.x.name(r) for r in (reg.get(i) for i in sorted(ids)) if r]
    return "、".join(names) or "—"

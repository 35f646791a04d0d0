"""The claim checker's records: what a sentence claims, and what was left aside and why.

A `Claim` is everything needed to recompute one statement — kind, the figure as stated,
regions, period, flow — plus `issue` when the text itself makes it uncheckable (a
comparison group nobody defined, a currency without a rate). `Skipped` records every
number that did not become a claim, with the reason, so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonescope.claims.context import Period
from zonescope.claims.numbers import Quantity
from zonescope.regions import Region

KINDS = ("value", "growth", "share", "sum", "difference", "rank", "count")


@dataclass(frozen=True)
class RankSpec:
    """What a rank claim says: 第 N (position), TOP N / 三甲 (top), 未能挤入 TOP10 (negated)."""

    position: int | None = None
    top: int | None = None
    negated: bool = False
    threshold: Quantity | None = None  # TOP10 均在 4000 亿元以上
    scope: Region | None = None        # the parent the ranking is among (None: the registry's)


@dataclass(frozen=True)
class CountSpec:
    """A count of provinces meeting a condition (25 省市 正增长; 万亿以上 6 省市)."""

    by: str                 # value | growth
    op: str                 # > | < | >= | <=
    threshold: float
    listed: tuple[Region, ...] = ()
    role: str = "none"      # members: the list is the set counted; excluded: its complement


@dataclass(frozen=True)
class Claim:
    kind: str
    span: tuple[int, int]           # input offsets
    text: str                       # the clause as read (clean view)
    stated: Quantity
    shown: str                      # the statement as printed, for people
    subjects: tuple[Region, ...] = ()
    others: tuple[Region, ...] = ()  # share: the whole; difference: the other side
    period: Period | None = None
    period_note: str = "explicit"   # explicit | inherited | series | listed | missing
    flow: str | None = None
    by: str = "value"
    rank: RankSpec | None = None
    count: CountSpec | None = None
    directed: bool = False          # difference: subject minus other (超越) vs absolute
    issue: tuple[str, dict[str, Any]] | None = None  # message key + params: unverifiable


@dataclass(frozen=True)
class Skipped:
    """A number in the prose that is not a checkable trade claim, and why."""

    span: tuple[int, int]
    text: str
    reason: str                     # message key under claims.skip.*
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Extraction:
    claims: tuple[Claim, ...]
    skipped: tuple[Skipped, ...]
    year: int | None                 # the document's year, used for 今年 / 去年
    skipped_lines: tuple[tuple[int, str], ...] = ()

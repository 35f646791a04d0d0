"""The claim checker's vocabulary (`data/vocab/claims.yaml`), loaded once and validated.

Words and tolerance rules are data so that an analyst can read, question and extend
them without touching code; validation here makes a broken file fail loudly at load
time (with what is wrong) instead of silently matching nothing.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from zonescope import yamlio
from zonescope.errors import ZoneScopeError

QUALIFIER_RULES = ("exact", "about", "nearly", "above", "at_least", "at_most", "below")
FLOWS = ("total", "export", "import")
TRIGGERS = ("growth", "decline", "share", "share_after", "sum", "difference",
            "difference_directed", "rank_first",
            "rank_top_prefix", "rank_suffix", "rank_noun", "ordinal_not_rank", "rank_negation",
            "rank_by_growth", "count_nouns", "positive", "negative", "list_marker",
            "series_marker")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Qualifier(_Strict):
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    inner: tuple[str, ...] = ()
    relative: float = Field(default=0.0, ge=0, lt=1)


class Idiom(_Strict):
    value: float
    tolerance_pp: float = 0.0
    qualifier: str = "exact"


class SkipLine(_Strict):
    pattern: str
    why: str
    unless_prose: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class Vocab(_Strict):
    """Everything the extractor matches; see the comments in claims.yaml for each rule."""

    qualifiers: dict[str, Qualifier]
    linkers: tuple[str, ...]
    numerals: dict[str, int]
    multipliers: dict[str, float]
    money_multipliers: tuple[str, ...]
    foreign_currency: dict[str, str]
    cheng_tolerance_pp: float = Field(gt=0)
    fraction_relative: float = Field(gt=0, lt=1)
    idioms: dict[str, Idiom]
    magnitudes: dict[str, float]
    flows: dict[str, str]
    non_trade_measures: tuple[str, ...]
    non_goods_modifiers: tuple[str, ...]
    count_units: tuple[str, ...]
    other_units: tuple[str, ...]
    triggers: dict[str, Any]
    nation_words: tuple[str, ...]
    scope_words: dict[str, str]
    undefined_groups: tuple[str, ...]
    group_nouns: tuple[str, ...]
    object_markers: tuple[str, ...]
    not_regions: tuple[str, ...]
    relative_years: dict[str, int]
    comparison_bases: tuple[str, ...]
    year_not_period: tuple[str, ...]
    skip_lines: tuple[SkipLine, ...]
    heading_lines: tuple[str, ...]

    @field_validator("qualifiers")
    @classmethod
    def _known_rules(cls, value: dict[str, Qualifier]) -> dict[str, Qualifier]:
        unknown = sorted(set(value) - set(QUALIFIER_RULES))
        if unknown:
            raise ValueError(f"unknown qualifier rules {unknown}; known: {QUALIFIER_RULES}")
        seen: dict[tuple[str, str], str] = {}
        for rule, q in value.items():
            for where in ("before", "after", "inner"):
                for word in getattr(q, where):
                    other = seen.setdefault((where, word), rule)
                    if other != rule:
                        raise ValueError(f"{word!r} ({where}) is both {other} and {rule}")
        return value

    @field_validator("flows")
    @classmethod
    def _known_flows(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(v for v in value.values() if v not in FLOWS)
        if bad:
            raise ValueError(f"unknown flows {bad}; known: {FLOWS}")
        return value

    @field_validator("triggers")
    @classmethod
    def _all_triggers(cls, value: dict[str, Any]) -> dict[str, Any]:
        missing = sorted(set(TRIGGERS) - set(value))
        if missing:
            raise ValueError(f"missing trigger lists {missing}")
        if not isinstance(value.get("rank_top_words"), dict):
            raise ValueError("rank_top_words must map words to a number of places")
        return value

    @field_validator("heading_lines")
    @classmethod
    def _compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value

    # --- conveniences ------------------------------------------------------------------

    def words(self, trigger: str) -> tuple[str, ...]:
        """A trigger list, longest word first (so 同比增长 wins over 增长)."""
        return tuple(sorted(self.triggers[trigger], key=len, reverse=True))

    def qualifier_words(self, where: str) -> list[tuple[str, str]]:
        """(word, rule) pairs for `before`, `after` or `inner`, longest first."""
        pairs = [(w, rule) for rule, q in self.qualifiers.items() for w in getattr(q, where)]
        return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


@cache
def vocab() -> Vocab:
    """The bundled vocabulary; a malformed file raises `claims.bad_vocab` saying what is wrong."""
    text = (resources.files("zonescope") / "data" / "vocab" / "claims.yaml").read_text(
        encoding="utf-8")
    return load(yamlio.load(text))


def load(data: Any) -> Vocab:
    """Validate a parsed vocabulary (also used by tests to prove bad files are refused)."""
    try:
        return Vocab.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors())
        raise ZoneScopeError("claims.bad_vocab", problem=problems) from None

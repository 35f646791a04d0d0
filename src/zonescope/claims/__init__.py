"""Claim checking: find the numeric claims in Chinese prose and test them against the store.

`check_text(con, text, lang)` returns one `Verdict` per claim found — supported,
contradicted (with the computed value) or unverifiable (with the data that is missing) —
and `check_report` adds the figures that were not claims, with why, so a caller can show
that nothing was dropped. Analytics only: nothing here prints.

>>> import tempfile, pathlib, zonescope
>>> zs = zonescope.open(pathlib.Path(tempfile.mkdtemp()) / "claims.duckdb")
>>> [v.verdict for v in check_text(zs.store.con,
...     "2022年上半年，河南省进出口总值为3958.28亿元，与排名第10的天津市差距仅为111.34亿元。")]
['supported', 'supported', 'supported']
>>> zs.close()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.claims.check import VERDICTS, Verdict, check_claims
from zonescope.claims.data import TradeData
from zonescope.claims.extract import extract
from zonescope.claims.model import Skipped
from zonescope.i18n import translate


@dataclass(frozen=True)
class Report:
    """Verdicts, the figures that were not claims, and counts per verdict."""

    verdicts: list[Verdict]
    skipped: list[Skipped] = field(default_factory=list)
    year: int | None = None
    lang: str = "zh"

    def counts(self) -> dict[str, int]:
        return {v: sum(1 for x in self.verdicts if x.verdict == v) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form of `zonescope claims check --json` (docs/cli.md)."""
        return {"claims": [v.to_dict() for v in self.verdicts],
                "summary": {**self.counts(), "total": len(self.verdicts),
                            "skipped": len(self.skipped)},
                "document_year": self.year,
                "skipped": [{"text": s.text, "span": list(s.span), "reason": s.reason,
                             "why": translate(s.reason, self.lang, **s.params)}
                            for s in self.skipped]}


def check_text(con: duckdb.DuckDBPyConnection, text: str, lang: str = "zh") -> list[Verdict]:
    """One verdict per numeric claim in `text`, in reading order."""
    return check_report(con, text, lang).verdicts


def check_report(con: duckdb.DuckDBPyConnection, text: str, lang: str = "zh",
                 year: int | None = None) -> Report:
    """Verdicts plus the skipped figures; `year` overrides the document's year (今年/去年)."""
    found = extract(text, year=year)
    verdicts = check_claims(TradeData(con), found.claims, lang)
    return Report(verdicts, list(found.skipped), found.year, lang)


def to_dict(verdict: Verdict) -> dict[str, Any]:
    """A verdict as JSON-ready data (same as `Verdict.to_dict`)."""
    return verdict.to_dict()


__all__ = ["VERDICTS", "Report", "Verdict", "check_report", "check_text", "to_dict"]

"""Explanations a reader can check by hand: operands with names, the arithmetic, the rule.

`(广东省 39111.70 + 江苏省 26356.84 + 浙江省 22679.97) ÷ 全国 198000.00 × 100 = 44.52%；
文中“44.3%”（按印出精度：[44.25, 44.35]），不符，与文中相差 0.22 个百分点。数据：…`.
The sentences are messages (data/messages/claims.yaml) in 简体中文 and English; this
module only fills them in, so both languages say exactly the same thing.
"""

from __future__ import annotations

import math
from typing import Any

from zonescope.claims.model import Claim
from zonescope.claims.numbers import MONEY, PERCENT, Interval
from zonescope.claims.vocab import vocab
from zonescope.i18n import translate
from zonescope.regions import Region


class Explainer:
    def __init__(self, claim: Claim, lang: str) -> None:
        self.c, self.lang = claim, lang

    def t(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def name(self, region: Region) -> str:
        return region.name_zh if self.lang == "zh" else region.name_en

    def when(self) -> str:
        return self.c.period.show(self.lang) if self.c.period else "—"

    def flow(self) -> str:
        return self.t(f"flow.{self.c.flow or 'total'}")

    def level(self, level: str) -> str:
        return self.t(f"claims.level.{level}")

    def by(self, by: str | None = None) -> str:
        return self.t(f"claims.by.{by or self.c.by}")

    def sources(self, items: list[str]) -> str:
        """Distinct sources; a bare id is dropped when the same id appears with its place."""
        unique = list(dict.fromkeys(s for s in items if s))
        kept = [s for s in unique if not any(o != s and o.startswith(s + " ") for o in unique)]
        return ("、" if self.lang == "zh" else "; ").join(kept) or "—"

    # --- formulas ------------------------------------------------------------------------

    def series(self, region: Region, growth: bool = False) -> str:
        label = f" {self.t('claims.label.yoy')}" if growth else ""
        return f"{self.name(region)} {self.when()} {self.flow()}{label}"

    def terms(self, regions: tuple[Region, ...], values: list[float]) -> str:
        return " + ".join(f"{self.name(r)} {v:.2f}" for r, v in zip(regions, values, strict=True))

    def ratio(self, regions: tuple[Region, ...], values: list[float], whole: Region,
              total: float) -> str:
        top = self.terms(regions, values)
        top = f"({top})" if len(regions) > 1 else top
        return f"{top} ÷ {self.name(whole)} {total:.2f} × 100"

    def minus(self, a: Region, va: float, b: Region, vb: float) -> str:
        return f"{self.name(a)} {va:.2f} − {self.name(b)} {vb:.2f}"

    def amount(self, value: float, unit: str | None = None) -> str:
        unit = self.c.stated.unit if unit is None else unit
        if unit == PERCENT:
            return f"{value:.2f}%"
        if unit == MONEY:
            return f"{value:.2f} {self.t('claims.unit.yi')}"
        return f"{value:g}"

    # --- sentences -----------------------------------------------------------------------

    def numeric(self, formula: str, computed: float, accepted: Interval, ok: bool,
                sources: list[str], note: str = "") -> str:
        q = self.c.stated
        if ok:
            outcome = self.t("claims.outcome.supported")
        else:
            diff = abs(computed - q.value)
            shown = (self.t("claims.unit.points", value=f"{diff:.2f}") if q.unit == PERCENT
                     else self.amount(diff))
            outcome = self.t("claims.outcome.contradicted", diff=shown) + self.truncated(computed)
        unit = "%" if q.unit == PERCENT else f" {self.t('claims.unit.yi')}" \
            if q.unit == MONEY else ""
        return self.t("claims.explain.numeric", formula=formula, computed=self.amount(computed),
                      stated=self.stated(), rule=self.rule(), accepted=accepted.show() + unit,
                      outcome=outcome, note=note + self.period_note(),
                      sources=self.sources(sources))

    def truncated(self, computed: float) -> str:
        """When the text cut digits off instead of rounding (26356.84 亿元 → 2.63 万亿), say so."""
        q = self.c.stated
        if q.qualifier != "exact" or q.fuzzy or q.half_unit <= 0:
            return ""
        step = 2 * q.half_unit
        cut = math.floor(computed / step + 1e-9) * step
        if abs(cut - q.value) > step / 1000:
            return ""
        rounded = math.floor(computed / step + 0.5) * step
        return self.t("claims.note.truncated", rounded=self.amount(rounded))

    def stated(self) -> str:
        """The figure as printed, with its value in 亿元 when printed in 万亿 or 万元."""
        q = self.c.stated
        text = q.text
        if q.unit == MONEY and any(m in text for m in ("万亿", "万元", "千亿")):
            text += f" = {q.value:g} {self.t('claims.unit.yi')}"
        return text

    def rule(self) -> str:
        q, v = self.c.stated, vocab()
        parts = []
        bound = q.qualifier in ("above", "at_least", "at_most", "below")
        if bound:
            pass  # a bound is taken literally: 两成以上 is ≥ 20 %, whatever 成's rounding
        elif q.fuzzy == "cheng":
            parts.append(self.t("claims.rule.cheng", pp=f"{v.cheng_tolerance_pp:g}"))
        elif q.fuzzy == "fraction":
            parts.append(self.t("claims.rule.fraction", pct=f"{v.fraction_relative * 100:g}"))
        elif q.fuzzy == "idiom":
            parts.append(self.t("claims.rule.idiom", pp=f"{q.fuzzy_pp:g}"))
        if q.qualifier != "exact" or not parts:
            parts.append(self.t(f"claims.rule.{q.qualifier}", pct=f"{q.relative * 100:g}"))
        return ("；" if self.lang == "zh" else "; ").join(parts)

    def period_note(self) -> str:
        note = self.c.period_note
        if note in ("inherited", "series", "listed") and self.c.period:
            return self.t(f"claims.note.{note}", period=self.when())
        return ""

    def issue(self, key: str, params: dict[str, Any]) -> str:
        return self.t(key, **params)

    def missing(self, region: Region, what: str) -> str:
        return self.t(f"claims.missing.{what}", region=self.name(region), when=self.when(),
                      flow=self.flow())

"""Numbers as Chinese prose states them, and how loosely each one is meant.

`44.3%` is exact to its printed precision (±0.05 points); `四成` is a rounded tenth
(35–45 %); `近 13 亿元` is a little under 13 (12–13); `超 10 万` is anything above
100000; `35% 以上` is at least 35. A `Quantity` keeps the figure, its canonical unit
(亿元 for 人民币 amounts, % for rates and shares), the printed precision and the
qualifier, and `accepted()` turns them into the interval a computed value must fall in.
The rules themselves are data (claims.yaml); this module only applies them.

>>> q = parse_quantity("近 13 亿元")
>>> q.value, q.unit, q.qualifier, q.accepted().show()
(13.0, '亿元', 'nearly', '[12, 13]')
>>> parse_quantity("四成").accepted().show()
'[35, 45]'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from zonescope.claims.vocab import Vocab, vocab
from zonescope.errors import ZoneScopeError
from zonescope.ingest.values import MONEY_CNY

MONEY = "亿元"
PERCENT = "%"
PLAIN = ""
_ARABIC = r"[-−+]?\d+(?:,\d{3})*(?:\.\d+)?"
Found = tuple[int, int, "Quantity"]


@dataclass(frozen=True)
class Interval:
    """Accepted values: [lo, hi] with open ends where a bound is strict (超 → lo open)."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False

    def __contains__(self, value: float) -> bool:
        eps = 1e-9 * max(1.0, abs(value))
        above = value > self.lo + eps if self.lo_open else value >= self.lo - eps
        below = value < self.hi - eps if self.hi_open else value <= self.hi + eps
        return above and below

    def distance(self, value: float) -> float:
        """How far `value` lies outside the interval (0 inside)."""
        if value in self:
            return 0.0
        return self.lo - value if value < self.lo else value - self.hi

    def show(self) -> str:
        """`[12, 13]`, `≥ 35`, `> 100000`, `< 20` — how explanations print it."""
        if math.isinf(self.hi) and not math.isinf(self.lo):
            return f"{'>' if self.lo_open else '≥'} {_g(self.lo)}"
        if math.isinf(self.lo) and not math.isinf(self.hi):
            return f"{'<' if self.hi_open else '≤'} {_g(self.hi)}"
        left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
        return f"{left}{_g(self.lo)}, {_g(self.hi)}{right}"


@dataclass(frozen=True)
class Quantity:
    """One stated figure: value in `unit`, precision, and how it was qualified."""

    value: float
    unit: str                 # 亿元 | % | "" (plain count) | a count unit | a currency code
    text: str                 # as printed
    half_unit: float          # half a unit of the last printed digit, in `unit`
    step: float               # one unit of the last significant digit, in `unit`
    qualifier: str = "exact"  # a rule of claims.yaml `qualifiers`
    fuzzy: str | None = None  # None | cheng | fraction | idiom
    fuzzy_pp: float = 0.0     # the fuzzy form's own tolerance (成 ±5, 半壁江山 ±10)
    relative: float = 0.0     # the qualifier's relative tolerance (约 / 左右: 0.10)

    def accepted(self) -> Interval:
        """The interval a computed value must fall in for the claim to hold."""
        v, rule = self.value, self.qualifier
        if rule == "above":
            return Interval(lo=v, lo_open=True)
        if rule == "at_least":
            return Interval(lo=v)
        if rule == "at_most":
            return Interval(hi=v)
        if rule == "below":
            return Interval(hi=v, hi_open=True)
        if rule == "nearly":
            return Interval(v - self.step, v)
        slack = self.half_unit
        if self.fuzzy == "fraction":
            slack = max(slack, vocab().fraction_relative * abs(v))
        elif self.fuzzy:
            slack = max(slack, self.fuzzy_pp)
        if rule == "about":
            slack = max(slack, self.relative * abs(v))
        return Interval(v - slack, v + slack)


def parse_quantity(text: str, vocab_: Vocab | None = None) -> Quantity:
    """The one figure in `text` (with its qualifiers), or `claims.not_a_number`.

    >>> parse_quantity("1.62 万亿").value, parse_quantity("70.1%").accepted().show()
    (16200.0, '[70.05, 70.15]')
    >>> parse_quantity("超 10 万").accepted().show(), parse_quantity("三分之一").unit
    ('> 100000', '%')
    """
    v = vocab_ or vocab()
    clean = "".join(text.split())
    found = find_quantities(clean, v)
    if len(found) != 1:
        raise ZoneScopeError("claims.not_a_number", text=text)
    return found[0][2]


def find_quantities(text: str, v: Vocab) -> list[tuple[int, int, Quantity]]:
    """Every figure in a clean text, as (start, end, Quantity); spans include qualifiers."""
    out: list[tuple[int, int, Quantity]] = []
    taken = [False] * len(text)
    finders: tuple[Callable[[str, Vocab], Iterator[Found]], ...] = (
        _fractions, _idioms, _cheng, _arabic)
    for finder in finders:
        for start, end, quantity in finder(text, v):
            if any(taken[start:end]):
                continue
            start, end, quantity = _qualify(text, start, end, quantity, v)
            for i in range(start, end):
                taken[i] = True
            out.append((start, end, quantity))
    return sorted(out, key=lambda item: item[0])


def cn_number(text: str, v: Vocab) -> int | None:
    """A Chinese or Arabic integer: 三 → 3, 十二 → 12, 二十 → 20, 两 → 2, 10 → 10."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        n = v.numerals.get(char)
        if n is None:
            return None
        if n >= 10:
            total += (digit if digit is not None else 1) * n
            digit = None
        else:
            digit = n if digit is None else digit * 10 + n
    return total + (digit or 0)


def _cn_pattern(v: Vocab) -> str:
    return "[" + "".join(v.numerals) + "]+"


def _fractions(text: str, v: Vocab) -> Iterator[Found]:
    cn = _cn_pattern(v)
    for m in re.finditer(rf"({cn}|\d+)分之({cn}|\d+)", text):
        den, num = cn_number(m.group(1), v), cn_number(m.group(2), v)
        if den and num is not None:
            value = num / den * 100
            yield m.start(), m.end(), Quantity(value, PERCENT, m.group(0), 0.0, 1.0,
                                               fuzzy="fraction")


def _idioms(text: str, v: Vocab) -> Iterator[Found]:
    for word, idiom in v.idioms.items():
        for m in re.finditer(re.escape(word), text):
            yield m.start(), m.end(), Quantity(idiom.value, PERCENT, word, 0.0, 10.0,
                                               qualifier=idiom.qualifier, fuzzy="idiom",
                                               fuzzy_pp=idiom.tolerance_pp)


def _cheng(text: str, v: Vocab) -> Iterator[Found]:
    cn = _cn_pattern(v)
    for m in re.finditer(rf"({cn}|\d+)成(?![为立功本交熟果员长])", text):
        n = cn_number(m.group(1), v)
        if n is not None and 0 < n <= 10:
            yield m.start(), m.end(), Quantity(n * 10.0, PERCENT, m.group(0), 0.0, 10.0,
                                               fuzzy="cheng", fuzzy_pp=v.cheng_tolerance_pp)


def _arabic(text: str, v: Vocab) -> Iterator[Found]:
    mults = "|".join(sorted(map(re.escape, v.multipliers), key=len, reverse=True))
    inner = "|".join(sorted({re.escape(w) for w, _ in v.qualifier_words("inner")}, key=len,
                            reverse=True))
    pattern = rf"(?<![\d.])({_ARABIC})({mults})?({inner})?"
    for m in re.finditer(pattern, text):
        digits = m.group(1).replace(",", "").replace("−", "-")
        mult_word = m.group(2) or ""
        end = m.end()
        unit, factor, end = _unit(text, end, mult_word, v)
        number = Decimal(digits)
        exponent = number.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        last = Decimal(1).scaleb(-decimals)
        step = last if decimals else _significant_step(digits)
        value = round(float(number) * factor, 9)
        qualifier = "above" if m.group(3) else "exact"
        yield m.start(), end, Quantity(value, unit, text[m.start():end],
                                       float(last) * factor / 2, float(step) * factor,
                                       qualifier=qualifier)


def _significant_step(digits: str) -> Decimal:
    """One unit of the last non-zero digit of an integer: 13 → 1, 4000 → 1000."""
    stripped = digits.lstrip("+-").rstrip("0")
    return Decimal(10) ** (len(digits.lstrip("+-")) - len(stripped)) if stripped else Decimal(1)


def _unit(text: str, end: int, mult_word: str, v: Vocab) -> tuple[str, float, int]:
    """The unit after a number: 亿元 (money, converted), %, a currency, a count unit or plain."""
    mult = v.multipliers.get(mult_word, 1.0)
    rest = text[end:]
    for word, code in sorted(v.foreign_currency.items(), key=lambda p: -len(p[0])):
        if rest.startswith(word):
            return code, mult / 1e8, end + len(word)
    if rest.startswith(("%", "％")):
        return PERCENT, 1.0, end + 1
    if rest.startswith("个百分点"):
        return "pp", 1.0, end + 4
    if rest.startswith("元"):
        return MONEY, mult * MONEY_CNY["元"], end + 1
    for word in sorted(v.count_units + v.other_units, key=len, reverse=True):
        if rest.startswith(word):
            return word, mult, end + len(word)
    if mult_word in v.money_multipliers:
        return MONEY, mult * MONEY_CNY["元"], end
    return PLAIN, mult, end


def _qualify(text: str, start: int, end: int, quantity: Quantity,
             v: Vocab) -> tuple[int, int, Quantity]:
    """Attach the qualifier words before and after a figure (the stronger one wins)."""
    rule, relative = quantity.qualifier, 0.0
    before = text[max(0, start - 6):start]
    linkers = "|".join(sorted(map(re.escape, v.linkers), key=len, reverse=True))
    for word, found in v.qualifier_words("before"):
        m = re.search(rf"{re.escape(word)}(?:{linkers})?$", before)
        if m and (found != "exact" or rule == "exact"):
            start -= len(before) - m.start()
            rule = found if rule == "exact" else rule
            break
    for word, found in v.qualifier_words("after"):
        if text.startswith(word, end):
            end += len(word)
            # 近/超 before and 以上 after: the bound after is the operative one
            rule = found if found != "exact" else rule
            break
    if rule == "about":
        relative = v.qualifiers["about"].relative
    return start, end, Quantity(quantity.value, quantity.unit, text[start:end],
                                quantity.half_unit, quantity.step, rule, quantity.fuzzy,
                                quantity.fuzzy_pp, relative)


def _g(value: float) -> str:
    """A bound as people write it: 12, 35, 44.25, 36.67 (no float noise)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"

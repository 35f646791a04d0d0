"""Reading cell values the way Chinese statistics print them.

Each parser returns the clean value or raises `BadValue` with a message key,
which the validator turns into a row/column problem for the user.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

NIL = frozenset({"", "-", "—", "－", "–", "--", "…", "...", "/"})

# units -> (dimension, factor to the canonical unit of that dimension)
MONEY_CNY = {"元": 1e-8, "万元": 1e-4, "亿元": 1.0, "万亿元": 1e4,
             "人民币元": 1e-8, "万人民币": 1e-4, "亿人民币": 1.0}
MONEY_USD = {"美元": 1e-8, "万美元": 1e-4, "亿美元": 1.0}
COUNT_UNITS = frozenset({"家", "个", "项", "人", "次", "件", "条", "票", "位", "名", "座", "单"})
CANONICAL_MONEY = "亿元"
CANONICAL_USD = "亿美元"

_PERIOD_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?$")
_HEADER_UNIT = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]\s*$")


class BadValue(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def clean_text(raw: object) -> str:
    """The cell as text, trimmed, with an anti-formula quote removed; Chinese punctuation kept.

    >>> clean_text(" '=SUM(A1)"), clean_text("（一）")
    ('=SUM(A1)', '（一）')
    """
    if raw is None:
        return ""
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\n":
        text = text[1:]
    return text


def canon(raw: object) -> str:
    """`clean_text` plus NFKC (full-width digits and letters to ASCII), for codes and numbers.

    >>> canon("２０２２－０６")
    '2022-06'
    """
    return unicodedata.normalize("NFKC", clean_text(raw)).strip()


def is_nil(raw: object) -> bool:
    return canon(raw) in NIL


def parse_number(raw: object) -> tuple[float | None, bool]:
    """A number and whether it was written as a percentage; None for nil.

    >>> parse_number("1,234.5")
    (1234.5, False)
    >>> parse_number("１２３")
    (123.0, False)
    >>> parse_number("17.3%")
    (17.3, True)
    >>> parse_number("-")
    (None, False)
    """
    if isinstance(raw, bool):
        raise BadValue("value.not_a_number")
    if isinstance(raw, int | float):
        return float(raw), False
    text = canon(raw)
    if text in NIL:
        return None, False
    percent = text.endswith("%")
    text = text.rstrip("%").replace(",", "").replace(" ", "").strip()
    text = text.replace("−", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue("value.not_a_number") from None
    if not number.is_finite():
        raise BadValue("value.not_a_number")
    return float(number), percent


def parse_period(raw: object, *, allow_year: bool = False) -> str:
    """`YYYY-MM` from the usual ways of writing a month.

    >>> parse_period("2022年6月")
    '2022-06'
    >>> parse_period("2021", allow_year=True)
    '2021-12'
    """
    if isinstance(raw, datetime | date):
        return f"{raw.year:04d}-{raw.month:02d}"
    text = canon(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if allow_year and re.fullmatch(r"\d{4}", text):
        return f"{text}-12"
    for form in _PERIOD_FORMS:
        match = form.match(text)
        if match:
            year, month = int(match[1]), int(match[2])
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
            raise BadValue("value.bad_period")
    raise BadValue("value.bad_period")


def parse_year(raw: object) -> int:
    text = canon(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    text = text.removesuffix("年")
    if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return int(text)
    raise BadValue("value.bad_year")


def parse_date(raw: object) -> str:
    """`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the source gives no more.

    >>> parse_date("2021年8月16日")
    '2021-08-16'
    """
    if hasattr(raw, "strftime"):
        return raw.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    text = canon(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    match = _DATE.match(text)
    if not match:
        raise BadValue("value.bad_date")
    year, month, day = match[1], match[2], match[3]
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise BadValue("value.bad_date") from None
    parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
    return "-".join(parts)


def split_header_unit(header: str) -> tuple[str, str | None]:
    """`进出口总值（亿元）` -> (`进出口总值`, `亿元`).

    >>> split_header_unit("value (万美元)")
    ('value', '万美元')
    """
    text = unicodedata.normalize("NFKC", header).strip()
    match = _HEADER_UNIT.match(text)
    if match:
        return match[1].strip(), normalise_unit(match[2])
    return text, None


def normalise_unit(raw: str) -> str:
    """Unify spellings: `单位：万人民币` and `万人民币元` -> `万元`, `%`/`％` -> `%`."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"^单位[:：]\s*", "", text)
    aliases = {"万人民币": "万元", "亿人民币": "亿元", "人民币元": "元", "人民币": "元",
               "RMB": "元", "CNY": "元", "USD": "美元", "百分比": "%", "百分点": "%"}
    return aliases.get(text, text)


@dataclass(frozen=True)
class Money:
    value: float | None
    unit: str
    value_raw: float | None
    unit_raw: str
    fx_rate: float | None


def to_canonical(value: float | None, unit: str, fx: dict[str, float],
                 keep_currency: bool = False) -> Money:
    """Convert money to 亿元; USD needs an explicit `USD_CNY` rate, recorded with the value.

    With `keep_currency` (indicators), USD amounts without a rate are only rescaled
    to 亿美元, never converted with a guessed rate.

    >>> to_canonical(12345.0, "万元", {}).value
    1.2345
    >>> to_canonical(5.0, "万美元", {}, keep_currency=True).unit
    '亿美元'
    """
    target = CANONICAL_MONEY
    if unit in MONEY_CNY:
        factor, rate = Decimal(repr(MONEY_CNY[unit])), None
    elif unit in MONEY_USD and "USD_CNY" in fx:
        rate = fx["USD_CNY"]
        factor = Decimal(repr(MONEY_USD[unit])) * Decimal(repr(rate))
    elif unit in MONEY_USD and keep_currency:
        factor, rate, target = Decimal(repr(MONEY_USD[unit])), None, CANONICAL_USD
    elif unit in MONEY_USD:
        raise BadValue("value.fx_missing", unit=unit)
    else:
        return Money(value, unit, value, unit, None)
    converted = None if value is None else float(Decimal(repr(value)) * factor)
    if converted is not None and not math.isfinite(converted):
        raise BadValue("value.out_of_range")
    return Money(converted, target, value, unit, rate)


def is_money(unit: str) -> bool:
    return unit in MONEY_CNY or unit in MONEY_USD


def parse_fx(specs: list[str]) -> dict[str, float]:
    """`["USD_CNY=6.7"]` -> {"USD_CNY": 6.7}; anything else is an error."""
    rates: dict[str, float] = {}
    for spec in specs:
        pair, _, number = spec.partition("=")
        pair = pair.strip().upper()
        try:
            rate = float(number)
        except ValueError:
            raise BadValue("fx.bad_spec", spec=spec) from None
        if pair != "USD_CNY" or not math.isfinite(rate) or not rate > 0:
            raise BadValue("fx.bad_spec", spec=spec)
        rates[pair] = rate
    return rates

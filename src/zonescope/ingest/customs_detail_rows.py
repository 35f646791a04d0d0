"""Checking the customs query platform's rows block by block, column by column.

Used by `zonescope.ingest.customs_detail`, which owns the file, the header and the
transaction. A block of whole lines is parsed (Arrow's CSV reader, or the `csv`
module when lines and records differ) into one Arrow table in the columns of
`customs_detail`:
- numbers and HS codes are cast and matched with Arrow kernels; only the cells a
  kernel rejects go through the Python parsers of `values` (full-width digits, `-`…);
- columns of few distinct values (数据年月, partner and mode codes, 注册地) are
  dictionary-encoded and each distinct value is parsed once in Python, so the rules
  are exactly those of `values` and the cost does not grow with the rows.
Problems carry the line number a user sees in the file (quoted line breaks
counted); all are counted and the first `MAX_LISTED` in file order are kept.
"""

from __future__ import annotations

import csv
import heapq
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from zonescope.errors import CellProblem, ImportRejected, ZoneScopeError
from zonescope.ingest.kinds import customs_modes
from zonescope.ingest.values import BadValue, canon, parse_number, parse_period
from zonescope.regions import registry
from zonescope.regions.registry import NATION_ID
from zonescope.regions.resolve import normalise, resolve

MAX_LISTED = 1000
NATION = NATION_ID
TEXT_COLUMNS = ("hs_name", "partner_name", "mode_name", "unit1", "unit2")
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)$"


@dataclass(frozen=True)
class Layout:
    """Where each field is in a row, as read from the header."""

    columns: dict[str, int]
    labels: dict[str, str]
    width: int  # named columns
    cells: int  # cells in the header line, with the empty one of a trailing comma
    currency: str
    value_unit: str
    factor: float
    dims: str


@dataclass(frozen=True)
class Query:
    flow: str
    start: str | None  # the queried months, when the file has no 数据年月
    end: str | None
    span: str | None
    fx: dict[str, float]


class _Problems:
    """Every problem counted; the first `MAX_LISTED` in file order (row, then column) kept."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.order = columns  # header label -> position
        self.heap: list[tuple[tuple[int, int, int], CellProblem]] = []  # worst (last) on top
        self.total = 0

    def wants(self, row: int) -> bool:
        """Whether a problem in `row` could still be listed (rows arrive roughly in order)."""
        return len(self.heap) < MAX_LISTED or -self.heap[0][0][0] >= row

    def add(self, problem: CellProblem) -> None:
        self.total += 1
        key = (-problem.row, -self.order.get(problem.column, -1), -self.total)
        if len(self.heap) < MAX_LISTED:
            heapq.heappush(self.heap, (key, problem))
        elif key > self.heap[0][0]:
            heapq.heapreplace(self.heap, (key, problem))

    def rejected(self, name: str) -> ImportRejected:
        listed = [problem for _, problem in sorted(self.heap, reverse=True)]
        if self.total > len(listed):
            listed.append(CellProblem(listed[-1].row, "", "", "customs_detail.more_problems",
                                      {"listed": len(listed), "total": self.total}))
        error = ImportRejected(name, listed)
        error.params["count"] = self.total
        return error


class Rows:
    """Chunks of checked detail rows, as Arrow tables; raises `ImportRejected` at the end."""

    def __init__(self, name: str, layout: Layout, query: Query, encoding: str) -> None:
        self.name, self.layout, self.query, self.encoding = name, layout, query, encoding
        self.problems = _Problems({label: layout.columns[f] for f, label in layout.labels.items()})
        self.regions = _regions()
        self.modes = {n: c for c, row in customs_modes().items()
                      for n in (row["name_zh"], row["short_zh"])}
        self.months: set[str] = set()
        names = [f"c{i}" for i in range(layout.cells)]
        self.csv_options = (
            pcsv.ReadOptions(column_names=names, block_size=1 << 20),
            pcsv.ParseOptions(newlines_in_values=False),
            pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                strings_can_be_null=False, quoted_strings_can_be_null=False))

    def chunks(self, blocks: Iterator[tuple[bytes, int, int]],
               tick: Callable[[], None]) -> Iterator[pa.Table]:
        """Check `blocks` (whole lines: bytes, first line number, line count) into tables."""
        seen = 0
        for data, first, count in blocks:
            try:
                text = data.decode(self.encoding)
            except UnicodeDecodeError as exc:
                self._add(first + data.count(b"\n", 0, exc.start), "", "", "file.bad_encoding")
                break
            parsed = self._parse_fast(text, first, count) or self._parse_slow(text, first)
            table = self._check(*parsed)
            tick()
            seen += table.num_rows
            if not self.problems.total and table.num_rows:
                yield table
        if not seen and not self.problems.total:
            self._add(2, "", "", "file.no_rows")
        if self.problems.total:
            raise self.problems.rejected(self.name)

    def _parse_fast(self, text: str, first: int, count: int
                    ) -> tuple[dict[str, pa.Array], np.ndarray] | None:
        """Arrow's CSV parser, when every line is one record as wide as the header."""
        try:
            table = pcsv.read_csv(io.BytesIO(text.encode("utf-8")), *self.csv_options)
        except pa.ArrowInvalid:
            return None
        width = self.layout.width
        if table.num_rows != count or any(
                pc.max(pc.utf8_length(table.column(i))).as_py()
                for i in range(width, table.num_columns) if table.num_rows):
            return None
        raw = {f: table.column(i).combine_chunks() for f, i in self.layout.columns.items()}
        return raw, np.arange(first, first + count)

    def _parse_slow(self, text: str, first: int) -> tuple[dict[str, pa.Array], np.ndarray]:
        """The `csv` module, for blocks with quoted line breaks, blank or odd-width lines."""
        records = list(csv.reader(io.StringIO(text, newline="")))
        spans = [1 + sum(cell.count("\n") for cell in record) for record in records]
        lines = first + np.cumsum([0, *spans], dtype=np.int64)[:-1]
        width, kept, kept_lines = self.layout.width, [], []
        for record, line in zip(records, lines, strict=True):
            extra = [c for c in record[width:] if c.strip()]
            if not any(c.strip() for c in record):
                continue
            if extra:
                self._add(line, f"#{width + 1}", extra[0], "row.extra_cell")
            elif len(record) < width:
                self._add(line, "", "", "customs_detail.short_row",
                          {"found": len(record), "expected": width})
            else:
                kept.append(record[:width])
                kept_lines.append(line)
        cells = list(zip(*kept, strict=True)) if kept else [()] * width
        raw = {f: pa.array(cells[i], pa.string()) for f, i in self.layout.columns.items()}
        return raw, np.array(kept_lines, dtype=np.int64)

    def _add(self, row: int, column: str, value: str, key: str,
             params: dict[str, Any] | None = None) -> None:
        self.problems.add(CellProblem(int(row), column, value, key, params or {}))

    def _check(self, columns: dict[str, pa.Array], lines: np.ndarray) -> pa.Table:
        raw = {f: pc.utf8_trim_whitespace(c) for f, c in columns.items()}
        empty = None
        for column in raw.values():
            blank = pc.equal(column, "")
            empty = blank if empty is None else pc.and_(empty, blank)
        if empty is not None and pc.any(empty).as_py():
            keep = pc.invert(empty)
            raw = {f: c.filter(keep) for f, c in raw.items()}
            lines = lines[keep.to_numpy(zero_copy_only=False)]
        count = len(lines)
        out: dict[str, pa.Array] = {}
        for name_ in TEXT_COLUMNS:
            if name_ in raw:
                out[name_] = _nullify(raw[name_])
        for name_ in ("qty1", "qty2", "value"):
            if name_ in raw:
                out[name_] = self._number(raw[name_], name_, lines)
        if self.layout.factor != 1:
            out["value"] = pc.multiply(out["value"], self.layout.factor)
        if "hs_code" in raw:
            out["hs_code"] = self._hs(raw["hs_code"], lines)
        for name_, width, key in (("partner_code", 3, "customs_detail.bad_partner"),
                                  ("mode", 4, "customs_detail.bad_mode")):
            if name_ in raw:
                out[name_] = self._lookup(name_, raw[name_], lines,
                                          partial(_code_of, width=width, key=key))
        if "mode" not in raw and "mode_name" in raw:
            out["mode"] = self._lookup("mode_name", raw["mode_name"], lines, self.modes.get)
        out["region_id"] = self._region(raw, lines, count)
        if "period" in raw:
            out["period"] = self._lookup("period", raw["period"], lines, self._period_of)
            self.months.update(pc.unique(out["period"]).drop_null().to_pylist())
        else:
            month = self.query.start if self.query.start == self.query.end else None
            for key, value in (("period", month), ("period_start", self.query.start),
                               ("period_end", self.query.end)):
                out[key] = _constant(value, count)
        for key, value in (("flow", self.query.flow), ("currency", self.layout.currency),
                           ("value_unit", self.layout.value_unit), ("dims", self.layout.dims)):
            out[key] = _constant(value, count)
        return pa.table(out)

    def _lookup(self, field: str, values: pa.Array, lines: np.ndarray,
                parse: Callable[[str], str | None]) -> pa.Array:
        """Parse each distinct value once, in Python (for columns of few distinct values)."""
        encoded = pc.dictionary_encode(values)
        parsed: list[str | None] = []
        for position, text in enumerate(encoded.dictionary.to_pylist()):
            try:
                parsed.append(parse(text))
            except BadValue as bad:
                parsed.append(None)
                rows = np.flatnonzero(encoded.indices.to_numpy() == position)
                self._add_rows(lines[rows], field, text, bad)
        return pc.take(pa.array(parsed, pa.string()), encoded.indices)

    def _add_rows(self, lines: np.ndarray, field: str, text: str, bad: BadValue) -> None:
        for done, line in enumerate(lines):
            if not self.problems.wants(int(line)):  # later rows cannot be listed: count them
                self.problems.total += len(lines) - done
                return
            self._add(line, self.layout.labels[field], text, bad.key, bad.params)

    def _bad(self, field: str, values: pa.Array, mask: pa.Array, lines: np.ndarray,
             fix: Callable[[str], Any] | None, key: str) -> dict[int, Any]:
        """Cells flagged by `mask`: repaired by `fix` (a Python parser) or reported."""
        fixed: dict[int, Any] = {}
        for index in np.flatnonzero(mask.to_numpy(zero_copy_only=False)):
            if fix is None and not self.problems.wants(int(lines[index])):
                self.problems.total += 1
                continue
            text = values[int(index)].as_py() or ""
            try:
                if fix is None:
                    raise BadValue(key)
                fixed[int(index)] = fix(text)
            except BadValue as bad:
                self._add(lines[index], self.layout.labels[field], text, bad.key, bad.params)
        return fixed

    def _number(self, values: pa.Array, field: str, lines: np.ndarray) -> pa.Array:
        """Numbers with thousands separators; a kernel cast first, the regex only on failure."""
        plain = pc.replace_substring(values, ",", "")
        blank = pc.equal(values, "")
        candidates = pc.if_else(blank, pa.scalar(None, pa.string()), plain)
        try:
            numbers = pc.cast(candidates, pa.float64())
            doubtful = pc.invert(pc.fill_null(pc.is_finite(numbers), True))
        except pa.ArrowInvalid:
            ok = pc.match_substring_regex(plain, _NUMBER)
            numbers = pc.cast(pc.if_else(ok, candidates, pa.scalar(None, pa.string())),
                              pa.float64())
            doubtful = pc.invert(pc.or_(ok, blank))
        required = field == "value"
        fixed = self._bad(field, values, doubtful, lines,
                          partial(_plain_number, required=required), "")
        if required:
            self._bad(field, values, blank, lines, None, "value.required")
        self._bad(field, values, pc.fill_null(pc.less(numbers, 0), False), lines, None,
                  "value.negative")
        return _patch(numbers, fixed, pa.float64())

    def _hs(self, values: pa.Array, lines: np.ndarray) -> pa.Array:
        """HS codes as text; a code with an odd number of digits lost its leading zero."""
        bad = pc.invert(pc.match_substring_regex(values, r"^\d{1,10}$"))
        blank = pc.equal(values, "")
        fixed = self._bad("hs_code", values, pc.and_(bad, pc.invert(blank)), lines,
                          _hs_of, "customs_detail.bad_hs")
        self._bad("hs_code", values, blank, lines, None, "value.required")
        codes = _patch(_nullify(values), fixed, pa.string())
        odd = pc.fill_null(pc.equal(pc.bit_wise_and(pc.utf8_length(codes), 1), 1), False)
        if not pc.any(odd).as_py():
            return codes
        return pc.if_else(odd, pc.binary_join_element_wise("0", codes, ""), codes)

    def _period_of(self, text: str) -> str:
        if not text:
            raise BadValue("value.required")
        month = parse_period(canon(text))
        if self.query.start and self.query.end and not (
                self.query.start <= month <= self.query.end):
            raise BadValue("customs_detail.period_outside")
        return month

    def _region(self, raw: dict[str, pa.Array], lines: np.ndarray, count: int) -> pa.Array:
        found = [self._lookup(f, raw[f], lines, self._region_of)
                 for f in ("region_code", "region_name") if f in raw]
        if not found:
            return _constant(NATION, count)
        if len(found) == 2:
            clash = pc.fill_null(pc.not_equal(found[0], found[1]), False)
            self._bad("region_name", raw["region_name"], clash, lines, None,
                      "customs_detail.region_mismatch")
        ids = pc.coalesce(*found)
        fields = [f for f in ("region_code", "region_name") if f in raw]
        blank = pc.equal(raw[fields[0]], "")
        if len(fields) == 2:
            blank = pc.and_(blank, pc.equal(raw[fields[1]], ""))
        self._bad(fields[0], raw[fields[0]], blank, lines, None, "value.required")
        return ids

    def _region_of(self, text: str) -> str | None:
        if not text:
            return None
        key = canon(text)
        if key not in self.regions:
            try:
                self.regions[key] = resolve(key, level="province").region.id
            except ZoneScopeError:
                raise BadValue("customs_detail.unknown_region") from None
        return self.regions[key]


def _regions() -> dict[str, str]:
    """Every way the platform (or a user) writes a province: 44, 440000, 广东省, 广东."""
    lookup: dict[str, str] = {}
    for region in registry():
        if region.level == "province":
            for key in (region.id, region.id[:2], region.name_zh, region.short_zh,
                        *region.aliases):
                lookup.setdefault(key, region.id)
                lookup.setdefault(normalise(key), region.id)
    return lookup


def _constant(value: str | None, count: int) -> pa.Array:
    """One value in every row, dictionary-encoded (cheap to build and to insert)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(count, np.int32)),
                                          pa.array([value], pa.string()))


def _nullify(values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _patch(values: pa.Array, fixed: dict[int, Any], kind: pa.DataType) -> pa.Array:
    if not fixed:
        return values
    items = values.to_pylist()
    for index, value in fixed.items():
        items[index] = value
    return pa.array(items, kind)


def _plain_number(text: str, *, required: bool) -> float | None:
    value, percent = parse_number(text)
    if percent:
        raise BadValue("value.percent_not_allowed")
    if value is None and required:
        raise BadValue("value.required")
    return value


def _hs_of(text: str) -> str:
    code = canon(text)
    if not re.fullmatch(r"\d{1,10}", code):
        raise BadValue("customs_detail.bad_hs")
    return code


def _code_of(text: str, *, width: int, key: str) -> str:
    """A partner (3) or mode (4) code; a mode code that lost leading zeros gets them back."""
    if not text:
        raise BadValue("value.required")
    code = canon(text)
    if not code.isascii() or not code.isdigit() or len(code) > width or (
            width == 3 and len(code) != 3):
        raise BadValue(key)
    return code.zfill(width)

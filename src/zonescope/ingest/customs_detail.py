"""Import kind `customs-detail`: the customs query platform's CSV export (trade-formats.md §3).

The file is streamed, never held whole. It is read in 4 MiB blocks cut at line ends
outside quoted fields; tab characters are dropped from the bytes (0x09 is never
part of a GBK/GB18030 or UTF-8 multi-byte character, so this is safe before
decoding); the encoding is chosen on the first block (UTF-8, else GB18030 ⊇ GBK).
Each block is parsed by Arrow's CSV reader when every line is one record as wide
as the header — the usual case — and otherwise (quoted line breaks, blank or
ragged lines) by the `csv` module, which also gives exact line numbers. The block
is then checked column by column with Arrow kernels (customs_detail_rows.py);
only cells a kernel rejects, and the few distinct values of code columns, go
through the Python parsers of `values`. A worker thread reads and checks while
DuckDB inserts (both release the GIL), and `writer.write_detail_chunks` keeps it
all in one transaction. Why not `csv` + per-row Python: ≈0.2 M rows/s measured
here; why not DuckDB's `read_csv` on a cleaned copy: it cannot name a bad cell's
line and needs a second copy of the file on disk.

Decisions:
- A trailing comma (an empty last field on every line) is ignored.
- 商品编码 stays text. HS codes have an even number of digits (2, 4, 6, 8, 10); a
  spreadsheet that dropped the leading zero of a chapter 01–09 code leaves an odd
  count, so one zero is put back (`3019110` → `03019110`). Nothing else is padded,
  except 贸易方式编码 shorter than 4 digits (`110` → `0110`).
- 注册地 is province level: a 2-digit (`44`) or 6-digit (`440000`) code or a name.
  Without the 注册地 dimension the rows are national (`000000`).
- Import/export is not a column: `--flow`, or an unambiguous file name (…出口…,
  …进口…, …进出口…). Without 数据年月 the rows total the queried months, which
  `--period YYYY-MM[:YYYY-MM]` must give (a month, Jan–M = ytd, or Jan–Dec = year).
- Aggregates for `trade` (region × month or span × mode, 亿元) assume the query was
  not filtered on a dimension it does not show; each row's note names its origin.
  With the 贸易方式 dimension only per-mode rows are written, never `all`. USD needs
  `--fx USD_CNY=RATE` for them; the detail rows always keep the file's currency.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import queue
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import duckdb

from zonescope.errors import CellProblem, ImportRejected, ZoneScopeError
from zonescope.i18n import translate
from zonescope.ingest.customs_detail_rows import Layout, Query, Rows
from zonescope.ingest.importer import ImportReport
from zonescope.ingest.readers import sha256_of
from zonescope.ingest.values import (
    BadValue,
    normalise_unit,
    parse_period,
    split_header_unit,
    to_canonical,
)
from zonescope.store import writer

KIND = "customs-detail"
T = TypeVar("T")
TABLE = "customs_detail"
BLOCK = 4 << 20  # bytes read at a time: about 100,000 rows of a 6-column file
PARTITION = ("flow", "currency", "period_start", "period_end", "period", "region_id", "dims")
TRADE_KEY = ("region_id", "period", "span", "flow", "mode")
FLOWS = ("export", "import", "total")
HEADERS = {
    "数据年月": "period", "年月": "period", "商品编码": "hs_code", "商品名称": "hs_name",
    "贸易伙伴编码": "partner_code", "贸易伙伴名称": "partner_name", "贸易方式编码": "mode",
    "贸易方式名称": "mode_name", "监管方式编码": "mode", "监管方式名称": "mode_name",
    "注册地编码": "region_code", "注册地名称": "region_name", "收发货人注册地编码": "region_code",
    "收发货人注册地名称": "region_name", "第一数量": "qty1", "第一计量单位": "unit1",
    "第二数量": "qty2", "第二计量单位": "unit2", "人民币": "value", "美元": "value",
}
DIMS = {"hs": ("hs_code", "hs_name"), "partner": ("partner_code", "partner_name"),
        "mode": ("mode", "mode_name"), "region": ("region_code", "region_name"),
        "qty": ("qty1", "unit1", "qty2", "unit2")}
VALUE_UNITS = {"元": ("CNY", "元", 1.0), "万元": ("CNY", "元", 1e4), "亿元": ("CNY", "元", 1e8),
               "美元": ("USD", "美元", 1.0), "万美元": ("USD", "美元", 1e4)}
_RANGE = re.compile(r"^\s*(\S+?)\s*(?:[:~～至]\s*(\S+))?\s*$")


@dataclass(frozen=True)
class DetailOptions:
    """The query's facts a file does not carry, given on the command line."""

    flow: str | None = None
    period: str | None = None  # YYYY-MM or YYYY-MM:YYYY-MM
    source: str | None = None
    progress: bool = False


def options_for(kind: str, flow: str | None = None, period: str | None = None,
                source: str | None = None, *, progress: bool = False) -> DetailOptions | None:
    """A query export's facts for `kind` — customs-detail only; given with another kind
    they are refused (CLI, API and web alike). Blank values count as not given."""
    given = [(v or "").strip() or None for v in (flow, period, source)]
    if kind != KIND:
        if any(given):
            raise ZoneScopeError("customs_detail.options_only", kind=kind)
        return None
    if given[1]:
        period_range(given[1])  # a malformed period fails before any file is read
    return DetailOptions(given[0], given[1], given[2], progress)


@dataclass(frozen=True)
class DetailReport(ImportReport):
    flow: str = ""
    period: str = ""
    currency: str = ""
    replaced: int = 0
    trade_added: int = 0
    trade_updated: int = 0
    trade_unchanged: int = 0


def import_detail(con: duckdb.DuckDBPyConnection, path: Path, name: str, *,
                  fx: dict[str, float] | None = None, options: DetailOptions | None = None,
                  origin: str = "user", sink: Callable[..., writer.DetailWrite] | None = None
                  ) -> DetailReport:
    """Stream `path` into `customs_detail` and its aggregates into `trade`, all or nothing.

    `sink` takes the checked chunks instead of the store's writer (ingest/parquet.py)."""
    opts = options or DetailOptions()
    flow = flow_of(opts.flow, name)
    start, end = period_range(opts.period) if opts.period else (None, None)
    with path.open("rb") as raw:
        blocks = _blocks(raw, counter := [0])
        encoding, header, first = _header(blocks, name)
        layout = _layout(header, name)
        if layout.currency == "USD" and "USD_CNY" not in (fx or {}):
            raise ImportRejected(name, [CellProblem(1, layout.labels["value"], layout.labels[
                "value"], "customs_detail.usd_needs_fx")])
        span = None
        if "period" not in layout.columns:
            if start is None or end is None:
                raise ZoneScopeError("customs_detail.period_required", file=name)
            span = span_of(start, end)
        query = Query(flow, start, end, span, dict(fx or {}))
        label = f"{start}:{end}" if start and start != end else (start or "")
        notes = [f"flow={flow}", f"period={label or 'file'}", f"currency={layout.currency}",
                 *(f"{k}={v}" for k, v in sorted(query.fx.items())),
                 *([f"source={opts.source}"] if opts.source else [])]
        meta = writer.ImportMeta(KIND, name, sha256_of(path), origin, "; ".join(notes))
        rows = Rows(name, layout, query, encoding)
        with _progress(opts.progress, path.stat().st_size, name) as tick:
            done = (sink or writer.write_detail_chunks)(
                con, _ahead(rows.chunks(itertools.chain(first, blocks), lambda: tick(counter[0]))),
                meta, table=TABLE, partition=PARTITION, trade_key=TRADE_KEY, insert_threads=1,
                trade_rows=partial(_aggregates, layout=layout, query=query,
                                   source=opts.source or name, file=name))
    if not label and rows.months:
        label = f"{min(rows.months)}:{max(rows.months)}"
    return DetailReport(KIND, name, meta.sha256, done.rows, done.rows, 0, 0, done.import_id,
                        flow, label, layout.currency, done.replaced, done.trade.added,
                        done.trade.updated, done.trade.unchanged)


def flow_of(given: str | None, file_name: str) -> str:
    """`--flow`, or the flow an unambiguous file name states (出口 / 进口 / 进出口)."""
    if given:
        value = {"出口": "export", "进口": "import", "进出口": "total"}.get(given, given.lower())
        if value not in FLOWS:
            raise ZoneScopeError("customs_detail.bad_flow", value=given)
        return value
    stem = Path(file_name).stem.lower()
    found = {"total"} if "进出口" in stem else set()
    rest = stem.replace("进出口", "")
    found |= {f for f, words in (("export", ("出口", "export")), ("import", ("进口", "import")))
              if any(w in rest for w in words)}
    if len(found) != 1:
        raise ZoneScopeError("customs_detail.flow_required", file=file_name)
    return found.pop()


def period_range(text: str) -> tuple[str, str]:
    """`2024-03` → (2024-03, 2024-03); `2024-01:2024-06` → (2024-01, 2024-06)."""
    match = _RANGE.match(text)
    try:
        if not match:
            raise BadValue("value.bad_period")
        start = parse_period(match[1])
        end = parse_period(match[2]) if match[2] else start
    except BadValue:
        raise ZoneScopeError("customs_detail.bad_period_option", value=text) from None
    if end < start:
        raise ZoneScopeError("customs_detail.bad_period_option", value=text)
    return start, end


def span_of(start: str, end: str) -> str:
    """The `trade` span of a queried range: one month, January to M (ytd), or a whole year."""
    if start == end:
        return "month"
    if start[:4] == end[:4] and start[5:] == "01":
        return "year" if end[5:] == "12" else "ytd"
    raise ZoneScopeError("customs_detail.range_not_span", start=start, end=end)


def _ahead(chunks: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`chunks`, produced in a worker thread up to `depth` items ahead of the consumer.

    Reading and checking (Arrow kernels) and DuckDB's inserts both release the GIL,
    so on two cores they overlap. An exception in the worker (`ImportRejected` at the
    end) is raised here, in order.
    """
    items: queue.Queue[tuple[bool, Any]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> None:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def work() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    return
                put((True, chunk))
            put((False, None))
        except BaseException as exc:  # handed over to the consumer, who re-raises it
            put((False, exc))

    worker = threading.Thread(target=work, name="customs-detail-reader", daemon=True)
    worker.start()
    try:
        while True:
            more, item = items.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _blocks(raw: BinaryIO, counter: list[int]) -> Iterator[tuple[bytes, int, int]]:
    """The file as (bytes, first line number, line count) blocks of whole records.

    Tabs are dropped (byte 0x09 is never part of a GBK/GB18030 or UTF-8 multi-byte
    character), and a block never ends inside a quoted field (its quotes pair up).
    `counter[0]` is the number of bytes read so far.
    """
    carry, line = b"", 1
    while True:
        data = raw.read(BLOCK)
        counter[0] += len(data)
        buffer = carry + data.replace(b"\t", b"")
        if not data:
            if buffer.strip():
                yield buffer, line, buffer.count(b"\n") + (not buffer.endswith(b"\n"))
            return
        cut = buffer.rfind(b"\n") + 1
        for _ in range(3):  # back to the line that opens an unclosed quoted field, if any
            if not buffer.count(b'"', 0, cut) % 2:
                break
            cut = buffer.rfind(b"\n", 0, buffer.rfind(b'"', 0, cut)) + 1
        else:  # a stray quote, not a quoted line break: cut at the last line end
            cut = buffer.rfind(b"\n") + 1
        if cut:
            yield buffer[:cut], line, buffer.count(b"\n", 0, cut)
            line += buffer.count(b"\n", 0, cut)
        carry = buffer[cut:]


def _header(blocks: Iterator[tuple[bytes, int, int]], name: str
            ) -> tuple[str, list[str], list[tuple[bytes, int, int]]]:
    """Encoding, header cells, and what is left of the first block (after the header line)."""
    for data, line, count in blocks:
        encoding = _detect(data[: 1 << 16], name)
        for offset in range(count):
            end = data.find(b"\n") + 1 or len(data)
            head, data = data[:end], data[end:]
            try:
                text = head.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRejected(name, [CellProblem(line + offset, "", "",
                                                        "file.bad_encoding")]) from None
            if text.strip():
                cells = next(csv.reader([text.removeprefix("\ufeff")]), [])
                rest = [(data, line + offset + 1, count - offset - 1)] if data else []
                return encoding, cells, rest
    raise ImportRejected(name, [CellProblem(1, "", "", "file.empty")])


def _detect(head: bytes, name: str) -> str:
    if b"\x00" in head[:4096]:
        raise ImportRejected(name, [CellProblem(1, "", "", "file.bad_encoding")])
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _layout(header: list[str], name: str) -> Layout:
    cells = [h.strip() for h in header]
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        raise ImportRejected(name, [CellProblem(1, "", "", "file.empty")])
    problems: list[CellProblem] = []
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unit = None
    for index, cell in enumerate(cells):
        base, header_unit = split_header_unit(cell)
        key = HEADERS.get(base)
        if key is None:
            problems.append(CellProblem(1, cell or f"#{index + 1}", cell, "header.unknown",
                                        {"expected": ", ".join(dict.fromkeys(HEADERS))}))
        elif key in columns:
            problems.append(CellProblem(1, cell, cell, "header.duplicate"))
        else:
            columns[key], labels[key] = index, cell
            if key == "value":
                unit = normalise_unit(header_unit) if header_unit else normalise_unit(base)
    if "value" not in columns:
        problems.append(CellProblem(1, "人民币 / 美元", "", "header.missing"))
    elif unit not in VALUE_UNITS:
        problems.append(CellProblem(1, labels["value"], labels["value"],
                                    "customs_detail.value_unit"))
    if problems:
        raise ImportRejected(name, problems)
    currency, value_unit, factor = VALUE_UNITS[str(unit)]
    dims = ",".join(d for d, fields in DIMS.items() if any(f in columns for f in fields))
    return Layout(columns, labels, len(cells), len(header), currency, value_unit, factor,
                  dims)


def _aggregates(con: duckdb.DuckDBPyConnection, import_id: int, *, layout: Layout,
                query: Query, source: str, file: str) -> list[dict[str, Any]]:
    """The new detail rows summed by region × month (or queried span) × mode, for `trade`."""
    by_mode = "mode" in layout.dims.split(",")
    rows = con.execute(
        f"SELECT region_id, coalesce(period, period_end) AS period, "
        f"{'mode' if by_mode else repr('all')} AS mode, sum(value) AS total, count(*) AS n "
        f"FROM {TABLE} WHERE import_id = ? {'AND mode IS NOT NULL' if by_mode else ''} "
        "GROUP BY ALL ORDER BY ALL", [import_id]).fetchall()
    result = []
    for region_id, period, mode, total, count in rows:
        money = to_canonical(float(total), layout.value_unit, query.fx)
        result.append({
            "region_id": region_id, "period": period, "span": query.span or "month",
            "flow": query.flow, "mode": mode, "value": money.value, "unit": money.unit,
            "value_raw": money.value_raw, "unit_raw": money.unit_raw, "fx_rate": money.fx_rate,
            "yoy_pct": None, "source": source, "source_ref": None, "cited_source": None,
            "note": translate("customs_detail.note", "zh", file=file, rows=count,
                              dims=layout.dims or "—"), "derived": False})
    return result


@contextmanager
def _progress(enabled: bool, total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar of bytes read on stderr — only for a person at a terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda _done: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)

"""Import kind `customs-city`: customs tables of trade by consignor location, stored as `trade`.

Two layouts, told apart by their headers. *national*: GACC's 收发货人所在地 table as a
scraper saves it — three header rows (unit; 进出口/出口/进口; `3月` vs `1至3月`), then
总值, provinces, cities and development zones in 万元. *zhejiang*: Hangzhou Customs'
eleven-city table — one header row (当期进出口 …), 合计, one row per 地区, a unit footer.

Columns are mapped by label, never by position (the 出口/进口 blocks move). The
Zhejiang table is trusted for nothing that can be checked: whether 当期 is cumulative
and the unit (its footer says 万元 over 元 since 2024-07) are decided by comparing 合计
with the national province figure in the store. Where the national table holds a
key it wins, and a derived month never replaces a published one, so the result does
not depend on import order. Everything is checked before one `writer.write_rows`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from zonescope.errors import CellProblem, ImportRejected, RegionAmbiguous, RegionNotFound
from zonescope.i18n import translate
from zonescope.ingest import values
from zonescope.ingest.kinds import get_kind
from zonescope.ingest.readers import decode, read_table, sha256_of
from zonescope.ingest.values import MONEY_CNY, BadValue, canon, clean_text, parse_number
from zonescope.regions import registry
from zonescope.regions.registry import NATION_ID
from zonescope.regions.resolve import normalise, resolve, suggest
from zonescope.store import writer

KIND = "customs-city"
PLACE = "收发货人所在地"
FLOWS = {"进出口": "total", "出口": "export", "进口": "import"}
NATION = NATION_ID
NATION_NAMES, SUM_NAMES = frozenset({"总值", "全国"}), frozenset({"合计", "总计"})
TOLERANCE = 0.005  # a cross-check ratio within 0.5 % of 1 agrees
IMPOSSIBLE = 500_000.0  # 亿元 = 50万亿元: above any national cumulative total so far
CNY_UNITS = ("元", "万元", "亿元", "万亿元")  # smallest first

_UNIT_CELL = re.compile(r"^\s*单位\s*[:：]\s*(.+)$")
_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月$")
_CUMULATIVE = re.compile(r"^(?:(\d{4})年)?(\d{1,2})\s*[至\-－—~～到]\s*(\d{1,2})月$")
_NAME_PERIOD = re.compile(r"((?:19|20)\d{2})(?:\s*[-_.年/]?\s*(\d{1,2})(?!\d))?")
_ZJ_HEADER = re.compile(r"^(当期|累计|当月|本月)?(进出口|出口|进口)(同比.*|增速|增长.*)?$")
_ZJ_SPAN = {"当期": "current", "": "current", "累计": "ytd", "当月": "month", "本月": "month"}
_FOOTNOTE = ("注", "说明", "资料来源", "数据来源")

Stored = dict[tuple[str, str, str, str], tuple[float | None, str, bool]]


@dataclass(frozen=True)
class Block:
    """One file column: flow, span (month, ytd, or Zhejiang's undecided `current`), growth?"""
    index: int
    label: str
    flow: str
    span: str
    growth: bool = False


@dataclass
class Line:
    """One data row: its number as the user sees it, its name and region, its numbers."""
    number: int
    name: str
    region_id: str = ""
    values: dict[tuple[str, str], float | None] = field(default_factory=dict)
    growth: dict[tuple[str, str], float | None] = field(default_factory=dict)


@dataclass
class Table:
    """A customs file read and checked on its own, before any comparison with the store."""
    layout: str = ""
    period: str = ""
    unit_label: str | None = None
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, row: int, column: str, value: str, key: str, **params: Any) -> None:
        self.problems.append(CellProblem(row, column, value, key, params))


@dataclass
class Plan:
    """The trade rows an import writes, and those it leaves to the national table."""
    records: list[dict[str, Any]]
    withheld: list[dict[str, Any]] = field(default_factory=list)
    options: str | None = None


def import_customs(con: duckdb.DuckDBPyConnection, path: Path, name: str,
                   origin: str) -> tuple[int, writer.WriteResult, str]:
    """Check `path` completely, then write its rows in one transaction: (rows, result, sha256)."""
    planned, trade, digest = plan(con, path, name), get_kind("trade"), sha256_of(path)
    meta = writer.ImportMeta(KIND, name, digest, origin, planned.options)
    result = writer.write_rows(con, trade.table, trade.storage_key, planned.records, meta)
    return len(planned.records), result, digest


def plan(con: duckdb.DuckDBPyConnection, path: Path, name: str | None = None) -> Plan:
    """The rows importing `path` would write; raises `ImportRejected` listing every problem."""
    table, planned = read(path), None
    if not table.problems:
        planned = _national_plan(table) if table.layout == "national" else _zj_plan(con, table)
    if planned is None:
        raise ImportRejected(name or path.name, table.problems)
    return planned


def read(path: Path) -> Table:
    """Read and check a customs file on its own: layout, headers, period, unit, rows, names."""
    table = Table()
    rows, table.problems = _rows(path)
    texts = {canon(c) for _, cells in rows[:4] for c in cells}
    if table.problems:
        return table
    if any(t.startswith("当期") for t in texts):
        table.layout = "zhejiang"
        _read_zhejiang(rows, table, path.name)
    elif PLACE in texts or any(_UNIT_CELL.match(t) for t in texts):
        table.layout = "national"
        _read_national(rows, table, path.name)
    else:
        table.problem(rows[0][0], "", "", "customs.layout_unknown")
    if not table.problems and not table.lines:
        table.problem(rows[-1][0], "", "", "file.no_rows")
    return table


def _rows(path: Path) -> tuple[list[tuple[int, list[str]]], list[CellProblem]]:
    """Non-empty rows as text, numbered as a spreadsheet shows them (header rows count)."""
    records: list[tuple[int, list[Any]]]
    problems: list[CellProblem] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheet = read_table(path)  # its header is taken to be row 1
        records, problems = [(1, list(sheet.headers)), *sheet.rows], sheet.problems
    else:
        try:
            text = decode(path.read_bytes())[0]
        except UnicodeError:
            return [], [CellProblem(1, "", "", "file.bad_encoding")]
        records = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    rows = [(n, [clean_text(c) for c in cells]) for n, cells in records
            if any(clean_text(c) for c in cells)]
    return rows, problems or ([] if rows else [CellProblem(1, "", "", "file.empty")])


def _span_label(text: str) -> tuple[str, int | None, int] | None:
    """`3月` -> (month, None, 3); `1至3月` -> (ytd, None, 3); a leading `2024年` gives the year."""
    if match := _MONTH.match(text):
        return "month", int(match[1]) if match[1] else None, int(match[2])
    if (match := _CUMULATIVE.match(text)) and int(match[2]) == 1:
        return "ytd", int(match[1]) if match[1] else None, int(match[3])
    return None


def _read_national(rows: list[tuple[int, list[str]]], table: Table, file_name: str) -> None:
    head: dict[str, tuple[int, list[str]]] = {}
    for number, cells in rows[:3]:
        texts = [canon(c) for c in cells]
        if PLACE in texts:
            kind = "period" if any(_span_label(t) for t in texts) else "flow"
        else:
            kind = "unit" if any(_UNIT_CELL.match(t) for t in texts) else ""
        if not kind or kind in head:
            break
        head[kind] = (number, texts)
    order = ("unit", "flow", "period")
    for position, kind in enumerate(order):
        if kind not in head:  # named at the row where it was expected
            row = 1 + sum(k in head for k in order[:position])
            table.problem(row, "", "", f"customs.missing_{kind}_row")
    if table.problems:
        return
    unit = next(m for t in head["unit"][1] if (m := _UNIT_CELL.match(t)))
    table.unit_label = _unit_of(unit[1])
    if table.unit_label not in MONEY_CNY:
        table.problem(head["unit"][0], "", unit[0], "customs.unit_unknown")
    (flow_row, flows), (period_row, spans) = head["flow"], head["period"]
    place, blocks, unlabelled, months = flows.index(PLACE), [], [], set()
    for j in range(max(len(flows), len(spans))):
        upper = re.sub(r"\.\d+$", "", flows[j]) if j < len(flows) else ""
        lower = spans[j] if j < len(spans) else ""
        label, span = f"{upper or f'#{j + 1}'} / {lower}".removesuffix(" / "), _span_label(lower)
        if j == place:
            continue
        if upper in FLOWS and span:
            blocks.append(Block(j, label, FLOWS[upper], span[0]))
            months.add(span[1:])
        elif ("比去年同期" in upper or "同比" in upper) and lower in FLOWS:
            span_of = "month" if "当月" in upper else "ytd"
            blocks.append(Block(j, label, FLOWS[lower], span_of, growth=True))
        elif not lower and (not upper or upper.startswith("Unnamed")):
            unlabelled.append(j)
        else:
            table.problem(flow_row, label, label, "customs.column_unmapped")
    _check_blocks(blocks, flow_row, table)
    if len(months) > 1:
        table.problem(period_row, "", "、".join(sorted(f"{m}月" for _, m in months)),
                      "customs.period_mixed")
    header = next(iter(months)) if len(months) == 1 else (None, None)
    table.period = _period(table, header, period_row, file_name)
    _read_lines(rows[len(head):], place, blocks, unlabelled, table)


def _read_zhejiang(rows: list[tuple[int, list[str]]], table: Table, file_name: str) -> None:
    start = next((i for i, (_, cells) in enumerate(rows[:4]) if PLACE in map(canon, cells)), -1)
    if start < 0:
        table.problem(rows[0][0], PLACE, "", "customs.missing_place_column")
        return
    number, header = rows[start]
    place, blocks, unlabelled, body = 0, [], [], []
    for j, raw in enumerate(header):
        text, unit = values.split_header_unit(canon(raw))
        if text == PLACE:
            place = j
        elif match := _ZJ_HEADER.match(text):
            span = _ZJ_SPAN[match[1] or ""]
            blocks.append(Block(j, raw, FLOWS[match[2]], span, growth=bool(match[3])))
            table.unit_label = unit or table.unit_label
        elif not text or text.startswith("Unnamed"):
            unlabelled.append(j)
        else:
            table.problem(number, raw, raw, "customs.column_unmapped")
    _check_blocks(blocks, number, table)
    for row in rows[start + 1:]:
        footer = next((m for c in row[1] if (m := _UNIT_CELL.match(canon(c)))), None)
        table.unit_label = _unit_of(footer[1]) if footer else table.unit_label
        body += [] if footer else [row]
    table.period = _period(table, (None, None), number, file_name)
    _read_lines(body, place, blocks, unlabelled, table)
    if table.total is None and not table.problems:
        table.problem(number + 1, PLACE, "", "customs.total_missing")


def _check_blocks(blocks: list[Block], row: int, table: Table) -> None:
    """Each flow once per span (values and growth apart), and a value column for every flow."""
    seen: set[tuple[str, str, bool]] = set()
    for block in blocks:
        if (block.flow, block.span, block.growth) in seen:
            table.problem(row, block.label, block.label, "customs.column_duplicate")
        seen.add((block.flow, block.span, block.growth))
    for word, flow in FLOWS.items():
        if not any(b.flow == flow and not b.growth for b in blocks):
            table.problem(row, word, "", "customs.flow_missing", flow=word)


def _period(table: Table, header: tuple[int | None, int | None], row: int,
            file_name: str) -> str:
    """`YYYY-MM` from the header; the file name fills gaps and must agree where both speak."""
    match = _NAME_PERIOD.search(file_name)
    named = (int(match[1]) if match else None,
             int(match[2]) if match and match[2] and 1 <= int(match[2]) <= 12 else None)
    if any(mine and theirs and mine != theirs for mine, theirs in zip(header, named, strict=True)):
        table.problem(row, "", file_name, "customs.period_conflict", name=file_name,
                      header=f"{header[0] or '?'}-{header[1] or '?'}")
        return ""
    year, month = header[0] or named[0], header[1] or named[1]
    if not year or not month or not 1 <= month <= 12:
        table.problem(row, "", file_name, "customs.period_unreadable")
        return ""
    return f"{year:04d}-{month:02d}"


def _read_lines(rows: list[tuple[int, list[str]]], place: int, blocks: list[Block],
                unlabelled: list[int], table: Table) -> None:
    width = max([place, *unlabelled, *(b.index for b in blocks)]) + 1
    first: dict[str, int] = {}
    for number, cells in rows:
        texts = [t for t in cells if t]
        if texts[0].startswith(_FOOTNOTE) or (len(texts) > 1 and len(set(texts)) == 1):
            continue  # a footnote (a merged cell repeats its text in every column)
        line = Line(number, cells[place] if place < len(cells) else "")
        for block in blocks:
            raw = cells[block.index] if block.index < len(cells) else ""
            try:
                value = parse_number(raw)[0]
            except BadValue as bad:
                table.problem(number, block.label, raw, bad.key)
                continue
            if value is not None and value < 0 and not block.growth:
                table.problem(number, block.label, raw, "value.negative")
            (line.growth if block.growth else line.values)[(block.flow, block.span)] = value
        for j in [*unlabelled, *range(width, len(cells))]:
            if j < len(cells) and cells[j]:
                table.problem(number, f"#{j + 1}", cells[j], "customs.cell_unlabelled")
        if line.name in SUM_NAMES:
            table.total = line
            continue
        region, key, params = _region(line.name)
        if not region:
            table.problem(number, PLACE, line.name, key, **params)
        elif region in first:
            table.problem(number, PLACE, line.name, "row.duplicate_key", first=first[region])
        else:
            first[region], line.region_id = number, region
            table.lines.append(line)


@cache
def _known_names() -> frozenset[str]:
    return frozenset(normalise(t) for r in registry()
                     for t in (r.id, r.name_zh, r.short_zh, r.name_en, *r.aliases))


@cache
def _region(name: str) -> tuple[str, str, dict[str, Any]]:
    """A row name's region id, or "" with the problem key and parameters.

    Only names the registry knows go to `resolve`: these tables name places plainly,
    and resolve's composite search (`浙江省宁波市`) is exponential on long unknown names.
    """
    if name in NATION_NAMES:
        return NATION, "", {}
    if not name:
        return "", "value.required", {}
    if normalise(name) not in _known_names():
        return "", "region.not_found", {"name": name,
                                        "candidates": [r.label() for r in suggest(name)]}
    try:
        return resolve(name).region.id, "", {}
    except (RegionAmbiguous, RegionNotFound) as exc:
        return "", exc.key, dict(exc.params)


def _unit_of(text: str) -> str | None:
    """The money unit of `单位：人民币，万元，%` (万元) or `万人民币` (万元); 人民币 alone is 元."""
    parts = [values.normalise_unit(p) for p in re.split(r"[，,、;；\s]+", text) if p.strip()]
    money = [p for p in parts if p in MONEY_CNY]
    return next((p for p in money if p != "元"), money[0] if money else None)


def _record(line: Line, period: str, span: str, flow: str, raw: float | None, unit: str,
            source: str, ref: str, yoy: float | None, note: str | None = None) -> dict[str, Any]:
    money = values.to_canonical(raw, unit, {})
    return {"region_id": line.region_id, "period": period, "span": span, "flow": flow,
            "mode": "all", "value": money.value, "unit": money.unit, "value_raw": money.value_raw,
            "unit_raw": money.unit_raw, "fx_rate": None, "yoy_pct": yoy, "derived": False,
            "source": source, "source_ref": ref, "cited_source": None, "note": note}


def _national_plan(table: Table) -> Plan:
    """Every row, single month and cumulative, as published: nothing here is derived."""
    source, ref = f"gacc-{table.period[:4]}-city", f"{table.period} 表：{PLACE}"
    return Plan([_record(line, table.period, span, flow, raw, table.unit_label or "", source,
                         ref, line.growth.get((flow, span)))
                 for line in table.lines for (flow, span), raw in line.values.items()],
                options=f"layout=national;unit={table.unit_label}")


def _zj_plan(con: duckdb.DuckDBPyConnection, table: Table) -> Plan | None:
    """The cities' rows in the proven unit and span, plus derived single months."""
    reg, (year, month) = registry(), map(int, table.period.split("-"))
    city = reg.get(table.lines[0].region_id)  # 合计 is its province (or the nation)
    province = (reg.province_of(city) if city else None) or reg.get(NATION)
    previous, national = f"{year:04d}-{month - 1:02d}", f"gacc-{year}-city"
    regions = [line.region_id for line in table.lines] + [province.id if province else ""]
    stored: Stored = {(r[0], r[1], r[2], r[3]): (r[4], r[5], bool(r[6])) for r in con.execute(
        "SELECT region_id, period, span, flow, value, source, derived FROM trade WHERE "
        "mode = 'all' AND list_contains(?, region_id) AND list_contains(?, period)",
        [regions, [table.period, previous]]).fetchall()}
    decided = _decide(table, stored, province.id if province else "", national)
    if decided is None or province is None:
        return None
    span, unit, checked = decided
    source, ref = f"hzcustoms-{year}-zj", f"{table.period} 表：{province.name_zh}各地区进出口"
    records: list[dict[str, Any]] = []
    for line in table.lines:
        for (flow, _), raw in line.values.items():
            records.append(_record(line, table.period, span, flow, raw, unit, source, ref,
                                   line.growth.get((flow, "current")), checked))
            if span == "ytd":
                records += _derived(records[-1], stored.get((line.region_id, previous, span, flow)),
                                    previous, month, checked)
    withheld = [r for r in records if (old := stored.get(
        (r["region_id"], r["period"], r["span"], r["flow"]))) is not None
        and (old[1] == national or (r["derived"] and not old[2]))]
    kept = [r for r in records if r not in withheld]
    options = f"layout=zhejiang;span={span};unit={unit};label={table.unit_label}"
    return Plan(kept, withheld, f"{options};left_to_national={len(withheld)}")


def _derived(cumulative: dict[str, Any], before: tuple[float | None, str, bool] | None,
             previous: str, month: int, checked: str) -> list[dict[str, Any]]:
    """The single month C(m) − C(m−1), flagged derived; none when C(m−1) is not stored.

    So a combined 1–2月 release, with no 1月 cumulative, yields no single month at all.
    """
    if cumulative["value"] is None:
        return []
    if month == 1:
        value, note = cumulative["value"], translate("customs.note.january", "zh")
    elif before is not None and before[0] is not None:
        value = round(float(Decimal(repr(cumulative["value"])) - Decimal(repr(before[0]))), 8)
        note = translate("customs.note.derived", "zh", period=cumulative["period"],
                         month=month, previous=previous, before=month - 1, source=before[1])
    else:
        return []
    if value < 0:  # a revision of the earlier months shows through: not a month's trade
        return []
    # raw = value in 亿元, as a trade file giving the figure would store it (exports round-trip)
    return [{**cumulative, "span": "month", "value": value, "value_raw": value, "unit_raw": "亿元",
             "yoy_pct": None, "derived": True, "note": f"{note}；{checked}"}]


def _decide(table: Table, stored: Stored, province: str,
            national: str) -> tuple[str, str, str] | None:
    """(span of 当期, unit of the values, note), by checking 合计 against the national figure.

    With the national figure stored, the unit and span whose ratio is ≈ 1 win whatever
    the label says. Without it, a total above `IMPOSSIBLE` proves the label wrong and the
    one smaller plausible unit is taken; if that leaves a choice, the file is refused.
    """
    assert table.total is not None
    label, month = table.unit_label, int(table.period[5:])
    facts = {"label": label or "?", "period": table.period, "source": national}
    referenced = False
    for span in ("ytd", "month"):
        pairs = [(raw, ref[0]) for (flow, _), raw in table.total.values.items()
                 if (ref := stored.get((province, table.period, span, flow))) is not None
                 and ref[1] == national and ref[0] and raw is not None]
        referenced = referenced or bool(pairs)
        for unit in CNY_UNITS:
            ratios = [raw * MONEY_CNY[unit] / ref for raw, ref in pairs]
            if ratios and all(abs(r - 1) <= TOLERANCE for r in ratios):
                key = "confirmed" if unit == label else "corrected"
                return span, unit, translate(f"customs.note.unit_{key}", "zh", unit=unit,
                                             span=f"1–{month}月" if span == "ytd" else f"{month}月",
                                             ratio=f"{ratios[0]:.4f}", **facts)
    total = table.total.values.get(("total", "current"))
    plausible = [u for u in CNY_UNITS if total is not None and total * MONEY_CNY[u] <= IMPOSSIBLE]
    smaller = [u for u in plausible if label in MONEY_CNY and MONEY_CNY[u] < MONEY_CNY[label]]
    if referenced:
        table.problem(table.total.number, PLACE, str(total), "customs.unit_mismatch", **facts)
    elif label in plausible:
        return "ytd", label, translate("customs.note.unit_plausible", "zh", unit=label,
                                       month=month, **facts)
    elif total is not None and label and len(smaller) == 1:
        return "ytd", smaller[0], translate(
            "customs.note.unit_bound", "zh", unit=smaller[0], month=month,
            amount=f"{total * MONEY_CNY[label]:.0f}", bound=f"{IMPOSSIBLE:.0f}", **facts)
    else:
        table.problem(table.total.number, PLACE, str(total), "customs.unit_undecidable",
                      units="、".join(smaller or plausible) or "?", **facts)
    return None

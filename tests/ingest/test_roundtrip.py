"""Export → import round trips: a property test over generated trade and policy rows.

Hypothesis generates valid rows — regions written several ways, every span, flow and
mode, money in four units from sub-normal to huge, optional growth rates of either
sign, and text full of characters that spreadsheets or CSV treat specially (leading
`=` `+` `-` `@`, commas, quotes, newlines, Chinese punctuation). The rows are imported
into a copy of the seeded store, exported as CSV, XLSX and JSON, and the CSV and XLSX
files are imported into fresh copies: every stored row of the kind must come back
identical (the conversion provenance value_raw/unit_raw/fx_rate may differ, since an
export is written in the canonical unit). The exported files must be inert in a
spreadsheet: no text cell starts with = + - @, while numbers stay numbers.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import zonescope
from zonescope.errors import ImportRejected
from zonescope.ingest.kinds import Kind, get_kind

VOCAB = Path(zonescope.__file__).parent / "data" / "vocab"
FORMULA_START = ("=", "+", "-", "@")
NUMERIC_TYPES = ("number", "count", "year")
MONEY_FACTORS = {"元": 1e-8, "万元": 1e-4, "亿元": 1.0, "万亿元": 1e4}
# how a region is written -> the id it must be stored under
REGIONS = {"440300": "440300", "深圳市": "440300", "鹏城": "440300", "330200": "330200",
           "宁波市": "330200", "宁波地区": "330200", "广东省": "440000", "全国": "000000"}
TRICKY = ("=", "+", "-", "@", ",", '"', "'", "\n", " ", "\t", "（", "）", "，", "；", "、",
          "“", "”", "—", "%", "=SUM(A1:A9)", "=1+2", "@SUM(1)", "+86 755", "-3", "-", "表1",
          "一（一）", "深圳", 'say "hi"', "a,b")


def _codes(name: str) -> list[str]:
    entries = yaml.safe_load((VOCAB / f"{name}.yaml").read_text(encoding="utf-8"))
    return [str(entry["code"]) for entry in entries]


TARGETS = _codes("policy_targets")
CATEGORIES = _codes("policy_categories")

# --- strategies ----------------------------------------------------------------------------

_piece = st.one_of(st.sampled_from(TRICKY),
                   st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]))
# Leading/trailing space is trimmed on import and a leading apostrophe before = + - @
# is the anti-formula quote; both are documented, so generated text avoids them.
text = (st.lists(_piece, min_size=1, max_size=6).map("".join).map(str.strip)
        .filter(lambda s: s != "" and not s.startswith("'")))
optional_text = st.none() | text
period = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2015, 2030), st.integers(1, 12))


def _published(number: float) -> float:
    """At most 15 significant digits, as figures are printed (see the 17-digit test below)."""
    return float(f"{number:.15g}")


money = st.one_of(st.none(), st.sampled_from([0.0, 5e-324, 1e-9, 0.1, 7906.4, 1e15, 1e300]),
                  st.floats(min_value=0, max_value=1e300, allow_nan=False,
                            allow_infinity=False).map(_published))
growth = st.one_of(st.none(), st.sampled_from([-3.5, -100.0, 0.0, 17.3]),
                   st.floats(min_value=-1e6, max_value=1e6, allow_nan=False,
                             allow_infinity=False).map(_published))
nil = st.sampled_from(["", "-", "—"])
# the optional `derived` flag of trade rows: how it may be written -> what is stored
FLAG_CELLS = {"": False, "false": False, "否": False, "0": False, "true": True, "是": True,
              "TRUE": True, "推算": True}
TRADE_HAS_FLAG = any(column.type == "flag" for column in get_kind("trade").columns)


@dataclass(frozen=True)
class Table:
    """Generated rows of one kind as input-CSV cells, and what the first import must store."""

    kind: str
    rows: list[dict[str, str]]
    expected: list[dict[str, Any]]


def _number_cell(value: float | None, nil_form: str) -> str:
    return nil_form if value is None else repr(value)


@st.composite
def trade_tables(draw: st.DrawFn) -> Table:
    key = st.tuples(st.sampled_from(sorted(REGIONS)), period,
                    st.sampled_from(["month", "ytd", "year"]),
                    st.sampled_from(["total", "export", "import"]),
                    st.sampled_from(["all", "9610", "9710"]))
    # one ytd row per series and year: random cumulative values would otherwise "fall
    # within the year", which the importer rightly rejects (tests/ingest/test_consistency.py)
    keys = draw(st.lists(key, min_size=1, max_size=6, unique_by=lambda k: (
        REGIONS[k[0]], k[1][:4] if k[2] == "ytd" else k[1], *k[2:])))
    rows, expected = [], []
    for region, when, span, flow, mode in keys:
        value, unit, yoy = draw(money), draw(st.sampled_from(sorted(MONEY_FACTORS))), draw(growth)
        source = draw(text)
        ref, cited, note = (draw(optional_text) for _ in range(3))
        row = {"region": region, "period": when, "span": span, "flow": flow, "mode": mode,
               "value": _number_cell(value, draw(nil)), "unit": unit,
               "yoy_pct": _number_cell(yoy, draw(nil)), "source": source,
               "source_ref": ref or "", "cited_source": cited or "", "note": note or ""}
        want = {"region_id": REGIONS[region], "period": when, "span": span, "flow": flow,
                "mode": mode, "yoy_pct": yoy, "source": source, "source_ref": ref,
                "cited_source": cited, "note": note,
                "value": None if value is None else value * MONEY_FACTORS[unit]}
        if TRADE_HAS_FLAG:
            row["derived"], want["derived"] = draw(st.sampled_from(sorted(FLAG_CELLS.items())))
        rows.append(row)
        expected.append(want)
    return Table("trade", rows, expected)


@st.composite
def policy_tables(draw: st.DrawFn) -> Table:
    heads = draw(st.lists(st.tuples(st.sampled_from(sorted(REGIONS)), text), min_size=1,
                          max_size=5, unique_by=lambda h: (REGIONS[h[0]], h[1])))
    published = st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)
    rows, expected = [], []
    for region, title in heads:
        record = {"published": draw(published), "doc_no": draw(optional_text),
                  "issuer": draw(optional_text), "summary": draw(text),
                  "targets": draw(st.lists(st.sampled_from(TARGETS), min_size=1, unique=True)),
                  "categories": draw(st.lists(st.sampled_from(CATEGORIES), min_size=1,
                                              max_size=4, unique=True)),
                  "source": draw(text), "source_ref": draw(optional_text),
                  "full_text": draw(optional_text), "url": draw(optional_text),
                  "note": draw(optional_text)}
        separator = draw(st.sampled_from([";", "；", "、", ","]))
        cells = {k: separator.join(v) if isinstance(v, list) else v or ""
                 for k, v in record.items()}
        rows.append({"region": region, "title": title, **cells})
        expected.append({"region_id": REGIONS[region], "title": title, **record})
    return Table("policies", rows, expected)


# --- stores and files ----------------------------------------------------------------------


@contextmanager
def workspace() -> Iterator[Path]:
    """A temporary folder per example (function-scoped fixtures do not reset between them)."""
    with tempfile.TemporaryDirectory(prefix="zs-roundtrip-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def seeded_store(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store without trade rows: every example exports the whole table (25,000
    customs rows would make each XLSX export take seconds), and generated cumulative
    values must not be judged against the article's real series."""
    light = tmp_path_factory.mktemp("light") / "light.duckdb"
    shutil.copy(seeded_store, light)
    con = duckdb.connect(str(light))
    con.execute("DELETE FROM trade")
    con.close()
    return light


def fresh_store(seed: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.duckdb"
    shutil.copy(seed, path)
    return path


def write_csv(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def compared_columns(kind: Kind) -> list[str]:
    """The kind's own columns in the store (conversion provenance and import_id left out)."""
    return [column.storage for column in kind.columns]


def stored(store: Path, kind: Kind) -> list[tuple[Any, ...]]:
    columns = ", ".join(compared_columns(kind))
    with zonescope.open(store) as zs:
        return zs.store.con.execute(f"SELECT {columns} FROM {kind.table} "
                                    f"ORDER BY {', '.join(kind.storage_key)}").fetchall()


def stored_records(store: Path, kind: Kind) -> dict[tuple[Any, ...], dict[str, Any]]:
    names = compared_columns(kind)
    return {tuple(record[k] for k in kind.storage_key): record
            for record in (dict(zip(names, row, strict=True)) for row in stored(store, kind))}


def import_into(store: Path, path: Path, kind: str) -> int:
    with zonescope.open(store) as zs:
        return zs.import_file(path, kind).rows


def export_from(store: Path, kind: str, target: Path) -> int:
    with zonescope.open(store) as zs:
        return zs.export(kind, target)


# --- checks --------------------------------------------------------------------------------


def assert_imported_as_generated(store: Path, table: Table) -> None:
    """The first import stored what was generated (region ids resolved, money in 亿元)."""
    kind = get_kind(table.kind)
    records = stored_records(store, kind)
    for want in table.expected:
        got = records[tuple(want[k] for k in kind.storage_key)]
        for name, value in want.items():
            if name == "value" and value is not None:
                assert math.isclose(got[name], value, rel_tol=1e-12, abs_tol=1e-300), name
            else:
                assert got[name] == value, (name, got[name], value)


def assert_csv_is_inert(path: Path, kind: Kind) -> None:
    numeric = numeric_columns(kind)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle))
    assert body
    for row in body:
        assert len(row) == len(header)
        for name, cell in zip(header, row, strict=True):
            if name in numeric:
                assert cell == "" or math.isfinite(float(cell)), (name, cell)
            else:
                assert not cell.startswith(FORMULA_START), (name, cell)


def numeric_columns(kind: Kind) -> set[str]:
    """Columns whose cells are numbers: the kind's own, plus money conversion provenance."""
    provenance = {"value_raw", "fx_rate"} if any(c.money for c in kind.columns) else set()
    return {c.name for c in kind.columns if c.type in NUMERIC_TYPES} | provenance


def assert_xlsx_is_inert(path: Path, kind: Kind) -> None:
    numeric = numeric_columns(kind)
    flags = {c.name for c in kind.columns if c.type == "flag"}
    book = load_workbook(path)
    sheet = book[kind.name]
    header, *body = [list(row) for row in sheet.iter_rows()]
    names = [cell.value for cell in header]
    assert body
    for row in body:
        for name, cell in zip(names, row, strict=True):
            if cell.value is None:
                continue
            assert cell.data_type != "f", (name, cell.value)
            if name in numeric:
                assert cell.data_type == "n", (name, cell.value, cell.data_type)
            elif name in flags:
                assert cell.data_type == "b", (name, cell.value, cell.data_type)
            else:
                assert cell.data_type == "s", (name, cell.value, cell.data_type)
                assert not str(cell.value).startswith(FORMULA_START), (name, cell.value)
    book.close()


def assert_json_is_plain(path: Path, store: Path, kind: Kind) -> None:
    """JSON is for programs: values as stored, never an apostrophe-quoted text."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    records = stored_records(store, kind)
    assert len(rows) == len(records)
    for row in rows:
        key = tuple(row[c.name] for c in (kind.column(k) for k in kind.key))
        record = records[key]
        for column in kind.columns:
            if column.type == "text":
                assert row[column.name] == record[column.storage], column.name


def check_round_trip(seed: Path, table: Table) -> None:
    kind = get_kind(table.kind)
    with workspace() as folder:
        original = fresh_store(seed, folder, "original")
        assert import_into(original, write_csv(folder / "input.csv", table.rows),
                           kind.name) == len(table.rows)
        assert_imported_as_generated(original, table)
        before = stored(original, kind)
        for suffix in (".csv", ".xlsx", ".json"):
            assert export_from(original, kind.name, folder / f"export{suffix}") == len(before)
        assert_csv_is_inert(folder / "export.csv", kind)
        assert_xlsx_is_inert(folder / "export.xlsx", kind)
        assert_json_is_plain(folder / "export.json", original, kind)
        for suffix in (".csv", ".xlsx"):
            again = fresh_store(seed, folder, f"again{suffix}")
            assert import_into(again, folder / f"export{suffix}", kind.name) == len(before)
            assert stored(again, kind) == before, suffix


ROUND_TRIP = settings(max_examples=25, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@ROUND_TRIP
@given(table=trade_tables())
@example(table=Table(
    "trade",
    [{"region": "鹏城", "period": "2021-03", "span": "month", "flow": "export", "mode": "9610",
      "value": "12345", "unit": "万元", "yoy_pct": "-3.5", "source": "=HYPERLINK(\"x\")",
      "source_ref": "-1", "cited_source": "@天眼查", "note": "+86,\n“引号”（括号）"}],
    [{"region_id": "440300", "period": "2021-03", "span": "month", "flow": "export",
      "mode": "9610", "value": 1.2345, "yoy_pct": -3.5, "source": "=HYPERLINK(\"x\")",
      "source_ref": "-1", "cited_source": "@天眼查", "note": "+86,\n“引号”（括号）"}]))
def test_trade_export_reimports_identically(seeded_store: Path, table: Table) -> None:
    check_round_trip(seeded_store, table)


@ROUND_TRIP
@given(table=policy_tables())
def test_policies_export_reimports_identically(seeded_store: Path, table: Table) -> None:
    check_round_trip(seeded_store, table)


# --- known gaps ----------------------------------------------------------------------------


def test_line_breaks_survive_xlsx(seeded_store: Path) -> None:
    row = {"region": "宁波市", "period": "2019-06", "span": "ytd", "flow": "total",
           "mode": "all", "value": "1", "unit": "亿元", "source": "x", "note": "第一行\n第二行"}
    check_round_trip(seeded_store, Table("trade", [row], []))


def test_windows_line_breaks_are_stored_as_newlines(zs: zonescope.ZoneScope,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes("region,period,span,flow,mode,value,unit,source,note\r\n"
                     "宁波市,2019-06,ytd,total,all,1,亿元,x,\"第一行\r\n第二行\"\r\n".encode())
    zs.import_file(path, "trade")
    assert zs.sql("SELECT note FROM trade WHERE source = 'x'").rows == [("第一行\n第二行",)]


def test_seventeen_digit_float_survives_xlsx(seeded_store: Path) -> None:
    row = {"region": "宁波市", "period": "2019-06", "span": "ytd", "flow": "total",
           "mode": "all", "value": "1", "unit": "亿元", "yoy_pct": repr(1.1566312265349552),
           "source": "x"}
    check_round_trip(seeded_store, Table("trade", [row], []))


def test_overflowing_conversion_is_not_stored_as_infinity(seeded_store: Path) -> None:
    row = {"region": "宁波市", "period": "2019-06", "span": "ytd", "flow": "total",
           "mode": "all", "value": "1e305", "unit": "万亿元", "source": "x"}
    with workspace() as folder:
        store = fresh_store(seeded_store, folder, "store")
        try:
            import_into(store, write_csv(folder / "big.csv", [row]), "trade")
        except ImportRejected:
            return
        values = [r["value"] for r in stored_records(store, get_kind("trade")).values()]
        assert all(math.isfinite(v) for v in values if v is not None)

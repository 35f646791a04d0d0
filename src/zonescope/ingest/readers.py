"""Reading CSV (UTF-8, UTF-8 BOM, GBK/GB18030) and XLSX into rows numbered as the user sees them."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from zonescope.errors import CellProblem

ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Sheet:
    """A file's header row and data rows; `rows` pairs each row with its 1-based row number."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    encoding: str | None = None
    problems: list[CellProblem] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding that read it; GBK files decode as GB18030 (a superset)."""
    if b"\x00" in data[:4096]:
        raise UnicodeError("binary")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnicodeError("undecodable")


def read_table(path: Path, sheet_name: str | None = None) -> Sheet:
    """Read `path` by its extension; problems of the file itself land in `Sheet.problems`."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet_name)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return _read_csv(path)
    return Sheet(path.name, [], [], problems=[
        CellProblem(1, "", path.suffix, "file.unsupported_type")])


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    try:
        text, encoding = decode(data)
    except UnicodeError:
        return Sheet(path.name, [], [], problems=[
            CellProblem(1, "", "", "file.bad_encoding")])
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    records = list(csv.reader(io.StringIO(text, newline=""), dialect=dialect))
    return _sheet_from_records(path.name, [list(r) for r in records], encoding)


def _read_xlsx(path: Path, sheet_name: str | None) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        return Sheet(path.name, [], [], problems=[CellProblem(1, "", "", "file.bad_xlsx")])
    try:
        named = sheet_name and sheet_name in book.sheetnames
        ws = book[sheet_name] if named else book.worksheets[0]
        records = [list(row) for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    return _sheet_from_records(path.name, records, None)


def _sheet_from_records(name: str, records: list[list[object]], encoding: str | None) -> Sheet:
    numbered = [(i + 1, row) for i, row in enumerate(records)]
    numbered = [(n, row) for n, row in numbered if any(_filled(c) for c in row)]
    if not numbered:
        return Sheet(name, [], [], encoding, [CellProblem(1, "", "", "file.empty")])
    _, header = numbered[0]
    headers = ["" if c is None else str(c).strip() for c in header]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for number, row in numbered[1:]:
        cells = list(row[: len(headers)])
        extra = [c for c in row[len(headers):] if _filled(c)]
        cells += [None] * (len(headers) - len(cells))
        rows.append((number, cells + extra))
    return Sheet(name, headers, rows, encoding)


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""

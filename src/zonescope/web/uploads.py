"""Uploaded files: saved with a size cap, XLSX checked against zip bombs, rows capped.

An .xlsx is a zip archive; a small one can inflate to gigabytes. Before openpyxl
sees it, every member's declared size and compression ratio are checked, and the
total uncompressed size is capped. (Declared sizes can lie; openpyxl reads through
`zipfile`, which stops at the declared size, so a lie truncates rather than inflates.)
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from zonescope.web.security import WebError

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Upload caps; defaults suit statistics tables, not data dumps."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_unzipped: int = 200 * 1024 * 1024
    max_ratio: float = 100.0


def save_upload(stream: BinaryIO, name: str, folder: Path, limits: Limits) -> Path:
    """Copy the upload to `folder` under a safe name, refusing it past `max_bytes`."""
    suffix = Path(name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise WebError(400, "web.upload_type", suffix=suffix or "?", allowed=list(SUFFIXES))
    handle = tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False)  # noqa: SIM115
    size = 0
    with handle:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limits.max_bytes:
                handle.close()
                Path(handle.name).unlink(missing_ok=True)
                raise WebError(413, "web.upload_too_big", limit=limits.max_bytes // 1024 // 1024)
            handle.write(chunk)
    target = Path(handle.name)
    if size == 0:
        target.unlink(missing_ok=True)
        raise WebError(400, "web.upload_empty")
    try:
        if suffix == ".xlsx":
            check_xlsx(target, limits)
        else:
            check_rows(target, limits)
    except WebError:
        target.unlink(missing_ok=True)
        raise
    return target


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse archives that are not zips, or inflate too much in total or per member."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise WebError(400, "web.upload_bad_xlsx") from None
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio and member.file_size > 1024 * 1024:
            raise WebError(413, "web.upload_zip_bomb", member=member.filename,
                           ratio=f"{ratio:.0f}", limit=f"{limits.max_ratio:.0f}")
    if total > limits.max_unzipped:
        raise WebError(413, "web.upload_unzipped_too_big",
                       size=total // 1024 // 1024, limit=limits.max_unzipped // 1024 // 1024)


def check_rows(path: Path, limits: Limits) -> None:
    """Text files: at most `max_rows` lines (header included), counted without decoding."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
            if lines > limits.max_rows + 1:
                raise WebError(413, "web.upload_too_many_rows", limit=limits.max_rows)


def check_sheet_rows(count: int, limits: Limits) -> None:
    """Any file, once read: at most `max_rows` data rows."""
    if count > limits.max_rows:
        raise WebError(413, "web.upload_too_many_rows", limit=limits.max_rows)

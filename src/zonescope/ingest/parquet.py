"""Customs detail as Parquet: `zonescope import FILE --kind customs-detail --to-parquet DIR`.

At national scale (billions of HS-8 × partner × mode × month rows) the detail does
not belong in the one-file store: it goes to a directory that DuckDB and Spark both
read, in the hive layout `DIR/year=YYYY/month=MM/import-<id>-<n>.parquet` (a total
over several months goes under the range's last month). The file is parsed and
checked by the customs-detail importer itself (`import_detail` with this module's
sink in place of the store's writer), so the rules and messages are the same.

An import is all or nothing: its files are written under `DIR/.staging-<id>/`
(ignored by every reader: the name starts with a dot), moved into place when the
whole file was accepted, and only then is `DIR/_imports/<id>.json` written — the
manifest (file, sha256, options, rows, files) that makes them part of the dataset.
A reader (`dataset_files`) takes only files a manifest lists, so an import killed
part-way is never read; a directory without manifests (written by another tool)
is read whole. Every file's schema is checked against `SCHEMA` before an engine
starts. Imports are appended; like the store, the measures read per slice the
newest import (`import_id`) that has the dimension they need.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from zonescope.errors import ZoneScopeError
from zonescope.ingest.customs_detail import KIND, DetailOptions, DetailReport, import_detail
from zonescope.ingest.values import BadValue, parse_fx
from zonescope.store import writer

TEXT = ("period", "period_start", "period_end", "flow", "hs_code", "hs_name", "partner_code",
        "partner_name", "mode", "mode_name", "region_id")
SCHEMA = pa.schema([
    *[pa.field(name, pa.string()) for name in TEXT],
    pa.field("qty1", pa.float64()), pa.field("unit1", pa.string()),
    pa.field("qty2", pa.float64()), pa.field("unit2", pa.string()),
    pa.field("value", pa.float64()), pa.field("currency", pa.string()),
    pa.field("value_unit", pa.string()), pa.field("dims", pa.string()),
    pa.field("import_id", pa.int64()),
])
MANIFESTS = "_imports"
ROW_GROUP = 1 << 18  # rows buffered per month before a row group is written


def import_file_to_parquet(path: Path, kind: str, directory: Path, *,
                           fx: list[str] | None = None, options: DetailOptions | None = None
                           ) -> DetailReport:
    """`zonescope import FILE --kind customs-detail --to-parquet DIR`: the options checked."""
    if kind != KIND:
        raise ZoneScopeError("parquet.kind_only", kind=kind)
    if not path.is_file():
        raise ZoneScopeError("file.missing", path=str(path))
    try:
        rates = parse_fx(fx or [])
    except BadValue as bad:
        raise ZoneScopeError(bad.key, **bad.params) from None
    return import_to_parquet(path, path.name, directory, fx=rates, options=options)


def import_to_parquet(path: Path, name: str, directory: Path, *,
                      fx: dict[str, float] | None = None,
                      options: DetailOptions | None = None) -> DetailReport:
    """Check `path` as the importer does and append its rows to the dataset `directory`."""
    return import_detail(None, path, name, fx=fx, options=options,  # type: ignore[arg-type]
                         sink=ParquetSink(directory))


class ParquetSink:
    """Stands in for `writer.write_detail_chunks`: the checked chunks go to Parquet files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __call__(self, con: Any, chunks: Iterable[pa.Table], meta: writer.ImportMeta,
                 **_: Any) -> writer.DetailWrite:
        if self.directory.exists() and not self.directory.is_dir():
            raise ZoneScopeError("parquet.not_a_directory", path=str(self.directory))
        created = not self.directory.exists()
        self.directory.mkdir(parents=True, exist_ok=True)
        import_id = _next_id(self.directory)
        staging = self.directory / f".staging-{import_id}-{uuid.uuid4().hex[:8]}"
        committed = False
        try:
            rows = _write_months(chunks, staging, import_id)
            placed = _publish(staging, self.directory)
            manifest = {"import_id": import_id, "kind": meta.kind, "file_name": meta.file_name,
                        "sha256": meta.sha256, "options": meta.options, "rows": rows,
                        "created_at": datetime.now().isoformat(timespec="seconds"),
                        "files": placed}
            target = self.directory / MANIFESTS / f"{import_id}.json"
            target.parent.mkdir(exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
            temporary.replace(target)  # the commit point: the import is now part of DIR
            committed = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if created and not committed:
                shutil.rmtree(self.directory, ignore_errors=True)
        return writer.DetailWrite(import_id, rows, 0, writer.WriteResult(import_id, 0, 0, 0))


def _write_months(chunks: Iterable[pa.Table], staging: Path, import_id: int) -> int:
    """Chunks split by month into one file per month under `staging`; the rows written."""
    buffers: dict[str, list[pa.Table]] = {}
    counts: dict[str, int] = {}
    writers: dict[str, pq.ParquetWriter] = {}
    rows = 0
    try:
        for chunk in chunks:
            table = _conform(chunk, import_id)
            rows += table.num_rows
            keys = pc.coalesce(table.column("period"), table.column("period_end"))
            for month in pc.unique(keys).to_pylist():
                part = table.filter(pc.equal(keys, month))
                buffers.setdefault(month, []).append(part)
                counts[month] = counts.get(month, 0) + part.num_rows
                if counts[month] >= ROW_GROUP:
                    _flush(month, buffers, counts, writers, staging, import_id)
        for month in list(buffers):
            _flush(month, buffers, counts, writers, staging, import_id)
    finally:
        for handle in writers.values():
            handle.close()
    return rows


def _flush(month: str, buffers: dict[str, list[pa.Table]], counts: dict[str, int],
           writers: dict[str, pq.ParquetWriter], staging: Path, import_id: int) -> None:
    if not buffers.get(month):
        return
    if month not in writers:
        folder = staging / f"year={month[:4]}" / f"month={month[5:7]}"
        folder.mkdir(parents=True, exist_ok=True)
        writers[month] = pq.ParquetWriter(folder / f"import-{import_id}-0.parquet", SCHEMA,
                                          compression="zstd")
    writers[month].write_table(pa.concat_tables(buffers.pop(month)), row_group_size=ROW_GROUP)
    counts[month] = 0


def _conform(chunk: pa.Table, import_id: int) -> pa.Table:
    """A chunk (any subset of the columns, dictionary-encoded constants) in `SCHEMA`."""
    columns = []
    for field in SCHEMA:
        if field.name == "import_id":
            columns.append(pa.array(np.full(chunk.num_rows, import_id, np.int64)))
        elif field.name in chunk.column_names:
            columns.append(chunk.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(chunk.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def _publish(staging: Path, directory: Path) -> list[str]:
    """Move the staged files into place; their paths relative to `directory`."""
    placed = []
    for source in sorted(staging.rglob("*.parquet")):
        relative = source.relative_to(staging)
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)
        placed.append(relative.as_posix())
    return placed


def _next_id(directory: Path) -> int:
    ids = [int(p.stem) for p in (directory / MANIFESTS).glob("*.json") if p.stem.isdigit()]
    return max(ids, default=0) + 1


def manifests(directory: Path) -> list[dict[str, Any]]:
    """The dataset's import manifests, oldest first (empty for a directory of another tool)."""
    found = []
    for path in sorted((directory / MANIFESTS).glob("*.json"), key=lambda p: p.stem.zfill(12)):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            raise ZoneScopeError("parquet.bad_manifest", path=str(path)) from None
    return found


def dataset_files(directory: Path) -> list[Path]:
    """The Parquet files of the dataset at `directory`, each checked against `SCHEMA`."""
    if not directory.is_dir():
        raise ZoneScopeError("parquet.missing", path=str(directory))
    listed = manifests(directory)
    if listed:
        files = [directory / name for entry in listed for name in entry.get("files", [])]
        lost = [f for f in files if not f.is_file()]
        if lost:
            raise ZoneScopeError("parquet.file_lost", path=str(lost[0]), count=len(lost))
    else:
        files = sorted(p for p in directory.rglob("*.parquet")
                       if not any(part.startswith((".", "_"))
                                  for part in p.relative_to(directory).parts))
    if not files:
        raise ZoneScopeError("parquet.empty", path=str(directory))
    for path in files:
        check_schema(path)
    return files


def check_schema(path: Path) -> None:
    """Raise a clear error for a missing column or one of the wrong type (text, numbers)."""
    try:
        found = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise ZoneScopeError("parquet.unreadable", path=str(path), reason=str(exc)[:200]
                             ) from None
    types = {}
    for field in found:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        types[field.name] = ("string" if pa.types.is_string(kind) or pa.types.is_large_string(
            kind) else "bigint" if pa.types.is_integer(kind) else "double"
            if pa.types.is_floating(kind) else str(kind))
    check_columns(types, str(path))


def check_columns(found: dict[str, str], where: str) -> None:
    """Check column → type name (Spark's simple strings: string, int, bigint, double…)."""
    for field in SCHEMA:
        if field.name not in found:
            raise ZoneScopeError("parquet.missing_column", path=where, column=field.name,
                                 expected=_SPARK_NAMES[str(field.type)])
        kind = found[field.name]
        if pa.types.is_string(field.type):
            ok = kind == "string"
        elif pa.types.is_integer(field.type):
            ok = kind in _INTEGERS
        else:
            ok = kind in _INTEGERS or kind in ("double", "float")
        if not ok:
            raise ZoneScopeError("parquet.wrong_type", path=where, column=field.name,
                                 found=kind, expected=_SPARK_NAMES[str(field.type)])


_INTEGERS = ("tinyint", "smallint", "int", "bigint")
_SPARK_NAMES = {"string": "string", "double": "double", "int64": "bigint"}


def dataset_digest(directory: Path) -> str:
    """sha256 over the dataset's files (relative path and size) and manifests: its identity."""
    digest = hashlib.sha256()
    for path in dataset_files(directory):
        digest.update(f"{path.relative_to(directory).as_posix()}\t{path.stat().st_size}\n"
                      .encode())
    for entry in manifests(directory):
        digest.update(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()

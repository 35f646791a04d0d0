"""The web import of `customs-detail` (query-platform CSV exports): options and a dry run.

The importer streams the file, so there is no sheet to show. The preview runs the
importer itself with a sink that only counts rows and keeps a sample (its `sink=`
exists so the Parquet writer can stand in for the store's): the same parsing,
checks and messages as a real import, and nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from zonescope.errors import ImportRejected
from zonescope.ingest.customs_detail import (
    KIND,
    DetailOptions,
    flow_of,
    import_detail,
    options_for,
)
from zonescope.store import writer


def detail_options(kind: str, name: str, flow: str, period: str,
                   source: str) -> DetailOptions | None:
    """The form's or query's flow/period/source (`options_for`), the flow checked against
    the file name now so that a job is never started that must fail."""
    options = options_for(kind, flow, period, source)
    if options is not None:
        flow_of(options.flow, name)
    return options


class SampleSink:
    """Stands in for `writer.write_detail_chunks`: counts rows, keeps the first ones."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows = 0
        self.sample: pa.Table | None = None

    def __call__(self, con: Any, chunks: Iterable[pa.Table], meta: writer.ImportMeta,
                 **_: Any) -> writer.DetailWrite:
        for chunk in chunks:
            if self.sample is None:
                self.sample = chunk.slice(0, self.limit)
            self.rows += chunk.num_rows
        return writer.DetailWrite(0, self.rows, 0, writer.WriteResult(None, 0, 0, 0))


def preview_detail(con: duckdb.DuckDBPyConnection, path: Path, name: str,
                   fx: dict[str, float], options: DetailOptions | None, limit: int,
                   lang: str) -> dict[str, Any]:
    """The preview of a customs-detail file, shaped as the other kinds' previews.

    `con` is only handed to the sink (a read cursor; nothing is written). Row numbers
    are file lines: the header is line 1, so a row of the first chunk is its index + 2.
    A rejected file lists its problems; other errors (missing period, bad flow) raise.
    """
    sink = SampleSink(limit)
    problems: list[dict[str, Any]] = []
    try:
        import_detail(con, path, name, fx=fx, options=options, sink=sink)
    except ImportRejected as rejected:
        problems = [p.to_dict(lang) for p in rejected.problems]
    sample = sink.sample
    headers = sample.column_names if sample is not None else []
    rows = sample.to_pylist() if sample is not None else []
    return {"file": name, "kind": KIND, "headers": headers, "rows": sink.rows,
            "sample": [[None if v is None else str(v) for v in row.values()] for row in rows],
            "sample_rows": [i + 2 for i in range(len(rows))],
            "problems": problems, "ok": not problems}

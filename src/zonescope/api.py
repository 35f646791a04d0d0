r"""The Python API: what the CLI offers, for notebooks and scripts.

>>> import zonescope, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> zs = zonescope.open(folder / "demo.duckdb")
>>> zs.region("甬").name_zh
'宁波市'
>>> [r.name_zh for r in zs.regions(pilot_batch=1)]
['杭州市']
>>> zs.sql("SELECT count(*) AS n FROM regions WHERE level = 'province'").rows
[(31,)]

Import a file (validated in full, written atomically), then compare:

>>> _ = (folder / "mine.csv").write_text(
...     "地区,期间,口径,流向,监管方式,值（万元）,来源\n"
...     "鹏城,2030-06,ytd,export,9610,12345,我的调查\n",
...     encoding="utf-8")
>>> report = zs.import_file(folder / "mine.csv", kind="trade")
>>> report.added, report.updated, report.unchanged
(1, 0, 0)
>>> table = zs.compare("深圳", "宁波", period="2030").to_dict()
>>> item = table["dimensions"][0]["items"][0]
>>> item["values"]["440300"]["value"], item["unit"], item["values"]["330200"]
(1.2345, '亿元', None)
>>> zs.export("trade", folder / "trade.xlsx") > 0
True
>>> zs.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zonescope.compare import Comparison, get_comparison
from zonescope.errors import ZoneScopeError
from zonescope.ingest.customs_detail import options_for
from zonescope.ingest.export import export_kind
from zonescope.ingest.importer import ImportReport, import_file
from zonescope.ingest.template import write_template
from zonescope.ingest.values import BadValue, parse_fx
from zonescope.regions import Region, registry
from zonescope.regions.resolve import check_levels, resolve
from zonescope.store import Store, writer
from zonescope.store.console import QueryResult, run_readonly
from zonescope.store.queries import get_history, get_status


class ZoneScope:
    """One store and everything that can be asked of it."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.store = Store(path)

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> ZoneScope:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # regions
    def region(self, name: str, level: str | None = None) -> Region:
        """The one region `name` denotes (raises with candidates when unknown or ambiguous)."""
        return resolve(name, level=level).region

    def regions(self, *, level: str | None = None, parent: str | None = None,
                pilot_batch: int | None = None, active_pilot: bool = False) -> list[Region]:
        """Regions filtered by level, parent (any ancestor), pilot batch or active pilot status."""
        reg = registry()
        check_levels(level)
        parent_id = self.region(parent).id if parent else None
        found = []
        for region in reg:
            if level and region.level != level:
                continue
            if parent_id and parent_id not in {a.id for a in reg.ancestors(region)}:
                continue
            zones = reg.pilot(region.id)
            if pilot_batch is not None and not any(z.batch == pilot_batch for z in zones):
                continue
            if active_pilot and not any(z.active for z in zones):
                continue
            found.append(region)
        return found

    # data in and out
    def import_file(self, path: Path | str, kind: str, fx: list[str] | None = None, *,
                    flow: str | None = None, period: str | None = None,
                    source: str | None = None, progress: bool = False) -> ImportReport:
        """Import a CSV/XLSX file of `kind` atomically (see docs/data-formats.md).

        `flow`, `period` and `source` describe a `customs-detail` query export
        (`period` is YYYY-MM or YYYY-MM:YYYY-MM); `progress` shows a bar on a terminal.
        """
        try:
            rates = parse_fx(fx or [])
        except BadValue as bad:
            raise ZoneScopeError(bad.key, **bad.params) from None
        target = Path(path)
        if not target.is_file():
            raise ZoneScopeError("file.missing", path=str(target))
        detail = options_for(kind, flow, period, source, progress=progress)
        return import_file(self.store.con, target, kind, fx=rates, detail=detail)

    def export(self, kind: str, target: Path | str) -> int:
        return export_kind(self.store.con, kind, Path(target))

    def template(self, kind: str, target: Path | str, lang: str = "zh") -> None:
        write_template(kind, Path(target), lang)

    # questions
    def status(self) -> list[dict[str, Any]]:
        return get_status(self.store.con)

    def history(self, limit: int | None = None) -> list[dict[str, Any]]:
        return get_history(self.store.con, limit)

    def next_undo(self) -> dict[str, Any]:
        """The import `undo` would take back (id, kind, file, time); raises when there is none."""
        return writer.undo_target(self.store.con)

    def undo(self, expected: int | None = None) -> dict[str, Any]:
        """Take back the newest user import exactly, in one transaction (see `db undo`);
        with `expected`, only if that is still the import it would take back."""
        return writer.undo_latest(self.store.con, expected)

    def sql(self, query: str, limit: int | None = None) -> QueryResult:
        """Run a read-only SELECT; writes and file access are refused."""
        con = self.store.sandboxed()
        try:
            return run_readonly(con, query, limit)
        finally:
            con.close()

    def compare(self, *names: str, period: str | None = None,
                spans: tuple[str, ...] = ("year", "ytd", "month"),
                latest_only: bool = False) -> Comparison:
        """Side-by-side facts for two to four regions, by the article's five dimensions."""
        regions = [self.region(n) for n in names]
        return get_comparison(self.store.con, regions, period=period, spans=spans,
                              latest_only=latest_only)


def open(path: Path | str | None = None) -> ZoneScope:  # noqa: A001 - the documented entry point
    """Open (creating, migrating and populating as needed) the store at `path`."""
    return ZoneScope(path)

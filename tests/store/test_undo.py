"""`zonescope db undo`: the newest user import taken back exactly, one at a time.

"Exactly" is checked on whole-store snapshots (every data table, `customs_detail`
included): the store after an undo equals the store before the import, apart from the
import log and the undo bookkeeping, which only grow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.ingest.test_customs_detail import everything, platform_csv
from typer.testing import Result

import zonescope
from zonescope.errors import StoreError
from zonescope.store import writer

Snapshot = dict[str, list[tuple[Any, ...]]]
Writer = Callable[..., Path]
HEADER = "region,period,span,flow,mode,value,unit,source\n"
FIRST = HEADER + ("深圳,2031-06,ytd,export,all,1,亿元,undo-test\n"
                  "宁波,2031-06,ytd,export,all,5,亿元,undo-test\n")
SECOND = HEADER + ("深圳,2031-06,ytd,export,all,2,亿元,undo-test\n"  # updates 深圳
                   "宁波,2031-06,ytd,export,all,5,亿元,undo-test\n"  # unchanged
                   "深圳,2031-07,ytd,export,all,3,亿元,undo-test\n")  # added
DETAIL = "数据年月,贸易方式编码,注册地名称,人民币"


def data(store: Path) -> Snapshot:
    """Everything but the import log and the undo marks, which an undo extends."""
    return {k: v for k, v in everything(store).items() if k not in ("imports", "undone")}


def shadows(store: Path) -> int:
    with zonescope.open(store) as zs:
        return sum(zs.store.con.execute(f"SELECT count(*) FROM {t}_superseded").fetchall()[0][0]
                   for t in writer.UNDOABLE)


def imported(store: Path, path: Path, kind: str, **options: Any) -> Any:
    with zonescope.open(store) as zs:
        return zs.import_file(path, kind, **options)


def undo(store: Path) -> dict[str, Any]:
    with zonescope.open(store) as zs:
        return zs.undo()


# refusals first

def test_nothing_to_undo_on_a_fresh_store_changes_nothing(store_path: Path, cli: Callable[
        ..., Result]) -> None:
    before = everything(store_path)
    with zonescope.open(store_path) as zs, pytest.raises(StoreError) as caught:
        zs.undo()
    assert caught.value.key == "undo.nothing"
    assert "撤销" in caught.value.render("zh") and "undo" in caught.value.render("en")
    result = cli("db", "undo", "--yes", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "undo.nothing"
    assert everything(store_path) == before


def test_without_yes_a_non_interactive_run_is_refused(store_path: Path, write_file: Writer,
                                                       cli: Callable[..., Result]) -> None:
    imported(store_path, write_file("a.csv", FIRST), "trade")
    before = everything(store_path)
    result = cli("db", "undo")  # no terminal, no input: the confirmation is not given
    assert result.exit_code == 1
    assert "a.csv" in result.output  # the question names the import
    assert everything(store_path) == before


def test_bundled_data_loaded_after_an_import_blocks_its_undo(store_path: Path,
                                                             write_file: Writer) -> None:
    imported(store_path, write_file("a.csv", FIRST), "trade")
    with zonescope.open(store_path) as zs:
        meta = writer.ImportMeta("trade", "bundled:later.csv", "0" * 64, "bundled")
        writer.write_rows(zs.store.con, "trade", ["region_id", "period", "span", "flow", "mode"],
                          [], meta)
    before = everything(store_path)
    with zonescope.open(store_path) as zs, pytest.raises(StoreError) as caught:
        zs.undo()
    assert caught.value.key == "undo.blocked"
    assert "bundled:later.csv" in caught.value.render("en")
    assert everything(store_path) == before


def test_an_import_arriving_after_confirmation_is_not_undone_in_its_place(
        store_path: Path, write_file: Writer) -> None:
    imported(store_path, write_file("a.csv", FIRST), "trade")
    with zonescope.open(store_path) as zs:
        confirmed = zs.next_undo()["import_id"]
    imported(store_path, write_file("b.csv", SECOND), "trade")
    before = everything(store_path)
    with zonescope.open(store_path) as zs, pytest.raises(StoreError) as caught:
        zs.undo(confirmed)
    assert caught.value.key == "undo.changed"
    assert everything(store_path) == before


# exact round trips

def test_undo_of_an_import_that_adds_rows(store_path: Path, write_file: Writer) -> None:
    before = data(store_path)
    report = imported(store_path, write_file("a.csv", FIRST), "trade")
    assert report.added == 2
    result = undo(store_path)
    assert (result["import_id"], result["kind"], result["file_name"]) == (
        report.import_id, "trade", "a.csv")
    assert (result["rows_removed"], result["rows_restored"]) == (2, 0)
    assert data(store_path) == before


def test_undo_restores_updated_values_and_their_import_id(store_path: Path,
                                                          write_file: Writer) -> None:
    first = imported(store_path, write_file("a.csv", FIRST), "trade")
    before = data(store_path)
    second = imported(store_path, write_file("b.csv", SECOND), "trade")
    assert (second.added, second.updated, second.unchanged) == (1, 1, 1)
    result = undo(store_path)
    assert (result["rows_removed"], result["rows_restored"]) == (2, 1)
    assert data(store_path) == before
    with zonescope.open(store_path) as zs:
        assert zs.sql("SELECT value, import_id FROM trade WHERE source = 'undo-test' AND "
                      "region_id = '440300'").rows == [(1.0, first.import_id)]
    assert shadows(store_path) == 0  # what was put back left the shadow


def test_repeated_undo_walks_back_one_import_at_a_time(store_path: Path,
                                                       write_file: Writer) -> None:
    start = data(store_path)
    log = len(everything(store_path)["imports"])
    first = imported(store_path, write_file("a.csv", FIRST), "trade")
    middle = data(store_path)
    second = imported(store_path, write_file("b.csv", SECOND), "trade")
    assert undo(store_path)["import_id"] == second.import_id
    assert data(store_path) == middle
    assert undo(store_path)["import_id"] == first.import_id
    assert data(store_path) == start
    with pytest.raises(StoreError) as caught:
        undo(store_path)
    assert caught.value.key == "undo.nothing"
    imports = everything(store_path)["imports"]
    assert len(imports) == log + 4  # two imports, two undos: the log keeps all
    assert sorted(r[1] for r in imports if r[1] == "undo") == ["undo", "undo"]


def test_undo_of_a_policies_import(store_path: Path) -> None:
    before = data(store_path)
    source = Path(__file__).parents[1] / "mindset" / "cities" / "policies.csv"
    assert imported(store_path, source, "policies").added > 0
    assert data(store_path) != before
    undo(store_path)
    assert data(store_path) == before


def test_undo_of_a_customs_detail_reimport_restores_the_partition_and_aggregates(
        store_path: Path, write_file: Writer) -> None:
    start = data(store_path)
    old = write_file("a.csv", platform_csv(DETAIL, "202402,9610,浙江省,10",
                                           "202402,9710,浙江省,30"))
    imported(store_path, old, "customs-detail", flow="export")
    middle = data(store_path)
    new = write_file("b.csv", platform_csv(DETAIL, "202402,9610,浙江省,15",
                                           "202402,1210,浙江省,7"))
    report = imported(store_path, new, "customs-detail", flow="export")
    assert report.replaced == 2 and report.trade_updated > 0
    result = undo(store_path)
    assert result["tables"]["customs_detail"] == {"removed": 2, "restored": 2}
    assert result["tables"]["trade"]["restored"] == report.trade_updated
    assert data(store_path) == middle
    undo(store_path)
    assert data(store_path) == start
    assert shadows(store_path) == 0


def test_cli_undo_json_and_human_output(store_path: Path, write_file: Writer,
                                        cli: Callable[..., Result],
                                        cli_json: Callable[..., Any]) -> None:
    imported(store_path, write_file("a.csv", FIRST), "trade")
    imported(store_path, write_file("b.csv", SECOND), "trade")
    result = cli_json("db", "undo", "--yes")
    assert set(result) == {"import_id", "kind", "file_name", "sha256", "imported_at",
                           "undo_id", "rows_removed", "rows_restored", "tables"}
    assert (result["file_name"], result["rows_removed"], result["rows_restored"]) == (
        "b.csv", 2, 1)
    history = cli_json("db", "history", "--limit", "1")[0]
    assert (history["id"], history["kind"]) == (result["undo_id"], "undo")
    assert str(result["import_id"]) in history["options"]
    human = cli("--lang", "en", "db", "undo", "--yes")
    assert human.exit_code == 0, human.output
    assert "a.csv" in human.output and "2 rows removed" in human.output
    entries = {e["id"]: e for e in cli_json("db", "history")}
    undone = {i: e["undone_by"] for i, e in entries.items() if e["undone_by"] is not None}
    assert undone == {result["import_id"]: result["undo_id"],
                      result["import_id"] - 1: result["undo_id"] + 1}
    shown = cli("--lang", "en", "db", "history", "--limit", "4").output
    assert "undone" in shown and f"#{result['undo_id']}" in shown  # (the cell may wrap)


def test_kill_9_just_before_the_undo_commits_leaves_the_store_as_it_was(
        store_path: Path, write_file: Writer, kill_at_commit: Callable[..., None]) -> None:
    imported(store_path, write_file("a.csv", FIRST), "trade")
    imported(store_path, write_file("b.csv", SECOND), "trade")
    before = everything(store_path)
    kill_at_commit(store_path, "db", "undo", "--yes")
    assert everything(store_path) == before
    assert shadows(store_path) == 1


# the schema

def test_every_shadow_has_its_tables_columns_and_types(zs: zonescope.ZoneScope) -> None:
    """A migration that adds a column to a table must add it to the shadow, or undo
    would not be exact (or an update would fail)."""
    con = zs.store.con
    for table in writer.UNDOABLE:
        own = con.execute(f"DESCRIBE {table}").fetchall()
        shadow = con.execute(f"DESCRIBE {table}_superseded").fetchall()
        assert [(r[0], r[1]) for r in shadow] == [*((r[0], r[1]) for r in own),
                                                  ("superseded_by", "INTEGER")]


def test_a_store_from_before_undo_is_migrated(store_path: Path, write_file: Writer) -> None:
    with zonescope.open(store_path) as zs:
        con = zs.store.con
        for table in writer.UNDOABLE:
            con.execute(f"DROP TABLE {table}_superseded")
        con.execute("DROP TABLE undone")
        con.execute("DELETE FROM schema_migrations WHERE version = 5")
    with zonescope.open(store_path) as zs:
        _ = zs.store.con
        assert 5 in zs.store.migrated
    imported(store_path, write_file("a.csv", FIRST), "trade")
    assert undo(store_path)["file_name"] == "a.csv"


def test_help_shows_an_example(cli: Callable[..., Result]) -> None:
    result = cli("db", "undo", "--help")
    assert result.exit_code == 0
    assert "zonescope db undo --yes" in result.output

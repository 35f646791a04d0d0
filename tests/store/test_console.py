"""The read-only SQL console refuses writes and anything outside the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import zonescope
from zonescope.errors import SqlRefused


@pytest.mark.parametrize(("sql", "key"), [
    ("INSERT INTO trade (region_id) VALUES ('x')", "sql.refused_write"),
    ("UPDATE trade SET value = 0", "sql.refused_write"),
    ("DELETE FROM trade", "sql.refused_write"),
    ("DROP TABLE trade", "sql.refused_write"),
    ("CREATE TABLE x AS SELECT 1", "sql.refused_write"),
    ("ALTER TABLE trade ADD COLUMN x INT", "sql.refused_write"),
    ("COPY trade TO '/tmp/zonescope-leak.csv'", "sql.refused_file"),
    ("ATTACH '/tmp/other.duckdb' AS other", "sql.refused_file"),
    ("INSTALL httpfs", "sql.refused_extension"),
    ("LOAD httpfs", "sql.refused_extension"),
    ("SET enable_external_access = true", "sql.refused_setting"),
    ("PRAGMA enable_profiling", "sql.refused_setting"),
    ("SELECT * FROM read_csv('/etc/passwd')", "sql.refused_file"),
    ("SELECT * FROM read_text('/etc/hostname')", "sql.refused_file"),
    ("SELECT * FROM glob('/etc/*')", "sql.refused_file"),
    ("SELECT 1; SELECT 2", "sql.one_statement"),
    ("SELEC 1", "sql.syntax"),
    ("SELECT * FROM no_such_table", "sql.failed"),
])
def test_refused(zs: zonescope.ZoneScope, sql: str, key: str) -> None:
    with pytest.raises(SqlRefused) as info:
        zs.sql(sql)
    assert info.value.key == key
    assert info.value.render("en") and info.value.render("zh")


def test_select_works_and_store_is_unchanged(zs: zonescope.ZoneScope, state: Callable[..., Any]
                                             ) -> None:
    before = state()
    result = zs.sql("SELECT name_zh FROM regions WHERE id = '440300'")
    assert result.columns == ["name_zh"] and result.rows == [("深圳市",)]
    assert zs.sql("SELECT * FROM regions", limit=3).rows.__len__() == 3
    zs.close()
    assert state() == before


def test_cli_sql_json_csv_and_refusal(cli: Callable[..., Any]) -> None:
    ok = cli("sql", "SELECT id, name_zh FROM regions WHERE id IN ('440300', '330200') "
                    "ORDER BY id", "--json")
    assert json.loads(ok.stdout)["rows"] == [{"id": "330200", "name_zh": "宁波市"},
                                             {"id": "440300", "name_zh": "深圳市"}]
    csv_out = cli("sql", "SELECT id FROM regions WHERE id = '440300'", "--csv")
    assert csv_out.stdout.splitlines() == ["id", "440300"]
    assert "深圳市" in cli("sql", "SELECT name_zh FROM regions WHERE id = '440300'").output
    refused = cli("sql", "COPY regions TO '/tmp/x.csv'")
    assert refused.exit_code == 2 and "只读" in refused.output

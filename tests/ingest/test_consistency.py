"""Cross-row checks: a cumulative series cannot fall within a year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADER = "region,period,span,flow,mode,value,unit,source\n"


def test_falling_cumulative_in_one_file_names_the_row(cli: Callable[..., Any],
                                                      state: Callable[..., Any],
                                                      write_file: Callable[..., Path]) -> None:
    path = write_file("t.csv", HEADER + "深圳,2030-03,ytd,export,all,300,亿元,t\n"
                                        "深圳,2030-04,ytd,export,all,250,亿元,t\n"
                                        "深圳,2030-05,ytd,export,all,400,亿元,t\n")
    before = state()
    result = cli("import", str(path), "--kind", "trade", "--json")
    assert result.exit_code == 2
    assert '"row": 3' in result.stdout and "value.cumulative_falls" in result.stdout
    assert state() == before


def test_falling_against_stored_data(cli: Callable[..., Any],
                                     write_file: Callable[..., Path]) -> None:
    first = write_file("a.csv", HEADER + "深圳,2030-06,ytd,export,all,600,亿元,t\n")
    assert cli("import", str(first), "--kind", "trade").exit_code == 0
    second = write_file("b.csv", HEADER + "深圳,2030-07,ytd,export,all,500,亿元,t\n")
    result = cli("import", str(second), "--kind", "trade", "--lang", "en")
    assert result.exit_code == 2 and "falls within the year" in result.output


def test_a_new_year_may_start_lower_and_months_are_not_cumulative(
        cli: Callable[..., Any], write_file: Callable[..., Path]) -> None:
    path = write_file("t.csv", HEADER + "深圳,2030-12,ytd,export,all,900,亿元,t\n"
                                        "深圳,2031-01,ytd,export,all,80,亿元,t\n"
                                        "深圳,2031-01,month,export,all,80,亿元,t\n"
                                        "深圳,2031-02,month,export,all,60,亿元,t\n")
    assert cli("import", str(path), "--kind", "trade").exit_code == 0


def test_unchanged_published_dips_do_not_block_a_reimport(zs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GACC's own cumulative series dip after revisions; re-importing them must still work."""
    dips = zs.sql(
        "SELECT count(*) FROM (SELECT value < lag(value) OVER (PARTITION BY region_id, flow, "
        "mode, left(period, 4) ORDER BY period) AS falls FROM trade WHERE span = 'ytd') "
        "WHERE falls").rows[0][0]
    assert dips > 0  # the bundled customs tables really contain such points
    zs.export("trade", tmp_path / "trade.csv")
    report = zs.import_file(tmp_path / "trade.csv", "trade")
    assert report.added == 0 and report.updated == 0

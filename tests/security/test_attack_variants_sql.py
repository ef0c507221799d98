"""SQL page attack variants after issue 9 (review): values the page cannot convert must give rows or a message,
never a dead query worker, a false "out of memory", a broken page or a download that fails."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from pipelines import snapshot, sqlconsole
from pipelines.sqlconsole import QueryError, QueryResult
from tests.accounts_support import ROOT, add_accounts, page, signed_in

pytestmark = pytest.mark.usefixtures("fast_hashing")

ODD_VALUES = [
    ("SELECT 'infinity'::DATE AS d", "d"),
    ("SELECT '5877642-06-25 (BC)'::DATE AS d", "d"),
    ("SELECT 1::UNION(a INT, b VARCHAR) AS d", "d"),
    ("SELECT union_value(k := 'x') AS d", "d"),
    ("SELECT INTERVAL 3 DAY AS d", "d"),
]


@pytest.fixture
def snap(sample_db: Path) -> Path:
    return snapshot.snapshot_path(sample_db)


@pytest.mark.parametrize(("sql", "column"), ODD_VALUES)
def test_odd_values_come_back_as_rows_and_every_download_works(snap: Path, sql: str, column: str) -> None:
    outcome = sqlconsole.run_query(snap, sql, time_limit=10)
    assert isinstance(outcome, QueryResult), outcome  # a UNION killed the worker: "needs more than 2 GB"
    frame = outcome.frame()
    assert list(frame.columns) == [column] and len(frame) == 1
    csv = sqlconsole.result_bytes(outcome, "csv").decode("utf-8-sig")
    assert csv.splitlines()[0] == column and len(csv.splitlines()) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(sqlconsole.result_bytes(outcome, "xlsx"))).active
    assert sheet.max_row == 2
    assert pq.read_table(io.BytesIO(sqlconsole.result_bytes(outcome, "parquet"))).num_rows == 1
    again = sqlconsole.run_query(snap, "SELECT count(*) AS n FROM kpi_results")
    assert isinstance(again, QueryResult)


def test_a_type_nothing_can_show_is_a_thai_and_english_message(snap: Path) -> None:
    outcome = sqlconsole.run_query(snap, "SELECT [1::UNION(a INT, b VARCHAR)] AS l", time_limit=10)
    assert isinstance(outcome, QueryError)
    assert outcome.kind == "error"
    assert "::VARCHAR" in outcome.message and "แปลงเป็นข้อความ" in outcome.message


SAME_NAMES = [
    "SELECT 1 AS a, 2 AS a",
    "SELECT 1 AS a, 'x' AS A",
    "SELECT * FROM unit_scores AS u JOIN unit_scores AS v ON u.unit_code = v.unit_code LIMIT 1",
]


@pytest.mark.parametrize("sql", SAME_NAMES)
def test_columns_with_the_same_name_are_numbered_in_the_table_and_every_download(snap: Path, sql: str) -> None:
    outcome = sqlconsole.run_query(snap, sql, time_limit=10)
    assert isinstance(outcome, QueryResult), outcome
    names = list(outcome.frame().columns)
    assert len({name.casefold() for name in names}) == len(names) == outcome.table.num_columns
    assert names[:2] in (["a", "a_2"], ["a", "A_2"]) or names[0] == "fiscal_year"
    csv = sqlconsole.result_bytes(outcome, "csv").decode("utf-8-sig")
    assert csv.splitlines()[0] == ",".join(names)
    sheet = openpyxl.load_workbook(io.BytesIO(sqlconsole.result_bytes(outcome, "xlsx"))).active
    assert [cell.value for cell in sheet[1]] == names
    assert pq.read_table(io.BytesIO(sqlconsole.result_bytes(outcome, "parquet"))).num_columns == len(names)


@pytest.mark.parametrize("sql", [sql for sql, _ in ODD_VALUES] + SAME_NAMES)
def test_the_page_shows_odd_values_without_breaking(sample_db: Path, monkeypatch: pytest.MonkeyPatch, sql: str
                                                    ) -> None:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    monkeypatch.delenv("BSC_SNAPSHOT", raising=False)
    app = signed_in(page("sql.py"), sample_db, "ana")
    app.query_params["lang"] = "en"
    app = app.run()
    app.text_area(key="sql_editor").set_value(sql)
    app.button(key="sql_run").click()
    app = app.run()
    assert not app.exception  # 'infinity'::DATE raised inside the page (year out of range)
    assert not app.error
    assert len(app.dataframe[0].value) == 1  # SELECT 1 AS a, 2 AS a raised "Duplicate column names" in the page


def test_saved_queries_per_user_are_bounded_through_the_page(sample_db: Path, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """Each saved query holds up to 100,000 characters; before the fix their number was not bounded, so one analyst
    could grow the database without limit. Replacing a saved query under its title still works."""
    from pipelines import saved_queries

    limit = saved_queries.MAX_SAVED_QUERIES if hasattr(saved_queries, "MAX_SAVED_QUERIES") else 200
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    monkeypatch.delenv("BSC_SNAPSHOT", raising=False)
    for index in range(limit):
        saved_queries.save_query(sample_db, "ana", f"q{index:03d}", "SELECT 1")
    app = signed_in(page("sql.py"), sample_db, "ana")
    app.query_params["lang"] = "en"
    app = app.run()
    app.text_area(key="sql_editor").set_value("SELECT 2")
    app.text_input(key="sql_save_title").set_value("one too many")
    app.button(key="sql_save").click()
    app.run()
    assert not app.exception
    assert any(f"{limit:,} saved queries" in warning.value for warning in app.warning)
    assert len(saved_queries.saved_queries(sample_db, "ana")) == limit
    app.text_input(key="sql_save_title").set_value("q000")
    app.button(key="sql_save").click()
    app.run()
    assert {query.title: query.sql for query in saved_queries.saved_queries(sample_db, "ana")}["q000"] == "SELECT 2"


HEAVY_THEN_LIGHT = r"""
import sys
from pipelines import sqlconsole

queries = ["SELECT repeat('x', 50000000) AS s", "SELECT repeat('x', 50000000)::BLOB AS b",
           "SELECT * FROM range(10000000) ORDER BY 1 DESC", "SELECT count(*) AS n FROM kpi_results"] * 3
outcomes = []
for sql in queries:
    outcome = sqlconsole.run_query(sys.argv[1], sql)
    outcomes.append("ok" if isinstance(outcome, sqlconsole.QueryResult) else outcome.kind)
print(" ".join(outcomes))
"""


@pytest.mark.xdist_group("limits")
def test_a_large_query_does_not_leave_the_next_users_query_a_false_memory_error(snap: Path) -> None:
    """One worker, reused: each query here fits a fresh worker, but a worker left with the heap of a 50 MB result
    failed the next one at its address-space limit ("needs more than 2 GB") before it was replaced."""
    done = subprocess.run([sys.executable, "-c", HEAVY_THEN_LIGHT, str(snap)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "BSC_SQL_WORKERS": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok"] * 12

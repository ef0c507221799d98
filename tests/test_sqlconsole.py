"""The SQL page's runner (pipelines.sqlconsole): one read-only SELECT on the snapshot, every refusal, the limits."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from pipelines import snapshot, sqlconsole
from pipelines.sqlconsole import QueryError, QueryResult
from tests.support import run_cli


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """An empty folder to aim file writes at (the sample database lives in tmp_path itself)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


@pytest.fixture
def snap(sample_db: Path) -> Path:
    """The analyst snapshot the CLI published while building the samples."""
    path = snapshot.snapshot_path(sample_db)
    assert path.exists()
    return path


def run(snap: Path, sql: str, **limits: float) -> QueryResult | QueryError:
    return sqlconsole.run_query(snap, sql, **limits)


def test_select_on_a_public_view_returns_its_rows_and_the_time_taken(snap: Path) -> None:
    result = run(snap, "SELECT unit_code, round(score, 4) AS score FROM unit_scores "
                       "WHERE fiscal_year = 2568 AND quarter = 2 ORDER BY unit_code")
    assert isinstance(result, QueryResult)
    assert result.frame().values.tolist() == [["AG", 3.0083], ["LAW", 3.0], ["PLAN", 3.0167]]
    assert result.row_count == 3 and not result.truncated
    assert 0 < result.elapsed_seconds < 10


@pytest.mark.parametrize("sql", [
    "WITH q AS (SELECT * FROM kpi_results) SELECT count(*) FROM q",
    "FROM org_units",
    "DESCRIBE kpi_results",
    "SHOW TABLES",
    "SUMMARIZE unit_scores",
    "EXPLAIN SELECT * FROM kpi_results",
    "SELECT * FROM pragma_table_info('kpi_results')",
    "SELECT 1;",
    "-- the units\nSELECT code FROM org_units -- all of them\n",
    "PIVOT kpi_results ON quarter IN (1, 2, 3, 4) USING count(score) GROUP BY unit_code",
])
def test_read_only_statements_run(snap: Path, sql: str) -> None:
    assert isinstance(run(snap, sql), QueryResult)


REFUSED = {
    # files, through statements
    "COPY kpi_results TO '{tmp}/out.csv'": "COPY",
    "COPY (SELECT * FROM kpi_results) TO '{tmp}/out.parquet' (FORMAT parquet)": "COPY",
    "COPY kpi_results FROM '{tmp}/in.csv'": "COPY",
    "EXPORT DATABASE '{tmp}/dump'": "EXPORT",
    "IMPORT DATABASE '{tmp}/dump'": "IMPORT",
    # other databases and extensions
    "ATTACH '{tmp}/other.duckdb' AS other": "ATTACH",
    "ATTACH ':memory:' AS scratch": "ATTACH",
    "DETACH bsc": "DETACH",
    "INSTALL httpfs": "INSTALL",
    "LOAD httpfs": "INSTALL",
    "FORCE INSTALL spatial FROM core_nightly": "INSTALL",
    # settings that would unlock the others
    "SET enable_external_access = true": "locked",
    "RESET enable_external_access": "locked",
    "SET lock_configuration = false": "locked",
    "RESET lock_configuration": "locked",
    "SET GLOBAL allow_unsigned_extensions = true": "locked",
    "USE memory": "locked",
    "SET VARIABLE path = '/etc/passwd'": "locked",
    # pragmas and calls that touch files or state
    "PRAGMA enable_profiling": "PRAGMA",
    "PRAGMA profiling_output = '{tmp}/profile.json'": "locked",  # DuckDB parses PRAGMA x = y as SET
    "PRAGMA database_size": "PRAGMA",
    "CALL pragma_table_info('kpi_results')": "CALL",
    "CHECKPOINT": "CALL",
    # writes
    "CREATE TABLE mine AS SELECT * FROM kpi_results": "read-only",
    "CREATE TEMP TABLE mine (x INTEGER)": "read-only",
    "CREATE VIEW mine AS SELECT 1": "read-only",
    "CREATE MACRO twice(x) AS 2 * x": "read-only",
    "INSERT INTO submission_value (submission_id, kpi_code, status) VALUES (1, 'X', 'on_track')": "read-only",
    "UPDATE submission_value SET actual = 100": "read-only",
    "DELETE FROM submission": "read-only",
    "DROP VIEW kpi_results": "read-only",
    "ALTER TABLE kpi ADD COLUMN x INTEGER": "read-only",
    "BEGIN TRANSACTION": "read-only",
    "VACUUM": "read-only",
    # a second statement smuggled behind a first
    "SELECT 1; DROP VIEW kpi_results": "one statement at a time",
    "SELECT 1; COPY kpi_results TO '{tmp}/out.csv'": "one statement at a time",
    "SELECT 1;\nSELECT 2": "one statement at a time",
    # nothing at all
    "": "no statement",
    "-- just a comment": "no statement",
}


@pytest.mark.parametrize("sql,reason", REFUSED.items(), ids=list(REFUSED))
def test_statements_that_are_not_a_single_select_are_refused_and_change_nothing(
    snap: Path, scratch: Path, sql: str, reason: str
) -> None:
    before = snap.read_bytes()
    outcome = run(snap, sql.format(tmp=scratch))
    assert isinstance(outcome, QueryError)
    assert outcome.kind == "refused"
    assert reason in outcome.message
    assert "Traceback" not in outcome.message
    assert list(scratch.iterdir()) == []
    assert snap.read_bytes() == before


FILE_READS = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd', header = false)",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_parquet('{tmp}/x.parquet')",
    "SELECT * FROM parquet_metadata('{tmp}/x.parquet')",
    "SELECT * FROM read_json('{tmp}/x.json')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM query_table('/etc/passwd')",
    "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')",
    "SELECT * FROM duckdb_extensions()",
]


@pytest.mark.parametrize("sql", FILE_READS)
def test_selects_that_read_files_are_refused_with_the_products_message(snap: Path, scratch: Path, sql: str) -> None:
    """A SELECT passes the statement check; the locked connection itself refuses every file, and the refusal
    reads as the page's own Thai and English message, not DuckDB's (query(...) and duckdb_extensions() are
    refused by name before they run)."""
    (scratch / "x.parquet").write_bytes(b"PAR1")
    (scratch / "x.json").write_text("{}")
    outcome = run(snap, sql.format(tmp=scratch))
    assert isinstance(outcome, QueryError)
    assert outcome.kind == "refused"
    assert "root:" not in outcome.message
    assert "ไม่อนุญาต" in outcome.message and "does not allow" in outcome.message


ENGINE_REFUSALS = [
    "COPY kpi_results TO '{tmp}/out.csv'",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "PRAGMA profiling_output = '{tmp}/profile.json'",
    "CREATE TABLE mine AS SELECT 1",
    "DROP VIEW kpi_results",
    "EXPORT DATABASE '{tmp}/dump'",
]


@pytest.mark.parametrize("sql", ENGINE_REFUSALS)
def test_the_connection_refuses_them_even_without_the_statement_check(snap: Path, scratch: Path, sql: str) -> None:
    """Defence in depth: had `check_statement` a hole, the read-only, locked connection would still say no."""
    with sqlconsole.console_connection(snap) as con, pytest.raises(duckdb.Error):
        con.execute(sql.format(tmp=scratch))
    assert list(scratch.iterdir()) == []


def test_settings_stay_locked_on_every_connection_of_the_instance(snap: Path) -> None:
    with sqlconsole.console_connection(snap) as first, sqlconsole.console_connection(snap) as second:
        for con in (first, second, first.cursor()):
            assert con.execute("SELECT current_setting('enable_external_access'), "
                               "current_setting('lock_configuration')").fetchone() == (False, True)


@pytest.mark.xdist_group("limits")  # bounds the time it takes
def test_a_query_over_the_time_limit_is_interrupted_with_a_clear_message(snap: Path) -> None:
    started = time.perf_counter()
    outcome = run(snap, "SELECT count(*) FROM range(1000000000000) AS a", time_limit=0.5)
    took = time.perf_counter() - started
    assert isinstance(outcome, QueryError) and outcome.kind == "timeout"
    assert "0.5 s time limit" in outcome.message and "วินาที" in outcome.message
    assert took < 5
    assert isinstance(run(snap, "SELECT 1"), QueryResult)  # the next query runs normally


def test_rows_stop_at_the_download_cap_and_the_result_says_so(snap: Path) -> None:
    capped = run(snap, "SELECT range AS n FROM range(250000)", row_limit=100_000)
    assert isinstance(capped, QueryResult)
    assert capped.row_count == 100_000 and capped.truncated
    assert capped.frame()["n"].tolist()[:3] == [0, 1, 2]
    exact = run(snap, "SELECT range AS n FROM range(100000)", row_limit=100_000)
    assert exact.row_count == 100_000 and not exact.truncated


def test_a_result_past_the_default_cap_downloads_as_a_csv_a_spreadsheet_opens_whole(snap: Path) -> None:
    outcome = run(snap, "SELECT range AS n FROM range(2000000)")  # the limits the page uses
    assert isinstance(outcome, QueryResult) and outcome.truncated
    assert sqlconsole.DISPLAY_ROW_LIMIT < outcome.row_count == sqlconsole.DOWNLOAD_ROW_LIMIT
    lines = sqlconsole.result_bytes(outcome, "csv").splitlines()
    assert len(lines) == outcome.row_count + 1 <= 1_048_576  # header + rows within one Excel sheet


@pytest.mark.parametrize("sql,line,column,words", [
    ("SELECT nope\nFROM kpi_results", 1, 8, 'column "nope" not found'),
    ("SELECT unit_code,\n       scroe\nFROM unit_scores", 2, 8, 'column "scroe" not found'),
    ("SELECT *\nFRM kpi_results", 2, 5, "syntax error"),
    ("SELECT 'ไตรมาส', 'ไทย', x FROM org_units", 1, 25, 'column "x" not found'),
    ("SELECT * FROM kpi_resuls", 1, 15, "no table or view named kpi_resuls"),
    ("SELECT CAST(note AS INTEGER) FROM submission_values WHERE note IS NOT NULL", 1, 8, "Could not convert"),
])
def test_duckdb_errors_come_back_as_a_message_with_line_and_column(
    snap: Path, sql: str, line: int, column: int, words: str
) -> None:
    outcome = run(snap, sql)
    assert isinstance(outcome, QueryError) and outcome.kind == "error"
    assert words in outcome.message
    assert (outcome.line, outcome.column) == (line, column)
    assert f"line {line}, ตำแหน่ง/column {column}" in outcome.message
    assert "Traceback" not in outcome.message and "exception_type" not in outcome.message
    pointed = outcome.pointer.splitlines()
    assert pointed[0] == sql.splitlines()[line - 1] and pointed[1] == " " * (column - 1) + "^"


def test_a_missing_snapshot_is_reported_not_raised(tmp_path: Path) -> None:
    outcome = run(tmp_path / "snapshot" / "bsc.duckdb", "SELECT 1")
    assert isinstance(outcome, QueryError) and outcome.kind == "unavailable"
    assert "python -m pipelines snapshot" in outcome.message


def test_schema_lists_every_public_view_with_types_and_descriptions(snap: Path) -> None:
    columns = sqlconsole.schema(snap)
    views = list(dict.fromkeys(column.view for column in columns))
    assert views[:3] == ["org_units", "org_tree", "kpi_catalogue"]
    assert "kpi_results" in views and "audit_log" not in views
    pmqa = next(column for column in columns if (column.view, column.column) == ("kpi_catalogue", "pmqa"))
    assert pmqa.type == "INTEGER[]" and "PMQA" in pmqa.description
    assert all(column.description for column in columns)


def test_result_downloads_hold_the_whole_result_and_defuse_formulas(snap: Path) -> None:
    result = run(snap, "SELECT '=HYPERLINK(\"http://x\")' AS note, 3.25 AS score, [2, 7] AS pmqa, 'ไทย' AS name "
                       "FROM range(3)")
    csv = sqlconsole.result_bytes(result, "csv")
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in csv.decode("utf-8-sig") and "ไทย" in csv.decode("utf-8-sig")
    assert '"2, 7"' in csv.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(sqlconsole.result_bytes(result, "xlsx"))).active
    assert sheet.max_row == 4 and sheet["A2"].value.startswith("'=") and sheet["B2"].value == 3.25
    table = pq.read_table(io.BytesIO(sqlconsole.result_bytes(result, "parquet")))
    assert table.num_rows == 3 and table.column("pmqa").to_pylist()[0] == [2, 7]


def test_a_newly_published_snapshot_is_seen_by_the_next_query(sample_db: Path, snap: Path) -> None:
    latest = "SELECT max(version) FROM submissions WHERE unit_code = 'PLAN' AND quarter = 2"
    assert run(snap, latest).frame().iloc[0, 0] == 1
    upload = sample_db.parent / "plan_q2_v2.csv"
    upload.write_text("division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,95\nPLAN,2568,2,P-02,9\n",
                      encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(upload)) == 0
    assert run(snap, latest).frame().iloc[0, 0] == 2


def test_a_query_running_when_a_new_snapshot_lands_finishes_on_its_own_copy(sample_db: Path, snap: Path) -> None:
    """The old generation stays open until its last query ends, then its private link is removed."""
    outcomes: list = []
    slow = threading.Thread(target=lambda: outcomes.append(
        run(snap, "SELECT count(*) AS n FROM kpi_results, range(30000000)", time_limit=60)))
    slow.start()
    time.sleep(0.3)
    snapshot.publish_file(sample_db)
    assert isinstance(run(snap, "SELECT count(*) FROM kpi_results"), QueryResult)  # opens the new generation
    slow.join()
    assert isinstance(outcomes[0], QueryResult), outcomes[0]
    assert outcomes[0].frame()["n"].iloc[0] == 12 * 30_000_000
    links = [path for path in snap.parent.iterdir() if ".console-" in path.name]
    # only the current generation's: one per worker (a worker replaced after a large query opens it afresh)
    assert len(links) <= sqlconsole.WORKERS and all(link.samefile(snap) for link in links)

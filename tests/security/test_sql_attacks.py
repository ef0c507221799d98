"""Attacks on the SQL page, through the runner the page uses (pipelines.sqlconsole.run_query).

Each memory or time attack runs in a child Python process that stands in for the server: it runs one ordinary
query first (so the query worker is up and the baseline includes it), then the attack, then an ordinary
query again.  The child reports the outcome, and its own peak resident memory (getrusage RUSAGE_SELF, which
does not count the query worker, a separate process) before and after the attack.  Asserted: the message
a user reads, that the server process survived and still answers, and that its peak grew by less than
SERVER_GROWTH_BOUND_MB.  docs/security-sql.md lists the limits these pin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipelines import snapshot, sqlconsole
from pipelines.sqlconsole import QueryError, QueryResult

pytestmark = pytest.mark.xdist_group("limits")  # queries pushed to the memory and time limits: one at a time

ROOT = Path(__file__).resolve().parents[2]
SERVER_GROWTH_BOUND_MB = 300
"""What one analyst query may add to the server's peak memory: the result byte cap (64 MB) and its copies."""
ATTACK_TIME_LIMIT = 3.0
ORDINARY = "SELECT count(*) AS n FROM kpi_results"

SERVER = r"""
import json, resource, sys, time
from pipelines import sqlconsole

snap, sql, time_limit = sys.argv[1], sys.argv[2], float(sys.argv[3])

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def described(outcome):
    if isinstance(outcome, sqlconsole.QueryError):
        return {"kind": outcome.kind, "message": outcome.message}
    return {"kind": "ok", "rows": outcome.row_count, "truncated": outcome.truncated,
            "byte_capped": outcome.byte_capped, "bytes": outcome.table.nbytes}

warm = sqlconsole.run_query(snap, "SELECT 1")
assert isinstance(warm, sqlconsole.QueryResult), warm
before = peak_mb()
started = time.monotonic()
outcome = sqlconsole.run_query(snap, sql, time_limit=time_limit)
elapsed = time.monotonic() - started
after = peak_mb()
again = sqlconsole.run_query(snap, "SELECT count(*) AS n FROM kpi_results")
print(json.dumps({**described(outcome), "peak_before_mb": before, "peak_after_mb": after, "seconds": elapsed,
                  "again": again.table.column("n")[0].as_py() if isinstance(again, sqlconsole.QueryResult)
                  else again.message}))
"""


@pytest.fixture
def snap(sample_db: Path) -> Path:
    path = snapshot.snapshot_path(sample_db)
    assert path.exists()
    return path


def attack_in_a_server_process(snap: Path, sql: str) -> dict:
    """Run `sql` through the page's runner in a fresh child process; its report, after asserting it survived."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("BSC_SQL_")}
    environment["PYTHONPATH"] = str(ROOT)
    child = subprocess.run([sys.executable, "-c", SERVER, str(snap), sql, str(ATTACK_TIME_LIMIT)],
                           capture_output=True, text=True, env=environment, cwd=ROOT, timeout=300)
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"\n{sql[:70]!r}: {report['kind']}, {report['seconds']:.2f} s, server peak "
          f"{report['peak_before_mb']:.0f} -> {report['peak_after_mb']:.0f} MB")
    assert report["again"] == 12, "the next ordinary query must still run"
    assert report["peak_after_mb"] - report["peak_before_mb"] < SERVER_GROWTH_BOUND_MB
    return report


MEMORY_ATTACKS = {
    "one huge list": "SELECT list(range(400000000))",
    "huge strings times rows": "SELECT repeat('y', 10000000) FROM range(150)",
    "string_agg of long strings": "SELECT string_agg(repeat('x', 100000), '') FROM range(100000)",
    "string_agg measured": "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(5000)",
    "list of long strings": "SELECT list(repeat('z', 100000)) FROM range(100000)",
}


@pytest.mark.parametrize("sql", MEMORY_ATTACKS.values(), ids=list(MEMORY_ATTACKS))
def test_a_query_needing_more_memory_than_the_worker_may_have_is_stopped_with_a_clear_message(
    snap: Path, sql: str
) -> None:
    report = attack_in_a_server_process(snap, sql)
    assert report["kind"] in ("memory", "timeout")
    if report["kind"] == "memory":
        assert "หน่วยความจำ" in report["message"] and "memory limit" in report["message"]


HUGE_OUTPUTS = {
    "cross join of numbers": "SELECT a.range AS a, b.range AS b FROM range(100000) AS a, range(100000) AS b",
    "cross join of wide rows": "SELECT repeat('x', 1000) AS s, k.* FROM kpi_results AS k, range(1000000)",
    "cross join of the views": "SELECT * FROM kpi_results AS a, kpi_results AS b, kpi_results AS c, "
                               "kpi_results AS d, kpi_results AS e, kpi_results AS f",
}


@pytest.mark.parametrize("sql", HUGE_OUTPUTS.values(), ids=list(HUGE_OUTPUTS))
def test_a_huge_result_comes_back_cut_at_the_row_or_byte_cap(snap: Path, sql: str) -> None:
    report = attack_in_a_server_process(snap, sql)
    assert report["kind"] == "ok" and report["truncated"]
    assert report["rows"] <= sqlconsole.DOWNLOAD_ROW_LIMIT
    assert report["bytes"] <= sqlconsole.RESULT_BYTE_LIMIT


TIME_ATTACKS = {
    "recursive CTE explosion": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, range(10) "
                               "WHERE n < 30) SELECT count(*) FROM r",
    "endless count": "SELECT count(*) FROM range(1000000000000)",
    "one scalar call that ignores the interrupt": "SELECT length(regexp_replace(repeat('ab', 50000000), "
                                                  "'(a)(b)', '\\2\\1', 'g'))",
}


@pytest.mark.parametrize("sql", TIME_ATTACKS.values(), ids=list(TIME_ATTACKS))
def test_a_query_running_past_the_time_limit_is_stopped_and_the_worker_killed_if_need_be(
    snap: Path, sql: str
) -> None:
    report = attack_in_a_server_process(snap, sql)
    assert report["kind"] in ("timeout", "memory")
    if report["kind"] == "timeout":
        assert f"{ATTACK_TIME_LIMIT:g} s time limit" in report["message"] and "วินาที" in report["message"]
    assert report["seconds"] < ATTACK_TIME_LIMIT + sqlconsole.KILL_GRACE_SECONDS + 30  # never waits unbounded


ERRORS_WHILE_STREAMING = {
    "error() after the first batch": "SELECT CASE WHEN range < 200000 THEN range ELSE error('boom at ' || range) "
                                     "END AS n FROM range(400000)",
    "cast failing after the first batch": "SELECT CAST(CASE WHEN range < 200000 THEN '1' ELSE 'x' END AS INTEGER) "
                                          "AS n FROM range(400000)",
}


@pytest.mark.parametrize("sql,words", list(zip(ERRORS_WHILE_STREAMING.values(), ["boom at 200000", "Could not convert"],
                                               strict=True)), ids=list(ERRORS_WHILE_STREAMING))
def test_an_error_raised_after_the_first_batch_is_an_ordinary_message(snap: Path, sql: str, words: str) -> None:
    outcome = sqlconsole.run_query(snap, sql)
    assert isinstance(outcome, QueryError) and outcome.kind == "error"
    assert words in outcome.message and "Traceback" not in outcome.message
    assert isinstance(sqlconsole.run_query(snap, ORDINARY), QueryResult)


SERVER_DETAILS = [
    "SELECT * FROM duckdb_settings()",
    "SELECT name, value FROM duckdb_settings() WHERE name = 'temp_directory'",
    "SELECT * FROM duckdb_databases()",
    "SELECT path FROM duckdb_databases",
    "SELECT * FROM pragma_database_list",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_temporary_files()",
    "SELECT current_setting('home_directory')",
    "SELECT current_setting('temp_directory')",
    "SELECT * FROM pg_settings",
    "SELECT * FROM pragma_user_agent()",
    "SELECT * FROM pragma_database_size()",
    'SELECT * FROM "DuckDB_Settings"()',
    "SELECT * FROM main.duckdb_databases()",
    "SELECT * FROM system.main.duckdb_settings()",
    "SELECT * FROM duckdb_settings /* a comment */ ()",
    "WITH s AS (SELECT * FROM duckdb_settings()) SELECT * FROM s",
    "SELECT (SELECT list(value) FROM duckdb_settings()) AS hidden",
    "SELECT * FROM query('SELECT * FROM duckdb_settings()')",
    "SELECT * FROM query_table('duckdb_settings')",
    "EXPLAIN SELECT * FROM duckdb_settings()",
    "DESCRIBE SELECT * FROM duckdb_databases()",
]


@pytest.mark.parametrize("sql", SERVER_DETAILS)
def test_functions_that_show_server_paths_are_refused_by_name(snap: Path, sql: str) -> None:
    outcome = sqlconsole.run_query(snap, sql)
    assert isinstance(outcome, QueryError) and outcome.kind == "refused", outcome
    assert "ไม่อนุญาต" in outcome.message and "does not allow" in outcome.message
    assert str(snap.parent) not in outcome.message


def test_a_missing_snapshot_is_reported_without_its_path(tmp_path: Path) -> None:
    outcome = sqlconsole.run_query(tmp_path / "snapshot" / "bsc.duckdb", "SELECT 1")
    assert isinstance(outcome, QueryError) and outcome.kind == "unavailable"
    assert "python -m pipelines snapshot" in outcome.message and str(tmp_path) not in outcome.message


def test_those_names_as_text_or_in_a_comment_are_just_data(snap: Path) -> None:
    outcome = sqlconsole.run_query(snap, "SELECT 'duckdb_settings()' AS name -- not duckdb_databases()\n")
    assert isinstance(outcome, QueryResult) and outcome.frame()["name"].tolist() == ["duckdb_settings()"]


def test_no_allowed_catalogue_query_shows_where_the_server_keeps_its_files(snap: Path) -> None:
    allowed = ["SELECT * FROM duckdb_tables()", "SELECT * FROM duckdb_views()",
               "SELECT * FROM information_schema.tables", "SHOW ALL TABLES", "SELECT * FROM pg_database",
               "SELECT current_database()", "SELECT version()"]
    for sql in allowed:
        outcome = sqlconsole.run_query(snap, sql)
        assert isinstance(outcome, QueryResult), (sql, outcome)
        assert str(snap.parent) not in outcome.table.to_pandas().to_string(), sql


def test_a_query_text_over_the_limit_is_refused_before_a_worker_sees_it(
    snap: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlconsole, "_pool", None)  # no worker may be asked
    outcome = sqlconsole.run_query(snap, "SELECT 1 " + "-" * 20_000_000)
    assert isinstance(outcome, QueryError) and outcome.kind == "refused"
    assert "เกินที่รับได้" in outcome.message and "over the 100,000 character limit" in outcome.message


def test_a_result_whose_first_row_is_over_the_byte_cap_is_refused_as_too_large(snap: Path) -> None:
    outcome = sqlconsole.run_query(snap, "SELECT repeat('x', 2000000) AS s FROM range(3)", byte_limit=1024 * 1024)
    assert isinstance(outcome, QueryError) and outcome.kind == "bytes"
    assert "แถวแรก" in outcome.message and "even the first row of the result is over the 1 MB" in outcome.message


def test_a_worker_that_cannot_start_is_a_message(snap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = sqlconsole._WorkerPool()
    monkeypatch.setattr(sqlconsole, "_pool", pool)
    monkeypatch.setattr(sqlconsole.sys, "executable", "/nonexistent/python")
    outcome = sqlconsole.run_query(snap, ORDINARY)
    assert isinstance(outcome, QueryError) and outcome.kind == "unavailable"
    assert "could not start" in outcome.message and pool._count == 0


def test_when_every_worker_is_busy_a_query_waits_then_says_so(snap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = sqlconsole._WorkerPool()
    monkeypatch.setattr(sqlconsole, "_pool", pool)
    monkeypatch.setattr(sqlconsole, "WORKERS", 1)
    slow: list = []
    try:
        first = threading.Thread(target=lambda: slow.append(
            sqlconsole.run_query(snap, "SELECT count(*) FROM range(1000000000000)", time_limit=4)))
        first.start()
        while not pool._count:
            threading.Event().wait(0.05)
        waiting = sqlconsole.run_query(snap, ORDINARY, time_limit=0.5)
        first.join()
        assert isinstance(waiting, QueryError) and waiting.kind == "busy"
        assert "รอสักครู่" in waiting.message and "run it again in a moment" in waiting.message
        assert slow[0].kind == "timeout"
        assert isinstance(sqlconsole.run_query(snap, ORDINARY), QueryResult)  # the slot is free again
    finally:
        pool.close()


def test_a_memory_attack_does_not_hold_up_another_users_query(snap: Path) -> None:
    """Two workers: one user's attack and another's ordinary query run side by side."""
    attack: list = []
    thread = threading.Thread(target=lambda: attack.append(sqlconsole.run_query(
        snap, TIME_ATTACKS["endless count"], time_limit=3)))
    thread.start()
    ordinary = sqlconsole.run_query(snap, ORDINARY)
    thread.join()
    assert isinstance(ordinary, QueryResult) and ordinary.frame()["n"].tolist() == [12]
    assert attack[0].kind == "timeout"


def test_a_killed_worker_leaves_no_link_to_the_snapshot_behind(snap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = sqlconsole._WorkerPool()
    monkeypatch.setattr(sqlconsole, "_pool", pool)
    monkeypatch.setattr(sqlconsole, "KILL_GRACE_SECONDS", 0.0)
    try:
        outcome = sqlconsole.run_query(snap, TIME_ATTACKS["one scalar call that ignores the interrupt"],
                                       time_limit=0.2)
        assert isinstance(outcome, QueryError) and outcome.kind in ("timeout", "memory")
        assert pool._count == 0  # the worker was killed and not given back
        assert [path.name for path in snap.parent.iterdir() if ".console-" in path.name] == []
        assert isinstance(sqlconsole.run_query(snap, ORDINARY), QueryResult)  # a fresh worker takes over
    finally:
        pool.close()

"""The analyst snapshot: republished after every write, public data only, readable while the live file is locked."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import auth, db, saved_queries, snapshot
from pipelines.view_docs import PUBLIC_VIEWS
from tests.accounts_support import add_accounts
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[1]
HOLD_LIVE_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
"""
READ_ONE = """
import sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as con:
    print(con.execute(sys.argv[2]).fetchone()[0])
"""


def plan_q2(tmp_path: Path, p01: float, p02: float = 12) -> Path:
    path = tmp_path / f"plan_q2_{p01}.csv"
    path.write_text(f"division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,{p01}\nPLAN,2568,2,P-02,{p02}\n",
                    encoding="utf-8")
    return path


def rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def hold(path: Path, mode: str, seconds: float) -> subprocess.Popen:
    """Another process holding `path` open (rw or ro), as the dashboard's upload or an analyst's notebook would."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LIVE_FILE, str(path), mode, str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_snapshot_lives_beside_the_database_unless_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BSC_SNAPSHOT", raising=False)
    assert snapshot.snapshot_path(tmp_path / "bsc.duckdb") == tmp_path / "snapshot" / "bsc.duckdb"
    assert snapshot.snapshot_path(Path("data/bsc.duckdb")) == Path("data/snapshot/bsc.duckdb")
    monkeypatch.setenv("BSC_SNAPSHOT", str(tmp_path / "shared" / "kpi.duckdb"))
    assert snapshot.snapshot_path(tmp_path / "bsc.duckdb") == tmp_path / "shared" / "kpi.duckdb"


@pytest.mark.parametrize("view", PUBLIC_VIEWS)
def test_every_public_view_reads_the_same_in_the_snapshot_as_in_the_live_file(sample_db: Path, view: str) -> None:
    sql = f"SELECT * FROM {view} ORDER BY ALL"
    assert rows(snapshot.snapshot_path(sample_db), sql) == rows(sample_db, sql)


def test_each_write_command_republishes_the_snapshot(empty_catalogue_db: Path, tmp_path: Path) -> None:
    snap = snapshot.snapshot_path(empty_catalogue_db)
    assert rows(snap, "SELECT count(*) FROM submissions") == [(0,)]
    assert run_cli(empty_catalogue_db, "ingest", str(plan_q2(tmp_path, 75))) == 0
    assert rows(snap, "SELECT unit_code, quarter, version FROM submissions") == [("PLAN", 2, 1)]
    assert rows(snap, "SELECT actual FROM kpi_results WHERE kpi_code = 'P-01' AND quarter = 2") == [(75.0,)]


def test_an_identical_reupload_leaves_the_snapshot_alone(sample_db: Path, tmp_path: Path) -> None:
    file = plan_q2(tmp_path, 80)
    assert run_cli(sample_db, "ingest", str(file)) == 0
    published = snapshot.snapshot_path(sample_db).stat()
    assert run_cli(sample_db, "ingest", str(file)) == 0
    again = snapshot.snapshot_path(sample_db).stat()
    assert (again.st_ino, again.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)


def test_snapshot_holds_no_accounts_sessions_audit_trail_or_saved_queries(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    add_accounts(sample_db)
    with db.open_db(sample_db) as con:
        auth.start_session(con, "ana")
    saved_queries.save_query(sample_db, "ana", "secret plan", "SELECT 'only-ana-sees-this'")
    saved_queries.record_run(sample_db, "ana", "SELECT 'history-of-ana'", "ok", 1, 3)
    snap = snapshot.publish_file(sample_db)

    tables = {name for (name,) in rows(snap, "SELECT table_name FROM information_schema.tables")}
    assert not tables & {"app_user", "user_session", "audit_event", "saved_query", "query_history", "audit_log",
                         "schema_version"}
    assert set(PUBLIC_VIEWS) <= tables and "snapshot_info" in tables
    assert [name for (name,) in rows(snap, "SELECT column_name FROM (DESCRIBE fiscal_period)")] == [
        "fiscal_year", "quarter", "is_closed", "reason", "deadline"]
    raw = snap.read_bytes()
    for secret in (b"bcrypt-sha256$", b"only-ana-sees-this", b"history-of-ana"):
        assert secret not in raw


def test_analysts_read_the_snapshot_while_another_process_writes_the_live_file(sample_db: Path) -> None:
    writer = hold(sample_db, "rw", 30)
    try:
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(sample_db), read_only=True)  # the fact that forces the design
        assert rows(snapshot.snapshot_path(sample_db), "SELECT count(*) FROM kpi_results") == [(12,)]
    finally:
        writer.kill()
        writer.wait()


def test_an_analyst_holding_the_snapshot_blocks_no_upload_and_keeps_a_consistent_copy(
    sample_db: Path, tmp_path: Path
) -> None:
    snap = snapshot.snapshot_path(sample_db)
    notebook = duckdb.connect(str(snap), read_only=True)  # an analyst's long-lived session
    try:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(sample_db), "ingest",
                               str(plan_q2(tmp_path, 91))], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert time.perf_counter() - started < db.LOCK_WAIT_SECONDS
        latest = "SELECT max(version) FROM submissions WHERE unit_code = 'PLAN' AND quarter = 2"
        assert notebook.execute(latest).fetchall() == [(1,)]  # the copy it opened, whole
        elsewhere = subprocess.run([sys.executable, "-c", READ_ONE, str(snap), latest],
                                   capture_output=True, text=True, timeout=60)
        assert elsewhere.stdout.strip() == "2", elsewhere.stderr  # any new session sees the new version
    finally:
        notebook.close()
    assert rows(snap, latest) == [(2,)]  # and so does this process once its old session is closed


def test_a_failed_publish_keeps_the_previous_snapshot_and_leaves_no_temporary_file(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snap = snapshot.snapshot_path(sample_db)
    before = snap.read_bytes()
    monkeypatch.setattr(db, "views_sql", lambda: "CREATE OR REPLACE VIEW kpi_results AS SELECT * FROM no_such_table;")
    with pytest.raises(duckdb.CatalogException):
        snapshot.publish_file(sample_db)
    assert snap.read_bytes() == before
    assert {path.name for path in snap.parent.iterdir()} <= {path.name for path in snapshot.published_files(snap)}


def test_the_snapshot_command_republishes_on_demand(sample_db: Path) -> None:
    snap = snapshot.snapshot_path(sample_db)
    snap.unlink()
    assert run_cli(sample_db, "snapshot") == 0
    assert rows(snap, "SELECT count(*) FROM unit_scores") == rows(sample_db, "SELECT count(*) FROM unit_scores")
    assert rows(snap, "SELECT count(*) FROM snapshot_info WHERE published_at <= current_timestamp") == [(1,)]


def test_a_temporary_file_left_by_a_crashed_publisher_is_cleaned_up(sample_db: Path) -> None:
    snap = snapshot.snapshot_path(sample_db)
    stale = snap.with_name(f".{snap.name}.deadbeef.tmp")
    stale.write_bytes(b"half a database")
    an_hour_ago = time.time() - snapshot.STALE_TEMP_SECONDS - 60
    os.utime(stale, (an_hour_ago, an_hour_ago))
    snapshot.publish_file(sample_db)
    assert not stale.exists()


def test_the_snapshot_is_written_in_a_format_every_duckdb_1x_reads(sample_db: Path) -> None:
    """Analysts' tools lag the product: the 1.x CLI refuses this duckdb's own format (storage 69), not 64."""
    header = snapshot.snapshot_path(sample_db).read_bytes()[8:20]
    assert header[:4] == b"DUCK"
    assert int.from_bytes(header[4:], "little") == 64

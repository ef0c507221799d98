"""`python -m pipelines ingest` of a quarter's file opens the live file once: validation, the gate, the commit with
its audit row and the publish share one connection. A large file is still validated with the database closed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import cli, db, snapshot, workflows
from tests.test_snapshot_incremental import every_view, q2_file


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(file name, read-only) of every connection opened to a database file while the test runs."""
    made: list[tuple[str, bool]] = []
    connect = db.connect

    def counting(db_path, read_only=False, wait_seconds=None):
        made.append((Path(db_path).name, read_only))
        return connect(db_path, read_only=read_only, wait_seconds=wait_seconds)

    monkeypatch.setattr(db, "connect", counting)
    return made


def audit_rows(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("SELECT action, outcome, unit_code FROM audit_log WHERE actor = 'one.open' "
                           "ORDER BY ALL").fetchall()


def test_a_quarter_file_is_validated_stored_audited_and_published_on_one_connection(
    sample_db: Path, tmp_path: Path, opens: list[tuple[str, bool]]
) -> None:
    assert cli.main(["--db", str(sample_db), "ingest", str(q2_file(tmp_path, 81)), "--by", "one.open"]) == 0
    assert opens == [(sample_db.name, False)]
    assert audit_rows(sample_db) == [("upload", "success", "PLAN")]
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)


def test_a_rejected_quarter_file_is_audited_on_that_one_connection_and_nothing_is_stored(
    sample_db: Path, tmp_path: Path, opens: list[tuple[str, bool]], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-99,5\n", encoding="utf-8")
    assert cli.main(["--db", str(sample_db), "ingest", str(bad), "--by", "one.open"]) != 0
    assert "P-99" in capsys.readouterr().err
    assert opens == [(sample_db.name, False)]
    assert audit_rows(sample_db) == [("upload", "rejected", None)]


def test_files_above_the_limit_are_validated_with_the_database_closed(
    sample_db: Path, tmp_path: Path, opens: list[tuple[str, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflows, "ONE_CONNECTION_BYTES", 10)
    assert cli.main(["--db", str(sample_db), "ingest", str(q2_file(tmp_path, 81)), "--by", "one.open"]) == 0
    assert opens == [(sample_db.name, True), (sample_db.name, True), (sample_db.name, False)]
    assert audit_rows(sample_db) == [("upload", "success", "PLAN")]

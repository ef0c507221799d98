"""The dashboard reads the published snapshot, kept open, and the live file only when there is no current one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import db, read_source, reports, snapshot
from pipelines.scoring import format_score
from tests.support import run_cli
from tests.test_snapshot import plan_q2


def agency_score(source: read_source.Source) -> str:
    with read_source.connect(source) as con:
        return format_score(reports.overview(con, 2568, 2, "AG").score)


def test_a_published_snapshot_is_read_and_gives_what_the_live_file_gives(sample_db: Path) -> None:
    source = read_source.current(sample_db)
    assert (source.kind, source.path) == ("snapshot", snapshot.snapshot_path(sample_db))
    assert agency_score(source) == "3.0083"  # tests/data/README.md
    assert agency_score(read_source.Source("live", sample_db, db.change_token(sample_db))) == "3.0083"


def test_without_a_snapshot_the_live_file_is_read(sample_db: Path) -> None:
    snapshot.snapshot_path(sample_db).unlink()
    source = read_source.current(sample_db)
    assert (source.kind, source.path) == ("live", sample_db)
    assert agency_score(source) == "3.0083"


def test_a_snapshot_of_an_older_schema_is_not_read(sample_db: Path) -> None:
    published = snapshot.snapshot_path(sample_db)
    with duckdb.connect(str(published)) as con:  # as published by the previous release
        con.execute("UPDATE snapshot_info SET schema_version = schema_version - 1")
    assert read_source.current(sample_db).kind == "live"
    assert run_cli(sample_db, "init") == 0  # `make run` republishes before the dashboard starts
    assert read_source.current(sample_db).kind == "snapshot"


def test_every_write_changes_the_token_and_the_new_data_is_read(sample_db: Path, tmp_path: Path) -> None:
    before = read_source.current(sample_db)
    assert run_cli(sample_db, "ingest", str(plan_q2(tmp_path, 80))) == 0
    after = read_source.current(sample_db)
    assert after.kind == "snapshot" and after.token != before.token
    with read_source.connect(after) as con:
        card = reports.unit_scorecard(con, 2568, 2, "PLAN")
    assert card.results.set_index("kpi_code")["actual"]["P-01"] == 80


def test_a_write_stands_when_it_cannot_be_published_and_the_old_snapshot_is_withdrawn_so_it_is_read_live(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def disk_full(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot, "publish", disk_full)
    assert run_cli(sample_db, "ingest", str(plan_q2(tmp_path, 80))) == 0
    assert "analyst snapshot not refreshed" in capsys.readouterr().err
    with duckdb.connect(str(sample_db), read_only=True) as con:
        stored = con.execute("SELECT max(version) FROM submissions WHERE unit_code = 'PLAN' AND quarter = 2")
        assert stored.fetchone() == (2,)
    assert not snapshot.snapshot_path(sample_db).exists()
    source = read_source.current(sample_db)
    assert source.kind == "live"
    with read_source.connect(source) as con:
        assert reports.unit_scorecard(con, 2568, 2, "PLAN").results.set_index("kpi_code")["actual"]["P-01"] == 80

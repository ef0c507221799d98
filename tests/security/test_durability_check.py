"""`python -m pipelines check` finds each kind of damage, reports it and exits 1; `--repair` republishes a snapshot
that misses a commit and never re-creates an archived file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import db, maintenance, snapshot
from tests.support import run_cli


def tamper(db_path: Path, *statements: str) -> None:
    with duckdb.connect(str(db_path)) as con:
        for statement in statements:
            con.execute(statement)


def archived(db_path: Path, unit: str, quarter: int) -> Path:
    with duckdb.connect(str(db_path), read_only=True) as con:
        file_name, sha256 = con.execute("SELECT file_name, sha256 FROM submission WHERE unit_code = ? AND quarter = ?",
                                        [unit, quarter]).fetchone()
    return db.uploads_dir(db_path) / f"{sha256}{Path(file_name).suffix.lower()}"


def test_a_whole_database_passes(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(sample_db, "check") == 0
    assert "all checks passed" in capsys.readouterr().out


DAMAGE = {
    "schema": lambda db_path: tamper(db_path, "DELETE FROM schema_version WHERE version = "
                                              "(SELECT max(version) FROM schema_version)"),
    # a gap in the version numbers (a duplicate version the unique constraint of migration 008 refuses:
    # tests/test_constraints.py)
    "versions": lambda db_path: tamper(
        db_path, "INSERT INTO submission SELECT nextval('submission_id'), unit_code, fiscal_year, quarter, 3, "
                 "file_name, sha256, row_count, submitted_by, submitted_at FROM submission WHERE unit_code = 'LAW'"),
    "torn": lambda db_path: tamper(db_path, "DELETE FROM submission_value WHERE kpi_code = 'P-02' AND submission_id = "
                                            "(SELECT min(submission_id) FROM submission WHERE unit_code = 'PLAN')"),
    "archive missing": lambda db_path: archived(db_path, "LAW", 2).unlink(),
    "archive altered": lambda db_path: archived(db_path, "PLAN", 1).write_bytes(b"division,quarter\nPLAN,9\n"),
    "score": lambda db_path: tamper(db_path, "UPDATE submission_value SET score = score + 0.5 WHERE kpi_code = 'L-01'"),
    "status": lambda db_path: tamper(db_path, "UPDATE submission_value SET status = 'off_track' "
                                              "WHERE kpi_code = 'P-01'"),
    "kept table": lambda db_path: tamper(db_path, "UPDATE kpi_result SET actual = actual + 1 WHERE kpi_code = 'P-01'"),
    "snapshot behind": lambda db_path: tamper(db_path, "UPDATE data_generation SET generation = generation + 1"),
    "snapshot missing": lambda db_path: snapshot.snapshot_path(db_path).unlink(),
}
FOUND_AS = {"schema": "schema", "versions": "versions", "torn": "torn",
            "archive missing": "archive", "archive altered": "archive", "score": "score", "status": "score",
            "kept table": "kept_table", "snapshot behind": "snapshot", "snapshot missing": "snapshot"}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_each_kind_of_damage_is_reported_and_the_check_exits_1(
    damage: str, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DAMAGE[damage](sample_db)
    kind = FOUND_AS[damage]
    assert kind in {finding.kind for finding in maintenance.check(sample_db)}
    assert run_cli(sample_db, "check") == 1
    err = capsys.readouterr().err
    assert maintenance.KIND_NAMES[kind] in err and "problem(s) found" in err


def test_repair_republishes_a_snapshot_that_misses_a_commit(sample_db: Path, capsys) -> None:
    DAMAGE["snapshot behind"](sample_db)
    assert run_cli(sample_db, "check", "--repair") == 0
    assert "republished the analyst snapshot" in capsys.readouterr().out
    assert run_cli(sample_db, "check") == 0


def test_repair_never_recreates_an_archived_file(sample_db: Path, capsys) -> None:
    missing = archived(sample_db, "LAW", 2)
    missing.unlink()
    assert run_cli(sample_db, "check", "--repair") == 1
    assert not missing.exists()
    assert f"archived file {missing.name} is missing" in capsys.readouterr().err


def test_check_of_a_missing_database_says_so(tmp_path: Path, capsys) -> None:
    assert run_cli(tmp_path / "none.duckdb", "check") == 1
    assert "database not found" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()

"""A database can hold a later migration without an earlier one: two branches each added one and the later number
landed first (a bench database got 013 and 014 while main had no 012). Upgrading applies the missing one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import cli, db

DROP_012 = ("DROP TABLE submission_return_reason", "DROP TABLE submission_review", "DROP TABLE approval_setting",
            "DELETE FROM schema_version WHERE version = 12")


@pytest.fixture
def database_without_012(tmp_path: Path) -> Path:
    """A database at every migration but 012: as one migrated while 013 and 014 existed and 012 did not."""
    path = tmp_path / "bsc.duckdb"
    assert cli.main(["--db", str(path), "init"]) == 0
    with db.open_db(path) as con:
        for statement in DROP_012:
            con.execute(statement)
        assert db.schema_version(con) == max(version for version, _, _ in db.migration_files())
    return path


def test_init_applies_a_migration_numbered_below_the_newest_applied(database_without_012: Path) -> None:
    with db.open_db(database_without_012, read_only=True) as con:
        assert not db.is_current(con)
        assert [name for _, name, _ in db.pending_migrations(con)] == ["012_approval.sql"]

    assert cli.main(["--db", str(database_without_012), "init"]) == 0

    with db.open_db(database_without_012, read_only=True) as con:
        versions = [row[0] for row in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        assert versions == [version for version, _, _ in db.migration_files()]
        assert con.execute("SELECT count(*) FROM submission_review").fetchone() == (0,)
        assert db.is_current(con)
    assert cli.main(["--db", str(database_without_012), "check"]) == 0


def test_check_names_the_migration_a_database_misses(database_without_012: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", str(database_without_012), "check"]) != 0
    assert "migrations not applied: 012_approval.sql" in capsys.readouterr().err


def test_migrate_applies_the_missing_migrations_in_number_order() -> None:
    with duckdb.connect() as con:
        db.migrate(con)
        for statement in (*DROP_012, "DROP TABLE reminder_sent", "DROP TABLE reminder_schedule",
                          "DELETE FROM schema_version WHERE version = 14"):
            con.execute(statement)
        assert db.migrate(con) == ["012_approval.sql", "014_reminders.sql"]
        assert db.migrate(con) == []

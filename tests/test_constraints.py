"""The core tables refuse the rows their rules forbid (migration 008, docs/development/constraints.md): each
constraint is shown refusing a bad row, the vocabulary checks accept every value pipelines.domain names, and a
database built at migration 007 with the demo data upgrades to them with every row kept and still takes writes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from pipelines import cli, db, queries, snapshot, workflows
from pipelines.domain import DIMENSIONS, ORG_LEVELS, STATUSES
from tests.approval_support import code_before_012

CORE_TABLES = ("org_unit", "kpi", "kpi_owner", "catalogue_load", "submission", "submission_value")
APPROVAL_TABLES = ("approval_setting", "submission_review", "submission_return_reason")
"""Migration 012's tables: their constraints follow the same rules."""
GOOD_ROWS = (
    "INSERT INTO org_unit VALUES ('AG', 'ส่วนราชการ', NULL, NULL, 'agency', 0), "
    "('PLAN', 'กองแผน', NULL, 'AG', 'division', 1)",
    "INSERT INTO kpi VALUES (2568, 'P-01', 'ตัวชี้วัด', NULL, 'effectiveness', [], NULL, 'higher', 'milestone', 10, "
    "NULL, NULL, NULL, NULL, NULL, NULL, 0)",
    "INSERT INTO kpi_owner VALUES (2568, 'P-01', 'PLAN')",
    "INSERT INTO catalogue_load (load_id, fiscal_year, file_name, sha256, kpi_count) VALUES (1, 2568, 'c.csv', 'x', 1)",
    "INSERT INTO submission (submission_id, unit_code, fiscal_year, quarter, version, file_name, sha256, row_count) "
    "VALUES (1, 'PLAN', 2568, 1, 1, 's.csv', 'x', 1)",
    "INSERT INTO submission_value (submission_id, kpi_code, actual, score, status) "
    "VALUES (1, 'P-01', 3, 3, 'on_track')",
    # review and approval (migration 012)
    "INSERT INTO approval_setting VALUES (2568, true, 'admin', TIMESTAMP '2025-01-01 09:00:00')",
    "INSERT INTO submission_review VALUES (1, 'approved', 'rev', TIMESTAMP '2025-01-02 09:00:00', 7)",
    "INSERT INTO submission_return_reason VALUES (1, 'P-01', 'ตัวเลขไม่ตรงกับหลักฐาน')",
)
"""One valid row in each core table, inserted before every bad one."""


def kpi_row(code: str = "P-02", dimension: str = "'effectiveness'", direction: str = "'higher'",
            kind: str = "'milestone'", weight: str = "10") -> str:
    return (f"INSERT INTO kpi VALUES (2568, '{code}', 'ชื่อ', NULL, {dimension}, [], NULL, {direction}, "
            f"{kind}, {weight}, NULL, NULL, NULL, NULL, NULL, NULL, 1)")


def submission_row(submission_id: int = 2, unit: str = "'PLAN'", quarter: int = 2, version: int = 1) -> str:
    return ("INSERT INTO submission (submission_id, unit_code, fiscal_year, quarter, version, file_name, sha256, "
            f"row_count) VALUES ({submission_id}, {unit}, 2568, {quarter}, {version}, 's.csv', 'x', 1)")


def value_row(submission_id: int = 1, kpi_code: str = "P-02", status: str = "'not_reported'") -> str:
    return (f"INSERT INTO submission_value (submission_id, kpi_code, status) "
            f"VALUES ({submission_id}, '{kpi_code}', {status})")


CONSTRAINTS = {
    # (table, constraint, columns): a row that breaks it
    ("org_unit", "PRIMARY KEY", ("code",)): "INSERT INTO org_unit VALUES ('PLAN', 'ซ้ำ', NULL, 'AG', 'division', 2)",
    ("org_unit", "CHECK", ("level",)): "INSERT INTO org_unit VALUES ('X', 'x', NULL, 'AG', 'department', 2)",
    ("kpi", "PRIMARY KEY", ("fiscal_year", "kpi_code")): kpi_row(code="P-01"),
    ("kpi", "CHECK", ("dimension",)): kpi_row(dimension="'finance'"),
    ("kpi", "CHECK", ("direction",)): kpi_row(direction="'up'"),
    ("kpi", "CHECK", ("kind",)): kpi_row(kind="'text'"),
    ("kpi", "CHECK", ("weight",)): kpi_row(weight="-1"),
    ("kpi_owner", "PRIMARY KEY", ("fiscal_year", "kpi_code", "owner_code")):
        "INSERT INTO kpi_owner VALUES (2568, 'P-01', 'PLAN')",
    ("kpi_owner", "FOREIGN KEY", ("owner_code",)): "INSERT INTO kpi_owner VALUES (2568, 'P-01', 'NOWHERE')",
    ("catalogue_load", "PRIMARY KEY", ("load_id",)):
        "INSERT INTO catalogue_load (load_id, fiscal_year, file_name, sha256, kpi_count) VALUES (1, 2568, 'd', 'y', 2)",
    ("submission", "PRIMARY KEY", ("submission_id",)): submission_row(submission_id=1),
    ("submission", "UNIQUE", ("unit_code", "fiscal_year", "quarter", "version")): submission_row(quarter=1),
    ("submission", "FOREIGN KEY", ("unit_code",)): submission_row(unit="'NOWHERE'"),
    ("submission", "CHECK", ("quarter",)): submission_row(quarter=5),
    ("submission", "CHECK", ("version",)): submission_row(version=0),
    ("submission_value", "PRIMARY KEY", ("submission_id", "kpi_code")): value_row(kpi_code="P-01"),
    ("submission_value", "FOREIGN KEY", ("submission_id",)): value_row(submission_id=99),
    ("submission_value", "CHECK", ("status",)): value_row(status="'provisional'"),
    # review and approval (migration 012)
    ("approval_setting", "PRIMARY KEY", ("fiscal_year",)):
        "INSERT INTO approval_setting VALUES (2568, false, 'admin', TIMESTAMP '2025-02-01 09:00:00')",
    ("submission_review", "PRIMARY KEY", ("submission_id",)):
        "INSERT INTO submission_review VALUES (1, 'submitted', NULL, NULL, NULL)",
    ("submission_review", "FOREIGN KEY", ("submission_id",)):
        "INSERT INTO submission_review VALUES (99, 'submitted', NULL, NULL, NULL)",
    ("submission_review", "CHECK", ("status",)):
        "INSERT INTO submission_review VALUES (1, 'pending', NULL, NULL, NULL)",
    ("submission_review", "UNIQUE", ("review_id",)):
        submission_row() + "; "
        "INSERT INTO submission_review VALUES (2, 'returned', 'rev', TIMESTAMP '2025-01-03 09:00:00', 7)",
    ("submission_review", "CHECK", ("status", "reviewed_by")): submission_row() + "; "
        "INSERT INTO submission_review VALUES (2, 'approved', NULL, TIMESTAMP '2025-01-03 09:00:00', 8)",
    ("submission_review", "CHECK", ("status", "reviewed_at")): submission_row() + "; "
        "INSERT INTO submission_review VALUES (2, 'submitted', NULL, TIMESTAMP '2025-01-03 09:00:00', NULL)",
    ("submission_review", "CHECK", ("status", "review_id")): submission_row() + "; "
        "INSERT INTO submission_review VALUES (2, 'returned', 'rev', TIMESTAMP '2025-01-03 09:00:00', NULL)",
    ("submission_return_reason", "PRIMARY KEY", ("submission_id", "kpi_code")):
        "INSERT INTO submission_return_reason VALUES (1, 'P-01', 'ซ้ำ')",
    ("submission_return_reason", "FOREIGN KEY", ("submission_id",)):
        "INSERT INTO submission_return_reason VALUES (99, 'P-01', 'ไม่มีฉบับนี้')",
    ("submission_return_reason", "CHECK", ("reason",)): "INSERT INTO submission_return_reason VALUES (1, 'P-02', '  ')",
    # NOT NULL, kept from migration 001: the columns every rule reads
    ("org_unit", "NOT NULL", ("level",)): "INSERT INTO org_unit VALUES ('X', 'x', NULL, 'AG', NULL, 2)",
    ("kpi", "NOT NULL", ("weight",)): kpi_row(weight="NULL"),
    ("submission", "NOT NULL", ("unit_code",)): submission_row(unit="NULL"),
    ("submission_value", "NOT NULL", ("status",)): value_row(status="NULL"),
}


@pytest.fixture(scope="module")
def migrated() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:  # in memory, every migration and view of the product
        db.migrate(con)
        yield con


@pytest.fixture
def con(migrated: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """The migrated schema with one good row per core table, inside a transaction rolled back after the test."""
    migrated.execute("BEGIN TRANSACTION")
    try:
        for statement in GOOD_ROWS:
            migrated.execute(statement)
        yield migrated
    finally:
        migrated.execute("ROLLBACK")


REFUSED_WITH = {"PRIMARY KEY": "duplicate key", "UNIQUE": "duplicate key", "FOREIGN KEY": "foreign key",
                "CHECK": "check constraint", "NOT NULL": "not null"}
"""How DuckDB words each kind of refusal: the bad row is refused by the constraint it was written to break."""


@pytest.mark.parametrize("constraint", list(CONSTRAINTS), ids=lambda c: f"{c[0]}-{c[1]}-{'-'.join(c[2])}")
def test_each_constraint_refuses_a_bad_row(con: duckdb.DuckDBPyConnection, constraint: tuple) -> None:
    with pytest.raises(duckdb.ConstraintException) as refused:
        con.execute(CONSTRAINTS[constraint])
    assert REFUSED_WITH[constraint[1]] in str(refused.value).lower()


def test_every_constraint_of_the_core_tables_has_a_bad_row_above(migrated: duckdb.DuckDBPyConnection) -> None:
    declared = {
        (table, kind, tuple(columns)) for table, kind, columns in migrated.execute(
            "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
            "WHERE list_contains(?, table_name) AND constraint_type <> 'NOT NULL'",
            [[*CORE_TABLES, *APPROVAL_TABLES]]).fetchall()
    }
    assert declared == {key for key in CONSTRAINTS if key[1] != "NOT NULL"}


def test_the_vocabulary_checks_accept_every_value_the_domain_names(con: duckdb.DuckDBPyConnection) -> None:
    """The checks spell out pipelines.domain's codes (SQL cannot import them): every one must be accepted."""
    for number, level in enumerate(ORG_LEVELS):
        con.execute("INSERT INTO org_unit VALUES (?, 'x', NULL, 'AG', ?, ?)", [f"L{number}", level, 10 + number])
    for number, dimension in enumerate(DIMENSIONS):
        con.execute(kpi_row(code=f"D-{number}", dimension=f"'{dimension}'"))
    con.execute(kpi_row(code="LOW", direction="'lower'", kind="'numeric'", weight="0"))
    for status in STATUSES:
        con.execute(value_row(kpi_code=status, status=f"'{status}'"))
    assert con.execute("SELECT count(*) FROM submission_value").fetchone()[0] == 1 + len(STATUSES)


def test_the_write_paths_a_constraint_could_trip_still_work(con: duckdb.DuckDBPyConnection) -> None:
    """What the product does to referenced rows: update an org unit that owns KPIs and has submitted (without
    RETURNING, which DuckDB runs as delete and insert), replace a year's catalogue in one transaction, rescore."""
    assert con.execute("UPDATE org_unit SET name_th = 'กองแผนใหม่', parent_code = 'AG', level = 'division' "
                       "WHERE code = 'PLAN'").fetchone() == (1,)
    con.execute("DELETE FROM kpi_owner WHERE fiscal_year = 2568")
    con.execute("DELETE FROM kpi WHERE fiscal_year = 2568")
    con.execute(kpi_row(code="P-01"))
    con.execute("INSERT INTO kpi_owner VALUES (2568, 'P-01', 'PLAN')")
    con.execute("UPDATE submission_value SET score = 4, status = 'on_track' WHERE submission_id = 1")
    con.execute(submission_row(version=2, quarter=1))
    assert con.execute("SELECT count(*) FROM submission WHERE unit_code = 'PLAN'").fetchone() == (2,)


# --- upgrading a database built at migration 007 -------------------------------------------------------------

VIEWS_AT_007 = tuple(name for name in db.VIEW_FILES  # their tables came in 009, 010 and 013
                     if name not in ("views_forecast.sql", "views_strategy.sql", "views_evidence.sql"))


@pytest.fixture(scope="module")
def demo_at_007(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database as the product built it before migration 008 (the demo built by today's code with the
    migrations up to 007 only: the same tables without the constraints)."""
    root = tmp_path_factory.mktemp("demo_007")
    every_migration = db.migration_files
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "migration_files", lambda: [m for m in every_migration() if m[0] <= 7])
        patch.setattr(db, "VIEW_FILES", VIEWS_AT_007)
        code_before_012(patch)
        # the strategy's tables came in 010: a database at 007 had none, so the demo's strategy is not loaded
        patch.setattr(workflows, "load_strategy_file", lambda *args, **kwargs: SimpleNamespace(stored=True))
        # ... and a catalogue load has no strategy to keep its KPIs for
        patch.setattr(queries, "STRATEGY_KPI_USES", "SELECT NULL, NULL, NULL WHERE ? IS NULL")
        # nor evidence files (013): a new version has none to carry over
        patch.setattr(queries, "CARRY_OVER_EVIDENCE", "SELECT $new, $old")
        assert cli.main(["--db", str(root / "bsc.duckdb"), "demo", "--demo-dir", str(root / "demo")]) == 0
    return root / "bsc.duckdb"


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in CORE_TABLES}  # noqa: S608


def same_score(found: float | None, expected: float | None) -> bool:
    """Equal up to the order the rebuilt tables add them up in."""
    if found is None or expected is None:
        return found is expected
    return math.isclose(found, expected, rel_tol=1e-12)


def test_a_demo_database_at_migration_007_upgrades_keeping_every_row(demo_at_007: Path) -> None:
    with db.open_db(demo_at_007) as con:
        assert db.schema_version(con) == 7
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'submission' "
                           "AND constraint_type = 'UNIQUE'").fetchone() == (0,)
        rows, scores = table_rows(con), con.execute("SELECT * FROM unit_scores ORDER BY ALL").fetchall()
        assert len(rows["submission"]) > 50 and len(rows["submission_value"]) > 200

        assert db.migrate(con)[0] == "008_constraints.sql"

        assert db.schema_version(con) == max(version for version, _, _ in db.migration_files())
        assert table_rows(con) == rows
        after = con.execute("SELECT * FROM unit_scores ORDER BY ALL").fetchall()
        assert [row[:3] + row[4:] for row in after] == [row[:3] + row[4:] for row in scores]
        assert all(same_score(new[3], old[3]) for new, old in zip(after, scores, strict=True))
        leftovers = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%before_008'"
        assert con.execute(leftovers).fetchone() == (0,)
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO submission SELECT * REPLACE (nextval('submission_id') AS submission_id) "
                        "FROM submission LIMIT 1")
        submissions = len(rows["submission"])

    demo_dir = demo_at_007.parent / "demo"
    # reloading org units (every one of them referenced) and a catalogue, through the CLI, then the check
    assert cli.main(["--db", str(demo_at_007), "orgs", str(demo_dir / "orgs.csv")]) == 0
    assert cli.main(["--db", str(demo_at_007), "catalogue", str(demo_dir / "catalogue_2567.csv")]) == 0
    assert cli.main(["--db", str(demo_at_007), "check"]) == 0
    with duckdb.connect(str(snapshot.snapshot_path(demo_at_007)), read_only=True) as published:
        assert published.execute("SELECT count(*) FROM submissions").fetchone() == (submissions,)


def test_a_database_whose_rows_break_a_rule_stays_at_007_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows with the same version (damage `check` reports): the upgrade refuses and rolls back whole."""
    every_migration = db.migration_files
    with duckdb.connect() as con:
        monkeypatch.setattr(db, "migration_files", lambda: [m for m in every_migration() if m[0] <= 7])
        monkeypatch.setattr(db, "VIEW_FILES", VIEWS_AT_007)
        code_before_012(monkeypatch)
        db.migrate(con)
        for statement in (*GOOD_ROWS[:2], submission_row(submission_id=1, quarter=1),
                          submission_row(submission_id=2, quarter=1)):
            con.execute(statement)
        monkeypatch.setattr(db, "migration_files", every_migration)

        with pytest.raises(duckdb.ConstraintException, match="duplicate key"):
            db.migrate(con)

        assert db.schema_version(con) == 7
        assert con.execute("SELECT count(*) FROM submission").fetchone() == (2,)
        leftovers = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%before_008'"
        assert con.execute(leftovers).fetchone() == (0,)


def test_a_write_that_meets_a_version_another_writer_committed_first_is_run_again() -> None:
    """Two uploads of one unit's quarter in the same process: both read version 1 as the next; the first commits,
    the second's insert is refused by the unique key and db.retrying runs it again, which then stores version 2."""
    with duckdb.connect() as con:
        db.migrate(con)
        for statement in GOOD_ROWS[:1]:
            con.execute(statement)
        first, second = con.cursor(), con.cursor()
        second.execute("BEGIN TRANSACTION")
        second.execute("SELECT count(*) FROM submission").fetchall()  # its snapshot: no version yet
        first.execute(submission_row(submission_id=1, quarter=1, version=1))
        attempts = []

        def store() -> int:
            if not attempts:  # the first attempt, in the transaction that began before the other commit
                attempts.append("stale")
                try:
                    second.execute(submission_row(submission_id=2, quarter=1, version=1))
                finally:
                    second.execute("ROLLBACK")
            with db.transaction(second):
                version = second.execute("SELECT max(version) + 1 FROM submission WHERE unit_code = 'PLAN' "
                                         "AND quarter = 1").fetchone()[0]
                second.execute(submission_row(submission_id=2, quarter=1, version=version))
            return version

        assert db.retrying(store) == 2
        assert attempts == ["stale"]
        assert con.execute("SELECT version FROM submission ORDER BY version").fetchall() == [(1,), (2,)]


def test_a_constraint_error_that_is_not_a_conflict_is_not_retried() -> None:
    calls = []

    def broken() -> None:
        calls.append(1)
        raise duckdb.ConstraintException("CHECK constraint failed on table \"submission\"")

    with pytest.raises(duckdb.ConstraintException):
        db.retrying(broken)
    assert calls == [1]

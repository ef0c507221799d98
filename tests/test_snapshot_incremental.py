"""The publish after an upload copies only the uploaded unit quarter into a copy of the published file, and the
result reads exactly as a full copy would; anything else (or any doubt) falls back to copying every table."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import cli, db, snapshot
from pipelines.ingest import commit_files, prepare_files
from pipelines.view_docs import PUBLIC_VIEWS


def q2_file(tmp_path: Path, p01: float, p02: float = 12, unit: str = "PLAN") -> Path:
    path = tmp_path / f"{unit}_q2_{p01}.csv"
    path.write_text(f"division,fiscal_year,quarter,kpi_code,actual\n{unit},2568,2,P-01,{p01}\n{unit},2568,2,P-02,{p02}\n",
                    encoding="utf-8")
    return path


def ingest(database: Path, *files: Path) -> int:
    return cli.main(["--db", str(database), "ingest", *map(str, files), "--by", "test"])


def every_view(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {view: con.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall() for view in PUBLIC_VIEWS}


@pytest.fixture
def full_copies(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full copy of the public tables made while the test runs."""
    made: list[Path] = []
    build = snapshot._build

    def counting(con, temporary, alias):
        made.append(temporary)
        return build(con, temporary, alias)

    monkeypatch.setattr(snapshot, "_build", counting)
    return made


def test_an_upload_publishes_only_its_quarter_and_the_snapshot_reads_as_the_live_file(
    sample_db: Path, tmp_path: Path, full_copies: list[Path]
) -> None:
    before = snapshot.file_token(snapshot.snapshot_path(sample_db))
    assert ingest(sample_db, q2_file(tmp_path, 81)) == 0
    assert full_copies == []  # no table copied whole
    assert snapshot.file_token(snapshot.snapshot_path(sample_db)) != before  # a new file, swapped in atomically
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)
    with duckdb.connect(str(snapshot.snapshot_path(sample_db)), read_only=True) as con, \
            db.open_db(sample_db, read_only=True) as live:
        assert con.execute("SELECT database_id, generation FROM snapshot_info").fetchone() == db.data_state(live)


def test_two_uploads_in_one_command_are_both_published(
    sample_db: Path, tmp_path: Path, full_copies: list[Path]
) -> None:
    law = tmp_path / "law.csv"
    law.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,1,L-01,5\n", encoding="utf-8")
    assert ingest(sample_db, q2_file(tmp_path, 64), law) == 0  # PLAN's new version, and LAW's first Q1
    assert full_copies == []
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)


def test_a_snapshot_that_missed_a_commit_is_copied_whole_by_the_next_upload(
    sample_db: Path, tmp_path: Path, full_copies: list[Path]
) -> None:
    """A writer killed between its commit and its publish: the next upload cannot patch the old file."""
    unpublished = q2_file(tmp_path, 70)
    with db.open_db(sample_db) as con:
        prepared = prepare_files(con, [(unpublished.name, unpublished.read_bytes())])
        commit_files(con, prepared, "killed", db.uploads_dir(sample_db))  # and no publish
    assert ingest(sample_db, q2_file(tmp_path, 90)) == 0
    assert len(full_copies) == 1
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)


def test_a_change_that_is_not_an_upload_copies_every_table(sample_db: Path, tmp_path: Path,
                                                            full_copies: list[Path]) -> None:
    with db.open_db(sample_db) as con:
        db.bump_generation(con)  # what org, catalogue and period changes do
        snapshot.publish(con, sample_db)
    assert len(full_copies) == 1


def test_a_rolled_back_upload_is_forgotten_and_the_next_publish_copies_every_table(
    sample_db: Path, tmp_path: Path, full_copies: list[Path]
) -> None:
    with db.open_db(sample_db) as con:
        with pytest.raises(RuntimeError), db.transaction(con):
            db.bump_generation(con, period=("PLAN", 2568, 2))
            raise RuntimeError("refused")
        assert db.take_pending(con) is None
        snapshot.publish(con, sample_db)
    assert len(full_copies) == 1
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)


def test_a_patched_snapshot_stays_in_the_format_every_duckdb_1x_reads(sample_db: Path, tmp_path: Path,
                                                                     full_copies: list[Path]) -> None:
    assert ingest(sample_db, q2_file(tmp_path, 55)) == 0
    assert full_copies == []
    header = snapshot.snapshot_path(sample_db).read_bytes()[8:20]
    assert header[:4] == b"DUCK" and int.from_bytes(header[4:], "little") == 64


def test_a_published_file_that_cannot_be_patched_is_replaced_by_a_full_copy(
    sample_db: Path, tmp_path: Path, full_copies: list[Path]
) -> None:
    snapshot.snapshot_path(sample_db).write_bytes(b"not a database")  # damaged since it was published
    assert ingest(sample_db, q2_file(tmp_path, 66)) == 0
    assert len(full_copies) == 1
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)

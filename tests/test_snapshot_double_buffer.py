"""The published snapshot is a link to one of two files: the publish after an upload patches the older one in place
with what changed since it was current and swaps the link, copying no file; a reader holding the older file, a
failed patch or anything in doubt makes it copy as before, and what readers see always equals the live file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import db, snapshot, sqlconsole
from tests.test_snapshot import hold
from tests.test_snapshot_incremental import every_view, ingest, q2_file


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every published file copied (by file or every table) while the test runs."""
    made: list[str] = []
    copyfile, build = shutil.copyfile, snapshot._build

    def counting_copy(source, destination, **kwargs):
        if Path(source).parent.name == "snapshot":
            made.append("file")
        return copyfile(source, destination, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", counting_copy)
    monkeypatch.setattr(snapshot, "_build", lambda *args: made.append("tables") or build(*args))
    return made


def warmed(database: Path, tmp_path: Path) -> None:
    """Two uploads: after a full publish (the fixture's), the first two publishes copy the current file (neither file
    beside it was patched from the other yet); from then on the older file is patched in place."""
    assert ingest(database, q2_file(tmp_path, 81)) == 0
    assert ingest(database, q2_file(tmp_path, 82)) == 0


def published_file(database: Path) -> Path:
    link = snapshot.snapshot_path(database)
    return link.parent / os.readlink(link)


def generation_of(path: Path) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT database_id, generation FROM snapshot_info").fetchone()


def live_state(database: Path) -> tuple:
    with db.open_db(database, read_only=True) as con:
        return db.data_state(con)


def test_uploads_after_the_first_copy_no_file_and_read_as_the_live_file(
    sample_db: Path, tmp_path: Path, copies: list[str]
) -> None:
    warmed(sample_db, tmp_path)
    first = published_file(sample_db)
    copies.clear()
    law = tmp_path / "law.csv"
    law.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,1,L-01,5\n", encoding="utf-8")
    law_q2 = tmp_path / "law_q2.csv"
    law_q2.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,2,L-01,4\n", encoding="utf-8")
    for upload in (q2_file(tmp_path, 64), law, q2_file(tmp_path, 70, 3), law_q2):
        before = snapshot.file_token(snapshot.snapshot_path(sample_db))
        assert ingest(sample_db, upload) == 0
        assert copies == []  # the older file patched where it lies
        assert snapshot.file_token(snapshot.snapshot_path(sample_db)) != before
        assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)
        assert generation_of(snapshot.snapshot_path(sample_db)) == live_state(sample_db)
    assert published_file(sample_db) == first  # the two files took turns
    assert {published_file(sample_db)} | set(snapshot.buffer_files(snapshot.snapshot_path(sample_db))) == set(
        snapshot.buffer_files(snapshot.snapshot_path(sample_db)))


def test_a_reader_in_another_process_holding_the_older_file_makes_the_publish_copy_and_keeps_its_copy(
    sample_db: Path, tmp_path: Path, copies: list[str]
) -> None:
    warmed(sample_db, tmp_path)
    older = published_file(sample_db)
    reader = hold(older, "ro", 60)  # an analyst who opened the snapshot before the next upload and kept it
    try:
        assert ingest(sample_db, q2_file(tmp_path, 64)) == 0  # writes the other file in place
        copies.clear()
        assert ingest(sample_db, q2_file(tmp_path, 70)) == 0  # the reader's file is busy: copy instead
        assert copies == ["file"]
        assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)
    finally:
        reader.kill()
        reader.wait()


def test_a_reader_in_this_process_holding_the_older_file_makes_the_publish_copy(
    sample_db: Path, tmp_path: Path, copies: list[str]
) -> None:
    """DuckDB's file lock does not stop this process: the reader's private link to the file does."""
    warmed(sample_db, tmp_path)
    link = snapshot.snapshot_path(sample_db)
    with sqlconsole.console_connection(link) as reader:  # a query running while two uploads publish
        seen = reader.execute("SELECT count(*), max(generation) FROM snapshot_info").fetchone()
        assert ingest(sample_db, q2_file(tmp_path, 64)) == 0
        copies.clear()
        assert ingest(sample_db, q2_file(tmp_path, 70)) == 0
        assert copies == ["file"]
        assert reader.execute("SELECT count(*), max(generation) FROM snapshot_info").fetchone() == seen
    assert every_view(link) == every_view(sample_db)


def test_a_file_no_query_uses_any_more_is_closed_and_patched_in_place(
    sample_db: Path, tmp_path: Path, copies: list[str]
) -> None:
    warmed(sample_db, tmp_path)
    link = snapshot.snapshot_path(sample_db)
    with sqlconsole.console_connection(link, threads=1) as reader:  # the dashboard read it, then went idle
        reader.execute("SELECT 1").fetchall()
    assert ingest(sample_db, q2_file(tmp_path, 64)) == 0
    copies.clear()
    assert ingest(sample_db, q2_file(tmp_path, 70)) == 0
    assert copies == []
    with sqlconsole.console_connection(link, threads=1) as reader:
        assert reader.execute("SELECT max(generation) FROM snapshot_info").fetchone() == (live_state(sample_db)[1],)


def test_a_publish_that_fails_after_patching_the_older_file_leaves_the_current_one_and_the_next_copies(
    sample_db: Path, tmp_path: Path, copies: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(sample_db, tmp_path)
    link = snapshot.snapshot_path(sample_db)
    published, shown = published_file(sample_db), every_view(link)
    switch = snapshot._switch

    def killed(target: Path, buffer: Path) -> None:
        raise OSError("killed before the link was swapped")

    monkeypatch.setattr(snapshot, "_switch", killed)
    with db.open_db(sample_db) as con:
        unpublished = q2_file(tmp_path, 50)
        from pipelines.ingest import commit_files, prepare_files

        commit_files(con, prepare_files(con, [(unpublished.name, unpublished.read_bytes())]), "t",
                     db.uploads_dir(sample_db))
        with pytest.raises(OSError, match="killed"):
            snapshot.publish(con, sample_db)
    assert published_file(sample_db) == published and every_view(link) == shown  # the previous one, whole
    monkeypatch.setattr(snapshot, "_switch", switch)
    copies.clear()
    assert ingest(sample_db, q2_file(tmp_path, 90)) == 0
    assert copies == ["tables"]  # the snapshot missed a commit: every table copied (no file copied first)
    assert every_view(link) == every_view(sample_db)
    copies.clear()
    assert ingest(sample_db, q2_file(tmp_path, 91)) == 0
    assert ingest(sample_db, q2_file(tmp_path, 92)) == 0
    assert copies == ["file"]  # after a full copy the next publish copies the file, then patches in place
    assert every_view(link) == every_view(sample_db)


def test_a_patch_that_fails_inside_its_transaction_changes_nothing_readers_see(
    sample_db: Path, tmp_path: Path, copies: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(sample_db, tmp_path)
    copies.clear()
    replace = snapshot._replace_forecasts

    def failing(*args) -> None:
        raise duckdb.IOException("disk gone")

    monkeypatch.setattr(snapshot, "_replace_forecasts", failing)
    monkeypatch.setattr(snapshot, "_replace_period", lambda *args: failing())
    assert ingest(sample_db, q2_file(tmp_path, 70)) == 0  # the write stands; the publish copied every table
    assert copies == ["file", "tables"]
    monkeypatch.setattr(snapshot, "_replace_forecasts", replace)
    assert every_view(snapshot.snapshot_path(sample_db)) == every_view(sample_db)


def test_readers_through_the_published_link_open_the_file_it_points_at(sample_db: Path, tmp_path: Path) -> None:
    assert ingest(sample_db, q2_file(tmp_path, 81)) == 0
    link = snapshot.snapshot_path(sample_db)
    assert link.is_symlink()
    with sqlconsole.console_connection(link) as one, sqlconsole.console_connection(link, threads=1) as other:
        assert one.execute("SELECT generation FROM snapshot_info").fetchone() == \
            other.execute("SELECT generation FROM snapshot_info").fetchone()
    assert oct(published_file(sample_db).stat().st_mode & 0o777) == "0o600"

"""The database, its WAL, the snapshot and the uploads archive are private to the server's user: files 0600,
folders 0700, whatever the umask of whoever runs the command (issue 9 item 15)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines import db, snapshot
from tests.support import SAMPLES, run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a login shell: files 0644 and folders 0755 unless the product says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_every_file_and_folder_a_new_database_gets_is_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "srv" / "data"
    db_path = data / "bsc.duckdb"
    assert run_cli(db_path, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    assert run_cli(db_path, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")) == 0
    assert run_cli(db_path, "ingest", str(SAMPLES / "submission_plan_q2_libreoffice.xlsx")) == 0

    assert mode(data) == 0o700 and mode(db_path) == 0o600
    published = snapshot.snapshot_path(db_path)
    assert mode(published.parent) == 0o700 and mode(published) == 0o600
    archive = db.uploads_dir(db_path)
    assert mode(archive) == 0o700
    assert sorted(mode(path) for path in archive.iterdir()) == [0o600] * 3  # orgs, catalogue, submission
    assert run_cli(db_path, "backup", "--out", str(tmp_path / "backup.tar")) == 0
    assert mode(tmp_path / "backup.tar") == 0o600

    with db.open_db(db_path) as con:  # a write still open: its WAL exists
        con.execute("UPDATE data_generation SET generation = generation + 1")
        assert mode(Path(f"{db_path}.wal")) == 0o600
    assert os.umask(0o022) == 0o022  # the process umask is left as it was


def test_a_database_an_older_version_left_readable_by_everyone_is_made_private_on_the_next_write(
    sample_db: Path, open_umask: None
) -> None:
    sample_db.chmod(0o644)
    assert run_cli(sample_db, "init") == 0
    assert mode(sample_db) == 0o600

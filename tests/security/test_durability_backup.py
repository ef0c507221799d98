"""`python -m pipelines backup --out FILE` and `restore FILE`: a consistent copy taken while others read and write,
put back into a fresh folder with every public view identical; a restore never overwrites a database unasked and
refuses a damaged or foreign file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import db, maintenance, read_source, snapshot
from pipelines.view_docs import PUBLIC_VIEWS
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]
WORKER = ["-m", "tests.concurrency_worker"]  # run from ROOT, so `pipelines` imports as it does for a user


def public_views(db_path: Path) -> dict[str, list[tuple]]:
    with db.open_db(db_path, read_only=True) as con:
        return {view: con.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall() for view in PUBLIC_VIEWS}


def uploads(db_path: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in db.uploads_dir(db_path).iterdir() if path.is_file()}


def test_a_backup_restored_into_a_fresh_folder_gives_identical_public_views_and_uploads(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "out" / "bsc-backup.tar"
    assert run_cli(sample_db, "backup", "--out", str(backup)) == 0
    assert "backup written" in capsys.readouterr().out
    assert backup.stat().st_mode & 0o777 == 0o600

    fresh = tmp_path / "fresh" / "bsc.duckdb"
    assert run_cli(fresh, "restore", str(backup)) == 0
    assert public_views(fresh) == public_views(sample_db)
    assert uploads(fresh) == uploads(sample_db)
    assert run_cli(fresh, "check") == 0  # archived files, scores, kept tables, and a snapshot published
    with read_source.connect(read_source.current(fresh)) as con:
        assert con.execute("SELECT count(*) FROM submissions").fetchone() == (3,)


def test_a_backup_taken_while_a_writer_commits_and_readers_read_is_consistent(sample_db: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen([sys.executable, *WORKER, "writer", str(sample_db), "6"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    with read_source.connect(read_source.current(sample_db)) as reader:  # the dashboard holds the snapshot open
        reader.execute("SELECT count(*) FROM kpi_results").fetchall()
        assert run_cli(sample_db, "backup", "--out", str(tmp_path / "during.tar")) == 0
    out, err = writer.communicate(timeout=120)
    summary = json.loads(out.strip().splitlines()[-1])
    assert writer.returncode == 0 and summary["failures"] == [], err

    fresh = tmp_path / "fresh" / "bsc.duckdb"
    assert run_cli(fresh, "restore", str(tmp_path / "during.tar")) == 0
    assert maintenance.check(fresh) == []


def test_restore_refuses_to_overwrite_a_database_without_force(
    sample_db: Path, empty_catalogue_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "sample.tar"
    assert run_cli(sample_db, "backup", "--out", str(backup)) == 0
    before = public_views(empty_catalogue_db)
    assert run_cli(empty_catalogue_db, "restore", str(backup)) == 1
    assert "use --force" in capsys.readouterr().err
    assert public_views(empty_catalogue_db) == before

    assert run_cli(empty_catalogue_db, "restore", str(backup), "--force") == 0
    assert public_views(empty_catalogue_db) == public_views(sample_db)
    assert maintenance.check(empty_catalogue_db) == []


def rewritten(backup: Path, target: Path, change) -> Path:
    """A copy of the backup with its members passed through `change(name, data) -> [(name, data), ...]`."""
    with tarfile.open(backup) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            for name, data in change(member.name, source.extractfile(member).read()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.parametrize("damage, message", [
    ("flipped byte", "does not match its sha256"),
    ("path traversal", "members not in the manifest"),
    ("no manifest", "no readable manifest.json"),
])
def test_a_damaged_or_foreign_backup_is_refused_and_changes_nothing(
    damage: str, message: str, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "good.tar"
    assert run_cli(sample_db, "backup", "--out", str(backup)) == 0

    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if damage == "flipped byte" and name == maintenance.DATABASE_MEMBER:
            return [(name, data[:5000] + bytes([data[5000] ^ 1]) + data[5001:])]
        if damage == "path traversal" and name == maintenance.MANIFEST_MEMBER:
            return [(name, data), ("../escaped.txt", b"x")]
        if damage == "no manifest" and name == maintenance.MANIFEST_MEMBER:
            return []
        return [(name, data)]

    bad = rewritten(backup, tmp_path / "bad.tar", change)
    fresh = tmp_path / "fresh" / "bsc.duckdb"
    assert run_cli(fresh, "restore", str(bad)) == 1
    assert message in capsys.readouterr().err
    assert not fresh.exists() and not (tmp_path / "escaped.txt").exists()
    assert not snapshot.snapshot_path(fresh).exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.tar").write_text("hello", encoding="utf-8")
    assert run_cli(tmp_path / "db" / "bsc.duckdb", "restore", str(tmp_path / "notes.tar")) == 1
    assert "cannot read the backup" in capsys.readouterr().err


def test_restored_database_opens_with_plain_duckdb(sample_db: Path, tmp_path: Path) -> None:
    assert run_cli(sample_db, "backup", "--out", str(tmp_path / "b.tar")) == 0
    fresh = tmp_path / "fresh" / "bsc.duckdb"
    assert run_cli(fresh, "restore", str(tmp_path / "b.tar")) == 0
    with duckdb.connect(str(fresh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM audit_event WHERE action = 'upload'").fetchone()[0] == 3

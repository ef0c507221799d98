"""Operations on the whole database: `check` (is everything whole and consistent?), `backup` and `restore`.

check reads the live file through one short read-only connection and reports, never repairs, except that
`--repair` republishes a snapshot that misses a commit: archived files are the evidence of what was submitted, so a
missing or altered one is reported and never re-created.

A backup is one .tar file: the database file and its WAL copied while a read-only connection holds the file's
shared lock (no writer can change either meanwhile, readers go on), every archived upload, and a manifest with the
sha256 of each member. Restore checks every member against the manifest before anything is replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import db, queries, results, scoring, snapshot, sqlconsole
from pipelines.catalogue import load_catalogue
from pipelines.evidence import EvidenceMissing, evidence_path, read_evidence_file
from pipelines.ingest import archive_path

SCORE_TOLERANCE = 1e-9
REPORT_LIMIT = 20
"""Findings of one kind listed one by one; beyond that, a count."""


@dataclass(frozen=True)
class Finding:
    kind: str
    """schema, versions, torn, archive, score, kept_table, snapshot."""
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


KIND_NAMES = {
    "schema": "โครงสร้างฐานข้อมูล / schema",
    "versions": "ลำดับฉบับ / version numbering",
    "torn": "ข้อมูลไม่ครบฉบับ / incomplete version",
    "archive": "ไฟล์ต้นฉบับ / archived file",
    "score": "คะแนนที่เก็บ / stored score",
    "kept_table": "ตารางสรุป / kept table",
    "snapshot": "สำเนาสำหรับนักวิเคราะห์ / analyst snapshot",
}


def check(db_path: Path) -> list[Finding]:
    """Everything wrong with the database at `db_path`, its archived uploads and its snapshot; [] when all is well."""
    with db.open_db(db_path, read_only=True) as con:
        findings = _schema(con)
        if findings:
            return findings + _snapshot(db_path, db.data_state(con))
        findings += _versions(con)
        findings += _archive(con, db.uploads_dir(db_path))
        findings += _scores(con)
        findings += _kept_tables(con)
        live_state = db.data_state(con)
    return findings + _snapshot(db_path, live_state)


def latest_migration() -> int:
    return max(version for version, _, _ in db.migration_files())


def _schema(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    version, latest = db.schema_version(con), latest_migration()
    if version != latest:
        return [Finding("schema", f"schema version {version}, this code expects {latest}: run `python -m pipelines "
                                  "init`")]
    missing = [name for _, name, _ in db.pending_migrations(con)]
    if missing:
        return [Finding("schema", f"migrations not applied: {', '.join(missing)}: run `python -m pipelines init`")]
    stored = con.execute("SELECT max(sha256) FROM schema_views").fetchone()[0]
    if stored != db.views_hash():
        return [Finding("schema", "the public views differ from this code's views.sql: run `python -m pipelines "
                                  "init`")]
    return []


def _versions(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings = [
        Finding("versions", f"{unit} {year} Q{quarter}: {count} versions numbered {first}..{last} with "
                            f"{distinct} distinct numbers (expected 1..{count}, one latest)")
        for unit, year, quarter, count, distinct, first, last in con.execute(queries.CHECK_VERSION_RUNS).fetchall()
    ]
    findings += [
        Finding("torn", f"{unit} {year} Q{quarter} v{version}: {stored} stored values, row_count says {expected}")
        for unit, year, quarter, version, expected, stored in con.execute(queries.CHECK_TORN_SUBMISSIONS).fetchall()
    ]
    return findings


def _archive(con: duckdb.DuckDBPyConnection, archive_dir: Path) -> list[Finding]:
    findings = []
    for what, file_name, sha256 in con.execute(queries.CHECK_ARCHIVED_FILES).fetchall():
        path = archive_path(archive_dir, file_name, sha256)
        try:
            actual = file_sha256(path)
        except FileNotFoundError:
            findings.append(Finding("archive", f"{what} ({file_name}): archived file {path.name} is missing"))
            continue
        if actual != sha256:
            findings.append(Finding("archive", f"{what} ({file_name}): {path.name} has sha256 {actual}, "
                                               f"not the {sha256} recorded"))
    for what, file_name, media_type, sha256 in con.execute(queries.CHECK_EVIDENCE_FILES).fetchall():
        try:
            read_evidence_file(archive_dir, sha256, media_type)
        except EvidenceMissing:
            findings.append(Finding("archive", f"{what} evidence ({file_name}): "
                                               f"{evidence_path(archive_dir, sha256, media_type).name} is missing "
                                               "or not the file recorded"))
    return findings


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _scores(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every stored score and status against pipelines.scoring with the fiscal year's catalogue."""
    findings = []
    catalogues: dict[int, dict] = {}
    for year, unit, quarter, version, code, actual, score, status in con.execute(
            queries.CHECK_STORED_SCORES).fetchall():
        if year not in catalogues:
            catalogues[year] = load_catalogue(con, year)
        kpi = catalogues[year].get(code)
        expected = kpi.score(actual) if kpi else None
        if not _same_score(score, expected) or status != scoring.status_of(expected):
            findings.append(Finding("score", f"{unit} {year} Q{quarter} v{version} {code}: actual {actual} stored "
                                             f"score {score} ({status}), the scoring rules give {expected} "
                                             f"({scoring.status_of(expected)})"))
    return findings


def _same_score(stored: float | None, expected: float | None) -> bool:
    if stored is None or expected is None:
        return stored is None and expected is None
    return math.isclose(stored, expected, rel_tol=0, abs_tol=SCORE_TOLERANCE)


def _kept_tables(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings = []
    for table, view in results.KEPT_TABLES:
        drift = con.execute(f"SELECT count(*) FROM ({queries.KEPT_TABLE_DRIFT.format(table=table, view=view)})")
        rows = drift.fetchone()[0]
        if rows:
            findings.append(Finding("kept_table", f"{table} differs from {view} in {rows} row(s)"))
    return findings


def snapshot_state(db_path: Path, live_state: db.DataState) -> str | None:
    """Why the snapshot is not up to date, or None when it is."""
    published = snapshot.snapshot_path(db_path)
    if not published.exists():
        return f"no snapshot at {published}"
    version, copied = sqlconsole.published_state(published)
    if version != latest_migration():
        return f"snapshot has schema version {version}, expected {latest_migration()}"
    if snapshot.misses_commits(copied, live_state):
        if copied is not None and copied[0] != live_state[0]:
            return "snapshot was published from another database at this path"
        return (f"snapshot holds data generation {copied[1] if copied else None}, the database {live_state[1]}: "
                "it misses a commit")
    return None


def _snapshot(db_path: Path, live_state: db.DataState) -> list[Finding]:
    problem = snapshot_state(db_path, live_state)
    return [Finding("snapshot", problem)] if problem else []


def check_and_repair(db_path: Path) -> tuple[list[Finding], Path | None]:
    """`check`; when the snapshot misses a commit, republish it (nothing else is ever changed) and check again.
    Returns the findings left and the snapshot republished, if any."""
    findings = check(db_path)
    if not any(finding.kind == "snapshot" for finding in findings):
        return findings, None
    republished = snapshot.publish_file(db_path)
    return check(db_path), republished


def report(findings: list[Finding]) -> list[str]:
    """The lines `check` prints: each finding, at most REPORT_LIMIT per kind, then the count of the rest."""
    lines, shown = [], {}
    for finding in findings:
        shown[finding.kind] = shown.get(finding.kind, 0) + 1
        if shown[finding.kind] <= REPORT_LIMIT:
            lines.append(f"{KIND_NAMES[finding.kind]}: {finding.detail}")
    for kind, count in shown.items():
        if count > REPORT_LIMIT:
            lines.append(f"{KIND_NAMES[kind]}: ... {count - REPORT_LIMIT} more")
    return lines


# --- backup and restore --------------------------------------------------------------------------

BACKUP_FORMAT = "bsc-backup-1"
DATABASE_MEMBER = "database.duckdb"
WAL_MEMBER = "database.duckdb.wal"
MANIFEST_MEMBER = "manifest.json"
UPLOADS_PREFIX = "uploads/"
_ARCHIVED_NAME = re.compile(r"^[0-9a-f]{64}(\.[A-Za-z0-9]{1,7})?$")


class RestoreRefused(Exception):
    """The backup cannot be restored as asked; nothing was changed. The message is Thai / English."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    schema_version: int
    generation: int
    uploads: int
    database_bytes: int


def backup(db_path: Path, out: Path) -> BackupSummary:
    """Write a backup of the database and its archived uploads to `out` (a .tar), consistent while the dashboard
    runs: the files are copied under a read-only connection, whose shared lock keeps writers out (they wait, as
    for any writer) and lets readers go on."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    archive_dir = db.uploads_dir(db_path)
    wal = Path(f"{db_path}.wal")
    try:
        with db.open_db(db_path, read_only=True) as con, db.private_files():
            version, generation = db.schema_version(con), db.generation(con)
            manifest = {"format": BACKUP_FORMAT, "created_at": dt.datetime.now().isoformat(timespec="seconds"),
                        "schema_version": version, "generation": generation, "members": {}}
            with tarfile.open(temporary, "w") as tar:
                _add(tar, manifest, Path(db_path), DATABASE_MEMBER)
                if wal.exists():
                    _add(tar, manifest, wal, WAL_MEMBER)
                uploads = sorted(p for p in archive_dir.glob("*") if p.is_file() and _ARCHIVED_NAME.match(p.name)) \
                    if archive_dir.exists() else []
                for path in uploads:
                    _add(tar, manifest, path, UPLOADS_PREFIX + path.name)
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return BackupSummary(out, version, generation, len(uploads), Path(db_path).stat().st_size)


def _add(tar: tarfile.TarFile, manifest: dict, path: Path, name: str) -> None:
    manifest["members"][name] = file_sha256(path)
    info = tar.gettarinfo(str(path), arcname=name)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with open(path, "rb") as stream:
        tar.addfile(info, stream)


def restore(backup_file: Path, db_path: Path, *, force: bool = False) -> BackupSummary:
    """Put a backup back at `db_path` (and its uploads folder), then publish its snapshot. Refuses to replace an
    existing database without `force`, and any backup whose members are not exactly what `backup` writes or do not
    match their sha256. Run it while the dashboard is stopped: the database file is replaced underneath."""
    db_path = Path(db_path)
    if (db_path.exists() or Path(f"{db_path}.wal").exists()) and not force:
        raise RestoreRefused(f"มีฐานข้อมูลอยู่แล้วที่ {db_path} (ใช้ --force เพื่อเขียนทับ) / a database already exists at "
                             f"{db_path}; use --force to replace it")
    try:
        tar = tarfile.open(backup_file, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise RestoreRefused(f"อ่านไฟล์สำรองไม่ได้ / cannot read the backup {backup_file}: {error}") from error
    with tar:
        manifest = _manifest(tar)
        folder = db.make_private_dir(db_path.parent)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".restore-") as staging, db.private_files():
            staged = Path(staging)
            for name in manifest["members"]:
                _extract(tar, name, staged / name.replace("/", "_"), manifest["members"][name])
            restored = staged / DATABASE_MEMBER
            if (staged / WAL_MEMBER).exists():
                os.replace(staged / WAL_MEMBER, Path(f"{restored}.wal"))
            with db.open_db(restored) as con:  # replays the WAL, brings an older backup up to this code's schema
                db.migrate(con)
                version, generation = db.schema_version(con), db.generation(con)
                con.execute("CHECKPOINT")
            archive_dir = db.make_private_dir(db.uploads_dir(db_path))
            uploads = [name for name in manifest["members"] if name.startswith(UPLOADS_PREFIX)]
            for name in uploads:
                os.replace(staged / name.replace("/", "_"), archive_dir / name[len(UPLOADS_PREFIX):])
            Path(f"{db_path}.wal").unlink(missing_ok=True)  # never replay the old database's log onto the backup
            os.replace(restored, db_path)
    snapshot.publish_file(db_path)
    return BackupSummary(Path(backup_file), version, generation, len(uploads), db_path.stat().st_size)


def _manifest(tar: tarfile.TarFile) -> dict:
    def refused(why: str) -> RestoreRefused:
        return RestoreRefused(f"ไฟล์สำรองไม่ถูกต้อง / not a valid backup: {why}")

    try:
        member = tar.getmember(MANIFEST_MEMBER)
        manifest = json.loads(tar.extractfile(member).read(1 << 24))
    except (KeyError, AttributeError, ValueError, tarfile.TarError) as error:
        raise refused(f"no readable {MANIFEST_MEMBER} ({error})") from error
    members = manifest.get("members") if isinstance(manifest, dict) else None
    if manifest.get("format") != BACKUP_FORMAT or not isinstance(members, dict) or DATABASE_MEMBER not in members:
        raise refused(f"{MANIFEST_MEMBER} is not a {BACKUP_FORMAT} manifest")
    for name in members:
        upload = name[len(UPLOADS_PREFIX):] if name.startswith(UPLOADS_PREFIX) else None
        if name not in (DATABASE_MEMBER, WAL_MEMBER) and not (upload and _ARCHIVED_NAME.match(upload)):
            raise refused(f"unexpected member {name!r}")
    unlisted = [m.name for m in tar.getmembers() if m.name != MANIFEST_MEMBER and m.name not in members]
    if unlisted:
        raise refused(f"members not in the manifest: {', '.join(unlisted[:5])}")
    return manifest


def _extract(tar: tarfile.TarFile, name: str, target: Path, sha256: str) -> None:
    try:
        member = tar.getmember(name)
    except KeyError as error:
        raise RestoreRefused(f"ไฟล์สำรองไม่ครบ / the backup lacks {name}") from error
    if not member.isfile():
        raise RestoreRefused(f"ไฟล์สำรองไม่ถูกต้อง / not a valid backup: {name} is not a regular file")
    digest = hashlib.sha256()
    with tar.extractfile(member) as source, open(target, "wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != sha256:
        raise RestoreRefused(f"ไฟล์สำรองเสียหาย / the backup is damaged: {name} does not match its sha256")

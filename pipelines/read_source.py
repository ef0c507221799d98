"""Where the dashboard reads: the published analyst snapshot, kept open between reads, or else the live file.

Opening a DuckDB file costs about 20 ms and closing it 5-10 ms more, as much as a dashboard page's queries; and
a reader holding the live file open would lock out uploads. The snapshot (pipelines.snapshot) holds every table
the dashboard reads, is republished after every write and replaced atomically, so a process may keep it open:
sqlconsole.console_connection keeps one DuckDB instance per published file and hands out cursors. The live file
is read instead, one short-lived connection per read, when there is no snapshot or it predates the schema.

A snapshot can also miss a commit: a writer killed between its commit and its publish. The snapshot records the
data generation it copied (pipelines.snapshot); `current` compares it with the live file's, but only when the
live file changed since the two last agreed (a stat of the database and its WAL, microseconds), through a
read-only connection that does not wait: while a writer holds the file it is about to publish itself. A snapshot
behind the live file is republished on the spot, or, when that cannot be done, the live file is read.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import db, queries, snapshot, sqlconsole


@dataclass(frozen=True)
class Source:
    kind: str
    """'snapshot' or 'live'."""
    path: Path
    token: str
    """Changes whenever what the source holds may have changed: the key for the dashboard's cache."""


_published: dict[str, tuple[bool, db.DataState | None]] = {}
"""Snapshot token -> (whether that file has this code's schema, the live DataState it copied); a published file
never changes."""
_agreed: dict[str, tuple[str, str]] = {}
"""Live path -> (live change token, snapshot token) at which the two last had the same data generation."""
_republish_lock = threading.Lock()
REPUBLISH_WAIT_SECONDS = 2.0


@functools.cache
def _latest_migration() -> int:
    return max(version for version, _, _ in db.migration_files())


def current(db_path: str | os.PathLike) -> Source:
    """The snapshot of `db_path` when it is published with the current schema and holds the live file's latest
    commit (republished here if it does not), else the live file."""
    live = Path(db_path)
    published = snapshot.snapshot_path(live)
    for _ in range(2):  # once more after a republish
        token = snapshot.file_token(published)
        if token is None:
            break
        current_schema, copied = _state(published, token)
        if not current_schema:
            break
        if not _behind_live(live, token, copied):
            return Source("snapshot", published, token)
        if not _republish(live, published, token):
            break
    return Source("live", live, db.change_token(live))


def fresh_snapshot(db_path: str | os.PathLike) -> Path:
    """The snapshot file of `db_path`, republished first if it misses a commit: for readers that only ever read the
    snapshot (the SQL page)."""
    current(db_path)
    return snapshot.snapshot_path(db_path)


def snapshot_to_export(db_path: str | os.PathLike) -> Path:
    """The snapshot file for a whole-data export: republished first if it misses a commit, published if missing."""
    source = fresh_snapshot(db_path)
    if not source.exists():
        snapshot.publish_file(db_path)
    return source


def _state(published: Path, token: str) -> tuple[bool, db.DataState | None]:
    if token not in _published:
        if len(_published) > 256:  # one entry per publish: forget the old ones now and then
            _published.clear()
        version, copied = sqlconsole.published_state(published)
        _published[token] = (version >= _latest_migration(), copied)
    return _published[token]


def _behind_live(live: Path, token: str, copied: db.DataState | None) -> bool:
    """Whether the live file holds a commit the snapshot misses. Opens the live file only when it changed since the
    two last agreed; a locked live file counts as not behind (its writer publishes when it commits)."""
    change = db.change_token(live)
    if _agreed.get(str(live)) == (change, token):
        return False
    try:
        with db.open_db(live, read_only=True, wait_seconds=0) as con:
            live_state = db.data_state(con)
    except (db.DatabaseBusy, FileNotFoundError, duckdb.Error):
        return False
    if snapshot.misses_commits(copied, live_state):
        return True
    _agreed[str(live)] = (change, token)
    return False


def _republish(live: Path, published: Path, seen: str) -> bool:
    """Publish again for a snapshot that misses a commit; False when that cannot be done now (read live instead)."""
    with _republish_lock:
        if snapshot.file_token(published) != seen:
            return True  # another thread did it meanwhile
        try:
            with db.open_db(live, wait_seconds=REPUBLISH_WAIT_SECONDS) as con:
                snapshot.publish(con, live)
        except (db.DatabaseBusy, OSError, duckdb.Error):
            return False
    return True


DASHBOARD_THREADS = 1
"""DuckDB threads per dashboard query: its queries are small, and on one thread each they run faster (measured
with bench/dashboard.py on two cores) and leave the other cores to other sessions."""


@contextmanager
def connect(source: Source, include_submitted: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the source, for one read and one thread. `include_submitted`: the scored views count
    the versions waiting for review too (the schema include_submitted shadows them on this connection only)."""
    if source.kind == "snapshot":
        with sqlconsole.console_connection(source.path, threads=DASHBOARD_THREADS) as con:
            if include_submitted:
                con.execute(queries.INCLUDE_SUBMITTED)
            yield con
    else:
        with db.open_db(source.path, read_only=True) as con:
            if include_submitted:
                con.execute(queries.INCLUDE_SUBMITTED)
            yield con

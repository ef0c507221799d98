"""Where the dashboard reads: the published analyst snapshot, kept open between reads, or else the live file.

Opening a DuckDB file costs about 20 ms and closing it 5-10 ms more, as much as a dashboard page's queries; and
a reader holding the live file open would lock out uploads. The snapshot (pipelines.snapshot) holds every table
the dashboard reads, is republished after every write and replaced atomically, so a process may keep it open:
sqlconsole.console_connection keeps one DuckDB instance per published file and hands out cursors. The live file
is read instead, one short-lived connection per read, when there is no snapshot or it predates the schema.
"""

from __future__ import annotations

import functools
import os
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


_current_schema: dict[str, bool] = {}
"""Snapshot token -> whether that file has this code's schema (a published file never changes)."""


@functools.cache
def _latest_migration() -> int:
    return max(version for version, _, _ in db.migration_files())


def current(db_path: str | os.PathLike) -> Source:
    """The snapshot of `db_path` when it is published with the current schema, else the live file."""
    live = Path(db_path)
    published = snapshot.snapshot_path(live)
    token = snapshot.file_token(published)
    if token is None:
        return Source("live", live, db.change_token(live))
    if token not in _current_schema:
        if len(_current_schema) > 256:  # one entry per publish: forget the old ones now and then
            _current_schema.clear()
        _current_schema[token] = _schema_version(published) >= _latest_migration()
    if not _current_schema[token]:
        return Source("live", live, db.change_token(live))
    return Source("snapshot", published, token)


def _schema_version(published: Path) -> int:
    try:
        with sqlconsole.console_connection(published) as con:
            return con.execute(queries.SNAPSHOT_SCHEMA_VERSION).fetchone()[0] or 0
    except (FileNotFoundError, duckdb.Error):
        return 0


DASHBOARD_THREADS = 1
"""DuckDB threads per dashboard query: its queries are small, and on one thread each they run faster (measured
with bench/dashboard.py on two cores) and leave the other cores to other sessions."""


@contextmanager
def connect(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the source, for one read and one thread."""
    if source.kind == "snapshot":
        with sqlconsole.console_connection(source.path, threads=DASHBOARD_THREADS) as con:
            yield con
    else:
        with db.open_db(source.path, read_only=True) as con:
            yield con

"""The only module that opens DuckDB: path resolution, connections, migrations, transactions.

Connections are short-lived (open, work, close) so that no process holds the
database file longer than one operation; a writer that meets another process's
lock retries for a bounded time instead of failing at once.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "bsc.duckdb"
LOCK_WAIT_SECONDS = 15.0


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--db PATH`, else env BSC_DB, else data/bsc.duckdb."""
    if explicit:
        return Path(explicit)
    if os.environ.get("BSC_DB"):
        return Path(os.environ["BSC_DB"])
    return DEFAULT_DB_PATH


def uploads_dir(db_path: Path) -> Path:
    """Archived files live beside the database they belong to (env BSC_UPLOADS overrides)."""
    if os.environ.get("BSC_UPLOADS"):
        return Path(os.environ["BSC_UPLOADS"])
    return Path(db_path).parent / "uploads"


def _is_lock_error(error: Exception) -> bool:
    text = str(error)
    # the last: this process already holds the file open read-only while asking read-write, or the reverse
    return "Could not set lock" in text or "Conflicting lock" in text or "different configuration" in text


def connect(
    db_path: Path, read_only: bool = False, wait_seconds: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock (DuckDB never waits by itself)."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_error(error) or time.monotonic() >= deadline:
                raise
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.5)


@contextmanager
def open_db(db_path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one operation; read-only opens refuse to run on a missing file."""
    if read_only and not Path(db_path).exists():
        raise FileNotFoundError(f"database not found: {db_path} (run `python -m pipelines init` or `demo`)")
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect(db_path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in migrations/, in order."""
    folder = resources.files("pipelines") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


VIEW_FILES = ("views.sql", "views_accounts.sql")


def views_sql() -> str:
    """Every view file in order; views_accounts.sql reads tables of migration 002."""
    folder = resources.files("pipelines")
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in VIEW_FILES)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction, then (re)create the public views if they changed.

    Cheap when nothing changed (two small reads), so every write command can call it on its own connection.
    """
    current = schema_version(con)
    if current == 0:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
    applied = []
    for version, name, sql in migration_files():
        if version <= current:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
        applied.append(name)
    views = views_sql()
    views_hash = hashlib.sha256(views.encode()).hexdigest()
    if applied or _stored_views_hash(con) != views_hash:
        from pipelines import results  # the derivation may have changed with the views: rebuild what it feeds

        with transaction(con):
            con.execute(views)
            con.execute("CREATE OR REPLACE TABLE schema_views AS SELECT ? AS sha256", [views_hash])
            results.refresh_all(con)
    return applied


def _stored_views_hash(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT sha256 FROM schema_views").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def init_database(db_path: Path) -> list[str]:
    """Create or upgrade the database file; returns the migrations applied."""
    with open_db(db_path) as con:
        return migrate(con)


def change_token(db_path: Path) -> str:
    """Changes whenever the database file or its WAL changes: the key for UI caches."""
    parts = []
    for path in (Path(db_path), Path(str(db_path) + ".wal")):
        try:
            stat = path.stat()
            parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert through an Arrow table scan: one statement instead of one per row (25x faster in DuckDB)."""
    if not rows:
        return
    import pyarrow as pa

    frame = pa.table({name: [row[index] for row in rows] for index, name in enumerate(columns)})
    con.register("_bulk_rows", frame)
    try:
        column_list = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM _bulk_rows")  # noqa: S608
    finally:
        con.unregister("_bulk_rows")

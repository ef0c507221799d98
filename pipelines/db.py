"""The only module that opens DuckDB: path resolution, connections, migrations, transactions.

Connections are short-lived (open, work, close) so that no process holds the
database file longer than one operation; a writer that meets another process's
lock retries for a bounded time and then raises DatabaseBusy, a retryable
Thai+English message, instead of failing at once with DuckDB's IOException.
Every file and folder a writer creates (the database, its WAL, the snapshot, archived uploads) is private to
the server's user: 0600 and 0700.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from pipelines import queries

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "bsc.duckdb"
LOCK_WAIT_SECONDS = float(os.environ.get("BSC_LOCK_WAIT", "60"))
"""How long a connection waits for another process's lock before DatabaseBusy (env BSC_LOCK_WAIT, seconds)."""
CONFLICT_RETRIES = 8
"""How often a write transaction that met a concurrent one in this process (TransactionException) is run again."""
PRIVATE_UMASK = 0o077


class DatabaseBusy(Exception):
    """Another process kept the database busy longer than a connection waits: nothing changed, try again."""

    MESSAGE = {
        "th": "ฐานข้อมูลกำลังถูกใช้งานโดยการบันทึกข้อมูลอื่น ยังไม่มีการเปลี่ยนแปลงใด ๆ กรุณาลองอีกครั้งในอีกสักครู่",
        "en": "The database is busy with another write; nothing was changed. Please try again in a moment.",
    }

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(f"{self.MESSAGE['th']} / {self.MESSAGE['en']}")

    def message(self, lang: str) -> str:
        return self.MESSAGE.get(lang, self.MESSAGE["th"])


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
    db_path: Path, read_only: bool = False, wait_seconds: float | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock (DuckDB never waits by itself); DatabaseBusy
    when the lock outlasts `wait_seconds` (default LOCK_WAIT_SECONDS)."""
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds)
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(str(error)) from error
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.1)


_umask_lock = threading.Lock()
_umask_users = 0
_umask_saved = 0


@contextmanager
def private_files() -> Iterator[None]:
    """While inside, files this process creates are 0600 and folders 0700 (umask 077): DuckDB creates the database,
    its WAL and its spill folder itself, so a umask is the only way to reach them. Counted, so that overlapping
    writers in threads restore the umask only when the last one leaves."""
    global _umask_users, _umask_saved
    with _umask_lock:
        if _umask_users == 0:
            _umask_saved = os.umask(PRIVATE_UMASK)
        _umask_users += 1
    try:
        yield
    finally:
        with _umask_lock:
            _umask_users -= 1
            if _umask_users == 0:
                os.umask(_umask_saved)


def make_private_dir(folder: Path) -> Path:
    """Create a folder (and its parents) 0700; an existing folder is left as its owner set it."""
    with private_files():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _restrict(db_path: Path) -> None:
    """Files an older version created readable by everyone: make them 0600 (only when this user owns them)."""
    for path in (Path(db_path), Path(str(db_path) + ".wal")):
        try:
            stat = path.stat()
            if stat.st_uid == os.getuid() and stat.st_mode & 0o077:
                path.chmod(0o600)
        except OSError:
            pass


@contextmanager
def open_db(
    db_path: Path, read_only: bool = False, wait_seconds: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one operation; read-only opens refuse to run on a missing file. A writer's files are private
    (private_files)."""
    if read_only:
        if not Path(db_path).exists():
            raise FileNotFoundError(errno.ENOENT, "database not found (run `python -m pipelines init` or `demo`)",
                                    str(db_path))
        con = connect(db_path, read_only=True, wait_seconds=wait_seconds)
        try:
            yield con
        finally:
            con.close()
        return
    make_private_dir(Path(db_path).parent)
    with private_files():
        con = connect(db_path, wait_seconds=wait_seconds)
        _restrict(db_path)
        try:
            yield con
        finally:
            _pending.pop(id(con), None)
            con.close()


_in_transaction: set[int] = set()
"""id() of every connection inside `transaction` right now: a nested `transaction` joins the outer one."""


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception. Inside another `transaction` on the same
    connection it joins that one, so a workflow can wrap functions that each write in their own transaction
    (save the data, then its audit row) into one commit."""
    key = id(con)
    if key in _in_transaction:
        yield con
        return
    con.execute("BEGIN TRANSACTION")
    _in_transaction.add(key)
    try:
        yield con
    except BaseException:
        _in_transaction.discard(key)
        _pending.pop(key, None)  # its changes are undone: the next publish copies everything
        con.execute("ROLLBACK")
        raise
    _in_transaction.discard(key)
    con.execute("COMMIT")


def retrying(write: Callable[[], T]) -> T:
    """Run a write transaction again when it met a concurrent writer of this process (DuckDB's optimistic
    concurrency: "Conflict on update", or a unique key another writer committed first, such as the same version
    of the same unit's quarter: migration 008); DatabaseBusy when it keeps meeting one."""
    for attempt in range(CONFLICT_RETRIES):
        try:
            return write()
        except (duckdb.TransactionException, duckdb.ConstraintException) as conflict:
            if isinstance(conflict, duckdb.ConstraintException) and not is_duplicate_key(conflict):
                raise
            if attempt == CONFLICT_RETRIES - 1:
                raise DatabaseBusy(str(conflict)) from conflict
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def is_duplicate_key(error: Exception) -> bool:
    """Whether DuckDB refused a row because a primary key or unique key already exists (its wording varies)."""
    return "duplicate key" in str(error).lower()


Period = tuple[str, int, int]
"""(unit code, fiscal year, quarter)."""


@dataclass
class PendingChange:
    """What a connection changed in public data since its last publish: the snapshot publish copies only that when
    the published file is exactly at `base` and the live file exactly at `last` (pipelines.snapshot)."""

    base: int
    """The data generation before this connection's first change."""
    last: int
    """The data generation its latest change committed (if it committed)."""
    periods: set[Period] = field(default_factory=set)
    """The unit quarters whose submissions and results it changed."""
    everything: bool = False
    """A change publish cannot scope (org units, a catalogue, periods, migrations): copy every table."""


_pending: dict[int, PendingChange] = {}
"""id() of a connection -> its changes not yet published; forgotten on a rollback and when the connection closes."""


def bump_generation(con: duckdb.DuckDBPyConnection, period: Period | None = None) -> None:
    """Call inside every transaction that changes public data: the snapshot knows which generation it copied.
    `period`: the change is one unit quarter's submission and results, nothing else (ingest); without it, any."""
    row = con.execute(queries.BUMP_GENERATION_RETURNING).fetchone()
    if row is None:
        return
    pending = _pending.get(id(con))
    if pending is None:
        pending = _pending[id(con)] = PendingChange(base=row[0] - 1, last=row[0])
    pending.last = row[0]
    if period is None:
        pending.everything = True
    else:
        pending.periods.add(period)


def take_pending(con: duckdb.DuckDBPyConnection) -> PendingChange | None:
    """The connection's unpublished changes, forgotten here (the publish that asks copies them)."""
    return _pending.pop(id(con), None)


def forget_pending(con: duckdb.DuckDBPyConnection) -> None:
    _pending.pop(id(con), None)


DataState = tuple[str | None, int]
"""(database id, data generation): which database, and how many changes to its public data it has committed."""


def data_state(con: duckdb.DuckDBPyConnection) -> DataState:
    """The live database's DataState ((None, 0) before migration 007)."""
    try:
        database_id, count = con.execute(queries.SELECT_GENERATION).fetchone()
    except duckdb.CatalogException:
        return None, 0
    return database_id, count or 0


def generation(con: duckdb.DuckDBPyConnection) -> int:
    """The live database's data generation (0 before migration 007)."""
    return data_state(con)[1]


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in migrations/, in order."""
    folder = resources.files("pipelines") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    versions = [version for version, _, _ in found]
    if len(set(versions)) != len(versions):  # two branches took one number: the second would never run
        raise RuntimeError(f"two migrations share a number: {sorted(name for _, name, _ in found)}")
    return sorted(found)


VIEW_FILES = ("views.sql", "views_accounts.sql", "views_forecast.sql", "views_strategy.sql", "views_evidence.sql")


def views_sql() -> str:
    """Every view file in order; views_accounts.sql reads tables of migration 002, views_forecast.sql of 009,
    views_strategy.sql of 010, views_evidence.sql of 013."""
    folder = resources.files("pipelines")
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in VIEW_FILES)


INCLUDE_SUBMITTED = "include_submitted"
INCLUDE_SUBMITTED_COPIES = ("kpi_subtree_totals_computed", "scored_results", "scored_totals", "scope_totals",
                            "unit_scores", "dimension_scores", "pmqa_coverage")
"""The views of views.sql created again, statement for statement, in the schema include_submitted, where they read
that schema's kpi_results and kpi_result_total (views_include_submitted.sql)."""
WAITING_TOTALS = "waiting_totals"
"""include_submitted's sums of the waiting versions' rows: views.sql's kpi_result_totals_computed, statement for
statement, reading include_submitted.waiting_results instead of kpi_results (one text for the sums)."""


def _view_statement(views: str, name: str) -> str:
    found = re.search(rf"^CREATE OR REPLACE VIEW {name} AS\n.*?;$", views, flags=re.DOTALL | re.MULTILINE)
    if found is None:
        raise RuntimeError(f"views.sql has no view {name} to copy into {INCLUDE_SUBMITTED}")
    return found.group(0)


def _waiting_totals(views: str) -> str:
    totals = _view_statement(views, "kpi_result_totals_computed")
    source = "\nFROM kpi_results\n"
    if totals.count(source) != 1:
        raise RuntimeError(f"views.sql's kpi_result_totals_computed no longer reads kpi_results once: "
                           f"{INCLUDE_SUBMITTED}.{WAITING_TOTALS} cannot be made from it")
    return (totals.replace("VIEW kpi_result_totals_computed AS", f"VIEW {INCLUDE_SUBMITTED}.{WAITING_TOTALS} AS", 1)
            .replace(source, f"\nFROM {INCLUDE_SUBMITTED}.waiting_results\n"))


_SUBTREE_MARK = "-- kpi_subtree_total (the sums of kpi_subtree_totals_computed)"


def include_submitted_sql() -> str:
    """views_include_submitted.sql with WAITING_TOTALS made before the view that reads it, then each of
    INCLUDE_SUBMITTED_COPIES as views.sql writes it, named in the schema include_submitted: created after the views
    of main by `migrate` and by the snapshot."""
    folder = resources.files("pipelines")
    views = (folder / "views.sql").read_text(encoding="utf-8")
    copies = [_view_statement(views, name).replace(f"VIEW {name} AS", f"VIEW {INCLUDE_SUBMITTED}.{name} AS", 1)
              for name in INCLUDE_SUBMITTED_COPIES]
    own = (folder / "views_include_submitted.sql").read_text(encoding="utf-8")
    before, reader, after = own.partition(f"CREATE OR REPLACE VIEW {INCLUDE_SUBMITTED}.kpi_result_total AS")
    # include_submitted.kpi_subtree_total reads the first copy (kpi_subtree_totals_computed), scope_totals reads it
    middle, mark, subtree = after.partition(_SUBTREE_MARK)
    return "\n".join([before, _waiting_totals(views), reader + middle, copies[0], mark + subtree, *copies[1:]])


def views_hash() -> str:
    """What schema_views records: the view files and the schema include_submitted."""
    return hashlib.sha256((views_sql() + include_submitted_sql()).encode()).hexdigest()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    """Every migration file not yet applied, in number order, including one numbered below the newest applied (a
    database that got 013 and 014 from a branch before 012 landed still needs 012)."""
    applied = set()
    if schema_version(con):
        applied = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    return [migration for migration in migration_files() if migration[0] not in applied]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations, each in its own transaction, then (re)create the public views if they changed.

    Cheap when nothing changed (three small reads), so every write command can call it on its own connection.
    """
    current = schema_version(con)
    if current == 0:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
    applied = []
    for version, name, sql in pending_migrations(con):
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
        applied.append(name)
    current_hash = views_hash()
    if applied or _stored_views_hash(con) != current_hash:
        from pipelines import results  # the derivation may have changed with the views: rebuild what it feeds

        with transaction(con):
            con.execute(views_sql())
            con.execute(include_submitted_sql())
            con.execute("CREATE OR REPLACE TABLE schema_views AS SELECT ? AS sha256", [current_hash])
            results.refresh_all(con)
            bump_generation(con)
    return applied


def _stored_views_hash(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT sha256 FROM schema_views").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `migrate` would change nothing: a read-only connection can tell."""
    latest = max(version for version, _, _ in migration_files())
    return (schema_version(con) == latest and not pending_migrations(con)
            and _stored_views_hash(con) == views_hash())


@contextmanager
def open_current(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to a database with this code's schema, migrating it first if it has not (that takes
    the write lock once): what a writer reads before it validates, without excluding other readers."""
    if Path(db_path).exists():
        with open_db(db_path, read_only=True) as con:
            if is_current(con):
                yield con
                return
    with open_db(db_path) as con:
        migrate(con)
    with open_db(db_path, read_only=True) as con:
        yield con


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


SMALL_INSERT_ROWS = 100
"""Up to this many rows are inserted by one INSERT ... VALUES statement with bound parameters: a 25-row upload
then never imports pyarrow and pandas (1-2 s of a fresh CLI process at a load of 5)."""


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: one statement instead of one per row (25x faster in DuckDB), through an Arrow table scan when
    there are more than SMALL_INSERT_ROWS rows."""
    if not rows:
        return
    column_list = ", ".join(columns)
    if len(rows) <= SMALL_INSERT_ROWS:
        row_marks = "(" + ", ".join("?" * len(columns)) + ")"
        con.execute(f"INSERT INTO {table} ({column_list}) VALUES " + ", ".join([row_marks] * len(rows)),  # noqa: S608
                    [value for row in rows for value in row])
        return
    import pyarrow as pa

    frame = pa.table({name: [row[index] for row in rows] for index, name in enumerate(columns)})
    con.register("_bulk_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM _bulk_rows")  # noqa: S608
    finally:
        con.unregister("_bulk_rows")

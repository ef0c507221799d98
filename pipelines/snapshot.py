"""The analysts' read-only copy of the database, republished after every write.

DuckDB lets one process hold a database file for writing and then nobody else may open it, not even
read-only, and its lock never waits.  So analysts (DuckDB CLI, Python, Jupyter) and the SQL page never
open the live file: every writer, right after its commit and while it still holds the live file,
publishes `<db dir>/snapshot/<db name>` (env BSC_SNAPSHOT overrides): the base tables the public views
read, the public views themselves and `snapshot_info`, built in one read transaction into a temporary
file that then replaces the old snapshot atomically (os.replace).  A reader that holds the old file keeps
a consistent old copy until it reconnects; accounts, sessions, the audit trail and saved queries are
never copied, so the snapshot can be shared with everyone who may read the public data.

The published path is a symbolic link to one of two files beside it (`.<name>.a`, `.<name>.b`: double buffering).
After an upload the publish patches the older of the two in place with what changed since it was current (the
unit quarters the last publish patched, recorded beside the file it made, and this publish's own), checkpoints it,
then swaps the link atomically (_patch_older): no file is copied. When the older file is open in any reader (a
private hard link to it exists, or another process holds it open and DuckDB refuses to open it for writing) or
anything is in doubt, the current file is copied and patched (_updated) or, failing that, every table copied
(_build), into a temporary file that replaces the older one, and the link is swapped to it.
db.bump_generation records what a connection changed; only uploads' unit quarters are patched.

`snapshot_info.generation` is the live database's data generation the copy was made at (db.bump_generation,
raised in every transaction that changes public data): a writer killed between its commit and its publish leaves
a snapshot whose generation is behind the live file's, which pipelines.read_source notices and republishes.
The file is 0600 in a 0700 folder, like the live database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import db, forecast, queries
from pipelines.view_docs import PUBLIC_VIEWS

SNAPSHOT_TABLES: dict[str, str] = {
    "org_unit": "*",
    "kpi": "*",
    "kpi_owner": "*",
    "catalogue_load": "*",
    "submission": "*",
    "submission_value": "*",
    "evidence_file": "*",  # the evidence files of each version (migration 013)
    "submission_review": "*",  # each version's approval state (migration 012; submissions.approval_status)
    "kpi_result": "*",  # kpi_results kept as a table (migration 004)
    "kpi_result_total": "*",  # its sums per unit and dimension (migration 005)
    "kpi_subtree_total": "*",  # those sums over each unit's subtree (migration 015)
    "org_unit_closure": "*",  # org_tree kept as a table (migration 005)
    "org_unit_outline": "*",  # the tree depth-first, for the dashboard's unit picker (migration 005)
    "kpi_forecast": "*",  # kpi_forecasts, filled by pipelines.forecast right before each publish (migration 009)
    "fiscal_period": "fiscal_year, quarter, is_closed, reason, deadline",  # not who changed it, nor when
    # the strategy (migration 010): plan items, objectives, key results, End Products, hand-offs, links
    "plan_item": "*",
    "objective": "*",
    "key_result": "*",
    "key_result_kpi": "*",
    "end_product": "*",
    "end_product_unit": "*",
    "end_product_key_result": "*",
    "handoff": "*",
    "objective_link": "*",
}
"""The base tables the public views read, and the columns copied; every other table stays in the live file."""
STORAGE_VERSION = "v1.0.0"
"""The snapshot's file format: readable by any DuckDB from 1.0 on (the CLI, DBeaver, R, an older Jupyter
kernel), where a file in this product's own duckdb 2.0 format is refused by every 1.x reader."""
STALE_TEMP_SECONDS = 3600
_VIEW_NAME = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", re.IGNORECASE)
_MACRO = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?MACRO\s", re.IGNORECASE)
_publish_lock = threading.Lock()


def snapshot_path(db_path: str | os.PathLike) -> Path:
    """env BSC_SNAPSHOT, else `<db dir>/snapshot/<db file name>` (data/snapshot/bsc.duckdb by default)."""
    if os.environ.get("BSC_SNAPSHOT"):
        return Path(os.environ["BSC_SNAPSHOT"])
    live = Path(db_path)
    return live.parent / "snapshot" / live.name


def file_token(path: str | os.PathLike) -> str | None:
    """inode:mtime of a published snapshot file, None when there is none. Every publish replaces the file, so the
    token changes with each one: the key of every reader's cache and open instance."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return f"{stat.st_ino}:{stat.st_mtime_ns}"


def public_view_statements(con: duckdb.DuckDBPyConnection, views_sql: str) -> list[str]:
    """The CREATE VIEW statements of the view files whose view is public, in file (dependency) order, and the
    macros they call (views.sql: the weighted score and the statuses, which analysts may call too)."""
    statements = []
    for statement in con.extract_statements(views_sql):
        match = _VIEW_NAME.search(statement.query)
        if (match and match.group(1).lower() in PUBLIC_VIEWS) or _MACRO.search(statement.query):
            statements.append(statement.query)
    return statements


def publish(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike) -> Path:
    """Write the snapshot of the live database `con` is connected to; call after a commit, outside a transaction.

    The forecasts behind kpi_forecasts are computed first, in the live file, when the data changed since they
    last were (pipelines.forecast.refresh_table). Serialised within the process so that a slower publisher cannot
    replace a newer snapshot with an older one; across processes the live file's write lock, held by the caller,
    does the same.
    """
    target = snapshot_path(db_path)
    db.make_private_dir(target.parent)
    with _publish_lock, db.private_files():
        rewritten = forecast.refresh_table(con)
        _remove_stale_temporaries(target)
        pending = db.take_pending(con)
        change = Change.of(pending, rewritten)
        current, older = buffers(target)
        recorded = None if current is None else _recorded(current)
        if _patch_older(con, pending, change, recorded, older):
            _switch(target, older)
            return target
        if recorded is not None and change is not None and recorded.generation != pending.base:
            change = None  # the published file misses a commit or holds another's: copying it would not help
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        alias = f"snapshot_{uuid.uuid4().hex}"
        try:
            try:
                patched = change is not None and _updated(con, pending, change, target, temporary, alias)
            except (OSError, duckdb.Error):  # a damaged or unreadable published file: copy every table instead
                patched = False
            if not patched:
                for leftover in (temporary, Path(f"{temporary}.wal")):
                    leftover.unlink(missing_ok=True)
                _build(con, temporary, alias)
            temporary.chmod(0o600)
            _place(temporary, older, change if patched else None, pending, con)
            _switch(target, older)
        finally:
            for leftover in (temporary, Path(f"{temporary}.wal")):
                leftover.unlink(missing_ok=True)
    return target


NOT_REFRESHED = ("คำเตือน / warning: สำเนาสำหรับนักวิเคราะห์ไม่ได้ปรับปรุงและถูกถอนออกจนกว่าจะรัน "
                 "`python -m pipelines snapshot` / analyst snapshot not refreshed ({error}), withdrawn until "
                 "`python -m pipelines snapshot` runs; the dashboard reads the live file meanwhile")


def publish_after_write(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike) -> Exception | None:
    """After a commit: publish, or say why not. The write stands either way; an unpublished write withdraws the
    old snapshot, so that neither the dashboard nor an analyst reads it as current (the dashboard falls back to
    the live file: pipelines.read_source)."""
    try:
        publish(con, db_path)
    except (OSError, duckdb.Error) as error:
        try:
            snapshot_path(db_path).unlink(missing_ok=True)
        except OSError:
            pass
        return error
    return None


def publish_or_warn(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike) -> None:
    """The command line's publish after a commit: the write stands, so a failure is a warning on stderr."""
    error = publish_after_write(con, db_path)
    if error is not None:
        print(NOT_REFRESHED.format(error=error), file=sys.stderr)


def publish_file(db_path: str | os.PathLike) -> Path:
    """Open the live file for writing (waiting for another writer), then publish: `python -m pipelines snapshot`."""
    with db.open_db(Path(db_path)) as con:
        db.migrate(con)
        return publish(con, db_path)


def misses_commits(published: db.DataState | None, live: db.DataState) -> bool:
    """Whether a snapshot that copied `published` lacks data the live database at `live` has: another database, or
    an older generation of this one."""
    return published is None or published[0] != live[0] or published[1] < live[1]


def _build(con: duckdb.DuckDBPyConnection, temporary: Path, alias: str) -> None:
    live_name = con.execute("SELECT current_database()").fetchone()[0]
    existing = {row[0] for row in con.execute(queries.LIVE_MAIN_TABLES).fetchall()}
    version = db.schema_version(con)
    views = public_view_statements(con, db.views_sql())
    if "submission_review" in existing:  # the dashboard's "include submitted, not yet approved" (migration 012)
        views += [statement.query for statement in con.extract_statements(db.include_submitted_sql())]
    generation_table = "data_generation" in existing
    with _attached(con, temporary, alias, f" (STORAGE_VERSION '{STORAGE_VERSION}')"):
        database_id, generation = (
            con.execute(f'SELECT max(database_id), max(generation) FROM "{live_name}".main.data_generation')
            .fetchone() if generation_table else (None, 0))
        for table, columns in SNAPSHOT_TABLES.items():
            if table in existing:
                con.execute(f'CREATE TABLE {alias}.main."{table}" AS '
                            f'SELECT {columns} FROM "{live_name}".main."{table}"')
        con.execute(f"USE {alias}")
        try:
            for statement in views:
                con.execute(statement)
            con.execute(queries.CREATE_SNAPSHOT_INFO, [version, generation, database_id])
        finally:
            con.execute(f'USE "{live_name}"')


@contextmanager
def _attached(con: duckdb.DuckDBPyConnection, path: Path, alias: str, options: str = "") -> Iterator[None]:
    """`path` attached as `alias` for one transaction (one read snapshot of the live tables for everything inside),
    checkpointed after its commit and detached whatever happens."""
    con.execute(f"ATTACH ? AS {alias}{options}", [str(path)])
    try:
        with db.transaction(con):
            yield
        con.execute(f"CHECKPOINT {alias}")
    finally:
        con.execute(f"DETACH {alias}")


class _NotPatchable(Exception):
    """The published file is not the one this connection's changes start from: copy every table instead."""


PERIOD_TABLES = ("submission", "kpi_result", "kpi_result_total")
"""The copied tables whose rows belong to one unit quarter (unit_code, fiscal_year, quarter)."""
SUBTREE_TABLES = ("kpi_subtree_total",)
"""The copied tables whose rows of a quarter belong to every ancestor of a unit (org_unit_closure): the changed unit
quarter's rows are those of its ancestors."""
SUBMISSION_TABLES = ("submission_value", "evidence_file", "submission_review")
"""The copied tables whose rows belong to a submission (submission_id): replaced before the submissions are."""


@dataclass(frozen=True)
class Change:
    """What one publish changed in the published data, when it can be patched: the unit quarters uploaded
    (db.PendingChange.periods) and the forecast rows the refresh rewrote (forecast.Rewritten.parts)."""

    periods: frozenset[db.Period]
    forecasts: tuple[tuple[int, tuple[str, ...] | None], ...]

    @staticmethod
    def of(pending: db.PendingChange | None, rewritten: forecast.Rewritten | None) -> Change | None:
        """None when the change cannot be patched (nothing recorded, not only uploads, every forecast rewritten)."""
        if pending is None or pending.everything or not pending.periods or (rewritten and rewritten.everything):
            return None
        return Change(frozenset(pending.periods), rewritten.parts if rewritten else ())

    def __or__(self, other: Change) -> Change:
        return Change(self.periods | other.periods, self.forecasts + other.forecasts)


BUFFER_NAMES = ("a", "b")


def buffer_files(target: Path) -> tuple[Path, Path]:
    """The two files the published link points at in turn (`.<name>.a`, `.<name>.b`, beside it)."""
    return tuple(target.with_name(f".{target.name}.{name}") for name in BUFFER_NAMES)  # type: ignore[return-value]


def buffers(target: Path) -> tuple[Path | None, Path]:
    """(the file the published link points at, None when there is no such link; the other file: the next to write)."""
    first, second = buffer_files(target)
    try:
        pointed = target.parent / os.readlink(target)
    except OSError:  # no snapshot, or a plain file (published before the double buffer)
        return None, first
    if pointed == first:
        return first, second
    if pointed == second:
        return second, first
    return None, first


def published_files(target: Path) -> list[Path]:
    """Every file a publish leaves in the snapshot folder: the published link, the two files it points at in turn and
    what each one's publish changed (no temporary file)."""
    return [target, *(path for buffer in buffer_files(target) for path in (buffer, _record_path(buffer)))]


def _record_path(buffer: Path) -> Path:
    return buffer.with_name(f"{buffer.name}.change.json")


def _record(buffer: Path, base: int | None, generation: int, database_id: str | None, change: Change | None) -> None:
    """Beside a buffer file: which data generation it holds, and (when it was patched) the generation it was patched
    from and what the patch changed, so that the publish after next can patch the other file the same way."""
    record = {"database_id": database_id, "generation": generation, "base": base if change else None,
              "periods": sorted(list(period) for period in change.periods) if change else [],
              "forecasts": [[year, None if units is None else list(units)] for year, units in change.forecasts]
              if change else []}
    path = _record_path(buffer)
    temporary = buffer.with_name(f"{buffer.name}.{uuid.uuid4().hex}.tmp")  # as _remove_stale_temporaries finds
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, path)


@dataclass(frozen=True)
class _Record:
    base: int | None
    """The generation the file was patched from (the other file's then), None when every table was copied."""
    generation: int
    database_id: str | None
    change: Change | None


def _recorded(buffer: Path) -> _Record | None:
    """What is recorded beside a buffer file (_record); None when nothing readable is."""
    try:
        record = json.loads(_record_path(buffer).read_text(encoding="utf-8"))
        change = None if record["base"] is None else Change(
            frozenset((unit, int(year), int(quarter)) for unit, year, quarter in record["periods"]),
            tuple((int(year), None if units is None else tuple(units)) for year, units in record["forecasts"]))
        return _Record(None if change is None else int(record["base"]), int(record["generation"]),
                       record["database_id"], change)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _in_use(path: Path) -> bool:
    """Whether a reader may have `path` open: a private hard link to it exists (pipelines.sqlconsole opens each
    published file through one, in every process), or this process reads it otherwise. Another process that opened
    it directly holds DuckDB's shared lock, and the open for writing fails."""
    console = sys.modules.get("pipelines.sqlconsole")  # only a process that imported it reads through it
    if console is not None:
        console.retire_replaced_snapshots()  # close this process's replaced files that no query uses now
        if console.reads_without_links():
            return True
    try:
        return os.stat(path).st_nlink > 1
    except FileNotFoundError:
        return True


def _patch_older(con: duckdb.DuckDBPyConnection, pending: db.PendingChange | None, change: Change | None,
                 recorded: _Record | None, older: Path) -> bool:
    """Bring the older buffer file up to date in place: what the current file's publish changed (`recorded`), then
    this one's. Only when the current file was patched from exactly what the older holds, this connection's own
    changes are all that separate the current file from the live one, and no reader holds the older file; False
    otherwise (nothing changed that readers see)."""
    if change is None or recorded is None or recorded.change is None or recorded.generation != pending.base:
        return False
    if _in_use(older):
        return False
    alias = f"snapshot_{uuid.uuid4().hex}"
    try:
        done = _patch(con, older, alias, (recorded.database_id, recorded.base), pending.last, recorded.change | change)
    except (OSError, duckdb.Error):  # held open by another process (DuckDB's lock), or damaged: copy instead
        return False
    if done:
        older.chmod(0o600)
        _record(older, pending.base, pending.last, recorded.database_id, change)
    return done


def _place(temporary: Path, buffer: Path, change: Change | None, pending: db.PendingChange | None,
           con: duckdb.DuckDBPyConnection) -> None:
    """A newly written file takes the place of the older buffer file (a reader that holds that file keeps it)."""
    _record_path(buffer).unlink(missing_ok=True)
    Path(f"{buffer}.wal").unlink(missing_ok=True)
    os.replace(temporary, buffer)
    database_id, generation = db.data_state(con)
    _record(buffer, pending.base if pending else None, generation, database_id, change)


def _switch(target: Path, buffer: Path) -> None:
    """Point the published link at `buffer`, atomically; where links cannot be made, the file itself is moved to the
    published path (every publish then writes a new file, as before the double buffer)."""
    link = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        os.symlink(buffer.name, link)
    except OSError:
        os.replace(buffer, target)
        return
    try:
        os.replace(link, target)
    finally:
        link.unlink(missing_ok=True)


def _updated(con: duckdb.DuckDBPyConnection, pending: db.PendingChange, change: Change, target: Path,
             temporary: Path, alias: str) -> bool:
    """Publish only what changed: a copy of the published file with the changed unit quarters' rows replaced from the
    live file, into `temporary`. Only when this connection's own changes are all that separate the two (the published
    file copied generation `pending.base`, the live file is at `pending.last`); False (nothing done) otherwise, and
    the caller copies every table."""
    try:
        shutil.copyfile(target, temporary)
    except FileNotFoundError:
        return False
    database_id = db.data_state(con)[0]
    return _patch(con, temporary, alias, (database_id, pending.base), pending.last, change)


def _patch(con: duckdb.DuckDBPyConnection, path: Path, alias: str, holds: db.DataState, last: int,
           change: Change) -> bool:
    """In one transaction on the published file `path`: when it holds `holds` (database id, generation) of this
    schema and the live file is at generation `last`, replace the changed unit quarters' and forecasts' rows from the
    live file and record the new generation; False (nothing changed) otherwise."""
    live_name = con.execute("SELECT current_database()").fetchone()[0]
    live, copy = f'"{live_name}".main', f"{alias}.main"
    try:
        with _attached(con, path, alias):
            published = con.execute(f"SELECT max(schema_version), max(database_id), max(generation) "
                                    f"FROM {copy}.snapshot_info").fetchone()
            database_id, generation = con.execute(
                f"SELECT max(database_id), max(generation) FROM {live}.data_generation").fetchone()
            if published != (db.schema_version(con), *holds) or (database_id, generation) != (holds[0], last):
                raise _NotPatchable
            for period in sorted(change.periods):
                _replace_period(con, live, copy, list(period))
            for fiscal_year, units in _merged(change.forecasts):  # the forecasts the uploads moved
                _replace_forecasts(con, live, copy, fiscal_year, units)
            con.execute(f"UPDATE {copy}.snapshot_info SET published_at = current_timestamp::TIMESTAMP, generation = ?",
                        [generation])
    except _NotPatchable:
        return False
    return True


def _merged(parts: Iterable[tuple[int, tuple[str, ...] | None]]) -> list[tuple[int, tuple[str, ...] | None]]:
    """Forecast parts per fiscal year: the whole year when any part was, else every unit named."""
    years: dict[int, set[str] | None] = {}
    for year, units in parts:
        if units is None or (year in years and years[year] is None):
            years[year] = None
        else:
            years.setdefault(year, set()).update(units)
    return [(year, None if units is None else tuple(sorted(units))) for year, units in sorted(years.items())]


def _replace_period(con: duckdb.DuckDBPyConnection, live: str, copy: str, period: list) -> None:
    where = "unit_code = ? AND fiscal_year = ? AND quarter = ?"
    for table in SUBMISSION_TABLES:
        con.execute(f"DELETE FROM {copy}.{table} WHERE submission_id IN "
                    f"(SELECT submission_id FROM {copy}.submission WHERE {where})", period)
        con.execute(f"INSERT INTO {copy}.{table} SELECT * FROM {live}.{table} WHERE submission_id IN "
                    f"(SELECT submission_id FROM {live}.submission WHERE {where})", period)
    for table in PERIOD_TABLES:
        con.execute(f"DELETE FROM {copy}.{table} WHERE {where}", period)
        con.execute(f"INSERT INTO {copy}.{table} SELECT * FROM {live}.{table} WHERE {where}", period)
    ancestors = (f"fiscal_year = ? AND quarter = ? AND unit_code IN "
                 f"(SELECT ancestor_code FROM {live}.org_unit_closure WHERE unit_code = ?)")
    for table in SUBTREE_TABLES:
        con.execute(f"DELETE FROM {copy}.{table} WHERE {ancestors}", [*period[1:], period[0]])
        con.execute(f"INSERT INTO {copy}.{table} SELECT * FROM {live}.{table} WHERE {ancestors}",
                    [*period[1:], period[0]])


def _replace_forecasts(con: duckdb.DuckDBPyConnection, live: str, copy: str, fiscal_year: int,
                       units: tuple[str, ...] | None) -> None:
    where, values = ("fiscal_year = ?", [fiscal_year]) if units is None else (
        "fiscal_year = ? AND unit_code IN (SELECT unnest(?::VARCHAR[]))", [fiscal_year, list(units)])
    con.execute(f"DELETE FROM {copy}.kpi_forecast WHERE {where}", values)
    con.execute(f"INSERT INTO {copy}.kpi_forecast SELECT * FROM {live}.kpi_forecast WHERE {where}", values)


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files a crashed publisher left behind (a live publisher's file is younger than an hour)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except FileNotFoundError:
            pass

"""The analysts' read-only copy of the database, republished after every write.

DuckDB lets one process hold a database file for writing and then nobody else may open it, not even
read-only, and its lock never waits.  So analysts (DuckDB CLI, Python, Jupyter) and the SQL page never
open the live file: every writer, right after its commit and while it still holds the live file,
publishes `<db dir>/snapshot/<db name>` (env BSC_SNAPSHOT overrides): the base tables the public views
read, the public views themselves and `snapshot_info`, built in one read transaction into a temporary
file that then replaces the old snapshot atomically (os.replace).  A reader that holds the old file keeps
a consistent old copy until it reconnects; accounts, sessions, the audit trail and saved queries are
never copied, so the snapshot can be shared with everyone who may read the public data.

After an upload the publish does not copy every table: it copies the published file and replaces the uploaded unit
quarters' rows from the live file (_updated), when the connection's own uploads are all that separate the two
(db.bump_generation records them); otherwise, or on any doubt, every table is copied (_build).

`snapshot_info.generation` is the live database's data generation the copy was made at (db.bump_generation,
raised in every transaction that changes public data): a writer killed between its commit and its publish leaves
a snapshot whose generation is behind the live file's, which pipelines.read_source notices and republishes.
The file is 0600 in a 0700 folder, like the live database.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        alias = f"snapshot_{uuid.uuid4().hex}"
        pending = db.take_pending(con)
        try:
            try:
                patched = _updated(con, pending, rewritten, target, temporary, alias)
            except (OSError, duckdb.Error):  # a damaged or unreadable published file: copy every table instead
                patched = False
            if not patched:
                for leftover in (temporary, Path(f"{temporary}.wal")):
                    leftover.unlink(missing_ok=True)
                _build(con, temporary, alias)
            temporary.chmod(0o600)
            os.replace(temporary, target)
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


def _updated(con: duckdb.DuckDBPyConnection, pending: db.PendingChange | None, rewritten: forecast.Rewritten | None,
             target: Path, temporary: Path, alias: str) -> bool:
    """Publish only what changed: a copy of the published file with the changed unit quarters' rows replaced from the
    live file, into `temporary`. Only when this connection's own changes are all that separate the two (the published
    file copied generation `pending.base`, the live file is at `pending.last`) and they are uploads; False (nothing
    done) otherwise, and the caller copies every table."""
    if pending is None or pending.everything or not pending.periods or (rewritten and rewritten.everything):
        return False
    try:
        shutil.copyfile(target, temporary)
    except FileNotFoundError:
        return False
    live_name = con.execute("SELECT current_database()").fetchone()[0]
    live, copy = f'"{live_name}".main', f"{alias}.main"
    try:
        with _attached(con, temporary, alias):
            published = con.execute(f"SELECT max(schema_version), max(database_id), max(generation) "
                                    f"FROM {copy}.snapshot_info").fetchone()
            database_id, generation = con.execute(
                f"SELECT max(database_id), max(generation) FROM {live}.data_generation").fetchone()
            if published != (db.schema_version(con), database_id, pending.base) or generation != pending.last:
                raise _NotPatchable
            for period in sorted(pending.periods):
                _replace_period(con, live, copy, list(period))
            for fiscal_year, units in rewritten.parts if rewritten else ():  # the forecasts the upload moved
                _replace_forecasts(con, live, copy, fiscal_year, units)
            con.execute(f"UPDATE {copy}.snapshot_info SET published_at = current_timestamp::TIMESTAMP, generation = ?",
                        [generation])
    except _NotPatchable:
        return False
    return True


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

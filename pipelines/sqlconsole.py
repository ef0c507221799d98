"""The SQL page's query runner: one read-only SELECT at a time on the analyst snapshot, with limits.

Safe by construction, in two layers.  The connection is the snapshot (pipelines.snapshot), opened
read-only in its own DuckDB instance with external access disabled and the configuration locked, so
DuckDB itself refuses files, ATTACH, INSTALL/LOAD, COPY and any SET that would undo this.  Before that,
`check_statement` refuses anything but a single SELECT (or EXPLAIN) with a message saying why, so a user
sees a plain refusal instead of an engine error.  A timer interrupts a query after the time limit, the
rows fetched stop at the download cap, and DuckDB errors come back as values with the line and column.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import queries, reports
from pipelines.snapshot import file_token
from pipelines.view_docs import PUBLIC_VIEWS, column_description

DISPLAY_ROW_LIMIT = 10_000
"""Rows drawn in the page's table; the downloads carry the whole result up to DOWNLOAD_ROW_LIMIT."""
DOWNLOAD_ROW_LIMIT = 1_000_000
"""Rows fetched at most, and so downloaded as CSV or Parquet; larger results: DuckDB CLI or `export`."""
XLSX_ROW_LIMIT = 100_000
"""Rows offered as .xlsx: writing a workbook takes about a second per 5,000-25,000 rows on the server."""
TIME_LIMIT_SECONDS = float(os.environ.get("BSC_SQL_TIME_LIMIT", "30"))
MEMORY_LIMIT = os.environ.get("BSC_SQL_MEMORY_LIMIT", "2GB")
BATCH_ROWS = 65_536

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
CONSOLE_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "errors_as_json": True,
    "memory_limit": MEMORY_LIMIT,
}
"""Instance-wide settings; `lock_configuration` is set right after connecting (see `console_connection`)."""

_REFUSALS = {
    duckdb.StatementType.COPY: ("COPY อ่านหรือเขียนไฟล์ ซึ่งหน้านี้ไม่อนุญาต",
                                "COPY reads or writes files, which this page does not allow"),
    duckdb.StatementType.COPY_DATABASE: ("COPY FROM DATABASE ไม่อนุญาต", "COPY FROM DATABASE is not allowed"),
    duckdb.StatementType.EXPORT: ("EXPORT DATABASE เขียนไฟล์ ซึ่งหน้านี้ไม่อนุญาต",
                                  "EXPORT DATABASE writes files, which this page does not allow"),
    duckdb.StatementType.ATTACH: ("ATTACH เปิดฐานข้อมูลอื่น ซึ่งหน้านี้ไม่อนุญาต",
                                  "ATTACH opens another database, which this page does not allow"),
    duckdb.StatementType.DETACH: ("DETACH ไม่อนุญาต", "DETACH is not allowed"),
    duckdb.StatementType.LOAD: ("INSTALL/LOAD ส่วนขยายไม่อนุญาต", "INSTALL and LOAD of extensions are not allowed"),
    duckdb.StatementType.SET: ("SET/RESET/USE เปลี่ยนการตั้งค่า ซึ่งถูกล็อกไว้",
                               "SET, RESET and USE change settings, which are locked"),
    duckdb.StatementType.VARIABLE_SET: ("SET VARIABLE ไม่อนุญาต", "SET VARIABLE is not allowed"),
    duckdb.StatementType.PRAGMA: ("PRAGMA และ IMPORT DATABASE ไม่อนุญาต ใช้ DESCRIBE ชื่อวิว, SHOW TABLES หรือ SUMMARIZE แทน",
                                  "PRAGMA and IMPORT DATABASE are not allowed; use DESCRIBE view, SHOW TABLES or "
                                  "SUMMARIZE instead"),
    duckdb.StatementType.CALL: ("CALL ไม่อนุญาต ใช้ SELECT * FROM ฟังก์ชัน(...) แทน",
                                "CALL is not allowed; use SELECT * FROM function(...) instead"),
    duckdb.StatementType.MULTI: ("PIVOT ต้องระบุค่า เช่น PIVOT kpi_results ON quarter IN (1, 2, 3, 4) USING ...",
                                 "PIVOT needs its values listed, e.g. PIVOT kpi_results ON quarter IN (1, 2, 3, 4) "
                                 "USING ..."),
}
_READ_ONLY = ("ข้อมูลในหน้านี้อ่านได้อย่างเดียว: ใช้ได้เฉพาะ SELECT (รวม WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)",
              "the data here is read-only: only SELECT (with WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) may run")
_JSON_ERROR = re.compile(r"^[^{]*?(\{.*\})\s*$", re.DOTALL)


@dataclass(frozen=True)
class QueryError:
    """Why a query did not run or stopped: shown to the user as message, never as a traceback."""

    kind: str  # refused | error | timeout | unavailable
    message_th: str
    message_en: str
    line: int | None = None
    column: int | None = None
    source_line: str = ""  # the SQL line the error points at

    @property
    def message(self) -> str:
        where = f" (บรรทัด/line {self.line}, ตำแหน่ง/column {self.column})" if self.line else ""
        thai = f"{self.message_th} / " if self.message_th and self.message_th != self.message_en else ""
        return f"{thai}{self.message_en}{where}"

    @property
    def pointer(self) -> str:
        """The offending SQL line with a caret under the column, or '' when DuckDB gave no position."""
        if not self.line or self.column is None:
            return ""
        return f"{self.source_line}\n{' ' * (self.column - 1)}^"


@dataclass(frozen=True)
class QueryResult:
    table: pa.Table
    elapsed_seconds: float
    truncated: bool  # more rows existed than DOWNLOAD_ROW_LIMIT; the table holds the first ones

    @property
    def row_count(self) -> int:
        return self.table.num_rows

    def frame(self, limit: int | None = None) -> pd.DataFrame:
        table = self.table if limit is None else self.table.slice(0, limit)
        return table.to_pandas()


DOWNLOAD_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def result_bytes(result: QueryResult, file_format: str) -> bytes:
    """The whole fetched result as a file: CSV (UTF-8 with BOM) and .xlsx with formula-like text defused,
    Parquet with the exact types."""
    if file_format == "parquet":
        buffer = io.BytesIO()
        pq.write_table(result.table, buffer)
        return buffer.getvalue()
    if file_format == "csv":
        return reports.csv_bytes(result.frame())
    if file_format == "xlsx":
        return reports.xlsx_bytes(result.frame(), sheet_name="result")
    raise ValueError(f"unknown format {file_format!r}")


@dataclass(frozen=True)
class SchemaColumn:
    view: str
    column: str
    type: str
    description: str


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> QueryError | None:
    """None when `sql` is exactly one SELECT or EXPLAIN; otherwise the refusal to show."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as error:
        return error_from_duckdb(error, sql)
    if not statements:
        return QueryError("refused", "ไม่มีคำสั่งให้รัน", "there is no statement to run")
    if len(statements) > 1:
        return QueryError("refused", f"รันได้ครั้งละหนึ่งคำสั่ง (พบ {len(statements)} คำสั่ง)",
                          f"one statement at a time ({len(statements)} found); remove the extra ';'")
    kind = statements[0].type
    if kind in ALLOWED_STATEMENTS:
        return None
    message_th, message_en = _REFUSALS.get(kind, _READ_ONLY)
    return QueryError("refused", message_th, message_en)


def error_from_duckdb(error: Exception, sql: str) -> QueryError:
    """DuckDB's message (JSON, as the console asks for) with its byte position turned into line and column."""
    text = str(error)
    detail: dict[str, str] = {}
    match = _JSON_ERROR.match(text)
    if match:
        try:
            detail = json.loads(match.group(1))
        except ValueError:
            detail = {}
    message = detail.get("exception_message", text)
    kind = detail.get("exception_type", "")
    if kind and kind.lower() not in message.lower():
        message = f"{kind} error: {message}"
    line = column = None
    source_line = ""
    if str(detail.get("position", "")).isdigit():
        line, column, source_line = line_and_column(sql, int(detail["position"]))
    return QueryError("error", "", message, line, column, source_line)


def line_and_column(sql: str, byte_position: int) -> tuple[int, int, str]:
    """1-based line and column (in characters) of a UTF-8 byte offset, and the text of that line."""
    before = sql.encode("utf-8")[:byte_position].decode("utf-8", errors="ignore")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column, sql.splitlines()[line - 1] if sql.splitlines() else ""


@dataclass(eq=False)
class _Generation:
    """One published snapshot file, open in its own DuckDB instance for as long as queries use it.

    Starting a DuckDB instance costs about 20 ms, as much as a typical query; a cursor on an open one costs
    nothing.  But DuckDB shares one instance per path, so while it is open a newly published file at the same
    path would never be seen.  Each generation is therefore opened through its own hard link (the same file
    under a private name), and closed, link removed, once a newer one exists and its last query is done.
    """

    key: str  # snapshot.file_token of the published file
    alias: Path | None  # None: hard links unavailable, one instance per query instead
    anchor: duckdb.DuckDBPyConnection | None
    users: int = 0
    retired: bool = False

    def close_if_done(self) -> None:
        if self.retired and self.users == 0 and self.anchor is not None:
            self.anchor.close()
            self.alias.unlink(missing_ok=True)


_generations: dict[tuple[str, int | None], _Generation] = {}
"""(snapshot path, threads) -> its newest generation, least recently used first."""
_generations_lock = threading.Lock()
ALIAS_STALE_SECONDS = 60
MAX_OPEN_SNAPSHOTS = 6
"""Snapshot instances kept open at once (the dashboard has two; tests and benchmarks make many)."""


def _open_locked(path: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    config = CONSOLE_CONFIG if threads is None else CONSOLE_CONFIG | {"threads": threads}
    con = duckdb.connect(str(path), read_only=True, config=config)
    if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
    return con


def _new_generation(snapshot: Path, threads: int | None) -> _Generation:
    alias = snapshot.with_name(f".{snapshot.name}.console-{os.getpid()}-{uuid.uuid4().hex[:12]}")
    try:
        os.link(snapshot, alias)
    except OSError:  # no hard links on this file system: stay correct, pay the start-up per query
        return _Generation(_token(snapshot), None, None)
    key = _token(alias)
    try:
        anchor = _open_locked(alias, threads)
    except BaseException:
        alias.unlink(missing_ok=True)
        raise
    _remove_stale_aliases(snapshot, keep=alias)
    return _Generation(key, alias, anchor)


def _token(path: Path) -> str:
    token = file_token(path)
    if token is None:
        raise FileNotFoundError(path)  # no snapshot yet: callers say so
    return token


def _remove_stale_aliases(snapshot: Path, keep: Path) -> None:
    """Links a crashed process left; removing a link never disturbs a process that still has the file open."""
    cutoff = time.time() - ALIAS_STALE_SECONDS
    for alias in snapshot.parent.glob(f".{snapshot.name}.console-*"):
        try:
            if alias != keep and alias.lstat().st_ctime < cutoff:
                alias.unlink()
        except FileNotFoundError:
            pass


def _acquire(snapshot: Path, threads: int | None) -> _Generation:
    published = _token(snapshot)
    key = (str(snapshot), threads)
    with _generations_lock:
        current = _generations.get(key)
        if current is None or current.key != published:
            fresh = _new_generation(snapshot, threads)
            if current is not None:
                _retire(current)
            current = fresh
        _generations.pop(key, None)
        _generations[key] = current  # now the most recently used
        while len(_generations) > MAX_OPEN_SNAPSHOTS:
            _retire(_generations.pop(next(iter(_generations))))
        current.users += 1
        return current


def _retire(generation: _Generation) -> None:
    generation.retired = True
    generation.close_if_done()


@atexit.register
def _remove_own_aliases() -> None:
    with _generations_lock:
        for generation in _generations.values():
            if generation.alias is not None:
                generation.alias.unlink(missing_ok=True)


def _release(generation: _Generation) -> None:
    with _generations_lock:
        generation.users -= 1
        generation.close_if_done()


@contextmanager
def console_connection(
    snapshot: str | os.PathLike, threads: int | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the newest published snapshot, configuration locked; one per query and thread.

    Every connection of the process to the snapshot must come through here: DuckDB refuses a second connection
    to the same path whose configuration differs. `threads` (DuckDB's default: one per core) opens a separate
    instance, through its own link to the file: the dashboard's many small queries run faster on one thread each.
    """
    generation = _acquire(Path(snapshot), threads)
    try:
        if generation.anchor is None:  # no links: one configuration for every connection to the path
            con = _open_locked(Path(snapshot))
        else:
            with _generations_lock:
                con = generation.anchor.cursor()
        try:
            yield con
        finally:
            con.close()
    finally:
        _release(generation)


def unavailable(snapshot: str | os.PathLike) -> QueryError:
    return QueryError("unavailable", f"ยังไม่มีสำเนาข้อมูลสำหรับวิเคราะห์ที่ {snapshot}",
                      f"no analyst snapshot at {snapshot} yet: run `python -m pipelines snapshot`")


def run_query(
    snapshot: str | os.PathLike,
    sql: str,
    time_limit: float | None = None,
    row_limit: int | None = None,
) -> QueryResult | QueryError:
    """Run one SELECT on the snapshot: the first `row_limit` rows, or why it did not run.

    The limits default to TIME_LIMIT_SECONDS and DOWNLOAD_ROW_LIMIT as they are at the call."""
    time_limit = TIME_LIMIT_SECONDS if time_limit is None else time_limit
    row_limit = DOWNLOAD_ROW_LIMIT if row_limit is None else row_limit
    started = time.perf_counter()
    try:
        with console_connection(snapshot) as con:
            refusal = check_statement(con, sql)
            if refusal:
                return refusal
            timer = threading.Timer(time_limit, con.interrupt)
            timer.start()
            try:
                table, truncated = _fetch(con, sql, row_limit)
            except duckdb.InterruptException:
                return timed_out(time_limit)
            except duckdb.Error as error:
                return error_from_duckdb(error, sql)
            finally:
                timer.cancel()
    except FileNotFoundError:
        return unavailable(snapshot)
    return QueryResult(table, time.perf_counter() - started, truncated)


def timed_out(time_limit: float) -> QueryError:
    return QueryError(
        "timeout",
        f"หยุดคำสั่งแล้ว เพราะใช้เวลาเกิน {time_limit:g} วินาที: กรองให้แคบลง (WHERE fiscal_year = ...) หรือใช้ DuckDB CLI",
        f"stopped after the {time_limit:g} s time limit: narrow the query (WHERE fiscal_year = ...) "
        "or run it from the DuckDB CLI on the snapshot")


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, row_limit: int) -> tuple[pa.Table, bool]:
    """Stream batches until one row past the limit, so a huge result never materialises whole."""
    try:
        relation = con.sql(sql)
    except duckdb.Error as error:
        raise _with_position(con, sql, error) from None
    reader = relation.to_arrow_reader(BATCH_ROWS)
    schema = reader.schema
    batches, fetched = [], 0
    try:
        for batch in reader:
            batches.append(batch)
            fetched += batch.num_rows
            if fetched > row_limit:
                break
    finally:
        reader.close()
    table = pa.Table.from_batches(batches, schema=schema)
    return table.slice(0, row_limit), fetched > row_limit


def _with_position(con: duckdb.DuckDBPyConnection, sql: str, error: duckdb.Error) -> duckdb.Error:
    """Binding through the relation API drops DuckDB's JSON detail (and so the position); binding the same
    text through `execute` fails the same way with it.  Only called once binding has failed."""
    try:
        con.execute(sql)
    except duckdb.Error as detailed:
        return detailed
    con.close()  # binds after all: never leave a query running on this connection
    return error


def published_at(snapshot: str | os.PathLike) -> str | None:
    """When the snapshot was published, read through the console's own connection (None if absent)."""
    try:
        with console_connection(snapshot) as con:
            row = con.execute(queries.SNAPSHOT_PUBLISHED_AT).fetchone()
    except (FileNotFoundError, duckdb.CatalogException):
        return None
    return row[0] if row else None


def schema(snapshot: str | os.PathLike) -> list[SchemaColumn]:
    """Every public view of the snapshot with its columns, types and one-line descriptions, in README order."""
    try:
        with console_connection(snapshot) as con:
            rows = con.execute(queries.SNAPSHOT_VIEW_COLUMNS).fetchall()
    except FileNotFoundError:
        return []
    order = {name: index for index, name in enumerate(PUBLIC_VIEWS)}
    found = [SchemaColumn(view, column, kind, column_description(view, column))
             for view, column, kind in rows if view in order]
    return sorted(found, key=lambda item: order[item.view])

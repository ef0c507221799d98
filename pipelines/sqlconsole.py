"""The SQL page's query runner: one read-only SELECT at a time on the analyst snapshot, with limits.

Safe by construction, in three layers.  The query runs in a worker process (pipelines.sql_worker), never in
the server: the worker's address space is capped (RLIMIT_AS, BSC_SQL_MEMORY_LIMIT), it is killed when it
overruns the time limit, and what it sends back is capped in rows and in bytes, so no query can make the
server itself grow by more than the byte cap or stall it past the time limit.  In the worker, the
connection is the snapshot (pipelines.snapshot), opened read-only in its own DuckDB instance with external
access disabled and the configuration locked, so DuckDB itself refuses files, ATTACH, INSTALL/LOAD, COPY and
any SET that would undo this.  Before that, `check_statement` refuses anything but a single SELECT (or
EXPLAIN), and any function or view that shows the server's settings, paths or files, with a message saying
why, so a user sees a plain refusal instead of an engine error.  DuckDB errors, also those raised while
the rows stream, come back as values with the line and column.  docs/security-sql.md is the threat model.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import pickle
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from pipelines import export, queries
from pipelines.db import DataState
from pipelines.lazy import lazy_module
from pipelines.snapshot import file_token
from pipelines.view_docs import PUBLIC_VIEWS, column_description

pd = lazy_module("pandas")
pa = lazy_module("pyarrow")
pc = lazy_module("pyarrow.compute")
pq = lazy_module("pyarrow.parquet")

DISPLAY_ROW_LIMIT = 10_000
"""Rows drawn in the page's table; the downloads carry the whole result up to DOWNLOAD_ROW_LIMIT."""
DOWNLOAD_ROW_LIMIT = 1_000_000
"""Rows fetched at most, and so downloaded as CSV or Parquet; larger results: DuckDB CLI or `export`."""
XLSX_ROW_LIMIT = 100_000
"""Rows offered as .xlsx: writing a workbook takes about a second per 5,000-25,000 rows on the server."""
TIME_LIMIT_SECONDS = float(os.environ.get("BSC_SQL_TIME_LIMIT", "30"))
"""The worker interrupts a query after this; the server kills the worker KILL_GRACE_SECONDS later."""
KILL_GRACE_SECONDS = 2.0
MEGABYTE = 1024 * 1024
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KIB|MIB|GIB)?\s*$", re.IGNORECASE)


def size_in_bytes(text: str) -> int:
    """'2GB', '1536MB', '64MiB' or plain bytes; KB, MB, GB count 1024s as DuckDB's settings do."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (e.g. 2GB or 512MB)")
    unit = (match.group(2) or "B").upper().replace("I", "")
    return int(float(match.group(1)) * {"B": 1, "KB": 1024, "MB": MEGABYTE, "GB": 1024 * MEGABYTE}[unit])


MEMORY_LIMIT = size_in_bytes(os.environ.get("BSC_SQL_MEMORY_LIMIT", "2GB"))
"""Address space of one query worker process (RLIMIT_AS), its Python and DuckDB included."""
DUCKDB_MEMORY_SHARE = 0.5
"""DuckDB's own buffer limit inside the worker, as a share of MEMORY_LIMIT: DuckDB then stops most queries
with its own error (spilling to disk first where it can) before the process limit is reached."""
RESULT_BYTE_LIMIT = size_in_bytes(os.environ.get("BSC_SQL_RESULT_LIMIT", "64MB"))
"""Bytes of result (Arrow) one query may send back to the server, whatever its row count."""
WORKERS = int(os.environ.get("BSC_SQL_WORKERS", "2"))
"""Query workers kept per server process: queries beyond this many at once wait for a free one."""
BATCH_ROWS = 65_536
MAX_SQL_CHARACTERS = 100_000
"""Longest query text run, saved or kept in the history (the ten examples are under 1,000)."""

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
CONSOLE_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "errors_as_json": True,
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

SERVER_DETAIL_NAMES = frozenset({
    "duckdb_settings", "pg_settings", "current_setting", "duckdb_databases", "pragma_database_list",
    "duckdb_extensions", "duckdb_temporary_files", "duckdb_secrets", "which_secret", "duckdb_logs",
    "duckdb_log_contexts", "duckdb_external_file_cache", "pragma_user_agent", "pragma_database_size",
})
"""Functions and built-in views that show the server's file paths (database, temporary, secret and extension
folders) or process details: refused by name, wherever they appear in the statement."""
DYNAMIC_SQL_NAMES = frozenset({"query", "query_table"})
"""Table functions that run SQL text built at run time, which no check before running can read."""
_FILES_REFUSED = ("หน้านี้ไม่อนุญาตให้อ่านหรือเขียนไฟล์ใด ๆ บนเซิร์ฟเวอร์ ใช้วิวสาธารณะแทน",
                  "this page does not allow reading or writing any file on the server; query the public views")


@dataclass(frozen=True)
class QueryError:
    """Why a query did not run or stopped: shown to the user as message, never as a traceback."""

    kind: str  # refused | error | timeout | memory | busy | unavailable
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
    truncated: bool  # more rows existed than the row or byte cap allowed; the table holds the first ones
    byte_capped: bool = False  # cut by the byte cap (RESULT_BYTE_LIMIT) rather than the row cap

    @property
    def row_count(self) -> int:
        return self.table.num_rows

    def frame(self, limit: int | None = None) -> pd.DataFrame:
        """The rows as pandas, columns named uniquely (`SELECT 1 AS a, 2 AS a`, a join's two `unit_code`s: the
        table, the chart and the downloads need one name per column); a column pandas cannot hold (a DATE of
        'infinity', year 5881580) comes as text."""
        table = self.table if limit is None else self.table.slice(0, limit)
        table = table.rename_columns(unique_names(table.column_names))
        try:
            return table.to_pandas()
        except (ValueError, OverflowError, pa.ArrowException):
            columns = [column if _pandas_can_hold(column) else _as_text(column) for column in table.columns]
            return pa.Table.from_arrays(columns, names=table.column_names).to_pandas()


def unique_names(names: list[str]) -> list[str]:
    """`names` with a later one that repeats an earlier one (case aside) numbered: a, a_2, A_3."""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate.casefold() in seen:
            number += 1
            candidate = f"{name}_{number}"
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


def _pandas_can_hold(column: pa.ChunkedArray) -> bool:
    try:
        column.to_pandas()
    except (ValueError, OverflowError, pa.ArrowException):
        return False
    return True


def _as_text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column as text: Arrow's own cast where it has one, else each value's Python text."""
    try:
        return pc.cast(column, pa.string())
    except pa.ArrowException:
        return pa.array([None if value is None else str(value) for value in column.to_pylist()], pa.string())


def _text_table(table: pa.Table, which: object = None) -> pa.Table:
    """`table` with the columns `which(field)` picks (every column when None) turned into text."""
    return pa.Table.from_arrays(
        [_as_text(column) if which is None or which(field) else column
         for field, column in zip(table.schema, table.columns, strict=True)],
        names=table.column_names,
    )


def _is_union(field: pa.Field) -> bool:
    return pa.types.is_union(field.type)


DOWNLOAD_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def result_bytes(result: QueryResult, file_format: str) -> bytes:
    """The whole fetched result as a file: CSV (UTF-8 with BOM) and .xlsx with formula-like text defused,
    Parquet with the exact types."""
    if file_format == "parquet":
        table = result.table.rename_columns(unique_names(result.table.column_names))
        buffer = io.BytesIO()
        try:
            pq.write_table(table, buffer)
        except pa.ArrowException:  # a type Parquet cannot hold (INTERVAL): those columns as text
            buffer = io.BytesIO()
            pq.write_table(_text_table(table, lambda field: not _parquet_can_hold(field)), buffer)
        return buffer.getvalue()
    if file_format == "csv":
        return export.csv_bytes(result.frame())
    if file_format == "xlsx":
        return export.xlsx_bytes(result.frame(), sheet_name="result")
    raise ValueError(f"unknown format {file_format!r}")


def _parquet_can_hold(field: pa.Field) -> bool:
    try:
        pq.write_table(pa.table({"x": pa.array([], field.type)}), io.BytesIO())
    except pa.ArrowException:
        return False
    return True


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
    if kind not in ALLOWED_STATEMENTS:
        message_th, message_en = _REFUSALS.get(kind, _READ_ONLY)
        return QueryError("refused", message_th, message_en)
    return check_names(sql)


def check_names(sql: str) -> QueryError | None:
    """Refuse a statement that names a function or view showing server details, or one running SQL built at
    run time.  Read from DuckDB's own tokens, so quoting, case, comments and schema prefixes change nothing;
    a name inside a string literal is data, not a call."""
    encoded = sql.encode("utf-8")
    tokens = duckdb.tokenize(sql)
    ends = [start for start, _ in tokens[1:]] + [len(encoded)]
    words = [(encoded[start:end].decode("utf-8", errors="ignore").strip(), kind)
             for (start, kind), end in zip(tokens, ends, strict=True)]
    code = [text for text, kind in words if kind not in (duckdb.token_type.comment, duckdb.token_type.string_const)]
    for index, text in enumerate(code):
        name = text.strip('"').lower()
        if name in SERVER_DETAIL_NAMES:
            return QueryError("refused", f"{name} แสดงรายละเอียดของเซิร์ฟเวอร์ (ที่ตั้งไฟล์ การตั้งค่า) ซึ่งหน้านี้ไม่อนุญาต",
                              f"{name} shows details of the server (file locations, settings), which this page "
                              "does not allow")
        if name in DYNAMIC_SQL_NAMES and code[index + 1:index + 2] == ["("]:
            return QueryError("refused", f"{name}(...) รันคำสั่งที่สร้างจากข้อความ ซึ่งหน้านี้ไม่อนุญาต เขียนคำสั่งตรง ๆ แทน",
                              f"{name}(...) runs SQL built from text, which this page does not allow; write the "
                              "query itself instead")
    return None


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
    if _names_kind(kind, message, "Permission") or _names_a_file(detail):
        return QueryError("refused", *_FILES_REFUSED)
    if _names_kind(kind, message, "Out of Memory"):
        return out_of_memory()
    if _names_kind(kind, message, "INTERRUPT"):
        return timed_out(TIME_LIMIT_SECONDS)
    if detail.get("exception_type") == "Catalog" and detail.get("type") == "Table" and detail.get("name"):
        return QueryError("error", *_no_such_table(detail["name"]), line, column, source_line)
    return QueryError("error", "", message, line, column, source_line)


def _no_such_table(name: str) -> tuple[str, str]:
    """A name that is no public view (a typo, or audit_log, which the analysts' snapshot does not hold): said in
    Thai and English instead of DuckDB's English 'Catalog Error ... Did you mean "duckdb_logs"?'."""
    audit = name.lower() == "audit_log"
    return (
        f"ไม่มีตารางหรือวิวชื่อ {name} ในสำเนาสำหรับนักวิเคราะห์ ใช้ชื่อในรายการวิวสาธารณะ"
        + (" (บันทึกการใช้งานดูได้ที่หน้า บันทึกการใช้งาน ของผู้ดูแลระบบ)" if audit else ""),
        f"there is no table or view named {name} in the analysts' snapshot; use a name from the public views"
        + (" (the audit trail is on the administrators' Audit trail page)" if audit else ""),
    )


def _names_a_file(detail: dict[str, str]) -> bool:
    """`FROM '/etc/passwd'`: with external access disabled DuckDB looks the path up as a table name."""
    return (detail.get("exception_type") == "Catalog" and detail.get("type") == "Table"
            and any(mark in detail.get("name", "") for mark in "/\\."))


def _names_kind(kind: str, message: str, wanted: str) -> bool:
    """DuckDB's exception type, from its JSON detail or, for errors raised while streaming (which come through
    Arrow as plain text, e.g. 'Out of Memory Error: ...'), from the start of the message."""
    return kind.lower() == wanted.lower() or message.lower().startswith(f"{wanted.lower()} error")


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
    config = CONSOLE_CONFIG | {"memory_limit": f"{int(MEMORY_LIMIT * DUCKDB_MEMORY_SHARE) // MEGABYTE}MB"}
    if threads is not None:
        config["threads"] = threads
    con = duckdb.connect(str(path), read_only=True, config=config)
    if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
    return con


def _new_generation(snapshot: Path, threads: int | None) -> _Generation:
    alias = snapshot.with_name(f".{snapshot.name}.console-{os.getpid()}-{uuid.uuid4().hex[:12]}")
    try:
        _link_published(snapshot, alias)
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


def _link_published(snapshot: Path, alias: Path) -> None:
    """`alias`: a hard link to the file the published link points at now (os.link would link the symbolic link
    itself). Linked again if a publish swapped the link meanwhile: once the alias exists and the file is still the
    published one, a publish that later writes that file in place sees the link and copies instead
    (pipelines.snapshot._in_use)."""
    for _ in range(5):
        os.link(os.path.realpath(snapshot), alias)
        try:
            published = os.stat(snapshot).st_ino
        except OSError:
            alias.unlink(missing_ok=True)
            raise
        if os.stat(alias).st_ino == published:
            return
        alias.unlink()
    raise OSError(f"{snapshot} kept changing while it was opened")


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


def retire_replaced_snapshots() -> None:
    """Close the generations whose file is no longer the published one (the query worker calls this after each
    query, so that a replaced snapshot's private link goes as soon as its last query ends, not at the next one)."""
    with _generations_lock:
        for key, generation in list(_generations.items()):
            if file_token(key[0]) != generation.key:
                _retire(_generations.pop(key))


def reads_without_links() -> bool:
    """Whether this process reads a published file other than through a private hard link (none can be made on its
    file system): the snapshot publish then never writes a published file in place (pipelines.snapshot._in_use)."""
    with _generations_lock:
        return any(generation.alias is None for generation in _generations.values())


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


def published_state(path: str | os.PathLike) -> tuple[int, DataState | None]:
    """(schema version, the live database's DataState it copied) of a published snapshot file; the state is None for
    a snapshot older than migration 007, and (0, None) when the file is missing or unreadable. Opens the file
    through console_connection (the only way this process may open it)."""
    try:
        with console_connection(path) as con:
            try:
                version, database_id, generation = con.execute(queries.SNAPSHOT_STATE).fetchone()
            except duckdb.BinderException:
                return con.execute(queries.SNAPSHOT_SCHEMA_VERSION).fetchone()[0] or 0, None
    except (FileNotFoundError, duckdb.Error):
        return 0, None
    return version or 0, (database_id, generation or 0)


def unavailable() -> QueryError:
    """No snapshot published yet; where it belongs is the server's business, not the page user's."""
    return QueryError("unavailable", "ยังไม่มีสำเนาข้อมูลสำหรับนักวิเคราะห์: ผู้ดูแลระบบสร้างได้ด้วย `python -m pipelines snapshot`",
                      "no analyst snapshot yet: an administrator creates it with `python -m pipelines snapshot`")


def run_query(
    snapshot: str | os.PathLike,
    sql: str,
    time_limit: float | None = None,
    row_limit: int | None = None,
    byte_limit: int | None = None,
) -> QueryResult | QueryError:
    """Run one SELECT on the snapshot in a query worker: the first rows within `row_limit` and `byte_limit`,
    or why it did not run.  The server waits at most the time limit for a free worker, and at most the time
    limit plus KILL_GRACE_SECONDS for the answer, then kills the worker.

    The limits default to TIME_LIMIT_SECONDS, DOWNLOAD_ROW_LIMIT and RESULT_BYTE_LIMIT as they are at the call."""
    request = {
        "snapshot": str(snapshot),
        "sql": sql,
        "time_limit": TIME_LIMIT_SECONDS if time_limit is None else time_limit,
        "row_limit": DOWNLOAD_ROW_LIMIT if row_limit is None else row_limit,
        "byte_limit": RESULT_BYTE_LIMIT if byte_limit is None else byte_limit,
    }
    if len(sql) > MAX_SQL_CHARACTERS:
        return too_long(len(sql))
    started = time.perf_counter()
    try:
        worker = _pool.take(wait_seconds=request["time_limit"])
    except (OSError, EOFError, ValueError, pickle.UnpicklingError):  # TimeoutError is an OSError
        return no_worker()
    if worker is None:
        return busy()
    try:
        outcome = worker.run(request)
    except _WorkerLost as lost:
        _pool.discard(worker, request["snapshot"])
        return timed_out(request["time_limit"]) if lost.timed_out else out_of_memory()
    except BaseException:
        _pool.discard(worker, request["snapshot"])
        raise
    if (isinstance(outcome, QueryError) and outcome.kind == "memory") or worker.grown():
        _pool.discard(worker, request["snapshot"])  # a failed or large allocation can leave its heap unusable
    else:
        _pool.give_back(worker)
    if isinstance(outcome, QueryResult):
        return QueryResult(outcome.table, time.perf_counter() - started, outcome.truncated, outcome.byte_capped)
    return outcome


def execute(
    snapshot: str, sql: str, time_limit: float, row_limit: int, byte_limit: int
) -> tuple[QueryResult | QueryError, bytes]:
    """The worker's side of `run_query`, in the worker process: the outcome, with the rows as an Arrow IPC
    stream (the table of the QueryResult left empty, so that the rows cross the pipe once)."""
    started = time.perf_counter()
    try:
        with console_connection(snapshot) as con:
            refusal = check_statement(con, sql)
            if refusal:
                return refusal, b""
            timer = threading.Timer(time_limit, con.interrupt)
            timer.start()
            try:
                batches, schema, truncated, byte_capped = _fetch(con, sql, row_limit, byte_limit)
            except duckdb.InterruptException:
                return timed_out(time_limit), b""
            except MemoryError:
                return out_of_memory(), b""
            except (duckdb.Error, OSError, pa.ArrowException) as error:  # OSError: raised while streaming
                outcome = error_from_duckdb(error, sql)
                if outcome.kind == "timeout":
                    return timed_out(time_limit), b""
                return _without_folder(outcome, Path(snapshot).parent), b""
            finally:
                timer.cancel()
    except FileNotFoundError:
        return unavailable(), b""
    finally:
        retire_replaced_snapshots()
    if byte_capped and not any(batch.num_rows for batch in batches):
        return too_large(byte_limit), b""
    try:
        table = pa.Table.from_batches(batches, schema)
        if any(_is_union(field) for field in schema):  # pandas and the page cannot show UNION values: as text
            table = _text_table(table, _is_union)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        empty = table.schema.empty_table()
    except pa.ArrowException as error:
        return unshowable(error), b""
    return QueryResult(empty, time.perf_counter() - started, truncated, byte_capped), sink.getvalue().to_pybytes()


def _without_folder(error: QueryError, folder: Path) -> QueryError:
    """An engine message never names the server's snapshot folder (an I/O error could)."""
    return replace(error, message_th=error.message_th.replace(str(folder), "…"),
                   message_en=error.message_en.replace(str(folder), "…"))


def timed_out(time_limit: float) -> QueryError:
    return QueryError(
        "timeout",
        f"หยุดคำสั่งแล้ว เพราะใช้เวลาเกิน {time_limit:g} วินาที: กรองให้แคบลง (WHERE fiscal_year = ...) หรือใช้ DuckDB CLI",
        f"stopped after the {time_limit:g} s time limit: narrow the query (WHERE fiscal_year = ...) "
        "or run it from the DuckDB CLI on the snapshot")


def out_of_memory() -> QueryError:
    size = size_text(MEMORY_LIMIT)
    return QueryError(
        "memory",
        f"หยุดคำสั่งแล้ว เพราะต้องใช้หน่วยความจำเกิน {size}: รวมผล (GROUP BY) หรือกรองให้แคบลง (WHERE ...) "
        "เลือกคอลัมน์ให้น้อยลง หรือใช้ DuckDB CLI",
        f"stopped: the query needed more than the {size} memory limit; aggregate (GROUP BY), filter (WHERE ...), "
        "select fewer columns, or run it from the DuckDB CLI on the snapshot")


def too_large(byte_limit: int) -> QueryError:
    size = size_text(byte_limit)
    return QueryError(
        "bytes",
        f"ผลลัพธ์แม้แถวแรกก็ใหญ่เกิน {size}: เลือกคอลัมน์หรือข้อความให้สั้นลง (เช่น left(note, 200))",
        f"even the first row of the result is over the {size} result limit: select fewer or shorter values "
        "(e.g. left(note, 200))")


def too_long(length: int) -> QueryError:
    return QueryError("refused", f"คำสั่งยาว {length:,} ตัวอักษร เกินที่รับได้ {MAX_SQL_CHARACTERS:,} ตัวอักษร",
                      f"the query is {length:,} characters long, over the {MAX_SQL_CHARACTERS:,} character limit")


def no_worker() -> QueryError:
    return QueryError("unavailable", "เริ่มกระบวนการรันคำสั่งไม่ได้ (เครื่องอาจไม่ว่าง) ลองรันใหม่อีกครั้ง",
                      "the query process could not start (the machine may be overloaded); run it again")


def busy() -> QueryError:
    return QueryError(
        "busy",
        f"มีคำสั่งของผู้ใช้อื่นกำลังรันครบ {WORKERS} ช่องอยู่ รอสักครู่แล้วรันใหม่",
        f"all {WORKERS} query slots are taken by other users' queries; run it again in a moment")


def unshowable(error: Exception) -> QueryError:
    return QueryError("error", "ผลลัพธ์มีคอลัมน์ชนิดที่หน้านี้แสดงไม่ได้ แปลงเป็นข้อความก่อน เช่น ชื่อคอลัมน์::VARCHAR",
                      f"the result has a column type this page cannot show ({error}); cast it to text, e.g. "
                      "column::VARCHAR")


def size_text(size: int) -> str:
    return f"{size / 1024 / MEGABYTE:g} GB" if size >= 1024 * MEGABYTE else f"{size / MEGABYTE:g} MB"


def _fetch(
    con: duckdb.DuckDBPyConnection, sql: str, row_limit: int, byte_limit: int
) -> tuple[list[pa.RecordBatch], pa.Schema, bool, bool]:
    """Stream batches until the row or byte cap, so a huge result never materialises whole: the batches kept,
    the schema, whether rows were left out, and whether the byte cap (not the row cap) left them out."""
    try:
        relation = con.sql(sql)
    except duckdb.Error as error:
        raise _with_position(con, sql, error) from None
    reader = relation.to_arrow_reader(BATCH_ROWS)
    schema = reader.schema
    batches: list[pa.RecordBatch] = []
    rows = size = 0
    cut_by = ""
    try:
        for batch in reader:
            if rows + batch.num_rows > row_limit:
                batches.append(batch.slice(0, row_limit - rows))
                cut_by = "rows"
                break
            batch_size = pa.ipc.get_record_batch_size(batch)
            if size + batch_size > byte_limit:
                batches.append(_first_rows_within(batch, byte_limit - size))
                cut_by = "bytes"
                break
            batches.append(batch)
            rows, size = rows + batch.num_rows, size + batch_size
    finally:
        if cut_by:
            con.interrupt()  # else closing the reader waits for the rest of the result to be computed
        reader.close()
    return batches, schema, bool(cut_by), cut_by == "bytes"


def _first_rows_within(batch: pa.RecordBatch, budget: int) -> pa.RecordBatch:
    """The longest head of `batch` whose Arrow size fits `budget` (binary search; sizes grow with rows)."""
    low, high = 0, batch.num_rows
    while low < high:
        middle = (low + high + 1) // 2
        if pa.ipc.get_record_batch_size(batch.slice(0, middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return batch.slice(0, low)


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
    """Every public view of the snapshot with its columns, types and one-line descriptions, in documented order."""
    try:
        with console_connection(snapshot) as con:
            rows = con.execute(queries.SNAPSHOT_VIEW_COLUMNS).fetchall()
    except FileNotFoundError:
        return []
    order = {name: index for index, name in enumerate(PUBLIC_VIEWS)}
    found = [SchemaColumn(view, column, kind, column_description(view, column))
             for view, column, kind in rows if view in order]
    return sorted(found, key=lambda item: order[item.view])


# The server's side of the query workers: a small pool of `python -m pipelines.sql_worker` processes.

_FRAME = struct.Struct("!Q")
REPLY_HEADER_LIMIT = 1 * MEGABYTE
"""The pickled outcome sent ahead of the rows: a message or a result with an empty table."""
START_SECONDS = 60.0
"""How long a new worker may take to import DuckDB and say it is ready (the machine may be busy)."""
_ROOT = Path(__file__).resolve().parents[1]


class _WorkerLost(Exception):
    """The worker ended without an answer (killed by its memory limit or a crash) or was killed at the time
    limit (`timed_out`)."""

    def __init__(self, timed_out: bool) -> None:
        super().__init__("timed out" if timed_out else "worker ended")
        self.timed_out = timed_out


def send_frame(channel: socket.socket, payload: bytes | memoryview) -> None:
    channel.sendall(_FRAME.pack(len(payload)))
    channel.sendall(payload)


def receive_frame(channel: socket.socket, limit: int, deadline: float | None = None) -> bytearray:
    """One length-prefixed message of at most `limit` bytes, read straight into its own buffer; EOFError when
    the other end is gone, TimeoutError at the deadline (time.monotonic), ValueError when over the limit."""
    length = _FRAME.unpack(bytes(_receive_exactly(channel, _FRAME.size, deadline)))[0]
    if length > limit:
        raise ValueError(f"message of {length} bytes over the {limit} byte limit")
    return _receive_exactly(channel, length, deadline)


def _receive_exactly(channel: socket.socket, length: int, deadline: float | None) -> bytearray:
    buffer = bytearray(length)
    view = memoryview(buffer)
    received = 0
    while received < length:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            channel.settimeout(remaining)
        count = channel.recv_into(view[received:])
        if count == 0:
            raise EOFError
        received += count
    return buffer


RETIRE_GROWTH_BYTES = 64 * MEGABYTE
"""A worker whose address space is more than this above a fresh worker's is replaced: a large query leaves its heap
and DuckDB's buffers mapped, and the next user's small query then failed at the address-space limit with a false
"needs more than 2 GB" (a fresh worker with the snapshot open already maps about three quarters of it)."""
_fresh_address_space: int | None = None
"""The smallest address space any worker had after its first query: what a fresh worker maps."""


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    channel: socket.socket
    queries: int = 0

    def grown(self) -> bool:
        """Whether the worker maps more than RETIRE_GROWTH_BYTES above a fresh worker (after a query)."""
        global _fresh_address_space
        size = _address_space(self.process.pid)
        self.queries += 1
        if size is None:
            return False
        if self.queries == 1:
            _fresh_address_space = min(_fresh_address_space or size, size)
        return size > _fresh_address_space + RETIRE_GROWTH_BYTES

    @classmethod
    def start(cls) -> _Worker:
        server_end, worker_end = socket.socketpair()
        environment = os.environ | {
            "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread arena otherwise
            "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
        }
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "pipelines.sql_worker", str(worker_end.fileno()), str(MEMORY_LIMIT)],
                pass_fds=[worker_end.fileno()], env=environment, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            worker_end.close()
        worker = cls(process, server_end)
        try:
            if pickle.loads(receive_frame(server_end, 1024, time.monotonic() + START_SECONDS)) != "ready":
                raise EOFError
        except (EOFError, TimeoutError, ValueError, OSError):
            worker.kill()
            raise
        return worker

    def run(self, request: dict) -> QueryResult | QueryError:
        deadline = time.monotonic() + request["time_limit"] + KILL_GRACE_SECONDS
        try:
            self.channel.settimeout(None)  # the last answer's deadline must not cut this request short
            send_frame(self.channel, pickle.dumps(request))
            outcome = pickle.loads(receive_frame(self.channel, REPLY_HEADER_LIMIT, deadline))
            if isinstance(outcome, QueryError):
                return outcome
            rows = receive_frame(self.channel, request["byte_limit"] + REPLY_HEADER_LIMIT, deadline)
        except TimeoutError:
            raise _WorkerLost(timed_out=True) from None
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            raise _WorkerLost(timed_out=False) from None
        table = pa.ipc.open_stream(pa.py_buffer(rows)).read_all()  # no copy: the table uses the buffer
        return QueryResult(table, outcome.elapsed_seconds, outcome.truncated, outcome.byte_capped)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.channel.close()


class _WorkerPool:
    """Up to WORKERS live workers, reused query after query (starting one costs about half a second); a worker
    that overran a limit is killed and replaced by a fresh one on demand."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._count = 0
        self._changed = threading.Condition()

    def take(self, wait_seconds: float) -> _Worker | None:
        deadline = time.monotonic() + wait_seconds
        with self._changed:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    self._count -= 1
                    worker.kill()
                if self._count < WORKERS:
                    self._count += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
        try:
            return _Worker.start()
        except BaseException:
            with self._changed:
                self._count -= 1
                self._changed.notify()
            raise

    def give_back(self, worker: _Worker) -> None:
        with self._changed:
            self._idle.append(worker)
            self._changed.notify()

    def discard(self, worker: _Worker, snapshot: str) -> None:
        worker.kill()
        _remove_links_of(worker.process.pid, Path(snapshot))
        with self._changed:
            self._count -= 1
            self._changed.notify()

    def close(self) -> None:
        with self._changed:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


def _address_space(pid: int) -> int | None:
    """VmSize of a process in bytes, or None where /proc does not tell."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _remove_links_of(pid: int, snapshot: Path) -> None:
    """The private links a killed worker left beside the snapshot (it had no chance to remove them)."""
    for alias in snapshot.parent.glob(f".{snapshot.name}.console-{pid}-*"):
        alias.unlink(missing_ok=True)


_pool = _WorkerPool()
atexit.register(_pool.close)

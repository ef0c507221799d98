"""Every CSV and Excel file the product writes, and `python -m pipelines export`.

The one rule for text written into a CSV or .xlsx file is `spreadsheet_text`: what the format cannot hold is
dropped and formula-like text is defused, so no spreadsheet runs it. `csv_bytes` and `xlsx_bytes` write a frame
with it (the dashboard's downloads, the SQL page, the audit log), `safe_for_spreadsheet` makes a frame safe
(the CLI's CSV output), `stream_rows` streams a query's rows (`scores`), the templates write their cells
through `spreadsheet_text`.

`python -m pipelines export` writes every public view to Parquet, .xlsx or CSV files, for the analysts' own tools.
It reads the analyst snapshot (pipelines.snapshot), never the live file, so an export of any size never
holds up an upload.  One file per view, `<view>.<ext>` (`<view>_<year>.<ext>` with a fiscal year).
CSV is UTF-8 with a byte-order mark and .xlsx one sheet per file, both with formula-like text defused;
Parquet keeps the exact types (lists, timestamps, full-precision scores).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb

from pipelines import queries
from pipelines.lazy import lazy_module
from pipelines.view_docs import PUBLIC_VIEWS

np = lazy_module("numpy")
pd = lazy_module("pandas")

FORMATS = ("parquet", "xlsx", "csv")
EXCEL_MAX_ROWS = 1_048_575
"""Data rows one worksheet holds below its header row."""
CSV_CHUNK_ROWS = 100_000
"""Rows converted at a time, so that memory stays flat however long the view is."""

# --- the one rule for every CSV and .xlsx the product writes -------------------------------------------

_FORMULA_TRIGGERS = frozenset("=+-@\t\r")
"""A cell whose text starts with one of these may run as a formula (or a DDE command) in Excel or Calc."""
_FORBIDDEN_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The C0 control characters an .xlsx file cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE); dropped from CSV too."""
_SKIPPED_LEADING = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Unicode categories a spreadsheet or a reader may drop or not show in front of a formula: controls, format
characters (byte-order mark, zero-width space and joiners, direction marks) and spaces of every width."""


def spreadsheet_text(text: str) -> str:
    """The one rule for text written into a CSV or .xlsx file: normalise it first (drop the control characters
    the format cannot hold), then neutralise it: text that starts with = + - @ tab or CR, also behind leading
    spaces, controls or invisible characters, and in full-width or small forms (＝ U+FF1D, ﹢ U+FE62 ...),
    gets a single quote in front, so that no spreadsheet runs it as a formula."""
    text = _FORBIDDEN_IN_XLSX.sub("", text)
    return "'" + text if _starts_like_formula(text) else text


def _starts_like_formula(text: str) -> bool:
    if text[:1] in _FORMULA_TRIGGERS:
        return True
    first = next((char for char in text if unicodedata.category(char) not in _SKIPPED_LEADING), "")
    return unicodedata.normalize("NFKC", first)[:1] in _FORMULA_TRIGGERS


def _defuse(value: object) -> object:
    return spreadsheet_text(value) if isinstance(value, str) else value


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot run as spreadsheet formulas (`spreadsheet_text`); numbers
    stay numbers."""
    safe = frame.copy()
    safe.columns = [_defuse(str(name)) for name in safe.columns]
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            safe[name] = column.map(_defuse, na_action="ignore").astype(object)
    return safe


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _exportable(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists ("2, 7") become text and timezone-aware times naive, which CSV and Excel cannot hold otherwise.
    DuckDB and Arrow hand LIST cells (kpi_catalogue.pmqa) to pandas as numpy arrays, Python code as lists."""
    frame = frame.copy()
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object and column.map(lambda v: _is_list(v), na_action="ignore").any():
            frame[name] = column.map(
                lambda v: ", ".join("" if x is None else str(x) for x in v) if _is_list(v) else v
            )
        elif isinstance(column.dtype, pd.DatetimeTZDtype):
            frame[name] = column.dt.tz_localize(None)
    return frame


CSV_LINE_END = "\r\n"
"""Rows end in CR LF (RFC 4180): then a cell holding a lone CR is quoted, and cannot start a row of its own
(with LF endings Python's csv writer leaves a CR unquoted, and `'\r=1+1` became a row starting `=1+1`)."""


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Thai text correctly."""
    return safe_for_spreadsheet(_exportable(frame)).to_csv(index=False, lineterminator=CSV_LINE_END
                                                           ).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """One sheet, text made safe by `spreadsheet_text` (which also drops what the xlsx format forbids)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_for_spreadsheet(_exportable(frame)).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


# --- a query's rows streamed to CSV or JSON (python -m pipelines scores) --------------------------------

STREAM_BATCH_ROWS = 10_000
"""Rows fetched at a time when a query's result is streamed: memory stays flat however many rows there are."""


def stream_rows(
    cursor: duckdb.DuckDBPyConnection, file_format: str, out: TextIO,
    formatters: Mapping[str, Callable[[object], object]] | None = None,
) -> int:
    """Write the rows of an executed query to `out` as CSV (formula-safe, CR LF, no byte-order mark: a pipe's
    reader decodes it) or a JSON array, batch by batch; returns the rows written. Nothing is written when the
    result is empty, so the caller can say "no data" instead. `formatters` turn a column's raw values into what
    is written (e.g. scores to four decimals in CSV)."""
    columns = [column[0] for column in cursor.description]
    convert = [(formatters or {}).get(name) for name in columns]
    batch = cursor.fetchmany(STREAM_BATCH_ROWS)
    if not batch:
        return 0
    writer = csv.writer(out, lineterminator=CSV_LINE_END) if file_format == "csv" else None
    if writer:
        writer.writerow([spreadsheet_text(name) for name in columns])
    else:
        out.write("[")
    rows = 0
    while batch:
        for row in batch:
            values = [value if fn is None else fn(value) for fn, value in zip(convert, row, strict=True)]
            if writer:
                writer.writerow([_csv_cell(value) for value in values])
            else:
                out.write(("\n " if rows == 0 else ",\n ") + json.dumps(
                    dict(zip(columns, values, strict=True)), ensure_ascii=False, default=_json_value))
            rows += 1
        batch = cursor.fetchmany(STREAM_BATCH_ROWS)
    if not writer:
        out.write("\n]\n")
    return rows


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_text(value)
    if isinstance(value, (float, Decimal)):
        return "" if value != value else f"{value:.4f}"
    return value


def _json_value(value: object) -> object:
    """What json cannot write itself: DuckDB's decimals as numbers, dates and anything else as text."""
    return float(value) if isinstance(value, Decimal) else str(value)


# --- python -m pipelines export ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedView:
    view: str
    rows: int
    path: Path | None  # None: not written (see `problem`)
    problem: str = ""


def export_views(
    source: Path, out_dir: Path, file_format: str, fiscal_year: int | None = None
) -> tuple[str | None, list[ExportedView]]:
    """Write every public view of the published snapshot `source` (read_source.snapshot_to_export); returns when
    the data was published and what was written per view."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(source), read_only=True) as con:
        published = con.execute(queries.SNAPSHOT_PUBLISHED_AT).fetchone()[0]
        present = {row[0] for row in con.execute(queries.SNAPSHOT_VIEW_COLUMNS).fetchall()}
        exported = [_export_view(con, view, out_dir, file_format, fiscal_year)
                    for view in PUBLIC_VIEWS if view in present]
    return published, exported


def view_relation(
    con: duckdb.DuckDBPyConnection, view: str, fiscal_year: int | None
) -> duckdb.DuckDBPyRelation:
    """The view, narrowed to one fiscal year when it has that column (org_units and org_tree have not)."""
    relation = con.table(view)
    if fiscal_year is not None and "fiscal_year" in relation.columns:
        relation = relation.filter(duckdb.ColumnExpression("fiscal_year") == duckdb.ConstantExpression(fiscal_year))
    return relation


def write_csv(relation: duckdb.DuckDBPyRelation, path: Path) -> None:
    """UTF-8 with a byte-order mark and defused formulas (csv_bytes), written chunk by chunk."""
    reader = relation.to_arrow_reader(CSV_CHUNK_ROWS)
    with path.open("wb") as out:
        first = True
        for batch in reader:
            chunk = csv_bytes(batch.to_pandas())
            if not first:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[1]  # BOM and header once only
            out.write(chunk)
            first = False
        if first:  # no rows: the header alone
            out.write(csv_bytes(relation.limit(0).df()))


def _export_view(
    con: duckdb.DuckDBPyConnection, view: str, out_dir: Path, file_format: str, fiscal_year: int | None
) -> ExportedView:
    relation = view_relation(con, view, fiscal_year)
    rows = relation.count("*").fetchall()[0][0]
    stem = view if fiscal_year is None else f"{view}_{fiscal_year}"
    target = out_dir / f"{stem}.{file_format}"
    if file_format == "xlsx" and rows > EXCEL_MAX_ROWS:
        return ExportedView(view, rows, None, f"{rows:,} rows do not fit one Excel sheet ({EXCEL_MAX_ROWS:,}); "
                                              "use --format parquet or csv, or --fiscal-year")
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        if file_format == "parquet":
            relation.to_parquet(str(temporary))
        elif file_format == "csv":
            write_csv(relation, temporary)
        else:
            temporary.write_bytes(xlsx_bytes(relation.df(), sheet_name=view))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return ExportedView(view, rows, target)

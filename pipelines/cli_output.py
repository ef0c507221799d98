"""What the CLI prints: a frame in the format asked for, and `scores` streamed or one page of a table at a time.

`scores` never holds the whole result: CSV and JSON are streamed batch by batch (`export.stream_rows`), Parquet
is written by DuckDB straight to its file, and a table prints one page of `TABLE_PAGE_ROWS` rows (a screen's
worth of text, not the 100 MB a ministry's KPI table would be) with a line saying how to get the rest.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import duckdb

from pipelines import export
from pipelines.scoring import format_score

TABLE_PAGE_ROWS = 500
"""Rows a `--format table` page prints; above it the command says which page it printed and how to get more."""

SCORE_COLUMNS = ("score",)


def print_frame(frame, output_format: str) -> None:
    """A small result (a backtest, a forecast) as CSV, JSON or an aligned table."""
    if output_format == "csv":
        export.safe_for_spreadsheet(frame).to_csv(sys.stdout, index=False, float_format="%.4f",
                                                  lineterminator=export.CSV_LINE_END)
    elif output_format == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        print(json.dumps(records, ensure_ascii=False, indent=1, default=str))
    else:
        print(frame.to_string(index=False, na_rep="–", float_format=lambda v: f"{v:,.4f}"))


def write_query(con: duckdb.DuckDBPyConnection, query: str, params: list, output_format: str,
                output: Path | None, no_data: str, page: int = 1) -> int:
    """The query's rows in the format asked for, to `output` or stdout; returns the rows written. When it wrote
    none, it says why on stderr: `no_data` when the query has no row (whatever the page), or that a table's page is
    past the last. Scores are written with four decimals (scoring.format_score) in CSV and a table, as numbers in
    JSON and Parquet."""
    if output_format == "table":
        return _print_page(con, query, params, page, no_data)
    rows = _write_rows(con, query, params, output_format, output)
    if not rows:
        print(no_data, file=sys.stderr)
    return rows


def _write_rows(con: duckdb.DuckDBPyConnection, query: str, params: list, output_format: str,
                output: Path | None) -> int:
    if output_format == "parquet":
        return _write_parquet(con, query, params, output)
    formatters = {name: _csv_score for name in SCORE_COLUMNS} if output_format == "csv" else None
    if output is None:
        return export.stream_rows(con.execute(query, params), output_format, sys.stdout, formatters)
    # A file is opened by people too: Excel reads a CSV's Thai only after a byte-order mark.
    encoding = "utf-8-sig" if output_format == "csv" else "utf-8"
    with output.open("w", encoding=encoding, newline="") as out:
        rows = export.stream_rows(con.execute(query, params), output_format, out, formatters)
    if not rows:
        output.unlink()
    return rows


def _score_text(score: object) -> str:
    return format_score(None if score is None else float(score))


def _csv_score(score: object) -> str | None:
    """Four decimals as text; an unscored KPI's cell stays empty."""
    return None if score is None else _score_text(score)


def _write_parquet(con: duckdb.DuckDBPyConnection, query: str, params: list, output: Path) -> int:
    rows = con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0]
    if rows:
        con.sql(query, params=params).write_parquet(str(output))
    return rows


def _print_page(con: duckdb.DuckDBPyConnection, query: str, params: list, page: int, no_data: str) -> int:
    total = con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0][0]
    pages = -(-total // TABLE_PAGE_ROWS)
    if not total:
        print(no_data, file=sys.stderr)
        return 0
    if page > pages:
        print(f"ไม่มีหน้า {page:,} (มี {pages:,} หน้า) / there is no page {page:,} ({pages:,} pages)",
              file=sys.stderr)
        return 0
    first = (page - 1) * TABLE_PAGE_ROWS
    cursor = con.execute(query.rstrip() + "\nLIMIT ? OFFSET ?", [*params, TABLE_PAGE_ROWS, first])
    columns = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    shown = [[_table_cell(name, value) for name, value in zip(columns, row, strict=True)] for row in rows]
    print(text_table(columns, shown))
    if pages > 1:
        last = first + len(rows)
        following = (f"หน้าถัดไป: --page {page + 1} / next: --page {page + 1}; " if page < pages else "")
        print(f"แสดงแถว {first + 1:,}–{last:,} จาก {total:,} แถว (หน้า {page:,}/{pages:,}) / rows {first + 1:,}–"
              f"{last:,} of {total:,} (page {page:,}/{pages:,}). {following}"
              "ทุกแถว / every row: --format csv|json|parquet", file=sys.stderr)
    return len(rows)


def _table_cell(column: str, value: object) -> str:
    if column in SCORE_COLUMNS:
        return _score_text(value)
    if value is None or value != value:
        return "–"
    if isinstance(value, float) or type(value).__name__ == "Decimal":
        return f"{value:,.2f}"
    return str(value)


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Thai vowels and tone marks above or below a consonant take none, wide
    (CJK) characters two."""
    return sum(0 if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def text_table(columns: list[str], rows: list[list[str]]) -> str:
    """Rows under their headers, each column as wide as its widest cell (in display width), numbers right-aligned
    like a spreadsheet's."""
    widths = [max([display_width(name)] + [display_width(row[i]) for row in rows]) for i, name in enumerate(columns)]
    numeric = [all(_looks_numeric(row[i]) for row in rows) for i in range(len(columns))]

    def line(cells: list[str]) -> str:
        gaps = [" " * (width - display_width(cell)) for cell, width in zip(cells, widths, strict=True)]
        padded = [gap + cell if right else cell + gap for cell, gap, right in zip(cells, gaps, numeric, strict=True)]
        return "  ".join(padded).rstrip()

    return "\n".join([line(list(columns))] + [line(row) for row in rows])


def _looks_numeric(cell: str) -> bool:
    return cell == "–" or cell.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()

"""`python -m pipelines export`: every public view to Parquet, .xlsx or CSV files, for the analysts' own tools.

Reads the analyst snapshot (pipelines.snapshot), never the live file, so an export of any size never
holds up an upload.  One file per view, `<view>.<ext>` (`<view>_<year>.<ext>` with a fiscal year).
CSV is UTF-8 with a byte-order mark and .xlsx one sheet per file, both with formula-like text defused
(pipelines.reports); Parquet keeps the exact types (lists, timestamps, full-precision scores).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import queries, read_source, reports, snapshot
from pipelines.view_docs import PUBLIC_VIEWS

FORMATS = ("parquet", "xlsx", "csv")
EXCEL_MAX_ROWS = 1_048_575
"""Data rows one worksheet holds below its header row."""
CSV_CHUNK_ROWS = 100_000
"""Rows converted at a time, so that memory stays flat however long the view is."""


@dataclass(frozen=True)
class ExportedView:
    view: str
    rows: int
    path: Path | None  # None: not written (see `problem`)
    problem: str = ""


def export_views(
    db_path: str | os.PathLike, out_dir: Path, file_format: str, fiscal_year: int | None = None
) -> tuple[str | None, list[ExportedView]]:
    """Write every public view; returns when the data was published and what was written per view."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    source = read_source.fresh_snapshot(db_path)  # republished first if it misses a commit
    if not source.exists():
        snapshot.publish_file(db_path)
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
    """UTF-8 with a byte-order mark and defused formulas (reports.csv_bytes), written chunk by chunk."""
    reader = relation.to_arrow_reader(CSV_CHUNK_ROWS)
    with path.open("wb") as out:
        first = True
        for batch in reader:
            chunk = reports.csv_bytes(batch.to_pandas())
            if not first:
                chunk = chunk.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[1]  # BOM and header once only
            out.write(chunk)
            first = False
        if first:  # no rows: the header alone
            out.write(reports.csv_bytes(relation.limit(0).df()))


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
            temporary.write_bytes(reports.xlsx_bytes(relation.df(), sheet_name=view))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return ExportedView(view, rows, target)

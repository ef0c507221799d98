"""`python -m pipelines scores` at any size: CSV and JSON streamed batch by batch, Parquet written by DuckDB, a
table one page at a time with a line saying how to get the rest (issue 12: 5M rows printed 102 MB of text)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from support import run_cli

from pipelines import cli_output, export, reports

FY, Q = "2568", "2"


def view_rows(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(reports.SCORE_QUERIES["kpi"], [int(FY), int(Q)]).fetchall()


def test_csv_is_the_same_in_small_batches_and_has_every_row(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--format", "csv") == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(export, "STREAM_BATCH_ROWS", 7)
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--format", "csv") == 0
    assert capsys.readouterr().out == whole
    rows = list(csv.reader(io.StringIO(whole)))
    expected = view_rows(demo_db)
    assert len(rows) == 1 + len(expected) > 8
    assert [row[:2] for row in rows[1:]] == [[unit, kpi] for unit, kpi, *_ in expected]
    unscored = next(row for row in rows[1:] if row[8] == "not_reported")
    assert unscored[6] == ""  # an unscored KPI's score stays empty, not "–"


def test_json_is_one_array_of_every_row(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "STREAM_BATCH_ROWS", 5)
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)
    expected = view_rows(demo_db)
    assert [(r["unit_code"], r["kpi_code"], r["score"]) for r in records] == [(u, k, s) for u, k, _, _, _, _, s, *_
                                                                              in expected]


def test_table_prints_one_page_and_says_how_to_get_the_rest(
    demo_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_output, "TABLE_PAGE_ROWS", 10)
    total = len(view_rows(demo_db))
    pages = -(-total // 10)
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi") == 0
    first = capsys.readouterr()
    assert len(first.out.strip().splitlines()) == 1 + 10
    assert f"1–10 of {total}" in first.err and "--page 2" in first.err and "--format csv|json|parquet" in first.err
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--page", str(pages)) == 0
    last = capsys.readouterr()
    assert len(last.out.strip().splitlines()) == 1 + total - (pages - 1) * 10
    assert "next" not in last.err
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--page",
                   str(pages + 1)) == 1
    assert f"there is no page {pages + 1} ({pages} pages)" in capsys.readouterr().err


def test_parquet_needs_a_file_and_holds_every_row(demo_db: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--format", "parquet") == 1
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / "kpi.parquet"
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--by", "kpi", "--format", "parquet",
                   "-o", str(out)) == 0
    assert duckdb.sql(f"SELECT unit_code, kpi_code FROM '{out}'").fetchall() == [r[:2] for r in view_rows(demo_db)]
    empty = tmp_path / "none.parquet"
    assert run_cli(demo_db, "scores", "--fiscal-year", "2590", "--quarter", Q, "--format", "parquet",
                   "-o", str(empty)) == 1
    assert not empty.exists() and "no data" in capsys.readouterr().err


def test_a_csv_file_gets_a_byte_order_mark_for_excel(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "units.csv"
    assert run_cli(demo_db, "scores", "--fiscal-year", FY, "--quarter", Q, "--format", "csv", "-o", str(out)) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfunit_code,")


def test_streaming_scores_imports_no_pandas(demo_db: Path) -> None:
    code = ("import sys; from pipelines import cli; "
            f"code = cli.main(['--db', {str(demo_db)!r}, 'scores', '--fiscal-year', '{FY}', '--quarter', '{Q}', "
            "'--by', 'kpi', '--format', 'csv']); "
            "print(code, [m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules], file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "0 []"


def test_a_table_lines_up_thai_text_by_what_the_screen_shows() -> None:
    table = cli_output.text_table(["name", "score"], [["ผู้บังคับบัญชา", "3.0000"], ["กอง", "–"]])
    assert cli_output.display_width("ผู้บังคับบัญชา") == 9 and len("ผู้บังคับบัญชา") == 14
    # the scores are right-aligned, so every line ends in the same screen column only if Thai was measured right
    assert {cli_output.display_width(line) for line in table.splitlines()} == {9 + 2 + 6}

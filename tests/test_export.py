"""`python -m pipelines export`: every public view to Parquet, .xlsx or CSV, from the snapshot, readable by
pandas, DuckDB and Excel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from pipelines import export, snapshot
from pipelines.view_docs import PUBLIC_VIEWS
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[1]


def view_rows(db: Path, view: str, where: str = "") -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {view} {where}").fetchone()[0]


@pytest.mark.parametrize("file_format", export.FORMATS)
def test_every_public_view_is_written_with_all_its_rows(sample_db: Path, tmp_path: Path, file_format: str) -> None:
    out = tmp_path / "out"
    assert run_cli(sample_db, "export", "--format", file_format, "--out", str(out)) == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{view}.{file_format}" for view in PUBLIC_VIEWS)
    for view in PUBLIC_VIEWS:
        path = out / f"{view}.{file_format}"
        if file_format == "parquet":
            written = len(pd.read_parquet(path))
        elif file_format == "csv":
            written = len(pd.read_csv(path, encoding="utf-8-sig"))
        else:
            written = openpyxl.load_workbook(path, read_only=True).active.max_row - 1
        assert written == view_rows(sample_db, view), view


def test_parquet_keeps_types_and_full_precision_scores(sample_db: Path, tmp_path: Path) -> None:
    assert run_cli(sample_db, "export", "--format", "parquet", "--out", str(tmp_path)) == 0
    with duckdb.connect() as con:
        exported = con.execute(f"SELECT * FROM '{tmp_path}/kpi_results.parquet' ORDER BY ALL").fetchall()
        pmqa = con.execute(f"SELECT pmqa FROM '{tmp_path}/kpi_catalogue.parquet' WHERE kpi_code = 'P-01'").fetchall()
    with duckdb.connect(str(sample_db), read_only=True) as con:
        assert exported == con.execute("SELECT * FROM kpi_results ORDER BY ALL").fetchall()
    assert pmqa == [([2, 7],)]
    frame = pd.read_parquet(tmp_path / "unit_scores.parquet")
    plan_q2 = frame.query("unit_code == 'PLAN' and quarter == 2")["score"].iloc[0]
    assert plan_q2 == pytest.approx(0.6 * 3.25 + 0.4 * (2 + 2 / 3))


def test_csv_opens_in_excel_with_thai_text_and_no_formulas(sample_db: Path, tmp_path: Path) -> None:
    assert run_cli(sample_db, "export", "--format", "csv", "--out", str(tmp_path)) == 0
    raw = (tmp_path / "org_units.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    assert "กองแผนงาน" in raw.decode("utf-8-sig")
    catalogue = pd.read_csv(tmp_path / "kpi_catalogue.csv", encoding="utf-8-sig")
    assert catalogue.loc[catalogue["kpi_code"] == "P-01", "pmqa"].iloc[0] == "2, 7"


def test_xlsx_defuses_text_that_looks_like_a_formula(sample_db: Path, tmp_path: Path) -> None:
    upload = tmp_path / "plan_q3.csv"
    upload.write_text("division,fiscal_year,quarter,kpi_code,actual,note\n"
                      "PLAN,2568,3,P-01,70,\"=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(upload)) == 0
    assert run_cli(sample_db, "export", "--format", "xlsx", "--out", str(tmp_path / "x")) == 0
    sheet = openpyxl.load_workbook(tmp_path / "x" / "kpi_results.xlsx").active
    notes = [cell.value for cell in sheet["J"] if cell.value and "HYPERLINK" in str(cell.value)]
    assert notes and all(note.startswith("'=") for note in notes)
    assert sheet.title == "kpi_results"


def test_fiscal_year_narrows_every_view_that_has_one(sample_db: Path, tmp_path: Path) -> None:
    assert run_cli(sample_db, "export", "--format", "parquet", "--out", str(tmp_path), "--fiscal-year", "2025") == 0
    assert (tmp_path / "kpi_results_2568.parquet").exists()  # CE 2025 is fiscal year 2568
    assert pd.read_parquet(tmp_path / "kpi_results_2568.parquet")["fiscal_year"].unique().tolist() == [2568]
    assert len(pd.read_parquet(tmp_path / "org_units_2568.parquet")) == 3  # no fiscal_year column: whole
    assert run_cli(sample_db, "export", "--format", "parquet", "--out", str(tmp_path / "none"),
                   "--fiscal-year", "2560") == 0
    assert len(pd.read_parquet(tmp_path / "none" / "kpi_results_2560.parquet")) == 0


def test_export_reads_the_snapshot_so_a_held_live_file_does_not_stop_it(sample_db: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
                               "print('holding', flush=True); time.sleep(60)", str(sample_db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(sample_db), "export", "--format",
                               "csv", "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 0, done.stderr
    assert "kpi_results.csv: 12 rows" in done.stdout and "data as of" in done.stdout


def test_a_view_too_long_for_one_sheet_is_named_and_the_others_written(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 10)
    assert run_cli(sample_db, "export", "--format", "xlsx", "--out", str(tmp_path)) == 1
    assert "kpi_results: ไม่ได้เขียน / not written: 12 rows do not fit one Excel sheet" in capsys.readouterr().err
    assert not (tmp_path / "kpi_results.xlsx").exists() and (tmp_path / "org_units.xlsx").exists()


def test_export_publishes_a_missing_snapshot_first(sample_db: Path, tmp_path: Path) -> None:
    snapshot.snapshot_path(sample_db).unlink()
    assert run_cli(sample_db, "export", "--format", "parquet", "--out", str(tmp_path)) == 0
    assert snapshot.snapshot_path(sample_db).exists() and (tmp_path / "kpi_results.parquet").exists()


def test_long_csv_is_written_in_chunks_with_one_header(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", 5)
    assert run_cli(sample_db, "export", "--format", "csv", "--out", str(tmp_path)) == 0
    raw = (tmp_path / "kpi_results.csv").read_bytes()
    assert raw.count(b"\xef\xbb\xbf") == 1 and raw.count(b"fiscal_year,quarter") == 1
    exported = pd.read_csv(tmp_path / "kpi_results.csv", encoding="utf-8-sig")
    with duckdb.connect(str(sample_db), read_only=True) as con:
        live = con.execute("SELECT * FROM kpi_results").df()
    assert len(exported) == len(live) == 12
    assert sorted(exported["score"].dropna().round(4)) == sorted(live["score"].dropna().round(4))

"""Validating a submission reads only what its own unit needs (issue 12): the spellings of the unit the file names
and that unit's KPIs (plus the KPIs its codes name), never every unit and the whole year's catalogue; the result
is the same as against everything. A small upload through the command line never imports pyarrow or pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import ROOT

from pipelines import db, ingest
from pipelines.validate import Period


def prepared(db_path: Path, name: str, text: str, given: Period = Period()) -> tuple[ingest.PreparedFile, tuple]:
    files = [(name, text.encode("utf-8"))]
    with db.open_db(db_path, read_only=True) as con:
        read = ingest.read_files(files)
        inputs = ingest.validation_inputs(con, read, given)
        return ingest.prepare_files(con, files, given)[0], inputs


def test_a_file_named_by_the_thai_name_reads_only_its_unit_and_its_kpis(sample_db: Path) -> None:
    item, (units, catalogues) = prepared(sample_db, "law.csv",
                                         "หน่วยงาน,ปีงบประมาณ,ไตรมาส,รหัสตัวชี้วัด,ผลการดำเนินงาน\nกองกฎหมาย,2568,3,L-01,4\n")
    assert not item.problems
    assert (item.submission.unit_code, item.submission.fiscal_year, item.submission.quarter) == ("LAW", 2568, 3)
    assert set(units.values()) == {"LAW"}  # not AG or PLAN
    assert list(catalogues) == [2568]
    assert list(catalogues[2568]) == ["L-01"]  # not PLAN's P-01 and P-02


def test_another_units_kpi_is_still_named_as_not_owned_and_a_lower_case_code_still_found(sample_db: Path) -> None:
    item, (_, catalogues) = prepared(
        sample_db, "LAW_2568_Q3.csv", "รหัสตัวชี้วัด,ผลการดำเนินงาน\nl-01,4\nP-01,50\nX-99,1\n")
    assert set(catalogues[2568]) == {"L-01", "P-01"}  # its own KPI and the one its codes name
    reasons = {(problem.row, problem.reason_en) for problem in item.problems}
    assert reasons == {(3, "KPI not owned by unit LAW"), (4, "KPI code not in this fiscal year's catalogue")}


def test_a_file_whose_codes_are_all_unknown_is_still_checked_against_the_catalogue(sample_db: Path) -> None:
    item, (_, catalogues) = prepared(sample_db, "ag.csv", "รหัสตัวชี้วัด,ผลการดำเนินงาน\nX-01,4\n",
                                     Period("AG", 2568, 3))
    assert catalogues[2568] == {}  # AG owns no KPI and X-01 is none: an empty part, not "no catalogue"
    assert [problem.reason_en for problem in item.problems] == ["KPI code not in this fiscal year's catalogue"]


def test_a_small_upload_through_the_command_line_imports_neither_pyarrow_nor_pandas(sample_db: Path,
                                                                                    tmp_path: Path) -> None:
    upload = tmp_path / "law_q3.csv"
    upload.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,3,L-01,4\n", encoding="utf-8")
    script = ("import sys; from pipelines import cli, forecast; forecast.refresh_table = lambda con: None; "
              f"status = cli.main(['--db', {str(sample_db)!r}, 'ingest', {str(upload)!r}]); "
              "print(status, sorted(name for name in ('pyarrow', 'pandas') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr[-2000:]
    with db.open_db(sample_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM submission WHERE unit_code = 'LAW' AND quarter = 3").fetchone() == (1,)

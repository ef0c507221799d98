"""Catalogue files (DOMAIN §5): accepted layouts, every rejection, warnings, reloading a year."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.support import SAMPLES, run_cli

HEADER = "fiscal_year,kpi_code,name_th,dimension,pmqa,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5\n"


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def org_db(tmp_path: Path) -> Path:
    db = tmp_path / "bsc.duckdb"
    assert run_cli(db, "orgs", str(SAMPLES / "orgs_th.csv")) == 0
    return db


def write(tmp_path: Path, text: str, name: str = "cat.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_thai_sample_catalogue_loads_with_dimension_number_and_thai_words(org_db: Path) -> None:
    assert run_cli(org_db, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")) == 0
    rows = query(org_db, "SELECT kpi_code, dimension, pmqa, owner_code, direction, kind, weight, t1, t5, target "
                         "FROM kpi_catalogue ORDER BY kpi_code")
    assert rows == [
        ("L-01", "service_quality", [1, 6], "LAW", "higher", "milestone", 100.0, None, None, 3.0),
        ("P-01", "effectiveness", [2, 7], "PLAN", "higher", "numeric", 60.0, 50.0, 90.0, 70.0),
        ("P-02", "efficiency", [4], "PLAN", "lower", "numeric", 40.0, 20.0, 8.0, 14.0),
    ]


def test_two_row_header_with_merged_threshold_group_is_understood(org_db: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "ตัวชี้วัดตามคำรับรองการปฏิบัติราชการ ปีงบประมาณ พ.ศ. 2568"
    heads = ["ปีงบประมาณ", "รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "มิติ", "หมวด PMQA", "หน่วยงานรับผิดชอบ", "หน่วยนับ",
             "ทิศทาง", "ประเภท", "น้ำหนัก"]
    for column, text in enumerate(heads, start=1):
        sheet.cell(3, column, text)
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    sheet.cell(3, 11, "เกณฑ์การให้คะแนน")
    sheet.merge_cells(start_row=3, start_column=11, end_row=3, end_column=15)
    for level in range(1, 6):
        sheet.cell(4, 10 + level, level)
    sheet.cell(3, 16, "ค่าเป้าหมาย")
    sheet.merge_cells(start_row=3, start_column=16, end_row=4, end_column=16)
    sheet.append([2568, "P-01", "ร้อยละโครงการ", 1, "2,7", "PLAN", "ร้อยละ", "มากดี", "ตัวเลข", 100,
                  50, 60, 70, 80, 90, 75])
    path = tmp_path / "cat.xlsx"
    book.save(path)
    assert run_cli(org_db, "catalogue", str(path)) == 0
    assert query(org_db, "SELECT t1, t2, t3, t4, t5, target FROM kpi_catalogue") == [(50, 60, 70, 80, 90, 75)]


def test_ce_year_in_catalogue_means_the_same_be_fiscal_year(org_db: Path, tmp_path: Path) -> None:
    text = HEADER + "2025,P-01,x,1,,PLAN,ร้อยละ,higher,numeric,100,1,2,3,4,5\n"
    assert run_cli(org_db, "catalogue", write(tmp_path, text)) == 0
    assert query(org_db, "SELECT DISTINCT fiscal_year FROM kpi_catalogue") == [(2568,)]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("2568,P-01,x,มิติที่ห้า,,PLAN,%,higher,numeric,100,1,2,3,4,5", "unknown dimension"),
        ("2568,P-01,x,1,,NOBODY,%,higher,numeric,100,1,2,3,4,5", "unknown owner"),
        ("2568,P-01,x,1,,PLAN,%,higher,numeric,100,1,2,2,4,5", "thresholds t1..t5 must all be given and strictly "
                                                               "increasing for direction higher"),
        ("2568,P-01,x,1,,PLAN,%,lower,numeric,100,1,2,3,4,5", "strictly decreasing for direction lower"),
        ("2568,P-01,x,1,,PLAN,%,higher,numeric,100,1,2,,4,5", "must all be given"),
        ("2568,P-01,x,1,9,PLAN,%,higher,numeric,100,1,2,3,4,5", "PMQA categories must be numbers 1–7"),
        ("2568,P-01,x,1,,PLAN,%,higher,numeric,heavy,1,2,3,4,5", "weight must be a number"),
        ("2568,P-01,x,1,,PLAN,%,higher,numeric,60,1,2,3,4,5\n2568,P-01,y,1,,PLAN,%,higher,numeric,40,1,2,3,4,5",
         "duplicate KPI code (also on row 2)"),
        ("2568,P-01,x,1,,PLAN,%,higher,numeric,60,1,2,3,4,5\n2567,P-02,y,1,,PLAN,%,higher,numeric,40,1,2,3,4,5",
         "one catalogue file must hold one fiscal year"),
    ],
)
def test_catalogue_rejections(org_db: Path, tmp_path: Path, capsys, row: str, expected: str) -> None:
    assert run_cli(org_db, "catalogue", write(tmp_path, HEADER + row + "\n")) == 1
    assert expected in capsys.readouterr().err
    assert query(org_db, "SELECT count(*) FROM kpi_catalogue") == [(0,)]


def test_weights_not_summing_to_100_warn_but_load(org_db: Path, tmp_path: Path, capsys) -> None:
    text = HEADER + "2568,P-01,x,1,,PLAN,%,higher,numeric,70,1,2,3,4,5\n"
    assert run_cli(org_db, "catalogue", write(tmp_path, text)) == 0
    assert "weights of PLAN sum to 70, not 100" in capsys.readouterr().err


def test_reload_that_drops_a_submitted_kpi_is_rejected_with_the_list(sample_db: Path, tmp_path: Path, capsys) -> None:
    text = HEADER + "2568,P-01,x,1,,PLAN,ร้อยละ,higher,numeric,100,50,60,70,80,90\n"
    assert run_cli(sample_db, "catalogue", write(tmp_path, text)) == 1
    errors = capsys.readouterr().err
    assert "PLAN P-02" in errors and "LAW L-01" in errors
    assert query(sample_db, "SELECT count(*) FROM kpi_catalogue") == [(3,)]


def test_reload_with_new_thresholds_rescores_stored_results(sample_db: Path, tmp_path: Path) -> None:
    text = (HEADER
            + "2568,P-01,x,1,,PLAN,ร้อยละ,higher,numeric,60,60,65,70,75,80\n"
            + "2568,P-02,y,3,4,PLAN,วัน,lower,numeric,40,20,17,14,11,8\n"
            + "2568,L-01,z,2,,LAW,ระดับ,higher,milestone,100,,,,,\n")
    assert run_cli(sample_db, "catalogue", write(tmp_path, text)) == 0
    rows = query(sample_db, "SELECT score, status FROM kpi_results WHERE quarter = 2 AND kpi_code = 'P-01'")
    assert rows == [(3.5, "on_track")]  # 72.5 between 70 and 75
    history = query(sample_db, "SELECT score FROM submission_values WHERE quarter = 1 AND kpi_code = 'P-01'")
    assert history == [(1.0 + 1 / 5,)]  # 61 between 60 and 65


def test_a_catalogue_read_once_is_read_again_as_soon_as_its_rows_change(sample_db: Path) -> None:
    """Validation keeps each year's catalogue between uploads (pipelines.catalogue.recent_catalogue) and must
    see any change to its rows, whoever writes them, before the next file is validated."""
    from pipelines import catalogue, db

    with db.open_db(sample_db) as con:
        first = catalogue.Catalogues(con)[2568]
        assert catalogue.Catalogues(con)[2568] is first  # unchanged rows: kept
        con.execute("UPDATE kpi SET t5 = 99 WHERE fiscal_year = 2568 AND kpi_code = 'P-01'")
        changed = catalogue.Catalogues(con)[2568]
        assert changed is not first and changed["P-01"].thresholds[4] == 99
        con.execute("DELETE FROM kpi_owner WHERE fiscal_year = 2568 AND kpi_code = 'P-01'")
        assert catalogue.Catalogues(con)[2568]["P-01"].owners == ()
        with pytest.raises(TypeError):
            changed["X"] = changed["P-01"]  # shared between uploads, so read-only

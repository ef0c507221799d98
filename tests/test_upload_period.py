"""The period rule of an upload (issue 10 items 1, 7, 8): a unit, fiscal year or quarter the file names (header
block, columns, or the template's file name <unit>_<year>_Q<quarter>) that differs from what the upload form or
the CLI options give is refused, naming both; the page has one period picker, takes every format the CLI reads,
refuses other files itself, and clears the uploader after a save."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, ingest, validate
from pipelines.validate import Period
from tests.accounts_support import (
    CSV_MIME,
    XLSX_MIME,
    add_accounts,
    filled_template,
    page,
    query,
    signed_in,
    texts,
)
from tests.conftest import SAMPLES, run_cli

PLAN_ACTUALS = {"P-01": 75, "P-02": 12}
PLAN_NOTES = {"P-01": "ต่ำกว่าเป้า: เร่งรัดโครงการ", "P-02": "ล่าช้า: ปรับแผน"}
Q3_IN_FILE_TH = "ไฟล์นี้เป็นของไตรมาส 3/2568 แต่เลือกไตรมาส 4/2568 ไว้"
Q3_IN_FILE_EN = "This file is for Q3/2568 but Q4/2568 is selected"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


def prepare(db_path: Path, name: str, data: bytes, given: Period) -> ingest.PreparedFile:
    with db.open_db(db_path, read_only=True) as con:
        return ingest.prepare_files(con, [(name, data)], given)[0]


def reasons(item: ingest.PreparedFile) -> list[str]:
    return [f"{problem.reason_th} / {problem.reason_en}" for problem in item.problems]


def plan_template(db_path: Path, quarter: int, unit: str = "PLAN") -> bytes:
    actuals = PLAN_ACTUALS if unit == "PLAN" else {"L-01": 3}
    return filled_template(db_path, unit, 2568, quarter, actuals)


# --- the rule, in pipelines.validate -------------------------------------------------------------

def test_a_header_block_naming_another_quarter_is_refused_naming_both(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "corrected.xlsx", plan_template(empty_catalogue_db, 3), Period("PLAN", 2568, 4))
    assert item.submission is None
    assert len(item.problems) == 1
    problem = item.problems[0]
    assert Q3_IN_FILE_TH in problem.reason_th and "ที่หัวแบบฟอร์ม" in problem.reason_th
    assert Q3_IN_FILE_EN in problem.reason_en and "in the form header" in problem.reason_en
    assert (problem.row, problem.field) == (None, "quarter")


def test_a_header_block_naming_another_year_or_unit_is_refused_naming_both(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "q3.xlsx", plan_template(empty_catalogue_db, 3), Period("PLAN", 2567, 3))
    assert any("ไฟล์นี้เป็นของไตรมาส 3/2568 แต่เลือกไตรมาส 3/2567 ไว้" in reason for reason in reasons(item))
    item = prepare(empty_catalogue_db, "law.xlsx", plan_template(empty_catalogue_db, 3, "LAW"), Period("PLAN", 2568, 3))
    assert item.submission is None
    assert any("ไฟล์นี้เป็นของหน่วยงาน LAW แต่เลือกหน่วยงาน PLAN ไว้" in reason
               and "This file is for unit LAW but PLAN is selected" in reason for reason in reasons(item))


def test_a_header_block_that_agrees_with_the_form_is_accepted(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "q3.xlsx", plan_template(empty_catalogue_db, 3), Period("PLAN", 2568, 3))
    assert item.problems == []
    assert (item.submission.unit_code, item.submission.fiscal_year, item.submission.quarter) == ("PLAN", 2568, 3)


COLUMNS_Q3 = b"division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,3,P-01,75\nPLAN,2568,3,P-02,12\n"


def test_columns_naming_another_quarter_are_refused_once_naming_both(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "plan.csv", COLUMNS_Q3, Period("PLAN", 2568, 4))
    assert item.submission is None
    assert [(p.row, p.column, p.value, p.field) for p in item.problems] == [(2, "quarter [C]", "3", "quarter")]
    assert Q3_IN_FILE_TH in item.problems[0].reason_th and "ในแถว 2" in item.problems[0].reason_th
    assert Q3_IN_FILE_EN in item.problems[0].reason_en


def test_columns_that_agree_with_the_form_are_accepted(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "plan.csv", COLUMNS_Q3, Period("PLAN", 2568, 3))
    assert item.problems == [] and item.submission.quarter == 3


NO_PERIOD_COLUMNS = b"kpi_code,actual\nP-01,75\nP-02,12\n"


@pytest.mark.parametrize("name", ["PLAN_2568_Q3.csv", "PLAN_2568_Q3 (1).csv", "plan_2568_q3.csv",
                                  "report_2568_Q3.csv"])
def test_a_file_name_naming_another_quarter_is_refused_naming_both(empty_catalogue_db: Path, name: str) -> None:
    item = prepare(empty_catalogue_db, name, NO_PERIOD_COLUMNS, Period("PLAN", 2568, 4))
    assert item.submission is None
    assert [(p.column, p.value, p.field) for p in item.problems] == [("ชื่อไฟล์", name, "quarter")]
    assert Q3_IN_FILE_TH in item.problems[0].reason_th and "ในชื่อไฟล์" in item.problems[0].reason_th
    assert Q3_IN_FILE_EN in item.problems[0].reason_en and "in the file name" in item.problems[0].reason_en


def test_a_file_name_naming_another_unit_is_refused(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "LAW_2568_Q4.csv", NO_PERIOD_COLUMNS, Period("PLAN", 2568, 4))
    assert any("ไฟล์นี้เป็นของหน่วยงาน LAW แต่เลือกหน่วยงาน PLAN ไว้ (ในชื่อไฟล์)" in r for r in reasons(item))


@pytest.mark.parametrize("name", ["PLAN_2568_Q4.csv", "PLAN_2025_Q4.csv", "plan.csv", "PLAN_2568_Q45.csv"])
def test_a_file_name_that_agrees_or_names_nothing_is_accepted(empty_catalogue_db: Path, name: str) -> None:
    item = prepare(empty_catalogue_db, name, NO_PERIOD_COLUMNS, Period("PLAN", 2568, 4))
    assert item.problems == [] and item.submission.quarter == 4


def test_the_file_name_rule_reads_the_templates_own_naming() -> None:
    units = {"PLAN": "PLAN", "กองแผนงาน": "PLAN"}
    assert validate.named_in_file_name("PLAN_2568_Q3.xlsx", units) == {
        "division": "PLAN", "fiscal_year": 2568, "quarter": 3}
    assert validate.named_in_file_name("/tmp/x/PLAN_2025_q1 (2).ods", units) == {
        "division": "PLAN", "fiscal_year": 2568, "quarter": 1}
    assert validate.named_in_file_name("JPP_2568_Q3.xlsx", units) == {"fiscal_year": 2568, "quarter": 3}
    for other in ("submission_plan_q2_libreoffice.xlsx", "PLAN_2568_Q5.xlsx", "PLAN_1234_Q2.xlsx", "PLAN_Q2.xlsx"):
        assert validate.named_in_file_name(other, units) == {}


def test_a_file_that_contradicts_itself_is_refused_when_nothing_is_given(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "PLAN_2568_Q2.csv", COLUMNS_Q3, Period())
    assert any("quarter differs from the quarter in the file name (2)" in reason for reason in reasons(item))


# --- the CLI obeys the same rule -----------------------------------------------------------------

def test_cli_options_that_disagree_with_the_file_are_refused(
    empty_catalogue_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "PLAN_2568_Q3.xlsx"
    path.write_bytes(plan_template(empty_catalogue_db, 3))
    assert run_cli(empty_catalogue_db, "ingest", str(path), "--quarter", "4", "--by", "plan.head") == 1
    err = capsys.readouterr().err
    assert Q3_IN_FILE_TH in err and Q3_IN_FILE_EN in err
    assert query(empty_catalogue_db, "SELECT count(*) FROM submission") == [(0,)]
    assert query(empty_catalogue_db, "SELECT outcome, quarter, channel FROM audit_log WHERE action = 'upload'") == [
        ("rejected", 4, "cli")]
    assert run_cli(empty_catalogue_db, "ingest", str(path), "--quarter", "3", "--division", "PLAN") == 0
    assert run_cli(empty_catalogue_db, "ingest", str(path)) == 0  # identical: nothing new
    assert query(empty_catalogue_db, "SELECT unit_code, quarter, version FROM submission") == [("PLAN", 3, 1)]


def test_cli_takes_the_period_from_the_file_name_alone(
    empty_catalogue_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "PLAN_2568_Q2.csv"
    path.write_bytes(NO_PERIOD_COLUMNS)
    assert run_cli(empty_catalogue_db, "ingest", str(path)) == 0
    assert query(empty_catalogue_db, "SELECT unit_code, fiscal_year, quarter FROM submission") == [
        ("PLAN", 2568, 2)]

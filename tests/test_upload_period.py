"""The period rule of an upload (issue 10 items 1, 7, 8, 9): a unit, fiscal year or quarter the file names (header
block, columns, or the template's file name <unit>_<year>_Q<quarter>) that differs from what the upload form or
the CLI options give is refused, naming both; the page has one period picker, takes every format the CLI reads,
refuses other files itself, and clears the uploader after a save. Closing a quarter needs a reason; the admin
periods page says so, spaces its messages and heads its timeliness table in Thai."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import db, ingest, periods, validate
from pipelines.validate import Period
from tests.accounts_support import (
    ROOT,
    XLSX_MIME,
    add_accounts,
    filled_template,
    page,
    query,
    signed_in,
    texts,
)
from tests.support import run_cli
from tests.test_real_world_files import FIXTURES, write_ods

PLAN_ACTUALS = {"P-01": 75, "P-02": 12}
PLAN_NOTES = {"P-01": "ต่ำกว่าเป้า: เร่งรัดโครงการ", "P-02": "ล่าช้า: ปรับแผน"}
Q3_IN_FILE_TH = "ไฟล์นี้เป็นของไตรมาส 3/2568 แต่เลือกไตรมาส 4/2568 ไว้"
Q3_IN_FILE_EN = "This file is for Q3/2568 but Q4/2568 is selected"


pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


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


def test_columns_naming_another_year_and_quarter_are_one_problem_naming_both_periods(empty_catalogue_db: Path) -> None:
    data = b"division,fiscal_year,quarter,kpi_code,actual\nPLAN,2567,3,P-01,75\nPLAN,2567,3,P-02,12\n"
    item = prepare(empty_catalogue_db, "plan.csv", data, Period("PLAN", 2568, 4))
    assert [(p.row, p.column, p.field) for p in item.problems] == [(2, "quarter [C]", "quarter")]
    assert "ไฟล์นี้เป็นของไตรมาส 3/2567 แต่เลือกไตรมาส 4/2568 ไว้" in item.problems[0].reason_th


def test_columns_that_agree_with_the_form_are_accepted(empty_catalogue_db: Path) -> None:
    item = prepare(empty_catalogue_db, "plan.csv", COLUMNS_Q3, Period("PLAN", 2568, 3))
    assert item.problems == [] and item.submission.quarter == 3


NO_PERIOD_COLUMNS = b"kpi_code,actual\nP-01,75\nP-02,12\n"


@pytest.mark.parametrize("name", ["PLAN_2568_Q3.csv", "PLAN_2568_Q3 (1).csv", "plan_2568_q3.csv",
                                  "report_2568_Q3.csv", "แก้ไข_PLAN_2568_Q3.csv"])
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
    assert validate.named_in_file_name("good_PLAN_2568_Q3_v2.xlsx", units) == {
        "division": "PLAN", "fiscal_year": 2568, "quarter": 3}
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


# --- the upload page -----------------------------------------------------------------------------

@pytest.fixture
def fresh_db(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Org units, the 2568 catalogue, the test accounts; nothing submitted. The pages read env BSC_DB."""
    add_accounts(empty_catalogue_db)
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


def upload_page(db_path: Path, quarter: int | None = None, **params: str) -> AppTest:
    app = signed_in(page("upload.py"), db_path, "plan.head")
    app.query_params.update(params)
    app.run()
    if quarter is not None:
        app.selectbox(key="upload_fiscal_year").set_value(2568)
        app.selectbox(key="upload_quarter").set_value(quarter)
        app.run()
    return app


def drop(app: AppTest, name: str, data: bytes, mime: str = XLSX_MIME) -> AppTest:
    app.file_uploader[0].set_value((name, data, mime))
    return app.run()


def confirm(app: AppTest) -> AppTest:
    next(button for button in app.button if button.key == "upload_confirm").click()
    return app.run()


def stored(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT unit_code, quarter, version FROM submission ORDER BY submission_id")


def test_a_q3_file_dropped_when_the_page_proposes_q4_is_refused_not_stored_as_q4(fresh_db: Path) -> None:
    app = confirm(drop(upload_page(fresh_db, quarter=3), "PLAN_2568_Q3.xlsx",
                       filled_template(fresh_db, "PLAN", 2568, 3, PLAN_ACTUALS, PLAN_NOTES)))
    assert stored(fresh_db) == [("PLAN", 3, 1)]

    app = upload_page(fresh_db)  # signed in again: the page proposes the next quarter
    assert (app.selectbox(key="upload_fiscal_year").value, app.selectbox(key="upload_quarter").value) == (2568, 4)
    corrected = filled_template(fresh_db, "PLAN", 2568, 3, {"P-01": 80, "P-02": 12}, PLAN_NOTES)
    app = drop(app, "PLAN_2568_Q3.xlsx", corrected)
    assert not app.exception
    assert texts(app, "error")[0].startswith("พบปัญหา 2 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ")
    warnings = texts(app, "warning")
    assert any(Q3_IN_FILE_TH in text and "ที่หัวแบบฟอร์ม" in text for text in warnings)
    assert any(Q3_IN_FILE_TH in text and "ในชื่อไฟล์" in text for text in warnings)
    assert not any(button.key == "upload_confirm" for button in app.button)
    assert stored(fresh_db) == [("PLAN", 3, 1)]
    assert query(fresh_db, "SELECT outcome, quarter FROM audit_log WHERE action = 'upload' ORDER BY event_id") == [
        ("success", 3), ("rejected", 4)]

    app = drop(upload_page(fresh_db, lang="en"), "corrected.xlsx", corrected)
    assert any(Q3_IN_FILE_EN in text for text in texts(app, "warning"))

    app = confirm(drop(upload_page(fresh_db, quarter=3), "PLAN_2568_Q3.xlsx", corrected))
    assert stored(fresh_db) == [("PLAN", 3, 1), ("PLAN", 3, 2)]  # with Q3 chosen it is version 2 of Q3


def test_the_upload_page_shows_one_period_picker_and_the_sidebar_keeps_its_own(
    fresh_db: Path
) -> None:
    app = signed_in(AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60), fresh_db, "plan.head")
    app.run()
    app.selectbox(key="filter_quarter").set_value(3)
    app.run()
    app.switch_page("app_pages/upload.py").run()
    assert not app.exception
    keys = [box.key for box in app.selectbox]
    assert "upload_quarter" in keys and "upload_fiscal_year" in keys
    assert not {"filter_fiscal_year", "filter_quarter", "filter_unit"} & set(keys)
    assert "หน้านี้เลือกหน่วยงาน ปีงบประมาณ และไตรมาสในแบบฟอร์มของหน้าเอง" in texts(app, "caption")
    app.switch_page("app_pages/overview.py").run()
    assert app.selectbox(key="filter_quarter").value == 3  # the dashboard's own choice survives the visit


def test_every_format_the_cli_reads_is_taken_and_others_are_refused_in_thai_and_audited(fresh_db: Path) -> None:
    app = upload_page(fresh_db, quarter=2)
    assert not app.file_uploader[0].proto.type  # any file reaches the page: Streamlit refuses none in English
    assert "เลือกไฟล์ .xlsx .ods .xls .xlsb .xlsm .csv" in app.file_uploader[0].label
    app = drop(app, "report.pdf", b"%PDF-1.7 a report", "application/pdf")
    assert texts(app, "error") == ["พบปัญหา 1 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่"]
    assert texts(app, "warning") == ["รับเฉพาะไฟล์ .xlsx .ods .xls .xlsb .xlsm .csv — ไฟล์ .pdf ใช้ไม่ได้ "
                                     "บันทึกเป็น Excel หรือ CSV แล้วอัปโหลดใหม่"]
    assert query(fresh_db, "SELECT outcome, detail FROM audit_log WHERE action = 'upload'") == [
        ("rejected", "report.pdf: 1 problem(s) / พบ 1 ปัญหา: รับเฉพาะไฟล์ .xlsx .ods .xls .xlsb .xlsm .csv — ไฟล์ .pdf "
                     "ใช้ไม่ได้ บันทึกเป็น Excel หรือ CSV แล้วอัปโหลดใหม่ / only .xlsx .ods .xls .xlsb .xlsm .csv files are "
                     "accepted, not .pdf: save it as Excel or CSV and upload it again")]

    rows = [["หน่วยงาน", "ปีงบประมาณ", "ไตรมาส", "รหัสตัวชี้วัด", "ผลการดำเนินงาน"],
            ["PLAN", 2568, 2, "P-01", 75], ["PLAN", 2568, 2, "P-02", 12]]
    ods = write_ods(fresh_db.parent / "PLAN_2568_Q2.ods", rows).read_bytes()
    app = drop(app, "PLAN_2568_Q2.ods", ods, "application/vnd.oasis.opendocument.spreadsheet")
    assert texts(app, "success") == ["ไฟล์ถูกต้อง (2 แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก"]
    app = drop(app, "plan.xls", (FIXTURES / "submission_plan_q2_excel97.xls").read_bytes(), "application/vnd.ms-excel")
    assert texts(app, "success") == ["ไฟล์ถูกต้อง (2 แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก"]


def test_the_admin_data_page_refuses_other_file_types_in_thai_and_audits_them(fresh_db: Path) -> None:
    app = signed_in(page("admin_data.py"), fresh_db, "admin").run()
    assert not app.file_uploader(key="admin_orgs_file").proto.type
    app.file_uploader(key="admin_orgs_file").set_value(("orgs.docx", b"PK\x03\x04 word", "application/msword"))
    app.run()
    assert texts(app, "error") == ["พบปัญหา 1 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่"]
    reasons_shown = [frame.value for frame in app.dataframe if "reason" in frame.value.columns][0]["reason"]
    assert reasons_shown.tolist() == ["รับเฉพาะไฟล์ .xlsx .ods .xls .xlsb .xlsm .csv — ไฟล์ .docx ใช้ไม่ได้ "
                                      "บันทึกเป็น Excel หรือ CSV แล้วอัปโหลดใหม่"]
    assert query(fresh_db, "SELECT action, outcome FROM audit_log WHERE channel = 'web' AND action = 'orgs_load'") == [
        ("orgs_load", "rejected")]


def test_after_a_save_the_uploader_is_empty_and_the_next_file_replaces_the_result(fresh_db: Path) -> None:
    app = drop(upload_page(fresh_db, quarter=2), "PLAN_2568_Q2.xlsx",
               filled_template(fresh_db, "PLAN", 2568, 2, PLAN_ACTUALS, PLAN_NOTES))
    app = confirm(app)
    assert texts(app, "success") == ["บันทึกแล้ว: PLAN_2568_Q2.xlsx เป็นฉบับที่ 1 ของไตรมาส 2/2568"]
    assert texts(app, "info") == []  # not also "identical to the latest version": the file is gone
    assert [uploader.value for uploader in app.file_uploader if uploader.key.startswith("upload_file")] == [None]
    assert not any(button.key == "upload_confirm" for button in app.button)

    app = drop(app, "PLAN_2568_Q2_v2.xlsx",
               filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 85, "P-02": 12}, PLAN_NOTES))
    assert texts(app, "success") == ["ไฟล์ถูกต้อง (2 แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก"]
    assert "ข้อมูลที่จะบันทึก" in texts(app, "subheader")
    app = confirm(app)
    assert texts(app, "success") == ["บันทึกแล้ว: PLAN_2568_Q2_v2.xlsx เป็นฉบับที่ 2 ของไตรมาส 2/2568"]
    assert stored(fresh_db) == [("PLAN", 2, 1), ("PLAN", 2, 2)]


# --- closing a quarter needs a reason; the admin periods page ------------------------------------

@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_a_quarter_without_a_reason_is_refused(empty_catalogue_db: Path, reason: str) -> None:
    with db.open_db(empty_catalogue_db) as con:
        problems = periods.close_period(con, 2568, 2, by="admin", reason=reason)
        assert [(p.field, p.reason_th, p.reason_en) for p in problems] == [
            ("reason", "ต้องระบุเหตุผลในการปิดรับข้อมูล", "closing a quarter needs a reason")]
        assert not periods.period_state(con, 2568, 2).is_closed
    assert query(empty_catalogue_db, "SELECT count(*) FROM audit_log WHERE action = 'period_close'") == [(0,)]


def test_cli_close_without_a_reason_is_refused_and_with_one_says_so_spaced(
    empty_catalogue_db: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run_cli(empty_catalogue_db, "periods", "close", "--fiscal-year", "2568", "--quarter", "2") == 1
    assert "ต้องระบุเหตุผลในการปิดรับข้อมูล / closing a quarter needs a reason" in capsys.readouterr().err
    assert run_cli(empty_catalogue_db, "periods", "close", "--fiscal-year", "2568", "--quarter", "2",
                   "--reason", "ส่งผลแล้ว") == 0
    assert "ปิดรับข้อมูลไตรมาส 2/2568 แล้ว / closed" in capsys.readouterr().out


def admin_periods(db_path: Path, quarter: int) -> AppTest:
    app = signed_in(page("admin_periods.py"), db_path, "admin").run()
    app.selectbox(key="period_year").set_value(2568)
    app.selectbox(key="period_quarter").set_value(quarter)
    return app.run()


def click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click()
    return app.run()


def test_the_periods_page_refuses_an_empty_closing_reason_and_spaces_its_messages(fresh_db: Path) -> None:
    app = click(admin_periods(fresh_db, 2), "ปิดรับข้อมูล")
    assert texts(app, "error") == ["ต้องระบุเหตุผลในการปิดรับข้อมูล"]
    with db.open_db(fresh_db, read_only=True) as con:
        assert not periods.period_state(con, 2568, 2).is_closed
    app.text_area(key="close_reason").input("ส่งผลให้ ก.พ.ร. แล้ว")
    app = click(app, "ปิดรับข้อมูล")
    assert texts(app, "success") == ["ปิดรับข้อมูลไตรมาส 2/2568 แล้ว"]
    app.text_area(key="reopen_reason").input("LAW แก้ไขตัวเลข")
    app = click(app, "เปิดรับข้อมูลอีกครั้ง")
    assert texts(app, "success") == ["เปิดรับข้อมูลไตรมาส 2/2568 อีกครั้งแล้ว"]


def test_the_timeliness_table_heads_the_unit_column_in_thai_and_shows_no_none(fresh_db: Path) -> None:
    app = admin_periods(fresh_db, 3)  # nothing submitted: no version, no first submission
    element = next(frame for frame in app.dataframe if "timeliness" in frame.value.columns)
    labels = {name: config.get("label") for name, config in json.loads(element.proto.columns).items()}
    assert labels["unit_name"] == "หน่วยงาน" and "หน่วยนับ" not in labels.values()
    shown = element.value
    assert shown[["unit_code", "unit_name", "latest_version", "timeliness"]].values.tolist() == [
        ["PLAN", "กองแผนงาน", "–", "ยังไม่ส่ง"], ["LAW", "กองกฎหมาย", "–", "ยังไม่ส่ง"]]
    assert not shown.isna().any().any()

"""Entering a quarter's results on the upload page (กรอกบนหน้าเว็บ) and the "my tasks" box (งานของฉัน), driven as a
division head reaches them: the form through AppTest (edits seeded as the browser's editor sends them), saved
through the same submission path as a file, and the overview through dashboard/app.py."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import parse_qsl

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, ingest, periods, scoring, tasks, web_entry, workflows
from pipelines.templates import DATA_SHEET_TITLE, FIRST_DATA_ROW
from tests.accounts_support import ACCOUNTS, add_accounts, log_in_through_form, page, query, signed_in, texts

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)

FIVE_KPIS = "\n".join([
    "ปีงบประมาณ,รหัสตัวชี้วัด,ชื่อตัวชี้วัด,มิติ,หมวด PMQA,หน่วยงานรับผิดชอบ,หน่วยนับ,ทิศทาง,ประเภท,น้ำหนัก,"
    "เกณฑ์ระดับ 1,เกณฑ์ระดับ 2,เกณฑ์ระดับ 3,เกณฑ์ระดับ 4,เกณฑ์ระดับ 5",
    "2568,P-01,ร้อยละของโครงการที่ดำเนินการตามแผน,มิติด้านประสิทธิผล,2,PLAN,ร้อยละ,มากดี,numeric,30,50,60,70,80,90",
    "2568,P-02,ระยะเวลาจัดทำรายงานผล,ประสิทธิภาพ,4,PLAN,วัน,น้อยดี,numeric,20,20,17,14,11,8",
    "2568,P-03,ร้อยละความพึงพอใจของผู้รับบริการ,คุณภาพการให้บริการ,3,PLAN,ร้อยละ,มากดี,numeric,20,60,70,80,90,100",
    "2568,P-04,ระดับความสำเร็จของการจัดทำแผน,มิติด้านประสิทธิผล,2,PLAN,ระดับ,มากดี,milestone,20,,,,,",
    "2568,P-05,จำนวนผู้เข้ารับการอบรม,มิติด้านการพัฒนาองค์กร,5,PLAN,คน,มากดี,numeric,10,100,200,300,400,500",
    "2568,L-01,ระดับความสำเร็จของการปรับปรุงกฎหมาย,2,\"1,6\",LAW,ระดับ,มากดี,milestone,100,,,,,",
]) + "\n"
CODES = ["P-01", "P-02", "P-03", "P-04", "P-05"]
Q2_DEADLINE = dt.date(2025, 4, 15)
ONE_NOTE = "ปัญหา: งบประมาณล่าช้า แนวทางแก้ไข: เร่งรัดการเบิกจ่าย"


@pytest.fixture
def five_kpi_db(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PLAN owns five KPIs in 2568 (one a milestone, one lower-is-better); Q2 has a deadline; nothing submitted."""
    add_accounts(empty_catalogue_db)
    loaded = workflows.load_catalogue_file(empty_catalogue_db, "catalogue_2568.csv", FIVE_KPIS.encode(), by="test")
    assert loaded.stored, loaded.problems
    with db.open_db(empty_catalogue_db) as con:
        assert periods.set_deadline(con, 2568, 2, Q2_DEADLINE, by="test") == []
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


def form_page(db_path: Path, username: str = "plan.head", quarter: int = 2, **params: str) -> AppTest:
    app = signed_in(page("upload.py"), db_path, username)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    if not params:
        app.selectbox(key="upload_fiscal_year").set_value(2568)
        app.selectbox(key="upload_quarter").set_value(quarter)
        app.run()
    assert not app.exception
    return app


def editor(app: AppTest):
    return next(table for table in app.data_editor if (table.key or "").startswith("entry_editor_"))


def type_cells(app: AppTest, cells: dict[str, dict[str, str]]) -> AppTest:
    """What the browser's editor sends after the user typed `cells` (KPI code -> column -> text)."""
    table = editor(app)
    codes = list(table.value["kpi_code"])
    app.session_state[table.key] = {"edited_rows": {codes.index(code): change for code, change in cells.items()},
                                    "added_rows": [], "deleted_rows": []}
    return app.run()


def save(app: AppTest) -> AppTest:
    app.button(key="entry_save").click()
    return app.run()


def stored_values(db_path: Path, version: int) -> dict[str, tuple]:
    return {code: (actual, note or "", evidence or "") for code, actual, note, evidence in query(
        db_path, "SELECT v.kpi_code, v.actual, v.note, v.evidence FROM submission_value AS v "
                 "JOIN submission AS s USING (submission_id) WHERE s.unit_code = 'PLAN' AND s.fiscal_year = 2568 "
                 "AND s.quarter = 2 AND s.version = ?", [version])}


FULL_QUARTER = {  # P-02 is off track (lower is better: 19 days scores 0.33), so it carries its note
    "P-01": {"actual": "85"}, "P-02": {"actual": "19", "note": ONE_NOTE}, "P-03": {"actual": "๙๒.๕"},
    "P-04": {"actual": "4"}, "P-05": {"actual": "1,250", "evidence": "https://example.go.th/training.pdf"},
}


def test_a_division_head_completes_a_quarter_through_the_form_and_the_version_keeps_a_generated_xlsx(
    five_kpi_db: Path,
) -> None:
    app = form_page(five_kpi_db)
    assert list(editor(app).value["actual"]) == [""] * 5 and texts(app, "warning") == []  # asks nothing yet
    assert app.button(key="entry_save").disabled
    app = type_cells(app, FULL_QUARTER)
    assert not app.exception and not texts(app, "error") and not app.button(key="entry_save").disabled
    app = save(app)
    assert not app.exception
    assert any("ฉบับที่ 1" in text for text in texts(app, "success"))
    [(file_name, sha256, submitted_by)] = query(
        five_kpi_db, "SELECT file_name, sha256, submitted_by FROM submission WHERE unit_code = 'PLAN'")
    assert file_name == "PLAN_2568_Q2_web-form.xlsx" and submitted_by == "plan.head"
    values = stored_values(five_kpi_db, 1)
    assert values == {"P-01": (85.0, "", ""), "P-02": (19.0, ONE_NOTE, ""), "P-03": (92.5, "", ""),
                      "P-04": (4.0, "", ""), "P-05": (1250.0, "", "https://example.go.th/training.pdf")}
    archived = ingest.archive_path(db.uploads_dir(five_kpi_db), file_name, sha256)
    sheet = openpyxl.load_workbook(io.BytesIO(archived.read_bytes()))[DATA_SHEET_TITLE]
    reread = {sheet[f"A{row}"].value: (sheet[f"N{row}"].value, sheet[f"O{row}"].value or "",
                                       sheet[f"P{row}"].value or "")
              for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 5)}
    assert reread == values
    [(outcome, detail, channel)] = query(
        five_kpi_db, "SELECT outcome, detail, channel FROM audit_log WHERE action = 'upload'")
    assert outcome == "success" and channel == "web"
    assert "version 1" in detail and "กรอกบนหน้าเว็บ" in detail and "web form" in detail


def test_the_form_is_prefilled_from_the_latest_version_and_one_changed_cell_makes_version_2(
    five_kpi_db: Path,
) -> None:
    save(type_cells(form_page(five_kpi_db), FULL_QUARTER))
    app = form_page(five_kpi_db)
    shown = editor(app).value.set_index("kpi_code")
    assert list(shown["actual"]) == ["85", "19", "92.5", "4", "1250"]
    assert shown.at["P-02", "note"] == ONE_NOTE
    assert any("ฉบับที่ 1" in text for text in texts(app, "caption"))
    app = save(type_cells(app, {"P-01": {"actual": "88"}}))
    assert not app.exception
    first, second = stored_values(five_kpi_db, 1), stored_values(five_kpi_db, 2)
    assert {code for code in CODES if first[code] != second[code]} == {"P-01"}
    assert second["P-01"] == (88.0, "", "")


def test_an_unchanged_form_cannot_be_saved_again(five_kpi_db: Path) -> None:
    save(type_cells(form_page(five_kpi_db), FULL_QUARTER))
    app = form_page(five_kpi_db)
    assert app.button(key="entry_save").disabled
    assert app.button(key="entry_save").help == "ยังไม่มีการแก้ไขจากฉบับที่ 1"
    assert texts(app, "warning") == [] and texts(app, "error") == []


@pytest.mark.parametrize(("code", "column", "typed", "reason"), [
    ("P-01", "actual", "แปดสิบห้า", "ผลการดำเนินงานต้องเป็นตัวเลข (เว้นว่าง หรือ - หากยังไม่รายงาน)"),
    ("P-04", "actual", "7", "ตัวชี้วัดแบบขั้นตอนต้องเป็นจำนวนเต็ม 0–5 (จำนวนขั้นตอนที่ดำเนินการแล้ว)"),
    ("P-04", "actual", "2.5", "ตัวชี้วัดแบบขั้นตอนต้องเป็นจำนวนเต็ม 0–5 (จำนวนขั้นตอนที่ดำเนินการแล้ว)"),
    ("P-05", "actual", "1e400", "ผลการดำเนินงานต้องเป็นตัวเลข (เว้นว่าง หรือ - หากยังไม่รายงาน)"),
    ("P-05", "actual", "9999999999999999", "ตัวเลขใหญ่เกินไป"),
    ("P-03", "note", "ก" * 4_001, "เกินขีดจำกัด 4,000 ตัวอักษร"),
])
def test_a_value_a_file_would_refuse_is_named_in_thai_at_its_row_and_column_and_nothing_is_stored(
    five_kpi_db: Path, code: str, column: str, typed: str, reason: str,
) -> None:
    cells = {kpi: dict(change) for kpi, change in FULL_QUARTER.items()}
    cells[code][column] = typed
    app = type_cells(form_page(five_kpi_db), cells)
    [error] = texts(app, "error")
    row = CODES.index(code) + 1
    header = {"actual": "ผลการดำเนินงาน", "note": "หมายเหตุ"}[column]
    assert f"แถว {row} ({code}) คอลัมน์ {header}" in error and reason in error
    assert app.button(key="entry_save").disabled
    assert query(five_kpi_db, "SELECT count(*) FROM submission") == [(0,)]


def test_the_english_page_gives_the_files_english_reason(five_kpi_db: Path) -> None:
    app = form_page(five_kpi_db)
    app.session_state["filter_lang"] = "en"
    app = type_cells(app.run(), {"P-01": {"actual": "eighty"}})
    assert "row 1 (P-01), column Actual, value “eighty”: actual must be a number" in texts(app, "error")[0]


def test_the_live_score_and_status_are_scorings(five_kpi_db: Path) -> None:
    app = type_cells(form_page(five_kpi_db), FULL_QUARTER)
    shown = editor(app).value.set_index("kpi_code")
    kpis = {"P-01": ([50, 60, 70, 80, 90], "higher", "numeric", 85.0),
            "P-02": ([20, 17, 14, 11, 8], "lower", "numeric", 19.0),
            "P-03": ([60, 70, 80, 90, 100], "higher", "numeric", 92.5),
            "P-04": ([None] * 5, "higher", "milestone", 4.0),
            "P-05": ([100, 200, 300, 400, 500], "higher", "numeric", 1250.0)}
    expected = {code: scoring.score_result(actual, levels, direction, kind)
                for code, (levels, direction, kind, actual) in kpis.items()}
    assert {code: shown.at[code, "live_score"] for code in CODES} == {
        code: scoring.format_score(score) for code, score in expected.items()}
    assert shown.at["P-02", "live_status"] == "ต่ำกว่าเป้าหมาย" and shown.at["P-01", "live_status"] == "บรรลุเป้าหมาย"
    weighted, _ = scoring.weighted_score(zip([30, 20, 20, 20, 10], expected.values(), strict=True))
    assert app.metric[0].value == scoring.format_score(weighted)


def test_an_off_track_kpi_without_a_note_holds_the_save_as_a_file_does(five_kpi_db: Path) -> None:
    cells = {code: {"actual": change["actual"]} for code, change in FULL_QUARTER.items()}
    app = type_cells(form_page(five_kpi_db), cells)
    assert any("ยังขาดหมายเหตุของ P-02" in text for text in texts(app, "warning"))
    assert app.button(key="entry_save").disabled


def test_a_division_head_cannot_submit_for_another_unit_through_the_form(five_kpi_db: Path) -> None:
    """The page refuses a forged unit; and the workflow itself, given another unit's form, refuses and audits."""
    app = form_page(five_kpi_db, upload_unit="LAW")
    assert texts(app, "error") == ["คุณไม่มีสิทธิ์นำส่งข้อมูลของหน่วยงาน LAW (บันทึกความพยายามนี้ไว้แล้ว)"]
    assert not app.data_editor
    with db.open_db(five_kpi_db, read_only=True) as con:
        form = web_entry.entry_form(con, "LAW", 2568, 2)
        user = auth.get_user(con, "plan.head")
    stored = workflows.submit_entry(five_kpi_db, form, {"L-01": (3.0, "", "")}, by="plan.head", user=user)
    assert not stored.outcomes and [p.field for p in stored.problems] == ["permission"]
    assert query(five_kpi_db, "SELECT count(*) FROM submission") == [(0,)]
    [(outcome, detail)] = query(five_kpi_db, "SELECT outcome, detail FROM audit_log WHERE action = 'upload'")
    assert outcome == "refused" and "web form" in detail


# --- my tasks ------------------------------------------------------------------------------------


def test_my_tasks_lists_the_open_quarters_not_submitted_and_drops_one_once_submitted(five_kpi_db: Path) -> None:
    with db.open_db(five_kpi_db, read_only=True) as con:
        user = auth.get_user(con, "plan.head")
        due = tasks.my_tasks(con, user, today=dt.date(2025, 4, 20))
    assert [(task.unit_code, task.fiscal_year, task.quarter) for task in due] == [
        ("PLAN", 2568, 2), ("PLAN", 2568, 1), ("PLAN", 2568, 3)]  # Q4 has not begun; Q2's deadline comes first
    assert due[0].deadline == Q2_DEADLINE and due[0].days_left == -5 and due[0].overdue
    save(type_cells(form_page(five_kpi_db), FULL_QUARTER))
    with db.open_db(five_kpi_db) as con:
        assert [task.quarter for task in tasks.my_tasks(con, user, today=dt.date(2025, 4, 20))] == [1, 3]
        assert periods.close_period(con, 2568, 1, by="admin", reason="ปิดรอบ") == []
        assert [task.quarter for task in tasks.my_tasks(con, user, today=dt.date(2025, 4, 20))] == [3]


def test_an_executive_has_no_tasks(five_kpi_db: Path) -> None:
    with db.open_db(five_kpi_db, read_only=True) as con:
        assert tasks.my_tasks(con, auth.get_user(con, "boss")) == []


APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


def first_page(username: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app = log_in_through_form(app, username, ACCOUNTS[username][0])
    assert not app.exception
    return app


def task_links(app: AppTest) -> list:
    return list(app.get("page_link"))


def test_the_division_heads_first_page_shows_my_tasks_with_a_link_to_the_quarter(five_kpi_db: Path) -> None:
    app = first_page("plan.head")
    assert any("งานของฉัน" in text for text in texts(app, "markdown"))
    links = {link.proto.label: link.proto for link in task_links(app)}
    q2 = next(label for label in links if "ไตรมาส 2/2568" in label)  # the deadline first: listed first
    assert list(links)[0] == q2
    assert q2.startswith("ส่งผลการดำเนินงาน PLAN · กองแผนงาน ไตรมาส 2/2568 — กำหนดส่ง 15 เม.ย. 2568 (เลยกำหนดมา ")
    assert links[q2].page == "upload"
    assert dict(parse_qsl(links[q2].query_string)) == {
        "upload_unit": "PLAN", "upload_year": "2568", "upload_quarter": "2"}
    save(type_cells(form_page(five_kpi_db, upload_unit="PLAN", upload_year="2568", upload_quarter="2"),
                    FULL_QUARTER))
    labels = [link.proto.label for link in task_links(first_page("plan.head"))]
    assert labels and not any("ไตรมาส 2/2568" in label for label in labels)


def test_the_upload_page_opens_on_the_unit_and_quarter_a_task_links_to(five_kpi_db: Path) -> None:
    app = form_page(five_kpi_db, upload_unit="PLAN", upload_year="2568", upload_quarter="3")
    assert app.selectbox(key="upload_fiscal_year").value == 2568 and app.selectbox(key="upload_quarter").value == 3
    assert editor(app).key.endswith("_2568_Q3_v0")


def test_an_executive_does_not_see_the_box(five_kpi_db: Path) -> None:
    app = first_page("boss")
    assert not any("งานของฉัน" in text for text in texts(app, "markdown"))
    assert not task_links(app)


def test_a_closed_quarter_offers_no_form(five_kpi_db: Path) -> None:
    with db.open_db(five_kpi_db) as con:
        assert periods.close_period(con, 2568, 2, by="admin", reason="ส่งผลให้ ก.พ.ร. แล้ว") == []
    app = form_page(five_kpi_db)
    assert not app.data_editor and not [button for button in app.button if button.key == "entry_save"]
    assert len(texts(app, "error")) == 1 and "ปิดรับข้อมูลแล้ว" in texts(app, "error")[0]


def test_a_quarter_closed_while_the_form_is_open_stores_nothing(five_kpi_db: Path) -> None:
    app = type_cells(form_page(five_kpi_db), FULL_QUARTER)
    with db.open_db(five_kpi_db, read_only=True) as con:
        form = web_entry.entry_form(con, "PLAN", 2568, 2)
        user = auth.get_user(con, "plan.head")
    with db.open_db(five_kpi_db) as con:
        assert periods.close_period(con, 2568, 2, by="admin", reason="ส่งผลให้ ก.พ.ร. แล้ว") == []
    app = save(app)
    assert any("ปิดรับข้อมูลแล้ว" in text for text in texts(app, "error"))
    stored = workflows.submit_entry(five_kpi_db, form, web_entry.check_entries(form, form.rows).entries,
                                    by="plan.head", user=user)
    assert not stored.outcomes and [p.field for p in stored.problems] == ["closed_period"]
    assert query(five_kpi_db, "SELECT count(*) FROM submission") == [(0,)]
    assert query(five_kpi_db, "SELECT outcome FROM audit_log WHERE action = 'upload'") == [("refused",)]

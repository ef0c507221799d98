"""The upload page (นำส่งข้อมูลตัวชี้วัด) driven by AppTest: login, role and unit checks, a good file, a bad file,
a re-upload with its diff, notes for off-track KPIs, the period lock and the lockout."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, periods, uploads
from pipelines.ingest import MAX_UPLOAD_BYTES
from pipelines.validate import Period
from tests.accounts_support import (
    ACCOUNTS,
    CSV_MIME,
    XLSX_MIME,
    add_accounts,
    filled_template,
    log_in_through_form,
    page,
    query,
    signed_in,
    table,
    texts,
)
from tests.support import SAMPLES

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def fresh_db(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Org units, the 2568 catalogue, the test accounts; nothing submitted. The page reads env BSC_DB."""
    add_accounts(empty_catalogue_db)
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


@pytest.fixture
def submitted_db(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples loaded through the CLI: PLAN Q1 and Q2, LAW Q2 (version 1 each)."""
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def upload_page(db_path: Path, username: str, quarter: int = 2, **params: str) -> AppTest:
    app = signed_in(page("upload.py"), db_path, username)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    if not app.exception and app.selectbox:
        app.selectbox(key="upload_fiscal_year").set_value(2568)
        app.selectbox(key="upload_quarter").set_value(quarter)
        app.run()
    return app


def upload(app: AppTest, name: str, data: bytes, mime: str = XLSX_MIME) -> AppTest:
    app.file_uploader(key="upload_file").set_value((name, data, mime))
    return app.run()


def confirm_button(app: AppTest):
    return next((button for button in app.button if button.key == "upload_confirm"), None)


def submissions(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT unit_code, quarter, version, submitted_by FROM submission ORDER BY submission_id")


# --- login ---------------------------------------------------------------------------------------

def test_the_login_form_comes_first_and_nothing_else_is_drawn(fresh_db: Path) -> None:
    app = page("upload.py").run()
    assert not app.exception
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]
    assert not app.selectbox and not app.file_uploader and not app.dataframe


def test_login_through_the_form_opens_the_page(fresh_db: Path) -> None:
    app = log_in_through_form(page("upload.py").run(), "plan.head", ACCOUNTS["plan.head"][0])
    assert not app.exception
    assert texts(app, "title") == ["นำส่งข้อมูลตัวชี้วัด"]
    assert app.selectbox(key="upload_unit").options == ["PLAN · กองแผนงาน"]
    assert query(fresh_db, "SELECT actor, action FROM audit_log WHERE action = 'login'") == [("plan.head", "login")]


def test_wrong_password_says_so_and_counts_down(fresh_db: Path) -> None:
    app = log_in_through_form(page("upload.py").run(), "plan.head", "not-the-password")
    assert texts(app, "error") == ["ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (ลองได้อีก 4 ครั้งก่อนบัญชีถูกล็อก)"]
    assert not app.file_uploader


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(fresh_db: Path) -> None:
    app = page("upload.py").run()
    for _ in range(5):
        app = log_in_through_form(app, "plan.head", "not-the-password")
    assert "บัญชีถูกล็อกชั่วคราว 15 นาที" in texts(app, "error")[0]
    app = log_in_through_form(app, "plan.head", ACCOUNTS["plan.head"][0])
    assert "บัญชีถูกล็อกชั่วคราว 15 นาที" in texts(app, "error")[0]
    assert not app.file_uploader
    assert query(fresh_db, "SELECT locked_until IS NOT NULL FROM app_user WHERE username = 'plan.head'") == [(True,)]


def test_a_session_ended_elsewhere_returns_to_the_login_form(fresh_db: Path) -> None:
    app = upload_page(fresh_db, "plan.head")
    assert app.file_uploader
    with db.open_db(fresh_db) as con:
        auth.set_password(con, "plan.head", "changed-pass-1", by="admin")
    app.run()
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]


# --- who may upload for which unit ---------------------------------------------------------------

@pytest.mark.parametrize("username", ["boss", "ana"])
def test_executive_and_analyst_cannot_upload(fresh_db: Path, username: str) -> None:
    app = upload_page(fresh_db, username)
    assert "ไม่มีสิทธิ์เปิดหน้านี้" in texts(app, "error")[0]
    assert not app.file_uploader and not app.selectbox
    role = ACCOUNTS[username][1]
    assert query(fresh_db, "SELECT actor, outcome, detail FROM audit_log WHERE action = 'access_denied'") == [
        (username, "refused", f"page upload (role {role})")]


def test_division_head_cannot_open_another_units_upload_by_url(fresh_db: Path) -> None:
    app = upload_page(fresh_db, "plan.head", upload_unit="LAW")
    assert texts(app, "error") == ["คุณไม่มีสิทธิ์นำส่งข้อมูลของหน่วยงาน LAW (บันทึกความพยายามนี้ไว้แล้ว)"]
    assert not app.file_uploader
    assert query(fresh_db, "SELECT actor, unit_code, outcome FROM audit_log WHERE action = 'access_denied'") == [
        ("plan.head", "LAW", "refused")]


def test_division_head_cannot_upload_another_units_file(fresh_db: Path) -> None:
    """The form says PLAN; a file naming LAW is rejected, whatever the head tries."""
    app = upload_page(fresh_db, "plan.head")
    app = upload(app, "law.csv", SAMPLES.joinpath("submission_law_q2_cp874.csv").read_bytes(), CSV_MIME)
    assert "พบปัญหา" in texts(app, "error")[0]
    assert confirm_button(app) is None
    assert submissions(fresh_db) == []


def test_admin_may_upload_for_every_unit(fresh_db: Path) -> None:
    app = upload_page(fresh_db, "admin")
    assert [option.split(" · ")[0] for option in app.selectbox(key="upload_unit").options] == ["AG", "PLAN", "LAW"]


# --- the flow ------------------------------------------------------------------------------------

def test_template_download_is_the_units_workbook(fresh_db: Path) -> None:
    app = upload_page(fresh_db, "plan.head")
    button = app.get("download_button")[0]
    assert button.proto.label == "ดาวน์โหลดแบบฟอร์ม (2 ตัวชี้วัด)"


def test_good_file_is_previewed_and_stored_only_after_confirm(fresh_db: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    app = upload(upload_page(fresh_db, "plan.head"), "PLAN_2568_Q2.xlsx", data)
    assert not app.exception
    assert texts(app, "success") == ["ไฟล์ถูกต้อง (2 แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก"]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["คะแนนถ่วงน้ำหนักของหน่วยงานหากบันทึก"] == "3.0167"
    preview = table(app, "kpi_code", "name", "actual", "score", "status")
    assert preview[["kpi_code", "actual", "score"]].values.tolist() == [["P-01", "72.50", "3.2500"],
                                                                      ["P-02", "15", "2.6667"]]
    assert submissions(fresh_db) == []  # nothing before the confirmation

    confirm_button(app).click()
    app.run()
    assert not app.exception
    assert submissions(fresh_db) == [("PLAN", 2, 1, "plan.head")]
    assert texts(app, "success")[0] == "บันทึกแล้ว: PLAN_2568_Q2.xlsx เป็นฉบับที่ 1 ของไตรมาส 2/2568"
    assert {metric.label: metric.value for metric in app.metric}[
        "คะแนนถ่วงน้ำหนักของหน่วยงาน (ที่หน้าภาพรวมแสดง)"] == "3.0167"
    history = table(app, "version", "is_latest", "sha256")
    assert history[["version", "file_name", "submitted_by"]].values.tolist() == [[1, "PLAN_2568_Q2.xlsx",
                                                                                  "plan.head"]]
    assert query(fresh_db, "SELECT action, outcome, unit_code, quarter FROM audit_log WHERE action = 'upload'") == [
        ("upload", "success", "PLAN", 2)]
    # the uploader is emptied by the save: no second confirm, no "identical" note about the file just stored
    assert confirm_button(app) is None and texts(app, "info") == []
    assert app.file_uploader[0].value is None


def test_bad_file_lists_every_problem_in_thai_and_writes_nothing(fresh_db: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": "เจ็ดสิบ", "P-02": "15 วัน"})
    app = upload(upload_page(fresh_db, "plan.head"), "bad.xlsx", data)
    assert not app.exception
    assert texts(app, "error") == ["พบปัญหา 2 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่\n"
                                   "- แถว 8 คอลัมน์ ผลการดำเนินงาน [N] ค่า “เจ็ดสิบ”: ผลการดำเนินงานต้องเป็นตัวเลข "
                                   "(เว้นว่าง หรือ - หากยังไม่รายงาน)\n"
                                   "- แถว 9 คอลัมน์ ผลการดำเนินงาน [N] ค่า “15 วัน”: ผลการดำเนินงานต้องเป็นตัวเลข "
                                   "(เว้นว่าง หรือ - หากยังไม่รายงาน)"]
    problems = table(app, "sheet", "row", "column", "value", "reason")
    assert problems[["row", "value"]].values.tolist() == [[8, "เจ็ดสิบ"], [9, "15 วัน"]]
    assert set(problems["reason"]) == {"ผลการดำเนินงานต้องเป็นตัวเลข (เว้นว่าง หรือ - หากยังไม่รายงาน)"}
    preview = table(app, "row", "problem").set_index("row")
    assert preview.loc[8, "actual"] == "เจ็ดสิบ"
    assert preview.loc[8, "problem"].endswith("ผลการดำเนินงานต้องเป็นตัวเลข (เว้นว่าง หรือ - หากยังไม่รายงาน)")
    assert confirm_button(app) is None
    assert submissions(fresh_db) == []
    assert query(fresh_db, "SELECT outcome, detail LIKE 'bad.xlsx: 2 problem(s)%' FROM audit_log "
                           "WHERE action = 'upload'") == [("rejected", True)]
    app.run()  # a rerun (typing elsewhere) does not audit the same file twice
    assert query(fresh_db, "SELECT count(*) FROM audit_log WHERE action = 'upload'") == [(1,)]


def test_unreadable_file_is_one_whole_file_problem(fresh_db: Path) -> None:
    app = upload(upload_page(fresh_db, "plan.head"), "notes.csv", b"\x00\x01\x02 not a table", CSV_MIME)
    assert "ไฟล์ไม่ใช่สเปรดชีตหรือ CSV ที่อ่านได้" in texts(app, "warning")[0]
    assert submissions(fresh_db) == []


def test_file_over_ten_megabytes_is_refused_before_parsing(fresh_db: Path) -> None:
    app = upload(upload_page(fresh_db, "plan.head"), "huge.csv", b"a" * (MAX_UPLOAD_BYTES + 1), CSV_MIME)
    assert texts(app, "warning") == ["ไฟล์ใหญ่เกิน 10 MB"]
    assert submissions(fresh_db) == []


def test_reupload_shows_old_to_new_and_becomes_version_two(submitted_db: Path) -> None:
    data = filled_template(submitted_db, "PLAN", 2568, 2, {"P-01": 85, "P-02": 15})
    app = upload(upload_page(submitted_db, "plan.head"), "PLAN_Q2_fixed.xlsx", data)
    assert not app.exception
    assert texts(app, "subheader")[1:3] == ["ข้อมูลที่จะบันทึก", "การเปลี่ยนแปลงเทียบกับฉบับที่ 1"]
    changes = table(app, "kpi_code", "change", "actual", "score")
    assert changes.values.tolist() == [["P-01", "เปลี่ยน", "72.50 → 85", "3.2500 → 4.5000"]]
    confirm_button(app).click()
    app.run()
    assert [row for row in submissions(submitted_db) if row[:2] == ("PLAN", 2)] == [
        ("PLAN", 2, 1, "tester"), ("PLAN", 2, 2, "plan.head")]
    assert query(submitted_db, "SELECT actual, score FROM kpi_results WHERE unit_code = 'PLAN' AND quarter = 2 "
                               "AND kpi_code = 'P-01'") == [(85.0, 4.5)]
    history = table(app, "version", "is_latest", "sha256")
    assert history[["version", "is_latest"]].values.tolist()[:2] == [[2, True], [1, False]]
    assert app.selectbox(key="upload_history_choice")  # each earlier file can be picked for download
    assert app.get("download_button")[-1].proto.label == "ดาวน์โหลดไฟล์ที่นำส่ง"


def test_removed_value_is_shown_as_removed(submitted_db: Path) -> None:
    data = filled_template(submitted_db, "PLAN", 2568, 2, {"P-01": 72.5}, notes={"P-02": "รอผลสำรวจ"})
    app = upload(upload_page(submitted_db, "plan.head"), "PLAN_Q2_v2.xlsx", data)
    changes = table(app, "kpi_code", "change", "actual", "score")
    assert changes.values.tolist() == [["P-02", "ลบออก", "15 → –", "2.6667 → –"]]


def test_off_track_and_not_reported_kpis_need_a_note_before_confirm(fresh_db: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 55})  # P-01 off track, P-02 left empty
    app = upload(upload_page(fresh_db, "plan.head"), "PLAN_Q2.xlsx", data)
    assert [area.key for area in app.text_area] == ["upload_note_P-01", "upload_note_P-02"]
    assert confirm_button(app).disabled
    assert texts(app, "warning") == ["ยังขาดหมายเหตุของ P-01, P-02"]
    app.text_area(key="upload_note_P-01").input("ปัญหา: โครงการล่าช้าจากการจัดซื้อ แนวทางแก้ไข: เร่งรัดสัญญา")
    app.text_area(key="upload_note_P-02").input("ยังไม่ถึงรอบการวัดผล")
    app.run()
    assert not confirm_button(app).disabled
    confirm_button(app).click()
    app.run()
    assert query(fresh_db, "SELECT kpi_code, actual, status, note FROM kpi_results WHERE unit_code = 'PLAN' "
                           "AND quarter = 2 ORDER BY kpi_code") == [
        ("P-01", 55.0, "off_track", "ปัญหา: โครงการล่าช้าจากการจัดซื้อ แนวทางแก้ไข: เร่งรัดสัญญา"),
        ("P-02", None, "not_reported", "ยังไม่ถึงรอบการวัดผล"),
    ]


def test_a_note_in_the_file_is_enough(fresh_db: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 55, "P-02": 15},
                           notes={"P-01": "ปัญหา: งบประมาณล่าช้า แนวทางแก้ไข: ขอโอนงบ"})
    app = upload(upload_page(fresh_db, "plan.head"), "PLAN_Q2.xlsx", data)
    assert not app.text_area
    assert not confirm_button(app).disabled


def test_closed_quarter_says_so_and_offers_no_upload(fresh_db: Path) -> None:
    with db.open_db(fresh_db) as con:
        periods.close_period(con, 2568, 2, by="admin", reason="ส่งผลให้ ก.พ.ร. แล้ว")
    app = upload_page(fresh_db, "plan.head")
    assert texts(app, "error") == ["ไตรมาส 2/2568 ปิดรับข้อมูลแล้ว (เหตุผล: ส่งผลให้ ก.พ.ร. แล้ว) "
                                   "หากต้องแก้ไขข้อมูล ติดต่อผู้ดูแลระบบเพื่อเปิดรับอีกครั้ง"]
    assert not app.file_uploader
    app.selectbox(key="upload_quarter").set_value(3)
    app.run()
    assert app.file_uploader  # the other quarters stay open


def test_quarter_closed_between_preview_and_confirm_stores_nothing(fresh_db: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    app = upload(upload_page(fresh_db, "plan.head"), "PLAN_Q2.xlsx", data)
    with db.open_db(fresh_db) as con:
        periods.close_period(con, 2568, 2, by="admin", reason="ส่งผลให้ ก.พ.ร. แล้ว")
    confirm_button(app).click()
    app.run()
    assert texts(app, "error")[0].startswith("ไตรมาส 2/2568 ปิดรับข้อมูลแล้ว")
    assert submissions(fresh_db) == []


def test_commit_checks_the_lock_again_for_a_race_with_the_admin(fresh_db: Path, tmp_path: Path) -> None:
    data = filled_template(fresh_db, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    with db.open_db(fresh_db) as con:
        user = auth.get_user(con, "plan.head")
        prepared = uploads.prepare_uploads(con, [("PLAN_Q2.xlsx", data)], Period("PLAN", 2568, 2), user=user)
        assert prepared[0].problems == []
        periods.close_period(con, 2568, 2, by="admin", reason="ส่งผลให้ ก.พ.ร. แล้ว")
        assert uploads.commit_uploads(con, prepared, by="plan.head", archive_dir=tmp_path / "uploads") == []
    assert submissions(fresh_db) == []
    assert query(fresh_db, "SELECT outcome FROM audit_log WHERE action = 'upload'") == [("refused",)]


def test_deadline_and_timeliness_are_shown_with_the_period(fresh_db: Path) -> None:
    import datetime as dt

    with db.open_db(fresh_db) as con:
        periods.set_deadline(con, 2568, 2, dt.date(2025, 4, 15), by="admin")
    app = upload_page(fresh_db, "plan.head")
    assert texts(app, "caption")[0] == "ไตรมาส 2/2568 · กำหนดส่ง 15 เม.ย. 2568 · เลยกำหนดแล้วยังไม่ส่ง"


def test_english_labels_follow_the_language_switch(fresh_db: Path) -> None:
    app = upload_page(fresh_db, "plan.head", lang="en")
    assert texts(app, "title") == ["Submit KPI results"]


def test_streamlit_upload_limit_matches_the_pipeline_limit() -> None:
    import tomllib

    from tests.accounts_support import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


# --- single sign-on ------------------------------------------------------------------------------

SSO_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
               "client_id": "bsc", "client_secret": "secret",
               "server_metadata_url": "https://login.example.go.th/.well-known/openid-configuration"}


def sso_page(email: str | None) -> AppTest:
    app = page("upload.py")
    app.secrets["auth"] = SSO_SECRETS
    app.user = {"is_logged_in": email is not None, "email": email}
    return app.run()


def test_single_sign_on_opens_the_page_as_the_local_account_with_that_email(fresh_db: Path) -> None:
    with db.open_db(fresh_db) as con:
        auth.update_user(con, "plan.head", role="division_head", unit_code="PLAN", display_name="หัวหน้ากองแผนงาน",
                         email="plan.head@example.go.th", by="admin")
    app = sso_page("Plan.Head@example.go.th")
    assert not app.exception
    assert texts(app, "title") == ["นำส่งข้อมูลตัวชี้วัด"]
    assert query(fresh_db, "SELECT username, method FROM user_session") == [("plan.head", "sso")]


def test_single_sign_on_without_a_local_account_is_refused(fresh_db: Path) -> None:
    app = sso_page("stranger@example.go.th")
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]
    assert texts(app, "error") == ["อีเมล stranger@example.go.th ยังไม่ได้ผูกกับบัญชีผู้ใช้ในระบบ ติดต่อผู้ดูแลระบบ"]
    assert [b.label for b in app.button] == ["เข้าสู่ระบบ", "เข้าสู่ระบบด้วยบัญชีองค์กร (SSO)"]
    assert query(fresh_db, "SELECT count(*) FROM user_session") == [(0,)]


def test_without_an_auth_section_there_is_no_sso_button(fresh_db: Path) -> None:
    app = page("upload.py").run()
    assert [b.label for b in app.button] == ["เข้าสู่ระบบ"]


def test_a_database_without_accounts_says_how_to_create_the_first_admin(
    empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    app = page("upload.py").run()
    assert texts(app, "error") == ["ยังไม่มีบัญชีผู้ใช้ — สร้างผู้ดูแลระบบคนแรกด้วย "
                                   "`python -m pipelines users add admin --role admin`"]
    assert not app.text_input


def test_a_missing_database_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BSC_DB", str(tmp_path / "none.duckdb"))
    app = page("upload.py").run()
    assert "ยังไม่มีฐานข้อมูล" in texts(app, "error")[0]
    assert not (tmp_path / "none.duckdb").exists()


# --- the gate around ingest, without the page ----------------------------------------------------

def test_a_kpi_left_out_of_the_file_gets_its_note_in_a_row_of_its_own(fresh_db: Path, tmp_path: Path) -> None:
    data = b"kpi_code,actual,note\nP-01,95,\n"  # P-02 is not in the file at all
    with db.open_db(fresh_db) as con:
        prepared = uploads.prepare_uploads(con, [("plan.csv", data)], Period("PLAN", 2568, 2),
                                           user=auth.get_user(con, "plan.head"))
        assert uploads.missing_notes(prepared[0]) == ["P-02"]
        noted = uploads.with_notes(prepared[0], {"P-02": "วัดผลปลายปี", "P-01": "  "})
        assert uploads.missing_notes(noted) == []
        outcome = uploads.commit_uploads(con, [noted], by="plan.head", archive_dir=tmp_path)[0]
    assert outcome.version == 1
    assert query(fresh_db, "SELECT kpi_code, actual, status, note FROM kpi_results WHERE unit_code = 'PLAN' "
                           "AND quarter = 2 ORDER BY kpi_code") == [
        ("P-01", 95.0, "on_track", None), ("P-02", None, "not_reported", "วัดผลปลายปี")]


def test_the_cli_warns_about_missing_notes_but_stores(
    empty_catalogue_db: Path, capsys: pytest.CaptureFixture
) -> None:
    from tests.support import run_cli

    path = empty_catalogue_db.parent / "plan.csv"
    path.write_text("division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,55\nPLAN,2568,2,P-02,15\n",
                    encoding="utf-8")
    assert run_cli(empty_catalogue_db, "ingest", str(path)) == 0
    assert "P-01: ต่ำกว่าเป้าหมายหรือยังไม่รายงาน แต่ไม่มีหมายเหตุ" in capsys.readouterr().err

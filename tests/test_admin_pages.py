"""The admin pages driven by AppTest, and each role's access to each page (the server refuses and logs it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, periods, roles
from tests.accounts_support import (
    ACCOUNTS,
    CSV_MIME,
    ROLE_USER,
    ROOT,
    add_accounts,
    page,
    query,
    signed_in,
    table,
    texts,
)
from tests.support import SAMPLES

ADMIN_PAGES = ["admin_users.py", "admin_data.py", "admin_strategy.py", "admin_periods.py", "admin_audit.py"]


pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def admin_page(db_path: Path, name: str, username: str = "admin") -> AppTest:
    return signed_in(page(name), db_path, username).run()


def click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click()
    return app.run()


# --- access: every role x every page -------------------------------------------------------------

def expected_access(page_file: str, role: str) -> bool:
    return roles.may_open(role, page_file.removesuffix(".py"))


ACCOUNT_PAGES = ["upload.py", "sql.py", *ADMIN_PAGES]


@pytest.mark.parametrize("role", list(auth.ROLES))
@pytest.mark.parametrize("page_file", ACCOUNT_PAGES)
def test_each_role_reaches_exactly_its_pages(site: Path, page_file: str, role: str) -> None:
    username = ROLE_USER[role]
    app = admin_page(site, page_file, username)
    refused = any("ไม่มีสิทธิ์เปิดหน้านี้" in text for text in texts(app, "error"))
    assert refused != expected_access(page_file, role), (page_file, role, texts(app, "error"))
    assert not app.exception
    logged = query(site, "SELECT actor FROM audit_log WHERE action = 'access_denied'")
    assert logged == ([(username,)] if refused else [])


@pytest.mark.parametrize("page_file", ACCOUNT_PAGES)
def test_every_account_page_asks_for_login_first(site: Path, page_file: str) -> None:
    app = page(page_file).run()
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]
    assert not app.dataframe and not app.file_uploader


# --- users ---------------------------------------------------------------------------------------

def test_users_page_lists_accounts_without_hashes(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    users = table(app, "username", "role", "unit_code")
    assert sorted(users["username"]) == sorted(ACCOUNTS)
    assert not any("hash" in column for column in users.columns)


def test_admin_adds_a_division_head(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    app.text_input(key="add_username").input("Somchai.K")
    app.text_input(key="add_display_name").input("สมชาย ใจดี")
    app.selectbox(key="add_role").set_value("division_head")
    app.selectbox(key="add_unit").set_value("LAW")
    app.text_input(key="add_email").input("somchai@example.go.th")
    app.text_input(key="add_password").input("somchai-pass-1")
    app = click(app, "เพิ่มผู้ใช้")
    assert not app.exception
    assert texts(app, "success") == ["เพิ่มผู้ใช้ somchai.k แล้ว"]
    assert query(site, "SELECT role, unit_code, email FROM app_user WHERE username = 'somchai.k'") == [
        ("division_head", "LAW", "somchai@example.go.th")]
    with db.open_db(site) as con:
        assert auth.authenticate(con, "somchai.k", "somchai-pass-1").outcome == "ok"
    assert query(site, "SELECT actor, detail FROM audit_log WHERE action = 'user_add' AND actor = 'admin'") == [
        ("admin", "somchai.k (division_head)")]


def test_adding_a_user_with_problems_shows_them_and_adds_nobody(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    app.text_input(key="add_username").input("plan.head")
    app.selectbox(key="add_role").set_value("division_head")
    app.text_input(key="add_password").input("short")
    app = click(app, "เพิ่มผู้ใช้")
    assert texts(app, "error") == ["plan.head: มีชื่อผู้ใช้นี้แล้ว", "หัวหน้าหน่วยงานต้องระบุหน่วยงาน",
                                   "รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร"]
    assert query(site, "SELECT count(*) FROM app_user") == [(len(ACCOUNTS),)]


def test_admin_generates_a_password_shown_once(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    app.text_input(key="add_username").input("newbie")
    app.selectbox(key="add_role").set_value("analyst")
    app = click(app, "เพิ่มผู้ใช้")
    message = texts(app, "success")[0]
    password = message.split("`")[1]
    with db.open_db(site) as con:
        assert auth.authenticate(con, "newbie", password).outcome == "ok"
    app.run()
    assert not any(password in text for text in texts(app, "success"))


def test_admin_changes_role_disables_and_unlocks(site: Path) -> None:
    with db.open_db(site) as con:
        for _ in range(5):
            auth.authenticate(con, "law.head", "wrong-password")
    app = admin_page(site, "admin_users.py")
    app.selectbox(key="edit_username").set_value("law.head")
    app.run()
    app = click(app, "ปลดล็อก")
    with db.open_db(site) as con:
        assert auth.authenticate(con, "law.head", ACCOUNTS["law.head"][0]).outcome == "ok"
    app.selectbox(key="edit_role").set_value("executive")
    app.selectbox(key="edit_unit").set_value("")
    app = click(app, "บันทึกการแก้ไข")
    assert query(site, "SELECT role, unit_code FROM app_user WHERE username = 'law.head'") == [("executive", None)]
    app = click(app, "ระงับผู้ใช้")
    assert query(site, "SELECT disabled FROM app_user WHERE username = 'law.head'") == [(True,)]
    assert [b.label for b in app.button if b.key in ("enable_user", "disable_user")] == ["เปิดใช้ผู้ใช้"]


def test_admin_cannot_disable_themself(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    app.selectbox(key="edit_username").set_value("admin")
    app.run()
    assert next(b for b in app.button if b.key == "disable_user").disabled


# --- periods and deadlines -----------------------------------------------------------------------

def test_admin_closes_and_reopens_a_quarter_with_a_reason(site: Path) -> None:
    app = admin_page(site, "admin_periods.py")
    app.selectbox(key="period_year").set_value(2568)
    app.selectbox(key="period_quarter").set_value(2)
    app.run()
    app.text_area(key="close_reason").input("ส่งผลให้ ก.พ.ร. แล้ว")
    app = click(app, "ปิดรับข้อมูล")
    assert texts(app, "success") == ["ปิดรับข้อมูลไตรมาส 2/2568 แล้ว"]
    assert table(app, "period", "is_closed")["is_closed"].tolist()[:4] == ["ไม่", "ใช่", "ไม่", "ไม่"]
    app = click(app, "เปิดรับข้อมูลอีกครั้ง")  # no reason
    assert texts(app, "error") == ["ต้องระบุเหตุผลในการเปิดรับข้อมูลอีกครั้ง"]
    with db.open_db(site, read_only=True) as con:
        assert periods.period_state(con, 2568, 2).is_closed
    app.text_area(key="reopen_reason").input("LAW แก้ไขตัวเลข")
    app = click(app, "เปิดรับข้อมูลอีกครั้ง")
    assert query(site, "SELECT action, detail FROM audit_log WHERE action LIKE 'period_%' ORDER BY event_id") == [
        ("period_close", "ส่งผลให้ ก.พ.ร. แล้ว"), ("period_reopen", "LAW แก้ไขตัวเลข")]


def test_admin_sets_a_deadline_and_sees_who_was_late(site: Path) -> None:
    app = admin_page(site, "admin_periods.py")
    app.selectbox(key="period_year").set_value(2568)
    app.selectbox(key="period_quarter").set_value(2)
    app.run()
    app.text_input(key="deadline_2568_2").input("15/04/2568")
    app = click(app, "บันทึกกำหนดส่ง")
    assert query(site, "SELECT deadline FROM fiscal_period WHERE fiscal_year = 2568 AND quarter = 2") == [
        (dt.date(2025, 4, 15),)]
    status = table(app, "unit_code", "timeliness").set_index("unit_code")["timeliness"]
    assert status.to_dict() == {"PLAN": "ส่งล่าช้า", "LAW": "ส่งล่าช้า"}  # the samples were loaded today


# --- org units and catalogues --------------------------------------------------------------------

def test_admin_loads_an_org_file_after_preview(site: Path) -> None:
    data = "รหัสหน่วยงาน,ชื่อหน่วยงาน,หน่วยงานต้นสังกัด,ระดับ\nPLAN-1,กลุ่มงานแผน,PLAN,กลุ่มงาน\n".encode()
    app = admin_page(site, "admin_data.py")
    app.file_uploader(key="admin_orgs_file").set_value(("orgs.csv", data, CSV_MIME))
    app.run()
    assert texts(app, "success") == ["ไฟล์ถูกต้อง: 1 หน่วยงาน (ใหม่ 1)"]
    assert query(site, "SELECT count(*) FROM org_unit WHERE code = 'PLAN-1'") == [(0,)]
    app = click(app, "ยืนยันบันทึกโครงสร้างหน่วยงาน")
    assert query(site, "SELECT parent_code, level FROM org_unit WHERE code = 'PLAN-1'") == [("PLAN", "group")]
    assert query(site, "SELECT actor, outcome FROM audit_log WHERE action = 'orgs_load' AND channel = 'web'") == [
        ("admin", "success")]


def test_admin_catalogue_upload_shows_problems_and_writes_nothing(site: Path) -> None:
    bad = SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8").replace("มากดี,numeric,60",
                                                                                      "ขึ้นลง,numeric,60")
    app = admin_page(site, "admin_data.py")
    app.file_uploader(key="admin_catalogue_file").set_value(("cat.csv", bad.encode(), CSV_MIME))
    app.run()
    assert texts(app, "error") == ["พบปัญหา 1 รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่"]
    assert table(app, "row", "reason")["reason"].tolist() == ["ทิศทางต้องเป็น มากดี (higher) หรือ น้อยดี (lower)"]
    assert query(site, "SELECT count(*) FROM catalogue_load") == [(1,)]
    assert query(site, "SELECT outcome FROM audit_log WHERE action = 'catalogue_load' AND channel = 'web'") == [
        ("rejected",)]


def test_admin_replaces_a_catalogue_and_scores_are_recomputed(site: Path) -> None:
    text = SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8")
    changed = text.replace("60,50,60,70,80,90", "60,40,50,60,70,80")  # P-01 thresholds lowered by 10
    app = admin_page(site, "admin_data.py")
    app.file_uploader(key="admin_catalogue_file").set_value(("catalogue_2568_v2.csv", changed.encode(), CSV_MIME))
    app.run()
    assert "บัญชีตัวชี้วัดปี 2568 ที่มีอยู่จะถูกแทนที่" in texts(app, "warning")[0]
    app = click(app, "ยืนยันบันทึกบัญชีตัวชี้วัดปี 2568")
    assert texts(app, "success") == ["บันทึกบัญชีตัวชี้วัดปี 2568 แล้ว (3 ตัวชี้วัด)"]
    assert query(site, "SELECT score FROM kpi_results WHERE unit_code = 'PLAN' AND quarter = 2 "
                       "AND kpi_code = 'P-01'") == [(4.25,)]
    assert query(site, "SELECT loaded_by, file_name FROM catalogue_load ORDER BY load_id DESC LIMIT 1") == [
        ("admin", "catalogue_2568_v2.csv")]


def test_a_catalogue_dropping_a_submitted_kpi_cannot_be_confirmed(site: Path) -> None:
    lines = SAMPLES.joinpath("catalogue_2568_th.csv").read_text(encoding="utf-8").splitlines()
    without_l01 = "\n".join(line for line in lines if ",L-01," not in line) + "\n"
    app = admin_page(site, "admin_data.py")
    app.file_uploader(key="admin_catalogue_file").set_value(("cat.csv", without_l01.encode(), CSV_MIME))
    app.run()
    assert "LAW L-01" in texts(app, "error")[0]
    assert not any(b.key == "confirm_catalogue" for b in app.button)


# --- the audit trail -----------------------------------------------------------------------------

def test_audit_page_shows_the_trail_newest_first_and_filters_by_action(site: Path) -> None:
    with db.open_db(site) as con:
        auth.authenticate(con, "ana", "wrong-password")
        auth.authenticate(con, "ana", ACCOUNTS["ana"][0])
    app = admin_page(site, "admin_audit.py")
    events = table(app, "occurred_at", "actor", "action", "outcome")
    assert events[["actor", "action"]].values.tolist()[:2] == [["ana", "เข้าสู่ระบบ"], ["ana", "เข้าสู่ระบบไม่สำเร็จ"]]
    app.selectbox(key="audit_action").set_value("login_failed")
    app.run()
    events = table(app, "occurred_at", "actor", "action", "outcome")
    assert events[["actor", "outcome"]].values.tolist() == [["ana", "ไม่สำเร็จ"]]


# --- the app: login gate and navigation ----------------------------------------------------------

def app_as(db_path: Path, username: str | None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    return (signed_in(app, db_path, username) if username else app).run()


def is_registered(app: AppTest, page_file: str) -> bool:
    """Whether st.navigation offered this page to the user (switch_page refuses pages it did not)."""
    try:
        app.switch_page(f"app_pages/{page_file}")
    except ValueError:
        return False
    return True


def test_the_app_shows_only_the_login_form_before_sign_in(site: Path) -> None:
    app = app_as(site, None)
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]
    for name in ("dimensions.py", *ACCOUNT_PAGES):  # a link to any page keeps its page, behind the login form
        assert is_registered(app, name), name
        app.run()
        assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"], name
        assert not app.dataframe and not app.exception, name


def test_a_signed_in_user_lands_on_the_overview(site: Path) -> None:
    app = app_as(site, "boss")
    assert not app.exception
    assert texts(app, "title") == ["ภาพรวมผลการดำเนินงาน"]
    assert app.button(key="logout")


LOGOUT_SCRIPT = """
from dashboard import auth
user = auth.require_login()
auth.account_box(user, "th")
st.title("signed in as " + user.username)
"""


def test_sign_out_ends_the_session_on_the_server(site: Path) -> None:
    """AppTest reruns only the page of an st.navigation app, so the sidebar box is driven on its own here."""
    app = signed_in(AppTest.from_string("import streamlit as st\n" + LOGOUT_SCRIPT, default_timeout=60), site, "boss")
    app.run()
    assert texts(app, "title") == ["signed in as boss"]
    session_id = app.session_state["auth_session_id"]
    app.button(key="logout").click()
    app.run()
    assert texts(app, "title") == ["เข้าสู่ระบบติดตามตัวชี้วัด BSC"]
    assert query(site, "SELECT ended_at IS NOT NULL FROM user_session WHERE session_id = ?", [session_id]) == [(True,)]
    assert query(site, "SELECT actor FROM audit_log WHERE action = 'logout'") == [("boss",)]
    with db.open_db(site) as con:
        assert auth.session_user(con, session_id) is None  # the old id is useless even if someone kept it


@pytest.mark.parametrize("role", list(auth.ROLES))
def test_a_typed_url_for_a_page_of_another_role_is_refused_and_logged(site: Path, role: str) -> None:
    username = ROLE_USER[role]
    for page_file in ACCOUNT_PAGES:
        app = app_as(site, username)
        assert not app.exception
        assert is_registered(app, page_file)  # hidden, not missing: the page's own check must run
        app.run()
        refused = any("ไม่มีสิทธิ์เปิดหน้านี้" in text for text in texts(app, "error"))
        assert refused != expected_access(page_file, role), (role, page_file)
    denied = query(site, "SELECT detail FROM audit_log WHERE action = 'access_denied' AND actor = ?", [username])
    assert sorted(detail for (detail,) in denied) == sorted(
        f"page {name.removesuffix('.py')} (role {role})" for name in ACCOUNT_PAGES if not expected_access(name, role))

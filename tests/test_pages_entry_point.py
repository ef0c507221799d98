"""Every page as a user reaches it: through dashboard/app.py, signed in with the login form, by the navigation.

For each role the sidebar offers exactly the pages the roles table (pipelines.roles.PAGES) gives it, in its
order and sections; each of them opens (switch_page, as a click in the sidebar does) with its heading and no
exception; every other page, switched to directly as a typed or shared link does, is refused on the server and
the attempt written to the audit trail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines import roles
from tests.accounts_support import ACCOUNTS, ROLE_USER, add_accounts, log_in_through_form, query, texts

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)

NAVIGATION_NAMES = {  # page key -> (section, page name) as the Thai sidebar shows them
    "overview": ("ผู้บริหาร", "ภาพรวม"),
    "dimensions": ("ผู้บริหาร", "มิติ BSC"),
    "units": ("ผู้บริหาร", "หน่วยงาน"),
    "kpi": ("ผู้บริหาร", "ตัวชี้วัด"),
    "pmqa": ("ผู้บริหาร", "PMQA ความครอบคลุม"),
    "okr": ("ผู้บริหาร", "วัตถุประสงค์และผลลัพธ์หลัก"),
    "strategy_map": ("ผู้บริหาร", "แผนที่ยุทธศาสตร์"),
    "end_products": ("ผู้บริหาร", "ผลผลิตขั้นสุดท้าย"),
    "alignment": ("ผู้บริหาร", "ความสอดคล้องกับแผน"),
    "submissions": ("ผู้บริหาร", "สถานะการส่งข้อมูล"),
    "upload": ("นำส่งข้อมูล", "นำส่งข้อมูลตัวชี้วัด"),
    "review": ("นำส่งข้อมูล", "ตรวจสอบและอนุมัติผล"),
    "sql": ("วิเคราะห์ข้อมูล", "วิเคราะห์ข้อมูล SQL"),
    "admin_users": ("ผู้ดูแลระบบ", "ผู้ใช้งาน"),
    "admin_data": ("ผู้ดูแลระบบ", "หน่วยงานและบัญชีตัวชี้วัด"),
    "admin_strategy": ("ผู้ดูแลระบบ", "แก้ไขแผนยุทธศาสตร์"),
    "admin_periods": ("ผู้ดูแลระบบ", "รอบการรายงานและกำหนดส่ง"),
    "admin_audit": ("ผู้ดูแลระบบ", "บันทึกการใช้งาน"),
}
HEADINGS = {  # page key -> the page's own title once it has opened (the sample data: fiscal year 2568)
    "overview": "ภาพรวมผลการดำเนินงาน",
    "dimensions": "ผลการดำเนินงานรายมิติ",
    "units": "ผลการดำเนินงานของหน่วยงาน",
    "kpi": "รายละเอียดตัวชี้วัด",
    "pmqa": "ความครอบคลุมเกณฑ์ PMQA 7 หมวด",
    "okr": "วัตถุประสงค์และผลลัพธ์หลัก (OKR)",
    "strategy_map": "แผนที่ยุทธศาสตร์",
    "end_products": "ผลผลิตขั้นสุดท้ายและหน่วยงานร่วม",
    "alignment": "ความสอดคล้องของตัวชี้วัดกับยุทธศาสตร์ชาติและแผนแม่บท",
    "submissions": "สถานะการส่งข้อมูล ปีงบประมาณ 2568",
    "upload": "นำส่งข้อมูลตัวชี้วัด",
    "review": "ตรวจสอบและอนุมัติผล",
    "sql": "วิเคราะห์ข้อมูล SQL",
    "admin_users": "ผู้ใช้งาน",
    "admin_data": "หน่วยงานและบัญชีตัวชี้วัด",
    "admin_strategy": "แก้ไขแผนยุทธศาสตร์",
    "admin_periods": "รอบการรายงานและกำหนดส่ง",
    "admin_audit": "บันทึกการใช้งาน",
}
REFUSED = "ไม่มีสิทธิ์เปิดหน้านี้"
LOGIN_TITLE = "เข้าสู่ระบบติดตามตัวชี้วัด BSC"


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples with one account per role (tests/accounts_support.py), served to the app through env BSC_DB."""
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


@pytest.fixture
def offered(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What each run handed st.navigation: its position and, per page, section, name, key and visibility (what
    the sidebar lists). st.navigation itself runs unchanged."""
    calls: list[dict] = []
    navigation = st.navigation

    def recording(pages, *, position="sidebar", expanded=False):
        calls.append({"position": position, "pages": [
            (section, page.title, roles.page(page.url_path).key, page.visibility)
            for section, section_pages in pages.items() for page in section_pages]})
        return navigation(pages, position=position, expanded=expanded)

    monkeypatch.setattr(st, "navigation", recording)
    return calls


def signed_in_through_the_form(role: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert texts(app, "title") == [LOGIN_TITLE]
    username = ROLE_USER[role]
    return log_in_through_form(app, username, ACCOUNTS[username][0])


def sidebar(call: dict) -> list[tuple[str, str, str]]:
    return [(section, name, key) for section, name, key, visibility in call["pages"] if visibility == "visible"]


def test_before_sign_in_every_page_is_registered_hidden_and_draws_the_login_form(site: Path, offered) -> None:
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert offered[-1]["position"] == "hidden" and sidebar(offered[-1]) == []
    assert [key for _, _, key, _ in offered[-1]["pages"]] == [page.key for page in roles.PAGES]
    for page in roles.PAGES:
        app.switch_page(f"app_pages/{page.script}").run()
        assert texts(app, "title") == [LOGIN_TITLE], page.key
        assert not app.exception and not app.dataframe, page.key


@pytest.mark.parametrize("role", list(roles.ROLES))
def test_each_role_is_offered_exactly_its_pages_and_each_opens(site: Path, offered, role: str) -> None:
    app = signed_in_through_the_form(role)
    assert not app.exception, [e.value for e in app.exception]
    assert texts(app, "title") == [HEADINGS["overview"]]  # the landing page
    allowed = [page.key for page in roles.pages_for(role)]
    assert offered[-1]["position"] == "sidebar"
    assert sidebar(offered[-1]) == [(*NAVIGATION_NAMES[key], key) for key in allowed]
    for key in allowed:
        app.switch_page(f"app_pages/{roles.page(key).script}").run()
        assert not app.exception, (key, [e.value for e in app.exception])
        assert texts(app, "title") == [HEADINGS[key]], key
        assert not any(REFUSED in text for text in texts(app, "error")), key
        assert sidebar(offered[-1]) == [(*NAVIGATION_NAMES[k], k) for k in allowed], key
    assert query(site, "SELECT count(*) FROM audit_log WHERE action = 'access_denied'") == [(0,)]


@pytest.mark.parametrize("role", [role for role in roles.ROLES if role != "admin"])
def test_a_page_of_another_role_switched_to_directly_is_refused_on_the_server(site: Path, role: str) -> None:
    app = signed_in_through_the_form(role)
    refused = [page for page in roles.PAGES if not roles.may_open(role, page.key)]
    assert refused
    for page in refused:
        app.switch_page(f"app_pages/{page.script}").run()
        assert not app.exception, page.key
        assert any(REFUSED in text for text in texts(app, "error")), page.key
        assert HEADINGS[page.key] not in texts(app, "title"), page.key
        assert not app.dataframe and not app.file_uploader and not app.text_area, page.key
    denied = query(site, "SELECT detail FROM audit_log WHERE action = 'access_denied' AND actor = ?",
                   [ROLE_USER[role]])
    assert sorted(detail for (detail,) in denied) == sorted(f"page {page.key} (role {role})" for page in refused)


def test_the_navigation_names_follow_the_language_switch(site: Path, offered) -> None:
    app = signed_in_through_the_form("admin")
    app.radio(key="filter_lang").set_value("en").run()
    assert not app.exception
    assert texts(app, "title") == ["Performance overview"]
    assert sidebar(offered[-1]) == [
        ("Executive", "Overview", "overview"), ("Executive", "BSC dimensions", "dimensions"),
        ("Executive", "Units", "units"), ("Executive", "KPI detail", "kpi"),
        ("Executive", "PMQA coverage", "pmqa"), ("Executive", "Objectives and key results", "okr"),
        ("Executive", "Strategy map", "strategy_map"), ("Executive", "End Products", "end_products"),
        ("Executive", "Alignment with the plans", "alignment"), ("Executive", "Submission status", "submissions"),
        ("Submit", "Submit KPI results", "upload"), ("Submit", "Review and approve", "review"),
        ("Analysis", "SQL workbench", "sql"),
        ("Administration", "Users", "admin_users"), ("Administration", "Org units and catalogues", "admin_data"),
        ("Administration", "Strategy editor", "admin_strategy"),
        ("Administration", "Quarters and deadlines", "admin_periods"),
        ("Administration", "Audit trail", "admin_audit"),
    ]

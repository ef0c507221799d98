"""A division head in a real browser (Playwright + Debian chromium): logs in on the demo, downloads the template,
fills it in, uploads it with a wrong cell, reads the Thai reason, fixes it, uploads again, confirms, and the
database and the overview show the new version and scores.

Screenshots go to tests/artifacts/browser_upload/ (env BSC_SCREENSHOT_DIR overrides: `docs/upload-guide`
refreshes the division heads' guide's). Needs /usr/bin/chromium and fonts-thai-tlwg; skipped locally without them,
never when CI=true."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from pipelines import auth, db, reports
from pipelines.templates import DATA_SHEET_TITLE, FIRST_DATA_ROW
from tests.accounts_support import ROOT, query
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, RUN_WAIT_MS, running_dashboard, settle, sign_in

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server and chromium: one at a time

IN_CI = os.environ.get("CI", "").lower() == "true"
USERNAME, PASSWORD = "jpp.head", "demo-jpp-2568"

if not CHROMIUM.exists() and not IN_CI:
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-thai-tlwg); runs in CI",
                allow_module_level=True)


@pytest.fixture
def demo_site(demo_db: Path) -> Path:
    with db.open_db(demo_db) as con:
        auth.create_demo_accounts(con)
    return demo_db


@pytest.fixture
def server(demo_site: Path, tmp_path: Path) -> Iterator[str]:
    """`streamlit run dashboard/app.py` on a free port against a private copy of the demo database."""
    with running_dashboard(demo_site, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():  # only reached with CI=true: a missing browser must fail there, not skip
        pytest.fail(f"CI=true but {CHROMIUM} is missing: apt-get install -y chromium fonts-thai-tlwg")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="th-TH", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(RUN_WAIT_MS)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def shots_dir() -> Path:
    folder = Path(os.environ.get("BSC_SCREENSHOT_DIR", ROOT / "tests" / "artifacts" / "browser_upload"))
    folder = folder if folder.is_absolute() else ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fill_template(path: Path, db_path: Path, bad_first_cell: bool) -> Path:
    """What a division head does in Excel/LibreOffice: an on-target value (score 3) in every actual cell."""
    with db.open_db(db_path, read_only=True) as con:
        kpis = {k["kpi_code"]: k for k in reports.kpis_owned_by(con, "JPP", 2568)}
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[DATA_SHEET_TITLE]
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(kpis)):
        kpi = kpis[sheet[f"A{row}"].value]
        sheet[f"N{row}"] = 3 if kpi["kind"] == "milestone" else kpi["t3"]
    if bad_first_cell:
        sheet[f"N{FIRST_DATA_ROW}"] = "สามขั้นตอน"
    target = path.with_name(("bad_" if bad_first_cell else "good_") + path.name)
    workbook.save(target)
    return target


def test_division_head_uploads_a_bad_then_a_good_file_in_the_browser(
    server: str, browser_page, demo_site: Path, tmp_path: Path
) -> None:
    page = browser_page
    shots = shots_dir()
    before = query(demo_site, "SELECT count(*) FROM submission")[0][0]

    sign_in(page, USERNAME, PASSWORD, at=server, screenshot=shots / "01_login.png")
    page.get_by_role("link", name="นำส่งข้อมูลตัวชี้วัด").click()
    page.get_by_role("tab", name="อัปโหลดไฟล์").click()  # the page opens on the form; the file route is its own tab
    page.get_by_text("ดาวน์โหลดแบบฟอร์ม").wait_for()
    settle(page)
    page.screenshot(path=shots / "02_upload_page.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_text("ดาวน์โหลดแบบฟอร์ม").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "JPP_2568_Q3.xlsx"

    file_input = page.locator("input[type='file']")
    file_input.set_input_files(str(fill_template(template, demo_site, bad_first_cell=True)))
    page.get_by_text("พบปัญหา 1 รายการ").wait_for()
    page.get_by_text("ค่า “สามขั้นตอน”: ผลการดำเนินงานต้องเป็นตัวเลข").wait_for()
    settle(page)
    page.screenshot(path=shots / "03_problem_explained.png", full_page=True)
    assert query(demo_site, "SELECT count(*) FROM submission")[0][0] == before  # nothing written

    file_input.set_input_files(str(fill_template(template, demo_site, bad_first_cell=False)))
    page.get_by_text("ไฟล์ถูกต้อง").wait_for()
    settle(page)
    page.screenshot(path=shots / "04_clean_preview.png", full_page=True)
    page.get_by_role("button", name="ยืนยันบันทึกข้อมูล").click()
    page.get_by_text("บันทึกแล้ว:").wait_for()
    settle(page)
    page.get_by_text("บันทึกแล้ว:").scroll_into_view_if_needed()
    page.screenshot(path=shots / "05_saved.png", full_page=True)

    assert query(demo_site, "SELECT version, submitted_by, file_name FROM submissions "
                            "WHERE unit_code = 'JPP' AND fiscal_year = 2568 AND quarter = 3") == [
        (1, USERNAME, "good_JPP_2568_Q3.xlsx")]
    assert query(demo_site, "SELECT round(score, 4) FROM unit_scores WHERE unit_code = 'JPP' "
                            "AND fiscal_year = 2568 AND quarter = 3") == [(3.0,)]
    assert query(demo_site, "SELECT outcome FROM audit_log WHERE action = 'upload' AND actor = ? "
                            "ORDER BY event_id", [USERNAME]) == [("rejected",), ("success",)]

    page.get_by_role("link", name="ภาพรวม").click()
    page.get_by_text("ภาพรวมผลการดำเนินงาน").first.wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    for label, option in (("ไตรมาส", "ไตรมาส 3"), ("หน่วยงาน", "JPP · กองนโยบายและประสานแผนกระบวนการยุติธรรม")):
        settle(page)
        picker = sidebar.get_by_label(label, exact=False).last
        picker.click()
        picker.press_sequentially(option.split(" · ")[0])  # a selectbox filters its options as one types
        page.get_by_role("option", name=option).first.click()
    settle(page)
    page.get_by_text("คะแนนเฉลี่ยถ่วงน้ำหนัก ไตรมาส 3/2568").wait_for()
    page.screenshot(path=shots / "06_overview.png", full_page=True)
    assert page.get_by_test_id("stMetricValue").first.inner_text() == "3.0000"

"""The quarter's workflow in chromium (issue 15): with approval required, a division head signs in, opens the quarter
from "my tasks", enters five KPIs in the upload page's form (no spreadsheet) and saves; a reviewer returns one KPI
with a reason on the review page; the division head reads it, corrects the one cell and saves; the reviewer
approves; an executive's overview shows the approved score. Screenshots in tests/artifacts/browser_workflow/.

Needs Debian's chromium and fonts-thai-tlwg, as tests/test_browser.py does; skipped where chromium is absent (CI
fails instead). The same story through AppTest, with the audit trail and the reminders: test_workflow_end_to_end.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines import approval, auth, db, periods, workflows
from tests.accounts_support import query
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    RUN_WAIT_MS,
    require_browser,
    running_dashboard,
    settle,
    sign_in,
)
from tests.test_web_entry import FIVE_KPIS, Q2_DEADLINE

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server and chromium: one at a time

ACCOUNTS = {"plan.head": ("division_head", "PLAN"), "rev": ("reviewer", None), "boss": ("executive", None)}
ACTUALS = ["85", "11", "92.5", "4", "450"]  # P-01..P-05, every one on track: no note asked
"""Scores 4.5, 4, 4.25, 4, 4.5 (weights 30/20/20/20/10): PLAN 4.25; P-01 corrected to 90 scores 5: PLAN 4.40."""
EDITOR_ATTEMPTS, EDITOR_WAIT_MS = 4, 10_000
ACTUAL_COLUMN = 10  # kpi_code, name, unit, target, five levels, previous, actual (web_entry_view.entry_route)
REASON = "ร้อยละ 85 ไม่ตรงกับรายงานการประชุม กรุณาตรวจสอบ"
SHOTS = ROOT / "tests" / "artifacts" / "browser_workflow"


@pytest.fixture
def site(empty_catalogue_db: Path) -> Path:
    """PLAN owns five KPIs in 2568; Q2 is due on Q2_DEADLINE; approval required; nothing submitted."""
    require_browser()
    loaded = workflows.load_catalogue_file(empty_catalogue_db, "catalogue_2568.csv", FIVE_KPIS.encode(), by="test")
    assert loaded.stored, loaded.problems
    with db.open_db(empty_catalogue_db) as con:
        for username, (role, unit) in ACCOUNTS.items():
            assert auth.add_user(con, username=username, role=role, password=password(username), unit_code=unit,
                                 by="test") == []
        assert periods.set_deadline(con, 2568, 2, Q2_DEADLINE, by="test") == []
        assert approval.set_approval_required(con, 2568, True, by="test") == []
    return empty_catalogue_db


def password(username: str) -> str:
    return f"{username}-pass-2568"


@pytest.fixture
def browser(site: Path, tmp_path: Path) -> Iterator[tuple[object, str]]:
    from playwright.sync_api import sync_playwright

    with running_dashboard(site, tmp_path / "streamlit.log") as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium, base
        finally:
            chromium.close()


def signed_in(chromium, base: str, username: str, path: str = "/"):
    """A browser of its own for `username` (the session lives in the server's session state), signed in on `path`."""
    page = chromium.new_context(viewport={"width": 1600, "height": 1400}, locale="th-TH").new_page()
    page.set_default_timeout(RUN_WAIT_MS)
    sign_in(page, username, password(username), at=base + path)
    return page


def open_from_sidebar(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
    settle(page)


def type_actual(page, row: int, value: str) -> None:
    """Select the form's row (a click on its first cell, drawn on the grid's canvas), move to its actual column
    with the arrow keys, open the cell's editor (Enter), type the value and press Enter, as a user does. A click
    that lands while the grid redraws (each edit reruns the page) selects nothing: then the same again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    grid = page.get_by_test_id("stDataFrame").first
    cell = page.locator("textarea.gdg-input")
    for _ in range(EDITOR_ATTEMPTS):
        settle(page)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + 35 * (row + 1) + 17)  # the header row, then 35 px a row
        for _ in range(ACTUAL_COLUMN):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            cell.wait_for(timeout=EDITOR_WAIT_MS)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    else:
        raise AssertionError(f"the editor of row {row}'s actual did not open after {EDITOR_ATTEMPTS} tries")
    cell.fill(value)
    cell.press("Enter")
    settle(page)


def save(page, version: int) -> None:
    page.get_by_role("button", name="บันทึกผลการดำเนินงาน").click()
    page.get_by_text(f"บันทึกแล้ว: ฉบับที่ {version}").wait_for()
    settle(page)


def decide(chromium, base: str, button: str, reason: str | None = None) -> None:
    page = signed_in(chromium, base, "rev")
    open_from_sidebar(page, "ตรวจสอบและอนุมัติผล")
    if reason:
        page.get_by_label("P-01 · ร้อยละของโครงการที่ดำเนินการตามแผน").fill(reason)
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_test_id("stAlertContentSuccess").wait_for()
    settle(page)
    page.screenshot(path=str(SHOTS / f"review_{'return' if reason else 'approve'}.png"), full_page=True)
    page.context.close()


def plan_q2(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT version, approval_status FROM submissions WHERE unit_code = 'PLAN' "
                          "AND fiscal_year = 2568 AND quarter = 2 ORDER BY version")


def test_enter_return_correct_approve_in_the_browser(browser, site: Path) -> None:
    chromium, base = browser
    SHOTS.mkdir(parents=True, exist_ok=True)

    head = signed_in(chromium, base, "plan.head")
    head.get_by_role("link", name="ส่งผลการดำเนินงาน PLAN · กองแผนงาน ไตรมาส 2/2568", exact=False).click()
    head.get_by_role("tab", name="กรอกบนหน้าเว็บ").wait_for()
    settle(head)
    for row, value in enumerate(ACTUALS):
        type_actual(head, row, value)
    head.screenshot(path=str(SHOTS / "form_filled.png"), full_page=True)
    save(head, 1)
    assert plan_q2(site) == [(1, "submitted")]

    decide(chromium, base, "ส่งคืนให้แก้ไข", REASON)
    assert plan_q2(site) == [(1, "returned")]

    open_from_sidebar(head, "ภาพรวม")  # "my tasks" now lists the returned version with its reason
    head.get_by_role("link", name=f"แก้ไขผลที่ถูกส่งคืน PLAN · กองแผนงาน ไตรมาส 2/2568 — P-01: {REASON}").click()
    head.get_by_text(REASON).first.wait_for()
    settle(head)
    head.screenshot(path=str(SHOTS / "returned.png"), full_page=True)
    type_actual(head, 0, "90")
    save(head, 2)
    assert plan_q2(site) == [(1, "returned"), (2, "submitted")]

    decide(chromium, base, "อนุมัติ")
    assert plan_q2(site) == [(1, "returned"), (2, "approved")]

    boss = signed_in(chromium, base, "boss", "/?fy=2568&q=2&unit=PLAN")
    boss.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
    assert boss.get_by_test_id("stMetricValue").first.inner_text() == "4.4000"
    assert not boss.get_by_test_id("stException").count()

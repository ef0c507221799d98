"""What only a browser shows about links, language and the network (issue 10 items 4, 5, 13): a shared link opens
its page with its filters after sign-in, a link to a page the role may not open is refused and audited, the
language switch keeps the filters, and nothing the app loads comes from outside the machine.

The two tests of a link that is the first request after a (re)start start their own `streamlit run` on the demo
database; the others share one server that has already served a page (the usual case) and open their link in a
fresh session. Needs Debian's chromium (tests/browser_support.py skips or fails without it).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import i18n
from pipelines import db, roles
from pipelines.domain import DIMENSIONS
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, require_browser, running_dashboard, sign_in

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server and chromium per test: one at a time

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
EXECUTIVE = ("executive", "demo-exec-2568")
ADMIN = ("admin", "demo-admin-2568")


@pytest.fixture(scope="module")
def shared_site(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(database, base URL) of one dashboard on a private copy of the demo, for the tests that need no fresh server."""
    require_browser()
    site = tmp_path_factory.mktemp("links_site") / "bsc.duckdb"
    shutil.copy(demo_db_template, site)
    with running_dashboard(site, site.parent / "streamlit.log") as base:
        yield site, base


@contextmanager
def browser_page(db_path: Path, tmp_path: Path, as_make_run: bool = False,
                 base: str | None = None) -> Iterator[tuple[object, str, list[str]]]:
    """(page, base URL, every URL the browser asked for outside the machine) on a fresh dashboard, or on the one
    at `base`. Outside requests are recorded and aborted, so the test behaves as on a closed network."""
    from playwright.sync_api import sync_playwright

    require_browser()
    with (running_dashboard(db_path, tmp_path / "streamlit.log", as_make_run=as_make_run) if base is None
          else nullcontext(base) as base, sync_playwright() as playwright):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        outside: list[str] = []
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600})
            context.on("request", lambda request: urlsplit(request.url).hostname in LOCAL_HOSTS
                       or outside.append(request.url))
            context.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
            yield context.new_page(), base, outside
        finally:
            browser.close()


def settle(page, seconds: float = 45) -> None:
    """Wait until the script run is over (Streamlit's running indicator gone twice in a row)."""
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline and quiet < 2:
        quiet = quiet + 1 if not page.locator('[data-testid="stStatusWidget"]').count() else 0
        time.sleep(0.5)


SIDEBAR_CHOICES = """() => Array.from(document.querySelectorAll(
    '[data-testid="stSidebar"] [data-testid="stSelectbox"]'))
    .map(box => box.innerText + ' ' + Array.from(box.querySelectorAll('input')).map(i => i.value).join(' '))
    .join(' | ')"""


def sidebar_choices(page) -> str:
    """The sidebar's choices as shown, each label and the text of its chosen option, once all three are drawn."""
    deadline = time.monotonic() + 30
    while (shown := page.evaluate(SIDEBAR_CHOICES)).count(" | ") < 2 and time.monotonic() < deadline:
        time.sleep(0.3)
    return shown


def query(page) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(page.url).query).items()}


def wait_for_query(page, **expected: str) -> dict[str, str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(query(page).get(k) != v for k, v in expected.items()):
        time.sleep(0.3)
    return query(page)


def no_page_not_found(page) -> bool:
    settle(page)
    return page.get_by_text("Page not found").count() == 0


def choose(page, label: str, option: str | re.Pattern) -> None:
    """Pick an option of a sidebar selectbox as a user does: open it, click the option."""
    page.locator('[data-testid="stSidebar"]').get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option).first.click()
    settle(page)


def open_fresh_tab(page, url: str) -> None:
    """The server has already shown its front page once (the usual case; the first test covers a link that is the
    first request after a restart); then `url` is opened as a new session, as in a fresh tab."""
    parts = urlsplit(url)
    page.goto(f"{parts.scheme}://{parts.netloc}/")
    page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
    settle(page)
    page.goto(url)


def test_a_shared_link_opens_its_page_with_its_filters_after_sign_in(demo_db, tmp_path):
    with browser_page(demo_db, tmp_path) as (page, base, _):
        page.goto(base + "/dimensions?lang=th&fy=2567&q=3&unit=JPP&dim=efficiency")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        assert no_page_not_found(page), "Streamlit's English 'Page not found' dialog over the login form"
        sign_in(page, *EXECUTIVE)

        page.get_by_role("heading", name=i18n.t("dimensions_title", "th")).wait_for(timeout=30_000)
        assert wait_for_query(page, fy="2567", q="3", unit="JPP", dim="efficiency") == {
            "lang": "th", "fy": "2567", "q": "3", "unit": "JPP", "dim": "efficiency"}
        assert urlsplit(page.url).path == "/dimensions"
        choices = sidebar_choices(page)
        assert "พ.ศ. 2567" in choices and "ไตรมาส 3" in choices and "JPP" in choices, choices
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "ไตรมาส 3/2567" in main and DIMENSIONS["efficiency"][0] in main


def test_a_link_to_a_page_the_role_may_not_open_is_refused_and_audited(shared_site, tmp_path):
    with browser_page(shared_site[0], tmp_path, base=shared_site[1]) as (page, base, _):
        open_fresh_tab(page, base + "/admin_audit?lang=th")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        assert no_page_not_found(page)
        sign_in(page, *EXECUTIVE)
        refusal = i18n.t("access_denied", "th", role=i18n.role_name("executive", "th"))
        page.get_by_text(refusal).wait_for(timeout=30_000)
        assert urlsplit(page.url).path == "/admin_audit"
        assert page.get_by_text(i18n.t("audit_help", "th")).count() == 0
    with db.open_db(shared_site[0], read_only=True) as con:
        refused = con.execute("SELECT actor, detail FROM audit_event WHERE action = 'access_denied'").fetchall()
    assert refused == [("executive", "page admin_audit (role executive)")]


def test_switching_language_keeps_the_filters_and_relabels_the_sidebar_at_once(shared_site, tmp_path):
    """The filters are chosen in the sidebar (not by a link), then the user moves to Units and switches language."""
    with browser_page(shared_site[0], tmp_path, base=shared_site[1]) as (page, base, _):
        page.goto(base + "/")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        sign_in(page, *EXECUTIVE)
        choose(page, i18n.t("fiscal_year", "th"), "พ.ศ. 2567")
        choose(page, i18n.t("quarter", "th"), "ไตรมาส 3")
        choose(page, i18n.t("unit", "th"), re.compile(r"JPP · "))
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=i18n.t("page_units", "th")).click()
        page.get_by_role("heading", name=i18n.t("units_title", "th")).wait_for(timeout=30_000)
        assert wait_for_query(page, fy="2567", q="3", unit="JPP")["unit"] == "JPP"

        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.get_by_role("heading", name=i18n.t("units_title", "en")).wait_for(timeout=30_000)
        settle(page)
        choices = sidebar_choices(page)
        assert "2567 BE" in choices and "Q3" in choices and "JPP" in choices, choices
        assert "พ.ศ." not in choices and "ไตรมาส" not in choices, choices

        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=i18n.t("page_overview", "en")).click()
        page.get_by_role("heading", name=i18n.t("overview_title", "en")).wait_for(timeout=30_000)
        assert wait_for_query(page, lang="en", fy="2567", q="3", unit="JPP") == {
            "lang": "en", "fy": "2567", "q": "3", "unit": "JPP"}
        settle(page)
        choices = sidebar_choices(page)
        assert "2567 BE" in choices and "Q3" in choices and "JPP" in choices, choices
        assert i18n.period_label(2567, 3, "en") in page.locator('[data-testid="stMain"]').inner_text()

        page.locator('[data-testid="stSidebar"]').get_by_text("ไทย", exact=True).click()
        page.get_by_role("heading", name=i18n.t("overview_title", "th")).wait_for(timeout=30_000)
        settle(page)
        choices = sidebar_choices(page)
        assert "พ.ศ. 2567" in choices and "ไตรมาส 3" in choices and "JPP" in choices, choices


def test_no_request_leaves_the_machine_on_any_page(shared_site, tmp_path):
    """The favicon, fonts, icons, charts: every page an admin can open, signed in, asks only the app's own host."""
    titles = [i18n.t(f"page_{row.key}", "th") for row in roles.pages_for("admin")]  # every page there is
    assert len(titles) == len(roles.PAGES)
    with browser_page(shared_site[0], tmp_path, base=shared_site[1]) as (page, base, outside):
        page.goto(base + "/")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        settle(page)
        sign_in(page, *ADMIN)
        for title in titles:
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
            settle(page)
            assert not page.locator('[data-testid="stException"]').count(), title
        icons = page.evaluate("Array.from(document.querySelectorAll('link[rel~=icon]')).map(link => link.href)")
    assert icons and all(urlsplit(href).hostname in LOCAL_HOSTS for href in icons), icons
    assert outside == []


def test_a_link_to_no_page_opens_the_first_page_with_a_thai_note_and_no_english_dialog(shared_site, tmp_path):
    """A link cut short or mistyped (/dimension) names no page: Streamlit's English "Page not found" dialog
    must not appear, signed out or in; the first page opens with a note in the user's language."""
    with browser_page(shared_site[0], tmp_path, base=shared_site[1]) as (page, base, _):
        open_fresh_tab(page, base + "/dimension?lang=th&fy=2567&q=3")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        assert no_page_not_found(page), "Streamlit's English 'Page not found' dialog over the login form"
        assert page.get_by_text(i18n.t("page_unknown", "th")).count() == 1
        sign_in(page, *EXECUTIVE)
        page.get_by_role("heading", name=i18n.t("overview_title", "th")).wait_for(timeout=30_000)
        assert no_page_not_found(page)

        page.goto(base + "/nosuchpage?lang=en")
        page.get_by_label(i18n.t("username", "en"), exact=True).wait_for(timeout=30_000)
        assert no_page_not_found(page)
        assert page.get_by_text(i18n.t("page_unknown", "en")).count() == 1


def test_a_link_that_is_the_first_request_after_make_run_opens_the_login_form(demo_db, tmp_path):
    """`make run` serves dashboard/server.py without PYTHONPATH. Streamlit ran the first deep link after a
    restart as a bare legacy page (pages/submissions.py without app.py), whose `import dashboard` failed: an
    English "This app has encountered an error" page and a legacy sidebar listing every page file."""
    with browser_page(demo_db, tmp_path, as_make_run=True) as (page, base, _):
        page.goto(base + "/submissions?lang=th&fy=2568&q=2&unit=OJA")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        assert no_page_not_found(page)
        assert page.get_by_text("encountered an error").count() == 0
        sign_in(page, *EXECUTIVE)
        page.get_by_role("heading", name=i18n.t("submissions_title", "th", year=2568)).wait_for(timeout=30_000)
        assert urlsplit(page.url).path == "/submissions"
        assert wait_for_query(page, fy="2568", q="2", unit="OJA")["unit"] == "OJA"


def test_file_uploaders_speak_thai(shared_site, tmp_path):
    """Streamlit draws every uploader's button 'Upload' and '10MB per file' in English; in the Thai UI the button
    reads เลือกไฟล์ and the English size line (the label gives the size in Thai) is not shown."""
    with browser_page(shared_site[0], tmp_path, base=shared_site[1]) as (page, base, _):
        open_fresh_tab(page, base + "/admin_data?lang=th")
        page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
        sign_in(page, *ADMIN)
        zone = page.locator('[data-testid="stFileUploaderDropzone"]').first
        zone.wait_for(timeout=30_000)
        button = zone.locator("button p").first
        assert button.evaluate("e => getComputedStyle(e, '::after').content") == f'"{i18n.t("uploader_button", "th")}"'
        assert button.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # the English word is not shown
        assert not zone.locator('[data-testid="stFileUploaderDropzoneInstructions"]').is_visible()

"""What only a browser shows: `streamlit run` on a free port with the demo database, signed in as an executive,
every dashboard page opened from the sidebar in Thai and then in English, each plotly chart drawn with data.
Screenshots go to tests/artifacts/ (git-ignored).

Needs Debian's chromium at /usr/bin/chromium and fonts-thai-tlwg (Thai glyphs in the screenshots): `.ci/run`
installs both with apt-get.  Skipped where chromium is absent locally; with CI set it fails instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import db
from tests.browser_support import charts_drawn, chromium_page, demo_dashboard, require_browser, sign_in

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server and chromium: one at a time

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
USER, PASSWORD = "browser.exec", "browser-exec-2568"
PAGES = {  # url path -> (Thai title in the sidebar, English title, charts the page draws with the demo defaults)
    "overview": ("ภาพรวม", "Overview", 2),
    "dimensions": ("มิติ BSC", "BSC dimensions", 3),
    "units": ("หน่วยงาน", "Units", 1),
    "kpi": ("ตัวชี้วัด", "KPI detail", 1),
    "pmqa": ("PMQA ความครอบคลุม", "PMQA coverage", 2),
    "submissions": ("สถานะการส่งข้อมูล", "Submission status", 2),
}


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The dashboard on a free port, reading a private copy of the demo database with one executive account; one
    server for the module's tests, each of which opens its own browser and session."""
    require_browser()
    with demo_dashboard(demo_db_template, tmp_path_factory.mktemp("browser_site"), USER, PASSWORD) as base:
        yield base


PLOTS_WITH_DATA = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot =>
    (plot.data || []).some(trace => ['x', 'y', 'z', 'r'].some(axis => {
        const values = trace[axis];
        if (!values || values.length === undefined) return false;
        const flat = Array.from(values).flat ? Array.from(values).flat() : Array.from(values);
        return flat.some(v => v !== null && v !== undefined && !(typeof v === 'number' && isNaN(v)));
    })))"""


def settle(page, expected_charts: int) -> list[bool]:
    """Wait until the script run is over and the page's charts are drawn; the data flag of each chart."""
    return charts_drawn(page, PLOTS_WITH_DATA, expected_charts)


def test_every_page_draws_its_charts_in_thai_and_english(server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(viewport={"width": 1400, "height": 2400}) as page:
        sign_in(page, USER, PASSWORD, at=server + "/")
        for lang, index in (("th", 0), ("en", 1)):
            if lang == "en":
                page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview").wait_for(
                    timeout=30_000)
                page.wait_for_url("**lang=en*", timeout=30_000)
            for path, titles in PAGES.items():
                nav = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=titles[index])
                nav.click()
                page.wait_for_url(f"**/{'' if path == 'overview' else path}?*", timeout=30_000)
                flags = settle(page, titles[2])
                page.screenshot(path=str(ARTIFACTS / f"{path}_{lang}.png"), full_page=True)
                assert len(flags) >= titles[2], (path, lang, flags)
                assert all(flags), (path, lang, flags)
                assert not page.locator('[data-testid="stException"]').count(), (path, lang)
                assert f"lang={lang}" in page.url and "fy=2568" in page.url and "unit=OJA" in page.url


def test_a_download_behind_a_partly_drawn_chart_holds_every_row(server, demo_db, tmp_path, monkeypatch):
    """The dimensions page draws the lowest scores and reads every result only when a download is clicked (in
    the server, outside the script run): the CSV must hold all of them, in the page's language."""
    with db.open_db(demo_db, read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM kpi_results WHERE fiscal_year = 2568 AND quarter = 2 "
                               "AND dimension = 'effectiveness'").fetchone()[0]
    with chromium_page(viewport={"width": 1400, "height": 2400}, accept_downloads=True) as page:
        sign_in(page, USER, PASSWORD, at=server + "/")
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=PAGES["dimensions"][0]).click()
        page.wait_for_url("**/dimensions?*", timeout=30_000)  # FY 2568 Q2, the agency, effectiveness
        settle(page, PAGES["dimensions"][2])
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="ดาวน์โหลด CSV").first.click()
        saved = tmp_path / "kpi_scores.csv"
        download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("รหัส,"), text.splitlines()[0]
    assert len(text.splitlines()) == expected + 1 > 1


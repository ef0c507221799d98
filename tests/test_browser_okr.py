"""The OKR page and the strategy map in chromium (issue 13): opened from the sidebar on the demo in Thai and in
English, each chart drawn with data and Thai labels, screenshots in tests/artifacts/ (okr_th.png,
strategy_map_th.png, ...; the guides' pictures docs/guides/okr.png and strategy_map.png are copies of the Thai ones);
a click on an objective of the map opens it on the OKR page, and a KPI link there opens that KPI's detail.

Needs Debian's chromium and fonts-thai-tlwg, as tests/test_browser.py does; skipped where chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_support import charts_drawn, chromium_page, demo_dashboard, require_browser, sign_in
from tests.test_browser import ARTIFACTS

pytestmark = pytest.mark.xdist_group("server")  # a `streamlit run` server and chromium: one at a time

USER, PASSWORD = "okr.exec", "okr-exec-2568"
PAGES = {  # url path -> (Thai name in the sidebar, English name, Thai heading, English heading)
    "okr": ("วัตถุประสงค์และผลลัพธ์หลัก", "Objectives and key results", "วัตถุประสงค์และผลลัพธ์หลัก (OKR)",
            "Objectives and key results (OKR)"),
    "strategy_map": ("แผนที่ยุทธศาสตร์", "Strategy map", "แผนที่ยุทธศาสตร์", "Strategy map"),
}


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    with demo_dashboard(demo_db_template, tmp_path_factory.mktemp("okr_site"), USER, PASSWORD) as base:
        yield base


PLOTS_DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot =>
    (plot.data || []).some(trace => ['x', 'ids'].some(key => trace[key] && trace[key].length > 0)))"""
"""Per chart: whether a trace has points (the map's objectives) or sectors (the sunburst's nodes)."""


def settle(page, expected_charts: int) -> list[bool]:
    """Wait until the script run is over and the page's charts are drawn; the data flag of each chart."""
    return charts_drawn(page, PLOTS_DRAWN, expected_charts)


def open_from_sidebar(page, name: str, path: str, heading: str) -> list[bool]:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()
    page.wait_for_url(f"**/{path}?*", timeout=30_000)
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    return settle(page, 1)


def test_the_okr_page_and_the_strategy_map_draw_in_thai_and_english(server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(viewport={"width": 1400, "height": 3000}) as page:
        sign_in(page, USER, PASSWORD, at=server + "/")
        for lang, index in (("th", 0), ("en", 1)):
            if lang == "en":
                page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
                page.wait_for_url("**lang=en*", timeout=30_000)
            for path, names in PAGES.items():
                flags = open_from_sidebar(page, names[index], path, names[index + 2])
                page.screenshot(path=str(ARTIFACTS / f"{path}_{lang}.png"), full_page=True)
                assert flags and all(flags), (path, lang, flags)
                assert not page.locator('[data-testid="stException"]').count(), (path, lang)
                assert f"lang={lang}" in page.url and "fy=2568" in page.url
                drawn = page.locator(".js-plotly-plot").first.inner_text()
                assert "OBJ1" in drawn, (path, lang)
                if path == "strategy_map":  # the layers' and plan levels' names, in the page's language
                    assert ("ประสิทธิผล" in drawn and "ยุทธศาสตร์ชาติ" in drawn) if lang == "th" else (
                        "Effectiveness" in drawn and "National strategy" in drawn), drawn


def test_a_click_on_the_map_opens_the_objective_and_a_kpi_link_opens_the_kpi(server):
    with chromium_page(viewport={"width": 1400, "height": 1800}) as page:
        sign_in(page, USER, PASSWORD, at=server + "/")
        open_from_sidebar(page, PAGES["strategy_map"][0], "strategy_map", PAGES["strategy_map"][2])
        box = page.locator(".js-plotly-plot .annotation-text", has_text="OBJ4").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url("**/okr?*objective=OBJ4*", timeout=30_000)
        page.get_by_role("heading", name=PAGES["okr"][2]).wait_for(timeout=30_000)
        settle(page, 1)
        page.get_by_role("link", name="PSD-01").first.click()
        page.wait_for_url("**/kpi?*kpi=PSD-01*", timeout=30_000)
        page.get_by_role("heading", name="รายละเอียดตัวชี้วัด").wait_for(timeout=30_000)
        assert not page.locator('[data-testid="stException"]').count()

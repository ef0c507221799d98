"""What only a browser shows of the End Products and Alignment pages: chromium draws the demo's hand-off flows
(plotly Sankey) with their Thai labels, then the alignment bars, then the flows again in English. Screenshots go to
tests/artifacts/ (git-ignored); docs/guides/end_products.png is a copy of end_products_th.png.

Needs Debian's chromium at /usr/bin/chromium and fonts-thai-tlwg, as tests/test_browser.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser_support import charts_drawn, chromium_page, demo_dashboard, require_browser, sign_in

pytestmark = pytest.mark.xdist_group("server")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
USER, PASSWORD = "browser.ep", "browser-ep-2568"

SANKEY_LABELS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(plot => (plot.data || []).some(trace => trace.type === 'sankey'))
    .map(plot => Array.from(plot.querySelectorAll('.sankey-node text')).map(node => node.textContent))"""


def sankey_labels(page, expected: int) -> list[list[str]]:
    """The node labels chromium drew in each Sankey, once the script run is over and all are drawn."""
    return charts_drawn(page, SANKEY_LABELS, expected)


BAR_LABELS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(plot => (plot.data || []).some(trace => trace.type === 'bar'))
    .flatMap(plot => Array.from(plot.querySelectorAll('.ytick text')).map(tick => tick.textContent))"""


def bar_labels(page) -> list[str]:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        labels = page.evaluate(BAR_LABELS)
        if labels and not page.locator('[data-testid="stStatusWidget"]').count():
            return labels
        time.sleep(0.5)
    return page.evaluate(BAR_LABELS)


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    with demo_dashboard(demo_db_template, tmp_path_factory.mktemp("browser_end_products"), USER, PASSWORD) as base:
        yield base


def test_the_end_products_page_draws_the_handoff_flows_with_thai_labels(server) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(viewport={"width": 1400, "height": 1250}) as page:
        sign_in(page, USER, PASSWORD, at=server + "/")
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="ผลผลิตขั้นสุดท้าย").click()
        page.wait_for_url("**/end_products?*", timeout=30_000)
        labels = sankey_labels(page, 3)
        page.screenshot(path=str(ARTIFACTS / "end_products_th.png"))
        assert not page.locator('[data-testid="stException"]').count()
        assert page.get_by_text("ผลผลิตนี้ติดอยู่ที่ NCFC").count() == 1
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_role("link", name="ความสอดคล้องกับแผน").click()
        page.wait_for_url("**/alignment?*", timeout=30_000)
        bars = bar_labels(page)
        page.screenshot(path=str(ARTIFACTS / "alignment_th.png"))
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.wait_for_url("**lang=en*", timeout=30_000)
        nav.get_by_role("link", name="End Products").click()
        page.wait_for_url("**/end_products?*lang=en*", timeout=30_000)
        english = sankey_labels(page, 3)
        assert page.get_by_text("Held back by NCFC").count() == 1
        assert not page.locator('[data-testid="stException"]').count()
    assert len(labels) == 3, labels  # EP1, EP2, and the hand-off of no End Product
    ep1 = labels[0]
    assert ep1[3] == "ชุดข้อมูลสถิติอาชญากรรมที่ตรวจสอบแล้ว"  # what JDC hands to NCFC, in full
    assert ep1[2] == "NCFC · ศูนย์พยากรณ์อาชญากรรมแห่งชาติ (ศอช.)"  # it gives, and it receives (shortened)
    assert ep1[6].startswith("NCFC · ศูนย์พยากรณ์")
    assert len(ep1) == 8  # three givers, three hand-offs, two receivers
    assert sorted(label.split(" ")[0] for label in bars) == ["MP1", "MP20", "MP22", "NS1", "NS6"], bars
    assert "NS1 ยุทธศาสตร์ชาติด้านความมั่นคง" in bars  # Thai drawn as text, not boxes the test could not read
    assert len(english) == 3 and english[0][0].startswith("JDC · ") and english[0][0] != ep1[0], english

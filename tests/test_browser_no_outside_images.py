"""Data written as Markdown cannot make the browser fetch from outside the machine: a KPI, unit or note holding
`![x](https://...)` is shown by Streamlit's Markdown (titles, captions, alerts, labels, tooltips), and the server
`make run` starts (dashboard/server.py) tells the browser to load images, fonts and scripts from its own host only
(server.CONTENT_SECURITY_POLICY)."""

from __future__ import annotations

from urllib.parse import urlsplit

import duckdb

from dashboard import i18n
from pipelines import roles
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, require_browser, running_dashboard, settle, sign_in

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
IMAGE = "![t](https://cdn.example.net/track.png)"


def test_an_image_written_into_the_data_is_not_fetched_on_any_page(demo_db, tmp_path):
    from playwright.sync_api import sync_playwright

    require_browser()
    site = demo_db  # a private copy of the demo
    with duckdb.connect(str(site)) as con:
        con.execute("UPDATE kpi SET name_th = name_th || $i, name_en = name_en || $i", {"i": IMAGE})
        con.execute("UPDATE org_unit SET name_th = name_th || $i, name_en = name_en || $i", {"i": IMAGE})
    outside: list[str] = []
    with (running_dashboard(site, tmp_path / "streamlit.log", as_make_run=True) as base,
          sync_playwright() as playwright):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600})
            # what reaches the network (a load the page's policy refuses never does), aborted as a closed network
            context.route(lambda url: urlsplit(url).hostname not in LOCAL_HOSTS,
                          lambda route: (outside.append(route.request.url), route.abort()))
            page = context.new_page()
            page.goto(base + "/")
            page.get_by_label("ชื่อผู้ใช้").wait_for(timeout=30_000)
            sign_in(page, "admin", "demo-admin-2568")
            for row in roles.PAGES:
                title = i18n.t(f"page_{row.key}", "th")
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
                settle(page)
        finally:
            browser.close()
    assert outside == []

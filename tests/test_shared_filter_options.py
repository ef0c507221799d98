"""The sidebar's choices (the org tree of every unit, the fiscal years and periods) are read once per publish and
shared by every session and page, not read or copied on every page run (issue 12's server memory: at 5M the tree
is 25,020 units)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_pages import APP

from dashboard import data, heap
from pipelines import auth, catalogue, db, reports, snapshot

pytestmark = pytest.mark.usefixtures("fast_hashing")
ADMIN = "admin.shared"
PAGES = ["overview", "okr", "upload", "admin_users", "admin_strategy"]


@pytest.fixture
def site(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BSC_DB", str(demo_db))
    with db.open_db(demo_db) as con:
        assert auth.add_user(con, username=ADMIN, role="admin", password="admin-pass-2568", by="test") == []
        snapshot.publish(con, demo_db)
    data.read_cache_clear()
    return demo_db


@pytest.fixture
def tree_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per read of the org tree, wherever it is read."""
    reads: list[int] = []
    real = reports.org_units_tree

    def counted(con):
        reads.append(1)
        return real(con)

    monkeypatch.setattr(reports, "org_units_tree", counted)
    return reads


def session(db_path: Path) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    with db.open_db(db_path) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, ADMIN)
    return app


def visit(app: AppTest, page: str) -> AppTest:
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def test_two_sessions_visiting_every_page_read_the_org_tree_once_and_share_it(site: Path,
                                                                            tree_reads: list[int]) -> None:
    first, second = session(site), session(site)
    for app in (first, second):
        app.run()
        assert not app.exception, [error.value for error in app.exception]
        for page in PAGES[1:]:
            visit(app, page)
            app.run()  # a second run of the same page reads nothing again
            assert not app.exception, [error.value for error in app.exception]
    assert len(tree_reads) == 1
    assert first.session_state["_filters"] is None  # the last page (the strategy editor) draws its own pickers
    first.switch_page("app_pages/overview.py").run()
    second.switch_page("app_pages/overview.py").run()
    mine, theirs = first.session_state["_filters"], second.session_state["_filters"]
    assert mine.units is theirs.units  # one frame for every session, not a copy in each
    assert mine.unit_names() is theirs.unit_names()
    assert len(tree_reads) == 1


def test_a_publish_reads_the_tree_again_and_every_session_sees_it(site: Path, tree_reads: list[int]) -> None:
    app = session(site)
    app.run()
    before = app.session_state["_filters"]
    assert before.unit_label == before.unit["name_th"] != "สำนักงานทดสอบ"
    with db.open_db(site) as con:
        con.execute("UPDATE org_unit SET name_th = 'สำนักงานทดสอบ' WHERE code = ?", [before.unit_code])
        snapshot.publish(con, site)
    app.run()
    after = app.session_state["_filters"]
    assert len(tree_reads) == 2
    assert after.unit_label == "สำนักงานทดสอบ"
    assert after.units is not before.units
    assert any(label.endswith("สำนักงานทดสอบ") for label in app.selectbox(key="filter_unit").options)


def test_the_strategy_editor_offers_the_year_s_kpi_codes_without_loading_its_catalogue(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor needs the year's KPI codes only; the catalogue is every KPI with all its owners (625,000 rows at
    5M): loading it raised the server's peak by about 150 MB."""
    loaded: list[int] = []
    real = catalogue._kpi_defs

    def counted(*args):
        loaded.append(1)
        return real(*args)

    monkeypatch.setattr(catalogue, "_kpi_defs", counted)
    app = session(site)
    app.run()
    visit(app, "admin_strategy")
    app.radio(key="editor_kind").set_value("key_result").run()
    app.radio(key="editor_action").set_value("add").run()
    assert not app.exception and not app.error, [error.value for error in [*app.exception, *app.error]]
    assert loaded == []


class FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def mallopt(self, option: int, value: int) -> int:
        self.calls.append(("mallopt", option, value))
        return 1

    def malloc_trim(self, pad: int) -> int:
        self.calls.append(("malloc_trim", pad))
        return 1


def test_every_page_run_hands_the_freed_heap_back_even_when_the_page_stops(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    libc = FakeLibc()
    monkeypatch.setattr(heap, "_LIBC", libc)
    signed_out = AppTest.from_file(APP, default_timeout=60).run()  # the login form: the page ends in st.stop
    assert not signed_out.exception
    app = session(site)
    app.run()
    visit(app, "kpi")
    assert libc.calls == [("malloc_trim", 0)] * 3


def test_the_server_limits_malloc_arenas_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    libc = FakeLibc()
    monkeypatch.setattr(heap, "_LIBC", libc)
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert heap.limit_arenas()
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert not heap.limit_arenas()
    assert libc.calls == [("mallopt", -8, heap.ARENAS)]
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    monkeypatch.delitem(sys.modules, "dashboard.server", raising=False)
    importlib.import_module("dashboard.server")  # what `streamlit run dashboard/server.py` runs first
    assert libc.calls == [("mallopt", -8, heap.ARENAS)] * 2

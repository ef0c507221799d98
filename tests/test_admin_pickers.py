"""The admin and upload pages' pickers and tables at a ministry's scale (issue 12): above filters.PICKER_LIMIT units
or KPIs a picker offers the chosen value and a search box's matches, not every option on every run; above
ui.TABLE_ROWS a table of every unit shows its first rows, says how many there are and downloads them all. The
organisation is made "large" by lowering the limits, as tests/test_searchable_pickers.py does."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_strategy_edit import strategy_db  # noqa: F401  (the fixture: samples with a 2568 strategy)

from dashboard import filters, ui
from tests.accounts_support import add_accounts, page, query, signed_in, table, texts

pytestmark = pytest.mark.usefixtures("fast_hashing")

LIMIT = 1
"""The sample organisation has three units (AG, PLAN, LAW): with a limit of one, every unit picker is 'large'."""


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "PICKER_LIMIT", LIMIT)


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def admin_page(db_path: Path, name: str, username: str = "admin") -> AppTest:
    app = signed_in(page(name), db_path, username).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def search(app: AppTest, name: str, text: str) -> AppTest:
    app.text_input(key=f"filter_{name}_search").set_value(text)
    return app.run()


def click(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click()
    return app.run()


# --- users -------------------------------------------------------------------------------------------------------

def test_the_add_account_unit_picker_is_bounded_and_an_account_is_added_for_a_unit_found_by_thai_name(
    site: Path, small_limit: None
) -> None:
    app = admin_page(site, "admin_users.py")
    picker = app.selectbox(key="add_unit")
    assert picker.options == ["— ไม่ระบุ —", "AG · สำนักงานตัวอย่าง"]  # "no unit" kept, then the first match
    assert any("แสดง 2 จาก 4 รายการ" in caption.value for caption in app.caption)
    app = search(app, "add_unit", "กฎหมาย")
    assert app.selectbox(key="add_unit").options == ["— ไม่ระบุ —", "LAW · กองกฎหมาย"]
    app.text_input(key="add_username").input("somchai.k")
    app.selectbox(key="add_role").set_value("division_head")
    app.selectbox(key="add_unit").set_value("LAW")
    app.text_input(key="add_password").input("somchai-pass-1")
    app = click(app, "เพิ่มผู้ใช้")
    assert not app.exception and texts(app, "error") == []
    assert texts(app, "success") == ["เพิ่มผู้ใช้ somchai.k แล้ว"]
    assert query(site, "SELECT role, unit_code FROM app_user WHERE username = 'somchai.k'") == [
        ("division_head", "LAW")]


def test_the_edit_unit_picker_keeps_the_accounts_unit_and_finds_another_by_code(site: Path, small_limit: None
                                                                                ) -> None:
    app = admin_page(site, "admin_users.py")
    assert len(app.selectbox(key="edit_username").options) == LIMIT  # thousands of accounts: searched too
    app = search(app, "edit_username", "plan.h")
    app.selectbox(key="edit_username").set_value("plan.head").run()
    picker = app.selectbox(key="edit_unit")
    assert "PLAN · กองแผนงาน" in picker.options and len(picker.options) <= LIMIT + 2  # no unit, the account's, a match
    app = search(app, "edit_unit", "law")
    assert "LAW · กองกฎหมาย" in app.selectbox(key="edit_unit").options
    app.selectbox(key="edit_unit").set_value("LAW")
    app = click(app, "บันทึกการแก้ไข")
    assert not app.exception and texts(app, "error") == []
    assert query(site, "SELECT unit_code FROM app_user WHERE username = 'plan.head'") == [("LAW",)]


def test_under_the_limit_the_users_page_is_as_before(site: Path) -> None:
    app = admin_page(site, "admin_users.py")
    assert not [box for box in app.text_input if box.key and box.key.endswith("_search")]
    assert [option.split(" · ")[0] for option in app.selectbox(key="add_unit").options] == [
        "— ไม่ระบุ —", "AG", "PLAN", "LAW"]


# --- upload ------------------------------------------------------------------------------------------------------

def test_the_upload_unit_picker_searches_the_units_an_admin_may_submit_for(site: Path, small_limit: None) -> None:
    app = admin_page(site, "upload.py", "admin")
    assert len(app.selectbox(key="upload_unit").options) <= LIMIT + 1
    app = search(app, "upload_unit", "แผนงาน")
    assert "PLAN · กองแผนงาน" in app.selectbox(key="upload_unit").options
    app.selectbox(key="upload_unit").set_value("PLAN").run()
    assert not app.exception and app.selectbox(key="upload_unit").value == "PLAN"


def test_a_division_head_still_submits_only_for_their_unit(site: Path, small_limit: None) -> None:
    app = admin_page(site, "upload.py", "plan.head")
    assert app.selectbox(key="upload_unit").options == ["PLAN · กองแผนงาน"]
    assert not [box for box in app.text_input if box.key == "filter_upload_unit_search"]


# --- strategy editor ---------------------------------------------------------------------------------------------

def test_the_strategy_editor_offers_the_named_units_and_the_search_matches(strategy_db: Path,  # noqa: F811
                                                                            monkeypatch: pytest.MonkeyPatch,
                                                                            small_limit: None) -> None:
    monkeypatch.setenv("BSC_DB", str(strategy_db))
    app = admin_page(strategy_db, "admin_strategy.py")
    app.radio(key="editor_kind").set_value("key_result")
    app.radio(key="editor_action").set_value("add")
    app.run()
    prefix = "key_result:add::"
    def offered() -> list[str]:
        return [option.split(" · ")[0] for option in app.selectbox(key=prefix + "owner_unit").options]

    app = search(app, "editor_unit", "กฎหมาย")
    assert offered() == ["— ไม่ระบุ —", "PLAN", "LAW"]  # the units the strategy names (PLAN, LAW), the matches
    app = search(app, "editor_unit", "ตัวอย่าง")
    assert "AG" in offered()
    app = search(app, "editor_kpi", "p-0")
    app.text_input(key=prefix + "key_result_code").set_value("KR9")
    app.selectbox(key=prefix + "objective_code").set_value("O1")
    app.text_input(key=prefix + "name_th").set_value("ผลลัพธ์ใหม่")
    app.selectbox(key=prefix + "owner_unit").set_value("AG")
    next(button for button in app.button if button.label == "ตรวจและบันทึกการแก้ไข").click()
    app.run()
    assert not app.exception
    assert query(strategy_db, "SELECT owner_unit FROM key_results WHERE key_result_code = 'KR9'") == [("AG",)]


# --- periods -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_timeliness_table_shows_its_first_rows_and_downloads_every_unit(
    site: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr(ui, "TABLE_ROWS", 1)
    app = page("admin_periods.py")
    app.query_params["lang"] = lang
    app = signed_in(app, site, "admin")
    app.session_state["filter_lang"] = lang
    app.run()
    app.selectbox(key="period_year").set_value(2568)
    app.selectbox(key="period_quarter").set_value(2)
    app.run()
    assert not app.exception
    assert len(table(app, "unit_code", "timeliness")) == 1
    expected = "แสดง 1 แถวแรกจากทั้งหมด 2 แถว" if lang == "th" else "first 1 of 2 rows"
    assert any(expected in caption.value for caption in app.caption), texts(app, "caption")
    assert len([button for button in app.get("download_button") if "timeliness" in button.proto.id]) == 2


# --- audit and review --------------------------------------------------------------------------------------------

def test_the_audit_trail_shows_its_first_rows_and_the_actor_picker_searches(site: Path, small_limit: None,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui, "TABLE_ROWS", 1)
    app = admin_page(site, "admin_audit.py")
    assert len(app.selectbox(key="audit_actor").options) <= LIMIT + 1  # "everyone" and the first match
    app = search(app, "audit_actor", "law")
    assert "law.head" in app.selectbox(key="audit_actor").options
    assert len(table(app, "actor", "detail")) == 1
    assert any("แสดง 1 แถวแรก" in caption.value for caption in app.caption)


def test_the_review_queue_picker_finds_a_submission_by_the_units_thai_name(site: Path, small_limit: None,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from test_approval import require_approval

    from pipelines import workflows
    from tests.accounts_support import filled_template

    monkeypatch.setattr(ui, "TABLE_ROWS", 1)
    require_approval(site)
    for unit, kpis in (("PLAN", {"P-01": 90, "P-02": 15}), ("LAW", None)):
        data = filled_template(site, unit, 2568, 3, kpis or {})
        stored = workflows.submit_files(site, [(f"{unit}_q3.xlsx", data)], by="admin", channel="web")
        assert not stored.problems, stored.problems
    app = admin_page(site, "review.py", "rev")
    assert len(app.selectbox(key="review_choice").options) == LIMIT
    assert len(table(app, "unit_code", "submitted_by")) == 1
    app = search(app, "review_choice", "กฎหมาย")
    assert any(option.startswith("LAW") for option in app.selectbox(key="review_choice").options)
    [(law,)] = query(site, "SELECT max(submission_id) FROM submission WHERE unit_code = 'LAW'")
    app.selectbox(key="review_choice").set_value(law).run()
    assert not app.exception
    assert any("LAW" in text for text in texts(app, "subheader"))

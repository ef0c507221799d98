"""The SQL page (วิเคราะห์ข้อมูล SQL) as a new user met it (issue 10 item 11) and its limits as a user reads them
(issue 9 items 2, 9, 15), driven by AppTest like tests/test_sql_page.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import saved_queries, snapshot, sqlconsole
from tests.accounts_support import page, signed_in, texts
from tests.sql_page_support import EDITOR, run, sql_page, sql_page_site

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def db(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples and the test accounts; the page reads env BSC_DB and the snapshot beside it."""
    return sql_page_site(sample_db, monkeypatch)


def every_text(app: AppTest) -> str:
    """Everything the page shows as text, to look for what must not be there."""
    parts = [element.value for kind in ("caption", "markdown", "error", "warning", "info", "success", "code")
             for element in app.get(kind)]
    return "\n".join(str(part) for part in parts)


def test_a_query_saved_appears_in_the_saved_tab_at_once_and_is_picked(db: Path) -> None:
    app = sql_page(db)
    app.text_area(key=EDITOR).set_value("SELECT * FROM pmqa_coverage")
    app.text_input(key="sql_save_title").set_value("PMQA gaps")
    app.button(key="sql_save").click()
    app.run()
    assert not app.exception
    assert app.success[0].value == "Saved “PMQA gaps”"
    picker = app.selectbox(key="sql_saved_pick")
    assert picker.options == ["PMQA gaps"] and picker.value == "PMQA gaps"


def test_a_query_run_appears_in_the_history_tab_at_once(db: Path) -> None:
    app = run(sql_page(db), "SELECT 1 AS one")
    options = app.selectbox(key="sql_history_pick").options
    assert len(options) == 1 and options[0].endswith(" · ok · SELECT 1 AS one")


def test_saving_without_a_title_warns_and_saves_nothing(db: Path) -> None:
    app = sql_page(db)
    app.button(key="sql_save").click()
    app.run()
    assert app.warning[0].value == "Give a title and some SQL (at most 100,000 characters) to save"
    assert not [box for box in app.selectbox if box.key == "sql_saved_pick"]


@pytest.mark.parametrize("sql,x,y", [
    ("SELECT score, unit_code FROM unit_scores", "unit_code", "score"),
    ("SELECT fiscal_year, quarter, score FROM unit_scores", "fiscal_year", "quarter"),
    ("SELECT unit_code, quarter, score FROM unit_scores", "unit_code", "quarter"),
    ("SELECT score FROM unit_scores", "(row number)", "score"),
])
def test_the_quick_chart_never_opens_with_one_column_on_both_axes(db: Path, sql: str, x: str, y: str) -> None:
    app = run(sql_page(db), sql)
    assert not app.exception
    x_box, y_box = app.selectbox(key="sql_chart_x"), app.selectbox(key="sql_chart_y")
    assert (x_box.format_func(x_box.value), y_box.value) == (x, y)
    assert app.get("plotly_chart")


def test_a_new_result_gets_new_chart_axes(db: Path) -> None:
    app = run(sql_page(db), "SELECT unit_code, quarter, score FROM unit_scores")
    app.selectbox(key="sql_chart_y").set_value("score")
    app.run()
    run(app, "SELECT quarter, fiscal_year FROM unit_scores")
    assert app.selectbox(key="sql_chart_x").value == "quarter"
    assert app.selectbox(key="sql_chart_y").value == "fiscal_year"


def test_the_audit_page_and_the_sql_page_say_where_the_audit_trail_can_be_analysed(db: Path) -> None:
    audit = signed_in(page("admin_audit.py"), db, "admin")
    audit.query_params["lang"] = "en"
    audit.run()
    help_text = audit.caption[0].value
    assert "download it as CSV" in help_text and "SQL page cannot query it" in help_text
    assert "Admins can also query it" not in help_text
    sql = sql_page(db, "admin")
    assert any("cannot be queried here" in caption and "audit page" in caption for caption in texts(sql, "caption"))
    refused = run(sql, "SELECT * FROM audit_log")
    assert "no table or view named audit_log" in refused.error[0].value


def test_the_schema_browser_describes_views_and_columns_in_thai_in_the_thai_interface(db: Path) -> None:
    captions = texts(sql_page(db, lang="th"), "caption")
    assert "`INTEGER[]` รายการหมวด PMQA 1-7 ที่เชื่อมโยง เช่น [2, 7]; ว่างเมื่อไม่มี" in captions
    assert "หนึ่งแถวต่อตัวชี้วัดและผู้รับผิดชอบในแต่ละปีงบประมาณ (ตัวชี้วัดที่มีผู้รับผิดชอบสองหน่วยมีสองแถว)" in captions
    assert not any("list of linked PMQA categories" in caption for caption in captions)
    english = texts(sql_page(db, lang="en"), "caption")
    assert "`INTEGER[]` list of linked PMQA categories 1-7, e.g. [2, 7]; empty when none" in english


@pytest.mark.parametrize("sql", ["SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM '/etc/passwd'",
                                 "SELECT * FROM read_text('/etc/hostname')"])
def test_a_file_read_is_refused_with_the_products_own_thai_message(db: Path, sql: str) -> None:
    app = run(sql_page(db, lang="th"), sql)
    assert not app.exception and not app.dataframe
    message = app.error[0].value
    assert message.startswith("ไม่อนุญาต: หน้านี้ไม่อนุญาตให้อ่านหรือเขียนไฟล์")
    assert "this page does not allow reading or writing any file" in message
    assert "Permission Error" not in message and "disabled by configuration" not in message and "root:" not in message


def test_an_error_after_the_first_batch_is_shown_as_a_message_not_a_traceback(db: Path) -> None:
    app = run(sql_page(db), "SELECT CASE WHEN range < 200000 THEN range ELSE error('boom') END AS n FROM range(400000)")
    assert not app.exception and not app.dataframe
    assert app.error[0].value.startswith("Error: ") and "boom" in app.error[0].value


@pytest.mark.parametrize("sql", ["SELECT * FROM duckdb_settings()", "SELECT * FROM duckdb_databases()",
                                 "SELECT current_setting('temp_directory')"])
def test_server_paths_are_never_shown(db: Path, sql: str) -> None:
    app = run(sql_page(db), sql)
    assert not app.exception and not app.dataframe
    assert app.error[0].value.startswith("Refused: ") and "shows details of the server" in app.error[0].value
    assert str(snapshot.snapshot_path(db).parent) not in every_text(app)


@pytest.mark.xdist_group("limits")
def test_a_query_over_the_memory_limit_gets_a_clear_message_and_the_page_keeps_working(db: Path) -> None:
    app = run(sql_page(db), "SELECT list(range(400000000))")
    assert not app.exception
    assert app.error[0].value.startswith("Memory limit: ") and "memory limit" in app.error[0].value
    run(app, "SELECT count(*) AS n FROM kpi_results")
    assert app.dataframe[0].value["n"].tolist() == [12]


def test_a_result_over_the_byte_cap_is_cut_with_a_warning(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlconsole, "RESULT_BYTE_LIMIT", 1024 * 1024)
    app = run(sql_page(db), "SELECT repeat('x', 1000) AS s FROM range(100000)")
    assert not app.exception
    warning = app.warning[0].value
    assert warning.startswith("The result is over 1 MB: only the first ") and "rows were kept" in warning
    kept = len(app.dataframe[0].value)
    assert 500 < kept < 1100


def test_the_intro_states_every_limit(db: Path) -> None:
    intro = texts(sql_page(db), "caption")[0]
    assert "stopped after 30 s or at 2 GB of memory" in intro and "1,000,000 rows or 64 MB of result" in intro


def test_the_editor_holds_at_most_the_query_length_limit(db: Path) -> None:
    """Streamlit enforces the text area's max_chars on the server too; the runner refuses longer text itself
    (tests/security/test_sql_attacks.py)."""
    app = run(sql_page(db), "SELECT 1 AS one" + " " * sqlconsole.MAX_SQL_CHARACTERS)
    assert len(app.text_area(key=EDITOR).value) == sqlconsole.MAX_SQL_CHARACTERS
    assert [len(entry.sql) for entry in saved_queries.history(db, "ana")] == [sqlconsole.MAX_SQL_CHARACTERS]


def test_without_a_snapshot_the_page_says_what_to_do_but_not_where_the_server_keeps_it(db: Path) -> None:
    folder = snapshot.snapshot_path(db).parent
    snapshot.snapshot_path(db).unlink()
    app = sql_page(db)
    assert "python -m pipelines snapshot" in app.info[0].value
    assert str(folder) not in every_text(app)

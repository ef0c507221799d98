"""The SQL page (วิเคราะห์ข้อมูล SQL) driven by AppTest: who may open it, running, errors, every refusal, the limits,
the schema browser, examples, saved queries and history."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import saved_queries, snapshot, sqlconsole
from tests.accounts_support import page, query, signed_in, texts
from tests.sql_page_support import EDITOR, run, sql_page, sql_page_site

pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def db(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The samples and the test accounts; the page reads env BSC_DB and the snapshot beside it."""
    return sql_page_site(sample_db, monkeypatch)


def result_table(app: AppTest):
    return app.dataframe[0].value


def test_an_analyst_runs_a_query_and_sees_rows_count_and_time(db: Path) -> None:
    app = run(sql_page(db), "SELECT unit_code, round(score, 4) AS score FROM unit_scores "
                            "WHERE fiscal_year = 2568 AND quarter = 2 ORDER BY unit_code")
    assert not app.exception
    assert result_table(app).values.tolist() == [["AG", 3.0083], ["LAW", 3.0], ["PLAN", 3.0167]]
    assert any(caption.startswith("3 rows · ") and caption.endswith(" s") for caption in texts(app, "caption"))
    assert not app.error


def test_thai_is_the_default_language(db: Path) -> None:
    app = signed_in(page("sql.py"), db, "ana").run()
    assert app.title[0].value == "วิเคราะห์ข้อมูล SQL"
    assert app.button(key="sql_run").label == "รัน"


@pytest.mark.parametrize("username", ["ana", "admin"])
def test_analysts_and_admins_may_open_the_page(db: Path, username: str) -> None:
    app = sql_page(db, username)
    assert not app.exception and not app.error
    assert app.text_area(key=EDITOR).value.startswith("SELECT")


@pytest.mark.parametrize("username", ["boss", "plan.head"])
def test_other_roles_are_refused_and_the_refusal_is_audited(db: Path, username: str) -> None:
    app = sql_page(db, username)
    assert app.error and not app.text_area
    assert query(db, "SELECT count(*) FROM audit_event WHERE actor = ? AND action = 'access_denied'",
                 [username]) == [(1,)]


def test_nobody_signed_in_sees_only_the_login_form(db: Path) -> None:
    app = page("sql.py").run()
    assert not app.exception
    assert [widget.key for widget in app.text_input] == ["login_username", "login_password"]
    assert not app.text_area


def test_a_duckdb_error_shows_message_line_and_caret_not_a_traceback(db: Path) -> None:
    app = run(sql_page(db), "SELECT unit_code,\n       scroe\nFROM unit_scores")
    assert not app.exception
    message = app.error[0].value
    assert message.startswith("Error: ") and 'column "scroe" not found' in message
    assert "line 2, ตำแหน่ง/column 8" in message
    assert app.code[0].value == "       scroe\n       ^"
    assert "Traceback" not in message and not app.dataframe


PAGE_REFUSALS = {
    "SELECT * FROM read_csv('/etc/passwd')": "does not allow reading or writing any file",
    "SELECT * FROM read_parquet('/tmp/x.parquet')": "does not allow reading or writing any file",
    "SELECT * FROM glob('/*')": "does not allow reading or writing any file",
    "COPY kpi_results TO '/tmp/leak.csv'": "COPY reads or writes files",
    "ATTACH '/tmp/other.duckdb' AS other": "ATTACH opens another database",
    "INSTALL httpfs": "INSTALL and LOAD",
    "LOAD httpfs": "INSTALL and LOAD",
    "SET enable_external_access = true": "which are locked",
    "RESET lock_configuration": "which are locked",
    "PRAGMA database_size": "PRAGMA and IMPORT DATABASE are not allowed",
    "CREATE TABLE mine AS SELECT 1": "read-only",
    "INSERT INTO submission_value (submission_id, kpi_code, status) VALUES (1, 'X', 'x')": "read-only",
    "UPDATE submission_value SET actual = 0": "read-only",
    "DELETE FROM submission": "read-only",
    "DROP VIEW kpi_results": "read-only",
    "SELECT 1; DROP VIEW kpi_results": "one statement at a time",
}


@pytest.mark.parametrize("sql,words", PAGE_REFUSALS.items(), ids=list(PAGE_REFUSALS))
def test_each_refusal_is_shown_as_a_message_and_changes_nothing(db: Path, sql: str, words: str) -> None:
    snap = snapshot.snapshot_path(db)
    before = snap.read_bytes()
    app = run(sql_page(db), sql)
    assert not app.exception and not app.dataframe
    assert words in app.error[0].value
    assert snap.read_bytes() == before
    assert not Path("/tmp/leak.csv").exists()
    assert query(db, "SELECT outcome FROM query_history WHERE username = 'ana'")[0][0] in ("refused", "error")


def test_a_slow_query_is_stopped_at_the_time_limit_with_a_clear_message(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlconsole, "TIME_LIMIT_SECONDS", 0.5)
    app = run(sql_page(db), "SELECT count(*) FROM range(1000000000000)")
    assert not app.exception
    assert app.error[0].value.startswith("Time limit: ") and "0.5 s time limit" in app.error[0].value
    assert query(db, "SELECT outcome FROM query_history") == [("timeout",)]


def test_the_table_shows_at_most_the_display_limit_and_says_so(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlconsole, "DISPLAY_ROW_LIMIT", 5)
    app = run(sql_page(db), "SELECT * FROM kpi_results")
    assert len(result_table(app)) == 5
    assert "Showing the first 5 of 12 rows; the downloads have them all" in texts(app, "caption")


def test_a_result_beyond_the_download_cap_is_cut_with_a_warning(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlconsole, "DOWNLOAD_ROW_LIMIT", 100)
    app = run(sql_page(db), "SELECT range FROM range(1000)")
    assert "More than 100 rows: only the first 100 were kept" in app.warning[0].value


def test_clicking_a_view_or_column_in_the_schema_inserts_its_name(db: Path) -> None:
    app = sql_page(db)
    app.text_area(key=EDITOR).set_value("SELECT")
    app.button(key="sql_schema_kpi_results_score").click()
    app.run()
    app.button(key="sql_schema_kpi_results").click()
    app.run()
    assert app.text_area(key=EDITOR).value == "SELECT score kpi_results"
    expanders = [expander.label for expander in app.expander]
    assert expanders[:3] == ["org_units", "org_tree", "kpi_catalogue"] and "audit_log" not in expanders
    assert "`INTEGER[]` list of linked PMQA categories 1-7, e.g. [2, 7]; empty when none" in texts(app, "caption")


def test_an_example_opens_in_the_editor_and_runs(db: Path) -> None:
    app = sql_page(db)
    app.selectbox(key="sql_example_pick").set_value(3)
    app.button(key="sql_example_load").click()
    app.run()
    assert app.text_area(key=EDITOR).value == saved_queries.EXAMPLES[3].sql
    app.button(key="sql_run").click()
    app.run()
    assert result_table(app)["category"].tolist() == [1, 2, 3, 4, 5, 6, 7]


def test_a_saved_query_comes_back_in_a_later_session_and_can_be_deleted(db: Path) -> None:
    app = sql_page(db)
    app.text_area(key=EDITOR).set_value("SELECT * FROM pmqa_coverage")
    app.text_input(key="sql_save_title").set_value("PMQA gaps")
    app.button(key="sql_save").click()
    app.run()
    assert app.success[0].value == "Saved “PMQA gaps”"

    later = sql_page(db)
    assert later.selectbox(key="sql_saved_pick").value == "PMQA gaps"
    later.button(key="sql_saved_load").click()
    later.run()
    assert later.text_area(key=EDITOR).value == "SELECT * FROM pmqa_coverage"
    later.button(key="sql_saved_delete").click()
    later.run()
    assert saved_queries.saved_queries(db, "ana") == []


def test_saved_queries_are_per_user(db: Path) -> None:
    saved_queries.save_query(db, "admin", "admin only", "SELECT 1")
    app = sql_page(db, "ana")
    assert not [box for box in app.selectbox if box.key == "sql_saved_pick"]
    assert "No saved queries yet" in texts(app, "caption")


def test_every_run_goes_to_the_users_history_newest_first(db: Path) -> None:
    app = sql_page(db)
    run(app, "SELECT 1 AS one")
    run(app, "SELECT nope")
    history = saved_queries.history(db, "ana")
    assert [(entry.sql, entry.outcome, entry.row_count) for entry in history] == [
        ("SELECT nope", "error", None), ("SELECT 1 AS one", "ok", 1)]
    again = sql_page(db)
    options = again.selectbox(key="sql_history_pick").options
    assert " · error · SELECT nope" in options[0] and " · ok · SELECT 1 AS one" in options[1]
    again.selectbox(key="sql_history_pick").set_value(1)
    again.button(key="sql_history_load").click()
    again.run()
    assert again.text_area(key=EDITOR).value == "SELECT 1 AS one"


def test_a_result_gets_a_quick_chart_with_chosen_axes(db: Path) -> None:
    app = run(sql_page(db), "SELECT unit_code, quarter, score FROM unit_scores WHERE fiscal_year = 2568")
    assert app.selectbox(key="sql_chart_x").value == "unit_code"
    assert app.selectbox(key="sql_chart_y").value == "quarter"
    app.selectbox(key="sql_chart_y").set_value("score")
    app.selectbox(key="sql_chart_colour").set_value("quarter")
    app.selectbox(key="sql_chart_kind").set_value("line")
    app.run()
    assert not app.exception
    assert app.get("plotly_chart")


def test_without_a_snapshot_the_page_says_how_to_make_one(db: Path) -> None:
    snapshot.snapshot_path(db).unlink()
    app = sql_page(db)
    assert not app.exception and not app.text_area
    assert "python -m pipelines snapshot" in app.info[0].value


def test_excel_download_is_offered_up_to_its_own_cap(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlconsole, "XLSX_ROW_LIMIT", 10)
    small = run(sql_page(db), "SELECT * FROM org_units")  # 3 rows
    large = run(sql_page(db), "SELECT * FROM kpi_results")  # 12 rows
    assert [button.proto.disabled for button in small.get("download_button")] == [False, False, False]
    assert [button.proto.disabled for button in large.get("download_button")] == [False, True, False]
    assert "Over 10 rows for Excel" in large.get("download_button")[1].proto.help

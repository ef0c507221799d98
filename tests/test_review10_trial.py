"""What the second new-user trial of issue 10 found on the merged code (review 10): each test fails on the code
before its fix. The browser-only findings are in tests/test_browser_links.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n, ui
from pipelines import auth, db, periods
from pipelines.domain import DIMENSIONS
from tests.accounts_support import XLSX_MIME, add_accounts, filled_template, page, query, signed_in, table


def test_the_audit_trail_reads_a_deadline_in_be(sample_db: Path) -> None:
    """The audit page shows the detail as stored: a deadline there read '2025-10-15' next to BE dates."""
    with db.open_db(sample_db) as con:
        assert periods.set_deadline(con, 2568, 2, dt.date(2025, 10, 15), by="admin") == []
        assert periods.set_deadline(con, 2568, 3, None, by="admin") == []
    details = [row[0] for row in query(sample_db, "SELECT detail FROM audit_event WHERE action = 'deadline_set' "
                                                  "ORDER BY event_id")]
    assert details[0].startswith("15 ต.ค. 2568") and "15 Oct 2568" in details[0], details
    assert "ยกเลิก" in details[1] and "cleared" in details[1]


def test_table_headers_name_the_unit_of_measure_and_the_org_unit_apart() -> None:
    """The overview's ten-KPI table headed both the unit of measure and the org unit 'Unit' in English."""
    for lang in i18n.LANGUAGES:
        shown = [i18n.t(ui.SHORT_HEADERS.get(key, key), lang) for key in ("kpi_unit", "unit_name", "unit_code")]
        assert len(set(shown)) == len(shown), (lang, shown)


def test_the_overview_overdue_line_reads_as_english() -> None:
    line = i18n.t("overview_timeliness", "en", period="Q3 FY2568", deadline="15 Oct 2568", overdue=1, late=9)
    assert "1 units overdue" not in line and "overdue" in line and "late" in line


def test_after_a_save_in_english_the_result_table_names_the_kpis_in_english(
        empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The saved result listed the KPIs by their Thai names in the English page."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    add_accounts(empty_catalogue_db)
    with db.open_db(empty_catalogue_db) as con:
        con.execute("UPDATE kpi SET name_en = 'Projects on plan' WHERE kpi_code = 'P-01'")
        con.execute("UPDATE kpi SET name_en = 'Days to publish the report' WHERE kpi_code = 'P-02'")
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    app = signed_in(page("upload.py"), empty_catalogue_db, "plan.head")
    app.query_params["lang"] = "en"
    app.run()
    app.selectbox(key="upload_fiscal_year").set_value(2568)
    app.selectbox(key="upload_quarter").set_value(2)
    app.run()
    data = filled_template(empty_catalogue_db, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15})
    app.file_uploader(key="upload_file").set_value(("PLAN_2568_Q2.xlsx", data, XLSX_MIME))
    app.run()
    next(button for button in app.button if button.key == "upload_confirm").click()
    app.run()
    assert not app.exception
    shown = table(app, "kpi_code", "name", "actual", "score", "status")
    assert shown["name"].tolist() == ["Projects on plan", "Days to publish the report"]


def test_a_provisional_score_card_says_incomplete_and_how_much_weight_is_reported() -> None:
    """On the overview's four dimension cards the badge 'ข้อมูลยังไม่ครบ · รายงานแล้ว 25.0%' ran over the card's
    right edge. The card is now Streamlit's own elements in a bordered container: the title in full, st.metric
    with the dimension's line, a badge naming the status, and the reported weight in the line under it."""
    app = AppTest.from_string(
        "from dashboard import ui\n"
        "ui.score_card('มิติด้านประสิทธิภาพของการปฏิบัติราชการ', '3.8875', 'provisional',"
        " ['รายงานแล้ว 25.0% ของน้ำหนัก'], 'th', trend=[3.1, 3.8875])\n",
        default_timeout=60,
    ).run()
    [card] = app.get("flex_container")
    assert [m.value for m in card.markdown] == ["**มิติด้านประสิทธิภาพของการปฏิบัติราชการ**", ":blue-badge[ข้อมูลยังไม่ครบ]"]
    assert [(metric.label, metric.value) for metric in card.metric] == [
        ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "3.8875")]
    assert list(card.metric[0].proto.chart_data) == [3.1, 3.8875]
    assert [c.value for c in card.caption] == ["รายงานแล้ว 25.0% ของน้ำหนัก"]
    assert not any("<span" in m.value or "<div" in m.value for m in app.markdown)


def test_submission_matrix_rows_are_tall_enough_for_three_line_labels() -> None:
    """With deadlines set, a cell reads 'ฉบับที่ 1 / ขาด 1 ตัวชี้วัด / ล่าช้า 410 วัน': three lines in a row drawn
    40 px tall, so the first and last lines were cut off."""
    import pandas as pd

    from dashboard import charts

    units = ["SEC", "JPP", "JDC", "NCFC", "NCFC-AN-P1", "JSD", "NET", "ADR", "ICT", "PSD"]
    cells = pd.DataFrame([
        {"unit_code": code, "name_th": code, "name_en": code, "quarter": quarter, "state": "partial",
         "cell_text": "ฉบับที่ 1<br>ขาด 1 ตัวชี้วัด<br>ล่าช้า 410 วัน"}
        for code in units for quarter in (1, 2, 3, 4)])
    figure = charts.submission_matrix(cells, "th", "หน่วยงาน × ไตรมาส")
    plot_height = figure.layout.height - 60
    assert plot_height / len(units) >= 3 * 16, figure.layout.height  # 12-px text at about 16 px a line


def test_a_query_on_a_name_that_is_no_public_view_is_answered_in_thai(sample_db: Path) -> None:
    """`SELECT * FROM audit_log` on the SQL page answered with DuckDB's English 'Catalog Error: Table with name
    audit_log does not exist! Did you mean "duckdb_logs"?' in the Thai UI."""
    from pipelines import snapshot, sqlconsole

    outcome = sqlconsole.run_query(snapshot.snapshot_path(sample_db), "SELECT *\nFROM audit_log LIMIT 3")
    assert isinstance(outcome, sqlconsole.QueryError) and outcome.kind == "error"
    assert "ไม่มีตารางหรือวิวชื่อ audit_log" in outcome.message and "บันทึกการใช้งาน" in outcome.message
    assert "duckdb_logs" not in outcome.message
    assert (outcome.line, outcome.column) == (2, 6)
    typo = sqlconsole.run_query(snapshot.snapshot_path(sample_db), "SELECT * FROM unit_score")
    assert "ไม่มีตารางหรือวิวชื่อ unit_score" in typo.message and "บันทึกการใช้งาน" not in typo.message


def test_the_admin_periods_page_shows_one_period_picker(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quarters page showed its own year and quarter (today's, ไตรมาส 1/2569 ...) beside the sidebar's
    (ไตรมาส 2/2568): two periods on one screen, and the deadline saved for the page's one."""
    from streamlit.testing.v1 import AppTest

    from tests.accounts_support import ROOT

    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    app = signed_in(AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60), sample_db, "admin")
    app.run()
    app.switch_page("app_pages/admin_periods.py").run()
    assert not app.exception
    keys = [box.key for box in app.selectbox]
    assert "period_year" in keys and "period_quarter" in keys
    assert not {"filter_fiscal_year", "filter_quarter"} & set(keys)


def test_heatmap_column_labels_on_top_leave_room_for_the_toolbar() -> None:
    """The submission matrix's 'ไตรมาส 4' column label sat under plotly's toolbar (top margin 50 px holds the
    title only)."""
    import pandas as pd

    from dashboard import charts

    cells = pd.DataFrame([{"unit_code": "SEC", "name_th": "สลก.", "name_en": "SEC", "quarter": quarter,
                           "state": "submitted", "cell_text": "ฉบับที่ 1"} for quarter in (1, 2, 3, 4)])
    heat = pd.DataFrame([{"unit_code": "SEC", "unit_name": "สลก.", "dimension": code, "score": 3.0,
                          "status": "on_track"} for code in DIMENSIONS])
    for figure in (charts.submission_matrix(cells, "th", "หน่วยงาน × ไตรมาส"),
                   charts.dimension_heatmap(heat, "th", "คะแนนหน่วยงาน × มิติ")):
        assert figure.layout.xaxis.side == "top" and figure.layout.margin.t >= 80

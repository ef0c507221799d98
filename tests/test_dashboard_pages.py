"""Every dashboard page under streamlit.testing.v1.AppTest, in Thai and English, on the fixture databases.

Values are the hand-checked sample figures (FY 2568 Q2: PLAN 3.0167, LAW 3.0000, agency AG 3.0083; AG by
dimension 3.2500 / 3.0000 / 2.6667 / none), read from what the page shows: metrics, cards, tables and the
data of the plotly figures.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
PAGES = ["overview", "dimensions", "units", "kpi", "pmqa", "submissions"]
EXECUTIVE = "exec.test"


def signed_in_app(db_path: Path) -> AppTest:
    """The app behind its login gate, with a real session of an executive (any role may read these pages)."""
    app = AppTest.from_file(APP, default_timeout=60)
    if db_path.exists():
        with db.open_db(db_path) as con:
            if not con.execute(
                "SELECT count(*) FROM app_user WHERE username = ?", [EXECUTIVE]
            ).fetchone()[0]:
                assert auth.add_user(con, username=EXECUTIVE, role="executive", password="exec-pass-2568",
                                     by="test") == []
            app.session_state["auth_session_id"] = auth.start_session(con, EXECUTIVE)
    return app


def open_page(monkeypatch, db_path: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("BSC_DB", str(db_path))
    app = signed_in_app(db_path)
    app.query_params.update(params)
    app.run()
    if page != "overview":
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def plain(value):
    """Plotly ships numeric arrays as typed buffers ({'dtype', 'bdata'}); lists of them stay lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return [None if isinstance(v, float) and np.isnan(v) else v for v in array.tolist()]
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def has_data(figure: dict) -> bool:
    def values(trace: dict) -> list:
        found = []
        for key in ("x", "y", "z", "r"):
            value = plain(trace.get(key))
            if isinstance(value, list):
                flat = [v for row in value for v in (row if isinstance(row, list) else [row])]
                found += [v for v in flat if v is not None]
        return found

    return any(values(trace) for trace in figure["data"])


def texts(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [m.value for m in app.info] + [m.value for m in app.warning]
    parts += [m.value for m in app.caption] + [m.value for m in app.title] + [m.value for m in app.subheader]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_every_chart_with_data(monkeypatch, sample_db, page, lang):
    app = open_page(monkeypatch, sample_db, page, lang=lang)
    charts = figures(app)
    assert charts, f"{page} drew no chart"
    assert all(has_data(figure) for figure in charts)
    buttons = [button.proto.label for button in app.get("download_button")]
    assert ("ดาวน์โหลด CSV" if lang == "th" else "Download CSV") in buttons
    assert ("ดาวน์โหลด Excel" if lang == "th" else "Download Excel") in buttons


def test_filters_default_to_the_latest_quarter_and_the_agency_and_go_into_the_link(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview")
    assert app.selectbox(key="filter_fiscal_year").value == 2568
    assert app.selectbox(key="filter_quarter").value == 2
    assert app.selectbox(key="filter_unit").value == "AG"
    assert app.radio(key="filter_lang").value == "th"
    assert app.query_params == {"lang": "th", "fy": "2568", "q": "2", "unit": "AG"}


def test_a_shared_link_opens_the_view_it_names_and_ignores_what_does_not_fit(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview", fy="2599", q="1", unit="NOPE", lang="en")
    assert app.selectbox(key="filter_fiscal_year").value == 2568  # no such year: the default
    assert app.selectbox(key="filter_quarter").value == 1
    assert app.selectbox(key="filter_unit").value == "AG"
    assert app.metric[0].label == "Weighted score, Q1 FY2568"
    assert app.metric[0].value == "2.1000"


def test_overview_shows_the_agency_score_its_change_and_the_dimension_cards(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview")
    metric = app.metric[0]
    assert (metric.label, metric.value, metric.delta) == ("คะแนนเฉลี่ยถ่วงน้ำหนัก ไตรมาส 2/2568", "3.0083", "+0.9083")
    cards = app.metric[1:]
    badges = [m.value for m in app.markdown if "-badge[" in m.value][1:]  # the first is the agency's
    assert [(card.label, card.value) for card in cards] == [
        ("มิติด้านประสิทธิผล", "3.2500"), ("มิติด้านคุณภาพการให้บริการ", "3.0000"),
        ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "2.6667"), ("มิติด้านการพัฒนาองค์กร", "–")]
    assert badges == [":green-badge[บรรลุเป้าหมาย]", ":green-badge[บรรลุเป้าหมาย]", ":yellow-badge[ต้องเฝ้าระวัง]",
                      ":gray-badge[ยังไม่รายงาน]"]
    assert list(cards[0].proto.chart_data) == [2.1, 3.25]  # effectiveness, Q1 and Q2: its line
    assert not cards[2].proto.chart_data  # efficiency has one quarter: no line
    assert "น้ำหนัก 30.0% ของทั้งหมด" in [caption.value for caption in app.caption]
    assert not any("<div" in m.value or "<span" in m.value for m in app.markdown)


def test_overview_trend_heat_map_and_worst_kpis_carry_the_sample_numbers(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview", lang="en")
    trend, heat = figures(app)
    lines = {trace["name"]: dict(zip(trace["x"], plain(trace["y"]), strict=True)) for trace in trend["data"]}
    assert lines["Effectiveness"] == {"Q1 FY2568": 2.1, "Q2 FY2568": 3.25, "Q3 FY2568": None, "Q4 FY2568": None}
    assert lines["Efficiency"]["Q2 FY2568"] == pytest.approx(2.6667, abs=1e-4)
    cells = heat["data"][0]
    assert cells["y"] == ["Planning Division", "Legal Division"]
    assert cells["text"] == [["3.2500", "", "2.6667", ""], ["", "3.0000", "", ""]]
    below = app.dataframe[0].value
    assert list(below["Code"]) == ["P-02"]
    assert list(below.iloc[0][["Score", "Status", "Actual", "Target", "Progress % of target"]]) == [
        "2.6667", "At risk", "15", "14", "93.3%"]


def test_overview_of_a_division_counts_only_its_subtree(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview", unit="PLAN")
    assert app.metric[0].value == "3.0167"


def test_dimensions_page_shows_one_dimension_across_units(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "dimensions", lang="en", dim="efficiency")
    assert app.metric[0].value == "2.6667"
    bars, statuses, weights = figures(app)
    assert bars["data"][0]["x"] == ["P-02 · PLAN"]
    assert plain(bars["data"][0]["y"]) == [pytest.approx(2.6667, abs=1e-4)]
    assert bars["data"][0]["marker"]["color"] == ["#f9a825"]
    assert dict(zip(statuses["data"][0]["x"], plain(statuses["data"][0]["y"]), strict=True)) == {
        "On track": 0, "At risk": 1, "Off track": 0, "Not reported": 0}
    assert dict(zip(weights["data"][0]["y"], plain(weights["data"][0]["x"]), strict=True)) == {
        "Planning Division": 40.0, "Legal Division": 0.0}
    assert app.query_params["dim"] == "efficiency"


def test_units_page_shows_a_divisions_scorecard_beside_its_siblings(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "units", unit="PLAN")
    assert app.metric[0].value == "3.0167"
    effectiveness, efficiency = (table.value for table in app.dataframe)  # a table per dimension
    columns = ["รหัส", "คะแนน", "สถานะ", "ร้อยละของเป้าหมาย"]
    assert effectiveness[columns].values.tolist() == [["P-01", "3.2500", "บรรลุเป้าหมาย", "103.6%"]]
    assert efficiency[columns].values.tolist() == [["P-02", "2.6667", "ต้องเฝ้าระวัง", "93.3%"]]
    # the scores of the last eight quarters as a line on 0-5; quarters without one are left out (a missing point
    # would stop Streamlit's line cell from drawing at all)
    assert list(effectiveness["แนวโน้ม 8 ไตรมาส"].iloc[0]) == [2.1, 3.25]
    assert list(efficiency["แนวโน้ม 8 ไตรมาส"].iloc[0]) == [2.6667]
    assert "background-color: #2e7d32" in app.dataframe[0].proto.arrow_data.styler.styles  # the status in its colour
    assert "background-color: #f9a825" in app.dataframe[1].proto.arrow_data.styler.styles
    assert [m.value for m in app.markdown if "-badge[" in m.value][1:] == [
        "**มิติด้านประสิทธิผล** · คะแนน 3.2500 :green-badge[บรรลุเป้าหมาย]",
        "**มิติด้านประสิทธิภาพของการปฏิบัติราชการ** · คะแนน 2.6667 :yellow-badge[ต้องเฝ้าระวัง]"]
    trend = json.loads(app.dataframe[0].proto.columns)["แนวโน้ม 8 ไตรมาส"]["type_config"]
    assert (trend["type"], trend["y_min"], trend["y_max"]) == ("line_chart", 0, 5)
    peers = figures(app)[0]["data"][0]
    assert dict(zip(peers["y"], peers["text"], strict=True)) == {"กองแผนงาน": "3.0167", "กองกฎหมาย": "3.0000"}


def test_units_page_for_the_agency_says_it_owns_no_kpi_and_shows_its_divisions(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "units", lang="en")
    assert app.metric[0].label == "Agency-wide score" and app.metric[0].value == "3.0083"
    assert "Sample Office owns no KPIs itself in fiscal year 2568" in texts(app)
    peers = figures(app)[0]["data"][0]
    assert dict(zip(peers["y"], peers["text"], strict=True)) == {
        "Sample Office": "3.0083", "Planning Division": "3.0167", "Legal Division": "3.0000"}


def test_kpi_page_draws_actuals_against_the_five_levels_with_notes_and_history(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "kpi", kpi="P-01", lang="en")
    assert app.selectbox(key="filter_kpi").value == "P-01"
    figure = figures(app)[0]
    line = figure["data"][0]
    assert line["name"] == "PLAN · Planning Division"
    assert plain(line["y"]) == [61.0, 72.5, None, None]
    bands = [shape for shape in figure["layout"]["shapes"] if shape.get("type") == "rect"]
    assert sorted((b["y0"], b["y1"]) for b in bands)[1:5] == [(50, 60), (60, 70), (70, 80), (80, 90)]
    history = app.dataframe[-1].value
    assert list(history["Quarter"]) == ["1", "2"] and list(history["Score"]) == ["2.1000", "3.2500"]


def test_pmqa_page_shows_coverage_groups_matrix_and_gaps_in_words(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "pmqa", lang="en")
    bars, radar = figures(app)
    weight = bars["data"][0]
    assert plain(weight["y"]) == pytest.approx([50, 30, 0, 20, 0, 50, 30])
    warnings = [w.value for w in app.warning]
    assert warnings == ["Category 3 Customer and stakeholder focus: no KPI", "Category 5 Workforce focus: no KPI"]
    groups = app.dataframe[0].value
    assert list(groups["Group"]) == ["Think", "Prepare", "Do"]
    assert list(groups["Score"]) == ["3.0938", "3.2500", "2.9048"]
    matrix = app.dataframe[1].value
    assert list(matrix.loc[matrix["Code"] == "L-01", ["1", "6", "7"]].iloc[0]) == ["✓", "✓", ""]


def test_submission_page_shows_unit_by_quarter_states_and_counts(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "submissions")
    matrix, counts = figures(app)
    cells = matrix["data"][0]
    assert cells["y"] == ["PLAN · กองแผนงาน", "LAW · กองกฎหมาย"]
    assert cells["text"][0][0] == "ฉบับที่ 1<br>ขาด 1 ตัวชี้วัด"
    assert cells["text"][0][1].startswith("ฉบับที่ 1<br>") and cells["text"][1][0] == "–"
    by_state = {trace["name"]: plain(trace["y"]) for trace in counts["data"]}
    assert by_state == {"ส่งแล้ว": [0, 2, 0, 0], "ส่งบางส่วน": [1, 0, 0, 0], "ยังไม่ส่ง": [1, 0, 2, 2]}


def test_switching_the_language_in_the_sidebar_relabels_the_page(monkeypatch, sample_db):
    app = open_page(monkeypatch, sample_db, "overview")
    app.radio(key="filter_lang").set_value("en").run()
    assert app.title[0].value == "Performance overview"
    assert app.query_params["lang"] == "en"
    assert app.metric[0].value == "3.0083"


# --- empty states ---------------------------------------------------------------------------------------------

EMPTY_MESSAGES = {
    "overview": "Nothing reported yet for Sample Office in Q1 FY2568",
    "dimensions": "Nothing reported yet for Sample Office in Q1 FY2568",
    "units": "None of these units has a score in this quarter",
    "kpi": "KPI L-01 has not been reported in fiscal year 2568",
    "pmqa": "No category has a score in this quarter yet",
    "submissions": "No unit has submitted anything in fiscal year 2568",
}


@pytest.mark.parametrize("page", PAGES)
def test_a_year_without_submissions_says_so_and_draws_no_empty_chart(monkeypatch, empty_catalogue_db, page):
    app = open_page(monkeypatch, empty_catalogue_db, page, lang="en")
    assert EMPTY_MESSAGES[page] in texts(app)
    assert all(has_data(figure) for figure in figures(app))


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_missing_database_tells_how_to_build_one(monkeypatch, tmp_path, lang):
    app = open_page(monkeypatch, tmp_path / "none.duckdb", "overview", lang=lang)
    assert "make run" in "\n".join([e.value for e in app.error] + [i.value for i in app.info])
    assert not figures(app)


def test_a_database_without_org_units_or_catalogue_says_what_to_load(monkeypatch, tmp_path):
    path = tmp_path / "bsc.duckdb"
    db.init_database(path)
    app = open_page(monkeypatch, path, "overview", lang="en")
    assert "No org units loaded yet" in texts(app)
    assert not figures(app)


def test_a_unit_without_kpis_says_so(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "overview", unit="NCFC-AN", fy="2567", lang="en")
    assert app.metric[0].value != "–"  # the individual below it reports
    app = open_page(monkeypatch, demo_db, "units", unit="NCFC-AN", lang="en")
    assert "owns no KPIs itself" in texts(app)


def test_a_new_submission_shows_at_once(monkeypatch, sample_db, samples_dir):
    from tests.support import run_cli

    app = open_page(monkeypatch, sample_db, "overview", fy="2568", q="1", unit="LAW", lang="en")
    assert app.metric[0].value == "–"
    law_q1 = sample_db.parent / "law_q1.csv"
    law_q1.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,1,L-01,4\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(law_q1)) == 0
    app.run()
    assert app.metric[0].value == "4.0000"


def test_every_filter_combination_of_the_demo_renders_without_exception(monkeypatch, demo_db):
    """Each page for each org unit in the latest quarter, and for the agency and an individual in an empty
    quarter and in the first quarter of the data: no exception and no empty chart anywhere."""
    monkeypatch.setenv("BSC_DB", str(demo_db))
    for page in PAGES:
        app = signed_in_app(demo_db)
        app.run()
        if page != "overview":
            app.switch_page(f"app_pages/{page}.py").run()
        units = [option.split(" · ")[0].strip("\u2003└ ") for option in app.selectbox(key="filter_unit").options]
        combinations = [(2568, 2, unit) for unit in units]
        for year, quarter in ((2568, 4), (2567, 1)):
            combinations += [(year, quarter, "OJA"), (year, quarter, units[-1])]
        for fiscal_year, quarter, unit in combinations:
            app.selectbox(key="filter_fiscal_year").set_value(fiscal_year)
            app.selectbox(key="filter_quarter").set_value(quarter)
            app.selectbox(key="filter_unit").set_value(unit).run()
            where = (page, fiscal_year, quarter, unit)
            assert not app.exception, (where, [e.value for e in app.exception])
            assert app.selectbox(key="filter_unit").value == unit, where
            assert all(has_data(figure) for figure in figures(app)), where

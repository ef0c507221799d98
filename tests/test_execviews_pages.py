"""Issue 10 items 2 and 3 on the executive pages, on a copy of the demo database.

One division (ICT, 10 % of the agency's KPI weight) files FY 2568 Q3 early: the dashboard keeps opening on Q2,
and Q3 reads "ข้อมูลยังไม่ครบ · รายงานแล้ว 10.0%" instead of a verdict on every page. Deadlines set through
pipelines.periods make units late or overdue, and the submission status page and the overview say so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from dashboard import ui
from pipelines import db, periods, snapshot
from tests.support import run_cli
from tests.test_dashboard_pages import figures, open_page, plain, texts

PROVISIONAL_COLOUR = "#546e7a"  # in the charts
PROVISIONAL_BADGE = f":{ui.BADGE_COLOURS['provisional']}-badge["  # Streamlit's badge, in its Markdown form
ON_TRACK, OFF_TRACK = "บรรลุเป้าหมาย", "ต่ำกว่าเป้าหมาย"


def file_next_quarter_for(db_path: Path, unit: str) -> None:
    """`unit` submits FY 2568 Q3 with its Q2 actuals, through the CLI like any file."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT kpi_code, actual FROM kpi_results WHERE unit_code = ? AND fiscal_year = 2568 "
                           "AND quarter = 2 ORDER BY kpi_code", [unit]).fetchall()
    lines = ["division,fiscal_year,quarter,kpi_code,actual"]
    lines += [f"{unit},2568,3,{code},{'' if actual is None else actual}" for code, actual in rows]
    file = db_path.parent / f"{unit}_2568_Q3.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli(db_path, "ingest", str(file), "--by", "test") == 0


@pytest.fixture
def early_q3(demo_db: Path) -> Path:
    file_next_quarter_for(demo_db, "ICT")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        pct = con.execute("SELECT reported_weight_pct FROM unit_scores "
                          "WHERE unit_code = 'OJA' AND fiscal_year = 2568 AND quarter = 3").fetchone()
    assert pct == (10.0,)
    return demo_db


def badge_list(app) -> list[str]:
    return [m.value for m in app.markdown if "-badge[" in m.value]


def badges(app) -> str:
    return "\n".join(badge_list(app))


def test_one_early_division_does_not_move_the_default_period(monkeypatch, early_q3):
    app = open_page(monkeypatch, early_q3, "overview")
    assert (app.selectbox(key="filter_fiscal_year").value, app.selectbox(key="filter_quarter").value) == (2568, 2)
    assert app.query_params["q"] == "2"


@pytest.mark.parametrize(("lang", "badge"), [("th", "ข้อมูลยังไม่ครบ · รายงานแล้ว 10.0%"),
                                              ("en", "Incomplete · 10.0% reported")])
def test_overview_of_a_barely_reported_quarter_gives_no_verdict(monkeypatch, early_q3, lang, badge):
    app = open_page(monkeypatch, early_q3, "overview", fy="2568", q="3", lang=lang)
    assert app.metric[0].value != "–"  # the score is still computed and shown
    headline = badges(app)
    assert badge in headline and PROVISIONAL_BADGE in headline
    assert "บรรลุเป้าหมาย" not in headline and "On track" not in headline
    assert "50%" in texts(app)  # the note states the rule
    cards = zip(app.metric[1:5], badge_list(app)[1:5], strict=True)  # the four dimension cards
    scored = [badge for metric, badge in cards if metric.value != "–"]
    assert scored and all(badge.startswith(PROVISIONAL_BADGE) for badge in scored)
    heat = figures(app)[1]["data"][0]
    hover = dict(zip(heat["y"], heat["customdata"], strict=True))
    ict = hover["ICT Centre" if lang == "en" else "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร (ศทส.)"]
    assert not any("Incomplete" in cell or "ข้อมูลยังไม่ครบ" in cell for cell in ict)  # ICT reported all its weight


def test_dimensions_page_of_a_barely_reported_quarter_gives_no_verdict(monkeypatch, early_q3):
    app = open_page(monkeypatch, early_q3, "dimensions", fy="2568", q="3", dim="efficiency")
    assert app.metric[0].value != "–"
    assert "ข้อมูลยังไม่ครบ · รายงานแล้ว" in badges(app) and PROVISIONAL_BADGE in badges(app)
    assert ON_TRACK not in badges(app) and OFF_TRACK not in badges(app)


def test_units_page_of_a_barely_reported_quarter_gives_the_agency_no_verdict(monkeypatch, early_q3):
    app = open_page(monkeypatch, early_q3, "units", fy="2568", q="3", lang="en")
    assert app.metric[0].label == "Agency-wide score" and app.metric[0].value != "–"
    assert "Incomplete · 10.0% reported" in badges(app)
    peers = figures(app)[0]["data"][0]
    colours = dict(zip(peers["y"], peers["marker"]["color"], strict=True))
    assert colours["Office of Justice Affairs"] == PROVISIONAL_COLOUR
    assert colours["ICT Centre"] != PROVISIONAL_COLOUR
    # ICT itself reported all its weight: its own scorecard has a verdict
    app = open_page(monkeypatch, early_q3, "units", fy="2568", q="3", unit="ICT", lang="en")
    assert "Incomplete" not in badges(app)


def test_submission_page_shows_each_quarters_reported_weight_with_the_provisional_badge(monkeypatch, early_q3):
    app = open_page(monkeypatch, early_q3, "submissions", fy="2568", q="3")
    assert "ข้อมูลยังไม่ครบ · รายงานแล้ว 10.0%" in badges(app)
    assert "ข้อมูลยังไม่ครบ · รายงานแล้ว 71.0%" not in badges(app)  # Q2 has a verdict
    assert "รายงานแล้ว 71.0% ของน้ำหนัก" in texts(app)


def test_views_let_an_analyst_filter_provisional_scores(early_q3):
    with db.open_db(early_q3, read_only=True) as con:
        agency = con.execute("SELECT provisional, status, score_status FROM unit_scores "
                             "WHERE unit_code = 'OJA' AND fiscal_year = 2568 AND quarter = 3").fetchone()
        assert agency[:2] == (True, "provisional") and agency[2] != "provisional"
        rows = con.execute("SELECT DISTINCT quarter FROM unit_scores WHERE provisional AND unit_code = 'OJA' "
                           "AND fiscal_year = 2568").fetchall()
        assert rows == [(3,)]
        statuses = con.execute("SELECT DISTINCT status FROM dimension_scores WHERE unit_code = 'OJA' "
                               "AND fiscal_year = 2568 AND quarter = 3 AND score IS NOT NULL").fetchall()
        assert statuses == [("provisional",)]


# --- late and overdue ---------------------------------------------------------------------------------------


@pytest.fixture
def with_deadlines(early_q3: Path) -> Path:
    """Q2's deadline three days ago (the demo's files were stored today: every one is 3 days late, and NET, which
    filed nothing, is 3 days overdue); Q3's yesterday (ICT 1 day late, the nine others overdue)."""
    today = dt.date.today()
    with db.open_db(early_q3) as con:
        assert periods.set_deadline(con, 2568, 2, today - dt.timedelta(days=3), by="admin.test") == []
        assert periods.set_deadline(con, 2568, 3, today - dt.timedelta(days=1), by="admin.test") == []
        snapshot.publish(con, early_q3)  # as every writer does: the pages read the snapshot
    return early_q3


def test_submission_page_counts_on_time_late_and_overdue_units_per_quarter(monkeypatch, with_deadlines):
    app = open_page(monkeypatch, with_deadlines, "submissions", fy="2568", q="2", lang="en")
    titled = {figure["layout"]["title"]["text"]: figure for figure in figures(app)}
    timeliness = titled["On time, late and overdue per quarter"]
    by_state = {trace["name"]: plain(trace["y"]) for trace in timeliness["data"]}
    assert by_state["Late"] == [0, 9, 1, 0]
    assert by_state["Overdue"] == [0, 1, 9, 0]
    assert by_state["On time"] == [0, 0, 0, 0]
    colours = {trace["name"]: trace["marker"]["color"] for trace in timeliness["data"]}
    assert colours["Late"] == "#c62828" and colours["Overdue"] == "#6a1b9a"
    late = app.dataframe[-1].value
    net = late[(late["Unit code"] == "NET") & (late["Quarter"] == "2")].iloc[0]
    assert (net["Timeliness"], net["Days late"]) == ("Overdue", "3")
    ict = late[(late["Unit code"] == "ICT") & (late["Quarter"] == "3")].iloc[0]
    assert (ict["Timeliness"], ict["Days late"]) == ("Late", "1")
    assert len(late) == 20
    matrix = titled["Unit × quarter"]["data"][0]
    row = matrix["y"].index(next(label for label in matrix["y"] if label.startswith("SEC ·")))
    assert "3 days late" in matrix["text"][row][1]


def test_submission_page_without_deadlines_says_none_is_set(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "submissions", lang="en")
    assert "No deadline set for FY 2568 yet" in texts(app)


def test_overview_says_how_many_units_are_overdue_and_late_and_links_to_the_submission_page(
        monkeypatch, with_deadlines):
    app = open_page(monkeypatch, with_deadlines, "overview", fy="2568", q="2")
    assert "เลยกำหนดแล้วยังไม่ส่ง 1 หน่วยงาน · ส่งล่าช้า 9 หน่วยงาน" in texts(app)
    links = app.get("page_link")
    assert [link.proto.label for link in links] == ["ดูสถานะการส่งข้อมูล"]
    assert links[0].proto.page.endswith("submissions")
    app = open_page(monkeypatch, with_deadlines, "overview", fy="2568", q="3", lang="en")
    assert "units overdue (nothing submitted) 9 · submitted late 1" in texts(app)

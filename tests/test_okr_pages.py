"""The OKR page and the strategy map (issue 13) under AppTest on the demo (FY 2568, the dashboard's default Q2),
in Thai and English, read from what the pages show: tables, alerts, the plotly figures' data, the links.

Hand-checked demo figures, FY 2568 Q2 (each key result's KPIs are those of DEMO_STRATEGY, results of its owner):
- KR1.1 (NCFC): NCFC-01 w60 score 0, NCFC-02 w40 score 2.2 -> (60*0 + 40*2.2) / 100 = 0.88;
- KR1.2 (NCFC): NCFC-05 w60 score 1, NCFC-03 w20 score 3.575, NCFC-04 w20 not reported -> (60 + 71.5) / 80 = 1.64375;
- KR1.3 (ICT) 3.208, KR1.4 (JDC) 2.0 -> OBJ1 = (0.88 + 1.64375 + 3.208 + 2.0) / 4 = 1.9329375: progress
  100 * 1.9329375 / 3 = 64.4 %, off track (below level 2);
- OBJ4 0.0 (two of its three key results scored 0, 66.7 % reported), OBJ3 1.76275, OBJ5 2.2162 (at risk),
  OBJ2 4.5 with half its key-result weight reported (exactly 50 % is not provisional): progress capped at 100 %.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest

from dashboard import charts
from pipelines import auth, db, roles
from pipelines.domain import AGGREGATE_STATUSES
from tests.test_dashboard_pages import figures, open_page, plain, signed_in_app, texts

OFF, AT_RISK, ON = (AGGREGATE_STATUSES[code][2] for code in ("off_track", "at_risk", "on_track"))
URGENT_ORDER = ["OBJ4", "OBJ3", "OBJ1", "OBJ5", "OBJ2"]  # off track by least progress, at risk, on track
HEADERS = {"th": ("สถานะ", "รหัส", "ร้อยละของเป้าหมาย", "คะแนน", "หน่วยงานที่รับผิดชอบผลลัพธ์หลัก"),
           "en": ("Status", "Code", "Progress % of target", "Score", "Units holding its key results")}


def okr_progress(db_path: Path, quarter: int = 2) -> dict[str, tuple]:
    """objective or key result code -> (progress_pct, score, status) of the view, FY 2568."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT coalesce(key_result_code, objective_code), progress_pct, score, status "
                           "FROM okr_progress WHERE fiscal_year = 2568 AND quarter = ?", [quarter]).fetchall()
    return {code: (progress, score, status) for code, progress, score, status in rows}


def objectives_table(app, lang: str):
    status, code, progress, score, held = HEADERS[lang]
    return next(element.value for element in app.dataframe if held in element.value.columns)[
        [status, code, progress, score, held]]


def test_the_hand_checked_figures_are_the_views(demo_db):
    view = okr_progress(demo_db)
    assert view["KR1.1"][1] == pytest.approx(0.88) and view["KR1.2"][1] == pytest.approx(1.64375)
    assert view["OBJ1"] == (pytest.approx(64.43125), pytest.approx(1.9329375), "off_track")
    assert view["OBJ5"][2] == "at_risk" and view["OBJ2"][:2] == (100.0, 4.5) and view["OBJ4"][1] == 0


@pytest.mark.parametrize("lang", ["th", "en"])
def test_okr_page_lists_every_objective_most_urgent_first_with_the_views_progress(monkeypatch, demo_db, lang):
    app = open_page(monkeypatch, demo_db, "okr", lang=lang)
    table = objectives_table(app, lang)
    status, code, progress, score, held = HEADERS[lang]
    assert list(table[code]) == URGENT_ORDER
    view = okr_progress(demo_db)
    names = {"th": {"off_track": "ต่ำกว่าเป้าหมาย", "at_risk": "ต้องเฝ้าระวัง", "on_track": "บรรลุเป้าหมาย"},
             "en": {"off_track": "Off track", "at_risk": "At risk", "on_track": "On track"}}[lang]
    for row in table.to_dict("records"):
        pct, value, state = view[row[code]]
        assert (row[progress], row[score], row[status]) == (f"{pct:.1f}%", f"{value:.4f}", names[state])
    obj1 = table[table[code] == "OBJ1"].iloc[0]
    assert (obj1[progress], obj1[score]) == ("64.4%", "1.9329")
    ict = "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร (ศทส.)" if lang == "th" else "ICT Centre"
    assert ict in obj1[held]
    formula = "100 × min(คะแนน, 3) / 3" if lang == "th" else "progress % = 100 × min(score, 3) / 3"
    assert formula in texts(app)


def test_okr_page_marks_the_objectives_off_track_and_at_risk_with_the_units_that_hold_them(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "okr", lang="en")
    errors, warnings = [e.value for e in app.error], [w.value for w in app.warning]
    assert [line.split("**")[1] for line in errors] == ["OBJ4", "OBJ3", "OBJ1"]
    assert [line.split("**")[1] for line in warnings] == ["OBJ5"]
    obj1 = errors[2]
    assert "Off track" in obj1 and "progress 64.4%" in obj1
    for unit in ("ICT Centre", "Justice Data Development Centre", "National Crime Forecasting Centre"):
        assert unit in obj1
    assert not any("OBJ2" in line for line in errors + warnings)


def test_okr_sunburst_sizes_by_weight_and_colours_by_status(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "okr", lang="th")
    sunburst = figures(app)[0]["data"][0]
    nodes = dict(zip(sunburst["ids"], zip(plain(sunburst["values"]), sunburst["marker"]["colors"], strict=True),
                     strict=True))
    assert len([node for node in nodes if "/" not in node]) == 5
    assert nodes["OBJ1"][1] == OFF and nodes["OBJ5"][1] == AT_RISK and nodes["OBJ1/KR1.3"][1] == ON
    # OBJ1's four key results share its fifth equally; KR1.1's KPIs split its share 60:40
    assert nodes["OBJ1/KR1.1/NCFC-01"][0] == pytest.approx(0.25 * 0.6)
    assert nodes["OBJ1/KR1.1/NCFC-02"][0] == pytest.approx(0.25 * 0.4)
    assert nodes["OBJ1/KR1.1/NCFC-01"][1] == OFF  # its score 0 in Q2


def kpi_links(app) -> dict[str, str]:
    return {link.proto.label: parse_qs(link.proto.query_string)["kpi"][0] for link in app.get("page_link")
            if link.proto.page == "kpi"}


def test_a_kpi_link_opens_that_kpi_even_after_another_kpi_was_viewed(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "kpi", lang="en")
    app.selectbox(key="filter_kpi").set_value("NCFC-01").run()  # the session keeps this choice
    app.switch_page("app_pages/okr.py").run()
    links = kpi_links(app)
    assert {"NCFC-01", "NCFC-02", "NCFC-05", "ICT-02", "PSD-01"} <= set(links)
    app.query_params["kpi"] = links["NCFC-02"]  # what a click on the link does: the page with its query
    app.switch_page("app_pages/kpi.py").run()
    assert not app.exception
    assert app.selectbox(key="filter_kpi").value == "NCFC-02"


def test_okr_page_for_a_division_shows_the_objectives_it_holds_a_key_result_of(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "okr", lang="en", unit="ICT")
    assert list(objectives_table(app, "en")["Code"]) == ["OBJ4", "OBJ1"]
    assert set(kpi_links(app)) == {"ICT-02", "ICT-01", "ICT-05"}
    assert "Only the key results ICT Centre and the units below it hold are shown" in texts(app)


def test_okr_page_opens_the_objective_the_link_names(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "okr", lang="en", objective="OBJ2")
    assert app.selectbox(key="filter_objective").value == "OBJ2"
    assert list(objectives_table(app, "en")["Code"]) == ["OBJ2"]
    assert "No objective is below or close to target in Q2 FY2568" in [s.value for s in app.success]


@pytest.mark.parametrize(("page", "lang", "message"), [
    ("okr", "th", "ยังไม่มีแผนยุทธศาสตร์ (OKR) ของปีงบประมาณ 2567"),
    ("okr", "en", "No strategy (OKR) is loaded for fiscal year 2567"),
    ("strategy_map", "th", "ยังไม่มีแผนยุทธศาสตร์ (OKR) ของปีงบประมาณ 2567"),
    ("strategy_map", "en", "No strategy (OKR) is loaded for fiscal year 2567"),
])
def test_a_year_without_a_strategy_says_so(monkeypatch, demo_db, page, lang, message):
    app = open_page(monkeypatch, demo_db, page, lang=lang, fy="2567", q="4")
    assert any(message in info.value for info in app.info)
    assert not figures(app) and not app.dataframe


@pytest.mark.parametrize("lang", ["th", "en"])
def test_strategy_map_places_objectives_in_their_layers_coloured_by_status_with_cause_and_effect(
        monkeypatch, demo_db, lang):
    app = open_page(monkeypatch, demo_db, "strategy_map", lang=lang)
    figure = figures(app)[0]
    points = figure["data"][0]
    layer = dict(zip(points["customdata"], plain(points["y"]), strict=True))
    assert layer == {"OBJ1": 3, "OBJ2": 2, "OBJ3": 1, "OBJ4": 0, "OBJ5": 3}  # org development at the bottom
    assert dict(zip(points["customdata"], points["marker"]["color"], strict=True)) == {
        "OBJ1": OFF, "OBJ2": ON, "OBJ3": OFF, "OBJ4": OFF, "OBJ5": AT_RISK}
    annotations = figure["layout"]["annotations"]
    arrows = [a for a in annotations if a.get("showarrow")]
    assert len(arrows) == 5  # the demo's five cause-and-effect links
    boxes = {re.split(" |<br>", a["text"])[0]: a for a in annotations if a.get("bgcolor") not in (None, "white")}
    assert boxes["OBJ4"]["bgcolor"] == OFF and boxes["OBJ2"]["bgcolor"] == ON
    plan_boxes = {re.split(" |<br>", a["text"])[0] for a in annotations if a.get("bgcolor") == "white"}
    assert plan_boxes == {"NS1", "NS6", "MP1", "MP20", "MP22", "MOJ1", "MOJ2", "OJA1", "OJA2", "OJA3"}
    layer_names = " ".join(a["text"] for a in annotations if not a.get("bgcolor") and not a.get("showarrow"))
    for name in (("ประสิทธิผล", "การพัฒนาองค์กร", "ยุทธศาสตร์ชาติ") if lang == "th"
                 else ("Effectiveness", "Organisational development", "National strategy")):
        assert name in layer_names
    link = next(link for link in app.get("page_link") if link.proto.page == "okr")
    assert parse_qs(link.proto.query_string) == {"objective": ["OBJ1"]}
    app.selectbox(key="map_objective").set_value("OBJ4").run()
    link = next(link for link in app.get("page_link") if link.proto.page == "okr")
    assert parse_qs(link.proto.query_string) == {"objective": ["OBJ4"]}


@pytest.mark.parametrize("role", list(roles.ROLES))
def test_every_role_may_open_both_pages(monkeypatch, demo_db, role):
    assert roles.may_open(role, "okr") and roles.may_open(role, "strategy_map")
    with db.open_db(demo_db) as con:
        assert auth.add_user(con, username="okr.reader", role=role, password="okr-reader-2568", by="test",
                             unit_code="JPP" if role == "division_head" else None) == []
        session = auth.start_session(con, "okr.reader")
    monkeypatch.setenv("BSC_DB", str(demo_db))
    app = signed_in_app(demo_db)
    app.session_state["auth_session_id"] = session
    app.run()
    for page, title in (("okr", "วัตถุประสงค์และผลลัพธ์หลัก (OKR)"), ("strategy_map", "แผนที่ยุทธศาสตร์")):
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception and [t.value for t in app.title] == [title]
        assert not any("ไม่มีสิทธิ์เปิดหน้านี้" in e.value for e in app.error)


@pytest.mark.parametrize("text", [
    "ขับเคลื่อนศูนย์พยากรณ์สถานการณ์อาชญากรรมแห่งชาติ (ศอช.) ให้เปิดดำเนินการได้จริง",
    "องค์การขับเคลื่อนด้วยข้อมูลและบุคลากรดิจิทัล",
    "Make the National Crime Forecasting Centre operational",
])
def test_a_wrapped_label_never_starts_a_line_with_a_thai_mark_nor_ends_one_with_a_leading_vowel(text):
    lines = charts.wrap_label(text, width=12, max_lines=10).split("<br>")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(len(line) <= 12 for line in lines)
    assert not any(charts._THAI_MARKS.match(line[0]) or line[-1] in charts._THAI_LEADING for line in lines)

"""Issue 14, the year-end forecast where decisions are made, on a copy of the demo database.

The overview shows the projected year-end agency and dimension scores (the kpi_forecasts view weighted as stored
scores are) and "KPIs at risk by year end" with the plain words beside each; the KPI detail page draws the
projection and its interval as a dotted continuation of the year-to-date line. The demo's FY 2568 has Q1 and Q2
reported, so the pages project as of Q2.

The constructed case: ADR resubmits its Q2 file with ADR-05 (complaints, lower is better, the run-rate method) at
3.5 instead of 3: today that scores 4.25 (on track, between t4 = 4 and t5 = 2), but the run-rate doubles it to 7 by
year end, which scores 2.5 (between t3 = 6 and t2 = 8): at risk by year end. JSD-01 is at risk today (2.0) but
projected at 4.0, and ICT-03 on track today and projected on track: neither is listed.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from pipelines import db, forecast, reports
from pipelines.domain import DIMENSIONS
from pipelines.scoring import format_score
from tests.support import run_cli
from tests.test_dashboard_pages import figures, open_page, plain, texts

YEAR, QUARTER = 2568, 2


def resubmit(db_path: Path, unit: str, changes: dict[str, float]) -> None:
    """`unit` files a new version of its FY 2568 Q2 file, its actuals with `changes`, through the CLI."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT kpi_code, actual FROM kpi_results WHERE unit_code = ? AND fiscal_year = ? "
                           "AND quarter = ? ORDER BY kpi_code", [unit, YEAR, QUARTER]).fetchall()
    values = {code: actual for code, actual in rows} | changes
    lines = ["division,fiscal_year,quarter,kpi_code,actual"]
    lines += [f"{unit},{YEAR},{QUARTER},{code},{'' if actual is None else actual}" for code, actual in values.items()]
    file = db_path.parent / f"{unit}_{YEAR}_Q{QUARTER}_v2.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli(db_path, "ingest", str(file), "--by", "test") == 0


@pytest.fixture
def at_risk_db(demo_db: Path) -> Path:
    resubmit(demo_db, "ADR", {"ADR-05": 3.5})
    return demo_db


def projected_scores(db_path: Path, unit: str) -> dict[str | None, tuple[float, float]]:
    """Computed here, independently of the product's query: dimension (None = all) -> (projected weighted score,
    percent of the weight projected; NaN where nothing is), from kpi_forecasts and the catalogue's weights of the
    subtree's KPIs."""
    with db.open_db(db_path, read_only=True) as con:
        frame = con.execute("""
            SELECT k.dimension, k.weight, f.projected_score
            FROM kpi_catalogue AS k
            LEFT JOIN kpi_forecasts AS f ON f.fiscal_year = k.fiscal_year AND f.as_of_quarter = ?
                  AND f.kpi_code = k.kpi_code AND f.unit_code = k.owner_code
            WHERE k.fiscal_year = ? AND k.owner_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = ?)
        """, [QUARTER, YEAR, unit]).df()
    found = {}
    for dimension, rows in [(None, frame), *frame.groupby("dimension")]:
        scored = rows[rows["projected_score"].notna()]
        weight = scored["weight"].sum()
        score = (scored["weight"] * scored["projected_score"]).sum() / weight if weight else math.nan
        found[dimension] = (score, 100 * weight / rows["weight"].sum())
    return found


def computed_words(db_path: Path, unit: str, kpi: str, lang: str) -> str:
    """The plain words of the KPI's projection as pipelines.forecast computes it afresh (not from the view)."""
    with db.open_db(db_path, read_only=True) as con:
        rows = forecast.forecasts(con, YEAR, QUARTER).rows
    row = rows[(rows["unit_code"] == unit) & (rows["kpi_code"] == kpi)].iloc[0]
    return forecast.plain_words(row, lang)


def beside_each(app) -> dict[str, str]:
    """KPI code -> the plain words the overview writes beside it (a line under the KPI's code, name and unit)."""
    found = {}
    for markdown in app.markdown:
        head, _, words = markdown.value.partition("  \n")
        if head.startswith("**") and words.startswith(("หากแนวโน้ม", "If the trend")):
            found[head[2:].split("**")[0]] = words
    return found


def outlook_of(db_path: Path, unit: str = "OJA") -> reports.YearEndOutlook:
    with db.open_db(db_path, read_only=True) as con:
        return reports.year_end_outlook(con, YEAR, QUARTER, unit)


@pytest.mark.parametrize("unit", ["OJA", "JPP"])
def test_the_projected_scores_are_the_forecasts_weighted_as_stored_scores_are(at_risk_db, unit):
    expected = projected_scores(at_risk_db, unit)
    outlook = outlook_of(at_risk_db, unit)
    assert outlook.score == pytest.approx(expected[None][0])
    assert outlook.projected_weight_pct == pytest.approx(expected[None][1])
    by_dimension = outlook.dimensions.set_index("dimension")
    assert list(by_dimension.index) == list(DIMENSIONS)
    for dimension, (score, pct) in expected.items():
        if dimension is not None:
            assert by_dimension.loc[dimension, "score"] == pytest.approx(score, nan_ok=True)
            assert by_dimension.loc[dimension, "projected_weight_pct"] == pytest.approx(pct)


def test_the_overview_shows_the_projected_scores_and_the_kpis_at_risk_by_year_end(monkeypatch, at_risk_db):
    outlook = outlook_of(at_risk_db)
    expected = projected_scores(at_risk_db, "OJA")
    app = open_page(monkeypatch, at_risk_db, "overview", fy=str(YEAR), q=str(QUARTER))
    assert "คาดการณ์ผลสิ้นปี ณ ไตรมาส 2/2568" in texts(app)
    assert "วิธีคาดการณ์ที่ระบบใช้ (เลือกจากการทดสอบย้อนหลังปีงบประมาณ 2567): อัตราสะสมเฉลี่ย 21 ตัวชี้วัด · " \
           "ค่าล่าสุด 12 ตัวชี้วัด" in texts(app)
    table = app.dataframe[-2].value
    scores = dict(zip(table["ขอบเขต"], table["คะแนนคาดการณ์สิ้นปี"], strict=True))
    assert scores["สำนักงานกิจการยุติธรรม"] == format_score(outlook.score) == format_score(expected[None][0])
    for dimension, (score, _) in expected.items():
        if dimension is not None:
            assert scores[DIMENSIONS[dimension][0]] == format_score(score)
    assert list(table["สถานะ"])[0] == "บรรลุเป้าหมาย"

    at_risk = app.dataframe[-1].value
    listed = beside_each(app)
    assert set(listed) == set(at_risk["รหัส"])
    assert "ADR-05" in listed
    assert listed["ADR-05"] == computed_words(at_risk_db, "ADR", "ADR-05", "th")
    assert listed["ADR-05"].startswith("หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา คาดว่าสิ้นปีจะได้ 2.5 (ช่วง ")
    assert listed["ADR-05"].endswith(") · วิธี: อัตราสะสมเฉลี่ย")
    row = at_risk[at_risk["รหัส"] == "ADR-05"].iloc[0]
    assert (row["คะแนน"], row["สถานะ"], row["คะแนนคาดการณ์สิ้นปี"]) == ("4.2500", "บรรลุเป้าหมาย", "2.5000")
    assert "JSD-01" not in listed and "ICT-03" not in listed  # projected at 4.0 and 3.4
    assert all(float(score) < 3 for score in at_risk["คะแนนคาดการณ์สิ้นปี"])


def test_the_at_risk_list_is_only_kpis_on_or_near_track_today_projected_below_level_3(at_risk_db):
    with db.open_db(at_risk_db, read_only=True) as con:
        expected = set(con.execute("""
            SELECT r.kpi_code FROM kpi_results AS r JOIN kpi_forecasts AS f
              ON f.fiscal_year = r.fiscal_year AND f.as_of_quarter = r.quarter AND f.kpi_code = r.kpi_code
             AND f.unit_code = r.unit_code
            WHERE r.fiscal_year = ? AND r.quarter = ? AND r.score >= 2 AND f.projected_score < 3
        """, [YEAR, QUARTER]).fetchall())
    outlook = outlook_of(at_risk_db)
    assert {(code,) for code in outlook.at_risk["kpi_code"]} == expected
    assert outlook.at_risk_count == len(expected) >= 1


def test_the_overview_in_english_and_at_q4_says_there_is_nothing_to_project(monkeypatch, at_risk_db):
    app = open_page(monkeypatch, at_risk_db, "overview", fy=str(YEAR), q=str(QUARTER), lang="en")
    assert "Year-end projection as of Q2 FY2568" in texts(app)
    at_risk = app.dataframe[-1].value
    assert list(at_risk.columns[:4]) == ["Code", "KPI", "Status", "Score"]
    assert "Projected year-end score" in at_risk.columns
    words = beside_each(app)["ADR-05"]
    assert words == computed_words(at_risk_db, "ADR", "ADR-05", "en")
    assert words.startswith("If the trend of the past quarters continues, the year should end at 2.5 (range ")
    assert words.endswith(") · method: run-rate")
    app = open_page(monkeypatch, at_risk_db, "overview", fy="2567", q="4", lang="en")
    assert "Q4 is the year-end result itself, so there is nothing to project" in texts(app)
    assert not any("Projected year-end score" in table.value.columns for table in app.dataframe)
    assert not beside_each(app)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_kpi_page_draws_the_projection_as_a_dotted_continuation_with_its_interval(monkeypatch, at_risk_db,
                                                                                      lang):
    with db.open_db(at_risk_db, read_only=True) as con:
        projection = reports.kpi_projection(con, YEAR, QUARTER, "OJA", "ADR-05").iloc[0]
    app = open_page(monkeypatch, at_risk_db, "kpi", fy=str(YEAR), q=str(QUARTER), kpi="ADR-05", lang=lang)
    traces = figures(app)[0]["data"]
    line, dotted = traces
    assert plain(line["y"])[1] == 3.5
    assert dotted["line"]["dash"] == "dot" and dotted["line"]["color"] == line["line"]["color"]
    assert dotted["x"] == [line["x"][1], line["x"][3]]  # from Q2, the last reported, to Q4
    assert plain(dotted["y"]) == [3.5, pytest.approx(projection["projected_actual"])]
    assert projection["projected_actual"] == pytest.approx(7.0)
    error = dotted["error_y"]
    assert plain(error["array"])[1] == pytest.approx(projection["high"] - 7.0)
    assert plain(error["arrayminus"])[1] == pytest.approx(7.0 - projection["low"])
    assert computed_words(at_risk_db, "ADR", "ADR-05", lang) in texts(app)
    assert ("projection as of Q2" if lang == "en" else "คาดการณ์ ณ ไตรมาส 2") in dotted["name"]


def test_the_kpi_page_at_q4_draws_no_projection(monkeypatch, at_risk_db):
    app = open_page(monkeypatch, at_risk_db, "kpi", fy="2567", q="4", kpi="ADR-05", lang="en")
    assert [trace.get("line", {}).get("dash") for trace in figures(app)[0]["data"]] == [None]
    assert "Q4 is the year-end result itself" in texts(app)

"""The dashboard's read functions (pipelines.reports) and exports, on the shared fixture databases.

Hand-checked sample values (DOMAIN section 6, tests/data/README.md), FY 2568 Q2:
PLAN 3.0167, LAW 3.0000, agency AG 3.0083; AG by dimension: effectiveness 3.2500, service_quality 3.0000,
efficiency 2.6667, org_development none.  FY 2568 Q1: only PLAN reported, P-01 2.1 (P-02 empty) -> AG 2.1.
"""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from pipelines import db, export, reports
from pipelines.scoring import format_score, weighted_score


@pytest.fixture
def sample(sample_db):
    with db.open_db(sample_db, read_only=True) as con:
        yield con


@pytest.fixture
def demo(demo_db):
    with db.open_db(demo_db, read_only=True) as con:
        yield con


def scores_of(frame: pd.DataFrame, key: str, value: str = "score") -> dict[str, str]:
    return {row[key]: format_score(None if pd.isna(row[value]) else row[value]) for _, row in frame.iterrows()}


def test_periods_default_to_the_latest_submitted_quarter(sample):
    assert reports.periods(sample) == reports.Periods([2568], (2568, 2), (2568, 2))


def test_periods_without_submissions_have_no_latest(empty_catalogue_db):
    with db.open_db(empty_catalogue_db, read_only=True) as con:
        assert reports.periods(con) == reports.Periods([2568], None, None)


def test_org_units_tree_lists_each_unit_before_the_units_below_it(demo):
    units = reports.org_units_tree(demo)
    order = list(units["code"])
    depth = dict(zip(units["code"], units["depth"], strict=True))
    assert order[0] == "OJA" and depth["OJA"] == 0
    assert order.index("JPP") + 1 == order.index("JDC") and depth["JDC"] == 2
    assert order[order.index("NCFC"):order.index("NCFC") + 3] == ["NCFC", "NCFC-AN", "NCFC-AN-P1"]
    assert depth["NCFC-AN-P1"] == 3


def test_overview_of_the_agency_matches_the_hand_checked_sample(sample):
    view = reports.overview(sample, 2568, 2, "AG")
    assert format_score(view.score) == "3.0083"
    assert view.reported_weight_pct == pytest.approx(100.0)
    assert format_score(view.previous_score) == "2.1000"
    assert scores_of(view.dimensions, "dimension") == {
        "effectiveness": "3.2500", "service_quality": "3.0000", "efficiency": "2.6667", "org_development": "–",
    }
    assert list(view.dimensions["status"]) == ["on_track", "on_track", "at_risk", "not_reported"]
    shares = dict(zip(view.dimensions["dimension"], view.dimensions["weight_share_pct"], strict=True))
    assert shares == pytest.approx({"effectiveness": 30, "service_quality": 50, "efficiency": 20, "org_development": 0})


def test_overview_heat_map_has_one_row_per_child_unit(sample):
    heat = reports.overview(sample, 2568, 2, "AG").heat
    cells = {(row.unit_code, row.dimension): format_score(row.score) for row in heat.itertuples()}
    assert cells == {("PLAN", "effectiveness"): "3.2500", ("PLAN", "efficiency"): "2.6667",
                     ("LAW", "service_quality"): "3.0000"}


def test_below_target_lists_only_kpis_under_level_3_lowest_first_with_progress(sample):
    below = reports.overview(sample, 2568, 2, "AG").below_target
    assert list(below["kpi_code"]) == ["P-02"]
    row = below.iloc[0]
    assert (row["unit_code"], row["actual"], row["target"], format_score(row["score"])) == ("PLAN", 15, 14, "2.6667")
    assert row["progress_pct"] == pytest.approx(100 * 14 / 15)  # lower is better: target / actual


def test_agency_subtree_scores_equal_the_unit_scores_and_dimension_scores_views(demo):
    for fiscal_year in (2567, 2568):
        view = reports.overview(demo, fiscal_year, 4, "OJA")
        for quarter in (1, 2, 3, 4):
            expected = demo.execute(
                "SELECT score, reported_weight_pct FROM unit_scores WHERE fiscal_year = ? AND quarter = ? "
                "AND unit_code = 'OJA'", [fiscal_year, quarter]).fetchone()
            mine = reports.overview(demo, fiscal_year, quarter, "OJA")
            assert format_score(mine.score) == format_score(expected[0])
            assert mine.reported_weight_pct == pytest.approx(expected[1])
        trend = view.trend[view.trend["fiscal_year"] == fiscal_year]
        dimensions = demo.execute(
            "SELECT quarter, dimension, score FROM dimension_scores WHERE fiscal_year = ? AND unit_code = 'OJA'",
            [fiscal_year]).df()
        merged = trend.merge(dimensions, on=["quarter", "dimension"], suffixes=("", "_view"))
        assert len(merged) == len(dimensions)
        for row in merged.itertuples():
            assert format_score(_none(row.score)) == format_score(_none(row.score_view))


def _none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def test_a_division_subtree_includes_the_work_groups_below_it(demo):
    rows = demo.execute(
        "SELECT weight, score FROM kpi_results WHERE fiscal_year = 2568 AND quarter = 2 AND unit_code IN ('JPP', 'JDC')"
    ).fetchall()
    expected_score, expected_reported = weighted_score((w, _none(s)) for w, s in rows)
    view = reports.overview(demo, 2568, 2, "JPP")
    assert view.score == pytest.approx(expected_score)
    assert view.reported_weight_pct == pytest.approx(expected_reported)
    own = demo.execute("SELECT score FROM unit_scores WHERE fiscal_year = 2568 AND quarter = 2 AND unit_code = 'JPP'")
    assert format_score(view.score) != format_score(own.fetchone()[0])  # JDC reported, so it counts


def test_dimension_view_shows_the_kpis_of_the_dimension_and_each_units_weight_on_it(sample):
    view = reports.dimension_view(sample, 2568, 2, "AG", "effectiveness")
    assert format_score(view.score) == "3.2500"
    assert (view.result_count, view.scored_count) == (1, 1)
    assert list(view.lowest["kpi_code"]) == ["P-01"]
    assert view.lowest["progress_pct"].iloc[0] == pytest.approx(100 * 72.5 / 70)
    assert dict(zip(view.status_counts["status"], view.status_counts["count"], strict=True)) == {
        "on_track": 1, "at_risk": 0, "off_track": 0, "not_reported": 0}
    assert list(reports.dimension_results(sample, 2568, 2, "AG", "effectiveness")["kpi_code"]) == ["P-01"]
    weights = dict(zip(view.weight_by_unit["unit_code"], view.weight_by_unit["weight_share_pct"], strict=True))
    assert weights == pytest.approx({"PLAN": 60.0, "LAW": 0.0})


def test_unit_scorecard_lists_the_units_own_kpis_with_their_last_quarters(sample):
    card = reports.unit_scorecard(sample, 2568, 2, "PLAN")
    assert scores_of(card.results, "kpi_code") == {"P-01": "3.2500", "P-02": "2.6667"}
    assert card.trend_labels[-2:] == [(2568, 1), (2568, 2)]
    trend = dict(zip(card.results["kpi_code"], card.results["trend"], strict=True))
    assert trend["P-01"][-2:] == [pytest.approx(2.1), pytest.approx(3.25)]
    assert trend["P-02"][-2] is None
    assert scores_of(card.peers, "code") == {"PLAN": "3.0167", "LAW": "3.0000"}
    assert list(card.peers.loc[card.peers["is_selected"], "code"]) == ["PLAN"]
    assert scores_of(card.dimensions, "dimension") == {"effectiveness": "3.2500", "efficiency": "2.6667"}


def test_the_agency_scorecard_is_agency_wide_and_stands_beside_its_divisions(sample):
    card = reports.unit_scorecard(sample, 2568, 2, "AG")
    assert card.results.empty  # the agency owns no KPI itself
    assert scores_of(card.peers, "code") == {"AG": "3.0083", "PLAN": "3.0167", "LAW": "3.0000"}
    assert card.dimensions.empty


def test_kpi_detail_has_every_owner_quarter_and_every_version(demo):
    detail = reports.kpi_detail(demo, 2568, "OJA", "SEC-01")
    assert detail.definition["kpi_code"] == "SEC-01" and detail.definition["t5"] == 98.0
    assert list(detail.results["quarter"]) == [1, 2, 3, 4]
    q1 = detail.versions[detail.versions["quarter"] == 1]
    assert list(q1["version"]) == [2, 1] and list(q1["is_latest"]) == [True, False]
    latest_actual = detail.results.loc[detail.results["quarter"] == 1, "actual"].iloc[0]
    assert latest_actual == q1["actual"].iloc[0]


def test_kpi_choices_are_the_kpis_owned_in_the_subtree(demo):
    assert set(reports.kpi_choices(demo, 2568, "JPP")["kpi_code"]) == {
        "JPP-01", "JPP-02", "JPP-03", "JPP-04", "JPP-05", "JDC-01", "JDC-02"}


@pytest.mark.parametrize("fixture", ["sample_db", "demo_db"])
def test_pmqa_view_of_the_agency_equals_the_pmqa_coverage_view(fixture, request):
    path = request.getfixturevalue(fixture)
    with db.open_db(path, read_only=True) as con:
        agency = con.execute("SELECT code FROM org_units WHERE level = 'agency'").fetchone()[0]
        mine = reports.pmqa_view(con, 2568, 2, agency).categories
        view = con.execute(
            "SELECT * FROM pmqa_coverage WHERE fiscal_year = 2568 AND quarter = 2 ORDER BY category").df()
    assert list(mine["category"]) == [1, 2, 3, 4, 5, 6, 7]
    for column in ("kpi_count", "reported_count"):
        assert list(mine[column]) == list(view[column])
    assert list(mine["weight_share_pct"]) == pytest.approx(list(view["weight_share_pct"]))
    assert [format_score(_none(s)) for s in mine["score"]] == [format_score(_none(s)) for s in view["score"]]


def test_pmqa_groups_count_a_kpi_once_per_group_and_gaps_are_named(sample):
    view = reports.pmqa_view(sample, 2568, 2, "AG")
    groups = view.groups.set_index("pmqa_group")
    assert list(groups.index) == ["think", "prepare", "do"]
    assert groups.loc["think", "kpi_count"] == 2 and groups.loc["think", "weight_share_pct"] == pytest.approx(80)
    assert format_score(groups.loc["think", "score"]) == "3.0938"
    assert format_score(groups.loc["do", "score"]) == "2.9048"
    assert reports.pmqa_gaps(view.categories) == [
        {"category": 3, "gap": "no_kpi", "weight_share_pct": 0.0},
        {"category": 5, "gap": "no_kpi", "weight_share_pct": 0.0},
    ]


def test_pmqa_gap_calls_out_a_category_with_less_than_five_percent_of_weight(demo):
    gaps = reports.pmqa_gaps(reports.pmqa_view(demo, 2568, 2, "OJA").categories)
    assert gaps == [{"category": 1, "gap": "small_weight", "weight_share_pct": pytest.approx(2.0)}]


def test_submission_matrix_tells_submitted_partial_and_missing(sample):
    matrix = reports.submission_matrix(sample, 2568, "AG")
    states = {(row.unit_code, row.quarter): row.state for row in matrix.itertuples()}
    assert states == {
        ("PLAN", 1): "partial", ("PLAN", 2): "submitted", ("PLAN", 3): "not_submitted", ("PLAN", 4): "not_submitted",
        ("LAW", 1): "not_submitted", ("LAW", 2): "submitted", ("LAW", 3): "not_submitted",
        ("LAW", 4): "not_submitted",
    }
    plan_q1 = matrix[(matrix["unit_code"] == "PLAN") & (matrix["quarter"] == 1)].iloc[0]
    assert (plan_q1["version"], plan_q1["missing_count"], plan_q1["kpi_count"]) == (1, 1, 2)
    status = reports.submission_status(sample, 2568, 2, "AG")
    counts = status.counts.set_index("quarter")
    assert counts.loc[1].to_dict() == {"submitted": 0, "partial": 1, "not_submitted": 1}
    assert counts.loc[2].to_dict() == {"submitted": 2, "partial": 0, "not_submitted": 0}
    assert counts.loc[4].to_dict() == {"submitted": 0, "partial": 0, "not_submitted": 2}
    assert status.unit_count == 2
    pd.testing.assert_frame_equal(status.shown, matrix)  # two units fit: all of them, in org order


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_submission_status_draws_the_units_furthest_behind_when_they_do_not_fit(demo, monkeypatch, quarter):
    monkeypatch.setattr(reports, "SUBMISSION_UNITS", 4)
    matrix = reports.submission_matrix(demo, 2568, "OJA")
    status = reports.submission_status(demo, 2568, quarter, "OJA")
    assert status.unit_count == matrix["unit_code"].nunique() > 4
    current = matrix[matrix["quarter"] == quarter].reset_index(drop=True)
    behind = current.assign(rank=current["state"].map({"not_submitted": 0, "partial": 1, "submitted": 2}),
                            position=current.index)
    expected = list(behind.sort_values(["rank", "missing_count", "position"],
                                       ascending=[True, False, True])["unit_code"].head(4))
    assert list(dict.fromkeys(status.shown["unit_code"])) == expected
    assert len(status.shown) == 16  # four quarters of each unit shown
    by_quarter = matrix.groupby(["quarter", "state"]).size().unstack(fill_value=0)
    assert status.counts.set_index("quarter").loc[quarter].to_dict() == {
        state: int(by_quarter.loc[quarter].get(state, 0)) for state in reports.STATES}


# --- exports ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_safe_for_spreadsheet_quotes_text_that_would_run_as_a_formula(text):
    safe = export.safe_for_spreadsheet(pd.DataFrame({"note": [text]}))
    assert safe["note"].iloc[0] == "'" + text


def test_safe_for_spreadsheet_leaves_numbers_and_plain_text_alone():
    frame = pd.DataFrame({"score": [-1.5, 3.25], "name": ["ร้อยละ", None], "=header": [1, 2]})
    safe = export.safe_for_spreadsheet(frame)
    assert list(safe["score"]) == [-1.5, 3.25]
    assert safe["name"].iloc[0] == "ร้อยละ" and pd.isna(safe["name"].iloc[1])
    assert list(safe.columns) == ["score", "name", "'=header"]
    assert list(frame.columns) == ["score", "name", "=header"]  # the input is not changed


def test_xlsx_export_writes_formula_like_text_as_text():
    frame = pd.DataFrame({"หมายเหตุ": ["=cmd|'/c calc'!A1", "ปกติ"], "คะแนน": [3.25, None]})
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, "ข้อมูล")))
    sheet = book.active
    assert sheet.title == "ข้อมูล"
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "'=cmd|'/c calc'!A1"
    assert sheet["B2"].value == 3.25 and sheet["A3"].value == "ปกติ"


def test_csv_export_starts_with_a_byte_order_mark_for_excel_and_keeps_thai():
    data = export.csv_bytes(pd.DataFrame({"ตัวชี้วัด": ["+ร้อยละ"], "trend": [[1.0, None, 2.5]]}))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'+ร้อยละ" in text and "1.0, , 2.5" in text


@pytest.mark.parametrize(("fiscal_year", "quarter", "dimension"), [
    (2568, 2, "effectiveness"), (2567, 3, "service_quality"), (2567, 1, "efficiency"), (2567, 2, "org_development"),
])
def test_dimension_view_draws_the_lowest_scores_and_counts_what_every_result_holds(
    demo, monkeypatch, fiscal_year, quarter, dimension
):
    """What the page draws and counts (from the sums per unit) agrees with the full list it offers to download."""
    monkeypatch.setattr(reports, "DIMENSION_BARS", 3)
    monkeypatch.setattr(reports, "DIMENSION_LISTED", 2)
    view = reports.dimension_view(demo, fiscal_year, quarter, "OJA", dimension)
    every = reports.dimension_results(demo, fiscal_year, quarter, "OJA", dimension)
    scored = every[every["score"].notna()]
    assert view.result_count == len(every) and view.scored_count == len(scored) > 3
    expected_score, expected_reported = weighted_score((w, _none(s)) for w, s in zip(every["weight"], every["score"],
                                                                                     strict=True))
    assert view.score == pytest.approx(expected_score) and view.reported_weight_pct == pytest.approx(expected_reported)
    lowest = scored.nsmallest(3, "score").sort_index()  # every is in org order: ties go to the unit listed first
    pd.testing.assert_frame_equal(view.lowest.reset_index(drop=True), lowest.reset_index(drop=True))
    counts = every["status"].value_counts()
    assert dict(zip(view.status_counts["status"], view.status_counts["count"], strict=True)) == {
        status: int(counts.get(status, 0)) for status in ("on_track", "at_risk", "off_track", "not_reported")}
    unreported = every[every["score"].isna()].head(2)
    assert list(view.unreported["kpi_code"]) == list(unreported["kpi_code"])

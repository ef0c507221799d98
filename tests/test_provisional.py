"""DOMAIN section 8: a score resting on less than half of its KPI weight is provisional, and the dashboard opens
on the latest quarter with at least half of the agency's weight reported (else the latest with any submission).

The rule lives in pipelines.scoring (PROVISIONAL_BELOW_PCT, aggregate_status); the views unit_scores and
dimension_scores repeat the threshold in SQL, and these tests keep the two in step.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from pipelines import db, reports
from pipelines.scoring import PROVISIONAL_BELOW_PCT, aggregate_status, enough_reported, is_provisional
from tests.support import run_cli


@pytest.mark.parametrize(("score", "reported_weight_pct", "expected"), [
    (4.0, 49.9, "provisional"),
    (4.0, 50.0, "on_track"),
    (4.0, 50.1, "on_track"),
    (1.0, 49.9, "provisional"),
    (1.0, 50.0, "off_track"),
    (2.5, 50.1, "at_risk"),
    (4.0, 10.0, "provisional"),
    (4.0, 100.0, "on_track"),
    (4.0, 49.99999999999999, "on_track"),  # 50 up to float error, as a sum of weights may give it
    (None, 0.0, "not_reported"),  # nothing reported is not a provisional score but no score
    (float("nan"), 0.0, "not_reported"),
])
def test_aggregate_status_is_provisional_below_half_the_weight(score, reported_weight_pct, expected):
    assert aggregate_status(score, reported_weight_pct) == expected
    assert is_provisional(score, reported_weight_pct) == (expected == "provisional")


def test_the_threshold_is_fifty_percent_and_enough_reported_starts_there():
    assert PROVISIONAL_BELOW_PCT == 50.0
    assert [enough_reported(pct) for pct in (None, 0.0, 49.9, 50.0, 50.1, 100.0)] == [
        False, False, False, True, True, True]


def test_the_views_use_the_same_threshold_as_scoring():
    """views.sql writes the number out (SQL cannot import it); it must be scoring's number, in the macro
    is_provisional that both views call."""
    thresholds = re.findall(r"reported_weight_pct < ([0-9.]+) - 1e-9", db.views_sql())
    assert [float(value) for value in thresholds] == [PROVISIONAL_BELOW_PCT]


# --- a hand-made organisation whose weights put the agency just below, at and just above 50 % ---------------

ORGS = "code,name_th,name_en,parent_code,level\nAG,หน่วยงาน,Agency,,agency\nA,กอง ก,Division A,AG,division\n" \
       "B,กอง ข,Division B,AG,division\n"


def catalogue(fiscal_year: int, weight_a: float, weight_b: float) -> str:
    head = "fiscal_year,kpi_code,name_th,dimension,pmqa,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5\n"
    return head + (f"{fiscal_year},K-A,ตัวชี้วัด ก,effectiveness,1,A,ขั้นตอน,higher,milestone,{weight_a},,,,,\n"
                   f"{fiscal_year},K-B,ตัวชี้วัด ข,effectiveness,2,B,ขั้นตอน,higher,milestone,{weight_b},,,,,\n")


def build(tmp_path: Path, weights: tuple[float, float], submitted: list[tuple[int, int, str]],
          years: tuple[int, ...] = (2568,)) -> Path:
    """Org AG > A, B; a catalogue per year where A's KPI weighs weights[0] and B's weights[1]; then one file per
    (fiscal year, quarter, unit) submitted, each reporting 4 steps of 5."""
    path = tmp_path / "bsc.duckdb"
    (tmp_path / "orgs.csv").write_text(ORGS, encoding="utf-8")
    assert run_cli(path, "orgs", str(tmp_path / "orgs.csv")) == 0
    for year in years:
        (tmp_path / f"catalogue_{year}.csv").write_text(catalogue(year, *weights), encoding="utf-8")
        assert run_cli(path, "catalogue", str(tmp_path / f"catalogue_{year}.csv")) == 0
    for year, quarter, unit in submitted:
        file = tmp_path / f"{unit}_{year}_Q{quarter}.csv"
        file.write_text(f"division,fiscal_year,quarter,kpi_code,actual\n{unit},{year},{quarter},K-{unit},4\n",
                        encoding="utf-8")
        assert run_cli(path, "ingest", str(file)) == 0
    return path


def default_period(path: Path) -> tuple[int, int] | None:
    with db.open_db(path, read_only=True) as con:
        return reports.default_period(con)


def test_nothing_submitted_has_no_default_period(tmp_path):
    assert default_period(build(tmp_path, (50, 50), [])) is None


@pytest.mark.parametrize(("weights", "expected"), [
    ((499, 501), (2568, 1)),  # A alone in Q2 = 49.9 % of the agency's weight: Q2 is not reasonably complete
    ((500, 500), (2568, 2)),  # 50.0 %: it is
    ((501, 499), (2568, 2)),  # 50.1 %
])
def test_default_period_is_the_latest_quarter_with_half_the_weight_reported(tmp_path, weights, expected):
    path = build(tmp_path, weights, [(2568, 1, "A"), (2568, 1, "B"), (2568, 2, "A")])
    assert default_period(path) == expected
    with db.open_db(path, read_only=True) as con:
        assert reports.periods(con).latest == (2568, 2)  # the latest submission is still known as such


def test_without_any_quarter_over_half_the_default_is_the_latest_with_a_submission(tmp_path):
    path = build(tmp_path, (499, 501), [(2568, 1, "A"), (2568, 3, "A")])
    assert default_period(path) == (2568, 3)


def test_a_barely_reported_new_year_leaves_the_default_in_the_last_complete_quarter_of_the_year_before(tmp_path):
    path = build(tmp_path, (499, 501), [(2567, 4, "A"), (2567, 4, "B"), (2568, 1, "A")], years=(2567, 2568))
    assert default_period(path) == (2567, 4)


def test_the_views_flag_provisional_scores_exactly_as_scoring_does(tmp_path):
    """Every row of unit_scores and dimension_scores: provisional and status as scoring.aggregate_status decides,
    score_status as the score alone; the agency's Q2 is provisional at 49.9 %, its Q1 is not."""
    path = build(tmp_path, (499, 501), [(2568, 1, "A"), (2568, 1, "B"), (2568, 2, "A")])
    with duckdb.connect(str(path), read_only=True) as con:
        for view in ("unit_scores", "dimension_scores"):
            rows = con.execute(f"SELECT score, reported_weight_pct, provisional, status, score_status FROM {view}")
            rows = rows.fetchall()
            assert rows
            for score, pct, provisional, status, score_status in rows:
                assert (provisional, status) == (is_provisional(score, pct), aggregate_status(score, pct))
                assert score_status == aggregate_status(score, 100.0)
        agency = con.execute("SELECT quarter, round(reported_weight_pct, 1), provisional, status, score_status "
                             "FROM unit_scores WHERE unit_code = 'AG' AND quarter <= 2 ORDER BY quarter").fetchall()
        assert agency == [(1, 100.0, False, "on_track", "on_track"), (2, 49.9, True, "provisional", "on_track")]
        division = con.execute("SELECT provisional, status FROM unit_scores "
                               "WHERE unit_code = 'A' AND quarter = 2").fetchall()
        assert division == [(False, "on_track")]  # A itself reported all of its own weight
        filtered = con.execute("SELECT count(*) FROM dimension_scores WHERE provisional").fetchone()[0]
        assert filtered == 1  # the agency's effectiveness in Q2


def test_cli_scores_call_a_barely_reported_agency_provisional(sample_db, capsys):
    """Sample FY 2568 Q1: PLAN reported P-01 only (score 2.1 on 60 of its 100 weight), LAW nothing:
    the agency rests on 30 % of its weight."""
    capsys.readouterr()
    assert run_cli(sample_db, "scores", "--fiscal-year", "2568", "--quarter", "1", "--format", "json") == 0
    rows = {row["unit_code"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["AG"]["reported_weight_pct"], rows["AG"]["status"]) == (30.0, "provisional")
    assert rows["PLAN"]["status"] == "at_risk" and rows["LAW"]["status"] == "not_reported"

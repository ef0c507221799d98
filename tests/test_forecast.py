"""Year-end forecasts (pipelines.forecast): the methods on series with a known answer, the interval rule, the choice
of method by backtest, the backtest's figures on a fixture worked out by hand, the view kpi_forecasts and the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import numpy as np
import pytest

from pipelines import cli, forecast, queries, snapshot
from pipelines.forecast import (
    LAST_YEAR_SHAPE,
    NAIVE,
    RUN_RATE,
    Selection,
    Series,
    backtest_cases,
    interval,
    plain_words,
    project,
    select_methods,
)
from pipelines.scoring import score_result, score_results, status_array, status_of

HIGHER = (10.0, 20.0, 30.0, 40.0, 50.0)
LOWER = (50.0, 40.0, 30.0, 20.0, 10.0)
NONE5 = (None, None, None, None, None)


def numeric(ytd: dict[int, float], last_year: dict[int, float] | None = None, thresholds=HIGHER,
            direction: str = "higher", percent: bool = False) -> Series:
    return Series("K", "U", direction, "numeric", thresholds, ytd, last_year or {}, percent)


def milestone(ytd: dict[int, float], last_year: dict[int, float] | None = None) -> Series:
    return Series("M", "U", "higher", "milestone", NONE5, ytd, last_year or {})


# ---------------------------------------------------------------------------- the methods


def test_a_linear_cumulative_series_is_met_exactly_by_the_run_rate() -> None:
    series = numeric({1: 10, 2: 20, 3: 30})
    assert project(series, RUN_RATE, 3) == 40
    assert project(series, RUN_RATE, 1) == 40
    assert project(series, NAIVE, 3) == 30
    assert series.score(project(series, RUN_RATE, 3)) == 4.0


def test_a_back_loaded_series_follows_last_years_shape() -> None:
    """Last year 10/25/50/100: a quarter of the year's result by Q2, so this year's 30 at Q2 points to 120."""
    series = numeric({1: 12, 2: 30}, last_year={1: 10, 2: 25, 3: 50, 4: 100})
    assert project(series, LAST_YEAR_SHAPE, 2) == pytest.approx(120)
    assert project(series, RUN_RATE, 2) == 60
    assert project(series, NAIVE, 2) == 30


def test_a_flat_series_is_met_by_the_last_value_and_a_percent_never_passes_100() -> None:
    flat = numeric({1: 80, 2: 80, 3: 80}, thresholds=(60.0, 70.0, 80.0, 90.0, 100.0))
    assert project(flat, NAIVE, 3) == 80
    assert project(flat, RUN_RATE, 3) == pytest.approx(320 / 3)
    as_percent = numeric({1: 80, 2: 80, 3: 80}, thresholds=(60.0, 70.0, 80.0, 90.0, 100.0), percent=True)
    assert project(as_percent, RUN_RATE, 3) == 100


def test_a_lower_is_better_projection_is_scored_the_lower_way() -> None:
    """Complaints, fewer is better (50/40/30/20/10): 10 by Q2 at this pace is 20 by year end, score 4."""
    series = numeric({1: 5, 2: 10}, thresholds=LOWER, direction="lower")
    projected = project(series, RUN_RATE, 2)
    assert projected == 20
    assert series.score(projected) == 4.0
    assert series.score(project(series, NAIVE, 2)) == 5.0


@pytest.mark.parametrize(("ytd", "as_of", "steps"), [
    ({1: 2, 2: 3}, 2, 5.0),  # 1.5 steps a quarter -> 6, capped at 5
    ({1: 1, 2: 1, 3: 2}, 3, 2.0),  # 2/3 of a step a quarter -> 2.67: the third step is not done
    ({1: 1, 2: 2}, 2, 4.0),
    ({1: 0}, 1, 0.0),
])
def test_a_milestone_projects_steps_per_quarter_so_far_capped_at_5(ytd, as_of, steps) -> None:
    assert project(milestone(ytd), RUN_RATE, as_of) == steps


def test_a_milestone_follows_last_years_shape_in_whole_steps() -> None:
    assert project(milestone({1: 1, 2: 2}, last_year={1: 1, 2: 2, 3: 3, 4: 5}), LAST_YEAR_SHAPE, 2) == 5.0


def test_the_last_reported_value_stands_for_a_quarter_left_empty() -> None:
    series = numeric({1: 10, 3: 36})
    assert project(series, NAIVE, 2) == 10
    assert project(series, RUN_RATE, 2) == 40  # from Q1: 10 x 4 / 1
    assert project(series, RUN_RATE, 3) == 48


@pytest.mark.parametrize("last_year", [{}, {1: 10, 2: 20}, {2: 0, 4: 100}, {1: 10, 4: 100}])
def test_last_years_shape_needs_last_years_value_at_that_quarter_and_at_q4(last_year) -> None:
    assert project(numeric({1: 5, 2: 10}, last_year=last_year), LAST_YEAR_SHAPE, 2) is None


def test_nothing_reported_yet_projects_nothing() -> None:
    series = numeric({3: 30})
    assert all(project(series, method, 2) is None for method in forecast.METHODS)


def test_the_array_scoring_gives_the_same_floats_and_statuses_as_score_result() -> None:
    """scoring.score_results, which scores the projections in bulk, is score_result row by row."""
    rng = random.Random(14)
    actuals, thresholds, directions, kinds, expected = [], [], [], [], []
    for _ in range(3000):
        kind = rng.choice(["numeric", "numeric", "milestone"])
        direction = rng.choice(["higher", "lower"])
        if kind == "milestone":
            levels: tuple = NONE5
            actual = float(rng.randint(0, 5))
        else:
            start, step = rng.uniform(-100, 100), rng.uniform(0.1, 30)
            levels = tuple(start + step * i for i in range(5))
            levels = levels if direction == "higher" else levels[::-1]
            actual = rng.choice([rng.uniform(start - 40, start + 6 * step), *levels])
        actuals.append(actual)
        thresholds.append([np.nan if level is None else level for level in levels])
        directions.append(direction)
        kinds.append(kind)
        expected.append(score_result(actual, levels, direction, kind))
    got = score_results(np.array(actuals), np.array(thresholds), directions, kinds)
    assert got.tolist() == expected
    assert status_array(got).tolist() == [status_of(score) for score in expected]
    assert status_array(np.array([3 - 1e-12, 2 - 1e-12, 1.99, np.nan])).tolist() == [
        "on_track", "at_risk", "off_track", "not_reported"]
    assert np.isnan(score_results(np.array([np.nan]), np.array([HIGHER]), ["higher"], ["numeric"])[0])


# ---------------------------------------------------------------------------- the interval


@pytest.mark.parametrize(("as_of", "half_width"), [(1, 12.0), (2, 8.0), (3, 4.0)])
def test_without_enough_backtest_errors_the_interval_is_a_fixed_band_narrowing_each_quarter(as_of, half_width) -> None:
    """± 0.1 of the scoring range (|t5 - t1| = 40) per quarter still to come."""
    series = numeric({1: 10, 2: 20, 3: 30})
    assert interval(series, 30.0, as_of) == (30 - half_width, 30 + half_width)
    assert interval(series, 30.0, as_of, residuals=[0.5] * (forecast.MIN_RESIDUALS - 1)) == (30 - half_width,
                                                                                              30 + half_width)


def test_with_enough_backtest_errors_the_interval_holds_their_middle_80_percent() -> None:
    """Ten errors; the 10th percentile sits 0.9 of the way from the 1st to the 2nd (-0.2 + 0.9 x 0.1 = -0.11),
    the 90th 0.1 of the way from the 9th to the 10th (0.1 + 0.1 x 0.2 = 0.12); times the range 40."""
    residuals = [-0.2, -0.1, 0, 0, 0, 0, 0, 0, 0.1, 0.3]
    low, high = interval(numeric({3: 30}), 30.0, 3, residuals)
    assert low == pytest.approx(30 - 0.11 * 40)
    assert high == pytest.approx(30 + 0.12 * 40)


def test_the_interval_always_contains_the_projection() -> None:
    low, high = interval(numeric({3: 30}), 30.0, 3, [0.1] * 10)
    assert (low, high) == (30.0, pytest.approx(34.0))


def test_a_milestone_interval_is_whole_steps_within_0_and_5() -> None:
    assert interval(milestone({2: 4}), 5.0, 2) == (4.0, 5.0)  # 5 ± 0.2 x 5
    assert interval(milestone({1: 0}), 0.0, 1) == (0.0, 2.0)  # 0 ± 1.5


# ---------------------------------------------------------------------------- choosing the method


def cases_of(*series: Series):
    return backtest_cases(series)


def test_each_kpi_with_enough_history_gets_the_method_that_won_its_own_backtest() -> None:
    cumulative = Series("CUM", "U", "higher", "numeric", HIGHER, {1: 10, 2: 20, 3: 30, 4: 40})
    steady = Series("FLAT", "U", "higher", "numeric", (60.0, 70.0, 80.0, 90.0, 100.0), {1: 80, 2: 80, 3: 80, 4: 80})
    selection = select_methods(cases_of(cumulative, steady), basis_year=2567)
    assert selection.per_kpi == {("CUM", "U"): RUN_RATE, ("FLAT", "U"): NAIVE}
    assert selection.method_for(("CUM", "U")) == (RUN_RATE, "kpi")
    assert selection.method_for(("NEW", "U")) == (selection.overall, "overall")


def test_a_kpi_backtested_at_one_quarter_only_uses_the_overall_winner() -> None:
    late = Series("LATE", "U", "higher", "numeric", HIGHER, {3: 30, 4: 40})
    cumulative = Series("CUM", "U", "higher", "numeric", HIGHER, {1: 10, 2: 20, 3: 30, 4: 40})
    selection = select_methods(cases_of(late, cumulative), basis_year=2567)
    assert ("LATE", "U") not in selection.per_kpi
    assert selection.overall == RUN_RATE


def test_a_tie_in_score_goes_to_the_smaller_miss_in_the_actual_then_the_simpler_method() -> None:
    """Both score 5 at every quarter (far above t5): naive misses 150 by less than run-rate's 400+."""
    saturated = Series("SAT", "U", "higher", "numeric", HIGHER, {1: 100, 2: 120, 3: 140, 4: 150})
    assert select_methods(cases_of(saturated), 2567).per_kpi == {("SAT", "U"): NAIVE}
    exact = Series("EQ", "U", "higher", "numeric", HIGHER, {1: 60, 2: 60, 3: 60, 4: 60},
                   last_year={1: 1, 2: 1, 3: 1, 4: 1})
    assert select_methods(cases_of(exact), 2567).per_kpi == {("EQ", "U"): NAIVE}  # shape ties naive exactly


def test_without_a_backtest_the_overall_method_is_the_naive_baseline() -> None:
    selection = select_methods(backtest_cases([]), basis_year=2566)
    assert selection.overall == NAIVE and selection.per_kpi == {}


def test_the_interval_uses_the_errors_of_the_method_where_the_selection_applies_it() -> None:
    cumulative = [Series(f"C{i}", "U", "higher", "numeric", HIGHER, {1: 10, 2: 20, 3: 30, 4: 40 + i})
                  for i in range(4)]
    steady = Series("FLAT", "U", "higher", "numeric", HIGHER, {1: 30, 2: 30, 3: 30, 4: 30})
    selection = select_methods(cases_of(*cumulative, steady), 2567)
    assert selection.residuals[(RUN_RATE, 2)] == pytest.approx((0.0, 0.025, 0.05, 0.075))
    assert selection.residuals[(NAIVE, 2)] == (0.0,)


def test_a_method_that_cannot_project_a_kpi_falls_back_to_the_overall_winner() -> None:
    selection = Selection.of(2567, RUN_RATE, {("K", "U"): LAST_YEAR_SHAPE}, {})
    made = forecast.forecast_one(numeric({1: 10, 2: 20}), 2568, 2, selection)
    assert (made["method"], made["chosen_by"], made["projected_actual"]) == (RUN_RATE, "fallback", 40)


# ---------------------------------------------------------------------------- plain words


def test_plain_words_say_the_projected_score_its_range_and_the_method_thai_first() -> None:
    selection = Selection.of(2567, LAST_YEAR_SHAPE, {}, {})
    made = forecast.forecast_one(numeric({1: 8, 2: 17}, last_year={2: 20, 4: 40}), 2568, 2, selection)
    assert made["projected_actual"] == pytest.approx(34) and made["projected_score"] == pytest.approx(3.4)
    assert (made["low"], made["high"]) == (pytest.approx(26), pytest.approx(42))
    assert plain_words(made) == ("หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา คาดว่าสิ้นปีจะได้ 3.4 (ช่วง 2.6–4.2) "
                                 "· วิธี: รูปแบบปีก่อน")
    assert plain_words(made, "en") == ("If the trend of the past quarters continues, the year should end at 3.4 "
                                       "(range 2.6–4.2) · method: last year's shape")


def test_plain_words_put_the_lower_score_first_for_a_lower_is_better_kpi() -> None:
    made = forecast.forecast_one(numeric({1: 5, 2: 10}, thresholds=LOWER, direction="lower"), 2568, 2,
                                 Selection.of(2567, RUN_RATE, {}, {}))
    assert (made["projected_score"], made["score_low"], made["score_high"]) == (4.0, pytest.approx(3.2),
                                                                             pytest.approx(4.8))
    assert "3.2–4.8" in plain_words(made)


# ---------------------------------------------------------------------------- a database worked out by hand

ORGS = ("code,name_th,name_en,parent_code,level\nOJA,สำนักงานทดสอบ,Test Office,,agency\n"
        "DIV,กองทดสอบ,Test Division,OJA,division\n")
CATALOGUE_HEADER = "fiscal_year,kpi_code,name_th,dimension,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5\n"
CATALOGUE_ROWS = (
    "{year},K1,จำนวนเรื่องที่ดำเนินการ,1,DIV,เรื่อง,higher,numeric,40,10,20,30,40,50\n"
    "{year},K2,ร้อยละความพึงพอใจ,2,DIV,ร้อยละ,higher,numeric,30,60,70,80,90,100\n"
    "{year},K3,ระดับความสำเร็จ,4,DIV,ระดับ,higher,milestone,30,,,,,\n"
)
VALUES = {  # fiscal year -> KPI -> year-to-date actual in Q1..Q4
    2566: {"K1": (8, 16, 24, 40), "K2": (80, 80, 80, 82), "K3": (1, 2, 3, 5)},
    2567: {"K1": (10, 20, 30, 44), "K2": (80, 80, 80, 82), "K3": (1, 2, 3, 4)},
}


def run(db: Path, *args: str) -> int:
    return cli.main(["--db", str(db), *args])


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two fiscal years of one division's three KPIs, loaded through the CLI as a user would."""
    root = tmp_path_factory.mktemp("forecast_db")
    db = root / "bsc.duckdb"
    (root / "orgs.csv").write_text(ORGS, encoding="utf-8")
    assert run(db, "orgs", str(root / "orgs.csv")) == 0
    for year, kpis in VALUES.items():
        catalogue = root / f"catalogue_{year}.csv"
        catalogue.write_text(CATALOGUE_HEADER + CATALOGUE_ROWS.format(year=year), encoding="utf-8")
        assert run(db, "catalogue", str(catalogue)) == 0
        for quarter in (1, 2, 3, 4):
            submission = root / f"DIV_{year}_Q{quarter}.csv"
            lines = [f"DIV,{year},{quarter},{code},{values[quarter - 1]}" for code, values in kpis.items()]
            submission.write_text("division,fiscal_year,quarter,kpi_code,actual\n" + "\n".join(lines) + "\n",
                                  encoding="utf-8")
            assert run(db, "ingest", str(submission)) == 0
    return db


def backtest_json(db: Path, year: int, capsys: pytest.CaptureFixture) -> dict[str, dict]:
    capsys.readouterr()
    assert run(db, "forecast", "--backtest", "--fiscal-year", str(year), "--format", "json") == 0
    captured = capsys.readouterr()
    assert "backtest [3/3]" in captured.err  # the progress line
    return {row["method"]: row for row in json.loads(captured.out)}


def test_the_backtest_figures_are_those_worked_out_by_hand(hand_db: Path, capsys: pytest.CaptureFixture) -> None:
    """FY 2567 as if at Q1, Q2, Q3 (nine cases a method). Scores of the real Q4: K1 44 -> 4.4, K2 82 -> 3.2,
    K3 4 steps -> 4.
    naive: K1 10/20/30 -> 1/2/3, errors 3.4+2.4+1.4; K2 80 -> 3, 0.2 x 3; K3 1/2/3, errors 3+2+1: 13.8 / 9;
      calls right: K1 at Q3, K2 thrice, K3 at Q3: 5 / 9.
    run_rate: K1 40 each time, 0.4 x 3; K2 capped at 100 -> 5, 1.8 x 3; K3 4 steps each time, 0: 6.6 / 9; 9 / 9.
    last_year_shape (2566: K1 8/16/24/40, K2 80/80/80/82, K3 1/2/3/5): K1 50 -> 5, 0.6 x 3; K2 82, 0; K3 5 steps,
      1 x 3: 4.8 / 9; 9 / 9.
    chosen: the 2566 backtest gave K1 run_rate, K2 naive, K3 run_rate: 1.2 + 0.6 + 0 = 1.8 / 9; 9 / 9."""
    rows = backtest_json(hand_db, 2567, capsys)
    expected = {NAIVE: (13.8 / 9, 500 / 9), RUN_RATE: (6.6 / 9, 100.0), LAST_YEAR_SHAPE: (4.8 / 9, 100.0),
                forecast.CHOSEN: (1.8 / 9, 100.0)}
    for method, (mae, accuracy) in expected.items():
        assert rows[method]["cases"] == 9
        assert rows[method]["mae_score_points"] == pytest.approx(mae)
        assert rows[method]["call_accuracy_pct"] == pytest.approx(accuracy)
    assert rows[RUN_RATE]["mae_vs_naive"] == pytest.approx(6.6 / 9 - 13.8 / 9)


def test_the_first_years_backtest_has_no_shape_and_chooses_naive(hand_db: Path, capsys) -> None:
    """2566 has no year before: last_year_shape cannot run, and with no backtest of 2565 the product uses naive."""
    rows = backtest_json(hand_db, 2566, capsys)
    assert rows[LAST_YEAR_SHAPE]["cases"] == 0 and rows[LAST_YEAR_SHAPE]["mae_score_points"] is None
    assert rows[forecast.CHOSEN]["mae_score_points"] == pytest.approx(rows[NAIVE]["mae_score_points"])
    assert rows[NAIVE]["mae_score_points"] == pytest.approx((4 + 2.4 + 1.6 + 0.6 + 4 + 3 + 2) / 9)


def test_the_view_holds_the_forecasts_the_python_computes(hand_db: Path) -> None:
    """As of 2567 Q2: K1 by run-rate 20 x 2 = 40 (score 4), K2 by naive 80 (3), K3 by run-rate 4 steps; two backtest
    errors per method and quarter are too few, so the fixed band: ± 0.2 x 40, ± 0.2 x 40, ± 0.2 x 5 steps."""
    with duckdb.connect(str(hand_db), read_only=True) as con:
        view = con.execute("SELECT * FROM kpi_forecasts ORDER BY fiscal_year, as_of_quarter, kpi_code").fetchall()
        computed = forecast.all_forecasts(con)[queries.FORECAST_COLUMNS]
        python = sorted(tuple(row) for row in computed.itertuples(index=False))
    assert view == python
    assert len(view) == 2 * 3 * 3
    as_of_q2 = [row for row in view if row[:2] == (2567, 2)]
    assert as_of_q2 == [
        (2567, 2, "K1", "DIV", RUN_RATE, 40.0, 32.0, 48.0, 4.0, "on_track"),
        (2567, 2, "K2", "DIV", NAIVE, 80.0, 72.0, 88.0, 3.0, "on_track"),
        (2567, 2, "K3", "DIV", RUN_RATE, 4.0, 3.0, 5.0, 4.0, "on_track"),
    ]
    with duckdb.connect(str(snapshot.snapshot_path(hand_db)), read_only=True) as con:
        assert con.execute("SELECT * FROM kpi_forecasts ORDER BY fiscal_year, as_of_quarter, kpi_code").fetchall() \
            == view


def test_a_new_submission_is_in_the_view_after_its_publish(hand_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bsc.duckdb"
    copy.write_bytes(hand_db.read_bytes())
    submission = tmp_path / "DIV_2567_Q2.csv"
    submission.write_text("division,fiscal_year,quarter,kpi_code,actual\nDIV,2567,2,K1,25\nDIV,2567,2,K2,80\n"
                          "DIV,2567,2,K3,2\n", encoding="utf-8")
    assert run(copy, "ingest", str(submission)) == 0
    sql = ("SELECT projected_actual FROM kpi_forecasts "
           "WHERE fiscal_year = 2567 AND as_of_quarter = 2 AND kpi_code = 'K1'")
    for path in (copy, snapshot.snapshot_path(copy)):
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute(sql).fetchone() == (50.0,)


def test_an_upload_recomputes_the_forecasts_of_its_year_only(hand_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bsc.duckdb"
    copy.write_bytes(hand_db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE kpi_forecast SET method = 'marked'")
    submission = tmp_path / "DIV_2567_Q3.csv"
    submission.write_text("division,fiscal_year,quarter,kpi_code,actual\nDIV,2567,3,K1,33\nDIV,2567,3,K2,80\n"
                          "DIV,2567,3,K3,3\n", encoding="utf-8")
    assert run(copy, "ingest", str(submission)) == 0
    sql = "SELECT fiscal_year, count(*) FILTER (WHERE method = 'marked') FROM kpi_forecasts GROUP BY ALL ORDER BY ALL"
    with duckdb.connect(str(copy)) as con:
        assert con.execute(sql).fetchall() == [(2566, 9), (2567, 0)]
        computed = forecast.all_forecasts(con, [2567])[queries.FORECAST_COLUMNS]
        stored = con.execute("SELECT * FROM kpi_forecasts WHERE fiscal_year = 2567 ORDER BY ALL").fetchall()
        assert stored == sorted(tuple(row) for row in computed.itertuples(index=False))


def test_publishing_again_without_a_change_does_not_compute_again(hand_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bsc.duckdb"
    copy.write_bytes(hand_db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        assert forecast.refresh_table(con) is None
        con.execute("DELETE FROM kpi_forecast_state")
        assert forecast.refresh_table(con).everything
        assert forecast.refresh_table(con) is None


def test_the_cli_prints_the_forecasts_of_a_quarter_and_says_how_methods_were_chosen(hand_db, capsys) -> None:
    capsys.readouterr()
    assert run(hand_db, "forecast", "--fiscal-year", "2567", "--quarter", "ไตรมาส 2", "--format", "json") == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert [(row["kpi_code"], row["method"], row["projected_actual"], row["chosen_by"]) for row in rows] == [
        ("K1", RUN_RATE, 40.0, "kpi"), ("K2", NAIVE, 80.0, "kpi"), ("K3", RUN_RATE, 4.0, "kpi")]
    assert "backtest of fiscal year 2566" in captured.err
    assert run(hand_db, "forecast", "--fiscal-year", "2567", "--quarter", "2") == 0
    table = capsys.readouterr().out
    assert "run_rate" in table and "40.0000" in table
    assert run(hand_db, "forecast", "--fiscal-year", "2567", "--quarter", "2", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "fiscal_year,as_of_quarter,kpi_code,unit_code,method,projected_actual,low,high,projected_score,"
        "projected_status,chosen_by")


@pytest.mark.parametrize("args", [["--quarter", "4"], []])
def test_the_cli_refuses_a_quarter_with_nothing_to_project(hand_db: Path, capsys, args) -> None:
    assert run(hand_db, "forecast", "--fiscal-year", "2567", *args) == 1
    assert "--quarter 1, 2 or 3" in capsys.readouterr().err


def test_the_cli_says_so_when_a_year_has_no_q4_to_backtest(hand_db: Path, capsys) -> None:
    assert run(hand_db, "forecast", "--backtest", "--fiscal-year", "2570") == 1
    assert "nothing to backtest" in capsys.readouterr().err

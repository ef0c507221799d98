"""Quarters as submission periods: closing refuses uploads everywhere, reopening needs a reason, deadlines decide
on time or late, and the upload page's default quarter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines import db, periods
from tests.accounts_support import query
from tests.support import SAMPLES, run_cli

PLAN_Q2 = SAMPLES / "submission_plan_q2_libreoffice.xlsx"


def close(db_path: Path, year: int, quarter: int, reason: str = "ส่งผลให้ ก.พ.ร. แล้ว") -> list:
    with db.open_db(db_path) as con:
        return periods.close_period(con, year, quarter, by="admin", reason=reason)


def test_a_quarter_is_open_until_closed(empty_catalogue_db: Path) -> None:
    with db.open_db(empty_catalogue_db) as con:
        assert periods.period_state(con, 2568, 2) == periods.PeriodState(2568, 2)
    assert close(empty_catalogue_db, 2568, 2, "ส่งผลให้ ก.พ.ร. แล้ว") == []
    with db.open_db(empty_catalogue_db) as con:
        state = periods.period_state(con, 2568, 2)
    assert state.is_closed and state.reason == "ส่งผลให้ ก.พ.ร. แล้ว" and state.updated_by == "admin"
    assert query(empty_catalogue_db, "SELECT quarter, is_closed FROM submission_periods WHERE fiscal_year = 2568") == [
        (1, False), (2, True), (3, False), (4, False)]


def test_closed_quarter_refuses_the_cli_upload_and_stores_nothing(
    empty_catalogue_db: Path, capsys: pytest.CaptureFixture
) -> None:
    close(empty_catalogue_db, 2568, 2, "รายงานแล้ว")
    assert run_cli(empty_catalogue_db, "ingest", str(PLAN_Q2), "--by", "plan.head") == 1
    err = capsys.readouterr().err
    assert "ไตรมาส 2/2568 ปิดรับข้อมูลแล้ว (รายงานแล้ว)" in err and "is closed to uploads" in err
    assert query(empty_catalogue_db, "SELECT count(*) FROM submission") == [(0,)]
    assert query(empty_catalogue_db, "SELECT actor, action, outcome, unit_code, quarter, channel FROM audit_log "
                                     "WHERE action = 'upload'") == [
        ("plan.head", "upload", "refused", "PLAN", 2, "cli")]


def test_reopening_needs_a_reason_and_the_trail_keeps_it(empty_catalogue_db: Path) -> None:
    close(empty_catalogue_db, 2568, 2)
    with db.open_db(empty_catalogue_db) as con:
        problems = periods.reopen_period(con, 2568, 2, by="admin", reason="  ")
        assert [p.field for p in problems] == ["reason"]
        assert periods.period_state(con, 2568, 2).is_closed
        assert periods.reopen_period(con, 2568, 2, by="admin", reason="กองแผนงานแก้ตัวเลขตามหนังสือที่ 123") == []
    assert run_cli(empty_catalogue_db, "ingest", str(PLAN_Q2)) == 0
    assert query(empty_catalogue_db, "SELECT action, detail FROM audit_log WHERE action LIKE 'period_%' "
                                     "ORDER BY event_id") == [
        ("period_close", "ส่งผลให้ ก.พ.ร. แล้ว"), ("period_reopen", "กองแผนงานแก้ตัวเลขตามหนังสือที่ 123")]


def test_closing_one_quarter_leaves_the_others_open(empty_catalogue_db: Path) -> None:
    close(empty_catalogue_db, 2568, 1)
    assert run_cli(empty_catalogue_db, "ingest", str(PLAN_Q2)) == 0


@pytest.mark.parametrize(("year", "quarter"), [(2568, 5), (2568, 0), (2025, 1)])
def test_nonsense_quarters_are_refused(empty_catalogue_db: Path, year: int, quarter: int) -> None:
    assert close(empty_catalogue_db, year, quarter)


def test_cli_periods_close_reopen_deadline_list(empty_catalogue_db: Path, capsys: pytest.CaptureFixture) -> None:
    db_path = str(empty_catalogue_db)
    assert run_cli(Path(db_path), "periods", "close", "--fiscal-year", "2025", "--quarter", "Q2",
                   "--reason", "ส่งผลแล้ว") == 0
    assert run_cli(Path(db_path), "periods", "deadline", "--fiscal-year", "2568", "--quarter", "2",
                   "--date", "2025-04-15") == 0
    assert run_cli(Path(db_path), "periods", "deadline", "--fiscal-year", "2568", "--quarter", "2",
                   "--date", "31/04/2568") == 1  # no such day (15/04/2568 and 15/04/2025 are read)
    with pytest.raises(SystemExit):  # argparse: --reason is required
        run_cli(Path(db_path), "periods", "reopen", "--fiscal-year", "2568", "--quarter", "2")
    assert run_cli(Path(db_path), "periods", "--by", "somsri", "reopen", "--fiscal-year", "2568", "--quarter", "2",
                   "--reason", "แก้ไขข้อมูล") == 0
    capsys.readouterr()
    assert run_cli(Path(db_path), "periods", "list") == 0
    assert "2025-04-15" in capsys.readouterr().out
    assert query(empty_catalogue_db, "SELECT actor, action, channel FROM audit_log WHERE action LIKE 'period_%' "
                                     "OR action = 'deadline_set' ORDER BY event_id") == [
        ("cli", "period_close", "cli"), ("cli", "deadline_set", "cli"), ("somsri", "period_reopen", "cli")]


# --- deadlines: on time or late ------------------------------------------------------------------

def set_submitted_at(db_path: Path, unit: str, quarter: int, at: dt.datetime) -> None:
    with db.open_db(db_path) as con:
        con.execute("UPDATE submission SET submitted_at = ? WHERE unit_code = ? AND quarter = ?", [at, unit, quarter])


def test_timeliness_compares_the_first_version_with_the_deadline_day(sample_db: Path) -> None:
    with db.open_db(sample_db) as con:
        periods.set_deadline(con, 2568, 2, dt.date(2025, 4, 15), by="admin")
        periods.set_deadline(con, 2568, 3, dt.date(2025, 7, 15), by="admin")
    set_submitted_at(sample_db, "PLAN", 2, dt.datetime(2025, 4, 15, 23, 59))  # the deadline day counts
    set_submitted_at(sample_db, "LAW", 2, dt.datetime(2025, 4, 16, 0, 1))
    rows = query(sample_db, "SELECT quarter, unit_code, timeliness FROM submission_timeliness "
                            "WHERE fiscal_year = 2568 ORDER BY quarter, unit_code")
    assert rows == [
        (1, "LAW", "pending"), (1, "PLAN", "submitted"),  # no deadline set for Q1
        (2, "LAW", "late"), (2, "PLAN", "on_time"),
        (3, "LAW", "overdue"), (3, "PLAN", "overdue"),  # 15 Jul 2025 has passed, nothing submitted
        (4, "LAW", "pending"), (4, "PLAN", "pending"),
    ]


def test_a_late_correction_does_not_make_an_on_time_submission_late(sample_db: Path) -> None:
    with db.open_db(sample_db) as con:
        periods.set_deadline(con, 2568, 1, dt.date(2025, 1, 15), by="admin")
    set_submitted_at(sample_db, "PLAN", 1, dt.datetime(2025, 1, 10, 10, 0))
    assert run_cli(sample_db, "ingest", str(SAMPLES / "submission_plan_q1_bom.csv")) == 0  # identical: no version
    with db.open_db(sample_db) as con:
        status = periods.timeliness(con, 2568, 1).set_index("unit_code")
    assert status.loc["PLAN", "timeliness"] == "on_time"


# --- the upload page's default quarter -----------------------------------------------------------

def test_default_period_is_todays_fiscal_quarter_when_its_year_has_a_catalogue(empty_catalogue_db: Path) -> None:
    with db.open_db(empty_catalogue_db, read_only=True) as con:
        assert periods.default_upload_period(con, "PLAN", dt.date(2025, 2, 3)) == (2568, 2)
        assert periods.default_upload_period(con, "PLAN", dt.date(2024, 10, 1)) == (2568, 1)


def test_default_period_without_a_catalogue_for_today_is_the_quarter_after_the_last_submission(
    sample_db: Path,
) -> None:
    with db.open_db(sample_db, read_only=True) as con:
        assert periods.default_upload_period(con, "PLAN", dt.date(2026, 11, 27)) == (2568, 3)
        assert periods.default_upload_period(con, "LAW", dt.date(2026, 11, 27)) == (2568, 3)
        assert periods.default_upload_period(con, "AG", dt.date(2026, 11, 27)) == (2568, 1)

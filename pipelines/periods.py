"""Fiscal quarters as submission periods: closed or open (with the reason), and each quarter's deadline.

A closed quarter refuses uploads from the page and the CLI alike (pipelines.uploads); closing, reopening and
deadlines are audited. Whether a unit submitted on time is the public view `submission_timeliness`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipelines import audit, queries
from pipelines.calendar import BE_FROM, QUARTERS, fiscal_period_of, format_date, format_fiscal_period
from pipelines.db import bump_generation, transaction
from pipelines.lazy import lazy_module
from pipelines.problems import Problem

pd = lazy_module("pandas")

TIMELINESS: dict[str, tuple[str, str, str]] = {
    "on_time": ("ส่งตรงเวลา", "On time", "#2e7d32"),
    "late": ("ส่งล่าช้า", "Late", "#c62828"),
    "submitted": ("ส่งแล้ว (ไม่ได้กำหนดวันส่ง)", "Submitted (no deadline)", "#1565c0"),
    "overdue": ("เลยกำหนดแล้วยังไม่ส่ง", "Overdue", "#6a1b9a"),
    "pending": ("ยังไม่ส่ง", "Not yet submitted", "#9e9e9e"),
}
"""The values of submission_timeliness.timeliness -> (Thai, English, colour)."""


@dataclass(frozen=True)
class PeriodState:
    fiscal_year: int
    quarter: int
    is_closed: bool = False
    reason: str | None = None
    deadline: dt.date | None = None
    updated_by: str | None = None
    updated_at: dt.datetime | None = None


def period_state(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int) -> PeriodState:
    row = con.execute(queries.SELECT_PERIOD, [fiscal_year, quarter]).fetchone()
    return PeriodState(*row) if row else PeriodState(fiscal_year, quarter)


def periods(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The public view submission_periods plus who changed each quarter last, and when."""
    return con.execute(queries.LIST_PERIODS).df()


def timeliness(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int) -> pd.DataFrame:
    """One row per unit that owns KPIs: first and latest submission against the quarter's deadline."""
    return con.execute(queries.TIMELINESS_OF_PERIOD, [fiscal_year, quarter]).df()


def _quarter_problem(fiscal_year: int, quarter: int) -> list[Problem]:
    if quarter not in QUARTERS or fiscal_year < BE_FROM:
        return [Problem("", "", None, "quarter", f"{quarter}/{fiscal_year}", "ไตรมาสหรือปีงบประมาณไม่ถูกต้อง",
                        "not a fiscal year (BE) and quarter 1-4", "quarter")]
    return []


def _reason_problem(reason: str, reason_th: str, reason_en: str) -> list[Problem]:
    return [] if reason.strip() else [Problem("", "", None, "reason", "", reason_th, reason_en, "reason")]


_CLOSING = {
    True: ("period_close", "ต้องระบุเหตุผลในการปิดรับข้อมูล", "closing a quarter needs a reason"),
    False: ("period_reopen", "ต้องระบุเหตุผลในการเปิดรับข้อมูลอีกครั้ง", "reopening a quarter needs a reason"),
}
"""is_closed -> (audit action, the Thai and English problem when no reason is given)."""


def _set_closed(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, is_closed: bool, by: str, reason: str, channel: str
) -> list[Problem]:
    action, reason_th, reason_en = _CLOSING[is_closed]
    problems = _quarter_problem(fiscal_year, quarter) + _reason_problem(reason, reason_th, reason_en)
    if problems:
        return problems
    with transaction(con):
        bump_generation(con)
        con.execute(queries.UPSERT_PERIOD_CLOSED, [fiscal_year, quarter, is_closed, reason.strip(), by, audit.now()])
        audit.record(con, by, action, "success", fiscal_year=fiscal_year, quarter=quarter,
                     detail=reason.strip(), channel=channel)
    return []


def close_period(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, *, by: str, reason: str, channel: str = "web"
) -> list[Problem]:
    """Closing needs a reason too: the division heads read it on the upload page when their upload is refused."""
    return _set_closed(con, fiscal_year, quarter, True, by, reason, channel)


def reopen_period(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, *, by: str, reason: str, channel: str = "web"
) -> list[Problem]:
    """Reopening needs a reason: a closed quarter's figures have been reported upwards, so the trail says why."""
    return _set_closed(con, fiscal_year, quarter, False, by, reason, channel)


def deadline_detail(deadline: dt.date | None) -> str:
    """The audit detail of a deadline: the day as people read it (BE, Thai and English) and ISO for scripts."""
    if deadline is None:
        return "ยกเลิกกำหนดส่ง / cleared"
    return f"{format_date(deadline, 'th')} / {format_date(deadline, 'en')} ({deadline.isoformat()})"


def set_deadline(
    con: duckdb.DuckDBPyConnection,
    fiscal_year: int,
    quarter: int,
    deadline: dt.date | None,
    *,
    by: str,
    channel: str = "web",
) -> list[Problem]:
    problems = _quarter_problem(fiscal_year, quarter)
    if problems:
        return problems
    with transaction(con):
        bump_generation(con)
        con.execute(queries.UPSERT_PERIOD_DEADLINE, [fiscal_year, quarter, deadline, by, audit.now()])
        audit.record(con, by, "deadline_set", "success", fiscal_year=fiscal_year, quarter=quarter,
                     detail=deadline_detail(deadline), channel=channel)
    return []


def closed_period_problem(file_name: str, state: PeriodState) -> Problem:
    reason = f" ({state.reason})" if state.reason else ""
    return Problem(
        file_name, "", None, "ไตรมาส", f"{state.quarter}/{state.fiscal_year}",
        f"{format_fiscal_period(state.fiscal_year, state.quarter)} ปิดรับข้อมูลแล้ว{reason} "
        "ติดต่อผู้ดูแลระบบหากต้องแก้ไข",
        f"{format_fiscal_period(state.fiscal_year, state.quarter, 'en')} is closed to uploads{reason}; "
        "ask an administrator to reopen it",
        "closed_period",
    )


def default_upload_period(
    con: duckdb.DuckDBPyConnection, unit_code: str | None, today: dt.date
) -> tuple[int, int]:
    """Today's fiscal quarter when its year has a catalogue; otherwise, in the latest year that has one, the
    quarter after the unit's latest submission (the demo's data end in an earlier year than today)."""
    current = fiscal_period_of(today)
    years = [row[0] for row in con.execute(queries.CATALOGUE_YEARS).fetchall()]
    if not years or current[0] in years:
        return current
    year = max(year for year in years if year <= current[0]) if min(years) <= current[0] else min(years)
    latest = con.execute(queries.LATEST_QUARTER_OF_UNIT, [unit_code, year]).fetchone()[0]
    return year, min((latest or 0) + 1, 4)

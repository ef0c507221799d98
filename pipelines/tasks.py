"""What a division head has to do now (the "my tasks" box, งานของฉัน): each version a reviewer returned to be
fixed, with the reasons per KPI, and each open quarter of a unit they may submit for that has no submission yet,
with its deadline and the days left or overdue.

`my_tasks` is the one list; each kind of task is one function that adds its rows (the approval workflow adds the
versions returned to be fixed the same way), so the box and any later reminder read the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipelines import approval, periods, queries
from pipelines.auth import User, submittable_units
from pipelines.calendar import quarter_start

DUE = "due"
"""A quarter the unit has not submitted yet (open, already begun)."""
RETURNED = "returned"
"""The latest version of a unit quarter, returned by a reviewer: to correct and submit again (pipelines.approval)."""


@dataclass(frozen=True)
class Task:
    kind: str  # DUE | RETURNED
    unit_code: str
    unit_name_th: str
    unit_name_en: str | None
    fiscal_year: int
    quarter: int
    deadline: dt.date | None
    days_left: int | None  # days from today to the deadline; negative: overdue by that many days; None: no deadline
    detail: str = ""  # what to fix, for a kind that says (a returned version's reasons)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def my_tasks(con: duckdb.DuckDBPyConnection, user: User, today: dt.date | None = None) -> list[Task]:
    """Every task of the user, the most urgent first (versions returned to fix, then quarters due); [] for a user who
    may submit for no unit (an executive)."""
    units = submittable_units(con, user)
    if not units:
        return []
    today = today or dt.date.today()
    return returned_versions(con, units, today) + due_quarters(con, units, today)


def returned_versions(con: duckdb.DuckDBPyConnection, units: list[str], today: dt.date) -> list[Task]:
    """The returned versions of `units` still to correct (approval.returned_versions: a newer version submitted
    ends the task), each with the reviewer's reasons per KPI ("P-01: reason; P-03: reason") and its quarter's
    deadline."""
    tasks = []
    for row in approval.returned_versions(con, units).itertuples(index=False):
        notice = approval.return_notice(con, row.unit_code, int(row.fiscal_year), int(row.quarter))
        detail = "; ".join(f"{code}: {reason}" for code, _, _, reason in notice.reasons) if notice else ""
        deadline = periods.period_state(con, int(row.fiscal_year), int(row.quarter)).deadline
        tasks.append(Task(RETURNED, row.unit_code, row.name_th, row.name_en, int(row.fiscal_year), int(row.quarter),
                          deadline, None if deadline is None else (deadline - today).days, detail))
    return tasks


def due_quarters(con: duckdb.DuckDBPyConnection, units: list[str], today: dt.date) -> list[Task]:
    """Open quarters, begun by `today`, that a unit of `units` owning KPIs that year has not submitted for: the
    earliest deadline first (quarters without one last). A quarter closed by the admin is no longer due."""
    rows = con.execute(queries.MY_TASKS_DUE, [units]).fetchall()
    return [
        Task(DUE, unit, name_th, name_en, year, quarter, deadline,
             None if deadline is None else (deadline - today).days)
        for unit, name_th, name_en, year, quarter, deadline in rows
        if quarter_start(year, quarter) <= today
    ]

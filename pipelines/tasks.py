"""What a division head has to do now (the "my tasks" box, งานของฉัน): each open quarter of a unit they may submit
for that has no submission yet, with its deadline and the days left or overdue.

`my_tasks` is the one list; each kind of task is one function that adds its rows (the approval workflow adds the
versions returned to be fixed the same way), so the box and any later reminder read the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipelines import queries
from pipelines.auth import User, submittable_units
from pipelines.calendar import quarter_start

DUE = "due"
"""A quarter the unit has not submitted yet (open, already begun)."""


@dataclass(frozen=True)
class Task:
    kind: str  # DUE (the approval workflow adds its own kinds)
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
    """Every task of the user, the most urgent first; [] for a user who may submit for no unit (an executive)."""
    units = submittable_units(con, user)
    if not units:
        return []
    today = today or dt.date.today()
    return due_quarters(con, units, today)


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

"""The overview's deadline line reads the timeliness counts only (reports.timeliness_counts, counted in SQL), not
every unit's row of the year (reports.submission_timeliness: 100,000 rows for the agency at 5M); the counts are
those the submission status page draws."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from dashboard import data
from pipelines import db, reports
from pipelines.periods import TIMELINESS
from tests.test_dashboard_pages import open_page, texts
from tests.test_execviews_pages import early_q3, with_deadlines  # noqa: F401  (fixtures)

SUBTREE_ROWS = """
SELECT quarter, unit_code, timeliness FROM submission_timeliness
WHERE fiscal_year = 2568 AND unit_code IN (SELECT unit_code FROM org_tree WHERE ancestor_code = ?)
"""


@pytest.mark.parametrize("unit", ["OJA", "ICT", "NET"])
def test_the_counts_are_the_views_rows_counted(with_deadlines, unit):  # noqa: F811
    today = dt.date.today()
    with db.open_db(with_deadlines, read_only=True) as con:
        counted = reports.timeliness_counts(con, 2568, unit, today).set_index("quarter")
        rows = con.execute(SUBTREE_ROWS, [unit]).fetchall()
        page = reports.submission_timeliness(con, 2568, unit, today).counts.set_index("quarter")
    expected = Counter((quarter, timeliness) for quarter, _, timeliness in rows)
    assert {(quarter, timeliness): int(counted.loc[quarter, timeliness])
            for quarter in counted.index for timeliness in TIMELINESS if counted.loc[quarter, timeliness]} == expected
    pd.testing.assert_frame_equal(counted, page)


def test_the_submission_page_reads_the_units_it_lists_only(with_deadlines):  # noqa: F811
    """The page lists the late and overdue units (reports.LATE): at 5M the agency has 100,000 unit quarters, and
    reading them all raised the server's peak memory; the report asks for its quarter's units behind."""
    today = dt.date.today()
    with db.open_db(with_deadlines, read_only=True) as con:
        rows = con.execute(SUBTREE_ROWS, ["OJA"]).fetchall()
        page = reports.submission_timeliness(con, 2568, "OJA", today).units
        report = reports.submission_timeliness(con, 2568, "OJA", today, ("overdue", "pending", "late"), 3).units
    assert sorted(zip(page["quarter"], page["unit_code"], page["timeliness"], strict=True)) == sorted(
        row for row in rows if row[2] in ("late", "overdue"))
    assert sorted(zip(report["quarter"], report["unit_code"], strict=True)) == sorted(
        (quarter, unit) for quarter, unit, timeliness in rows
        if quarter == 3 and timeliness in ("overdue", "pending", "late"))
    assert len(page) < len(rows)


def test_the_agencys_counts_per_quarter(with_deadlines):  # noqa: F811
    """Q2's deadline three days ago: the nine units that filed are late, NET overdue; Q3's yesterday: ICT late,
    the nine others overdue; no deadline for Q1 and Q4."""
    with db.open_db(with_deadlines, read_only=True) as con:
        counts = reports.timeliness_counts(con, 2568, "OJA", dt.date.today()).set_index("quarter")
    assert counts["late"].tolist() == [0, 9, 1, 0]
    assert counts["overdue"].tolist() == [0, 1, 9, 0]
    assert counts["on_time"].tolist() == [0, 0, 0, 0]
    assert counts["deadline"].isna().tolist() == [True, False, False, True]
    assert counts.loc[2, "deadline"] == pd.Timestamp(dt.date.today() - dt.timedelta(days=3))


def test_the_overview_says_who_is_late_without_reading_every_units_row(monkeypatch, with_deadlines):  # noqa: F811
    read = []
    original = data.read

    def recording(report, *args):
        read.append(report.__name__)
        return original(report, *args)

    monkeypatch.setattr(data, "read", recording)
    app = open_page(monkeypatch, with_deadlines, "overview", fy="2568", q="2", lang="en")
    assert "units overdue (nothing submitted) 1 · submitted late 9" in texts(app)
    assert "timeliness_counts" in read
    assert "submission_timeliness" not in read

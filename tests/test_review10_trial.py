"""What the second new-user trial of issue 10 found on the merged code (review 10): each test fails on the code
before its fix. The browser-only findings are in tests/test_browser_links.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard import i18n, ui
from pipelines import db, periods
from tests.accounts_support import query


def test_the_audit_trail_reads_a_deadline_in_be(sample_db: Path) -> None:
    """The audit page shows the detail as stored: a deadline there read '2025-10-15' next to BE dates."""
    with db.open_db(sample_db) as con:
        assert periods.set_deadline(con, 2568, 2, dt.date(2025, 10, 15), by="admin") == []
        assert periods.set_deadline(con, 2568, 3, None, by="admin") == []
    details = [row[0] for row in query(sample_db, "SELECT detail FROM audit_event WHERE action = 'deadline_set' "
                                                  "ORDER BY event_id")]
    assert details[0].startswith("15 ต.ค. 2568") and "15 Oct 2568" in details[0], details
    assert "ยกเลิก" in details[1] and "cleared" in details[1]


def test_table_headers_name_the_unit_of_measure_and_the_org_unit_apart() -> None:
    """The overview's ten-KPI table headed both the unit of measure and the org unit 'Unit' in English."""
    for lang in i18n.LANGUAGES:
        shown = [i18n.t(ui.SHORT_HEADERS.get(key, key), lang) for key in ("kpi_unit", "unit_name", "unit_code")]
        assert len(set(shown)) == len(shown), (lang, shown)


def test_the_overview_overdue_line_reads_as_english() -> None:
    line = i18n.t("overview_timeliness", "en", period="Q3 FY2568", deadline="15 Oct 2568", overdue=1, late=9)
    assert "1 units overdue" not in line and "overdue" in line and "late" in line

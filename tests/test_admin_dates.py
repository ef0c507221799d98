"""Dates typed and read on the pages (issue 10 item 6): a deadline typed in BE or CE is saved as that day, text
that is not a date is refused in Thai and English and saves nothing, and the dates shown on the admin, upload and
KPI pages are Thai BE with their time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from pipelines import auth, db, periods
from pipelines.calendar import THAI_MONTHS_SHORT
from tests.accounts_support import ROOT, add_accounts, page, query, signed_in, table, texts

THAI_MONTH = "|".join(re.escape(month) for month in THAI_MONTHS_SHORT)
BE_DATE_TIME = re.compile(rf"\d{{1,2}} ({THAI_MONTH}) 25\d\d \d\d:\d\d")


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def periods_page(db_path: Path, fiscal_year: int = 2568, quarter: int = 2) -> AppTest:
    app = signed_in(page("admin_periods.py"), db_path, "admin").run()
    app.selectbox(key="period_year").set_value(fiscal_year)
    app.selectbox(key="period_quarter").set_value(quarter)
    return app.run()


def save_deadline(app: AppTest, typed: str, fiscal_year: int = 2568, quarter: int = 2) -> AppTest:
    app.text_input(key=f"deadline_{fiscal_year}_{quarter}").input(typed)
    next(button for button in app.button if button.label == "บันทึกกำหนดส่ง").click()
    return app.run()


def deadline(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT deadline FROM fiscal_period WHERE fiscal_year = 2568 AND quarter = 2")


@pytest.mark.parametrize("typed", ["15/10/2568", "15 ต.ค. 2568", "2025-10-15", "15/10/2025"])
def test_a_deadline_typed_in_be_or_ce_is_saved_as_that_day(site: Path, typed: str) -> None:
    app = save_deadline(periods_page(site), typed)
    assert texts(app, "error") == []
    assert deadline(site) == [(dt.date(2025, 10, 15),)]
    [saved] = texts(app, "success")
    assert "ไตรมาส 2/2568" in saved and "15 ต.ค. 2568" in saved
    shown = table(app, "period", "deadline").set_index("period")["deadline"]
    assert shown["ไตรมาส 2/2568"] == "15 ต.ค. 2568"
    assert app.text_input(key="deadline_2568_2").value == "15 ต.ค. 2568"


@pytest.mark.parametrize("typed", ["bad", "", "31/02/2568", "15/10/68"])
def test_text_that_is_not_a_date_is_refused_and_saves_nothing(site: Path, typed: str) -> None:
    with db.open_db(site) as con:
        assert periods.set_deadline(con, 2568, 2, dt.date(2025, 4, 15), by="admin") == []
    app = save_deadline(periods_page(site), typed)
    assert texts(app, "success") == []
    [error] = texts(app, "error")
    assert "วันที่" in error and ("not a date" in error or "no such day" in error or "no date was typed" in error)
    assert deadline(site) == [(dt.date(2025, 4, 15),)]  # unchanged, not "no deadline"
    assert query(site, "SELECT count(*) FROM audit_event WHERE action = 'deadline_set'") == [(1,)]


def test_period_and_timeliness_times_are_shown_in_be(site: Path) -> None:
    with db.open_db(site) as con:
        assert periods.set_deadline(con, 2568, 2, dt.date(2025, 4, 15), by="admin") == []
    app = periods_page(site)
    updated = table(app, "period", "updated_at").set_index("period")["updated_at"]
    assert BE_DATE_TIME.fullmatch(updated["ไตรมาส 2/2568"]), updated["ไตรมาส 2/2568"]
    first = table(app, "unit_code", "first_submitted_at")["first_submitted_at"]
    assert first.str.fullmatch(BE_DATE_TIME).all(), first.tolist()


def test_audit_trail_is_filtered_by_typed_be_dates_and_shows_be_times(site: Path) -> None:
    with db.open_db(site) as con:
        auth.authenticate(con, "ana", "wrong-password", at=dt.datetime(2025, 10, 15, 9, 30))
        auth.authenticate(con, "ana", "wrong-password", at=dt.datetime(2025, 10, 20, 9, 30))
    app = signed_in(page("admin_audit.py"), site, "admin").run()
    app.selectbox(key="audit_action").set_value("login_failed")
    app.text_input(key="audit_since").input("1 ต.ค. 2568")
    app.text_input(key="audit_until").input("15/10/2568")
    app.run()
    events = table(app, "occurred_at", "actor", "action")
    assert events[["occurred_at", "actor"]].values.tolist() == [["15 ต.ค. 2568 09:30", "ana"]]

    app.text_input(key="audit_until").input("bad")
    app.run()
    [error] = texts(app, "error")
    assert error.startswith("“bad”: อ่านเป็นวันที่ไม่ได้") and "not a date" in error


def test_upload_history_shows_be_times(site: Path) -> None:
    app = signed_in(page("upload.py"), site, "plan.head").run()
    submitted = table(app, "version", "is_latest", "submitted_at")["submitted_at"]
    assert len(submitted) and submitted.str.fullmatch(BE_DATE_TIME).all(), submitted.tolist()


def test_kpi_page_history_shows_be_times(site: Path) -> None:
    app = signed_in(AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60), site, "boss")
    app.query_params.update({"kpi": "P-01", "lang": "th", "fy": "2568", "unit": "PLAN"})
    app.run()
    app.switch_page("app_pages/kpi.py").run()
    assert not app.exception, [e.value for e in app.exception]
    history = app.dataframe[-1].value
    assert len(history) and history[i18n.t("submitted_at", "th")].str.fullmatch(BE_DATE_TIME).all(), history

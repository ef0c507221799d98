"""The quarter's workflow end to end (issue 15), through the pages a user reaches (AppTest): with approval required,
a division head with five KPIs enters the quarter on the upload page's form (no spreadsheet); the overview leaves the
waiting version out; a reviewer returns one KPI with a reason on the review page; the division head reads it on the
upload page and in "my tasks", corrects the one cell and saves; the reviewer approves; the overview shows the
approved figure; the audit trail holds every step, in order, with its actor. The reminder run against a local SMTP
server (aiosmtpd) sends exactly the e-mails due, the reviewer's digest listing the version waiting for review.

The five KPIs (tests/test_web_entry.py's FIVE_KPIS, weights 30/20/20/20/10): FULL_QUARTER scores
0.3 x 4.5 + 0.2 x 1.3333 + 0.2 x 4.25 + 0.2 x 4 + 0.1 x 5 = 3.7667; P-01 corrected to 90 (score 5) gives 3.9167.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import approval, auth, db, periods, reminders, tasks, workflows
from tests.accounts_support import page, query, signed_in, texts
from tests.support import run_cli
from tests.test_reminders import BASE_URL, Sink, local_smtp
from tests.test_web_entry import FIVE_KPIS, FULL_QUARTER, Q2_DEADLINE, editor, save, type_cells

pytestmark = pytest.mark.usefixtures("fast_hashing")

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
REASON = "ร้อยละ 85 ไม่ตรงกับรายงานการประชุมครั้งที่ 2/2568 กรุณาตรวจสอบ"
FIRST, CORRECTED = "3.7667", "3.9167"
ACCOUNTS = {  # username -> (role, unit, e-mail)
    "admin": ("admin", None, "admin@example.test"),
    "boss": ("executive", None, "boss@example.test"),
    "plan.head": ("division_head", "PLAN", "plan.head@example.test"),
    "law.head": ("division_head", "LAW", "law.head@example.test"),
    "rev": ("reviewer", None, "rev@example.test"),
}


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sink]:
    with local_smtp(monkeypatch) as sink:
        yield sink


@pytest.fixture
def quarter_db(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PLAN owns five KPIs in 2568, LAW one; approval required for 2568; Q2 due on Q2_DEADLINE with a reminder the
    day before; every account has an e-mail; nothing submitted."""
    loaded = workflows.load_catalogue_file(empty_catalogue_db, "catalogue_2568.csv", FIVE_KPIS.encode(), by="test")
    assert loaded.stored, loaded.problems
    with db.open_db(empty_catalogue_db) as con:
        for username, (role, unit, mail) in ACCOUNTS.items():
            assert auth.add_user(con, username=username, role=role, password=f"{username}-pass-2568",
                                 unit_code=unit, email=mail, display_name=username.title(), by="test") == []
        assert periods.set_deadline(con, 2568, 2, Q2_DEADLINE, by="admin") == []
        assert reminders.set_reminder_offsets(con, 2568, 2, [-1], by="admin") == []
        assert approval.set_approval_required(con, 2568, True, by="admin") == []
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


def upload_page(db_path: Path) -> AppTest:
    """The upload page as the division head's "my tasks" link opens it: PLAN, Q2 of 2568."""
    app = signed_in(page("upload.py"), db_path, "plan.head")
    app.query_params.update({"upload_unit": "PLAN", "upload_year": "2568", "upload_quarter": "2"})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def review_page(db_path: Path) -> AppTest:
    app = signed_in(page("review.py"), db_path, "rev")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def first_page(db_path: Path, username: str, lang: str = "th") -> AppTest:
    """dashboard/app.py as `username` first sees it, on PLAN's Q2 of 2568."""
    app = signed_in(AppTest.from_file(str(APP), default_timeout=60), db_path, username)
    app.session_state["filter_lang"] = lang
    app.query_params.update({"fy": "2568", "q": "2", "unit": "PLAN"})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def press(app: AppTest, label: str) -> AppTest:
    next(button for button in app.button if button.label == label).click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def plan_q2(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT version, approval_status, approved_by, is_counted FROM submissions "
                          "WHERE unit_code = 'PLAN' AND fiscal_year = 2568 AND quarter = 2 ORDER BY version")


def remind(db_path: Path, now: str) -> int:
    return run_cli(db_path, "remind", "--now", now)


def test_a_division_head_enters_a_reviewer_returns_one_kpi_and_approves_the_correction(
    quarter_db: Path, smtp: Sink,
) -> None:
    # the division head enters the quarter on the form, no spreadsheet
    app = save(type_cells(upload_page(quarter_db), FULL_QUARTER))
    assert any("ฉบับที่ 1" in text for text in texts(app, "success"))
    assert any("ฉบับที่ 1 รอการตรวจสอบ" in text for text in texts(app, "info"))
    assert plan_q2(quarter_db) == [(1, "submitted", None, False)]
    assert query(quarter_db, "SELECT file_name FROM submission") == [("PLAN_2568_Q2_web-form.xlsx",)]

    # the overview counts approved figures only: PLAN's Q2 has none yet
    overview = first_page(quarter_db, "boss")
    assert overview.metric[0].value not in (FIRST, CORRECTED)
    assert any("รอการตรวจสอบ" in text for text in texts(overview, "caption"))

    # the reminder run the day before the deadline: LAW is still missing; the digest lists PLAN's waiting version
    assert remind(quarter_db, "2025-04-14T09:00") == 0
    assert smtp.recipients() == ["admin@example.test", "law.head@example.test", "rev@example.test"]
    digest = next(mail for rcpts, mail in smtp.messages if rcpts == ["rev@example.test"]).get_content()
    assert "ไตรมาส 2/2568 PLAN กองแผนงาน: รอการตรวจสอบ ฉบับที่ 1 ส่งโดย plan.head (กำหนดส่ง 15 เม.ย. 2568)" in digest
    assert "ไตรมาส 2/2568 LAW กองกฎหมาย: ยังไม่ส่ง (กำหนดส่ง 15 เม.ย. 2568)" in digest
    assert f"ตรวจสอบและอนุมัติได้ที่: {BASE_URL}/review" in digest
    assert "Q2 FY2568 PLAN Planning Division: waiting for review, version 1 by plan.head" in digest
    assert remind(quarter_db, "2025-04-14T10:00") == 0  # cron an hour later: nothing twice
    assert len(smtp.messages) == 3

    # the reviewer returns P-01 with a reason
    review = review_page(quarter_db)
    [(waiting,)] = query(quarter_db, "SELECT submission_id FROM submission")
    review.text_input(key=f"reason_{waiting}_P-01").set_value(REASON)
    press(review, "ส่งคืนให้แก้ไข")
    assert plan_q2(quarter_db) == [(1, "returned", None, False)]

    # the division head reads the reason in "my tasks" and on the upload page
    home = first_page(quarter_db, "plan.head")
    [returned] = [link.proto for link in home.get("page_link") if "ส่งคืน" in link.proto.label]
    assert returned.label == f"แก้ไขผลที่ถูกส่งคืน PLAN · กองแผนงาน ไตรมาส 2/2568 — P-01: {REASON}"
    assert returned.page == "upload"
    assert dict(parse_qsl(returned.query_string)) == {"upload_unit": "PLAN", "upload_year": "2568",
                                                      "upload_quarter": "2"}
    app = upload_page(quarter_db)
    assert any(REASON in text and "P-01" in text for text in texts(app, "error"))

    # corrects the one cell (the form opens on version 1) and saves
    assert list(editor(app).value["actual"])[:2] == ["85", "19"]
    app = save(type_cells(app, {"P-01": {"actual": "90"}}))
    assert any("ฉบับที่ 2" in text for text in texts(app, "success"))
    assert not any(REASON in text for text in texts(app, "error"))
    assert plan_q2(quarter_db) == [(1, "returned", None, False), (2, "submitted", None, False)]
    home = first_page(quarter_db, "plan.head")
    assert not [link for link in home.get("page_link") if "ส่งคืน" in link.proto.label]  # answered

    # the reviewer approves the corrected version; the overview shows it
    review = review_page(quarter_db)
    diff = next(frame.value for frame in review.dataframe if "old_actual" in frame.value.columns)
    assert diff.set_index("kpi_code").loc["P-01", "new_actual"] == "90"
    press(review, "อนุมัติ")
    assert plan_q2(quarter_db) == [(1, "returned", None, False), (2, "approved", "rev", True)]
    assert first_page(quarter_db, "boss").metric[0].value == CORRECTED

    # every step in the audit trail, in order, with its actor
    steps = query(quarter_db, "SELECT actor, action, outcome FROM audit_log WHERE unit_code = 'PLAN' "
                              "AND fiscal_year = 2568 AND quarter = 2 ORDER BY occurred_at, event_id")
    assert steps == [("plan.head", "upload", "success"), ("rev", "submission_return", "success"),
                     ("plan.head", "upload", "success"), ("rev", "submission_approve", "success")]
    trail = signed_in(page("admin_audit.py"), quarter_db, "admin")
    trail.run()
    shown = next(frame.value for frame in trail.dataframe if "actor" in frame.value.columns)
    shown = shown[(shown["unit_code"] == "PLAN") & (shown["fiscal_year"] == "2568") & (shown["quarter"] == "2")]
    assert list(zip(shown["actor"], shown["action"], strict=True))[::-1] == [  # newest first, in Thai
        ("plan.head", "นำส่งข้อมูลตัวชี้วัด"), ("rev", "ส่งคืนผลการดำเนินงานให้แก้ไข"),
        ("plan.head", "นำส่งข้อมูลตัวชี้วัด"), ("rev", "อนุมัติผลการดำเนินงาน")]
    assert any(REASON in detail for detail in shown["detail"])


def test_the_digest_lists_the_versions_waiting_for_review_only_while_they_wait(quarter_db: Path, smtp: Sink) -> None:
    assert remind(quarter_db, "2025-01-20T09:00") == 0  # Q1: no deadline, no reminder, nothing waiting
    assert smtp.messages == []
    save(type_cells(upload_page(quarter_db), FULL_QUARTER))
    with db.open_db(quarter_db) as con:
        queue = reminders.review_queue(con, dt.date(2025, 1, 20))
    assert [(item.unit_code, item.quarter, item.deadline, item.page) for item in queue] == [
        ("PLAN", 2, Q2_DEADLINE, "review")]
    assert remind(quarter_db, "2025-01-20T10:00") == 0
    assert smtp.recipients() == ["admin@example.test", "rev@example.test"]  # the digest only: no one missing yet
    digest = smtp.messages[0][1]
    assert digest["Subject"].startswith("[BSC] สรุปรายการรอดำเนินการ 20 ม.ค. 2568: 1 รายการ")
    [(waiting,)] = query(quarter_db, "SELECT submission_id FROM submission")
    with db.open_db(quarter_db, read_only=True) as con:
        rev = auth.get_user(con, "rev")
    assert approval.approve_submission(quarter_db, waiting, user=rev).stored
    assert remind(quarter_db, "2025-01-21T09:00") == 0
    assert len(smtp.messages) == 2  # nothing waits any more: no digest


def test_my_tasks_lists_a_returned_version_with_its_reasons_until_a_newer_one_is_submitted(quarter_db: Path) -> None:
    save(type_cells(upload_page(quarter_db), FULL_QUARTER))
    [(waiting,)] = query(quarter_db, "SELECT submission_id FROM submission")
    with db.open_db(quarter_db, read_only=True) as con:
        rev, head = auth.get_user(con, "rev"), auth.get_user(con, "plan.head")
    reasons = {"P-03": "แนบผลสำรวจความพึงพอใจด้วย", "P-01": REASON}
    assert approval.return_submission(quarter_db, waiting, reasons, user=rev).stored
    today = dt.date(2025, 4, 10)
    with db.open_db(quarter_db, read_only=True) as con:
        mine = tasks.my_tasks(con, head, today=today)
        assert tasks.my_tasks(con, auth.get_user(con, "law.head"), today=today)[0].kind == tasks.DUE
    assert mine[0] == tasks.Task(tasks.RETURNED, "PLAN", "กองแผนงาน", "Planning Division", 2568, 2, Q2_DEADLINE, 5,
                                 f"P-01: {REASON}; P-03: แนบผลสำรวจความพึงพอใจด้วย")  # catalogue order
    assert [task.kind for task in mine if task.quarter == 2] == [tasks.RETURNED]  # not also "due"
    english = first_page(quarter_db, "plan.head", "en")
    labels = [link.proto.label for link in english.get("page_link")]
    assert f"Correct PLAN · Planning Division's returned results for Q2 FY2568: P-01: {REASON}; P-03: " \
           "แนบผลสำรวจความพึงพอใจด้วย" in labels
    save(type_cells(upload_page(quarter_db), {"P-01": {"actual": "90"}}))
    with db.open_db(quarter_db, read_only=True) as con:
        assert [task for task in tasks.my_tasks(con, head, today=today) if task.kind == tasks.RETURNED] == []

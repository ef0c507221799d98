"""`python -m pipelines remind` against a local SMTP server (aiosmtpd) started by the tests on a free port.

The sample database: org AG/PLAN/LAW, catalogue 2568, PLAN submitted Q1 and Q2, LAW only Q2. Reminders are set
through pipelines.reminders and pipelines.periods as the admin page does; the command runs through
pipelines.cli.main with --now, so the server clock never matters.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from pipelines import auth, db, periods, reminders
from tests.accounts_support import page, query, signed_in, table, texts
from tests.support import run_cli

pytestmark = pytest.mark.usefixtures("fast_hashing")

DEADLINE = dt.date(2025, 7, 15)  # 15 ก.ค. 2568
BASE_URL = "https://kpi.example.test"


class Sink:
    """Keeps every message the server accepted; `refuse` makes it answer 451 (try again later) instead."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        if self.refuse:
            return "451 4.3.0 mailbox busy, try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(rcpt for rcpts, _ in self.messages for rcpt in rcpts)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sink]:
    with local_smtp(monkeypatch) as sink:
        yield sink


@contextmanager
def local_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sink]:
    """A local SMTP server on a free port and the settings that point the reminder run at it."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"BSC_SMTP_HOST": "127.0.0.1", "BSC_SMTP_PORT": str(port), "BSC_SMTP_SECURITY": "none",
                        "BSC_SMTP_FROM": "kpi@example.test", "BSC_BASE_URL": BASE_URL,
                        "BSC_SECRETS": "/nonexistent/secrets.toml"}.items():
        monkeypatch.setenv(name, value)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def reminded_db(sample_db: Path) -> Path:
    """Division heads of PLAN and LAW with e-mails, one of LAW without, an admin; Q1 and Q3 of 2568 due on
    DEADLINE with reminders 7 and 1 days before and 3 days after."""
    with db.open_db(sample_db) as con:
        for username, role, unit, mail in [
            ("plan.head", "division_head", "PLAN", "plan.head@example.test"),
            ("law.head", "division_head", "LAW", "law.head@example.test"),
            ("law.deputy", "division_head", "LAW", None),
            ("admin", "admin", None, "admin@example.test"),
            ("boss", "executive", None, "boss@example.test"),
        ]:
            assert auth.add_user(con, username=username, role=role, password=f"{username}-pass-2568",
                                 unit_code=unit, email=mail, display_name=username.title(), by="test") == []
        for quarter in (1, 3):
            assert periods.set_deadline(con, 2568, quarter, DEADLINE, by="admin") == []
            assert reminders.set_reminder_offsets(con, 2568, quarter, [-7, -1, 3], by="admin") == []
    return sample_db


def remind(db_path: Path, *args: str) -> int:
    return run_cli(db_path, "remind", *args)


def sent_rows(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT kind, unit_code, fiscal_year, quarter, offset_days, recipient FROM reminder_sent "
                          "ORDER BY ALL")


def test_the_run_sends_exactly_the_due_reminders_in_thai_with_english_below(reminded_db, smtp, capsys):
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 0  # 7 days before the deadline
    assert smtp.recipients() == ["admin@example.test", "law.head@example.test", "law.head@example.test",
                                 "plan.head@example.test"]
    # PLAN submitted Q1: it gets only Q3's reminder; LAW gets both; the deputy has no e-mail; the executive none
    assert sent_rows(reminded_db) == [
        ("digest", "", 2568, 4, 0, "admin@example.test"),
        ("missing", "LAW", 2568, 1, -7, "law.head@example.test"),
        ("missing", "LAW", 2568, 3, -7, "law.head@example.test"),
        ("missing", "PLAN", 2568, 3, -7, "plan.head@example.test"),
    ]
    plan = next(mail for rcpts, mail in smtp.messages if rcpts == ["plan.head@example.test"])
    assert plan["Subject"] == ("[BSC] แจ้งเตือน: PLAN ยังไม่ส่งผลไตรมาส 3/2568 กำหนดส่ง 15 ก.ค. 2568 / "
                               "Reminder: PLAN Q3 FY2568 results due 15 Jul 2568")
    assert plan["From"] == "kpi@example.test"
    body = plan.get_content()
    assert "หน่วยงาน PLAN กองแผนงาน ยังไม่ได้นำส่งผลการดำเนินงานตามตัวชี้วัดของไตรมาส 3/2568" in body
    assert "กำหนดส่ง: 15 ก.ค. 2568 (เหลืออีก 7 วัน)" in body
    assert "Deadline: 15 Jul 2568 (7 day(s) left)" in body
    assert "  - P-01 " in body
    assert f"{BASE_URL}/upload?upload_unit=PLAN" in body
    assert body.index("เรียน Plan.Head") < body.index("Dear Plan.Head") < body.index("Planning Division")
    digest = next(mail for rcpts, mail in smtp.messages if rcpts == ["admin@example.test"])
    assert digest["Subject"].startswith("[BSC] สรุปรายการรอดำเนินการ 8 ก.ค. 2568: 3 รายการ / Daily digest")
    digest_body = digest.get_content()
    assert "ไตรมาส 1/2568 LAW กองกฎหมาย: ยังไม่ส่ง (กำหนดส่ง 15 ก.ค. 2568)" in digest_body
    assert "Q3 FY2568 PLAN Planning Division: not yet submitted (deadline 15 Jul 2568)" in digest_body
    assert "ส่งแล้ว / sent: missing -> plan.head@example.test" in capsys.readouterr().out
    assert query(reminded_db, "SELECT count(*) FROM audit_event WHERE action = 'reminder_sent'") == [(4,)]


def test_a_second_run_sends_nothing_again(reminded_db, smtp, capsys):
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 0
    assert remind(reminded_db, "--now", "2025-07-08T10:00") == 0  # cron, an hour later
    assert len(smtp.messages) == 4
    assert len(sent_rows(reminded_db)) == 4
    assert "ไม่มีอีเมลที่ถึงกำหนดส่ง / nothing due" in capsys.readouterr().out


def test_the_next_reminder_day_sends_the_next_reminder_and_the_next_digest(reminded_db, smtp):
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 0
    assert remind(reminded_db, "--now", "2025-07-14T09:00") == 0  # the day before the deadline
    offsets = [row[4] for row in sent_rows(reminded_db) if row[0] == "missing"]
    assert sorted(offsets) == [-7, -7, -7, -1, -1, -1]
    assert [row for row in sent_rows(reminded_db) if row[0] == "digest"] == [
        ("digest", "", 2568, 4, 0, "admin@example.test")] * 2  # one a day, keyed by its day
    later = [mail for rcpts, mail in smtp.messages[4:] if rcpts == ["plan.head@example.test"]]
    assert "(วันนี้เป็นวันสุดท้าย)" not in later[0].get_content()
    assert "(เหลืออีก 1 วัน)" in later[0].get_content()


def test_after_the_deadline_only_those_still_missing_are_reminded(reminded_db, smtp):
    assert remind(reminded_db, "--now", "2025-07-18T09:00") == 0  # 3 days after
    assert smtp.recipients() == ["admin@example.test", "law.head@example.test", "law.head@example.test",
                                 "plan.head@example.test"]
    plan = next(mail for rcpts, mail in smtp.messages if rcpts == ["plan.head@example.test"])
    assert "ไตรมาส 3/2568" in plan["Subject"] and "(เลยกำหนดมาแล้ว 3 วัน)" in plan.get_content()


def test_a_unit_that_has_submitted_gets_nothing(sample_db, smtp):
    with db.open_db(sample_db) as con:
        assert auth.add_user(con, username="plan.head", role="division_head", password="plan-pass-2568",
                             unit_code="PLAN", email="plan.head@example.test", by="test") == []
        assert periods.set_deadline(con, 2568, 2, DEADLINE, by="admin") == []
        assert reminders.set_reminder_offsets(con, 2568, 2, [-7], by="admin") == []
    assert remind(sample_db, "--now", "2025-07-08T09:00") == 0
    assert smtp.messages == [] and sent_rows(sample_db) == []


def test_dry_run_sends_nothing_and_records_nothing(reminded_db, smtp, capsys):
    assert remind(reminded_db, "--dry-run", "--now", "2025-07-08T09:00") == 0
    out = capsys.readouterr().out
    assert out.count("จะส่ง / would send") == 4
    assert "would send: missing -> plan.head@example.test" in out
    assert smtp.messages == [] and sent_rows(reminded_db) == []
    assert query(reminded_db, "SELECT count(*) FROM audit_event WHERE action = 'reminder_sent'") == [(0,)]


def test_an_smtp_failure_records_nothing_and_the_next_run_sends_it(reminded_db, smtp, capsys):
    smtp.refuse = True
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 1
    assert "ส่งไม่สำเร็จ จะลองใหม่ในรอบถัดไป / not sent, tried again next run" in capsys.readouterr().err
    assert smtp.messages == [] and sent_rows(reminded_db) == []
    assert query(reminded_db, "SELECT count(*) FROM audit_event WHERE action = 'reminder_sent'") == [(0,)]
    smtp.refuse = False
    assert remind(reminded_db, "--now", "2025-07-08T10:00") == 0
    assert len(smtp.messages) == 4 and len(sent_rows(reminded_db)) == 4


def test_a_reminder_day_long_past_or_a_closed_quarter_sends_nothing(reminded_db, smtp):
    assert remind(reminded_db, "--now", "2025-07-25T09:00") == 0  # +3 was 7 days ago: past the catch-up
    assert [row[0] for row in sent_rows(reminded_db)] == ["digest"]  # the admins still hear of the queue
    smtp.messages.clear()
    with db.open_db(reminded_db) as con:
        assert periods.close_period(con, 2568, 3, by="admin", reason="ปิดรอบ") == []
        assert periods.close_period(con, 2568, 1, by="admin", reason="ปิดรอบ") == []
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 0
    assert smtp.messages == []


def test_without_an_smtp_host_nothing_is_sent_or_recorded(reminded_db, monkeypatch, capsys):
    monkeypatch.delenv("BSC_SMTP_HOST", raising=False)
    monkeypatch.setenv("BSC_SECRETS", "/nonexistent/secrets.toml")
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 1
    assert "BSC_SMTP_HOST" in capsys.readouterr().err
    assert sent_rows(reminded_db) == []


def test_smtp_settings_come_from_the_secrets_file_when_the_environment_has_none(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "mail.example.test"\nsecurity = "tls"\nuser = "kpi"\npassword = "s3cret"\n'
                       'from = "kpi@example.test"\n', encoding="utf-8")
    monkeypatch.setenv("BSC_SECRETS", str(secrets))
    for name in ("BSC_SMTP_HOST", "BSC_SMTP_PORT", "BSC_SMTP_SECURITY", "BSC_SMTP_USER", "BSC_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert reminders.smtp_settings() == reminders.SmtpSettings("mail.example.test", 465, "tls", "kpi", "s3cret",
                                                               "kpi@example.test")
    monkeypatch.setenv("BSC_SMTP_PASSWORD", "from-env")
    assert reminders.smtp_settings().password == "from-env"


@pytest.mark.parametrize(("typed", "offsets", "bad"), [
    ("-7, -1, +3", [-7, -1, 3], []),
    ("3 -1 -7 -1", [-7, -1, 3], []),
    ("", [], []),
    ("-7, soon, 90", [-7], ["soon", "90"]),
])
def test_reminder_days_are_read_as_the_admin_types_them(typed, offsets, bad):
    parsed, problems = reminders.parse_offsets(typed)
    assert parsed == offsets
    assert [problem.value for problem in problems] == bad
    assert all("ก่อนวันครบกำหนด" in p.reason_th and "before the deadline" in p.reason_en for p in problems)


def test_the_periods_page_sets_reminder_days_and_lists_what_was_sent_with_be_dates(reminded_db, smtp, monkeypatch):
    assert remind(reminded_db, "--now", "2025-07-08T09:00") == 0
    monkeypatch.setenv("BSC_DB", str(reminded_db))
    app = signed_in(page("admin_periods.py"), reminded_db, "admin")
    app.session_state["filter_lang"] = "th"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    app.selectbox(key="period_year").set_value(2568).run()
    app.selectbox(key="period_quarter").set_value(3).run()
    assert app.text_input(key="reminder_days_2568_3").value == "-7, -1, +3"
    assert "หัวหน้าหน่วยงาน 1 คนยังไม่มีอีเมลในบัญชี จึงไม่ได้รับการแจ้งเตือน: law.deputy" in texts(app, "caption")
    app.text_input(key="reminder_days_2568_3").set_value("-10, +5")
    next(button for button in app.button if button.label == "บันทึกวันแจ้งเตือน").click().run()
    assert not app.exception, [e.value for e in app.exception]
    with db.open_db(reminded_db, read_only=True) as con:
        assert reminders.reminder_offsets(con, 2568, 3) == [-10, 5]
    sent = table(app, "recipient", "due_on")
    assert len(sent) == 4
    assert set(sent["due_on"]) == {"8 ก.ค. 2568"}
    assert set(sent["sent_at"]) == {"8 ก.ค. 2568 09:00"}
    assert "plan.head@example.test" in set(sent["recipient"])


def test_now_must_be_an_iso_date_and_time(reminded_db, capsys):
    with pytest.raises(SystemExit) as ended:
        remind(reminded_db, "--now", "next tuesday")
    assert ended.value.code == 2
    assert "ไม่ใช่วันเวลาแบบ ISO / not an ISO date and time: 'next tuesday'" in capsys.readouterr().err


def test_the_command_line_imports_the_mail_code_only_when_remind_runs():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, pipelines.cli; "
                               "print(' '.join(m for m in ('pipelines.reminders', 'smtplib', 'aiosmtpd') "
                               "if m in sys.modules))"],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []

"""Reminders by e-mail: to each division head whose unit has not submitted a quarter, on the days the admin set
around its deadline, and a daily digest of the queue to the admins. `python -m pipelines remind` sends what is due
now and is safe to run from cron every hour (docs/operations/reminders.md).

Never the same reminder twice: each e-mail is one row of `reminder_sent` (migration 014) under a unique key,
inserted in the transaction that sends it and committed once the SMTP server accepted the message. An SMTP failure
rolls the row back, so the next run tries again; a crash after the server accepted a message and before the commit
sends it once more on the next run (at least once, with the window of one COMMIT: a reminder lost is worse than
one repeated). Two runs at once cannot both send: the database's write lock lets one process in at a time.

Which reminder is due: for each quarter that has a deadline, a schedule and is open, the latest of its reminder
days (deadline + offset) that is today or up to CATCH_UP_DAYS before (a run missed for a day or two still
reminds; a reminder day long past, such as one set after the fact, does not). The digest lists the queue: the
units still missing a quarter whose reminders have started, and the versions waiting for review (when a year
requires approval: pipelines.approval.review_queue). The queue is built by QUEUE_SOURCES, one function per kind of
waiting item.

SMTP settings come from the environment or `.streamlit/secrets.toml` (pipelines.settings), never the database.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote

import duckdb

from pipelines import approval, audit, db, queries, settings
from pipelines.calendar import fiscal_period_of, format_date, format_fiscal_period
from pipelines.lazy import lazy_module
from pipelines.problems import Problem
from pipelines.roles import ROLES

pd = lazy_module("pandas")

CATCH_UP_DAYS = 2
"""A reminder day missed (no run that day) is still sent this many days later, then never."""
MAX_OFFSET_DAYS = 60
DIGEST_ROLES = tuple(role for role in ("reviewer", "admin") if role in ROLES)
"""Who gets the daily digest: the reviewer role where it exists, and the admins."""
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls (default, port 587) | tls (implicit, port 465) | none (a local relay)
    user: str | None
    password: str | None
    sender: str
    timeout: float = 30.0


def smtp_settings() -> SmtpSettings | None:
    """BSC_SMTP_* from the environment, else `[smtp]` of the secrets file; None when no host is configured."""
    host = settings.setting("BSC_SMTP_HOST", "smtp", "host")
    if not host:
        return None
    security = (settings.setting("BSC_SMTP_SECURITY", "smtp", "security", "starttls") or "starttls").lower()
    if security not in SECURITY:
        raise ValueError(f"BSC_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}")
    port = int(settings.setting("BSC_SMTP_PORT", "smtp", "port", "465" if security == "tls" else "587"))
    return SmtpSettings(host, port, security, settings.setting("BSC_SMTP_USER", "smtp", "user"),
                        settings.setting("BSC_SMTP_PASSWORD", "smtp", "password"),
                        settings.setting("BSC_SMTP_FROM", "smtp", "from", "bsc-kpi@localhost") or "bsc-kpi@localhost",
                        float(settings.setting("BSC_SMTP_TIMEOUT", "smtp", "timeout", "30") or 30))


def base_url() -> str:
    """The dashboard's address as people open it (BSC_BASE_URL, else `[app] base_url` of the secrets file)."""
    return (settings.setting("BSC_BASE_URL", "app", "base_url", "http://localhost:8501") or "").rstrip("/")


def upload_link(unit_code: str) -> str:
    return f"{base_url()}/upload?upload_unit={quote(unit_code)}"


# --- the schedule ------------------------------------------------------------------------------------------------


def parse_offsets(text: str) -> tuple[list[int], list[Problem]]:
    """'-7, -1, +3' -> [-7, -1, 3]: days before (negative) or after (positive) the deadline, each at most
    MAX_OFFSET_DAYS away; blank = no reminders."""
    offsets, problems = set(), []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part.strip():
            continue
        try:
            offset = int(part.strip().replace("−", "-"))
        except ValueError:
            offset = None
        if offset is None or abs(offset) > MAX_OFFSET_DAYS:
            problems.append(Problem("", "", None, "offset_days", part.strip(),
                                    f"ต้องเป็นจำนวนวันเต็มระหว่าง -{MAX_OFFSET_DAYS} ถึง +{MAX_OFFSET_DAYS} "
                                    "(ลบ = ก่อนวันครบกำหนด บวก = หลังวันครบกำหนด)",
                                    f"must be a whole number of days from -{MAX_OFFSET_DAYS} to +{MAX_OFFSET_DAYS} "
                                    "(negative = before the deadline, positive = after it)", "offset_days"))
            continue
        offsets.add(offset)
    return sorted(offsets), problems


def reminder_offsets(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int) -> list[int]:
    return [row[0] for row in con.execute(queries.SELECT_REMINDER_OFFSETS, [fiscal_year, quarter]).fetchall()]


def offsets_text(offsets: list[int]) -> str:
    """[-7, -1, 3] -> '-7, -1, +3', as the admin types them."""
    return ", ".join(f"{offset:+d}" if offset else "0" for offset in offsets)


def set_reminder_offsets(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, offsets: list[int], *, by: str,
    channel: str = "web",
) -> list[Problem]:
    """Replace the quarter's reminder days, audited in the same transaction."""
    bad = [offset for offset in offsets if abs(offset) > MAX_OFFSET_DAYS]
    if bad or quarter not in (1, 2, 3, 4):
        return [Problem("", "", None, "offset_days", offsets_text(bad) or str(quarter),
                        f"วันแจ้งเตือนหรือไตรมาสไม่ถูกต้อง (วันต้องอยู่ระหว่าง -{MAX_OFFSET_DAYS} ถึง +{MAX_OFFSET_DAYS})",
                        f"not valid reminder days or quarter (days from -{MAX_OFFSET_DAYS} to +{MAX_OFFSET_DAYS})",
                        "offset_days")]
    at = audit.now()
    with db.transaction(con):
        con.execute(queries.DELETE_REMINDER_OFFSETS, [fiscal_year, quarter])
        for offset in sorted(set(offsets)):
            con.execute(queries.INSERT_REMINDER_OFFSET, [fiscal_year, quarter, offset, by, at])
        audit.record(con, by, "reminder_schedule_set", "success", fiscal_year=fiscal_year, quarter=quarter,
                     channel=channel, detail=offsets_text(sorted(set(offsets))) or "ไม่แจ้งเตือน / none")
    return []


def schedules(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, list[int]]]:
    """(fiscal year, quarter, offsets) of every quarter with reminder days."""
    return [(year, quarter, list(offsets))
            for year, quarter, offsets in con.execute(queries.LIST_REMINDER_SCHEDULES).fetchall()]


def sent_reminders(con: duckdb.DuckDBPyConnection, limit: int = 500):
    """The e-mails sent, newest first (a pandas frame): sent_at, kind, unit_code, fiscal_year, quarter,
    offset_days, due_on, recipient, subject."""
    return con.execute(queries.LIST_REMINDERS_SENT, [limit]).df()


def unreachable_division_heads(con: duckdb.DuckDBPyConnection) -> list[str]:
    """User names of the enabled division heads without an e-mail: no reminder can reach them."""
    return [row[0] for row in con.execute(queries.DIVISION_HEADS_WITHOUT_EMAIL).fetchall()]


# --- what is due -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    kind: str  # missing | digest
    unit_code: str  # '' for a digest
    fiscal_year: int
    quarter: int
    offset_days: int
    due_on: dt.date
    recipient: str
    subject: str
    body: str

    @property
    def key(self) -> list:
        return [self.kind, self.unit_code, self.fiscal_year, self.quarter, self.offset_days, self.due_on,
                self.recipient]


@dataclass(frozen=True)
class QueueItem:
    """One line of the digest: a unit's quarter that waits for someone."""

    unit_code: str
    name_th: str
    name_en: str
    fiscal_year: int
    quarter: int
    deadline: dt.date | None
    state_th: str
    state_en: str
    page: str = "admin_periods"
    """The dashboard page where it is dealt with (the digest links each page its items name)."""


def _both(text_th: str, text_en: str) -> str:
    """An e-mail body: Thai first, English below a rule."""
    return f"{text_th}\n\n{'-' * 60}\n{text_en}\n"


def _days_left(deadline: dt.date, today: dt.date) -> tuple[str, str]:
    days = (deadline - today).days
    if days > 0:
        return f"เหลืออีก {days} วัน", f"{days} day(s) left"
    if days == 0:
        return "วันนี้เป็นวันสุดท้าย", "today is the last day"
    return f"เลยกำหนดมาแล้ว {-days} วัน", f"{-days} day(s) overdue"


def _open_quarters(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, dt.date, list[int]]]:
    """(fiscal year, quarter, deadline, offsets) of every open quarter that has a deadline and reminder days."""
    return [(year, quarter, deadline, list(offsets))
            for year, quarter, deadline, offsets in con.execute(queries.REMINDER_QUARTERS).fetchall()]


def due_offset(deadline: dt.date, offsets: list[int], today: dt.date) -> int | None:
    """The reminder day due today: the latest one on or before today, at most CATCH_UP_DAYS ago."""
    due = [offset for offset in offsets
           if 0 <= (today - (deadline + dt.timedelta(days=offset))).days <= CATCH_UP_DAYS]
    return max(due) if due else None


def _missing_reminder(con: duckdb.DuckDBPyConnection, unit: tuple, head: tuple, year: int, quarter: int,
                      deadline: dt.date, offset: int, today: dt.date) -> Reminder:
    unit_code, name_th, name_en = unit
    _, display_name, email = head
    kpis = con.execute(queries.REMINDER_KPIS_OF_UNIT, [year, unit_code]).fetchall()
    period_th, period_en = format_fiscal_period(year, quarter), format_fiscal_period(year, quarter, "en")
    deadline_th, deadline_en = format_date(deadline, "th"), format_date(deadline, "en")
    left_th, left_en = _days_left(deadline, today)
    link = upload_link(unit_code)
    list_th = "\n".join(f"  - {code} {kpi_th}" for code, kpi_th, _ in kpis)
    list_en = "\n".join(f"  - {code} {kpi_en or kpi_th}" for code, kpi_th, kpi_en in kpis)
    subject = (f"[BSC] แจ้งเตือน: {unit_code} ยังไม่ส่งผล{period_th} กำหนดส่ง {deadline_th} / "
               f"Reminder: {unit_code} {period_en} results due {deadline_en}")
    body = _both(
        f"เรียน {display_name}\n\n"
        f"หน่วยงาน {unit_code} {name_th} ยังไม่ได้นำส่งผลการดำเนินงานตามตัวชี้วัดของ{period_th}\n"
        f"กำหนดส่ง: {deadline_th} ({left_th})\n"
        f"ตัวชี้วัดที่ยังไม่ได้รายงาน ({len(kpis)} ตัว):\n{list_th}\n\n"
        f"นำส่งได้ที่: {link}\n\n"
        "อีเมลนี้ส่งโดยอัตโนมัติจากระบบติดตามผลการดำเนินงานตามตัวชี้วัด กรุณาอย่าตอบกลับ",
        f"Dear {display_name},\n\n"
        f"Unit {unit_code} {name_en or name_th} has not yet submitted its KPI results for {period_en}.\n"
        f"Deadline: {deadline_en} ({left_en})\n"
        f"KPIs not yet reported ({len(kpis)}):\n{list_en}\n\n"
        f"Submit at: {link}\n\n"
        "This e-mail was sent automatically by the KPI performance system; please do not reply.")
    return Reminder("missing", unit_code, year, quarter, offset, deadline + dt.timedelta(days=offset), email.strip(),
                    subject, body)


def missing_units_queue(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[QueueItem]:
    """Units still missing a quarter whose reminders have started (its first reminder day is today or past)."""
    items = []
    for year, quarter, deadline, offsets in _open_quarters(con):
        if today < deadline + dt.timedelta(days=min(offsets)):
            continue
        state = (("เลยกำหนดแล้วยังไม่ส่ง", "overdue, not submitted") if today > deadline
                 else ("ยังไม่ส่ง", "not yet submitted"))
        for unit_code, name_th, name_en in con.execute(queries.REMINDER_MISSING_UNITS, [year, quarter]).fetchall():
            items.append(QueueItem(unit_code, name_th, name_en or name_th, year, quarter, deadline, *state))
    return items


def review_queue(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[QueueItem]:
    """The versions waiting for a reviewer (approval.review_queue: only a year that requires approval has any),
    the earliest deadline first."""
    items = []
    for row in approval.review_queue(con).itertuples(index=False):
        items.append(QueueItem(
            row.unit_code, row.name_th, row.name_en or row.name_th, int(row.fiscal_year), int(row.quarter),
            None if pd.isna(row.deadline) else pd.Timestamp(row.deadline).date(),
            f"รอการตรวจสอบ ฉบับที่ {row.version} ส่งโดย {row.submitted_by}",
            f"waiting for review, version {row.version} by {row.submitted_by}", "review"))
    return items


QUEUE_SOURCES: list[Callable[[duckdb.DuckDBPyConnection, dt.date], list[QueueItem]]] = [
    missing_units_queue, review_queue]
"""What the digest lists, one function per kind of waiting item."""


def _deadline_text(deadline: dt.date | None, lang: str) -> str:
    if deadline is None:
        return "ไม่ได้กำหนดวันส่ง" if lang == "th" else "no deadline"
    return ("กำหนดส่ง " if lang == "th" else "deadline ") + format_date(deadline, lang)


_PAGE_WORDS = {"admin_periods": ("ดูสถานะทั้งหมดได้ที่", "See every state at"),
               "review": ("ตรวจสอบและอนุมัติได้ที่", "Review and approve at")}


def _digest(con: duckdb.DuckDBPyConnection, items: list[QueueItem], head: tuple, today: dt.date) -> Reminder:
    _, display_name, email = head
    day_th, day_en = format_date(today, "th"), format_date(today, "en")
    lines_th = "\n".join(f"  - {format_fiscal_period(i.fiscal_year, i.quarter)} {i.unit_code} {i.name_th}: "
                         f"{i.state_th} ({_deadline_text(i.deadline, 'th')})" for i in items)
    lines_en = "\n".join(f"  - {format_fiscal_period(i.fiscal_year, i.quarter, 'en')} {i.unit_code} {i.name_en}: "
                         f"{i.state_en} ({_deadline_text(i.deadline, 'en')})" for i in items)
    pages = list(dict.fromkeys(item.page for item in items))
    links_th = "\n".join(f"{_PAGE_WORDS[page][0]}: {base_url()}/{page}" for page in pages)
    links_en = "\n".join(f"{_PAGE_WORDS[page][1]}: {base_url()}/{page}" for page in pages)
    subject = f"[BSC] สรุปรายการรอดำเนินการ {day_th}: {len(items)} รายการ / Daily digest {day_en}: {len(items)} item(s)"
    body = _both(f"เรียน {display_name}\n\nรายการที่ยังรอดำเนินการ ณ {day_th} ({len(items)} รายการ):\n{lines_th}\n\n"
                 f"{links_th}",
                 f"Dear {display_name},\n\nStill waiting on {day_en} ({len(items)} item(s)):\n{lines_en}\n\n"
                 f"{links_en}")
    year, quarter = fiscal_period_of(today)
    return Reminder("digest", "", year, quarter, 0, today, email.strip(), subject, body)


def due_reminders(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> list[Reminder]:
    """Every e-mail due at `now` and not sent yet: the division heads' reminders, then the digests."""
    today = now.date()
    due: list[Reminder] = []
    for year, quarter, deadline, offsets in _open_quarters(con):
        offset = due_offset(deadline, offsets, today)
        if offset is None:
            continue
        for unit in con.execute(queries.REMINDER_MISSING_UNITS, [year, quarter]).fetchall():
            for head in con.execute(queries.REMINDER_DIVISION_HEADS, [unit[0]]).fetchall():
                due.append(_missing_reminder(con, unit, head, year, quarter, deadline, offset, today))
    items = [item for source in QUEUE_SOURCES for item in source(con, today)]
    if items:
        for head in con.execute(queries.REMINDER_DIGEST_RECIPIENTS, [list(DIGEST_ROLES)]).fetchall():
            due.append(_digest(con, items, head, today))
    return [reminder for reminder in due if not con.execute(queries.REMINDER_WAS_SENT, reminder.key).fetchone()]


# --- sending -----------------------------------------------------------------------------------------------------


def message(reminder: Reminder, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = reminder.subject
    mail["From"] = sender
    mail["To"] = reminder.recipient
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(reminder.body, charset="utf-8")
    return mail


class _Mailer:
    """One SMTP connection for a run, opened on the first message and opened again after a failure."""

    def __init__(self, config: SmtpSettings) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None

    def send(self, mail: EmailMessage) -> None:
        if self.client is None:
            self.client = self._connect()
        self.client.send_message(mail)

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        if config.security == "tls":
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        if config.user:
            client.login(config.user, config.password or "")
        return client

    def drop(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.client = None


@dataclass
class RemindRun:
    due: list[Reminder] = field(default_factory=list)
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)  # (reminder, why): tried again next run
    not_configured: bool = False  # something was due but no SMTP host is configured: nothing sent


def remind(db_path: Path, now: dt.datetime | None = None, *, dry_run: bool = False,
           config: SmtpSettings | None = None) -> RemindRun:
    """Send every reminder due at `now` (default: the server clock). Dry run: say what is due, send and record
    nothing. Each e-mail: its reminder_sent row and audit row inserted, the message sent, then the commit (an SMTP
    failure rolls both back: tried again next run)."""
    now = now or audit.now()
    with db.open_current(db_path) as con:
        run = RemindRun(due_reminders(con, now))
    if dry_run or not run.due:
        return run
    config = config or smtp_settings()
    if config is None:
        run.not_configured = True
        return run
    mailer = _Mailer(config)
    try:
        for reminder in run.due:
            try:
                if _send_one(db_path, reminder, mailer, now):
                    run.sent.append(reminder)
            except (smtplib.SMTPException, OSError) as error:
                mailer.drop()
                run.failed.append((reminder, f"{type(error).__name__}: {error}"))
    finally:
        mailer.drop()
    return run


def _send_one(db_path: Path, reminder: Reminder, mailer: _Mailer, now: dt.datetime) -> bool:
    """Record and send one e-mail in one transaction; False when another run recorded it meanwhile."""
    with db.open_db(db_path) as con, db.transaction(con):
        if con.execute(queries.REMINDER_WAS_SENT, reminder.key).fetchone():
            return False
        con.execute(queries.INSERT_REMINDER_SENT, [*reminder.key, reminder.subject, now])
        audit.record(con, "remind", "reminder_sent", "success",
                     unit_code=reminder.unit_code or None, fiscal_year=reminder.fiscal_year,
                     quarter=reminder.quarter, channel="cli",
                     detail=f"{reminder.kind} {reminder.offset_days:+d} -> {reminder.recipient}: {reminder.subject}")
        mailer.send(message(reminder, mailer.config.sender))
    return True

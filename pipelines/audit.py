"""The append-only audit trail: who did what, when, to which unit and quarter, and how it ended.

Only `record` writes, and it only inserts; the admin page and the admin-only view `audit_log` read it.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from pipelines import queries
from pipelines.lazy import lazy_module

pd = lazy_module("pandas")

ACTIONS: dict[str, tuple[str, str]] = {
    "login": ("เข้าสู่ระบบ", "Log in"),
    "login_failed": ("เข้าสู่ระบบไม่สำเร็จ", "Failed log in"),
    "account_locked": ("บัญชีถูกล็อก", "Account locked"),
    "login_rate_limited": ("ระงับการเข้าสู่ระบบจากเครื่องนี้ชั่วคราว", "Sign-ins from one address paused"),
    "logout": ("ออกจากระบบ", "Log out"),
    "access_denied": ("ปฏิเสธการเข้าถึง", "Access refused"),
    "upload": ("นำส่งข้อมูลตัวชี้วัด", "Upload"),
    "catalogue_load": ("โหลดบัญชีตัวชี้วัด", "Catalogue load"),
    "orgs_load": ("โหลดโครงสร้างหน่วยงาน", "Org units load"),
    "strategy_load": ("โหลดแผนยุทธศาสตร์", "Strategy load"),
    "strategy_edit": ("แก้ไขแผนยุทธศาสตร์", "Strategy edit"),
    "user_add": ("เพิ่มผู้ใช้", "User added"),
    "user_update": ("แก้ไขผู้ใช้", "User changed"),
    "password_set": ("ตั้งรหัสผ่าน", "Password set"),
    "user_disable": ("ระงับผู้ใช้", "User disabled"),
    "user_enable": ("เปิดใช้ผู้ใช้", "User enabled"),
    "user_unlock": ("ปลดล็อกผู้ใช้", "User unlocked"),
    "period_close": ("ปิดรับข้อมูลไตรมาส", "Quarter closed"),
    "period_reopen": ("เปิดรับข้อมูลไตรมาสอีกครั้ง", "Quarter reopened"),
    "deadline_set": ("กำหนดวันส่งข้อมูล", "Deadline set"),
    "evidence_add": ("แนบไฟล์หลักฐาน", "Evidence attached"),
    "reminder_schedule_set": ("กำหนดวันส่งอีเมลแจ้งเตือน", "Reminder days set"),
    "reminder_sent": ("ส่งอีเมลแจ้งเตือน", "Reminder sent"),
    "approval_setting": ("ตั้งค่าการอนุมัติผลการดำเนินงาน", "Approval setting"),
    "submission_approve": ("อนุมัติผลการดำเนินงาน", "Submission approved"),
    "submission_return": ("ส่งคืนผลการดำเนินงานให้แก้ไข", "Submission returned"),
}
"""Action code -> (Thai, English)."""

OUTCOMES: dict[str, tuple[str, str]] = {
    "success": ("สำเร็จ", "Success"),
    "rejected": ("ไม่ผ่านการตรวจสอบ", "Rejected"),
    "refused": ("ไม่มีสิทธิ์/ไม่อนุญาต", "Refused"),
    "failed": ("ไม่สำเร็จ", "Failed"),
}
"""success: done; rejected: the input had problems; refused: not allowed (role, unit, closed quarter, lock);
failed: a wrong password."""


MAX_ACTOR_LENGTH = 256
MAX_DETAIL_LENGTH = 2000
"""Longer text is cut, whoever typed it: a visitor must not be able to grow the trail by typing."""


def now() -> dt.datetime:
    """The server clock, to the second; one function so tests and every table agree on 'now'."""
    return dt.datetime.now().replace(microsecond=0)


def record(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    outcome: str,
    *,
    unit_code: str | None = None,
    fiscal_year: int | None = None,
    quarter: int | None = None,
    detail: str = "",
    channel: str = "web",
    at: dt.datetime | None = None,
) -> None:
    if action not in ACTIONS or outcome not in OUTCOMES:
        raise ValueError(f"unknown audit action/outcome: {action}/{outcome}")
    con.execute(
        queries.INSERT_AUDIT_EVENT,
        [at or now(), (actor or "-")[:MAX_ACTOR_LENGTH], action, outcome, unit_code, fiscal_year, quarter,
         detail[:MAX_DETAIL_LENGTH], channel],
    )


def events(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """The newest events first, filtered as the admin page asks (None = any)."""
    since_at = dt.datetime.combine(since, dt.time.min) if since else None
    until_at = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min) if until else None
    return con.execute(
        queries.SELECT_AUDIT_EVENTS,
        [actor, actor, action, action, since_at, since_at, until_at, until_at, limit],
    ).df()

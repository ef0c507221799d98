"""Review and approval of submissions by the planning division (issue 15; migration 012).

Per fiscal year the admin may require approval (`set_approval_required`, audited; off by default). While it is on,
a new version is stored 'submitted' (`open_review`, called by ingest in the storing transaction) and counts only
when a reviewer approves it (`approve_submission`); a reviewer may instead return it with a reason per KPI
(`return_submission`), which the division head reads on the upload page (`return_notice`) and answers with a new
version. The scored views count, per unit quarter, the latest version that is approved or needed no approval
(views.sql: submissions.is_counted); the schema include_submitted counts the waiting ones too (the dashboard's
switch). Each decision is one transaction with its audit row, decided again inside it (the reviewer's role on the
account as stored then, the version still the latest and still waiting), then the snapshot is published.

approval_status of a version: not_required (stored while its year did not require approval: counts at once),
submitted, approved, returned, superseded (a newer version came before a decision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import audit, db, queries, results, snapshot
from pipelines.auth import User, get_user, submittable_units
from pipelines.calendar import format_fiscal_period
from pipelines.lazy import lazy_module
from pipelines.problems import Problem

pd = lazy_module("pandas")

APPROVAL_STATUSES: dict[str, tuple[str, str]] = {
    "not_required": ("ไม่ต้องอนุมัติ", "No approval needed"),
    "submitted": ("รอการตรวจสอบ", "Waiting for review"),
    "approved": ("อนุมัติแล้ว", "Approved"),
    "returned": ("ส่งคืนให้แก้ไข", "Returned for correction"),
    "superseded": ("มีฉบับใหม่กว่า", "Superseded by a newer version"),
}
"""submissions.approval_status -> (Thai, English)."""
REVIEWER_ROLES = ("reviewer", "admin")
"""Who may approve or return a version (the review page's roles in pipelines.roles.PAGES)."""
MAX_REASON_LENGTH = 1000


@dataclass
class Decision:
    """An approve or return asked for: stored, or refused with its problems."""

    submission_id: int
    problems: list[Problem] = field(default_factory=list)
    stored: bool = False
    unit_code: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = None
    version: int | None = None
    snapshot_error: Exception | None = None


@dataclass(frozen=True)
class ReturnNotice:
    """The latest version of a unit quarter, returned by a reviewer: what the division head must correct."""

    submission_id: int
    version: int
    returned_by: str
    returned_at: dt.datetime
    reasons: list[tuple[str, str | None, str | None, str]]
    """(kpi_code, Thai name, English name, reason) in catalogue order."""


def may_review(user: User | None) -> bool:
    return user is not None and not user.disabled and user.role in REVIEWER_ROLES


def approval_required(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> bool:
    """Whether a version of the fiscal year stored now needs approval (no setting: not required)."""
    row = con.execute(queries.APPROVAL_REQUIRED, [fiscal_year]).fetchone()
    return bool(row and row[0])


def approval_settings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """fiscal_year, approval_required, updated_by, updated_at for every fiscal year with a catalogue, newest first."""
    return con.execute(queries.APPROVAL_SETTINGS).df()


def set_approval_required(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, required: bool, *, by: str, channel: str = "web"
) -> list[Problem]:
    """Turn approval on or off for a fiscal year, audited. Turning it off is refused while versions of the year wait
    for review: they would neither count nor be reviewed (approve or return them first)."""
    with db.transaction(con):
        waiting = con.execute(queries.WAITING_IN_YEAR, [fiscal_year]).fetchone()[0]
        if not required and waiting:
            return [Problem("", "", None, "approval_required", str(fiscal_year),
                            f"ยังมีผลการดำเนินงานรอการตรวจสอบ {waiting} รายการในปีงบประมาณ {fiscal_year} "
                            "กรุณาอนุมัติหรือส่งคืนก่อนยกเลิกการอนุมัติ",
                            f"{waiting} version(s) of fiscal year {fiscal_year} still wait for review: approve or "
                            "return them before turning approval off", "approval_required")]
        con.execute(queries.UPSERT_APPROVAL_SETTING, [fiscal_year, required, by, audit.now()])
        audit.record(con, by, "approval_setting", "success", fiscal_year=fiscal_year, channel=channel,
                     detail="ต้องอนุมัติ / approval required" if required else "ไม่ต้องอนุมัติ / approval not required")
    return []


def open_review(con: duckdb.DuckDBPyConnection, submission_id: int, fiscal_year: int) -> bool:
    """Inside the transaction that stores a new version: mark it waiting for review when its year requires approval.
    True when it does."""
    if not approval_required(con, fiscal_year):
        return False
    con.execute(queries.INSERT_REVIEW, [submission_id])
    return True


# --- decisions -----------------------------------------------------------------------------------


def approve_submission(db_path: Path, submission_id: int, *, user: User | None, channel: str = "web") -> Decision:
    """Approve the latest version of a unit quarter that waits for review: from now on it is what the dashboard
    counts."""
    return _decide(db_path, submission_id, "approved", {}, user, channel)


def return_submission(
    db_path: Path, submission_id: int, reasons: Mapping[str, str], *, user: User | None, channel: str = "web"
) -> Decision:
    """Return the latest version of a unit quarter that waits for review, with a reason for each KPI named in
    `reasons` (kpi_code -> reason; at least one, each a KPI of the version). The approved figures stay as they were."""
    return _decide(db_path, submission_id, "returned", reasons, user, channel)


_ACTIONS = {"approved": "submission_approve", "returned": "submission_return"}


def _decide(db_path: Path, submission_id: int, status: str, reasons: Mapping[str, str], user: User | None,
            channel: str) -> Decision:
    decision = Decision(submission_id)
    reasons = {code.strip(): " ".join(str(text).split())[:MAX_REASON_LENGTH]
               for code, text in reasons.items() if str(text).strip()}
    with db.open_db(db_path) as con:
        db.migrate(con)

        def write() -> Decision:
            with db.transaction(con):
                decision.problems = _decision_problems(con, decision, status, reasons, user)
                actor = user.username if user else channel
                where = dict(unit_code=decision.unit_code, fiscal_year=decision.fiscal_year, quarter=decision.quarter)
                if decision.problems:
                    refused = any(problem.field == "role" for problem in decision.problems)
                    audit.record(con, actor, _ACTIONS[status], "refused" if refused else "rejected", **where,
                                 channel=channel, detail=_detail(decision, reasons) + "; " + "; ".join(
                                     problem.reason_en for problem in decision.problems))
                    return decision
                db.bump_generation(con, period=(decision.unit_code, decision.fiscal_year, decision.quarter))
                con.execute(queries.DECIDE_REVIEW, [status, actor, audit.now(), submission_id])
                for code, text in reasons.items():
                    con.execute(queries.INSERT_RETURN_REASON, [submission_id, code, text])
                results.refresh_period(con, decision.unit_code, decision.fiscal_year, decision.quarter)
                audit.record(con, actor, _ACTIONS[status], "success", **where, channel=channel,
                             detail=_detail(decision, reasons))
                decision.stored = True
            return decision

        db.retrying(write)
        if decision.stored:
            decision.snapshot_error = snapshot.publish_after_write(con, db_path)
    return decision


def _detail(decision: Decision, reasons: Mapping[str, str]) -> str:
    version = f"version {decision.version}" if decision.version else f"submission {decision.submission_id}"
    return version + "".join(f"; {code}: {text}" for code, text in reasons.items())


def _decision_problems(con: duckdb.DuckDBPyConnection, decision: Decision, status: str, reasons: Mapping[str, str],
                       user: User | None) -> list[Problem]:
    """Decided inside the storing transaction: the reviewer's role on the account as stored now, the version still
    the latest and waiting, and for a return a reason for at least one KPI of the version."""
    now = get_user(con, user.username) if user is not None else None
    if user is not None and not may_review(now):
        return [Problem("", "", None, "role", user.username,
                        "บัญชีนี้ไม่มีสิทธิ์ตรวจสอบและอนุมัติผลการดำเนินงาน (เฉพาะผู้ตรวจสอบของกองแผนและผู้ดูแลระบบ)",
                        "this account may not review submissions (reviewers of the planning division and "
                        "administrators only)", "role")]
    row = con.execute(queries.SUBMISSION_STATE, [decision.submission_id]).fetchone()
    if row is None:
        return [Problem("", "", None, "submission_id", str(decision.submission_id),
                        "ไม่พบฉบับที่ส่งนี้", "no such submission", "submission_id")]
    _, decision.unit_code, decision.fiscal_year, decision.quarter, decision.version, is_latest, state = row
    period = f"{decision.unit_code} {format_fiscal_period(decision.fiscal_year, decision.quarter, 'en')}"
    if not is_latest or state != "submitted":
        return [Problem("", "", None, "approval_status", f"{period} v{decision.version}",
                        f"ฉบับที่ {decision.version} ไม่ได้รอการตรวจสอบแล้ว (สถานะ: {APPROVAL_STATUSES[state][0]}) "
                        "อนุมัติหรือส่งคืนได้เฉพาะฉบับล่าสุดที่รอการตรวจสอบ",
                        f"version {decision.version} no longer waits for review ({APPROVAL_STATUSES[state][1]}): "
                        "only the latest version waiting for review may be approved or returned", "approval_status")]
    if status != "returned":
        return []
    codes = {code for (code,) in con.execute(queries.SUBMISSION_KPI_CODES, [decision.submission_id]).fetchall()}
    if not reasons:
        return [Problem("", "", None, "reason", f"{period} v{decision.version}",
                        "การส่งคืนต้องระบุเหตุผลอย่างน้อยหนึ่งตัวชี้วัด",
                        "a return needs a reason for at least one KPI", "reason")]
    return [Problem("", "", None, "kpi_code", code, "ตัวชี้วัดนี้ไม่อยู่ในฉบับที่ส่ง",
                    "this KPI is not in the submitted version", "kpi_code")
            for code in reasons if code not in codes]


# --- reads ---------------------------------------------------------------------------------------


def review_queue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every latest version waiting for review, the earliest deadline first (none last): submission_id, unit_code,
    name_th, name_en, fiscal_year, quarter, version, file_name, row_count, submitted_by, submitted_at, deadline."""
    return con.execute(queries.REVIEW_QUEUE).df()


def review_diff(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """Per KPI of the version: kpi_code, name_th, name_en, unit, old_actual, new_actual, old_score, new_score,
    status, note, evidence; old_* from the version the dashboard counts now (NULL when none)."""
    return con.execute(queries.REVIEW_DIFF, {"submission_id": submission_id}).df()


def latest_state(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int
                 ) -> tuple[int, str] | None:
    """(version, approval_status) of the unit quarter's latest version; None when nothing was submitted."""
    return con.execute(queries.LATEST_APPROVAL_STATE, [unit_code, fiscal_year, quarter]).fetchone()


def return_notice(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int
                  ) -> ReturnNotice | None:
    """The reviewer's reasons when the unit quarter's latest version was returned; None otherwise."""
    row = con.execute(queries.LATEST_RETURN, [unit_code, fiscal_year, quarter]).fetchone()
    if row is None:
        return None
    reasons = [tuple(found) for found in con.execute(queries.RETURN_REASONS, [row[0]]).fetchall()]
    return ReturnNotice(row[0], row[1], row[2], row[3], reasons)


def returned_versions(con: duckdb.DuckDBPyConnection, user_or_units: User | Iterable[str]) -> pd.DataFrame:
    """The returned versions still to be corrected (the latest of their unit quarter) of a user's units
    (auth.submittable_units) or of the units given: unit_code, name_th, name_en, fiscal_year, quarter, version,
    submission_id, returned_by, returned_at, reason_count; newest quarter first. For the "my tasks" box."""
    units = (submittable_units(con, user_or_units) if isinstance(user_or_units, User) else list(user_or_units))
    return con.execute(queries.RETURNED_VERSIONS, [units]).df()

"""Local accounts: password hashing, login with lockout, sessions, roles, and who may submit for which unit.

No streamlit here: the CLI (`python -m pipelines users ...`) and the dashboard call the same functions, and every
change is written to the audit trail in the same transaction as the change itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import random
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from pipelines import audit, db, queries
from pipelines.db import is_duplicate_key, transaction
from pipelines.lazy import lazy_module
from pipelines.problems import Problem
from pipelines.roles import ROLES, may_open

bcrypt = lazy_module("bcrypt")
pd = lazy_module("pandas")

ADMIN_ONLY_VIEWS: tuple[str, ...] = ("audit_log",)
"""Public views only the admin role may query (the SQL page hides them from analysts)."""
PRIVATE_TABLES: tuple[str, ...] = ("app_user", "user_session", "audit_event", "login_throttle")
"""Tables no SQL-page user may read: password hashes, session ids and what visitors typed live here."""

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128  # what the login form accepts; longer input is refused before hashing
MAX_USERNAME_LENGTH = 64  # the longest user name _USERNAME allows; longer input is refused before anything is written
FAILED_LOGINS_PER_SOURCE = 20  # failed sign-ins from one address per SOURCE_WINDOW before it is refused
FAILED_LOGINS_UNKNOWN_SOURCE = 100  # the same when the server cannot tell the address: one bucket for everyone
SOURCE_WINDOW = dt.timedelta(minutes=15)
UNKNOWN_NAME_MEMORY = dt.timedelta(hours=24)  # how long the failures of a name without an account are kept
MAX_THROTTLE_ROWS = 10_000  # login_throttle rows; past it a new address counts against the unknown-source bucket
CONFLICT_RETRIES = 40  # transactions retried when parallel sign-ins write the same row; then "busy, try again"
BCRYPT_ROUNDS = 12  # about 0.25 s per hash on one core; tests lower it
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HASH_PREFIX = "bcrypt-sha256$"


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    unit_code: str | None
    email: str | None
    disabled: bool = False

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


@dataclass(frozen=True)
class LoginResult:
    outcome: str  # ok | wrong | locked | disabled | rate_limited | too_long | busy
    user: User | None = None
    locked_until: dt.datetime | None = None  # locked: until when; rate_limited: until when the source is refused
    attempts_left: int | None = None  # wrong passwords left before the lock


# --- passwords -----------------------------------------------------------------------------------


def _prehash(password: str) -> bytes:
    """SHA-256 first, so a password of any length counts in full (bcrypt alone stops at 72 bytes, which is
    24 Thai characters); NFC first, so the same Thai text typed two ways is the same password."""
    digest = hashlib.sha256(unicodedata.normalize("NFC", password).encode("utf-8")).digest()
    return base64.b64encode(digest)


def hash_password(password: str) -> str:
    hashed = bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds=BCRYPT_ROUNDS))
    return _HASH_PREFIX + hashed.decode("ascii")


def verify_password(password: str, stored: str) -> bool:
    if not stored.startswith(_HASH_PREFIX):
        return False
    return bcrypt.checkpw(_prehash(password), stored.removeprefix(_HASH_PREFIX).encode("ascii"))


_DUMMY_HASHES: dict[int, str] = {}


def _dummy_hash() -> str:
    """A throw-away hash at the current cost, checked for an unknown user name so that it takes as long as a
    wrong password."""
    if BCRYPT_ROUNDS not in _DUMMY_HASHES:
        _DUMMY_HASHES[BCRYPT_ROUNDS] = hash_password(secrets.token_hex(8))
    return _DUMMY_HASHES[BCRYPT_ROUNDS]


def password_problems(password: str) -> list[Problem]:
    if len(password) > MAX_PASSWORD_LENGTH:
        return [_problem("password", "", f"รหัสผ่านต้องยาวไม่เกิน {MAX_PASSWORD_LENGTH} ตัวอักษร",
                         f"the password must be at most {MAX_PASSWORD_LENGTH} characters")]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [_problem("password", "", f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร",
                         f"the password must be at least {MIN_PASSWORD_LENGTH} characters")]
    if password.strip() == "" or len(set(password)) < 3:
        return [_problem("password", "", "รหัสผ่านง่ายเกินไป", "the password is too simple")]
    return []


def generate_password() -> str:
    """A password an admin can read out: four groups of four letters and digits (about 80 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


# --- users ---------------------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFC", username).strip().lower()


def _problem(field: str, value: object, reason_th: str, reason_en: str) -> Problem:
    return Problem("", "", None, field, "" if value is None else str(value), reason_th, reason_en, field)


def _user(row: tuple) -> User:
    username, display_name, role, unit_code, email, disabled = row[:6]
    return User(username, display_name, role, unit_code, email, bool(disabled))


def _no_such_user(username: str) -> list[Problem]:
    return [_problem("username", username, "ไม่พบผู้ใช้นี้", "no such user")]


def get_user(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = con.execute(queries.SELECT_USER, [normalise_username(username)]).fetchone()
    return _user(row) if row else None


def user_for_email(con: duckdb.DuckDBPyConnection, email: str) -> User | None:
    """The enabled account whose e-mail matches, for single sign-on; None if none or ambiguous."""
    rows = con.execute(queries.SELECT_USERS_BY_EMAIL, [email.strip().lower()]).fetchall()
    return _user(rows[0]) if len(rows) == 1 else None


def list_users(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every account without its hash: username, display_name, role, unit_code, email, disabled,
    failed_logins, locked_until, last_login_at, created_at, created_by."""
    return con.execute(queries.LIST_USERS).df()


def _unit_exists(con: duckdb.DuckDBPyConnection, unit_code: str) -> bool:
    return con.execute(queries.UNIT_EXISTS, [unit_code]).fetchone()[0] > 0


def _profile_problems(
    con: duckdb.DuckDBPyConnection, username: str, role: str, unit_code: str | None, email: str | None
) -> list[Problem]:
    problems = []
    if role not in ROLES:
        problems.append(_problem("role", role, f"บทบาทไม่ถูกต้อง ต้องเป็นหนึ่งใน {', '.join(ROLES)}",
                                 f"role must be one of {', '.join(ROLES)}"))
    if role == "division_head" and not unit_code:
        problems.append(_problem("unit_code", "", "หัวหน้าหน่วยงานต้องระบุหน่วยงาน",
                                 "a division head needs a unit"))
    if unit_code and not _unit_exists(con, unit_code):
        problems.append(_problem("unit_code", unit_code, "ไม่พบหน่วยงานนี้", "unknown org unit"))
    if email:
        if not _EMAIL.fullmatch(email):
            problems.append(_problem("email", email, "อีเมลไม่ถูกต้อง", "not an e-mail address"))
        elif con.execute(queries.EMAIL_TAKEN, [email.lower(), username]).fetchone()[0]:
            problems.append(_problem("email", email, "อีเมลนี้ผูกกับผู้ใช้อื่นแล้ว", "e-mail already used by another user"))
    return problems


def add_user(
    con: duckdb.DuckDBPyConnection,
    *,
    username: str,
    role: str,
    password: str,
    unit_code: str | None = None,
    display_name: str = "",
    email: str | None = None,
    by: str,
    channel: str = "web",
) -> list[Problem]:
    """Create an account; returns the problems instead when the input is not acceptable (nothing written)."""
    username = normalise_username(username)
    email = (email or "").strip().lower() or None
    unit_code = (unit_code or "").strip() or None
    problems = []
    if not _USERNAME.fullmatch(username):
        problems.append(_problem("username", username, "ชื่อผู้ใช้ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข . _ - ยาว 2–64 ตัว",
                                 "user name: 2-64 of a-z, 0-9, '.', '_', '-'"))
    elif get_user(con, username) is not None:
        problems.append(_problem("username", username, "มีชื่อผู้ใช้นี้แล้ว", "user name already taken"))
    problems += _profile_problems(con, username, role, unit_code, email) + password_problems(password)
    if problems:
        return problems
    with transaction(con):
        con.execute(queries.INSERT_USER, [
            username, display_name.strip() or username, role, unit_code, email, hash_password(password),
            audit.now(), by,
        ])
        audit.record(con, by, "user_add", "success", unit_code=unit_code, channel=channel,
                     detail=f"{username} ({role})")
    return []


def update_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    *,
    role: str,
    unit_code: str | None,
    display_name: str,
    email: str | None,
    by: str,
    channel: str = "web",
) -> list[Problem]:
    email = (email or "").strip().lower() or None
    unit_code = (unit_code or "").strip() or None

    def problems(user: User) -> list[Problem]:
        return (_profile_problems(con, user.username, role, unit_code, email)
                + _last_admin_stays(con, user, role != "admin", "role", role))

    def write(user: User) -> None:
        con.execute(queries.UPDATE_USER, [display_name.strip() or user.username, role, unit_code, email, user.username])
        audit.record(con, by, "user_update", "success", unit_code=unit_code, channel=channel,
                     detail=f"{user.username}: {user.role}/{user.unit_code or '-'} -> {role}/{unit_code or '-'}")

    return _change_user(con, username, problems, write)


def _change_user(
    con: duckdb.DuckDBPyConnection, username: str, problems: Callable[[User], list[Problem]],
    write: Callable[[User], None],
) -> list[Problem]:
    """A change to an existing account: the problems `problems` finds, or else `write` (the change and its audit
    row) in one transaction."""
    user = get_user(con, username)
    if user is None:
        return _no_such_user(username)
    found = problems(user)
    if found:
        return found
    with transaction(con):
        write(user)
    return []


def _last_admin_stays(
    con: duckdb.DuckDBPyConnection, user: User, losing_admin: bool, column: str, value: str
) -> list[Problem]:
    """A change that takes the admin role from the last enabled admin is refused."""
    if not (losing_admin and user.role == "admin"):
        return []
    if con.execute(queries.OTHER_ENABLED_ADMINS, [user.username]).fetchone()[0]:
        return []
    return [_problem(column, value, "ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งคน",
                     "at least one enabled admin must remain")]


def set_password(
    con: duckdb.DuckDBPyConnection, username: str, password: str, *, by: str, channel: str = "web"
) -> list[Problem]:
    """New password, lock cleared, every open session of the user ended."""
    def write(user: User) -> None:
        con.execute(queries.SET_PASSWORD, [hash_password(password), user.username])
        con.execute(queries.END_SESSIONS_OF_USER, [audit.now(), user.username])
        audit.record(con, by, "password_set", "success", channel=channel, detail=user.username)

    return _change_user(con, username, lambda user: password_problems(password), write)


def set_disabled(
    con: duckdb.DuckDBPyConnection, username: str, disabled: bool, *, by: str, channel: str = "web"
) -> list[Problem]:
    """Disable (ending every session at once) or enable an account; the last enabled admin stays."""
    def write(user: User) -> None:
        con.execute(queries.SET_DISABLED, [disabled, user.username])
        if disabled:
            con.execute(queries.END_SESSIONS_OF_USER, [audit.now(), user.username])
        audit.record(con, by, "user_disable" if disabled else "user_enable", "success", channel=channel,
                     detail=user.username)

    return _change_user(con, username, lambda user: _last_admin_stays(con, user, disabled, "username", username),
                        write)


def unlock(con: duckdb.DuckDBPyConnection, username: str, *, by: str, channel: str = "web") -> None:
    with transaction(con):
        con.execute(queries.CLEAR_FAILED_LOGINS, [normalise_username(username)])
        audit.record(con, by, "user_unlock", "success", channel=channel, detail=normalise_username(username))


# --- login and sessions --------------------------------------------------------------------------


def authenticate(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    *,
    at: dt.datetime | None = None,
    source: str | None = None,
) -> LoginResult:
    """Check a password. Five wrong ones in a row lock the account for 15 minutes; while locked, even the right
    password is refused. An unknown user name looks exactly like a wrong password: the same message, the same
    count of attempts left, the same lock and the same bcrypt work.

    The attempt is counted before the password is checked (`_reserve_attempt`, one transaction), so however many
    sign-ins run at once, at most five passwords are checked per lock window. Failed attempts are also counted per
    `source` (the client's address; None = unknown, one bucket for the whole server): past the limit the source is
    refused until its window ends, with one audit row per window. Every attempt is audited, the user name at most
    64 characters long: longer input is refused before anything is written."""
    at = at or audit.now()
    if len(username) > MAX_USERNAME_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        return LoginResult("too_long")
    name = normalise_username(username)
    bucket = _source_bucket(source)
    dummy_hash = _dummy_hash()  # made by the first sign-in of any kind, so an unknown name never pays for it
    try:
        attempt = _conflict_retried(con, lambda: _reserve_attempt(con, name, bucket, at))
        if attempt.refused is not None:
            return attempt.refused
        right = verify_password(password, attempt.password_hash or dummy_hash)
        return _conflict_retried(con, lambda: _finish_attempt(con, name, bucket, attempt, right, at))
    except (duckdb.TransactionException, duckdb.ConstraintException) as error:
        if not _is_conflict(error):
            raise
        return LoginResult("busy")


@dataclass(frozen=True)
class _Attempt:
    refused: LoginResult | None  # set when the attempt was refused before any password check
    user: User | None = None
    password_hash: str | None = None  # None: no such user, check against a throw-away hash
    failures: int = 0  # wrong passwords in a row, this attempt included
    locked_until: dt.datetime | None = None  # set when this attempt is the one that locks
    lock_seen: dt.datetime | None = None  # app_user.locked_until when this attempt was counted (None or expired)


def _source_bucket(source: str | None) -> str:
    return "source:" + (source.strip()[:64] if source and source.strip() else "*")


def _source_limit(bucket: str) -> int:
    return FAILED_LOGINS_UNKNOWN_SOURCE if bucket == "source:*" else FAILED_LOGINS_PER_SOURCE


_T = TypeVar("_T")
_SIGN_IN_WRITES = threading.Lock()
"""Sign-in transactions of this process run one at a time (they take milliseconds; the bcrypt check runs outside):
counting does not then rest on DuckDB noticing every conflict between connections of one process. Other
processes cannot write the file at the same moment at all (DuckDB's file lock)."""


def _conflict_retried(con: duckdb.DuckDBPyConnection, work: Callable[[], _T]) -> _T:
    """Run `work` in one transaction; again when a concurrent sign-in wrote the same row first (DuckDB's
    optimistic concurrency raises a TransactionException instead of waiting, or a ConstraintException when both
    inserted the same new row). Re-raises after CONFLICT_RETRIES."""
    delay = 0.005
    for attempt in range(CONFLICT_RETRIES):
        try:
            with _SIGN_IN_WRITES, transaction(con):
                return work()
        except (duckdb.TransactionException, duckdb.ConstraintException) as error:
            if attempt == CONFLICT_RETRIES - 1 or not _is_conflict(error):
                raise
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.2)
    raise AssertionError("unreachable")


def _is_conflict(error: Exception) -> bool:
    return isinstance(error, duckdb.TransactionException) or is_duplicate_key(error)


def _reserve_attempt(con: duckdb.DuckDBPyConnection, name: str, bucket: str, at: dt.datetime) -> _Attempt:
    """Count the attempt against its source and its user name before the password is checked; refuse it when the
    source is over its limit or the name is locked. The attempt that reaches five sets the lock itself, so that
    attempts running at the same time are refused rather than checked."""
    con.execute(queries.PRUNE_LOGIN_THROTTLE, [at - UNKNOWN_NAME_MEMORY, at - SOURCE_WINDOW, at])
    refused = _count_source_failure(con, bucket, at)
    if refused is not None:
        return _Attempt(refused)
    row = con.execute(queries.SELECT_LOGIN_STATE, [name]).fetchone()
    if row is None:
        locked_until, failures = _count_unknown_name_failure(con, name, at)
        if failures == 0:
            audit.record(con, name, "login_failed", "refused", detail=f"locked until {locked_until:%H:%M}", at=at)
            return _Attempt(LoginResult("locked", locked_until=locked_until))
        return _Attempt(None, failures=failures, locked_until=locked_until if failures >= MAX_FAILED_LOGINS else None)
    user, password_hash, locked_until = _user(row), row[6], row[7]
    if locked_until is not None and locked_until > at:
        audit.record(con, name, "login_failed", "refused", detail=f"locked until {locked_until:%H:%M}", at=at)
        return _Attempt(LoginResult("locked", locked_until=locked_until))
    failures = con.execute(queries.COUNT_FAILED_LOGIN, [name]).fetchone()[0]
    if failures < MAX_FAILED_LOGINS:
        return _Attempt(None, user, password_hash, failures, lock_seen=locked_until)
    lock = at + dt.timedelta(minutes=LOCK_MINUTES)
    con.execute(queries.LOCK_USER, [lock, name])
    return _Attempt(None, user, password_hash, failures, lock, lock_seen=locked_until)


def _count_source_failure(con: duckdb.DuckDBPyConnection, bucket: str, at: dt.datetime) -> LoginResult | None:
    """One more failure for the source, counted in advance (a right password gives it back); a LoginResult when
    the source is refused. Only the attempt that reaches the limit writes an audit row."""
    row = con.execute(queries.SELECT_LOGIN_THROTTLE, [bucket]).fetchone()
    failures, window_start, refused_until = row if row else (0, at, None)
    if refused_until is not None and refused_until > at:
        return LoginResult("rate_limited", locked_until=refused_until)
    if window_start <= at - SOURCE_WINDOW:
        failures, window_start = 0, at
    if failures >= _source_limit(bucket):
        refused_until = window_start + SOURCE_WINDOW
        con.execute(queries.UPSERT_LOGIN_THROTTLE, [bucket, failures, window_start, refused_until])
        audit.record(con, bucket, "login_rate_limited", "refused", at=at, detail=(
            f"{failures} failed sign-ins since {window_start:%H:%M}; refused until {refused_until:%H:%M}"))
        return LoginResult("rate_limited", locked_until=refused_until)
    if row is None and bucket != "source:*" and _throttle_full(con):
        return _count_source_failure(con, "source:*", at)
    con.execute(queries.UPSERT_LOGIN_THROTTLE, [bucket, failures + 1, window_start, None])
    return None


def _throttle_full(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(queries.COUNT_LOGIN_THROTTLE).fetchone()[0] >= MAX_THROTTLE_ROWS


def _count_unknown_name_failure(
    con: duckdb.DuckDBPyConnection, name: str, at: dt.datetime
) -> tuple[dt.datetime | None, int]:
    """The twin of app_user.failed_logins/locked_until for a user name that has no account, so that it locks
    after five tries as a real one does. Returns (locked_until, failures in a row); failures 0 = refused, locked."""
    bucket = "name:" + name
    row = con.execute(queries.SELECT_LOGIN_THROTTLE, [bucket]).fetchone()
    failures, refused_until = (row[0], row[2]) if row else (0, None)
    if refused_until is not None and refused_until > at:
        return refused_until, 0
    if row is None and _throttle_full(con):
        return None, 1  # the table is full: this name is not remembered (the source limit still holds)
    failures += 1
    locked_until = at + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILED_LOGINS else None
    con.execute(queries.UPSERT_LOGIN_THROTTLE, [bucket, 0 if locked_until else failures, at, locked_until])
    return locked_until, failures


def _finish_attempt(
    con: duckdb.DuckDBPyConnection, name: str, bucket: str, attempt: _Attempt, right: bool, at: dt.datetime
) -> LoginResult:
    user = attempt.user
    if user is None or not right:
        what = "unknown user name" if user is None else "wrong password"
        audit.record(con, name, "login_failed", "failed", detail=f"{what} ({attempt.failures} in a row)", at=at)
        if attempt.locked_until is None:
            return LoginResult("wrong", attempts_left=MAX_FAILED_LOGINS - attempt.failures)
        if user is not None:
            audit.record(con, name, "account_locked", "refused", at=at, detail=(
                f"{MAX_FAILED_LOGINS} wrong passwords in a row; locked until {attempt.locked_until:%H:%M}"))
        return LoginResult("locked", locked_until=attempt.locked_until)
    if user.disabled:
        audit.record(con, name, "login_failed", "refused", detail="account disabled", at=at)
        return LoginResult("disabled")
    _record_right_password(con, name, attempt, at)
    con.execute(queries.RELEASE_LOGIN_THROTTLE, [bucket])
    audit.record(con, name, "login", "success", unit_code=user.unit_code, at=at)
    return LoginResult("ok", user)


def _record_right_password(con: duckdb.DuckDBPyConnection, name: str, attempt: _Attempt, at: dt.datetime) -> None:
    """A right password ends the row of wrong ones counted up to its own attempt, and nothing counted after it:
    attempts that were reserved while its password was being checked still count, and a lock that one of them set
    stays (otherwise a slow right password would reopen five more checks inside the same lock window). The attempt
    that set the lock itself lifts it: it was the fifth in the row and it was right."""
    if attempt.locked_until is not None:
        con.execute(queries.RECORD_LOGIN, [at, name])
        return
    lock_now = con.execute(queries.SELECT_LOCKED_UNTIL, [name]).fetchone()[0]
    if lock_now == attempt.lock_seen:  # no lock since this attempt was counted: give back its row
        con.execute(queries.RECORD_LOGIN_GIVING_BACK, [attempt.failures, at, name])
    else:
        con.execute(queries.RECORD_LAST_LOGIN, [at, name])


def sso_login(con: duckdb.DuckDBPyConnection, email: str | None, *, at: dt.datetime | None = None) -> User | None:
    """The local account for an identity the OIDC provider vouched for, matched by e-mail; audited either way."""
    at = at or audit.now()
    user = user_for_email(con, email) if email else None
    if user is None:
        audit.record(con, (email or "-").lower(), "login_failed", "refused", at=at,
                     detail="single sign-on: no enabled local account has this e-mail")
        return None
    with transaction(con):
        con.execute(queries.RECORD_LOGIN, [at, user.username])
        audit.record(con, user.username, "login", "success", unit_code=user.unit_code, detail="single sign-on", at=at)
    return user


def start_session(
    con: duckdb.DuckDBPyConnection, username: str, method: str = "password", *, at: dt.datetime | None = None
) -> str:
    """A new random session id for a user who has just proved who they are."""
    at = at or audit.now()
    session_id = secrets.token_urlsafe(32)
    con.execute(queries.INSERT_SESSION, [
        session_id, normalise_username(username), method, at, at + dt.timedelta(hours=SESSION_HOURS),
    ])
    return session_id


def session_user(
    con: duckdb.DuckDBPyConnection, session_id: str | None, *, at: dt.datetime | None = None
) -> User | None:
    """The user of an open, unexpired session of an enabled account; None otherwise."""
    if not session_id:
        return None
    row = con.execute(queries.SELECT_SESSION_USER, [session_id, at or audit.now()]).fetchone()
    return _user(row) if row else None


SESSION_RECHECK_SECONDS = 10.0
"""The longest a page run trusts its last session check while a writer holds the database (see signed_in_user)."""
_checked: dict[tuple[str, str], tuple[User, dt.datetime, str, float]] = {}
"""(live path, session id) -> (user, session expiry, live change token, time.monotonic()) of the last check."""


def signed_in_user(db_path: os.PathLike | str, session_id: str | None, *,
                   clock: Callable[[], float] = time.monotonic) -> User | None:
    """The user of an open, unexpired session of an enabled account, as session_user, without waiting for a writer.

    A page run must not stall behind an upload, so the live file is read only when it changed since this session's
    last check (a stat of the file and its WAL), and then through a connection that does not wait. While a writer
    holds the file the last check stands, for at most SESSION_RECHECK_SECONDS; after that the check waits for the
    lock as any reader does. So a sign-out, a disabled account, a changed role or password takes effect at the next
    page run once its write is committed, or at most SESSION_RECHECK_SECONDS later while other writes keep the
    database busy."""
    if not session_id:
        return None
    key = (str(db_path), session_id)
    token = db.change_token(Path(db_path))  # before the read: a write that lands meanwhile changes it again
    last = _checked.get(key)
    if last is not None and last[2] == token:
        return last[0] if audit.now() < last[1] else None
    try:
        found = _read_session(db_path, session_id, wait_seconds=0)
    except db.DatabaseBusy:
        if last is not None and clock() - last[3] <= SESSION_RECHECK_SECONDS:
            return last[0] if audit.now() < last[1] else None
        found = _read_session(db_path, session_id, wait_seconds=None)
    if found is None:
        _checked.pop(key, None)
        return None
    if len(_checked) > 10_000:  # one entry per signed-in browser session: forget them all now and then
        _checked.clear()
    _checked[key] = (found[0], found[1], token, clock())
    return found[0]


def _read_session(db_path: os.PathLike | str, session_id: str,
                  wait_seconds: float | None) -> tuple[User, dt.datetime] | None:
    with db.open_db(Path(db_path), read_only=True, wait_seconds=wait_seconds) as con:
        row = con.execute(queries.SELECT_SESSION_USER_UNTIL, [session_id, audit.now()]).fetchone()
    return (_user(row), row[6]) if row else None


def forget_session(db_path: os.PathLike | str, session_id: str) -> None:
    """Drop this process's last check of a session (after signing it out)."""
    _checked.pop((str(db_path), session_id), None)


def end_session(con: duckdb.DuckDBPyConnection, session_id: str, *, at: dt.datetime | None = None) -> None:
    """Log out: the session can no longer be used, whatever the browser still holds."""
    at = at or audit.now()
    with transaction(con):
        row = con.execute(queries.END_SESSION, [at, session_id]).fetchone()
        if row:
            audit.record(con, row[0], "logout", "success", at=at)


# --- permissions ---------------------------------------------------------------------------------


def can_open(user: User | None, page_key: str) -> bool:
    """Whether the user may open the page (a key of `pipelines.roles.PAGES`): the one check of every page."""
    return user is not None and not user.disabled and may_open(user.role, page_key)


def submittable_units(con: duckdb.DuckDBPyConnection, user: User) -> list[str]:
    """Units the user may submit for: an admin any unit, a division head their own unit and every unit below it
    in the org tree, anyone else none."""
    if user.disabled:
        return []
    if user.role == "admin":
        return [row[0] for row in con.execute(queries.SELECT_ORG_UNITS).fetchall()]
    if user.role == "division_head" and user.unit_code:
        return [row[0] for row in con.execute(queries.SELECT_SUBTREE, [user.unit_code]).fetchall()]
    return []


def can_submit_for(con: duckdb.DuckDBPyConnection, user: User | None, unit_code: str) -> bool:
    return user is not None and unit_code in submittable_units(con, user)


# --- demo ----------------------------------------------------------------------------------------

DEMO_ACCOUNTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("admin", "demo-admin-2568", "admin", None, "ผู้ดูแลระบบ (ตัวอย่าง)"),
    ("executive", "demo-exec-2568", "executive", None, "ผู้บริหาร (ตัวอย่าง)"),
    ("analyst", "demo-analyst-2568", "analyst", None, "นักวิเคราะห์ (ตัวอย่าง)"),
    ("reviewer", "demo-review-2568", "reviewer", None, "ผู้ตรวจสอบผลการดำเนินงาน กองแผน (ตัวอย่าง)"),
    ("jpp.head", "demo-jpp-2568", "division_head", "JPP", "ผู้อำนวยการกองนโยบายและประสานแผนฯ (ตัวอย่าง)"),
    ("sec.head", "demo-sec-2568", "division_head", "SEC", "เลขานุการกรม (ตัวอย่าง)"),
)
"""(username, password, role, unit, display name). Published in the README: for the demo only."""


def create_demo_accounts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    """One account per role (two division heads, to show that each sees only their own units), for `make run`.

    A division head's unit falls back to the first division when the demo units are absent. Existing accounts
    are left as they are. Returns (username, password, role, unit) of every demo account.
    """
    units = {row[0]: row[4] for row in con.execute(queries.SELECT_ORG_UNITS).fetchall()}
    fallback = next((code for code, level in units.items() if level == "division"), next(iter(units), None))
    created = []
    for username, password, role, unit, display_name in DEMO_ACCOUNTS:
        if role == "division_head" and unit not in units:
            unit = fallback
        if get_user(con, username) is None:
            problems = add_user(con, username=username, role=role, password=password, unit_code=unit,
                                display_name=display_name, by="demo", channel="cli")
            if problems:
                raise RuntimeError(f"demo account {username}: {problems[0]}")
        created.append((username, password, role, unit))
    return created

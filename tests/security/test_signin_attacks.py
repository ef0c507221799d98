"""Sign-in attacks (issue 9 items 5, 6, 12, part of 15; issue 10 item 10), each through the path a visitor reaches:
pipelines.auth.authenticate as the login form calls it, the login form under AppTest, the served app over HTTP.

- parallel sign-ins: at most five passwords are checked per lock window, nothing raises, the page never shows a
  traceback when the database keeps conflicting;
- bounded input: a 20 MiB user name or password is refused before anything is written or hashed;
- failed sign-ins limited per source, with one audit row per window;
- an unknown user name reads exactly like a real one (message, attempts left, lock, bcrypt work);
- page failures and Streamlit's own error display show no traceback; /_stcore/metrics is not served.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, reports
from tests.accounts_support import ACCOUNTS, ROOT, add_accounts, log_in_through_form, query, signed_in, texts
from tests.browser_support import free_port

T0 = dt.datetime(2025, 1, 10, 9, 0, 0)
APP = ROOT / "dashboard" / "app.py"


pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def site(empty_catalogue_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(empty_catalogue_db)
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    return empty_catalogue_db


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every stored hash a password was checked against, in order (the bcrypt work a sign-in costs)."""
    checks: list[str] = []
    lock = threading.Lock()
    original = auth.verify_password

    def counting(password: str, stored: str) -> bool:
        with lock:
            checks.append(stored)
        return original(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    return checks


def login(db_path: Path, username: str, password: str, at: dt.datetime = T0, source: str | None = None):
    with db.open_db(db_path) as con:
        return auth.authenticate(con, username, password, at=at, source=source)


def audit_rows(db_path: Path, action: str | None = None) -> list[tuple]:
    sql = "SELECT actor, action, outcome, detail FROM audit_log" + (" WHERE action = ?" if action else "")
    return query(db_path, sql + " ORDER BY event_id", [action] if action else [])


def login_page() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60).run()


def without_times(message: str) -> str:
    return re.sub(r"\d{1,2}:\d{2}", "HH:MM", message)


# --- item 5: the lockout cannot be raced ---------------------------------------------------------

def test_forty_parallel_sign_ins_check_at_most_five_passwords_and_raise_nothing(
    site: Path, password_checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the scheduling: the right password's check is held until the 39 others are done, so its success
    (which ends the row of wrong ones counted before it) cannot fall between them; a test that let it finish
    first would rightly see five more checks after a successful sign-in."""
    right = ACCOUNTS["plan.head"][0]
    barrier = threading.Barrier(40)
    others_done = threading.Event()
    outcomes: list[str] = []
    errors: list[BaseException] = []
    counting = auth.verify_password

    def right_one_finishes_last(password: str, stored: str) -> bool:
        if password == right:
            assert others_done.wait(120)
        return counting(password, stored)

    monkeypatch.setattr(auth, "verify_password", right_one_finishes_last)

    def sign_in(index: int) -> None:
        try:
            with db.open_db(site) as con:
                barrier.wait()
                password = right if index == 39 else f"guess-{index:02d}-2568"
                outcomes.append(auth.authenticate(con, "plan.head", password, at=T0).outcome)
        except BaseException as error:  # noqa: BLE001 - the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=sign_in, args=(index,)) for index in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads[:39]:
        thread.join()
    others_done.set()
    threads[39].join()

    assert errors == []
    assert len(outcomes) == 40
    assert len(password_checks) <= auth.MAX_FAILED_LOGINS
    assert set(outcomes) <= {"wrong", "locked", "ok", "busy"}
    assert Counter(outcomes)["locked"] >= 40 - auth.MAX_FAILED_LOGINS
    # every refused attempt is in the audit trail, and the account ends locked unless the right one got through
    assert len(audit_rows(site, "login_failed")) + len(audit_rows(site, "login")) == 40 - Counter(outcomes)["busy"]


def test_sequential_sign_ins_still_lock_on_the_fifth_wrong_password(site: Path, password_checks: list[str]) -> None:
    outcomes = [login(site, "plan.head", "wrong-password", T0 + dt.timedelta(seconds=i)).outcome for i in range(8)]
    assert outcomes == ["wrong"] * 4 + ["locked"] * 4
    assert len(password_checks) == auth.MAX_FAILED_LOGINS  # the three after the lock were refused unchecked
    assert login(site, "plan.head", ACCOUNTS["plan.head"][0], T0 + dt.timedelta(minutes=16)).outcome == "ok"


def test_a_database_that_keeps_conflicting_gives_a_try_again_message_not_a_traceback(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another sign-in holds the account's row in an open transaction from the moment this one starts."""
    monkeypatch.setattr(auth, "CONFLICT_RETRIES", 3, raising=False)
    holders: list = []
    original = auth.normalise_username

    def hold_the_row() -> None:
        other = db.connect(site)
        other.execute("BEGIN TRANSACTION")
        other.execute("UPDATE app_user SET failed_logins = failed_logins + 1 WHERE username = 'plan.head' "
                      "RETURNING failed_logins").fetchone()
        holders.append(other)

    def normalise_while_another_holds_the_row(username: str) -> str:
        if not holders:  # from another thread, as another visitor's session would
            holder = threading.Thread(target=hold_the_row)
            holder.start()
            holder.join()
        return original(username)

    app = login_page()
    monkeypatch.setattr(auth, "normalise_username", normalise_while_another_holds_the_row)
    app = log_in_through_form(app, "plan.head", "not-the-password")
    holders[0].execute("ROLLBACK")
    holders[0].close()
    monkeypatch.setattr(auth, "normalise_username", original)
    assert not app.exception
    assert texts(app, "error") == ["มีผู้เข้าสู่ระบบพร้อมกันจำนวนมาก กรุณากดเข้าสู่ระบบอีกครั้ง"]
    assert query(site, "SELECT failed_logins FROM app_user WHERE username = 'plan.head'") == [(0,)]
    app = log_in_through_form(app, "plan.head", ACCOUNTS["plan.head"][0])  # once free, the right password works
    assert not app.exception and app.button(key="logout")


# --- item 6: what a visitor types cannot grow the database ---------------------------------------

GROWTH_BOUND = 1024 * 1024
"""DuckDB writes whole 256 KiB blocks at a checkpoint, so five audited attempts may add a block or two; before the
fix each 20 MiB name added about 19 MiB."""


def database_bytes(db_path: Path) -> int:
    return sum(path.stat().st_size for path in (db_path, Path(str(db_path) + ".wal")) if path.exists())


def test_twenty_mib_user_names_on_the_login_form_do_not_grow_the_database(site: Path) -> None:
    """The form's fields carry max_chars, which Streamlit's server applies to whatever the browser sends: five
    attempts with 20 MiB names grow the file no more than five with short names do (up to GROWTH_BOUND, as DuckDB
    writes whole blocks)."""

    def growth_of_five_attempts(name_of) -> int:
        before = database_bytes(site)
        app = login_page()
        for letter in "abcde":
            app = log_in_through_form(app, name_of(letter), "whatever-2568")
            assert not app.exception
            assert texts(app, "error") == ["ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (ลองได้อีก 4 ครั้งก่อนบัญชีถูกล็อก)"]
        return database_bytes(site) - before

    short = growth_of_five_attempts(lambda letter: f"nobody-{letter}")
    huge = growth_of_five_attempts(lambda letter: letter * (20 * 1024 * 1024))
    assert [len(actor) for actor, _, _, _ in audit_rows(site, "login_failed")][-5:] == [64] * 5
    assert huge <= short + GROWTH_BOUND


def test_twenty_mib_user_names_through_pipelines_are_refused_before_anything_is_written(site: Path) -> None:
    before = database_bytes(site)
    for letter in "abcde":
        assert login(site, letter * (20 * 1024 * 1024), "whatever-2568").outcome == "too_long"
    assert audit_rows(site, "login_failed") == [] and query(site, "SELECT count(*) FROM login_throttle") == [(0,)]
    assert database_bytes(site) - before <= GROWTH_BOUND


def test_the_login_form_says_what_the_length_limits_are(site: Path) -> None:
    from dashboard.auth import login_refusal

    assert login_refusal(auth.LoginResult("too_long"), "th") == (
        "ชื่อผู้ใช้ยาวได้ไม่เกิน 64 ตัวอักษร และรหัสผ่านยาวได้ไม่เกิน 128 ตัวอักษร")
    assert login_refusal(auth.LoginResult("too_long"), "en") == (
        "A user name has at most 64 characters and a password at most 128")


def test_an_over_long_password_is_refused_before_any_hashing(site: Path, password_checks: list[str]) -> None:
    result = login(site, "plan.head", "x" * (20 * 1024 * 1024))
    assert result.outcome == "too_long"
    assert password_checks == [] and audit_rows(site, "login_failed") == []
    assert auth.password_problems("y" * 129)[0].reason_en == "the password must be at most 128 characters"


def test_the_longest_user_name_is_audited_whole_and_the_trail_caps_any_actor(site: Path) -> None:
    login(site, "n" * 64, "whatever-2568")
    assert audit_rows(site, "login_failed")[0][0] == "n" * 64
    with db.open_db(site) as con:
        from pipelines import audit

        audit.record(con, "z" * 100_000, "login_failed", "failed", detail="d" * 100_000)
    actor, _, _, detail = audit_rows(site, "login_failed")[-1]
    assert (len(actor), len(detail)) == (256, 2000)


# --- item 6: failed sign-ins limited per source --------------------------------------------------

def test_twenty_failures_from_one_address_pause_it_with_one_audit_row_per_window(
    site: Path, password_checks: list[str]
) -> None:
    attacker, neighbour = "203.0.113.7", "198.51.100.20"
    for index in range(auth.FAILED_LOGINS_PER_SOURCE):  # spread over names so that no account locks first
        name = ("plan.head", "law.head", "boss", f"nobody{index}")[index % 4]
        at = T0 + dt.timedelta(seconds=index)
        assert login(site, name, f"guess-{index}", at, attacker).outcome in ("wrong", "locked")
    checks = len(password_checks)
    refused = [login(site, "ana", ACCOUNTS["ana"][0], T0 + dt.timedelta(minutes=1, seconds=i), attacker)
               for i in range(30)]
    assert {result.outcome for result in refused} == {"rate_limited"}
    assert refused[0].locked_until == T0 + auth.SOURCE_WINDOW
    assert len(password_checks) == checks  # refused without a password check
    assert audit_rows(site, "login_rate_limited") == [(
        "source:203.0.113.7", "login_rate_limited", "refused", "20 failed sign-ins since 09:00; refused until 09:15")]
    # another address is not affected, and the paused one works again once its window has passed
    assert login(site, "ana", ACCOUNTS["ana"][0], T0 + dt.timedelta(minutes=2), neighbour).outcome == "ok"
    assert login(site, "ana", ACCOUNTS["ana"][0], T0 + dt.timedelta(minutes=16), attacker).outcome == "ok"


def test_right_passwords_from_one_address_do_not_count_against_it(site: Path) -> None:
    office = "192.0.2.10"
    for index in range(auth.FAILED_LOGINS_PER_SOURCE * 2):
        assert login(site, "boss", ACCOUNTS["boss"][0], T0 + dt.timedelta(seconds=index), office).outcome == "ok"


def test_the_login_form_pauses_an_unknown_address_with_a_message(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "FAILED_LOGINS_UNKNOWN_SOURCE", 3)  # AppTest has no address: the server-wide bucket
    app = login_page()
    for index in range(3):
        app = log_in_through_form(app, f"visitor{index}", "whatever-2568")
    app = log_in_through_form(app, "boss", ACCOUNTS["boss"][0])
    assert not app.exception and "logout" not in [button.key for button in app.button]
    assert without_times(texts(app, "error")[0]) == (
        "เข้าสู่ระบบไม่สำเร็จจากเครื่องนี้หลายครั้งเกินไปภายใน 15 นาที จึงระงับไว้ชั่วคราว ลองใหม่หลังเวลา HH:MM น.")
    assert [row[0] for row in audit_rows(site, "login_rate_limited")] == ["source:*"]


def test_the_throttle_table_cannot_grow_past_its_bound(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "MAX_THROTTLE_ROWS", 6)
    for index in range(12):
        login(site, f"stranger{index}", "whatever-2568", T0, f"10.0.0.{index}")
    assert query(site, "SELECT count(*) FROM login_throttle")[0][0] <= 6 + 2  # the last insert of each kind
    # a day later the old rows are gone
    login(site, "stranger", "whatever-2568", T0 + dt.timedelta(days=2), "10.9.9.9")
    assert query(site, "SELECT bucket FROM login_throttle ORDER BY bucket") == [
        ("name:stranger",), ("source:10.9.9.9",)]


# --- item 12 / issue 10 item 10: an unknown user name reads exactly like a real one ---------------

def test_unknown_and_real_user_names_get_the_same_messages_through_the_lock(site: Path) -> None:
    def messages(username: str) -> list[str]:
        app = login_page()
        seen = []
        for _ in range(auth.MAX_FAILED_LOGINS + 1):
            app = log_in_through_form(app, username, "not-the-password")
            assert not app.exception
            seen.append(without_times(texts(app, "error")[0]))
        return seen

    real, unknown = messages("plan.head"), messages("no.such.person")
    assert real == unknown
    assert real[0] == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (ลองได้อีก 4 ครั้งก่อนบัญชีถูกล็อก)"
    assert real[-1].startswith("บัญชีถูกล็อกชั่วคราว 15 นาที")


def test_an_unknown_user_name_costs_the_same_bcrypt_check_as_a_real_one(site: Path, password_checks: list[str]) -> None:
    login(site, "plan.head", "not-the-password")
    login(site, "no.such.person", "not-the-password")
    real_hash, dummy_hash = password_checks
    cost = f"$2b${auth.BCRYPT_ROUNDS:02d}$"
    assert cost in real_hash and cost in dummy_hash


# --- item 15: no traceback for visitors; the metrics endpoint is not served ------------------------

def test_streamlit_is_configured_to_show_no_error_details() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = config["client"]["showErrorDetails"]
    assert value == ShowErrorDetailsConfigOptions.NONE.value
    assert value in {option.value for option in ShowErrorDetailsConfigOptions}


def test_a_page_that_fails_shows_an_apology_with_a_reference_and_no_traceback(
    site: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def overview(*args: object) -> None:
        raise RuntimeError(f"boom in /srv/bsc/secret_path.py (pid {os.getpid()})")

    monkeypatch.setattr(reports, "overview", overview)
    with caplog.at_level(logging.ERROR, logger="bsc.dashboard"):
        app = signed_in(AppTest.from_file(str(APP), default_timeout=60), site, "boss").run()
    assert not app.exception
    [message] = texts(app, "error")
    reference = re.search(r"รหัสอ้างอิง ([0-9A-F]{8})$", message).group(1)
    shown = " ".join(str(element.value) for kind in ("error", "markdown", "caption", "text", "code")
                     for element in getattr(app, kind))
    assert "secret_path" not in shown and "RuntimeError" not in shown and "Traceback" not in shown
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert "secret_path" in str(record.exc_info[1])  # the details stay in the server's log


@pytest.mark.xdist_group("server")
def test_the_served_app_refuses_the_metrics_endpoint_and_keeps_health(site: Path, tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=os.environ | {"BSC_DB": str(site), "PYTHONPATH": str(ROOT)}, stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, ""

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get("/_stcore/health") == (200, "ok"):
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.3)
        for path in ("/_stcore/metrics", "/_stcore/metrics/", "//_stcore/metrics", "/_stcore/metrics?families=x",
                     "/_stcore/agent/openapi.json"):
            assert get(path)[0] == 404, path
        status, page = get("/")
        assert status == 200 and "<html" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()

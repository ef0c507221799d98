"""Sign-in attack variants after issue 9 (review): the lock window cannot be reopened by a slow right password,
and user names typed in other Unicode forms or with other white space reach the same account and the same lock."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from pipelines import auth, db
from tests.accounts_support import ACCOUNTS, add_accounts

T0 = dt.datetime(2025, 1, 10, 9, 0, 0)
pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def site(empty_catalogue_db: Path) -> Path:
    add_accounts(empty_catalogue_db)
    return empty_catalogue_db


def login(db_path: Path, username: str, password: str, at: dt.datetime = T0) -> auth.LoginResult:
    with db.open_db(db_path) as con:
        return auth.authenticate(con, username, password, at=at)


def test_a_slow_right_password_does_not_lift_the_lock_that_later_attempts_set(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The right password is counted first and its check takes long; meanwhile four guesses fill the window and the
    fifth locks it. Its success must not reopen the window: before the fix it reset the count and lifted the lock,
    and 35 more guesses had five more passwords checked (10 in one window)."""
    right = ACCOUNTS["plan.head"][0]
    checks: list[str] = []
    counted, release = threading.Event(), threading.Event()
    original = auth.verify_password

    def slow_for_the_right_one(password: str, stored: str) -> bool:
        checks.append(password)
        if password == right:
            counted.set()
            assert release.wait(60)
        return original(password, stored)

    monkeypatch.setattr(auth, "verify_password", slow_for_the_right_one)
    results: list[auth.LoginResult] = []
    owner = threading.Thread(target=lambda: results.append(login(site, "plan.head", right)))
    owner.start()
    assert counted.wait(60)
    first = [login(site, "plan.head", f"guess-{i:02d}-2568").outcome for i in range(4)]
    release.set()
    owner.join()
    later = [login(site, "plan.head", f"later-{i:02d}-2568").outcome for i in range(35)]

    assert results[0].outcome == "ok"  # counted before the lock: it gets in
    assert first == ["wrong"] * 3 + ["locked"]
    assert later == ["locked"] * 35
    assert len(checks) == auth.MAX_FAILED_LOGINS


def test_a_right_password_still_ends_the_row_of_wrong_ones_before_it(site: Path) -> None:
    for i in range(4):
        assert login(site, "plan.head", f"guess-{i:02d}-2568", T0 + dt.timedelta(seconds=i)).outcome == "wrong"
    assert login(site, "plan.head", ACCOUNTS["plan.head"][0], T0 + dt.timedelta(seconds=5)).outcome == "ok"
    outcomes = [login(site, "plan.head", "wrong-password", T0 + dt.timedelta(seconds=6 + i)).outcome
                for i in range(5)]
    assert outcomes == ["wrong"] * 4 + ["locked"]


def test_forty_parallel_wrong_passwords_check_at_most_five(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[str] = []
    lock = threading.Lock()
    original = auth.verify_password

    def counting(password: str, stored: str) -> bool:
        with lock:
            checks.append(password)
        return original(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    barrier = threading.Barrier(40)
    outcomes: list[str] = []

    def sign_in(index: int) -> None:
        with db.open_db(site) as con:
            barrier.wait()
            outcomes.append(auth.authenticate(con, "plan.head", f"guess-{index:02d}-2568", at=T0).outcome)

    threads = [threading.Thread(target=sign_in, args=(index,)) for index in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 40
    assert len(checks) <= auth.MAX_FAILED_LOGINS
    assert outcomes.count("locked") + outcomes.count("busy") >= 40 - auth.MAX_FAILED_LOGINS

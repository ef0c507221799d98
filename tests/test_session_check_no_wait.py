"""A signed-in page run never waits behind a writer (issue 12): the session is checked against the live file only
when the file changed since its last check, through a connection that does not wait; while a writer holds the file
the last check stands for at most auth.SESSION_RECHECK_SECONDS, so a sign-out or a disabled account still takes
effect within that delay."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import audit, auth, db
from tests.accounts_support import add_accounts, signed_in

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(120)"


@pytest.fixture
def accounts_db(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", 0.5)  # a check that waits for the writer gives up quickly
    return sample_db


@pytest.fixture
def writer(accounts_db: Path) -> Iterator[callable]:
    """Start another process holding the live file for writing, after a commit changed it (as an upload does)."""
    holders: list[subprocess.Popen] = []

    def start() -> None:
        with db.open_db(accounts_db) as con:
            audit.record(con, "someone", "upload", "success", detail="a write before the long one")
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(accounts_db)], stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "holding"
        holders.append(holder)

    yield start
    for holder in holders:
        holder.kill()
        holder.wait()


def test_a_signed_in_click_renders_while_a_writer_holds_the_database(accounts_db: Path, writer) -> None:
    app = signed_in(AppTest.from_file(str(APP), default_timeout=60), accounts_db, "boss")
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception and not app.error
    writer()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]  # before: "the database is busy"
    assert "auth_session_id" in app.session_state  # still signed in


def test_a_disabled_account_is_refused_at_the_next_click(accounts_db: Path) -> None:
    app = signed_in(AppTest.from_file(str(APP), default_timeout=60), accounts_db, "boss")
    app.run()
    assert auth.signed_in_user(accounts_db, app.session_state["auth_session_id"]) is not None
    with db.open_db(accounts_db) as con:
        assert auth.set_disabled(con, "boss", True, by="admin") == []
    app.run()
    assert app.text_input(key="login_username")  # the sign-in form, not the page
    assert "auth_session_id" not in app.session_state


def test_while_a_writer_holds_the_database_a_disabled_account_is_refused_within_the_recheck_delay(
    accounts_db: Path, writer
) -> None:
    with db.open_db(accounts_db) as con:
        session_id = auth.start_session(con, "boss")
    assert auth.signed_in_user(accounts_db, session_id, clock=lambda: 1000.0).username == "boss"
    with db.open_db(accounts_db) as con:
        assert auth.set_disabled(con, "boss", True, by="admin") == []
    writer()  # another write holds the file right after the disable
    within = 1000.0 + auth.SESSION_RECHECK_SECONDS - 1
    assert auth.signed_in_user(accounts_db, session_id, clock=lambda: within).username == "boss"  # documented delay
    after = 1000.0 + auth.SESSION_RECHECK_SECONDS + 1
    with pytest.raises(db.DatabaseBusy):  # past the delay the check waits for the writer: never the cached user
        auth.signed_in_user(accounts_db, session_id, clock=lambda: after)


def test_once_the_writer_is_gone_the_disabled_account_is_refused(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        session_id = auth.start_session(con, "boss")
    assert auth.signed_in_user(accounts_db, session_id) is not None
    with db.open_db(accounts_db) as con:
        auth.end_session(con, session_id)
    assert auth.signed_in_user(accounts_db, session_id) is None


def test_an_expired_session_is_refused_without_reading_the_database(accounts_db: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with db.open_db(accounts_db) as con:
        session_id = auth.start_session(con, "boss")
    assert auth.signed_in_user(accounts_db, session_id) is not None
    later = audit.now() + auth.dt.timedelta(hours=auth.SESSION_HOURS, minutes=1)
    monkeypatch.setattr(audit, "now", lambda: later)
    assert auth.signed_in_user(accounts_db, session_id) is None

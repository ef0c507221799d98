"""Accounts: hashing, login and lockout, sessions, roles and who may submit for which unit, the CLI, the audit."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import auth, db, roles
from tests.accounts_support import ACCOUNTS, ROOT, add_accounts, query
from tests.support import run_cli

T0 = dt.datetime(2025, 1, 10, 9, 0, 0)


pytestmark = pytest.mark.usefixtures("fast_hashing")  # bcrypt at cost 4 (tests/conftest.py)


@pytest.fixture
def accounts_db(empty_catalogue_db: Path) -> Path:
    add_accounts(empty_catalogue_db)
    return empty_catalogue_db


def login(db_path: Path, username: str, password: str, at: dt.datetime = T0) -> auth.LoginResult:
    with db.open_db(db_path) as con:
        return auth.authenticate(con, username, password, at=at)


# --- passwords -----------------------------------------------------------------------------------

def test_password_hash_is_bcrypt_and_verifies_only_the_same_password() -> None:
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("bcrypt-sha256$$2b$04$")
    assert auth.verify_password("correct horse battery", stored)
    assert not auth.verify_password("correct horse batterY", stored)
    assert auth.hash_password("correct horse battery") != stored  # salted


def test_long_thai_password_counts_in_full_beyond_bcrypt_72_bytes() -> None:
    base = "รหัสผ่านภาษาไทยที่ยาวมากเกินเจ็ดสิบสองไบต์แน่นอน"  # > 72 bytes in UTF-8
    stored = auth.hash_password(base + "ก")
    assert len(base.encode()) > 72
    assert auth.verify_password(base + "ก", stored)
    assert not auth.verify_password(base + "ข", stored)


def test_thai_password_typed_decomposed_matches_the_composed_one() -> None:
    composed = "น้ำใจ2568!"  # NFC; the same text may arrive with the sara am decomposed
    import unicodedata

    stored = auth.hash_password(composed)
    assert auth.verify_password(unicodedata.normalize("NFD", composed), stored)


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaa", "        "])
def test_weak_passwords_are_refused(password: str) -> None:
    assert auth.password_problems(password)


def test_generated_password_passes_the_policy() -> None:
    assert auth.password_problems(auth.generate_password()) == []


# --- login and lockout ---------------------------------------------------------------------------

def test_right_password_logs_in_and_is_audited(accounts_db: Path) -> None:
    result = login(accounts_db, "PLAN.Head ", "plan-pass-2568")
    assert result.outcome == "ok" and result.user.username == "plan.head" and result.user.unit_code == "PLAN"
    assert query(accounts_db, "SELECT action, outcome, actor FROM audit_log WHERE action = 'login'") == [
        ("login", "success", "plan.head")]
    assert query(accounts_db, "SELECT last_login_at FROM app_user WHERE username = 'plan.head'") == [(T0,)]


def test_unknown_user_looks_like_a_wrong_password_and_is_audited(accounts_db: Path) -> None:
    result = login(accounts_db, "nobody", "whatever-123")
    assert result.outcome == "wrong" and result.user is None
    assert query(accounts_db, "SELECT actor, outcome FROM audit_log WHERE action = 'login_failed'") == [
        ("nobody", "failed")]


def test_five_wrong_passwords_in_a_row_lock_the_account_for_fifteen_minutes(accounts_db: Path) -> None:
    outcomes = [login(accounts_db, "plan.head", "wrong-password", T0 + dt.timedelta(seconds=i)) for i in range(5)]
    assert [o.outcome for o in outcomes] == ["wrong"] * 4 + ["locked"]
    assert [o.attempts_left for o in outcomes[:4]] == [4, 3, 2, 1]
    locked_until = outcomes[-1].locked_until
    assert locked_until == T0 + dt.timedelta(seconds=4, minutes=15)
    # while locked even the right password is refused
    assert login(accounts_db, "plan.head", "plan-pass-2568", T0 + dt.timedelta(minutes=14)).outcome == "locked"
    # after fifteen minutes the right password works again
    assert login(accounts_db, "plan.head", "plan-pass-2568", T0 + dt.timedelta(minutes=16)).outcome == "ok"
    actions = query(accounts_db, "SELECT action, outcome FROM audit_log ORDER BY event_id")
    assert ("account_locked", "refused") in actions
    assert actions[-1] == ("login", "success")


def test_a_right_password_resets_the_count_of_wrong_ones(accounts_db: Path) -> None:
    for _ in range(4):
        login(accounts_db, "plan.head", "wrong-password")
    assert login(accounts_db, "plan.head", "plan-pass-2568").outcome == "ok"
    for _ in range(4):
        assert login(accounts_db, "plan.head", "wrong-password").outcome == "wrong"


def test_admin_unlock_clears_the_lock(accounts_db: Path) -> None:
    for _ in range(5):
        login(accounts_db, "plan.head", "wrong-password")
    with db.open_db(accounts_db) as con:
        auth.unlock(con, "plan.head", by="admin")
    assert login(accounts_db, "plan.head", "plan-pass-2568").outcome == "ok"


def test_disabled_account_cannot_log_in(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        assert auth.set_disabled(con, "boss", True, by="admin") == []
    assert login(accounts_db, "boss", "boss-pass-2568").outcome == "disabled"


# --- sessions ------------------------------------------------------------------------------------

def test_session_is_valid_until_logout(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        session = auth.start_session(con, "ana", at=T0)
        assert auth.session_user(con, session, at=T0).username == "ana"
        auth.end_session(con, session, at=T0)
        assert auth.session_user(con, session, at=T0) is None
        assert auth.session_user(con, "made-up-session-id", at=T0) is None
    assert query(accounts_db, "SELECT actor FROM audit_log WHERE action = 'logout'") == [("ana",)]


def test_session_expires_after_twelve_hours(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        session = auth.start_session(con, "ana", at=T0)
        assert auth.session_user(con, session, at=T0 + dt.timedelta(hours=11)) is not None
        assert auth.session_user(con, session, at=T0 + dt.timedelta(hours=12, seconds=1)) is None


@pytest.mark.parametrize("change", ["disable", "set_password"])
def test_disabling_or_a_new_password_ends_every_open_session(accounts_db: Path, change: str) -> None:
    with db.open_db(accounts_db) as con:
        session = auth.start_session(con, "ana")
        if change == "disable":
            auth.set_disabled(con, "ana", True, by="admin")
        else:
            auth.set_password(con, "ana", "a-new-password-1", by="admin")
        assert auth.session_user(con, session) is None


# --- managing users ------------------------------------------------------------------------------

def test_add_user_validates_every_field_and_writes_nothing_on_problems(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        problems = auth.add_user(con, username="Plan.Head", role="boss", password="x", unit_code="NOPE",
                                 email="not-an-email", by="admin")
    fields = {problem.field for problem in problems}
    assert fields == {"username", "role", "unit_code", "email", "password"}
    assert all(problem.reason_th for problem in problems)
    assert query(accounts_db, "SELECT count(*) FROM app_user") == [(len(ACCOUNTS),)]


def test_division_head_needs_a_unit(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        problems = auth.add_user(con, username="someone", role="division_head", password="good-pass-123", by="a")
    assert [p.field for p in problems] == ["unit_code"]


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        assert auth.set_disabled(con, "admin", True, by="admin")
        assert auth.update_user(con, "admin", role="analyst", unit_code=None, display_name="", email=None, by="a")
        auth.add_user(con, username="admin2", role="admin", password="admin2-pass-1", by="admin")
        assert auth.set_disabled(con, "admin", True, by="admin2") == []


def test_user_changes_are_audited(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        auth.update_user(con, "law.head", role="division_head", unit_code="PLAN", display_name="หัวหน้า",
                         email="law@example.go.th", by="admin")
        auth.set_password(con, "law.head", "another-pass-1", by="admin")
        auth.set_disabled(con, "law.head", True, by="admin")
        auth.set_disabled(con, "law.head", False, by="admin")
    rows = query(accounts_db, "SELECT action, actor, detail FROM audit_log "
                              "WHERE action IN ('user_update', 'password_set', 'user_disable', 'user_enable') "
                              "ORDER BY event_id")
    assert [r[0] for r in rows] == ["user_update", "password_set", "user_disable", "user_enable"]
    assert rows[0][2] == "law.head: division_head/LAW -> division_head/PLAN"
    assert query(accounts_db, "SELECT password_hash LIKE 'bcrypt-sha256$%' FROM app_user") == [(True,)] * len(ACCOUNTS)


def test_single_sign_on_maps_the_email_to_the_local_account(accounts_db: Path) -> None:
    with db.open_db(accounts_db) as con:
        auth.update_user(con, "boss", role="executive", unit_code=None, display_name="ผู้บริหาร",
                         email="Boss@Justice.go.th", by="admin")
        assert auth.sso_login(con, "boss@justice.go.th").username == "boss"
        assert auth.sso_login(con, "stranger@justice.go.th") is None
    assert query(accounts_db, "SELECT actor, action, outcome FROM audit_log WHERE detail LIKE 'single sign-on%' "
                              "ORDER BY event_id") == [
        ("boss", "login", "success"), ("stranger@justice.go.th", "login_failed", "refused")]


# --- roles and units -----------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "expected"), [
    ("admin", ["AG", "PLAN", "LAW"]),
    ("plan.head", ["PLAN"]),
    ("law.head", ["LAW"]),
    ("boss", []),
    ("ana", []),
])
def test_who_may_submit_for_which_unit(accounts_db: Path, username: str, expected: list[str]) -> None:
    with db.open_db(accounts_db, read_only=True) as con:
        user = auth.get_user(con, username)
        assert auth.submittable_units(con, user) == expected
        assert auth.can_submit_for(con, user, "LAW") == ("LAW" in expected)


def test_division_head_may_submit_for_own_unit_and_every_unit_below(demo_db: Path) -> None:
    with db.open_db(demo_db) as con:
        auth.add_user(con, username="jpp", role="division_head", unit_code="JPP", password="jpp-pass-2568", by="t")
        auth.add_user(con, username="ncfc", role="division_head", unit_code="NCFC", password="ncfc-pass-256", by="t")
        jpp, ncfc = auth.get_user(con, "jpp"), auth.get_user(con, "ncfc")
        assert auth.submittable_units(con, jpp) == ["JPP", "JDC"]
        assert auth.can_submit_for(con, ncfc, "NCFC-AN")
        assert not auth.can_submit_for(con, jpp, "SEC")
        assert not auth.can_submit_for(con, ncfc, "OJA")  # never upwards


DASHBOARD = {"overview", "dimensions", "units", "kpi", "pmqa", "okr", "strategy_map", "end_products", "alignment",
             "submissions"}
ADMIN = {"admin_users", "admin_data", "admin_strategy", "admin_periods", "admin_audit"}


@pytest.mark.parametrize(("role", "pages"), [
    ("executive", DASHBOARD),
    ("division_head", DASHBOARD | {"upload"}),
    ("analyst", DASHBOARD | {"sql"}),
    ("reviewer", DASHBOARD | {"review"}),
    ("admin", DASHBOARD | {"sql", "upload", "review"} | ADMIN),
])
def test_each_role_opens_exactly_its_pages(role: str, pages: set[str]) -> None:
    user = auth.User("u", "u", role, "PLAN" if role == "division_head" else None, None)
    assert {page.key for page in roles.PAGES if auth.can_open(user, page.key)} == pages
    assert {page.key for page in roles.pages_for(role)} == pages
    assert not auth.can_open(auth.User("u", "u", role, None, None, disabled=True), "overview")
    assert not auth.can_open(user, "no_such_page")


def test_demo_accounts_cover_every_role_and_log_in(demo_db: Path) -> None:
    with db.open_db(demo_db) as con:
        created = auth.create_demo_accounts(con)
        assert auth.create_demo_accounts(con) == created  # idempotent
    assert {role for _, _, role, _ in created} == set(auth.ROLES)
    assert ("jpp.head", "demo-jpp-2568", "division_head", "JPP") in created
    for username, password, _, _ in created:
        assert login(demo_db, username, password).outcome == "ok"


# --- the command line ----------------------------------------------------------------------------

def test_cli_users_add_list_set_password_disable(empty_catalogue_db: Path, capsys: pytest.CaptureFixture) -> None:
    db_path = empty_catalogue_db
    assert run_cli(db_path, "users", "add", "somchai", "--role", "division_head", "--unit", "PLAN",
                   "--name", "สมชาย", "--password", "somchai-pass-1") == 0
    assert run_cli(db_path, "users", "add", "x", "--role", "admin", "--password", "short") == 1
    assert "รหัสผ่านต้องยาวอย่างน้อย" in capsys.readouterr().err
    assert run_cli(db_path, "users", "add", "boss", "--role", "admin", "--generate") == 0
    generated = capsys.readouterr().out.rsplit("password: ", 1)[1].strip()
    assert login(db_path, "boss", generated).outcome == "ok"
    assert run_cli(db_path, "users", "list") == 0
    listing = capsys.readouterr().out
    assert "somchai" in listing and "สมชาย" in listing and "hash" not in listing
    assert run_cli(db_path, "users", "set-password", "somchai", "--password", "new-pass-2568") == 0
    assert login(db_path, "somchai", "new-pass-2568").outcome == "ok"
    assert run_cli(db_path, "users", "--by", "boss", "disable", "somchai") == 0
    assert login(db_path, "somchai", "new-pass-2568").outcome == "disabled"
    assert run_cli(db_path, "users", "disable", "nobody") == 1
    assert query(db_path, "SELECT actor, action, channel FROM audit_log WHERE action = 'user_disable'") == [
        ("boss", "user_disable", "cli")]


def test_cli_reads_the_password_from_a_pipe(empty_catalogue_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "--db", str(empty_catalogue_db), "users", "add", "piped",
         "--role", "analyst"],
        input="piped-pass-2568\n", capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with db.open_db(empty_catalogue_db) as con:
        assert auth.authenticate(con, "piped", "piped-pass-2568").outcome == "ok"


def test_audit_log_view_lists_events_and_accounts_stay_out_of_public_views(accounts_db: Path) -> None:
    login(accounts_db, "ana", "ana-pass-2568")
    rows = query(accounts_db, "SELECT actor, action, outcome, channel FROM audit_log ORDER BY event_id")
    assert rows[-1] == ("ana", "login", "success", "web")
    columns = [r[0] for r in query(accounts_db, "SELECT column_name FROM information_schema.columns "
                                                "WHERE table_name = 'audit_log'")]
    assert columns == ["event_id", "occurred_at", "actor", "action", "outcome", "unit_code", "fiscal_year",
                       "quarter", "detail", "channel"]
    assert "audit_log" in auth.ADMIN_ONLY_VIEWS and "app_user" in auth.PRIVATE_TABLES

"""The login gate: who is using this browser session, and whether their role may open the page.

Everything is decided on the server: the session id lives in `st.session_state` (never in the URL or a cookie)
and is checked against the database on every run, without waiting behind an upload (pipelines.auth.signed_in_user),
so a logout, a disabled account or a changed password ends access at the next page run, or at most
auth.SESSION_RECHECK_SECONDS later while other writes keep the database busy. Single sign-on through `st.login`
(OIDC) is offered when `.streamlit/secrets.toml` has an `[auth]` section; the identity's e-mail must belong to an
enabled local account, which then sets the role.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from dashboard.i18n import role_name, t, ui_lang
from pipelines import audit, db, snapshot
from pipelines import auth as accounts
from pipelines.auth import User

SESSION_KEY = "auth_session_id"


@contextmanager
def connection(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection to the dashboard's database (env BSC_DB, else data/bsc.duckdb)."""
    with db.open_db(db.resolve_db_path(), read_only=read_only) as con:
        yield con


def refresh_snapshot(con: duckdb.DuckDBPyConnection) -> None:
    """After a page commits public data (a submission, org units, a catalogue, a period): republish the analysts'
    read-only copy, as the CLI does. The write stands if that fails; the page says so."""
    warn_unpublished(snapshot.publish_after_write(con, db.resolve_db_path()))


def warn_unpublished(error: Exception | None) -> None:
    """A write stands when the analysts' copy could not be republished (pipelines.workflows return why): say so."""
    if error is not None:
        st.warning(t("snapshot_failed", ui_lang(), error=error))


def database_problem(lang: str) -> str | None:
    path = db.resolve_db_path()
    if not path.exists():
        return t("accounts_db_missing", lang, path=path)
    try:
        with connection(read_only=True) as con:
            users = accounts.list_users(con)
    except duckdb.CatalogException:
        return t("db_not_migrated", lang, path=path)
    except db.DatabaseBusy:
        return None  # a writer holds the file: show the form; signing in waits for it
    return t("no_accounts", lang) if users.empty else None


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: StreamlitSecretNotFoundError, or a file that does not parse
        return False


def _sso_email() -> str | None:
    if not sso_configured():
        return None
    try:
        return st.user.get("email") if st.user.is_logged_in else None
    except AttributeError:
        return None


def current_user() -> User | None:
    """The signed-in user of this browser session, checked against the database on every call (never waiting for a
    writer: pipelines.auth.signed_in_user)."""
    session_id = st.session_state.get(SESSION_KEY)
    if session_id:
        user = accounts.signed_in_user(db.resolve_db_path(), session_id)  # never waits behind an upload
        if user is not None:
            return user
        st.session_state.pop(SESSION_KEY, None)  # logged out elsewhere, expired, disabled or password changed
    email = _sso_email()
    if email and not st.session_state.get("auth_sso_refused"):
        with connection() as con:
            user = accounts.sso_login(con, email)
            if user is not None:
                st.session_state[SESSION_KEY] = accounts.start_session(con, user.username, "sso")
                return user
        st.session_state["auth_sso_refused"] = email
    return None


def login_form(lang: str) -> None:
    """The login page: user name and password, and the single sign-on button when configured."""
    st.title(t("login_title", lang))
    st.caption(t("login_intro", lang))
    problem = database_problem(lang)
    if problem:
        st.error(problem)
        return
    refused_email = st.session_state.get("auth_sso_refused")
    if refused_email:
        st.error(t("sso_no_account", lang, email=refused_email))
    with st.form("login", clear_on_submit=False):
        username = st.text_input(t("username", lang), key="login_username", max_chars=accounts.MAX_USERNAME_LENGTH)
        password = st.text_input(t("password", lang), type="password", key="login_password",
                                 max_chars=accounts.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("login_button", lang), type="primary")
    if submitted:
        _try_password(username, password, lang)
    if sso_configured():
        st.divider()
        if st.button(t("sso_button", lang), key="login_sso"):
            st.session_state.pop("auth_sso_refused", None)
            st.login()


def client_source() -> str | None:
    """The visitor's address for the per-source limit on failed sign-ins: the WebSocket peer, or, behind a
    reverse proxy named in env BSC_TRUSTED_PROXY=1, the last address of X-Forwarded-For (the one the proxy
    added; the ones before it are whatever the client sent). None = unknown (Streamlit gives None on localhost),
    which pipelines.auth counts in one bucket for the whole server."""
    if os.environ.get("BSC_TRUSTED_PROXY") == "1":
        forwarded = st.context.headers.get("X-Forwarded-For")
        if isinstance(forwarded, str) and forwarded.split(",")[-1].strip():
            return forwarded.split(",")[-1].strip()
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def _try_password(username: str, password: str, lang: str) -> None:
    if not username.strip() or not password:
        st.error(t("login_missing", lang))
        return
    with connection() as con:
        result = accounts.authenticate(con, username, password, source=client_source())
        if result.outcome == "ok":
            st.session_state[SESSION_KEY] = accounts.start_session(con, result.user.username)
    if result.outcome == "ok":
        st.rerun()
    st.error(login_refusal(result, lang))


def login_refusal(result: accounts.LoginResult, lang: str) -> str:
    """What the login form says when a sign-in did not succeed: the same words for a user name that has no account
    as for a real one (attempts left and the lock included)."""
    until = f"{result.locked_until:%H:%M}" if result.locked_until else "-"
    if result.outcome == "locked":
        return t("login_locked", lang, minutes=accounts.LOCK_MINUTES, until=until)
    if result.outcome == "disabled":
        return t("login_disabled", lang)
    if result.outcome == "rate_limited":
        return t("login_rate_limited", lang, minutes=int(accounts.SOURCE_WINDOW.total_seconds() // 60), until=until)
    if result.outcome == "too_long":
        return t("login_too_long", lang, username=accounts.MAX_USERNAME_LENGTH, password=accounts.MAX_PASSWORD_LENGTH)
    if result.outcome == "busy":
        return t("login_busy", lang)
    left = result.attempts_left
    return t("login_wrong", lang) + (" " + t("login_attempts_left", lang, left=left) if left else "")


def require_login() -> User:
    """The signed-in user; otherwise draw the login form and stop the page before it reads anything."""
    user = current_user()
    if user is None:
        login_form(ui_lang())
        st.stop()
    return user


def refuse(user: User, what: str, *, unit_code: str | None = None, fiscal_year: int | None = None,
           quarter: int | None = None) -> None:
    """Log a refused attempt in the audit trail."""
    with connection() as con:
        audit.record(con, user.username, "access_denied", "refused", unit_code=unit_code,
                     fiscal_year=fiscal_year, quarter=quarter, detail=what)


def require_page(key: str, user: User | None = None) -> User:
    """The signed-in user (`user`, else whoever is signed in, else the login form) if the roles table
    (`pipelines.roles.PAGES`) lets their role open the page `key`; otherwise log the attempt, say so and stop.

    app.py calls it for every page before running it, and each account page first thing for its user: the
    sidebar hides pages a role may not open, but a typed URL, a shared link or a page run on its own is refused
    here, on the server."""
    user = user or require_login()
    if not accounts.can_open(user, key):
        refuse(user, f"page {key} (role {user.role})")
        lang = ui_lang()
        st.error(t("access_denied", lang, role=role_name(user.role, lang)))
        st.stop()
    return user


def logout() -> None:
    session_id = st.session_state.pop(SESSION_KEY, None)
    if session_id:
        with connection() as con:
            accounts.end_session(con, session_id)
        accounts.forget_session(db.resolve_db_path(), session_id)
    st.session_state.pop("auth_sso_refused", None)
    if _sso_email():
        st.logout()


def account_box(user: User, lang: str) -> None:
    """Who is signed in, with the logout button, in the sidebar."""
    box = st.sidebar.container(border=True)
    box.markdown(f"**{user.display_name}**  \n{role_name(user.role, lang)}"
                 + (f" · {user.unit_code}" if user.unit_code else ""))
    if box.button(t("logout_button", lang), key="logout", width="stretch"):
        logout()
        st.rerun()

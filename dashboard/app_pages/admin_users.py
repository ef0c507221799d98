"""ผู้ใช้งาน: the admin adds accounts, changes role and unit, sets passwords, disables and unlocks, through the
same pipelines.auth functions as `python -m pipelines users`; each change is audited there."""

from __future__ import annotations

import streamlit as st

from dashboard import data, filters, i18n, ui
from dashboard.auth import connection, require_page
from dashboard.i18n import problem_text, role_name, t, ui_lang
from pipelines import auth as accounts

admin = require_page("admin_users")
lang = ui_lang()
st.title(t("page_admin_users", lang))

with connection(read_only=True) as con:
    users = accounts.list_users(con)
units = data.filter_options()  # the org tree, read once per publish and shared by every session
unit_codes = ["", *units.codes]
unit_names = units.names[lang]
unit_search = filters.matching(units.units, "code", ("code", "name_th", "name_en"))


def unit_label(code: str) -> str:
    return f"{code} · {unit_names[code]}" if code in unit_names else t("no_unit", lang)


def show_outcome(problems: list, success: str) -> None:
    if problems:
        for problem in problems:
            st.error(problem_text(problem, lang))
    else:
        st.session_state["admin_users_message"] = success
        st.rerun()


message = st.session_state.pop("admin_users_message", None)
if message:
    st.success(message)

columns = ["username", "display_name", "role", "unit_code", "email", "disabled", "locked_until", "last_login_at"]
headers = {name: t(f"col_{name}", lang) for name in columns}


def account_rows(users):
    return users.assign(
        role=users["role"].map(lambda role: role_name(role, lang)),
        locked_until=i18n.date_texts(users["locked_until"], lang, with_time=True),
        last_login_at=i18n.date_texts(users["last_login_at"], lang, with_time=True),
        unit_code=users["unit_code"].fillna(""), email=users["email"].fillna(""),
    )[columns]


# an account per division of a ministry is thousands: the first ui.TABLE_ROWS are sent, the rest downloaded
st.dataframe(account_rows(ui.first_rows(users, lang)), hide_index=True, key="users_table", column_config=headers)
if len(users) > ui.TABLE_ROWS:
    ui.downloads(lambda: account_rows(users).rename(columns=headers), "accounts", lang, "users")

add_tab, edit_tab = st.tabs([t("add_user", lang), t("edit_user", lang)])

with add_tab:  # above filters.PICKER_LIMIT units, a search box over the form offers the matches only
    add_units = filters.shortlist("add_unit", t("col_unit_code", lang), unit_codes,
                                  ["", st.session_state.get("add_unit", "")], unit_search)
with add_tab, st.form("add_user", clear_on_submit=False):
    username = st.text_input(t("username", lang), key="add_username", help=t("username_help", lang))
    display_name = st.text_input(t("col_display_name", lang), key="add_display_name")
    role = st.selectbox(t("col_role", lang), list(accounts.ROLES), key="add_role",
                        format_func=lambda code: role_name(code, lang))
    unit_code = st.selectbox(t("col_unit_code", lang), add_units, key="add_unit",
                             format_func=unit_label,
                             help=t("unit_help", lang))
    email = st.text_input(t("col_email", lang), key="add_email", help=t("email_help", lang))
    password = st.text_input(t("password", lang), type="password", key="add_password",
                             help=t("password_help", lang, length=accounts.MIN_PASSWORD_LENGTH))
    if st.form_submit_button(t("add_user", lang), type="primary"):
        generated = not password
        password = password or accounts.generate_password()
        with connection() as con:
            problems = accounts.add_user(con, username=username, role=role, password=password, unit_code=unit_code,
                                         display_name=display_name, email=email, by=admin.username)
        show_outcome(problems, t("user_added", lang, username=accounts.normalise_username(username))
                     + (" " + t("generated_password", lang, password=password) if generated else ""))

with edit_tab:
    if users.empty:
        st.caption(t("no_users", lang))
        st.stop()
    usernames = users["username"].tolist()
    chosen = st.selectbox(t("username", lang), filters.shortlist(
        "edit_username", t("username", lang), usernames, [st.session_state.get("edit_username")],
        filters.matching(users, "username", ("username", "display_name", "unit_code"))), key="edit_username")
    with connection(read_only=True) as con:
        target = accounts.get_user(con, chosen)
    edit_units = filters.shortlist("edit_unit", t("col_unit_code", lang), unit_codes,
                                   ["", target.unit_code or "", st.session_state.get("edit_unit", "")], unit_search)
    with st.form("edit_user"):
        display_name = st.text_input(t("col_display_name", lang), value=target.display_name, key="edit_display_name")
        role = st.selectbox(t("col_role", lang), list(accounts.ROLES), index=list(accounts.ROLES).index(target.role),
                            format_func=lambda code: role_name(code, lang), key="edit_role")
        unit_code = st.selectbox(t("col_unit_code", lang), edit_units,
                                 index=edit_units.index(target.unit_code) if target.unit_code in edit_units else 0,
                                 format_func=unit_label, key="edit_unit")
        email = st.text_input(t("col_email", lang), value=target.email or "", key="edit_email")
        if st.form_submit_button(t("save_changes", lang), type="primary"):
            with connection() as con:
                problems = accounts.update_user(con, target.username, role=role, unit_code=unit_code,
                                                display_name=display_name, email=email, by=admin.username)
            show_outcome(problems, t("user_saved", lang, username=target.username))

    with st.form("set_password"):
        new_password = st.text_input(t("new_password", lang), type="password", key="edit_password",
                                     help=t("password_help", lang, length=accounts.MIN_PASSWORD_LENGTH))
        if st.form_submit_button(t("set_password", lang)):
            generated = not new_password
            new_password = new_password or accounts.generate_password()
            with connection() as con:
                problems = accounts.set_password(con, target.username, new_password, by=admin.username)
            show_outcome(problems, t("password_changed", lang, username=target.username)
                         + (" " + t("generated_password", lang, password=new_password) if generated else ""))

    left, right = st.columns(2)
    if target.disabled:
        if left.button(t("enable_user", lang), key="enable_user"):
            with connection() as con:
                problems = accounts.set_disabled(con, target.username, False, by=admin.username)
            show_outcome(problems, t("user_enabled", lang, username=target.username))
    elif left.button(t("disable_user", lang), key="disable_user", disabled=target.username == admin.username):
        with connection() as con:
            problems = accounts.set_disabled(con, target.username, True, by=admin.username)
        show_outcome(problems, t("user_disabled", lang, username=target.username))
    if right.button(t("unlock_user", lang), key="unlock_user"):
        with connection() as con:
            accounts.unlock(con, target.username, by=admin.username)
        show_outcome([], t("user_unlocked", lang, username=target.username))

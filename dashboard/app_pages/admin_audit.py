"""บันทึกการใช้งาน: the append-only audit trail (logins, failed logins, uploads accepted or rejected, catalogue,
user and period changes), filtered and downloadable. The same rows are the admin-only view `audit_log`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import filters, ui
from dashboard.auth import connection, require_page
from dashboard.i18n import action_name, date_text, date_texts, outcome_name, t, ui_lang
from pipelines import audit, calendar, export
from pipelines import auth as accounts

admin = require_page("admin_audit")
lang = ui_lang()
st.title(t("page_admin_audit", lang))
st.caption(t("audit_help", lang))

with connection(read_only=True) as con:
    users = accounts.list_users(con)
usernames = users["username"].tolist()

actor_col, action_col, since_col, until_col = st.columns([2, 2, 1, 1])
actors = filters.shortlist("audit_actor", t("col_actor", lang), [None, *usernames],
                           [None, st.session_state.get("audit_actor")],
                           filters.matching(users, "username", ("username", "display_name", "unit_code")), actor_col)
actor = actor_col.selectbox(t("col_actor", lang), actors, key="audit_actor",
                            format_func=lambda name: t("everyone", lang) if name is None else name,
                            accept_new_options=True)
action = action_col.selectbox(t("col_action", lang), [None, *audit.ACTIONS], key="audit_action",
                              format_func=lambda code: t("every_action", lang) if code is None
                              else action_name(code, lang))
since_text = since_col.text_input(t("since", lang), value=date_text(dt.date.today() - dt.timedelta(days=90), lang),
                                  key="audit_since", help=t("date_help", lang))
until_text = until_col.text_input(t("until", lang), value=date_text(dt.date.today(), lang), key="audit_until",
                                  help=t("date_help", lang))
try:
    since, until = calendar.parse_date(since_text), calendar.parse_date(until_text)
except calendar.DateTextError as error:
    st.error(error.message(lang))
    st.stop()

with connection(read_only=True) as con:
    events = audit.events(con, actor=actor, action=action, since=since, until=until)
st.caption(t("audit_count", lang, count=len(events)))
columns = ["occurred_at", "actor", "action", "outcome", "unit_code", "fiscal_year", "quarter", "detail", "channel"]


def event_rows(events):
    return events.assign(
        occurred_at=date_texts(events["occurred_at"], lang, with_time=True),
        action=events["action"].map(lambda code: action_name(code, lang)),
        outcome=events["outcome"].map(lambda code: outcome_name(code, lang)),
        unit_code=events["unit_code"].fillna(""),
        fiscal_year=events["fiscal_year"].astype("string").fillna(""),
        quarter=events["quarter"].astype("string").fillna(""),
    )[columns]


# a quarter's uploads of a ministry are tens of thousands of rows: the first ui.TABLE_ROWS are sent, the file has all
st.dataframe(event_rows(ui.first_rows(events, lang)), hide_index=True, key="audit_table",
             column_config={name: t(f"col_{name}", lang) for name in columns})
st.download_button(t("download_csv", lang), lambda: export.csv_bytes(events), file_name="audit_log.csv",
                   mime="text/csv", key="audit_download", icon=":material/download:", on_click="ignore")

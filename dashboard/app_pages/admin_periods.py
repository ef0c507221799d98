"""รอบการรายงาน: the admin sets each quarter's submission deadline, closes a quarter to uploads, and reopens it
with a reason; the table below shows which units submitted on time. All through pipelines.periods (audited)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import i18n, review_view, ui
from dashboard.auth import connection, refresh_snapshot, require_page
from dashboard.i18n import date_text, problem_text, t, ui_lang, yes_no
from pipelines import approval, calendar, periods, reminders, reports
from pipelines.periods import TIMELINESS

admin = require_page("admin_periods")
lang = ui_lang()
st.title(t("page_admin_periods", lang))

message = st.session_state.pop("admin_periods_message", None)
if message:
    st.success(message)

with connection(read_only=True) as con:
    table = periods.periods(con)
    years = reports.catalogue_years(con)
if not years:
    st.info(t("no_catalogue_yet", lang))
    st.stop()

shown = table.assign(
    period=[i18n.period_label(y, q, lang) for y, q in zip(table["fiscal_year"], table["quarter"], strict=True)],
    is_closed=table["is_closed"].map(lambda closed: yes_no(closed, lang)),
    deadline=table["deadline"].map(lambda d: date_text(d, lang)),
    updated_at=i18n.date_texts(table["updated_at"], lang, with_time=True),
    reason=table["reason"].fillna(""), updated_by=table["updated_by"].fillna(""),
)
columns = ["period", "deadline", "is_closed", "reason", "updated_by", "updated_at"]
st.dataframe(shown[columns], hide_index=True, key="periods_table",
             column_config={name: t(f"col_{name}", lang) for name in columns})

current_year, current_quarter = calendar.fiscal_period_of(dt.date.today())
year_options = sorted(years, reverse=True)
left, right = st.columns(2)
fiscal_year = left.selectbox(t("fiscal_year", lang), year_options, key="period_year",
                             index=year_options.index(current_year) if current_year in year_options else 0,
                             format_func=lambda y: i18n.t("fiscal_year_option", lang, year=y))
quarter = right.selectbox(t("quarter", lang), calendar.QUARTERS, key="period_quarter",
                          index=current_quarter - 1 if fiscal_year == current_year else 0,
                          format_func=lambda q: i18n.t("quarter_option", lang, quarter=q))
with connection(read_only=True) as con:
    state = periods.period_state(con, fiscal_year, quarter)
    status = periods.timeliness(con, fiscal_year, quarter)
period_text = i18n.period_label(fiscal_year, quarter, lang)


def done(problems: list, success: str) -> None:
    """After a change: its problems, or the success message on the rerun (the analysts' copy refreshed)."""
    if problems:
        for problem in problems:
            st.error(problem_text(problem, lang))
        return
    with connection() as con:
        refresh_snapshot(con)
    st.session_state["admin_periods_message"] = success
    st.rerun()


deadline_col, lock_col = st.columns(2)
with deadline_col.form("deadline"):
    st.markdown(f"**{t('set_deadline', lang, period=period_text)}**")
    deadline_key = f"deadline_{fiscal_year}_{quarter}"
    typed = st.text_input(t("col_deadline", lang), value=date_text(state.deadline, lang) if state.deadline else "",
                          key=deadline_key, placeholder=calendar.EXAMPLES, help=t("date_help", lang))
    save, clear = st.columns(2)
    if save.form_submit_button(t("save_deadline", lang), type="primary"):
        try:
            deadline = calendar.parse_date(typed)
        except calendar.DateTextError as error:
            st.error(error.message(lang))
        else:
            with connection() as con:
                problems = periods.set_deadline(con, fiscal_year, quarter, deadline, by=admin.username)
            if not problems:
                st.session_state.pop(deadline_key, None)  # show the saved date as the product writes it
            done(problems, t("deadline_saved", lang, period=period_text, date=date_text(deadline, lang)))
    if clear.form_submit_button(t("clear_deadline", lang)):
        with connection() as con:
            problems = periods.set_deadline(con, fiscal_year, quarter, None, by=admin.username)
        if not problems:
            st.session_state.pop(deadline_key, None)
        done(problems, t("deadline_cleared", lang, period=period_text))

with lock_col.form("lock"):
    if state.is_closed:
        st.markdown(f"**{t('reopen_period', lang, period=period_text)}**")
        st.caption(t("closed_because", lang, reason=state.reason or "-"))
        reason = st.text_area(t("reopen_reason", lang), key="reopen_reason")
        if st.form_submit_button(t("reopen_button", lang), type="primary"):
            with connection() as con:
                problems = periods.reopen_period(con, fiscal_year, quarter, by=admin.username, reason=reason)
            done(problems, t("period_reopened", lang, period=period_text))
    else:
        st.markdown(f"**{t('close_period', lang, period=period_text)}**")
        reason = st.text_area(t("close_reason", lang), key="close_reason")
        if st.form_submit_button(t("close_button", lang), type="primary"):
            with connection() as con:
                problems = periods.close_period(con, fiscal_year, quarter, by=admin.username, reason=reason)
            done(problems, t("period_closed_done", lang, period=period_text))

with connection(read_only=True) as con:
    approval_settings = approval.approval_settings(con)


def save_approval(required: bool) -> None:
    with connection() as con:
        problems = approval.set_approval_required(con, fiscal_year, required, by=admin.username)
    done(problems, t("approval_saved", lang, year=fiscal_year))


review_view.approval_setting_form(approval_settings, fiscal_year, lang, save_approval)

st.subheader(t("periods_timeliness_title", lang, period=period_text))
columns = ["unit_code", "unit_name", "first_submitted_at", "latest_version", "timeliness"]
headers = {name: t(f"col_{name}", lang) for name in columns} | {"unit_code": t("col_code", lang)}


def timeliness_rows(status):
    """The units' timeliness as a reader sees it (dates in Buddhist Era, the verdict in words)."""
    return status.assign(
        unit_name=[i18n.unit_name(th, en, lang) for th, en in zip(status["name_th"], status["name_en"], strict=True)],
        first_submitted_at=i18n.date_texts(status["first_submitted_at"], lang, with_time=True),
        latest_version=status["latest_version"].map(i18n.number_text),  # "–" where nothing was submitted, not None
        timeliness=status["timeliness"].map(lambda code: TIMELINESS[code][0 if lang == "th" else 1]),
    )[columns]


# every unit of a ministry is 25,000 rows: the first ui.TABLE_ROWS are formatted and sent, the rest downloaded
st.dataframe(timeliness_rows(ui.first_rows(status, lang)), hide_index=True, key="timeliness_table",
             column_config=headers)
if len(status) > ui.TABLE_ROWS:
    ui.downloads(lambda: timeliness_rows(status).rename(columns=headers), f"timeliness_{fiscal_year}_q{quarter}",
                 lang, "timeliness")

# --- reminder e-mails (pipelines.reminders; sent by `python -m pipelines remind`) ----------------------------
REMINDER_KINDS = {"missing": "reminder_kind_missing", "digest": "reminder_kind_digest"}
st.subheader(t("reminder_days", lang, period=period_text))
with connection(read_only=True) as con:
    offsets = reminders.reminder_offsets(con, fiscal_year, quarter)
    sent = reminders.sent_reminders(con)
    unreachable = reminders.unreachable_division_heads(con)
if state.deadline is None:
    st.caption(t("reminder_no_deadline", lang))
if unreachable:
    st.caption(t("reminder_no_email", lang, count=len(unreachable), users=", ".join(unreachable)))
with st.form("reminder_days"):
    days_key = f"reminder_days_{fiscal_year}_{quarter}"
    typed_days = st.text_input(t("reminder_days_input", lang), value=reminders.offsets_text(offsets), key=days_key,
                               placeholder="-7, -1, +3", help=t("reminder_days_help", lang))
    if st.form_submit_button(t("save_reminder_days", lang), type="primary"):
        days, problems = reminders.parse_offsets(typed_days)
        if not problems:
            with connection() as con:
                problems = reminders.set_reminder_offsets(con, fiscal_year, quarter, days, by=admin.username)
        if not problems:
            st.session_state.pop(days_key, None)
        done(problems, t("reminder_days_saved", lang, period=period_text, days=reminders.offsets_text(days) or "-"))

st.subheader(t("reminders_sent_title", lang))
if sent.empty:
    st.caption(t("no_reminders_sent", lang))
else:
    sent_columns = ["sent_at", "kind", "unit_code", "period", "offset_days", "due_on", "recipient", "subject"]
    sent_headers = {name: t(f"col_{name}", lang) for name in sent_columns}

    def sent_rows(sent):
        return sent.assign(
            sent_at=i18n.date_texts(sent["sent_at"], lang, with_time=True),
            due_on=sent["due_on"].map(lambda day: date_text(day, lang)),
            kind=sent["kind"].map(lambda kind: t(REMINDER_KINDS[kind], lang)),
            period=[i18n.period_label(y, q, lang) for y, q in zip(sent["fiscal_year"], sent["quarter"], strict=True)],
            offset_days=sent["offset_days"].map(lambda days: f"{days:+d}"),
        )[sent_columns]

    st.dataframe(sent_rows(ui.first_rows(sent, lang)), hide_index=True, key="reminders_sent_table",
                 column_config=sent_headers)
    if len(sent) > ui.TABLE_ROWS:
        ui.downloads(lambda: sent_rows(sent).rename(columns=sent_headers), "reminders_sent", lang, "reminders_sent")

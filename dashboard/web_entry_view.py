"""The upload page's form (กรอกบนหน้าเว็บ): one editable row per KPI the unit owns, scored live as the user types,
saved through workflows.submit_entry (the same path as a file); and the "my tasks" box (งานของฉัน) of a division
head on the overview. The rules are pipelines.web_entry's and pipelines.tasks'; this module only draws."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import streamlit as st

from dashboard import i18n, upload_view
from dashboard.auth import connection, warn_unpublished
from dashboard.i18n import date_text, t
from pipelines import db, periods, tasks, uploads, web_entry, workflows
from pipelines.auth import User
from pipelines.problems import Problem
from pipelines.validate import MAX_NOTE_CHARACTERS

RESULT_KEY = "entry_result"
UPLOAD_PAGE = "app_pages/upload.py"
YEAR_PARAM, QUARTER_PARAM = "upload_year", "upload_quarter"
"""With upload.UNIT_PARAM, the query parameters that open the upload page on a unit's quarter (my tasks' links)."""
TASKS_SHOWN = 8


def editor_key(form: web_entry.EntryForm) -> str:
    """A new editor for each unit, quarter and stored version: after a save the form opens on the new version."""
    return f"entry_editor_{form.unit['code']}_{form.fiscal_year}_Q{form.quarter}_v{form.latest_version or 0}"


def with_edits(rows: pd.DataFrame, state: object) -> pd.DataFrame:
    """The form's rows with the editor's pending cell edits (its session state) applied: what the user sees typed."""
    edited = rows.copy()
    for position, change in ((state or {}).get("edited_rows") or {}).items() if isinstance(state, dict) else ():
        for column, value in change.items():
            if column in web_entry.EDITABLE:
                edited.loc[int(position), column] = value
    return edited


def _shown(form: web_entry.EntryForm, live: web_entry.EntryCheck, lang: str) -> pd.DataFrame:
    """The editor's table: the stored inputs (the editor applies the edits itself) beside the live score and
    status of the inputs as edited, and the catalogue's words in the page's language."""
    rows = form.rows
    return rows.assign(
        name=[i18n.kpi_name(th, en, lang) for th, en in zip(rows["name_th"], rows["name_en"], strict=True)],
        unit=[i18n.unit_of_measure_name(unit, lang) for unit in rows["unit"]],
        live_score=live.rows["score"].map(i18n.score_text).to_numpy(),
        live_status=live.rows["status"].map(lambda code: i18n.status_name(code, lang)).to_numpy(),
    )


def _column_config(form: web_entry.EntryForm, lang: str) -> dict[str, object]:
    previous = i18n.period_label(*form.previous_period, lang)
    config: dict[str, object] = {
        "kpi_code": t("col_kpi_code", lang), "name": t("col_name", lang), "unit": t("col_unit", lang),
        "target": st.column_config.NumberColumn(t("entry_col_target", lang)),
        "previous": st.column_config.NumberColumn(t("entry_col_previous", lang, period=previous)),
        "actual": st.column_config.TextColumn(t("entry_col_actual", lang), help=t("entry_actual_help", lang)),
        "note": st.column_config.TextColumn(t("col_note", lang), help=t("entry_note_help", lang),
                                            max_chars=MAX_NOTE_CHARACTERS),
        "evidence": st.column_config.TextColumn(t("col_evidence", lang), help=t("entry_evidence_help", lang),
                                                max_chars=MAX_NOTE_CHARACTERS),
        "live_score": t("col_score", lang), "live_status": t("col_status", lang),
    }
    for level in web_entry.LEVELS:
        config[level] = st.column_config.NumberColumn(t("entry_col_level", lang, level=level[1]))
    return config


def problem_lines(problems: list[Problem], rows: pd.DataFrame, lang: str) -> str:
    """Every problem, pointing at the KPI's row and column of the form, with the file's reason (Thai or English)."""
    found = t("entry_problems_found", lang, count=len(problems))
    lines = [t("entry_problem_line", lang, row=p.row, code=rows["kpi_code"].iloc[p.row - 1],
               column=t(f"col_{p.field}", lang), value=p.value, reason=p.reason_th if lang == "th" else p.reason_en)
             for p in problems]
    return "\n".join([found, *(f"- {line}" for line in lines)])


def entry_route(period: uploads.UploadPeriod, unit_code: str, fiscal_year: int, quarter: int, user: User,
                lang: str) -> None:
    """The form for the unit's quarter: pre-filled from its latest version, checked and scored on every edit, saved
    as a new version (a generated .xlsx through the file route's checks) when it has no problem."""
    if period.state.is_closed or not period.kpis:  # the page says which, above its tabs
        return
    period_text = i18n.period_label(fiscal_year, quarter, lang)
    with connection(read_only=True) as con:
        form = web_entry.entry_form(con, unit_code, fiscal_year, quarter)
    result = st.session_state.get(RESULT_KEY)
    if result and result[:3] == (unit_code, fiscal_year, quarter):
        st.success(t("entry_saved", lang, version=result[3], period=period_text))
    st.caption(t("entry_help", lang, period=period_text) + " " + (
        t("entry_prefilled", lang, version=form.latest_version) if form.latest_version else t("first_version", lang)))
    key = editor_key(form)
    live = web_entry.check_entries(form, with_edits(form.rows, st.session_state.get(key)))
    columns = ["kpi_code", "name", "unit", "target", *web_entry.LEVELS, "previous", *web_entry.EDITABLE, "live_score",
               "live_status"]
    edited = st.data_editor(
        _shown(form, live, lang), key=key, hide_index=True, num_rows="fixed", column_order=columns,
        disabled=[name for name in columns if name not in web_entry.EDITABLE], column_config=_column_config(form, lang))
    check = web_entry.check_entries(form, edited)
    left, right = st.columns(2)
    left.metric(t("resulting_score", lang), i18n.score_text(check.score))
    right.metric(t("upload_reported_weight", lang), i18n.pct_text(check.reported_weight))
    if check.problems:
        st.error(problem_lines(check.problems, check.rows, lang))
    if check.notes_missing and check.changed:  # before the first edit the form asks for nothing
        st.warning(t("notes_missing", lang, codes=", ".join(check.notes_missing)) + " · " + t("entry_note_help", lang))
    unchanged = t("entry_unchanged", lang, version=form.latest_version) if form.latest_version else None
    clicked = st.button(t("entry_save", lang), type="primary", disabled=not check.can_save, key="entry_save",
                        help=None if check.changed else unchanged)
    if clicked and check.can_save:  # a disabled button is the browser's: a crafted click is refused here
        save(form, check, user, lang)


def save(form: web_entry.EntryForm, check: web_entry.EntryCheck, user: User, lang: str) -> None:
    """workflows.submit_entry, which decides the user's right to the unit and the open quarter again inside the
    transaction; a refusal is shown as the file route shows it."""
    with st.spinner(t("saving", lang)):
        stored = workflows.submit_entry(db.resolve_db_path(), form, check.entries, by=user.username, user=user,
                                        lang=lang)
    if not stored.outcomes:
        return upload_view.refused_on_commit(stored.problems, lang)
    warn_unpublished(stored.snapshot_error)
    outcome = stored.outcomes[0]
    st.session_state[RESULT_KEY] = (outcome.unit_code, outcome.fiscal_year, outcome.quarter, outcome.version)
    st.rerun()


# --- my tasks ------------------------------------------------------------------------------------


def task_when(task: tasks.Task, lang: str) -> str:
    """The deadline in BE and the days left, or how many days overdue."""
    if task.deadline is None:
        return t("upload_no_deadline", lang)
    deadline = date_text(task.deadline, lang)
    if task.overdue:
        return t("task_overdue", lang, date=deadline, days=-task.days_left)
    return t("task_due_in", lang, date=deadline, days=task.days_left)


def my_tasks_box(user: User | None, lang: str) -> None:
    """งานของฉัน at the top of a division head's first page: each version returned to fix (with the reviewer's
    reasons) and each quarter due, most urgent first, with a link that opens the upload page on that unit and
    quarter. Other roles submit nothing of their own: no box."""
    if user is None or user.role != "division_head":
        return
    with connection(read_only=True) as con:
        due = tasks.my_tasks(con, user)
    with st.container(border=True, key="my_tasks"):
        st.markdown(f"**:material/task_alt: {t('my_tasks', lang)}**")
        if not due:
            st.caption(t("my_tasks_none", lang))
        for task in due[:TASKS_SHOWN]:
            unit = i18n.unit_name(task.unit_name_th, task.unit_name_en, lang)
            period = i18n.period_label(task.fiscal_year, task.quarter, lang)
            if task.kind == tasks.RETURNED:
                label = t("task_returned", lang, unit=f"{task.unit_code} · {unit}", period=period, reasons=task.detail)
                icon = ":material/undo:"
            else:
                label = t("task_due", lang, unit=f"{task.unit_code} · {unit}", period=period,
                          when=task_when(task, lang))
                icon = ":material/warning:" if task.overdue else ":material/edit:"
            st.page_link(UPLOAD_PAGE, label=label, icon=icon,
                         query_params={"upload_unit": task.unit_code, YEAR_PARAM: str(task.fiscal_year),
                                       QUARTER_PARAM: str(task.quarter)})
        if len(due) > TASKS_SHOWN:
            st.caption(t("my_tasks_more", lang, count=len(due) - TASKS_SHOWN))


def opening_period(con: duckdb.DuckDBPyConnection, unit_code: str, years: list[int]) -> tuple[int, int]:
    """The fiscal year and quarter the upload page opens on: a my-tasks link's (YEAR_PARAM, QUARTER_PARAM), else
    periods.default_upload_period."""
    year, quarter = st.query_params.get(YEAR_PARAM, ""), st.query_params.get(QUARTER_PARAM, "")
    if year.isdigit() and int(year) in years and quarter in ("1", "2", "3", "4"):
        return int(year), int(quarter)
    return periods.default_upload_period(con, unit_code, dt.date.today())

"""นำส่งข้อมูลตัวชี้วัด: a division head downloads the template, uploads it filled in, sees every problem cell by
cell, confirms a clean file, and finds each version in the history. The reading, checking and storing are
pipelines.uploads around pipelines.ingest: the very functions `python -m pipelines ingest` runs."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.auth import connection, refresh_snapshot, refuse, require_page
from dashboard.i18n_accounts import date_text, t, ui_lang
from pipelines import auth as accounts
from pipelines import db, ingest, periods, reports, uploads
from pipelines.ingest import MAX_UPLOAD_BYTES, PreparedFile, diff_against_latest, sha256_of, too_large_problem
from pipelines.periods import TIMELINESS
from pipelines.problems import problem_count
from pipelines.templates import write_template
from pipelines.validate import MAX_NOTE_CHARACTERS, Period, note_too_long

UNIT_PARAM = "upload_unit"
# Bumped after each save: the uploader gets a new key, so it is empty again (the stored file does not linger).
UPLOADER_GENERATION = "upload_generation"
PROBLEM_FILL = "background-color: #ffcdd2; color: #7f0000; font-weight: 600"

user = require_page("upload")
lang = ui_lang()
st.title(t("page_upload", lang))

with connection(read_only=True) as con:
    allowed = accounts.submittable_units(con, user)
    unit_names = {row["code"]: row for row in reports.org_units_tree(con).to_dict("records")}
    years = sorted(reports.catalogue_years(con), reverse=True)

asked = st.query_params.get(UNIT_PARAM)
if asked and asked not in allowed:
    refuse(user, f"upload page for unit {asked}", unit_code=asked)
    st.error(t("unit_refused", lang, unit=asked))
    st.stop()
if not allowed:
    st.warning(t("no_unit_assigned", lang))
    st.stop()
if not years:
    st.warning(t("no_catalogue_yet", lang))
    st.stop()


def unit_label(code: str) -> str:
    row = unit_names.get(code)
    return f"{code} · {i18n.unit_name(row['name_th'], row['name_en'], lang)}" if row else code


# --- 1. unit, fiscal year and quarter; the template ---------------------------------------------
sidebar_unit = st.query_params.get("unit")
default_unit = asked or (sidebar_unit if sidebar_unit in allowed else None) or user.unit_code
col_unit, col_year, col_quarter = st.columns([3, 1, 1])
unit_code = col_unit.selectbox(
    t("unit", lang), allowed, index=allowed.index(default_unit) if default_unit in allowed else 0,
    format_func=unit_label, key="upload_unit",
)
with connection(read_only=True) as con:
    default_year, default_quarter = periods.default_upload_period(con, unit_code, dt.date.today())
fiscal_year = col_year.selectbox(
    t("fiscal_year", lang), years, index=years.index(default_year) if default_year in years else 0,
    format_func=lambda year: i18n.t("fiscal_year_option", lang, year=year), key="upload_fiscal_year",
)
quarter = col_quarter.selectbox(
    t("quarter", lang), [1, 2, 3, 4], index=default_quarter - 1,
    format_func=lambda q: i18n.t("quarter_option", lang, quarter=q), key="upload_quarter",
)
if unit_code not in allowed:  # a forged widget value: refuse, log, stop
    refuse(user, f"upload form for unit {unit_code}", unit_code=unit_code)
    st.error(t("unit_refused", lang, unit=unit_code))
    st.stop()

with connection(read_only=True) as con:
    state = periods.period_state(con, fiscal_year, quarter)
    unit = reports.org_unit(con, unit_code)
    kpis = reports.kpis_owned_by(con, unit_code, fiscal_year)
    status_rows = periods.timeliness(con, fiscal_year, quarter)
period_text = i18n.period_label(fiscal_year, quarter, lang)
own_status = status_rows.loc[status_rows["unit_code"] == unit_code, "timeliness"]
facts = [t("deadline_is", lang, date=date_text(state.deadline, lang)) if state.deadline
         else t("no_deadline", lang)]
if not own_status.empty:
    facts.append(TIMELINESS[own_status.iloc[0]][0 if lang == "th" else 1])
st.caption(f"{period_text} · " + " · ".join(facts))


def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, unit, fiscal_year, quarter, kpis, lang)
    return buffer.getvalue()


if not kpis:
    st.info(t("no_kpis_for_unit", lang, unit=unit_label(unit_code), year=fiscal_year))
else:
    st.download_button(
        t("download_template", lang, count=len(kpis)), template_bytes, on_click="ignore",
        file_name=f"{unit_code}_{fiscal_year}_Q{quarter}.xlsx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_template",
    )


# --- 2. upload and check ------------------------------------------------------------------------
def check_upload(file_name: str, data: bytes, size: int) -> PreparedFile:
    """Validate once per file and period: the result (and the audit row of a rejected file) is kept for the
    reruns that typing notes causes."""
    key = (sha256_of(data) if size <= MAX_UPLOAD_BYTES else f"{file_name}:{size}",
           file_name, unit_code, fiscal_year, quarter, user.username)
    kept = st.session_state.get("upload_checked")
    if kept and kept[0] == key:
        return kept[1]
    given = Period(unit_code, fiscal_year, quarter)
    if (wrong_type := uploads.file_type_problem(file_name)) is not None:  # a PDF, a Word file: not read at all
        item = PreparedFile(file_name, b"", "", None, [wrong_type])
    elif size > MAX_UPLOAD_BYTES:  # before reading a byte of it
        item = PreparedFile(file_name, b"", "", None, [too_large_problem(file_name, size)])
    else:
        item = uploads.prepare_uploads_unlocked(lambda: connection(read_only=True), [(file_name, data)], given,
                                                user=user)[0]
    if item.problems:
        with connection() as con:
            uploads.record_rejected(con, [item], by=user.username, given=given)
    st.session_state["upload_checked"] = (key, item)
    return item


def problem_cells(preview: pd.DataFrame, item: PreparedFile) -> pd.DataFrame:
    """The file's rows with a reason column; the styler marks each rejected cell."""
    by_row: dict[int, list[str]] = {}
    for problem in item.problems:
        if problem.row is not None:
            reason = problem.reason_th if lang == "th" else problem.reason_en
            by_row.setdefault(problem.row, []).append(f"{problem.column}: {reason}")
    shown = preview.copy()
    shown["problem"] = shown["row"].map(lambda row: " · ".join(by_row.get(row, [])))
    return shown


PROBLEMS_SPELLED_OUT = 10


def show_problems(item: PreparedFile, data: bytes) -> None:
    """The count, the first problems in words (the grids below are canvas: screen readers and search see these),
    whole-file problems, the file's rows with each rejected cell marked, and the full list."""
    cells = [p for p in item.problems if p.row is not None]
    lines = [t("problem_line", lang, row=p.row, column=p.column, value=p.value,
               reason=p.reason_th if lang == "th" else p.reason_en) for p in cells[:PROBLEMS_SPELLED_OUT]]
    if len(cells) > PROBLEMS_SPELLED_OUT:
        lines.append(t("problems_more", lang, count=len(cells) - PROBLEMS_SPELLED_OUT))
    found = t("problems_found", lang, count=problem_count(item.problems))
    st.error("\n".join([found, *(f"- {line}" for line in lines)]))
    whole_file = [p for p in item.problems if p.row is None]
    for problem in whole_file:
        st.warning(f"{problem.column + ': ' if problem.column else ''}"
                   f"{problem.reason_th if lang == 'th' else problem.reason_en}")
    preview = uploads.file_preview(item.file_name, data) if item.data else pd.DataFrame()
    if not preview.empty and any(p.row is not None for p in item.problems):
        st.subheader(t("file_preview", lang))
        shown = problem_cells(preview, item)
        flagged = {(p.row, p.field) for p in item.problems if p.row is not None}

        def mark(frame: pd.DataFrame) -> pd.DataFrame:
            styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
            for index, row_number in frame["row"].items():
                if frame.at[index, "problem"]:
                    styles.at[index, "problem"] = "color: #b71c1c"
                for field in frame.columns:
                    if (row_number, field) in flagged:
                        styles.at[index, field] = PROBLEM_FILL
            return styles

        st.dataframe(
            shown.style.apply(mark, axis=None), hide_index=True, key="upload_file_preview",
            column_config={name: t(f"col_{name}", lang) for name in shown.columns},
        )
    st.subheader(t("problem_list", lang))
    table = uploads.problem_table(item.problems)
    table["reason"] = table["reason_th"] if lang == "th" else table["reason_en"]
    st.dataframe(
        table[["sheet", "row", "column", "value", "reason"]], hide_index=True, key="upload_problem_list",
        column_config={name: t(f"col_{name}", lang) for name in ("sheet", "row", "column", "value", "reason")},
    )


def show_clean(item: PreparedFile) -> None:
    with connection(read_only=True) as con:
        preview = uploads.stored_preview(con, item)
        latest = ingest.latest_submission(con, unit_code, fiscal_year, quarter)
        changes = diff_against_latest(con, item)
    score, reported = uploads.resulting_score(preview)
    if latest and latest[2] == item.sha256:
        st.info(t("identical", lang, version=latest[1]))
        return
    st.success(t("file_clean", lang, count=len(item.submission.rows)))
    left, right = st.columns(2)
    left.metric(t("resulting_score", lang), i18n.score_text(score))
    right.metric(t("reported_weight", lang), i18n.pct_text(reported))
    st.subheader(t("will_store", lang))
    show_kpi_table(preview)
    st.subheader(t("changes", lang, version=latest[1]) if latest else t("first_version", lang))
    changed = pd.DataFrame([c.__dict__ for c in changes if c.change != "unchanged"])
    if latest and changed.empty:
        st.caption(t("no_value_changes", lang))
    elif not changed.empty:
        changed["change"] = changed["change"].map(lambda kind: t(f"change_{kind}", lang))
        for side in ("old", "new"):
            changed[f"{side}_actual"] = changed[f"{side}_actual"].map(i18n.number_text)
            changed[f"{side}_score"] = changed[f"{side}_score"].map(i18n.score_text)
        changed["actual"] = changed["old_actual"] + " → " + changed["new_actual"]
        changed["score"] = changed["old_score"] + " → " + changed["new_score"]
        st.dataframe(changed[["kpi_code", "change", "actual", "score"]], hide_index=True, key="upload_changes",
                     column_config={name: t(f"col_{name}", lang) for name in ("kpi_code", "change", "actual", "score")})
    notes = ask_notes(item, preview)
    confirm(item, notes)


def show_kpi_table(preview: pd.DataFrame) -> None:
    shown = preview.assign(
        name=[i18n.kpi_name(th, en, lang) for th, en in zip(preview["name_th"], preview["name_en"], strict=True)],
        actual=preview["actual"].map(i18n.number_text),
        unit=[i18n.unit_of_measure_name(unit, lang) for unit in preview["unit"]],
        score=preview["score"].map(i18n.score_text),
        status=preview["status"].map(lambda code: i18n.status_name(code, lang)),
    )
    columns = ["kpi_code", "name", "actual", "unit", "score", "status", "note"]
    st.dataframe(shown[columns], hide_index=True, key="upload_kpi_preview",
                 column_config={name: t(f"col_{name}", lang) for name in columns})


def ask_notes(item: PreparedFile, preview: pd.DataFrame) -> dict[str, str]:
    """A note (problem and remedy) for each KPI that comes out off track or not reported without one."""
    missing = uploads.missing_notes(item)
    if not missing:
        return {}
    st.subheader(t("notes_needed", lang))
    st.caption(t("notes_needed_help", lang))
    by_code = preview.set_index("kpi_code")
    notes = {}
    for code in missing:
        row = by_code.loc[code]
        label = (f"{code} · {i18n.kpi_name(row['name_th'], row['name_en'], lang)} "
                 f"({i18n.status_name(row['status'], lang)})")
        notes[code] = st.text_area(label, key=f"upload_note_{code}", height=80,
                                   placeholder=t("note_placeholder", lang), max_chars=MAX_NOTE_CHARACTERS)
    return notes


def confirm(item: PreparedFile, notes: dict[str, str]) -> None:
    unfilled = [code for code, text in notes.items() if not text.strip()]
    if unfilled:
        st.warning(t("notes_missing", lang, codes=", ".join(unfilled)))
    too_long = [code for code, text in notes.items() if note_too_long(text.strip())]  # max_chars is the browser's
    if too_long:
        st.error(t("note_too_long", lang, codes=", ".join(too_long), limit=MAX_NOTE_CHARACTERS))
    clicked = st.button(t("confirm", lang), type="primary", disabled=bool(unfilled or too_long), key="upload_confirm")
    if not clicked or too_long:  # a disabled button is the browser's: a crafted click is refused here
        return
    bar = st.progress(0.0, text=t("saving", lang))
    with connection() as con:
        outcomes = uploads.commit_uploads(
            con, [uploads.with_notes(item, notes)], by=user.username,
            archive_dir=db.uploads_dir(db.resolve_db_path()),
            progress=lambda done, total, _: bar.progress(done / total, text=t("saving", lang)),
        )
        if outcomes and not outcomes[0].identical:
            refresh_snapshot(con)
    bar.empty()
    st.session_state.pop("upload_checked", None)
    if not outcomes:
        st.error(t("refused_on_commit", lang))
        for problem in item.problems:
            st.warning(problem.reason_th if lang == "th" else problem.reason_en)
        return
    st.session_state["upload_result"] = (unit_code, fiscal_year, quarter, outcomes[0].version, item.file_name)
    st.session_state[UPLOADER_GENERATION] = st.session_state.get(UPLOADER_GENERATION, 0) + 1
    st.rerun()


def uploader_key() -> str:
    generation = st.session_state.get(UPLOADER_GENERATION, 0)
    return "upload_file" if not generation else f"upload_file_{generation}"


def show_result() -> None:
    """After a commit: the version number and the scores as the dashboard now shows them."""
    result = st.session_state.get("upload_result")
    if not result or result[:3] != (unit_code, fiscal_year, quarter):
        return
    st.success(t("saved_version", lang, version=result[3], file=result[4], period=period_text))
    with connection(read_only=True) as con:
        unit_row = reports.scores(con, fiscal_year, quarter, "unit")
        kpi_rows = reports.scores(con, fiscal_year, quarter, "kpi")
    unit_row = unit_row.loc[unit_row["unit_code"] == unit_code]
    if not unit_row.empty:
        left, right = st.columns(2)
        left.metric(t("unit_score_now", lang), i18n.score_text(unit_row["score"].iloc[0]))
        right.metric(t("reported_weight", lang), i18n.pct_text(unit_row["reported_weight_pct"].iloc[0]))
    kpi_rows = kpi_rows.loc[kpi_rows["unit_code"] == unit_code]
    english_names = {kpi["kpi_code"]: kpi["name_en"] for kpi in kpis}
    shown = kpi_rows.assign(
        actual=kpi_rows["actual"].map(i18n.number_text), score=kpi_rows["score"].map(i18n.score_text),
        status=kpi_rows["status"].map(lambda code: i18n.status_name(code, lang)),
        name=[i18n.kpi_name(th, english_names.get(code), lang)
              for code, th in zip(kpi_rows["kpi_code"], kpi_rows["name_th"], strict=True)],
    )
    columns = ["kpi_code", "name", "actual", "score", "status"]
    st.dataframe(shown[columns], hide_index=True, key="upload_result_scores",
                 column_config={name: t(f"col_{name}", lang) for name in columns})


st.divider()
st.subheader(t("step_upload", lang, period=period_text))
st.caption(t("period_rule", lang, period=period_text))
result_box = st.container()
uploaded = None
if state.is_closed:
    st.error(t("period_closed", lang, period=period_text, reason=state.reason or "-"))
elif kpis:
    # Any file is taken here and a type we cannot read is refused by uploads.file_type_problem, in Thai and
    # English and audited: Streamlit's own type filter would refuse it in English and tell nobody.
    uploaded = st.file_uploader(
        t("choose_file", lang, mb=MAX_UPLOAD_BYTES // 2**20, types=" ".join(uploads.ACCEPTED_SUFFIXES)),
        key=uploader_key(), max_upload_size=MAX_UPLOAD_BYTES // 2**20,
    )
    if uploaded is not None:
        st.session_state.pop("upload_result", None)  # a new file: the last save's result is history now
        size = uploaded.size
        data = uploaded.getvalue() if size <= MAX_UPLOAD_BYTES else b""
        checked = check_upload(uploaded.name, data, size)
        if checked.problems:
            show_problems(checked, data)
        else:
            show_clean(checked)
if uploaded is None:
    with result_box:
        show_result()


# --- 4. history ---------------------------------------------------------------------------------
st.divider()
st.subheader(t("history", lang, unit=unit_label(unit_code)))
with connection(read_only=True) as con:
    history = uploads.submission_history(con, unit_code)
if history.empty:
    st.caption(t("no_history", lang))
else:
    shown = history.assign(
        period=[i18n.period_label(y, q, lang) for y, q in zip(history["fiscal_year"], history["quarter"], strict=True)],
        submitted_at=i18n.date_texts(history["submitted_at"], lang, with_time=True),
    )
    columns = ["period", "version", "is_latest", "file_name", "submitted_by", "submitted_at", "row_count", "sha256"]
    st.dataframe(shown[columns], hide_index=True, key="upload_history",
                 column_config={name: t(f"col_{name}", lang) for name in columns})
    choice = st.selectbox(
        t("download_version", lang), history["submission_id"].tolist(), key="upload_history_choice",
        format_func=lambda sid: (lambda r: f"{i18n.period_label(r.fiscal_year, r.quarter, lang)} · "
                                           f"{t('version_n', lang, version=r.version)} · {r.file_name}")(
            history.loc[history["submission_id"] == sid].iloc[0]),
    )
    row = history.loc[history["submission_id"] == choice].iloc[0]
    path = ingest.archive_path(db.uploads_dir(db.resolve_db_path()), row["file_name"], row["sha256"])
    if path.exists():
        st.download_button(t("download_file", lang), path.read_bytes, file_name=row["file_name"], on_click="ignore",
                           key="download_version", icon=":material/download:")
    else:
        st.caption(t("file_not_archived", lang))

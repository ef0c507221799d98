"""นำส่งข้อมูลตัวชี้วัด: download the template, upload it filled in, see every problem, confirm a clean file, find each
version in the history. Checked and stored by pipelines.workflows (as `python -m pipelines ingest`); drawn by
dashboard.upload_view."""

from __future__ import annotations

import streamlit as st

from dashboard import data, evidence_view, filters, i18n, review_view, upload_view, web_entry_view
from dashboard.auth import connection, refuse, require_page, warn_unpublished
from dashboard.i18n import t, ui_lang
from pipelines import auth as accounts
from pipelines import db, reports, uploads, workflows
from pipelines.ingest import MAX_UPLOAD_BYTES, PreparedFile, sha256_of
from pipelines.validate import Period

UNIT_PARAM = "upload_unit"
# Bumped after each save: the uploader gets a new key, so it is empty again (the stored file does not linger).
UPLOADER_GENERATION = "upload_generation"

user = require_page("upload")
lang = ui_lang()
st.title(t("page_upload", lang))

with connection(read_only=True) as con:
    allowed = accounts.submittable_units(con, user)
    years = sorted(reports.catalogue_years(con), reverse=True)


def refuse_unit(unit: str, what: str) -> None:
    refuse(user, f"{what} for unit {unit}", unit_code=unit)
    st.error(t("unit_refused", lang, unit=unit))
    st.stop()


asked = st.query_params.get(UNIT_PARAM)
if asked and asked not in allowed:
    refuse_unit(asked, "upload page")
if not allowed or not years:
    st.warning(t("no_unit_assigned" if not allowed else "no_catalogue_yet", lang))
    st.stop()


unit_tree = data.filter_options()  # read once per publish, shared by every session
unit_names = unit_tree.names[lang]


def unit_search(query: str) -> list[str]:
    """The picker's search over the units this user may submit for (an admin's are every unit)."""
    units = unit_tree.units
    return filters.matching(units[units["code"].isin(allowed)], "code", ("code", "name_th", "name_en"))(query)


def unit_label(code: str) -> str:
    name = unit_names.get(code)
    return f"{code} · {name}" if name is not None else code


# --- 1. unit, fiscal year and quarter -------------------------------------------------------
sidebar_unit = st.query_params.get("unit")
default_unit = asked or (sidebar_unit if sidebar_unit in allowed else None) or user.unit_code
col_unit, col_year, col_quarter = st.columns([3, 1, 1])
unit_options = filters.shortlist("upload_unit", t("unit", lang), allowed,
                                [default_unit, st.session_state.get("upload_unit")], unit_search, col_unit)
unit_code = col_unit.selectbox(t("unit", lang), unit_options, format_func=unit_label, key="upload_unit",
                               index=unit_options.index(default_unit) if default_unit in unit_options else 0)
with connection(read_only=True) as con:
    default_year, default_quarter = web_entry_view.opening_period(con, unit_code, years)
fiscal_year = col_year.selectbox(
    t("fiscal_year", lang), years, index=years.index(default_year) if default_year in years else 0,
    format_func=lambda year: i18n.t("fiscal_year_option", lang, year=year), key="upload_fiscal_year")
quarter = col_quarter.selectbox(t("quarter", lang), [1, 2, 3, 4], index=default_quarter - 1, key="upload_quarter",
                                format_func=lambda q: i18n.t("quarter_option", lang, quarter=q))
if unit_code not in allowed:  # a forged widget value: refuse, log, stop
    refuse_unit(unit_code, "upload form")

with connection(read_only=True) as con:
    period = uploads.upload_period(con, unit_code, fiscal_year, quarter)
period_text = i18n.period_label(fiscal_year, quarter, lang)
upload_view.period_caption(period, period_text, lang)
review_view.approval_notice(unit_code, fiscal_year, quarter, lang)
if not period.kpis:
    st.info(t("no_kpis_for_unit", lang, unit=unit_label(unit_code), year=fiscal_year))
if period.state.is_closed:  # neither the form nor the file route is offered
    st.error(t("period_closed", lang, period=period_text, reason=period.state.reason or "-"))

# --- 2. enter the results on the page, or upload a file and check it -----------------------------
form_tab, file_tab = st.tabs([t("entry_tab_form", lang), t("entry_tab_file", lang)])
with form_tab:
    web_entry_view.entry_route(period, unit_code, fiscal_year, quarter, user, lang)


def check_upload(file_name: str, data: bytes, size: int) -> PreparedFile:
    """Check once per file and period (workflows.check_files audits a rejected file): the result is kept for the
    reruns that typing notes causes. A type no reader takes, or a file over the limit, is refused unread."""
    key = (sha256_of(data) if size <= MAX_UPLOAD_BYTES else f"{file_name}:{size}",
           file_name, unit_code, fiscal_year, quarter, user.username)
    kept = st.session_state.get("upload_checked")
    if kept and kept[0] == key:
        return kept[1]
    unread = uploads.refused_unread(file_name, size)
    item = workflows.check_files(db.resolve_db_path(), [] if unread else [(file_name, data)],
                                 Period(unit_code, fiscal_year, quarter), by=user.username, user=user,
                                 channel="web", refused=[unread] if unread else [])[0]
    st.session_state["upload_checked"] = (key, item)
    return item


def confirm(item: PreparedFile, notes: dict[str, str]) -> None:
    """Store through workflows.store_files, which decides the closed quarter and the user's right again."""
    if not upload_view.confirm_button(notes, lang):
        return
    bar = st.progress(0.0, text=t("saving", lang))
    stored = workflows.store_files(db.resolve_db_path(), [uploads.with_notes(item, notes)], by=user.username,
                                   user=user, channel="web",
                                   progress=lambda done, total, _: bar.progress(done / total, text=t("saving", lang)))
    bar.empty()
    st.session_state.pop("upload_checked", None)
    if not stored.outcomes:
        return upload_view.refused_on_commit(stored.problems, lang)
    warn_unpublished(stored.snapshot_error)
    st.session_state["upload_result"] = (unit_code, fiscal_year, quarter, stored.outcomes[0].version, item.file_name)
    st.session_state[UPLOADER_GENERATION] = st.session_state.get(UPLOADER_GENERATION, 0) + 1
    st.rerun()


uploaded = None
with file_tab:
    st.subheader(t("step_upload", lang, period=period_text))
    if period.kpis:
        upload_view.template_button(period, unit_code, fiscal_year, quarter, lang)
    st.caption(t("period_rule", lang, period=period_text))
    result_box = st.container()
    if period.kpis and not period.state.is_closed:
        uploaded = upload_view.any_file_uploader(st.session_state.get(UPLOADER_GENERATION, 0), lang)
        if uploaded is not None:
            st.session_state.pop("upload_result", None)  # a new file: the last save's result is history now
            data = uploaded.getvalue() if uploaded.size <= MAX_UPLOAD_BYTES else b""
            checked = check_upload(uploaded.name, data, uploaded.size)
            if checked.problems:
                upload_view.file_problems(checked, data, lang)
            else:
                with connection(read_only=True) as con:
                    preview = uploads.clean_preview(con, checked)
                if preview.identical:
                    st.info(t("identical", lang, version=preview.latest_version))
                else:
                    upload_view.clean_file(checked, preview, lang)
                    confirm(checked, upload_view.note_inputs(checked, preview.kpis, lang))
result = st.session_state.get("upload_result")
if uploaded is None and result and result[:3] == (unit_code, fiscal_year, quarter):
    with result_box, connection(read_only=True) as con:  # after a commit: the version and the scores as shown now
        st.success(t("saved_version", lang, version=result[3], file=result[4], period=period_text))
        upload_view.saved_scores(*uploads.saved_scores(con, unit_code, fiscal_year, quarter),
                                 {kpi["kpi_code"]: kpi["name_en"] for kpi in period.kpis}, lang)

# --- evidence files of the latest version (pipelines.evidence) -----------------------------------
st.divider()
evidence_view.section(unit_code, fiscal_year, quarter, period_text, user, lang, period.state.is_closed)

# --- 3. history ---------------------------------------------------------------------------------
st.divider()
st.subheader(t("history", lang, unit=unit_label(unit_code)))
with connection(read_only=True) as con:
    upload_view.history(uploads.submission_history(con, unit_code), lang)

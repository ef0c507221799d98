"""โครงสร้างหน่วยงานและบัญชีตัวชี้วัด: the admin uploads an org unit file or a year's KPI catalogue, sees the
problems or a preview, and confirms. The same validate_* / referenced_removals / save_* / archive_file calls
as `python -m pipelines orgs` and `catalogue`, which store through the same pipelines.uploads.store_*_file."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.auth import connection, refresh_snapshot, require_page
from dashboard.i18n_accounts import t, ui_lang
from pipelines import audit, db, reports
from pipelines.catalogue import referenced_removals, validate_catalogue
from pipelines.ingest import MAX_UPLOAD_BYTES, sha256_of
from pipelines.orgs import validate_orgs
from pipelines.problems import problem_count
from pipelines.uploads import (
    ACCEPTED_SUFFIXES,
    file_type_problem,
    problem_table,
    store_catalogue_file,
    store_orgs_file,
)

admin = require_page("admin_data")
lang = ui_lang()
st.title(t("page_admin_data", lang))
MB = MAX_UPLOAD_BYTES // 2**20

message = st.session_state.pop("admin_data_message", None)
if message:
    st.success(message)


def show_problems(problems: list, action: str, file_name: str, detail_key: str) -> None:
    """List the problems; audit the rejected file once per file (reruns do not add rows)."""
    st.error(t("problems_found", lang, count=problem_count(problems)))
    table = problem_table(problems)
    table["reason"] = table["reason_th"] if lang == "th" else table["reason_en"]
    columns = ["sheet", "row", "column", "value", "reason"]
    st.dataframe(table[columns], hide_index=True, key=f"{action}_problems",
                 column_config={name: t(f"col_{name}", lang) for name in columns})
    if st.session_state.get(f"{action}_audited") != detail_key:
        with connection() as con:
            audit.record(con, admin.username, action, "rejected",
                         detail=f"{file_name}: {problem_count(problems)} problem(s)")
        st.session_state[f"{action}_audited"] = detail_key


def read_upload(key: str, action: str) -> tuple[str, bytes] | None:
    """The uploaded file, unless it is too large, of a type no reader takes (refused and audited under `action`),
    or was just stored (it stays in the uploader after the rerun). Any type is let through the uploader so that
    the refusal is the product's own, in Thai and English, not Streamlit's English one."""
    uploaded = st.file_uploader(t("choose_file", lang, mb=MB, types=" ".join(ACCEPTED_SUFFIXES)), key=key,
                                max_upload_size=MB)
    if uploaded is None:
        return None
    if (wrong_type := file_type_problem(uploaded.name)) is not None:
        show_problems([wrong_type], action, uploaded.name, f"{uploaded.name}:{uploaded.size}")
        return None
    if uploaded.size > MAX_UPLOAD_BYTES:
        st.error(t("file_too_large", lang, mb=MB))
        return None
    data = uploaded.getvalue()
    if st.session_state.get(f"{key}_stored") == sha256_of(data):
        st.info(t("file_stored", lang, file=uploaded.name))
        return None
    return uploaded.name, data


def stored(key: str, data: bytes, message: str) -> None:
    st.session_state[f"{key}_stored"] = sha256_of(data)
    st.session_state["admin_data_message"] = message
    st.rerun()


orgs_tab, catalogue_tab = st.tabs([t("orgs_file", lang), t("catalogue_file", lang)])

with orgs_tab:
    st.caption(t("orgs_help", lang))
    upload = read_upload("admin_orgs_file", "orgs_load")
    if upload:
        file_name, data = upload
        with connection(read_only=True) as con:
            existing = set(reports.org_units_tree(con)["code"])
        units, problems = validate_orgs(file_name, data, existing)
        if problems:
            show_problems(problems, "orgs_load", file_name, sha256_of(data))
        else:
            frame = pd.DataFrame([unit.__dict__ for unit in units])
            frame["is_new"] = ~frame["code"].isin(existing)
            frame["level"] = frame["level"].map(lambda level: i18n.level_name(level, lang))
            st.success(t("orgs_clean", lang, count=len(units), new=int(frame["is_new"].sum())))
            columns = ["code", "name_th", "name_en", "parent_code", "level", "is_new"]
            st.dataframe(frame[columns], hide_index=True, key="orgs_preview",
                         column_config={name: t(f"col_{name}", lang) for name in columns})
            if st.button(t("confirm_orgs", lang), type="primary", key="confirm_orgs"):
                with st.spinner(t("saving", lang)), connection() as con:
                    store_orgs_file(con, units, file_name, data, by=admin.username, channel="web",
                                    archive_dir=db.uploads_dir(db.resolve_db_path()))
                    refresh_snapshot(con)
                stored("admin_orgs_file", data, t("orgs_saved", lang, count=len(units)))

with catalogue_tab:
    st.caption(t("catalogue_help", lang))
    with connection(read_only=True) as con:
        years = reports.catalogue_years(con)
        unit_codes = set(reports.org_units_tree(con)["code"])
    year_options = [None, *sorted(set(years) | {max(years, default=2568) + 1}, reverse=True)]
    fiscal_year = st.selectbox(t("catalogue_year", lang), year_options, key="catalogue_year",
                               format_func=lambda y: t("year_from_file", lang) if y is None else str(y))
    upload = read_upload("admin_catalogue_file", "catalogue_load")
    if upload:
        file_name, data = upload
        catalogue, problems = validate_catalogue(file_name, data, unit_codes, fiscal_year)
        if problems:
            show_problems(problems, "catalogue_load", file_name, sha256_of(data))
        else:
            with connection(read_only=True) as con:
                removed = referenced_removals(con, catalogue)
            replaced = catalogue.fiscal_year in years
            st.success(t("catalogue_clean", lang, count=len(catalogue.kpis), year=catalogue.fiscal_year))
            if replaced:
                st.warning(t("catalogue_replaces", lang, year=catalogue.fiscal_year))
            for warning in catalogue.warnings:
                st.warning(warning.message_th if lang == "th" else warning.message_en)
            frame = pd.DataFrame([{
                "kpi_code": k.kpi_code, "name": i18n.kpi_name(k.name_th, k.name_en, lang),
                "dimension": i18n.dimension_name(k.dimension, lang, short=True), "owner": ", ".join(k.owners),
                "weight": k.weight, "kind": k.kind, "direction": k.direction,
                "thresholds": " / ".join("" if v is None else f"{v:g}" for v in k.thresholds),
                "pmqa": ", ".join(map(str, k.pmqa)),
            } for k in catalogue.kpis])
            st.dataframe(frame, hide_index=True, key="catalogue_preview",
                         column_config={name: t(f"col_{name}", lang) for name in frame.columns})
            if removed:
                st.error(t("catalogue_drops_used", lang, count=len(removed),
                           pairs=", ".join(f"{unit} {kpi}" for unit, kpi in removed)))
            elif st.button(t("confirm_catalogue", lang, year=catalogue.fiscal_year), type="primary",
                           key="confirm_catalogue"):
                with st.spinner(t("saving", lang)), connection() as con:
                    store_catalogue_file(con, catalogue, file_name, data, by=admin.username, channel="web",
                                         archive_dir=db.uploads_dir(db.resolve_db_path()))
                    refresh_snapshot(con)
                stored("admin_catalogue_file", data,
                       t("catalogue_saved", lang, count=len(catalogue.kpis), year=catalogue.fiscal_year))

"""โครงสร้างหน่วยงาน บัญชีตัวชี้วัด และแผนยุทธศาสตร์: the admin uploads an org unit file, a year's KPI catalogue or
a year's strategy, sees the problems or a preview, and confirms. The preview is pipelines.workflows.check_orgs_file /
check_catalogue_file / check_strategy_file; the confirm is load_orgs_file / load_catalogue_file /
load_strategy_file, as `python -m pipelines orgs`, `catalogue` and `strategy`, which check the file again inside the
transaction that stores it (a submission stored since the preview is seen)."""

from __future__ import annotations

import streamlit as st

from dashboard import upload_view
from dashboard.auth import connection, require_page, warn_unpublished
from dashboard.i18n import t, ui_lang
from pipelines import db, reports, workflows
from pipelines.ingest import MAX_UPLOAD_BYTES, sha256_of
from pipelines.problems import Problem, problem_count
from pipelines.strategy import empty_strategy_workbook
from pipelines.uploads import ACCEPTED_SUFFIXES, file_type_problem

admin = require_page("admin_data")
lang = ui_lang()
st.title(t("page_admin_data", lang))
MB = MAX_UPLOAD_BYTES // 2**20

message = st.session_state.pop("admin_data_message", None)
if message:
    st.success(message)


def show_problems(problems: list[Problem], action: str, removed: list[tuple[str, str]] = ()) -> None:
    if removed:
        st.error(t("catalogue_drops_used", lang, count=len(removed),
                   pairs=", ".join(f"{unit} {kpi}" for unit, kpi in removed)))
    else:
        st.error(t("problems_found", lang, count=problem_count(problems)))
    upload_view.problem_list(problems, lang, f"{action}_problems")


def rejected_at_preview(problems: list[Problem], action: str, file_name: str, detail_key: str,
                        removed: list[tuple[str, str]] = ()) -> None:
    """List the problems; audit the rejected file once per file (reruns do not add rows)."""
    show_problems(problems, action, removed)
    if st.session_state.get(f"{action}_audited") != detail_key:
        with connection() as con:
            workflows.audit_rejected_load(con, action, file_name, problems, by=admin.username, channel="web")
        st.session_state[f"{action}_audited"] = detail_key


def read_files(key: str, action: str, *, several: bool = False) -> list[tuple[str, bytes]] | None:
    """The uploaded file (or files, for a strategy of CSV files one per table), unless one is too large, of a type
    no reader takes (refused and audited under `action`), or they were just stored (they stay in the uploader after
    the rerun). Any type is let through the uploader so that the refusal is the product's own, in Thai and English,
    not Streamlit's English one."""
    types = " ".join(ACCEPTED_SUFFIXES)
    label = t("choose_strategy_files", lang, mb=MB, types=types) if several else t("choose_file", lang, mb=MB,
                                                                                    types=types)
    uploaded = st.file_uploader(label, key=key, max_upload_size=MB, accept_multiple_files=several)
    items = (uploaded or []) if several else [uploaded] if uploaded is not None else []
    if not items:
        return None
    files = []
    for item in items:
        if (wrong_type := file_type_problem(item.name)) is not None:
            rejected_at_preview([wrong_type], action, item.name, f"{item.name}:{item.size}")
            return None
        if item.size > MAX_UPLOAD_BYTES:
            st.error(t("file_too_large", lang, mb=MB))
            return None
        files.append((item.name, item.getvalue()))
    if st.session_state.get(f"{key}_stored") == sha256_of(joined(files)):
        st.info(t("file_stored", lang, file=", ".join(name for name, _ in files)))
        return None
    return files


def joined(files: list[tuple[str, bytes]]) -> bytes:
    """The bytes that stand for several files in the 'just stored' and 'already audited' marks."""
    return b"".join(name.encode() + b"\0" + data for name, data in files)


def stored(key: str, data: bytes, loaded: workflows.OrgsLoad | workflows.CatalogueLoad | workflows.StrategyLoad,
           message: str) -> None:
    """After the confirm: the message on the next run, or why the load refused the file this time (audited)."""
    if not loaded.stored:
        show_problems(loaded.problems, key, getattr(loaded, "removed", []))
        return
    warn_unpublished(loaded.snapshot_error)
    st.session_state[f"{key}_stored"] = sha256_of(data)
    st.session_state["admin_data_message"] = message
    st.rerun()


orgs_tab, catalogue_tab, strategy_tab = st.tabs([t("orgs_file", lang), t("catalogue_file", lang),
                                                 t("strategy_file", lang)])

with orgs_tab:
    st.caption(t("orgs_help", lang))
    files = read_files("admin_orgs_file", "orgs_load")
    if files:
        [(file_name, data)] = files
        with connection(read_only=True) as con:
            checked = workflows.check_orgs_file(con, file_name, data)
        if checked.problems:
            rejected_at_preview(checked.problems, "orgs_load", file_name, sha256_of(data))
        else:
            upload_view.orgs_preview(checked, lang)
            if st.button(t("confirm_orgs", lang), type="primary", key="confirm_orgs"):
                with st.spinner(t("saving", lang)):
                    loaded = workflows.load_orgs_file(db.resolve_db_path(), file_name, data, by=admin.username,
                                                      channel="web")
                stored("admin_orgs_file", joined(files), loaded, t("orgs_saved", lang, count=len(loaded.units)))

with catalogue_tab:
    st.caption(t("catalogue_help", lang))
    with connection(read_only=True) as con:
        years = reports.catalogue_years(con)
    year_options = [None, *sorted(set(years) | {max(years, default=2568) + 1}, reverse=True)]
    fiscal_year = st.selectbox(t("catalogue_year", lang), year_options, key="catalogue_year",
                               format_func=lambda y: t("year_from_file", lang) if y is None else str(y))
    files = read_files("admin_catalogue_file", "catalogue_load")
    if files:
        [(file_name, data)] = files
        with connection(read_only=True) as con:
            checked = workflows.check_catalogue_file(con, file_name, data, fiscal_year)
        if checked.catalogue is None:
            rejected_at_preview(checked.problems, "catalogue_load", file_name, sha256_of(data))
        else:
            upload_view.catalogue_preview(checked, lang)
            if checked.problems:
                rejected_at_preview(checked.problems, "catalogue_load", file_name, sha256_of(data), checked.removed)
            elif st.button(t("confirm_catalogue", lang, year=checked.catalogue.fiscal_year), type="primary",
                           key="confirm_catalogue"):
                with st.spinner(t("saving", lang)):
                    loaded = workflows.load_catalogue_file(db.resolve_db_path(), file_name, data,
                                                           fiscal_year=fiscal_year, by=admin.username, channel="web")
                year, count = checked.catalogue.fiscal_year, len(checked.catalogue.kpis)
                stored("admin_catalogue_file", joined(files), loaded,
                       t("catalogue_saved", lang, count=count, year=year))

with strategy_tab:
    st.caption(t("strategy_help", lang))
    st.download_button(t("strategy_template", lang), empty_strategy_workbook(thai=lang == "th"),
                       file_name="strategy_template.xlsx", on_click="ignore", key="strategy_template",
                       icon=":material/download:")
    with connection(read_only=True) as con:
        years = reports.catalogue_years(con)
        loads = reports.strategy_loads(con)
    strategy_year = st.selectbox(t("catalogue_year", lang), [None, *sorted(years, reverse=True)], key="strategy_year",
                                 format_func=lambda y: t("year_from_file", lang) if y is None else str(y))
    files = read_files("admin_strategy_file", "strategy_load", several=True)
    if files:
        with connection(read_only=True) as con:
            checked = workflows.check_strategy_file(con, files, strategy_year)
        if checked.problems:
            rejected_at_preview(checked.problems, "strategy_load", checked.file_name, sha256_of(joined(files)))
        else:
            upload_view.strategy_preview(checked, lang)
            year = checked.strategy.fiscal_year
            if st.button(t("confirm_strategy", lang, year=year), type="primary", key="confirm_strategy"):
                with st.spinner(t("saving", lang)):
                    loaded = workflows.load_strategy_file(db.resolve_db_path(), files, fiscal_year=strategy_year,
                                                          by=admin.username, channel="web")
                counts = checked.strategy.counts()
                stored("admin_strategy_file", joined(files), loaded,
                       t("strategy_saved", lang, year=year, objectives=counts["objectives"],
                         key_results=counts["key_results"]))
    upload_view.strategy_history(loads, lang)

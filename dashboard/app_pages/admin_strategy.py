"""แก้ไขแผนยุทธศาสตร์: the admin builds a fiscal year's strategy live (a planning workshop) by adding, editing and
retiring objectives, key results and End Products. Each change is pipelines.workflows.edit_strategy: the year's
strategy with the change made is checked with the strategy file's own rules, stored as the year's next version
with its audit row, and published; a refused change lists the file's problems and changes nothing. Drawing:
dashboard/strategy_forms.py."""

from __future__ import annotations

import streamlit as st

from dashboard import data, filters, strategy_forms
from dashboard.auth import connection, require_page, warn_unpublished
from dashboard.i18n import t, ui_lang
from dashboard.strategy_forms import ACTION_KEYS
from pipelines import db, queries, reports, workflows
from pipelines.strategy import EDIT_KINDS, stored_strategy, strategy_tables, strategy_years

admin = require_page("admin_strategy")
lang = ui_lang()
st.title(t("page_admin_strategy", lang))
st.caption(t("strategy_editor_help", lang))

message = st.session_state.pop("admin_strategy_message", None)
if message:
    st.success(message)

with connection(read_only=True) as con:
    years = sorted(set(reports.catalogue_years(con)) | set(strategy_years(con)), reverse=True)
if not years:
    st.info(t("no_catalogue_yet", lang))
    st.stop()
fiscal_year = st.selectbox(t("fiscal_year", lang), years, key="editor_year",
                           format_func=lambda y: t("fiscal_year_option", lang, year=y))
with connection(read_only=True) as con:
    tables = strategy_tables(stored_strategy(con, fiscal_year))
    # the year's KPI codes in catalogue order, not its catalogue: at 5M that is 625,000 owner rows for a code list
    kpis = [row[1] for row in con.execute(queries.SELECT_CATALOGUE, [fiscal_year]).fetchall()]
    versions = reports.strategy_versions(con, fiscal_year)

if not tables["objectives"]:
    st.info(t("strategy_empty_year", lang, year=fiscal_year))
strategy_forms.current_lists(tables, lang)

st.subheader(t("strategy_change", lang))
left, right = st.columns(2)
kind = left.radio(t("change_kind", lang), list(EDIT_KINDS), key="editor_kind", horizontal=True,
                  format_func=lambda k: strategy_forms.kind_label(k, lang))
action = right.radio(t("change_action", lang), list(ACTION_KEYS), key="editor_action", horizontal=True,
                     format_func=lambda a: strategy_forms.action_label(a, lang))

# Above filters.PICKER_LIMIT units or KPIs the forms offer what the year's strategy already names and the matches
# of a search box over them (a form's own widgets rerun only on submit), not a ministry's 25,000 units each run.
unit_tree = data.filter_options()  # read once per publish, shared by every session
unit_names = unit_tree.names[lang]
units, kpi_codes = [], kpis
if action != "retire":
    units = filters.shortlist(
        "editor_unit", t("field_owner_unit", lang), unit_tree.codes, strategy_forms.named_units(tables),
        filters.matching(unit_tree.units, "code", ("code", "name_th", "name_en")))
    if kind == "key_result" or (kind == "objective" and action == "add"):
        kpi_codes = filters.shortlist("editor_kpi", t("col_kpi_code", lang), kpis,
                                      [str(row["kpi_code"]) for row in tables["key_result_kpis"]],
                                      lambda query: [code for code in kpis if query.lower() in code.lower()])
choices = strategy_forms.Choices(
    units={code: unit_names[code] for code in units},
    kpis=kpi_codes,
    plans=[str(row["plan_code"]) for row in tables["plan_items"]],
    objectives=[str(row["objective_code"]) for row in tables["objectives"]],
    key_results=[str(row["key_result_code"]) for row in tables["key_results"]],
)
existing = [str(row[f"{kind}_code"]) for row in tables[EDIT_KINDS[kind]]]
code = ""
if action != "add":
    if not existing:
        st.info(t("nothing_to_change", lang))
        st.stop()
    code = st.selectbox(t("change_which", lang), existing, key=f"editor_code_{kind}")

if action == "retire":
    change = strategy_forms.retire_box(tables, kind, code, lang)
else:
    change = strategy_forms.FORMS[kind](tables, action, code, choices, lang)

if change is not None:
    with st.spinner(t("saving", lang)):
        edited = workflows.edit_strategy(db.resolve_db_path(), fiscal_year, change, user=admin, channel="web")
    if edited.stored:
        warn_unpublished(edited.snapshot_error)
        strategy_forms.clear(strategy_forms.field_key(kind, action, code))
        st.session_state["admin_strategy_message"] = t(
            "change_saved", lang, change=strategy_forms.change_text(change.summary, lang), year=fiscal_year)
        st.rerun()
    strategy_forms.refused(edited.problems, lang)

strategy_forms.history(versions, fiscal_year, lang)

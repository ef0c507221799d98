"""วัตถุประสงค์และผลลัพธ์หลัก OKR: the objectives the selected unit takes part in, those off track or at risk first
with the units that hold them, each key result's progress, score, owner and due quarter, the objective -> key
result -> KPI sunburst, and a link from every KPI to its detail page (issue 13)."""

import streamlit as st

from dashboard import charts, data, filters, i18n, okr_frames, ui
from pipelines import okr_reports
from pipelines.scoring import PROVISIONAL_BELOW_PCT

f = filters.require()
ui.header(f, f.t("okr_title"))
view = data.read(okr_reports.okr_view, f.fiscal_year, f.quarter, f.unit_code)
if view.objectives.empty:
    ui.empty(f.t("no_strategy", year=f.fiscal_year) if not view.has_strategy
             else f.t("no_objectives_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()
st.caption(f.t("okr_formula", threshold=f"{PROVISIONAL_BELOW_PCT:g}"))
if f.unit["depth"] > 0:
    st.caption(f.t("okr_unit_scope", unit=f.unit_label))
objectives, key_results = okr_frames.with_owners(view.objectives, view.key_results, f.unit_names(), f.lang)
kpis = okr_frames.named(view.kpis, f.lang)

names = dict(zip(objectives["objective_code"], objectives["name"], strict=True))
chosen = filters.bound_choice("objective", "objective", f.t("okr_pick_objective"), ["", *names], "",
                              lambda code: f"{code} · {names[code]}" if code else f.t("okr_all_objectives"))
if chosen:
    objectives = objectives[objectives["objective_code"] == chosen]
    key_results = key_results[key_results["objective_code"] == chosen]
    kpis = kpis[kpis["key_result_code"].isin(key_results["key_result_code"])]

st.subheader(f.t("okr_at_risk_title"))
urgent = okr_frames.at_risk(objectives)
for row in urgent.itertuples():
    line = f.t("okr_at_risk_line", code=row.objective_code, name=row.name, status=row.status_name,
               progress=i18n.pct_text(row.progress_pct), units=row.held_by or row.owner)
    (st.error if row.status == "off_track" else st.warning)(line, icon=":material/warning:")
if urgent.empty:
    st.success(f.t("okr_none_at_risk", period=f.period_label))

st.subheader(f.t("okr_table_title"))
ui.table(ui.export(objectives, {"status_name": "status", "objective_code": "kpi_code", "name": "okr_objective",
                                "progress_pct": "progress", "score": "score", "held_by": "okr_held_by",
                                "owner": "okr_owner", "reported_weight_pct": "reported_weight"}, f.lang),
         f.lang, key="okr_objectives", name=ui.download_for(f, "okr_objectives"), status_column=True)

kpi_columns = {"key_result_code": "okr_key_result", "kpi_code": "kpi_code", "name": "kpi_name", "weight": "weight",
               "actual": "actual", "score": "score", "status_name": "status"}
ui.chart(charts.okr_sunburst(objectives, key_results, kpis, f.lang, f.t("okr_sunburst_title")),
         ui.export(kpis, kpi_columns, f.lang), ui.download_for(f, "okr_kpis"), f.lang, "okr_sunburst")

st.subheader(f.t("okr_details_title"))
result_columns = {"key_result_code": "kpi_code", "name": "okr_key_result", "owner": "unit_name", "due": "okr_due",
                  "progress_pct": "progress", "score": "score", "status_name": "status", "target": "target"}
for objective in objectives.itertuples():
    with st.container(border=True):
        st.markdown(f"**{objective.objective_code} · {objective.name}** "
                    + ui.status_badge(objective.status, f.lang, objective.reported_weight_pct))
        st.caption(f.t("okr_objective_facts", dimension=i18n.dimension_name(objective.dimension, f.lang),
                       thrust=objective.thrust_name, owner=objective.owner, score=i18n.score_text(objective.score),
                       progress=i18n.pct_text(objective.progress_pct)))
        results = key_results[key_results["objective_code"] == objective.objective_code]
        if results.empty:
            continue
        ui.table(ui.export(results, result_columns, f.lang), f.lang, key=f"okr_kr_{objective.objective_code}",
                 status_column=True, with_downloads=False)
        for result in results.itertuples():
            links = st.container(horizontal=True, vertical_alignment="center")
            links.caption(f.t("okr_kpi_links", code=result.key_result_code), width="content")
            for kpi in kpis[kpis["key_result_code"] == result.key_result_code].itertuples():
                links.page_link("app_pages/kpi.py", label=kpi.kpi_code, help=kpi.name, icon=":material/query_stats:",
                                query_params={"kpi": kpi.kpi_code})

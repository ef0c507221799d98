"""ตัวชี้วัด KPI detail: one KPI's actual by quarter against its five levels with its year-end projection as of the
selected quarter, notes, evidence and version history."""

import streamlit as st

from dashboard import charts, data, evidence_view, filters, i18n, ui
from pipelines import forecast, reports

MAX_LINES = 25

f = filters.require()
ui.header(f, f.t("kpi_title"), with_quarter=False)
choices = i18n.localize(data.read(reports.kpi_choices, f.fiscal_year, f.unit_code), f.lang)
if choices.empty:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()
labels = dict(zip(choices["kpi_code"], choices["kpi_code"] + " · " + choices["kpi_name"], strict=True))
kpi_code = filters.bound_choice("kpi", "kpi", f.t("pick_kpi"), list(labels), next(iter(labels)), labels.get,
                                search=filters.matching(choices, "kpi_code", ("kpi_code", "kpi_name")))
detail = data.read(reports.kpi_detail, f.fiscal_year, f.unit_code, kpi_code)
kpi = detail.definition

st.subheader(labels[kpi_code])
direction = f.t("kind_milestone") if kpi["kind"] == "milestone" else f.t(f"direction_{kpi['direction']}")
st.caption(f.t("kpi_facts", dimension=i18n.dimension_name(kpi["dimension"], f.lang),
               unit=i18n.unit_of_measure_name(kpi["unit"], f.lang) or "–", direction=direction,
               weight=i18n.number_text(kpi["weight"]), pmqa=", ".join(str(c) for c in kpi["pmqa"]) or "–"))
results = i18n.localize(detail.results, f.lang)
owners = list(dict.fromkeys(results["unit_code"]))
if len(owners) > MAX_LINES:
    st.caption(f.t("first_shown", shown=MAX_LINES, total=len(owners)))
if results["actual"].notna().any():
    lines = results[results["unit_code"].isin(owners[:MAX_LINES])]
    projections = data.read(reports.kpi_projection, f.fiscal_year, f.quarter, f.unit_code, kpi_code)
    projections = projections[projections["unit_code"].isin(owners[:MAX_LINES])]
    ui.chart(charts.kpi_actual_bands(lines, kpi, f.lang, f.t("kpi_chart_title"), projections, f.quarter),
             ui.export(results, {"quarter": "quarter", "unit_code": "unit_code", "unit_name": "unit_name",
                                 "actual": "actual", "score": "score", "status_name": "status", "version": "version"},
                       f.lang),
             ui.download_for(f, f"kpi_{kpi_code}", whole_year=True), f.lang, "actuals")
    if f.quarter not in forecast.AS_OF_QUARTERS:
        st.caption(f.t("outlook_q4"))
    elif not projections.empty:
        st.caption(f.t("kpi_projection_caption", period=f.period_label))
        names = dict(zip(results["unit_code"], results["unit_name"], strict=False))
        for row in projections.to_dict("records"):
            st.markdown(f"**{row['unit_code']} · {names[row['unit_code']]}** — {forecast.plain_words(row, f.lang)}")
else:
    ui.empty(f.t("kpi_never_reported", kpi=kpi_code, year=f.fiscal_year))

versions = i18n.localize(detail.versions, f.lang)
versions["submitted_on"] = i18n.date_texts(versions["submitted_at"], f.lang, with_time=True)
versions["latest"] = [f.t("yes") if latest else f.t("no") for latest in versions["is_latest"]]
st.subheader(f.t("notes_title"))
notes = versions[versions["is_latest"] & (versions["note"].notna() | versions["evidence"].notna())]
if notes.empty:
    ui.empty(f.t("no_notes"))
else:
    ui.table(ui.export(notes, {"quarter": "quarter", "unit_name": "unit_name", "note": "note", "evidence": "evidence",
                               "submitted_by": "submitted_by", "submitted_on": "submitted_at"}, f.lang),
             f.lang, key="notes", name=ui.download_for(f, f"notes_{kpi_code}", whole_year=True))
st.subheader(f.t("evidence_title"))
evidence_files = i18n.localize(data.read(reports.kpi_evidence, f.fiscal_year, f.unit_code, kpi_code), f.lang)
if evidence_files.empty:
    ui.empty(f.t("no_evidence"))
else:
    st.caption(f.t("evidence_caption"))
    evidence_view.downloads(evidence_files, f.lang)
st.subheader(f.t("history_title"))
if versions.empty:
    ui.empty(f.t("kpi_never_reported", kpi=kpi_code, year=f.fiscal_year))
else:
    ui.table(ui.export(versions, {"quarter": "quarter", "unit_name": "unit_name", "version": "version",
                                  "latest": "latest", "actual": "actual", "score": "score",
                                  "status_name": "status", "submitted_by": "submitted_by",
                                  "submitted_on": "submitted_at"}, f.lang),
             f.lang, key="history", name=ui.download_for(f, f"history_{kpi_code}", whole_year=True), status_column=True)

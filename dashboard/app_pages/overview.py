"""ภาพรวม Overview: the unit's weighted score and its change, four dimension cards, trend, heat map, worst KPIs,
and the year-end projection with the KPIs at risk by year end."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import auth, charts, data, filters, i18n, report_download, review_view, ui, web_entry_view
from pipelines import calendar, forecast, reports

f = filters.require()
ui.header(f, f.t("overview_title"))
web_entry_view.my_tasks_box(auth.current_user(), f.lang)  # a division head's first page: what is due
review_view.unapproved_marker(f)
view = data.read(reports.overview, f.fiscal_year, f.quarter, f.unit_code)
if not view.has_kpis:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()

previous = calendar.previous_quarter(f.fiscal_year, f.quarter)
has_change = view.score is not None and view.previous_score is not None
left, right = st.columns([1, 2], vertical_alignment="center")
left.metric(
    f.t("overall_score", period=f.period_label), i18n.score_text(view.score),
    delta=f"{view.score - view.previous_score:+.4f}" if has_change else None,
    delta_description=f.t("change_from", period=i18n.period_label(*previous, f.lang)) if has_change else None,
    border=True,
)
right.markdown(ui.status_badge(view.status, f.lang, view.reported_weight_pct))
right.caption(f.t("reported_weight_pct", pct=i18n.pct_text(view.reported_weight_pct)))
if view.previous_score is None:
    right.caption(f.t("no_previous"))
with right:
    ui.provisional_note(view.status, f.lang)
timeliness = data.read(reports.timeliness_counts, f.fiscal_year, f.unit_code, dt.date.today())
counts = timeliness.assign(deadline_text=i18n.date_texts(timeliness["deadline"], f.lang))
quarter = counts.set_index("quarter").loc[f.quarter]
if pd.notna(quarter["deadline"]):  # no deadline, no one is late
    st.markdown(":material/schedule: " + f.t("overview_timeliness", period=f.period_label,
                                              deadline=quarter["deadline_text"], overdue=int(quarter["overdue"]),
                                              late=int(quarter["late"])))
    st.page_link("app_pages/submissions.py", label=f.t("see_submissions"), icon=":material/fact_check:")
if view.score is None:
    ui.empty(f.t("no_submissions_period", unit=f.unit_label, period=f.period_label))
report_download.executive_report(f)

st.subheader(f.t("dimension_cards"))
history = view.trend.sort_values(["fiscal_year", "quarter"])  # each card's line: its scores up to this quarter
periods = zip(history["fiscal_year"], history["quarter"], history["score"], strict=True)
so_far = history[[(year, q) <= (f.fiscal_year, f.quarter) and pd.notna(score) for year, q, score in periods]]
for column, card in zip(st.columns(4), view.dimensions.itertuples(), strict=True):
    with column:
        ui.score_card(
            i18n.dimension_name(card.dimension, f.lang), i18n.score_text(card.score), card.status,
            [f.t("reported_weight_pct", pct=i18n.pct_text(card.reported_weight_pct)),
             f.t("dimension_weight", pct=i18n.pct_text(card.weight_share_pct))],
            f.lang, trend=so_far.loc[so_far["dimension"] == card.dimension, "score"].round(4).tolist(),
        )

trend = i18n.localize(view.trend, f.lang)
trend_title = f.t("trend_title", previous=f.fiscal_year - 1, year=f.fiscal_year)
if trend["score"].notna().any():
    ui.chart(
        charts.dimension_trend(view.trend, f.lang, trend_title),
        ui.export(trend, {"fiscal_year": "fiscal_year", "quarter": "quarter", "dimension_name": "dimension",
                          "score": "score", "reported_weight_pct": "reported_weight", "status_name": "status"},
                  f.lang),
        ui.download_for(f, "dimension_trend", whole_year=True), f.lang, "trend",
    )
else:
    st.subheader(trend_title)
    ui.empty(f.t("no_trend", previous=f.fiscal_year - 1, year=f.fiscal_year))

st.subheader(f.t("heat_title"))
heat = i18n.localize(view.heat, f.lang)
if heat.empty or heat["score"].isna().all():
    ui.empty(f.t("no_heat"))
else:
    own = heat["own_kpis_only"]
    heat.loc[own, "unit_name"] = [f.t("own_kpis", unit=name) for name in heat.loc[own, "unit_name"]]
    st.caption(f.t("heat_caption"))
    ui.chart(
        charts.dimension_heatmap(heat, f.lang, f.t("heat_title")),
        ui.export(heat, {"unit_code": "unit_code", "unit_name": "unit_name", "dimension_name": "dimension",
                         "score": "score", "reported_weight_pct": "reported_weight", "status_name": "status"}, f.lang),
        ui.download_for(f, "unit_dimension_scores"), f.lang, "heat",
    )

st.subheader(f.t("below_title"))
st.caption(f.t("below_caption"))
if view.below_target.empty:
    ui.empty(f.t("none_below_target"))
else:
    below = i18n.localize(view.below_target, f.lang)
    ui.table(
        ui.export(below, {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "score": "score", "status_name": "status",
                          "actual": "actual", "target": "target", "unit": "kpi_unit", "progress_pct": "progress",
                          "unit_name": "unit_name"}, f.lang),
        f.lang, key="below", name=ui.download_for(f, "below_target"), status_column=True,
    )

st.subheader(f.t("outlook_title", period=f.period_label))
outlook = data.read(reports.year_end_outlook, f.fiscal_year, f.quarter, f.unit_code)
if outlook is None:
    ui.empty(f.t("outlook_q4"))
elif outlook.score is None:
    ui.empty(f.t("no_outlook", unit=f.unit_label, period=f.period_label))
else:
    st.caption(f.t("outlook_caption"))
    methods = " · ".join(f.t("method_count", method=forecast.METHOD_NAMES[method][f.lang], count=count)
                         for method, count in zip(outlook.methods["method"], outlook.methods["count"], strict=True))
    st.caption(f.t("outlook_methods", basis=f.fiscal_year - 1, methods=methods))
    projected = pd.concat([
        pd.DataFrame({"scope": [f.unit_label], "score": [outlook.score], "status": [outlook.status],
                      "projected_weight_pct": [outlook.projected_weight_pct]}),
        outlook.dimensions.assign(scope=[i18n.dimension_name(code, f.lang) for code in outlook.dimensions.dimension]),
    ], ignore_index=True)
    projected["status_name"] = [i18n.status_name(code, f.lang) for code in projected["status"]]
    ui.table(ui.export(projected, {"scope": "scope", "score": "projected_score", "status_name": "status",
                                   "projected_weight_pct": "projected_weight"}, f.lang),
             f.lang, key="outlook", name=ui.download_for(f, "year_end_projection"), status_column=True)

    st.subheader(f.t("at_risk_title"))
    st.caption(f.t("at_risk_caption"))
    if outlook.at_risk.empty:
        ui.empty(f.t("none_at_risk"))
    else:
        if outlook.at_risk_count > len(outlook.at_risk):
            st.caption(f.t("at_risk_truncated", shown=len(outlook.at_risk), total=outlook.at_risk_count))
        at_risk = i18n.localize(outlook.at_risk, f.lang)
        at_risk["projection"] = [forecast.plain_words(row, f.lang) for row in outlook.at_risk.to_dict("records")]
        for row in at_risk.itertuples():  # the sentence in full beside each KPI (a table cell would cut it off)
            st.markdown(f"**{row.kpi_code}** {row.kpi_name} · {row.unit_name}  \n{row.projection}")
        columns = {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "status_name": "status", "score": "score",
                   "projected_score": "projected_score", "unit_name": "unit_name",
                   "projected_actual": "projected_actual", "low": "interval_low", "high": "interval_high"}
        ui.table(ui.export(at_risk, columns, f.lang), f.lang, key="at_risk", status_column=True, with_downloads=False)
        ui.downloads(ui.export(at_risk, columns | {"projection": "projection"}, f.lang),
                     ui.download_for(f, "at_risk_by_year_end"), f.lang, "at_risk")

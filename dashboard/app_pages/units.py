"""หน่วยงาน Units: one unit's scorecard (the KPIs it owns, by dimension, with recent quarters) beside its siblings
(the unit at the top of the tree: beside the units below it)."""

import streamlit as st

from dashboard import charts, data, filters, i18n, review_view, ui
from pipelines import reports

f = filters.require()
ui.header(f, f.t("units_title"), scope_key="own_score_caption")
card = data.read(reports.unit_scorecard, f.fiscal_year, f.quarter, f.unit_code)
me = card.peers[card.peers["is_selected"]].iloc[0]
title = f.t("agency_wide") if f.unit["level"] == "agency" else f.t("unit_score", unit=f.unit_label)
st.metric(title, i18n.score_text(me["score"]), border=True)
review_view.unapproved_marker(f, None if f.unit["level"] == "agency" else [f.unit_code])
st.markdown(ui.status_badge(me["status"], f.lang, me["reported_weight_pct"]) + " "
            + f.t("reported_weight_pct", pct=i18n.pct_text(me["reported_weight_pct"])))
ui.provisional_note(me["status"], f.lang)

st.subheader(f.t("scorecard_title"))
results = i18n.localize(card.results, f.lang)
columns = {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "score": "score", "status": "status",
           "trend": "trend_short", "actual": "actual", "target": "target", "unit": "kpi_unit",
           "progress_pct": "progress", "weight": "weight"}
dimension_scores = card.dimensions.set_index("dimension")
if results.empty:
    ui.empty(f.t("no_own_kpis", unit=f.unit_label, year=f.fiscal_year))
for dimension, rows in results.groupby("dimension", sort=False):
    score = dimension_scores["score"].get(dimension)
    status = dimension_scores["status"].get(dimension, "not_reported")
    st.markdown(f"**{i18n.dimension_name(dimension, f.lang)}** · {f.t('score')} {i18n.score_text(score)} "
                + ui.status_badge(status, f.lang, dimension_scores["reported_weight_pct"].get(dimension)))
    ui.scorecard(rows, columns, f.lang, key=f"scorecard_{dimension}")
if not results.empty:
    quarters = ", ".join(i18n.period_label(y, q, f.lang) for y, q in card.trend_labels)
    named = {("status_name" if column == "status" else column): key for column, key in columns.items()}
    exported = ui.export(results, {"dimension_name": "dimension"} | named, f.lang)
    exported[f.t("trend_short")] = exported[f.t("trend_short")].map(
        lambda scores: ", ".join(i18n.score_text(s) for s in scores))
    st.caption(f"{f.t('trend_short')}: {quarters}")
    ui.downloads(exported, ui.download_for(f, "scorecard"), f.lang, "scorecard")

peers_title = f.t("children_title" if f.unit["depth"] == 0 else "peers_title")
st.subheader(peers_title)
peers = i18n.localize(card.peers, f.lang)
if peers["score"].isna().all():
    ui.empty(f.t("no_peer_scores"))
    st.stop()
ui.chart(charts.peer_scores(peers, f.lang, peers_title),
         ui.export(peers, {"code": "unit_code", "unit_name": "unit_name", "score": "score",
                           "reported_weight_pct": "reported_weight", "status_name": "status"}, f.lang),
         ui.download_for(f, "peers"), f.lang, "peers")

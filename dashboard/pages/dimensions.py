"""มิติ BSC Dimensions: one dimension at a time, its KPIs across units, their statuses, each unit's weight on it."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports
from pipelines.domain import DIMENSIONS, STATUSES

MAX_BARS = 50
MAX_UNITS = 40
MAX_LISTED = 20

f = filters.require()
ui.header(f, f.t("dimensions_title"))
dimension = filters.bound_choice(
    "dimension", "dim", f.t("pick_dimension"), list(DIMENSIONS), next(iter(DIMENSIONS)),
    lambda code: i18n.dimension_name(code, f.lang),
)
view = data.read(reports.dimension_view, f.fiscal_year, f.quarter, f.unit_code, dimension)
name = i18n.dimension_name(dimension, f.lang)
if view.results.empty:
    ui.empty(f.t("no_kpis_dimension", unit=f.unit_label, dimension=name))
    st.stop()

st.metric(f.t("dimension_score", dimension=name), i18n.score_text(view.score), border=True)
st.markdown(ui.status_badge(charts.status_of_score(view.score), f.lang) + " " +
            f.t("reported_weight_pct", pct=i18n.pct_text(view.reported_weight_pct)), unsafe_allow_html=True)

results = i18n.localize(view.results, f.lang)
columns = {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "unit_code": "unit_code", "unit_name": "unit_name",
           "actual": "actual", "target": "target", "progress_pct": "progress", "score": "score",
           "status_name": "status", "weight": "weight"}
scored = results[results["score"].notna()]
if scored.empty:
    ui.empty(f.t("no_submissions_period", unit=f.unit_label, period=f.period_label))
else:
    if len(scored) > MAX_BARS:
        st.caption(f.t("bars_truncated", shown=MAX_BARS, total=len(scored)))
    ui.chart(charts.kpi_score_bars(scored.nsmallest(MAX_BARS, "score").sort_index(), f.lang, f.t("kpi_bars_title")),
             ui.export(results, columns, f.lang), f"kpi_scores_{dimension}", f.lang, "bars")
unreported = results[results["score"].isna()]
missing = list(unreported["kpi_code"] + " · " + unreported["unit_code"])
if missing:
    more = f" {f.t('and_more', count=len(missing) - MAX_LISTED)}" if len(missing) > MAX_LISTED else ""
    st.caption(f.t("not_reported_list", codes=", ".join(missing[:MAX_LISTED])) + more)

left, right = st.columns(2)
with left:
    counts = results["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    counts = counts.rename_axis("status").reset_index(name="count")
    counts = i18n.localize(counts, f.lang)
    ui.chart(charts.status_distribution(counts, f.lang, f.t("status_title")),
             ui.export(counts, {"status_name": "status", "count": "count"}, f.lang),
             f"status_counts_{dimension}", f.lang, "statuses")
with right:
    weights = i18n.localize(view.weight_by_unit, f.lang)
    if len(weights) > MAX_UNITS:
        st.caption(f.t("first_shown", shown=MAX_UNITS, total=len(weights)))
    ui.chart(charts.weight_by_unit(weights.head(MAX_UNITS), f.lang, f.t("weight_title"),
                                   charts.DIMENSION_COLOURS[dimension]),
             ui.export(weights, {"unit_code": "unit_code", "unit_name": "unit_name", "weight_share_pct": "weight_pct",
                                 "score": "score"}, f.lang),
             f"unit_weights_{dimension}", f.lang, "weights")

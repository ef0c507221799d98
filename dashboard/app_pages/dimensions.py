"""มิติ BSC Dimensions: one dimension at a time, its KPIs across units, their statuses, each unit's weight on it."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports
from pipelines.domain import DIMENSIONS

f = filters.require()
ui.header(f, f.t("dimensions_title"))
dimension = filters.bound_choice(
    "dimension", "dim", f.t("pick_dimension"), list(DIMENSIONS), next(iter(DIMENSIONS)),
    lambda code: i18n.dimension_name(code, f.lang),
)
view = data.read(reports.dimension_view, f.fiscal_year, f.quarter, f.unit_code, dimension)
name = i18n.dimension_name(dimension, f.lang)
if view.result_count == 0:
    ui.empty(f.t("no_kpis_dimension", unit=f.unit_label, dimension=name))
    st.stop()

st.metric(f.t("dimension_score", dimension=name), i18n.score_text(view.score), border=True)
st.markdown(ui.status_badge(view.status, f.lang, view.reported_weight_pct) + " " +
            f.t("reported_weight_pct", pct=i18n.pct_text(view.reported_weight_pct)))
ui.provisional_note(view.status, f.lang)

columns = {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "unit_code": "unit_code", "unit_name": "unit_name",
           "actual": "actual", "target": "target", "progress_pct": "progress", "score": "score",
           "status_name": "status", "weight": "weight"}


def every_result():
    """The download holds every result of the dimension, read when clicked; the chart draws the lowest."""
    results = data.read(reports.dimension_results, f.fiscal_year, f.quarter, f.unit_code, dimension)
    return ui.export(i18n.localize(results, f.lang), columns, f.lang)


if view.scored_count == 0:
    ui.empty(f.t("no_submissions_period", unit=f.unit_label, period=f.period_label))
else:
    if view.scored_count > len(view.lowest):
        st.caption(f.t("bars_truncated", shown=len(view.lowest), total=view.scored_count))
    ui.chart(charts.kpi_score_bars(i18n.localize(view.lowest, f.lang), f.lang, f.t("kpi_bars_title")),
             every_result, ui.download_for(f, f"kpi_scores_{dimension}"), f.lang, "bars")
missing = list(view.unreported["kpi_code"] + " · " + view.unreported["unit_code"])
if missing:
    unlisted = int(view.status_counts.set_index("status")["count"]["not_reported"]) - len(missing)
    more = f" {f.t('and_more', count=unlisted)}" if unlisted > 0 else ""
    st.caption(f.t("not_reported_list", codes=", ".join(missing)) + more)

left, right = st.columns(2)
with left:
    counts = i18n.localize(view.status_counts, f.lang)
    ui.chart(charts.status_distribution(counts, f.lang, f.t("status_title")),
             ui.export(counts, {"status_name": "status", "count": "count"}, f.lang),
             ui.download_for(f, f"status_counts_{dimension}"), f.lang, "statuses")


def every_weight():
    """The download holds every unit's weight on the dimension, read when clicked; the chart draws the first."""
    weights = data.read(reports.dimension_weights, f.fiscal_year, f.quarter, f.unit_code, dimension)
    return ui.export(i18n.localize(weights, f.lang), {"unit_code": "unit_code", "unit_name": "unit_name",
                                                      "weight_share_pct": "weight_pct", "score": "score"}, f.lang)


with right:
    weights = i18n.localize(view.weight_by_unit, f.lang)
    if view.unit_count > len(weights):
        st.caption(f.t("first_shown", shown=len(weights), total=view.unit_count))
    ui.chart(charts.weight_by_unit(weights, f.lang, f.t("weight_title"), charts.DIMENSION_COLOURS[dimension]),
             every_weight, ui.download_for(f, f"unit_weights_{dimension}"), f.lang, "weights")

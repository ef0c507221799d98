"""ความสอดคล้องกับแผน Alignment: how much of the KPI weight serves each national-strategy and master-plan item (KPI ->
key result -> objective -> plan item -> the items above it), and the KPIs that serve no objective."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import strategy_pages

CHARTED_LEVELS = ("national_strategy", "master_plan")

f = filters.require()
ui.header(f, f.t("alignment_title"), with_quarter=False)
st.caption(f.t("alignment_caption"))
view = data.read(strategy_pages.alignment_view, f.fiscal_year, f.unit_code)
if view.kpi_count == 0:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()

left, middle, right = st.columns(3)
left.metric(f.t("alignment_kpis"), f"{view.kpi_count:,}", border=True)
middle.metric(f.t("alignment_objective_share"), i18n.pct_text(view.objective_share_pct), border=True)
right.metric(f.t("alignment_plan_share"), i18n.pct_text(view.plan_share_pct), border=True)

items = view.plan_items.copy()
if items.empty:
    ui.empty(f.t("no_plan_items", year=f.fiscal_year))
else:
    items["name"] = [i18n.unit_name(th, en, f.lang) for th, en in zip(items["name_th"], items["name_en"], strict=True)]
    items["level_name"] = [i18n.plan_level_name(level, f.lang) for level in items["level"]]
    columns = {"plan_code": "plan_code", "name": "plan_name", "level_name": "plan_level", "parent_code": "plan_parent",
               "kpi_count": "kpi_count", "weight": "weight", "weight_share_pct": "weight_share"}
    charted = items[items["level"].isin(CHARTED_LEVELS)]
    if not charted.empty:
        ui.chart(charts.alignment_bars(charted, f.lang, f.t("alignment_bars_title")),
                 ui.export(charted, columns, f.lang), ui.download_for(f, "alignment_national", whole_year=True),
                 f.lang, "alignment_bars")
    st.subheader(f.t("alignment_table_title"))
    ui.table(ui.export(items, columns, f.lang), f.lang, key="alignment_items",
             name=ui.download_for(f, "alignment_plan_items", whole_year=True))

st.subheader(f.t("unserved_title"))
unserved_columns = {"kpi_code": "kpi_code", "kpi_name": "kpi_name", "dimension_name": "dimension",
                    "unit_code": "unit_code", "unit_name": "unit_name", "weight": "weight"}


def every_unserved():
    """The download holds every KPI serving no objective, read when clicked; the table lists the first."""
    rows = data.read(strategy_pages.alignment_unserved, f.fiscal_year, f.unit_code)
    return ui.export(i18n.localize(rows, f.lang), unserved_columns, f.lang)


if view.unserved_count == 0:
    st.success(f.t("unserved_none"), icon=":material/check_circle:")
else:
    share = 100 - view.objective_share_pct
    st.warning(f.t("unserved_summary", count=view.unserved_count, pct=i18n.pct_text(share)),
               icon=":material/warning:")
    if view.unserved_count > len(view.unserved):
        st.caption(f.t("first_shown", shown=len(view.unserved), total=view.unserved_count))
    ui.table(ui.export(i18n.localize(view.unserved, f.lang), unserved_columns, f.lang), f.lang, key="unserved",
             with_downloads=False)
    ui.downloads(every_unserved, ui.download_for(f, "kpis_serving_no_objective", whole_year=True), f.lang,
                 "unserved")

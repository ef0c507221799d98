"""PMQA ความครอบคลุม Coverage: how the KPIs cover the seven PMQA categories, the 3:1:3 groups, and the gaps; then
the 3:1:3 stages each objective of the strategy draws on."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports, strategy_pages
from pipelines.domain import PMQA_CATEGORIES

f = filters.require()
ui.header(f, f.t("pmqa_title"))
st.caption(f.t("pmqa_caption"))
view = data.read(reports.pmqa_view, f.fiscal_year, f.quarter, f.unit_code)
if not view.kpi_total:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()

categories = i18n.localize(view.categories, f.lang)
categories["category_name"] = [i18n.pmqa_name(c, f.lang) for c in categories["category"]]
categories["group_name"] = [i18n.pmqa_group_name(g, f.lang) for g in categories["pmqa_group"]]
columns = {"category": "category", "category_name": "category_name", "group_name": "group", "kpi_count": "kpi_count",
           "weight_share_pct": "weight_share", "reported_count": "reported_count", "reported_pct": "reported_share",
           "score": "score"}
exported = ui.export(categories, columns, f.lang)
left, right = st.columns(2)
with left:
    ui.chart(charts.pmqa_bars(categories, f.lang, f.t("pmqa_bars_title")), exported,
             ui.download_for(f, "pmqa_coverage"), f.lang, "bars")
with right:
    if categories["score"].notna().any():
        ui.chart(charts.pmqa_radar(categories, f.lang, f.t("pmqa_radar_title")), exported,
                 ui.download_for(f, "pmqa_scores"), f.lang, "radar")
    else:
        ui.empty(f.t("no_pmqa_scores"))

st.subheader(f.t("gaps_title"))
gaps = reports.pmqa_gaps(view.categories)
for gap in gaps:
    key = "gap_none" if gap["gap"] == "no_kpi" else "gap_small"
    st.warning(f.t(key, category=gap["category"], name=i18n.pmqa_name(gap["category"], f.lang),
                   pct=i18n.pct_text(gap["weight_share_pct"])), icon=":material/warning:")
if not gaps:
    st.success(f.t("no_gaps"))

st.subheader(f.t("groups_title"))
groups = i18n.localize(view.groups, f.lang)
groups["group_name"] = [i18n.pmqa_group_name(g, f.lang) for g in groups["pmqa_group"]]
ui.table(ui.export(groups, {"group_name": "group", "kpi_count": "kpi_count", "weight_share_pct": "weight_share",
                            "reported_pct": "reported_share", "score": "score"}, f.lang),
         f.lang, key="groups", name=ui.download_for(f, "pmqa_groups"))

st.subheader(f.t("matrix_title"))


def ticked(rows):
    """The matrix as a reader sees it: a tick where the KPI serves the category."""
    shown = ui.export(i18n.localize(rows, f.lang), {"kpi_code": "kpi_code", "kpi_name": "kpi_name",
                                                    "dimension_name": "dimension"}, f.lang)
    return shown.assign(**{str(c): rows[f"c{c}"].map({True: "✓", False: ""}).values for c in PMQA_CATEGORIES})


if view.kpi_total > len(view.matrix):
    st.caption(f.t("first_shown", shown=len(view.matrix), total=f"{view.kpi_total:,}"))
ui.table(ticked(view.matrix), f.lang, key="matrix", with_downloads=False)
ui.downloads(lambda: ticked(data.read(reports.pmqa_matrix, f.fiscal_year, f.unit_code)),
             ui.download_for(f, "kpi_pmqa_matrix"), f.lang, "matrix")

st.subheader(f.t("stages_title"))
st.caption(f.t("stages_caption"))
stages = data.read(strategy_pages.objective_stages, f.fiscal_year)
if stages.empty:
    ui.empty(f.t("no_strategy", year=f.fiscal_year))
    st.stop()
stages = i18n.localize(stages, f.lang)
stages["objective_name"] = [i18n.unit_name(th, en, f.lang) for th, en in
                            zip(stages["name_th"], stages["name_en"], strict=True)]
for stage in strategy_pages.STAGES:
    stages[stage] = [", ".join(str(category) for category in categories) or None for categories in stages[stage]]
stage_columns = {"objective_code": "col_objective_code", "objective_name": "objective_name",
                 "dimension_name": "dimension", "think": "stage_think", "prepare": "stage_prepare", "do": "stage_do"}
ui.table(ui.export(stages, stage_columns, f.lang), f.lang, key="stages",
         name=ui.download_for(f, "objective_pmqa_stages", whole_year=True))
only_do = stages[stages["only_do"]]
for row in only_do.itertuples():
    st.warning(f.t("only_do", code=row.objective_code, name=row.objective_name, categories=row.do),
               icon=":material/warning:")
if only_do.empty:
    st.success(f.t("no_only_do"))

"""แผนที่ยุทธศาสตร์ Strategy map: the year's objectives in the four BSC layers, bottom up, each in its status colour,
cause-and-effect arrows between them, the plan items they serve above; a click on an objective (or the picker)
opens it on the OKR page (issue 13)."""

import streamlit as st

from dashboard import charts, data, filters, i18n, okr_frames, ui
from pipelines import okr_reports

f = filters.require()
st.title(f.t("map_title"))
st.caption(f.t("map_caption", period=f.period_label))
strategy = data.read(okr_reports.strategy_map, f.fiscal_year, f.quarter)
if strategy.objectives.empty:
    ui.empty(f.t("no_strategy", year=f.fiscal_year))
    st.stop()
objectives = okr_frames.named(strategy.objectives, f.lang)
plans = strategy.plan_items.assign(
    name=[i18n.unit_name(th, en, f.lang) for th, en in zip(strategy.plan_items["name_th"],
                                                           strategy.plan_items["name_en"], strict=True)])
st.markdown(" ".join(ui.status_badge(status, f.lang) for status in dict.fromkeys(objectives["status"])))

figure = charts.strategy_map(objectives, strategy.links, plans, f.lang, f.t("map_figure_title"))
clicked = st.plotly_chart(figure, key="strategy_map", on_select="rerun", selection_mode="points",
                          config={"displaylogo": False, "displayModeBar": False})
points = clicked.selection.points if clicked else []
if points and points[0].get("point_index") is not None:
    st.switch_page("app_pages/okr.py",
                   query_params={"objective": objectives["objective_code"].iloc[points[0]["point_index"]]})

leads_to = strategy.links.groupby("from_objective")["to_objective"].agg(", ".join)
objectives["leads_to"] = objectives["objective_code"].map(leads_to).fillna("–")
objectives["dimension_name"] = [i18n.dimension_name(code, f.lang) for code in objectives["dimension"]]
ui.downloads(ui.export(objectives, {"objective_code": "kpi_code", "name": "okr_objective",
                                    "dimension_name": "dimension", "plan_code": "okr_plan",
                                    "status_name": "status", "progress_pct": "progress", "score": "score",
                                    "leads_to": "map_leads_to"}, f.lang),
             ui.download_for(f, "strategy_map"), f.lang, "strategy_map_data")

names = dict(zip(objectives["objective_code"], objectives["name"], strict=True))
picked = st.selectbox(f.t("map_pick_objective"), list(names), key="map_objective",
                      format_func=lambda code: f"{code} · {names[code]}")
st.page_link("app_pages/okr.py", label=f.t("map_open_objective", code=picked), icon=":material/flag:",
             query_params={"objective": picked})

"""ผลผลิตขั้นสุดท้าย End Products: each End Product's contributing units side by side (their part, score and status),
which unit holds it back, and the hand-offs between units as a flow (pipelines.strategy_pages)."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import strategy_pages

UNITS_PER_ROW = 4

f = filters.require()
ui.header(f, f.t("end_products_title"))
st.caption(f.t("end_products_caption"))
view = data.read(strategy_pages.end_products_view, f.fiscal_year, f.quarter, f.unit_code)
if view.end_products.empty:
    ui.empty(f.t("no_end_products", unit=f.unit_label, year=f.fiscal_year))
    st.stop()

units = i18n.localize(view.units, f.lang)
units["key_result_text"] = [", ".join(codes) for codes in units["key_results"]]
handoffs = view.handoffs.copy()
handoffs["from_name"] = [i18n.unit_name(th, en, f.lang) for th, en in
                         zip(handoffs["from_name_th"], handoffs["from_name_en"], strict=True)]
handoffs["to_name"] = [i18n.unit_name(th, en, f.lang) for th, en in
                       zip(handoffs["to_name_th"], handoffs["to_name_en"], strict=True)]
handoffs["from_status_name"] = [i18n.status_name(status, f.lang) for status in handoffs["from_status"]]
handoff_columns = {"from_unit": "handoff_from", "from_name": "handoff_from_name", "what": "handoff_what",
                   "to_unit": "handoff_to", "to_name": "handoff_to_name", "from_status_name": "handoff_from_status"}


def unit_card(part) -> None:
    lines = [part.part or f.t("no_part"),
             f.t("part_key_results", codes=part.key_result_text) if part.key_result_count else f.t("no_key_result"),
             f.t("reported_weight_pct", pct=i18n.pct_text(part.reported_weight_pct))]
    ui.score_card(f"{part.unit_code} · {part.unit_name}", i18n.score_text(part.score), part.status, lines, f.lang)


def held_back_note(parts) -> None:
    held = strategy_pages.holding_back(parts)
    names = dict(zip(parts["unit_code"], parts["unit_name"], strict=True))
    if held.unit_code is not None:
        st.error(f.t("held_back_by", unit=held.unit_code, name=names[held.unit_code],
                     score=i18n.score_text(held.score), status=i18n.status_name(held.status, f.lang)),
                 icon=":material/block:")
    elif parts["score"].notna().any():
        st.success(f.t("held_back_none"), icon=":material/check_circle:")
    if held.unscored:
        st.info(f.t("parts_unscored", units=", ".join(f"{code} {names[code]}" for code in held.unscored)),
                icon=":material/hourglass_empty:")


def flow(rows, key: str, note: str) -> None:
    if rows.empty:
        st.caption(f.t("no_handoffs"))
        return
    ui.chart(charts.handoff_sankey(rows, f.lang, f.t("handoffs_title")), ui.export(rows, handoff_columns, f.lang),
             ui.download_for(f, f"handoffs_{key}"), f.lang, f"sankey_{key}")
    st.caption(f.t(note))


for product in view.end_products.itertuples():
    code = product.end_product_code
    st.subheader(f.t("end_product_heading", code=code, name=i18n.unit_name(product.name_th, product.name_en, f.lang)))
    objective = i18n.unit_name(product.objective_name_th, product.objective_name_en, f.lang)
    st.markdown(f.t("end_product_summary", objective=product.objective_code, objective_name=objective,
                    score=i18n.score_text(product.score)) + " " + ui.status_badge(product.status, f.lang,
                                                                                  product.reported_weight_pct))
    parts = units[units["end_product_code"] == code]
    held_back_note(parts)
    for start in range(0, len(parts), UNITS_PER_ROW):
        for column, part in zip(st.columns(UNITS_PER_ROW), list(parts.iloc[start:start + UNITS_PER_ROW].itertuples()),
                                strict=False):
            with column:
                unit_card(part)
    flow(handoffs[handoffs["end_product_code"] == code], code, "handoffs_colour_note")

outside = handoffs[handoffs["end_product_code"].isna()]
if not outside.empty:
    st.subheader(f.t("handoffs_outside_title"))
    flow(outside, "outside", "handoffs_outside_colour_note")

st.subheader(f.t("parts_table_title"))
ui.table(ui.export(units, {"end_product_code": "col_end_product_code", "unit_code": "unit_code",
                           "unit_name": "unit_name", "part": "part", "key_result_text": "col_key_results",
                           "score": "score", "status_name": "status", "reported_weight_pct": "reported_share"},
                   f.lang),
         f.lang, key="parts", name=ui.download_for(f, "end_product_parts"))

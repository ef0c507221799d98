"""สถานะการส่งข้อมูล Submission status: unit x quarter of the fiscal year, and the counts per quarter."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports

MATRIX_UNITS = 60

f = filters.require()
ui.header(f, f.t("submissions_title", year=f.fiscal_year), with_quarter=False)
matrix = i18n.localize(data.read(reports.submission_matrix, f.fiscal_year, f.unit_code), f.lang)
if matrix.empty:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()
if (matrix["state"] == reports.NOT_SUBMITTED).all():
    ui.empty(f.t("no_submissions_year", year=f.fiscal_year))

matrix["state_name"] = matrix["state"].map({state: f.t(f"state_{state}") for state in reports.STATES})
matrix["submitted_on"] = i18n.date_texts(matrix["submitted_at"], f.lang)
shown = reports.units_needing_attention(matrix, f.quarter, MATRIX_UNITS)
total = matrix["unit_code"].nunique()
if len(shown) < total:
    st.caption(f.t("matrix_truncated", shown=len(shown), total=total, period=f.period_label))
cells = matrix.set_index("unit_code").loc[shown].reset_index()
cells["cell_text"] = [
    f.t("cell_submitted", version=int(row.version), date=row.submitted_on) if row.state == reports.SUBMITTED
    else f.t("cell_partial", version=int(row.version), missing=row.missing_count) if row.state == reports.PARTIAL
    else "–"
    for row in cells.itertuples()
]
ui.chart(charts.submission_matrix(cells, f.lang, f.t("matrix_caption")),
         ui.export(matrix, {"unit_code": "unit_code", "unit_name": "unit_name", "quarter": "quarter",
                            "state_name": "state", "version": "version", "submitted_on": "submitted_at",
                            "kpi_count": "kpis_owned", "missing_count": "missing"}, f.lang),
         f"submissions_{f.fiscal_year}", f.lang, "matrix")
counts = reports.submission_counts(matrix)
headers = {state: f.t(f"state_{state}") for state in reports.STATES} | {"quarter": f.t("quarter")}
ui.chart(charts.submission_counts(counts, f.lang, f.t("counts_title")), counts.rename(columns=headers),
         f"submission_counts_{f.fiscal_year}", f.lang, "counts")

"""สถานะการส่งข้อมูล Submission status: unit x quarter of the fiscal year, and the counts per quarter."""

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports

f = filters.require()
ui.header(f, f.t("submissions_title", year=f.fiscal_year), with_quarter=False)
status = data.read(reports.submission_status, f.fiscal_year, f.quarter, f.unit_code)
if status.unit_count == 0:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()
if status.counts[[reports.SUBMITTED, reports.PARTIAL]].to_numpy().sum() == 0:
    ui.empty(f.t("no_submissions_year", year=f.fiscal_year))

columns = {"unit_code": "unit_code", "unit_name": "unit_name", "quarter": "quarter", "state_name": "state",
           "version": "version", "submitted_on": "submitted_at", "kpi_count": "kpis_owned", "missing_count": "missing"}


def readable(cells):
    cells = i18n.localize(cells, f.lang)
    cells["state_name"] = cells["state"].map({state: f.t(f"state_{state}") for state in reports.STATES})
    cells["submitted_on"] = i18n.date_texts(cells["submitted_at"], f.lang)
    return cells


def every_cell():
    """The download holds every unit, read when clicked; the chart draws at most SUBMISSION_UNITS."""
    return ui.export(readable(data.read(reports.submission_matrix, f.fiscal_year, f.unit_code)), columns, f.lang)


cells = readable(status.shown)
shown = cells["unit_code"].nunique()
if shown < status.unit_count:
    st.caption(f.t("matrix_truncated", shown=shown, total=status.unit_count, period=f.period_label))
cells["cell_text"] = [
    f.t("cell_submitted", version=int(row.version), date=row.submitted_on) if row.state == reports.SUBMITTED
    else f.t("cell_partial", version=int(row.version), missing=row.missing_count) if row.state == reports.PARTIAL
    else "–"
    for row in cells.itertuples()
]
ui.chart(charts.submission_matrix(cells, f.lang, f.t("matrix_caption")), every_cell,
         ui.download_for(f, "submissions", whole_year=True), f.lang, "matrix")
headers = {state: f.t(f"state_{state}") for state in reports.STATES} | {"quarter": f.t("quarter")}
ui.chart(charts.submission_counts(status.counts, f.lang, f.t("counts_title")), status.counts.rename(columns=headers),
         ui.download_for(f, "submission_counts", whole_year=True), f.lang, "counts")

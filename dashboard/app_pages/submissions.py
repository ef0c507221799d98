"""สถานะการส่งข้อมูล Submission status: unit x quarter of the fiscal year, the counts per quarter, and who is on
time, late or overdue against the deadlines the administrator set."""

import datetime as dt

import streamlit as st

from dashboard import charts, data, filters, i18n, ui
from pipelines import reports
from pipelines.periods import TIMELINESS

f = filters.require()
ui.header(f, f.t("submissions_title", year=f.fiscal_year), with_quarter=False)
status = data.read(reports.submission_status, f.fiscal_year, f.quarter, f.unit_code)
if status.unit_count == 0:
    ui.empty(f.t("no_kpis_unit", unit=f.unit_label, year=f.fiscal_year))
    st.stop()
if status.counts[[reports.SUBMITTED, reports.PARTIAL]].to_numpy().sum() == 0:
    ui.empty(f.t("no_submissions_year", year=f.fiscal_year))

for column, quarter in zip(st.columns(4), status.reported.itertuples(), strict=True):
    column.markdown(f"**{f.t('quarter_option', quarter=quarter.quarter)}** "
                    + ui.status_badge(quarter.status, f.lang, quarter.reported_weight_pct) + "  \n"
                    + f.t("reported_weight_pct", pct=i18n.pct_text(quarter.reported_weight_pct)))

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


timeliness = data.read(reports.submission_timeliness, f.fiscal_year, f.unit_code, dt.date.today())
days_late = timeliness.units.set_index(["unit_code", "quarter"])[["timeliness", "days_late"]]


def late_text(unit_code: str, quarter: int) -> str:
    """'<br>ล่าช้า 3 วัน' under a late or overdue cell, nothing under the others."""
    if (unit_code, quarter) not in days_late.index:
        return ""
    judged = days_late.loc[(unit_code, quarter)]
    if judged["timeliness"] not in ("late", "overdue"):
        return ""
    return "<br>" + f.t(f"cell_{judged['timeliness']}", days=int(judged["days_late"]))


cells = readable(status.shown)
shown = cells["unit_code"].nunique()
if shown < status.unit_count:
    st.caption(f.t("matrix_truncated", shown=shown, total=status.unit_count, period=f.period_label))
cells["cell_text"] = [
    (f.t("cell_submitted", version=int(row.version), date=row.submitted_on) if row.state == reports.SUBMITTED
     else f.t("cell_partial", version=int(row.version), missing=row.missing_count) if row.state == reports.PARTIAL
     else "–") + late_text(row.unit_code, row.quarter)
    for row in cells.itertuples()
]
ui.chart(charts.submission_matrix(cells, f.lang, f.t("matrix_caption")), every_cell,
         ui.download_for(f, "submissions", whole_year=True), f.lang, "matrix")
headers = {state: f.t(f"state_{state}") for state in reports.STATES} | {"quarter": f.t("quarter")}
ui.chart(charts.submission_counts(status.counts, f.lang, f.t("counts_title")), status.counts.rename(columns=headers),
         ui.download_for(f, "submission_counts", whole_year=True), f.lang, "counts")

st.subheader(f.t("timeliness_title"))
counts = timeliness.counts
if counts["deadline"].isna().all():
    ui.empty(f.t("no_deadlines", year=f.fiscal_year))
    st.stop()
deadlines = i18n.date_texts(counts["deadline"], f.lang).where(counts["deadline"].notna(), f.t("no_deadline"))
st.caption(f.t("deadlines_caption", deadlines=" · ".join(
    f"{f.t('quarter_option', quarter=q)} {d}" for q, d in zip(counts["quarter"], deadlines, strict=True))))
timeliness_headers = {code: i18n.timeliness_name(code, f.lang) for code in TIMELINESS}
ui.chart(charts.timeliness_counts(counts, f.lang, f.t("timeliness_counts_title")),
         counts.assign(deadline=deadlines).rename(columns=timeliness_headers | {
             "quarter": f.t("quarter"), "deadline": f.t("deadline")}),
         ui.download_for(f, "submission_timeliness", whole_year=True), f.lang, "timeliness")

st.subheader(f.t("late_title"))
late = timeliness.units[timeliness.units["timeliness"].isin(["late", "overdue"])]
if late.empty:
    ui.empty(f.t("none_late"))
    st.stop()
late = i18n.localize(late, f.lang).assign(
    timeliness_name=lambda frame: frame["timeliness"].map(timeliness_headers),
    deadline_on=lambda frame: i18n.date_texts(frame["deadline"], f.lang),
    first_submitted_on=lambda frame: i18n.date_texts(frame["first_submitted_at"], f.lang),
    days_late=lambda frame: frame["days_late"].astype("int64"),
)
ui.coloured_table(
    ui.export(late, {"unit_code": "unit_code", "unit_name": "unit_name", "quarter": "quarter",
                     "deadline_on": "deadline", "first_submitted_on": "first_submitted",
                     "timeliness_name": "timeliness", "days_late": "days_late"}, f.lang),
    f.lang, "late", ui.download_for(f, "late_units", whole_year=True), f.t("timeliness"),
    {timeliness_headers[code]: TIMELINESS[code][2] for code in ("late", "overdue")},
)

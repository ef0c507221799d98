"""Drawing for review and approval (pipelines.approval): the review page's queue, diff and decision form, the marker
of unapproved figures on the scored pages, the returned version's reasons on the upload page and the fiscal year's
approval setting on the periods page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, i18n, ui
from dashboard.auth import connection
from dashboard.i18n import date_text, problem_text, t
from pipelines import approval, reports

DECISION_MESSAGE = "review_message"


def unapproved_marker(f, units: list[str] | None = None) -> None:
    """Where versions of the quarter wait for review in the selected subtree (or among `units`): with the sidebar's
    switch on, a badge saying the figures include them; off, a note that they are left out."""
    waiting = data.read(reports.waiting_for_review, f.fiscal_year, f.quarter, f.unit_code)
    waiting = [code for code in waiting if units is None or code in units]
    if not waiting:
        return
    names = ", ".join(waiting[:10]) + (" …" if len(waiting) > 10 else "")
    if data.include_submitted():
        st.markdown(f":orange-badge[:material/pending: {t('unapproved_badge', f.lang)}] "
                    + t("unapproved_included", f.lang, count=len(waiting), units=names))
    else:
        st.caption(":material/pending: " + t("unapproved_left_out", f.lang, count=len(waiting), units=names))


def approval_notice(unit_code: str, fiscal_year: int, quarter: int, lang: str) -> None:
    """On the upload page, for the chosen unit quarter: that its latest version waits for review, or the reviewer's
    reasons when it was returned."""
    with connection(read_only=True) as con:
        latest = approval.latest_state(con, unit_code, fiscal_year, quarter)
        notice = approval.return_notice(con, unit_code, fiscal_year, quarter)
    if latest is not None and latest[1] == "submitted":
        st.info(":material/pending: " + t("waiting_notice", lang, version=latest[0]))
    if notice is None:
        return
    lines = [f"- **{code}** {i18n.kpi_name(name_th, name_en, lang)}: {reason}"
             for code, name_th, name_en, reason in notice.reasons]
    st.error(t("returned_notice", lang, version=notice.version, by=notice.returned_by,
               at=date_text(notice.returned_at, lang)) + "\n\n" + "\n".join(lines))


def approval_setting_form(settings: pd.DataFrame, year: int, lang: str, save) -> None:
    """On the periods page: whether the fiscal year's submissions need approval; `save(required)` stores it."""
    row = settings.loc[settings["fiscal_year"] == year]
    required = bool(row["approval_required"].iloc[0]) if not row.empty else False
    with st.form("approval_setting"):
        st.markdown(f"**{t('approval_setting_title', lang, year=year)}**")
        if not row.empty and pd.notna(row["updated_by"].iloc[0]):
            st.caption(t("approval_setting_by", lang, by=row["updated_by"].iloc[0],
                         at=date_text(row["updated_at"].iloc[0], lang)))
        wanted = st.checkbox(t("approval_required", lang), value=required, key=f"approval_required_{year}",
                             help=t("approval_required_help", lang))
        if st.form_submit_button(t("approval_save", lang), type="primary"):
            save(wanted)


def queue_table(queue: pd.DataFrame, lang: str) -> None:
    queue = ui.first_rows(queue, lang)  # a ministry's quarter end: the first rows; the picker below searches all
    shown = queue.assign(
        unit_name=[i18n.unit_name(th, en, lang) for th, en in zip(queue["name_th"], queue["name_en"], strict=True)],
        period=[i18n.period_label(y, q, lang) for y, q in zip(queue["fiscal_year"], queue["quarter"], strict=True)],
        deadline=queue["deadline"].map(lambda d: date_text(d, lang) if pd.notna(d) else "–"),
        submitted_at=i18n.date_texts(queue["submitted_at"], lang, with_time=True),
    )
    columns = {"unit_code": "col_code", "unit_name": "col_unit_name", "period": "col_period", "version": "col_version",
               "deadline": "col_deadline", "submitted_by": "col_submitted_by", "submitted_at": "col_submitted_at"}
    st.dataframe(shown[list(columns)], hide_index=True, key="review_queue",
                 column_config={name: t(key, lang) for name, key in columns.items()})


def queue_label(row: pd.Series, lang: str) -> str:
    return t("review_item", lang, unit=row["unit_code"], period=i18n.period_label(row["fiscal_year"], row["quarter"],
                                                                                  lang), version=row["version"])


def diff_table(diff: pd.DataFrame, lang: str) -> None:
    """Per KPI: the counted (approved) figure beside the submitted one, the note and the evidence link."""
    shown = diff.assign(
        kpi_name=[i18n.kpi_name(th, en, lang) for th, en in zip(diff["name_th"], diff["name_en"], strict=True)],
        old_actual=diff["old_actual"].map(i18n.number_text), new_actual=diff["new_actual"].map(i18n.number_text),
        old_score=diff["old_score"].map(i18n.score_text), new_score=diff["new_score"].map(i18n.score_text),
        changed=[_changed(old, new) for old, new in zip(diff["old_actual"], diff["new_actual"], strict=True)],
        note=diff["note"].fillna(""), evidence=diff["evidence"].fillna(""),
    )
    columns = {"kpi_code": "col_review_kpi_code", "kpi_name": "col_review_kpi_name",
               "old_actual": "col_review_old_actual", "new_actual": "col_review_new_actual",
               "old_score": "col_review_old_score",
               "new_score": "col_review_new_score", "changed": "col_review_changed", "note": "col_review_note",
               "evidence": "col_review_evidence"}
    st.dataframe(shown[list(columns)], hide_index=True, key="review_diff",
                 column_config={name: t(key, lang) for name, key in columns.items()})


def _changed(old: object, new: object) -> str:
    if pd.isna(old) and pd.isna(new):
        return ""
    return "" if (pd.notna(old) and pd.notna(new) and float(old) == float(new)) else "●"


def decision_form(diff: pd.DataFrame, submission_id: int, lang: str) -> tuple[str, dict[str, str]] | None:
    """Approve, or return with a reason per KPI (a KPI left empty is not returned), in one form. ('approve', {}) or
    ('return', reasons) when a button was pressed, else None."""
    with st.form(f"decide_{submission_id}"):
        st.markdown(f"**{t('review_decision', lang)}**")
        st.caption(t("review_reasons_help", lang))
        reasons = {}
        for code, th, en in zip(diff["kpi_code"], diff["name_th"], diff["name_en"], strict=True):
            reasons[code] = st.text_input(f"{code} · {i18n.kpi_name(th, en, lang)}",
                                          key=f"reason_{submission_id}_{code}", max_chars=approval.MAX_REASON_LENGTH)
        approve, send_back = st.columns(2)
        if approve.form_submit_button(t("review_approve", lang), type="primary"):
            return "approve", {}
        if send_back.form_submit_button(t("review_return", lang)):
            return "return", {code: text for code, text in reasons.items() if text.strip()}
    return None


def decision_result(decision: approval.Decision, lang: str) -> None:
    """A refusal's problems now; a stored decision's message on the rerun."""
    for problem in decision.problems:
        st.error(problem_text(problem, lang))



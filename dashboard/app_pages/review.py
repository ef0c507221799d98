"""ตรวจสอบและอนุมัติผล: the planning division's queue of versions waiting for review, the earliest deadline first;
for the chosen one the change against the approved figures KPI by KPI, notes and evidence links, and approve or
return with a reason per KPI in one form. Decided and audited by pipelines.approval; drawn by dashboard.review_view."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, review_view
from dashboard.auth import connection, require_page, warn_unpublished
from dashboard.i18n import t, ui_lang
from pipelines import approval, db

user = require_page("review")
lang = ui_lang()
st.title(t("page_review", lang))
st.caption(t("review_intro", lang))

message = st.session_state.pop(review_view.DECISION_MESSAGE, None)
if message:
    st.success(message[0])
    warn_unpublished(message[1])

with connection(read_only=True) as con:
    queue = approval.review_queue(con)
if queue.empty:
    st.info(t("review_queue_empty", lang))
    st.stop()

st.subheader(t("review_queue_title", lang, count=len(queue)))
review_view.queue_table(queue, lang)

ids = list(queue["submission_id"])
rows = queue.set_index("submission_id")
shortlist = filters.shortlist("review_choice", t("review_choose", lang), ids, [st.session_state.get("review_choice")],
                              filters.matching(queue, "submission_id", ("unit_code", "name_th", "name_en")))
chosen = st.selectbox(t("review_choose", lang), shortlist, key="review_choice",
                      format_func=lambda sid: review_view.queue_label(rows.loc[sid], lang))
row = rows.loc[chosen]
with connection(read_only=True) as con:
    diff = approval.review_diff(con, int(chosen))

st.subheader(review_view.queue_label(row, lang))
st.caption(t("review_diff_caption", lang, file=row["file_name"], by=row["submitted_by"] or "-"))
review_view.diff_table(diff, lang)

asked = review_view.decision_form(diff, int(chosen), lang)
if asked is not None:
    action, reasons = asked
    if action == "approve":
        decision = approval.approve_submission(db.resolve_db_path(), int(chosen), user=user)
    else:
        decision = approval.return_submission(db.resolve_db_path(), int(chosen), reasons, user=user)
    if not decision.stored:
        review_view.decision_result(decision, lang)
    else:
        label = review_view.queue_label(row, lang)
        text = t("review_approved" if action == "approve" else "review_returned", lang, item=label,
                 count=len(reasons))
        st.session_state[review_view.DECISION_MESSAGE] = (text, decision.snapshot_error)
        st.rerun()

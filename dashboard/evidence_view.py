"""Evidence files on the pages: the upload page's uploader for the latest version of a unit's quarter, and the
download buttons of the KPI page. Checked and stored by pipelines.evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.auth import connection, warn_unpublished
from dashboard.i18n import t
from pipelines import db, evidence
from pipelines.auth import User

MAX_BUTTONS = 25
"""Download buttons drawn at most (the table lists every file)."""
GENERATION = "evidence_generation"
"""Bumped after each attach: the uploader gets a new key, so it is empty again."""


def size_text(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{max(size / 1024, 0.1):,.1f} KB"


def _shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(
        media_type=[evidence.media_type_name(media, lang) for media in frame["media_type"]],
        size=[size_text(size) for size in frame["size_bytes"]],
        uploaded_at=i18n.date_texts(frame["uploaded_at"], lang, with_time=True),
        uploaded_by=frame["uploaded_by"].fillna(""),
    )


def section(unit_code: str, fiscal_year: int, quarter: int, period_text: str, user: User, lang: str,
            is_closed: bool) -> None:
    """The evidence of the unit quarter's latest version, and (the quarter open) the uploader to add more."""
    with connection(read_only=True) as con:
        version, kpis = evidence.evidence_targets(con, unit_code, fiscal_year, quarter)
        stored = evidence.evidence_of_period(con, unit_code, fiscal_year, quarter)
    if version is None:
        st.caption(t("evidence_none_yet", lang, period=period_text))
        return
    st.subheader(t("evidence_step", lang, period=period_text, version=version))
    message = st.session_state.pop("evidence_message", None)
    if message:
        for kind, text in message:
            getattr(st, kind)(text)
    if not stored.empty:
        columns = ["kpi_code", "file_name", "media_type", "size", "uploaded_by", "uploaded_at"]
        st.dataframe(_shown(stored, lang)[columns], hide_index=True, key="evidence_stored",
                     column_config={name: t(f"col_{name}", lang) for name in columns})
    if is_closed:
        return
    st.caption(t("evidence_rule", lang, file_mb=evidence.file_limit() // 2**20,
                 total_mb=evidence.submission_limit() // 2**20))
    names = {code: f"{code} · {i18n.unit_name(th or code, en, lang)}" for code, th, en in kpis}
    generation = st.session_state.get(GENERATION, 0)
    with st.form(f"evidence_form_{generation}"):
        kpi_code = st.selectbox(t("evidence_kpi", lang), list(names), format_func=names.get, key="evidence_kpi")
        files = st.file_uploader(t("evidence_files", lang), accept_multiple_files=True,
                                 key=f"evidence_files_{generation}",
                                 max_upload_size=max(evidence.file_limit() // 2**20, 1))
        if not st.form_submit_button(t("evidence_attach", lang), type="primary") or not files:
            return
    attach(unit_code, fiscal_year, quarter, kpi_code, [(f.name, f.getvalue()) for f in files], user, lang)


def attach(unit_code: str, fiscal_year: int, quarter: int, kpi_code: str, files: list[tuple[str, bytes]], user: User,
           lang: str) -> None:
    """Attach through pipelines.evidence (checked again there, audited); the outcome is shown after the rerun."""
    done = evidence.attach_evidence(db.resolve_db_path(), unit_code, fiscal_year, quarter, kpi_code, files,
                                    by=user.username, user=user, channel="web")
    if done.problems:
        st.error(t("evidence_refused", lang, count=len(done.problems)))
        for problem in done.problems:
            st.error(f"{problem.file}: {i18n.problem_text(problem, lang)}")
        return
    warn_unpublished(done.snapshot_error)
    lines = []
    if done.stored:
        lines.append(("success", t("evidence_attached", lang, count=len(done.stored), kpi=kpi_code)))
    if done.already:
        lines.append(("info", t("evidence_already", lang, count=len(done.already), kpi=kpi_code)))
    st.session_state["evidence_message"] = lines
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.rerun()


def downloads(files: pd.DataFrame, lang: str) -> None:
    """The KPI page: the files of the latest results as a table, and a download button for each (the bytes read
    and checked against their sha256 only when the button is pressed)."""
    columns = ["quarter", "unit_name", "file_name", "media_type", "size", "uploaded_by", "uploaded_at"]
    st.dataframe(_shown(files, lang)[columns], hide_index=True, key="kpi_evidence",
                 column_config={name: t(f"col_{name}", lang) for name in columns})
    if len(files) > MAX_BUTTONS:
        st.caption(t("evidence_more", lang, shown=MAX_BUTTONS, total=len(files)))
    archive = db.uploads_dir(db.resolve_db_path())
    buttons = st.container()
    for number, row in enumerate(files.head(MAX_BUTTONS).to_dict("records")):
        if not evidence.evidence_path(archive, row["sha256"], row["media_type"]).exists():
            buttons.caption(t("evidence_missing_file", lang, file=row["file_name"]))
            continue
        label = t("evidence_download", lang, file=row["file_name"], size=size_text(row["size_bytes"]))
        buttons.download_button(
            f"{t('quarter_option', lang, quarter=row['quarter'])} · {row['unit_code']} · {label}",
            lambda sha=row["sha256"], media=row["media_type"]: evidence.read_evidence(db.resolve_db_path(), sha,
                                                                                        media),
            file_name=row["file_name"], mime=row["media_type"], on_click="ignore", icon=":material/attach_file:",
            key=f"evidence_download_{number}_{row['sha256'][:16]}")

"""The overview's "download the executive report" control: pick a format, build the pack of the selected unit and
quarter with a progress bar (pipelines.report), then offer the file. The bytes stay in the session until the
selection changes, so the download button survives the rerun its click causes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard import data
from dashboard.filters import Filters
from pipelines import read_source, report

MIME_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_BUILT = "executive_report_file"


def build(f: Filters, fmt: str, progress: report.Progress) -> tuple[str, bytes]:
    """(file name, bytes) of the pack for the filters' unit, quarter and language, read from the published data."""
    with read_source.connect(read_source.current(data.database_path())) as con:
        pack = report.build_report(con, f.fiscal_year, f.quarter, f.unit_code, f.lang,
                                   lambda done, label: progress(done / 2, label))
    name = report.file_name(pack, fmt)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        report.write_report(pack, fmt, path, lambda done, label: progress(0.5 + done / 2, label))
        return name, path.read_bytes()


def executive_report(f: Filters) -> None:
    labels = {"pdf": f.t("report_pdf"), "pptx": f.t("report_pptx"), "xlsx": f.t("report_xlsx")}
    with st.expander(f.t("report_title"), icon=":material/slideshow:"):
        st.caption(f.t("report_caption", unit=f.unit_label, period=f.period_label))
        fmt = st.radio(f.t("report_format"), report.available_formats(), format_func=labels.get, horizontal=True,
                       key="report_format")
        wanted = (f.unit_code, f.fiscal_year, f.quarter, f.lang, fmt)
        if st.button(f.t("report_build"), key="report_build", icon=":material/description:"):
            bar = st.progress(0.0, text=f.t("report_building"))
            name, content = build(f, fmt, lambda done, label: bar.progress(min(done, 1.0), text=label))
            bar.empty()
            st.session_state[_BUILT] = (wanted, name, content)
        built = st.session_state.get(_BUILT)
        if built and built[0] == wanted:
            _, name, content = built
            st.download_button(f.t("report_download", file=name), content, file_name=name, mime=MIME_TYPES[fmt],
                               key="report_download", icon=":material/download:")

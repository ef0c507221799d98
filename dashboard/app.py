"""The dashboard's entry point: which pages exist, the shared sidebar; nothing else.

Run with `streamlit run dashboard/app.py` (the database comes from env BSC_DB, else data/bsc.duckdb).
To add a page, add one `st.Page` line to `page_sections`; a login gate goes in `main` before `st.navigation`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, filters, i18n  # noqa: E402
from dashboard.i18n_accounts import ui_lang  # noqa: E402
from pipelines.db import DatabaseBusy  # noqa: E402

PAGES = Path(__file__).resolve().parent / "pages"


def page_sections(lang: str) -> dict[str, list[st.Page]]:
    """Every page, grouped by sidebar section. url_path stays English so links survive a language switch."""
    def page(file: str, title_key: str, icon: str, **options: object) -> st.Page:
        return st.Page(PAGES / file, title=i18n.t(title_key, lang), icon=icon, url_path=Path(file).stem, **options)

    return {
        i18n.t("section_executive", lang): [
            page("overview.py", "page_overview", ":material/dashboard:", default=True),
            page("dimensions.py", "page_dimensions", ":material/view_quilt:"),
            page("units.py", "page_units", ":material/account_tree:"),
            page("kpi.py", "page_kpi", ":material/query_stats:"),
            page("pmqa.py", "page_pmqa", ":material/checklist:"),
            page("submissions.py", "page_submissions", ":material/fact_check:"),
        ],
    }


def main() -> None:
    st.set_page_config(page_title="BSC KPI", page_icon=":material/insights:", layout="wide")
    lang = filters.language()
    user = auth.current_user()
    if user is None:
        auth.login_navigation(lang).run()
        return
    navigation = st.navigation(page_sections(lang) | auth.account_pages(user, lang))
    auth.account_box(user, lang)
    filters.sidebar(lang)
    navigation.run()


def run() -> None:
    """main, with a database kept busy by a writer beyond the wait shown as a message to retry, never a traceback."""
    try:
        main()
    except DatabaseBusy as busy:
        st.error(busy.message(ui_lang()), icon=":material/hourglass_top:")


run()

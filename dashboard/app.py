"""The dashboard's entry point: which pages exist, the shared sidebar; nothing else.

`make run` serves it through dashboard/server.py (which refuses Streamlit's metrics endpoint); `streamlit run
dashboard/app.py` works too. The database comes from env BSC_DB, else data/bsc.duckdb.
To add a page, add one `st.Page` line to `page_sections`; a login gate goes in `main` before `st.navigation`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402

from dashboard import auth, failures, filters, i18n, ui  # noqa: E402
from pipelines.db import DatabaseBusy  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"
# Pages whose form picks the fiscal year and quarter (and unit): the sidebar's are not drawn there (one picker).
OWN_PERIOD_PAGES = {"upload", "admin_periods"}
# The browser tab's icon, served by the app itself: a `:material/...:` page icon is fetched from fonts.gstatic.com
# and an emoji one from a CDN, which closed government networks block. Nothing the app loads leaves the machine.
ICON = Path(__file__).resolve().parent / "favicon.png"


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


def login_pages(lang: str) -> list[st.Page]:
    """Before sign-in every page stays registered (hidden) at its own address, and its first call draws the login
    form (filters.require / require_role). A shared link such as /dimensions?fy=2567&q=3 keeps its page and query,
    and the run after sign-in opens the real page with the link's filters, or refuses and audits it if the role may
    not: no English "Page not found" dialog, no fall-back to the overview."""
    return [page for section in (page_sections(lang) | auth.account_pages(None, lang)).values() for page in section]


def forget_unknown_address(pages: list[st.Page]) -> str | None:
    """An address that names no page (a link cut short, /dimension, a typo): Streamlit would open the first page
    under its English "Page not found" dialog. Forget the address before st.navigation resolves it, so the first
    page opens quietly, and return it so the page can say so in the user's language."""
    context = get_script_run_ctx()
    manager = getattr(context, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:  # a click in the sidebar names a page by its hash
        return None
    asked = manager.intended_page_name
    if not asked or asked in {page._url_path for page in pages} | {page.url_path for page in pages}:
        return None
    manager.set_script_intent("", "")
    return asked


def main() -> None:
    st.set_page_config(page_title="BSC KPI", page_icon=str(ICON), layout="wide")
    lang = filters.language()
    st.html(ui.uploader_in_language(lang))
    try:
        user = auth.current_user()
        if user is None:
            pages = login_pages(lang)
            unknown = forget_unknown_address(pages)
            navigation = st.navigation(pages, position="hidden")
            if unknown:
                st.warning(i18n.t("page_unknown", lang))
            navigation.run()
            return
        sections = page_sections(lang) | auth.account_pages(user, lang)
        unknown = forget_unknown_address([page for section in sections.values() for page in section])
        navigation = st.navigation(sections)
        if unknown:
            st.warning(i18n.t("page_unknown", lang))
        auth.account_box(user, lang)
        if navigation.url_path in OWN_PERIOD_PAGES:
            filters.keep(lang)
        else:
            filters.sidebar(lang)
        navigation.run()
    except DatabaseBusy as busy:  # a writer held the file beyond the wait: a message to retry, never a traceback
        st.error(busy.message(lang), icon=":material/hourglass_top:")
    except Exception as error:  # the last line of defence: st.stop and st.rerun are not Exceptions and pass
        failures.show_failure(error, lang)


main()

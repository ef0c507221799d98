"""The dashboard's entry point: which pages exist, the shared sidebar; nothing else.

`make run` serves it through dashboard/server.py (which refuses Streamlit's metrics endpoint); `streamlit run
dashboard/app.py` works too. The database comes from env BSC_DB, else data/bsc.duckdb.
Every page is declared from the one roles table, `pipelines.roles.PAGES`: to add a page, add its row there.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: E402

from dashboard import auth, failures, filters, heap, i18n, ui  # noqa: E402
from pipelines import roles  # noqa: E402
from pipelines.auth import User, can_open  # noqa: E402
from pipelines.db import DatabaseBusy  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"
# The browser tab's icon, served by the app itself: a `:material/...:` page icon is fetched from fonts.gstatic.com
# and an emoji one from a CDN, which closed government networks block. Nothing the app loads leaves the machine.
ICON = Path(__file__).resolve().parent / "favicon.png"


def navigation_pages(user: User | None, lang: str) -> dict[str, list[st.Page]]:
    """Every row of the roles table as an st.Page, by section; url_path stays English so links survive a language
    switch. A page the user's role may not open stays registered but hidden: the sidebar does not list it, and a
    typed URL reaches `auth.require_page`, which refuses it and writes the attempt to the audit trail (an
    unregistered URL would fall back to the overview unlogged). Before sign-in (`user` None) every page is hidden
    and its first call draws the login form, so a shared link such as /dimensions?fy=2567&q=3 keeps its page and
    query, and the run after sign-in opens it with the link's filters, or refuses it."""
    sections: dict[str, list[st.Page]] = {}
    for row in roles.PAGES:
        sections.setdefault(i18n.t(f"section_{row.section}", lang), []).append(st.Page(
            PAGES / row.script, title=i18n.t(f"page_{row.key}", lang), icon=row.icon, url_path=row.key,
            default=row.default,
            visibility="visible" if can_open(user, row.key) else "hidden",
        ))
    return sections


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
        sections = navigation_pages(user, lang)
        unknown = forget_unknown_address([page for section in sections.values() for page in section])
        # expanded: every page listed; collapsed, Streamlit hides all but the first ten behind "View more"
        navigation = st.navigation(sections, position="sidebar" if user else "hidden", expanded=True)
        if unknown:
            st.warning(i18n.t("page_unknown", lang))
        if user is not None:
            auth.account_box(user, lang)
            if roles.page(navigation.url_path).own_period:
                filters.keep(lang)
            else:
                filters.sidebar(lang)
            auth.require_page(navigation.url_path, user)
        navigation.run()
    except DatabaseBusy as busy:  # a writer held the file beyond the wait: a message to retry, never a traceback
        st.error(busy.message(lang), icon=":material/hourglass_top:")
    except Exception as error:  # the last line of defence: st.stop and st.rerun are not Exceptions and pass
        failures.show_failure(error, lang)


try:
    main()
finally:  # st.stop and st.rerun end a run by their own exceptions: the run's memory is handed back either way
    heap.trim()

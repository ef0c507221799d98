"""What a visitor sees when a page fails: an apology in their language with a reference; the traceback goes to the
server's log under the same reference, never to the browser (file paths and process ids stay on the server)."""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from dashboard.i18n import t

LOG = logging.getLogger("bsc.dashboard")


def show_failure(error: BaseException, lang: str) -> str:
    """Log the error with a fresh reference and tell the visitor that reference; returns it."""
    reference = secrets.token_hex(4).upper()
    LOG.error("page failed, reference %s", reference, exc_info=error)
    st.error(t("page_failed", lang, reference=reference))
    return reference

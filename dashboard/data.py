"""Cached reads through `pipelines.reports`, keyed on what the data source last published.

The pages read the analyst snapshot, kept open between reads, or the live file when there is none
(pipelines.read_source). A result stays in `st.cache_data` under the source's token: a new submission publishes
a new snapshot, changes the token and shows at once; an unchanged database costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from pipelines import db, okr_reports, read_source, reports, strategy_pages

REPORT_MODULES = {module.__name__: module for module in (reports, okr_reports, strategy_pages)}
"""The modules whose page functions `read` runs: pipelines.reports, and the strategy pages' (OKR and strategy map,
End Products and alignment)."""

T = TypeVar("T")


def database_path() -> Path:
    return db.resolve_db_path()


INCLUDE_SUBMITTED_KEY = "filter_include_submitted"
"""The sidebar's switch "include submitted, not yet approved" (dashboard.filters): every read of the session counts
the versions waiting for review too while it is on."""


def include_submitted() -> bool:
    return bool(st.session_state.get(INCLUDE_SUBMITTED_KEY, False))


@st.cache_data(show_spinner=False, max_entries=512)
def _read(report: str, kind: str, path: str, token: str, args: tuple[Any, ...],
          module: str = reports.__name__, with_submitted: bool = False) -> Any:
    """`token` is part of the cache key: it changes whenever the source may hold other data."""
    with read_source.connect(read_source.Source(kind, Path(path), token), with_submitted) as con:
        return getattr(REPORT_MODULES[module], report)(con, *args)


def read(report: Callable[..., T], *args: Any) -> T:
    """`report(con, *args)` for a function of `pipelines.reports` (or another of REPORT_MODULES), from the cache
    while the data is unchanged; with the versions waiting for review counted while the sidebar's switch is on."""
    module = next((name for name, module in REPORT_MODULES.items()
                   if getattr(module, report.__name__, None) is report), None)
    if module is None:
        raise ValueError(f"{report.__name__} is not a pipelines.reports function")
    source = read_source.current(database_path())
    return _read(report.__name__, source.kind, str(source.path), source.token, tuple(args), module,
                 include_submitted())


def read_cache_clear() -> None:
    """Forget every cached read (the benchmark's cache-miss runs; the token makes this unneeded in use)."""
    _read.clear()

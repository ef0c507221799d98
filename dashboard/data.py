"""Cached reads through `pipelines.reports`, keyed on the database file's last write.

Each read opens a short-lived read-only connection (uploads may write to the file while the dashboard runs,
and DuckDB lets one process at a time hold it for writing) and keeps the result in `st.cache_data` under the
file's change token: a new submission changes the token and shows at once; an unchanged file costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from pipelines import db, reports

T = TypeVar("T")


def database_path() -> Path:
    return db.resolve_db_path()


@st.cache_data(show_spinner=False, max_entries=512)
def _read(report: str, db_path: str, change_token: str, args: tuple[Any, ...]) -> Any:
    """`change_token` is unused in the body on purpose: it is part of the cache key."""
    with db.open_db(Path(db_path), read_only=True) as con:
        return getattr(reports, report)(con, *args)


def read(report: Callable[..., T], *args: Any) -> T:
    """`report(con, *args)` for a function of `pipelines.reports`, from the cache while the file is unchanged."""
    if getattr(reports, report.__name__, None) is not report:
        raise ValueError(f"{report.__name__} is not a pipelines.reports function")
    path = database_path()
    return _read(report.__name__, str(path), db.change_token(path), tuple(args))


def read_cache_clear() -> None:
    """Forget every cached read (the benchmark's cache-miss runs; the change token makes this unneeded in use)."""
    _read.clear()

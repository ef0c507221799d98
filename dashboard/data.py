"""Cached reads through `pipelines.reports`, keyed on what the data source last published.

The pages read the analyst snapshot, kept open between reads, or the live file when there is none
(pipelines.read_source). A result stays in `st.cache_data` under the source's token: a new submission publishes
a new snapshot, changes the token and shows at once; an unchanged database costs nothing. The cache is bounded by
the bytes it holds (RESULT_CACHE_BYTES), not only by its count of entries.

The sidebar's choices (the org tree of every unit and the periods) are read once per publish and shared by every
session (`filter_options`, in `st.cache_resource`): not copied into each session and each page run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard import i18n
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


RESULT_CACHE_BYTES = 64 * 2**20
"""The most the pages' cached results hold, pickled (least recently used dropped first). At 5M one visit of every
page caches about 25 MB (bench/memory_profile.py); the bound keeps a long-running server from holding a copy of
every unit's and quarter's pages ever asked for."""


@st.cache_data(show_spinner=False, max_entries=512, max_size=RESULT_CACHE_BYTES)
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
    _filter_options.clear()


@dataclass(frozen=True)
class SidebarOptions:
    """The sidebar's choices, read once per publish and shared by every session and page run: never modify them."""

    periods: reports.Periods
    units: pd.DataFrame
    """reports.org_units_tree: every unit depth-first with its depth."""
    codes: list[str]
    """Every unit code, in the tree's order (the unit picker's options)."""
    position: dict[str, int]
    """Unit code -> its row in `units`."""
    names: dict[str, Mapping[str, str]]
    """Language -> unit code -> its name in that language (i18n.unit_name), read-only."""

    @classmethod
    def of(cls, options: reports.FilterOptions) -> SidebarOptions:
        units = options.units
        codes = units["code"].tolist()
        names_th, names_en = units["name_th"].tolist(), units["name_en"].tolist()
        return cls(options.periods, units, codes, {code: at for at, code in enumerate(codes)},
                   {lang: MappingProxyType({code: i18n.unit_name(th, en, lang)
                                            for code, th, en in zip(codes, names_th, names_en, strict=True)})
                    for lang in i18n.LANGUAGES})


@st.cache_resource(show_spinner=False, max_entries=4)
def _filter_options(kind: str, path: str, token: str, with_submitted: bool) -> SidebarOptions:
    """One object per published source (its token) and switch: the last few kept, the older ones dropped."""
    with read_source.connect(read_source.Source(kind, Path(path), token), with_submitted) as con:
        return SidebarOptions.of(reports.filter_options(con))


def filter_options() -> SidebarOptions:
    """The fiscal years, periods and org tree of what the pages read now: read once per publish, shared."""
    source = read_source.current(database_path())
    return _filter_options(source.kind, str(source.path), source.token, include_submitted())

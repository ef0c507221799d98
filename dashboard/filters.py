"""The shared sidebar filters (fiscal year, quarter, org unit, language), bound to the URL query parameters.

A link carries `?fy=2568&q=2&unit=OJA&lang=th`: the first run of a session reads the parameters (ignoring any
that do not fit the data), later runs keep the widgets' values and write them back to the URL, so the address
bar always shares the view on screen, on whichever page. The values are also kept in the session beside the
widgets: Streamlit empties the query on every page switch and forgets a page's own widgets when another page
runs, and a language switch relabels every choice; the kept value restores each of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard import auth, data, i18n
from pipelines.calendar import QUARTERS

QUERY_PARAMS = {"fiscal_year": "fy", "quarter": "q", "unit": "unit", "lang": "lang"}
_CURRENT = "_filters"
_PROBLEM = "_filters_problem"
_KEPT = "_filters_kept"
"""Query parameter -> the value last chosen in this session, for every bound choice on any page."""
_SHOWN_LANG = "_filters_shown_lang"
_RELABEL = "_filters_relabel"
"""True in the run where the language changed: every choice is set again so the browser redraws its label."""
PICKER_LIMIT = 100
"""A picker with more options than this (a ministry's 25,000 units, an agency's thousands of KPIs) draws a search
box and sends the browser at most this many options, the chosen one among them, instead of the whole list on
every run (a 25,000-label selectbox is megabytes per click)."""
SEARCH_MAX_CHARS = 100
"""The longest text a picker's search box takes: every run matches it against each option's code and names."""


@dataclass(frozen=True)
class Filters:
    fiscal_year: int
    quarter: int
    unit_code: str
    lang: str
    units: pd.DataFrame
    """Every org unit depth-first with its depth (reports.org_units_tree); shared by every session: never modify."""
    has_submissions: bool
    """Whether anything at all was submitted, in any fiscal year."""
    options: data.SidebarOptions
    """The shared sidebar choices `units` comes from (its positions and names by language)."""

    @property
    def unit(self) -> pd.Series:
        return self.units.iloc[self.options.position[self.unit_code]]

    def unit_names(self) -> Mapping[str, str]:
        """Unit code -> its name in the session's language, for every unit (shared, read-only)."""
        return self.options.names[self.lang]

    @property
    def unit_label(self) -> str:
        return i18n.unit_name(self.unit["name_th"], self.unit["name_en"], self.lang)

    @property
    def period_label(self) -> str:
        return i18n.period_label(self.fiscal_year, self.quarter, self.lang)

    def t(self, key: str, **values: object) -> str:
        return i18n.t(key, self.lang, **values)


def _widget_key(name: str) -> str:
    return f"filter_{name}"


def bound_choice(
    name: str,
    param: str,
    label: str,
    options: Sequence[Any],
    default: Any,
    format_func: Callable[[Any], str] = str,
    parse: Callable[[str], Any] = str,
    container: Any = None,
    search: Callable[[str], Sequence[Any]] | None = None,
) -> Any:
    """A selectbox whose value lives in the URL parameter `param`; pages use it for their own choices too.
    With `search` (typed text -> the matching options in order; "" -> a sensible first list) and more than
    PICKER_LIMIT options, it offers only the chosen option and the matches of a search box."""
    key = _widget_key(name)
    kept = st.session_state.setdefault(_KEPT, {})
    value = st.session_state.get(key)
    if value not in options:  # the session's first run, or a page whose widget Streamlit has forgotten
        # A link followed within the session (st.page_link with query_params: the OKR page's KPI links) names
        # its choice in the query, which wins over the kept one; a switch by the sidebar empties the query.
        linked = _from_query(param, options, None, parse)
        value = linked if linked is not None else kept[param] if kept.get(param) in options else default
        st.session_state[key] = value
    elif st.session_state.get(_RELABEL):
        # The browser still holds the old language's label, which would not match any option on the next run.
        st.session_state[key] = value
    if search is not None:
        options = shortlist(name, label, options, [value], search, container)
    value = (container or st).selectbox(label, options, key=key, format_func=format_func)
    kept[param] = value
    if st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)
    return value


def shortlist(name: str, label: str, options: Sequence[Any], kept: Sequence[Any],
              search: Callable[[str], Sequence[Any]], box: Any = None) -> list[Any]:
    """The options a picker draws: all of them up to PICKER_LIMIT; above it a search box in `box` (outside any
    form, so that typing reruns) and at most PICKER_LIMIT of the typed text's matches, after the `kept` options
    among the options and not among the matches (the chosen value, an empty choice, what a stored row holds)."""
    if len(options) <= PICKER_LIMIT:
        return list(options)
    box = box or st
    lang = st.session_state.get(_widget_key("lang"), i18n.DEFAULT_LANGUAGE)
    query = box.text_input(i18n.t("picker_search", lang, label=label), key=_widget_key(f"{name}_search"),
                           max_chars=SEARCH_MAX_CHARS)
    found = list(search(query.strip()))[:PICKER_LIMIT]
    known, matched = set(options), set(found)
    shown = [*(value for value in dict.fromkeys(kept) if value in known and value not in matched), *found]
    box.caption(i18n.t("picker_shown", lang, shown=len(shown), total=len(options)))
    return shown


def _from_query(param: str, options: Sequence[Any], default: Any, parse: Callable[[str], Any]) -> Any:
    raw = st.query_params.get(param)
    try:
        value = parse(raw) if raw is not None else default
    except ValueError:
        value = default
    return value if value in options else default


def language() -> str:
    """The language switch, first in the sidebar; Thai unless the link or the user says English."""
    key = _widget_key("lang")
    if st.session_state.get(key) not in i18n.LANGUAGES:
        st.session_state[key] = _from_query("lang", list(i18n.LANGUAGES), i18n.DEFAULT_LANGUAGE, str)
    lang = st.sidebar.radio(
        i18n.LANGUAGE_SWITCH_LABEL, list(i18n.LANGUAGES), key=key, format_func=i18n.LANGUAGES.get, horizontal=True
    )
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    st.session_state[_RELABEL] = st.session_state.get(_SHOWN_LANG, lang) != lang
    st.session_state[_SHOWN_LANG] = lang
    return lang


def _problem(lang: str) -> str | None:
    """Why the database cannot be shown (missing, unreadable, no org units, no catalogue), or None."""
    path = data.database_path()
    if not path.exists():
        return i18n.t("db_missing", lang, path=path)
    try:
        options = data.filter_options()
    except (duckdb.Error, OSError) as error:
        return i18n.t("db_unreadable", lang, path=path, error=error)
    if options.units.empty:
        return i18n.t("no_org_units", lang)
    if not options.periods.fiscal_years:
        return i18n.t("no_catalogue", lang)
    return None


def _default_unit(units: pd.DataFrame) -> str:
    agencies = units.loc[units["level"] == "agency", "code"]
    return agencies.iloc[0] if not agencies.empty else units["code"].iloc[0]


def _unit_option_label(options: data.SidebarOptions, lang: str) -> Callable[[str], str]:
    """Labels made for the options drawn only (not 25,000 on every run): the tree's indent, code and name."""
    position, names = options.position, options.names[lang]
    depths = options.units["depth"].array

    def label(code: str) -> str:
        depth = int(depths[position[code]])
        return "\u2003" * depth + ("└ " if depth else "") + f"{code} · " + names[code]

    return label


def matching(frame: pd.DataFrame, key: str, texts: Sequence[str], first: pd.Series | None = None
             ) -> Callable[[str], list[Any]]:
    """A picker's search (`bound_choice`): the `key` values of the rows where any of the `texts` columns holds
    the typed text (any case); nothing typed, the rows `first` marks (all rows when None), in the frame's order."""
    def search(query: str) -> list[Any]:
        if not query:
            return list(frame[key] if first is None else frame.loc[first, key])
        hit = pd.Series(False, index=frame.index)
        for column in texts:
            hit |= frame[column].fillna("").astype(str).str.contains(query, case=False, regex=False)
        return list(frame.loc[hit, key])

    return search


def sidebar(lang: str) -> Filters | None:
    """Draw fiscal year, quarter and unit below the language switch; remember them for the pages."""
    problem = _problem(lang)
    st.session_state[_PROBLEM] = problem
    st.session_state[_CURRENT] = None
    if problem:
        st.sidebar.warning(problem)
        return None
    options = data.filter_options()
    units, periods = options.units, options.periods
    years = sorted(periods.fiscal_years, reverse=True)
    default_year, default_quarter = periods.default or (years[0], 1)
    box = st.sidebar
    fiscal_year = bound_choice(
        "fiscal_year", "fy", i18n.t("fiscal_year", lang), years, default_year,
        lambda year: i18n.t("fiscal_year_option", lang, year=year), int, box,
    )
    quarter = bound_choice(
        "quarter", "q", i18n.t("quarter", lang), QUARTERS, default_quarter,
        lambda q: i18n.t("quarter_option", lang, quarter=q), int, box,
    )
    unit_code = bound_choice(
        "unit", "unit", i18n.t("unit", lang), options.codes, _default_unit(units),
        _unit_option_label(options, lang), str, box,
        matching(units, "code", ("code", "name_th", "name_en"), first=units["depth"] <= 1),
    )
    box.caption(i18n.t("includes_below", lang) + " · " + i18n.t("share_hint", lang))
    box.toggle(i18n.t("include_submitted", lang), key=data.INCLUDE_SUBMITTED_KEY,
               help=i18n.t("include_submitted_help", lang))
    filters = Filters(fiscal_year, quarter, unit_code, lang, units, periods.latest is not None, options)
    st.session_state[_CURRENT] = filters
    return filters


def keep(lang: str) -> None:
    """On a page with its own unit, year and quarter picker (the upload page) the sidebar's are not drawn, so that
    the page shows one period; their values are kept for the next page (an undrawn widget's state is dropped)."""
    for key in (*(_widget_key(name) for name in ("fiscal_year", "quarter", "unit")), data.INCLUDE_SUBMITTED_KEY):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    st.session_state[_CURRENT] = None
    st.session_state[_PROBLEM] = None
    st.sidebar.caption(i18n.t("period_in_page_form", lang))


def require() -> Filters:
    """The current filters for a page; where the database cannot be shown, say why and stop the page. Before
    sign-in (a shared link opened in a new tab) the page is the login form instead."""
    if auth.SESSION_KEY not in st.session_state:
        auth.require_login()
    filters = st.session_state.get(_CURRENT)
    if filters is None:
        lang = st.session_state.get(_widget_key("lang"), i18n.DEFAULT_LANGUAGE)
        st.info(st.session_state.get(_PROBLEM) or i18n.t("db_missing", lang, path=data.database_path()))
        st.stop()
    return filters

"""วิเคราะห์ข้อมูล SQL: analysts and admins query the public views ad hoc, read-only, on the analyst snapshot.

The running, the refusals and the limits are pipelines.sqlconsole; the examples, saved queries and history are
pipelines.saved_queries; this file only draws.  The snapshot is the same file analysts open from the DuckDB CLI,
Python or Jupyter (docs/guides/analyst.md), so the page and their tools always see the same data.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.auth import require_page
from dashboard.i18n import t, ui_lang
from pipelines import db, read_source, saved_queries, snapshot, sqlconsole
from pipelines.calendar import format_date
from pipelines.view_docs import column_description, view_summary

EDITOR = "sql_editor"
RESULT = "sql_result"
SAVED_NOTICE = "sql_saved_notice"
CHART_KEYS = ("sql_chart_kind", "sql_chart_x", "sql_chart_y", "sql_chart_colour")
DEFAULT_SQL = "SELECT *\nFROM unit_scores\nORDER BY fiscal_year DESC, quarter DESC\nLIMIT 100"


def _insert(name: str) -> None:
    """Append a view or column name to the editor (a text area has no cursor position to insert at)."""
    current = st.session_state.get(EDITOR, "")
    separator = "" if not current or current[-1] in " \n\t(,." else " "
    st.session_state[EDITOR] = f"{current}{separator}{name}"


def _open_picked(picker: str, sql_of) -> None:
    """Open what the picker shows now (read at the click, so a pick and a click in one rerun agree)."""
    st.session_state[EDITOR] = sql_of(st.session_state[picker])


@st.cache_data(show_spinner=False, max_entries=8)
def _schema(path: str, token: str) -> list[sqlconsole.SchemaColumn]:
    return sqlconsole.schema(path)


@st.cache_data(show_spinner=False, max_entries=8)
def _published_at(path: str, token: str) -> str | None:
    return sqlconsole.published_at(path)


def schema_browser(path: str, lang: str) -> None:
    st.subheader(t("schema", lang))
    st.caption(t("schema_help", lang))
    by_view: dict[str, list[sqlconsole.SchemaColumn]] = {}
    for column in _schema(path, snapshot.file_token(path)):
        by_view.setdefault(column.view, []).append(column)
    for view, columns in by_view.items():
        with st.expander(view):
            st.caption(view_summary(view, lang))
            st.button(t("insert_view", lang, view=view), key=f"sql_schema_{view}", on_click=_insert, args=(view,),
                      icon=":material/table_view:")
            for column in columns:
                st.button(column.column, key=f"sql_schema_{view}_{column.column}", on_click=_insert,
                          args=(column.column,), type="tertiary")
                st.caption(f"`{column.type}` {column_description(view, column.column, lang)}")


def query_pickers(db_path, username: str, lang: str) -> None:
    """Examples, the user's saved queries and their history: each opens into the editor."""
    examples, saved, history = st.tabs([t("examples", lang), t("saved", lang), t("sql_history", lang)])
    with examples:
        titles = [example.title_th if lang == "th" else example.title_en for example in saved_queries.EXAMPLES]
        st.selectbox(t("examples", lang), range(len(titles)), format_func=titles.__getitem__,
                     key="sql_example_pick", label_visibility="collapsed")
        st.button(t("load", lang), key="sql_example_load", on_click=_open_picked,
                  args=("sql_example_pick", lambda index: saved_queries.EXAMPLES[index].sql))
    with saved:
        mine = saved_queries.saved_queries(db_path, username)
        if not mine:
            st.caption(t("none_saved", lang))
        else:
            by_title = {item.title: item.sql for item in mine}
            title = st.selectbox(t("saved", lang), list(by_title), key="sql_saved_pick",
                                 label_visibility="collapsed")
            load, delete = st.columns(2)
            load.button(t("load", lang), key="sql_saved_load", on_click=_open_picked,
                        args=("sql_saved_pick", by_title.__getitem__))
            if delete.button(t("delete", lang), key="sql_saved_delete"):
                saved_queries.delete_saved_query(db_path, username, title)
                st.toast(t("deleted_ok", lang, title=title))
                st.rerun()
    with history:
        runs = saved_queries.history(db_path, username)
        if not runs:
            st.caption(t("none_history", lang))
        else:
            def label(index: int) -> str:
                run = runs[index]
                first_line = " ".join(run.sql.split())[:70]
                return f"{format_date(run.ran_at, lang, with_time=True)} · {run.outcome} · {first_line}"

            st.selectbox(t("sql_history", lang), range(len(runs)), format_func=label, key="sql_history_pick",
                         label_visibility="collapsed")
            st.button(t("load", lang), key="sql_history_load", on_click=_open_picked,
                      args=("sql_history_pick", lambda index: runs[index].sql))


def run_and_record(path: str, db_path, username: str, lang: str) -> None:
    """The Run button's callback: it runs before the page is drawn, so the history tab above already lists it."""
    sql = st.session_state.get(EDITOR, "")
    st.session_state.pop(RESULT, None)  # the old result goes before the new one arrives, not after
    outcome = sqlconsole.run_query(path, sql)
    st.session_state[RESULT] = outcome
    for key in CHART_KEYS:  # a new result gets its own chart defaults
        st.session_state.pop(key, None)
    if isinstance(outcome, sqlconsole.QueryResult):
        kind, rows, elapsed_ms = "ok", outcome.row_count, round(outcome.elapsed_seconds * 1000)
    else:
        kind, rows, elapsed_ms = outcome.kind, None, None
    try:
        saved_queries.record_run(db_path, username, sql, kind, rows, elapsed_ms)
    except (duckdb.Error, OSError) as error:
        st.toast(t("history_not_saved", lang, error=error))


def _save(db_path, username: str, lang: str) -> None:
    """Save before the page is drawn again (a button callback), so the saved-queries tab above already lists
    the new query, picked, in the same run."""
    title = st.session_state.get("sql_save_title", "").strip()
    sql = st.session_state.get(EDITOR, "")
    if not title or not sql.strip() or len(sql) > sqlconsole.MAX_SQL_CHARACTERS:
        st.session_state[SAVED_NOTICE] = ("warning", t("save_needs", lang, limit=sqlconsole.MAX_SQL_CHARACTERS))
        return
    try:
        saved_queries.save_query(db_path, username, title, sql)
    except saved_queries.SavedQueriesFull:
        st.session_state[SAVED_NOTICE] = ("warning", t("saved_full", lang, limit=saved_queries.MAX_SAVED_QUERIES))
        return
    st.session_state["sql_saved_pick"] = title
    st.session_state[SAVED_NOTICE] = ("success", t("saved_ok", lang, title=title))


def save_controls(db_path, username: str, lang: str) -> None:
    title_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    title_col.text_input(t("save_title", lang), key="sql_save_title", max_chars=saved_queries.MAX_TITLE_LENGTH)
    button_col.button(t("save", lang), key="sql_save", icon=":material/bookmark_add:", on_click=_save,
                      args=(db_path, username, lang))
    notice = st.session_state.pop(SAVED_NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])


def show_error(error: sqlconsole.QueryError, lang: str) -> None:
    st.error(f"{t('kind_' + error.kind, lang)}: {error.message}", icon=":material/error:")
    if error.pointer:
        st.code(error.pointer, language=None)


def chart_controls(frame: pd.DataFrame, lang: str) -> None:
    numeric = [name for name in frame.columns if pd.api.types.is_numeric_dtype(frame[name])
               and not pd.api.types.is_bool_dtype(frame[name])]
    with st.expander(t("chart", lang), icon=":material/bar_chart:"):
        if not numeric:
            st.caption(t("chart_needs_number", lang))
            return
        columns = list(frame.columns)
        x_default, y_default = charts.default_axes(columns, numeric)
        x_options = [None, *columns]
        kind_col, x_col, y_col, colour_col = st.columns(4)
        kind = kind_col.selectbox(t("chart_kind", lang), charts.QUICK_CHART_KINDS, key="sql_chart_kind",
                                  format_func=lambda name: t(f"chart_{name}", lang))
        x = x_col.selectbox(t("chart_x", lang), x_options, index=x_options.index(x_default), key="sql_chart_x",
                            format_func=lambda name: t("chart_row_number", lang) if name is None else name)
        y = y_col.selectbox(t("chart_y", lang), numeric, index=numeric.index(y_default), key="sql_chart_y")
        colour = colour_col.selectbox(t("chart_colour", lang), [None, *columns], key="sql_chart_colour",
                                      format_func=lambda name: t("chart_no_colour", lang) if name is None else name)
        st.plotly_chart(charts.quick_chart(frame, kind, x, y, colour), key="sql_chart")


def show_result(result: sqlconsole.QueryResult, lang: str) -> None:
    st.caption(t("result_summary", lang, rows=result.row_count, seconds=result.elapsed_seconds))
    if result.byte_capped:
        st.warning(t("result_bytes_capped", lang, size=sqlconsole.size_text(sqlconsole.RESULT_BYTE_LIMIT),
                     rows=result.row_count))
    elif result.truncated:
        st.warning(t("result_truncated", lang, limit=result.row_count))
    if result.row_count == 0:
        st.info(t("no_rows", lang))
    shown = result.frame(sqlconsole.DISPLAY_ROW_LIMIT)
    if result.row_count > sqlconsole.DISPLAY_ROW_LIMIT:
        st.caption(t("display_capped", lang, shown=len(shown), rows=result.row_count))
    st.dataframe(shown, hide_index=True)
    downloads = st.columns(3)
    too_long_for_excel = result.row_count > sqlconsole.XLSX_ROW_LIMIT
    for column, file_format in zip(downloads, ("csv", "xlsx", "parquet"), strict=True):
        disabled = file_format == "xlsx" and too_long_for_excel
        column.download_button(
            t(f"download_{file_format}", lang),
            data=lambda file_format=file_format: sqlconsole.result_bytes(result, file_format),
            file_name=f"query_result.{file_format}", mime=sqlconsole.DOWNLOAD_TYPES[file_format],
            key=f"sql_download_{file_format}", on_click="ignore", icon=":material/download:", disabled=disabled,
            help=t("xlsx_too_long", lang, limit=sqlconsole.XLSX_ROW_LIMIT) if disabled else None,
        )
    if result.row_count:
        chart_controls(shown, lang)


user = require_page("sql")
lang = ui_lang()
st.title(t("page_sql", lang))
st.html("<style>.st-key-sql_editor textarea {font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "
        "'Liberation Mono', monospace; font-size: 0.9rem;}</style>")

db_path = db.resolve_db_path()
snapshot_file = str(read_source.fresh_snapshot(db_path))  # republished first if it misses a commit
published = _published_at(snapshot_file, snapshot.file_token(snapshot_file) or "-")
if published is None:
    st.info(t("no_snapshot", lang))
    st.stop()
st.caption(t("intro", lang, published=format_date(published, lang, with_time=True),
             seconds=sqlconsole.TIME_LIMIT_SECONDS,
             memory=sqlconsole.size_text(sqlconsole.MEMORY_LIMIT), display=sqlconsole.DISPLAY_ROW_LIMIT,
             download=sqlconsole.DOWNLOAD_ROW_LIMIT, result_size=sqlconsole.size_text(sqlconsole.RESULT_BYTE_LIMIT),
             xlsx=sqlconsole.XLSX_ROW_LIMIT))
if user.role == "admin":
    st.caption(t("admin_audit_note", lang))

editor_col, schema_col = st.columns([3, 1])
with schema_col:
    schema_browser(snapshot_file, lang)
with editor_col:
    query_pickers(db_path, user.username, lang)
    st.session_state.setdefault(EDITOR, DEFAULT_SQL)
    st.text_area(t("editor", lang), key=EDITOR, height=220, help=t("editor_help", lang),
                 max_chars=sqlconsole.MAX_SQL_CHARACTERS)
    st.button(t("run", lang), key="sql_run", type="primary", shortcut="Ctrl+Enter", icon=":material/play_arrow:",
              on_click=run_and_record, args=(snapshot_file, db_path, user.username, lang))
    save_controls(db_path, user.username, lang)
    outcome = st.session_state.get(RESULT)
    if isinstance(outcome, sqlconsole.QueryError):
        show_error(outcome, lang)
    elif isinstance(outcome, sqlconsole.QueryResult):
        show_result(outcome, lang)

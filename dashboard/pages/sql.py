"""วิเคราะห์ข้อมูล SQL: analysts and admins query the public views ad hoc, read-only, on the analyst snapshot.

The running, the refusals and the limits are pipelines.sqlconsole; the examples, saved queries and history are
pipelines.saved_queries; this file only draws.  The snapshot is the same file analysts open from the DuckDB CLI,
Python or Jupyter (README "Analyst guide"), so the page and their tools always see the same data.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.auth import require_role
from dashboard.i18n_accounts import ui_lang
from dashboard.i18n_sql import t
from pipelines import auth as accounts
from pipelines import db, read_source, saved_queries, snapshot, sqlconsole
from pipelines.view_docs import VIEW_DOCS

EDITOR = "sql_editor"
RESULT = "sql_result"
DEFAULT_SQL = "SELECT *\nFROM unit_scores\nORDER BY fiscal_year DESC, quarter DESC\nLIMIT 100"
CHART_KINDS = ("bar", "line", "scatter")


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
            st.caption(VIEW_DOCS[view].summary)
            st.button(t("insert_view", lang, view=view), key=f"sql_schema_{view}", on_click=_insert, args=(view,),
                      icon=":material/table_view:")
            for column in columns:
                st.button(column.column, key=f"sql_schema_{view}_{column.column}", on_click=_insert,
                          args=(column.column,), type="tertiary")
                st.caption(f"`{column.type}` {column.description}")


def query_pickers(db_path, username: str, lang: str) -> None:
    """Examples, the user's saved queries and their history: each opens into the editor."""
    examples, saved, history = st.tabs([t("examples", lang), t("saved", lang), t("history", lang)])
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
                return f"{run.ran_at:%d/%m %H:%M} · {run.outcome} · {first_line}"

            st.selectbox(t("history", lang), range(len(runs)), format_func=label, key="sql_history_pick",
                         label_visibility="collapsed")
            st.button(t("load", lang), key="sql_history_load", on_click=_open_picked,
                      args=("sql_history_pick", lambda index: runs[index].sql))


def run_and_record(path: str, db_path, username: str, sql: str, lang: str) -> None:
    outcome = sqlconsole.run_query(path, sql)
    st.session_state[RESULT] = outcome
    if isinstance(outcome, sqlconsole.QueryResult):
        kind, rows, elapsed_ms = "ok", outcome.row_count, round(outcome.elapsed_seconds * 1000)
    else:
        kind, rows, elapsed_ms = outcome.kind, None, None
    try:
        saved_queries.record_run(db_path, username, sql, kind, rows, elapsed_ms)
    except (duckdb.Error, OSError) as error:
        st.toast(t("history_not_saved", lang, error=error))


def save_controls(db_path, username: str, lang: str) -> None:
    title_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    title = title_col.text_input(t("save_title", lang), key="sql_save_title", max_chars=saved_queries.MAX_TITLE_LENGTH)
    if button_col.button(t("save", lang), key="sql_save", icon=":material/bookmark_add:"):
        sql = st.session_state.get(EDITOR, "")
        if not title.strip() or not sql.strip():
            st.warning(t("save_needs", lang))
        else:
            saved_queries.save_query(db_path, username, title, sql)
            st.success(t("saved_ok", lang, title=title.strip()))


def show_error(error: sqlconsole.QueryError, lang: str) -> None:
    st.error(f"{t('kind_' + error.kind, lang)}: {error.message}", icon=":material/error:")
    if error.pointer:
        st.code(error.pointer, language=None)


def quick_chart(frame: pd.DataFrame, kind: str, x: str, y: str, colour: str | None):
    draw = {"bar": px.bar, "line": px.line, "scatter": px.scatter}[kind]
    plotted = frame.copy()
    if colour:
        plotted[colour] = plotted[colour].astype(str)
    return draw(plotted, x=x, y=y, color=colour)


def chart_controls(frame: pd.DataFrame, lang: str) -> None:
    numeric = [name for name in frame.columns if pd.api.types.is_numeric_dtype(frame[name])
               and not pd.api.types.is_bool_dtype(frame[name])]
    with st.expander(t("chart", lang), icon=":material/bar_chart:"):
        if not numeric:
            st.caption(t("chart_needs_number", lang))
            return
        columns = list(frame.columns)
        kind_col, x_col, y_col, colour_col = st.columns(4)
        kind = kind_col.selectbox(t("chart_kind", lang), CHART_KINDS, key="sql_chart_kind",
                                  format_func=lambda name: t(f"chart_{name}", lang))
        x = x_col.selectbox(t("chart_x", lang), columns, key="sql_chart_x")
        y_default = next((name for name in numeric if name != x), numeric[0])
        y = y_col.selectbox(t("chart_y", lang), numeric, index=numeric.index(y_default), key="sql_chart_y")
        colour = colour_col.selectbox(t("chart_colour", lang), [None, *columns], key="sql_chart_colour",
                                      format_func=lambda name: t("chart_no_colour", lang) if name is None else name)
        st.plotly_chart(quick_chart(frame, kind, x, y, colour), key="sql_chart")


def show_result(result: sqlconsole.QueryResult, lang: str) -> None:
    st.caption(t("result_summary", lang, rows=result.row_count, seconds=result.elapsed_seconds))
    if result.truncated:
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


user = require_role(*accounts.PAGE_ROLES["sql"])
lang = ui_lang()
st.title(t("page_sql", lang))
st.html("<style>.st-key-sql_editor textarea {font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "
        "'Liberation Mono', monospace; font-size: 0.9rem;}</style>")

db_path = db.resolve_db_path()
snapshot_file = str(read_source.fresh_snapshot(db_path))  # republished first if it misses a commit
published = _published_at(snapshot_file, snapshot.file_token(snapshot_file) or "-")
if published is None:
    st.info(t("no_snapshot", lang, path=snapshot_file))
    st.stop()
st.caption(t("intro", lang, published=published, seconds=sqlconsole.TIME_LIMIT_SECONDS,
             display=sqlconsole.DISPLAY_ROW_LIMIT, download=sqlconsole.DOWNLOAD_ROW_LIMIT,
             xlsx=sqlconsole.XLSX_ROW_LIMIT))
if user.role == "admin":
    st.caption(t("admin_audit_note", lang))

editor_col, schema_col = st.columns([3, 1])
with schema_col:
    schema_browser(snapshot_file, lang)
with editor_col:
    query_pickers(db_path, user.username, lang)
    st.session_state.setdefault(EDITOR, DEFAULT_SQL)
    st.text_area(t("editor", lang), key=EDITOR, height=220, help=t("editor_help", lang))
    if st.button(t("run", lang), key="sql_run", type="primary", shortcut="Ctrl+Enter", icon=":material/play_arrow:"):
        run_and_record(snapshot_file, db_path, user.username, st.session_state[EDITOR], lang)
    save_controls(db_path, user.username, lang)
    outcome = st.session_state.get(RESULT)
    if isinstance(outcome, sqlconsole.QueryError):
        show_error(outcome, lang)
    elif isinstance(outcome, sqlconsole.QueryResult):
        show_result(outcome, lang)

"""Small drawing helpers the pages share: page header, chart with its downloads, cards, empty states."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import i18n
from dashboard.filters import Filters
from pipelines.domain import AGGREGATE_STATUSES
from pipelines.export import csv_bytes, xlsx_bytes
from pipelines.scoring import PROVISIONAL, PROVISIONAL_BELOW_PCT

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(filters: Filters, title: str, with_quarter: bool = True, scope_key: str = "includes_below") -> None:
    """Page title, then what it shows: unit, quarter (or fiscal year), and which results count."""
    st.title(title)
    period = filters.period_label if with_quarter else filters.t("fiscal_year_option", year=filters.fiscal_year)
    st.caption(" · ".join([filters.unit_label, period, filters.t(scope_key)]))


Frame = pd.DataFrame | Callable[[], pd.DataFrame]
"""The numbers behind a chart, or a function that reads them when a download is clicked (a page that draws
only part of a large result does not read all of it to draw)."""


@dataclass(frozen=True)
class Download:
    """What a download holds and for when: it names the file `OJA_2568_Q2_below_target.csv` and adds the
    fiscal year (and quarter) as columns where the rows do not carry them."""

    what: str
    unit_code: str
    fiscal_year: int
    quarter: int | None = None
    """None: the file covers the whole fiscal year."""

    @property
    def file_stem(self) -> str:
        quarter = [f"Q{self.quarter}"] if self.quarter is not None else []
        return _FILE_NAME_UNSAFE.sub("_", "_".join([self.unit_code, str(self.fiscal_year), *quarter, self.what]))

    def stamped(self, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
        frame = frame.copy()
        year, quarter = i18n.t("fiscal_year", lang), i18n.t("quarter", lang)
        if year not in frame.columns:
            frame[year] = self.fiscal_year
        if self.quarter is not None and quarter not in frame.columns:
            frame[quarter] = self.quarter
        return frame


_FILE_NAME_UNSAFE = re.compile(r"[^\w.-]+")
"""Anything but letters (Thai too), digits, `_`, `.` and `-` becomes `_` in a file name."""


def download_for(filters: Filters, what: str, whole_year: bool = False) -> Download:
    """The Download of the page's unit and period: `whole_year` for pages that show every quarter of the year."""
    return Download(what, filters.unit_code, filters.fiscal_year, None if whole_year else filters.quarter)


DOWNLOAD_DECIMALS = {"score": 4, "projected_score": 4, "projected_weight": 1,
                     "progress": 1, "weight_share": 1, "reported_share": 1, "reported_weight": 1,
                     "weight_pct": 1}
"""Columns (by i18n header key) rounded in page downloads: scores to four decimals as the product writes them,
percentages to one."""


def rounded(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The downloaded numbers as a reader wants them (DOWNLOAD_DECIMALS); the analysts' exact values are in the
    CLI export and on the SQL page."""
    frame = frame.copy()
    for key, decimals in DOWNLOAD_DECIMALS.items():
        column = i18n.t(key, lang)
        if column in frame.columns and pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = [_half_up(value, decimals) for value in frame[column]]
    return frame


def _half_up(value: object, decimals: int) -> float | None:
    """Half up, read to ten decimals first, as scoring.format_score rounds (3.60065 -> 3.6007)."""
    if value is None or pd.isna(value):
        return None
    return float(Decimal(f"{float(value):.10f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def downloads(frame: Frame, name: str | Download, lang: str, key: str) -> None:
    """CSV and Excel buttons for the numbers behind a chart; the files are made only when clicked."""

    def numbers() -> pd.DataFrame:
        rows = rounded(frame() if callable(frame) else frame, lang)
        return name.stamped(rows, lang) if isinstance(name, Download) else rows

    stem = name.file_stem if isinstance(name, Download) else name
    row = st.container(horizontal=True)
    row.download_button(
        i18n.t("download_csv", lang), lambda: csv_bytes(numbers()), file_name=f"{stem}.csv",
        mime=CSV_MIME, key=f"{key}_csv", on_click="ignore", icon=":material/download:",
    )
    row.download_button(
        i18n.t("download_xlsx", lang), lambda: xlsx_bytes(numbers(), stem), file_name=f"{stem}.xlsx",
        mime=XLSX_MIME, key=f"{key}_xlsx", on_click="ignore", icon=":material/download:",
    )


def chart(fig: go.Figure, frame: Frame, name: str | Download, lang: str, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    downloads(frame, name, lang, key)


def export(frame: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """The columns a reader wants, headed in the page's language (`columns` maps column -> i18n key)."""
    return frame[list(columns)].rename(columns={name: i18n.t(key, lang) for name, key in columns.items()})


BADGE_COLOURS = {"on_track": "green", "at_risk": "yellow", "off_track": "red", "not_reported": "gray",
                 "provisional": "blue"}
"""The st.badge colour of each status (AGGREGATE_STATUSES): the nearest of Streamlit's to the status colour the
charts draw."""


def status_badge(status: str, lang: str, reported_weight_pct: float | None = None) -> str:
    """A status as Streamlit's badge in its colour, in Markdown (`:green-badge[...]`, what st.badge draws), to
    stand in a line of text; a provisional one says how much of the weight is reported, when given."""
    text = i18n.status_name(status, lang)
    if status == PROVISIONAL and reported_weight_pct is not None:
        text = i18n.t("provisional_badge", lang, pct=i18n.pct_text(reported_weight_pct))
    return f":{BADGE_COLOURS[status]}-badge[{text.replace('[', '(').replace(']', ')')}]"


def score_card(title: str, score_text: str, status: str, lines: list[str], lang: str,
               trend: list[float] | None = None) -> None:
    """A bordered card: its title in full (wrapping, where st.metric's label would be cut off), the score as
    st.metric with the line of `trend` (the scores of the quarters so far, when there are two or more), the status
    badge, small print lines. The badge names the status only: the lines say how much weight is reported (a
    provisional badge saying it too was cut off at the card's edge)."""
    with st.container(border=True, height="stretch"):
        st.markdown(f"**{title}**")
        st.metric(title, score_text, label_visibility="collapsed",
                  chart_data=trend if trend and len(trend) > 1 else None, chart_type="line")
        st.markdown(status_badge(status, lang))
        for line in lines:
            st.caption(line)


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


def _status_style(lang: str):
    colours = {i18n.status_name(code, lang): colour for code, (_, _, colour) in AGGREGATE_STATUSES.items()}

    def style(value: object) -> str:
        colour = colours.get(value)
        return f"background-color: {colour}; color: white" if colour else ""

    return style


_FORMATS = {
    "score": i18n.score_text, "projected_score": i18n.score_text, "projected_weight": i18n.pct_text,
    "progress": i18n.pct_text, "weight_share": i18n.pct_text,
    "reported_share": i18n.pct_text, "reported_weight": i18n.pct_text, "weight_pct": i18n.pct_text,
}
"""How a column headed with this i18n key reads; other numbers read as `i18n.number_text`."""
_WIDTHS = {"kpi_code": 90, "kpi_name": 160, "unit_name": 110, "note": "large", "evidence": "medium",
           "category": "medium", "score": 62, "status": 110, "actual": 58, "target": 64, "kpi_unit": 62,
           "progress": 70, "weight": 58, "trend_short": 96, "projection": "large"}
"""Pixel (or named) widths of table columns by i18n header key: the overview's ten-KPI table fits the page."""
_RIGHT_ALIGNED = {"score", "actual", "target", "progress", "weight", "projected_score", "projected_weight"}
"""Columns of numbers (by i18n header key), aligned right as numbers are."""
TREND_COLOUR = "#1565c0"
SHORT_HEADERS = {"actual": "actual_short", "target": "target_short", "kpi_unit": "kpi_unit_short",
                 "progress": "progress_short", "weight": "weight_short"}
"""Headers shown short in tables (the full header is the column's tooltip and stays in the downloads)."""


def _display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every cell as the reader sees it: scores with four decimals, percents, '–' where empty."""
    labels = {i18n.t(k, lang): k for k in _FORMATS}
    display = frame.copy()
    for column in display.columns:
        if column in labels:
            display[column] = [_FORMATS[labels[column]](v) for v in display[column]]
        elif pd.api.types.is_float_dtype(display[column]):
            display[column] = [i18n.number_text(v) for v in display[column]]
        else:
            display[column] = [_line(v) if isinstance(v, list) else "–" if _is_empty(v) else str(v)
                               for v in display[column]]
    return display


def _line(scores: list) -> list[float]:
    """The points of a line column: Streamlit's line cell draws nothing at all where a point is missing, so the
    quarters without a score are left out (the line joins the quarters that have one)."""
    return [round(float(score), 4) for score in scores if not _is_empty(score)]


def _is_empty(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple) and pd.isna(value))


TABLE_ROWS = 200
"""Rows a table of every unit, account or submission shows; a ministry's tens of thousands are in its download."""


def first_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The first TABLE_ROWS rows of a table (the only ones formatted and sent), with a caption of how many in all
    above that; pages add `downloads` of every row, built when clicked."""
    if len(frame) <= TABLE_ROWS:
        return frame
    st.caption(i18n.t("first_rows_shown", lang, shown=TABLE_ROWS, total=f"{len(frame):,}"))
    return frame.head(TABLE_ROWS)


STYLED_ROWS = 500
"""Colouring cells goes through pandas' Styler, which is slow on long tables; longer ones stay plain."""


def _column_config(frame: pd.DataFrame, lang: str) -> dict[str, object]:
    """Widths and short headers (the full one as the tooltip) by i18n header key, numbers to the right, and the
    recent-quarters column (`trend_short`, a list of scores per row) as a line on the 0-5 score scale."""
    config = {}
    for k in _WIDTHS.keys() | SHORT_HEADERS.keys() | _RIGHT_ALIGNED:
        column = i18n.t(k, lang)
        if column in frame.columns:
            short = i18n.t(SHORT_HEADERS[k], lang) if k in SHORT_HEADERS else None
            config[column] = st.column_config.Column(short, width=_WIDTHS.get(k), help=column if short else None,
                                                     alignment="right" if k in _RIGHT_ALIGNED else None)
    trend = i18n.t("trend_short", lang)
    if trend in frame.columns:
        config[trend] = st.column_config.LineChartColumn(width=_WIDTHS["trend_short"], y_min=0, y_max=5,
                                                         color=TREND_COLOUR)
    return config


def table(
    frame: pd.DataFrame, lang: str, key: str, name: str | Download | None = None, status_column: bool = False,
    height: int | str = "auto", with_downloads: bool = True,
) -> None:
    """A table of `export`ed columns as the product writes them (scores with four decimals), the status column
    in its status colour; the downloads keep the numbers."""
    config = _column_config(frame, lang)
    shown = _display(frame, lang)
    status = i18n.t("status", lang)
    if status_column and status in frame.columns and len(frame) <= STYLED_ROWS:
        shown = shown.style.map(_status_style(lang), subset=[status])
    st.dataframe(shown, hide_index=True, column_config=config, key=key, height=height)
    if with_downloads:
        downloads(frame, name or key, lang, key)


def scorecard(rows: pd.DataFrame, columns: dict[str, str], lang: str, key: str) -> None:
    """One dimension of the unit scorecard as a `table`: `columns` maps a column of `rows` to its i18n header
    key; 'status' (a status code) reads as its name in its colour, 'trend_short' (scores of the last quarters) as
    a line. The columns have the same widths in every dimension's table, so they line up."""
    rows = rows.assign(**{column: [i18n.status_name(code, lang) for code in rows[column]]
                          for column, k in columns.items() if k == "status"})
    table(export(rows, columns, lang), lang, key, status_column=True, with_downloads=False)


def provisional_note(status: str, lang: str) -> None:
    """Under a provisional score: why it has no verdict, and the rule of the default period (DOMAIN section 8)."""
    if status == PROVISIONAL:
        st.caption(i18n.t("provisional_note", lang, threshold=f"{PROVISIONAL_BELOW_PCT:g}"))


def coloured_table(
    frame: pd.DataFrame, lang: str, key: str, name: str | Download, column: str, colours: dict[str, str]
) -> None:
    """A `table` whose `column` cells wear the colour their text maps to in `colours`."""
    def style(value: object) -> str:
        colour = colours.get(value)
        return f"background-color: {colour}; color: white" if colour else ""

    shown = _display(frame, lang)
    if len(frame) <= STYLED_ROWS:
        shown = shown.style.map(style, subset=[column])
    st.dataframe(shown, hide_index=True, key=key)
    downloads(frame, name, lang, key)


def uploader_in_language(lang: str) -> str:
    """CSS for every file uploader: Streamlit writes its button 'Upload' and '10MB per file' in English whatever
    the page's language. The size is in each uploader's own label already, so the English line goes; in Thai the
    button reads 'เลือกไฟล์'."""
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    css = '[data-testid="stFileUploaderDropzoneInstructions"] {display: none}'
    if lang != "en":
        css += (f" {button} {{font-size: 0}}"
                f' {button}::after {{content: "{i18n.t("uploader_button", lang)}"; font-size: 0.875rem}}')
    return f"<style>{css}</style>"

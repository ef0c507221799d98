"""Small drawing helpers the pages share: page header, chart with its downloads, cards, empty states."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import i18n
from dashboard.filters import Filters
from pipelines.domain import AGGREGATE_STATUSES, STATUSES
from pipelines.export import csv_bytes, xlsx_bytes
from pipelines.scoring import PROVISIONAL, PROVISIONAL_BELOW_PCT, status_of

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


DOWNLOAD_DECIMALS = {"score": 4, "progress": 1, "weight_share": 1, "reported_share": 1, "reported_weight": 1,
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


def status_badge(status: str, lang: str, reported_weight_pct: float | None = None, wrap: bool = False) -> str:
    """A status in its colour; a provisional one says how much of the weight is reported, when given. With `wrap`
    (inside a narrow card) a long badge breaks onto a second line instead of running over the card's edge."""
    colour = AGGREGATE_STATUSES[status][2]
    text = i18n.status_name(status, lang)
    if status == PROVISIONAL and reported_weight_pct is not None:
        text = i18n.t("provisional_badge", lang, pct=i18n.pct_text(reported_weight_pct))
    return (
        f'<span style="background:{colour};color:white;border-radius:0.6rem;padding:0.1rem 0.6rem;'
        f'font-size:0.85rem;{WRAPPING if wrap else "white-space:nowrap"}">{html.escape(text)}</span>'
    )


WRAPPING = "display:inline-block;max-width:100%;white-space:normal;overflow-wrap:anywhere"


def score_card(
    title: str, score_text: str, status: str, lines: list[str], lang: str, reported_weight_pct: float | None = None
) -> None:
    """A card with a coloured edge: title, big score, status badge, small print lines."""
    colour = AGGREGATE_STATUSES[status][2]
    small = "".join(f'<div style="font-size:0.85rem;color:#555">{html.escape(line)}</div>' for line in lines)
    st.markdown(
        f'<div style="border:1px solid #e0e0e0;border-left:0.5rem solid {colour};border-radius:0.5rem;'
        f'padding:0.7rem 0.9rem;min-height:9.5rem">'
        f'<div style="font-size:0.9rem;font-weight:600;min-height:2.6rem">{html.escape(title)}</div>'
        f'<div style="font-size:1.9rem;font-weight:700;line-height:1.3">{html.escape(score_text)}</div>'
        f"<div>{status_badge(status, lang, reported_weight_pct, wrap=True)}</div>{small}</div>",
        unsafe_allow_html=True,
    )


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


def _status_style(lang: str):
    colours = {i18n.status_name(code, lang): colour for code, (_, _, colour) in AGGREGATE_STATUSES.items()}

    def style(value: object) -> str:
        colour = colours.get(value)
        return f"background-color: {colour}; color: white" if colour else ""

    return style


_FORMATS = {
    "score": i18n.score_text, "progress": i18n.pct_text, "weight_share": i18n.pct_text,
    "reported_share": i18n.pct_text, "reported_weight": i18n.pct_text, "weight_pct": i18n.pct_text,
}
"""How a column headed with this i18n key reads; other numbers read as `i18n.number_text`."""
_WIDTHS = {"kpi_code": 90, "kpi_name": 160, "unit_name": 110, "note": "large", "evidence": "medium",
           "category": "medium", "score": 62, "status": 110, "actual": 58, "target": 64, "kpi_unit": 62,
           "progress": 70}
"""Pixel (or named) widths of table columns by i18n header key: the overview's ten-KPI table fits the page."""
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
            display[column] = ["–" if _is_empty(v) else str(v) for v in display[column]]
    return display


def _is_empty(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple) and pd.isna(value))


STYLED_ROWS = 500
"""Colouring cells goes through pandas' Styler, which is slow on long tables; longer ones stay plain."""


def table(
    frame: pd.DataFrame, lang: str, key: str, name: str | Download | None = None, status_column: bool = False,
    height: int | str = "auto", with_downloads: bool = True,
) -> None:
    """A table of `export`ed columns as the product writes them (scores with four decimals), the status column
    in its status colour; the downloads keep the numbers."""
    config = {}
    for k in _WIDTHS.keys() | SHORT_HEADERS.keys():
        column = i18n.t(k, lang)
        if column in frame.columns:
            short = i18n.t(SHORT_HEADERS[k], lang) if k in SHORT_HEADERS else None
            config[column] = st.column_config.Column(short, width=_WIDTHS.get(k), help=column if short else None)
    shown = _display(frame, lang)
    status = i18n.t("status", lang)
    if status_column and status in frame.columns and len(frame) <= STYLED_ROWS:
        shown = shown.style.map(_status_style(lang), subset=[status])
    st.dataframe(shown, hide_index=True, column_config=config, key=key, height=height)
    if with_downloads:
        downloads(frame, name or key, lang, key)


def sparkline_svg(scores: list[float | None], width: int = 120, height: int = 30) -> str:
    """A tiny 0-5 score line with a dashed level-3 rule; gaps where a quarter has no score."""
    step = width / max(len(scores) - 1, 1)

    def y(score: float) -> float:
        return round(height - 3 - (height - 6) * score / 5, 1)

    segments, current = [], []
    for index, score in enumerate(scores):
        if score is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{round(index * step, 1)},{y(score)}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#1565c0" stroke-width="1.8"/>'
        if len(points) > 1 else
        f'<circle cx="{points[0].split(",")[0]}" cy="{points[0].split(",")[1]}" r="2" fill="#1565c0"/>'
        for points in segments
    )
    last = next(((i, s) for i, s in reversed(list(enumerate(scores))) if s is not None), None)
    dot = ""
    if last is not None:
        dot = (f'<circle cx="{round(last[0] * step, 1)}" cy="{y(last[1])}" r="3" '
               f'fill="{STATUSES[status_of(last[1])][2]}"/>')
    return (
        f'<svg width="{width}" height="{height}" viewBox="-3 0 {width + 6} {height}" role="img">'
        f'<line x1="0" x2="{width}" y1="{y(3)}" y2="{y(3)}" stroke="#9e9e9e" stroke-dasharray="3,2"/>'
        f"{lines}{dot}</svg>"
    )


_SCORECARD_WIDTHS = {"kpi_code": 9, "kpi_name": 19, "status": 14, "trend_short": 11, "score": 8}
"""Percent widths of the scorecard columns, the same in every dimension's table so they line up; the other
columns (numbers under SHORT_HEADERS) share the rest."""
_SCORECARD_OTHER_WIDTH = 7.8
_CELL_PADDING = "padding:0.4rem 0.4rem"
_NUMBER_CELL = "white-space:nowrap"
"""Numbers and units of measure never wrap inside (a narrow cell wrapped 2.0000 as 2.000 / 0, ระดับ as ระดั / บ)."""
_HEADER_CELL = f"{_CELL_PADDING};word-break:normal;overflow-wrap:normal;hyphens:manual;vertical-align:bottom"
"""Headers break between words only (Thai at word boundaries), never inside one."""


def scorecard(rows: pd.DataFrame, columns: dict[str, str], lang: str) -> None:
    """The unit scorecard as an HTML table: `columns` maps a column of `rows` to its i18n header key; the
    'status' column becomes a coloured badge, 'trend' a sparkline, 'score' four decimals."""
    head = "".join(
        f'<th style="width:{_SCORECARD_WIDTHS.get(k, _SCORECARD_OTHER_WIDTH)}%;{_HEADER_CELL}" '
        f'title="{html.escape(i18n.t(k, lang))}">{html.escape(i18n.t(SHORT_HEADERS.get(k, k), lang))}</th>'
        for k in columns.values()
    )
    body = []
    for _, row in rows.iterrows():
        cells = []
        for column, k in columns.items():
            value = row[column]
            if k == "status":
                cell = status_badge(value, lang)
            elif k == "trend_short":
                cell = sparkline_svg(value, width=76)
            elif k in _FORMATS:
                cell = html.escape(_FORMATS[k](value))
            elif isinstance(value, float):
                cell = html.escape(i18n.number_text(value))
            else:
                cell = html.escape("–" if _is_empty(value) else str(value))
            align = "left" if k in ("kpi_code", "kpi_name", "kpi_unit") else "center" if k == "status" else "right"
            wrap = f";{_NUMBER_CELL}" if k in ("kpi_code", "kpi_unit") or align == "right" else ""
            cells.append(f'<td style="text-align:{align};{_CELL_PADDING}{wrap}">{cell}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    st.markdown(
        '<table class="bsc-scorecard" style="width:100%;table-layout:fixed;font-size:0.88rem">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
        unsafe_allow_html=True,
    )


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

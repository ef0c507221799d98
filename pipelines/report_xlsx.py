"""The executive report as an Excel workbook (openpyxl): a cover sheet, then one sheet per section with its summary,
its table (headers, Excel number formats on the raw values, statuses by name in their colour) and, where the section
has a chart, a native Excel chart drawn from a small data block beside the table, so an analyst can restyle it.

Every text goes through pipelines.export.spreadsheet_text (the product's one formula-injection guard). Cells are
set in TH Sarabun New (FONT_NAME), the font of Thai government documents; Excel substitutes another font where it is
not installed (the cover says so).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.chart.series import DataPoint
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.domain import AGGREGATE_STATUSES
from pipelines.export import spreadsheet_text
from pipelines.report import Progress, text
from pipelines.report_model import Chart, Report, Section, Table

FONT_NAME = "TH Sarabun New"
FONT_SIZE = 14
NUMBER_FORMATS = {
    "text": "@", "status": "@", "score": "0.0000", "percent": '0.0"%"', "number": "#,##0.00", "integer": "#,##0",
}
"""Excel number format per report_model column format: the cell keeps the raw value (a score to full precision,
a percent as 85.3 shown "85.3%"), the format shows it as the dashboard does."""
SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = str.maketrans({char: "_" for char in "[]:*?/\\"})
MAX_COLUMN_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")


def _font(**style: object) -> Font:
    return Font(name=FONT_NAME, size=style.pop("size", FONT_SIZE), **style)


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = title.translate(_SHEET_FORBIDDEN).strip("' ")[:SHEET_NAME_LIMIT] or "sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def _safe(value: object) -> object:
    return spreadsheet_text(value) if isinstance(value, str) else value


def _put(sheet: Worksheet, row: int, column: int, value: object, **style: object):
    cell = sheet.cell(row=row, column=column, value=_safe(value))
    cell.font = _font(**style)
    return cell


def display_width(value: object) -> int:
    """Roughly how many character cells a value takes: Thai vowel and tone marks above or below take none."""
    shown = value if isinstance(value, str) else f"{value:,.4f}" if isinstance(value, float) else str(value)
    return sum(1 for char in shown if not unicodedata.combining(char) and unicodedata.category(char) != "Mn")


def _write_table(sheet: Worksheet, table: Table, report: Report, top: int) -> int:
    """The table from row `top`; returns the first row below it (and its note)."""
    widths = [display_width(header) for header in table.columns]
    for column, header in enumerate(table.columns, start=1):
        cell = _put(sheet, top, column, header, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, values in enumerate(table.rows, start=top + 1):
        for column, (value, kind) in enumerate(zip(values, table.formats, strict=True), start=1):
            if kind == "status" and value is not None:
                colour = report_status_colour(value)
                cell = _put(sheet, number, column, report.status_names.get(value, value), bold=True, color=colour)
            else:
                cell = _put(sheet, number, column, value)
                cell.number_format = NUMBER_FORMATS[kind]
            cell.alignment = Alignment(wrap_text=kind == "text", vertical="top")
            if value is not None:
                widths[column - 1] = max(widths[column - 1], display_width(cell.value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 3, MAX_COLUMN_WIDTH)
    below = top + len(table.rows) + 1
    if table.note:
        _put(sheet, below, 1, table.note, italic=True)
        below += 1
    return below


def report_status_colour(code: str) -> str:
    return AGGREGATE_STATUSES[code][2].lstrip("#").upper() if code in AGGREGATE_STATUSES else "000000"


def _chart_data(sheet: Worksheet, chart: Chart, report: Report, top: int, left: int) -> tuple[int, int, int]:
    """The chart's categories and series (and the target line's values) as a block at (top, left); returns its
    last row, and the first and last column of the series."""
    _put(sheet, top - 1, left, text("chart_data", report.lang), italic=True)
    _put(sheet, top, left, "", bold=True)
    series = list(chart.series)
    for offset, item in enumerate(series, start=1):
        _put(sheet, top, left + offset, item.name, bold=True)
    with_target = chart.target is not None and chart.kind == "bar"
    if with_target:
        _put(sheet, top, left + len(series) + 1, chart.target_label, bold=True)
    for number, category in enumerate(chart.categories, start=top + 1):
        _put(sheet, number, left, category)
        for offset, item in enumerate(series, start=1):
            _put(sheet, number, left + offset, item.values[number - top - 1])
        if with_target:
            _put(sheet, number, left + len(series) + 1, chart.target)
    sheet.column_dimensions[get_column_letter(left)].width = min(
        max([display_width(c) for c in chart.categories] + [8]) + 3, MAX_COLUMN_WIDTH)
    return top + len(chart.categories), left + 1, left + len(series) + (1 if with_target else 0)


def _native_chart(sheet: Worksheet, chart: Chart, report: Report, title: str, top: int, left: int):
    last_row, first_column, last_column = _chart_data(sheet, chart, report, top, left)
    series_columns = len(chart.series)
    if chart.kind == "radar":
        drawn = RadarChart()
        drawn.type = "marker"
    elif chart.kind == "line":
        drawn = LineChart()
    else:
        drawn = BarChart()
        drawn.type = "bar" if chart.kind == "barh" else "col"
        drawn.grouping = "clustered"
    data = Reference(sheet, min_col=first_column, max_col=first_column + series_columns - 1, min_row=top,
                     max_row=last_row)
    drawn.add_data(data, titles_from_data=True)
    drawn.set_categories(Reference(sheet, min_col=left, min_row=top + 1, max_row=last_row))
    for drawn_series, series in zip(drawn.series, chart.series, strict=True):
        if series.colour:
            drawn_series.graphicalProperties.solidFill = series.colour.lstrip("#")
            drawn_series.graphicalProperties.line.solidFill = series.colour.lstrip("#")
        for index, colour in enumerate(series.point_colours):
            if colour and chart.kind in ("bar", "barh"):
                point = DataPoint(idx=index)
                point.graphicalProperties.solidFill = colour.lstrip("#")
                drawn_series.dPt.append(point)
    if chart.kind == "barh":
        drawn.x_axis.scaling.orientation = "maxMin"  # categories top to bottom, as listed
    if chart.value_range is not None:
        drawn.y_axis.scaling.min, drawn.y_axis.scaling.max = chart.value_range
    drawn.y_axis.title = chart.value_title or None
    drawn.x_axis.delete = drawn.y_axis.delete = False
    if last_column > first_column + series_columns - 1:  # the target line over the bars
        line = LineChart()
        line.add_data(Reference(sheet, min_col=last_column, min_row=top, max_row=last_row), titles_from_data=True)
        line.series[0].graphicalProperties.line.solidFill = "C62828"
        line.series[0].graphicalProperties.line.dashStyle = "dash"
        line.series[0].marker.symbol = "none"
        drawn += line
    drawn.title = title
    drawn.width, drawn.height = 24, max(10, min(0.7 * len(chart.categories) + 4, 30))
    return drawn


def _printable(sheet: Worksheet) -> None:
    """Printed landscape on A4, as wide as one page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _section_sheet(sheet: Worksheet, section: Section, report: Report) -> None:
    _printable(sheet)
    _put(sheet, 1, 1, section.title, bold=True, size=20)
    row = 2
    for line in section.summary:
        _put(sheet, row, 1, line)
        row += 1
    row += 1
    if section.empty_text and section.table is None and section.chart is None:
        _put(sheet, row, 1, section.empty_text, italic=True)
        sheet.column_dimensions["A"].width = MAX_COLUMN_WIDTH
        return
    columns = 0
    if section.table is not None:
        columns = len(section.table.columns)
        below = _write_table(sheet, section.table, report, row)
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    else:
        below = row
    if section.chart is not None:
        left = columns + 2
        drawn = _native_chart(sheet, section.chart, report, section.title, row + 1, left)
        data_end = row + 1 + len(section.chart.categories)  # the chart goes under the table and its data
        sheet.add_chart(drawn, f"A{max(below, data_end) + 2}")


def _cover(sheet: Worksheet, report: Report) -> None:
    lang = report.lang
    _put(sheet, 1, 1, report.title, bold=True, size=24)
    lines = [(text("cover_agency", lang), report.agency), (text("col_unit", lang), report.unit_name),
             (text("cover_period", lang), report.period), (text("cover_generated", lang), report.generated)]
    for number, (label, value) in enumerate(lines, start=3):
        _put(sheet, number, 1, label, bold=True)
        _put(sheet, number, 2, value)
    row = len(lines) + 4
    _put(sheet, row, 1, text("contents", lang), bold=True)
    for number, section in enumerate(report.sections, start=row + 1):
        _put(sheet, number, 1, number - row)
        _put(sheet, number, 2, section.title)
    _put(sheet, row + len(report.sections) + 2, 1, text("font_note", lang, font=FONT_NAME), italic=True, size=11)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = MAX_COLUMN_WIDTH


def render_xlsx(report: Report, path: Path | str, progress: Progress | None = None) -> None:
    """Write `report` as an .xlsx file at `path`."""
    book = Workbook()
    taken: set[str] = set()
    cover = book.active
    cover.title = sheet_name(text("cover", report.lang), taken)
    _printable(cover)
    _cover(cover, report)
    for number, section in enumerate(report.sections):
        if progress:
            progress(number / (len(report.sections) + 1), section.title)
        _section_sheet(book.create_sheet(sheet_name(section.title, taken)), section, report)
    if progress:
        progress(len(report.sections) / (len(report.sections) + 1), report.title)
    book.save(path)
    if progress:
        progress(1.0, report.title)

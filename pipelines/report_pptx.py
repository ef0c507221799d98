"""The executive report as a PowerPoint deck (python-pptx), 16:9, for an analyst to adjust before the meeting: a title
slide, then per section a slide with its title (a real title placeholder), its summary, a native chart (bar, line
or radar, with the target line over the bars) and/or its table; a long table goes on onto "(continued)" slides.
Every text is editable text, every run set in one Thai font (`deck_font`: the setting BSC_REPORT_FONT, by default
TH Sarabun New; Laksaman is its free twin from Debian's fonts-thai-tlwg) for the Latin, East Asian and complex-script
(Thai) slots, so PowerPoint does not fall back to another font for the Thai.
"""

from __future__ import annotations

import copy
import math
import os
import unicodedata
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

from pipelines.domain import AGGREGATE_STATUSES
from pipelines.report import Progress, text
from pipelines.report_model import Chart, Report, Section, Table, format_cell

FONT_SETTING = "BSC_REPORT_FONT"
DEFAULT_FONT = "TH Sarabun New"
"""The font of Thai government documents, installed with Office on the agency's machines; set BSC_REPORT_FONT to
"Laksaman" (fonts-thai-tlwg) where only the free twin is installed."""
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BOTTOM = Inches(0.55)
"""Kept free under a table: its note."""
GAP = Inches(0.2)
CONTINUED_TOP = Inches(1.2)
TABLE_FONT, HEADER_FONT = 12, 12
CHAR = Inches(0.09)
"""The width of a character of 12 pt text (Thai or digits), for the layout's estimates."""
LINE = Inches(0.24)
PAD = Inches(0.3)
"""A cell's left and right margins together, and a little room."""
CELL_MARGIN = Inches(0.12)
SHORT_TEXT = 14
"""A text column whose values are at most this long (a code, a date) is as wide as they are."""
LONG_TEXT_CAP = 60
BESIDE_CHART_COLUMNS = 6
"""A table of at most this many columns goes beside the chart if it fits there (`_natural_width`, its long texts
wrapped at BESIDE_TEXT characters); a wider one onto the next slide."""
BESIDE_TEXT = 20
CHART_SHARE = 0.42
"""The chart's share of the slide's width when a table stands beside it."""
CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "radar": XL_CHART_TYPE.RADAR_MARKERS,
}
TARGET_COLOUR = "C62828"
_AFTER_TYPEFACES = ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")


def deck_font() -> str:
    return os.environ.get(FONT_SETTING, "").strip() or DEFAULT_FONT


def _width(value: str) -> int:
    return sum(1 for char in value if unicodedata.category(char) != "Mn")


def set_typeface(properties, font: str) -> None:
    """Name `font` for the Latin, East Asian and complex-script (Thai) text of a run's or a chart's properties."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for found in properties.findall(qn(tag)):
            properties.remove(found)
    anchor = next((child for child in properties if child.tag in {qn(tag) for tag in _AFTER_TYPEFACES}), None)
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = properties.makeelement(qn(tag), {"typeface": font})
        if anchor is None:
            properties.append(element)
        else:
            anchor.addprevious(element)


def _text_frames(shapes):
    for shape in shapes:
        if shape.has_text_frame:
            yield shape.text_frame
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    yield cell.text_frame


def apply_font(deck, font: str) -> None:
    """Every run of every slide, and every chart's text, in `font`."""
    for slide in deck.slides:
        for frame in _text_frames(slide.shapes):
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    set_typeface(run._r.get_or_add_rPr(), font)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                set_typeface(shape.chart.font._rPr, font)
                axis = shape.chart.value_axis  # every chart of the deck has one (CHART_TYPES)
                if axis.has_title:
                    for paragraph in axis.axis_title.text_frame.paragraphs:
                        for run in paragraph.runs:
                            set_typeface(run._r.get_or_add_rPr(), font)


def _lines(frame, lines: list[str], size: int, **style: object) -> None:
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = style.get("bold", False)
        run.font.italic = style.get("italic", False)


def _titled_slide(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only": a real title placeholder
    placeholder = slide.shapes.title
    placeholder.left, placeholder.top, placeholder.width, placeholder.height = (
        MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.9))
    placeholder.text_frame.text = title
    for paragraph in placeholder.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(32), True
    return slide


def _summary(slide, lines: tuple[str, ...]) -> int:
    """The summary under the title; returns where the body starts (EMU from the top)."""
    top = Inches(1.2)
    if not lines:
        return top
    height = Inches(0.38) * len(lines)
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height)
    _lines(box.text_frame, list(lines), 18)
    return top + height + Inches(0.15)


def _target_as_line(chart, target_label: str) -> None:
    """Move the last series of a column chart (the target, one value per category) into a line over the bars."""
    bar = chart._chartSpace.plotArea.find(qn("c:barChart"))
    series = bar.findall(qn("c:ser"))[-1]
    bar.remove(series)
    for tag in ("c:invertIfNegative", "c:spPr", "c:dPt"):
        for found in series.findall(qn(tag)):
            series.remove(found)
    series.find(qn("c:tx")).addnext(parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:ln w="28575"><a:solidFill><a:srgbClr val="{TARGET_COLOUR}"/></a:solidFill>'
        '<a:prstDash val="dash"/></a:ln></c:spPr>'))
    series.find(qn("c:spPr")).addnext(parse_xml(f'<c:marker {nsdecls("c")}><c:symbol val="none"/></c:marker>'))
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    line.append(series)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for axis in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(axis))
    bar.addnext(line)


def _every_category_label(chart) -> None:
    """Name every bar (PowerPoint skips labels it finds crowded: a unit without its name)."""
    axis = chart._chartSpace.plotArea.find(qn("c:catAx"))
    skip = parse_xml(f'<c:tickLblSkip {nsdecls("c")} val="1"/>')
    following = axis.find(qn("c:tickMarkSkip"))
    following = following if following is not None else axis.find(qn("c:noMultiLvlLbl"))
    if following is not None:
        following.addprevious(skip)
    else:
        axis.append(skip)


def _chart(slide, chart: Chart, left: int, top: int, width: int, height: int) -> None:
    data = CategoryChartData()
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values), number_format="0.00")
    with_target = chart.target is not None and chart.kind == "bar"
    if with_target:
        data.add_series(chart.target_label, [chart.target] * len(chart.categories))
    drawn = slide.shapes.add_chart(CHART_TYPES[chart.kind], left, top, width, height, data).chart
    for plotted, series in zip(drawn.plots[0].series, chart.series, strict=False):
        if series.colour and chart.kind in ("line", "radar"):
            plotted.format.line.color.rgb = RGBColor.from_string(series.colour.lstrip("#").upper())
        elif series.colour:
            plotted.format.fill.solid()
            plotted.format.fill.fore_color.rgb = RGBColor.from_string(series.colour.lstrip("#").upper())
        if chart.kind in ("bar", "barh"):
            for index, colour in enumerate(series.point_colours):
                if colour:
                    point = plotted.points[index].format.fill
                    point.solid()
                    point.fore_color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    if with_target:
        _target_as_line(drawn, chart.target_label)
    drawn.has_title = False  # the slide's title names it
    drawn.category_axis.tick_labels.font.size = drawn.value_axis.tick_labels.font.size = Pt(11)
    if chart.kind == "barh":
        drawn.category_axis.reverse_order = True  # categories top to bottom, as listed
        _every_category_label(drawn)
    if chart.value_range is not None:
        drawn.value_axis.minimum_scale, drawn.value_axis.maximum_scale = chart.value_range
    if chart.value_title and chart.kind != "radar":
        drawn.value_axis.has_title = True
        drawn.value_axis.axis_title.text_frame.text = chart.value_title
    drawn.has_legend = len(chart.series) > 1 or with_target or chart.kind == "radar"
    if drawn.has_legend:
        drawn.legend.position = XL_LEGEND_POSITION.BOTTOM
        drawn.legend.include_in_layout = False
    drawn.font.size = Pt(12)


def _column_widths(table: Table, shown: list[list[str]], width: int) -> list[int]:
    """Numbers, statuses and short texts as wide as their longest value (a header may wrap); the long texts share
    what is left, in proportion to their length."""
    wanted = []
    for column, kind in enumerate(table.formats):
        longest = max([_width(row[column]) for row in shown] + [min(_width(table.columns[column]), 8)])
        wanted.append((kind == "text" and longest > SHORT_TEXT, min(longest, LONG_TEXT_CAP)))
    fixed = {column: chars * CHAR + PAD for column, (long, chars) in enumerate(wanted) if not long}
    flexible = {column: chars for column, (long, chars) in enumerate(wanted) if long}
    rest = width - sum(fixed.values())
    if not flexible or rest < Inches(1) * len(flexible):  # no long text, or too many columns: all in proportion
        weights = {column: chars * CHAR + PAD for column, (_, chars) in enumerate(wanted)}
        total = sum(weights.values())
        return [int(width * weights[column] / total) for column in range(len(wanted))]
    total = sum(flexible.values())
    return [int(fixed[column]) if column in fixed else int(rest * flexible[column] / total)
            for column in range(len(wanted))]


def _natural_width(table: Table, shown: list[list[str]]) -> int:
    """How wide the table wants to be with its long texts wrapped at BESIDE_TEXT characters."""
    return sum(min(max([_width(row[column]) for row in shown] + [min(_width(header), 8)]), BESIDE_TEXT) * CHAR + PAD
               for column, header in enumerate(table.columns))


def _row_height(cells: list[str], widths: list[int], size: int = TABLE_FONT) -> int:
    """The height a row takes once its texts wrap in their columns (estimated from their length)."""
    lines = max(math.ceil(_width(text) * CHAR * size / TABLE_FONT / max(width - PAD, CHAR)) or 1
                for text, width in zip(cells, widths, strict=True))
    return int(lines * LINE * size / TABLE_FONT + CELL_MARGIN)


def _table(slide, table: Table, rows: list[list[str]], raw: list[tuple[object, ...]], widths: list[int],
           left: int, top: int) -> int:
    """The header and `rows` (texts; `raw` their values, for the status colours); returns the table's bottom."""
    heights = [_row_height(list(table.columns), widths, HEADER_FONT)] + [_row_height(row, widths) for row in rows]
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), left, top, sum(widths), sum(heights))
    grid = shape.table
    for column, column_width in enumerate(widths):
        grid.columns[column].width = Emu(column_width)
    for number, height in enumerate(heights):
        grid.rows[number].height = Emu(height)
    for column, header in enumerate(table.columns):
        _lines(grid.cell(0, column).text_frame, [header], HEADER_FONT, bold=True)
    for number, (values, values_raw) in enumerate(zip(rows, raw, strict=True), start=1):
        for column, (value, kind) in enumerate(zip(values, table.formats, strict=True)):
            frame = grid.cell(number, column).text_frame
            _lines(frame, [value], TABLE_FONT, bold=kind == "status")
            if kind == "status" and values_raw[column] in AGGREGATE_STATUSES:
                colour = AGGREGATE_STATUSES[values_raw[column]][2].lstrip("#").upper()
                frame.paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(colour)
    return top + sum(heights)


def _note(slide, note: str, top: int) -> None:
    box = slide.shapes.add_textbox(MARGIN, min(top + Inches(0.05), HEIGHT - Inches(0.5)), WIDTH - 2 * MARGIN,
                                   Inches(0.4))
    _lines(box.text_frame, [note], 14, italic=True)


def _continued(deck, section: Section, report: Report):
    return _titled_slide(deck, text("continued", report.lang, title=section.title))


def _section_slides(deck, section: Section, report: Report) -> None:
    """The section's slide, and as many "(continued)" slides as its table needs (rows paged by their height)."""
    slide = _titled_slide(deck, section.title)
    top = _summary(slide, section.summary)
    full = WIDTH - 2 * MARGIN
    table = section.table
    if table is None and section.chart is None:
        box = slide.shapes.add_textbox(MARGIN, top, full, Inches(0.6))
        _lines(box.text_frame, [section.empty_text], 20, italic=True)
        return
    shown = [] if table is None else [
        [format_cell(value, kind, report.status_names) for value, kind in zip(row, table.formats, strict=True)]
        for row in table.rows]
    left, width = MARGIN, full
    if section.chart is not None:
        room = full - int(full * CHART_SHARE) - GAP
        beside = (table is not None and len(table.columns) <= BESIDE_CHART_COLUMNS
                  and _natural_width(table, shown) <= room)
        chart_width = int(full * CHART_SHARE) if beside else full
        _chart(slide, section.chart, MARGIN, top, chart_width, HEIGHT - top - BOTTOM)
        if beside:
            left, width = MARGIN + chart_width + GAP, full - chart_width - GAP
        elif table is not None:
            slide, top = _continued(deck, section, report), CONTINUED_TOP
    if table is None:
        return
    start = 0
    while True:
        widths = _column_widths(table, shown, width)
        room = HEIGHT - top - BOTTOM - _row_height(list(table.columns), widths, HEADER_FONT)
        end = start + 1  # at least one row per slide, however tall
        used = _row_height(shown[start], widths)
        while end < len(shown) and used + _row_height(shown[end], widths) <= room:
            used += _row_height(shown[end], widths)
            end += 1
        bottom = _table(slide, table, shown[start:end], list(table.rows[start:end]), widths, left, top)
        if end >= len(shown):
            if table.note:
                _note(slide, table.note, bottom)
            return
        start = end
        slide, top, left, width = _continued(deck, section, report), CONTINUED_TOP, MARGIN, full


def _title_slide(deck, report: Report) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.8), WIDTH - 2 * MARGIN, Inches(1.6)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(3)
    title.text_frame.text = report.title
    title.text_frame.paragraphs[0].runs[0].font.size = Pt(40)
    title.text_frame.paragraphs[0].runs[0].font.bold = True
    lines = [report.agency] + ([report.unit_name] if report.unit_name != report.agency else [])
    lines += [report.period, f"{text('cover_generated', report.lang)} {report.generated}"]
    subtitle.text_frame.clear()
    _lines(subtitle.text_frame, lines, 24)


def render_pptx(report: Report, path: Path | str, progress: Progress | None = None, font: str | None = None) -> None:
    """Write `report` as a .pptx deck at `path`, every run in `font` (default: deck_font())."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _title_slide(deck, report)
    for number, section in enumerate(report.sections):
        if progress:
            progress(number / (len(report.sections) + 1), section.title)
        _section_slides(deck, section, report)
    apply_font(deck, font or deck_font())
    if progress:
        progress(len(report.sections) / (len(report.sections) + 1), report.title)
    deck.save(path)
    if progress:
        progress(1.0, report.title)

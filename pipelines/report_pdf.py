"""The executive report (`pipelines.report_model.Report`) as an A4 PDF.

The report is written as one HTML document and printed by headless Chromium (`--print-to-pdf`): Chromium shapes
Thai with HarfBuzz (tone marks and vowels placed), breaks Thai lines between words with ICU's dictionary, embeds
the font it used, and draws the charts with the same plotly.js as the dashboard, inlined from the local plotly
package. Page numbers are CSS page-margin boxes ("หน้า 3 / 12"). Nothing is loaded from outside the machine: the
font is inlined as a data: URL, the page's Content-Security-Policy allows only the two scripts written here (by
hash) and no connection, and Chromium resolves no host name. User data (unit names, notes) is HTML-escaped text and
JSON in a non-executed block, never script. docs/reference/report-pdf.md says how to use TH Sarabun New.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.domain import AGGREGATE_STATUSES, DIMENSION_COLOURS
from pipelines.report_model import Chart, Report, Section, Table, format_cell

Progress = Callable[[float, str], None]

FONT_ENV = "BSC_REPORT_FONT"
"""The report's font family, as installed on the server (fontconfig), e.g. "TH Sarabun New": the same setting names
the PowerPoint deck's font. Unset: TH Sarabun New where it is installed, else Laksaman (fonts-thai-tlwg)."""
FONT_FILE_ENV = "BSC_REPORT_FONT_FILE"
"""Path of the regular face of a font file not installed in the system (e.g. /opt/fonts/THSarabunNew.ttf); wins
over BSC_REPORT_FONT in the PDF."""
FONT_BOLD_FILE_ENV = "BSC_REPORT_FONT_BOLD_FILE"
"""Path of its bold face; without it headings are a bold drawn from the regular face."""
PREFERRED_FAMILIES = ("TH Sarabun New", "Laksaman")
CHROMIUM_ENV = "BSC_CHROMIUM"
"""The Chromium executable; default `chromium` on PATH (Debian's package), as the browser tests use."""
TIME_LIMIT_ENV = "BSC_PDF_TIME_LIMIT"
"""Seconds Chromium may take to print one report before it is stopped (default 120)."""

LAKSAMAN = Path("/usr/share/fonts/truetype/tlwg/Laksaman.ttf")
LAKSAMAN_BOLD = Path("/usr/share/fonts/truetype/tlwg/Laksaman-Bold.ttf")
FALLBACK_FONTS = "'TH Sarabun New', 'THSarabunNew', Laksaman, Garuda, 'Noto Sans Thai', sans-serif"
"""Installed fonts Chromium may use for a character the report font lacks."""

CONTENT_WIDTH_PX = 680
"""A4 (210 mm) less 15 mm margins each side, in CSS pixels (96 per inch): the width of a chart."""
TARGET_LINE = {"dash": "dash", "color": "#424242", "width": 1.5}
"""The level-3 line, as the dashboard draws it (dashboard/charts.py)."""
SERIES_COLOURS = tuple(DIMENSION_COLOURS.values())
"""Colours of series that name none, in turn: the dashboard's dimension palette."""
CONTENT_WIDTH_MM = 180
CHAR_MM = 2.4
BOLD_CHAR_MM = 2.6
"""About the width of a digit or a Thai letter at the tables' 13 pt, and of a bold one (a status)."""
CELL_PADDING_MM = 4
WIDE_TABLE_COLUMNS = 6
WIDE_TABLE_SCALE = 11 / 13
"""A table of more columns is set in 11 pt instead of 13 pt, so that its text columns keep some width on A4."""
TEXT_FORMATS = frozenset({"text"})
TEXT_WEIGHT_CAP = 150
NO_SCRIPT = "'none'"
NUMERIC_FORMATS = frozenset({"score", "percent", "number", "integer"})

LABELS = {
    "th": {"agency": "ส่วนราชการ", "unit": "หน่วยงาน", "period": "ช่วงเวลา", "generated": "จัดทำเมื่อ",
           "laying_out": "กำลังจัดหน้ารายงาน PDF", "printing": "กำลังพิมพ์ PDF", "done": "สร้างไฟล์ PDF แล้ว"},
    "en": {"agency": "Agency", "unit": "Unit", "period": "Period", "generated": "Generated",
           "laying_out": "Laying out the PDF report", "printing": "Printing the PDF", "done": "PDF written"},
}


class PdfError(RuntimeError):
    """The PDF could not be made (no Chromium, no font, Chromium failed or took too long): says why in Thai and
    English."""

    def __init__(self, reason_th: str, reason_en: str) -> None:
        super().__init__(f"{reason_th} / {reason_en}")
        self.reason_th = reason_th
        self.reason_en = reason_en


@dataclass(frozen=True)
class ReportFont:
    regular: Path
    bold: Path | None


def report_font() -> ReportFont:
    """The font files of the report: BSC_REPORT_FONT_FILE (and _BOLD_FILE) when set; else the installed family
    BSC_REPORT_FONT; else TH Sarabun New if installed, else Laksaman."""
    regular_file = os.environ.get(FONT_FILE_ENV, "").strip()
    if regular_file:
        bold_file = os.environ.get(FONT_BOLD_FILE_ENV, "").strip()
        font = ReportFont(Path(regular_file), Path(bold_file) if bold_file else None)
        for setting, path in ((FONT_FILE_ENV, font.regular), (FONT_BOLD_FILE_ENV, font.bold)):
            if path is not None and not path.is_file():
                raise PdfError(f"ไม่พบไฟล์ฟอนต์ {path} ที่ตั้งไว้ใน {setting}",
                               f"font file {path} not found (set in {setting})")
        return font
    family = os.environ.get(FONT_ENV, "").strip()
    for candidate in (family,) if family else PREFERRED_FAMILIES:
        regular = installed_font_file(candidate, bold=False)
        if regular is not None:
            bold = installed_font_file(candidate, bold=True)
            return ReportFont(regular, bold if bold != regular else None)
    if not family and LAKSAMAN.is_file():  # a machine without fontconfig's fc-match
        return ReportFont(LAKSAMAN, LAKSAMAN_BOLD if LAKSAMAN_BOLD.is_file() else None)
    wanted = family or PREFERRED_FAMILIES[-1]
    raise PdfError(
        f"ไม่พบฟอนต์ {wanted} ในเครื่อง ({FONT_ENV}): ติดตั้งแพ็กเกจ fonts-thai-tlwg หรือคัดลอกไฟล์ฟอนต์ไปที่ "
        f"/usr/local/share/fonts แล้วสั่ง fc-cache หรือตั้ง {FONT_FILE_ENV} เป็นไฟล์ .ttf",
        f"font {wanted} is not installed ({FONT_ENV}): install fonts-thai-tlwg, or copy the font files to "
        f"/usr/local/share/fonts and run fc-cache, or set {FONT_FILE_ENV} to its .ttf file")


def installed_font_file(family: str, *, bold: bool) -> Path | None:
    """The file of `family`'s regular or bold face as fontconfig finds it; None when the family is not installed
    (fontconfig would answer with a substitute: fonts-thai-tlwg maps "TH Sarabun New" to Laksaman)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    pattern = f"{family}:weight={'bold' if bold else 'regular'}:slant=roman"
    try:
        done = subprocess.run([fc_match, "--format=%{family}\t%{file}", pattern], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, _, file = done.stdout.partition("\t")
    if family.casefold() not in {name.strip().casefold() for name in families.split(",")} or not file:
        return None
    return Path(file)


def chromium_executable() -> str:
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    found = shutil.which(configured) if configured else shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PdfError(
            f"ไม่พบโปรแกรม Chromium ({configured or 'chromium'}) ที่ใช้สร้าง PDF: ติดตั้งแพ็กเกจ chromium หรือตั้ง {CHROMIUM_ENV}",
            f"Chromium ({configured or 'chromium'}), which prints the PDF, was not found: install the chromium "
            f"package or set {CHROMIUM_ENV}")
    return found


def render_pdf(report: Report, path: Path, progress: Progress | None = None) -> None:
    """Write `report` to `path` as an A4 PDF; the file appears whole or not at all. Raises PdfError."""
    step = progress or (lambda fraction, text: None)
    labels = LABELS.get(report.lang, LABELS["th"])
    step(0.0, labels["laying_out"])
    document = report_html(report, report_font())
    step(0.2, labels["printing"])
    print_to_pdf(document, Path(path))
    step(1.0, labels["done"])


def print_to_pdf(document: str, path: Path) -> None:
    """Print the HTML `document` with headless Chromium into `path`, in at most BSC_PDF_TIME_LIMIT seconds; the
    browser and every process it started are stopped whatever happens."""
    executable = chromium_executable()
    time_limit = float(os.environ.get(TIME_LIMIT_ENV, "120"))
    with tempfile.TemporaryDirectory(prefix="bsc-report-pdf-") as work:
        page, printed = Path(work) / "report.html", Path(work) / "report.pdf"
        page.write_text(document, encoding="utf-8")
        command = [
            executable, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            # the page is this module's own document, which loads nothing and runs only its two scripts (CSP);
            # Chromium's sandbox needs user namespaces that containers and root lack
            "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri(),
        ]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=time_limit)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium พิมพ์ PDF ไม่เสร็จใน {time_limit:g} วินาที ({TIME_LIMIT_ENV})",
                           f"Chromium did not print the PDF within {time_limit:g} s ({TIME_LIMIT_ENV})") from None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # its own session: the browser and its helpers
            process.wait()
        if process.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            detail = stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise PdfError(f"Chromium สร้าง PDF ไม่สำเร็จ (รหัส {process.returncode}): {' '.join(detail)}",
                           f"Chromium failed to print the PDF (exit {process.returncode}): {' '.join(detail)}")
        partial = path.with_name(f".{path.name}.partial")
        try:
            shutil.copyfile(printed, partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


# --- the document ---------------------------------------------------------------------------------------------

_DRAW_CHARTS = (
    "(function () {"
    " var figures = JSON.parse(document.getElementById('figures').textContent);"
    " for (var i = 0; i < figures.length; i++) {"
    "  Plotly.newPlot('chart-' + i, figures[i].data, figures[i].layout, {staticPlot: true});"
    " }"
    "})();"
)
"""Draws every chart from the JSON block before Chromium prints (plotly draws these SVG charts synchronously,
and Chromium prints after the load event)."""


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def report_html(report: Report, font: ReportFont) -> str:
    """The whole report as one self-contained HTML document (no file or URL outside it)."""
    figures: list[dict] = []
    sections = "".join(_section_html(report, section, figures) for section in report.sections)
    scripts = script_hashes = ""
    if figures:
        plotly_js = _plotly_js()
        figures_json = json.dumps(figures, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
        scripts = (f'<script type="application/json" id="figures">{figures_json}</script>'
                   f"<script>{plotly_js}</script><script>{_DRAW_CHARTS}</script>")
        script_hashes = f"{_script_hash(plotly_js)} {_script_hash(_DRAW_CHARTS)}"
    policy = (f"default-src 'none'; script-src {script_hashes or NO_SCRIPT}; "
              "style-src 'unsafe-inline'; font-src data:; img-src data:")
    return (
        f'<!doctype html><html lang="{_attr(report.lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_attr(policy)}">'
        f"<title>{_text(report.title)}</title><style>{_css(report, font)}</style></head><body>"
        f"{_cover_html(report)}{sections}{scripts}</body></html>"
    )


def _text(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=False)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: every character but letters and digits as a hex escape, so no text can
    close the string or the rule."""
    return '"' + "".join(c if c.isalnum() and c.isascii() else f"\\{ord(c):06x}" for c in text) + '"'


def _font_face(path: Path, weight: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    mime, kind = ("font/otf", "opentype") if path.suffix.lower() == ".otf" else ("font/ttf", "truetype")
    return (f"@font-face {{ font-family: ReportFont; font-weight: {weight}; "
            f"src: url(data:{mime};base64,{data}) format('{kind}'); }}")


def _css(report: Report, font: ReportFont) -> str:
    faces = _font_face(font.regular, "normal") + (_font_face(font.bold, "bold") if font.bold else "")
    running_head = _css_string(f"{report.unit_name} · {report.period}")
    page_number = f'{_css_string(report.page_label + " ")} counter(page) " / " counter(pages)'
    return faces + f"""
@page {{ size: A4; margin: 18mm 15mm 18mm 15mm;
  @top-right {{ content: {running_head}; font-family: ReportFont, {FALLBACK_FONTS}; font-size: 11pt; color: #616161; }}
  @bottom-center {{ content: {page_number}; font-family: ReportFont, {FALLBACK_FONTS}; font-size: 12pt; }} }}
@page :first {{ @top-right {{ content: none; }} }}
html {{ font-family: ReportFont, {FALLBACK_FONTS}; font-size: 16pt; line-height: 1.35; color: #212121;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; }}
.cover {{ break-after: page; padding-top: 60mm; }}
.cover h1 {{ font-size: 30pt; color: #0d47a1; margin: 0 0 12mm; line-height: 1.6; }}
.cover dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 2mm 8mm; font-size: 18pt; }}
.cover dt {{ color: #616161; }} .cover dd {{ margin: 0; }}
section {{ break-before: page; padding-top: 1px; }} /* keeps the heading's margin inside the section: without it
  Chromium also painted the heading's tone marks at the foot of the page before */
section.short {{ break-before: auto; margin-top: 8mm; }}
h2 {{ font-size: 22pt; line-height: 1.6; color: #0d47a1; border-bottom: 1.5pt solid #0d47a1; margin: 0 0 4mm;
  break-after: avoid; }}
p {{ margin: 0 0 2mm; }}
p.empty {{ color: #616161; font-style: italic; }}
.chart {{ width: {CONTENT_WIDTH_PX}px; margin: 3mm 0; break-inside: avoid; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13pt; margin-top: 3mm; }}
table.wide {{ font-size: 11pt; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th {{ background: #e3f2fd; text-align: left; font-weight: bold; }}
th, td {{ border: 0.75pt solid #bdbdbd; padding: 1mm 2mm; vertical-align: top; }}
th.number {{ text-align: right; }}
td.number {{ text-align: right; white-space: nowrap; }}
td.status {{ font-weight: bold; text-align: center; }}
p.note {{ font-size: 12pt; color: #616161; margin-top: 2mm; }}
"""


def _cover_html(report: Report) -> str:
    labels = LABELS.get(report.lang, LABELS["th"])
    rows = [(labels["agency"], report.agency), (labels["unit"], report.unit_name),
            (labels["period"], report.period), (labels["generated"], report.generated)]
    items = "".join(f"<dt>{_text(label)}</dt><dd>{_text(value)}</dd>" for label, value in rows)
    return f'<div class="cover"><h1>{_text(report.title)}</h1><dl>{items}</dl></div>'


def _section_html(report: Report, section: Section, figures: list[dict]) -> str:
    summary = "".join(f"<p>{_text(sentence)}</p>" for sentence in section.summary)
    has_rows = section.table is not None and bool(section.table.rows)
    if not has_rows and section.chart is None:
        body = f'<p class="empty">{_text(section.empty_text)}</p>' if section.empty_text else ""
        css_class = ' class="short"'
    else:
        chart = ""
        if section.chart is not None and section.chart.categories:
            chart = f'<div class="chart" id="chart-{len(figures)}"></div>'
            figures.append(chart_figure(section.chart))
        body = chart + (_table_html(report, section.table) if has_rows else "")
        css_class = ""
    return (f'<section{css_class} data-key="{_attr(section.key)}"><h2>{_text(section.title)}</h2>'
            f"{summary}{body}</section>")


def _table_html(report: Report, table: Table) -> str:
    numeric = [fmt in NUMERIC_FORMATS for fmt in table.formats]
    head = "".join(f'<th{" class=number" if is_number else ""}>{_text(name)}</th>'
                   for name, is_number in zip(table.columns, numeric, strict=True))
    body = "".join(
        "<tr>" + "".join(_cell_html(report, value, fmt) for value, fmt in zip(row, table.formats, strict=True))
        + "</tr>" for row in table.rows)
    note = f'<p class="note">{_text(table.note)}</p>' if table.note else ""
    columns = "".join(f'<col style="width:{share:.1f}%">' for share in _column_shares(report, table))
    wide = ' class="wide"' if len(table.columns) > WIDE_TABLE_COLUMNS else ""
    return (f"<table{wide}><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"</table>{note}")


def _visible_length(text: str) -> int:
    """Characters that take width: a Thai tone mark or upper or lower vowel sits on its consonant."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _column_shares(report: Report, table: Table) -> list[float]:
    """The width of each column, in percent of the table: a figure column what its longest cell needs on one line,
    a status column its longest name (on two lines in a wide table); the rest shared by the text columns
    in proportion to their average length, each at least as wide as its longest code or Latin word, so a long
    note gets room and a code stays whole."""
    shown = [[format_cell(value, fmt, report.status_names) for value, fmt in zip(row, table.formats, strict=True)]
             for row in table.rows]
    columns = [[row[index] for row in shown] for index in range(len(table.formats))]
    scale = WIDE_TABLE_SCALE if len(table.columns) > WIDE_TABLE_COLUMNS else 1.0
    shares: dict[int, float] = {}
    weights: dict[int, float] = {}
    least: dict[int, float] = {}
    for index, (fmt, cells) in enumerate(zip(table.formats, columns, strict=True)):
        if fmt in TEXT_FORMATS:
            weights[index] = max(4.0, min(TEXT_WEIGHT_CAP, sum(map(_visible_length, cells)) / max(1, len(cells))))
            longest_word = max((len(word) for text in cells for word in text.split() if word.isascii()), default=0)
            least[index] = _mm_share(scale * CHAR_MM * longest_word)
        else:
            longest = max(map(_visible_length, cells), default=0)
            status_lines = 2 if scale < 1 else 1
            content_mm = (CHAR_MM * longest if fmt in NUMERIC_FORMATS
                          else BOLD_CHAR_MM * (longest // status_lines + 2 * (status_lines - 1)))
            shares[index] = _mm_share(scale * content_mm)
    while weights:  # a text column narrower than its longest word gets that width; the others share the rest
        left = max(0.0, 100.0 - sum(shares.values()))
        share_of = {index: left * weight / sum(weights.values()) for index, weight in weights.items()}
        too_narrow = {index for index, share in share_of.items() if share < least[index]}
        if not too_narrow:
            shares |= share_of
            break
        for index in too_narrow:
            shares[index] = least[index]
            del weights[index]
    return [shares[index] for index in range(len(columns))]


def _mm_share(content_mm: float) -> float:
    return 100.0 * (content_mm + CELL_PADDING_MM) / CONTENT_WIDTH_MM


def _cell_html(report: Report, value: object, column_format: str) -> str:
    text = format_cell(value, column_format, report.status_names)
    if column_format == "status" and value in AGGREGATE_STATUSES:
        colour = AGGREGATE_STATUSES[str(value)][2]
        return (f'<td class="status" style="background:{colour};color:{_ink_on(colour)}">{_text(text)}</td>')
    return f'<td class="number">{_text(text)}</td>' if column_format in NUMERIC_FORMATS else f"<td>{_text(text)}</td>"


def _ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on the background `colour` ("#rrggbb")."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#212121" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


# --- charts ------------------------------------------------------------------------------------------------------

CHART_LABEL_CHARACTERS = 40
"""Longest category label a chart draws (the table beside it has the whole name): a longer one would squeeze
the plot into a corner of its fixed width."""


def _label(text: str) -> str:
    """Text for plotly, which reads a few HTML tags (<b>, <a href>) in labels: escaped, so a name shows as
    written."""
    return html.escape(text, quote=False)


def _category(text: str) -> str:
    """A category label cut to CHART_LABEL_CHARACTERS with "…", never between a Thai letter and its mark."""
    if len(text) <= CHART_LABEL_CHARACTERS:
        return _label(text)
    end = CHART_LABEL_CHARACTERS - 1
    while end < len(text) and unicodedata.category(text[end]) == "Mn":
        end += 1
    return _label(text[:end] + "…")


def chart_figure(chart: Chart) -> dict:
    """The plotly figure (as its JSON dict) of a Chart, drawn as the dashboard draws its charts: statuses in their
    colours, the level-3 target as a dashed line, horizontal legends under the plot."""
    import plotly.graph_objects as go

    categories = [_category(c) for c in chart.categories]
    fig = go.Figure()
    for index, series in enumerate(chart.series):
        colour = series.colour or SERIES_COLOURS[index % len(SERIES_COLOURS)]
        colours = [point or colour for point in series.point_colours] + [colour] * (
            len(categories) - len(series.point_colours))
        values = list(series.values)
        name = _label(series.name)
        if chart.kind == "bar":
            fig.add_trace(go.Bar(x=categories, y=values, name=name, marker_color=colours))
        elif chart.kind == "barh":
            fig.add_trace(go.Bar(y=categories, x=values, name=name, orientation="h", marker_color=colours))
        elif chart.kind == "line":
            fig.add_trace(go.Scatter(x=categories, y=values, name=name, mode="lines+markers",
                                     line={"color": colour, "width": 2.5}, marker={"color": colours}))
        elif chart.kind == "radar":
            fig.add_trace(go.Scatterpolar(r=values + values[:1], theta=categories + categories[:1], name=name,
                                          fill="toself", line={"color": colour}, opacity=0.8))
        else:
            raise ValueError(f"chart kind {chart.kind!r} is not one of report_model.CHART_KINDS")
    value_axis = {"title": {"text": _label(chart.value_title)}}
    if chart.value_range is not None:
        value_axis["range"] = list(chart.value_range)
    height = 380
    if chart.kind == "radar":
        if chart.target is not None:
            fig.add_trace(go.Scatterpolar(r=[chart.target] * (len(categories) + 1), theta=categories + categories[:1],
                                          name=_label(chart.target_label), mode="lines", line=TARGET_LINE))
        fig.update_layout(polar={"radialaxis": {key: value for key, value in value_axis.items() if key == "range"},
                                 "domain": {"y": [0, 0.86]}}, margin={"b": 30})
        height = 440
    elif chart.kind == "barh":
        height = max(260, 90 + 30 * len(categories))
        fig.update_layout(xaxis=value_axis, yaxis={"autorange": "reversed", "type": "category"})
        if chart.target is not None:
            fig.add_vline(x=chart.target, line=TARGET_LINE, annotation_text=_label(chart.target_label),
                          annotation_position="top right")
    else:
        fig.update_layout(yaxis=value_axis, xaxis={"type": "category"})
        if chart.target is not None:
            fig.add_hline(y=chart.target, line=TARGET_LINE, annotation_text=_label(chart.target_label),
                          annotation_position="top left")
    fig.update_layout(
        width=CONTENT_WIDTH_PX, height=height, font={"family": f"ReportFont, {FALLBACK_FONTS}", "size": 15},
        margin={"l": 10, "r": 10, "t": 50, "b": 10} | fig.layout.margin.to_plotly_json(),
        showlegend=len(fig.data) > 1 or bool(chart.series and chart.series[0].name),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.04, "x": 0}, barmode="group",
        paper_bgcolor="white", plot_bgcolor="#fafafa",
    )
    return json.loads(fig.to_json())

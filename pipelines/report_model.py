"""The executive report as data: what the pack says, independent of the file it is written to.

`pipelines.report` builds one `Report` from the database for a unit and a quarter (in one language); each format
(PDF, PowerPoint, Excel) only lays it out, so the three files of one quarter always carry the same numbers. Values
stay raw (floats, ints, status codes) with a `format` per column; each renderer formats them for Thai readers the
same way (`pipelines.scoring.format_score`, thousands separators, BE dates already in text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.scoring import format_score

COLUMN_FORMATS = ("text", "score", "percent", "number", "status", "integer")
"""How a table column's raw values are shown: text as is; score with two decimals (`scoring.format_score`);
percent with one decimal and "%"; number with thousands separators; integer; status a status code of
`pipelines.domain.AGGREGATE_STATUSES`, shown by its name in the report's language and its colour."""

CHART_KINDS = ("bar", "barh", "line", "radar")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    """Headers in the report's language."""
    rows: tuple[tuple[object, ...], ...]
    """Raw values, one tuple per row, as many as `columns`; None is an empty cell."""
    formats: tuple[str, ...]
    """One of COLUMN_FORMATS per column."""
    note: str = ""
    """A line under the table, e.g. "and 12 more: see the Excel file"."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    """One value per category of its chart; None draws nothing."""
    colour: str = ""
    """"#rrggbb"; empty lets the renderer choose."""
    point_colours: tuple[str, ...] = ()
    """Per category (e.g. bars coloured by status); overrides `colour` where given."""


@dataclass(frozen=True)
class Chart:
    kind: str
    """One of CHART_KINDS: bar (vertical), barh (horizontal, categories top to bottom), line, radar."""
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_title: str = ""
    value_range: tuple[float, float] | None = None
    """E.g. (0, 5.2) for scores."""
    target: float | None = None
    """A reference line (level 3, the target level) with `target_label`."""
    target_label: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    """Stable English key: cover-less sections are "scores", "units", "below_target", "at_risk", "pmqa",
    "okr", "end_products", "submissions"; a renderer may use it for a sheet name or slide layout."""
    title: str
    summary: tuple[str, ...] = ()
    """Plain sentences shown above the table and chart (what an executive reads first)."""
    table: Table | None = None
    chart: Chart | None = None
    empty_text: str = ""
    """Shown instead of the table and chart when the section has nothing to show (e.g. no KPI below target)."""


@dataclass(frozen=True)
class Report:
    lang: str
    """"th" or "en": every text in the report is in this language."""
    title: str
    """E.g. "รายงานผลการดำเนินงานสำหรับผู้บริหาร"."""
    agency: str
    """The agency (root unit) name."""
    unit_code: str
    unit_name: str
    fiscal_year: int
    quarter: int
    period: str
    """E.g. "ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2568"."""
    generated: str
    """The date and time it was produced, in BE, as a person reads it."""
    status_names: dict[str, str] = field(default_factory=dict)
    """Status code -> its name in the report's language, for "status" columns."""
    sections: tuple[Section, ...] = ()
    page_label: str = "หน้า"
    """"หน้า" / "Page", for page numbers."""


def format_cell(value: object, column_format: str, status_names: dict[str, str]) -> str:
    """A raw table value as a Thai reader reads it (COLUMN_FORMATS): the one way every renderer writes a score
    (`scoring.format_score`), a percent, a number with thousands separators, a status by its name; None (or NaN)
    is an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if column_format == "score":
        return format_score(float(value))
    if column_format == "percent":
        return f"{float(value):,.1f}%"
    if column_format == "integer":
        return f"{round(float(value)):,}"
    if column_format == "number":
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    if column_format == "status":
        return status_names.get(str(value), str(value))
    return str(value)

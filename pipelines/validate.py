"""A quarterly submission file + the catalogue -> clean rows, or every problem found (DOMAIN §7)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from pipelines.calendar import format_fiscal_period
from pipelines.catalogue import KpiDef
from pipelines.parsing import (
    TOO_LARGE_EN,
    TOO_LARGE_TH,
    NumberTooLarge,
    clean_multiline,
    clean_text,
    is_percent_unit,
    parse_fiscal_year,
    parse_number,
    parse_quarter,
    percent_cell_value,
    to_arabic_digits,
)
from pipelines.problems import Problem, ProblemCollector
from pipelines.tables import SUBMISSION_COLUMNS, Table, read_table


@dataclass(frozen=True)
class SubmissionRow:
    kpi_code: str
    actual: float | None
    note: str
    evidence: str
    source_row: int


@dataclass
class ValidSubmission:
    unit_code: str
    fiscal_year: int
    quarter: int
    rows: list[SubmissionRow]
    sheet: str
    not_reported: list[str] = field(default_factory=list)  # owned KPI codes without a value


@dataclass(frozen=True)
class Period:
    """What the upload form or CLI options say, used where the file is silent and checked where it is not."""

    division: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = None


FILE_NAME_PERIOD = re.compile(r"(?P<unit>[^_\s]+)_(?P<year>\d{4})_Q(?P<quarter>[1-4])(?![0-9A-Za-z])", re.IGNORECASE)
"""The template's own file name, <unit>_<year>_Q<quarter>.xlsx, anywhere in a name: JPP_2568_Q3.xlsx, JPP_2568_Q3
(1).xlsx as a browser saves a second download, แก้ไข_JPP_2568_Q3.xlsx. A file so named says which unit, year and
quarter it is for."""
FILE_NAME_COLUMN = "ชื่อไฟล์"


@dataclass(frozen=True)
class _Said:
    """One place in the file that names its unit, fiscal year or quarter."""

    value: object  # parsed: unit code, BE year, quarter
    raw: object
    row: int | None
    column: str
    place: str  # header | file_name | row

    def where(self) -> tuple[str, str]:
        return {
            "header": ("ที่หัวแบบฟอร์ม", "in the form header"),
            "file_name": ("ในชื่อไฟล์", "in the file name"),
        }.get(self.place, (f"ในแถว {self.row}", f"on row {self.row}"))


@dataclass
class _Context:
    """The unit, year or quarter of one file: as given (form or option), as the file says it, or failed."""

    given: object = None
    said: list[_Said] = field(default_factory=list)
    failed: bool = False

    def disagreeing(self) -> list[_Said]:
        return [said for said in self.said if self.given is not None and said.value != self.given]

    def said_at(self, other: _Said) -> object:
        """What this field says at the same place (the same row, the header block or the file name), if anything."""
        return next((said.value for said in self.said if said.place == other.place and said.row == other.row), None)

    def value(self) -> object:
        if self.failed or self.disagreeing():
            return None
        return self.given if self.given is not None else (self.said[0].value if self.said else None)


CONTEXT_FIELDS = {
    "division": ("หน่วยงาน", "unit"),
    "fiscal_year": ("ปีงบประมาณ", "fiscal year"),
    "quarter": ("ไตรมาส", "quarter"),
}


SubmissionRead = tuple[Table | None, ProblemCollector]
"""A submission file read (read_submission), not yet checked."""


def read_submission(file_name: str, data: bytes) -> SubmissionRead:
    return read_table(file_name, data, SUBMISSION_COLUMNS, {"kpi_code": "รหัสตัวชี้วัด", "actual": "ผลการดำเนินงาน"})


@dataclass(frozen=True)
class Named:
    """What a read file (and the form or options) may name, so that only those units and KPIs are read from the
    database: every text that may spell its unit, every fiscal year, every KPI code as validation compares codes."""

    unit_spellings: frozenset[str]
    fiscal_years: frozenset[int]
    code_keys: frozenset[str]


def named_in_submission(file_name: str, read: SubmissionRead, given: Period = Period()) -> Named:
    table = read[0]
    texts = [given.division] if given.division is not None else []
    years = [given.fiscal_year] if given.fiscal_year is not None else []
    codes = []
    if (match := FILE_NAME_PERIOD.search(PurePath(file_name).name)) is not None:
        texts.append(match["unit"])
        years.append(match["year"])
    if table is not None:
        texts.append(table.labels.get("division"))
        years.append(table.labels.get("fiscal_year"))
        for _, cells in table.data_rows():
            if _has_content(table, cells):
                texts.append(table.cell(cells, "division"))
                years.append(table.cell(cells, "fiscal_year"))
                codes.append(clean_text(table.cell(cells, "kpi_code")))
    spellings = {text for raw in texts if raw is not None for text in (clean_text(raw), clean_text(raw).upper(),
                                                                          str(raw), str(raw).upper())}
    fiscal_years = set()
    for raw in {year for year in years if clean_text(year)}:
        try:
            fiscal_years.add(parse_fiscal_year(raw))
        except ValueError:
            pass
    return Named(frozenset(spellings), frozenset(fiscal_years), frozenset(code_key(code) for code in codes if code))


def validate_submission(
    file_name: str,
    data: bytes,
    units: Mapping[str, str],
    catalogues: Mapping[int, Mapping[str, KpiDef]],
    given: Period = Period(),
    read: SubmissionRead | None = None,
) -> tuple[ValidSubmission | None, list[Problem]]:
    """`units` maps every accepted spelling of a unit (code, upper-case code, Thai name) to its code: all of them,
    or at least those `named_in_submission` lists; `catalogues` each fiscal year's catalogue, or at least the part
    of it the file's unit and codes need (catalogue.catalogue_part). `read` is the file as read_submission read it
    (read now when not given)."""
    table, collector = read if read is not None else read_submission(file_name, data)
    if table is None:
        return None, collector.problems
    rows = [(number, cells) for number, cells in table.data_rows() if _has_content(table, cells)]
    if not rows:
        collector.whole_file("ไม่มีแถวข้อมูลตัวชี้วัด", "no data rows")
        return None, collector.problems
    named = named_in_file_name(file_name, units)
    contexts = [
        _context(table, rows, name, value, parse, collector, file_name, named)
        for name, value, parse in (("division", given.division, lambda raw: _unit_code(raw, units)),
                                   ("fiscal_year", given.fiscal_year, parse_fiscal_year),
                                   ("quarter", given.quarter, parse_quarter))
    ]
    _disagreements(*contexts, collector)
    unit, year, quarter = (context.value() for context in contexts)
    catalogue = catalogues.get(year) if year is not None else None
    if year is not None and catalogue is None:
        year_row = next((n for n, cells in rows if clean_text(table.cell(cells, "fiscal_year"))), None)
        collector.add(year_row, table.headers.get("fiscal_year", "fiscal_year"), year,
                      f"ยังไม่มีบัญชีตัวชี้วัดของปีงบประมาณ {year}",
                      f"no KPI catalogue for fiscal year {year}", "fiscal_year")
    # Rows are checked even when the unit, year or quarter is wrong, so that one upload lists every problem.
    clean_rows = _validate_rows(table, rows, unit, catalogue, collector)
    if collector or unit is None or year is None or quarter is None or catalogue is None:
        return None, collector.problems
    owned = [code for code, kpi in catalogue.items() if unit in kpi.owners]
    reported = {row.kpi_code for row in clean_rows if row.actual is not None}
    not_reported = [code for code in owned if code not in reported]
    return ValidSubmission(unit, year, quarter, clean_rows, table.sheet, not_reported), []


def _has_content(table: Table, cells: list[object]) -> bool:
    """A row counts when it names a KPI or gives an actual; signature lines and footers do not."""
    return bool(clean_text(table.cell(cells, "kpi_code")) or clean_text(table.cell(cells, "actual")))


def _unit_code(raw: object, units: Mapping[str, str]) -> str:
    text = clean_text(raw)
    code = units.get(text) or units.get(text.upper())
    if code is None:
        raise ValueError("unknown unit")
    return code


def _context(
    table: Table, rows, name: str, given, parse: Callable[[object], object], collector: ProblemCollector,
    file_name: str, named: Mapping[str, object],
) -> _Context:
    """What the form or option gives, and every place the file names the unit, year or quarter: the block above
    the table, the file name (FILE_NAME_PERIOD) and the column. Where nothing is given the file must agree with
    itself (every row that names another value is reported); where something is, `_disagreements` checks it."""
    th, en = CONTEXT_FIELDS[name]
    header = table.headers.get(name, name)
    found = _Context()
    if given is not None:
        try:
            found.given = parse(given)
        except ValueError:
            collector.add(None, th, given, *_context_error(name), name)
            found.failed = True
    if name in table.labels:
        try:
            found.said.append(_Said(parse(table.labels[name]), table.labels[name], None, th, "header"))
        except ValueError:
            collector.add(None, th, table.labels[name], f"{th}ที่หัวแบบฟอร์มไม่ถูกต้อง",
                          f"the {en} in the form header is not valid", name)
            found.failed = True
    if name in named:
        found.said.append(_Said(named[name], file_name, None, FILE_NAME_COLUMN, "file_name"))
    parsed: dict[object, object] = {}  # the same cell text on every row: parse it once
    for row_number, cells in rows:
        raw = table.cell(cells, name)
        if not clean_text(raw):
            continue
        try:
            value = parsed[raw] if raw in parsed else parsed.setdefault(raw, parse(raw))
        except ValueError:
            collector.add(row_number, header, raw, *_context_error(name), name)
            found.failed = True
            continue
        found.said.append(_Said(value, raw, row_number, header, "row"))
    if given is None and found.said:
        first = found.said[0]
        where_th, where_en = first.where()
        for said in found.said[1:]:
            if said.value != first.value:
                collector.add(said.row, said.column, said.raw,
                              f"{th}ไม่ตรงกับ{th}{where_th} ({first.value}) ไฟล์หนึ่งต้องเป็นหน่วยงาน ปี และไตรมาสเดียว",
                              f"{en} differs from the {en} {where_en} ({first.value}); "
                              "one file is one unit, year and quarter", name)
                found.failed = True
    elif given is None and not found.failed:
        collector.whole_file(f"ไม่ระบุ{th} (เพิ่มคอลัมน์ {th} หรือ {name} หรือเลือกในแบบฟอร์มนำส่ง "
                             f"หรือ --{name.replace('_', '-')} ในคำสั่ง)",
                             f"no {en} given: add a {name} column or give it with the upload "
                             f"(--{name.replace('_', '-')})")
    return found


def _disagreements(unit: _Context, year: _Context, quarter: _Context, collector: ProblemCollector) -> None:
    """The file names another unit, year or quarter than the form or option gives: refused, naming both, once per
    place (the form header, the file name, the first row of the column that says otherwise)."""
    for said in _first_per_place(unit.disagreeing()):
        where_th, where_en = said.where()
        collector.add(said.row, said.column, said.raw,
                      f"ไฟล์นี้เป็นของหน่วยงาน {said.value} แต่เลือกหน่วยงาน {unit.given} ไว้ ({where_th}) "
                      f"ใช้ไฟล์ของหน่วยงาน {unit.given} หรือแก้ไฟล์ให้ตรงกัน",
                      f"This file is for unit {said.value} but {unit.given} is selected ({where_en}): "
                      f"upload {unit.given}'s own file, or correct the file", "division")
    for place in _first_per_place([*year.disagreeing(), *quarter.disagreeing()]):
        in_file = (year.said_at(place) or year.given, quarter.said_at(place) or quarter.given)
        chosen = (year.given or in_file[0], quarter.given or in_file[1])
        # the cell to point at: the quarter's where the quarter differs, else the year's
        said = next((s for s in quarter.disagreeing() if (s.place, s.row) == (place.place, place.row)), None)
        name = "quarter" if said else "fiscal_year"
        said = said or next(s for s in year.disagreeing() if (s.place, s.row) == (place.place, place.row))
        where_th, where_en = said.where()
        collector.add(said.row, said.column, said.raw,
                      f"ไฟล์นี้เป็นของ{_period_th(*in_file)} แต่เลือก{_period_th(*chosen)} ไว้ ({where_th}) "
                      f"เลือก{_period_th(*in_file)} แล้วอัปโหลดอีกครั้ง หรือแก้ไฟล์ให้ตรงกับที่เลือก",
                      f"This file is for {_period_en(*in_file)} but {_period_en(*chosen)} is selected ({where_en}): "
                      f"select {_period_en(*in_file)} and upload again, or correct the file", name)


def _first_per_place(said: list[_Said]) -> list[_Said]:
    """The header block, the file name and the first row that says otherwise: one problem each, not one a row."""
    first: dict[str, _Said] = {}
    for item in sorted(said, key=lambda s: (s.place != "header", s.place != "file_name", s.row or 0)):
        first.setdefault(item.place, item)
    return list(first.values())


def _period_th(year: int | None, quarter: int | None) -> str:
    return format_fiscal_period(year, quarter) if year else f"ไตรมาส {quarter}"


def _period_en(year: int | None, quarter: int | None) -> str:
    return f"Q{quarter}/{year}" if year else f"Q{quarter}"


def named_in_file_name(file_name: str, units: Mapping[str, str]) -> dict[str, object]:
    """The unit, fiscal year and quarter a file name gives in the template's own naming (FILE_NAME_PERIOD), e.g.
    {'division': 'JPP', 'fiscal_year': 2568, 'quarter': 3} for 'JPP_2568_Q3 (1).xlsx'; {} for any other name.
    A first part that is no known unit is not taken as one ('report_2568_Q3.xlsx' still names the quarter)."""
    match = FILE_NAME_PERIOD.search(PurePath(file_name).name)
    if match is None:
        return {}
    try:
        named: dict[str, object] = {"fiscal_year": parse_fiscal_year(match["year"]), "quarter": int(match["quarter"])}
    except ValueError:
        return {}
    code = units.get(match["unit"]) or units.get(match["unit"].upper())
    if code is not None:
        named["division"] = code
    return named


def _context_error(name: str) -> tuple[str, str]:
    return {
        "division": ("ไม่พบรหัสหน่วยงานนี้", "unknown org unit"),
        "fiscal_year": ("ปีงบประมาณไม่ถูกต้อง (เช่น 2568 หรือ 2025)", "not a fiscal year (e.g. 2568 or 2025)"),
        "quarter": ("ไตรมาสต้องเป็น 1–4 (เช่น 2, Q2, ไตรมาสที่ 2, รอบ 6 เดือน)",
                    "quarter must be 1–4 (e.g. 2, Q2, ไตรมาสที่ 2, รอบ 6 เดือน)"),
    }[name]


def _validate_rows(table, rows, unit, catalogue, collector) -> list[SubmissionRow]:
    """Each row's code and actual; with no catalogue (or no unit) the checks that need it are skipped."""
    headers = table.headers
    by_code = {code_key(code): code for code in catalogue or {}}
    first_row: dict[str, int] = {}
    clean_rows = []
    checked = catalogue is not None  # a part of the catalogue may be empty, the year's catalogue never is
    for row_number, cells in _without_footer(table, rows, by_code if checked else None):
        raw_code = table.cell(cells, "kpi_code")
        typed = clean_text(raw_code)
        code = by_code.get(code_key(typed)) if checked else typed
        if not typed:
            collector.add(row_number, headers["kpi_code"], "", "ไม่มีรหัสตัวชี้วัด", "missing KPI code", "kpi_code")
            continue
        if code is None:
            collector.add(row_number, headers["kpi_code"], raw_code,
                          "ไม่มีรหัสตัวชี้วัดนี้ในบัญชีตัวชี้วัดของปีงบประมาณนี้",
                          "KPI code not in this fiscal year's catalogue", "kpi_code")
            continue
        kpi = catalogue[code] if checked else None
        if kpi is not None and unit is not None and unit not in kpi.owners:
            collector.add(row_number, headers["kpi_code"], raw_code,
                          f"ตัวชี้วัดนี้ไม่ใช่ของหน่วยงาน {unit}",
                          f"KPI not owned by unit {unit}", "kpi_code")
            continue
        if collector.repeated(first_row, code, row_number, headers["kpi_code"], raw_code, "kpi_code",
                              "รหัสตัวชี้วัดซ้ำกับแถว {row}", "KPI code appears twice (also on row {row})"):
            continue
        actual = _actual(table, row_number, cells, kpi, collector)
        note, evidence = (_bounded_text(table, row_number, cells, name, collector) for name in ("note", "evidence"))
        clean_rows.append(SubmissionRow(code, actual, note, evidence, row_number))
    return clean_rows


MAX_NOTE_CHARACTERS = 4_000
"""Longest note or evidence text of one KPI (two pages of Thai): a file may not grow the database by a
spreadsheet cell's worth of megabytes per row, and every page and download shows notes whole."""


def note_too_long(text: str) -> tuple[str, str] | None:
    """(Thai, English) refusal of a note or evidence text over MAX_NOTE_CHARACTERS, typed or read from a file."""
    if len(text) <= MAX_NOTE_CHARACTERS:
        return None
    return (f"ข้อความยาว {len(text):,} ตัวอักษร เกินขีดจำกัด {MAX_NOTE_CHARACTERS:,} ตัวอักษร ให้ย่อหรือใส่เป็นลิงก์หลักฐานแทน",
            f"the text is {len(text):,} characters long; at most {MAX_NOTE_CHARACTERS:,} are allowed: shorten it or "
            "link to the evidence instead")


def _bounded_text(table: Table, row_number: int, cells: list[object], name: str, collector) -> str:
    text = clean_multiline(table.cell(cells, name))
    refusal = note_too_long(text)
    if refusal is not None:
        collector.add(row_number, table.headers.get(name, name), text, *refusal, name)
    return text


def _without_footer(table: Table, rows, known_codes: Mapping[str, str] | None):
    """Drop trailing lines such as 'ผู้รายงาน: ...' under the data: after the last known KPI, with no actual."""
    if known_codes is None:
        return rows
    last = max((i for i, (_, cells) in enumerate(rows)
                if code_key(clean_text(table.cell(cells, "kpi_code"))) in known_codes), default=-1)
    footer = [row for row in rows[last + 1:] if not clean_text(table.cell(row[1], "actual"))]
    return rows[: last + 1] + [row for row in rows[last + 1:] if row not in footer]


_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-"))


def code_key(code: str) -> str:
    """Codes typed or pasted from Word: full-width letters, non-breaking hyphens and dashes still match."""
    if not code.isascii():
        code = unicodedata.normalize("NFKC", to_arabic_digits(code)).translate(_DASHES)
    return code.upper().replace(" ", "")


def _actual(table: Table, row_number: int, cells: list[object], kpi: KpiDef | None, collector) -> float | None:
    raw = table.cell(cells, "actual")
    header = table.headers["actual"]
    if table.is_empty_formula(row_number, "actual"):
        collector.add(row_number, header, raw if clean_text(raw) else "=…",
                      "เป็นสูตรหรือค่าผิดพลาด (#) ที่ไม่มีผลลัพธ์บันทึกไว้ กรุณาเปิดไฟล์ใน Excel คำนวณแล้วบันทึกใหม่ หรือพิมพ์ตัวเลข",
                      "a formula or error with no saved number: recalculate and save in Excel, or type the number",
                      "actual")
        return None
    value, refusal = parse_actual(raw, kpi, lambda: table.is_percent_cell(row_number, "actual"))
    if refusal is not None:
        collector.add(row_number, header, raw, *refusal, "actual")
    return value


def parse_actual(
    raw: object, kpi: KpiDef | None, is_percent_cell: Callable[[], bool] = lambda: False
) -> tuple[float | None, tuple[str, str] | None]:
    """(value, None) for an actual a KPI takes (None: not reported), or (None, (Thai, English) refusal): the one
    reading of an actual, a spreadsheet cell's or one typed on the upload page's form. `is_percent_cell` says
    whether a number came from a cell formatted as percent (0.85 shown as 85%)."""
    try:
        value = parse_number(raw)
        if (value is not None and kpi is not None and isinstance(raw, float) and is_percent_unit(kpi.unit)
                and is_percent_cell()):
            value = percent_cell_value(value)
    except NumberTooLarge:
        return None, (TOO_LARGE_TH, TOO_LARGE_EN)
    except ValueError:
        return None, ("ผลการดำเนินงานต้องเป็นตัวเลข (เว้นว่าง หรือ - หากยังไม่รายงาน)",
                      "actual must be a number (leave empty or '-' when not reported)")
    if value is None or kpi is None:
        return value, None
    if kpi.kind == "milestone" and not (0 <= value <= 5 and float(value).is_integer()):
        return None, ("ตัวชี้วัดแบบขั้นตอนต้องเป็นจำนวนเต็ม 0–5 (จำนวนขั้นตอนที่ดำเนินการแล้ว)",
                      "a milestone KPI takes a whole number of completed steps, 0–5")
    return value, None

"""Find the table inside a raw sheet: the header row (maybe below title rows, maybe two rows deep),
what each column means (English or Thai header), and the label/value block above it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipelines.parsing import clean_text, parse_fiscal_year, to_arabic_digits
from pipelines.problems import ProblemCollector
from pipelines.readers import RawSheet, UnreadableFile, read_sheets

HEADER_SEARCH_ROWS = 10
MAX_DATA_ROWS = 5_000
"""Non-blank rows under the header of one file: a unit reports a few hundred KPIs, a catalogue holds a few
thousand. A file with more is refused before its rows are validated."""

# Field -> accepted header spellings (normalised: lower case, single spaces, no bracketed suffix).
SUBMISSION_COLUMNS: dict[str, tuple[str, ...]] = {
    "division": ("division", "division_code", "unit_code", "org_unit", "หน่วยงาน", "รหัสหน่วยงาน", "สำนัก/กอง"),
    "fiscal_year": ("fiscal_year", "fiscal year", "fy", "year", "ปีงบประมาณ", "ปีงบ", "ปี"),
    "quarter": ("quarter", "q", "ไตรมาส", "ไตรมาสที่", "รอบ", "รอบการรายงาน"),
    "kpi_code": ("kpi_code", "kpi code", "kpi", "code", "รหัสตัวชี้วัด", "รหัส", "ตัวชี้วัดที่"),
    "actual": (
        "actual", "actual value", "result", "value", "ผลการดำเนินงาน", "ผลการดำเนินงานสะสม", "ผลดำเนินงาน", "ผลงาน",
        "ผลสะสม",
    ),
    "note": ("note", "notes", "comment", "remark", "หมายเหตุ", "ปัญหาอุปสรรค", "ปัญหาอุปสรรคและแนวทางแก้ไข", "ปัญหา/อุปสรรค"),
    "evidence": ("evidence", "link", "หลักฐาน", "เอกสารหลักฐาน", "หลักฐานอ้างอิง"),
}

CATALOGUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "fiscal_year": SUBMISSION_COLUMNS["fiscal_year"],
    "kpi_code": ("kpi_code", "kpi code", "code", "รหัสตัวชี้วัด", "รหัส", "ตัวชี้วัดที่"),
    "name_th": ("name_th", "name", "kpi name", "ชื่อตัวชี้วัด", "ตัวชี้วัด", "ชื่อตัวชี้วัด (ภาษาไทย)"),
    "name_en": ("name_en", "english name", "name (english)", "ชื่อภาษาอังกฤษ", "ชื่อตัวชี้วัดภาษาอังกฤษ"),
    "dimension": ("dimension", "bsc dimension", "มิติ", "มิติ bsc"),
    "pmqa": ("pmqa", "pmqa category", "หมวด pmqa", "หมวด", "เกณฑ์ pmqa"),
    "owner": ("owner", "owners", "owner_code", "หน่วยงานรับผิดชอบ", "ผู้รับผิดชอบ", "หน่วยงาน"),
    "unit": ("unit", "unit of measure", "หน่วยนับ", "หน่วย"),
    "direction": ("direction", "ทิศทาง", "ทิศทางตัวชี้วัด"),
    "kind": ("kind", "type", "kpi type", "ประเภท", "ประเภทตัวชี้วัด"),
    "weight": ("weight", "น้ำหนัก", "ค่าน้ำหนัก"),
    "target": ("target", "ค่าเป้าหมาย", "เป้าหมาย"),
    **{f"t{n}": (f"t{n}", f"level {n}", f"เกณฑ์ระดับ {n}", f"ระดับ {n}", f"เกณฑ์ระดับที่ {n}") for n in range(1, 6)},
}

ORG_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "unit_code", "รหัสหน่วยงาน", "รหัส"),
    "name_th": ("name_th", "name", "ชื่อหน่วยงาน", "ชื่อ", "ชื่อภาษาไทย"),
    "name_en": ("name_en", "english name", "ชื่อภาษาอังกฤษ"),
    "parent_code": ("parent_code", "parent", "หน่วยงานต้นสังกัด", "ต้นสังกัด", "รหัสหน่วยงานต้นสังกัด"),
    "level": ("level", "ระดับ", "ระดับหน่วยงาน"),
}

# Headers that only carry information (the template's read-only columns); recognised so that a second
# header row of them is skipped, never mapped.
INFORMATION_HEADERS = {
    "name_th", "name_en", "ชื่อตัวชี้วัด", "dimension", "มิติ", "unit", "หน่วยนับ", "direction", "ทิศทาง",
    "kind", "ประเภท", "weight", "น้ำหนัก", "target", "ค่าเป้าหมาย",
    *{f"t{n}" for n in range(1, 6)}, *{f"เกณฑ์ระดับ {n}" for n in range(1, 6)},
}


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA: how spreadsheet users find a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _header_label(text: str, column: int) -> str:
    return f"{text} [{column_letter(column)}]"


def normalise_header(value: object) -> str:
    text = to_arabic_digits(clean_text(value)).lower().strip(" :*")
    text = re.sub(r"\s+", " ", text)
    return text


def _without_brackets(text: str) -> str:
    return re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", text).strip()


def match_field(header: object, columns: Mapping[str, tuple[str, ...]]) -> str | None:
    """The field a header names, trying the whole text, then without a bracketed suffix, then each '/' part."""
    text = normalise_header(header)
    if not text:
        return None
    candidates = [text, _without_brackets(text), *[part.strip() for part in text.split("/")]]
    for candidate in candidates:
        for name, aliases in columns.items():
            if candidate in aliases:
                return name
    return None


@dataclass
class Table:
    sheet: str
    columns: dict[str, int]  # field -> 0-based column index
    headers: dict[str, str]  # field -> header text as written in the file
    data_start: int  # 0-based index of the first data row
    rows: list[list[object]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)
    labels: dict[str, object] = field(default_factory=dict)  # header-block values above the table
    header_row: int = 0  # 0-based index of the (first) header row
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (field, first header, second header)

    def data_rows(self) -> list[tuple[int, list[object]]]:
        """(1-based spreadsheet row number, cells) of every non-blank row under the header."""
        found = []
        for index in range(self.data_start, len(self.rows)):
            cells = self.rows[index]
            if any(clean_text(cell) for cell in cells):
                found.append((index + 1, cells))
        return found

    def cell(self, cells: list[object], name: str) -> object:
        column = self.columns.get(name)
        if column is None or column >= len(cells):
            return None
        return cells[column]

    def is_percent_cell(self, row_number: int, name: str) -> bool:
        column = self.columns.get(name)
        return column is not None and (row_number - 1, column) in self.percent_cells

    def is_empty_formula(self, row_number: int, name: str) -> bool:
        """A formula (or #error) whose number was never saved: the cell reads empty but is not."""
        column = self.columns.get(name)
        return column is not None and (row_number - 1, column) in self.empty_formulas


def _threshold_level(value: object) -> int | None:
    text = normalise_header(value)
    text = re.sub(r"^(เกณฑ์ระดับที่|เกณฑ์ระดับ|ระดับที่|ระดับ|level|t)\s*", "", text)
    return int(text) if text in {"1", "2", "3", "4", "5"} else None


def _is_header_continuation(cells: list[object], columns: Mapping[str, tuple[str, ...]]) -> bool:
    """A row under the header made only of header words or level numbers (English row, 1..5 row)."""
    texts = [normalise_header(cell) for cell in cells]
    texts = [text for text in texts if text]
    if not texts:
        return False
    return all(
        match_field(text, columns) or text in INFORMATION_HEADERS or _threshold_level(text) is not None
        for text in texts
    )


def find_table(sheet: RawSheet, columns: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> Table | None:
    """The first row among the top rows that names every required field, plus what sits above and below it."""
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        headers: dict[str, str] = {}
        duplicates: list[tuple[str, str, str]] = []
        for column, cell in enumerate(cells):
            if name := match_field(cell, columns):
                _map_column(mapping, headers, duplicates, name, column, clean_text(cell))
        if not all(name in mapping for name in required):
            continue
        data_start = index + 1
        if data_start < len(sheet.rows) and _is_header_continuation(sheet.rows[data_start], columns):
            for column, cell in enumerate(sheet.rows[data_start]):
                level = _threshold_level(cell)
                if level is not None and f"t{level}" in columns and f"t{level}" not in mapping:
                    mapping[f"t{level}"] = column
                    headers[f"t{level}"] = _header_label(f"{clean_text(cells[column]) or 'เกณฑ์'} {level}", column)
                if name := match_field(cell, columns):
                    _map_column(mapping, headers, duplicates, name, column, clean_text(cell))
            data_start += 1
        return Table(
            sheet=sheet.name, columns=mapping, headers=headers, data_start=data_start,
            rows=sheet.rows, percent_cells=sheet.percent_cells, empty_formulas=sheet.empty_formulas,
            labels=_header_block(sheet.rows[:index], columns), header_row=index, duplicates=duplicates,
        )
    return None


def _map_column(mapping: dict[str, int], headers: dict[str, str], duplicates: list[tuple[str, str, str]],
                name: str, column: int, label: str) -> None:
    """The first column naming a field is the field; another column naming it too is a duplicate (the same column
    named again in an English header row under the Thai one is not)."""
    if name not in mapping:
        mapping[name] = column
        headers[name] = _header_label(label, column)
    elif mapping[name] != column:
        duplicates.append((name, headers[name], _header_label(label, column)))


def _header_block(rows: list[list[object]], columns: Mapping[str, tuple[str, ...]]) -> dict[str, object]:
    """Label/value pairs above the table, such as the template's 'ไตรมาส / Quarter | 2'."""
    labels: dict[str, object] = {}
    for cells in rows:
        for column, cell in enumerate(cells):
            name = match_field(cell, columns)
            if not name or name in labels:
                continue
            value = next((v for v in cells[column + 1:] if clean_text(v)), None)
            if value is not None:
                labels[name] = value
    return labels


def read_table(
    file_name: str, data: bytes, columns: Mapping[str, tuple[str, ...]], required: Mapping[str, str],
) -> tuple[Table | None, ProblemCollector]:
    """The first sheet with the table, and a collector for its problems; None with the reason if there is none
    (`required` maps each field the header row must name to its Thai header, for that reason), if two columns mean
    the same field, or if the table has more than MAX_DATA_ROWS rows."""
    collector = ProblemCollector(file_name)
    try:
        sheets = read_sheets(file_name, data)
    except UnreadableFile as error:
        collector.whole_file(error.reason_th, error.reason_en)
        return None, collector
    table = next((found for sheet in sheets if (found := find_table(sheet, columns, tuple(required))) is not None),
                 None)
    if table is None:
        named = [f"{th} ({name})" for name, th in required.items()]
        collector.whole_file(f"ไม่พบแถวหัวตาราง ต้องมีคอลัมน์ {' และ '.join(named)} ใน {HEADER_SEARCH_ROWS} แถวแรก",
                             f"no header row: expected columns {' and '.join(named)} "
                             f"in the first {HEADER_SEARCH_ROWS} rows")
        return None, collector
    collector.sheet = table.sheet
    for name, first, second in table.duplicates:
        collector.add(table.header_row + 1, second, "",
                      f"คอลัมน์ {first} และ {second} เป็นข้อมูลเดียวกัน ({name}) กรุณาเหลือไว้เพียงคอลัมน์เดียว",
                      f"columns {first} and {second} both mean {name}: keep only one of them", name)
    data_rows = len(table.data_rows())
    if data_rows > MAX_DATA_ROWS:
        collector.whole_file(f"ไฟล์มีข้อมูล {data_rows:,} แถว เกินขีดจำกัด {MAX_DATA_ROWS:,} แถวต่อไฟล์ (ไม่ได้ตรวจสอบรายแถว)",
                             f"the file has {data_rows:,} data rows, more than the limit of {MAX_DATA_ROWS:,} per file "
                             "(rows not checked)")
    if collector:
        return None, collector
    return table, collector


def file_fiscal_year(table: Table, collector: ProblemCollector, override: int | None, one_year_th: str,
                     one_year_en: str, missing_th: str, missing_en: str) -> int | None:
    """A catalogue or strategy file holds one fiscal year: the option, the fiscal_year column, or the block above
    the table; each disagreeing or unreadable year is a problem on its first row (a second year: `one_year_*`),
    none at all is `missing_*`."""
    years: dict[int, int] = {}
    for row_number, cells in table.data_rows():
        raw = table.cell(cells, "fiscal_year")
        if not clean_text(raw):
            continue
        try:
            years.setdefault(parse_fiscal_year(raw), row_number)
        except ValueError:
            collector.add(row_number, table.headers["fiscal_year"], raw,
                          "ปีงบประมาณไม่ถูกต้อง (เช่น 2568 หรือ 2025)",
                          "not a fiscal year (e.g. 2568 or 2025)", "fiscal_year")
    if not years and "fiscal_year" in table.labels:
        try:
            years[parse_fiscal_year(table.labels["fiscal_year"])] = table.data_start
        except ValueError:
            pass
    if override is not None:
        for year, row_number in years.items():
            if year != override:
                collector.add(row_number, table.headers.get("fiscal_year", "fiscal_year"), year,
                              f"ไม่ตรงกับปีงบประมาณที่ระบุ ({override})",
                              f"does not match the fiscal year given ({override})", "fiscal_year")
        return override
    if len(years) > 1:
        for year, row_number in sorted(years.items(), key=lambda item: item[1])[1:]:
            collector.add(row_number, table.headers["fiscal_year"], year,
                          one_year_th, one_year_en,
                          "fiscal_year")
    if not years:
        collector.whole_file(missing_th, missing_en)
        return None
    return min(years, key=years.get)

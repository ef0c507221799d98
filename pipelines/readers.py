"""Spreadsheet or CSV bytes -> raw rows: encodings, sheets, percent-formatted cells.

Values come back as Python scalars exactly as stored (numbers as float, text as
str). Which row is the header, and what the columns mean, is tables.py's job.

Uploads are untrusted, so every file takes one path (read_sheets): its real format is told from its content, not
its name; the rows and columns the reader will allocate are bounded from the file's own XML before the reader is
called (whatever <dimension> says, cells without coordinates placed where Excel would place them, ODS repeat
attributes summed); and all of it runs in a parse worker (pipelines.parse_worker) with a memory and a time limit,
so that what the bounds cannot foresee (.xls/.xlsb internals, long shared strings) ends only that worker.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from python_calamine import CalamineWorkbook

from pipelines import parse_worker

CSV_SHEET_NAME = "csv"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
MAX_SHEET_ROWS = 10_000
"""Rows of one sheet, blank ones inside the used range included: a submission has a few hundred KPIs, a
catalogue a few thousand (tables.MAX_DATA_ROWS is the limit on data rows)."""
MAX_CELLS = 1_000_000
"""Cells (rows x columns of each sheet's used range, counted from A1) of all sheets together."""
MAX_TEXT_CHARACTERS = 8_000_000
"""Characters of text in all cells of a file together. The cell limit alone let 1,000,000 cells point at one long
shared string: a 2.5 MB upload whose rows, sent back from the parse worker, grew the server by 600 MB. A
submission's notes are at most 4,000 characters a KPI (validate.MAX_NOTE_CHARACTERS)."""
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFile(Exception):
    """The bytes are not a spreadsheet or CSV we can read: `detail_en` and `detail_th` say why."""

    def __init__(self, detail_en: str, detail_th: str) -> None:
        super().__init__(detail_en, detail_th)
        self.detail_en = detail_en
        self.detail_th = detail_th

    def __str__(self) -> str:
        return self.detail_en

    @property
    def reason_th(self) -> str:
        return f"ไฟล์ไม่ใช่สเปรดชีตหรือ CSV ที่อ่านได้ ({self.detail_th})"

    @property
    def reason_en(self) -> str:
        return f"not a readable spreadsheet or CSV ({self.detail_en})"


class FileTooLarge(UnreadableFile):
    """The file is readable but larger than the readers' limits (MAX_SHEET_ROWS, MAX_CELLS, unpacked bytes)."""

    @property
    def reason_th(self) -> str:
        return f"ไฟล์ใหญ่เกินขีดจำกัดที่อ่านได้: {self.detail_th}"

    @property
    def reason_en(self) -> str:
        return f"file over the reading limits: {self.detail_en}"


@dataclass
class RawSheet:
    name: str
    rows: list[list[object]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # 0-based (row, column)
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas/errors without a saved number


def read_sheets(file_name: str, data: bytes) -> list[RawSheet]:
    """Every sheet of a workbook, or the one table of a CSV file, read in a parse worker within the limits."""
    try:
        return parse_worker.run(read_sheets_in_process, file_name, data)
    except parse_worker.ParseFailed as failed:
        if failed.kind == "time":
            seconds = f"{parse_worker.TIME_LIMIT_SECONDS:g}"
            raise UnreadableFile(f"reading it took longer than the {seconds} s limit: a damaged or hostile file",
                                 f"ใช้เวลาอ่านเกิน {seconds} วินาที ไฟล์อาจเสียหายหรือถูกสร้างขึ้นเพื่อโจมตีระบบ") from None
        megabytes = parse_worker.MEMORY_LIMIT_BYTES // 2**20
        raise UnreadableFile(f"reading it needed more than the {megabytes} MB memory limit: a damaged or hostile "
                             "file", f"ใช้หน่วยความจำเกิน {megabytes} MB ระหว่างอ่าน ไฟล์อาจเสียหายหรือถูกสร้างขึ้นเพื่อโจมตีระบบ"
                             ) from None


def read_sheets_in_process(file_name: str, data: bytes) -> list[RawSheet]:
    """read_sheets' work, in this process: what the parse worker runs. Call read_sheets instead."""
    kind = file_kind(file_name, data)
    if kind == "csv":
        rows = _read_csv(data)
        _count_text(CSV_SHEET_NAME, rows, 0)
        return [RawSheet(CSV_SHEET_NAME, rows)]
    return _read_workbook(data, kind)


def _count_text(sheet: str, rows: list[list[object]], before: int) -> int:
    """Characters of text in `rows` added to `before`, raising FileTooLarge past MAX_TEXT_CHARACTERS: the rows are
    refused in the parse worker, before they are sent to the server."""
    total = before + sum(len(cell) for row in rows for cell in row if isinstance(cell, str))
    if total > MAX_TEXT_CHARACTERS:
        raise FileTooLarge(
            f"its cells hold {total:,} characters of text up to sheet '{sheet}'; the limit is "
            f"{MAX_TEXT_CHARACTERS:,} per file",
            f"ข้อความในช่องต่าง ๆ รวมถึงแผ่นงาน '{sheet}' ยาว {total:,} ตัวอักษร เกินขีดจำกัด {MAX_TEXT_CHARACTERS:,} "
            "ตัวอักษรต่อไฟล์",
        )
    return total


def file_kind(file_name: str, data: bytes) -> str:
    """'xlsx' (also .xlsm), 'xlsb', 'ods', 'xls' or 'csv', by content: the name only decides that bytes which are
    no workbook are not read as CSV when the name promises a workbook."""
    if data[:4] in ZIP_MAGIC:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError) as error:
            raise UnreadableFile(f"damaged workbook: {error}", "ไฟล์เสียหาย") from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if "content.xml" in names:
            return "ods"
        raise UnreadableFile("a zip archive that is not a workbook", "เป็นไฟล์ zip ที่ไม่ใช่สมุดงาน")
    if data[:8] == OLE2_MAGIC:
        return "xls"
    suffix = PurePath(file_name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(f"named {suffix} but not a workbook", f"ชื่อไฟล์เป็น {suffix} แต่เนื้อไฟล์ไม่ใช่สมุดงาน")
    return "csv"


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) first, then Thai Windows cp874, as DOMAIN §7 says."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError as error:
        raise UnreadableFile("not UTF-8 or Thai Windows (cp874) text",
                             "ไม่ใช่ข้อความแบบ UTF-8 หรือภาษาไทยของ Windows (cp874)") from error


def _read_csv(data: bytes) -> list[list[object]]:
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary data, not a CSV file", "เป็นข้อมูลไบนารี ไม่ใช่ไฟล์ CSV")
    text = decode_text(data)
    if not text.strip():
        return []
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[object]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(row)
            cells += len(row)
            if len(rows) > MAX_SHEET_ROWS or cells > MAX_CELLS:
                raise _too_large(CSV_SHEET_NAME, len(rows), max(map(len, rows)), cells)
    except csv.Error as error:
        raise UnreadableFile(f"malformed CSV: {error}", "รูปแบบ CSV ไม่ถูกต้อง") from error
    return rows


def _too_large(sheet: str, rows: int, columns: int, cells: int) -> FileTooLarge:
    """The refusal of a sheet over MAX_SHEET_ROWS, or of a workbook whose sheets reach MAX_CELLS."""
    if rows > MAX_SHEET_ROWS:
        return FileTooLarge(f"sheet '{sheet}' reaches row {rows:,}; the limit is {MAX_SHEET_ROWS:,} rows per sheet",
                            f"แผ่นงาน '{sheet}' มีข้อมูลถึงแถวที่ {rows:,} เกินขีดจำกัด {MAX_SHEET_ROWS:,} แถวต่อแผ่นงาน")
    return FileTooLarge(
        f"sheet '{sheet}' spans {rows:,} rows x {columns:,} columns, {cells:,} cells with the sheets before it; "
        f"the limit is {MAX_CELLS:,} cells per file",
        f"แผ่นงาน '{sheet}' มีขนาด {rows:,} แถว x {columns:,} คอลัมน์ รวมกับแผ่นงานก่อนหน้าเป็น {cells:,} ช่อง "
        f"เกินขีดจำกัด {MAX_CELLS:,} ช่องต่อไฟล์",
    )


def _read_workbook(data: bytes, kind: str) -> list[RawSheet]:
    """Bound what the reader will allocate, then calamine for the values (fast), and for .xlsx a scan of the XML
    for what calamine cannot say (percent formats, formulas without a saved value)."""
    facts = []
    if kind in ("xlsx", "ods"):
        with _open_zip(data) as archive:
            _bound_zip(archive)
            facts = _xlsx_facts(archive) if kind == "xlsx" else []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        cells = text = 0
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows, columns = sheet.total_height or 0, sheet.total_width or 0
            cells += rows * columns  # the .xls/.xlsb check (their bound before reading is the worker's memory)
            if rows > MAX_SHEET_ROWS or cells > MAX_CELLS:
                raise _too_large(name, rows, columns, cells)
            rows = sheet.to_python(skip_empty_area=False)
            text = _count_text(name, rows, text)
            sheets.append(RawSheet(name, rows))
    except (UnreadableFile, MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # calamine raises several private error types, and a Rust panic is no Exception
        raise UnreadableFile(f"not a readable spreadsheet: {error}", "ไฟล์เสียหายหรือเปิดเป็นสเปรดชีตไม่ได้") from error
    for sheet, sheet_facts in zip(sheets, facts, strict=False):
        sheet.percent_cells = sheet_facts.percent_cells
        sheet.empty_formulas = sheet_facts.empty_formulas
    return sheets


_XF_RE = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
_NUMFMT_RE = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"')
_NUMFMT_ID_RE = re.compile(rb'numFmtId="(\d+)"')
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_STYLE_RE = re.compile(rb'\bs="(\d+)"')
_TYPE_RE = re.compile(rb'\bt="(\w+)"')
_VALUE_RE = re.compile(rb"<(?:\w+:)?v>[^<]")  # a saved value that is not empty
_CELL_START_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_REF_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_FORMULA_RE = re.compile(rb"[<:]f[\s>/]")  # <f>, <x:f ...>; a false hit only costs the slower scan
_ERROR_CELL_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="e"')
BUILTIN_PERCENT_FORMATS = {9, 10}
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a 10 MB upload may not unpack into gigabytes


@dataclass
class SheetFacts:
    """What calamine does not tell: formats, formulas without a saved value, and the used range."""

    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)  # a formula or error with no number saved
    max_row: int = 0
    max_column: int = 0


def _percent_styles(styles_xml: bytes) -> set[int]:
    """Indexes into cellXfs whose number format shows a percent sign."""
    percent_formats = set(BUILTIN_PERCENT_FORMATS)
    for fmt_id, code in _NUMFMT_RE.findall(styles_xml):
        if b"%" in code.replace(b"\\%", b"").replace(b'"%"', b"%"):
            percent_formats.add(int(fmt_id))
    start = styles_xml.find(b"cellXfs")
    end = styles_xml.find(b"cellXfs>", start + 8)
    block = styles_xml[start:end] if start >= 0 else b""
    styles = set()
    for index, xf in enumerate(_XF_RE.findall(block)):
        found = _NUMFMT_ID_RE.search(xf)
        if found and int(found.group(1)) in percent_formats:
            styles.add(index)
    return styles


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def _sheet_facts(xml: bytes, percent_styles: set[int]) -> SheetFacts:
    """One regex pass per fact when the sheet has no formula and no error cell (a filled-in template); cell by
    cell otherwise, to tell a formula that has a saved value from one that has none."""
    if _FORMULA_RE.search(xml) or (b't="e"' in xml and _ERROR_CELL_RE.search(xml)):
        return _sheet_facts_cell_by_cell(xml, percent_styles)
    facts = SheetFacts()
    refs = _CELL_REF_RE.findall(xml)
    if refs:
        facts.max_row = max(int(row) for _, row in refs)
        facts.max_column = _column_index(max((letters for letters, _ in refs), key=lambda c: (len(c), c))) + 1
    if percent_styles:
        for attributes in _CELL_START_RE.findall(xml):
            style = _STYLE_RE.search(attributes)
            if style and int(style.group(1)) in percent_styles:
                ref = _REF_RE.search(attributes)
                if ref:
                    facts.percent_cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return facts


def _sheet_facts_cell_by_cell(xml: bytes, percent_styles: set[int]) -> SheetFacts:
    facts = SheetFacts()
    for attributes, inner in _CELL_RE.findall(xml):
        ref = _REF_RE.search(attributes)
        if ref is None:
            continue
        cell = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
        facts.max_row = max(facts.max_row, cell[0] + 1)
        facts.max_column = max(facts.max_column, cell[1] + 1)
        style = _STYLE_RE.search(attributes)
        if style and int(style.group(1)) in percent_styles:
            facts.percent_cells.add(cell)
        cell_type = _TYPE_RE.search(attributes)
        inner = inner or b""
        has_value = _VALUE_RE.search(inner) is not None or b"<is" in inner
        if (cell_type and cell_type.group(1) == b"e") or (b"<f" in inner and not has_value):
            facts.empty_formulas.add(cell)
    return facts


def _xlsx_facts(archive: zipfile.ZipFile) -> list[SheetFacts]:
    """Per sheet (workbook order) facts read from the XML."""
    try:
        names = set(archive.namelist())
        styles = _percent_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else set()
        return [_sheet_facts(archive.read(path), styles) if path in names else SheetFacts()
                for path, _ in _sheet_paths(archive, names)]
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(f"damaged workbook: {error}", "ไฟล์เสียหาย") from error


@contextmanager
def _open_zip(data: bytes) -> Iterator[zipfile.ZipFile]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield archive
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error) as error:
        raise UnreadableFile(f"damaged workbook: {error}", "ไฟล์เสียหาย") from error


def _bound_zip(archive: zipfile.ZipFile) -> None:
    """Refuse an .xlsx or .ods whose sheets would unpack or expand beyond the limits, before any reader sees it.

    Every part is scanned as a worksheet could be (calamine follows the workbook's relationships wherever they
    point, so a part's name proves nothing), and content.xml as an OpenDocument body as well: a file holding both
    cannot pass as one format while being read as the other."""
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        megabytes = MAX_UNCOMPRESSED_BYTES // 2**20
        raise FileTooLarge(f"it unpacks to more than {megabytes} MB", f"ไฟล์คลายการบีบอัดแล้วใหญ่เกิน {megabytes} MB")
    names = {info.filename for info in infos}
    sheet_names = {}
    if "xl/workbook.xml" in names:
        sheet_names = {path: name for path, name in _sheet_paths(archive, names)}
    cells = 0
    for info in infos:
        if info.is_dir():
            continue
        xml = archive.read(info)
        if info.filename == "content.xml":
            cells = _bound_ods(xml, cells)
        if b"<" in xml:
            cells = _bound_xlsx_part(xml, sheet_names.get(info.filename, info.filename), cells)


_XLSX_TAG_RE = re.compile(rb"""<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R_ATTRIBUTE_RE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REFERENCE_RE = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ROW_NUMBER_RE = re.compile(rb"[1-9][0-9]{0,6}")


def _attribute(pattern: re.Pattern, attributes: bytes) -> bytes | None:
    found = pattern.search(attributes)
    return None if found is None else found.group(1) if found.group(1) is not None else found.group(2)


def _bound_xlsx_part(xml: bytes, sheet: str, cells_before: int) -> int:
    """The cells the part adds to the workbook's count, raising FileTooLarge past a limit."""
    quick = _quick_used_range(xml)
    if quick is not None and quick[0] <= MAX_SHEET_ROWS and cells_before + quick[0] * quick[1] <= MAX_CELLS:
        return cells_before + quick[0] * quick[1]
    rows, columns = _used_range(xml, sheet, cells_before)
    return cells_before + rows * columns


_XLSX_CELL_START_RE = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_XLSX_PLAIN_ATTRIBUTE = rb'\s+(?!r\s*=)[\w:.-]+\s*=\s*"[^"<>]*"'  # any attribute but r, its value plain
_XLSX_PLAIN_CELL_REF_RE = re.compile(
    rb"<(?:[\w.-]+:)?c(?:" + _XLSX_PLAIN_ATTRIBUTE + rb')*\s+r\s*=\s*"([A-Z]{1,3})([1-9][0-9]{0,6})"(?:'
    + _XLSX_PLAIN_ATTRIBUTE + rb")*\s*/?>"
)


def _quick_used_range(xml: bytes) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the farthest cell when every cell tag is plain, with one `r` that is a plain
    reference (what Excel, LibreOffice and openpyxl write), counting empty cells too; None when any cell is not
    (then _used_range decides)."""
    cells = len(_XLSX_CELL_START_RE.findall(xml))
    if not cells:
        return 0, 0
    references = _XLSX_PLAIN_CELL_REF_RE.findall(xml)  # a tag matches whole, from its "<": no r hides in a value
    if len(references) != cells:
        return None
    rows = max(map(int, (row for _, row in references)))
    columns = _column_index(max((letters for letters, _ in references), key=lambda c: (len(c), c))) + 1
    return rows, columns


_XLSX_TAG_RE = re.compile(rb"""<(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>|</(?:[\w.-]+:)?row>""")
_R_ATTRIBUTE_RE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REFERENCE_RE = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ROW_NUMBER_RE = re.compile(rb"[1-9][0-9]{0,6}")


def _used_range(xml: bytes, sheet: str, cells_before: int) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell with content, placed as the reader (and Excel) places it, and
    raising FileTooLarge as soon as a limit is passed.

    A cell with `r` is where `r` says; one without is in the column after the previous cell of its row; a row
    without `r` follows the previous row. An empty element (<c r="Z9" s="1"/>) holds no value and adds no cell;
    <dimension ref> is ignored. A reference the reader could read otherwise than Excel (lower case, more than 7
    digits, row 0, `r` twice) is refused rather than guessed."""
    row_index, column_index = 0, 0
    rows, columns = 0, 0
    for match in _XLSX_TAG_RE.finditer(xml):
        tag, attributes = match.groups()
        if tag is None:  # </row>
            row_index, column_index = row_index + 1, 0
            continue
        references = _R_ATTRIBUTE_RE.findall(attributes)
        if len(references) > 1:
            raise _bad_reference(sheet, b"r=" + b"|".join(a or b for a, b in references))
        reference = (references[0][0] or references[0][1]) if references else None
        empty_element = attributes.endswith(b"/")
        if tag == b"row":
            if reference is not None:
                if not _ROW_NUMBER_RE.fullmatch(reference):
                    raise _bad_reference(sheet, reference)
                row_index = int(reference) - 1
            if empty_element:
                row_index, column_index = row_index + 1, 0
            continue
        if reference is None:
            position = (row_index, column_index)
        else:
            found = _CELL_REFERENCE_RE.fullmatch(reference)
            if found is None:
                raise _bad_reference(sheet, reference)
            position = (int(found.group(2)) - 1, _column_index(found.group(1)))
        column_index = position[1] + 1
        if not empty_element and (position[0] >= rows or position[1] >= columns):
            rows, columns = max(rows, position[0] + 1), max(columns, position[1] + 1)
            if rows > MAX_SHEET_ROWS or cells_before + rows * columns > MAX_CELLS:
                raise _too_large(sheet, rows, columns, cells_before + rows * columns)
    return rows, columns


def _bad_reference(sheet: str, reference: bytes) -> UnreadableFile:
    shown = reference[:20].decode("ascii", "replace")
    return UnreadableFile(f"damaged workbook: sheet '{sheet}' has a cell reference '{shown}' that is not a cell "
                          "of a worksheet", f"ไฟล์เสียหาย: แผ่นงาน '{sheet}' มีการอ้างอิงช่อง '{shown}' ที่ไม่ใช่ช่องในแผ่นงาน")


_ODS_TAG_RE = re.compile(
    rb"""<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>"""
)
_ODS_ROWS_REPEATED_RE = re.compile(rb"""table:number-rows-repeated\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_COLUMNS_REPEATED_RE = re.compile(rb"""table:number-columns-repeated\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_NAME_RE = re.compile(rb"""table:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_VALUE_RE = re.compile(rb"(?:office:(?:value|string-value|date-value|time-value|boolean-value|value-type)"
                           rb"|table:formula)\s*=")


def _repeats(pattern: re.Pattern, attributes: bytes, sheet: str) -> int:
    text = _attribute(pattern, attributes)
    if text is None:
        return 1
    if not text.isdigit():
        shown = text[:20].decode("ascii", "replace")
        raise UnreadableFile(f"damaged workbook: sheet '{sheet}' has a repeat count '{shown}'",
                             f"ไฟล์เสียหาย: แผ่นงาน '{sheet}' มีจำนวนซ้ำ '{shown}' ที่ไม่ใช่ตัวเลข")
    return int(text)


def _bound_ods(xml: bytes, cells_before: int) -> int:
    """The cells an OpenDocument body adds, raising FileTooLarge past a limit.

    The reader expands number-columns-repeated for cells that hold something and number-rows-repeated for rows
    that do, from A1 to the last cell with a value; repeated empty cells and rows after it cost nothing (every
    LibreOffice file ends with a million of them)."""
    cells = cells_before
    sheet = ""
    rows_so_far = used_rows = used_columns = 0
    row_repeats = column = row_width = 0
    for match in _ODS_TAG_RE.finditer(xml):
        closing, tag, attributes = match.groups()
        empty_element = attributes.endswith(b"/")
        if tag == b"table":
            if closing:
                cells += used_rows * used_columns
            else:
                sheet = (_attribute(_ODS_NAME_RE, attributes) or b"").decode("utf-8", "replace")
                rows_so_far = used_rows = used_columns = 0
            continue
        if tag == b"table-row":
            if not closing:
                row_repeats, column, row_width = _repeats(_ODS_ROWS_REPEATED_RE, attributes, sheet), 0, 0
            if closing or empty_element:
                if row_width:
                    used_rows = rows_so_far + row_repeats
                    used_columns = max(used_columns, row_width)
                    if used_rows > MAX_SHEET_ROWS or cells + used_rows * used_columns > MAX_CELLS:
                        raise _too_large(sheet, used_rows, used_columns, cells + used_rows * used_columns)
                rows_so_far += row_repeats
            continue
        if closing:
            continue
        column += _repeats(_ODS_COLUMNS_REPEATED_RE, attributes, sheet)
        if _ODS_VALUE_RE.search(attributes):
            row_width = column
            if cells + max(used_rows, rows_so_far + 1) * row_width > MAX_CELLS:
                rows = max(used_rows, rows_so_far + 1)
                raise _too_large(sheet, rows, row_width, cells + rows * row_width)
    return cells


def _sheet_paths(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(part name, sheet name) of every worksheet in workbook order, via workbook.xml and its relationships."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    targets = {}
    for rel in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rel_id = re.search(rb'\bId="([^"]+)"', rel)
        target = re.search(rb'\bTarget="([^"]+)"', rel)
        if rel_id and target:
            path = target.group(1).decode()
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            targets[rel_id.group(1)] = path
    paths = []
    for sheet in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        rel_id = re.search(rb'\br:id="([^"]+)"', sheet) or re.search(rb'\b\w+:id="([^"]+)"', sheet)
        name = re.search(rb'\bname="([^"]*)"', sheet)
        paths.append((targets.get(rel_id.group(1), "") if rel_id else "",
                      name.group(1).decode("utf-8", "replace") if name else ""))
    return paths

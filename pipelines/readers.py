"""Spreadsheet or CSV bytes -> raw rows: encodings, sheets, percent-formatted cells.

Values come back as Python scalars exactly as stored (numbers as float, text as
str). Which row is the header, and what the columns mean, is tables.py's job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from python_calamine import CalamineWorkbook

CSV_SHEET_NAME = "csv"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


class UnreadableFile(Exception):
    """The bytes are not a spreadsheet or CSV we can read."""


@dataclass
class RawSheet:
    name: str
    rows: list[list[object]]
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # 0-based (row, column)
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas/errors without a saved number


def read_sheets(file_name: str, data: bytes) -> list[RawSheet]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES or data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_workbook(data)
    return [RawSheet(CSV_SHEET_NAME, _read_csv(data))]


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) first, then Thai Windows cp874, as DOMAIN §7 says."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")
    except UnicodeDecodeError as error:
        raise UnreadableFile("not UTF-8 or Thai Windows (cp874) text") from error


def _read_csv(data: bytes) -> list[list[object]]:
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary data, not a CSV file")
    text = decode_text(data)
    if not text.strip():
        return []
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise UnreadableFile(f"malformed CSV: {error}") from error


def _read_workbook(data: bytes) -> list[RawSheet]:
    """Calamine for the values (fast), and for .xlsx a scan of the XML first for what calamine cannot say."""
    is_xlsx = data[:4] == b"PK\x03\x04" and b"xl/workbook.xml" in data
    facts = _xlsx_facts(data) if is_xlsx else []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            RawSheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as error:  # calamine raises several private error types
        raise UnreadableFile(f"not a readable spreadsheet: {error}") from error
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
MAX_SHEET_CELLS = 5_000_000  # the reader allocates rows x columns of the used range: refuse a far-away cell


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


def _xlsx_facts(data: bytes) -> list[SheetFacts]:
    """Per sheet (workbook order) facts read from the XML, refusing what would exhaust memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
                raise UnreadableFile(f"unpacks to more than {MAX_UNCOMPRESSED_BYTES // 2**20} MB")
            names = {info.filename for info in infos}
            styles = _percent_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else set()
            facts = []
            for path in _sheet_paths(archive, names):
                sheet = _sheet_facts(archive.read(path), styles) if path in names else SheetFacts()
                if sheet.max_row * sheet.max_column > MAX_SHEET_CELLS:
                    raise UnreadableFile(
                        f"a sheet spans {sheet.max_row:,} rows x {sheet.max_column:,} columns (limit "
                        f"{MAX_SHEET_CELLS:,} cells)"
                    )
                facts.append(sheet)
            return facts
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableFile(f"damaged workbook: {error}") from error


def _sheet_paths(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """Worksheet part names in workbook order, via workbook.xml and its relationships."""
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
        paths.append(targets.get(rel_id.group(1), "") if rel_id else "")
    return paths

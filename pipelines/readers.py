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
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            RawSheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as error:  # calamine raises several private error types
        raise UnreadableFile(f"not a readable spreadsheet: {error}") from error
    if data[:4] == b"PK\x03\x04":
        for sheet, cells in zip(sheets, _xlsx_percent_cells(data), strict=False):
            sheet.percent_cells = cells
    return sheets


_XF_RE = re.compile(rb"<(?:\w+:)?xf\b[^>]*>")
_NUMFMT_RE = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"')
_NUMFMT_ID_RE = re.compile(rb'numFmtId="(\d+)"')
_CELL_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bs="(\d+)"')
_CELL_RE_S_FIRST = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs="(\d+)"[^>]*?\br="([A-Z]+)(\d+)"')
BUILTIN_PERCENT_FORMATS = {9, 10}


def _percent_styles(styles_xml: bytes) -> set[int]:
    """Indexes into cellXfs whose number format shows a percent sign."""
    percent_formats = set(BUILTIN_PERCENT_FORMATS)
    for fmt_id, code in _NUMFMT_RE.findall(styles_xml):
        if b"%" in code.replace(b'\\%', b"").replace(b'"%"', b"%"):
            percent_formats.add(int(fmt_id))
    start = styles_xml.find(b"<cellXfs")
    if start < 0:
        start = styles_xml.find(b":cellXfs")
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


def _xlsx_percent_cells(data: bytes) -> list[set[tuple[int, int]]]:
    """Per sheet (workbook order), the cells formatted as percent, so 0.85 can be read as 85 %."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            styles = _percent_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else set()
            sheet_paths = _sheet_paths(archive, names)
            if not styles:
                return [set() for _ in sheet_paths]
            result = []
            for path in sheet_paths:
                xml = archive.read(path) if path in names else b""
                cells = set()
                for letters, row, style in _CELL_RE.findall(xml):
                    if int(style) in styles:
                        cells.add((int(row) - 1, _column_index(letters)))
                for style, letters, row in _CELL_RE_S_FIRST.findall(xml):
                    if int(style) in styles:
                        cells.add((int(row) - 1, _column_index(letters)))
                result.append(cells)
            return result
    except (zipfile.BadZipFile, KeyError):
        return []


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

"""Upload attacks (issue 9, items 1, 3, 11, 13, 14), kept in the suite so they stay fixed.

Every hostile file is built here, by hand (zipfile around hand-written XML), and sent the way a user sends it: to
pipelines.readers, to `python -m pipelines ingest` (pipelines.cli.main), to the upload page and the admin data page
(AppTest). Each test asserts the Thai and English message, that the process is alive and reads the next file, and
that the public views did not change. Memory cases run the CLI in a child process (itself under a 3 GiB address
space, so that a regression aborts the child, not the test machine) and assert the peak RSS of the child and of its
parse workers (RUSAGE_SELF and RUSAGE_CHILDREN, after the workers are stopped) against stated bounds.
See docs/security-uploads.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from pipelines import auth, db, parse_worker, readers
from pipelines.catalogue import validate_catalogue
from pipelines.orgs import validate_orgs
from pipelines.problems import MAX_PROBLEMS
from pipelines.tables import MAX_DATA_ROWS
from pipelines.uploads import file_preview
from pipelines.validate import validate_submission
from tests.accounts_support import CSV_MIME, XLSX_MIME, add_accounts, page, signed_in, texts
from tests.support import SAMPLES, run_cli

REPO = Path(__file__).resolve().parents[2]
THAI = re.compile(r"[\u0e00-\u0e7f]")
SERVER_PEAK_BOUND = 512 * 2**20
"""Peak RSS of the process a user talks to (here the CLI): the interpreter with DuckDB and pandas, no file."""
WORKER_PEAK_BOUND = parse_worker.MEMORY_LIMIT_BYTES
"""Peak RSS of a parse worker: never above its address-space limit, whatever the file."""
BOUNDED_WORKER_PEAK = 256 * 2**20
"""Peak RSS of a parse worker for a file refused by the bounds: the refusal comes before any allocation."""


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


# --------------------------------------------------------------------------------- hand-made workbooks

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="ผลการดำเนินงาน" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    "xl/styles.xml": (  # style 1 is the built-in percent format 10 (0.00%)
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/></cellXfs></styleSheet>'),
}
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx(sheet_data: str, dimension: str = "", shared_strings: list[str] | None = None) -> bytes:
    """A workbook of one sheet around hand-written <sheetData> XML, as a hostile program would write it."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {SHEET_NS}>'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", head + "<sheetData>" + sheet_data + "</sheetData></worksheet>")
        strings = "".join(f"<si><t>{text}</t></si>" for text in shared_strings or [])
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {SHEET_NS}>{strings}</sst>')
    return buffer.getvalue()


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def number(ref: str, value: object, style: str = "") -> str:
    return f'<c r="{ref}"{style}><v>{value}</v></c>'


HEADER_ROW = '<row r="1">' + "".join(text(f"{letter}1", name) for letter, name in zip(
    "ABCDE", ["division", "fiscal_year", "quarter", "kpi_code", "actual"], strict=True)) + "</row>"


def plan_row(row: int, kpi: str, actual_cell: str) -> str:
    return (f'<row r="{row}">' + text(f"A{row}", "PLAN") + number(f"B{row}", 2568) + number(f"C{row}", 2)
            + text(f"D{row}", kpi) + actual_cell + "</row>")


GOOD_ROWS = HEADER_ROW + plan_row(2, "P-01", number("E2", 72.5)) + plan_row(3, "P-02", number("E3", 15))

ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Sheet1">')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods(rows: str) -> bytes:
    """An OpenDocument spreadsheet around hand-written <table:table-row> XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_HEAD + rows + ODS_TAIL)
    return buffer.getvalue()


def ods_text(value: str, repeat: int = 1) -> str:
    return (f'<table:table-cell office:value-type="string" table:number-columns-repeated="{repeat}">'
            f"<text:p>{value}</text:p></table:table-cell>")


def ods_number(value: object, repeat: int = 1) -> str:
    return (f'<table:table-cell office:value-type="float" office:value="{value}" '
            f'table:number-columns-repeated="{repeat}"/>')


def ods_row(cells: str, repeat: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>'


ODS_HEADER = ods_row("".join(ods_text(name) for name in ["division", "fiscal_year", "quarter", "kpi_code", "actual"]))
LIBREOFFICE_TAIL = ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1048570)
"""What every LibreOffice sheet ends with: a million empty rows of 1,024 empty cells, expanded by nobody."""


# --------------------------------------------------------------------------------------------- helpers


def public_state(db: Path) -> tuple:
    """What users and analysts can see: the public views, and the archived uploads."""
    with duckdb.connect(str(db), read_only=True) as con:
        views = tuple(con.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall() for view in (  # noqa: S608
            "submissions", "submission_values", "kpi_results", "unit_scores", "kpi_catalogue", "org_units"))
    uploads = db.parent / "uploads"
    return (*views, sorted(p.name for p in uploads.iterdir()) if uploads.exists() else [])


def refused(file_name: str, data: bytes) -> readers.UnreadableFile:
    """The reader refuses the file with a reason in Thai and in English, and reads the next file after it."""
    with pytest.raises(readers.UnreadableFile) as caught:
        readers.read_sheets(file_name, data)
    assert THAI.search(caught.value.reason_th) and re.search(r"[a-z]+ [a-z]+", caught.value.reason_en)
    assert readers.read_sheets("next.csv", b"kpi_code,actual\nP-01,70\n")[0].rows == [["kpi_code", "actual"],
                                                                                    ["P-01", "70"]]
    return caught.value


def cli_problems(capsys: pytest.CaptureFixture[str], db: Path, path: Path, *args: str) -> list[str]:
    """`ingest` of the file: exit 1, problem lines with Thai and English reasons, public views unchanged."""
    before = public_state(db)
    capsys.readouterr()
    code = run_cli(db, "ingest", str(path), *args)
    err = capsys.readouterr().err
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.startswith(path.name + ":")]
    assert lines and all(THAI.search(line) and " / " in line for line in lines), err
    assert public_state(db) == before
    return lines


CHILD = """
import json, resource, sys
from pipelines import cli, parse_worker
code = cli.main(["--db", sys.argv[1], sys.argv[2], sys.argv[3]])
parse_worker.shutdown()
peaks = {"self": parse_worker.peak_rss(), "reported": parse_worker.largest_worker_peak(),
         "workers": max(parse_worker.largest_worker_peak(),
                        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)}
print("PEAKS " + json.dumps(peaks), file=sys.stderr)
sys.exit(code)
"""
"""Peaks: "self" is the CLI's own (VmHWM); "workers" the largest of its parse workers, also those the limit ended
(RUSAGE_CHILDREN, which on Linux may carry the CLI's own size at the time it started the worker: an upper bound)."""


def _child_limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def cli_in_child(db: Path, path: Path, command: str = "ingest") -> tuple[int, str, dict[str, int]]:
    """The CLI in a child process: exit code, stderr, and peak RSS of the child and of its parse workers."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), command, str(path)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, preexec_fn=_child_limits, check=False)
    found = re.search(r"PEAKS (\{.*\})", done.stderr)
    assert found, f"the child died (exit {done.returncode}): {done.stderr[-1500:]}"
    return done.returncode, done.stderr, json.loads(found[1])


# ------------------------------------------------------------------- 1. far-away cells in a 1.5 KB .xlsx

FAR_AWAY = {
    # the issue's file: a cell without r= in the last row (1,048,576), and one cell far right (XFD8)
    "cell_without_r_in_the_last_row": HEADER_ROW + '<row r="8">' + number("XFD8", 1) + "</row>"
                                      + '<row r="1048576"><c><v>1</v></c></row>',
    "rows_without_r_after_a_far_row": HEADER_ROW + '<row r="1048570"/>' + "<row><c><v>1</v></c></row>" * 3,
    "cells_without_r_run_far_right": HEADER_ROW + '<row r="9000">' + "<c><v>1</v></c>" * 200 + "</row>",
    "twenty_thousand_rows_without_r": HEADER_ROW + "<row><c><v>1</v></c></row>" * 20_000,
    "last_cell_of_the_sheet": HEADER_ROW + '<row r="1048576">' + number("XFD1048576", 1) + "</row>",
    "dimension_says_a_small_sheet": HEADER_ROW + '<row r="600000">' + number("AB600000", 1) + "</row>",
}
"""Each spans more than readers.MAX_SHEET_ROWS rows or readers.MAX_CELLS cells, however it hides it."""

BAD_REFERENCES = {
    "row_number_of_eight_digits": HEADER_ROW + '<row r="2">' + number("A99999999", 1) + "</row>",
    "lower_case_reference": HEADER_ROW + '<row r="2">' + number("xfd1048576", 1) + "</row>",
    "reference_with_dollars": HEADER_ROW + '<row r="2">' + number("$A$2", 1) + "</row>",
    "row_zero": HEADER_ROW + '<row r="0"><c><v>1</v></c></row>',
    "r_twice": HEADER_ROW + '<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>',
}
"""References the reader could read otherwise than Excel: refused as damaged rather than guessed."""


@pytest.mark.parametrize("sheet", FAR_AWAY.values(), ids=FAR_AWAY.keys())
def test_a_sheet_spanning_more_than_the_limits_is_refused_before_reading(sheet: str) -> None:
    data = xlsx(sheet, dimension="A1:E3")
    error = refused("far.xlsx", data)
    assert isinstance(error, readers.FileTooLarge)
    assert "limit" in error.reason_en and "ขีดจำกัด" in error.reason_th and "ผลการดำเนินงาน" in error.reason_th


@pytest.mark.parametrize("sheet", BAD_REFERENCES.values(), ids=BAD_REFERENCES.keys())
def test_a_cell_reference_that_is_not_a_worksheet_cell_is_refused(sheet: str) -> None:
    error = refused("bad_ref.xlsx", xlsx(sheet))
    assert "not a readable spreadsheet" in error.reason_en and "ไฟล์ไม่ใช่สเปรดชีต" in error.reason_th


def test_a_quote_with_a_bracket_does_not_hide_a_far_reference() -> None:
    sheet = HEADER_ROW + '<row r="2"><c foo="x>y" r="XFD1048576"><v>1</v></c></row>'
    assert isinstance(refused("quoted.xlsx", xlsx(sheet)), readers.FileTooLarge)


def test_a_lying_dimension_alone_costs_nothing() -> None:
    """<dimension ref="A1:XFD1048576"> on a small sheet: neither refused nor allocated."""
    sheets = readers.read_sheets("lie.xlsx", xlsx(GOOD_ROWS, dimension="A1:XFD1048576"))
    assert [len(sheets[0].rows), len(sheets[0].rows[0])] == [3, 5]


def test_cells_without_r_are_placed_as_excel_places_them() -> None:
    sheet = '<row r="1"><c><v>1</v></c><c r="C1"><v>3</v></c><c><v>4</v></c></row><row><c><v>5</v></c></row>'
    rows = readers.read_sheets("places.xlsx", xlsx(sheet))[0].rows
    assert rows == [[1.0, "", 3.0, 4.0], [5.0, "", "", ""]]


@pytest.mark.xdist_group("limits")
def test_the_issue_file_through_the_cli_leaves_the_process_and_the_database_whole(sample_db: Path,
                                                                                  tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx(FAR_AWAY["cell_without_r_in_the_last_row"]))
    assert path.stat().st_size < 4096
    before = public_state(sample_db)

    code, err, peaks = cli_in_child(sample_db, path)

    assert code == 1
    assert "reaches row 1,048,576; the limit is 10,000 rows per sheet" in err
    assert "มีข้อมูลถึงแถวที่ 1,048,576 เกินขีดจำกัด 10,000 แถวต่อแผ่นงาน" in err
    assert peaks["self"] < SERVER_PEAK_BOUND and peaks["workers"] < BOUNDED_WORKER_PEAK, peaks
    assert public_state(sample_db) == before


# --------------------------------------------------------------------- 3. every format, the same bounds

ODS_BOMBS = {
    "rows_times_columns_repeated": ods_row(ods_number(1, 16384), 1048576),
    "one_row_of_a_billion_cells": ODS_HEADER + ods_row(ods_number(1, 1_000_000_000)),
    "deeply_repeated_empty_rows_then_a_value": ODS_HEADER + ods_row("<table:table-cell/>", 1_048_000)
                                               + ods_row(ods_number(1)),
    "repeated_rows_of_a_wide_row": ODS_HEADER + ods_row(ods_number(1, 200), 6000),
}


@pytest.mark.parametrize("name", ["bomb.ods", "bomb.xlsx", "bomb.csv"])
@pytest.mark.parametrize("rows", ODS_BOMBS.values(), ids=ODS_BOMBS.keys())
def test_an_opendocument_bomb_is_refused_whatever_its_name(rows: str, name: str) -> None:
    data = ods(rows)
    assert len(data) < 2048
    error = refused(name, data)
    assert isinstance(error, readers.FileTooLarge) and "Sheet1" in error.reason_en


def test_an_opendocument_file_with_libreoffices_million_empty_rows_is_read() -> None:
    data = ods(ODS_HEADER + ods_row(ods_text("PLAN") + ods_number(2568) + ods_number(2) + ods_text("P-01")
                                    + ods_number(72.5)) + LIBREOFFICE_TAIL)
    rows = readers.read_sheets("plan.ods", data)[0].rows
    assert rows == [["division", "fiscal_year", "quarter", "kpi_code", "actual"], ["PLAN", 2568.0, 2.0, "P-01", 72.5]]


@pytest.mark.xdist_group("limits")
def test_the_opendocument_bomb_named_xlsx_through_the_cli(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "ผลการดำเนินงาน.xlsx"
    path.write_bytes(ods(ODS_BOMBS["rows_times_columns_repeated"]))
    before = public_state(sample_db)

    code, err, peaks = cli_in_child(sample_db, path)

    assert code == 1 and "file over the reading limits" in err and "ไฟล์ใหญ่เกินขีดจำกัดที่อ่านได้" in err
    assert peaks["self"] < SERVER_PEAK_BOUND and peaks["workers"] < BOUNDED_WORKER_PEAK, peaks
    assert public_state(sample_db) == before


@pytest.mark.xdist_group("limits")
def test_a_cell_of_two_billion_spaces_ends_only_its_parse_worker(sample_db: Path, tmp_path: Path) -> None:
    """What no bound foresees (here an ODS <text:s text:c="2000000000"/>): the worker's memory limit ends it,
    the process that asked is unharmed and says the file is unreadable."""
    path = tmp_path / "spaces.ods"
    cell = ('<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p>'
            "</table:table-cell>")
    path.write_bytes(ods(ODS_HEADER + ods_row(ods_text("PLAN") + ods_number(2568) + ods_number(2)
                                              + ods_text("P-01") + cell)))
    before = public_state(sample_db)

    code, err, peaks = cli_in_child(sample_db, path)

    assert code == 1
    assert "reading it needed more than the 1024 MB memory limit" in err and "ใช้หน่วยความจำเกิน 1024 MB" in err
    assert peaks["self"] < SERVER_PEAK_BOUND and peaks["workers"] <= WORKER_PEAK_BOUND, peaks
    assert public_state(sample_db) == before


def test_a_long_shared_string_in_every_cell_ends_only_its_parse_worker() -> None:
    """2 MB of text shared by 2,000 cells: within every bound on the sheet's size, 4 GB once read."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(1, 201))
    error = refused("shared.xlsx", xlsx(rows, shared_strings=["ก" * 2_000_000]))

    assert "memory limit" in error.reason_en and "หน่วยความจำ" in error.reason_th


def test_a_parse_over_the_time_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within every bound, slow to scan (a million empty rows): the worker is killed at the time limit (here made
    0.2 s) and the next file gets a fresh one."""
    data = xlsx("<row><c><v>1</v></c></row>" * 9_000 + '<row r="1"/>' * 1_000_000)
    readers.read_sheets("warm.csv", b"a\n")  # a worker is running: the time measured is the parse alone
    monkeypatch.setattr(parse_worker, "TIME_LIMIT_SECONDS", 0.2)

    with pytest.raises(readers.UnreadableFile) as caught:
        readers.read_sheets("slow.xlsx", data)

    assert "took longer than the 0.2 s limit" in caught.value.reason_en
    assert "ใช้เวลาอ่านเกิน 0.2 วินาที" in caught.value.reason_th
    monkeypatch.undo()
    assert readers.read_sheets("next.csv", b"a\n1\n")[0].rows == [["a"], ["1"]]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "not a readable spreadsheet"),
    ("book.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 4000, "not a readable spreadsheet"),
    ("book.xlsb", None, "not a readable spreadsheet"),
    ("book.xlsx", b"kpi_code,actual\nP-01,70\n", "named .xlsx but not a workbook"),
    ("archive.xlsx", None, "a zip archive that is not a workbook"),
])
def test_other_formats_and_disguises_are_unreadable_not_fatal(name: str, data: bytes | None, reason: str) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.bin" if name.endswith(".xlsb") else "notes.txt", b"\x00" * 100)
        data = buffer.getvalue()
    assert reason in refused(name, data).reason_en


def test_an_xlsx_that_unpacks_past_the_limit_is_refused() -> None:
    buffer = io.BytesIO(xlsx(GOOD_ROWS))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (readers.MAX_UNCOMPRESSED_BYTES + 1))
    error = refused("padded.xlsx", buffer.getvalue())
    assert "unpacks to more than 100 MB" in error.reason_en and "100 MB" in error.reason_th


@pytest.mark.parametrize(("name", "data"), [
    ("rows.csv", b"kpi_code,actual\n" + b"P-01,1\n" * 20_000),
    ("columns.csv", b"kpi_code,actual" + b"," * 2_000_000 + b"\n"),
])
def test_a_csv_over_the_rows_or_cells_limit_is_refused(name: str, data: bytes) -> None:
    assert isinstance(refused(name, data), readers.FileTooLarge)


def test_the_cell_count_check_after_reading_refuses_what_no_scan_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """.xls and .xlsb are bounded by the worker's memory and by this check of the size the reader reports; shown
    here on an .xlsx with the scan turned off, in this process."""
    monkeypatch.setattr(readers, "_bound_zip", lambda archive: None)
    data = xlsx(HEADER_ROW + '<row r="2000">' + number("ALL2000", 1) + "</row>")
    with pytest.raises(readers.FileTooLarge, match="1,000,000 cells"):
        readers.read_sheets_in_process("wide.xlsx", data)


def test_every_file_reader_goes_through_the_parse_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Submissions (CLI and page), the page's preview, org unit and catalogue files: one path, read_sheets."""
    calls = []
    run = parse_worker.run

    def counted(function, *args, **kwargs):
        calls.append(function.__name__)
        return run(function, *args, **kwargs)

    monkeypatch.setattr(parse_worker, "run", counted)
    data = b"kpi_code,actual\nP-01,70\n"
    validate_submission("s.csv", data, {}, {})
    file_preview("s.csv", data)
    validate_orgs("o.csv", data, set())
    validate_catalogue("c.csv", data, set())
    assert calls == ["read_sheets_in_process"] * 4
    sources = [path for folder in ("pipelines", "dashboard") for path in (REPO / folder).rglob("*.py")]
    readers_of_bytes = [path.name for path in sources if re.search(r"calamine|read_excel|read_csv|csv\.reader",
                                                                   path.read_text(encoding="utf-8"))]
    assert readers_of_bytes == ["readers.py"]


# ----------------------------------------------------------------------------- 11. non-finite numbers

def test_1e308_in_a_percent_cell_is_refused_and_scores_stay_valid_json(sample_db: Path, tmp_path: Path,
                                                                        capsys) -> None:
    path = tmp_path / "percent.xlsx"
    path.write_bytes(xlsx(HEADER_ROW + plan_row(2, "P-01", number("E2", "1e308", ' s="1"'))
                          + plan_row(3, "P-02", number("E3", 15))))

    lines = cli_problems(capsys, sample_db, path)

    assert len(lines) == 1 and lines[0].startswith("percent.xlsx:ผลการดำเนินงาน:2:actual [E]: 1000000000")
    assert lines[0].endswith(": ตัวเลขใหญ่เกินไป (เกิน ±1,000,000,000,000,000) / number too large (beyond "
                             "±1,000,000,000,000,000)")
    assert run_cli(sample_db, "scores", "--fiscal-year", "2568", "--quarter", "2", "--by", "kpi",
                   "--format", "json") == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))


@pytest.mark.parametrize(("cell", "reason"), [
    (number("E2", "NaN"), "actual must be a number"),
    (number("E2", "-inf"), "actual must be a number"),
    (number("E2", "1E+309"), "actual must be a number"),
    (number("E2", "2e15"), "number too large"),
    (text("E2", "1,000,000,000,000,001"), "number too large"),
])
def test_a_non_finite_or_huge_actual_is_refused(sample_db: Path, tmp_path: Path, capsys, cell: str,
                                                reason: str) -> None:
    path = tmp_path / "huge.xlsx"
    path.write_bytes(xlsx(HEADER_ROW + plan_row(2, "P-01", cell)))
    lines = cli_problems(capsys, sample_db, path)
    assert len(lines) == 1 and ":2:actual [E]:" in lines[0] and reason in lines[0]


@pytest.mark.parametrize(("column", "value"), [("น้ำหนัก", "1e308"), ("เกณฑ์ระดับ 5", "1e308"),
                                               ("น้ำหนัก", "NaN"), ("เกณฑ์ระดับ 1", "-1e300")])
def test_a_non_finite_or_huge_catalogue_number_is_refused(sample_db: Path, tmp_path: Path, capsys, column: str,
                                                          value: str) -> None:
    rows = list(csv.reader(SAMPLES.joinpath("catalogue_2568_th.csv").read_text("utf-8").splitlines()))
    header, p01 = rows[0], next(row for row in rows if row[1] == "P-01")
    cells = "".join(text(f"{chr(65 + i)}1", name) for i, name in enumerate(header))
    cells = f'<row r="1">{cells}</row><row r="2">' + "".join(
        number(f"{chr(65 + i)}2", value, ' s="1"') if name == column else text(f"{chr(65 + i)}2", p01[i])
        for i, name in enumerate(header)) + "</row>"
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(xlsx(cells))
    before = public_state(sample_db)
    capsys.readouterr()

    assert run_cli(sample_db, "catalogue", str(path)) == 1

    err = capsys.readouterr().err
    assert f":2:{column} [" in err and ("not a number" in err or "number too large" in err), err
    assert public_state(sample_db) == before


# -------------------------------------------------------------------------------- 13. duplicate columns

@pytest.mark.parametrize(("header", "first", "second"), [
    ("division,fiscal_year,quarter,kpi_code,actual,actual", "actual [E]", "actual [F]"),
    ("division,fiscal_year,quarter,kpi_code,ผลการดำเนินงาน,actual", "ผลการดำเนินงาน [E]", "actual [F]"),
    ("division,fiscal_year,quarter,kpi_code,actual,รหัสตัวชี้วัด", "kpi_code [D]", "รหัสตัวชี้วัด [F]"),
])
def test_two_columns_for_one_field_in_a_submission_are_refused(sample_db: Path, tmp_path: Path, capsys,
                                                               header: str, first: str, second: str) -> None:
    path = tmp_path / "twice.csv"
    path.write_text(f"{header}\nPLAN,2568,2,P-01,70,85\n", encoding="utf-8")
    lines = cli_problems(capsys, sample_db, path)
    assert len(lines) == 1 and f"twice.csv:csv:1:{second}: : " in lines[0]
    assert f"คอลัมน์ {first} และ {second} เป็นข้อมูลเดียวกัน" in lines[0] and f"columns {first} and {second}" in lines[0]


def test_two_weight_columns_in_a_catalogue_are_refused(sample_db: Path, tmp_path: Path, capsys) -> None:
    catalogue = SAMPLES.joinpath("catalogue_2568_th.csv").read_text("utf-8").splitlines()
    path = tmp_path / "catalogue.csv"
    path.write_text("\n".join([catalogue[0] + ",weight"] + [line + ",1" for line in catalogue[1:]]) + "\n", "utf-8")
    before = public_state(sample_db)
    capsys.readouterr()
    assert run_cli(sample_db, "catalogue", str(path)) == 1
    err = capsys.readouterr().err
    assert "columns น้ำหนัก [J] and weight [P] both mean weight" in err and public_state(sample_db) == before


def test_two_code_columns_in_an_org_file_are_refused(sample_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("code,name_th,รหัสหน่วยงาน\nNEW,ใหม่,OLD\n", encoding="utf-8")
    before = public_state(sample_db)
    capsys.readouterr()
    assert run_cli(sample_db, "orgs", str(path)) == 1
    err = capsys.readouterr().err
    assert "columns code [A] and รหัสหน่วยงาน [C] both mean code" in err and public_state(sample_db) == before


# ---------------------------------------------------------------------------- 14. rows and problems caps

def million_rows() -> bytes:
    """The largest sheet Excel can save: a value in every one of its 1,048,576 rows (about 4 MB zipped)."""
    return xlsx(HEADER_ROW + "".join(f'<row r="{r}"><c r="D{r}"><v>1</v></c></row>' for r in range(2, 1_048_577)))


def test_a_million_row_workbook_is_refused_before_validation(sample_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "million.xlsx"
    path.write_bytes(million_rows())
    lines = cli_problems(capsys, sample_db, path)
    assert lines == ["million.xlsx:::: : ไฟล์ใหญ่เกินขีดจำกัดที่อ่านได้: แผ่นงาน 'ผลการดำเนินงาน' มีข้อมูลถึงแถวที่ 10,001 "
                     "เกินขีดจำกัด 10,000 แถวต่อแผ่นงาน / file over the reading limits: sheet 'ผลการดำเนินงาน' reaches "
                     "row 10,001; the limit is 10,000 rows per sheet"]


def test_more_data_rows_than_a_file_may_hold_are_refused_without_checking_each(sample_db: Path, tmp_path: Path,
                                                                               capsys) -> None:
    path = tmp_path / "many.csv"
    path.write_text("division,fiscal_year,quarter,kpi_code,actual\n"
                    + "".join(f"PLAN,2568,2,X-{n},bad\n" for n in range(MAX_DATA_ROWS + 1)), encoding="utf-8")
    lines = cli_problems(capsys, sample_db, path)
    assert lines == ["many.csv:csv::: : ไฟล์มีข้อมูล 5,001 แถว เกินขีดจำกัด 5,000 แถวต่อไฟล์ (ไม่ได้ตรวจสอบรายแถว) / "
                     "the file has 5,001 data rows, more than the limit of 5,000 per file (rows not checked)"]


def test_problems_stop_at_the_first_hundred_and_count_the_rest(sample_db: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("division,fiscal_year,quarter,kpi_code,actual\n"
                    + "".join(f"PLAN,2568,2,P-01,bad{n}\n" for n in range(3_000)), encoding="utf-8")
    lines = cli_problems(capsys, sample_db, path)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == ("bad.csv:csv::: : แสดงเฉพาะ 100 ปัญหาแรก และอีก 2,900 รายการ / stopped listing after the first "
                         "100 problems; 2,900 more not listed")


def test_a_capped_list_still_counts_every_problem_on_the_page_in_the_cli_and_in_the_audit(
    site: Path, tmp_path: Path, capsys
) -> None:
    """The list stops at a hundred; the totals a person reads ("พบปัญหา N รายการ", "rejected: N problem(s)", the
    audit detail) count all of them, not the hundred and one lines listed."""
    data = ("division,fiscal_year,quarter,kpi_code,actual\n"
            + "".join(f"PLAN,2568,2,P-01,bad{n}\n" for n in range(3_000))).encode()
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    capsys.readouterr()
    assert run_cli(site, "ingest", str(path)) == 1
    assert "rejected: 3000 problem(s) in 1 of 1 file(s)" in capsys.readouterr().err

    app = upload_page(site)
    app.file_uploader(key="upload_file").set_value(("bad.csv", data, CSV_MIME))
    app.run()
    assert not app.exception
    assert texts(app, "error")[0].startswith("พบปัญหา 3000 รายการ")
    with db.open_db(site, read_only=True) as con:
        detail = con.execute("SELECT detail FROM audit_log WHERE action = 'upload' AND outcome = 'rejected' "
                             "ORDER BY event_id DESC LIMIT 1").fetchone()[0]
    assert detail.startswith("bad.csv: 3000 problem(s) / พบ 3000 ปัญหา")


# ------------------------------------------------------------------------------------ the pages

@pytest.fixture
def site(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    return sample_db


def upload_page(db_path: Path) -> AppTest:
    app = signed_in(page("upload.py"), db_path, "plan.head")
    app.run()
    app.selectbox(key="upload_fiscal_year").set_value(2568)
    app.selectbox(key="upload_quarter").set_value(2)
    return app.run()


PAGE_ATTACKS = {
    "far_cell.xlsx": (lambda: xlsx(FAR_AWAY["cell_without_r_in_the_last_row"]), "เกินขีดจำกัด 10,000 แถวต่อแผ่นงาน"),
    "bomb.xlsx": (lambda: ods(ODS_BOMBS["rows_times_columns_repeated"]), "ไฟล์ใหญ่เกินขีดจำกัดที่อ่านได้"),
    "million.xlsx": (million_rows, "มีข้อมูลถึงแถวที่ 10,001"),
    "twice.csv": (lambda: b"division,fiscal_year,quarter,kpi_code,actual,actual\nPLAN,2568,2,P-01,70,85\n",
                  "คอลัมน์ actual [E] และ actual [F] เป็นข้อมูลเดียวกัน"),
    "percent.xlsx": (lambda: xlsx(HEADER_ROW + plan_row(2, "P-01", number("E2", "1e308", ' s="1"'))),
                     "ตัวเลขใหญ่เกินไป"),
}


@pytest.mark.parametrize("name", PAGE_ATTACKS)
def test_the_upload_page_refuses_each_attack_and_keeps_serving(site: Path, name: str) -> None:
    make, message = PAGE_ATTACKS[name]
    data = make()
    before = public_state(site)
    app = upload_page(site)

    app.file_uploader(key="upload_file").set_value((name, data, CSV_MIME if name.endswith(".csv") else XLSX_MIME))
    app.run()

    assert not app.exception
    shown = "\n".join(texts(app, "error") + texts(app, "warning"))
    assert message in shown, shown
    assert not any(button.key == "upload_confirm" for button in app.button)
    assert public_state(site) == before
    good = b"division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,72.5\nPLAN,2568,2,P-02,15\n"
    app.file_uploader(key="upload_file").set_value(("good.csv", good, CSV_MIME))
    app.run()
    assert any(button.key == "upload_confirm" for button in app.button)


def test_the_admin_data_page_refuses_a_catalogue_bomb(site: Path) -> None:
    before = public_state(site)
    app = signed_in(page("admin_data.py"), site, "admin").run()
    app.file_uploader(key="admin_catalogue_file").set_value(("catalogue.xlsx", ods(ODS_BOMBS["rows_times_columns_"
                                                                                           "repeated"]), XLSX_MIME))
    app.run()
    assert not app.exception
    assert "ไฟล์ใหญ่เกินขีดจำกัดที่อ่านได้" in app.dataframe[0].value["reason"].iloc[0]
    assert public_state(site) == before

"""Hostile and broken submission files: every one is rejected whole, or stored safely, and never hurts the database.

For each rejection the tests assert what DOMAIN.md §7 and the CLI contract promise: exit code 1; problem lines
`file:sheet:row:column: value: reason_th / reason_en` naming the file, the sheet, the row and the column as the
user sees them (whole-file problems leave row and column empty) with a Thai and an English reason; and the
database unchanged -- `submissions`, `submission_values`, `kpi_results` and `unit_scores` read the same before and
after, the same tables exist, and no file was added to the upload archive.

The memory tests run the CLI in a child process under an address-space limit (RLIMIT_AS), so that a reader that
blows up is stopped by the kernel instead of taking the test machine down, and read the child's peak RSS with
resource.getrusage.

Tests marked xfail(strict) pin a bug: they assert the behaviour DOMAIN.md asks for and fail until it is fixed.
"""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

import pipelines.readers
from pipelines.validate import MAX_NOTE_CHARACTERS
from tests.support import run_cli

REPO = Path(__file__).resolve().parents[1]
HEADER = "division,fiscal_year,quarter,kpi_code,actual,note\n"
THAI = re.compile(r"[\u0e00-\u0e7f]")
PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<sheet>[^:]*):(?P<row>\d*):(?P<column>[^:]*): (?P<rest>.*)$")
SUMMARY_PREFIX = "ไม่ได้บันทึก / rejected"
PROGRESS = re.compile(r"^\S+/\S+ \[\d+/\d+\] ")  # "ตรวจสอบ/validate [2/5] q1.csv" on a batch




# --------------------------------------------------------------------------------------------------- helpers


def parse_problems(err: str, *file_names: str) -> list[dict[str, str]]:
    """Every problem line of the CLI's stderr, split into its parts; any other line fails the test."""
    problems = []
    for line in err.split("\n"):
        line = line.rsplit("\r", 1)[-1]  # what a terminal shows of a self-overwriting progress line
        if not line.strip() or line.startswith(SUMMARY_PREFIX) or PROGRESS.match(line):
            continue
        match = PROBLEM.match(line)
        assert match, f"not a problem line: {line!r}"
        left, reason_en = match["rest"].rsplit(" / ", 1)
        value, reason_th = left.rsplit(": ", 1) if ": " in left else ("", left.removeprefix(": "))
        problem = {**match.groupdict(), "value": value, "th": reason_th, "en": reason_en}
        del problem["rest"]
        assert problem["file"] in file_names, line
        assert THAI.search(problem["th"]), f"no Thai reason: {line}"
        assert re.match(r"[A-Za-z]+ [A-Za-z]", problem["en"]), f"no English reason: {line}"
        problems.append(problem)
    return problems


def snapshot(db: Path) -> tuple:
    """What a user and an analyst can see: every version, every value, every result, the archived files."""
    with duckdb.connect(str(db), read_only=True) as con:
        state = tuple(
            con.execute(sql).fetchall()
            for sql in (
                "SELECT * FROM submissions ORDER BY submission_id",
                "SELECT * FROM submission_values ORDER BY submission_id, kpi_code",
                "SELECT * FROM kpi_results ORDER BY ALL",
                "SELECT * FROM unit_scores ORDER BY ALL",
                "SELECT table_name FROM information_schema.tables ORDER BY ALL",
            )
        )
    uploads = db.parent / "uploads"
    archived = sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []
    return (*state, archived)


def rejected(capsys: pytest.CaptureFixture[str], db: Path, path: Path, *args: str) -> list[dict[str, str]]:
    """Ingest `path`, assert a clean rejection with the database untouched, and return the problems."""
    return rejected_each(capsys, db, [path], *args)[path.name]


def rejected_each(capsys: pytest.CaptureFixture[str], db: Path, paths: list[Path],
                  *args: str) -> dict[str, list[dict[str, str]]]:
    """Ingest several files in one command (a batch upload): rejected, the database untouched, and a problem for
    every one of the files; returns the problems of each file by name."""
    before = snapshot(db)
    capsys.readouterr()
    code = run_cli(db, "ingest", *map(str, paths), *args)
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert SUMMARY_PREFIX in err
    problems = parse_problems(err, *(path.name for path in paths))
    by_file = {path.name: [p for p in problems if p["file"] == path.name] for path in paths}
    assert all(by_file.values()), f"a file without a problem: {by_file}"
    assert snapshot(db) == before
    return by_file


def accepted(capsys: pytest.CaptureFixture[str], db: Path, path: Path) -> str:
    capsys.readouterr()
    code = run_cli(db, "ingest", str(path))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def has(problems: list[dict[str, str]], row: int | None, column: str, value: str | None = None,
        en: str = "") -> bool:
    """A problem on that row (None: the whole file) and column (the header as written, with its letter)."""
    return any(
        p["row"] == ("" if row is None else str(row)) and p["column"] == column
        and (value is None or p["value"] == value) and en in p["en"]
        for p in problems
    )


def whole_file(problems: list[dict[str, str]], en: str) -> bool:
    return any(p["row"] == "" and p["column"] == "" and en in p["en"] for p in problems)


def csv_file(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def values(db: Path, unit: str = "PLAN", quarter: int = 2) -> dict[str, tuple]:
    """kpi_code -> (actual, score, note) of the latest version, as kpi_results shows it."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT kpi_code, actual, score, note FROM kpi_results "
                           "WHERE unit_code = ? AND fiscal_year = 2568 AND quarter = ?", [unit, quarter]).fetchall()
    return {code: tuple(rest) for code, *rest in rows}


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
    ' Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
    ' Target="styles.xml"/></Relationships>'
)
STYLES = (  # style 1 is the built-in percent format 10 (0.00%)
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def raw_xlsx(path: Path, sheet_data: str) -> Path:
    """A minimal xlsx around hand-written <sheetData> XML: what other programs write that openpyxl cannot
    (cached formula results, error cells, far-away cells)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + sheet_data + SHEET_TAIL)
    return path


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, number: object) -> str:
    return f'<c r="{ref}"><v>{number}</v></c>'


def plan_row(row: int, kpi: str, actual_cell: str, unit: str = "PLAN") -> str:
    return (f'<row r="{row}">' + text_cell(f"A{row}", unit) + number_cell(f"B{row}", 2568) + number_cell(f"C{row}", 2)
            + text_cell(f"D{row}", kpi) + actual_cell + "</row>")


HEADER_ROW = '<row r="1">' + "".join(
    text_cell(f"{letter}1", name) for letter, name in zip("ABCDE", HEADER.split(","), strict=False)
) + "</row>"

CHILD = """
import resource, sys
from pipelines import cli
code = cli.main(["--db", sys.argv[1], "ingest", sys.argv[2]])
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""
CHILD_ADDRESS_SPACE = 2 * 1024**3


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (90, 90))


def ingest_in_child(db: Path, path: Path) -> tuple[subprocess.CompletedProcess[str], int | None, str]:
    """The CLI in a child process with 2 GB of address space: the process, its peak RSS in MB, its problems."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), str(path)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=180, preexec_fn=_limit_child, check=False)
    found = re.search(r"MAXRSS_KB (\d+)", done.stderr)
    problems = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("MAXRSS_KB"))
    return done, (int(found[1]) // 1024 if found else None), problems


# ------------------------------------------------------------------------------------------ unreadable files


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_empty_file(sample_db: Path, tmp_path: Path, capsys, name: str):
    path = tmp_path / name
    path.write_bytes(b"")

    problems = rejected(capsys, sample_db, path)

    assert len(problems) == 1 and problems[0]["row"] == "" and problems[0]["column"] == ""


@pytest.mark.parametrize("kind", ["csv", "xlsx_with_title_and_english_row"])
def test_only_headers(sample_db: Path, tmp_path: Path, capsys, kind: str):
    if kind == "csv":
        path = tmp_path / "headers.csv"
        path.write_text(HEADER, encoding="utf-8")
        sheet = "csv"
    else:
        path = tmp_path / "headers.xlsx"
        workbook = openpyxl.Workbook()
        workbook.active.title = "ผลการดำเนินงาน"
        workbook.active.append(["แบบรายงานผลการดำเนินงาน"])
        workbook.active.append(["หน่วยงาน", "ปีงบประมาณ", "ไตรมาส", "รหัสตัวชี้วัด", "ผลการดำเนินงาน"])
        workbook.active.append(HEADER.strip().split(","))
        workbook.save(path)
        sheet = "ผลการดำเนินงาน"

    problems = rejected(capsys, sample_db, path)

    assert [(p["sheet"], p["row"], p["column"], p["en"]) for p in problems] == [(sheet, "", "", "no data rows")]


@pytest.mark.parametrize("kind", ["random_bytes", "pdf"])
def test_binary_file_named_csv(sample_db: Path, tmp_path: Path, capsys, kind: str):
    rng = random.Random(20250401)
    noise = bytes(rng.randrange(256) for _ in range(20_000))
    data = {
        "random_bytes": noise,
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 20000 >>\nstream\n" + noise.replace(b"\x00", b"\x01"),
    }[kind]
    path = tmp_path / "ผลการดำเนินงาน.csv"
    path.write_bytes(data)

    problems = rejected(capsys, sample_db, path)

    assert whole_file(problems, "not a readable spreadsheet or CSV")


@pytest.mark.parametrize("kind", ["csv_text", "html_table", "truncated_xlsx"])
def test_file_named_xlsx_that_is_not_a_workbook(sample_db: Path, tmp_path: Path, capsys, kind: str):
    """A CSV or an HTML table renamed .xlsx (web systems export both), and a real workbook cut in half by a
    broken download."""
    path = tmp_path / "plan.xlsx"
    if kind == "csv_text":
        path.write_text(HEADER + "PLAN,2568,2,P-01,70,\n", encoding="utf-8")
    elif kind == "html_table":
        path.write_text("<html><body><table><tr><td>kpi_code</td><td>actual</td></tr>"
                        "<tr><td>P-01</td><td>70</td></tr></table></body></html>", encoding="utf-8")
    else:
        whole = tmp_path / "whole.xlsx"
        workbook = openpyxl.Workbook()
        for row in (HEADER.strip().split(","), ["PLAN", 2568, 2, "P-01", 70], ["PLAN", 2568, 2, "P-02", 15]):
            workbook.active.append(row)
        workbook.save(whole)
        data = whole.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    problems = rejected(capsys, sample_db, path)

    assert whole_file(problems, "not a readable spreadsheet or CSV")


# ------------------------------------------------------------------------------------------- size and memory


@pytest.mark.xdist_group("limits")  # an 11 MB file
def test_file_over_10_mb_is_rejected_before_parsing(sample_db: Path, tmp_path: Path, capsys,
                                                    monkeypatch: pytest.MonkeyPatch):
    """An otherwise valid CSV of 11 MB (a huge note): rejected on its size alone, without being read."""
    def must_not_parse(*args, **kwargs):
        raise AssertionError("a file over the size limit was parsed")

    monkeypatch.setattr(pipelines.readers, "_read_csv", must_not_parse)
    monkeypatch.setattr(pipelines.readers, "_read_workbook", must_not_parse)
    path = csv_file(tmp_path, "big.csv", "PLAN,2568,2,P-01,72.5," + "ก" * (11 * 1024 * 1024 // 3))
    assert path.stat().st_size > 10 * 1024 * 1024

    problems = rejected(capsys, sample_db, path)

    assert len(problems) == 1
    assert problems[0]["row"] == "" and "10 MB" in problems[0]["th"] and "10 MB" in problems[0]["en"]
    assert problems[0]["value"] == "11.0 MB"


@pytest.mark.xdist_group("limits")
def test_highly_compressed_50_mb_sheet_stays_within_memory(sample_db: Path, tmp_path: Path):
    """A zip-bomb-like workbook: ~50 MB of sheet XML (a header, then half a million blank-looking rows in
    percent-formatted cells) compressed to a few hundred KB, far under the 10 MB upload limit. The reader
    must reject it (more rows than a sheet may have: readers.MAX_SHEET_ROWS) without blowing memory."""
    row = '<row><c t="inlineStr" s="1"><is><t> </t></is></c><c t="inlineStr"><is><t> </t></is></c></row>'
    header = '<row><c t="inlineStr"><is><t>kpi_code</t></is></c><c t="inlineStr"><is><t>actual</t></is></c></row>'
    rows = 50 * 1024 * 1024 // len(row)
    path = raw_xlsx(tmp_path / "bomb.xlsx", header + row * rows)
    assert path.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 50 * 1024 * 1024
    before = snapshot(sample_db)

    done, peak_mb, problems = ingest_in_child(sample_db, path)

    assert done.returncode == 1, done.stderr[-2000:]
    assert parse_problems(problems, path.name)
    assert "the limit is 10,000 rows per sheet" in done.stderr
    assert peak_mb is not None and peak_mb < 1024, f"peak RSS {peak_mb} MB for a {path.stat().st_size} B file"
    assert snapshot(sample_db) == before


@pytest.mark.xdist_group("limits")
def test_tiny_xlsx_with_a_far_away_cell_is_rejected_not_fatal(sample_db: Path, tmp_path: Path):
    """Two cells, A1 and XFD1048576 (the last cell of a sheet): 1.5 KB on disk. Without the address-space limit
    the same allocation kills a web worker; the reader must bound the sheet it materialises and reject it."""
    sheet = (HEADER_ROW + '<row r="2">' + text_cell("A2", "PLAN") + "</row>"
             + '<row r="1048576">' + number_cell("XFD1048576", 1) + "</row>")
    path = raw_xlsx(tmp_path / "far.xlsx", sheet)
    assert path.stat().st_size < 4096
    before = snapshot(sample_db)

    done, peak_mb, problems = ingest_in_child(sample_db, path)

    assert done.returncode == 1, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert parse_problems(problems, path.name)
    assert peak_mb is not None and peak_mb < 1024
    assert snapshot(sample_db) == before


# ------------------------------------------------------------------------------------------ formulas


def test_formula_cells_with_cached_numbers_are_numbers(empty_catalogue_db: Path, tmp_path: Path, capsys):
    """Excel and LibreOffice save each formula's last result: =70+2.5 is 72.5, =HYPERLINK(url,"15") shows 15,
    =1+1 is 2 steps. The cached result is what the user saw, so it is the actual."""
    plan = raw_xlsx(tmp_path / "plan.xlsx", HEADER_ROW
                    + plan_row(2, "P-01", '<c r="E2"><f>70+2.5</f><v>72.5</v></c>')
                    + plan_row(3, "P-02", '<c r="E3" t="str"><f>HYPERLINK("https://intranet.example/p02","15")</f>'
                                          "<v>15</v></c>"))
    law = raw_xlsx(tmp_path / "law.xlsx", HEADER_ROW + plan_row(2, "L-01", '<c r="E2"><f>1+1</f><v>2</v></c>', "LAW"))

    accepted(capsys, empty_catalogue_db, plan)
    accepted(capsys, empty_catalogue_db, law)

    got = values(empty_catalogue_db)
    assert got["P-01"][:2] == (72.5, pytest.approx(3.25))
    assert got["P-02"][:2] == (15.0, pytest.approx(8 / 3))
    assert values(empty_catalogue_db, "LAW")["L-01"][:2] == (2.0, 2.0)


@pytest.mark.parametrize("kind", ["openpyxl_formula_without_cached_value", "cached_error_div0"])
def test_formula_cell_without_a_number_is_rejected(sample_db: Path, tmp_path: Path, capsys, kind: str):
    """DOMAIN §7: only an empty cell, '-' or 'n/a' means not reported; anything else must be a number. The user
    typed something into that cell, so the file is rejected with the cell named rather than the KPI quietly
    dropped from the score."""
    path = tmp_path / "plan.xlsx"
    if kind == "openpyxl_formula_without_cached_value":
        workbook = openpyxl.Workbook()
        for row in (HEADER.strip().split(","), ["PLAN", 2568, 2, "P-01", "=1+1"], ["PLAN", 2568, 2, "P-02", 15]):
            workbook.active.append(row)
        workbook.save(path)
    else:
        raw_xlsx(path, HEADER_ROW + plan_row(2, "P-01", '<c r="E2" t="e"><f>F2/G2</f><v>#DIV/0!</v></c>')
                 + plan_row(3, "P-02", number_cell("E3", 15)))

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "actual [E]")


def test_csv_formula_injection_in_actual_is_not_a_number(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "inject.csv", "PLAN,2568,2,P-01,=cmd|' /C calc'!A0,", "PLAN,2568,2,P-02,15,")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "actual [E]", "=cmd|' /C calc'!A0", "actual must be a number")
    assert len(problems) == 1


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\",\"ดูหลักฐาน\")",
                                     "@SUM(1+1)*cmd|' /C calc'!A0"])
def test_csv_formula_injection_in_note_is_stored_verbatim(empty_catalogue_db: Path, tmp_path: Path, capsys,
                                                          payload: str):
    """Stored as the text the user sent; neutralising it is the job of every later export (not checked here)."""
    quoted = '"' + payload.replace('"', '""') + '"'
    path = csv_file(tmp_path, "note.csv", f"PLAN,2568,2,P-01,72.5,{quoted}", "PLAN,2568,2,P-02,15,")

    accepted(capsys, empty_catalogue_db, path)

    assert values(empty_catalogue_db)["P-01"] == (72.5, pytest.approx(3.25), payload)


# ------------------------------------------------------------------------------------------ odd values


def test_a_long_note_is_stored_whole_up_to_the_limit_and_refused_past_it(empty_catalogue_db: Path, tmp_path: Path,
                                                                          capsys):
    """Never cut silently: up to validate.MAX_NOTE_CHARACTERS whole, past it refused (issue 9 review: a 10 MB
    upload stored a 100 MB note)."""
    note = ("ปัญหาอุปสรรค: งบประมาณได้รับล่าช้า " * 4000)[:MAX_NOTE_CHARACTERS].strip()
    path = csv_file(tmp_path, "long.csv", f"PLAN,2568,2,P-01,72.5,{note}", "PLAN,2568,2,P-02,15,")

    accepted(capsys, empty_catalogue_db, path)

    assert values(empty_catalogue_db)["P-01"][2] == note
    longer = ("ปัญหาอุปสรรค: งบประมาณได้รับล่าช้า " * 4000)[:100_000]
    path = csv_file(tmp_path, "longer.csv", f"PLAN,2568,2,P-01,72.5,{longer}", "PLAN,2568,2,P-02,15,")
    assert has(rejected(capsys, empty_catalogue_db, path), 2, "note [F]", en="100,000 characters long")


def test_extremely_long_bad_value_gives_a_short_problem_line(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "long.csv", "PLAN,2568,2,P-01," + "x" * 100_000 + ",")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "actual [E]")
    assert all(len(p["value"]) <= 60 for p in problems)


def test_nan_and_infinity_are_not_numbers(sample_db: Path, tmp_path: Path, capsys):
    texts = ["nan", "NaN", "inf", "-Infinity", "1e309", "9" * 400]
    paths = [csv_file(tmp_path, f"nan{i}.csv", f"PLAN,2568,2,P-01,{text},") for i, text in enumerate(texts)]

    problems = rejected_each(capsys, sample_db, paths)

    for text, path in zip(texts, paths, strict=True):
        shown = text[:57] + "..." if len(text) > 60 else text
        assert has(problems[path.name], 2, "actual [E]", shown, "actual must be a number"), text


def test_infinite_number_cell_in_xlsx_is_not_a_number(sample_db: Path, tmp_path: Path, capsys):
    path = raw_xlsx(tmp_path / "inf.xlsx", HEADER_ROW + plan_row(2, "P-01", number_cell("E2", "1E+309")))

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "actual [E]", en="actual must be a number")


def test_milestone_outside_whole_steps_0_to_5(sample_db: Path, tmp_path: Path, capsys):
    steps = ["-1", "2.5", "6", "๖", "3.0001", "-0.5"]
    paths = [csv_file(tmp_path, f"law{i}.csv", f"LAW,2568,2,L-01,{value},") for i, value in enumerate(steps)]

    problems = rejected_each(capsys, sample_db, paths)

    for value, path in zip(steps, paths, strict=True):
        assert has(problems[path.name], 2, "actual [E]", value, "milestone KPI takes a whole number"), value


@pytest.mark.parametrize("steps", ["0", "๕"])
def test_milestone_whole_steps_at_the_edges_are_accepted(empty_catalogue_db: Path, tmp_path: Path, capsys,
                                                         steps: str):
    accepted(capsys, empty_catalogue_db, csv_file(tmp_path, "law.csv", f"LAW,2568,2,L-01,{steps},"))

    expected = float(steps.replace("๕", "5"))
    assert values(empty_catalogue_db, "LAW")["L-01"][:2] == (expected, expected)


# ------------------------------------------------------------------------------------------ wrong rows


def test_duplicate_kpi_rows(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "dup.csv", "PLAN,2568,2,P-01,70,", "PLAN,2568,2,P-02,15,", "PLAN,2568,2,p-01,71,")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 4, "kpi_code [D]", "p-01", "also on row 2")
    assert len(problems) == 1


def test_kpi_of_another_unit(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "other.csv", "PLAN,2568,2,P-01,70,", "PLAN,2568,2,L-01,3,")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 3, "kpi_code [D]", "L-01", "not owned by unit PLAN")
    assert len(problems) == 1


def test_rows_naming_different_periods_or_units(sample_db: Path, tmp_path: Path, capsys):
    cases = {
        "quarters.csv": ("PLAN,2568,ไตรมาสที่ 3,P-02,15,", "quarter [C]", "ไตรมาสที่ 3"),
        "units.csv": ("LAW,2568,2,P-02,15,", "division [A]", "LAW"),
        "years.csv": ("PLAN,2567,2,P-02,15,", "fiscal_year [B]", "2567"),
    }
    paths = [csv_file(tmp_path, name, "PLAN,2568,2,P-01,70,", row) for name, (row, _, _) in cases.items()]

    problems = rejected_each(capsys, sample_db, paths)

    for name, (_, column, value) in cases.items():
        assert has(problems[name], 3, column, value, "one file is one unit, year and quarter"), name


def test_fiscal_year_without_catalogue(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "y2569.csv", "PLAN,2569,2,P-01,70,", "PLAN,๒๕๖๙,2,P-02,15,")

    problems = rejected(capsys, sample_db, path)

    assert any(p["column"] == "fiscal_year [B]" and "2569" in p["en"] and "no KPI catalogue" in p["en"]
               for p in problems)


def test_fiscal_year_without_catalogue_names_the_row(sample_db: Path, tmp_path: Path, capsys):
    path = csv_file(tmp_path, "y2569.csv", "PLAN,2569,2,P-01,70,", "PLAN,2569,2,P-02,15,")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "fiscal_year [B]", "2569", "no KPI catalogue")


def test_quarter_outside_1_to_4(sample_db: Path, tmp_path: Path, capsys):
    quarters = ["5", "Q5", "ไตรมาสที่ ๕", "รอบ 15 เดือน", "0"]
    paths = [csv_file(tmp_path, f"q{i}.csv", f"PLAN,2568,{q},P-01,70,") for i, q in enumerate(quarters)]

    problems = rejected_each(capsys, sample_db, paths)

    for quarter, path in zip(quarters, paths, strict=True):
        assert has(problems[path.name], 2, "quarter [C]", quarter, "quarter must be 1–4"), quarter


def test_unit_not_in_the_org_tree(sample_db: Path, tmp_path: Path, capsys):
    units = ["XYZ", "กองคลัง", "PLAN'; DROP TABLE org_unit; --"]
    paths = [csv_file(tmp_path, f"unit{i}.csv", f'"{unit}",2568,2,P-01,70,') for i, unit in enumerate(units)]

    problems = rejected_each(capsys, sample_db, paths)

    for unit, path in zip(units, paths, strict=True):
        assert has(problems[path.name], 2, "division [A]", unit, "unknown org unit"), unit


# ------------------------------------------------------------------------------------------ injection, Unicode


def test_sql_injection_in_kpi_code_is_rejected_and_database_intact(sample_db: Path, tmp_path: Path, capsys):
    payload = "'; DROP TABLE submission; --"
    path = csv_file(tmp_path, "sql.csv", f"PLAN,2568,2,{payload},70,", "PLAN,2568,2,P-01); DELETE FROM kpi; --,1,")

    problems = rejected(capsys, sample_db, path)  # also compares every table before and after

    assert has(problems, 2, "kpi_code [D]", payload, "not in this fiscal year's catalogue")
    assert has(problems, 3, "kpi_code [D]", "P-01); DELETE FROM kpi; --")


def test_sql_injection_in_note_is_stored_verbatim(sample_db: Path, tmp_path: Path, capsys):
    payload = "'; DROP TABLE submission; -- \"); DELETE FROM kpi; --"
    quoted = '"' + payload.replace('"', '""') + '"'
    path = csv_file(tmp_path, "sql.csv", f"PLAN,2568,2,P-01,72.5,{quoted}", "PLAN,2568,2,P-02,15,")
    before = snapshot(sample_db)

    accepted(capsys, sample_db, path)

    after = snapshot(sample_db)
    assert after[3] == before[3]  # same tables
    assert len(after[0]) == len(before[0]) + 1  # one more version, none lost
    assert values(sample_db)["P-01"] == (72.5, pytest.approx(3.25), payload)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM kpi_catalogue").fetchone() == (3,)


@pytest.mark.parametrize(
    ("code", "actual", "number", "score"),
    [("P\u200b-01", "72.5", 72.5, 3.25), ("P-01", "８５", 85.0, 4.5), ("\ufeffP-01\u200d", "๗๒.๕", 72.5, 3.25)],
    ids=["zero_width_space_in_code", "fullwidth_digits_in_actual", "bom_and_zwj_in_code"],
)
def test_invisible_characters_and_fullwidth_digits_accepted(empty_catalogue_db: Path, tmp_path: Path, capsys,
                                                            code: str, actual: str, number: float, score: float):
    accepted(capsys, empty_catalogue_db, csv_file(tmp_path, "unicode.csv", f"PLAN,2568,2,{code},{actual},"))

    assert values(empty_catalogue_db)["P-01"][:2] == (number, pytest.approx(score))


@pytest.mark.parametrize("code", ["P\u200b\u201101", "P\u201301", "Ｐ－０１"],
                         ids=["zwsp_and_non_breaking_hyphen", "en_dash", "fullwidth"])
def test_lookalike_kpi_codes_match_the_catalogue(empty_catalogue_db: Path, tmp_path: Path, capsys, code: str):
    """Codes are copied from the performance agreement, a Word document: what looks like P-01 is P-01 (NFKC plus
    the Unicode hyphens and dashes read as '-'), just as full-width digits in the actual are already read as 85."""
    accepted(capsys, empty_catalogue_db, csv_file(tmp_path, "lookalike.csv", f"PLAN,2568,2,{code},72.5,"))

    assert values(empty_catalogue_db)["P-01"][:2] == (72.5, pytest.approx(3.25))


# ------------------------------------------------------------------------------------------ garbage at scale


@pytest.mark.xdist_group("limits")
def test_four_thousand_rows_of_garbage(sample_db: Path, tmp_path: Path, capsys):
    """4,000 data rows, each wrong in a different way: the first 100 problems are listed, then one line that
    counts the rest (problems.MAX_PROBLEMS). Its time is measured by bench/attack_uploads.py, not here."""
    kinds = ["PLAN,2568,2,XX-{i},1,", "PLAN,2568,2,P-01,abc{i},", "PLAN,2568,2,L-01,{i},", "PLAN,2568,2,P-02,=A{i},"]
    path = csv_file(tmp_path, "garbage.csv", *(kinds[i % 4].format(i=i) for i in range(4_000)))

    problems = rejected(capsys, sample_db, path)

    assert [int(p["row"]) for p in problems[:100]] == list(range(2, 102))
    assert problems[100]["row"] == "" and "3,900 more not listed" in problems[100]["en"]
    assert "อีก 3,900 รายการ" in problems[100]["th"] and len(problems) == 101
    assert has(problems, 2, "kpi_code [D]", "XX-0")
    assert has(problems, 3, "actual [E]", "abc1")
    assert has(problems, 4, "kpi_code [D]", "L-01", "not owned")
    assert has(problems, 5, "actual [E]", "=A3", "actual must be a number")
    assert has(problems, 7, "kpi_code [D]", "P-01", "also on row 3")
    assert has(problems, 9, "kpi_code [D]", "P-02", "also on row 5")


@pytest.mark.xdist_group("limits")
def test_four_thousand_rows_with_garbage_period_columns(sample_db: Path, tmp_path: Path, capsys):
    rows = (f"ZZ{i},ปีงบ{'ก' * (i % 7)},ไตรมาส {i + 5},K{i},v{i}," for i in range(4_000))
    path = csv_file(tmp_path, "garbage.csv", *rows)

    problems = rejected(capsys, sample_db, path)

    assert len(problems) == 101 and "more not listed" in problems[-1]["en"]
    assert [(p["row"], p["column"]) for p in problems[:100]] == [(str(row), "division [A]") for row in range(2, 102)]


def test_every_problem_is_listed_together(sample_db: Path, tmp_path: Path, capsys):
    """A user who typed the division's name wrong on every row and a word into one actual learns both at once."""
    path = csv_file(tmp_path, "two_problems.csv", "กองแผน,2568,2,P-01,72.5,", "กองแผน,2568,2,P-02,สิบห้า,")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "division [A]", "กองแผน")
    assert has(problems, 3, "actual [E]", "สิบห้า", "actual must be a number")


def test_problem_lines_are_one_line_each(sample_db: Path, tmp_path: Path, capsys):
    """A note or code with a line break, a colon and ' / ' must not break the one-problem-per-line format."""
    path = tmp_path / "newline.csv"
    path.write_text(HEADER + 'PLAN,2568,2,"P-0\n1 / x: y",70,\n', encoding="utf-8")

    problems = rejected(capsys, sample_db, path)

    assert has(problems, 2, "kpi_code [D]", "P-0 1 / x: y")

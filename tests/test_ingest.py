"""Submissions: versions, identical re-uploads, archive, all-or-nothing, every rejection reason (DOMAIN §7)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support import SAMPLES, run_cli


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def state(db: Path) -> tuple[list[tuple], ...]:
    """Everything a user can read, to prove a rejected file changed nothing."""
    return tuple(
        query(db, f"SELECT * FROM {view} ORDER BY ALL")
        for view in ("submissions", "submission_values", "kpi_results", "unit_scores", "dimension_scores")
    )


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def result(db: Path, unit: str, quarter: int, kpi: str) -> tuple:
    return query(
        db,
        "SELECT actual, score, status, version FROM kpi_results "
        "WHERE fiscal_year = 2568 AND quarter = ? AND unit_code = ? AND kpi_code = ?",
        [quarter, unit, kpi],
    )[0]


def test_samples_score_as_the_samples_readme_says(sample_db: Path) -> None:
    assert result(sample_db, "PLAN", 2, "P-01")[:3] == (72.5, 3.25, "on_track")
    assert result(sample_db, "PLAN", 2, "P-02")[1] == pytest.approx(2.6667, abs=1e-4)
    assert result(sample_db, "LAW", 2, "L-01")[1] == 3
    assert result(sample_db, "PLAN", 1, "P-01")[1] == pytest.approx(2.1)
    assert result(sample_db, "PLAN", 1, "P-02")[:3] == (None, None, "not_reported")
    units = dict(query(sample_db, "SELECT unit_code, round(score, 4) FROM unit_scores WHERE quarter = 2"))
    assert units == {"PLAN": 3.0167, "LAW": 3.0, "AG": 3.0083}
    q1 = query(sample_db, "SELECT score, reported_weight_pct FROM unit_scores WHERE quarter = 1 AND unit_code = 'PLAN'")
    assert q1[0][0] == pytest.approx(2.1) and q1[0][1] == pytest.approx(60.0)


def test_reupload_creates_a_new_version_and_results_use_it(sample_db: Path, tmp_path: Path) -> None:
    fixed = write_csv(tmp_path / "plan_q1_v2.csv",
                      "division,fiscal_year,quarter,kpi_code,actual,note\nPLAN,2568,1,P-01,75,\nPLAN,2568,1,P-02,12,\n")
    assert run_cli(sample_db, "ingest", str(fixed), "--by", "หัวหน้ากอง") == 0
    versions = query(sample_db, "SELECT version, is_latest, submitted_by FROM submissions "
                                "WHERE unit_code = 'PLAN' AND quarter = 1 ORDER BY version")
    assert versions == [(1, False, "tester"), (2, True, "หัวหน้ากอง")]
    assert result(sample_db, "PLAN", 1, "P-01") == (75.0, 3.5, "on_track", 2)
    assert result(sample_db, "PLAN", 1, "P-02")[1] == pytest.approx(3 + 2 / 3)
    # every earlier version is kept
    assert len(query(sample_db, "SELECT * FROM submission_values WHERE unit_code = 'PLAN' AND quarter = 1")) == 4


def test_kpi_left_empty_in_latest_version_is_not_reported_whatever_earlier_versions_said(
    sample_db: Path, tmp_path: Path
) -> None:
    emptied = write_csv(tmp_path / "plan_q2_v2.csv",
                        "division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,\nPLAN,2568,2,P-02,15\n")
    assert run_cli(sample_db, "ingest", str(emptied)) == 0
    assert result(sample_db, "PLAN", 2, "P-01") == (None, None, "not_reported", 2)


def test_identical_reupload_stores_nothing_and_exits_zero(
    sample_db: Path, capsys: pytest.CaptureFixture
) -> None:
    before = state(sample_db)
    assert run_cli(sample_db, "ingest", str(SAMPLES / "submission_plan_q1_bom.csv")) == 0
    assert "identical to the latest version 1" in capsys.readouterr().out
    assert state(sample_db) == before


def test_accepted_files_are_archived_by_sha256(sample_db: Path) -> None:
    archived = {path.name for path in (sample_db.parent / "uploads").iterdir()}
    for sha, name in query(sample_db, "SELECT sha256, file_name FROM submissions"):
        assert f"{sha}{Path(name).suffix}" in archived


def test_a_bad_file_in_a_batch_stores_nothing_and_lists_every_problem(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    good = write_csv(tmp_path / "good.csv", "division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,3,L-01,4\n")
    bad = write_csv(tmp_path / "bad.csv",
                    "division,fiscal_year,quarter,kpi_code,actual\n"
                    "PLAN,2568,3,P-01,abc\nPLAN,2568,3,P-99,1\nPLAN,2568,3,L-01,1\n")
    before = state(sample_db)
    assert run_cli(sample_db, "ingest", str(good), str(bad)) == 1
    errors = capsys.readouterr().err
    assert "bad.csv:csv:2:actual [E]: abc: ผลการดำเนินงานต้องเป็นตัวเลข" in errors
    assert "bad.csv:csv:3:kpi_code [D]: P-99: ไม่มีรหัสตัวชี้วัดนี้ในบัญชีตัวชี้วัด" in errors
    assert "bad.csv:csv:4:kpi_code [D]: L-01: ตัวชี้วัดนี้ไม่ใช่ของหน่วยงาน PLAN / KPI not owned by unit PLAN" in errors
    assert state(sample_db) == before


HEADER = "division,fiscal_year,quarter,kpi_code,actual\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("PLAN,2568,2,P-01,70\nPLAN,2568,2,P-01,71\n", "KPI code appears twice (also on row 2)"),
        ("PLAN,2568,2,X-01,70\n", "KPI code not in this fiscal year's catalogue"),
        ("PLAN,2568,2,L-01,3\n", "KPI not owned by unit PLAN"),
        ("PLAN,2568,2,P-01,seventy\n", "actual must be a number"),
        ("LAW,2568,2,L-01,6\n", "milestone KPI takes a whole number of completed steps, 0–5"),
        ("LAW,2568,2,L-01,2.5\n", "milestone KPI takes a whole number of completed steps, 0–5"),
        ("LAW,2568,2,L-01,-1\n", "milestone KPI takes a whole number of completed steps, 0–5"),
        ("PLAN,2569,2,P-01,70\n", "no KPI catalogue for fiscal year 2569"),
        ("PLAN,2568,5,P-01,70\n", "quarter must be 1–4"),
        ("PLAN,2568,2,P-01,70\nLAW,2568,2,P-02,15\n", "unit differs from the unit on row 2"),
        ("PLAN,2568,2,P-01,70\nPLAN,2567,2,P-02,15\n", "fiscal year differs from the fiscal year on row 2"),
        ("PLAN,2568,2,P-01,70\nPLAN,2568,3,P-02,15\n", "quarter differs from the quarter on row 2"),
        ("NOPE,2568,2,P-01,70\n", "unknown org unit"),
        ("", "no data rows"),
    ],
)
def test_every_rejection_reason_is_reported_and_nothing_changes(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, rows: str, expected: str
) -> None:
    before = state(sample_db)
    assert run_cli(sample_db, "ingest", str(write_csv(tmp_path / "s.csv", HEADER + rows))) == 1
    assert expected in capsys.readouterr().err
    assert state(sample_db) == before


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("garbage.xlsx", b"this is not a workbook", "not a readable spreadsheet or CSV"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "not a readable spreadsheet or CSV"),
        ("words.csv", b"just some text\nwithout a header\n", "no header row"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert run_cli(sample_db, "ingest", str(path)) == 1
    assert expected in capsys.readouterr().err


def test_file_without_unit_year_or_quarter_takes_them_from_the_options(sample_db: Path, tmp_path: Path) -> None:
    bare = write_csv(tmp_path / "bare.csv", "รหัสตัวชี้วัด,ผลการดำเนินงาน\nL-01,๔\n")
    assert run_cli(sample_db, "ingest", str(bare)) == 1
    args = ["--division", "LAW", "--fiscal-year", "2025", "--quarter", "ไตรมาส 3"]
    assert run_cli(sample_db, "ingest", str(bare), *args) == 0
    assert result(sample_db, "LAW", 3, "L-01")[:2] == (4.0, 4.0)


def test_oversized_upload_is_refused_before_parsing(sample_db: Path, tmp_path: Path, capsys) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER.encode() + b"PLAN,2568,2,P-01,70\n" * 600_000)
    assert run_cli(sample_db, "ingest", str(big)) == 1
    assert "larger than the 10 MB limit" in capsys.readouterr().err


def test_percent_formatted_cell_of_a_percent_kpi_is_read_as_percent(sample_db: Path) -> None:
    """The LibreOffice sample stores 72.5 % as 0.725 in a percent-formatted cell."""
    assert result(sample_db, "PLAN", 2, "P-01")[0] == 72.5

"""The CLI as a user runs it: a separate process, exit codes, output formats, and the template round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.support import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
SUBCOMMANDS = ["init", "orgs", "catalogue", "template", "ingest", "scores", "demo"]


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=120,
    )


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command: str) -> None:
    done = cli(command, "--help")
    assert done.returncode == 0 and "usage:" in done.stdout


def test_load_score_and_print_in_every_format(tmp_path: Path) -> None:
    db = str(tmp_path / "bsc.duckdb")
    assert cli("--db", db, "init").returncode == 0
    assert cli("--db", db, "orgs", str(SAMPLES / "orgs_th.csv")).returncode == 0
    assert cli("--db", db, "catalogue", str(SAMPLES / "catalogue_2568_th.csv")).returncode == 0
    loaded = cli("--db", db, "ingest", *(str(p) for p in sorted(SAMPLES.glob("submission_*"))), "--by", "ci")
    assert loaded.returncode == 0, loaded.stderr
    assert "PLAN FY2568 Q1: ฉบับที่ 1 / version 1, 2 rows; ยังไม่รายงาน / not reported (1): P-02" in loaded.stdout
    as_json = json.loads(
        cli("--db", db, "scores", "--fiscal-year", "2568", "--quarter", "2", "--format", "json").stdout
    )
    assert {row["unit_code"]: round(row["score"], 4) for row in as_json} == {"AG": 3.0083, "PLAN": 3.0167, "LAW": 3.0}
    as_csv = cli("--db", db, "scores", "--fiscal-year", "2025", "--quarter", "Q2", "--by", "kpi", "--format", "csv")
    assert "PLAN,P-02" in as_csv.stdout and "2.6667" in as_csv.stdout
    table = cli("--db", db, "scores", "--fiscal-year", "2568", "--quarter", "2", "--by", "pmqa")
    assert table.returncode == 0 and len(table.stdout.strip().splitlines()) == 8
    by_env = cli("scores", "--fiscal-year", "2568", "--quarter", "2", env={"BSC_DB": db})
    assert "3.0167" in by_env.stdout


def test_rejected_input_exits_one(tmp_path: Path) -> None:
    db = str(tmp_path / "bsc.duckdb")
    cli("--db", db, "orgs", str(SAMPLES / "orgs_th.csv"))
    done = cli("--db", db, "ingest", str(SAMPLES / "submission_plan_q1_bom.csv"))
    assert done.returncode == 1
    assert "no KPI catalogue for fiscal year 2568" in done.stderr


def test_template_round_trip_scores_what_was_typed(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan_q3.xlsx"
    made = cli("--db", str(sample_db), "template", "--division", "PLAN", "--fiscal-year", "2568", "--quarter", "3",
               "-o", str(out))
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["ผลการดำเนินงาน"]
    codes = {sheet.cell(row, 1).value: row for row in range(8, 8 + 2)}
    assert set(codes) == {"P-01", "P-02"}
    sheet.cell(codes["P-01"], 14, 75)  # higher 50/60/70/80/90 -> 3.5
    sheet.cell(codes["P-02"], 14, "๑๐")  # lower 20/17/14/11/8, Thai digits -> 10 -> 4 + 1/3
    sheet.cell(codes["P-02"], 15, "ทำได้เร็วขึ้น")
    book.save(out)
    done = cli("--db", str(sample_db), "ingest", str(out), "--by", "หัวหน้ากองแผนงาน")
    assert done.returncode == 0, done.stderr
    scores = json.loads(cli("--db", str(sample_db), "scores", "--fiscal-year", "2568", "--quarter", "3", "--by", "kpi",
                            "--format", "json").stdout)
    by_code = {row["kpi_code"]: row for row in scores}
    assert by_code["P-01"]["score"] == pytest.approx(3.5)
    assert by_code["P-02"]["score"] == pytest.approx(4 + 1 / 3)
    assert by_code["P-02"]["actual"] == 10


def test_template_for_unknown_unit_is_refused(sample_db: Path, tmp_path: Path) -> None:
    done = cli("--db", str(sample_db), "template", "--division", "NOPE", "--fiscal-year", "2568", "--quarter", "1",
               "-o", str(tmp_path / "x.xlsx"))
    assert done.returncode == 1 and "unknown org unit NOPE" in done.stderr

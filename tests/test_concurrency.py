"""Uploads and analysts at the same time: one process keeps committing submissions while others read every public
view in a loop from the snapshot, with plain DuckDB (an analyst's notebook) and with the SQL page's runner.
Nobody fails, and no reader ever sees a half-written submission or data going backwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.xdist_group("limits")  # counts what readers do in 10 s beside a writer: no other heavy test

ROOT = Path(__file__).resolve().parents[1]
WORKER = ["-m", "tests.concurrency_worker"]  # run from ROOT, so `pipelines` imports as it does for a user
SECONDS = 10


def start(role: str, db: Path, seconds: float = SECONDS) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *WORKER, role, str(db), str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def summary(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=SECONDS + 120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_readers_never_fail_nor_see_half_a_submission_while_a_writer_commits(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    processes = [start("writer", sample_db), start("analyst", sample_db), start("page", sample_db)]
    writer, analyst, page = (summary(process) for process in processes)

    assert writer["failures"] == [] and writer["commits"] >= 3, writer
    for reader in (analyst, page):
        assert reader["failure_count"] == 0, reader
        assert reader["violation_count"] == 0, reader
        assert reader["passes"] >= 3, reader
    with duckdb.connect(str(sample_db), read_only=True) as con:
        after = con.execute("SELECT count(*) FROM submission").fetchone()[0]
    assert after >= before + writer["commits"]
    assert max(analyst["last_submissions"], page["last_submissions"]) > before  # they did see the commits land

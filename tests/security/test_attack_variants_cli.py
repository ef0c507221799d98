"""Every CLI subcommand given a missing, unreadable or directory path (or an output folder it cannot create) says so
in Thai and English and exits 1: never a traceback (issue 9 review)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import cli
from tests.accounts_support import ROOT


def _cases(tmp: Path, db_path: Path) -> list[list[str]]:
    a_file = tmp / "a-file.txt"
    a_file.write_text("x")
    folder = tmp / "folder.csv"
    folder.mkdir(exist_ok=True)
    under_a_file = str(a_file / "below")
    pipe = tmp / "pipe.csv"
    if not pipe.exists():
        os.mkfifo(pipe)
    return [
        ["ingest", "/nonexistent.csv"],
        ["ingest", "/dev/zero"],  # read whole before: the CLI grew until the machine ran out of memory
        ["orgs", "/dev/urandom"],
        ["catalogue", str(pipe)],  # opened before: waited for a writer for ever
        ["ingest", str(folder)],
        ["ingest", str(tmp / "missing_PLAN_2568_Q1.xlsx")],
        ["orgs", "/nonexistent.csv"],
        ["orgs", str(folder)],
        ["catalogue", "/nonexistent.csv"],
        ["catalogue", str(folder)],
        ["catalogue", "/nonexistent.csv", "--fiscal-year", "2568"],
        ["export", "--out", under_a_file],
        ["backup", "--out", under_a_file + "/b.tar"],
        ["restore", "--force", "/nonexistent.tar"],
        ["restore", "--force", str(folder)],
        ["template", "--division", "PLAN", "--fiscal-year", "2568", "--quarter", "1", "-o", under_a_file + "/t.xlsx"],
        ["--db", under_a_file + "/x.duckdb", "init"],
        ["--db", str(folder), "init"],
        ["--db", "/nonexistent/dir/x.duckdb", "scores", "--fiscal-year", "2568", "--quarter", "1"],
        ["--db", str(a_file), "scores", "--fiscal-year", "2568", "--quarter", "1"],
        ["--db", str(a_file), "users", "list"],
    ]


def _with_db(args: list[str], db_path: Path) -> list[str]:
    return args if args[0] == "--db" else ["--db", str(db_path), *args]


def test_every_bad_path_gives_a_thai_and_english_message_and_exit_1(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in _cases(tmp_path, sample_db):
        code = cli.main(_with_db(args, sample_db))
        err = capsys.readouterr().err
        assert code == cli.REJECTED, (args, err)
        assert "Traceback" not in err
        assert " / " in err and any("\u0e00" <= ch <= "\u0e7f" for ch in err), (args, err)


def test_ingest_of_a_missing_file_through_python_m_pipelines(sample_db: Path, tmp_path: Path) -> None:
    for args in (["ingest", "/nonexistent.csv"], ["orgs", str(tmp_path)], ["export", "--out", "/dev/null/x"]):
        done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(sample_db), *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert "อ่านหรือเขียนไม่ได้" in done.stderr and "cannot read or write" in done.stderr


def test_a_file_over_the_upload_limit_is_not_read_whole(sample_db: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(3 * 2**30)  # 3 GiB, sparse: read whole it would take 3 GiB of memory
    assert cli.main(["--db", str(sample_db), "ingest", str(big)]) == cli.REJECTED
    err = capsys.readouterr().err
    assert "3072.0 MB" in err and "larger than the 10 MB limit" in err and "ใหญ่เกิน 10 MB" in err

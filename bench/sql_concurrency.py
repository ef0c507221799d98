"""Measure both ways analysts can share the database with uploads, and print what fails and how long things wait.

Design A (chosen): every write republishes a snapshot; analysts and the SQL page read only the snapshot.
Design B: everyone opens the live file for one operation at a time and retries on a lock (pipelines.db.connect).
Each scenario runs the processes of tests/concurrency_worker.py side by side for SECONDS (default 10).

    python bench/sql_concurrency.py [SECONDS]
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from pipelines import cli, db, snapshot  # noqa: E402

WORKER = ["-m", "tests.concurrency_worker"]  # run with cwd=ROOT
SAMPLES = ROOT / "tests" / "data"


def fresh_db(folder: Path) -> Path:
    path = folder / "bsc.duckdb"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["--db", str(path), "orgs", str(SAMPLES / "orgs_th.csv")]) == 0
        assert cli.main(["--db", str(path), "catalogue", str(SAMPLES / "catalogue_2568_th.csv")]) == 0
    return path


def together(db_path: Path, seconds: float, *roles: str) -> list[dict]:
    processes = [subprocess.Popen([sys.executable, *WORKER, role, str(db_path), str(seconds)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for role in roles]
    results = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(err)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def line(summary: dict) -> str:
    if summary["role"] == "writer":
        return (f"  writer       {summary['commits']:4d} commits, {len(summary['failures'])} failed; "
                f"commit median {summary.get('median_s', 0):.2f} s, max {summary.get('max_s', 0):.2f} s"
                + (f"  e.g. {summary['failures'][0][-120:]!r}" if summary["failures"] else ""))
    return (f"  {summary['role']:<12} {summary['passes']:4d} passes, {summary['failure_count']} failed, "
            f"{summary['violation_count']} saw a half-written submission; pass median "
            f"{summary.get('median_s', 0):.2f} s, max {summary.get('max_s', 0):.2f} s"
            + (f"  e.g. {summary['failures'][0][:110]!r}" if summary["failures"] else ""))


def ingest_while_held(db_path: Path, holder: list[str], folder: Path) -> str:
    """One `python -m pipelines ingest` while the script `holder` (its first line printed once it holds the
    file) keeps an analyst session open: exit code and time taken."""
    process = subprocess.Popen([sys.executable, *holder], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    process.stdout.readline()
    file = folder / "held.csv"
    file.write_text("division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,4,P-01,70\n", encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(db_path), "ingest", str(file)],
                          cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    process.kill()
    process.wait()
    error = done.stderr.strip().splitlines()[-1][:110] if done.returncode else ""
    return f"exit {done.returncode} after {took:.1f} s" + (f" ({error})" if error else "")


def snapshot_holder(folder: Path) -> Path:
    """A session on the snapshot, as `duckdb -readonly data/snapshot/bsc.duckdb` keeps it open."""
    script = folder / "hold_snapshot.py"
    script.write_text("import sys, time, duckdb\ncon = duckdb.connect(sys.argv[2], read_only=True)\n"
                      "print('holding', flush=True)\ntime.sleep(float(sys.argv[3]))\n", encoding="utf-8")
    return script


def publish_cost(db_path: Path, repeats: int = 5) -> str:
    with db.open_db(db_path) as con:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            snapshot.publish(con, db_path)
            times.append(time.perf_counter() - started)
    size = snapshot.snapshot_path(db_path).stat().st_size / 1e6
    return f"median {sorted(times)[len(times) // 2] * 1000:.0f} ms for a {size:.1f} MB snapshot"


def main(seconds: float) -> None:
    print(f"python {sys.version.split()[0]}, duckdb {duckdb.__version__}, {os.cpu_count()} CPUs, "
          f"{seconds:g} s per scenario")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)

        print("\nDesign B: the live file, short-lived connections")
        db_b = fresh_db(folder / "b")
        print(" B1 readers without retry, writer with retry:")
        for summary in together(db_b, seconds, "writer", "live"):
            print(line(summary))
        print(" B2 readers with pipelines.db retry (15 s), writer with retry:")
        for summary in together(db_b, seconds, "writer", "live-retry", "live-retry"):
            print(line(summary))
        print(" B3 an analyst's notebook/CLI session open on the live file, one upload:")
        held = [*WORKER, "live-session", str(db_b), str(db.LOCK_WAIT_SECONDS + 10)]
        print(f"  ingest: {ingest_while_held(db_b, held, folder)}")

        print("\nDesign A (chosen): snapshot republished after every commit")
        db_a = fresh_db(folder / "a")
        print(" A1 analyst (plain duckdb) and SQL page readers on the snapshot, writer on the live file:")
        for summary in together(db_a, seconds, "writer", "analyst", "page"):
            print(line(summary))
        print(" A2 an analyst session open on the snapshot, one upload:")
        held = [str(snapshot_holder(folder)), "x", str(snapshot.snapshot_path(db_a)), "40"]
        print(f"  ingest: {ingest_while_held(db_a, held, folder)}")
        print(f" A3 cost of one publish (samples): {publish_cost(db_a)}")
        large = ROOT / "bench" / "out" / "large_1M.duckdb"  # bench/make_large_db.py --rows 1M
        if large.exists():
            copy = folder / "large" / "bsc.duckdb"
            copy.parent.mkdir()
            copy.write_bytes(large.read_bytes())
            print(f" A3 cost of one publish (1,000,000 results): {publish_cost(copy, repeats=3)}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)

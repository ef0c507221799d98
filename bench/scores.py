"""Score figures (issue 2): in-process scores of one fiscal year and quarter on the demo database, and the
whole `python -m pipelines scores` process.

Run: .venv/bin/python bench/scores.py [--db data/bsc.duckdb]   (builds a demo database in a temp folder if
the file does not exist; prints the figures; nothing is asserted)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import cli, db, reports  # noqa: E402

RUNS = 20


def timed(action, runs: int = RUNS) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings), statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=db.DEFAULT_DB_PATH)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.db
        if not database.exists():
            database = Path(folder) / "bsc.duckdb"
            assert cli.main(["--db", str(database), "demo", "--demo-dir", str(Path(folder) / "demo")]) == 0
        with db.open_db(database, read_only=True) as con:
            year, quarter = con.execute(
                "SELECT fiscal_year, quarter FROM submissions ORDER BY fiscal_year DESC, quarter DESC LIMIT 1"
            ).fetchone()
            rows = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
            print(f"database {database}: {rows:,} kpi_results rows; FY {year} Q{quarter}")
            for by in ("unit", "dimension", "kpi", "pmqa"):
                best, median = timed(lambda by=by: reports.scores(con, year, quarter, by))
                print(f"in-process scores --by {by:<9}: {best * 1000:6.1f} ms best, {median * 1000:6.1f} ms median "
                      "(target <= 50 ms)")

        def whole_process() -> None:
            done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(database), "scores",
                                   "--fiscal-year", str(year), "--quarter", str(quarter)],
                                  cwd=ROOT, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr

        best, median = timed(whole_process, runs=5)
        print(f"`python -m pipelines scores` whole process: {best:.2f} s best, {median:.2f} s median "
              "(target <= 1.5 s)")


if __name__ == "__main__":
    main()

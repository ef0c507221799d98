"""Score figures: in-process `reports.scores` of one fiscal year and quarter against the same aggregate written
directly in SQL over the base table (kpi_result), and the whole `python -m pipelines scores` process against a
`python -c "import duckdb"` process; interleaved over rounds (bench/timing.py).

Run: .venv/bin/python bench/scores.py [--db data/bsc.duckdb] [--rounds 20]   (builds a demo database in a temp
folder if the file does not exist; prints the figures; nothing is asserted)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import interleaved, report  # noqa: E402

from pipelines import cli, db, reports  # noqa: E402

RAW_AGGREGATE = """
SELECT unit_code, sum(score * weight) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0)
FROM kpi_result WHERE fiscal_year = ? AND quarter = ? GROUP BY unit_code
"""
"""A weighted average per unit straight from the kept table: the floor any scores query stands on."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=db.DEFAULT_DB_PATH)
    parser.add_argument("--rounds", type=int, default=20)
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
            actions = {"raw SQL weighted average per unit over kpi_result":
                       lambda _: con.execute(RAW_AGGREGATE, [year, quarter]).fetchall()}
            for by in ("unit", "dimension", "kpi", "pmqa"):
                actions[f"in-process scores --by {by}"] = lambda _, by=by: reports.scores(con, year, quarter, by)
            report(interleaved(actions, args.rounds), baseline="raw SQL weighted average per unit over kpi_result")

        def run(*command: str) -> None:
            done = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr

        report(interleaved({
            "python -c 'import duckdb'": lambda _: run("-c", "import duckdb"),
            "python -m pipelines scores (whole process)": lambda _: run(
                "-m", "pipelines", "--db", str(database), "scores", "--fiscal-year", str(year),
                "--quarter", str(quarter)),
        }, 5), baseline="python -c 'import duckdb'")


if __name__ == "__main__":
    main()

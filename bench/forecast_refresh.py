"""What the forecast refresh (pipelines.forecast.refresh_table, run by every snapshot publish) costs on the
1,000,000-result benchmark database of bench/make_large_db.py (FY 2567 Q1-Q4, FY 2568 Q1-Q2), side by side:

- upload       one unit's new version of FY 2568 Q2 (25 KPIs): the current year, what almost every upload is;
- correction   one unit's new version of FY 2567 Q4: last year, whose backtest selects FY 2568's methods, so
               FY 2568 is recomputed whole (and the unit's own FY 2567 rows);
- nothing      a publish after a write that changed no result (the data generation moved, the data did not);
- full         every forecast computed from nothing (the first publish after migration 009, or a lost state).

Each write is made as ingest makes it (submission row, values, pipelines.results.refresh_period, the data
generation raised, one transaction) and is not timed; only `forecast.refresh_table` is. The scenarios run
interleaved, one of each per round, and the minimum and median of each are printed with the load average
(other work on the shared machine inflates every figure). The database is a copy; nothing is asserted.

Run: .venv/bin/python bench/forecast_refresh.py [--rounds 5] [--db bench/out/dashboard_large.duckdb]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_large_db import DEFAULT_PATH, build_large_db, ensure_large_db  # noqa: E402
from pipelines import db, forecast, queries, results, scoring  # noqa: E402

UNIT = "D07-G3"
"""A work group owning 25 KPIs of its own, reported in every quarter of the benchmark."""
LATEST_VALUES = """
SELECT v.kpi_code, v.actual, k.direction, k.kind, k.t1, k.t2, k.t3, k.t4, k.t5
FROM submission AS s
JOIN submission_value AS v USING (submission_id)
JOIN kpi AS k ON k.fiscal_year = s.fiscal_year AND k.kpi_code = v.kpi_code
WHERE s.unit_code = ? AND s.fiscal_year = ? AND s.quarter = ?
  AND s.version = (SELECT max(version) FROM submission WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?)
ORDER BY v.kpi_code
"""
INSERT_SUBMISSION = """
INSERT INTO submission (submission_id, unit_code, fiscal_year, quarter, version, file_name, sha256, row_count,
                        submitted_by)
SELECT max(submission_id) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM submission
RETURNING submission_id
"""
"""queries.INSERT_SUBMISSION with the next id given: make_large_db inserts its ids without the sequence."""


def upload(con, rng: random.Random, unit: str, year: int, quarter: int) -> None:
    """A new version of the unit's quarter, each value moved a little, stored the way ingest stores one."""
    key = [unit, year, quarter]
    latest = con.execute(LATEST_VALUES, key * 2).fetchall()
    version = con.execute("SELECT max(version) FROM submission WHERE unit_code = ? AND fiscal_year = ? "
                          "AND quarter = ?", key).fetchone()[0]
    with db.transaction(con):
        db.bump_generation(con)
        submission_id = con.execute(INSERT_SUBMISSION, [
            *key, version + 1, f"{unit}_{year}_Q{quarter}.xlsx", f"{rng.getrandbits(256):064x}", len(latest),
            "bench"]).fetchone()[0]
        rows = []
        for kpi_code, actual, direction, kind, *thresholds in latest:
            if actual is not None:
                actual = float(min(5, actual + 1)) if kind == "milestone" else round(actual * rng.uniform(0.9, 1.1), 2)
            score = scoring.score_result(actual, tuple(thresholds), direction, kind)
            rows.append((submission_id, kpi_code, actual, score, scoring.status_of(score), None, None, None))
        db.insert_rows(con, "submission_value", queries.SUBMISSION_VALUE_COLUMNS, rows)
        results.refresh_period(con, *key)


def no_change(con) -> None:
    with db.transaction(con):
        db.bump_generation(con)


def lose_state(con) -> None:
    """As if the forecasts had never been computed: the next refresh computes every one."""
    with db.transaction(con):
        con.execute("DELETE FROM kpi_forecast_state")
        db.bump_generation(con)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    source = ensure_large_db(args.db)
    with db.open_db(source, read_only=True) as con:
        current = con.execute("SELECT count(*) FROM information_schema.tables "
                              "WHERE table_name = 'kpi_forecast_year'").fetchone()[0]
    if not current:  # built by a draft of migration 009, before the selection was stored
        source = build_large_db(args.db)
    rng = random.Random(14)
    scenarios = {
        "upload (one unit, FY 2568 Q2)": lambda con: upload(con, rng, UNIT, 2568, 2),
        "correction (one unit, FY 2567 Q4)": lambda con: upload(con, rng, UNIT, 2567, 4),
        "nothing changed": no_change,
        "full (every year from nothing)": lose_state,
    }
    timings: dict[str, list[float]] = {name: [] for name in scenarios}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.duckdb"
        shutil.copy(source, path)
        with db.open_db(path) as con:
            db.migrate(con)
            forecast.refresh_table(con)  # the starting point: every forecast current
            rows = con.execute("SELECT count(*) FROM kpi_forecast").fetchone()[0]
            for _ in range(args.rounds):
                for name, write in scenarios.items():
                    write(con)
                    started = time.perf_counter()
                    forecast.refresh_table(con)
                    timings[name].append(time.perf_counter() - started)
    print(f"forecast refresh on {source.name}: {rows:,} forecast rows; {args.rounds} interleaved rounds; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, found in timings.items():
        print(f"  {name:<36} min {min(found) * 1000:9.1f} ms   median {statistics.median(found) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()

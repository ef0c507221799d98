"""One side of the concurrency test and benchmark, run as its own process; prints a JSON summary at the end.

    python -m tests.concurrency_worker writer        DB SECONDS   # commits submissions through the CLI code
    python -m tests.concurrency_worker analyst       DB SECONDS   # plain duckdb, read-only, on the snapshot
    python -m tests.concurrency_worker page          DB SECONDS   # the SQL page's runner on the snapshot
    python -m tests.concurrency_worker live          DB SECONDS   # read-only on the live file, no retry
    python -m tests.concurrency_worker live-retry    DB SECONDS   # read-only on the live file, pipelines.db retry
    python -m tests.concurrency_worker live-session  DB SECONDS   # one read-only session on the live file

Run it from the repository root (as tests/test_concurrency.py and bench/sql_concurrency.py do), so that
`pipelines` imports without editing sys.path.

Readers check, on every pass, that no submission is half-written: each has exactly row_count values,
versions run 1..n with one latest, kpi_results shows the latest version, and nothing ever goes backwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines import cli, db, snapshot, sqlconsole
from pipelines.view_docs import PUBLIC_VIEWS

CONSISTENCY = """
WITH counted AS (
    SELECT submission_id, count(*) AS n FROM submission_values GROUP BY submission_id
), versions AS (
    SELECT unit_code, fiscal_year, quarter, max(version) AS latest, count(*) AS n,
           count(*) FILTER (WHERE is_latest) AS flagged
    FROM submissions GROUP BY ALL
)
SELECT
    (SELECT count(*) FROM submissions AS s LEFT JOIN counted AS c USING (submission_id)
     WHERE coalesce(c.n, 0) <> s.row_count) AS torn_submissions,
    (SELECT count(*) FROM versions WHERE latest <> n OR flagged <> 1) AS broken_versions,
    (SELECT count(*) FROM kpi_results AS r JOIN versions AS v USING (unit_code, fiscal_year, quarter)
     WHERE r.version IS DISTINCT FROM v.latest) AS stale_results,
    (SELECT count(*) FROM submissions) AS submissions,
    (SELECT count(*) FROM submission_values) AS submitted_values
"""
VIEW_COUNTS = " UNION ALL ".join(f"SELECT '{view}', count(*) FROM {view}" for view in PUBLIC_VIEWS)


def submission_files(folder: Path, serial: int, rng: random.Random) -> list[str]:
    """PLAN Q3 with one or two KPI rows, and sometimes LAW Q3 in the same command (one transaction)."""
    rows = [f"PLAN,2568,3,P-01,{rng.uniform(40, 100):.2f}"]
    if rng.random() < 0.5:
        rows.append(f"PLAN,2568,3,P-02,{rng.uniform(5, 25):.2f}")
    files = [folder / f"plan_{serial}.csv"]
    files[0].write_text("division,fiscal_year,quarter,kpi_code,actual\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if rng.random() < 0.3:
        files.append(folder / f"law_{serial}.csv")
        files[1].write_text(f"division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,3,L-01,{serial % 6}\n",
                            encoding="utf-8")
    return [str(path) for path in files]


def writer(db_path: Path, seconds: float) -> dict:
    rng = random.Random(2568)
    commits, failures, durations = 0, [], []
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as folder:
        while time.monotonic() < deadline:
            files = submission_files(Path(folder), commits + len(failures), rng)
            started = time.perf_counter()
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
                    status = cli.main(["--db", str(db_path), "ingest", *files, "--by", "concurrency-writer"])
            except Exception as error:  # a lock the retry did not outlast, or anything else: count, keep going
                status, err = 1, io.StringIO(f"{type(error).__name__}: {error}")
            durations.append(time.perf_counter() - started)
            if status == 0:
                commits += 1
            else:
                failures.append(err.getvalue().strip()[-300:])
    return {"role": "writer", "commits": commits, "failures": failures, **_timings(durations)}


def _timings(durations: list[float]) -> dict:
    if not durations:
        return {}
    ordered = sorted(durations)
    return {"median_s": ordered[len(ordered) // 2], "p95_s": ordered[int(len(ordered) * 0.95)],
            "max_s": ordered[-1]}


class Reader:
    def __init__(self, role: str) -> None:
        self.role = role
        self.passes = 0
        self.failures: list[str] = []
        self.violations: list[str] = []
        self.durations: list[float] = []
        self.last_submissions = 0

    def check(self, consistency: tuple, counts: list[tuple]) -> None:
        torn, broken, stale, submissions, _ = consistency
        if torn or broken or stale:
            self.violations.append(f"torn={torn} broken_versions={broken} stale_results={stale}")
        if submissions < self.last_submissions:
            self.violations.append(f"went back from {self.last_submissions} to {submissions} submissions")
        self.last_submissions = submissions
        if len(counts) != len(PUBLIC_VIEWS):
            self.violations.append(f"read {len(counts)} of {len(PUBLIC_VIEWS)} views")

    def summary(self) -> dict:
        return {"role": self.role, "passes": self.passes, "failures": self.failures[:5],
                "failure_count": len(self.failures), "violations": self.violations[:5],
                "violation_count": len(self.violations), "last_submissions": self.last_submissions,
                **_timings(self.durations)}


def read_loop(role: str, db_path: Path, seconds: float) -> dict:
    reader = Reader(role)
    snap = snapshot.snapshot_path(db_path)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            if role == "page":
                consistency, counts = _through_page(snap)
            else:
                consistency, counts = _through_duckdb(role, db_path, snap)
        except (duckdb.Error, RuntimeError) as error:
            reader.failures.append(f"{type(error).__name__}: {str(error)[:200]}")
            continue
        reader.durations.append(time.perf_counter() - started)
        reader.passes += 1
        reader.check(consistency, counts)
    return reader.summary()


def _through_duckdb(role: str, db_path: Path, snap: Path) -> tuple[tuple, list[tuple]]:
    if role == "analyst":
        con = duckdb.connect(str(snap), read_only=True)
    elif role == "live":
        con = duckdb.connect(str(db_path), read_only=True)
    else:  # live-retry
        con = db.connect(db_path, read_only=True)
    with con:
        return con.execute(CONSISTENCY).fetchone(), con.execute(VIEW_COUNTS).fetchall()


def _through_page(snap: Path) -> tuple[tuple, list[tuple]]:
    outcomes = [sqlconsole.run_query(snap, CONSISTENCY), sqlconsole.run_query(snap, VIEW_COUNTS)]
    for outcome in outcomes:
        if isinstance(outcome, sqlconsole.QueryError):
            raise RuntimeError(outcome.message)
    consistency = tuple(outcomes[0].frame().iloc[0].tolist())
    return consistency, list(outcomes[1].frame().itertuples(index=False))


def live_session(db_path: Path, seconds: float) -> dict:
    """An analyst's notebook holding the live file: what every writer meets under the other design."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute("SELECT count(*) FROM kpi_results").fetchall()
        print(json.dumps({"role": "live-session", "holding": True}), flush=True)
        time.sleep(seconds)
    return {"role": "live-session", "held_s": seconds}


def main(argv: list[str]) -> None:
    role, db_path, seconds = argv[0], Path(argv[1]), float(argv[2])
    if role == "writer":
        summary = writer(db_path, seconds)
    elif role == "live-session":
        summary = live_session(db_path, seconds)
    else:
        summary = read_loop(role, db_path, seconds)
    print(json.dumps(summary, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The SQL page's overhead on the 1,000,000-row database: its runner against a plain duckdb.connect() in this process.

The page's runner (pipelines.sqlconsole.run_query) hands the query to a query worker process, which checks the
statement, arms the time limit, streams the result to Arrow within the row and byte caps on its open, locked,
read-only snapshot, and sends it back as an Arrow stream; the baseline is an already-open plain connection
fetching the same query into pandas.  Also timed: the worker's own part run in this process
(pipelines.sqlconsole.execute, which is the in-process runner the page used before the workers), so the cost of
the process boundary shows apart.  Target: page <= 3x plain.

    python bench/sql_page.py [REPEATS]      # builds bench/out/large_1M.duckdb on first use
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import duckdb  # noqa: E402
from make_large_db import ensure_large_db  # noqa: E402

from pipelines import db, snapshot, sqlconsole  # noqa: E402

QUERY = "SELECT fiscal_year, quarter, dimension, avg(score) FROM kpi_results GROUP BY ALL"
TARGET_RATIO = 3.0
EXPECTED_GROUPS = 2 * 4 * 4  # fiscal years 2567 and 2568, four quarters, four dimensions


def ensure_snapshot(live: Path) -> Path:
    published = snapshot.snapshot_path(live)
    if not published.exists() or published.stat().st_mtime < live.stat().st_mtime:
        with db.open_db(live) as con:
            snapshot.publish(con, live)
    return published


def plain(path: Path, repeats: int) -> list[float]:
    times = []
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(QUERY).df()  # warm the cache as the page's first run would
        for _ in range(repeats):
            started = time.perf_counter()
            rows = con.execute(QUERY).df()
            times.append(time.perf_counter() - started)
    assert len(rows) == EXPECTED_GROUPS
    return times


def page(path: Path, repeats: int) -> list[float]:
    times = []
    sqlconsole.run_query(path, QUERY)
    for _ in range(repeats):
        started = time.perf_counter()
        result = sqlconsole.run_query(path, QUERY)
        times.append(time.perf_counter() - started)
        assert isinstance(result, sqlconsole.QueryResult) and result.row_count == EXPECTED_GROUPS, result
    return times


def in_process(path: Path, repeats: int) -> list[float]:
    times = []
    sqlconsole.execute(str(path), QUERY, 30, sqlconsole.DOWNLOAD_ROW_LIMIT, sqlconsole.RESULT_BYTE_LIMIT)
    for _ in range(repeats):
        started = time.perf_counter()
        result, rows = sqlconsole.execute(str(path), QUERY, 30, sqlconsole.DOWNLOAD_ROW_LIMIT,
                                          sqlconsole.RESULT_BYTE_LIMIT)
        times.append(time.perf_counter() - started)
        assert isinstance(result, sqlconsole.QueryResult) and rows, result
    return times


def main(repeats: int) -> None:
    live = ensure_large_db()
    published = ensure_snapshot(live)
    with duckdb.connect(str(live), read_only=True) as con:
        results = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
    print(f"duckdb {duckdb.__version__}; {results:,} kpi_results rows; {QUERY}")
    plain_live, plain_snapshot, here_times, page_times = [], [], [], []
    for _ in range(repeats):  # interleaved, so machine load hits all four alike
        plain_live += plain(live, 1)
        plain_snapshot += plain(published, 1)
        here_times += in_process(published, 1)
        page_times += page(published, 1)
    baseline = statistics.median(plain_snapshot)
    here_median = statistics.median(here_times)
    page_median = statistics.median(page_times)
    print(f"plain duckdb.connect(), live file:        median {statistics.median(plain_live) * 1000:7.1f} ms")
    print(f"plain duckdb.connect(), snapshot file:    median {baseline * 1000:7.1f} ms")
    print(f"runner in this process (no worker):       median {here_median * 1000:7.1f} ms")
    print(f"SQL page runner (query worker), snapshot: median {page_median * 1000:7.1f} ms "
          f"(+{(page_median - here_median) * 1000:.1f} ms for the process boundary)")
    ratio = page_median / baseline
    print(f"page / plain (same file) = {ratio:.2f}x (target <= {TARGET_RATIO:g}x): "
          + ("OK" if ratio <= TARGET_RATIO else "OVER TARGET"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)

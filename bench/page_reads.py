"""Every `dashboard.data.read` of every page, found by recording them during an AppTest run, timed one by one.

    .venv/bin/python bench/page_reads.py                       # bench/out/large_5M.duckdb (built if absent)
    .venv/bin/python bench/page_reads.py --db PATH --repeat 5  # another database
    .venv/bin/python bench/page_reads.py --pages overview submissions

bench/pages.py times what each page is known to read (`page_queries`, written by hand); a read added to a page
later is missed there. Here each page of pipelines.roles.PAGES is run through dashboard/app.py with AppTest, signed
in as an administrator (who may open every page), once for the agency and once for one division, with
`dashboard.data.read` wrapped so that every read the page makes (sidebar included) is recorded with its arguments
and the sidebar's "include submitted" switch. Each distinct read is then timed as the dashboard runs it on a
cache miss: `report(con, *args)` on a cursor of the published snapshot (pipelines.read_source), min and median
of --repeat calls. Reads over the issue 12 target (100 ms) are flagged with '!'. Call sites in the page sources
that no default run reached (behind a button, a form or a download) are listed at the end, not timed.
The machine's load average is printed: other work on it inflates every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pages import ensure_account  # noqa: E402

from pipelines import auth, db, read_source, reports, roles, snapshot  # noqa: E402

OUT = ROOT / "bench" / "out"
READER, READER_PASSWORD = "bench.reads", "bench-reads-2568"
TARGET_MS = 100
READ_CALL = re.compile(r"data\.read\(\s*(?:\w+\.)*(\w+)")


def record_reads(path: Path, pages: list[str], fiscal_year: int, quarter: int, unit: str) -> dict[str, list]:
    """Page key -> the (report, args, include_submitted) it read, in order, during one AppTest run of the page."""
    from streamlit.testing.v1 import AppTest

    from dashboard import data

    os.environ["BSC_DB"] = str(path)
    recorded: list[tuple[Any, tuple, bool]] = []
    original = data.read

    def recording(report, *args):
        recorded.append((report, args, data.include_submitted()))
        return original(report, *args)

    data.read = recording
    try:
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
        with db.open_db(path) as con:
            app.session_state["auth_session_id"] = auth.start_session(con, READER)
        app.query_params.update({"fy": str(fiscal_year), "q": str(quarter), "unit": unit})
        found = {}
        for page in pages:
            recorded.clear()
            if page == next(row.key for row in roles.PAGES if row.default):
                app.run()
            else:
                app.switch_page(f"app_pages/{page}.py").run()
            if app.exception:
                raise RuntimeError(f"{page}: {app.exception[0].value}")
            found[page] = list(recorded)
        return found
    finally:
        data.read = original


def source_calls() -> dict[str, set[str]]:
    """Page key (or dashboard module) -> the names of the report functions its source passes to data.read."""
    calls = {}
    for file in sorted((ROOT / "dashboard").rglob("*.py")):
        names = set(READ_CALL.findall(file.read_text(encoding="utf-8")))
        if names:
            calls[file.stem if file.parent.name == "app_pages" else f"dashboard/{file.name}"] = names
    return calls


def time_read(path: Path, report, args: tuple, with_submitted: bool, repeat: int) -> list[float]:
    """Seconds of each of `repeat` calls, as data.read runs it on a cache miss."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with read_source.connect(read_source.current(path), with_submitted) as con:
            report(con, *args)
        times.append(time.perf_counter() - started)
    return times


def describe(args: tuple) -> str:
    return ", ".join(str(arg) for arg in args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="default: bench/out/large_5M.duckdb (built if absent)")
    parser.add_argument("--rows", default="5M", help="the large database's size when --db is not given")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=[row.key for row in roles.PAGES])
    parser.add_argument("--json", type=Path, default=OUT / "page_reads.json")
    args = parser.parse_args(argv)
    if args.db is None:
        from bench.make_large_db import ensure_large_db, parse_rows

        args.db = ensure_large_db(parse_rows(args.rows), None)
    path = args.db.resolve()
    ensure_account(path, READER, "admin", READER_PASSWORD)  # every page of PAGES is open to it
    if read_source.current(path).kind != "snapshot":
        snapshot.publish_file(path)
    with read_source.connect(read_source.current(path)) as con:
        periods = reports.periods(con)
        units = reports.org_units_tree(con)
    fiscal_year, quarter = periods.latest or (periods.fiscal_years[-1], 1)
    agency = units.loc[units["level"] == "agency", "code"].iloc[0]
    division = units.loc[units["level"] == "division", "code"].iloc[0]
    print(f"{path}: FY {fiscal_year} Q{quarter}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"min / median of {args.repeat}; '!' = over {TARGET_MS} ms")
    rows, reached = [], set()
    for unit in (agency, division):
        found = record_reads(path, args.pages, fiscal_year, quarter, unit)
        print(f"\nunit {unit}")
        print(f"{'page':15} {'read':28} {'min':>9} {'median':>9}  arguments")
        timed: dict[tuple, list[float]] = {}
        for page, reads in found.items():
            if not reads:
                print(f"{page:15} (no data.read: the page reads through its own connection or not at all)")
            for key in dict.fromkeys(reads):  # a read made twice in one run is served by the cache the second time
                report, call_args, with_submitted = key
                reached.add(report.__name__)
                if key not in timed:
                    timed[key] = time_read(path, report, call_args, with_submitted, args.repeat)
                times = timed[key]
                best, median = min(times) * 1000, statistics.median(times) * 1000
                flag = " !" if best > TARGET_MS else "  "
                print(f"{page:15} {report.__name__:28} {best:>6.1f} ms {median:>6.1f} ms{flag} "
                      f"{describe(call_args)}{' (include submitted)' if with_submitted else ''}")
                rows.append({"unit": unit, "page": page, "read": report.__name__, "args": describe(call_args),
                             "include_submitted": with_submitted, "min_ms": round(best, 1),
                             "median_ms": round(median, 1), "over_target": best > TARGET_MS})
    missed = {page: sorted(names - reached) for page, names in source_calls().items() if names - reached}
    if missed:
        print("\nread in the sources but not reached by a default page run (behind a button, form or download):")
        for page, names in missed.items():
            print(f"  {page}: {', '.join(names)}")
    over = sorted({(row["page"], row["read"]) for row in rows if row["over_target"]})
    print(f"\n{len(over)} page reads over {TARGET_MS} ms: {', '.join(f'{p}/{r}' for p, r in over) or 'none'}; "
          f"load average {os.getloadavg()[0]:.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"database": str(path), "fiscal_year": fiscal_year, "quarter": quarter,
                                     "reads": rows, "not_reached": missed}, indent=2), encoding="utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

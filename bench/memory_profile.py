"""What the dashboard holds in memory after each page (issue 12's server memory): every page of the roles table run
once through AppTest in one process, signed in as an admin, with tracemalloc on; after each page the process's RSS,
the Python heap tracemalloc sees, the bytes held by the pages' result cache (`dashboard.data._read`, pickled) and
the largest allocation sites. The browser figure is bench/concurrency.py --only rss; this one says what is held.

    .venv/bin/python bench/memory_profile.py --size 5M [--top 12] [--json OUT]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from concurrency import ADMIN, latest_period, work_copy  # noqa: E402
from timing import load, write_json  # noqa: E402

from pipelines import auth, db, roles  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def result_cache_mb() -> float:
    """Bytes held by st.cache_data's in-memory storage (pickled values) of every cached function."""
    from streamlit.runtime.caching import cache_data_api

    manager = cache_data_api._data_caches
    with manager._caches_lock:
        caches = [cache for by_key in manager._function_caches.values() for cache in by_key.values()]
    total = 0
    for cache in caches:
        storage = getattr(cache.storage, "_mem_cache", None)
        if storage is not None:
            total += sum(len(value) for value in list(storage.values()))
    return total / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5M")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    work = work_copy(args.size, {"memory"})
    year, quarter = latest_period(work)
    os.environ["BSC_DB"] = str(work)
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    with db.open_db(work) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, ADMIN)
    app.query_params.update({"fy": str(year), "q": str(quarter)})
    started = rss_mb()
    tracemalloc.start(8)
    steps = []
    for row in roles.PAGES:
        began = time.perf_counter()
        if row.default:
            app.run()
        else:
            app.switch_page(f"app_pages/{row.script}")
            app.run()
        took = time.perf_counter() - began
        gc.collect()
        traced, peak = tracemalloc.get_traced_memory()
        step = {"page": row.key, "seconds": round(took, 2), "rss_mb": round(rss_mb(), 1),
                "traced_mb": round(traced / 2**20, 1), "traced_peak_mb": round(peak / 2**20, 1),
                "result_cache_mb": round(result_cache_mb(), 1),
                "exception": str(app.exception[0].value)[:200] if app.exception else None}
        steps.append(step)
        print(json.dumps(step), flush=True)
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    top = [{"where": str(stat.traceback[0]), "mb": round(stat.size / 2**20, 2), "blocks": stat.count}
           for stat in snapshot.statistics("lineno")[:args.top]]
    by_file = [{"file": str(stat.traceback[0].filename).replace(str(ROOT) + "/", ""),
                "mb": round(stat.size / 2**20, 2)} for stat in snapshot.statistics("filename")[:args.top]]
    print("largest allocation sites after every page:")
    for line in top:
        print(f"  {line['mb']:8.2f} MB {line['blocks']:>9} blocks  {line['where']}")
    print("by file:")
    for line in by_file:
        print(f"  {line['mb']:8.2f} MB  {line['file']}")
    result = {"size": args.size, "started_mb": round(started, 1), "steps": steps, "top": top, "by_file": by_file,
              "load": round(load(), 2)}
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

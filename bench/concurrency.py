"""The limits of one database file (issue 12), each bounded in time:

- uploads per second with 8 concurrent writers: 8 threads, each running `python -m pipelines ingest` for its own
  unit's quarter again and again (a new version each time) for SECONDS; with the forecast refresh of every publish
  and without it (pipelines/forecast.py is being made incremental);
- signed-in page runs per second with 10, 25 and 50 concurrent sessions: each session an AppTest of dashboard/app.py
  signed in as an executive, re-running the overview page (its data cached, as in a live server) for SECONDS, one
  process per session (AppTests in threads of one process fail in Python 3.11: "AST constructor recursion depth
  mismatch" when they compile the page scripts at once);
- the dashboard server's peak RSS (VmHWM of `streamlit run dashboard/server.py`) after one admin visits every page
  in chromium, then with 10 concurrent browser sessions visiting every page.

    .venv/bin/python bench/concurrency.py --size 5M [--seconds 60] [--only uploads,pages,rss] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import load, machine, write_json  # noqa: E402
from upload_cost import ENV, WITHOUT_FORECAST, source_db, write_file  # noqa: E402

from pipelines import auth, db, snapshot  # noqa: E402

OUT = ROOT / "bench" / "out"
WRITERS = 8
SESSIONS = (10, 25, 50)
EXEC, ADMIN, PASSWORD = "bench.exec", "bench.admin", "bench-pass-2568"
CHROMIUM = Path(os.environ.get("BSC_CHROMIUM", "/usr/bin/chromium"))
BUSY = 75


def work_copy(size: str, parts: set[str]) -> Path:
    work = OUT / f"concurrency_{size}_{'_'.join(sorted(parts))}.duckdb"  # runs of other parts may run beside it
    for stale in (work, Path(f"{work}.wal")):
        stale.unlink(missing_ok=True)
    snapshot.snapshot_path(work).unlink(missing_ok=True)  # only its own: other runs may be reading theirs
    shutil.copyfile(source_db(size), work)
    with db.open_db(work) as con:
        db.migrate(con)
        for username, role in ((EXEC, "executive"), (ADMIN, "admin")):
            if auth.get_user(con, username) is None:
                auth.add_user(con, username=username, role=role, password=PASSWORD, by="bench", channel="cli")
        snapshot.publish(con, work)
    return work


def latest_period(work: Path) -> tuple[int, int]:
    with db.open_db(work, read_only=True) as con:
        return con.execute("SELECT fiscal_year, quarter FROM submission ORDER BY fiscal_year DESC, quarter DESC "
                           "LIMIT 1").fetchone()


def writer_targets(work: Path) -> list[tuple[str, list[str]]]:
    year, _ = latest_period(work)
    with db.open_db(work, read_only=True) as con:
        units = [row[0] for row in con.execute(
            "SELECT owner_code FROM kpi_owner WHERE fiscal_year = ? GROUP BY owner_code HAVING count(*) >= 5 "
            "ORDER BY owner_code LIMIT ?", [year, WRITERS]).fetchall()]
        return [(unit, [row[0] for row in con.execute(
            "SELECT kpi_code FROM kpi_owner WHERE fiscal_year = ? AND owner_code = ? ORDER BY kpi_code LIMIT 25",
            [year, unit]).fetchall()]) for unit in units]


def uploads_per_second(work: Path, seconds: float, without_forecast: bool) -> dict:
    year, quarter = latest_period(work)
    files = OUT / "concurrency_files"
    files.mkdir(parents=True, exist_ok=True)
    counts = {"stored": 0, "busy": 0, "failed": 0}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    label = "nofc" if without_forecast else "fc"

    def writer(unit: str, codes: list[str]) -> None:
        run = 0
        while time.perf_counter() < deadline:
            upload = write_file(files / f"{unit}_{label}_{run}.xlsx", unit, year, quarter, codes, 1000 + run)
            command = (["-c", WITHOUT_FORECAST] if without_forecast else ["-m", "pipelines"])
            done = subprocess.run([sys.executable, *command, "--db", str(work), "ingest", str(upload), "--by", "bench"],
                                  cwd=ROOT, capture_output=True, text=True, env=ENV)
            with lock:
                counts["stored" if done.returncode == 0 else "busy" if done.returncode == BUSY else "failed"] += 1
            run += 1

    threads = [threading.Thread(target=writer, args=target) for target in writer_targets(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"writers": len(threads), "seconds": round(elapsed, 1), **counts,
            "stored_per_second": round(counts["stored"] / elapsed, 3), "forecast_refresh": not without_forecast}


def _session_worker(args: tuple) -> tuple[int, int, list[float]]:
    """One process: `sessions` threads, each an AppTest signed in, re-running the overview until the deadline."""
    work, sessions, deadline, fiscal_year, quarter = args
    os.environ["BSC_DB"] = work
    from streamlit.testing.v1 import AppTest

    runs, errors, times = [0], [0], []
    lock = threading.Lock()

    def session() -> None:
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
        with db.open_db(Path(work), read_only=True) as con:
            session_id = con.execute("SELECT session_id FROM bench_sessions WHERE n = ?", [0]).fetchone()
        app.session_state["auth_session_id"] = session_id[0]
        app.query_params.update({"fy": str(fiscal_year), "q": str(quarter)})
        while time.time() < deadline:
            began = time.perf_counter()
            app.run()
            took = time.perf_counter() - began
            with lock:
                if app.exception:
                    errors[0] += 1
                elif time.time() < deadline:
                    runs[0] += 1
                    times.append(took)

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return runs[0], errors[0], times


def page_runs_per_second(work: Path, sessions: int, seconds: float) -> dict:
    year, quarter = latest_period(work)
    with db.open_db(work) as con:
        con.execute("CREATE OR REPLACE TABLE bench_sessions AS SELECT 0 AS n, ? AS session_id",
                    [auth.start_session(con, EXEC)])
    processes = sessions  # one each: AppTests in threads of one process race in compile() under Python 3.11
    start = time.time() + 20  # the workers import streamlit and sign in first; runs count from here
    deadline = start + seconds
    shares = [sessions // processes + (1 if n < sessions % processes else 0) for n in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_session_worker, [(str(work), share, deadline, year, quarter) for share in shares])
    runs = sum(result[0] for result in results)
    errors = sum(result[1] for result in results)
    times = sorted(t for result in results for t in result[2])
    median = times[len(times) // 2] if times else None
    return {"sessions": sessions, "seconds": seconds, "runs": runs, "errors": errors,
            "runs_per_second": round(runs / (seconds + 20), 2),
            "median_run_s": round(median, 3) if median else None}


def vm(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    raise KeyError(field)


async def visit_every_page(browser, base: str, steps: list | None = None, pid: int | None = None) -> int:
    """Every page of the sidebar in turn; with `steps`, the server's RSS and peak after each page are appended."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1800})
    await page.goto(base + "/")
    await page.get_by_label("ชื่อผู้ใช้").fill(ADMIN)
    await page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    await page.get_by_role("button", name="เข้าสู่ระบบ").click()
    await page.get_by_role("heading", name="ภาพรวมผลการดำเนินงาน").wait_for(timeout=180_000)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    count = await nav.count()
    for index in range(count):
        await nav.nth(index).click()
        await asyncio.sleep(1)
        deadline = time.monotonic() + 120
        while await page.locator('[data-testid="stStatusWidget"]').count() and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
        if steps is not None:
            steps.append({"page": (await nav.nth(index).inner_text()).strip(), "rss_mb": vm(pid, "VmRSS"),
                          "peak_mb": vm(pid, "VmHWM")})
    await page.close()
    return count


async def drive(base: str, sessions: int, steps: list | None = None, pid: int | None = None) -> list[int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            done = await asyncio.gather(*(visit_every_page(browser, base, steps, pid) for _ in range(sessions)),
                                        return_exceptions=True)
            return [pages if isinstance(pages, int) else 0 for pages in done]  # 0: the session timed out
        finally:
            await browser.close()


def server_rss(work: Path, sessions: int = 10) -> dict:
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (OUT / "concurrency_server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=ENV | {"BSC_DB": str(work), "PYTHONPATH": str(ROOT)}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        started = vm(server.pid, "VmRSS")
        steps: list[dict] = []
        pages = asyncio.run(drive(base, 1, steps, server.pid))[0]
        one = {"rss_mb": vm(server.pid, "VmRSS"), "peak_mb": vm(server.pid, "VmHWM"), "after_each_page": steps}
        print("one user, every page:", one, flush=True)
        if not sessions:
            return {"pages": pages, "started_mb": started, "one_user": one}
        visited = asyncio.run(drive(base, sessions))
        ten = {"sessions": sessions, "rss_mb": vm(server.pid, "VmRSS"), "peak_mb": vm(server.pid, "VmHWM"),
               "sessions_done": sum(1 for pages in visited if pages)}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {"pages": pages, "started_mb": started, "one_user": one, "ten_sessions": ten}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5M")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", default="uploads,pages,rss")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--rss-sessions", type=int, default=10,
                        help="concurrent browser sessions after the one user (0: the one user only)")
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    work = work_copy(args.size, parts)
    result: dict = {"size": args.size, "machine": machine(), "load_before": round(load(), 2),
                    "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if "uploads" in parts:
        result["uploads"] = [uploads_per_second(work, args.seconds, without) for without in (False, True)]
        print(json.dumps(result["uploads"], indent=1), flush=True)
    if "pages" in parts:
        result["pages"] = [page_runs_per_second(work, sessions, args.seconds) for sessions in SESSIONS]
        print(json.dumps(result["pages"], indent=1), flush=True)
    if "rss" in parts:
        result["rss"] = server_rss(work, args.rss_sessions)
        print(json.dumps(result["rss"], indent=1), flush=True)
    result["load_after"] = round(load(), 2)
    print(f"load average {result['load_before']} -> {result['load_after']}")
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What one upload costs at a database size, against the right baselines, interleaved (bench/timing.py):

- the snapshot publish after every write (pipelines.snapshot.publish) vs a bare copy of the published file;
- one upload of a unit's quarter (its 25 KPIs; a new version each round) in-process as the web page runs it
  (open, validate, commit with its audit row, publish) vs a bare python-calamine read of the same file; the
  forecast refresh inside the publish (pipelines.forecast.refresh_table) timed on its own, and the upload without it.
  Two uploads run first, untimed: after the full publish above, the first two publishes copy the published file, and
  from then on each patches the older of the snapshot's two files in place (pipelines.snapshot), as a running server
  does;
- the same through `python -m pipelines ingest`, and with the forecast refresh left out, vs a
  `python -c "import duckdb"` process (processes run with their modules byte-compiled, as deployed);
- a signed-in viewer's session check (what every page run does first) with no upload running, and while one runs
  (the worst of the checks made during a CLI upload); and a whole signed-in click (the overview run again through
  dashboard/app.py under AppTest, its data served from the cache as a click is) the same two ways, the click during
  the upload split at its publish: the worst click before it (the same data: it must not wait for the writer) and
  the first click after it (new data: a cache miss, against a cache-miss click with no upload running);
- `import pipelines.cli` vs `import duckdb` in a fresh process.

    .venv/bin/python bench/upload_cost.py --size demo|100k|1M|5M [--rounds 5] [--json OUT]

The database is copied to bench/out/work_<size>.duckdb first, so the uploads never change the benchmark file.
"""

from __future__ import annotations

import argparse
import json
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

from python_calamine import CalamineWorkbook  # noqa: E402
from timing import Figure, interleaved, load, report  # noqa: E402

from pipelines import audit, auth, db, forecast, read_source, snapshot  # noqa: E402
from pipelines.ingest import commit_files, prepare_files  # noqa: E402

OUT = ROOT / "bench" / "out"
VIEWER = "bench.viewer"


def source_db(size: str) -> Path:
    if size == "demo":
        path = OUT / "demo" / "bsc.duckdb"
        if not path.exists():
            from pipelines import cli

            path.parent.mkdir(parents=True, exist_ok=True)
            if cli.main(["--db", str(path), "demo", "--demo-dir", str(path.parent / "files")]) != 0:
                raise RuntimeError("the demo database could not be built")
        return path
    from make_large_db import ensure_large_db, parse_rows

    return ensure_large_db(parse_rows(size))


def upload_target(path: Path) -> tuple[str, int, int, list[str]]:
    """(unit, fiscal year, quarter, its KPI codes): the latest reported quarter of the unit owning the most KPIs
    (25 at every large size), capped at 25 KPIs."""
    with db.open_db(path, read_only=True) as con:
        year, quarter = con.execute(
            "SELECT fiscal_year, quarter FROM submission ORDER BY fiscal_year DESC, quarter DESC LIMIT 1").fetchone()
        unit = con.execute(
            "SELECT owner_code FROM kpi_owner WHERE fiscal_year = ? GROUP BY owner_code "
            "ORDER BY count(*) DESC, owner_code LIMIT 1", [year]).fetchone()[0]
        codes = [row[0] for row in con.execute(
            "SELECT kpi_code FROM kpi_owner WHERE fiscal_year = ? AND owner_code = ? ORDER BY kpi_code LIMIT 25",
            [year, unit]).fetchall()]
    return unit, year, quarter, codes


def write_file(path: Path, unit: str, year: int, quarter: int, codes: list[str], offset: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ผลการดำเนินงาน"
    sheet.append(["หน่วยงาน", "ปีงบประมาณ", "ไตรมาส", "รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "ผลการดำเนินงาน", "หมายเหตุ"])
    for n, code in enumerate(codes):
        sheet.append([unit, year, quarter, code, f"ตัวชี้วัด {code}", (n + offset) % 6, f"รอบที่ {offset}"])
    book.save(path)
    return path


def session_check(path: Path, session_id: str) -> object:
    """What every signed-in page run does first (dashboard.auth.current_user)."""
    return auth.signed_in_user(path, session_id)


def session_check_opening_the_live_file(path: Path, session_id: str) -> object:
    """The same check as it was before issue 12: a read-only connection to the live file on every page run, waiting
    for a writer's lock."""
    with db.open_db(path, read_only=True) as con:
        return auth.session_user(con, session_id)


WITHOUT_FORECAST = ("import sys; from pipelines import cli, forecast; forecast.refresh_table = lambda con: None; "
                    "sys.exit(cli.main(sys.argv[1:]))")
"""`python -m pipelines` with the forecast refresh of every publish left out (pipelines/forecast.py, being made
incremental), to show what the rest of the upload costs."""
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The processes run as deployed: the product's modules byte-compiled once (as pip compiles site-packages, duckdb's
included), not compiled again by every process (0.4 s of a CLI process where PYTHONDONTWRITEBYTECODE is set)."""


def signed_in_click(work: Path, session_id: str, *, cache_miss: bool = False):
    """A check that re-runs the overview signed in, as a viewer's click does: its data from st.cache_data while the
    published data is unchanged, or read again (`cache_miss`), as the first click after a publish does."""
    from streamlit.testing.v1 import AppTest

    os.environ["BSC_DB"] = str(work)
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    app.session_state["auth_session_id"] = session_id
    app.run()

    def click(_path: Path, _session: str) -> object:
        if cache_miss:
            from dashboard import data

            data.read_cache_clear()
        app.run()
        if app.exception:
            raise RuntimeError(app.exception[0].value)
        return True

    return click


def published_token(work: Path) -> str:
    """What the pages' cache is keyed on (pipelines.read_source): it changes when an upload is published."""
    return read_source.current(work).token


def process(*args: str) -> None:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])


def measure(size: str, rounds: int) -> dict[str, Figure]:
    work = OUT / f"work_{size}.duckdb"
    for stale in (work, Path(f"{work}.wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(snapshot.snapshot_path(work).parent, ignore_errors=True)
    shutil.copyfile(source_db(size), work)
    with db.open_db(work) as con:
        db.migrate(con)
        if auth.get_user(con, VIEWER) is None:
            auth.add_user(con, username=VIEWER, role="executive", password="bench-viewer-2568", by="bench",
                          channel="cli")
        session_id = auth.start_session(con, VIEWER)
        snapshot.publish(con, work)
    unit, year, quarter, codes = upload_target(work)
    files = OUT / f"files_{size}"
    files.mkdir(parents=True, exist_ok=True)
    uploads = [write_file(files / f"{unit}_{run}.xlsx", unit, year, quarter, codes, run) for run in range(7 * rounds)]
    print(f"\n{size}: {work} — upload of {unit} FY {year} Q{quarter}, {len(codes)} rows")
    figures: dict[str, Figure] = {}

    def publish(_: int) -> None:
        with db.open_db(work) as con:
            snapshot.publish(con, work)

    def copy_snapshot(_: int) -> None:
        shutil.copyfile(snapshot.snapshot_path(work), OUT / f"copy_{size}.duckdb")

    figures |= interleaved({"snapshot publish (full)": publish, "bare copy of the snapshot file": copy_snapshot},
                           rounds)

    publishes: list[float] = []
    refreshes: list[float] = []
    refresh_table = forecast.refresh_table

    def timed_refresh(con) -> None:
        started = time.perf_counter()
        refresh_table(con)
        refreshes.append(time.perf_counter() - started)

    forecast.refresh_table = timed_refresh

    def page_upload(run: int, timed: bool = True) -> None:  # as dashboard/app_pages/upload.py runs it
        upload = uploads[run]
        with db.open_db(work) as con:
            prepared = prepare_files(con, [(upload.name, upload.read_bytes())])
            assert not prepared[0].problems, prepared[0].problems[:3]
            with db.transaction(con):
                commit_files(con, prepared, "bench", db.uploads_dir(work))
                audit.record(con, "bench", "upload", "success", unit_code=unit, fiscal_year=year, quarter=quarter)
            started, refreshed_before = time.perf_counter(), len(refreshes)
            assert snapshot.publish_after_write(con, work) is None
            if timed:
                publishes.append(time.perf_counter() - started)
            else:
                del refreshes[refreshed_before:]

    in_use = snapshot._in_use

    def page_upload_copying(run: int) -> None:
        """The same upload, its publish copying the published file and patching the copy (as every publish did
        before the double buffer, and as one still does while a reader holds the older file)."""
        snapshot._in_use = lambda path: True
        try:
            page_upload(5 * rounds + run, timed=False)
        finally:
            snapshot._in_use = in_use

    def bare_read(run: int) -> None:
        CalamineWorkbook.from_path(str(uploads[run])).get_sheet_by_index(0).to_python()

    for warm_up in (6 * rounds, 6 * rounds + 1):  # the two publishes after a full one copy the published file
        page_upload(warm_up, timed=False)
    figures |= interleaved({"upload in-process (validate, commit, audit, publish)": page_upload,
                            "the same, its publish copying the snapshot file (before)": page_upload_copying,
                            "bare python-calamine read of the file": bare_read}, rounds)
    forecast.refresh_table = refresh_table
    figures["  of which the publish after the upload"] = Figure("  of which the publish after the upload",
                                                              tuple(publishes))
    upload_times = figures["upload in-process (validate, commit, audit, publish)"].times
    refreshed = tuple(refreshes[-len(publishes):])
    for label, times in (("  of which the forecast refresh in the publish", refreshed),
                         ("upload in-process without the forecast refresh",
                          tuple(total - part for total, part in zip(upload_times, refreshed, strict=True)))):
        figures[label] = Figure(label, times)

    def cli_upload(run: int) -> None:
        process("-m", "pipelines", "--db", str(work), "ingest", str(uploads[rounds + run]), "--by", "bench")

    def cli_upload_without_forecast(run: int) -> None:
        process("-c", WITHOUT_FORECAST, "--db", str(work), "ingest", str(uploads[4 * rounds + run]), "--by", "bench")

    def import_duckdb(_: int) -> None:
        process("-c", "import duckdb")

    def import_cli(_: int) -> None:
        process("-c", "import pipelines.cli")

    figures |= interleaved({"upload through the CLI process": cli_upload,
                            "upload through the CLI process without the forecast refresh": cli_upload_without_forecast,
                            "python -c 'import duckdb'": import_duckdb,
                            "python -c 'import pipelines.cli'": import_cli}, rounds)

    click = "a signed-in click (the overview run again, AppTest)"
    checks = {"viewer session check": session_check, "viewer session check opening the live file (before)":
              session_check_opening_the_live_file, click: signed_in_click(work, session_id)}
    missing = signed_in_click(work, session_id, cache_miss=True)
    figures |= interleaved({f"{name}, no upload running": lambda _, check=check: check(work, session_id)
                            for name, check in (*checks.items(), (f"{click} on a cache miss", missing))}, rounds)
    during: dict[str, list[float]] = {name: [] for name in checks}
    first_after_publish: list[float] = []
    for run in range(rounds):
        worst = dict.fromkeys(checks, 0.0)
        before = published_token(work)
        worker = threading.Thread(target=cli_upload, args=(2 * rounds + run,))
        worker.start()
        published = False
        while worker.is_alive():
            for name, check in checks.items():  # alternating, so all see the same moments of the upload
                started = time.perf_counter()
                try:
                    assert check(work, session_id) is not None
                except db.DatabaseBusy:  # the old check waited the whole BSC_LOCK_WAIT and failed: its worst case
                    pass
                took = time.perf_counter() - started
                if name != click or published_token(work) == before:
                    worst[name] = max(worst[name], took)
                elif not published:  # the click that found the upload's data published: it reads the new data
                    published = True
                    first_after_publish.append(took)
        worker.join()
        for name in checks:
            during[name].append(worst[name])
    for name, times in during.items():
        label = f"{name}, during a CLI upload (worst{', before its publish' if name == click else ''})"
        figures[label] = Figure(label, tuple(times))
    if first_after_publish:
        label = f"{click}, the first after the upload's publish (new data: a cache miss)"
        figures[label] = Figure(label, tuple(first_after_publish))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="demo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    started_load = load()
    figures = measure(args.size, args.rounds)
    report(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"size": args.size, "load_before": round(started_load, 2),
                                         "load_after": round(load(), 2),
                                         "figures": [figure.as_dict() for figure in figures.values()]}, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest figures (issue 2): one 500-row submission vs a bare openpyxl read, and a 200-file batch.

Run: .venv/bin/python bench/ingest.py      (prints the figures; nothing is asserted)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import cli, db  # noqa: E402
from pipelines.ingest import commit_files, prepare_files  # noqa: E402

BIG_KPIS = 500
BATCH_UNITS = 200
KPIS_PER_BATCH_UNIT = 5
RUNS = 9


def write_orgs(path: Path) -> None:
    lines = ["code,name_th,name_en,parent_code,level", "AG,หน่วยงานทดสอบ,Bench agency,,agency",
             "BIG,กองขนาดใหญ่,Big division,AG,division"]
    lines += [f"U{n:03d},กองที่ {n},Division {n},AG,division" for n in range(BATCH_UNITS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_catalogue(path: Path) -> None:
    head = "fiscal_year,kpi_code,name_th,dimension,pmqa,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5"
    lines = [head]
    lines += [f"2568,B-{n:03d},ตัวชี้วัดที่ {n},{n % 4 + 1},{n % 7 + 1},BIG,ร้อยละ,มากดี,numeric,0.2,50,60,70,80,90"
              for n in range(BIG_KPIS)]
    lines += [f"2568,U{u:03d}-{k},ตัวชี้วัด {k},{k % 4 + 1},{k + 1},U{u:03d},วัน,น้อยดี,numeric,20,30,25,20,15,10"
              for u in range(BATCH_UNITS) for k in range(KPIS_PER_BATCH_UNIT)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_submission(path: Path, unit: str, codes: list[str], offset: float) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ผลการดำเนินงาน"
    sheet.append([f"แบบรายงานผลการดำเนินงาน {unit}"])
    sheet.append([])
    sheet.append(["หน่วยงาน", "ปีงบประมาณ", "ไตรมาส", "รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "ผลการดำเนินงาน", "หมายเหตุ"])
    for n, code in enumerate(codes):
        sheet.append([unit, 2568, 2, code, f"ตัวชี้วัดที่ {n}", 55 + (n * 7 + offset) % 40, "หมายเหตุ" if n % 5 else ""])
    book.save(path)


def best_of(runs: int, action) -> float:
    timings = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        timings.append(time.perf_counter() - start)
    return min(timings), statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        database = root / "bsc.duckdb"
        write_orgs(root / "orgs.csv")
        write_catalogue(root / "catalogue.csv")
        assert cli.main(["--db", str(database), "orgs", str(root / "orgs.csv")]) == 0
        assert cli.main(["--db", str(database), "catalogue", str(root / "catalogue.csv")]) == 0

        big_codes = [f"B-{n:03d}" for n in range(BIG_KPIS)]
        big_files = []
        for run in range(RUNS):
            path = root / f"big_{run}.xlsx"
            write_submission(path, "BIG", big_codes, offset=run)
            big_files.append(path)

        bare_best, bare_median = best_of(
            RUNS, lambda run: pd.read_excel(big_files[run], engine="openpyxl", header=2)
        )

        open_close = []

        def ingest_one(run: int) -> None:
            start = time.perf_counter()
            con = db.connect(database)
            opened = time.perf_counter()
            prepared = prepare_files(con, [(big_files[run].name, big_files[run].read_bytes())])
            assert not prepared[0].problems, prepared[0].problems[:3]
            commit_files(con, prepared, "bench", db.uploads_dir(database))
            committed = time.perf_counter()
            con.close()
            open_close.append((opened - start) + (time.perf_counter() - committed))
            # the timer of best_of includes open and close; subtract them for the in-process figure below
            ingest_work.append(committed - opened)

        ingest_work: list[float] = []
        whole_best, whole_median = best_of(RUNS, lambda run: ingest_one(run % len(big_files)))
        work_best, work_median = min(ingest_work), statistics.median(ingest_work)
        print(f"bare pandas.read_excel(engine='openpyxl') of the file: {bare_best * 1000:.0f} ms best "
              f"({bare_median * 1000:.0f} ms median)")
        print(f"(a) one {BIG_KPIS}-row submission validated + committed on an open connection: "
              f"{work_best * 1000:.0f} ms best ({work_median * 1000:.0f} ms median); "
              f"ratio {work_best / bare_best:.2f} (target <= 1.0)")
        print(f"    the same with opening and closing the database file: {whole_best * 1000:.0f} ms best "
              f"({whole_median * 1000:.0f} ms median), ratio {whole_best / bare_best:.2f}; "
              f"open+close alone {min(open_close) * 1000:.0f} ms best")

        batch = []
        for unit in range(BATCH_UNITS):
            path = root / "batch" / f"U{unit:03d}.xlsx"
            path.parent.mkdir(exist_ok=True)
            write_submission(path, f"U{unit:03d}", [f"U{unit:03d}-{k}" for k in range(KPIS_PER_BATCH_UNIT)], unit)
            batch.append(str(path))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pipelines", "--db", str(database), "ingest", *batch,
                               "--by", "bench"], cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        assert done.returncode == 0, done.stderr[-2000:]
        print(f"(b) {BATCH_UNITS} one-unit files through `python -m pipelines ingest`: {elapsed:.2f} s "
              f"({BATCH_UNITS / elapsed:.0f} files/s; target <= 20 s)")


if __name__ == "__main__":
    main()

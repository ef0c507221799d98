"""Ingest figures: one 500-row submission vs a bare python-calamine read of the same file (the reader the product
itself uses), interleaved over rounds (bench/timing.py), and a 200-file batch through the CLI.

Run: .venv/bin/python bench/ingest.py      (prints the figures; nothing is asserted)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import interleaved, report  # noqa: E402

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

        def bare_read(run: int) -> None:
            CalamineWorkbook.from_path(str(big_files[run])).get_sheet_by_index(0).to_python()

        def validate_commit(run: int) -> None:
            con = db.connect(database)
            try:
                prepared = prepare_files(con, [(big_files[run].name, big_files[run].read_bytes())])
                assert not prepared[0].problems, prepared[0].problems[:3]
                commit_files(con, prepared, "bench", db.uploads_dir(database))
            finally:
                con.close()

        print(f"one {BIG_KPIS}-row submission (a new version each round) vs a bare python-calamine read of the file:")
        figures = interleaved({"bare python-calamine read of the file": bare_read,
                               "validate + commit (open and close included)": validate_commit}, RUNS)
        report(figures, baseline="bare python-calamine read of the file")

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

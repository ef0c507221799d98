"""Upload attack figures (issue 9): for every hostile file of tests/security/test_upload_attacks.py, the time the
reader takes to refuse it, and the peak memory of `python -m pipelines ingest` and of its parse worker.

Run: .venv/bin/python bench/attack_uploads.py      (prints a table and the worst figures; nothing is asserted)
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import cli, readers  # noqa: E402

spec = importlib.util.spec_from_file_location("attacks", ROOT / "tests" / "security" / "test_upload_attacks.py")
attacks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(attacks)
SAMPLES = attacks.SAMPLES


def hostile_files() -> dict[str, bytes]:
    """Every hostile input the attack tests build, by name (the suffix is the name it is uploaded under)."""
    a = attacks
    files = {f"far_{name}.xlsx": a.xlsx(sheet, dimension="A1:E3") for name, sheet in a.FAR_AWAY.items()}
    files |= {f"ref_{name}.xlsx": a.xlsx(sheet) for name, sheet in a.BAD_REFERENCES.items()}
    files |= {f"ods_{name}.xlsx": a.ods(rows) for name, rows in a.ODS_BOMBS.items()}
    spaces = ('<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p>'
              "</table:table-cell>")
    files["ods_two_billion_spaces.ods"] = a.ods(a.ODS_HEADER + a.ods_row(a.ods_text("P-01") + spaces))
    shared = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                     + "</row>" for r in range(1, 201))
    files["xlsx_long_shared_string.xlsx"] = a.xlsx(shared, shared_strings=["ก" * 2_000_000])
    files["xlsx_million_rows.xlsx"] = a.million_rows()
    files["xlsx_million_empty_rows.xlsx"] = a.xlsx("<row><c><v>1</v></c></row>" * 9_000 + '<row r="1"/>' * 1_000_000)
    files["csv_20000_rows.csv"] = b"kpi_code,actual\n" + b"P-01,1\n" * 20_000
    files["csv_2000000_columns.csv"] = b"kpi_code,actual" + b"," * 2_000_000 + b"\n"
    files["csv_5001_data_rows.csv"] = ("division,fiscal_year,quarter,kpi_code,actual\n"
                                       + "".join(f"PLAN,2568,2,X-{n},bad\n" for n in range(5001))).encode()
    files["csv_3000_problems.csv"] = ("division,fiscal_year,quarter,kpi_code,actual\n"
                                      + "".join(f"PLAN,2568,2,P-01,bad{n}\n" for n in range(3000))).encode()
    files["xlsx_percent_1e308.xlsx"] = a.xlsx(a.HEADER_ROW + a.plan_row(2, "P-01", a.number("E2", "1e308", ' s="1"')))
    files["csv_two_actual_columns.csv"] = (b"division,fiscal_year,quarter,kpi_code,actual,actual\n"
                                           b"PLAN,2568,2,P-01,70,85\n")
    files["xls_garbage.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    return files


def reader_seconds(name: str, data: bytes) -> float:
    readers.read_sheets("warm.csv", b"a\n")
    start = time.perf_counter()
    try:
        readers.read_sheets(name, data)
    except readers.UnreadableFile:
        pass
    return time.perf_counter() - start


def cli_figures(database: Path, path: Path) -> tuple[float, int, int, int]:
    """(wall seconds, exit code, peak RSS of the CLI process, peak RSS of its parse workers) of one ingest: the
    worker's own VmHWM, or for a worker its memory limit ended RUSAGE_CHILDREN (an upper bound)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", attacks.CHILD, str(database), "ingest", str(path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    peaks = json.loads(re.search(r"PEAKS (\{.*\})", done.stderr)[1])
    return elapsed, done.returncode, peaks["self"], peaks["reported"] or peaks["workers"]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bsc.duckdb"
        assert cli.main(["--db", str(database), "orgs", str(SAMPLES / "orgs_th.csv")]) == 0
        assert cli.main(["--db", str(database), "catalogue", str(SAMPLES / "catalogue_2568_th.csv")]) == 0
        baseline = Path(folder) / "good.csv"
        baseline.write_text("division,fiscal_year,quarter,kpi_code,actual\nPLAN,2568,2,P-01,72.5\n", "utf-8")
        rows = [("(a good one-row file)", baseline.stat().st_size, reader_seconds("good.csv", baseline.read_bytes()),
                 *cli_figures(database, baseline))]
        for name, data in hostile_files().items():
            path = Path(folder) / name
            path.write_bytes(data)
            rows.append((name, len(data), reader_seconds(name, data), *cli_figures(database, path)))
        mib = 2**20
        print(f"{'file':<45} {'bytes':>9} {'reader s':>9} {'cli s':>7} {'exit':>4} {'cli MiB':>8} {'worker MiB':>10}")
        for name, size, reader, wall, code, own, worker in rows:
            print(f"{name:<45} {size:>9,} {reader:>9.2f} {wall:>7.2f} {code:>4} {own / mib:>8.0f} "
                  f"{worker / mib:>10.0f}")
        hostile = rows[1:]
        print(f"worst: reader {max(r[2] for r in hostile):.2f} s, CLI {max(r[3] for r in hostile):.2f} s, "
              f"CLI process peak {max(r[5] for r in hostile) / mib:.0f} MiB, "
              f"parse worker peak {max(r[6] for r in hostile) / mib:.0f} MiB")


if __name__ == "__main__":
    main()

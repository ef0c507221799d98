"""Executive pack figures (issue 14, target ≤ 20 s): the agency's pack of the latest quarter on the 1,000,000-result
benchmark database of bench/make_large_db.py, built (pipelines.report.build_report) and written in each format the
installed renderers offer (pdf when pipelines.report_pdf is present, pptx, xlsx), end to end as
`python -m pipelines report` does it; interleaved over rounds (bench/timing.py), nothing asserted. It runs on a copy
whose year-end forecasts are brought up to date first (as every publish does; not timed), so the "at risk by year
end" section has its projections.

Run: .venv/bin/python bench/report.py [--db bench/out/large_1M.duckdb] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import interleaved, machine, report  # noqa: E402

from bench.make_large_db import ensure_large_db  # noqa: E402
from pipelines import db, forecast, reports  # noqa: E402
from pipelines import report as pack  # noqa: E402

TARGET_SECONDS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the benchmark database (default: built or reused by make_large_db)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    source = args.db or ensure_large_db(1_000_000)
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / source.name
    shutil.copy(source, path)
    with db.open_db(path) as con:
        forecast.refresh_table(con)
    with db.open_db(path, read_only=True) as con:
        year, quarter = reports.default_period(con)
        agency = reports.org_units_tree(con).iloc[0]["code"]
        units = con.execute("SELECT count(*) FROM org_unit").fetchone()[0]
        results = con.execute("SELECT count(*) FROM kpi_result").fetchone()[0]
    formats = pack.available_formats()
    print(f"executive pack of {agency} (FY {year} Q{quarter}) on {path.name}: {results:,} results, {units:,} units; "
          f"{machine()}")
    with db.open_db(path, read_only=True) as con:
        def build(_: int) -> pack.Report:
            return pack.build_report(con, year, quarter, agency)

        def write(fmt: str):
            return lambda run: pack.write_report(build(run), fmt, Path(folder.name) / f"pack_{run}.{fmt}")

        figures = interleaved({"build the Report (8 sections)": build}
                              | {f"build + write {fmt}": write(fmt) for fmt in formats}, args.rounds)
        report(figures)
        sizes = {fmt: (Path(folder.name) / f"pack_0.{fmt}").stat().st_size for fmt in formats}
        at_risk = next(item for item in build(0).sections if item.key == "at_risk")
    folder.cleanup()
    print(f"  at risk by year end: {len(at_risk.table.rows) if at_risk.table else 0} KPIs listed")
    print("  files: " + ", ".join(f"{fmt} {size / 1024:,.0f} KiB" for fmt, size in sizes.items()))
    worst = max(figure.median for name, figure in figures.items() if name.startswith("build + write"))
    print(f"  slowest format median {worst:.2f} s; target ≤ {TARGET_SECONDS:.0f} s: "
          f"{'met' if worst <= TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()

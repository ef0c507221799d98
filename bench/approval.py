"""What the dashboard's switch "include submitted, not yet approved" costs: each page's queries (bench/pages.py's
page_queries, sidebar included) on the published snapshot of a large database, with the approved views of main and
with the schema include_submitted, interleaved (bench/timing.py), and the marker's query.

    .venv/bin/python bench/approval.py --large PATH [--waiting 20] [--rounds 5]

PATH is copied first (bench/out/approval_<name>): the copy gets approval required for its latest fiscal year and
its latest `--waiting` versions of the latest quarter marked waiting for review, as if just submitted, then is
published.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, page_queries  # noqa: E402
from bench.timing import interleaved, load  # noqa: E402
from pipelines import db, queries, read_source, reports, results, snapshot  # noqa: E402

OUT = ROOT / "bench" / "out"


def prepared_copy(source: Path, waiting: int) -> Path:
    target = OUT / f"approval_{source.name}"
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    with db.open_db(target) as con:
        db.migrate(con)
        year, quarter = con.execute("SELECT fiscal_year, quarter FROM submission ORDER BY ALL DESC LIMIT 1").fetchone()
        latest = con.execute("SELECT submission_id, unit_code FROM submissions WHERE is_latest AND fiscal_year = ? "
                             "AND quarter = ? ORDER BY submission_id DESC LIMIT ?", [year, quarter, waiting]).fetchall()
        with db.transaction(con):
            con.execute(queries.UPSERT_APPROVAL_SETTING, [year, True, "bench", "2025-01-01"])
            for submission_id, unit in latest:
                con.execute(queries.INSERT_REVIEW, [submission_id])
                results.refresh_period(con, unit, year, quarter)
            db.bump_generation(con)
        snapshot.publish(con, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, required=True)
    parser.add_argument("--waiting", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    path = prepared_copy(args.large, args.waiting)
    source = read_source.current(path)
    with read_source.connect(source) as con:
        fiscal_year, quarter = reports.periods(con).latest
        units = reports.org_units_tree(con)
        waiting = con.execute("SELECT count(*) FROM include_submitted.waiting_versions").fetchone()[0]
    agency = units.loc[units["level"] == "agency", "code"].iloc[0]
    print(f"{path}: FY {fiscal_year} Q{quarter}, {waiting} versions waiting; load average {load():.2f}")
    print(f"{'page':12} {'approved (main)':>28} {'include_submitted':>28}")

    def run(page: str, include: bool):
        def action(_round: int) -> None:
            with read_source.connect(source, include) as con:
                page_queries(con, page, fiscal_year, quarter, agency)
        return action

    for page in PAGES:
        figures = interleaved({"main": run(page, False), "include": run(page, True)}, args.rounds)
        print(f"{page:12} {figures['main'].ms():>28} {figures['include'].ms():>28}")

    def marker(_round: int) -> None:
        with read_source.connect(source) as con:
            reports.waiting_for_review(con, fiscal_year, quarter, agency)
    print(f"{'marker':12} {interleaved({'marker': marker}, args.rounds)['marker'].ms():>28}")
    print(f"load average {load():.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

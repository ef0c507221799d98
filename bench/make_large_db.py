"""The benchmark databases: a ministry with KPIs down to individuals, scaled by the number of kpi_results rows.

Shape (two fiscal years, 2567 and 2568; FY 2567 reported in all four quarters, FY 2568 in Q1 and Q2), per division:
  6 work groups, 120 individuals (20 per group); each division and group owns 25 KPIs of its own, each individual
  25 of 100 shared individual KPIs, so 3,175 (KPI, owner) pairs a year and 25,400 kpi_results rows per division.
`--rows N` picks the number of divisions (N / 25,400, at least 1): 100k = 4 divisions, 1M = 40 (5,081 units,
1,016,000 rows), 5M = 197 (a ministry of about 200 departments, 5,003,800 rows).
About 8 % of results are left empty (not reported), 1 % of units skip a quarter, 2 % re-submit a version.

The schema comes from `pipelines.db.init_database`; rows are bulk-inserted into the base tables with
`pipelines.db.insert_rows` (ingesting 30,000 files through `pipelines.ingest` would take hours) and every
score and status is computed by `pipelines.scoring`, as ingest does.

    .venv/bin/python bench/make_large_db.py --rows 1M [--out PATH]   # default bench/out/large_1M.duckdb

Measured on the shared 2-core machine: 1M in 6 s (27 MB).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines import db, queries, results  # noqa: E402
from pipelines.domain import DIMENSIONS  # noqa: E402
from pipelines.scoring import score_result, status_of  # noqa: E402

OUT = ROOT / "bench" / "out"
FISCAL_YEARS = (2567, 2568)
REPORTED_QUARTERS = {2567: (1, 2, 3, 4), 2568: (1, 2)}
GROUPS_PER_DIVISION, PEOPLE_PER_GROUP = 6, 20
KPIS_PER_OWNER, SHARED_INDIVIDUAL_KPIS = 25, 100
SEED = 2568
ROWS_PER_DIVISION = (1 + GROUPS_PER_DIVISION + GROUPS_PER_DIVISION * PEOPLE_PER_GROUP) * KPIS_PER_OWNER * 8
"""kpi_results rows per division: its units' (KPI, owner) pairs x 8 reported quarters (25,400)."""


def parse_rows(text: str) -> int:
    """'100k', '1M', '5M' or a plain number."""
    text = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def divisions_for(rows: int) -> int:
    return max(1, round(rows / ROWS_PER_DIVISION))


def label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def default_path(rows: int) -> Path:
    return OUT / f"large_{label(rows)}.duckdb"

ORG_COLUMNS = ["code", "name_th", "name_en", "parent_code", "level", "sort_order"]
SUBMISSION_COLUMNS = [
    "submission_id", "unit_code", "fiscal_year", "quarter", "version", "file_name", "sha256", "row_count",
    "submitted_by", "submitted_at",
]
KINDS = (  # (direction, kind, thresholds, unit of measure)
    ("higher", "numeric", (60.0, 70.0, 80.0, 90.0, 100.0), "ร้อยละ"),
    ("lower", "numeric", (30.0, 25.0, 20.0, 15.0, 10.0), "วัน"),
    ("higher", "milestone", (None, None, None, None, None), "ระดับ"),
    ("higher", "numeric", (1.0, 2.0, 3.0, 4.0, 5.0), "เรื่อง"),
)


def org_units(divisions: int) -> list[tuple]:
    rows = [("MOJ", "สำนักงานปลัดกระทรวงทดสอบ", "Benchmark Ministry Office", None, "agency", 0)]
    for d in range(1, divisions + 1):
        division = f"D{d:03d}" if divisions > 99 else f"D{d:02d}"
        rows.append((division, f"กองทดสอบที่ {d}", f"Division {d}", "MOJ", "division", len(rows)))
        for g in range(1, GROUPS_PER_DIVISION + 1):
            group = f"{division}-G{g}"
            rows.append((group, f"กลุ่มงาน {d}.{g}", f"Work group {d}.{g}", division, "group", len(rows)))
            for p in range(1, PEOPLE_PER_GROUP + 1):
                rows.append((f"{group}-P{p:02d}", f"เจ้าหน้าที่ {d}.{g}.{p}", f"Officer {d}.{g}.{p}", group,
                             "individual", len(rows)))
    return rows


def catalogue(year: int, units: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """KPI rows (queries.KPI_COLUMNS) and owner rows of one fiscal year."""
    dimensions = list(DIMENSIONS)
    kpis, owners = [], []

    def add(code: str, name: str, n: int) -> None:
        direction, kind, thresholds, unit = KINDS[n % len(KINDS)]
        kpis.append((year, code, name, f"Benchmark KPI {code}", dimensions[n % 4], [n % 7 + 1, (n + 3) % 7 + 1],
                     unit, direction, kind, 100 / KPIS_PER_OWNER, *thresholds, None, len(kpis)))

    for code, _, _, _, level, _ in units:
        if level in ("division", "group"):
            for n in range(KPIS_PER_OWNER):
                add(f"{code}-K{n:02d}", f"ตัวชี้วัดของ {code} ข้อ {n + 1}", n)
                owners.append((year, f"{code}-K{n:02d}", code))
    for n in range(SHARED_INDIVIDUAL_KPIS):
        add(f"IND-{n:03d}", f"ตัวชี้วัดรายบุคคล ข้อ {n + 1}", n)
    people = [code for code, *_, level, _ in units if level == "individual"]
    for index, person in enumerate(people):
        first = (index * 7) % SHARED_INDIVIDUAL_KPIS
        for n in range(KPIS_PER_OWNER):
            owners.append((year, f"IND-{(first + n) % SHARED_INDIVIDUAL_KPIS:03d}", person))
    return kpis, owners


def actual_for(rng: random.Random, kind: str, direction: str, thresholds: tuple, quarter: int) -> float | None:
    if rng.random() < 0.08:
        return None
    progress = min(1.0, 0.25 * quarter + rng.uniform(-0.2, 0.15))
    if kind == "milestone":
        return float(max(0, min(5, round(5 * progress + rng.uniform(-1, 1)))))
    low, high = thresholds[0], thresholds[4]
    value = low + (high - low) * (progress + rng.uniform(-0.4, 0.3))
    return round(value, 2) if direction == "higher" else round(max(value, 0.0), 2)


def build_large_db(rows: int = 1_000_000, path: Path | None = None) -> Path:
    """Create the database of about `rows` kpi_results at `path` (default_path(rows); replacing it); returns the
    path."""
    path = path or default_path(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    db.init_database(path)
    rng = random.Random(SEED)
    units = org_units(divisions_for(rows))
    with db.open_db(path) as con, db.transaction(con):
        db.insert_rows(con, "org_unit", ORG_COLUMNS, units)
        submission_id = 0
        for year in FISCAL_YEARS:
            kpis, owners = catalogue(year, units)
            db.insert_rows(con, "kpi", queries.KPI_COLUMNS, kpis)
            db.insert_rows(con, "kpi_owner", queries.KPI_OWNER_COLUMNS, owners)
            definition = {row[1]: row for row in kpis}
            owned: dict[str, list[str]] = {}
            for _, code, owner in owners:
                owned.setdefault(owner, []).append(code)
            for quarter in REPORTED_QUARTERS[year]:
                submissions, values = [], []
                for unit, codes in owned.items():
                    if rng.random() < 0.01:
                        continue
                    versions = 2 if rng.random() < 0.02 else 1
                    for version in range(1, versions + 1):
                        submission_id += 1
                        submissions.append((
                            submission_id, unit, year, quarter, version, f"{unit}_{year}_Q{quarter}.xlsx",
                            f"{submission_id:064x}", len(codes), "bench",
                            f"{year - 543 - (1 if quarter == 1 else 0)}-{(3 * quarter + 9) % 12 or 12:02d}-20 "
                            f"09:{version:02d}:00",
                        ))
                        for code in codes:
                            _, _, _, _, _, _, _, direction, kind, _, *thresholds, _, _ = definition[code]
                            thresholds = tuple(thresholds[:5])
                            actual = actual_for(rng, kind, direction, thresholds, quarter)
                            score = score_result(actual, thresholds, direction, kind)
                            note = "ปัญหา: ผลสะสมต่ำกว่าเกณฑ์ แนวทางแก้ไข: เร่งรัด" if rng.random() < 0.05 else None
                            values.append((submission_id, code, actual, score, status_of(score), note, None, None))
                db.insert_rows(con, "submission", SUBMISSION_COLUMNS, submissions)
                db.insert_rows(con, "submission_value", queries.SUBMISSION_VALUE_COLUMNS, values)
        # the ids above were given, not drawn: move the sequence past them, or the first upload's id is taken
        con.execute("SELECT max(nextval('submission_id')) FROM range(?)", [submission_id])
    with db.open_db(path) as con:
        results.refresh_all(con)  # the rows bypassed ingest, which keeps kpi_result current
        db.bump_generation(con)  # and the data generation, which tells readers the snapshot is behind
        con.execute("CHECKPOINT")
    return path


def ensure_large_db(rows: int = 1_000_000, path: Path | None = None) -> Path:
    """Reuse the file if it already holds the benchmark data of this size, else build it (once: later runs reuse it)."""
    path = path or default_path(rows)
    if path.exists():
        with db.open_db(path, read_only=True) as con:
            if (con.execute("SELECT count(*) FROM kpi_owner").fetchone()[0] == 2 * divisions_for(rows) * 3_175
                    and db.schema_version(con) == db.migration_files()[-1][0]):
                return path
    return build_large_db(rows, path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=parse_rows, default=1_000_000, help="kpi_results rows: 100k, 1M, 5M, ...")
    parser.add_argument("--out", type=Path, default=None, help="the database file (default bench/out/large_<rows>)")
    args = parser.parse_args()
    target = args.out or default_path(args.rows)
    started = time.perf_counter()
    build_large_db(args.rows, target)
    with db.open_db(target, read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
        values = con.execute("SELECT count(*) FROM submission_value").fetchone()[0]
    print(f"{target}: {rows:,} kpi_results rows ({values:,} submitted values) in "
          f"{time.perf_counter() - started:.1f} s")

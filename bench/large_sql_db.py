"""A 1,000,000-row database for the SQL page and snapshot benchmarks, generated in SQL in a few seconds.

250 org units (1 agency, 24 divisions, 225 groups) each own 100 KPIs in each of ten fiscal years
(2559-2568); every unit submits every quarter, so `kpi_results` and `submission_value` have
250 x 100 x 10 x 4 = 1,000,000 rows each.  Scores follow DOMAIN section 6 for thresholds 60/70/80/90/100.
Used when bench/make_large_db.py (the dashboard's generator) is absent.

    python bench/large_sql_db.py [PATH]      # default bench/out/large.duckdb
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines import db  # noqa: E402

DEFAULT_PATH = ROOT / "bench" / "out" / "large.duckdb"
FISCAL_YEARS = range(2559, 2569)
KPIS_PER_UNIT = 100

GENERATE = """
INSERT INTO org_unit
SELECT 'AG', 'หน่วยงานทดสอบ', 'Benchmark agency', NULL, 'agency', 0
UNION ALL
SELECT printf('D%02d', d), printf('กองที่ %d', d), printf('Division %d', d), 'AG', 'division', d
FROM range(1, 25) AS t(d)
UNION ALL
SELECT printf('D%02d-G%d', d, g), printf('กลุ่มงาน %d.%d', d, g), printf('Group %d.%d', d, g),
       printf('D%02d', d), 'group', 100 * d + g
FROM range(1, 25) AS a(d), range(1, 11) AS b(g)
ORDER BY 6
LIMIT 250;

INSERT INTO kpi
SELECT y, printf('%s-K%03d', u.code, n), printf('ตัวชี้วัด %s %d', u.code, n), NULL,
       ['effectiveness', 'service_quality', 'efficiency', 'org_development'][n % 4 + 1],
       [n % 7 + 1], 'ร้อยละ', 'higher', 'numeric', 1.0, 60, 70, 80, 90, 100, NULL, u.sort_order * 1000 + n
FROM org_unit AS u, range($fy_first, $fy_last + 1) AS fy(y), range(1, $kpis + 1) AS k(n);

INSERT INTO kpi_owner SELECT fiscal_year, kpi_code, split_part(kpi_code, '-K', 1) FROM kpi;

INSERT INTO submission (submission_id, unit_code, fiscal_year, quarter, version, file_name, sha256, row_count,
                        submitted_by, submitted_at)
SELECT row_number() OVER (), u.code, y, q, 1, u.code || '.csv', md5(u.code || y || q), $kpis, 'bench',
       make_timestamp(y - 543 - 1, 12, 20, 0, 0, 0) + INTERVAL (q - 1) QUARTER
FROM org_unit AS u, range($fy_first, $fy_last + 1) AS fy(y), range(1, 5) AS qs(q);

INSERT INTO submission_value
WITH v AS (
    SELECT s.submission_id, o.kpi_code,
           round(55 + 50 * (hash(s.submission_id, o.kpi_code) % 1000000) / 1000000.0, 1) AS actual
    FROM submission AS s JOIN kpi_owner AS o ON o.owner_code = s.unit_code AND o.fiscal_year = s.fiscal_year
), scored AS (
    SELECT *, CASE WHEN actual >= 100 THEN 5.0 WHEN actual < 60 THEN 0.0
                   ELSE 1 + (actual - 60) / 10 END AS score
    FROM v
)
SELECT submission_id, kpi_code, actual, score,
       CASE WHEN score >= 3 THEN 'on_track' WHEN score >= 2 THEN 'at_risk' ELSE 'off_track' END,
       NULL, NULL, NULL
FROM scored;
"""


def build_large_db(path: Path) -> Path:
    """Create the database at `path` (replacing it) with the schema of every migration and 1,000,000 results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    with db.open_db(path) as con:
        db.migrate(con)
        sql = (GENERATE.replace("$fy_first", str(FISCAL_YEARS[0])).replace("$fy_last", str(FISCAL_YEARS[-1]))
               .replace("$kpis", str(KPIS_PER_UNIT)))
        with db.transaction(con):
            con.execute(sql)
        con.execute("CHECKPOINT")
    return path


def ensure_large_db(path: Path = DEFAULT_PATH) -> Path:
    """Reuse the file if it already holds 1,000,000 results, else build it."""
    if path.exists():
        with db.open_db(path, read_only=True) as con:
            if con.execute("SELECT count(*) FROM submission_value").fetchone()[0] == 1_000_000:
                return path
    return build_large_db(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    started = time.perf_counter()
    build_large_db(target)
    with db.open_db(target, read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
    print(f"{target}: {rows:,} kpi_results rows in {time.perf_counter() - started:.1f} s")

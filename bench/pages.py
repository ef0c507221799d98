"""Dashboard timings: per page, its data queries and a full AppTest run, on the demo and the 1,000,000-row database.

    .venv/bin/python bench/pages.py                 # both databases (builds them under bench/out/ if absent)
    .venv/bin/python bench/pages.py --only demo     # or --only large
    .venv/bin/python bench/pages.py --large PATH    # another large database (bench/make_large_db.py shape)

Queries: each page's `pipelines.reports` function(s), sidebar included, as the dashboard runs them on a cache miss
(pipelines.read_source: a cursor on the published snapshot, kept open), for the agency and for one division; the
first call (`cold`) and the best of `--repeat` later calls (`best`); `live` is the best of the same reads on a
fresh connection to the live file, opened and closed each time (the fallback when no snapshot is published).
AppTest: the page run through dashboard/app.py signed in as an executive, with the Streamlit cache cleared
(`miss`: every query runs) and again unchanged (`hit`: served from st.cache_data).
Baselines (issue 12), measured in the same round: `raw` is the page's aggregates written directly in SQL over the
base tables (kpi_result, org_unit, kpi, submission; the subtree by a recursive CTE), run on the same snapshot
connection; `bare AppTest` is a script drawing the same number of plotly charts as the page, with no query.
`w/o sidebar` is the page's own queries without the sidebar's filter options (the org tree and the periods, read
on every page), and its ratio to the raw SQL.
Targets (issue 12, at 5M rows): queries <= 100 ms and within 3x the raw SQL; AppTest page run <= 1.0 s.
    .venv/bin/python bench/pages.py --only large --rows 5M --pages kpi,units --no-apptest   # some pages, queries only
Results also go to bench/out/dashboard.json.  The machine's load average is printed: other work on it inflates
every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines import auth, cli, db, read_source, reports, snapshot  # noqa: E402
from pipelines.domain import DIMENSIONS  # noqa: E402

OUT = ROOT / "bench" / "out"
DEMO_PATH = OUT / "demo" / "bsc.duckdb"
BENCH_USER, BENCH_PASSWORD = "bench.exec", "bench-exec-2568"
QUERY_TARGET_MS, APPTEST_TARGET_S = 100, 1.0
PAGES = ("overview", "dimensions", "units", "kpi", "pmqa", "submissions")


def page_queries(con, page: str, fiscal_year: int, quarter: int, unit: str, sidebar: bool = True) -> None:
    """What the page reads on a cache miss, sidebar included (org tree and periods) unless `sidebar` is False: the
    sidebar's read is paid once per publish by the first page run after it, for every session
    (dashboard.data.filter_options; bench/sidebar_options.py), so `w/o sidebar` is what every other run pays."""
    if sidebar:
        reports.filter_options(con)
    if page == "overview":
        reports.overview(con, fiscal_year, quarter, unit)
    elif page == "dimensions":
        reports.dimension_view(con, fiscal_year, quarter, unit, next(iter(DIMENSIONS)))
    elif page == "units":
        reports.unit_scorecard(con, fiscal_year, quarter, unit)
    elif page == "kpi":
        choices = reports.kpi_choices(con, fiscal_year, unit)
        if not choices.empty:
            reports.kpi_detail(con, fiscal_year, unit, choices["kpi_code"].iloc[0])
    elif page == "pmqa":
        reports.pmqa_view(con, fiscal_year, quarter, unit)
    else:
        reports.submission_status(con, fiscal_year, quarter, unit)


_SUBTREE = """WITH RECURSIVE sub(code) AS (
    SELECT CAST(? AS VARCHAR) UNION ALL SELECT o.code FROM org_unit AS o JOIN sub ON o.parent_code = sub.code)"""
_CHILD_TREES = """WITH RECURSIVE tree(root, code) AS (
    SELECT code, code FROM org_unit WHERE parent_code = ?
    UNION ALL SELECT t.root, o.code FROM org_unit AS o JOIN tree AS t ON o.parent_code = t.code)"""
_WEIGHTED = """sum(r.score * r.weight) FILTER (WHERE r.score IS NOT NULL)
    / nullif(sum(r.weight) FILTER (WHERE r.score IS NOT NULL), 0) AS score,
    100 * sum(r.weight) FILTER (WHERE r.score IS NOT NULL) / nullif(sum(r.weight), 0) AS reported_pct"""
_STATUSES = """count(*) AS results, count(*) FILTER (WHERE r.status = 'on_track') AS on_track,
    count(*) FILTER (WHERE r.status = 'at_risk') AS at_risk,
    count(*) FILTER (WHERE r.status = 'off_track') AS off_track,
    count(*) FILTER (WHERE r.status = 'not_reported') AS not_reported"""
_IN_SUB = "r.unit_code IN (SELECT code FROM sub)"
_SCOPE = "(r.unit_code = ? OR (? = 'agency' AND r.unit_code IN (SELECT code FROM sub)))"  # DOMAIN: agency = its tree
_SUBTREE_KPIS = ("SELECT k.kpi_code, k.name_th, k.name_en, k.dimension{extra} FROM kpi AS k WHERE k.fiscal_year = ? "
                 "AND k.kpi_code IN (SELECT kpi_code FROM kpi_owner WHERE fiscal_year = ? AND owner_code IN "
                 "(SELECT code FROM sub)) ORDER BY k.kpi_code")
_FIRST_KPI = ("(SELECT min(kpi_code) FROM kpi_owner WHERE fiscal_year = ? AND owner_code IN (SELECT code FROM sub))")
_CELLS = (f"{_SUBTREE}, cells AS (SELECT r.unit_code, r.quarter, count(*) AS kpis, "
          "count(*) FILTER (WHERE r.status = 'not_reported') AS missing, max(r.version) AS version "
          f"FROM kpi_result AS r WHERE {_IN_SUB} AND r.fiscal_year = ? GROUP BY ALL)")
RAW = {
    "overview": [
        (f"{_SUBTREE} SELECT r.fiscal_year, r.quarter, r.dimension, {_WEIGHTED}, sum(r.weight) FROM kpi_result AS r "
         f"WHERE {_IN_SUB} AND r.fiscal_year BETWEEN ? AND ? GROUP BY ALL", "unit, fy - 1, fy"),
        (f"{_CHILD_TREES} SELECT t.root, r.dimension, {_WEIGHTED} FROM kpi_result AS r JOIN tree AS t "
         "ON r.unit_code = t.code WHERE r.fiscal_year = ? AND r.quarter = ? GROUP BY ALL", "unit, fy, q"),
        (f"SELECT r.dimension, {_WEIGHTED} FROM kpi_result AS r WHERE r.unit_code = ? AND r.fiscal_year = ? "
         "AND r.quarter = ? GROUP BY ALL", "unit, fy, q"),
        (f"{_SUBTREE} SELECT r.unit_code, r.kpi_code, r.score, k.name_th, k.t3 FROM kpi_result AS r "
         f"JOIN kpi AS k USING (fiscal_year, kpi_code) WHERE {_IN_SUB} AND r.fiscal_year = ? AND r.quarter = ? "
         "AND r.status IN ('off_track', 'at_risk') ORDER BY r.score, r.weight DESC, r.unit_code, r.kpi_code LIMIT 10",
         "unit, fy, q"),
    ],
    "dimensions": [
        (f"{_SUBTREE} SELECT {_WEIGHTED}, {_STATUSES} FROM kpi_result AS r WHERE {_IN_SUB} "
         "AND r.fiscal_year = ? AND r.quarter = ? AND r.dimension = 'effectiveness'", "unit, fy, q"),
        (f"{_SUBTREE} SELECT r.unit_code, r.kpi_code, r.actual, r.score, k.name_th, k.t3 FROM kpi_result AS r "
         f"JOIN kpi AS k USING (fiscal_year, kpi_code) WHERE {_IN_SUB} AND r.fiscal_year = ? AND r.quarter = ? "
         "AND r.dimension = 'effectiveness' AND r.score IS NOT NULL ORDER BY r.score, r.unit_code, r.kpi_code "
         "LIMIT 50", "unit, fy, q"),
        (f"{_SUBTREE} SELECT r.kpi_code, r.unit_code FROM kpi_result AS r WHERE {_IN_SUB} AND r.fiscal_year = ? "
         "AND r.quarter = ? AND r.dimension = 'effectiveness' AND r.score IS NULL ORDER BY r.unit_code, r.kpi_code "
         "LIMIT 20", "unit, fy, q"),
        (f"{_SUBTREE} SELECT r.unit_code, 100 * sum(r.weight) FILTER (WHERE r.dimension = 'effectiveness') "
         "/ sum(r.weight), sum(r.score * r.weight) FILTER (WHERE r.dimension = 'effectiveness' AND r.score IS NOT "
         "NULL) / sum(r.weight) FILTER (WHERE r.dimension = 'effectiveness' AND r.score IS NOT NULL) "
         f"FROM kpi_result AS r WHERE {_IN_SUB} AND r.fiscal_year = ? AND r.quarter = ? GROUP BY r.unit_code "
         "ORDER BY r.unit_code LIMIT 40", "unit, fy, q"),
    ],
    "units": [
        ("SELECT r.*, k.name_th, k.t3 FROM kpi_result AS r JOIN kpi AS k USING (fiscal_year, kpi_code) "
         "WHERE r.unit_code = ? AND r.fiscal_year * 4 + r.quarter BETWEEN ? AND ?", "unit, ordinal - 7, ordinal"),
        (f"{_SUBTREE} SELECT r.dimension, {_WEIGHTED} FROM kpi_result AS r WHERE {_SCOPE} AND r.fiscal_year = ? "
         "AND r.quarter = ? GROUP BY ALL", "unit, unit, level, fy, q"),
        ("WITH me AS (SELECT code, parent_code FROM org_unit WHERE code = ?), peers AS (SELECT o.code, o.level FROM "
         "org_unit AS o, me WHERE o.parent_code = me.parent_code OR (me.parent_code IS NULL AND "
         "(o.code = me.code OR o.parent_code = me.code))) "
         f"SELECT p.code, {_WEIGHTED} FROM peers AS p JOIN kpi_result AS r ON r.unit_code = p.code "
         "WHERE p.level <> 'agency' AND r.fiscal_year = ? AND r.quarter = ? GROUP BY p.code UNION ALL "
         f"SELECT p.code, {_WEIGHTED} FROM peers AS p, kpi_result AS r WHERE p.level = 'agency' "
         "AND r.fiscal_year = ? AND r.quarter = ? GROUP BY p.code", "unit, fy, q, fy, q"),
    ],
    "kpi": [
        (f"{_SUBTREE} " + _SUBTREE_KPIS.format(extra=""), "unit, fy, fy"),
        (f"{_SUBTREE} SELECT r.quarter, r.unit_code, r.actual, r.score FROM kpi_result AS r WHERE {_IN_SUB} "
         f"AND r.fiscal_year = ? AND r.kpi_code = {_FIRST_KPI}", "unit, fy, fy"),
        (f"{_SUBTREE} SELECT s.quarter, s.unit_code, s.version, v.actual, v.note FROM submission AS s "
         "JOIN submission_value AS v USING (submission_id) WHERE s.unit_code IN (SELECT code FROM sub) "
         f"AND s.fiscal_year = ? AND v.kpi_code = {_FIRST_KPI}", "unit, fy, fy"),
    ],
    "pmqa": [
        (f"{_SUBTREE}, per_kpi AS (SELECT r.kpi_code, sum(r.weight) AS weight, sum(r.weight * r.score) AS ws, "
         "sum(r.weight) FILTER (WHERE r.score IS NOT NULL) AS sw, bool_or(r.score IS NOT NULL) AS reported "
         f"FROM kpi_result AS r WHERE {_IN_SUB} AND r.fiscal_year = ? AND r.quarter = ? GROUP BY r.kpi_code) "
         "SELECT c.category, count(*), 100 * sum(p.weight) / any_value(t.total), count(*) FILTER (WHERE p.reported), "
         "sum(p.ws) / sum(p.sw) FROM per_kpi AS p JOIN (SELECT kpi_code, unnest(pmqa) AS category FROM kpi "
         "WHERE fiscal_year = ?) AS c USING (kpi_code), (SELECT sum(weight) AS total FROM per_kpi) AS t "
         "GROUP BY c.category", "unit, fy, q, fy"),
        (f"{_SUBTREE} SELECT *, count(*) OVER () FROM (" + _SUBTREE_KPIS.format(extra=", k.pmqa") + ") LIMIT 200",
         "unit, fy, fy"),
    ],
    "submissions": [
        (f"{_CELLS} SELECT quarter, count(*) FILTER (WHERE version IS NULL), count(*) FILTER (WHERE version IS NOT "
         "NULL AND missing > 0), count(*) FILTER (WHERE missing = 0), count(*) FROM cells GROUP BY quarter",
         "unit, fy"),
        (f"{_CELLS}, shown AS (SELECT unit_code FROM cells WHERE quarter = ? ORDER BY version IS NULL DESC, "
         "missing DESC, unit_code LIMIT 60) SELECT c.* FROM cells AS c JOIN shown USING (unit_code)", "unit, fy, q"),
        (f"{_SUBTREE} SELECT r.quarter, {_WEIGHTED} FROM kpi_result AS r WHERE {_IN_SUB} AND r.fiscal_year = ? "
         "GROUP BY r.quarter", "unit, fy"),
    ],
}
"""Per page, the aggregates it shows written directly over the base tables (kpi_result, kpi, kpi_owner, org_unit,
submission, submission_value; the subtree by a recursive CTE), with the order of their parameters: the same
figures, lists and cuts the page's queries read (status counts, the lowest results, the first units, the KPI
picker's options, the PMQA matrix's first KPIs, the submission cells and their counts), not a subset of them."""


def raw_queries(con, page: str, fiscal_year: int, quarter: int, unit: str, level: str = "division") -> None:
    values = {"unit": unit, "fy": fiscal_year, "fy - 1": fiscal_year - 1, "q": quarter, "level": level,
              "ordinal": fiscal_year * 4 + quarter, "ordinal - 7": fiscal_year * 4 + quarter - 7}
    for sql, names in RAW[page]:
        con.execute(sql, [values[name] for name in names.split(", ")]).fetchall()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def query_times(path: Path, page: str, fiscal_year: int, quarter: int, unit: str, repeat: int,
                level: str = "division") -> dict:
    def once() -> None:
        with read_source.connect(read_source.current(path)) as con:
            page_queries(con, page, fiscal_year, quarter, unit)

    def own() -> None:  # the page's own queries, without the sidebar's filter options
        with read_source.connect(read_source.current(path)) as con:
            page_queries(con, page, fiscal_year, quarter, unit, sidebar=False)

    def live() -> None:
        with db.open_db(path, read_only=True) as con:
            page_queries(con, page, fiscal_year, quarter, unit)

    def raw() -> None:
        with read_source.connect(read_source.current(path)) as con:
            raw_queries(con, page, fiscal_year, quarter, unit, level)

    snapshot.publish_file(path)  # so that `cold` is what it claims: the first read after a publish
    cold = timed(once)
    best, best_own, best_raw = float("inf"), float("inf"), float("inf")
    for _ in range(repeat):  # interleaved, so that the load of the moment weighs on all alike
        best = min(best, timed(once))
        best_own = min(best_own, timed(own))
        best_raw = min(best_raw, timed(raw))
    best_live = min(timed(live) for _ in range(repeat))
    return {"cold_ms": round(cold * 1000, 1), "best_ms": round(best * 1000, 1), "live_ms": round(best_live * 1000, 1),
            "own_ms": round(best_own * 1000, 1), "raw_ms": round(best_raw * 1000, 1),
            "ratio_raw": round(best / best_raw, 1), "ratio_own_raw": round(best_own / best_raw, 1)}


def apptest_times(path: Path, page: str, fiscal_year: int, quarter: int, unit: str) -> dict:
    from streamlit.testing.v1 import AppTest

    from dashboard import data

    os.environ["BSC_DB"] = str(path)
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    with db.open_db(path) as con:
        app.session_state["auth_session_id"] = auth.start_session(con, BENCH_USER)
    app.query_params.update({"fy": str(fiscal_year), "q": str(quarter), "unit": unit})
    app.run()
    if page != "overview":
        app.switch_page(f"app_pages/{page}.py")
    data.read_cache_clear()
    miss = timed(app.run)
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].value}")
    hit = timed(app.run)
    charts = len(app.get("plotly_chart"))
    return {"miss_s": round(miss, 3), "hit_s": round(hit, 3), "charts": charts,
            "bare_s": round(bare_apptest(charts), 3)}


BARE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

for index in range({charts}):
    st.plotly_chart(go.Figure(go.Bar(x=[f"unit {{i}}" for i in range(20)], y=list(range(20)))), key=f"c{{index}}")
"""


def bare_apptest(charts: int) -> float:
    """A page drawing `charts` plotly charts of 20 bars and running no query: what Streamlit itself costs."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_string(BARE_PAGE.format(charts=charts), default_timeout=600)
    app.run()
    return min(timed(app.run) for _ in range(3))


def ensure_account(path: Path, username: str, role: str, password: str) -> None:
    """The benchmark's account `username` in the database at `path`, added if absent (no data change: no publish)."""
    with db.open_db(path) as con:
        if auth.get_user(con, username) is None:
            problems = auth.add_user(con, username=username, role=role, password=password, by="bench",
                                     channel="cli")
            if problems:
                raise RuntimeError(str(problems[0]))


def ensure_demo(path: Path) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        if cli.main(["--db", str(path), "demo", "--demo-dir", str(path.parent / "files")]) != 0:
            raise RuntimeError("the demo database could not be built")
    return path


def bench_database(label: str, path: Path, repeat: int, pages: tuple[str, ...] = PAGES,
                   apptest: bool = True) -> list[dict]:
    ensure_account(path, BENCH_USER, "executive", BENCH_PASSWORD)
    if read_source.current(path).kind != "snapshot":
        snapshot.publish_file(path)  # as every write does; a database built by hand has none yet
    with db.open_db(path, read_only=True) as con:
        periods = reports.periods(con)
        units = reports.org_units_tree(con)
        results = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
    fiscal_year, quarter = periods.latest or (periods.fiscal_years[-1], 1)
    agency = units.loc[units["level"] == "agency", "code"].iloc[0]
    division = units.loc[units["level"] == "division", "code"].iloc[0]
    print(f"\n{label}: {path} — {results:,} kpi_results rows, FY {fiscal_year} Q{quarter}")
    print(f"{'page':12} {'unit':6} {'queries cold':>13} {'queries best':>13} {'w/o sidebar':>12} {'raw SQL':>9} "
          f"{'ratio':>6} {'w/o':>5} {'live file':>10} {'AppTest miss':>13} {'AppTest hit':>12} {'bare AppTest':>13}")
    rows = []
    for page in pages:
        for unit, level in ((agency, "agency"), (division, "division")):
            queries = query_times(path, page, fiscal_year, quarter, unit, repeat, level)
            times = apptest_times(path, page, fiscal_year, quarter, unit) if apptest else {}
            row = {"database": label, "rows": results, "page": page, "unit": unit} | queries | times
            rows.append(row)
            flag_q = "" if queries["best_ms"] <= QUERY_TARGET_MS else " !"
            line = (f"{page:12} {unit:6} {queries['cold_ms']:>10.0f} ms {queries['best_ms']:>10.0f} ms{flag_q:2}"
                    f"{queries['own_ms']:>7.0f} ms {queries['raw_ms']:>6.0f} ms {queries['ratio_raw']:>5.1f}x"
                    f"{queries['ratio_own_raw']:>5.1f}x{queries['live_ms']:>7.0f} ms")
            if times:
                flag_a = "" if times["miss_s"] <= APPTEST_TARGET_S else " !"
                line += (f" {times['miss_s']:>10.2f} s{flag_a:2}{times['hit_s']:>9.2f} s"
                         f"{times['bare_s']:>10.2f} s ({times['charts']} charts)")
            print(line)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["demo", "large"])
    parser.add_argument("--demo", type=Path, default=DEMO_PATH)
    parser.add_argument("--large", type=Path, default=None)
    parser.add_argument("--rows", default="1M", help="the large database's size when --large is not given: 1M, 5M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of {', '.join(PAGES)}")
    parser.add_argument("--no-apptest", action="store_true", help="time the queries only")
    parser.add_argument("--json", type=Path, default=OUT / "dashboard.json", help="where the figures are written")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; '!' = over target "
          f"({QUERY_TARGET_MS} ms queries, {APPTEST_TARGET_S} s AppTest)")
    pages = tuple(page.strip() for page in args.pages.split(","))
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}")
    rows = []
    options = {"pages": pages, "apptest": not args.no_apptest}
    if args.only in (None, "demo"):
        rows += bench_database("demo", ensure_demo(args.demo), args.repeat, **options)
    if args.only in (None, "large"):
        from bench.make_large_db import ensure_large_db, parse_rows

        rows += bench_database(args.rows, ensure_large_db(parse_rows(args.rows), args.large), args.repeat, **options)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"\nload average {os.getloadavg()[0]:.2f}; written {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

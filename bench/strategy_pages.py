"""The OKR page's and the strategy map's queries (issue 13) with a strategy of 200 objectives and 1,000 key results
over the 1,000,000-row benchmark database.

    .venv/bin/python bench/strategy_pages.py [--rounds 5] [--json PATH]

A copy of bench/out/large_1M.duckdb (bench/make_large_db.py, built once if absent) gets a FY 2568 strategy through
the product's own path (pipelines.strategy.strategy_workbook -> workflows.load_strategy_file: checked and stored
in one transaction): 4 national strategies, 8 master plans, 16 ministry plans, 32 agency plan items; 200 objectives,
50 per BSC dimension, each owned by a division and serving an agency plan item; 5 key results each, owned by the
division or one of its work groups and measured by two of that unit's KPIs (weights 60 / 40); 300 cause-and-effect
links from each layer to the one above; 100 End Products, each of one objective, with 2-4 contributing units (the
objective's division and other divisions or work groups, each with its part), one of each unit's key results linked,
and 1-3 hand-offs between its units. Then each page's reads as the dashboard runs them on a cache miss (a cursor on
the published snapshot, pipelines.read_source), for the whole agency and for one division: the OKR page
(okr_reports.okr_view), the strategy map (okr_reports.strategy_map, no unit), the End Products page
(strategy_pages.end_products_view), the Alignment page (strategy_pages.alignment_view, and alignment_unserved, its
download) and the PMQA page's 3:1:3 view (strategy_pages.objective_stages, no unit); min / median of interleaved
rounds (bench/timing.py). Target: each <= 100 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from make_large_db import OUT, ensure_large_db  # noqa: E402
from timing import interleaved, load, machine  # noqa: E402

from pipelines import db, okr_reports, read_source, snapshot, strategy_pages, workflows  # noqa: E402
from pipelines.domain import DIMENSIONS, PLAN_LEVELS  # noqa: E402
from pipelines.strategy import strategy_workbook  # noqa: E402

FISCAL_YEAR, QUARTER = 2568, 2
OBJECTIVES, KEY_RESULTS_EACH, LINKS_UP = 200, 5, 2
END_PRODUCTS = 100
TARGET_MS = 100
PATH = OUT / "strategy_1M.duckdb"


def plan_items() -> list[dict[str, object]]:
    """4 national strategies, each with 2 master plans, each with 2 ministry plans, each with 2 agency items."""
    rows: list[dict[str, object]] = []
    parents = [""]
    for depth, level in enumerate(PLAN_LEVELS):
        codes = []
        for parent in parents:
            for _ in range(4 if depth == 0 else 2):
                code = f"{level[:2].upper()}{len(codes) + 1:02d}"
                rows.append({"plan_code": code, "level": level, "name_th": f"แผนทดสอบ {code}",
                             "name_en": f"Benchmark plan {code}", "parent_code": parent})
                codes.append(code)
        parents = codes
    return rows


def strategy_tables(con) -> dict[str, list[dict[str, object]]]:
    """The benchmark strategy over the large database's divisions, work groups and their own KPIs."""
    rng = random.Random(2568)
    owned: dict[str, list[str]] = {}
    for owner, kpi in con.execute("SELECT owner_code, kpi_code FROM kpi_catalogue WHERE fiscal_year = ? "
                                  "AND owner_code NOT LIKE '%-P%' ORDER BY owner_code, kpi_code",
                                  [FISCAL_YEAR]).fetchall():
        owned.setdefault(owner, []).append(kpi)
    divisions = sorted(code for code in owned if "-" not in code)
    plans = plan_items()
    agency_plans = [row["plan_code"] for row in plans if row["level"] == "agency_plan"]
    tables: dict[str, list[dict[str, object]]] = {"plan_items": plans, "objectives": [], "key_results": [],
                                                  "key_result_kpis": [], "objective_links": [], "end_products": [],
                                                  "end_product_units": [], "end_product_key_results": [],
                                                  "handoffs": []}
    layers: list[list[str]] = [[] for _ in DIMENSIONS]
    for n in range(OBJECTIVES):
        code, division = f"O{n + 1:03d}", divisions[n % len(divisions)]
        dimension = list(DIMENSIONS)[n % len(DIMENSIONS)]
        layers[list(DIMENSIONS).index(dimension)].append(code)
        tables["objectives"].append({
            "objective_code": code, "fiscal_year": FISCAL_YEAR, "name_th": f"วัตถุประสงค์ทดสอบที่ {n + 1}",
            "name_en": f"Benchmark objective {n + 1}", "dimension": dimension, "plan_code": rng.choice(agency_plans),
            "thrust": rng.choice(["start", "expand", "elevate", "drive"]), "owner_unit": division})
        for k in range(KEY_RESULTS_EACH):
            result = f"{code}-KR{k + 1}"
            owner = division if k == 0 else f"{division}-G{rng.randint(1, 6)}"
            tables["key_results"].append({
                "key_result_code": result, "objective_code": code, "name_th": f"ผลลัพธ์หลักทดสอบ {result}",
                "name_en": f"Benchmark key result {result}", "owner_unit": owner, "due_quarter": 4})
            for kpi, weight in zip(rng.sample(owned[owner], 2), (60, 40), strict=True):
                tables["key_result_kpis"].append({"key_result_code": result, "kpi_code": kpi, "weight": weight})
    # DIMENSIONS lists effectiveness first: cause runs from each layer to the one listed before it
    for lower, upper in zip(layers[1:], layers[:-1], strict=True):
        for index, code in enumerate(lower):
            for step in range(LINKS_UP):
                tables["objective_links"].append({"from_objective": code,
                                                  "to_objective": upper[(index + step) % len(upper)]})
    end_products(tables, rng)
    return tables


def end_products(tables: dict[str, list[dict[str, object]]], rng: random.Random) -> None:
    """END_PRODUCTS End Products, one per second objective: its division and 1-3 units of other divisions (the
    division or a work group), each contributing with one of its key results, and 1-3 hand-offs between them."""
    held: dict[str, list[str]] = {}
    for row in tables["key_results"]:
        held.setdefault(str(row["owner_unit"]), []).append(str(row["key_result_code"]))
    owners = sorted(held)
    for n in range(END_PRODUCTS):
        objective = tables["objectives"][2 * n % len(tables["objectives"])]
        code, division = f"EP{n + 1:03d}", str(objective["owner_unit"])
        tables["end_products"].append({"end_product_code": code, "objective_code": objective["objective_code"],
                                       "name_th": f"ผลผลิตขั้นสุดท้ายทดสอบ {n + 1}",
                                       "name_en": f"Benchmark End Product {n + 1}"})
        others = [owner for owner in owners if not owner.startswith(division)]
        units = [division, *rng.sample(others, rng.randint(1, 3))]
        for unit in units:
            tables["end_product_units"].append({"end_product_code": code, "unit_code": unit,
                                                "part": f"ส่วนของ {unit} ใน {code}"})
            tables["end_product_key_results"].append({"end_product_code": code,
                                                      "key_result_code": rng.choice(held[unit]),
                                                      "weight": rng.choice([1, 2, 3])})
        for step in range(rng.randint(1, 3)):
            giver, taker = units[step % len(units)], units[(step + 1) % len(units)]
            tables["handoffs"].append({"from_unit": giver, "to_unit": taker, "end_product_code": code,
                                       "what": f"ข้อมูลจาก {giver} ถึง {taker}"})


def build(rows_db: Path) -> tuple[Path, float]:
    """A copy of the 1M database with the benchmark strategy loaded; the seconds the load took."""
    shutil.copy(rows_db, PATH)
    Path(str(PATH) + ".wal").unlink(missing_ok=True)
    with db.open_db(PATH, read_only=True) as con:
        workbook = strategy_workbook(strategy_tables(con))
    started = time.perf_counter()
    loaded = workflows.load_strategy_file(PATH, [("strategy_bench.xlsx", workbook)], by="bench")
    seconds = time.perf_counter() - started
    if not loaded.stored:
        raise SystemExit(f"the benchmark strategy was refused: {loaded.problems[:5]}")
    return PATH, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    path, load_seconds = build(ensure_large_db(1_000_000))
    snapshot.publish_file(path)
    source = read_source.current(path)
    with read_source.connect(source) as con:
        counts = con.execute("SELECT (SELECT count(*) FROM objectives), (SELECT count(*) FROM key_results), "
                             "(SELECT count(*) FROM objective_links), (SELECT count(*) FROM end_products), "
                             "(SELECT count(*) FROM end_product_units), (SELECT count(*) FROM handoffs), "
                             "(SELECT count(*) FROM kpi_results)").fetchone()
        division = con.execute("SELECT min(owner_unit) FROM objectives").fetchone()[0]
        agency = con.execute("SELECT code FROM org_units WHERE level = 'agency'").fetchone()[0]
    print(f"strategy_1M: {counts[0]} objectives, {counts[1]} key results, {counts[2]} links, {counts[3]} End "
          f"Products ({counts[4]} contributing units, {counts[5]} hand-offs) over {counts[6]:,} kpi_results rows; "
          f"load {load_seconds:.1f} s; {machine()}")

    def reader(read):
        def run(_: int) -> None:
            with read_source.connect(source) as con:
                read(con)
        return run

    pages = {"strategy map": reader(lambda con: okr_reports.strategy_map(con, FISCAL_YEAR, QUARTER)),
             "PMQA page, 3:1:3 per objective": reader(lambda con: strategy_pages.objective_stages(con, FISCAL_YEAR))}
    for name, unit in (("the whole agency", agency), (f"division {division}", division)):
        pages |= {
            f"OKR page, {name}": reader(lambda con, unit=unit: okr_reports.okr_view(con, FISCAL_YEAR, QUARTER, unit)),
            f"End Products page, {name}": reader(
                lambda con, unit=unit: strategy_pages.end_products_view(con, FISCAL_YEAR, QUARTER, unit)),
            f"Alignment page, {name}": reader(
                lambda con, unit=unit: strategy_pages.alignment_view(con, FISCAL_YEAR, unit)),
            f"Alignment download, {name}": reader(
                lambda con, unit=unit: strategy_pages.alignment_unserved(con, FISCAL_YEAR, unit)),
        }
    figures = interleaved(pages, rounds=args.rounds)
    print(f"  load average {load():.2f}")
    for figure in figures.values():
        over = " OVER" if figure.best * 1000 > TARGET_MS else ""
        print(f"  {figure.name:<42} {figure.ms()}  (target <= {TARGET_MS} ms{over})")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "load_average": round(load(), 2), "counts": counts,
                                         "strategy_load_s": round(load_seconds, 2),
                                         "figures": [f.as_dict() for f in figures.values()]}, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

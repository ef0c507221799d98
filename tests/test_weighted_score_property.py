"""The weighted score (DOMAIN section 6) has one SQL home, the macros of views.sql (weighted_score,
reported_weight_percent, and the statuses of section 8), authoritative for every stored figure, and one Python
reference, pipelines.scoring.weighted_score, for figures not stored yet (the upload preview). On hundreds of random
organisations, catalogues and submissions, loaded into an in-memory database with the real migrations and views,
the two agree: the views unit_scores and dimension_scores (score, reported weight, provisional, status) and the
dashboard's subtree scores (pipelines.queries.DASHBOARD_SUBTREE_SCORES), for every unit, quarter and dimension."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pytest

from pipelines import db, queries, results, scoring
from pipelines.domain import DIMENSIONS

SEED = 20261129
CASES = 200
BATCH = 25
"""Cases loaded together, each its own organisation and fiscal year, so a batch costs one refresh and one read."""
TOLERANCE = 1e-9
LEVEL_BELOW = {"agency": "division", "division": "group", "group": "individual"}


@dataclass(frozen=True)
class Unit:
    code: str
    parent_code: str | None
    level: str


@dataclass(frozen=True)
class Kpi:
    code: str
    dimension: str
    weight: float
    owners: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    fiscal_year: int
    units: list[Unit]
    kpis: list[Kpi]
    scores: dict[tuple[str, int], dict[str, float | None]]
    """(unit, quarter) -> the latest version's score per KPI it lists (None: listed, left empty); a KPI the latest
    version does not list, and every KPI of a quarter the unit did not submit, is not reported."""
    versions: dict[tuple[str, int], list[dict[str, float | None]]]
    """(unit, quarter) -> every version's scores, oldest first; the last is `scores`."""


def _weight(rng: random.Random) -> float:
    return rng.choice([0.0, 0.0, 1.0, 5.0, 10.0, 12.5, 33.3, 100.0, rng.uniform(0, 40), rng.uniform(0, 1e-3)])


def _score(rng: random.Random) -> float | None:
    return rng.choice([None, None, 0.0, 1.0, 2.0, 3.0, 5.0, rng.uniform(0, 5), rng.uniform(2.9, 3.1)])


def random_case(rng: random.Random, number: int) -> Case:
    """An agency with up to seven units below it, up to ten KPIs with one or two owners, up to three versions of
    each unit's quarter; unit codes and the fiscal year are the case's own."""
    units = [Unit(f"C{number}-AG", None, "agency")]
    for index in range(rng.randint(0, 7)):
        parent = rng.choice([unit for unit in units if unit.level != "individual"])
        units.append(Unit(f"C{number}-U{index}", parent.code, LEVEL_BELOW[parent.level]))
    kpis = [
        Kpi(f"K{index}", rng.choice(list(DIMENSIONS)), _weight(rng),
            tuple(rng.sample([unit.code for unit in units], rng.randint(1, min(2, len(units))))))
        for index in range(rng.randint(1, 10))
    ]
    versions: dict[tuple[str, int], list[dict[str, float | None]]] = {}
    for unit in units:
        owned = [kpi.code for kpi in kpis if unit.code in kpi.owners]
        for quarter in range(1, 5):
            if not owned or rng.random() < 0.3:
                continue  # not submitted: every KPI of the quarter is not reported
            versions[(unit.code, quarter)] = [
                {code: _score(rng) for code in owned if rng.random() < 0.85}  # a KPI left out: not reported
                for _ in range(rng.randint(1, 3))
            ]
    return Case(2400 + number, units, kpis, {key: listed[-1] for key, listed in versions.items()}, versions)


def load(con: duckdb.DuckDBPyConnection, cases: list[Case]) -> None:
    """The cases as ingest would store them (scores given, not computed from actuals), then the kept tables."""
    units = [unit for case in cases for unit in case.units]
    db.insert_rows(con, "org_unit", ["code", "name_th", "parent_code", "level", "sort_order"],
                   [(unit.code, unit.code, unit.parent_code, unit.level, order) for order, unit in enumerate(units)])
    db.insert_rows(con, "kpi", queries.KPI_COLUMNS, [
        (case.fiscal_year, kpi.code, kpi.code, None, kpi.dimension, [], None, "higher", "milestone", kpi.weight,
         None, None, None, None, None, None, order)
        for case in cases for order, kpi in enumerate(case.kpis)
    ])
    db.insert_rows(con, "kpi_owner", queries.KPI_OWNER_COLUMNS,
                   [(case.fiscal_year, kpi.code, owner) for case in cases for kpi in case.kpis for owner in kpi.owners])
    submissions, values = [], []
    for case in cases:
        for (unit_code, quarter), listed in case.versions.items():
            for version, scores in enumerate(listed, start=1):
                submission_id = len(submissions) + 1
                submissions.append(
                    (submission_id, unit_code, case.fiscal_year, quarter, version, "f.csv", "0", len(scores)))
                values += [(submission_id, code, score, score, scoring.status_of(score), None, None, None)
                           for code, score in scores.items()]
    db.insert_rows(con, "submission", ["submission_id", "unit_code", "fiscal_year", "quarter", "version",
                                       "file_name", "sha256", "row_count"], submissions)
    db.insert_rows(con, "submission_value", queries.SUBMISSION_VALUE_COLUMNS, values)
    results.refresh_all(con)


def members(case: Case, scope: str, unit_code: str) -> set[str]:
    """The units whose results count in a scope: 'own' the unit itself, 'subtree' it and every unit below it."""
    if scope == "own":
        return {unit_code}
    found, added = {unit_code}, True
    while added:
        below = {unit.code for unit in case.units if unit.parent_code in found}
        added = bool(below - found)
        found |= below
    return found


def python_results(
    case: Case, units: set[str], quarter: int, dimension: str | None
) -> list[tuple[float, float | None]]:
    """(weight, score) of every result in the set: every owned KPI, not reported where no score is stored."""
    return [
        (kpi.weight, case.scores.get((owner, quarter), {}).get(kpi.code))
        for kpi in case.kpis if dimension in (None, kpi.dimension)
        for owner in kpi.owners if owner in units
    ]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:  # in memory, with every migration and view of the product
        db.migrate(connection)
        yield connection


def sql_scores(con: duckdb.DuckDBPyConnection, cases: list[Case]) -> dict[tuple, tuple]:
    """(source, unit, fiscal year, quarter, dimension or None) -> (score, reported %, provisional, status) as the
    product's SQL gives them; the subtree query leaves the statuses to Python (reports.with_status): None.
    Each batch is loaded in a transaction that is rolled back, so the next starts from the empty schema."""
    own_year = {unit.code: case.fiscal_year for case in cases for unit in case.units}
    found = {}
    con.execute("BEGIN TRANSACTION")
    try:
        load(con, cases)
        for source, dimension in (("unit_scores", "NULL"), ("dimension_scores", "dimension")):
            for unit, year, quarter, dim, *values in con.execute(
                f"SELECT unit_code, fiscal_year, quarter, {dimension}, score, reported_weight_pct, provisional, "  # noqa: S608
                f"status FROM {source}"
            ).fetchall():
                if own_year[unit] == year:  # the agency rows of dimension_scores cover every year of the batch
                    found[(source, unit, year, quarter, dim)] = tuple(values)
        for case in cases:
            for unit in subtree_units(case):
                parameters = {"unit": unit.code, "first_year": case.fiscal_year, "last_year": case.fiscal_year}
                for year, quarter, dim, score, pct, _ in con.execute(
                        queries.DASHBOARD_SUBTREE_SCORES, parameters).fetchall():
                    found[("subtree", unit.code, year, quarter, dim)] = (score, pct, None, None)
    finally:
        con.execute("ROLLBACK")
    return found


def subtree_units(case: Case) -> list[Unit]:
    """The units whose subtree scores are read: the agency and the first unit below it (one query each)."""
    return case.units[:2]


def expected_scores(case: Case) -> dict[tuple, tuple]:
    expected = {}
    sets = [("unit_scores", unit, "subtree" if unit.level == "agency" else "own", (None,)) for unit in case.units]
    sets += [("dimension_scores", unit, "subtree" if unit.level == "agency" else "own", DIMENSIONS)
             for unit in case.units]
    sets += [("subtree", unit, "subtree", (None, *DIMENSIONS)) for unit in subtree_units(case)]
    for source, unit, scope, dimensions in sets:
        units = members(case, scope, unit.code)
        for quarter in range(1, 5):
            for dimension in dimensions:
                pairs = python_results(case, units, quarter, dimension)
                if not pairs and not (source == "dimension_scores" and unit.level == "agency"):
                    continue  # no owned KPI in the set: no row (the agency has all four dimensions)
                score, pct = scoring.weighted_score(pairs)
                provisional, status = scoring.is_provisional(score, pct), scoring.aggregate_status(score, pct)
                expected[(source, unit.code, case.fiscal_year, quarter, dimension)] = (
                    (score, pct, None, None) if source == "subtree" else (score, pct, provisional, status))
    return expected


def test_the_python_reference_and_the_sql_agree_on_random_data(con: duckdb.DuckDBPyConnection) -> None:
    rng = random.Random(SEED)
    cases = [random_case(rng, number) for number in range(CASES)]
    compared = 0
    for start in range(0, CASES, BATCH):
        batch = cases[start:start + BATCH]
        found, expected = sql_scores(con, batch), {}
        for case in batch:
            expected |= expected_scores(case)
        assert found.keys() == expected.keys(), "the same sets have a score"
        for key, (score, pct, provisional, status) in expected.items():
            sql_score, sql_pct, sql_provisional, sql_status = found[key]
            where = f"case {key[1].split('-')[0]} (seed {SEED}): {key}"
            assert (score is None) == (sql_score is None), where
            if score is not None:
                assert sql_score == pytest.approx(score, abs=TOLERANCE, rel=0), where
            assert sql_pct == pytest.approx(pct, abs=TOLERANCE, rel=0), where
            assert (sql_provisional, sql_status) == (provisional, status), where
        compared += len(expected)
    assert compared > 10 * CASES  # every case compares many sets, not a handful


def test_the_random_cases_reach_every_kind_of_set() -> None:
    """The generator is not too tame: the cases include zero and fractional weights, nothing reported, scores
    resting on less than half the weight, and every status."""
    rng = random.Random(SEED)
    statuses, weights = set(), set()
    for number in range(CASES):
        case = random_case(rng, number)
        weights |= {kpi.weight for kpi in case.kpis}
        statuses |= {status for *_, status in expected_scores(case).values() if status}
    assert {"on_track", "at_risk", "off_track", "not_reported", scoring.PROVISIONAL} <= statuses
    assert 0.0 in weights and any(not weight.is_integer() for weight in weights)

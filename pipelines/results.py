"""Keep the tables behind kpi_results, scored_totals and org_tree equal to their views, for what a write changed.

kpi_result holds kpi_results_computed (the latest value of every owned KPI), kpi_result_total its sums per unit,
quarter and dimension (kpi_result_totals_computed, read from kpi_result, so it is refreshed second),
kpi_subtree_total those sums over each unit's subtree (kpi_subtree_totals_computed, read from kpi_result_total and
org_unit_closure, so it is refreshed last: for a unit quarter, only the rows of the unit's ancestors change),
org_unit_closure the org tree's (ancestor, descendant) pairs (org_tree_computed) and org_unit_outline its
depth-first order (org_outline_computed). Called inside the writer's transaction, so readers see the new
submission and its results together or not at all.
"""

from __future__ import annotations

import duckdb

from pipelines import queries

KEPT_TABLES: tuple[tuple[str, str], ...] = (
    ("kpi_result", "kpi_results_computed"),
    ("kpi_result_total", "kpi_result_totals_computed"),
    ("kpi_subtree_total", "kpi_subtree_totals_computed"),
    ("org_unit_closure", "org_tree_computed"),
    ("org_unit_outline", "org_outline_computed"),
)
"""(kept table, the view it must equal): what `python -m pipelines check` compares."""


def refresh_period(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int) -> None:
    """After a new version of one unit's quarter."""
    key = [unit_code, fiscal_year, quarter]
    for statement in (queries.DELETE_RESULTS_OF_PERIOD, queries.INSERT_RESULTS_OF_PERIOD,
                      queries.DELETE_TOTALS_OF_PERIOD, queries.INSERT_TOTALS_OF_PERIOD):
        con.execute(statement, key)
    ancestors = [row[0] for row in con.execute(queries.ANCESTORS_OF_UNIT, [unit_code]).fetchall()]
    for statement in (queries.DELETE_SUBTREE_TOTALS_OF_PERIOD, queries.INSERT_SUBTREE_TOTALS_OF_PERIOD):
        con.execute(statement, {"ancestors": ancestors, "fiscal_year": fiscal_year, "quarter": quarter})


def refresh_year(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> None:
    """After a fiscal year's catalogue changed (KPIs, owners, weights, thresholds)."""
    for statement in (queries.DELETE_RESULTS_OF_YEAR, queries.INSERT_RESULTS_OF_YEAR,
                      queries.DELETE_TOTALS_OF_YEAR, queries.INSERT_TOTALS_OF_YEAR,
                      queries.DELETE_SUBTREE_TOTALS_OF_YEAR, queries.INSERT_SUBTREE_TOTALS_OF_YEAR):
        con.execute(statement, [fiscal_year])


def refresh_org_tree(con: duckdb.DuckDBPyConnection) -> None:
    """After org units were added or moved: the tree, and every subtree's totals (a move changes whose results a
    subtree holds)."""
    _org_tree(con)
    for statement in (queries.DELETE_ALL_SUBTREE_TOTALS, queries.INSERT_ALL_SUBTREE_TOTALS):
        con.execute(statement)


def _org_tree(con: duckdb.DuckDBPyConnection) -> None:
    for statement in (queries.DELETE_ORG_CLOSURE, queries.INSERT_ORG_CLOSURE,
                      queries.DELETE_ORG_OUTLINE, queries.INSERT_ORG_OUTLINE):
        con.execute(statement)


def refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    """After a migration or a bulk load that bypassed ingest (benchmark databases)."""
    _org_tree(con)
    for statement in (queries.DELETE_ALL_RESULTS, queries.INSERT_ALL_RESULTS,
                      queries.DELETE_ALL_TOTALS, queries.INSERT_ALL_TOTALS,
                      queries.DELETE_ALL_SUBTREE_TOTALS, queries.INSERT_ALL_SUBTREE_TOTALS):
        con.execute(statement)

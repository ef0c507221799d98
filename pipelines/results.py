"""Keep the kpi_result table equal to the view kpi_results_computed, for exactly what a write changed.

Called inside the writer's transaction, so readers see the new submission and its results together or not at all.
"""

from __future__ import annotations

import duckdb

from pipelines import queries


def refresh_period(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int) -> None:
    """After a new version of one unit's quarter."""
    key = [unit_code, fiscal_year, quarter]
    con.execute(queries.DELETE_RESULTS_OF_PERIOD, key)
    con.execute(queries.INSERT_RESULTS_OF_PERIOD, key)


def refresh_year(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> None:
    """After a fiscal year's catalogue changed (KPIs, owners, weights, thresholds)."""
    con.execute(queries.DELETE_RESULTS_OF_YEAR, [fiscal_year])
    con.execute(queries.INSERT_RESULTS_OF_YEAR, [fiscal_year])


def refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    """After a migration or a bulk load that bypassed ingest (benchmark databases)."""
    con.execute(queries.DELETE_ALL_RESULTS)
    con.execute(queries.INSERT_ALL_RESULTS)

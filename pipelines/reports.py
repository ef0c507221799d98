"""Read-side functions shared by the CLI and the dashboard: scores and lookups from the public views."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines import queries

SCORE_QUERIES = {
    "unit": queries.SCORES_BY_UNIT,
    "dimension": queries.SCORES_BY_DIMENSION,
    "kpi": queries.SCORES_BY_KPI,
    "pmqa": queries.SCORES_BY_PMQA,
}


def scores(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, by: str = "unit") -> pd.DataFrame:
    """Scores of one fiscal year and quarter, grouped as asked (unit, dimension, kpi or pmqa)."""
    return con.execute(SCORE_QUERIES[by], [fiscal_year, quarter]).df()


def catalogue_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [row[0] for row in con.execute(queries.CATALOGUE_YEARS).fetchall()]


def org_unit(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, str] | None:
    for row in con.execute(queries.SELECT_ORG_UNITS).fetchall():
        if row[0] == code:
            return dict(zip(("code", "name_th", "name_en", "parent_code", "level"), row, strict=True))
    return None


def kpis_owned_by(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int) -> list[dict[str, object]]:
    """The unit's KPIs of the year, in catalogue order, as the template writer wants them."""
    frame = con.execute(queries.KPIS_OWNED_BY, [fiscal_year, unit_code]).df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")

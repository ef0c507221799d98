"""The overview's year-end outlook sums the projections with their KPI's weight and takes the subtree's weight from
kpi_result_total (no join of every result to its projection, docs/scaling.md): its figures are those of every
result of the quarter joined to its projection row by row, computed here in pandas, on the approved views and with
the dashboard's switch "include submitted, not yet approved" while a version waits for review."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pipelines import approval, db, read_source, reports
from tests.test_forecast_pages import QUARTER, YEAR, resubmit


@pytest.fixture
def waiting_db(demo_db: Path) -> Path:
    """The demo with ADR's Q2 version 2 (ADR-05 at 3.5: at risk by year end, tests/test_forecast_pages.py) counted,
    then approval required for FY 2568 and ADR's version 3 (ADR-05 at 0) waiting for review."""
    resubmit(demo_db, "ADR", {"ADR-05": 3.5})
    with db.open_db(demo_db) as con:
        assert approval.set_approval_required(con, YEAR, True, by="admin") == []
    resubmit(demo_db, "ADR", {"ADR-05": 0})
    with db.open_db(demo_db, read_only=True) as con:
        waiting = con.execute("SELECT count(*) FROM submissions WHERE unit_code = 'ADR' AND fiscal_year = ? "
                              "AND quarter = ? AND approval_status = 'submitted'", [YEAR, QUARTER]).fetchone()
    assert waiting == (1,)
    return demo_db


def row_by_row(con, unit: str) -> dict:
    """Every result of the subtree in the quarter with its projection (NULL where none), summed in pandas."""
    rows = con.execute("""
        SELECT r.dimension, r.weight, r.status, f.projected_score, f.projected_status
        FROM kpi_results AS r
        LEFT JOIN kpi_forecasts AS f ON f.fiscal_year = r.fiscal_year AND f.as_of_quarter = r.quarter
              AND f.kpi_code = r.kpi_code AND f.unit_code = r.unit_code
        WHERE r.fiscal_year = ? AND r.quarter = ? AND r.unit_code IN (SELECT unit_code FROM org_tree
                                                                      WHERE ancestor_code = ?)
    """, [YEAR, QUARTER, unit]).df()
    found = {}
    for dimension, part in [(None, rows), *rows.groupby("dimension")]:
        scored = part[part["projected_score"].notna()]
        weight = scored["weight"].sum()
        score = (scored["weight"] * scored["projected_score"]).sum() / weight if weight else math.nan
        found[dimension] = (score, 100 * weight / part["weight"].sum())
    at_risk = rows["status"].isin(["on_track", "at_risk"]) & rows["projected_status"].isin(["at_risk", "off_track"])
    return {"scores": found, "at_risk_count": int(at_risk.sum())}


@pytest.mark.parametrize("include_submitted", [False, True])
@pytest.mark.parametrize("unit", ["OJA", "ADR"])
def test_the_outlook_is_every_results_projection_summed(waiting_db, unit, include_submitted):
    with read_source.connect(read_source.current(waiting_db), include_submitted) as con:
        expected = row_by_row(con, unit)
        outlook = reports.year_end_outlook(con, YEAR, QUARTER, unit)
    overall_score, overall_pct = expected["scores"][None]
    assert outlook.score == pytest.approx(overall_score)
    assert outlook.projected_weight_pct == pytest.approx(overall_pct)
    by_dimension = outlook.dimensions.set_index("dimension")
    for dimension, (score, pct) in expected["scores"].items():
        if dimension is not None:
            assert by_dimension.loc[dimension, "score"] == pytest.approx(score, nan_ok=True)
            assert by_dimension.loc[dimension, "projected_weight_pct"] == pytest.approx(pct)
    assert outlook.at_risk_count == expected["at_risk_count"] >= 1  # ADR-05
    assert len(outlook.at_risk) == min(expected["at_risk_count"], reports.FORECAST_AT_RISK_LIMIT)

"""The public analyst views keep their promises (docs/guides/analyst.md, docs/reference/views.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import db as database
from pipelines import reports


def fetch(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_kpi_catalogue_pmqa_is_a_list_of_integers(sample_db: Path) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE kpi_catalogue)").fetchall())
    assert types["pmqa"] == "INTEGER[]" and types["fiscal_year"] == "INTEGER"


def test_kpi_results_has_every_owned_kpi_in_every_quarter(sample_db: Path) -> None:
    rows = fetch(sample_db, "SELECT quarter, count(*), count(score) FROM kpi_results GROUP BY quarter ORDER BY 1")
    assert rows == [(1, 3, 1), (2, 3, 3), (3, 3, 0), (4, 3, 0)]
    unsubmitted = fetch(sample_db, "SELECT status, version FROM kpi_results WHERE quarter = 1 AND unit_code = 'LAW'")
    assert unsubmitted == [("not_reported", None)]


def test_agency_has_a_row_per_dimension_even_without_kpis(sample_db: Path) -> None:
    rows = fetch(sample_db, "SELECT dimension, round(score, 4), reported_weight_pct FROM dimension_scores "
                            "WHERE unit_code = 'AG' AND quarter = 2 ORDER BY dimension")
    assert rows == [("effectiveness", 3.25, 100.0), ("efficiency", 2.6667, 100.0),
                    ("org_development", None, 0.0), ("service_quality", 3.0, 100.0)]


def test_nothing_reported_gives_null_score_and_zero_reported_weight(sample_db: Path) -> None:
    rows = fetch(sample_db, "SELECT unit_code, score, reported_weight_pct FROM unit_scores WHERE quarter = 4 "
                            "ORDER BY unit_code")
    assert rows == [("AG", None, 0.0), ("LAW", None, 0.0), ("PLAN", None, 0.0)]


def test_pmqa_coverage_always_has_seven_rows_and_shows_gaps(sample_db: Path) -> None:
    rows = fetch(sample_db, "SELECT category, kpi_count, weight_share_pct, reported_count, round(score, 4) "
                            "FROM pmqa_coverage WHERE fiscal_year = 2568 AND quarter = 2 ORDER BY category")
    assert rows == [
        (1, 1, 50.0, 1, 3.0), (2, 1, 30.0, 1, 3.25), (3, 0, 0.0, 0, None), (4, 1, 20.0, 1, 2.6667),
        (5, 0, 0.0, 0, None), (6, 1, 50.0, 1, 3.0), (7, 1, 30.0, 1, 3.25),
    ]
    counts = fetch(sample_db, "SELECT quarter, count(*) FROM pmqa_coverage GROUP BY quarter ORDER BY quarter")
    assert counts == [(1, 7), (2, 7), (3, 7), (4, 7)]


def test_agency_score_weights_every_result_in_the_tree(sample_db: Path) -> None:
    (score,) = fetch(sample_db, "SELECT score FROM unit_scores WHERE unit_code = 'AG' AND quarter = 2")[0]
    assert score == pytest.approx((60 * 3.25 + 40 * (2 + 2 / 3) + 100 * 3) / 200)


@pytest.mark.parametrize("by,view,columns,order", [
    ("unit", "unit_scores", "unit_code, score, reported_weight_pct", ["AG", "PLAN", "LAW"]),
    ("dimension", "dimension_scores", "unit_code, dimension, score, reported_weight_pct",
     ["AG", "AG", "AG", "AG", "PLAN", "PLAN", "LAW"]),
    ("kpi", "kpi_results", "unit_code, kpi_code, actual, score, weight, status, version", ["PLAN", "PLAN", "LAW"]),
    ("pmqa", "pmqa_coverage", "category, kpi_count, weight_share_pct, reported_count, score", [1, 2, 3, 4, 5, 6, 7]),
])
def test_scores_by_every_grouping_come_from_the_views(
    sample_db: Path, by: str, view: str, columns: str, order: list
) -> None:
    """What `bsc scores --by` prints is every row of its view for the quarter, agency first, then in org order."""
    with database.open_db(sample_db, read_only=True) as con:
        frame = reports.scores(con, 2568, 2, by)[[name.strip() for name in columns.split(",")]]
    printed = list(map(tuple, frame.astype(object).where(frame.notna(), None).values.tolist()))
    assert [row[0] for row in printed] == order
    in_view = fetch(sample_db, f"SELECT {columns} FROM {view} WHERE fiscal_year = 2568 AND quarter = 2")
    assert sorted(printed, key=repr) == sorted(in_view, key=repr)


def test_init_is_idempotent_and_records_schema_version(sample_db: Path) -> None:
    assert database.init_database(sample_db) == []
    versions = fetch(sample_db, "SELECT version, name FROM schema_version ORDER BY version")
    assert versions[0] == (1, "001_initial.sql")


def test_materialised_kpi_results_equal_the_derivation_after_every_kind_of_write(sample_db: Path, tmp_path) -> None:
    """kpi_result and kpi_result_total are refreshed by ingest and catalogue loads, org_unit_closure and
    org_unit_outline by org loads;
    they must never drift from their derivations (kpi_results_computed, kpi_result_totals_computed,
    org_tree_computed)."""
    from tests.support import run_cli

    def drift() -> list[tuple]:
        pairs = (("kpi_results", "kpi_results_computed"), ("kpi_result_total", "kpi_result_totals_computed"),
                 ("org_tree", "org_tree_computed"), ("org_unit_outline", "org_outline_computed"))
        return [row for table, view in pairs for row in fetch(
            sample_db, f"(SELECT * FROM {table} EXCEPT ALL SELECT * FROM {view}) "
                       f"UNION ALL (SELECT * FROM {view} EXCEPT ALL SELECT * FROM {table})")]

    assert drift() == []
    fixed = tmp_path / "law_q2.csv"
    fixed.write_text("division,fiscal_year,quarter,kpi_code,actual\nLAW,2568,2,L-01,5\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(fixed)) == 0
    assert drift() == []
    catalogue = tmp_path / "cat.csv"
    catalogue.write_text(
        "fiscal_year,kpi_code,name_th,dimension,pmqa,owner,unit,direction,kind,weight,t1,t2,t3,t4,t5\n"
        "2568,P-01,x,1,,PLAN,ร้อยละ,higher,numeric,50,60,65,70,75,80\n"
        "2568,P-02,y,3,4,PLAN,วัน,lower,numeric,50,20,17,14,11,8\n"
        "2568,L-01,z,2,,LAW,ระดับ,higher,milestone,100,,,,,\n", encoding="utf-8")
    assert run_cli(sample_db, "catalogue", str(catalogue)) == 0
    assert drift() == []
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("code,name_th,name_en,parent_code,level\nPLAN-1,กลุ่มงานแผน,Plan group,PLAN,group\n"
                    "LAW,กองกฎหมาย,Legal Division,PLAN,division\n", encoding="utf-8")
    assert run_cli(sample_db, "orgs", str(orgs)) == 0
    assert drift() == []
    assert fetch(sample_db, "SELECT unit_code FROM org_tree WHERE ancestor_code = 'PLAN' ORDER BY ALL") == [
        ("LAW",), ("PLAN",), ("PLAN-1",)]
    assert fetch(sample_db, "SELECT weight FROM kpi_results WHERE kpi_code = 'P-01' AND quarter = 1") == [(50.0,)]


def test_scores_from_totals_equal_the_weighted_mean_over_scored_results(demo_db: Path) -> None:
    """unit_scores and dimension_scores add up kpi_result_total; summed per result (DOMAIN section 6) over
    scored_results they must give the same scores and reported weights, for every unit and quarter."""
    by_result = """
        SELECT fiscal_year, quarter, scope_code AS unit_code{dim},
               round(sum(weight * score) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0), 9),
               round(coalesce(100 * sum(weight) FILTER (WHERE score IS NOT NULL) / nullif(sum(weight), 0), 0), 9)
        FROM scored_results GROUP BY ALL ORDER BY ALL"""
    from_view = "SELECT fiscal_year, quarter, unit_code{dim}, round(score, 9), round(reported_weight_pct, 9) " \
                "FROM {view} {where} ORDER BY ALL"
    expected_units = fetch(demo_db, by_result.format(dim=""))
    assert len(expected_units) > 50
    assert fetch(demo_db, from_view.format(dim="", view="unit_scores", where="")) == expected_units
    expected_dimensions = fetch(demo_db, by_result.format(dim=", dimension"))  # the demo uses all four dimensions
    assert fetch(demo_db, from_view.format(dim=", dimension", view="dimension_scores", where="")) == expected_dimensions

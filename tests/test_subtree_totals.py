"""The kept table kpi_subtree_total (migration 015): each unit's subtree summed per quarter and dimension. It must
equal the same sums computed straight from kpi_result over the org tree after every write that changes a subtree or
its results (uploads, re-uploads, approvals and returns, unit moves, catalogue reloads), in the live file and in the
snapshot the publish after an upload patches; and `check` must find it equal to its view."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from accounts_support import add_accounts, filled_template, query
from test_snapshot_incremental import full_copies, ingest, q2_file  # noqa: F401 (full_copies is a fixture)

from pipelines import approval, auth, cli, db, reports, snapshot, workflows

pytestmark = pytest.mark.usefixtures("fast_hashing")

FROM_RESULTS = """
WITH RECURSIVE tree(ancestor_code, unit_code) AS (  -- the org tree from org_unit itself, not the kept closure
    SELECT code, code FROM org_unit
    UNION ALL
    SELECT tree.ancestor_code, child.code FROM tree JOIN org_unit AS child ON child.parent_code = tree.unit_code
)
SELECT r.fiscal_year, r.quarter, t.ancestor_code, r.dimension, count(*),
       round(sum(r.weight), 9), round(coalesce(sum(r.weight) FILTER (WHERE r.score IS NOT NULL), 0), 9),
       round(sum(r.weight * r.score), 9),
       count(*) FILTER (WHERE r.status = 'on_track'), count(*) FILTER (WHERE r.status = 'at_risk'),
       count(*) FILTER (WHERE r.status = 'off_track'), count(*) FILTER (WHERE r.status = 'not_reported')
FROM {schema}.kpi_results AS r JOIN tree AS t ON t.unit_code = r.unit_code
GROUP BY ALL ORDER BY ALL
"""
KEPT = """
SELECT fiscal_year, quarter, unit_code, dimension, result_count, round(weight, 9), round(scored_weight, 9),
       round(weighted_sum, 9), on_track_count, at_risk_count, off_track_count, not_reported_count
FROM {schema}.kpi_subtree_total ORDER BY ALL
"""


def sums(con: duckdb.DuckDBPyConnection, sql: str, schema: str = "main") -> list[tuple]:
    return con.execute(sql.format(schema=schema)).fetchall()


def assert_kept(db_path: Path) -> list[tuple]:
    """The kept table equals the sums from kpi_result, in the live file and in the snapshot; `check` agrees."""
    with db.open_db(db_path, read_only=True) as con:
        kept, expected = sums(con, KEPT), sums(con, FROM_RESULTS)
    assert kept == expected and kept
    with duckdb.connect(str(snapshot.snapshot_path(db_path)), read_only=True) as con:
        assert sums(con, KEPT) == kept
    assert cli.main(["--db", str(db_path), "check"]) == 0
    return kept


def subtree_row(db_path: Path, unit: str, quarter: int = 2) -> tuple:
    """The unit's subtree in one quarter, its dimensions added up: results, weight, weighted sum."""
    return query(db_path, "SELECT sum(result_count), round(sum(weight), 9), round(sum(weighted_sum), 9) "
                          "FROM kpi_subtree_total WHERE unit_code = ? AND fiscal_year = 2568 AND quarter = ?",
                 [unit, quarter])[0]


def test_a_new_database_fills_it_and_uploads_and_reuploads_keep_it(sample_db: Path, tmp_path: Path,
                                                                    full_copies: list[Path]) -> None:  # noqa: F811
    before = assert_kept(sample_db)
    assert ingest(sample_db, q2_file(tmp_path, 95)) == 0  # PLAN Q2 again: version 2
    assert full_copies == []  # the publish patched the quarter's rows, kept totals included
    after = assert_kept(sample_db)
    assert after != before
    assert ingest(sample_db, q2_file(tmp_path, 40, 30)) == 0  # and version 3
    assert assert_kept(sample_db) != after
    # the agency's subtree holds both divisions; PLAN's only its own KPIs
    assert subtree_row(sample_db, "AG")[0] == subtree_row(sample_db, "PLAN")[0] + subtree_row(sample_db, "LAW")[0]


def test_approvals_and_returns_keep_it_and_the_switch_counts_waiting_versions(sample_db: Path) -> None:
    add_accounts(sample_db)
    with db.open_db(sample_db) as con:
        assert approval.set_approval_required(con, 2568, True, by="admin") == []
    approved = assert_kept(sample_db)

    def submit(p01: float) -> int:
        data = filled_template(sample_db, "PLAN", 2568, 2, {"P-01": p01, "P-02": 15})
        stored = workflows.submit_files(sample_db, [(f"plan_q2_{p01}.xlsx", data)], by="plan.head", channel="web")
        assert not stored.problems and stored.snapshot_error is None
        return stored.outcomes[0].submission_id

    def waiting_included() -> tuple[list[tuple], list[tuple]]:
        with db.open_db(sample_db, read_only=True) as con:
            return sums(con, KEPT, db.INCLUDE_SUBMITTED), sums(con, FROM_RESULTS, db.INCLUDE_SUBMITTED)

    first = submit(20)
    assert assert_kept(sample_db) == approved  # a version waiting for review changes no approved figure
    kept, expected = waiting_included()
    assert kept == expected and kept != approved  # the switch "include submitted, not yet approved" counts it
    reviewer = _user(sample_db, "rev")
    assert approval.return_submission(sample_db, first, {"P-01": "ตรวจสอบอีกครั้ง"}, user=reviewer).problems == []
    assert assert_kept(sample_db) == approved
    second = submit(88)
    assert approval.approve_submission(sample_db, second, user=reviewer).problems == []
    now = assert_kept(sample_db)
    assert now != approved
    kept, expected = waiting_included()
    assert kept == expected == now  # nothing waits: the switch reads the kept table as it is


def _user(db_path: Path, username: str) -> auth.User:
    with db.open_db(db_path, read_only=True) as con:
        return auth.get_user(con, username)


def test_a_unit_moved_under_another_moves_its_totals(sample_db: Path, tmp_path: Path) -> None:
    agency, plan, law = (subtree_row(sample_db, unit) for unit in ("AG", "PLAN", "LAW"))
    moved = tmp_path / "orgs_moved.csv"
    moved.write_text("code,name_th,name_en,parent_code,level\nLAW,กองกฎหมาย,Legal Division,PLAN,division\n",
                     encoding="utf-8")
    assert cli.main(["--db", str(sample_db), "orgs", str(moved)]) == 0
    assert_kept(sample_db)
    assert subtree_row(sample_db, "LAW") == law and subtree_row(sample_db, "AG") == agency
    assert subtree_row(sample_db, "PLAN")[0] == plan[0] + law[0]  # PLAN's subtree now holds LAW's results


def test_a_catalogue_reload_keeps_it(sample_db: Path, tmp_path: Path, samples_dir: Path) -> None:
    before = assert_kept(sample_db)
    text = (samples_dir / "catalogue_2568_th.csv").read_text(encoding="utf-8")
    reweighted = tmp_path / "catalogue_2568_reweighted.csv"
    reweighted.write_text(text.replace("น้อยดี,numeric,40,", "น้อยดี,numeric,10,"), encoding="utf-8")
    assert cli.main(["--db", str(sample_db), "catalogue", str(reweighted)]) == 0
    assert assert_kept(sample_db) != before  # P-02 weighs 10 now, in PLAN's and the agency's sums


def test_a_database_before_015_gets_it_filled_by_the_migration(sample_db: Path) -> None:
    expected = assert_kept(sample_db)
    with db.open_db(sample_db) as con:
        con.execute("DROP TABLE kpi_subtree_total")
        con.execute("DELETE FROM schema_version WHERE version >= 15")
    with db.open_db(sample_db) as con:
        assert "015_subtree_totals.sql" in db.migrate(con)
        assert sums(con, KEPT) == expected


def test_the_pages_read_the_same_scores_from_it(sample_db: Path) -> None:
    """The overview's and the submission page's subtree scores are the weighted averages of kpi_result."""
    score_sql = ("SELECT sum(weight * score) / sum(weight) FILTER (WHERE score IS NOT NULL) FROM kpi_results "
                 "WHERE fiscal_year = 2568 AND quarter = 2")
    (expected,), = query(sample_db, score_sql)
    with db.open_db(sample_db, read_only=True) as con:
        overview = reports.overview(con, 2568, 2, "AG")
        status = reports.submission_status(con, 2568, 2, "AG")
        dimension = reports.dimension_view(con, 2568, 2, "AG", "effectiveness")
        (effectiveness,), = con.execute(score_sql + " AND dimension = 'effectiveness'").fetchall()
    assert overview.score == pytest.approx(expected, abs=1e-9)
    assert status.reported.set_index("quarter")["score"][2] == pytest.approx(expected, abs=1e-9)
    assert dimension.score == pytest.approx(effectiveness, abs=1e-9)


def test_the_dimensions_page_draws_the_first_units_and_downloads_them_all(monkeypatch: pytest.MonkeyPatch,
                                                                          demo_db: Path) -> None:
    from test_dashboard_pages import figures, open_page

    monkeypatch.setattr(reports, "DIMENSION_UNITS", 3)
    with db.open_db(demo_db, read_only=True) as con:
        every = reports.dimension_weights(con, 2568, 2, "OJA", "effectiveness")
        view = reports.dimension_view(con, 2568, 2, "OJA", "effectiveness")
    assert view.unit_count == len(every) > 3
    assert list(view.weight_by_unit["unit_code"]) == list(every["unit_code"][:3])
    assert list(view.weight_by_unit.columns) == list(every.columns)
    app = open_page(monkeypatch, demo_db, "dimensions", lang="en", fy="2568", q="2", unit="OJA")
    assert any(f"first 3 of {len(every)}" in caption.value for caption in app.caption)
    assert len(figures(app)[-1]["data"][0]["y"]) == 3

"""Example queries answer real questions on the demo; each user's saved queries and last 50 queries are their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines import saved_queries, snapshot, sqlconsole
from pipelines.saved_queries import EXAMPLES
from tests.sql_page_support import sql_page, sql_page_site

THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(scope="module")
def demo_snapshot(demo_db_template: Path) -> Path:
    """The demo's snapshot (the demo command publishes it beside the database)."""
    path = snapshot.snapshot_path(demo_db_template)
    assert path.exists()
    return path


@pytest.mark.usefixtures("fast_hashing")
@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_page_offers_every_example_once_titled_in_the_readers_language(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    app = sql_page(sql_page_site(sample_db, monkeypatch), lang=lang)
    offered = app.selectbox(key="sql_example_pick").options
    assert offered == [example.title_th if lang == "th" else example.title_en for example in EXAMPLES]
    assert len(set(offered)) == len(EXAMPLES) and all(title.strip() for title in offered)
    assert [bool(THAI.search(title)) for title in offered] == [lang == "th"] * len(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.title_en for example in EXAMPLES])
def test_each_example_runs_on_the_demo_and_answers_with_rows(demo_snapshot: Path, example) -> None:
    result = sqlconsole.run_query(demo_snapshot, example.sql)
    assert isinstance(result, sqlconsole.QueryResult), result.message
    assert result.row_count > 0


def test_pmqa_example_shows_all_seven_categories_gaps_included(demo_snapshot: Path) -> None:
    pmqa = next(example for example in EXAMPLES if example.title_en.startswith("PMQA"))
    frame = sqlconsole.run_query(demo_snapshot, pmqa.sql).frame()
    assert frame["category"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert (frame["coverage_gap"] == (frame["kpi_count"] == 0)).all()


def test_falling_scores_example_finds_only_four_consecutive_falling_quarters(demo_snapshot: Path) -> None:
    falling = next(example for example in EXAMPLES if "fell" in example.title_en)
    frame = sqlconsole.run_query(demo_snapshot, falling.sql).frame()
    for row in frame.itertuples():
        assert row.three_before > row.two_before > row.one_before > row.now


def test_saving_under_the_same_title_replaces_and_users_do_not_see_each_other(sample_db: Path) -> None:
    saved_queries.save_query(sample_db, "ana", "  late units ", "SELECT 1")
    saved_queries.save_query(sample_db, "ana", "late units", "SELECT 2")
    saved_queries.save_query(sample_db, "ana", "Agency", "SELECT 3")
    saved_queries.save_query(sample_db, "admin", "late units", "SELECT 4")
    mine = saved_queries.saved_queries(sample_db, "ana")
    assert [(item.title, item.sql) for item in mine] == [("Agency", "SELECT 3"), ("late units", "SELECT 2")]
    saved_queries.delete_saved_query(sample_db, "ana", "late units")
    assert [item.title for item in saved_queries.saved_queries(sample_db, "ana")] == ["Agency"]
    assert [item.sql for item in saved_queries.saved_queries(sample_db, "admin")] == ["SELECT 4"]


@pytest.mark.parametrize("title,sql", [("", "SELECT 1"), ("   ", "SELECT 1"), ("x", "  ")])
def test_a_saved_query_needs_a_title_and_sql(sample_db: Path, title: str, sql: str) -> None:
    with pytest.raises(ValueError):
        saved_queries.save_query(sample_db, "ana", title, sql)


def test_history_keeps_each_users_newest_fifty_runs(sample_db: Path) -> None:
    for number in range(60):
        saved_queries.record_run(sample_db, "ana", f"SELECT {number}", "ok", 1, number)
    saved_queries.record_run(sample_db, "admin", "SELECT 'admin'", "refused", None, None)
    runs = saved_queries.history(sample_db, "ana")
    assert len(runs) == saved_queries.HISTORY_LENGTH == 50
    assert runs[0].sql == "SELECT 59" and runs[-1].sql == "SELECT 10"
    assert [(run.sql, run.outcome) for run in saved_queries.history(sample_db, "admin")] == [
        ("SELECT 'admin'", "refused")]

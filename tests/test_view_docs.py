"""Every public view is documented column by column, and docs/reference/views.md is that documentation."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from pipelines import db, snapshot, sqlconsole
from pipelines.view_docs import ADMIN_ONLY_VIEWS, INTERNAL_VIEWS, PUBLIC_VIEWS, VIEW_DOCS, reference_markdown

VIEWS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "reference" / "views.md"


def views_in_files() -> list[str]:
    return re.findall(r"CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)", db.views_sql(), flags=re.IGNORECASE)


def test_every_view_in_the_view_files_is_documented_admin_only_or_internal() -> None:
    known = {*VIEW_DOCS, *ADMIN_ONLY_VIEWS, *INTERNAL_VIEWS}
    undocumented = [view for view in views_in_files() if view not in known]
    assert undocumented == [], "document these in pipelines/view_docs.py (they are left out of the snapshot)"


def test_documented_views_follow_the_dependency_order_of_the_files(sample_db: Path) -> None:
    in_files = [view for view in views_in_files() if view in VIEW_DOCS]
    assert list(PUBLIC_VIEWS) == in_files
    # ... and readers meet them in that order: the reference page and the SQL page's schema browser
    assert re.findall(r"^## `(\w+)`$", reference_markdown(), flags=re.MULTILINE) == in_files
    browsed = sqlconsole.schema(snapshot.snapshot_path(sample_db))
    assert list(dict.fromkeys(column.view for column in browsed)) == in_files


@pytest.mark.parametrize("view", PUBLIC_VIEWS)
def test_documented_columns_are_the_views_columns_in_order(sample_db: Path, view: str) -> None:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        columns = [row[0] for row in con.execute(f"DESCRIBE {view}").fetchall()]
    assert list(VIEW_DOCS[view].columns) == columns
    assert all(text.strip() and "\n" not in text for text in VIEW_DOCS[view].columns.values())


def test_reference_has_a_table_per_view_and_a_row_per_column() -> None:
    text = reference_markdown()
    for view in VIEW_DOCS.values():
        assert f"## `{view.name}`\n{view.summary}\n" in text
        for column, meaning in view.columns.items():
            assert f"| `{column}` | {meaning} |" in text
    assert "audit_log" not in text


def test_the_views_page_is_the_generated_reference() -> None:
    """docs/reference/views.md ends with `python -m pipelines.view_docs` verbatim (its first lines are by hand)."""
    text = VIEWS_PAGE.read_text(encoding="utf-8")
    assert text.endswith(reference_markdown())
    assert text.count("\n## `") == len(PUBLIC_VIEWS)

"""Every public view and column has a Thai line for the SQL page's schema browser in the Thai interface."""

from __future__ import annotations

import re

import pytest

from pipelines.view_docs import VIEW_DOCS, column_description, view_summary
from pipelines.view_docs_th import COLUMNS_TH, VIEW_SUMMARIES_TH

THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.mark.parametrize("view", list(VIEW_DOCS))
def test_every_view_and_column_has_thai_text(view: str) -> None:
    assert THAI.search(view_summary(view, "th"))
    missing = [column for column in VIEW_DOCS[view].columns if not THAI.search(column_description(view, column, "th"))]
    assert missing == [], f"add Thai lines for these columns of {view} to pipelines/view_docs_th.py"


def test_the_thai_table_names_only_documented_views_and_columns() -> None:
    assert set(VIEW_SUMMARIES_TH) == set(COLUMNS_TH) == set(VIEW_DOCS)
    for view, columns in COLUMNS_TH.items():
        assert set(columns) <= set(VIEW_DOCS[view].columns), view


def test_english_stays_the_default() -> None:
    assert column_description("kpi_catalogue", "pmqa") == VIEW_DOCS["kpi_catalogue"].columns["pmqa"]
    assert view_summary("kpi_results") == VIEW_DOCS["kpi_results"].summary

"""Wide tables fetch and format only what is shown (issue 12): the PMQA page's KPI x category matrix is built in
SQL, shows the first rows of a ministry's tens of thousands, and its download holds them all."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from test_dashboard_pages import open_page

from pipelines import reports
from pipelines.domain import PMQA_CATEGORIES


def test_the_matrix_built_in_sql_ticks_what_the_catalogue_says(demo_db: Path) -> None:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        every = reports.kpi_choices(con, 2568, "OJA")
        matrix = reports.pmqa_matrix(con, 2568, "OJA")
        first = reports.pmqa_matrix(con, 2568, "OJA", 5)
        pmqa = dict(con.execute("SELECT kpi_code, pmqa FROM kpi WHERE fiscal_year = 2568").fetchall())
    assert list(matrix["kpi_code"]) == list(every["kpi_code"]) and len(matrix) > 5
    for row in matrix.itertuples():
        assert [getattr(row, f"c{c}") for c in PMQA_CATEGORIES] == [c in pmqa[row.kpi_code] for c in PMQA_CATEGORIES]
    assert list(first["kpi_code"]) == list(matrix["kpi_code"][:5])
    assert set(first["kpi_total"]) == {len(every)}


def test_the_page_shows_the_first_rows_and_says_how_many_there_are(monkeypatch: pytest.MonkeyPatch,
                                                                     demo_db: Path) -> None:
    monkeypatch.setattr(reports, "PMQA_MATRIX_ROWS", 5)
    app = open_page(monkeypatch, demo_db, "pmqa", lang="en")
    categories = [str(c) for c in PMQA_CATEGORIES]
    shown = next(frame.value for frame in app.dataframe if list(frame.value.columns[-7:]) == categories)
    assert len(shown) == 5
    with duckdb.connect(str(demo_db), read_only=True) as con:
        total = len(reports.kpi_choices(con, 2568, "OJA"))
    assert any(f"first 5 of {total}" in caption.value for caption in app.caption)

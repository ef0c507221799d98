"""Pickers with thousands of options (a ministry's units, an agency's KPIs) send the browser a short list: the
chosen option and the matches of a search box, never every option on every run (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_dashboard_pages import open_page

from dashboard import filters

LIMIT = 4


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "PICKER_LIMIT", LIMIT)


def codes(options: list[str]) -> list[str]:
    return [option.split(" · ")[0].strip("\u2003└ ") for option in options]


def test_the_unit_picker_offers_the_chosen_unit_and_the_top_of_the_tree_until_something_is_typed(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, small_limit: None
) -> None:
    app = open_page(monkeypatch, demo_db, "overview")
    picker = app.selectbox(key="filter_unit")
    assert picker.value == "OJA"
    assert len(picker.options) <= LIMIT + 1
    assert codes(picker.options)[0] == "OJA"  # the agency first, then divisions (depth <= 1)
    assert "แสดง" in " ".join(caption.value for caption in app.sidebar.caption)


def test_typing_finds_units_by_code_or_thai_name_and_the_choice_sticks(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, small_limit: None
) -> None:
    app = open_page(monkeypatch, demo_db, "overview")
    app.text_input(key="filter_unit_search").set_value("พยากรณ์").run()
    found = codes(app.selectbox(key="filter_unit").options)
    assert "NCFC" in found and "OJA" in found  # the chosen unit stays offered beside the matches
    app.selectbox(key="filter_unit").set_value("NCFC").run()
    assert not app.exception
    assert app.query_params["unit"] == ["NCFC"] or app.query_params["unit"] == "NCFC"
    app.text_input(key="filter_unit_search").set_value("ict").run()
    assert set(codes(app.selectbox(key="filter_unit").options)) >= {"ICT", "NCFC"}
    assert app.selectbox(key="filter_unit").value == "NCFC"


def test_a_shared_link_to_a_unit_deep_in_the_tree_opens_it(
    monkeypatch: pytest.MonkeyPatch, demo_db: Path, small_limit: None
) -> None:
    app = open_page(monkeypatch, demo_db, "overview", unit="NCFC-AN-P1")
    assert app.selectbox(key="filter_unit").value == "NCFC-AN-P1"


def test_the_kpi_picker_searches_too(monkeypatch: pytest.MonkeyPatch, demo_db: Path, small_limit: None) -> None:
    app = open_page(monkeypatch, demo_db, "kpi")
    picker = app.selectbox(key="filter_kpi")
    assert len(picker.options) <= LIMIT + 1
    app.text_input(key="filter_kpi_search").set_value("SEC-0").run()
    found = [option.split(" · ")[0] for option in app.selectbox(key="filter_kpi").options]
    assert {"SEC-01", "SEC-02", "SEC-03"} <= set(found)


def test_few_options_need_no_search_box(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    app = open_page(monkeypatch, demo_db, "overview")
    assert not [box for box in app.text_input if box.key == "filter_unit_search"]
    assert len(app.selectbox(key="filter_unit").options) > LIMIT


def test_the_search_box_takes_a_bounded_text(monkeypatch: pytest.MonkeyPatch, demo_db: Path,
                                             small_limit: None) -> None:
    app = open_page(monkeypatch, demo_db, "overview")
    assert app.text_input(key="filter_unit_search").proto.max_chars == filters.SEARCH_MAX_CHARS == 100

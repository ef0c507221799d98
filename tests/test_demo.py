"""The demo: real files of every accepted shape, loaded through pipelines.workflows, giving a believable scorecard."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines import demo as demo_module
from pipelines.demo import build_demo


@dataclass
class BuiltDemo:
    db: Path
    demo_dir: Path
    progress: list[tuple[int, int, str]] = field(default_factory=list)

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def value(self, sql: str, params: list[object] | None = None) -> object:
        return self.rows(sql, params)[0][0]


@pytest.fixture(scope="module")
def demo(demo_db_template: Path, demo_progress: list[tuple[int, int, str]]) -> BuiltDemo:
    """The demo database tests/conftest.py built once through `python -m pipelines demo` (about sixty loads), its
    files and the progress line the command showed; shared with every test that reads the demo, so never changed."""
    return BuiltDemo(demo_db_template, demo_db_template.parent / "demo", demo_progress)


def test_org_tree_has_agency_divisions_groups_and_an_individual(demo: BuiltDemo) -> None:
    levels = dict(demo.rows("SELECT level, count(*) FROM org_units GROUP BY level"))
    assert levels["agency"] == 1
    assert levels["division"] >= 8
    assert levels["group"] >= 2
    assert demo.rows("SELECT parent_code, level FROM org_units WHERE code = 'NCFC-AN-P1'") == [
        ("NCFC-AN", "individual")
    ]


@pytest.mark.parametrize("fiscal_year", [2567, 2568])
def test_each_fiscal_year_has_at_least_40_kpis_across_all_four_dimensions(demo: BuiltDemo, fiscal_year: int) -> None:
    kpi_count, dimension_count = demo.rows(
        "SELECT count(DISTINCT kpi_code), count(DISTINCT dimension) FROM kpi_catalogue WHERE fiscal_year = ?",
        [fiscal_year],
    )[0]
    assert kpi_count >= 40
    assert dimension_count == 4


def test_every_owner_weights_sum_to_100(demo: BuiltDemo) -> None:
    totals = demo.rows("SELECT fiscal_year, owner_code, sum(weight) FROM kpi_catalogue GROUP BY ALL")
    assert totals
    assert {total for _, _, total in totals} == {100}


def test_fiscal_2568_raises_some_thresholds(demo: BuiltDemo) -> None:
    t5_by_year = dict(demo.rows("SELECT fiscal_year, t5 FROM kpi_catalogue WHERE kpi_code = 'SEC-01'"))
    assert t5_by_year[2568] > t5_by_year[2567]


def test_submissions_exist_for_2567_q1_to_q4_and_2568_q1_q2(demo: BuiltDemo) -> None:
    periods = set(demo.rows("SELECT DISTINCT fiscal_year, quarter FROM submissions"))
    assert periods == {(2567, 1), (2567, 2), (2567, 3), (2567, 4), (2568, 1), (2568, 2)}


def test_results_show_every_status(demo: BuiltDemo) -> None:
    statuses = dict(demo.rows("SELECT status, count(*) FROM kpi_results WHERE version IS NOT NULL GROUP BY status"))
    assert statuses.keys() == {"on_track", "at_risk", "off_track", "not_reported"}


def test_year_end_is_mostly_on_track(demo: BuiltDemo) -> None:
    statuses = dict(demo.rows(
        "SELECT status, count(*) FROM kpi_results WHERE fiscal_year = 2567 AND quarter = 4 GROUP BY status"
    ))  # fmt: skip
    assert statuses["on_track"] > sum(statuses.values()) / 2
    assert statuses.get("off_track", 0) >= 1


def test_satisfaction_surveys_are_not_reported_before_q3(demo: BuiltDemo) -> None:
    statuses = {status for (status,) in demo.rows(
        "SELECT DISTINCT status FROM kpi_results WHERE kpi_code = 'SEC-02' AND fiscal_year = 2567 AND quarter <= 2"
    )}  # fmt: skip
    assert statuses == {"not_reported"}


def test_net_sends_nothing_for_2568_q2(demo: BuiltDemo) -> None:
    assert (
        demo.value("SELECT count(*) FROM submissions WHERE unit_code = 'NET' AND fiscal_year = 2568 AND quarter = 2")
        == 0
    )
    statuses = {status for (status,) in demo.rows(
        "SELECT status FROM kpi_results WHERE unit_code = 'NET' AND fiscal_year = 2568 AND quarter = 2"
    )}  # fmt: skip
    assert statuses == {"not_reported"}


def test_jdc_submits_only_some_quarters(demo: BuiltDemo) -> None:
    quarters = demo.value("SELECT count(*) FROM submissions WHERE unit_code = 'JDC'")
    assert 0 < quarters < 6


def test_sec_2568_q1_reupload_is_latest_version_2(demo: BuiltDemo) -> None:
    versions = demo.rows(
        "SELECT version, is_latest FROM submissions WHERE unit_code = 'SEC' AND fiscal_year = 2568 AND quarter = 1 "
        "ORDER BY version"
    )
    assert versions == [(1, False), (2, True)]
    v1, v2 = (actual for (actual,) in demo.rows(
        "SELECT actual FROM submission_values WHERE unit_code = 'SEC' AND fiscal_year = 2568 AND quarter = 1 "
        "AND kpi_code = 'SEC-01' ORDER BY version"
    ))  # fmt: skip
    assert v2 == pytest.approx(v1 + 2.4)
    assert (
        demo.value(
            "SELECT version FROM kpi_results WHERE unit_code = 'SEC' AND fiscal_year = 2568 AND quarter = 1 LIMIT 1"
        )
        == 2
    )


def test_pmqa_category_1_is_covered_by_one_kpi_only(demo: BuiltDemo) -> None:
    counts = {count for (count,) in demo.rows("SELECT kpi_count FROM pmqa_coverage WHERE category = 1")}
    assert counts == {1}


def test_every_off_track_or_not_reported_result_in_a_submission_has_a_note(demo: BuiltDemo) -> None:
    missing = demo.rows(
        "SELECT fiscal_year, quarter, kpi_code FROM kpi_results "
        "WHERE version IS NOT NULL AND status IN ('off_track', 'not_reported') AND coalesce(note, '') = ''"
    )
    assert missing == []


def test_hand_computed_score_of_net_training_cost(demo: BuiltDemo) -> None:
    """NET's FY 2567 Q4 CSV says "1,180" baht per participant; NET-04 is lower-is-better, 1500/1300/1100/900/700.

    1180 lies between level 2 (1300) and level 3 (1100): 2 + (1300 - 1180) / (1300 - 1100) = 2.6.
    """
    csv_text = (demo.demo_dir / "submissions" / "2567" / "Q4" / "NET.csv").read_text(encoding="utf-8")
    assert '"1,180"' in csv_text
    actual, score, status = demo.rows(
        "SELECT actual, score, status FROM kpi_results "
        "WHERE unit_code = 'NET' AND kpi_code = 'NET-04' AND fiscal_year = 2567 AND quarter = 4"
    )[0]
    assert actual == 1180
    assert score == pytest.approx(2 + (1300 - 1180) / (1300 - 1100))
    assert score == pytest.approx(2.6)
    assert status == "at_risk"


def test_percent_formatted_cell_is_read_as_a_percentage(demo: BuiltDemo) -> None:
    sheet = openpyxl.load_workbook(demo.demo_dir / "submissions" / "2568" / "Q2" / "ICT.xlsx").active
    assert sheet is not None
    cell = next(row[6] for row in sheet.iter_rows(min_row=5) if row[3].value == "ICT-04")
    assert cell.number_format == "0.00%"
    assert cell.value < 1
    actual = demo.value(
        "SELECT actual FROM kpi_results WHERE unit_code = 'ICT' AND kpi_code = 'ICT-04' AND fiscal_year = 2568 "
        "AND quarter = 2"
    )
    assert actual == pytest.approx(cell.value * 100)


def test_cp874_file_with_thai_digits_is_loaded(demo: BuiltDemo) -> None:
    data = (demo.demo_dir / "submissions" / "2568" / "Q1" / "ADR.csv").read_bytes()
    assert "๒๕๖๘".encode("cp874") in data
    reported = demo.value(
        "SELECT count(actual) FROM kpi_results WHERE unit_code = 'ADR' AND fiscal_year = 2568 AND quarter = 1"
    )
    assert reported == 4  # ADR-03, a satisfaction survey, is not run until Q3


def test_demo_files_include_xlsx_csv_and_exactly_one_non_utf8_file(demo: BuiltDemo) -> None:
    files = [path for path in demo.demo_dir.rglob("*") if path.is_file()]
    suffixes = {path.suffix for path in files}
    assert {".xlsx", ".csv"} <= suffixes
    assert [path.relative_to(demo.demo_dir).as_posix() for path in files if not _is_utf8(path)] == [
        "submissions/2568/Q1/ADR.csv"
    ]


def test_catalogue_2568_uses_the_two_row_merged_header(demo: BuiltDemo) -> None:
    sheet = openpyxl.load_workbook(demo.demo_dir / "catalogue_2568.xlsx").active
    assert sheet is not None
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert "L3:P3" in merged and "A3:A4" in merged
    assert [sheet.cell(4, column).value for column in range(12, 17)] == [1, 2, 3, 4, 5]


def test_progress_counts_every_loaded_file(demo: BuiltDemo) -> None:
    done = [step for step, _, _ in demo.progress]
    total = demo.progress[-1][1]
    assert done == list(range(1, total + 1))
    assert demo.progress[-1][2] == "submissions/2568/Q1/SEC_v2.xlsx"
    submissions = demo.value("SELECT count(*) FROM submissions")
    assert total == 4 + submissions  # orgs, two catalogues and the strategy, then every submission version


def test_a_rejected_file_stops_the_build_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_module, "write_orgs", lambda path: path.write_text("no header here\n", encoding="utf-8"))
    with pytest.raises(RuntimeError, match="orgs.csv"):
        build_demo(tmp_path / "bsc.duckdb", tmp_path / "demo")


def _is_utf8(path: Path) -> bool:
    if path.suffix == ".xlsx":
        return True  # a zip archive, not text
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

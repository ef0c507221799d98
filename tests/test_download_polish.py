"""Issue 10 item 12: downloads named for what and when, with the period as columns and rounded numbers; the
English unit of measure; the agency's Units page; tables that fit; level counts on the submission chart; the
audit detail of a rejected upload in Thai and English.

Sample figures (FY 2568 Q2): PLAN's P-02 scores 2 2/3 (2.6667) at 93.33 % of its target, below level 3."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from pipelines import audit, db
from pipelines.domain import unit_of_measure_name
from pipelines.templates import FIRST_DATA_ROW, write_template
from tests.download_support import csv_rows, open_page, xlsx_cells
from tests.support import run_cli

SAMPLE = {"fy": "2568", "q": "2"}


def offered_files(offered) -> dict:
    return {download.file_name: download for download in offered}


def csv_table(download) -> list[dict[str, str]]:
    header, *rows = csv_rows(download.bytes())
    return [dict(zip(header, row, strict=True)) for row in rows]


# --- file names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "params", "expected"), [
    ("overview", {"unit": "AG"}, {"AG_2568_Q2_below_target", "AG_2568_Q2_unit_dimension_scores",
                                  "AG_2568_dimension_trend"}),
    ("units", {"unit": "PLAN"}, {"PLAN_2568_Q2_scorecard", "PLAN_2568_Q2_peers"}),
    ("dimensions", {"unit": "AG"}, {"AG_2568_Q2_kpi_scores_effectiveness", "AG_2568_Q2_status_counts_effectiveness",
                                    "AG_2568_Q2_unit_weights_effectiveness"}),
    ("pmqa", {"unit": "AG"}, {"AG_2568_Q2_pmqa_coverage", "AG_2568_Q2_pmqa_groups", "AG_2568_Q2_kpi_pmqa_matrix"}),
    ("submissions", {"unit": "AG"}, {"AG_2568_submissions", "AG_2568_submission_counts"}),
    ("kpi", {"unit": "PLAN", "kpi": "P-02"}, {"PLAN_2568_kpi_P-02", "PLAN_2568_notes_P-02", "PLAN_2568_history_P-02"}),
])
def test_downloads_are_named_for_unit_fiscal_year_quarter_and_what(monkeypatch, sample_db, page, params, expected):
    _, offered = open_page(monkeypatch, sample_db, page, **SAMPLE, **params)
    names = set(offered_files(offered))
    for stem in expected:
        assert {f"{stem}.csv", f"{stem}.xlsx"} <= names, (stem, sorted(names))


# --- fiscal year and quarter columns, rounding ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_quarter_download_carries_fiscal_year_and_quarter_and_rounds_its_numbers(monkeypatch, sample_db, lang):
    _, offered = open_page(monkeypatch, sample_db, "overview", unit="AG", lang=lang, **SAMPLE)
    rows = csv_table(offered_files(offered)["AG_2568_Q2_below_target.csv"])
    year, quarter = ("ปีงบประมาณ", "ไตรมาส") if lang == "th" else ("Fiscal year", "Quarter")
    score, progress = ("คะแนน", "ร้อยละของเป้าหมาย") if lang == "th" else ("Score", "Progress % of target")
    code = "รหัส" if lang == "th" else "Code"
    p02 = next(row for row in rows if row[code] == "P-02")
    assert (p02[year], p02[quarter]) == ("2568", "2")
    assert (p02[score], p02[progress]) == ("2.6667", "93.3")
    sheet = openpyxl.load_workbook(io.BytesIO(offered_files(offered)["AG_2568_Q2_below_target.xlsx"].bytes())).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values[year] == 2568 and values[quarter] == 2 and values[progress] == pytest.approx(93.3, abs=1e-9)


def test_a_download_that_has_a_quarter_column_gets_only_the_fiscal_year(monkeypatch, sample_db):
    _, offered = open_page(monkeypatch, sample_db, "kpi", unit="PLAN", kpi="P-02", lang="en", **SAMPLE)
    header = csv_rows(offered_files(offered)["PLAN_2568_kpi_P-02.csv"].bytes())[0]
    assert header.count("Quarter") == 1 and header.count("Fiscal year") == 1


def test_the_trend_download_spanning_two_years_names_each_rows_year(monkeypatch, sample_db):
    _, offered = open_page(monkeypatch, sample_db, "overview", unit="AG", lang="en", **SAMPLE)
    rows = csv_table(offered_files(offered)["AG_2568_dimension_trend.csv"])
    assert {(row["Fiscal year"], row["Quarter"]) for row in rows} >= {("2568", "1"), ("2568", "2")}


def test_reported_weight_in_downloads_has_one_decimal(monkeypatch, sample_db):
    _, offered = open_page(monkeypatch, sample_db, "units", unit="AG", lang="en", **SAMPLE)
    rows = csv_table(offered_files(offered)["AG_2568_Q2_peers.csv"])
    assert rows and all(re.fullmatch(r"\d+(\.\d)?", row["Reported weight"]) for row in rows)


# --- English unit of measure ---------------------------------------------------------------------------


@pytest.mark.parametrize(("thai", "english"), [
    ("ร้อยละ", "percent"), ("ครั้ง", "times"), ("คน", "persons"), ("ระดับ", "level"), ("ขั้นตอน", "steps"),
    ("เรื่อง", "cases"), ("วัน", "days"), ("บาท", "baht"), ("บาท/คน", "baht per person"),
    (" ร้อยละ ", "percent"), ("ลูกบาศก์เมตร", "ลูกบาศก์เมตร"), (None, ""),
])
def test_units_of_measure_have_english_names(thai, english):
    assert unit_of_measure_name(thai, "en") == english
    assert unit_of_measure_name("ร้อยละ", "th") == "ร้อยละ"


def test_kpi_page_in_english_names_the_unit_of_measure_in_english(monkeypatch, sample_db):
    app, _ = open_page(monkeypatch, sample_db, "kpi", unit="PLAN", kpi="P-02", lang="en", **SAMPLE)
    captions = " ".join(caption.value for caption in app.caption)
    assert "unit: days" in captions and "วัน" not in captions
    thai, _ = open_page(monkeypatch, sample_db, "kpi", unit="PLAN", kpi="P-02", lang="th", **SAMPLE)
    assert "หน่วยนับ: วัน" in " ".join(caption.value for caption in thai.caption)


def test_units_page_and_overview_in_english_show_english_units_of_measure(monkeypatch, sample_db):
    app, offered = open_page(monkeypatch, sample_db, "units", unit="PLAN", lang="en", **SAMPLE)
    shown = [unit for table in app.dataframe if "Unit of measure" in table.value
             for unit in table.value["Unit of measure"]]
    assert sorted(shown) == ["days", "percent"]
    assert {row["Unit of measure"] for row in csv_table(offered_files(offered)["PLAN_2568_Q2_scorecard.csv"])} == {
        "percent", "days"}


def test_english_template_names_the_unit_of_measure_in_english():
    kpi = {"kpi_code": "P-01", "name_th": "ร้อยละ", "dimension": "effectiveness", "unit": "ร้อยละ",
           "direction": "higher", "kind": "numeric", "weight": 60, "target": None,
           "t1": 50, "t2": 60, "t3": 70, "t4": 80, "t5": 90}
    for lang, expected in (("en", "percent"), ("th", "ร้อยละ")):
        buffer = io.BytesIO()
        write_template(buffer, {"code": "PLAN", "name_th": "กองแผนงาน"}, 2568, 2, [kpi], lang=lang)
        assert openpyxl.load_workbook(buffer).worksheets[0][f"D{FIRST_DATA_ROW}"].value == expected


# --- Units page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "lang", "title"), [
    ("AG", "en", "Beside the units below it"), ("AG", "th", "เทียบกับหน่วยงานในสังกัด"),
    ("PLAN", "en", "Beside its sibling units"), ("PLAN", "th", "เทียบกับหน่วยงานระดับเดียวกัน"),
])
def test_units_page_calls_the_agencys_children_units_below_and_a_divisions_peers_siblings(
        monkeypatch, sample_db, unit, lang, title):
    app, _ = open_page(monkeypatch, sample_db, "units", unit=unit, lang=lang, **SAMPLE)
    assert title in [subheader.value for subheader in app.subheader]
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert chart["layout"]["title"]["text"] == title
    assert "sibling" not in json.dumps(chart) or unit != "AG"


def test_scorecard_headers_are_short_numbers_right_and_columns_line_up(monkeypatch, sample_db):
    app, _ = open_page(monkeypatch, sample_db, "units", unit="PLAN", lang="th", **SAMPLE)
    configs = [json.loads(table.proto.columns) for table in app.dataframe]
    assert len(configs) == 2 and configs[0] == configs[1]  # one table per dimension, the same column widths
    config = configs[0]
    headers = ["ผลการดำเนินงาน", "ค่าเป้าหมาย", "หน่วยนับ", "ร้อยละของเป้าหมาย", "น้ำหนัก"]
    assert [config[header]["label"] for header in headers] == ["ผล", "เป้าหมาย", "หน่วยนับ", "% ของเป้า", "น้ำหนัก"]
    assert all(config[header]["help"] == header for header in headers)  # the full header as the tooltip
    assert [config[header].get("alignment") for header in ("คะแนน", "ผลการดำเนินงาน", "หน่วยนับ")] == [
        "right", "right", None]
    assert all(isinstance(column.get("width"), int) for name, column in config.items() if name != "_index")
    assert list(app.dataframe[0].value.loc[0, ["คะแนน", "หน่วยนับ"]]) == ["3.2500", "ร้อยละ"]


def test_overview_ten_kpi_table_gives_every_column_a_width_that_fits_the_page(monkeypatch, sample_db):
    app, _ = open_page(monkeypatch, sample_db, "overview", unit="AG", lang="en", **SAMPLE)
    config = json.loads(app.dataframe[0].proto.columns)
    shown = {name: column for name, column in config.items() if name != "_index"}
    assert len(shown) == 9 and all(isinstance(column.get("width"), int) for column in shown.values())
    assert sum(column["width"] for column in shown.values()) <= 800  # the centred page is about 820 px wide
    assert shown["Progress % of target"]["label"] == "% target"
    assert shown["Progress % of target"]["help"] == "Progress % of target"


# --- submission chart -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "labels"), [("th", [f"ไตรมาส {q}" for q in range(1, 5)]),
                                              ("en", [f"Q{q}" for q in range(1, 5)])])
def test_submission_charts_label_quarters_level_and_write_counts_level(monkeypatch, sample_db, lang, labels):
    app, _ = open_page(monkeypatch, sample_db, "submissions", unit="AG", lang=lang, **SAMPLE)
    matrix, counts = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    for figure in (matrix, counts):
        assert figure["layout"]["xaxis"]["type"] == "category" and figure["layout"]["xaxis"]["tickangle"] == 0
    assert all(trace["textangle"] == 0 and trace["x"] == labels for trace in counts["data"])
    assert counts["layout"]["yaxis"]["dtick"] >= 1 and counts["layout"]["yaxis"]["tickformat"] == ",d"


# --- audit detail of a rejected upload -------------------------------------------------------------------


def test_rejected_upload_is_audited_in_thai_and_english(sample_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "plan_q3.csv"
    bad.write_text("division,fiscal_year,quarter,kpi_code,actual,note\nPLAN,2568,3,P-01,abc,\n", encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(bad)) == 1
    with db.open_db(sample_db, read_only=True) as con:
        event = audit.events(con, action="upload").iloc[0]
    assert event["outcome"] == "rejected"
    detail = event["detail"]
    assert detail.startswith("plan_q3.csv: 1 problem(s) / พบ 1 ปัญหา: ")
    thai, english = detail.removeprefix("plan_q3.csv: 1 problem(s) / พบ 1 ปัญหา: ").split(" / ")
    assert re.search(r"[\u0e00-\u0e7f]", thai) and "ตัวเลข" in thai, thai
    assert re.fullmatch(r"[ -~]+", english) and "number" in english, english  # the English half is English


def test_xlsx_download_cells_are_read_back_as_numbers(monkeypatch, sample_db):
    """Rounding keeps numbers numbers: a spreadsheet can still sum the downloaded scores."""
    _, offered = open_page(monkeypatch, sample_db, "units", unit="AG", lang="en", **SAMPLE)
    cells = xlsx_cells(offered_files(offered)["AG_2568_Q2_peers.xlsx"].bytes())
    assert any(isinstance(cell.value, float) and cell.value == 3.0167 for cell in cells)

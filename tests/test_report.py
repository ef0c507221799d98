"""Issue 14, the quarterly executive pack: `pipelines.report.build_report` on the demo database (FY 2568, Q1 and Q2
reported; the strategy of 2568 loaded), its Excel and PowerPoint files, `python -m pipelines report` and the
overview's download. The numbers are checked against the public views and the dashboard's own report functions,
computed here independently where the pack sums something itself."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import types
from pathlib import Path

import duckdb
import openpyxl
import pytest
import streamlit
from pptx import Presentation
from pptx.oxml.ns import qn

from pipelines import db, forecast, report, report_model, reports
from pipelines.domain import DIMENSIONS
from pipelines.report_model import CHART_KINDS, COLUMN_FORMATS
from pipelines.report_pptx import DEFAULT_FONT, FONT_SETTING, render_pptx
from pipelines.report_xlsx import render_xlsx
from tests.download_support import open_page
from tests.support import ROOT, run_cli
from tests.test_forecast_pages import resubmit

YEAR, QUARTER, AGENCY = 2568, 2, "OJA"
THAI = re.compile(r"[\u0e00-\u0e7f]")
NOW = dt.datetime(2025, 2, 20, 9, 30)


def build(db_path: Path, lang: str = "th", unit: str = AGENCY, year: int = YEAR, quarter: int = QUARTER,
          progress=None) -> report.Report:
    with db.open_db(db_path, read_only=True) as con:
        return report.build_report(con, year, quarter, unit, lang, progress, now=NOW)


def section(pack: report.Report, key: str):
    return next(item for item in pack.sections if item.key == key)


def query(db_path: Path, sql: str, params: list) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def thai_pack(demo_db_template: Path) -> report.Report:
    return build(demo_db_template)


# --- the Report ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_pack_has_every_section_in_the_contracts_order_in_one_language(demo_db_template, lang):
    pack = build(demo_db_template, lang)
    assert [item.key for item in pack.sections] == list(report.SECTION_KEYS)
    assert [item.title for item in pack.sections] == [report.text(key, lang) for key in report.SECTION_KEYS]
    assert pack.title == report.text("title", lang) and pack.page_label == report.text("page", lang)
    assert pack.agency == ("สำนักงานกิจการยุติธรรม" if lang == "th" else pack.agency)
    assert "2568" in pack.period and "2" in pack.period
    assert pack.generated.endswith("2568 09:30")  # 20 Feb 2025 in BE
    for item in pack.sections:
        assert item.summary or item.empty_text or item.table
        if item.table is not None:
            assert set(item.table.formats) <= set(COLUMN_FORMATS)
            assert all(len(row) == len(item.table.columns) == len(item.table.formats) for row in item.table.rows)
        if item.chart is not None:
            assert item.chart.kind in CHART_KINDS
            assert all(len(series.values) == len(item.chart.categories) for series in item.chart.series)
    if lang == "en":
        assert not any(THAI.search(item.title + " ".join(item.table.columns if item.table else ()))
                       for item in pack.sections)


def test_the_scores_are_the_views_and_the_overviews_numbers(demo_db_template, thai_pack):
    rows = section(thai_pack, "scores").table.rows
    (agency_score, agency_pct), = query(demo_db_template, "SELECT score, reported_weight_pct FROM unit_scores "
                                        "WHERE unit_code = ? AND fiscal_year = ? AND quarter = ?",
                                        [AGENCY, YEAR, QUARTER])
    (previous,), = query(demo_db_template, "SELECT score FROM unit_scores WHERE unit_code = ? AND fiscal_year = ? "
                         "AND quarter = ?", [AGENCY, YEAR, QUARTER - 1])
    assert rows[0][1] == pytest.approx(agency_score) and rows[0][3] == pytest.approx(agency_pct)
    assert rows[0][4] == pytest.approx(previous) and rows[0][5] == pytest.approx(agency_score - previous)
    dimensions = dict(query(demo_db_template, "SELECT dimension, score FROM dimension_scores WHERE unit_code = ? "
                            "AND fiscal_year = ? AND quarter = ?", [AGENCY, YEAR, QUARTER]))
    assert [row[0] for row in rows[1:]] == [names[0] for names in DIMENSIONS.values()]
    assert [row[1] for row in rows[1:]] == pytest.approx([dimensions[code] for code in DIMENSIONS])
    with db.open_db(demo_db_template, read_only=True) as con:
        overview = reports.overview(con, YEAR, QUARTER, AGENCY)
    assert rows[0][1] == overview.score and rows[0][2] == overview.status
    assert [row[2] for row in rows[1:]] == list(overview.dimensions["status"])
    chart = section(thai_pack, "scores").chart
    assert chart.kind == "bar" and chart.target == 3 and chart.series[0].values == tuple(row[1] for row in rows)


def test_units_are_the_agencys_divisions_ranked_by_the_score_of_their_subtree(demo_db_template, thai_pack):
    expected = query(demo_db_template, """
        SELECT u.code, sum(r.weight * r.score) / sum(r.weight) FILTER (WHERE r.score IS NOT NULL) AS score
        FROM org_unit AS u JOIN org_tree AS t ON t.ancestor_code = u.code JOIN kpi_results AS r ON r.unit_code =
             t.unit_code
        WHERE u.parent_code = ? AND r.fiscal_year = ? AND r.quarter = ?
        GROUP BY u.code ORDER BY score DESC NULLS LAST""", [AGENCY, YEAR, QUARTER])
    names = dict(query(demo_db_template, "SELECT code, name_th FROM org_unit", []))
    rows = section(thai_pack, "units").table.rows
    assert [row[0] for row in rows] == list(range(1, len(expected) + 1))
    assert [row[1] for row in rows] == [names[code] for code, _ in expected]
    assert [row[2] for row in rows] == pytest.approx([score for _, score in expected])
    assert section(thai_pack, "units").chart.kind == "barh"


def test_a_unit_without_units_below_it_says_so(demo_db_template):
    units = section(build(demo_db_template, unit="SEC"), "units")
    assert units.table is None and "ไม่มีหน่วยงานย่อย" in units.empty_text


def test_kpis_below_target_carry_the_units_notes_and_say_how_many_more(demo_db_template, thai_pack):
    expected = query(demo_db_template, """
        SELECT kpi_code, unit_code, note FROM kpi_results
        WHERE fiscal_year = ? AND quarter = ? AND status IN ('off_track', 'at_risk')
        ORDER BY score, weight DESC""", [YEAR, QUARTER])
    below = section(thai_pack, "below_target")
    assert len(below.table.rows) == min(report.BELOW_TARGET_ROWS, len(expected))
    notes = {(code, note) for code, _, note in expected}
    for row in below.table.rows:
        assert (row[0], row[-1]) in notes and row[-1] and row[6] in ("off_track", "at_risk")
    assert any(row[-1].startswith("ปัญหา:") and "แนวทางแก้ไข:" in row[-1] for row in below.table.rows)
    more = len(expected) - report.BELOW_TARGET_ROWS
    assert more > 0 and below.table.note == f"และอีก {more} ตัวชี้วัด (ดูทั้งหมดได้ในแดชบอร์ด)"
    assert f"{len(expected)} ตัว" in below.summary[0]


def test_kpis_at_risk_by_year_end_come_with_the_forecasts_plain_words(demo_db):
    resubmit(demo_db, "ADR", {"ADR-05": 3.5})  # on track today, projected at 2.5 (tests/test_forecast_pages.py)
    pack = build(demo_db)
    at_risk = section(pack, "at_risk")
    with db.open_db(demo_db, read_only=True) as con:
        outlook = reports.year_end_outlook(con, YEAR, QUARTER, AGENCY)
    assert [row[0] for row in at_risk.table.rows] == list(outlook.at_risk["kpi_code"]) and "ADR-05" in outlook.at_risk[
        "kpi_code"].tolist()
    words = [forecast.plain_words(row, "th") for row in outlook.at_risk.to_dict("records")]
    assert [row[-1] for row in at_risk.table.rows] == words and words[0].startswith("หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา")
    assert at_risk.chart.series[0].values[0] == pytest.approx(outlook.score)
    english = section(build(demo_db, "en"), "at_risk")
    assert english.table.rows[0][-1].startswith("If the trend of the past quarters continues")


def test_at_q4_there_is_nothing_to_project(demo_db_template):
    at_risk = section(build(demo_db_template, year=2567, quarter=4), "at_risk")
    assert at_risk.table is None and at_risk.empty_text == report.text("outlook_q4", "th")


def test_pmqa_coverage_is_the_pmqa_pages_numbers_with_the_gaps_in_words(demo_db_template, thai_pack):
    with db.open_db(demo_db_template, read_only=True) as con:
        view = reports.pmqa_view(con, YEAR, QUARTER, AGENCY)
    pmqa = section(thai_pack, "pmqa")
    assert [row[0] for row in pmqa.table.rows] == list(range(1, 8))
    assert [row[3] for row in pmqa.table.rows] == pytest.approx(list(view.categories["weight_share_pct"]))
    assert pmqa.chart.kind == "radar" and len(pmqa.chart.categories) == 7
    gaps = reports.pmqa_gaps(view.categories)
    assert len(pmqa.summary) == 1 + len(gaps)


def test_okr_and_end_products_come_from_the_strategy_of_the_year(demo_db_template, thai_pack):
    okr = section(thai_pack, "okr")
    expected = query(demo_db_template, "SELECT objective_code, key_result_code, progress_pct FROM okr_progress "
                     "WHERE fiscal_year = ? AND quarter = ?", [YEAR, QUARTER])
    codes = [key_result or objective for objective, key_result, _ in expected]
    assert sorted(row[0] for row in okr.table.rows) == sorted(codes)
    progress = {key_result or objective: pct for objective, key_result, pct in expected}
    assert [row[2] for row in okr.table.rows] == pytest.approx([progress[row[0]] for row in okr.table.rows])
    products = query(demo_db_template, "SELECT end_product_code, unit_count FROM end_products WHERE fiscal_year = ?",
                     [YEAR])
    assert [(row[0], row[3]) for row in section(thai_pack, "end_products").table.rows] == products
    earlier = build(demo_db_template, year=2567, quarter=4)
    for key in ("okr", "end_products"):
        assert section(earlier, key).table is None
        assert section(earlier, key).empty_text == report.text("no_strategy", "th", fiscal_year=2567)


def test_submissions_name_the_late_and_overdue_units(demo_db, monkeypatch):
    assert run_cli(demo_db, "periods", "deadline", "--fiscal-year", "2568", "--quarter", "2",
                   "--date", "1/1/2568") == 0
    submissions = section(build(demo_db), "submissions")
    timeliness = dict(query(demo_db, "SELECT unit_code, timeliness FROM submission_timeliness WHERE fiscal_year = ? "
                            "AND quarter = ?", [YEAR, QUARTER]))
    behind = sorted(code for code, state in timeliness.items() if state in ("late", "overdue"))
    assert behind and sorted(row[0] for row in submissions.table.rows) == behind
    states = [row[2] for row in submissions.table.rows]
    overdue, late = "เลยกำหนดแล้วยังไม่ส่ง", "ส่งล่าช้า"
    assert set(states) == {overdue, late} and states == [overdue] * states.count(overdue) + [late] * states.count(late)
    assert any("1 ม.ค. 2568" in line for line in submissions.summary)
    assert submissions.chart.categories == tuple(f"ไตรมาส {q}/2568" for q in range(1, 5))
    monkeypatch.setattr(report, "SUBMISSION_ROWS", 2)  # a long list is cut, and says how many more
    cut = section(build(demo_db), "submissions").table
    assert cut.rows == submissions.table.rows[:2]
    assert cut.note == f"และอีก {len(behind) - 2} หน่วยงาน (ดูทั้งหมดได้ในหน้าสถานะการส่งข้อมูล)"


def test_without_a_deadline_the_units_not_submitted_yet_are_named(demo_db_template, thai_pack):
    pending = query(demo_db_template, "SELECT unit_code FROM submission_timeliness WHERE fiscal_year = ? "
                    "AND quarter = ? AND timeliness = 'pending'", [YEAR, QUARTER])
    submissions = section(thai_pack, "submissions")
    assert pending and sorted(row[0] for row in submissions.table.rows) == sorted(code for code, in pending)
    assert {row[2] for row in submissions.table.rows} == {"ยังไม่ส่ง"}


def test_an_unknown_unit_or_a_year_without_catalogue_is_refused_in_thai_and_english(demo_db_template):
    with pytest.raises(report.ReportRefused, match="ไม่พบหน่วยงานรหัส NOPE / unknown org unit code NOPE"):
        build(demo_db_template, unit="NOPE")
    with pytest.raises(report.ReportRefused, match="ไม่มีบัญชีตัวชี้วัด.* / no KPI catalogue for fiscal year 2590"):
        build(demo_db_template, year=2590)


def test_progress_is_reported_per_section_and_ends_at_one(demo_db_template):
    calls = []
    build(demo_db_template, progress=lambda done, label: calls.append((done, label)))
    assert [label for _, label in calls[:-1]] == [report.text(key, "th") for key in report.SECTION_KEYS]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls) and calls[-1][0] == 1.0


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (3.60065, "score", "3.6007"), (85.26, "percent", "85.3%"), (1234.5, "number", "1,234.5"), (7.0, "number", "7"),
    (12_000, "integer", "12,000"), ("off_track", "status", "ต่ำกว่าเป้าหมาย"), (None, "score", ""), ("=x", "text", "=x"),
])
def test_every_renderer_writes_a_value_by_its_column_format(thai_pack, value, kind, shown):
    assert report_model.format_cell(value, kind, thai_pack.status_names) == shown


def test_write_report_hands_the_pdf_to_the_pdf_renderer_by_name(monkeypatch, tmp_path, thai_pack):
    """The PDF renderer is its own module (pipelines/report_pdf.py, render_pdf(report, path, progress)), imported
    only when a PDF is asked for."""
    assert {"pptx", "xlsx"} <= set(report.available_formats())
    calls = []
    renderer = types.ModuleType("pipelines.report_pdf")
    renderer.render_pdf = lambda pack, path, progress=None: calls.append((pack, path, progress))
    monkeypatch.setitem(sys.modules, "pipelines.report_pdf", renderer)
    progress = print
    report.write_report(thai_pack, "pdf", str(tmp_path / "pack.pdf"), progress)
    assert calls == [(thai_pack, tmp_path / "pack.pdf", progress)]


# --- Excel --------------------------------------------------------------------------------------------------------

def test_the_workbook_has_a_cover_and_a_sheet_per_section_holding_the_views_values(tmp_path, demo_db_template,
                                                                                   thai_pack):
    path = tmp_path / "pack.xlsx"
    render_xlsx(thai_pack, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ปก"] + [item.title[:31] for item in thai_pack.sections]
    assert all(len(name) <= 31 for name in book.sheetnames)
    scores = book[thai_pack.sections[0].title]
    header = next(row for row in range(1, 20) if scores.cell(row, 1).value == "ขอบเขต")
    (agency_score,), = query(demo_db_template, "SELECT score FROM unit_scores WHERE unit_code = ? AND fiscal_year = ? "
                             "AND quarter = ?", [AGENCY, YEAR, QUARTER])
    assert scores.cell(header + 1, 2).value == pytest.approx(agency_score)
    assert scores.cell(header + 1, 2).number_format == "0.0000"
    assert scores.cell(header + 1, 3).value == thai_pack.status_names[thai_pack.sections[0].table.rows[0][2]]
    dimensions = dict(query(demo_db_template, "SELECT dimension, score FROM dimension_scores WHERE unit_code = ? "
                            "AND fiscal_year = ? AND quarter = ?", [AGENCY, YEAR, QUARTER]))
    assert [scores.cell(header + 1 + n, 2).value for n in range(1, 5)] == pytest.approx(
        [dimensions[code] for code in DIMENSIONS])
    charts = {sheet.title: len(sheet._charts) for sheet in book.worksheets}
    assert all(charts[item.title[:31]] == (item.chart is not None) for item in thai_pack.sections)
    cover = [cell.value for row in book["ปก"].iter_rows() for cell in row if cell.value]
    assert thai_pack.agency in cover and thai_pack.period in cover
    assert book["ปก"]["A1"].font.name == "TH Sarabun New"


def test_a_hostile_unit_or_kpi_name_is_written_as_text_not_as_a_formula(tmp_path, demo_db):
    with duckdb.connect(str(demo_db)) as con:
        con.execute("UPDATE org_unit SET name_th = '=HYPERLINK(\"http://x\",\"y\")' WHERE code = 'SEC'")
        con.execute("UPDATE kpi SET name_th = '+1+cmd|'' /C calc''!A0' WHERE kpi_code = 'SEC-01'")
    path = tmp_path / "pack.xlsx"
    render_xlsx(build(demo_db), path)
    cells = [cell for sheet in openpyxl.load_workbook(path).worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in texts and "'+1+cmd|' /C calc'!A0" in texts
    assert not [text for text in texts if text[:1] in "=+-@"]


# --- PowerPoint ---------------------------------------------------------------------------------------------------

def slide_titles(path: Path) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in Presentation(str(path)).slides]


def test_the_deck_has_a_title_slide_then_the_sections_in_order_in_thai(tmp_path, thai_pack):
    path = tmp_path / "pack.pptx"
    render_pptx(thai_pack, path)
    deck = Presentation(str(path))
    assert deck.slide_width * 9 == pytest.approx(deck.slide_height * 16, rel=1e-3)  # 16:9
    titles = slide_titles(path)
    assert titles[0] == thai_pack.title
    sections = [title for title in titles[1:] if not title.endswith("(ต่อ)")]
    assert sections == [item.title for item in thai_pack.sections]
    every_text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                          if shape.has_text_frame)
    assert thai_pack.agency in every_text and "คะแนนภาพรวมของ" in every_text
    tables = " ".join(cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
                      for row in shape.table.rows for cell in row.cells)
    assert "ศูนย์พยากรณ์อาชญากรรมแห่งชาติ (ศอช.)" in tables
    assert sum(shape.has_chart for slide in deck.slides for shape in slide.shapes) == sum(
        item.chart is not None for item in thai_pack.sections)


def typefaces(path: Path) -> set[str]:
    """The typeface of every run's Latin, East Asian and complex-script slot, and of every chart's text."""
    found = set()
    deck = Presentation(str(path))
    for slide in deck.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            properties = [run._r.get_or_add_rPr() for frame in frames for paragraph in frame.paragraphs
                          for run in paragraph.runs]
            if shape.has_chart:
                properties.append(shape.chart.font._rPr)
            for rpr in properties:
                for slot in ("a:latin", "a:ea", "a:cs"):
                    element = rpr.find(qn(slot))
                    found.add(None if element is None else element.get("typeface"))
    return found


def test_every_run_of_the_deck_is_set_in_the_thai_font_of_the_setting(tmp_path, thai_pack, monkeypatch):
    render_pptx(thai_pack, tmp_path / "default.pptx")
    assert typefaces(tmp_path / "default.pptx") == {DEFAULT_FONT}
    monkeypatch.setenv(FONT_SETTING, "Laksaman")
    render_pptx(thai_pack, tmp_path / "laksaman.pptx")
    assert typefaces(tmp_path / "laksaman.pptx") == {"Laksaman"}


def test_a_long_table_goes_on_onto_continued_slides(tmp_path, thai_pack):
    render_pptx(thai_pack, tmp_path / "pack.pptx")
    deck = Presentation(str(tmp_path / "pack.pptx"))
    below = [slide for slide in deck.slides if slide.shapes.title.text_frame.text.startswith("ตัวชี้วัดที่ต่ำกว่า")]
    rows = sum(len(shape.table.rows) - 1 for slide in below for shape in slide.shapes if shape.has_table)
    assert len(below) > 1 and rows == len(section(thai_pack, "below_target").table.rows)


# --- the command line and the overview -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "pptx"])
def test_the_cli_writes_the_pack(tmp_path, demo_db, fmt, capsys):
    out = tmp_path / f"pack.{fmt}"
    assert run_cli(demo_db, "report", "--fiscal-year", "2568", "--quarter", "2", "--unit", AGENCY, "--format", fmt,
                   "-o", str(out)) == 0
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out).sheetnames[1] == report.text("scores", "th")
    else:
        assert slide_titles(out)[1] == report.text("scores", "th")
    captured = capsys.readouterr()
    assert str(out) in captured.out and "[100%]" in captured.err


def test_the_cli_writes_an_english_pack_when_asked(tmp_path, demo_db):
    out = tmp_path / "pack.xlsx"
    assert run_cli(demo_db, "report", "--fiscal-year", "2025", "--quarter", "Q2", "--unit", AGENCY, "--format",
                   "xlsx", "--lang", "en", "-o", str(out)) == 0
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Cover", "Overall and dimension scores"]


def test_the_cli_refuses_an_unknown_unit_in_thai_and_english(tmp_path, demo_db, capsys):
    out = tmp_path / "pack.xlsx"
    assert run_cli(demo_db, "report", "--fiscal-year", "2568", "--quarter", "2", "--unit", "NOPE", "--format",
                   "xlsx", "-o", str(out)) != 0
    error = capsys.readouterr().err
    assert "ไม่พบหน่วยงานรหัส NOPE" in error and "unknown org unit code NOPE" in error
    assert not out.exists()


def test_the_command_line_starts_without_the_renderers_libraries():
    done = subprocess.run([sys.executable, "-c", "import sys, pipelines.cli; print(' '.join(m for m in "
                           "('pptx', 'openpyxl', 'pandas') if m in sys.modules))"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_the_overview_builds_the_pack_and_offers_its_bytes(monkeypatch, demo_db):
    handed: list[tuple[str, bytes]] = []  # what the page's download button would hand to the browser
    original = streamlit.download_button

    def download_button(label, data, file_name=None, *args, **kwargs):
        handed.append((file_name, data))
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", download_button)
    app, _ = open_page(monkeypatch, demo_db, "overview", fy="2568", q="2", unit=AGENCY)
    assert not handed and "Excel" in app.radio(key="report_format").options
    app.radio(key="report_format").set_value("xlsx").run()
    app.button(key="report_build").click().run()
    assert not app.exception, [e.value for e in app.exception]
    (name, content), = handed
    assert name == f"executive_report_{AGENCY}_2568_Q2.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[1:] == [title[:31] for title in (report.text(key, "th") for key in report.SECTION_KEYS)]
    app.radio(key="report_format").set_value("pptx").run()  # another format: the old file is no longer offered
    assert len(handed) == 1

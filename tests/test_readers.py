"""The xlsx XML scan (pipelines.readers): its quick path for sheets without formulas says what the cell-by-cell
scan says."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from pipelines import readers
from tests.support import SAMPLES


def percent_sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["division", "kpi_code", "actual"])
    for row in range(2, 40):
        sheet.append(["PLAN", f"P-{row:02d}", row / 100])
        sheet.cell(row, 3).number_format = "0.0%" if row % 2 else "0.00"
    sheet["F900"] = "far away"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_sheet() -> bytes:
    from pipelines import templates

    kpis = [{"kpi_code": f"K-{n}", "name_th": "ตัวชี้วัด", "name_en": "", "dimension": "effectiveness", "unit": "ร้อยละ",
             "direction": "higher", "kind": "numeric", "weight": 50, "t1": 1, "t2": 2, "t3": 3, "t4": 4, "t5": 5,
             "target": None} for n in range(2)]
    buffer = io.BytesIO()
    templates.write_template(buffer, {"code": "PLAN", "name_th": "กองแผนงาน", "name_en": "Planning"}, 2568, 2, kpis)
    return buffer.getvalue()


@pytest.mark.parametrize("make", [
    lambda: (SAMPLES / "submission_plan_q2_libreoffice.xlsx").read_bytes(), percent_sheet, template_sheet,
], ids=["libreoffice_sample", "openpyxl_percent", "template"])
def test_the_quick_scan_finds_what_the_cell_by_cell_scan_finds(make) -> None:
    data = make()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = readers._percent_styles(archive.read("xl/styles.xml"))
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        for name in sheets:
            xml = archive.read(name)
            assert not readers._FORMULA_RE.search(xml), name  # these sheets take the quick path
            assert readers._sheet_facts(xml, styles) == readers._sheet_facts_cell_by_cell(xml, styles), name


def test_the_quick_scan_sees_percent_cells_and_the_used_range() -> None:
    with zipfile.ZipFile(io.BytesIO(percent_sheet())) as archive:
        facts = readers._sheet_facts(archive.read("xl/worksheets/sheet1.xml"),
                                     readers._percent_styles(archive.read("xl/styles.xml")))
    assert (1, 2) not in facts.percent_cells and (2, 2) in facts.percent_cells and len(facts.percent_cells) == 19
    assert (facts.max_row, facts.max_column) == (900, 6)


def test_a_sheet_with_a_formula_is_scanned_cell_by_cell_for_a_missing_value() -> None:
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>2+2</f><v>4</v></c>'
           b'<c r="C1" t="e"><v>#DIV/0!</v></c></row></sheetData></worksheet>')
    facts = readers._sheet_facts(xml, set())
    assert facts.empty_formulas == {(0, 0), (0, 2)} and (facts.max_row, facts.max_column) == (1, 3)

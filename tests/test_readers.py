"""The xlsx XML scan (pipelines.readers.read_sheets): percent cells, formulas without a saved number and the used
range, as an independent reader (openpyxl) sees them, on the quick path (no formula) and cell by cell."""

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


def openpyxl_facts(data: bytes) -> list[tuple[int, int, set[tuple[int, int]]]]:
    """What openpyxl, a reader independent of ours, sees in each sheet: the used range and the percent cells."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(sheet.max_row, sheet.max_column, {(cell.row - 1, cell.column - 1) for row in sheet.iter_rows()
                                               for cell in row if "%" in cell.number_format})
            for sheet in book.worksheets]


@pytest.mark.parametrize("make", [
    lambda: (SAMPLES / "submission_plan_q2_libreoffice.xlsx").read_bytes(), percent_sheet, template_sheet,
], ids=["libreoffice_sample", "openpyxl_percent", "template"])
def test_a_workbook_without_formulas_reads_its_percent_cells_and_whole_used_range(make) -> None:
    """These sheets take the quick XML scan; what it finds must be what openpyxl finds cell by cell."""
    data = make()
    sheets = readers.read_sheets("upload.xlsx", data)
    expected = openpyxl_facts(data)
    assert [(len(sheet.rows), max(map(len, sheet.rows)), sheet.percent_cells) for sheet in sheets] == expected
    assert all(sheet.empty_formulas == set() for sheet in sheets)


def test_a_sheet_with_formulas_reports_those_without_a_saved_number() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"], sheet["D1"] = "=1+1", 4, "#DIV/0!", "text"  # openpyxl saves no result
    sheet["A2"] = 0.5
    sheet["A2"].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:  # B1 as Excel saves a formula with its result: <f> and <v>
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b'<c r="B1" t="n"><v>4</v></c>', b'<c r="B1"><f>2+2</f><v>4</v></c>')
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    [read] = readers.read_sheets("upload.xlsx", rebuilt.getvalue())
    assert read.rows == [["", 4.0, "", "text"], [0.5, "", "", ""]]
    assert read.empty_formulas == {(0, 0), (0, 2)}  # the formula without a result and the error cell
    assert read.percent_cells == {(1, 0)}

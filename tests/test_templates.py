"""The submission template: the layout the reader depends on, and what Excel enforces for the user."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from pipelines.templates import quarter_description, write_template

UNIT = {"code": "0201", "name_th": "กองแผนงาน", "name_en": "Planning Division"}
KPIS = [
    {
        "kpi_code": "1.1", "name_th": "ร้อยละความสำเร็จของการเบิกจ่ายงบประมาณ",
        "name_en": "Budget disbursement rate", "dimension": "efficiency", "unit": "ร้อยละ",
        "direction": "higher", "kind": "numeric", "weight": 40.0,
        "t1": 60.0, "t2": 70.0, "t3": 80.0, "t4": 90.0, "t5": 100.0, "target": None,
    },
    {
        "kpi_code": "2.1", "name_th": "ระยะเวลาเฉลี่ยในการให้บริการ", "name_en": "Average service time",
        "dimension": "service_quality", "unit": "วัน", "direction": "lower", "kind": "numeric",
        "weight": 35.0, "t1": 30.0, "t2": 25.0, "t3": 20.0, "t4": 15.0, "t5": 10.0, "target": 18.0,
    },
    {
        "kpi_code": "3.1", "name_th": "ระดับความสำเร็จของการจัดทำแผนพัฒนาบุคลากร",
        "name_en": "Workforce development plan", "dimension": "org_development", "unit": "ระดับ",
        "direction": "higher", "kind": "milestone", "weight": 25.0,
        "t1": None, "t2": None, "t3": None, "t4": None, "t5": None, "target": None,
    },
]  # fmt: skip
HEADERS_TH = [
    "รหัสตัวชี้วัด", "ชื่อตัวชี้วัด", "มิติ", "หน่วยนับ", "ทิศทาง", "ประเภท", "น้ำหนัก", "ค่าเป้าหมาย",
    "เกณฑ์ระดับ 1", "เกณฑ์ระดับ 2", "เกณฑ์ระดับ 3", "เกณฑ์ระดับ 4", "เกณฑ์ระดับ 5",
    "ผลการดำเนินงาน", "หมายเหตุ", "หลักฐาน",
]  # fmt: skip
HEADERS_EN = [
    "kpi_code", "name_th", "dimension", "unit", "direction", "kind", "weight", "target",
    "t1", "t2", "t3", "t4", "t5", "actual", "note", "evidence",
]  # fmt: skip
EXPECTED_ROWS = [
    ["1.1", KPIS[0]["name_th"], "มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "ร้อยละ", "มากดี", "ตัวเลข",
     40, 80, 60, 70, 80, 90, 100],
    ["2.1", KPIS[1]["name_th"], "มิติด้านคุณภาพการให้บริการ", "วัน", "น้อยดี", "ตัวเลข",
     35, 18, 30, 25, 20, 15, 10],
    ["3.1", KPIS[2]["name_th"], "มิติด้านการพัฒนาองค์กร", "ระดับ", "มากดี", "ขั้นตอน",
     25, None, None, None, None, None, None],
]  # fmt: skip


@pytest.fixture
def template_path(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    write_template(path, UNIT, 2568, 2, KPIS)
    return path


@pytest.fixture
def data_sheet(template_path: Path) -> Worksheet:
    sheet = openpyxl.load_workbook(template_path).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def validation_for(sheet: Worksheet, cell: str) -> DataValidation:
    matches = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    assert len(matches) == 1, f"{cell} has {len(matches)} validations"
    return matches[0]


def test_data_sheet_comes_first_and_instructions_second(template_path: Path) -> None:
    assert openpyxl.load_workbook(template_path).sheetnames == ["ผลการดำเนินงาน", "คำแนะนำ"]


def test_header_block_names_unit_year_and_quarter(data_sheet: Worksheet) -> None:
    assert data_sheet["A1"].value == "แบบรายงานผลการดำเนินงานตามตัวชี้วัด / KPI performance report"
    assert data_sheet["A1"].font.b
    assert [data_sheet[c].value for c in ("A2", "B2", "C2")] == [
        "หน่วยงาน / Unit", "0201", "กองแผนงาน (Planning Division)",
    ]  # fmt: skip
    assert [data_sheet[c].value for c in ("A3", "B3")] == ["ปีงบประมาณ / Fiscal year", 2568]
    assert [data_sheet[c].value for c in ("A4", "B4", "C4")] == [
        "ไตรมาส / Quarter", 2, "ไตรมาสที่ 2 (1 ม.ค. 68 - 31 มี.ค. 68) ผลสะสม",
    ]  # fmt: skip
    assert all(cell.value is None for cell in data_sheet[5])


@pytest.mark.parametrize(
    ("fiscal_year", "quarter", "expected"),
    [
        (2568, 1, "ไตรมาสที่ 1 (1 ต.ค. 67 - 31 ธ.ค. 67) ผลสะสม"),
        (2568, 2, "ไตรมาสที่ 2 (1 ม.ค. 68 - 31 มี.ค. 68) ผลสะสม"),
        (2568, 3, "ไตรมาสที่ 3 (1 เม.ย. 68 - 30 มิ.ย. 68) ผลสะสม"),
        (2568, 4, "ไตรมาสที่ 4 (1 ก.ค. 68 - 30 ก.ย. 68) ผลสะสม"),
        (2600, 1, "ไตรมาสที่ 1 (1 ต.ค. 99 - 31 ธ.ค. 99) ผลสะสม"),
        (2601, 1, "ไตรมาสที่ 1 (1 ต.ค. 00 - 31 ธ.ค. 00) ผลสะสม"),
    ],
)
def test_quarter_description_uses_fiscal_calendar_and_two_digit_be_years(
    fiscal_year: int, quarter: int, expected: str
) -> None:
    assert quarter_description(fiscal_year, quarter) == expected


def test_ce_fiscal_year_is_written_as_be(tmp_path: Path) -> None:
    path = tmp_path / "ce.xlsx"
    write_template(path, UNIT, 2025, 1, KPIS)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["B3"].value == 2568
    assert sheet["C4"].value == "ไตรมาสที่ 1 (1 ต.ค. 67 - 31 ธ.ค. 67) ผลสะสม"


def test_headers_are_thai_in_row_6_and_english_in_row_7(data_sheet: Worksheet) -> None:
    assert [c.value for c in data_sheet[6]] == HEADERS_TH
    assert [c.value for c in data_sheet[7]] == HEADERS_EN


def test_one_data_row_per_kpi_in_catalogue_order(data_sheet: Worksheet) -> None:
    rows = [[c.value for c in row] for row in data_sheet.iter_rows(min_row=8, max_col=13)]
    assert rows == EXPECTED_ROWS
    assert all(isinstance(row[0], str) for row in rows)
    assert data_sheet.max_row == 7 + len(KPIS)
    for row in range(8, 11):
        assert [data_sheet[f"{col}{row}"].value for col in "NOP"] == [None, None, None]


def test_actual_of_numeric_kpi_accepts_any_decimal(data_sheet: Worksheet) -> None:
    for cell in ("N8", "N9"):
        validation = validation_for(data_sheet, cell)
        assert (validation.type, validation.operator) == ("decimal", "between")
        assert float(validation.formula1) <= -1e12 and float(validation.formula2) >= 1e12
        assert validation.allow_blank and validation.showErrorMessage
        assert validation.error == "กรุณากรอกตัวเลข"
        assert validation.prompt
        assert data_sheet[cell].number_format == "#,##0.00"


def test_actual_of_milestone_kpi_accepts_whole_steps_0_to_5(data_sheet: Worksheet) -> None:
    validation = validation_for(data_sheet, "N10")
    assert (validation.type, validation.operator) == ("whole", "between")
    assert (validation.formula1, validation.formula2) == ("0", "5")
    assert validation.allow_blank and validation.showErrorMessage
    assert validation.error == "กรุณากรอกจำนวนเต็ม 0–5 (จำนวนขั้นตอนที่ดำเนินการแล้ว)"
    assert validation.prompt


def test_sheet_is_protected_except_actual_note_and_evidence(data_sheet: Worksheet) -> None:
    assert data_sheet.protection.sheet
    assert not data_sheet.protection.password
    for row in range(8, 11):
        assert all(not data_sheet[f"{col}{row}"].protection.locked for col in "NOP")
        assert all(data_sheet[f"{col}{row}"].protection.locked for col in "ABCDEFGHIJKLM")
    assert all(cell.protection.locked for cell in data_sheet[6] + data_sheet[7])
    assert data_sheet["B2"].protection.locked


def test_layout_helps_the_user(data_sheet: Worksheet, template_path: Path) -> None:
    assert data_sheet.freeze_panes == "C8"
    assert data_sheet["B8"].font.name == "Tahoma"
    assert data_sheet["B8"].alignment.wrap_text
    assert data_sheet["A6"].fill.fgColor.rgb.endswith("DDEBF7")
    assert data_sheet.column_dimensions["B"].width > data_sheet.column_dimensions["A"].width
    properties = openpyxl.load_workbook(template_path).properties
    assert properties.creator == "BSC KPI Dashboard"
    assert properties.title


def test_instructions_sheet_explains_in_thai(template_path: Path) -> None:
    sheet = openpyxl.load_workbook(template_path)["คำแนะนำ"]
    text = "\n".join(str(c.value) for c in sheet["A"] if c.value)
    for phrase in ("ผลการดำเนินงานสะสม", "ปัญหาอุปสรรคและแนวทางแก้ไข", "เลขไทย", "1,234.5", "85%",
                   "จำนวนเต็ม 0–5", "ห้ามแก้ไขรหัสตัวชี้วัด", "ฉบับก่อนหน้า", "เกณฑ์ระดับ 5 ได้ 5 คะแนน"):  # fmt: skip
        assert phrase in text


def test_english_template_changes_only_informational_words(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    write_template(path, UNIT, 2568, 2, KPIS, lang="en")
    sheet = openpyxl.load_workbook(path)["ผลการดำเนินงาน"]
    assert [sheet[f"{col}9"].value for col in "CEF"] == ["Service quality", "lower", "numeric"]
    assert [c.value for c in sheet[6]] == HEADERS_TH
    assert validation_for(sheet, "N10").error == "Please enter a whole number 0–5 (steps completed)"


def test_unit_without_kpis_still_opens_with_headers(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_template(path, UNIT, 2568, 2, [])
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[7]] == HEADERS_EN
    assert sheet.data_validations.dataValidation == []


@pytest.mark.parametrize("quarter", [0, 5])
def test_quarter_outside_1_to_4_is_a_bug(tmp_path: Path, quarter: int) -> None:
    with pytest.raises(ValueError):
        write_template(tmp_path / "bad.xlsx", UNIT, 2568, quarter, KPIS)


def test_buffer_output_reads_the_same_with_calamine(template_path: Path) -> None:
    buffer = io.BytesIO()
    write_template(buffer, UNIT, 2568, 2, KPIS)
    assert buffer.getvalue() and buffer.getvalue()[:2] == b"PK"
    buffer.seek(0)
    rows = CalamineWorkbook.from_filelike(buffer).get_sheet_by_name("ผลการดำเนินงาน").to_python()
    expected = [[c.value for c in row] for row in openpyxl.load_workbook(template_path).worksheets[0].iter_rows()]
    assert len(rows) == len(expected)
    for got_row, want_row in zip(rows, expected, strict=True):
        assert [v if v != "" else None for v in got_row] == want_row
    assert rows[1][1] == "0201" and rows[2][1] == 2568 and rows[3][1] == 2

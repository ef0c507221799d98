"""The .xlsx submission template a unit downloads, fills in and uploads back.

The layout (sheet title, header block in A2:C4, headers in rows 6-7, data from
row 8, input columns N:P) is a contract with the submission reader: change it
only together with the reader.  Everything a user must not edit is locked so
that an upload can be matched to the catalogue by kpi_code without surprises.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.calendar import QUARTERS, as_be_year, format_date, quarter_end, quarter_start
from pipelines.domain import unit_of_measure_name
from pipelines.export import spreadsheet_text

Entry = tuple[float | None, str, str]
"""What a user fills in for one KPI: the year-to-date actual (None: not reported), the note and the evidence."""

DATA_SHEET_TITLE = "ผลการดำเนินงาน"
INSTRUCTIONS_SHEET_TITLE = "คำแนะนำ"
HEADER_ROW_TH = 6
HEADER_ROW_EN = 7
FIRST_DATA_ROW = 8
INPUT_COLUMNS = ("N", "O", "P")

# (column letter, Thai header, English header, width)
COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("A", "รหัสตัวชี้วัด", "kpi_code", 14),
    ("B", "ชื่อตัวชี้วัด", "name_th", 48),
    ("C", "มิติ", "dimension", 26),
    ("D", "หน่วยนับ", "unit", 11),
    ("E", "ทิศทาง", "direction", 9),
    ("F", "ประเภท", "kind", 9),
    ("G", "น้ำหนัก", "weight", 9),
    ("H", "ค่าเป้าหมาย", "target", 12),
    ("I", "เกณฑ์ระดับ 1", "t1", 11),
    ("J", "เกณฑ์ระดับ 2", "t2", 11),
    ("K", "เกณฑ์ระดับ 3", "t3", 11),
    ("L", "เกณฑ์ระดับ 4", "t4", 11),
    ("M", "เกณฑ์ระดับ 5", "t5", 11),
    ("N", "ผลการดำเนินงาน", "actual", 16),
    ("O", "หมายเหตุ", "note", 40),
    ("P", "หลักฐาน", "evidence", 30),
)

DIMENSION_NAMES = {
    "th": {
        "effectiveness": "มิติด้านประสิทธิผล",
        "service_quality": "มิติด้านคุณภาพการให้บริการ",
        "efficiency": "มิติด้านประสิทธิภาพของการปฏิบัติราชการ",
        "org_development": "มิติด้านการพัฒนาองค์กร",
    },
    "en": {
        "effectiveness": "Effectiveness",
        "service_quality": "Service quality",
        "efficiency": "Efficiency",
        "org_development": "Organisational development",
    },
}
DIRECTION_NAMES = {
    "th": {"higher": "มากดี", "lower": "น้อยดี"},
    "en": {"higher": "higher", "lower": "lower"},
}
KIND_NAMES = {
    "th": {"numeric": "ตัวเลข", "milestone": "ขั้นตอน"},
    "en": {"numeric": "numeric", "milestone": "milestone"},
}
VALIDATION_TEXT = {
    "th": {
        "numeric_error": "กรุณากรอกตัวเลข",
        "milestone_error": "กรุณากรอกจำนวนเต็ม 0–5 (จำนวนขั้นตอนที่ดำเนินการแล้ว)",
        "error_title": "ค่าไม่ถูกต้อง",
        "prompt_title": "ผลการดำเนินงานสะสม",
        "numeric_prompt": "กรอกผลสะสมตั้งแต่ต้นปีงบประมาณเป็นตัวเลข (ร้อยละ 85 กรอก 85) เว้นว่างหากยังไม่รายงาน",
        "milestone_prompt": "กรอกจำนวนขั้นตอนที่ดำเนินการแล้วเสร็จ เป็นจำนวนเต็ม 0–5",
    },
    "en": {
        "numeric_error": "Please enter a number",
        "milestone_error": "Please enter a whole number 0–5 (steps completed)",
        "error_title": "Invalid value",
        "prompt_title": "Year-to-date actual",
        "numeric_prompt": "Year-to-date actual as a number (85 % is typed 85); leave empty if not reported",
        "milestone_prompt": "Number of steps completed, a whole number 0–5",
    },
}

FONT_NAME = "Tahoma"
BODY_FONT = Font(name=FONT_NAME, size=10)
BOLD_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
NUMERIC_ACTUAL_FORMAT = "#,##0.00"
MILESTONE_ACTUAL_FORMAT = "0"
DECIMAL_LIMIT = "1000000000000"

INSTRUCTIONS: tuple[tuple[str, bool], ...] = (
    ("คำแนะนำการกรอกแบบรายงาน / How to fill in this form", True),
    ("", False),
    ("1. สิ่งที่ต้องกรอก / What to fill in", True),
    ("กรอกเฉพาะคอลัมน์ N, O, P ของแผ่นงาน “ผลการดำเนินงาน” ส่วนอื่นถูกล็อกไว้", False),
    ("Fill in only columns N, O and P of the sheet “ผลการดำเนินงาน”; everything else is locked.", False),
    ("คอลัมน์ N ผลการดำเนินงาน: ผลการดำเนินงานสะสมตั้งแต่ต้นปีงบประมาณถึงสิ้นไตรมาส (ไม่ใช่ผลเฉพาะไตรมาส)", False),
    ("Column N actual: the year-to-date cumulative result to the end of the quarter.", False),
    ("คอลัมน์ O หมายเหตุ: ปัญหาอุปสรรคและแนวทางแก้ไข ต้องกรอกเมื่อผลต่ำกว่าค่าเป้าหมายหรือยังไม่รายงานผล", False),
    ("Column O note: problems and corrective actions; required where the KPI is below target or not reported.", False),
    ("คอลัมน์ P หลักฐาน: ลิงก์หรือชื่อเอกสารหลักฐาน", False),
    ("Column P evidence: a link to, or the name of, the supporting document.", False),
    ("", False),
    ("2. การอ่านค่า / How values are read", True),
    ("ใช้เลขไทยหรือเลขอารบิกได้ (๘๕ = 85) และมีจุลภาคคั่นหลักได้ เช่น 1,234.5", False),
    ("Thai or Arabic digits and thousands separators are accepted, e.g. 1,234.5.", False),
    ("หน่วยนับร้อยละ: ร้อยละ 85 กรอก 85 และรับค่า 85% ด้วย", False),
    ("Percent units: type 85 for 85 %; 85% is accepted too.", False),
    ("เว้นว่าง หรือกรอก - หมายถึงยังไม่รายงานผล (ไม่นับเป็นศูนย์)", False),
    ("Empty or - means not reported (it does not count as zero).", False),
    ("ตัวชี้วัดประเภทขั้นตอน: กรอกจำนวนขั้นตอนที่ดำเนินการแล้วเสร็จ เป็นจำนวนเต็ม 0–5", False),
    ("Milestone KPIs: the number of steps completed, a whole number 0–5.", False),
    ("", False),
    ("3. ข้อควรระวัง / Take care", True),
    ("ห้ามแก้ไขรหัสตัวชี้วัด ส่วนหัว (หน่วยงาน ปีงบประมาณ ไตรมาส) และห้ามเพิ่ม ลบ หรือสลับแถว", False),
    ("Do not change KPI codes or the header block, and do not add, delete or reorder rows.", False),
    ("หากมีแถวใดผิด ระบบจะปฏิเสธทั้งไฟล์และแจ้งทุกจุดที่ต้องแก้ไขพร้อมกัน", False),
    ("A file with any wrong row is rejected whole, with every problem listed together.", False),
    ("การอัปโหลดซ้ำสำหรับหน่วยงาน ปี และไตรมาสเดียวกันจะแทนที่ฉบับก่อน โดยระบบเก็บฉบับก่อนหน้าไว้ทุกฉบับ", False),
    (
        "Re-uploading for the same unit, year and quarter replaces the earlier version; earlier versions are kept.",
        False,
    ),
    ("", False),
    ("4. การคิดคะแนน / Scoring", True),
    (
        (
            "คะแนน 0–5: ผลถึงเกณฑ์ระดับ 5 ได้ 5 คะแนน ผลระหว่างสองระดับคิดคะแนนตามสัดส่วน"
            " (เกณฑ์ 60/70/80/90/100 ผล 85 ได้ 3.5) ผลต่ำกว่าระดับ 1 ได้ 0 ตัวชี้วัดน้อยดีคิดกลับด้าน"
            " และตัวชี้วัดขั้นตอนได้คะแนนเท่ากับจำนวนขั้นตอน"
        ),
        False,
    ),
    (
        (
            "Score 0–5: reaching level 5 scores 5, results between two levels score proportionally"
            " (thresholds 60/70/80/90/100, actual 85 scores 3.5), below level 1 scores 0;"
            " lower-is-better KPIs are mirrored and milestone KPIs score their number of steps."
        ),
        False,
    ),
    ("คะแนน 3 ขึ้นไป = บรรลุเป้าหมาย, 2 ถึงต่ำกว่า 3 = ต้องเฝ้าระวัง, ต่ำกว่า 2 = ต่ำกว่าเป้าหมาย", False),
    ("Score ≥ 3 on track, 2 to below 3 at risk, below 2 off track.", False),
)


def write_template(
    out: str | os.PathLike[str] | BinaryIO,
    unit: Mapping[str, str],
    fiscal_year: int,
    quarter: int,
    kpis: Sequence[Mapping[str, object]],
    lang: str = "th",
    entries: Mapping[str, Entry] | None = None,
) -> None:
    """Write the submission template for one unit, fiscal year and quarter to a path or binary buffer.

    `lang` only changes the words in the informational data columns and the
    validation messages; sheet titles, header block and headers stay fixed
    because the submission reader depends on them.  A buffer is left positioned
    at its end, as after any write.  `entries` (KPI code -> actual, note,
    evidence) fills the input columns, as a user would: workbook_from_rows.
    """
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1-4, got {quarter!r}")
    if lang not in VALIDATION_TEXT:
        raise ValueError(f"lang must be 'th' or 'en', got {lang!r}")
    fiscal_year_be = as_be_year(fiscal_year)
    workbook = Workbook()
    data_sheet = workbook.active
    assert data_sheet is not None
    data_sheet.title = DATA_SHEET_TITLE
    _write_header_block(data_sheet, unit, fiscal_year_be, quarter)
    _write_column_headers(data_sheet)
    for row, kpi in enumerate(kpis, start=FIRST_DATA_ROW):
        _write_kpi_row(data_sheet, row, kpi, lang, (entries or {}).get(str(kpi["kpi_code"])))
    _add_actual_validations(data_sheet, kpis, lang)
    _protect(data_sheet)
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET_TITLE))
    workbook.properties.title = f"แบบรายงานผลการดำเนินงาน {unit['code']} ปีงบประมาณ {fiscal_year_be} ไตรมาสที่ {quarter}"
    workbook.properties.creator = "BSC KPI Dashboard"
    workbook.save(out)  # openpyxl hands `out` to ZipFile, which takes a path or a binary buffer


def workbook_from_rows(
    unit: Mapping[str, str], fiscal_year: int, quarter: int, kpis: Sequence[Mapping[str, object]],
    entries: Mapping[str, Entry], lang: str = "th",
) -> bytes:
    """The template of the unit's quarter with the input columns filled from `entries` (KPI code -> actual, note,
    evidence): what the upload page's form submits, through the same reader and checks as a file, and archives."""
    buffer = io.BytesIO()
    write_template(buffer, unit, fiscal_year, quarter, kpis, lang, entries)
    return buffer.getvalue()


def quarter_description(fiscal_year_be: int, quarter: int) -> str:
    """Thai period label as on real forms, e.g. 'ไตรมาสที่ 2 (1 ม.ค. 68 - 31 มี.ค. 68) ผลสะสม'."""
    start = format_date(quarter_start(fiscal_year_be, quarter), short_year=True)
    end = format_date(quarter_end(fiscal_year_be, quarter), short_year=True)
    return f"ไตรมาสที่ {quarter} ({start} - {end}) ผลสะสม"


def _write_header_block(sheet: Worksheet, unit: Mapping[str, str], fiscal_year_be: int, quarter: int) -> None:
    sheet["A1"] = "แบบรายงานผลการดำเนินงานตามตัวชี้วัด / KPI performance report"
    sheet["A1"].font = TITLE_FONT
    unit_name = unit["name_th"] + (f" ({unit['name_en']})" if unit.get("name_en") else "")
    rows = (
        ("หน่วยงาน / Unit", str(unit["code"]), unit_name),
        ("ปีงบประมาณ / Fiscal year", int(fiscal_year_be), None),
        ("ไตรมาส / Quarter", int(quarter), quarter_description(fiscal_year_be, quarter)),
    )
    for row, (label, value, description) in enumerate(rows, start=2):
        sheet.cell(row, 1, label).font = BOLD_FONT
        value_cell = sheet.cell(row, 2, _safe(value))
        value_cell.font = BOLD_FONT
        value_cell.alignment = Alignment(horizontal="left")
        if isinstance(value, str):
            value_cell.number_format = "@"
        if description is not None:
            sheet.cell(row, 3, _safe(description)).font = BODY_FONT


def _safe(value: object) -> object:
    """Catalogue and org text goes into the workbook as text, never as a formula (export.spreadsheet_text)."""
    return spreadsheet_text(value) if isinstance(value, str) else value


def _write_column_headers(sheet: Worksheet) -> None:
    for letter, header_th, header_en, width in COLUMNS:
        fill = INPUT_FILL if letter in INPUT_COLUMNS else HEADER_FILL
        for row, text, font in ((HEADER_ROW_TH, header_th, BOLD_FONT), (HEADER_ROW_EN, header_en, BODY_FONT)):
            cell = sheet[f"{letter}{row}"]
            cell.value = text
            cell.font = font
            cell.fill = fill
            cell.alignment = HEADER_ALIGN
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW_TH}:{HEADER_ROW_EN}"
    sheet.page_setup.orientation = "landscape"


def target_of(kpi: Mapping[str, object]) -> object:
    """The target a user reads beside a KPI: the catalogue's, else level 3 (the level that is on track)."""
    target = kpi.get("target")
    return target if target is not None else kpi.get("t3")


def _write_kpi_row(sheet: Worksheet, row: int, kpi: Mapping[str, object], lang: str, entry: Entry | None) -> None:
    """Informational columns A..M are copied from the catalogue; N..P are unlocked for the user, empty or filled
    from `entry`. Typed text is stored as text exactly (a note may start with '-' or '='): never a formula."""
    values: list[object] = [
        str(kpi["kpi_code"]),
        kpi["name_th"],
        DIMENSION_NAMES[lang].get(str(kpi["dimension"]), kpi["dimension"]),
        unit_of_measure_name(kpi["unit"], lang),
        DIRECTION_NAMES[lang].get(str(kpi["direction"]), kpi["direction"]),
        KIND_NAMES[lang].get(str(kpi["kind"]), kpi["kind"]),
        kpi["weight"],
        target_of(kpi),
        *(kpi.get(f"t{level}") for level in range(1, 6)),
    ]
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, _safe(value))
        cell.font = BODY_FONT
        cell.alignment = WRAP
    sheet.cell(row, 1).number_format = "@"
    for letter in INPUT_COLUMNS:
        cell = sheet[f"{letter}{row}"]
        cell.font = BODY_FONT
        cell.fill = INPUT_FILL
        cell.alignment = WRAP
        cell.protection = Protection(locked=False)
    sheet[f"N{row}"].number_format = MILESTONE_ACTUAL_FORMAT if kpi["kind"] == "milestone" else NUMERIC_ACTUAL_FORMAT
    for letter, value in zip(INPUT_COLUMNS, entry or (), strict=False):
        if value is None or value == "":
            continue
        cell = sheet[f"{letter}{row}"]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"


def _add_actual_validations(sheet: Worksheet, kpis: Sequence[Mapping[str, object]], lang: str) -> None:
    """One rule for numeric rows and one for milestone rows, so Excel refuses text or step counts outside 0-5."""
    text = VALIDATION_TEXT[lang]
    numeric = DataValidation(
        type="decimal", operator="between", formula1=f"-{DECIMAL_LIMIT}", formula2=DECIMAL_LIMIT,
        allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle=text["error_title"], error=text["numeric_error"],
        promptTitle=text["prompt_title"], prompt=text["numeric_prompt"],
    )  # fmt: skip
    milestone = DataValidation(
        type="whole", operator="between", formula1="0", formula2="5",
        allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorTitle=text["error_title"], error=text["milestone_error"],
        promptTitle=text["prompt_title"], prompt=text["milestone_prompt"],
    )  # fmt: skip
    for row, kpi in enumerate(kpis, start=FIRST_DATA_ROW):
        (milestone if kpi["kind"] == "milestone" else numeric).add(f"N{row}")
    for validation in (numeric, milestone):
        if validation.sqref.ranges:  # an empty sqref makes Excel report a corrupt file
            sheet.add_data_validation(validation)


def _protect(sheet: Worksheet) -> None:
    """Protect without a password: it guards against slips, not people; resizing rows and columns stays allowed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_instructions(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 110
    for row, (text, is_heading) in enumerate(INSTRUCTIONS, start=1):
        cell = sheet.cell(row, 1, text or None)
        cell.font = TITLE_FONT if row == 1 else BOLD_FONT if is_heading else BODY_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")

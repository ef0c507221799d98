"""Specification of the cell parsers: every form a real Thai catalogue or submission uses, and what is refused."""

import datetime

import pandas as pd
import pytest

from pipelines.calendar import format_fiscal_period
from pipelines.domain import DIMENSIONS, ORG_LEVELS, PMQA_CATEGORIES, PMQA_GROUPS, STATUSES
from pipelines.parsing import (
    clean_text,
    is_blank,
    is_percent_unit,
    parse_dimension,
    parse_direction,
    parse_fiscal_year,
    parse_kind,
    parse_number,
    parse_org_level,
    parse_pmqa,
    parse_quarter,
    to_arabic_digits,
)

EMPTY_CELLS = [None, float("nan"), pd.NA, pd.NaT, "", "   ", "\u00a0", "\u200b"]


def test_domain_tables_follow_domain_md():
    assert list(DIMENSIONS) == ["effectiveness", "service_quality", "efficiency", "org_development"]
    assert DIMENSIONS["efficiency"] == ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "Efficiency")
    assert sorted(PMQA_CATEGORIES) == list(range(1, 8))
    assert {group for _, _, group in PMQA_CATEGORIES.values()} == set(PMQA_GROUPS)
    assert [n for n, (_, _, group) in PMQA_CATEGORIES.items() if group == "think"] == [1, 3, 7]
    assert list(STATUSES) == ["on_track", "at_risk", "off_track", "not_reported"]
    assert list(ORG_LEVELS) == ["agency", "division", "group", "individual"]


def test_thai_digits_become_arabic_and_other_text_is_kept():
    assert to_arabic_digits("ไตรมาส ๒/๒๕๖๘") == "ไตรมาส 2/2568"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  กองแผนงาน  ", "กองแผนงาน"),
        ("กอง\u00a0 แผน\tงาน", "กอง แผน งาน"),
        ("P-01\u200b", "P-01"),
        ("\ufeffdivision", "division"),
        ("e\u0301", "\u00e9"),
        (2568.0, "2568"),
        (2568, "2568"),
        (85.5, "85.5"),
    ],
)
def test_clean_text_normalises_what_users_cannot_see(value, expected):
    assert clean_text(value) == expected


@pytest.mark.parametrize("value", EMPTY_CELLS)
def test_empty_cells_are_blank_and_clean_to_empty_text(value):
    assert is_blank(value)
    assert clean_text(value) == ""


@pytest.mark.parametrize("value", ["-", "0", 0, "x"])
def test_cells_with_content_are_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (85, 85.0),
        (72.5, 72.5),
        (0, 0.0),
        ("85", 85.0),
        (" 12 ", 12.0),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("1 234.5", 1234.5),
        ("1\u2009234", 1234.0),
        ("๘๕", 85.0),
        ("๑,๒๓๔.๕", 1234.5),
        ("85%", 85.0),
        ("85 %", 85.0),
        ("−3", -3.0),
        ("-3", -3.0),
        ("+3", 3.0),
        (".5", 0.5),
    ],
)
def test_number_forms_users_type_are_numbers(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    "value", [*(cell for cell in EMPTY_CELLS if not isinstance(cell, float)), "-", "–", "—", "n/a", "N/A"]
)
def test_blank_dash_and_na_mean_not_reported(value):
    assert parse_number(value) is None


@pytest.mark.parametrize(
    "value",
    ["abc", "12a", "1,23", "1234,5", "1,2345", "NaN", "inf", "-inf", "%", "3 - 4"]
    + [True, float("inf"), float("nan"), datetime.date(2025, 1, 1)],
)
def test_text_that_is_not_a_number_is_rejected(value):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2568, 2568),
        (2568.0, 2568),
        ("2568", 2568),
        ("๒๕๖๘", 2568),
        ("พ.ศ. ๒๕๖๘", 2568),
        ("ปีงบประมาณ พ.ศ. 2568", 2568),
        ("2025", 2568),
        (2025, 2568),
        ("FY2025", 2568),
        ("68", 2568),
        (68, 2568),
        ("๖๘", 2568),
        ("2401", 2401),
        ("2400", 2400),  # from 2400 a year is BE, as calendar.parse_date reads it (was CE 2400 -> 2943 here)
        ("2399", 2942),
        ("1900", 2443),
    ],
)
def test_fiscal_year_in_be_or_ce_is_read_as_be(value, expected):
    assert parse_fiscal_year(value) == expected


@pytest.mark.parametrize("value", [None, "", "ปีงบประมาณ", "1899", 123, "5", 2568.5, "25680"])
def test_fiscal_year_that_is_no_year_is_rejected(value):
    with pytest.raises(ValueError):
        parse_fiscal_year(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, 2),
        (2.0, 2),
        ("2", 2),
        ("2.0", 2),
        ("๒", 2),
        ("Q2", 2),
        ("q2", 2),
        ("Q 2", 2),
        ("Quarter 2", 2),
        ("ไตรมาส 2", 2),
        ("ไตรมาสที่ 2", 2),
        ("ไตรมาสที่2", 2),
        ("ไตรมาส ๒", 2),
        ("ไตรมาสที่ 2 (1 ม.ค. 66 - 31 มี.ค. 66)", 2),
        ("ไตรมาส 2/2568", 2),
        ("Q2 FY2568", 2),
        ("รอบ 3 เดือน", 1),
        ("รอบ 6 เดือน", 2),
        ("6 เดือน", 2),
        ("รอบ ๙ เดือน", 3),
        ("รอบ 12 เดือน", 4),
        (1, 1),
        (4, 4),
    ],
)
def test_quarter_forms_of_real_reports_are_understood(value, expected):
    assert parse_quarter(value) == expected


@pytest.mark.parametrize("value", [0, 5, "Q5", "ไตรมาส 0", "2568", 2.5, "รอบ 5 เดือน", "ไตรมาส", "x", None, ""])
def test_quarter_outside_1_to_4_or_unreadable_is_rejected(value):
    with pytest.raises(ValueError):
        parse_quarter(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("effectiveness", "effectiveness"),
        ("service_quality", "service_quality"),
        ("org_development", "org_development"),
        ("มิติด้านประสิทธิผล", "effectiveness"),
        ("ประสิทธิผล", "effectiveness"),
        ("มิติประสิทธิผล", "effectiveness"),
        ("มิติด้านคุณภาพการให้บริการ", "service_quality"),
        ("คุณภาพการให้บริการ", "service_quality"),
        ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", "efficiency"),
        ("ประสิทธิภาพของการปฏิบัติราชการ", "efficiency"),
        ("ประสิทธิภาพ", "efficiency"),
        ("การพัฒนาองค์กร", "org_development"),
        ("การพัฒนาองค์การ", "org_development"),
        ("มิติด้านการพัฒนาองค์การ", "org_development"),
        ("Effectiveness", "effectiveness"),
        ("Service quality", "service_quality"),
        ("SERVICE QUALITY", "service_quality"),
        ("Efficiency", "efficiency"),
        ("Organisational development", "org_development"),
        ("organizational development", "org_development"),
        (1, "effectiveness"),
        (2.0, "service_quality"),
        ("2", "service_quality"),
        ("๒", "service_quality"),
        ("3", "efficiency"),
        ("4", "org_development"),
        ("มิติที่ 3", "efficiency"),
    ],
)
def test_dimension_by_code_name_or_number_is_understood(value, expected):
    assert parse_dimension(value) == expected


@pytest.mark.parametrize("value", ["ประสิทธิ", "ผล", "คุณภาพ", "quality", 0, 5, 2.5, "effective", None, ""])
def test_dimension_that_names_none_of_the_four_is_rejected(value):
    with pytest.raises(ValueError):
        parse_dimension(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("higher", "higher"),
        ("Higher", "higher"),
        ("H", "higher"),
        ("มากดี", "higher"),
        ("มาก", "higher"),
        ("Higher is better", "higher"),
        ("↑", "higher"),
        ("lower", "lower"),
        ("LOWER", "lower"),
        ("l", "lower"),
        ("น้อยดี", "lower"),
        ("น้อย", "lower"),
        ("lower is better", "lower"),
        ("↓", "lower"),
    ],
)
def test_direction_words_in_thai_and_english_are_understood(value, expected):
    assert parse_direction(value) == expected


@pytest.mark.parametrize("value", ["up-ish", "ดี", "better", None, ""])
def test_unknown_or_missing_direction_is_rejected(value):
    with pytest.raises(ValueError):
        parse_direction(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("numeric", "numeric"),
        ("N", "numeric"),
        ("เชิงปริมาณ", "numeric"),
        ("ตัวเลข", "numeric"),
        ("milestone", "milestone"),
        ("Milestone", "milestone"),
        ("M", "milestone"),
        ("ขั้นตอน", "milestone"),
        ("ระดับขั้น", "milestone"),
        ("ระดับความสำเร็จ", "milestone"),
        (None, "numeric"),
        ("", "numeric"),
    ],
)
def test_kpi_kind_is_numeric_unless_it_counts_steps(value, expected):
    assert parse_kind(value) == expected


def test_unknown_kpi_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown kind"):
        parse_kind("qualitative")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        (float("nan"), []),
        ("2,4", [2, 4]),
        ("2, 4", [2, 4]),
        ("2;4", [2, 4]),
        ("2 4", [2, 4]),
        ("๒,๔", [2, 4]),
        ("หมวด 2", [2]),
        ("หมวด 2,4", [2, 4]),
        ("หมวด 2, หมวด 4", [2, 4]),
        ("4,2,4", [2, 4]),
        ("1,2,3,4,5,6,7", [1, 2, 3, 4, 5, 6, 7]),
        (4, [4]),
        (4.0, [4]),
    ],
)
def test_pmqa_list_is_sorted_unique_categories(value, expected):
    assert parse_pmqa(value) == expected


@pytest.mark.parametrize("value", ["0", "8", "2,8", 24, "หมวด", "x", 2.5, "2.4"])
def test_pmqa_category_outside_1_to_7_is_rejected(value):
    with pytest.raises(ValueError, match="1 to 7"):
        parse_pmqa(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("agency", "agency"),
        ("Agency", "agency"),
        ("ส่วนราชการ", "agency"),
        ("หน่วยงาน", "agency"),
        ("กรม", "agency"),
        ("division", "division"),
        ("สำนัก", "division"),
        ("กอง", "division"),
        ("ศูนย์", "division"),
        ("group", "group"),
        ("กลุ่มงาน", "group"),
        ("กลุ่ม", "group"),
        ("individual", "individual"),
        ("บุคคล", "individual"),
    ],
)
def test_org_level_in_thai_or_english_is_understood(value, expected):
    assert parse_org_level(value) == expected


@pytest.mark.parametrize("value", ["ministry", None, ""])
def test_unknown_org_level_is_rejected(value):
    with pytest.raises(ValueError):
        parse_org_level(value)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("ร้อยละ", True),
        (" ร้อยละ ", True),
        ("%", True),
        ("Percent", True),
        ("เปอร์เซ็นต์", True),
        ("ครั้ง", False),
        ("วัน", False),
        ("ระดับ", False),
        (None, False),
    ],
)
def test_percent_units_are_recognised(unit, expected):
    assert is_percent_unit(unit) is expected


@pytest.mark.parametrize("lang", ["th", "en"])
def test_formatted_fiscal_period_reads_back_as_the_same_quarter(lang):
    assert parse_quarter(format_fiscal_period(2568, 3, lang)) == 3

"""pipelines.calendar: every date a person reads is written one way (day, month abbreviation, BE year), and every
date a person types is read one way (BE or CE: a year of 2400 or more is BE), refusing what is not a date."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import i18n
from pipelines.calendar import DateTextError, format_date, parse_date

ROOT = Path(__file__).resolve().parents[1]
OCT_15_2025 = dt.date(2025, 10, 15)


@pytest.mark.parametrize("typed", [
    "15/10/2568", "15/10/2025", "2025-10-15", "2568-10-15", "15-10-2568", "15.10.2568", " 15 / 10 / 2568 ",
    "15 ต.ค. 2568", "15 ต.ค 2568", "15 ตค 2568", "15ต.ค.2568", "15 ตุลาคม 2568", "15 Oct 2025", "15 oct 2568",
    "15 October 2025", "15 Oct, 2025", "๑๕/๑๐/๒๕๖๘", "๑๕ ต.ค. ๒๕๖๘",
])
def test_typed_dates_in_be_or_ce_read_as_the_same_day(typed: str) -> None:
    assert parse_date(typed) == OCT_15_2025


@pytest.mark.parametrize(("typed", "expected"), [
    ("1/2/2568", dt.date(2025, 2, 1)),  # day first, as Thai forms write it
    ("29 ก.พ. 2567", dt.date(2024, 2, 29)),  # 2024 is a leap year
    ("31 ธ.ค. 2399", dt.date(2399, 12, 31)),  # below 2400 the year is CE
    ("1 ม.ค. 2400", dt.date(1857, 1, 1)),  # from 2400 it is BE
    ("30 Sept 2025", dt.date(2025, 9, 30)),
])
def test_day_month_order_and_the_be_threshold(typed: str, expected: dt.date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize(("typed", "reason_en"), [
    ("bad", "not a date"),
    ("", "no date was typed"),
    ("   ", "no date was typed"),
    ("15/10/68", "not a date"),  # a two-digit year could be either era: refused, not guessed
    ("2568/10/15", "not a date"),
    ("15 foo 2568", "not a date"),
    ("31/02/2568", "no such day"),
    ("29 ก.พ. 2568", "no such day"),  # 2025 is not a leap year
    ("15/13/2568", "no such day"),
    ("0/10/2568", "no such day"),
])
def test_text_that_is_not_a_date_is_refused_in_thai_and_english(typed: str, reason_en: str) -> None:
    with pytest.raises(DateTextError) as refused:
        parse_date(typed)
    assert reason_en in refused.value.reason_en
    assert re.search("[ก-๙]", refused.value.reason_th)
    message = refused.value.message("th")
    assert message.index(refused.value.reason_th) < message.index(refused.value.reason_en)
    assert refused.value.message("en").startswith(f"“{refused.value.text}”: {refused.value.reason_en}")


@pytest.mark.parametrize(("value", "lang", "with_time", "expected"), [
    (OCT_15_2025, "th", False, "15 ต.ค. 2568"),
    (OCT_15_2025, "en", False, "15 Oct 2568"),
    (dt.datetime(2026, 11, 29, 16, 15, 42), "th", True, "29 พ.ย. 2569 16:15"),
    (dt.datetime(2026, 11, 29, 16, 15, 42), "en", True, "29 Nov 2569 16:15"),
    (dt.datetime(2026, 11, 29, 16, 15, 42), "th", False, "29 พ.ย. 2569"),
    (pd.Timestamp("2025-01-01 09:05"), "th", True, "1 ม.ค. 2568 09:05"),
    ("2026-11-29 16:15:00", "th", True, "29 พ.ย. 2569 16:15"),
    (None, "th", False, "–"),
    (pd.NaT, "en", True, "–"),
    (math.nan, "th", False, "–"),
])
def test_every_date_is_written_with_a_be_year_in_both_languages(value, lang, with_time, expected) -> None:
    assert format_date(value, lang, with_time=with_time) == expected


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_written_date_reads_back_as_the_same_day(lang: str) -> None:
    for day in pd.date_range("2024-01-01", "2025-12-31", freq="17D"):
        assert parse_date(format_date(day, lang)) == day.date()


def test_a_column_of_dates_is_written_by_the_same_function() -> None:
    column = pd.Series(pd.to_datetime(["2026-11-29 16:15", None, "2025-10-15 08:00"]), index=[5, 6, 7])
    assert i18n.date_texts(column, "th", with_time=True).to_dict() == {
        5: "29 พ.ย. 2569 16:15", 6: "–", 7: "15 ต.ค. 2568 08:00"}
    assert i18n.date_texts(column, "en").tolist() == ["29 Nov 2569", "–", "15 Oct 2568"]


def test_thai_month_names_live_only_in_the_calendar_module() -> None:
    """One home for the month names: no other module of pipelines/ or dashboard/ spells the list out."""
    spelled_out = re.compile(r"""["']ต\.ค\.["']\s*,\s*["']พ\.ย\.["']""")
    homes = [path.relative_to(ROOT).as_posix() for folder in ("pipelines", "dashboard")
             for path in sorted((ROOT / folder).rglob("*.py")) if spelled_out.search(path.read_text(encoding="utf-8"))]
    assert homes == ["pipelines/calendar.py"]

"""pipelines.calendar: every date a person reads is written one way (day, month abbreviation, BE year), and every
date a person types is read one way (BE or CE: a year of 2400 or more is BE), refusing what is not a date; the fiscal
year (1 October to 30 September, named by its BE year), its quarters and the one quarter ordinal."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import i18n
from pipelines import calendar, db, queries, reports, saved_queries
from pipelines.calendar import (
    BE_OFFSET,
    QUARTERS,
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    DateTextError,
    as_be_year,
    be_year,
    ce_year,
    fiscal_period_of,
    format_date,
    format_fiscal_period,
    next_quarter,
    parse_date,
    previous_quarter,
    quarter_end,
    quarter_of_ordinal,
    quarter_ordinal,
    quarter_ordinal_sql,
    quarter_start,
    typed_fiscal_year,
)
from pipelines.parsing import parse_fiscal_year, parse_quarter
from pipelines.templates import quarter_description

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


# --- BE and CE --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "ce", "be"), [
    (2568, 2025, 2568), (2025, 2025, 2568), (2400, 1857, 2400), (2399, 2399, 2942), (2601, 2058, 2601),
])
def test_a_typed_year_is_be_from_2400_up_and_ce_below(year: int, ce: int, be: int) -> None:
    assert ce_year(year) == ce
    assert as_be_year(year) == be
    assert be_year(ce) == be == ce + BE_OFFSET


@pytest.mark.parametrize(("digits", "expected"), [
    ("2568", 2568), ("2025", 2568), ("68", 2568), ("10", 2510), ("99", 2599), ("2400", 2400), ("1900", 2443),
    ("๒๕๖๘", 2568), ("๖๘", 2568),
])
def test_a_typed_fiscal_year_is_read_as_be(digits: str, expected: int) -> None:
    assert typed_fiscal_year(digits) == expected


@pytest.mark.parametrize("digits", ["1899", "5", "09", "123", "25680", "0000"])
def test_a_typed_fiscal_year_that_is_no_year_is_refused(digits: str) -> None:
    with pytest.raises(ValueError, match="not a fiscal year"):
        typed_fiscal_year(digits)


def test_the_cell_parser_and_the_date_reader_draw_the_be_line_at_the_same_year() -> None:
    """One BE/CE rule: 2400 typed as a fiscal year and as a date's year are both BE, 2399 both CE."""
    assert parse_fiscal_year("2400") == as_be_year(parse_date("1/1/2400").year) == 2400
    assert parse_fiscal_year("2399") == as_be_year(parse_date("1/1/2399").year) == 2942


# --- the fiscal year and its quarters ------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2024, 9, 30), (2567, 4)),
    (dt.date(2024, 10, 1), (2568, 1)),  # 1 October starts the fiscal year
    (dt.date(2024, 12, 31), (2568, 1)),
    (dt.date(2025, 1, 1), (2568, 2)),  # Q2 starts as the CE (and BE) year changes, the fiscal year does not
    (dt.date(2025, 3, 31), (2568, 2)),
    (dt.date(2025, 4, 1), (2568, 3)),
    (dt.date(2025, 6, 30), (2568, 3)),
    (dt.date(2025, 7, 1), (2568, 4)),
    (dt.date(2025, 9, 30), (2568, 4)),
    (dt.datetime(2025, 9, 30, 23, 59), (2568, 4)),
    (dt.datetime(2025, 10, 1, 0, 0), (2569, 1)),
    (pd.Timestamp("2025-10-01 08:30"), (2569, 1)),
    (dt.date(2024, 2, 29), (2567, 2)),  # leap day
])
def test_the_fiscal_quarter_of_a_date(day: dt.date, expected: tuple[int, int]) -> None:
    assert fiscal_period_of(day) == expected


@pytest.mark.parametrize(("fiscal_year", "quarter", "start", "end"), [
    (2568, 1, dt.date(2024, 10, 1), dt.date(2024, 12, 31)),  # Q1 lies in the CE year before the fiscal year's
    (2568, 2, dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
    (2568, 3, dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    (2568, 4, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    (2567, 2, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),  # 2024 is a leap year: Q2 still ends on 31 March
])
def test_quarter_start_and_end(fiscal_year: int, quarter: int, start: dt.date, end: dt.date) -> None:
    assert quarter_start(fiscal_year, quarter) == start
    assert quarter_end(fiscal_year, quarter) == end
    assert fiscal_period_of(start) == fiscal_period_of(end) == (fiscal_year, quarter)
    assert fiscal_period_of(start - dt.timedelta(days=1)) == previous_quarter(fiscal_year, quarter)
    assert fiscal_period_of(end + dt.timedelta(days=1)) == next_quarter(fiscal_year, quarter)


def test_the_quarters_cover_every_day_of_the_fiscal_year_once() -> None:
    days = [quarter_start(2567, 1) + dt.timedelta(days=n) for n in range(366)]  # FY 2567 holds 29 Feb 2024
    assert days[-1] == quarter_end(2567, 4) == dt.date(2024, 9, 30)
    for day in days:
        year, quarter = fiscal_period_of(day)
        assert year == 2567 and quarter_start(year, quarter) <= day <= quarter_end(year, quarter)


@pytest.mark.parametrize(("fiscal_year", "quarter"), [(2568, 0), (2568, 5), (2025, 1), (68, 2)])
def test_a_quarter_that_is_not_one_is_refused(fiscal_year: int, quarter: int) -> None:
    with pytest.raises(ValueError):
        quarter_start(fiscal_year, quarter)
    with pytest.raises(ValueError):
        quarter_end(fiscal_year, quarter)


@pytest.mark.parametrize(("period", "before", "after"), [
    ((2568, 1), (2567, 4), (2568, 2)),
    ((2568, 2), (2568, 1), (2568, 3)),
    ((2568, 3), (2568, 2), (2568, 4)),
    ((2568, 4), (2568, 3), (2569, 1)),
])
def test_previous_and_next_quarter_cross_the_fiscal_year(period, before, after) -> None:
    assert previous_quarter(*period) == before
    assert next_quarter(*period) == after
    assert next_quarter(*previous_quarter(*period)) == period


def test_the_quarter_ordinal_counts_quarters_on_one_scale() -> None:
    periods = [(year, quarter) for year in (2566, 2567, 2568) for quarter in QUARTERS]
    ordinals = [quarter_ordinal(*period) for period in periods]
    assert ordinals == list(range(ordinals[0], ordinals[0] + len(periods)))  # consecutive, also Q4 -> Q1
    assert quarter_ordinal(2568, 1) == 2568 * 4
    assert [quarter_of_ordinal(ordinal) for ordinal in ordinals] == periods


def test_sql_counts_quarters_on_the_same_scale() -> None:
    with duckdb.connect() as con:
        for year in (2567, 2568):
            for quarter in QUARTERS:
                sql = f"SELECT {quarter_ordinal_sql('t.y', 't.q')} FROM (SELECT ? AS y, ? AS q) AS t"
                assert con.execute(sql, [year, quarter]).fetchone()[0] == quarter_ordinal(year, quarter)


def test_the_sql_of_the_product_uses_the_one_ordinal() -> None:
    """No second encoding (fy*10+q) in the SQL page's examples or the dashboard's queries."""
    texts = [example.sql for example in saved_queries.EXAMPLES] + [
        value for value in vars(queries).values() if isinstance(value, str)]
    assert not [text for text in texts if re.search(r"fiscal_year\s*\*(?! 4 \+ \w*\.?quarter - 1\))", text)]
    assert any(quarter_ordinal_sql() in example.sql for example in saved_queries.EXAMPLES)
    assert quarter_ordinal_sql("r.fiscal_year", "r.quarter") in queries.DASHBOARD_UNIT_RESULTS


def test_the_units_page_sparkline_spans_eight_quarters_back_across_the_fiscal_year(sample_db) -> None:
    with db.open_db(sample_db, read_only=True) as con:
        card = reports.unit_scorecard(con, 2568, 2, "PLAN")
    assert card.trend_labels == [(2566, 3), (2566, 4), (2567, 1), (2567, 2), (2567, 3), (2567, 4), (2568, 1),
                                 (2568, 2)]


# --- names of quarters and months ----------------------------------------------------------------------------------


def test_a_quarter_is_named_one_way_and_reads_back() -> None:
    assert format_fiscal_period(2568, 2) == "ไตรมาส 2/2568"
    assert format_fiscal_period(2568, 2, "en") == "Q2 FY2568"
    for lang in ("th", "en"):
        assert parse_quarter(format_fiscal_period(2568, 3, lang)) == 3
    assert i18n.period_label(2568, 2, "en") == "Q2 FY2568"


def test_a_date_with_a_short_year_as_the_forms_write_it() -> None:
    assert format_date(dt.date(2024, 10, 1), short_year=True) == "1 ต.ค. 67"
    assert format_date(dt.date(2057, 12, 31), short_year=True) == "31 ธ.ค. 00"  # 2600 BE
    assert quarter_description(2568, 1) == "ไตรมาสที่ 1 (1 ต.ค. 67 - 31 ธ.ค. 67) ผลสะสม"


def test_month_names_full_and_abbreviated() -> None:
    assert len(THAI_MONTHS) == len(THAI_MONTHS_SHORT) == 12
    assert (THAI_MONTHS[9], THAI_MONTHS_SHORT[9]) == ("ตุลาคม", "ต.ค.")
    for number, (full, short) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT, strict=True), start=1):
        assert parse_date(f"1 {full} 2568").month == parse_date(f"1 {short} 2568").month == number


def test_no_other_module_does_calendar_arithmetic() -> None:
    """One home for the calendar: no module of pipelines/ or dashboard/ but calendar.py adds 543, writes the
    fiscal year's first month, or encodes a quarter as a number (fy*10+q, fy*4+q)."""
    rule = re.compile(r"\b543\b|\b2500\b|[<>]=? *2400\b|\.month\s*>=|fiscal_year\s*\*\s*(?:4|10)\b|"
                      r"quarter\s*-\s*1\)\s*if|\(fiscal_year - 1, 4\)")
    homes = sorted({path.relative_to(ROOT).as_posix() for folder in ("pipelines", "dashboard")
                    for path in (ROOT / folder).rglob("*.py") if rule.search(path.read_text(encoding="utf-8"))})
    assert homes == ["pipelines/calendar.py"]
    assert calendar.quarter_ordinal_sql() == "(fiscal_year * 4 + quarter - 1)"

"""The calendar: the fiscal year and its quarters, Buddhist Era years, Thai month names, and dates written and read.

Written (`format_date`): every date a person reads is day, month abbreviation, Buddhist Era year: `15 ต.ค. 2568`
in Thai and `15 Oct 2568` in English (the year stays BE in both languages, as on every government form; the
English fiscal-year labels say "2568 BE" the same way), `29 พ.ย. 2569 16:15` where the time matters.

Read (`parse_date`): d/m/yyyy (also with - or .), yyyy-mm-dd, or d mmm yyyy with a Thai or English month,
abbreviated or in full, in Arabic or Thai digits. A year of 2400 or more is BE (2568 is 2025 CE), a smaller one
CE, so `15/10/2568`, `15/10/2025`, `2025-10-15` and `15 ต.ค. 2568` are the same day. Anything else is refused
with a reason in Thai and English, never read as "no date".

The fiscal year runs from 1 October to 30 September and is named by its BE year of 30 September: FY 2568 is
1 Oct 2024 – 30 Sep 2025 CE, its Q1 is October–December 2024, Q2 January–March 2025, Q3 April–June, Q4
July–September (`fiscal_period_of`, `quarter_start`, `quarter_end`). Quarters are counted on one scale, the quarter
ordinal `fiscal_year * 4 + quarter - 1` (`quarter_ordinal`, and `quarter_ordinal_sql` for SQL), so consecutive
quarters differ by one across a year change. This module is the one home of every calendar rule: no other module
adds 543, spells a month name or does quarter arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.lazy import lazy_module

pd = lazy_module("pandas")

BE_OFFSET = 543
"""Buddhist Era year = CE year + 543."""
BE_FROM = 2400
"""A typed year of this or more is BE; no CE year the product meets is that large, no BE year that small."""
CE_FROM = 1900
"""A typed four-digit fiscal year below this is neither BE nor a CE year the agency reports in."""
SHORT_BE_CENTURY = 2500
"""A two-digit fiscal year is short BE, as forms write it: '68' is 2568."""
QUARTERS = (1, 2, 3, 4)
FISCAL_YEAR_START_MONTH = 10
"""The fiscal year starts on 1 October of the CE year before the one it is named by."""

THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December")  # fmt: skip
NO_DATE = "–"

_MONTH_NUMBERS = {
    name.casefold().replace(".", ""): number
    for names in (THAI_MONTHS_SHORT, THAI_MONTHS, ENGLISH_MONTHS_SHORT, ENGLISH_MONTHS)
    for number, name in enumerate(names, start=1)
} | {"sept": 9}
_DIGIT = "[0-9๐-๙]"
"""Arabic or Thai digits; int() reads both."""
_NUMERIC_DMY = re.compile(rf"({_DIGIT}{{1,2}})\s*[/.\-]\s*({_DIGIT}{{1,2}})\s*[/.\-]\s*({_DIGIT}{{4}})")
_NUMERIC_YMD = re.compile(rf"({_DIGIT}{{4}})-({_DIGIT}{{1,2}})-({_DIGIT}{{1,2}})")
_WORDS_DMY = re.compile(rf"({_DIGIT}{{1,2}})\s*([^\d\s,]+(?:\s[^\d\s,]+)?)\s*,?\s*({_DIGIT}{{4}})")

EXAMPLES = "15/10/2568, 2025-10-15, 15 ต.ค. 2568"


class DateTextError(ValueError):
    """Typed text that is not a date, with the reason in Thai and English."""

    def __init__(self, text: str, reason_th: str, reason_en: str) -> None:
        super().__init__(f"{text}: {reason_en}")
        self.text, self.reason_th, self.reason_en = text, reason_th, reason_en

    def message(self, lang: str) -> str:
        """Both languages, the reader's first: a refused date is hostile input, said in Thai and English."""
        first, second = (self.reason_th, self.reason_en) if lang == "th" else (self.reason_en, self.reason_th)
        return f"“{self.text}”: {first} / {second}"


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(year: int) -> int:
    """A typed year in CE: BE from 2400 up, else already CE."""
    return year - BE_OFFSET if year >= BE_FROM else year


def as_be_year(year: int) -> int:
    """A typed year in BE: BE from 2400 up, else CE made BE."""
    return be_year(ce_year(year))


def typed_fiscal_year(digits: str) -> int:
    """The BE fiscal year typed as `digits`: two digits are short BE ('68' is 2568), four digits BE from 2400 up
    or CE from 1900 up (2025 is 2568); ValueError for anything else."""
    year = int(digits)
    if len(digits) == 2 and year >= 10:
        return SHORT_BE_CENTURY + year
    if len(digits) == 4 and year >= CE_FROM:
        return as_be_year(year)
    raise ValueError("not a fiscal year")


def _check_quarter(fiscal_year: int, quarter: int) -> None:
    if quarter not in QUARTERS or fiscal_year < BE_FROM:
        raise ValueError(f"not a BE fiscal year and quarter 1-4: {fiscal_year}, {quarter!r}")


def fiscal_period_of(day: dt.date) -> tuple[int, int]:
    """(fiscal year in BE, quarter) of a date (or datetime): 30 Sep 2025 is Q4 2568, 1 Oct 2025 Q1 2569."""
    months_into_year = (day.month - FISCAL_YEAR_START_MONTH) % 12
    fiscal_year_ce = day.year + (day.month >= FISCAL_YEAR_START_MONTH)
    return be_year(fiscal_year_ce), months_into_year // 3 + 1


def quarter_start(fiscal_year: int, quarter: int) -> dt.date:
    """The first day of a quarter of a BE fiscal year: Q1 2568 starts on 1 Oct 2024, Q2 2568 on 1 Jan 2025."""
    _check_quarter(fiscal_year, quarter)
    months = (ce_year(fiscal_year) - 1) * 12 + FISCAL_YEAR_START_MONTH - 1 + (quarter - 1) * 3
    return dt.date(months // 12, months % 12 + 1, 1)


def quarter_end(fiscal_year: int, quarter: int) -> dt.date:
    """The last day of a quarter of a BE fiscal year: Q1 2568 ends on 31 Dec 2024, Q4 2568 on 30 Sep 2025."""
    _check_quarter(fiscal_year, quarter)
    return quarter_start(*next_quarter(fiscal_year, quarter)) - dt.timedelta(days=1)


def quarter_ordinal(fiscal_year: int, quarter: int) -> int:
    """The quarter's place on one scale, `fiscal_year * 4 + quarter - 1`: the quarter after has the next number,
    also from Q4 to Q1 of the next year. SQL writes the same number with `quarter_ordinal_sql`."""
    return fiscal_year * len(QUARTERS) + quarter - 1


def quarter_of_ordinal(ordinal: int) -> tuple[int, int]:
    """(fiscal year, quarter) of a `quarter_ordinal`."""
    fiscal_year, index = divmod(ordinal, len(QUARTERS))
    return fiscal_year, index + 1


def quarter_ordinal_sql(fiscal_year: str = "fiscal_year", quarter: str = "quarter") -> str:
    """`quarter_ordinal` as an SQL expression over the two named columns, e.g. '(r.fiscal_year * 4 + r.quarter - 1)'."""
    return f"({fiscal_year} * {len(QUARTERS)} + {quarter} - 1)"


def previous_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    """The quarter before; before Q1 comes Q4 of the previous fiscal year."""
    return quarter_of_ordinal(quarter_ordinal(fiscal_year, quarter) - 1)


def next_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    """The quarter after; after Q4 comes Q1 of the next fiscal year."""
    return quarter_of_ordinal(quarter_ordinal(fiscal_year, quarter) + 1)


def format_fiscal_period(fiscal_year: int, quarter: int, lang: str = "th") -> str:
    """'ไตรมาส 2/2568' (Thai) or 'Q2 FY2568' (English): the one way a quarter is named."""
    return f"ไตรมาส {quarter}/{fiscal_year}" if lang == "th" else f"Q{quarter} FY{fiscal_year}"


def format_date(value: object, lang: str = "th", *, with_time: bool = False, short_year: bool = False) -> str:
    """'15 ต.ค. 2568' (Thai) or '15 Oct 2568' (English), with ' 16:15' when `with_time`, '15 ต.ค. 68' when
    `short_year` (as the forms' period labels write it); '–' for no date.

    Takes a date, a datetime, a pandas Timestamp or an ISO string: the one place the product writes a date."""
    if value is None or pd.isna(value):
        return NO_DATE
    moment = pd.Timestamp(value)
    months = THAI_MONTHS_SHORT if lang == "th" else ENGLISH_MONTHS_SHORT
    year = f"{be_year(moment.year) % 100:02d}" if short_year else be_year(moment.year)
    text = f"{moment.day} {months[moment.month - 1]} {year}"
    return f"{text} {moment:%H:%M}" if with_time else text


def parse_date(text: str) -> dt.date:
    """The date typed in `text` (see the module docstring for what is read); DateTextError otherwise."""
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise DateTextError(cleaned, "ยังไม่ได้พิมพ์วันที่", "no date was typed")
    if match := _NUMERIC_DMY.fullmatch(cleaned):
        day, month, year = (int(part) for part in match.groups())
    elif match := _NUMERIC_YMD.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
    elif (match := _WORDS_DMY.fullmatch(cleaned)) and match[2].casefold().replace(".", "") in _MONTH_NUMBERS:
        day, month, year = int(match[1]), _MONTH_NUMBERS[match[2].casefold().replace(".", "")], int(match[3])
    else:
        raise DateTextError(
            cleaned, f"อ่านเป็นวันที่ไม่ได้ พิมพ์เป็น วัน/เดือน/ปี เช่น {EXAMPLES} (ปี พ.ศ. หรือ ค.ศ. ก็ได้)",
            f"not a date: type day/month/year, e.g. {EXAMPLES} (BE or CE year)",
        )
    try:
        return dt.date(ce_year(year), month, day)
    except ValueError:
        raise DateTextError(cleaned, "ไม่มีวันที่นี้ในปฏิทิน", "no such day in the calendar") from None

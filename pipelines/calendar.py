"""The calendar a person reads: Thai month names, Buddhist Era years, and the one way dates are written and read.

Written (`format_date`): every date a person reads is day, month abbreviation, Buddhist Era year: `15 ต.ค. 2568`
in Thai and `15 Oct 2568` in English (the year stays BE in both languages, as on every government form; the
English fiscal-year labels say "2568 BE" the same way), `29 พ.ย. 2569 16:15` where the time matters.

Read (`parse_date`): d/m/yyyy (also with - or .), yyyy-mm-dd, or d mmm yyyy with a Thai or English month,
abbreviated or in full, in Arabic or Thai digits. A year of 2400 or more is BE (2568 is 2025 CE), a smaller one
CE, so `15/10/2568`, `15/10/2025`, `2025-10-15` and `15 ต.ค. 2568` are the same day. Anything else is refused
with a reason in Thai and English, never read as "no date".
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.lazy import lazy_module
from pipelines.parsing import to_arabic_digits

pd = lazy_module("pandas")

BE_OFFSET = 543
"""Buddhist Era year = CE year + 543."""
BE_FROM = 2400
"""A typed year of this or more is BE; no CE year the product meets is that large, no BE year that small."""

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
_NUMERIC_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_NUMERIC_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS_DMY = re.compile(r"(\d{1,2})\s*([^\d\s,]+(?:\s[^\d\s,]+)?)\s*,?\s*(\d{4})")

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


def format_date(value: object, lang: str = "th", *, with_time: bool = False) -> str:
    """'15 ต.ค. 2568' (Thai) or '15 Oct 2568' (English), with ' 16:15' when `with_time`; '–' for no date.

    Takes a date, a datetime, a pandas Timestamp or an ISO string: the one place the product writes a date."""
    if value is None or pd.isna(value):
        return NO_DATE
    moment = pd.Timestamp(value)
    months = THAI_MONTHS_SHORT if lang == "th" else ENGLISH_MONTHS_SHORT
    text = f"{moment.day} {months[moment.month - 1]} {be_year(moment.year)}"
    return f"{text} {moment:%H:%M}" if with_time else text


def parse_date(text: str) -> dt.date:
    """The date typed in `text` (see the module docstring for what is read); DateTextError otherwise."""
    cleaned = " ".join(to_arabic_digits(str(text)).split())
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

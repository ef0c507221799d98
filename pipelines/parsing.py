"""Cell-value parsers for uploaded catalogues and submissions.

Each parser takes one raw cell as a reader delivers it (str, int, float, None, NaN, pandas NA, datetime) and
returns the clean value or raises ValueError with a short English reason, which the validators turn into a
Problem. Thai digits become Arabic before any numeric parsing, because pandas and DuckDB do not do it.
"""

import decimal
import math
import numbers
import re
import unicodedata

from pipelines.calendar import typed_fiscal_year
from pipelines.domain import DIMENSIONS, PERCENT_UNITS, PLAN_LEVELS, THRUSTS

_MISSING_TYPES = frozenset({"NAType", "NaTType", "NoneType"})  # pandas' empties, named so pandas need not load
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x1C), 0x7F]))
"""C0 controls that are no white space (NUL, \x01 ...): a CSV can carry them past the binary check of its first
4 KB, and no cell a person types holds one."""
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff" + _CONTROLS))
_NOT_REPORTED = frozenset({"-", "–", "—", "n/a"})
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*|\d*)(?P<fraction>\.\d+)?")
_MONTHS = re.compile(r"(?:รอบ\s*)?(\d+)\s*เดือน.*")
_QUARTER = re.compile(r"(?:ไตรมาส(?:ที่)?|quarter|q)?\s*(\d+)(?:\.0+)?(?:[\s/(].*)?")
_QUARTER_OF_MONTHS = {3: 1, 6: 2, 9: 3, 12: 4}


def _is_missing(value: object) -> bool:
    """None, NaN, pandas NA and NaT: whatever a reader puts in an empty cell."""
    if value is None:
        return True
    if isinstance(value, str | int):  # the common cells, answered without pandas (hot path of every upload)
        return False
    if isinstance(value, float):
        return value != value  # NaN
    return type(value).__name__ in _MISSING_TYPES


def _key(value: object) -> str:
    """A lookup key blind to case, spacing, '_', '-' and Thai digits: 'Service quality' finds 'service_quality'."""
    return re.sub(r"[\s_\-]", "", to_arabic_digits(clean_text(value)).casefold())


def to_arabic_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def clean_text(value: object) -> str:
    """Text as a user means it: NFC, no invisible characters, single spaces, and 2568.0 read back as '2568'."""
    if isinstance(value, str):
        if value.isascii():
            return " ".join((value if value.isprintable() else value.translate(_INVISIBLE)).split())
        text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
        return " ".join(text.split())
    if _is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_multiline(value: object) -> str:
    """Like clean_text, but keeps the line breaks a user typed (Alt+Enter) in a note."""
    if not isinstance(value, str):
        return clean_text(value)
    lines = (clean_text(line) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def is_blank(value: object) -> bool:
    return clean_text(value) == ""


MAX_ABS_NUMBER = 1e15
"""The largest magnitude a number in a file may have: beyond any real count, amount or percent, and small enough
that nothing done with it (percent scaling, score interpolation, sums of weights) can overflow to infinity."""


class NumberTooLarge(ValueError):
    """A finite number beyond ±MAX_ABS_NUMBER."""


TOO_LARGE_TH = "ตัวเลขใหญ่เกินไป (เกิน ±1,000,000,000,000,000)"
TOO_LARGE_EN = "number too large (beyond ±1,000,000,000,000,000)"


def parse_number(value: object) -> float | None:
    """A number, or None where the cell means not reported (blank, a dash, n/a). Infinity and NaN are not numbers
    (a NaN cell is no blank: readers give '' for those); a number beyond MAX_ABS_NUMBER raises NumberTooLarge."""
    if isinstance(value, float) and value != value:
        raise ValueError("not a number")
    if _is_missing(value):
        return None
    if isinstance(value, numbers.Real | decimal.Decimal) and not isinstance(value, bool):
        number = float(value)
    else:
        text = to_arabic_digits(clean_text(value)).replace("\u2212", "-")
        if text == "" or text.casefold() in _NOT_REPORTED:
            return None
        match = _NUMBER.fullmatch(text.removesuffix("%").rstrip())
        if match is None or not (match["whole"] or match["fraction"]):
            raise ValueError("not a number")
        number = float(match["sign"] + match["whole"].replace(",", "").replace(" ", "") + (match["fraction"] or ""))
    if not math.isfinite(number):
        raise ValueError("not a number")
    return _bounded(number)


def _bounded(number: float) -> float:
    if abs(number) > MAX_ABS_NUMBER:
        raise NumberTooLarge("number too large")
    return number


def _whole_number(value: object, what: str) -> int:
    number = parse_number(value)
    if number is None:
        raise ValueError(f"{what} is missing")
    if not number.is_integer():
        raise ValueError(f"{what} must be a whole number")
    return int(number)


def parse_fiscal_year(value: object) -> int:
    """The fiscal year in BE from 2568, '2568', 'ปีงบประมาณ ๒๕๖๘', 2025 or '68' (calendar.typed_fiscal_year)."""
    if is_blank(value):
        raise ValueError("fiscal year is missing")
    if isinstance(value, str):
        match = re.search(r"\d+", to_arabic_digits(clean_text(value)))
        if match is None:
            raise ValueError("not a fiscal year")
        digits = match.group()
    else:
        digits = str(_whole_number(value, "fiscal year"))
    return typed_fiscal_year(digits)


def parse_quarter(value: object) -> int:
    """Quarter 1-4 from 2, 'Q2', 'ไตรมาสที่ ๒', 'รอบ 6 เดือน' or 'ไตรมาสที่ 2 (1 ม.ค. 66 - 31 มี.ค. 66)'."""
    if is_blank(value):
        raise ValueError("quarter is missing")
    text = to_arabic_digits(clean_text(value)).casefold()
    if months := _MONTHS.fullmatch(text):
        if int(months[1]) not in _QUARTER_OF_MONTHS:
            raise ValueError("a report round must be 3, 6, 9 or 12 months")
        return _QUARTER_OF_MONTHS[int(months[1])]
    match = _QUARTER.fullmatch(text)
    if match is None:
        raise ValueError("not a quarter")
    quarter = int(match[1])
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1 to 4")
    return quarter


def _lookup(key: str, aliases: dict[str, str], what: str) -> str:
    if key == "":
        raise ValueError(f"{what} is missing")
    if key not in aliases:
        raise ValueError(f"unknown {what}")
    return aliases[key]


def _aliases(names_by_code: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(name): code for code, names in names_by_code.items() for name in names}


_DIMENSIONS = _aliases(
    {
        code: (str(number), code, english, thai, thai.removeprefix("มิติด้าน"))
        for number, (code, (thai, english)) in enumerate(DIMENSIONS.items(), start=1)
    }
) | _aliases(
    {
        "service_quality": ("คุณภาพการบริการ",),
        "efficiency": ("ประสิทธิภาพ",),
        "org_development": ("การพัฒนาองค์การ", "พัฒนาองค์กร", "พัฒนาองค์การ", "organizational development"),
    }
)

_DIRECTIONS = _aliases(
    {
        "higher": ("higher", "high", "h", "higher is better", "↑", "มากดี", "มาก", "ค่ามากดี"),
        "lower": ("lower", "low", "l", "lower is better", "↓", "น้อยดี", "น้อย", "ค่าน้อยดี"),
    }
)

_KINDS = _aliases(
    {
        "numeric": ("numeric", "n", "เชิงปริมาณ", "ตัวเลข"),
        "milestone": ("milestone", "m", "ขั้นตอน", "ระดับขั้น", "ระดับความสำเร็จ", "ระดับขั้นความสำเร็จ"),
    }
)

_ORG_LEVELS = _aliases(
    {
        "agency": ("agency", "ส่วนราชการ", "หน่วยงาน", "กรม"),
        "division": ("division", "bureau", "สำนัก", "กอง", "ศูนย์", "สำนัก/กอง"),
        "group": ("group", "work group", "กลุ่มงาน", "กลุ่ม"),
        "individual": ("individual", "บุคคล"),
    }
)


_THRUSTS = _aliases({code: (code, thai, english) for code, (thai, english) in THRUSTS.items()})

_PLAN_LEVELS = _aliases(
    {
        code: (str(number), code, thai, english, code.replace("_", " "))
        for number, (code, (thai, english)) in enumerate(PLAN_LEVELS.items(), start=1)
    }
) | _aliases(
    {
        "master_plan": ("แผนแม่บท",),
        "ministry_plan": ("แผนกระทรวง", "กระทรวง", "ministry"),
        "agency_plan": ("แผนหน่วยงาน", "แผนส่วนราชการ", "หน่วยงาน", "agency"),
    }
)


def parse_thrust(value: object) -> str:
    """A policy thrust from its code, Thai (ทำ, ขยาย, ยกระดับ, ขับเคลื่อน) or English name."""
    return _lookup(_key(value), _THRUSTS, "thrust")


def parse_plan_level(value: object) -> str:
    """A plan item level from its code, Thai or English name, or number 1-4 (1 = national strategy)."""
    return _lookup(_key(value), _PLAN_LEVELS, "plan level")


def parse_dimension(value: object) -> str:
    """A dimension code from its code, Thai or English name, or number 1-4; names match whole, never in part."""
    return _lookup(re.sub(r"^มิติ(?:ด้าน|ที่)?", "", _key(value)), _DIMENSIONS, "dimension")


def parse_direction(value: object) -> str:
    return _lookup(_key(value), _DIRECTIONS, "direction")


def parse_kind(value: object) -> str:
    """'numeric' or 'milestone'; a blank kind is numeric, as most KPIs are."""
    return "numeric" if is_blank(value) else _lookup(_key(value), _KINDS, "kind")


def parse_org_level(value: object) -> str:
    return _lookup(_key(value), _ORG_LEVELS, "org level")


def parse_pmqa(value: object) -> list[int]:
    """PMQA categories from '2,4', 'หมวด 2, 4', '๒;๔' or 4, sorted and unique; blank means none."""
    if is_blank(value):
        return []
    text = re.sub(r"หมวด(?:ที่)?", " ", to_arabic_digits(clean_text(value)))
    tokens = [token for token in re.split(r"[,;/&\s]+|และ", text) if token]
    if not tokens or not all(re.fullmatch(r"[1-7]", token) for token in tokens):
        raise ValueError("PMQA category must be 1 to 7")
    return sorted({int(token) for token in tokens})


def is_percent_unit(unit: object) -> bool:
    return clean_text(unit).casefold() in PERCENT_UNITS


def percent_cell_value(fraction: float) -> float:
    """A percent-formatted cell holds 0.9713 for 97.13 %: scale it without float noise (not 97.13000000000001).
    Raises NumberTooLarge when the scaled number passes MAX_ABS_NUMBER (1e308 would become infinity)."""
    return _bounded(round(fraction * 100, 9))

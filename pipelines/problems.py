"""A problem found in user input is a value, collected into a list and shown together."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.parsing import clean_text


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None  # 1-based spreadsheet row; None for the whole file
    column: str  # the header as written in the file, or the field name
    value: str
    reason_th: str
    reason_en: str
    field: str = ""  # the product's field name (kpi_code, actual, ...), for highlighting cells in the UI
    unlisted: int = 0  # on the line that closes a capped list: how many problems it stands for

    def __str__(self) -> str:
        row = "" if self.row is None else str(self.row)
        return f"{self.file}:{self.sheet}:{row}:{self.column}: {self.value}: {self.reason_th} / {self.reason_en}"


def shown_value(value: object) -> str:
    """The cell as a reader would recognise it, cut short so one line stays one line."""
    text = clean_text(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problem_count(problems: list[Problem]) -> int:
    """Every problem found, those listed and those a capped list only counts: what "N problems" says."""
    return sum(problem.unlisted or 1 for problem in problems)


@dataclass(frozen=True)
class Warning_:
    """Accepted but worth a look (e.g. weights not summing to 100)."""

    message_th: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.message_th} / {self.message_en}"


MAX_PROBLEMS = 100
"""Problems listed per file; past it a last whole-file problem says how many more were found."""


class ProblemCollector:
    """Problems of one file and sheet, so each check states only what is particular to it. The first MAX_PROBLEMS
    are kept, then one line that counts the rest: a user fixes the first hundred before reading the thousandth,
    and a page or terminal need not carry a million."""

    def __init__(self, file: str, sheet: str = "") -> None:
        self.file = file
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.count = 0
        """Every problem found, listed or not."""

    def add(
        self, row: int | None, column: str, value: object, reason_th: str, reason_en: str, field: str = ""
    ) -> None:
        self.count += 1
        if self.count <= MAX_PROBLEMS:
            self.problems.append(
                Problem(self.file, self.sheet, row, column, shown_value(value), reason_th, reason_en, field)
            )
            return
        more = self.count - MAX_PROBLEMS
        summary = Problem(self.file, self.sheet, None, "", "",
                          f"แสดงเฉพาะ {MAX_PROBLEMS} ปัญหาแรก และอีก {more:,} รายการ",
                          f"stopped listing after the first {MAX_PROBLEMS} problems; {more:,} more not listed",
                          unlisted=more)
        if more == 1:
            self.problems.append(summary)
        else:
            self.problems[-1] = summary

    def repeated(
        self, seen: dict[str, int], key: str, row: int, column: str, value: object, field: str, reason_th: str,
        reason_en: str,
    ) -> bool:
        """Whether `key` (a code) stood on an earlier row: then a problem naming that row (both reasons with {row}),
        else this row is remembered as the code's first."""
        if key not in seen:
            seen[key] = row
            return False
        self.add(row, column, value, reason_th.format(row=seen[key]), reason_en.format(row=seen[key]), field)
        return True

    def whole_file(self, reason_th: str, reason_en: str) -> None:
        self.add(None, "", "", reason_th, reason_en)

    def __bool__(self) -> bool:
        return bool(self.problems)

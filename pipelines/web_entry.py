"""A unit's quarter entered on the upload page instead of a spreadsheet: the form's rows, and each edit checked
and scored live by the same rules as a file (validate.parse_actual, validate.note_too_long, scoring).

Saving is workflows.submit_entry: the rows become the unit's template filled in (templates.workbook_from_rows),
which then goes through the one submission path of every file (check, store with the checks again inside the
transaction, audit, publish), so the version keeps its generated .xlsx in the archive like any upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from pipelines import queries, reports, scoring
from pipelines.calendar import previous_quarter
from pipelines.catalogue import KpiDef, catalogue_part
from pipelines.ingest import latest_submission
from pipelines.lazy import lazy_module
from pipelines.parsing import clean_multiline, clean_text
from pipelines.problems import Problem
from pipelines.templates import COLUMNS, Entry, target_of
from pipelines.uploads import NOTE_NEEDED
from pipelines.validate import note_too_long, parse_actual

pd = lazy_module("pandas")

WEB_FORM_SOURCE = "แหล่งที่มา: กรอกบนหน้าเว็บ / source: web form"
"""What the audit detail of a version entered on the page (or of its refusal) adds, in Thai and English."""
EDITABLE = ("actual", "note", "evidence")
"""The form's input columns: the template's N, O and P."""
HEADERS = {english: thai for _, thai, english, _ in COLUMNS}
"""Column name -> the template's Thai header: a problem names the column as a file's problem names its header."""
LEVELS = ("t1", "t2", "t3", "t4", "t5")


@dataclass(frozen=True)
class EntryForm:
    """One unit's quarter as the form opens: a row per KPI the unit owns, filled from the latest version."""

    unit: dict[str, str]
    fiscal_year: int
    quarter: int
    kpis: list[dict]  # reports.kpis_owned_by: the template's rows, in catalogue order
    catalogue: dict[str, KpiDef]
    rows: pd.DataFrame  # kpi_code, name_th/en, unit, kind, weight, target, t1..t5, previous, actual, note, evidence
    stored: dict[str, Entry]  # the latest version's values, KPI code -> (actual, note, evidence)
    latest_version: int | None
    previous_period: tuple[int, int]

    @property
    def file_name(self) -> str:
        """The generated file's name: the template's own (<unit>_<year>_Q<quarter>), marked as the form's."""
        return f"{self.unit['code']}_{self.fiscal_year}_Q{self.quarter}_web-form.xlsx"


@dataclass(frozen=True)
class EntryCheck:
    """The form as edited, checked and scored: `rows` gains score and status; `entries` is what a save stores."""

    rows: pd.DataFrame
    problems: list[Problem]  # row = the KPI's position in the form (1-based), column = the template's header
    entries: dict[str, Entry]
    notes_missing: list[str] = field(default_factory=list)  # KPI codes off track or not reported without a note
    changed: bool = True  # differs from the latest version (from an empty form when there is none)
    score: float | None = None  # the unit's weighted score if saved (scoring.weighted_score)
    reported_weight: float = 0.0

    @property
    def can_save(self) -> bool:
        return not self.problems and not self.notes_missing and self.changed


def actual_text(value: float | None) -> str:
    """A stored actual as the form shows it for editing: 85 not 85.0, every digit kept."""
    if value is None or pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def stored_values(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int
                  ) -> tuple[int | None, dict[str, Entry]]:
    """(latest version, KPI code -> (actual, note, evidence)) of the unit's quarter; (None, {}) before the first."""
    latest = latest_submission(con, unit_code, fiscal_year, quarter)
    if latest is None:
        return None, {}
    values = con.execute(queries.LATEST_VALUES, [latest[0]]).fetchall()
    return latest[1], {code: (None if actual is None else float(actual), note or "", evidence or "")
                       for code, actual, _, note, evidence in values}


def entry_form(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int) -> EntryForm:
    kpis = reports.kpis_owned_by(con, unit_code, fiscal_year)
    catalogue = catalogue_part(con, fiscal_year, [unit_code])
    version, stored = stored_values(con, unit_code, fiscal_year, quarter)
    previous_period = previous_quarter(fiscal_year, quarter)
    _, previous = stored_values(con, unit_code, *previous_period)
    records = []
    for kpi in kpis:
        code = str(kpi["kpi_code"])
        actual, note, evidence = stored.get(code, (None, "", ""))
        records.append({
            "kpi_code": code, "name_th": kpi["name_th"], "name_en": kpi["name_en"], "unit": kpi["unit"],
            "kind": kpi["kind"], "weight": kpi["weight"], "target": target_of(kpi),
            **{level: kpi[level] for level in LEVELS},
            "previous": previous[code][0] if code in previous else None,
            "actual": actual_text(actual), "note": note, "evidence": evidence,
        })
    columns = ["kpi_code", "name_th", "name_en", "unit", "kind", "weight", "target", *LEVELS, "previous", *EDITABLE]
    return EntryForm(reports.org_unit(con, unit_code), fiscal_year, quarter, kpis, catalogue,
                     pd.DataFrame.from_records(records, columns=columns), stored, version, previous_period)


def check_entries(form: EntryForm, edited: pd.DataFrame) -> EntryCheck:
    """Each row's actual read and scored as a file's cell is (a milestone KPI takes a level 0–5), its note and
    evidence bounded as a file's; every problem at once, pointing at the KPI's row and the column."""
    problems: list[Problem] = []
    entries: dict[str, Entry] = {}
    scores: list[float | None] = []
    for position, row in enumerate(edited.to_dict("records"), start=1):
        code = row["kpi_code"]
        kpi = form.catalogue.get(code)
        value, refusal = parse_actual(_text(row["actual"]), kpi)
        if refusal is not None:
            problems.append(_cell_problem(form, position, "actual", row["actual"], refusal))
        texts = []
        for name in ("note", "evidence"):
            text = clean_multiline(_text(row[name]))
            if (too_long := note_too_long(text)) is not None:
                problems.append(_cell_problem(form, position, name, text, too_long))
            texts.append(text)
        entries[code] = (value, *texts)
        scores.append(kpi.score(value) if kpi is not None and refusal is None else None)
    rows = edited.assign(score=scores, status=[scoring.status_of(score) for score in scores])
    missing = [code for code, status in zip(rows["kpi_code"], rows["status"], strict=True)
               if status in NOTE_NEEDED and not entries[code][1]]
    score, reported_weight = scoring.weighted_score(zip(rows["weight"].astype(float), scores, strict=True))
    changed = any(entries[code] != form.stored.get(code, (None, "", "")) for code in entries)
    return EntryCheck(rows, problems, entries, missing, changed, score, reported_weight)


def _text(value: object) -> str:
    """A cell of the editor: text as typed; an emptied cell comes back as None (or NaN)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _cell_problem(form: EntryForm, position: int, name: str, value: object, reason: tuple[str, str]) -> Problem:
    return Problem(form.file_name, "", position, HEADERS[name], clean_text(_text(value))[:200], *reason, name)


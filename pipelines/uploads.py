"""The gate around ingest that the upload page and `python -m pipelines ingest` both pass through.

It adds what ingest itself does not know: who may submit for which unit, closed quarters, notes typed in the page,
and the audit trail. Reading, validating, scoring and storing stay in pipelines.ingest, called as they are.
The workflows that use it (submit, store) are pipelines.workflows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import duckdb

from pipelines import audit, db, queries, reports, scoring
from pipelines.auth import User, can_submit_for, get_user
from pipelines.catalogue import KpiDef, catalogue_part
from pipelines.ingest import (
    MAX_UPLOAD_BYTES,
    IngestOutcome,
    PreparedFile,
    Progress,
    ValueChange,
    commit_files,
    diff_against_latest,
    latest_submission,
    prepare_files,
    prepare_loaded,
    read_files,
    too_large_problem,
    validation_inputs,
)
from pipelines.lazy import lazy_module
from pipelines.periods import PeriodState, closed_period_problem, period_state, timeliness
from pipelines.problems import Problem, problem_count, shown_value
from pipelines.readers import SPREADSHEET_SUFFIXES, UnreadableFile, read_sheets
from pipelines.tables import SUBMISSION_COLUMNS, find_table
from pipelines.validate import Period, SubmissionRow, code_key

pd = lazy_module("pandas")

NOTE_NEEDED = ("off_track", "not_reported")
"""A KPI that comes out with one of these statuses needs a note: the problem and the remedy."""
REFUSAL_FIELDS = ("permission", "closed_period")
"""Problem.field of the gate's own problems: not bad data but an upload that is not allowed."""
ACCEPTED_SUFFIXES = (*sorted(SPREADSHEET_SUFFIXES, key=lambda suffix: (suffix != ".xlsx", suffix)), ".csv")
"""What the web uploaders take: every format the readers (and so the CLI) read. Other files are refused by
file_type_problem, in Thai and English, and audited like any rejected upload."""
PREVIEW_FIELDS = ("division", "fiscal_year", "quarter", "kpi_code", "actual", "note", "evidence")


def prepare_uploads(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, bytes]],
    given: Period = Period(),
    *,
    user: User | None = None,
    progress: Progress | None = None,
) -> list[PreparedFile]:
    """ingest.prepare_files, then refuse files for a closed quarter, and (for a signed-in user) for a unit the
    user may not submit for. `user=None` is the command line, run by whoever operates the server."""
    prepared = prepare_files(con, files, given, progress)
    for item in prepared:
        item.problems.extend(gate_problems(con, item, given, user))
    return prepared


def file_type_problem(file_name: str) -> Problem | None:
    """A file whose name does not end in one of ACCEPTED_SUFFIXES (a PDF, a Word file, no extension), or None."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in ACCEPTED_SUFFIXES:
        return None
    listed = " ".join(ACCEPTED_SUFFIXES)
    return Problem(
        file_name, "", None, "", suffix or file_name,
        f"รับเฉพาะไฟล์ {listed} — ไฟล์{' ' + suffix if suffix else 'ที่ไม่มีนามสกุล'} ใช้ไม่ได้ "
        "บันทึกเป็น Excel หรือ CSV แล้วอัปโหลดใหม่",
        f"only {listed} files are accepted, not {suffix or 'a file without an extension'}: "
        "save it as Excel or CSV and upload it again",
        "file_type",
    )


def refused_unread(file_name: str, size: int) -> PreparedFile | None:
    """A file the web uploaders turn away before reading a byte of it: of a type no reader takes, or larger than
    MAX_UPLOAD_BYTES; None for a file to read and check."""
    if (wrong_type := file_type_problem(file_name)) is not None:
        return PreparedFile(file_name, b"", "", None, [wrong_type])
    if size > MAX_UPLOAD_BYTES:
        return PreparedFile(file_name, b"", "", None, [too_large_problem(file_name, size)])
    return None


def prepare_uploads_unlocked(
    connect: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    files: list[tuple[str, bytes]],
    given: Period = Period(),
    *,
    user: User | None = None,
    progress: Progress | None = None,
) -> list[PreparedFile]:
    """prepare_uploads with the database closed while the files are read and validated: `connect()` opens a
    short read-only connection twice, once to read what validation needs and once for the gate. A large file being
    validated then keeps no writer waiting; commit_uploads decides the closed quarter again inside its transaction."""
    read = read_files(files)
    with connect() as con:
        inputs = validation_inputs(con, read, given)
    prepared = prepare_loaded(inputs, read, given, progress)
    with connect() as con:
        for item in prepared:
            item.problems.extend(gate_problems(con, item, given, user))
    return prepared


def gate_problems(
    con: duckdb.DuckDBPyConnection, item: PreparedFile, given: Period, user: User | None
) -> list[Problem]:
    unit, year, quarter = _period_of(item, given)
    problems = []
    if user is not None and unit and not can_submit_for(con, user, unit):
        problems.append(Problem(
            item.file_name, "", None, "หน่วยงาน", unit,
            f"ผู้ใช้ {user.username} ไม่มีสิทธิ์นำส่งข้อมูลของหน่วยงาน {unit}",
            f"user {user.username} may not submit for unit {unit}", "permission",
        ))
    if isinstance(year, int) and isinstance(quarter, int):
        state = period_state(con, year, quarter)
        if state.is_closed:
            problems.append(closed_period_problem(item.file_name, state))
    return problems


def _period_of(item: PreparedFile, given: Period) -> tuple:
    """(unit, fiscal year, quarter) of the file if it validated, else what the form or options said."""
    sub = item.submission
    if sub is not None:
        return sub.unit_code, sub.fiscal_year, sub.quarter
    return given.division, given.fiscal_year, given.quarter


def missing_notes(item: PreparedFile) -> list[str]:
    """KPI codes of the file's unit that come out off track or not reported and have no note in the file."""
    sub = item.submission
    if sub is None:
        return []
    missing = [
        row.kpi_code for row in sub.rows
        if scoring.status_of(item.scores.get(row.kpi_code)) in NOTE_NEEDED and not row.note
    ]
    listed = {row.kpi_code for row in sub.rows}
    return missing + [code for code in sub.not_reported if code not in listed]


def with_notes(item: PreparedFile, notes: Mapping[str, str]) -> PreparedFile:
    """The prepared file with notes typed in the page filled in where the file had none. A KPI the file left out
    altogether gets a row of its own (no actual, so not reported) to carry its note."""
    sub = item.submission
    notes = {code: text.strip() for code, text in notes.items() if text and text.strip()}
    if sub is None or not notes:
        return item
    rows = [replace(row, note=notes[row.kpi_code]) if not row.note and row.kpi_code in notes else row
            for row in sub.rows]
    listed = {row.kpi_code for row in rows}
    added = [SubmissionRow(code, None, notes[code], "", None) for code in sub.not_reported
             if code not in listed and code in notes]
    scores = {**item.scores, **{row.kpi_code: None for row in added}}
    return replace(item, submission=replace(sub, rows=rows + added), scores=scores)


def commit_uploads(
    con: duckdb.DuckDBPyConnection,
    prepared: list[PreparedFile],
    *,
    by: str | None,
    archive_dir: Path,
    user: User | None = None,
    channel: str = "web",
    progress: Progress | None = None,
    source: str = "",
) -> list[IngestOutcome]:
    """ingest.commit_files and one audit row per file, in one transaction, after deciding the gate again inside it
    (gate_problems: no quarter closed and, for a signed-in `user`, the right to submit for the unit still held by the
    account as stored now: its unit or role changed, or it was disabled, since the preview); else nothing is
    stored, the refusal is audited and [] returned. Run again when it meets a concurrent writer of this process
    (db.retrying). `source`, when given, ends each audit detail (where the data came from: the web form)."""
    return db.retrying(lambda: _commit_once(con, prepared, by, user, archive_dir, channel, progress, source))


def _commit_once(
    con: duckdb.DuckDBPyConnection, prepared: list[PreparedFile], by: str | None, user: User | None,
    archive_dir: Path, channel: str, progress: Progress | None, source: str = "",
) -> list[IngestOutcome]:
    with db.transaction(con):
        now = None if user is None else get_user(con, user.username) or replace(user, disabled=True)
        late = {id(item): gate_problems(con, item, Period(), now) + changed_catalogue_problems(con, item)
                for item in prepared}
        if any(late.values()) or any(item.problems for item in prepared):
            for item in prepared:
                item.problems.extend(late[id(item)])
            record_rejected(con, prepared, by=by, channel=channel, source=source)
            return []
        outcomes = commit_files(con, prepared, by, archive_dir, progress)
        for item, outcome in zip(prepared, outcomes, strict=True):
            detail = (f"{outcome.file_name}: identical to version {outcome.version}, nothing stored"
                      if outcome.identical else
                      f"{outcome.file_name}: version {outcome.version}, {outcome.row_count} rows, "
                      f"sha256 {item.sha256}" + (", waiting for review" if outcome.needs_review else ""))
            audit.record(con, by or "cli", "upload", "success", unit_code=outcome.unit_code,
                         fiscal_year=outcome.fiscal_year, quarter=outcome.quarter, detail=_with_source(detail, source),
                         channel=channel)
    return outcomes


def changed_catalogue_problems(con: duckdb.DuckDBPyConnection, item: PreparedFile) -> list[Problem]:
    """A problem when the year's catalogue changed since the file was checked (a KPI it reports dropped, given to
    another unit, or scored otherwise now): its scores would be stale, so it must be checked again."""
    sub = item.submission
    if sub is None:
        return []
    kpis = catalogue_part(con, sub.fiscal_year, [sub.unit_code], [code_key(row.kpi_code) for row in sub.rows])
    if all(_scored_alike(kpis.get(row.kpi_code), sub.unit_code, row, item.scores.get(row.kpi_code))
           for row in sub.rows):
        return []
    return [Problem(item.file_name, "", None, "", f"{sub.fiscal_year}",
                    f"บัญชีตัวชี้วัดปีงบประมาณ {sub.fiscal_year} เปลี่ยนไปหลังการตรวจสอบไฟล์ ยังไม่ได้บันทึก "
                    "กรุณาอัปโหลดไฟล์อีกครั้งเพื่อตรวจสอบใหม่",
                    f"the fiscal year {sub.fiscal_year} catalogue changed after the file was checked; nothing was "
                    "stored: upload the file again to check it against the new catalogue", "catalogue_changed")]


def _scored_alike(kpi: KpiDef | None, unit_code: str, row: SubmissionRow, score: float | None) -> bool:
    """Whether the catalogue's KPI still belongs to the unit and gives the row the score it was checked with."""
    if kpi is None or unit_code not in kpi.owners:
        return False
    try:
        return kpi.score(row.actual) == score
    except ValueError:  # a numeric KPI turned milestone: the actual is no longer a number of steps
        return False


def record_rejected(
    con: duckdb.DuckDBPyConnection, prepared: list[PreparedFile], *, by: str | None, given: Period = Period(),
    channel: str = "web", source: str = "",
) -> None:
    """One audit row per file that had problems: refused (not allowed, quarter closed) or rejected (bad data)."""
    for item in prepared:
        if not item.problems:
            continue
        unit, year, quarter = _period_of(item, given)
        refused = any(problem.field in REFUSAL_FIELDS for problem in item.problems)
        audit.record(con, by or "cli", "upload", "refused" if refused else "rejected", unit_code=unit,
                     fiscal_year=year if isinstance(year, int) else None,
                     quarter=quarter if isinstance(quarter, int) else None, channel=channel,
                     detail=_with_source(rejection_detail(item.file_name, item.problems), source))


def _with_source(detail: str, source: str) -> str:
    """An audit detail with where the data came from, when not a file (workflows.submit_entry: the web form)."""
    return f"{detail} · {source}" if source else detail


def rejection_detail(file_name: str, problems: list[Problem]) -> str:
    """The audit detail of a refused or rejected file, its reasons in Thai and in English (each reason once):
    'file.xlsx: 2 problem(s) / พบ 2 ปัญหา: <Thai reasons> / <English reasons>'."""
    reasons_th = "; ".join(dict.fromkeys(problem.reason_th for problem in problems))
    reasons_en = "; ".join(dict.fromkeys(problem.reason_en for problem in problems))
    count = problem_count(problems)
    return f"{file_name}: {count} problem(s) / พบ {count} ปัญหา: {reasons_th} / {reasons_en}"


# --- what the page shows -------------------------------------------------------------------------


def file_preview(file_name: str, data: bytes) -> pd.DataFrame:
    """The submission table as the file has it, one row per data row: `row` (the spreadsheet row number) and the
    columns the reader recognised, as text. Empty when the file cannot be read or has no header row."""
    try:
        sheets = read_sheets(file_name, data)
    except UnreadableFile:
        return pd.DataFrame()
    table = next((t for s in sheets if (t := find_table(s, SUBMISSION_COLUMNS, ("kpi_code", "actual")))), None)
    if table is None:
        return pd.DataFrame()
    fields = [name for name in PREVIEW_FIELDS if name in table.columns]
    records = [
        {"row": number, **{name: shown_value(table.cell(cells, name)) for name in fields}}
        for number, cells in table.data_rows()
    ]
    return pd.DataFrame.from_records(records, columns=["row", *fields])


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """Every problem as the page lists it: file, sheet, row, column, value, field, Thai and English reason."""
    return pd.DataFrame.from_records(
        [(p.file, p.sheet, p.row, p.column, p.value, p.field, p.reason_th, p.reason_en) for p in problems],
        columns=["file", "sheet", "row", "column", "value", "field", "reason_th", "reason_en"],
    )


@dataclass(frozen=True)
class UploadPeriod:
    """A unit's quarter as the upload page shows it before a file is chosen."""

    state: PeriodState
    unit: dict[str, str] | None
    kpis: list[dict]  # the KPIs the unit owns that year (reports.kpis_owned_by)
    timeliness: str | None  # the unit's periods.TIMELINESS code, None when it owns no KPI


def upload_period(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int) -> UploadPeriod:
    status = timeliness(con, fiscal_year, quarter)
    own = status.loc[status["unit_code"] == unit_code, "timeliness"]
    return UploadPeriod(period_state(con, fiscal_year, quarter), reports.org_unit(con, unit_code),
                        reports.kpis_owned_by(con, unit_code, fiscal_year), None if own.empty else own.iloc[0])


@dataclass(frozen=True)
class CleanPreview:
    """What confirming a clean file would do: the KPI rows stored (stored_preview), the unit's resulting score and
    reported weight %, and the changes against the latest version (None when there is none)."""

    kpis: pd.DataFrame
    score: float | None
    reported_weight: float
    latest_version: int | None
    identical: bool  # the same bytes as the latest version: nothing would be stored
    changes: list[ValueChange]


def clean_preview(con: duckdb.DuckDBPyConnection, item: PreparedFile) -> CleanPreview:
    sub = item.submission
    kpis = stored_preview(con, item)
    latest = latest_submission(con, sub.unit_code, sub.fiscal_year, sub.quarter)
    return CleanPreview(kpis, *resulting_score(kpis), latest[1] if latest else None,
                        bool(latest) and latest[2] == item.sha256 and latest[3] != "returned",
                        diff_against_latest(con, item))


def saved_scores(
    con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """After a save: the unit's score row and its KPI rows as the dashboard now shows them (reports.scores)."""
    return (reports.scores(con, fiscal_year, quarter, "unit", unit_code),
            reports.scores(con, fiscal_year, quarter, "kpi", unit_code))


def stored_preview(con: duckdb.DuckDBPyConnection, item: PreparedFile) -> pd.DataFrame:
    """What committing would store for each KPI the unit owns, in catalogue order: kpi_code, name_th, name_en,
    unit, weight, actual, score, status, note, evidence, source_row (KPIs the file left out: not reported)."""
    sub = item.submission
    kpis = catalogue_part(con, sub.fiscal_year, [sub.unit_code])
    rows = {row.kpi_code: row for row in sub.rows}
    records = []
    for code, kpi in kpis.items():
        if sub.unit_code not in kpi.owners:
            continue
        row = rows.get(code)
        score = item.scores.get(code) if row else None
        records.append({
            "kpi_code": code, "name_th": kpi.name_th, "name_en": kpi.name_en, "unit": kpi.unit, "weight": kpi.weight,
            "actual": row.actual if row else None, "score": score, "status": scoring.status_of(score),
            "note": row.note if row else "", "evidence": row.evidence if row else "",
            "source_row": row.source_row if row else None,
        })
    return pd.DataFrame.from_records(records)


def resulting_score(preview: pd.DataFrame) -> tuple[float | None, float]:
    """(weighted score, reported weight %) of the unit's own KPIs if this file is committed (DOMAIN §6): nothing
    is stored yet, so scoring.weighted_score, the Python reference of the SQL that scores stored data."""
    pairs = [(weight, None if pd.isna(score) else score) for weight, score in zip(preview["weight"], preview["score"],
                                                                                   strict=True)]
    return scoring.weighted_score(pairs)


def submission_history(con: duckdb.DuckDBPyConnection, unit_code: str) -> pd.DataFrame:
    """Every version the unit ever submitted, newest first: submission_id, fiscal_year, quarter, version,
    is_latest, file_name, sha256, row_count, submitted_by, submitted_at."""
    return con.execute(queries.UNIT_SUBMISSION_HISTORY, [unit_code]).df()

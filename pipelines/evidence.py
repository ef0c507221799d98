"""Evidence files of KPI results: checked by content, kept content-addressed beside the archived uploads.

A division head attaches files (PDF, PNG or JPEG images, Word/Excel/PowerPoint documents) to a KPI result of the
current (latest) version of a unit's quarter. Each file's type is decided by its bytes, never by its name, and
the name must agree with it; an Office document is a zip whose `[Content_Types].xml` names the right main part,
read with every size bounded (a zip bomb is refused on its declared sizes, and no more than 1 MB of it is ever
unpacked). Sizes are limited per file and per submission version. A file is stored once whatever its name
(`<uploads>/<sha256><suffix>`, like the submission files, so `check`, `backup` and `restore` keep it too) and
listed in `evidence_file` with the version it came with; a new version carries the evidence of the KPIs it still
reports (pipelines.ingest). Attaching is one transaction with its audit row. No virus scanner is run
(docs/security-uploads.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import duckdb

from pipelines import audit, db, queries, settings, snapshot
from pipelines.auth import User, can_submit_for, get_user
from pipelines.calendar import format_fiscal_period
from pipelines.ingest import archive_file, archive_path, latest_submission, sha256_of
from pipelines.lazy import lazy_module
from pipelines.periods import closed_period_problem, period_state
from pipelines.problems import Problem
from pipelines.readers import MAX_UNCOMPRESSED_BYTES

pd = lazy_module("pandas")

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

MEDIA_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    PDF: ("เอกสาร PDF", "PDF document", (".pdf",)),
    PNG: ("รูปภาพ PNG", "PNG image", (".png",)),
    JPEG: ("รูปภาพ JPEG", "JPEG image", (".jpg", ".jpeg")),
    DOCX: ("เอกสาร Word (.docx)", "Word document (.docx)", (".docx",)),
    XLSX: ("สมุดงาน Excel (.xlsx)", "Excel workbook (.xlsx)", (".xlsx",)),
    PPTX: ("งานนำเสนอ PowerPoint (.pptx)", "PowerPoint presentation (.pptx)", (".pptx",)),
}
"""Accepted media type -> (Thai name, English name, the name endings it may have; the first is the stored one)."""

ACCEPTED_SUFFIXES = tuple(suffix for *_, suffixes in MEDIA_TYPES.values() for suffix in suffixes)

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_OFFICE_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
"""The content type `[Content_Types].xml` gives the main part of each Office format."""
CONTENT_TYPES_PART = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
"""At most this much of an Office file is ever unpacked here: its `[Content_Types].xml`."""
MAX_ZIP_PARTS = 10_000
MAX_NAME_LENGTH = 255
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def file_limit() -> int:
    """Bytes one evidence file may have (env BSC_EVIDENCE_FILE_MB, default 10 MB)."""
    return settings.megabytes("BSC_EVIDENCE_FILE_MB", 10)


def submission_limit() -> int:
    """Bytes all the evidence of one submission version may have together (env BSC_EVIDENCE_SUBMISSION_MB, 50)."""
    return settings.megabytes("BSC_EVIDENCE_SUBMISSION_MB", 50)


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def media_type_name(media_type: str, lang: str = "th") -> str:
    thai, english, _ = MEDIA_TYPES[media_type]
    return thai if lang == "th" else english


# --- checks of one file ------------------------------------------------------------------------------------------


def _problem(file_name: str, value: str, reason_th: str, reason_en: str, field_name: str = "evidence") -> Problem:
    return Problem(file_name, "", None, "", value, reason_th, reason_en, field_name)


def name_problem(file_name: str) -> Problem | None:
    """A name that is a path (`../x.pdf`, `a/b.pdf`, `C:\\x.pdf`), has control characters, is empty or too long."""
    if not file_name.strip() or _UNSAFE_NAME.search(file_name) or file_name in (".", "..") \
            or len(file_name) > MAX_NAME_LENGTH:
        shown = file_name.encode("unicode_escape").decode()[:80]
        return _problem(shown, shown,
                        f"ชื่อไฟล์ใช้ไม่ได้: ต้องเป็นชื่อไฟล์อย่างเดียว ไม่มีเส้นทาง (/ \\ ..) หรืออักขระควบคุม "
                        f"และยาวไม่เกิน {MAX_NAME_LENGTH} ตัวอักษร",
                        f"not a usable file name: a name only, without a path (/ \\ ..) or control characters, "
                        f"at most {MAX_NAME_LENGTH} characters", "file_name")
    return None


class _Refused(Exception):
    def __init__(self, reason_th: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_th, self.reason_en = reason_th, reason_en


def _office_type(data: bytes) -> str | None:
    """The Office format of a zip by its `[Content_Types].xml` (None: a zip of no accepted format); _Refused when
    it is damaged, would unpack past the limit, names a part outside itself, or carries macros. Reads the zip's
    directory and at most MAX_CONTENT_TYPES_BYTES of one part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_PARTS:
                raise _Refused(f"มีส่วนประกอบภายในเกิน {MAX_ZIP_PARTS:,} ส่วน",
                               f"it holds more than {MAX_ZIP_PARTS:,} parts")
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
                megabytes = MAX_UNCOMPRESSED_BYTES // 2**20
                raise _Refused(f"แตกไฟล์แล้วใหญ่เกิน {megabytes} MB (zip bomb)",
                               f"it unpacks to more than {megabytes} MB (a zip bomb)")
            for info in infos:
                parts = PurePath(info.filename.replace("\\", "/")).parts
                if info.filename.startswith(("/", "\\")) or ".." in parts or ":" in info.filename:
                    raise _Refused("มีส่วนประกอบภายในที่ชื่อชี้ออกนอกไฟล์ (../ หรือเส้นทางเต็ม)",
                                   "it holds a part whose name points outside it (../ or an absolute path)")
                if PurePath(info.filename).name.lower() == "vbaproject.bin":
                    raise _Refused("มีมาโคร (VBA) ไม่รับไฟล์ที่มีมาโคร", "it carries macros (VBA); not accepted")
            try:
                info = archive.getinfo(CONTENT_TYPES_PART)
            except KeyError:
                return None
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise _Refused("ส่วน [Content_Types].xml ใหญ่ผิดปกติ", "its [Content_Types].xml is abnormally large")
            with archive.open(info) as part:
                content_types = part.read(MAX_CONTENT_TYPES_BYTES + 1)
            if len(content_types) > MAX_CONTENT_TYPES_BYTES:  # the directory lied about its size
                raise _Refused("ส่วน [Content_Types].xml ใหญ่ผิดปกติ", "its [Content_Types].xml is abnormally large")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, EOFError, ValueError,
            zlib.error, OSError) as error:
        raise _Refused("ไฟล์ Office เสียหายหรือเข้ารหัสไว้", f"a damaged or encrypted Office file ({error})") from error
    if b"macroEnabled" in content_types:
        raise _Refused("มีมาโคร (VBA) ไม่รับไฟล์ที่มีมาโคร", "it carries macros (VBA); not accepted")
    found = [media for media, main in _OFFICE_MAIN_PARTS.items() if main in content_types]
    return found[0] if len(found) == 1 else None


def media_type_of(data: bytes) -> str | None:
    """The accepted media type of the bytes (their first bytes, and for a zip its Office content types), or None.
    _Refused for a zip that is unsafe to accept."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def check_file(file_name: str, data: bytes, limit: int | None = None) -> tuple[str | None, list[Problem]]:
    """(media type, problems) of one evidence file: a usable name, within the per-file limit, an accepted type by
    its content, and a name ending that agrees with that type."""
    unusable = name_problem(file_name)
    if unusable is not None:
        return None, [unusable]
    limit = file_limit() if limit is None else limit
    if len(data) > limit:
        return None, [_problem(file_name, f"{_mb(len(data))} MB",
                               f"ไฟล์ใหญ่ {_mb(len(data))} MB เกินขีดจำกัด {_mb(limit)} MB ต่อไฟล์",
                               f"the file is {_mb(len(data))} MB, over the {_mb(limit)} MB limit per file")]
    if not data:
        return None, [_problem(file_name, "0 B", "ไฟล์ว่างเปล่า", "the file is empty")]
    accepted = " ".join(ACCEPTED_SUFFIXES)
    try:
        media = media_type_of(data)
    except _Refused as refused:
        return None, [_problem(file_name, file_name, f"ไม่รับไฟล์นี้: {refused.reason_th}",
                               f"file refused: {refused.reason_en}")]
    if media is None:
        return None, [_problem(file_name, PurePath(file_name).suffix or file_name,
                               f"เนื้อหาของไฟล์ไม่ใช่ชนิดที่รับเป็นหลักฐาน (รับเฉพาะ {accepted}) "
                               "ไม่ว่าชื่อไฟล์จะลงท้ายด้วยอะไร",
                               f"the file's content is not a type accepted as evidence (only {accepted}), "
                               "whatever its name says")]
    suffix = PurePath(file_name).suffix.lower()
    type_th, type_en, suffixes = MEDIA_TYPES[media]
    if suffix not in suffixes:
        return None, [_problem(file_name, suffix or file_name,
                               f"ชื่อไฟล์ลงท้ายด้วย {suffix or '(ไม่มีนามสกุล)'} แต่เนื้อหาเป็น{type_th} "
                               f"ตั้งชื่อให้ตรงกับเนื้อหา ({' '.join(suffixes)})",
                               f"the name ends in {suffix or '(no extension)'} but the content is a {type_en}: "
                               f"name it as what it is ({' '.join(suffixes)})")]
    return media, []


# --- storing -----------------------------------------------------------------------------------------------------


def evidence_path(archive_dir: Path, sha256: str, media_type: str) -> Path:
    """Where an evidence file is kept: <sha256><suffix of its type> in the uploads folder."""
    return archive_path(archive_dir, stored_name(media_type), sha256)


def stored_name(media_type: str) -> str:
    """The name whose suffix the archive gives a file of this type (archive_path keeps the suffix only)."""
    return f"evidence{MEDIA_TYPES[media_type][2][0]}"


@dataclass
class EvidenceAttach:
    """Evidence files checked, and stored with the latest version of a unit's quarter when none has a problem."""

    unit_code: str
    fiscal_year: int
    quarter: int
    kpi_code: str
    problems: list[Problem] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)  # names of the files added (a file already there: not again)
    already: list[str] = field(default_factory=list)  # names of files this KPI result already had
    version: int | None = None
    snapshot_error: Exception | None = None


def attach_evidence(
    db_path: Path, unit_code: str, fiscal_year: int, quarter: int, kpi_code: str, files: list[tuple[str, bytes]], *,
    by: str | None = None, user: User | None = None, channel: str = "cli", now: dt.datetime | None = None,
) -> EvidenceAttach:
    """Attach files to the KPI's result in the latest version of the unit's quarter: every file checked (name,
    size, type by content), then in one transaction with its audit row, the gate decided again (a version exists
    and reports the KPI, the quarter is open, the signed-in `user` may still submit for the unit), the version's
    total within the limit; the files archived and listed. Any problem: nothing stored, the refusal audited."""
    if not files:
        return EvidenceAttach(unit_code, fiscal_year, quarter, kpi_code, [_problem(
            "", "", "ไม่ได้เลือกไฟล์หลักฐาน", "no evidence file was chosen")])
    checked, file_problems = [], []
    for name, data in files:
        media, problems = check_file(name, data)
        file_problems += problems
        checked.append((name, data, media, sha256_of(data)))
    period = (unit_code, fiscal_year, quarter)
    with db.open_db(db_path) as con:
        db.migrate(con)

        def store() -> EvidenceAttach:
            result = EvidenceAttach(unit_code, fiscal_year, quarter, kpi_code, list(file_problems))
            with db.transaction(con):
                result.problems += _gate_problems(con, result, user)
                latest = latest_submission(con, *period)
                if not result.problems:
                    result.problems += _total_problems(con, latest[0], kpi_code, checked)
                if result.problems:
                    refused = any(p.field in ("permission", "closed_period") for p in result.problems)
                    audit.record(con, by or channel, "evidence_add", "refused" if refused else "rejected",
                                 unit_code=unit_code, fiscal_year=fiscal_year, quarter=quarter, channel=channel,
                                 detail=_detail(kpi_code, [name for name, *_ in checked], result.problems))
                    return result
                have = {row[0] for row in con.execute(queries.EVIDENCE_SHA256_OF_RESULT, [latest[0], kpi_code])
                        .fetchall()}
                if any(digest not in have for *_, digest in checked):
                    db.bump_generation(con, period=period)  # the publish copies only this unit quarter
                at = now or audit.now()
                for name, data, media, digest in checked:
                    if digest in have:
                        result.already.append(name)
                        continue
                    archive_file(db.uploads_dir(db_path), stored_name(media), data)
                    con.execute(queries.INSERT_EVIDENCE_FILE,
                                [latest[0], kpi_code, digest, name, media, len(data), by, at])
                    have.add(digest)
                    result.stored.append(name)
                result.version = latest[1]
                audit.record(con, by or channel, "evidence_add", "success", unit_code=unit_code,
                             fiscal_year=fiscal_year, quarter=quarter, channel=channel,
                             detail=f"{kpi_code} v{latest[1]}: " + ", ".join(
                                 f"{name} ({media}, {len(data):,} B, sha256 {digest})"
                                 for name, data, media, digest in checked))
            return result

        result = db.retrying(store)
        if result.stored:
            result.snapshot_error = snapshot.publish_after_write(con, db_path)
    return result


def _gate_problems(con: duckdb.DuckDBPyConnection, result: EvidenceAttach, user: User | None) -> list[Problem]:
    unit, year, quarter, kpi = result.unit_code, result.fiscal_year, result.quarter, result.kpi_code
    where = f"{unit} {format_fiscal_period(year, quarter, 'en')}"
    if user is not None:
        now = get_user(con, user.username)
        if now is None or now.disabled or not can_submit_for(con, now, unit):
            return [_problem(where, unit, f"ผู้ใช้ {user.username} ไม่มีสิทธิ์แนบหลักฐานของหน่วยงาน {unit}",
                             f"user {user.username} may not attach evidence for unit {unit}", "permission")]
    state = period_state(con, year, quarter)
    if state.is_closed:
        return [closed_period_problem(where, state)]
    latest = latest_submission(con, unit, year, quarter)
    period_th, period_en = format_fiscal_period(year, quarter), format_fiscal_period(year, quarter, "en")
    if latest is None:
        return [_problem(where, unit, f"หน่วยงาน {unit} ยังไม่ได้นำส่งผล{period_th} ต้องนำส่งผลก่อนแนบหลักฐาน",
                         f"unit {unit} has submitted nothing for {period_en}: submit the results before attaching "
                         "evidence")]
    if not con.execute(queries.RESULT_IN_SUBMISSION, [latest[0], kpi]).fetchone():
        return [_problem(where, kpi, f"ตัวชี้วัด {kpi} ไม่อยู่ในข้อมูลฉบับล่าสุดของหน่วยงาน {unit} {period_th}",
                         f"KPI {kpi} is not in the latest version of unit {unit} for {period_en}", "kpi_code")]
    return []


def _total_problems(con: duckdb.DuckDBPyConnection, submission_id: int, kpi_code: str, checked: list) -> list[Problem]:
    """The version's evidence (every KPI's, each file counted once) with the new files may not pass the limit."""
    stored = dict(con.execute(queries.EVIDENCE_SIZES_OF_SUBMISSION, [submission_id]).fetchall())
    new = {digest: len(data) for _, data, _, digest in checked if digest not in stored}
    total, limit = sum(stored.values()) + sum(new.values()), submission_limit()
    if total <= limit:
        return []
    names = ", ".join(name for name, *_ in checked)
    return [_problem(names, f"{_mb(total)} MB",
                     f"หลักฐานของข้อมูลฉบับนี้รวมกันจะเป็น {_mb(total)} MB เกินขีดจำกัด {_mb(limit)} MB ต่อการนำส่ง",
                     f"this version's evidence would total {_mb(total)} MB, over the {_mb(limit)} MB limit per "
                     "submission")]


def _detail(kpi_code: str, names: list[str], problems: list[Problem]) -> str:
    reasons_th = "; ".join(dict.fromkeys(problem.reason_th for problem in problems))
    reasons_en = "; ".join(dict.fromkeys(problem.reason_en for problem in problems))
    return f"{kpi_code}: {', '.join(names)}: {reasons_th} / {reasons_en}"


# --- reading -----------------------------------------------------------------------------------------------------


def evidence_of_period(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int) -> pd.DataFrame:
    """The evidence of the latest version of a unit's quarter (the public view evidence_files): kpi_code,
    file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at, version."""
    return con.execute(queries.EVIDENCE_OF_PERIOD, [unit_code, fiscal_year, quarter]).df()


def evidence_targets(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int, quarter: int
                     ) -> tuple[int | None, list[tuple[str, str, str | None]]]:
    """(latest version, [(kpi_code, name_th, name_en)] it reports, in catalogue order): what evidence can be
    attached to now; (None, []) before the first version."""
    latest = latest_submission(con, unit_code, fiscal_year, quarter)
    if latest is None:
        return None, []
    return latest[1], con.execute(queries.EVIDENCE_KPIS_OF_SUBMISSION, [fiscal_year, latest[0]]).fetchall()


class EvidenceMissing(Exception):
    """The file is not in the uploads folder, or its bytes are not the ones recorded."""


def read_evidence(db_path: Path, sha256: str, media_type: str) -> bytes:
    """The bytes of a stored evidence file, checked against the sha256 recorded (EvidenceMissing otherwise)."""
    return read_evidence_file(db.uploads_dir(db_path), sha256, media_type)


def read_evidence_file(archive_dir: Path, sha256: str, media_type: str) -> bytes:
    if media_type not in MEDIA_TYPES or not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise EvidenceMissing(sha256)
    try:
        data = evidence_path(archive_dir, sha256, media_type).read_bytes()
    except FileNotFoundError as error:
        raise EvidenceMissing(sha256) from error
    if sha256_of(data) != sha256:
        raise EvidenceMissing(sha256)
    return data

"""Evidence files of KPI results (pipelines.evidence): type by content, limits, hostile files, content-addressed
storage, carried to a new version, listed with downloads on the KPI page and attached on the upload page.

The sample database: PLAN submitted Q1 and Q2 of 2568 (KPIs P-01, P-02), LAW Q2 (L-01).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines import auth, db, evidence, periods
from tests.accounts_support import add_accounts, page, query, signed_in, texts
from tests.download_support import open_page
from tests.support import run_cli

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="{part}" ContentType="{main}"/></Types>')


def office(main: str, part: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office package: [Content_Types].xml naming `main` for `part`, and the part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(part=part, main=main))
        archive.writestr(part.lstrip("/"), "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              "/word/document.xml")
PPTX = office("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
              "/ppt/presentation.xml")


def real_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "หลักฐาน"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attach(db_path: Path, files: list[tuple[str, bytes]], kpi: str = "P-01", unit: str = "PLAN", quarter: int = 2,
           **options) -> evidence.EvidenceAttach:
    return evidence.attach_evidence(db_path, unit, 2568, quarter, kpi, files, by="plan.head", **options)


def stored_rows(db_path: Path) -> list[tuple]:
    return query(db_path, "SELECT unit_code, quarter, version, kpi_code, file_name, media_type, size_bytes "
                          "FROM evidence_files ORDER BY evidence_id")


def archived(db_path: Path) -> set[str]:
    return {path.name for path in db.uploads_dir(db_path).iterdir()}


def reasons(result: evidence.EvidenceAttach) -> list[str]:
    return [f"{problem.reason_th} / {problem.reason_en}" for problem in result.problems]


# --- accepted by content -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "media"), [
    ("รายงาน.pdf", PDF, "application/pdf"),
    ("photo.PNG", PNG, "image/png"),
    ("photo.jpeg", JPEG, "image/jpeg"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("minutes.docx", DOCX, evidence.DOCX),
    ("figures.xlsx", real_xlsx(), evidence.XLSX),
    ("slides.pptx", PPTX, evidence.PPTX),
])
def test_each_accepted_type_is_recognised_by_its_content(name, data, media):
    assert evidence.check_file(name, data) == (media, [])


def test_attached_files_are_stored_content_addressed_and_listed_with_their_version(sample_db):
    before = archived(sample_db)
    result = attach(sample_db, [("รายงาน.pdf", PDF), ("photo.png", PNG)])
    assert result.problems == [] and result.stored == ["รายงาน.pdf", "photo.png"] and result.version == 1
    assert stored_rows(sample_db) == [("PLAN", 2, 1, "P-01", "รายงาน.pdf", "application/pdf", len(PDF)),
                                      ("PLAN", 2, 1, "P-01", "photo.png", "image/png", len(PNG))]
    sha = evidence.sha256_of(PDF)
    assert archived(sample_db) - before == {f"{sha}.pdf", f"{evidence.sha256_of(PNG)}.png"}
    assert evidence.read_evidence(sample_db, sha, "application/pdf") == PDF
    assert query(sample_db, "SELECT outcome, detail LIKE 'P-01 v1: รายงาน.pdf (application/pdf%' FROM audit_log "
                            "WHERE action = 'evidence_add'") == [("success", True)]
    # the analysts' snapshot has it too
    with db.open_db(sample_db.parent / "snapshot" / sample_db.name, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM evidence_files").fetchone() == (2,)


def test_the_same_file_twice_is_kept_once(sample_db):
    assert attach(sample_db, [("a.pdf", PDF)]).stored == ["a.pdf"]
    again = attach(sample_db, [("copy of a.pdf", PDF)])
    assert again.problems == [] and again.stored == [] and again.already == ["copy of a.pdf"]
    other_kpi = attach(sample_db, [("b.pdf", PDF)], kpi="P-02")
    assert other_kpi.stored == ["b.pdf"]
    assert [row[3:5] for row in stored_rows(sample_db)] == [("P-01", "a.pdf"), ("P-02", "b.pdf")]
    assert sorted(name for name in archived(sample_db) if name.endswith(".pdf")) == [
        f"{evidence.sha256_of(PDF)}.pdf"]


# --- hostile files: a clear Thai and English reason, nothing stored ----------------------------------------------

def assert_nothing_stored(db_path: Path, before: set[str]) -> None:
    assert stored_rows(db_path) == []
    assert archived(db_path) == before


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("report.pdf", EXE, "เนื้อหาของไฟล์ไม่ใช่ชนิดที่รับเป็นหลักฐาน"),
    ("report.pdf", EXE, "the file's content is not a type accepted as evidence"),
    ("report.docx", PDF, "ชื่อไฟล์ลงท้ายด้วย .docx แต่เนื้อหาเป็นเอกสาร PDF"),
    ("report.docx", PDF, "the name ends in .docx but the content is a PDF document"),
    ("photo.png", JPEG, "the content is a JPEG image"),
    ("report", PDF, "the name ends in (no extension)"),
    ("../../etc/passwd.pdf", PDF, "ชื่อไฟล์ใช้ไม่ได้"),
    ("..\\boot.pdf", PDF, "not a usable file name: a name only, without a path"),
    ("a\x00.pdf", PDF, "control characters"),
    ("empty.pdf", b"", "the file is empty"),
    ("book.xlsx", office("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "/xl/workbook.xml",
                         {"xl/vbaProject.bin": b"\x00"}), "it carries macros (VBA); not accepted"),
    ("slip.docx", office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                         "/word/document.xml", {"../../evil.sh": b"rm -rf /"}), "(../ or an absolute path)"),
    ("damaged.docx", DOCX[: len(DOCX) // 2], "a damaged or encrypted Office file"),
    ("plain.docx", office("application/xml", "/data.xml"), "not a type accepted as evidence"),
])
def test_a_hostile_or_mislabelled_file_is_refused_and_nothing_is_stored(sample_db, name, data, expected):
    before = archived(sample_db)
    result = attach(sample_db, [("fine.pdf", PDF), (name, data)])
    assert any(expected in reason for reason in reasons(result)), reasons(result)
    assert all(problem.reason_th and problem.reason_en for problem in result.problems)
    assert result.stored == []
    assert_nothing_stored(sample_db, before)
    assert query(sample_db, "SELECT outcome FROM audit_log WHERE action = 'evidence_add'") == [("rejected",)]


def test_attaching_no_file_says_so_and_writes_nothing(sample_db):
    assert reasons(attach(sample_db, [])) == ["ไม่ได้เลือกไฟล์หลักฐาน / no evidence file was chosen"]
    assert query(sample_db, "SELECT count(*) FROM audit_log WHERE action = 'evidence_add'") == [(0,)]


def test_a_zip_bomb_is_refused_on_its_declared_size_without_unpacking_it(sample_db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            part="/word/document.xml",
            main="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"))
        archive.writestr("word/document.xml", b"\x00" * (101 * 2**20))  # 101 MB of zeros: about 100 KB packed
    bomb = out.getvalue()
    assert len(bomb) < 2**20
    result = attach(sample_db, [("bomb.docx", bomb)])
    assert reasons(result) == ["ไม่รับไฟล์นี้: แตกไฟล์แล้วใหญ่เกิน 100 MB (zip bomb) / "
                               "file refused: it unpacks to more than 100 MB (a zip bomb)"]
    assert stored_rows(sample_db) == []


def test_a_content_types_part_that_lies_about_its_size_is_read_no_further_than_the_bound(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_CONTENT_TYPES_BYTES", 64)
    assert evidence.check_file("minutes.docx", DOCX)[1][0].reason_en == (
        "file refused: its [Content_Types].xml is abnormally large")


def test_a_file_over_the_per_file_limit_is_refused(sample_db, monkeypatch):
    monkeypatch.setenv("BSC_EVIDENCE_FILE_MB", "1")
    before = archived(sample_db)
    big = PDF + b"%" * (2**20)
    result = attach(sample_db, [("big.pdf", big)])
    assert reasons(result) == ["ไฟล์ใหญ่ 1.0 MB เกินขีดจำกัด 1.0 MB ต่อไฟล์ / "
                               "the file is 1.0 MB, over the 1.0 MB limit per file"]
    assert_nothing_stored(sample_db, before)


def test_the_evidence_of_one_version_may_not_pass_the_per_submission_limit(sample_db, monkeypatch):
    monkeypatch.setenv("BSC_EVIDENCE_SUBMISSION_MB", "1")
    part = PDF + b"%" * (600 * 1024)
    assert attach(sample_db, [("first.pdf", part)]).stored == ["first.pdf"]
    second = PDF + b"#" * (600 * 1024)
    result = attach(sample_db, [("second.pdf", second)], kpi="P-02")
    assert reasons(result) == ["หลักฐานของข้อมูลฉบับนี้รวมกันจะเป็น 1.2 MB เกินขีดจำกัด 1.0 MB ต่อการนำส่ง / "
                               "this version's evidence would total 1.2 MB, over the 1.0 MB limit per submission"]
    assert [row[4] for row in stored_rows(sample_db)] == ["first.pdf"]
    # the same file again counts once, and another unit's version has its own allowance
    assert attach(sample_db, [("first again.pdf", part)], kpi="P-02").stored == ["first again.pdf"]
    assert attach(sample_db, [("law.pdf", second)], kpi="L-01", unit="LAW").stored == ["law.pdf"]


# --- the gate ------------------------------------------------------------------------------------------------------

def test_nothing_can_be_attached_before_a_version_or_to_a_kpi_it_does_not_report(sample_db):
    assert reasons(attach(sample_db, [("a.pdf", PDF)], quarter=3)) == [
        "หน่วยงาน PLAN ยังไม่ได้นำส่งผลไตรมาส 3/2568 ต้องนำส่งผลก่อนแนบหลักฐาน / unit PLAN has submitted nothing "
        "for Q3 FY2568: submit the results before attaching evidence"]
    assert "KPI L-01 is not in the latest version of unit PLAN" in reasons(attach(sample_db, [("a.pdf", PDF)],
                                                                                  kpi="L-01"))[0]


def test_a_closed_quarter_or_another_units_head_is_refused(sample_db, fast_hashing):
    add_accounts(sample_db)
    with db.open_db(sample_db) as con:
        law_head = auth.get_user(con, "law.head")
    result = attach(sample_db, [("a.pdf", PDF)], user=law_head, channel="web")
    assert "ผู้ใช้ law.head ไม่มีสิทธิ์แนบหลักฐานของหน่วยงาน PLAN" in reasons(result)[0]
    with db.open_db(sample_db) as con:
        assert periods.close_period(con, 2568, 2, by="admin", reason="ส่งรายงานแล้ว") == []
    assert "is closed to uploads" in reasons(attach(sample_db, [("a.pdf", PDF)]))[0]
    assert stored_rows(sample_db) == []
    assert query(sample_db, "SELECT outcome FROM audit_log WHERE action = 'evidence_add' ORDER BY event_id") == [
        ("refused",), ("refused",)]


# --- versions ------------------------------------------------------------------------------------------------------

def test_a_new_version_carries_the_evidence_of_the_kpis_it_still_reports(sample_db, tmp_path):
    assert attach(sample_db, [("a.pdf", PDF)], quarter=1).stored == ["a.pdf"]
    corrected = tmp_path / "PLAN_2568_Q1.csv"
    corrected.write_text("division,fiscal_year,quarter,kpi_code,actual,note\nPLAN,2568,1,P-01,63,corrected\n",
                         encoding="utf-8")
    assert run_cli(sample_db, "ingest", str(corrected)) == 0
    assert [row[:5] for row in stored_rows(sample_db)] == [("PLAN", 1, 1, "P-01", "a.pdf"),
                                                           ("PLAN", 1, 2, "P-01", "a.pdf")]
    assert query(sample_db, "SELECT DISTINCT uploaded_by FROM evidence_files") == [("plan.head",)]
    assert run_cli(sample_db, "check") == 0


def test_check_finds_an_evidence_file_that_is_missing(sample_db, capsys):
    attach(sample_db, [("a.pdf", PDF)])
    (db.uploads_dir(sample_db) / f"{evidence.sha256_of(PDF)}.pdf").unlink()
    assert run_cli(sample_db, "check") == 1
    assert "PLAN 2568 Q2 v1 P-01 evidence (a.pdf)" in capsys.readouterr().err


def test_backup_and_restore_carry_the_evidence_files(sample_db, tmp_path, monkeypatch):
    attach(sample_db, [("รายงาน.pdf", PDF)])
    assert run_cli(sample_db, "backup", "--out", str(tmp_path / "backup.tar")) == 0
    restored = tmp_path / "elsewhere" / "bsc.duckdb"
    monkeypatch.delenv("BSC_UPLOADS", raising=False)
    assert run_cli(restored, "restore", str(tmp_path / "backup.tar")) == 0
    assert evidence.read_evidence(restored, evidence.sha256_of(PDF), "application/pdf") == PDF
    assert run_cli(restored, "check") == 0


@pytest.mark.parametrize("statement", [
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "VALUES (1, 'P-01', repeat('a', 64), 'x.exe', 'application/x-msdownload', 10, now())",
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "VALUES (1, 'P-01', 'abc', 'x.pdf', 'application/pdf', 10, now())",
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "VALUES (999, 'P-01', repeat('a', 64), 'x.pdf', 'application/pdf', 10, now())",
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "VALUES (1, 'P-01', repeat('a', 64), '', 'application/pdf', 10, now())",
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "VALUES (1, 'P-01', repeat('a', 64), 'x.pdf', 'application/pdf', 0, now())",
    "INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, uploaded_at) "
    "SELECT submission_id, 'P-01', repeat('a', 64), 'again.pdf', media_type, size_bytes, now() FROM evidence_file",
    "INSERT INTO reminder_schedule VALUES (2568, 5, -7, 'admin', now())",
    "INSERT INTO reminder_schedule VALUES (2568, 1, -90, 'admin', now())",
    "INSERT INTO reminder_sent SELECT * FROM reminder_sent",
    "INSERT INTO reminder_sent VALUES ('spam', 'PLAN', 2568, 1, -7, DATE '2025-07-08', 'a@b', 's', now())",
])
def test_the_evidence_and_reminder_tables_refuse_a_bad_row(sample_db, statement):
    with db.open_db(sample_db) as con:
        con.execute("INSERT INTO evidence_file (submission_id, kpi_code, sha256, file_name, media_type, size_bytes, "
                    "uploaded_at) VALUES (1, 'P-01', repeat('a', 64), 'x.pdf', 'application/pdf', 10, now())")
        con.execute("INSERT INTO reminder_sent VALUES ('missing', 'PLAN', 2568, 1, -7, DATE '2025-07-08', 'a@b', "
                    "'s', now())")
        with pytest.raises(duckdb.ConstraintException):
            con.execute(statement)


# --- the pages -----------------------------------------------------------------------------------------------------

def test_the_kpi_page_lists_the_evidence_of_the_shown_results_with_a_download(sample_db, monkeypatch):
    attach(sample_db, [("รายงาน.pdf", PDF), ("photo.png", PNG)])
    app, offered = open_page(monkeypatch, sample_db, "kpi", kpi="P-01", lang="en")
    listed = next(frame.value for frame in app.dataframe if "file_name" in frame.value.columns)
    assert list(listed["file_name"]) == ["รายงาน.pdf", "photo.png"]
    assert list(listed["media_type"]) == ["PDF document", "PNG image"]
    downloads = {item.file_name: item for item in offered if item.file_name in ("รายงาน.pdf", "photo.png")}
    assert downloads["รายงาน.pdf"].label.startswith("Q2 · PLAN · Download รายงาน.pdf")
    assert downloads["รายงาน.pdf"].bytes() == PDF and downloads["photo.png"].bytes() == PNG
    assert "not scanned for viruses" in " ".join(texts(app, "caption"))


def test_the_kpi_page_says_when_a_kpi_has_no_evidence(sample_db, monkeypatch):
    app, _ = open_page(monkeypatch, sample_db, "kpi", kpi="P-01", lang="en")
    assert "No evidence files" in [element.value for element in app.info] + texts(app, "caption") + [
        element.value for element in app.markdown]


def test_the_upload_page_attaches_evidence_to_the_latest_version(sample_db, monkeypatch, fast_hashing):
    add_accounts(sample_db)
    monkeypatch.setenv("BSC_DB", str(sample_db))
    app = signed_in(page("upload.py"), sample_db, "plan.head").run()
    app.selectbox(key="upload_fiscal_year").set_value(2568)
    app.selectbox(key="upload_quarter").set_value(2).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "แนบไฟล์หลักฐาน ไตรมาส 2/2568 (ฉบับที่ 1)" in [element.value for element in app.subheader]
    app.selectbox(key="evidence_kpi").set_value("P-02")
    app.file_uploader(key="evidence_files_0").set_value([("รายงาน.pdf", PDF, "application/pdf"),
                                                          ("virus.pdf", EXE, "application/pdf")])
    next(button for button in app.button if button.label == "แนบไฟล์").click().run()
    assert not app.exception, [e.value for e in app.exception]
    errors = texts(app, "error")
    assert errors[0] == "ไม่ได้แนบไฟล์ใดเลย: พบ 1 ปัญหา แก้แล้วแนบใหม่"
    assert errors[1].startswith("virus.pdf: .pdf: เนื้อหาของไฟล์ไม่ใช่ชนิดที่รับเป็นหลักฐาน")
    assert stored_rows(sample_db) == []
    app.file_uploader(key="evidence_files_0").set_value([("รายงาน.pdf", PDF, "application/pdf")])
    next(button for button in app.button if button.label == "แนบไฟล์").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "แนบ 1 ไฟล์กับ P-02 แล้ว" in texts(app, "success")
    assert stored_rows(sample_db) == [("PLAN", 2, 1, "P-02", "รายงาน.pdf", "application/pdf", len(PDF))]
    listed = next(frame.value for frame in app.dataframe if "file_name" in frame.value.columns
                  and "kpi_code" in frame.value.columns)
    assert list(listed["file_name"]) == ["รายงาน.pdf"]

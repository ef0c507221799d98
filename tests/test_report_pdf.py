"""The executive report as a PDF (pipelines.report_pdf): A4 pages numbered "หน้า n / N", Thai shaped and broken
between words, the report font embedded, scores formatted as the dashboard shows them, every chart kind drawn, user
data shown as text and never run.

Printing needs Debian's chromium (as the browser tests: skipped locally without it, failing under CI); reading the
Thai text back needs poppler's pdftotext, which honours the /ActualText spans Chromium writes around shaped Thai
clusters (pypdf ignores them and loses tone marks that the font substitutes), so pypdf reads the page sizes, the
fonts and the figures, and pdftotext the Thai. `.ci/run` installs chromium, fonts-thai-tlwg and poppler-utils.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from pipelines import db, report, report_model, report_pdf
from pipelines.domain import AGGREGATE_STATUSES
from pipelines.report_model import Chart, Report, Section, Series, Table
from pipelines.scoring import format_score
from tests.browser_support import require_browser

ROOT = Path(__file__).resolve().parents[1]
chromium = pytest.mark.xdist_group("server")  # chromium: one at a time, as the browser tests

WORDS = ("การ", "พัฒนา", "ระบบ", "บริหาร", "จัดการ", "ผล", "การ", "ปฏิบัติ", "ราชการ", "ของ", "สำนักงาน", "ต้อง",
         "ได้", "รับ", "ความ", "ร่วมมือ", "จาก", "ผู้บังคับบัญชา", "ทุก", "ระดับ", "เพื่อ", "ให้", "บรรลุ", "เป้าหมาย",
         "ที่", "กำหนด", "ไว้", "ใน", "แผน", "ยุทธศาสตร์", "และ", "ตัวชี้วัด", "ที่", "เกี่ยวข้อง", "อย่าง",
         "ต่อเนื่อง", "โดย", "เฉพาะ", "ผู้รับบริการ", "ซึ่ง", "มี", "ความ", "คาดหวัง", "สูง", "ขึ้น", "ทุก", "ปี")
LONG_SENTENCE = "".join(WORDS)
"""One Thai sentence with no space in it, longer than a line: Chromium must break it between these words."""
COMBINING_MARKS = {chr(0x0E31), *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))}
"""Thai tone marks and upper and lower vowels: a line that starts with one was broken inside a syllable."""
HOSTILE = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
BREAKOUT = "</script><script>document.body.textContent='PWNED'</script>"
STATUS_NAMES = {code: names[0] for code, names in AGGREGATE_STATUSES.items()}


def sample_report() -> Report:
    units = ("สำนักงานพัฒนาระบบ", "ผู้บังคับบัญชา", HOSTILE, FORMULA)
    scores = (3.60065, 4.21, 2.5, None)
    statuses = ("on_track", "on_track", "off_track", "not_reported")
    colours = tuple(AGGREGATE_STATUSES[code][2] for code in statuses)
    return Report(
        lang="th", title="รายงานผลการดำเนินงานสำหรับผู้บริหาร", agency="กรมส่งเสริมการพัฒนาตัวอย่าง",
        unit_code="A00", unit_name="กรมส่งเสริมการพัฒนาตัวอย่าง", fiscal_year=2568, quarter=2,
        period="ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2568", generated="15 เมษายน 2568 เวลา 09:30 น.",
        status_names=STATUS_NAMES,
        sections=(
            Section(
                key="scores", title="คะแนนรวมและคะแนนรายมิติ",
                summary=("คะแนนรวมของส่วนราชการ 3.6007 บรรลุเป้าหมาย", LONG_SENTENCE),
                table=Table(columns=("มิติ", "คะแนน", "ร้อยละที่รายงาน", "สถานะ"),
                            rows=(("มิติด้านประสิทธิผล", 3.60065, 72.46, "on_track"),
                                  ("มิติด้านคุณภาพการให้บริการ", 2.95, 100.0, "at_risk"),
                                  ("มิติด้านประสิทธิภาพของการปฏิบัติราชการ", 1.5, 40.0, "provisional")),
                            formats=("text", "score", "percent", "status")),
                chart=Chart(kind="radar", categories=("ประสิทธิผล", "คุณภาพ", "ประสิทธิภาพ", "พัฒนาองค์กร"),
                            series=(Series("คะแนนมิติไตรมาสนี้", (3.6, 2.95, 1.5, 4.0)),),
                            value_range=(0, 5.2), target=3, target_label="ระดับ 3 (เป้าหมาย)"),
            ),
            Section(
                key="units", title="หน่วยงานเรียงตามคะแนน",
                table=Table(columns=("หน่วยงาน", "คะแนน", "งบประมาณ (บาท)", "ตัวชี้วัด", "สถานะ"),
                            rows=tuple(zip(units, scores, (1234567, 98000.5, 0, None), (12, 8, 3, 1), statuses,
                                           strict=True)),
                            formats=("text", "score", "number", "integer", "status"),
                            note=f"หมายเหตุ: {BREAKOUT}"),
                chart=Chart(kind="barh", categories=units, series=(Series("คะแนนหน่วยงานเรียงลำดับ", scores,
                                                                          point_colours=colours),),
                            value_title="คะแนน", value_range=(0, 5.2), target=3, target_label="ระดับ 3"),
            ),
            Section(
                key="below_target", title="ตัวชี้วัดต่ำกว่าเป้าหมาย",
                chart=Chart(kind="bar", categories=("KPI-01", BREAKOUT, "KPI-03"),
                            series=(Series("คะแนนตัวชี้วัดต่ำกว่าเป้า", (2.1, 1.0, 2.9), colour="#c62828"),),
                            value_range=(0, 5.2), target=3, target_label="ระดับ 3"),
            ),
            Section(
                key="at_risk", title="ตัวชี้วัดเสี่ยงไม่บรรลุเป้าหมายสิ้นปี",
                chart=Chart(kind="line", categories=("ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4"),
                            series=(Series("แนวโน้มคะแนนรวมของปี", (2.8, 3.1, None, None)),
                                    Series("คาดการณ์สิ้นปีงบประมาณ", (None, 3.1, 3.3, 3.4), colour="#6a1b9a"))),
            ),
            Section(key="pmqa", title="ความครอบคลุม PMQA", summary=("ยังไม่มีข้อมูล PMQA",),
                    empty_text="ไม่มีตัวชี้วัดที่ผูกกับหมวด PMQA ในไตรมาสนี้"),
        ),
    )


def require_pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but pdftotext is missing: .ci/run must apt-get install poppler-utils")
    pytest.skip("pdftotext (poppler-utils) is not installed")


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as poppler reads it, one string per page, NFC."""
    done = subprocess.run([require_pdftotext(), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    pages = done.stdout.decode("utf-8").split("\f")
    return [unicodedata.normalize("NFC", page) for page in pages if page.strip()]


def squeezed(text: str) -> str:
    """Without spaces: poppler puts a space after a tone mark the font shifts left (เป้ าหมาย)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser()
    path = tmp_path_factory.mktemp("report_pdf") / "report.pdf"
    steps: list[tuple[float, str]] = []
    with pytest.MonkeyPatch.context() as monkeypatch:  # the default font, whatever the machine's settings
        for setting in (report_pdf.FONT_ENV, report_pdf.FONT_FILE_ENV, report_pdf.FONT_BOLD_FILE_ENV):
            monkeypatch.delenv(setting, raising=False)
        report_pdf.render_pdf(sample_report(), path, progress=lambda fraction, text: steps.append((fraction, text)))
    assert [fraction for fraction, _ in steps] == sorted(fraction for fraction, _ in steps)
    assert steps[-1][0] == 1.0
    return path


@chromium
def test_every_page_is_a4_and_numbered_page_n_of_total(rendered: Path) -> None:
    reader = pypdf.PdfReader(rendered)
    assert len(reader.pages) >= 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=1)
    total = len(reader.pages)
    for number, text in enumerate(page_texts(rendered), start=1):
        assert f"หน้า {number} / {total}" in text


@chromium
def test_the_cover_names_the_report_agency_period_and_date_in_buddhist_era(rendered: Path) -> None:
    cover = squeezed(page_texts(rendered)[0])
    for text in ("รายงานผลการดำเนินงานสำหรับผู้บริหาร", "กรมส่งเสริมการพัฒนาตัวอย่าง",
                 "ไตรมาสที่2ปีงบประมาณพ.ศ.2568", "จัดทำเมื่อ15เมษายน2568"):
        assert text in cover


@chromium
def test_thai_names_and_formatted_figures_are_text_in_the_pdf(rendered: Path) -> None:
    thai = squeezed("".join(page_texts(rendered)))
    for name in ("สำนักงานพัฒนาระบบ", "ผู้บังคับบัญชา", "มิติด้านประสิทธิภาพของการปฏิบัติราชการ",
                 "บรรลุเป้าหมาย", "ต่ำกว่าเป้าหมาย", "ข้อมูลยังไม่ครบ", "ไม่มีตัวชี้วัดที่ผูกกับหมวดPMQAในไตรมาสนี้"):
        assert name in thai
    figures = "".join(page.extract_text() for page in pypdf.PdfReader(rendered).pages)
    for figure in ("3.6007", "4.2100", "2.5000", "72.5%", "1,234,567", "98,000.5"):
        assert figure in figures


@chromium
def test_each_chart_kind_is_drawn_with_its_series(rendered: Path) -> None:
    """The series names appear only in the charts' legends: a chart plotly did not draw before printing has none."""
    thai = squeezed("".join(page_texts(rendered)))
    for legend in ("คะแนนมิติไตรมาสนี้", "คะแนนตัวชี้วัดต่ำกว่าเป้า", "แนวโน้มคะแนนรวมของปี", "คาดการณ์สิ้นปีงบประมาณ",
                   "ระดับ3(เป้าหมาย)"):
        assert legend in thai


@chromium
def test_hostile_names_are_shown_as_text_and_never_run(rendered: Path) -> None:
    text = "".join(page_texts(rendered))
    assert HOSTILE in text
    assert FORMULA in text
    assert "document.body.textContent='PWNED'" in text  # the note and the chart label, as written
    assert "สำนักงานพัฒนาระบบ" in squeezed(text)  # the body was not replaced by a script


@chromium
def test_the_font_embedded_is_laksaman_or_th_sarabun_new_where_installed(rendered: Path) -> None:
    assert embedded_fonts(rendered) in ({"Laksaman", "Laksaman-Bold"}, {"THSarabunNew", "THSarabunNew-Bold"})


@chromium
def test_a_long_thai_sentence_wraps_between_its_words(rendered: Path) -> None:
    lines = [squeezed(line) for line in page_texts(rendered)[1].splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in COMBINING_MARKS]
    start = next(i for i, line in enumerate(lines) if LONG_SENTENCE.startswith(line) and len(line) > 10)
    wrapped, joined = [], ""
    for line in lines[start:]:
        wrapped.append(line)
        joined += line
        if len(joined) >= len(LONG_SENTENCE):
            break
    assert joined == LONG_SENTENCE
    assert len(wrapped) >= 2
    word_ends = {len("".join(WORDS[:n])) for n in range(1, len(WORDS) + 1)}
    line_ends = [len("".join(wrapped[:n])) for n in range(1, len(wrapped))]
    assert set(line_ends) <= word_ends, [line[-8:] for line in wrapped]


@chromium
def test_the_font_family_set_in_bsc_report_font_is_the_one_embedded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BSC_REPORT_FONT names the agency's installed TH Sarabun New; Garuda (fonts-thai-tlwg) stands in for it."""
    require_browser()
    monkeypatch.setenv(report_pdf.FONT_ENV, "Garuda")
    path = tmp_path / "garuda.pdf"
    report_pdf.render_pdf(sample_report(), path)
    assert embedded_fonts(path) == {"Garuda", "Garuda-Bold"}


@chromium
def test_a_font_file_set_in_bsc_report_font_file_is_the_one_embedded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A font file not installed in the system (THSarabunNew.ttf copied anywhere); Loma stands in for it."""
    require_browser()
    font = tmp_path / "fonts" / "THSarabunNew.ttf"
    font.parent.mkdir()
    shutil.copyfile("/usr/share/fonts/truetype/tlwg/Loma.ttf", font)
    monkeypatch.setenv(report_pdf.FONT_ENV, "Garuda")
    monkeypatch.setenv(report_pdf.FONT_FILE_ENV, str(font))
    path = tmp_path / "loma.pdf"
    report_pdf.render_pdf(sample_report(), path)
    assert embedded_fonts(path) == {"Loma"}  # headings in a bold drawn from it


def test_a_missing_font_file_is_refused_in_thai_and_english_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(report_pdf.FONT_FILE_ENV, str(tmp_path / "THSarabunNew.ttf"))
    path = tmp_path / "report.pdf"
    with pytest.raises(report_pdf.PdfError) as raised:
        report_pdf.render_pdf(sample_report(), path)
    assert "ไม่พบไฟล์ฟอนต์" in str(raised.value) and "font file" in str(raised.value)
    assert "THSarabunNew.ttf" in str(raised.value) and report_pdf.FONT_FILE_ENV in str(raised.value)
    assert not path.exists()


def test_a_font_family_not_installed_is_refused_in_thai_and_english(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fontconfig answers any name with a substitute; the report does not take it for the font asked for."""
    monkeypatch.setenv(report_pdf.FONT_ENV, "TH Niramit AS Not Installed")
    with pytest.raises(report_pdf.PdfError) as raised:
        report_pdf.render_pdf(sample_report(), tmp_path / "report.pdf")
    assert "ไม่พบฟอนต์ TH Niramit AS Not Installed" in str(raised.value)
    assert "font TH Niramit AS Not Installed is not installed" in str(raised.value)
    assert not (tmp_path / "report.pdf").exists()


def test_a_missing_chromium_is_refused_in_thai_and_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(report_pdf.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    with pytest.raises(report_pdf.PdfError, match="Chromium") as raised:
        report_pdf.render_pdf(sample_report(), tmp_path / "report.pdf")
    assert "ไม่พบโปรแกรม Chromium" in str(raised.value)
    assert not (tmp_path / "report.pdf").exists()


def test_a_chromium_that_does_not_finish_is_stopped_with_its_children_at_the_time_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    hang = tmp_path / "hanging-chromium"
    hang.write_text(f"#!/bin/sh\nsleep 600 &\necho $! > {pids}\necho $$ >> {pids}\nexec sleep 600\n")
    hang.chmod(0o755)
    monkeypatch.setenv(report_pdf.CHROMIUM_ENV, str(hang))
    monkeypatch.setenv(report_pdf.TIME_LIMIT_ENV, "2")
    with pytest.raises(report_pdf.PdfError, match="within 2 s"):
        report_pdf.render_pdf(sample_report(), tmp_path / "report.pdf")
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2
    deadline = time.monotonic() + 20  # a killed orphan takes a moment to die on a busy machine
    while (alive := [pid for pid in started if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive == []
    assert not (tmp_path / "report.pdf").exists()


def test_the_html_escapes_user_data_and_runs_only_its_own_scripts() -> None:
    document = report_pdf.report_html(sample_report(), report_pdf.report_font())
    assert HOSTILE not in document and "<script>document" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert document.count("<script>") == 2  # plotly.js and the drawing of the charts, allowed by hash
    head = html.unescape(document.split("</head>")[0])
    assert "script-src 'sha256-" in head and "default-src 'none'" in head
    assert "http://" not in head and "https://" not in head


@pytest.mark.parametrize(("value", "column_format", "shown"), [
    (3.60065, "score", "3.6007"),
    (None, "score", ""),
    (1234567, "number", "1,234,567"),
    (98000.5, "number", "98,000.5"),
    (72.46, "percent", "72.5%"),
    (1234.4, "integer", "1,234"),
    ("at_risk", "status", "ต้องเฝ้าระวัง"),
    ("สำนักงาน", "text", "สำนักงาน"),
])
def test_cells_are_formatted_per_column_format(value: object, column_format: str, shown: str) -> None:
    assert report_model.format_cell(value, column_format, STATUS_NAMES) == shown


def test_importing_the_command_line_does_not_load_the_pdf_renderer() -> None:
    statement = "import sys, pipelines.cli; print('pipelines.report_pdf' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", statement], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def running(pid: int) -> bool:
    """Alive and not a zombie left for init to reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def embedded_fonts(pdf: Path) -> set[str]:
    """The named fonts of every page (text and charts), without the subset tag (AAAAAA+Laksaman -> Laksaman)."""
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            base = font.get_object().get("/BaseFont")
            if base is not None:
                names.add(str(base).lstrip("/").split("+", 1)[-1])
    return names


@chromium
def test_nothing_of_a_page_is_painted_in_the_bottom_margin_but_its_number(rendered: Path, tmp_path: Path) -> None:
    """A section starts a page; Chromium once painted the tone marks of its heading (ตัวชี้วัด) at the foot of the
    page before, in the heading's blue, above the page number."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        require_pdftotext()  # the same package: skips locally, fails under CI
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(rendered), str(tmp_path / "page")], check=True)
    for image_path in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(image_path).convert("RGB")
        margin_top = round(image.height * (297 - 18) / 297)
        band = image.crop((0, margin_top, image.width, image.height))
        data = band.tobytes()
        pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
        heading_blue = [(r, g, b) for r, g, b in pixels if b > 120 and b - r > 60]
        assert heading_blue == [], image_path.name


def test_a_long_note_gets_the_widest_column_and_figures_and_codes_their_width() -> None:
    table = Table(columns=("รหัส", "ตัวชี้วัด", "ผลการดำเนินงาน", "คะแนน", "สถานะ", "ปัญหาอุปสรรคและแนวทางแก้ไข"),
                  rows=(("NCFC-AN-P01", "จำนวนรายงานวิเคราะห์แนวโน้มอาชญากรรมรายเดือน", 1234567, 3.60065, "off_track",
                         "ปัญหา: ผลสะสมยังต่ำกว่าเกณฑ์ กิจกรรมส่วนใหญ่กำหนดไว้ช่วงปลายปี แนวทางแก้ไข: เร่งจัดกิจกรรม"),),
                  formats=("text", "text", "number", "score", "status", "text"))
    shares = report_pdf._column_shares(sample_report(), table)
    assert sum(shares) == pytest.approx(100)
    code, name, actual, score, status, note = shares
    assert note == max(shares) and note > name
    assert code * report_pdf.CONTENT_WIDTH_MM / 100 >= len("NCFC-AN-P01") * report_pdf.CHAR_MM
    assert actual * report_pdf.CONTENT_WIDTH_MM / 100 >= len("1,234,567") * report_pdf.CHAR_MM


def test_an_english_report_labels_its_cover_and_pages_in_english() -> None:
    report = replace(sample_report(), lang="en", page_label="Page")
    document = report_pdf.report_html(report, report_pdf.report_font())
    assert "<dt>Generated</dt>" in document and "<dt>Agency</dt>" in document
    assert '"Page\\000020" counter(page) " / " counter(pages)' in document


def test_a_unit_name_in_the_running_head_cannot_close_the_style_sheet() -> None:
    report = replace(sample_report(), unit_name='"} </style><script>alert(1)</script>')
    document = report_pdf.report_html(report, report_pdf.report_font())
    style = document.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style and '"}' not in style
    assert document.count("<script>") == 2


@chromium
def test_the_demo_pack_as_pdf_names_the_units_in_thai_with_the_scores_the_dashboard_shows(
    demo_db_template: Path, tmp_path: Path
) -> None:
    """The agency's score as unit_scores holds it, and each division ranked with its subtree's score as the
    overview's heat map sums it (tests/test_report.py checks the Report against the views; here, the printed PDF
    against the Report)."""
    require_browser()
    with db.open_db(demo_db_template, read_only=True) as con:
        pack = report.build_report(con, 2568, 2, "OJA", "th")
        (agency,), = con.execute("SELECT score FROM unit_scores WHERE unit_code = 'OJA' AND fiscal_year = 2568 "
                                 "AND quarter = 2").fetchall()
    out = tmp_path / "pack.pdf"
    report.write_report(pack, "pdf", out)
    text = squeezed("".join(page_texts(out)))
    assert format_score(agency) in text
    units = next(section for section in pack.sections if section.key == "units").table
    assert len(units.rows) > 3
    for _, name, score, *_ in units.rows:
        assert squeezed(name) in text and (score is None or format_score(score) in text)

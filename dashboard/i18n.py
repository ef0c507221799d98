"""Every user-visible string of the dashboard, Thai and English, in one table.

Domain vocabulary (dimensions, statuses, PMQA categories, org levels) comes from `pipelines.domain`, so the
dashboard, the CLI and the templates name things alike; quarter labels and dates come from
`pipelines.calendar` (format_fiscal_period, format_date).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from pipelines.calendar import format_date, format_fiscal_period
from pipelines.domain import (
    AGGREGATE_STATUSES,
    DIMENSIONS,
    ORG_LEVELS,
    PMQA_CATEGORIES,
    PMQA_GROUPS,
    unit_of_measure_name,
)
from pipelines.periods import TIMELINESS
from pipelines.scoring import format_score

LANGUAGES = {"th": "ไทย", "en": "English"}
"""Language code -> its own name, as the switch shows it in either language."""
DEFAULT_LANGUAGE = "th"
LANGUAGE_SWITCH_LABEL = "ภาษา · Language"
"""The switch's label names itself in both languages, so a reader of either can find it."""

TEXT: dict[str, tuple[str, str]] = {
    # app and navigation
    "app_title": ("ระบบติดตามตัวชี้วัด BSC", "BSC KPI dashboard"),
    "section_executive": ("ผู้บริหาร", "Executive"),
    "page_overview": ("ภาพรวม", "Overview"),
    "uploader_button": ("เลือกไฟล์", "Upload"),
    "page_unknown": ("ไม่พบหน้าตามลิงก์นี้ จึงเปิดหน้าแรกแทน — ตรวจสอบลิงก์อีกครั้ง",
                     "No page has this address; the first page is shown instead. Check the link."),
    "page_dimensions": ("มิติ BSC", "BSC dimensions"),
    "page_units": ("หน่วยงาน", "Units"),
    "page_kpi": ("ตัวชี้วัด", "KPI detail"),
    "page_pmqa": ("PMQA ความครอบคลุม", "PMQA coverage"),
    "page_submissions": ("สถานะการส่งข้อมูล", "Submission status"),
    # sidebar filters
    "filters": ("ตัวกรอง", "Filters"),
    "period_in_page_form": ("หน้านี้เลือกหน่วยงาน ปีงบประมาณ และไตรมาสในแบบฟอร์มของหน้าเอง",
                            "This page picks its unit, fiscal year and quarter in its own form"),
    "language": ("ภาษา", "Language"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "quarter": ("ไตรมาส", "Quarter"),
    "unit": ("หน่วยงาน", "Org unit"),
    "fiscal_year_option": ("พ.ศ. {year}", "{year} BE"),
    "quarter_option": ("ไตรมาส {quarter}", "Q{quarter}"),
    "includes_below": ("รวมหน่วยงานในสังกัด", "Includes the units below"),
    "share_hint": ("คัดลอกลิงก์ในแถบที่อยู่เพื่อแชร์มุมมองนี้", "Copy the address bar link to share this view"),
    # empty states
    "db_missing": (
        "ยังไม่มีฐานข้อมูลที่ `{path}` — สร้างข้อมูลตัวอย่างด้วยคำสั่ง `make run` หรือ `python -m pipelines demo`",
        "No database at `{path}` yet: build the demo data with `make run` or `python -m pipelines demo`",
    ),
    "db_unreadable": (
        "เปิดฐานข้อมูล `{path}` ไม่ได้: {error}",
        "Cannot read the database `{path}`: {error}",
    ),
    "no_org_units": (
        "ยังไม่มีข้อมูลหน่วยงาน — นำเข้าด้วย `python -m pipelines orgs <ไฟล์>`",
        "No org units loaded yet: load them with `python -m pipelines orgs <file>`",
    ),
    "no_catalogue": (
        "ยังไม่มีบัญชีตัวชี้วัด — นำเข้าด้วย `python -m pipelines catalogue <ไฟล์>`",
        "No KPI catalogue loaded yet: load one with `python -m pipelines catalogue <file>`",
    ),
    "no_submissions_period": (
        "ยังไม่มีการรายงานผลของ {unit} ใน{period}",
        "Nothing reported yet for {unit} in {period}",
    ),
    "no_kpis_unit": (
        "{unit} ไม่มีตัวชี้วัดในปีงบประมาณ {year}",
        "{unit} has no KPIs in fiscal year {year}",
    ),
    "no_own_kpis": (
        "{unit} ไม่มีตัวชี้วัดของตนเองในปีงบประมาณ {year} — เลือกหน่วยงานในสังกัดเพื่อดูตัวชี้วัด",
        "{unit} owns no KPIs itself in fiscal year {year}: pick a unit below it to see KPIs",
    ),
    "no_kpis_dimension": (
        "{unit} ไม่มีตัวชี้วัดใน{dimension}",
        "{unit} has no KPIs in the dimension {dimension}",
    ),
    "kpi_never_reported": (
        "ตัวชี้วัด {kpi} ยังไม่เคยรายงานผลในปีงบประมาณ {year}",
        "KPI {kpi} has not been reported in fiscal year {year}",
    ),
    "no_trend": ("ยังไม่มีคะแนนในปีงบประมาณ {previous}–{year}", "No scores yet in fiscal years {previous}–{year}"),
    "no_peer_scores": ("ยังไม่มีคะแนนของหน่วยงานเหล่านี้ในไตรมาสนี้", "None of these units has a score in this quarter"),
    "no_pmqa_scores": ("ยังไม่มีคะแนนรายหมวดในไตรมาสนี้", "No category has a score in this quarter yet"),
    "no_heat": ("ยังไม่มีคะแนนรายหน่วยงานในไตรมาสนี้", "No unit scores in this quarter yet"),
    "none_below_target": (
        "ไม่มีตัวชี้วัดที่ต่ำกว่าเป้าหมายในไตรมาสนี้",
        "No KPI is below target in this quarter",
    ),
    # shared labels
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "download_xlsx": ("ดาวน์โหลด Excel", "Download Excel"),
    "score": ("คะแนน", "Score"),
    "status": ("สถานะ", "Status"),
    "actual": ("ผลการดำเนินงาน", "Actual"),
    "target": ("ค่าเป้าหมาย", "Target"),
    "progress": ("ร้อยละของเป้าหมาย", "Progress % of target"),
    "weight": ("น้ำหนัก", "Weight"),
    "weight_pct": ("น้ำหนัก (%)", "Weight (%)"),
    "reported_weight": ("น้ำหนักที่รายงานแล้ว", "Reported weight"),
    "reported_weight_pct": ("รายงานแล้ว {pct} ของน้ำหนัก", "{pct} of weight reported"),
    "provisional_badge": ("ข้อมูลยังไม่ครบ · รายงานแล้ว {pct}", "Incomplete · {pct} reported"),
    "provisional_note": (
        "คะแนนนี้มาจากตัวชี้วัดที่รายงานแล้วไม่ถึง {threshold}% ของน้ำหนัก จึงยังไม่ตัดสินว่าบรรลุเป้าหมายหรือไม่ "
        "(ค่าเริ่มต้นของตัวกรองคือไตรมาสล่าสุดที่รายงานแล้วอย่างน้อย {threshold}% ของน้ำหนักทั้งส่วนราชการ)",
        "This score rests on less than {threshold}% of the weight, so it is not yet judged on or off track "
        "(the filters open on the latest quarter with at least {threshold}% of the agency's weight reported)",
    ),
    "kpi_code": ("รหัส", "Code"),
    "kpi_name": ("ตัวชี้วัด", "KPI"),
    "kpi_unit": ("หน่วยนับ", "Unit of measure"),
    "actual_short": ("ผล", "Actual"),
    "target_short": ("เป้าหมาย", "Target"),
    "kpi_unit_short": ("หน่วยนับ", "Measure"),
    "progress_short": ("% ของเป้า", "% target"),
    "weight_short": ("น้ำหนัก", "Weight"),
    "dimension": ("มิติ", "Dimension"),
    "unit_code": ("รหัสหน่วยงาน", "Unit code"),
    "unit_name": ("หน่วยงาน", "Unit"),
    "period": ("ไตรมาส", "Quarter"),
    "count": ("จำนวน", "Count"),
    "level3": ("ระดับ 3 (เป้าหมาย)", "Level 3 (target)"),
    "own_kpis": ("{unit} (ตัวชี้วัดของหน่วยงานเอง)", "{unit} (its own KPIs)"),
    "version": ("ฉบับที่", "Version"),
    "submitted_at": ("วันที่ส่ง", "Submitted"),
    "submitted_by": ("ผู้ส่ง", "Submitted by"),
    "note": ("หมายเหตุ / ปัญหาอุปสรรค", "Note / problems"),
    "evidence": ("หลักฐาน", "Evidence"),
    "latest": ("ฉบับล่าสุด", "Latest"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่ใช่", "no"),
    # overview
    "overview_title": ("ภาพรวมผลการดำเนินงาน", "Performance overview"),
    "overall_score": ("คะแนนเฉลี่ยถ่วงน้ำหนัก {period}", "Weighted score, {period}"),
    "change_from": ("เทียบกับ{period}", "vs {period}"),
    "no_previous": ("ไม่มีคะแนนไตรมาสก่อนหน้า", "No score for the previous quarter"),
    "overview_timeliness": (
        "กำหนดส่ง{period} {deadline}: เลยกำหนดแล้วยังไม่ส่ง {overdue} หน่วยงาน · ส่งล่าช้า {late} หน่วยงาน",
        "{period} deadline {deadline}: units overdue (nothing submitted) {overdue} · submitted late {late}",
    ),
    "see_submissions": ("ดูสถานะการส่งข้อมูล", "See submission status"),
    "dimension_cards": ("คะแนนรายมิติ", "Score by dimension"),
    "dimension_weight": ("น้ำหนัก {pct} ของทั้งหมด", "{pct} of all weight"),
    "trend_title": ("แนวโน้มคะแนนรายมิติ ปีงบประมาณ {previous}–{year}", "Dimension scores, FY {previous}–{year}"),
    "heat_title": ("คะแนนหน่วยงาน × มิติ", "Unit × dimension scores"),
    "heat_caption": (
        "แต่ละแถวรวมตัวชี้วัดของหน่วยงานในสังกัดของแถวนั้น",
        "Each row includes the KPIs of the units below it",
    ),
    "below_title": ("10 ตัวชี้วัดที่ต่ำกว่าเป้าหมายมากที่สุด", "Ten KPIs furthest below target"),
    "below_caption": (
        "ตัวชี้วัดที่ได้คะแนนต่ำกว่าระดับ 3 (ค่าเป้าหมาย) เรียงจากคะแนนต่ำสุด",
        "KPIs scoring below level 3 (the target level), lowest score first",
    ),
    # dimensions
    "dimensions_title": ("ผลการดำเนินงานรายมิติ", "Performance by BSC dimension"),
    "pick_dimension": ("มิติ", "Dimension"),
    "dimension_score": ("คะแนน{dimension}", "{dimension} score"),
    "kpi_bars_title": ("คะแนนตัวชี้วัดรายหน่วยงาน", "KPI scores across units"),
    "bars_truncated": (
        "แสดง {shown} ตัวชี้วัดที่คะแนนต่ำสุดจากทั้งหมด {total} รายการ — ดาวน์โหลดเพื่อดูทั้งหมด",
        "Showing the {shown} lowest of {total} results; download the data for all of them",
    ),
    "not_reported_list": ("ยังไม่รายงาน: {codes}", "Not reported: {codes}"),
    "and_more": ("และอีก {count} รายการ", "and {count} more"),
    "first_shown": (
        "แสดง {shown} รายการแรกจากทั้งหมด {total} รายการ — เลือกหน่วยงานที่เล็กลงในแถบด้านข้าง หรือดาวน์โหลดเพื่อดูทั้งหมด",
        "Showing the first {shown} of {total}: pick a smaller unit in the sidebar, or download the data for all",
    ),
    "status_title": ("การกระจายของสถานะ", "Distribution of statuses"),
    "weight_title": ("น้ำหนักที่แต่ละหน่วยงานให้กับมิตินี้", "Weight each unit puts on this dimension"),
    # units
    "units_title": ("ผลการดำเนินงานของหน่วยงาน", "Unit scorecard"),
    "unit_score": ("คะแนน {unit}", "{unit} score"),
    "agency_wide": ("คะแนนทั้งส่วนราชการ", "Agency-wide score"),
    "own_score_caption": (
        "คะแนนจากตัวชี้วัดที่หน่วยงานรับผิดชอบเอง",
        "Score of the KPIs the unit owns itself",
    ),
    "scorecard_title": ("ตัวชี้วัดของหน่วยงาน", "The unit's KPIs"),
    "trend_column": ("คะแนน {quarters} ไตรมาสล่าสุด", "Score, last {quarters} quarters"),
    "trend_short": ("แนวโน้ม 8 ไตรมาส", "Last 8 quarters"),
    "peers_title": ("เทียบกับหน่วยงานระดับเดียวกัน", "Beside its sibling units"),
    "children_title": ("เทียบกับหน่วยงานในสังกัด", "Beside the units below it"),
    # kpi detail
    "kpi_title": ("รายละเอียดตัวชี้วัด", "KPI detail"),
    "pick_kpi": ("ค้นหาตัวชี้วัด (รหัสหรือชื่อ)", "Find a KPI (code or name)"),
    "no_kpis_year": ("ไม่มีตัวชี้วัดในปีงบประมาณ {year}", "No KPIs in fiscal year {year}"),
    "kpi_facts": (
        "{dimension} · หน่วยนับ: {unit} · {direction} · น้ำหนัก {weight} · PMQA: {pmqa}",
        "{dimension} · unit: {unit} · {direction} · weight {weight} · PMQA: {pmqa}",
    ),
    "direction_higher": ("ค่ามากดี", "higher is better"),
    "direction_lower": ("ค่าน้อยดี", "lower is better"),
    "kind_milestone": ("ขั้นตอนความสำเร็จ", "milestone steps"),
    "kpi_chart_title": ("ผลการดำเนินงานสะสมรายไตรมาสเทียบเกณฑ์ 5 ระดับ", "Year-to-date actual against the five levels"),
    "band": ("ระดับ {level}", "Level {level}"),
    "below_level1": ("ต่ำกว่าระดับ 1", "Below level 1"),
    "notes_title": ("หมายเหตุและหลักฐานที่แนบมากับผลรายไตรมาส", "Notes and evidence submitted each quarter"),
    "no_notes": ("ไม่มีหมายเหตุหรือหลักฐาน", "No notes or evidence"),
    "history_title": ("ประวัติการแก้ไขข้อมูล (ทุกฉบับ)", "Version history of the values"),
    # pmqa
    "pmqa_title": ("ความครอบคลุมเกณฑ์ PMQA 7 หมวด", "Coverage of the seven PMQA categories"),
    "pmqa_caption": (
        "แสดงความครอบคลุมของตัวชี้วัดต่อหมวด ไม่ใช่ผลการประเมินระดับการพัฒนา PMQA",
        "Shows how the KPIs cover the categories; this is not a PMQA maturity assessment",
    ),
    "category": ("หมวด", "Category"),
    "category_label": ("หมวด {category}", "Category {category}"),
    "category_name": ("ชื่อหมวด", "Category name"),
    "kpi_count": ("จำนวนตัวชี้วัด", "KPI count"),
    "weight_share": ("สัดส่วนน้ำหนัก (%)", "Weight share (%)"),
    "reported_share": ("สัดส่วนที่รายงานแล้ว (%)", "Reported share (%)"),
    "reported_count": ("รายงานแล้ว", "Reported"),
    "pmqa_bars_title": ("น้ำหนักและการรายงานรายหมวด", "Weight and reporting by category"),
    "pmqa_radar_title": ("คะแนนเฉลี่ยถ่วงน้ำหนักรายหมวด", "Weighted score by category"),
    "groups_title": (
        "กลุ่ม 3:1:3 (คิด 1·3·7 / เตรียม 2 / ทำ 4·5·6)", "3:1:3 grouping (think 1·3·7 / prepare 2 / do 4·5·6)"
    ),
    "group": ("กลุ่ม", "Group"),
    "matrix_title": ("ตัวชี้วัด × หมวด PMQA", "KPI × PMQA category"),
    "gaps_title": ("ช่องว่างความครอบคลุม", "Coverage gaps"),
    "gap_none": ("หมวด {category} {name}: ไม่มีตัวชี้วัด", "Category {category} {name}: no KPI"),
    "gap_small": (
        "หมวด {category} {name}: น้ำหนักเพียง {pct} ของทั้งหมด (น้อยกว่า 5%)",
        "Category {category} {name}: only {pct} of the weight (less than 5 %)",
    ),
    "no_gaps": ("ทุกหมวดมีตัวชี้วัดและน้ำหนักอย่างน้อย 5%", "Every category has KPIs and at least 5 % of the weight"),
    # submissions
    "submissions_title": ("สถานะการส่งข้อมูล ปีงบประมาณ {year}", "Submission status, FY {year}"),
    "state_submitted": ("ส่งแล้ว", "Submitted"),
    "state_partial": ("ส่งบางส่วน", "Partly reported"),
    "state_not_submitted": ("ยังไม่ส่ง", "Not submitted"),
    "cell_submitted": ("ฉบับที่ {version}<br>{date}", "v{version}<br>{date}"),
    "cell_partial": ("ฉบับที่ {version}<br>ขาด {missing} ตัวชี้วัด", "v{version}<br>{missing} KPIs missing"),
    "matrix_caption": ("หน่วยงาน × ไตรมาส", "Unit × quarter"),
    "matrix_truncated": (
        "แสดง {shown} จาก {total} หน่วยงาน โดยเรียงหน่วยงานที่ยังไม่ส่งหรือส่งไม่ครบใน{period}ก่อน — "
        "เลือกหน่วยงานในแถบด้านข้างเพื่อดูเฉพาะหน่วยงานในสังกัด หรือดาวน์โหลดเพื่อดูทั้งหมด",
        "Showing {shown} of {total} units, those behind in {period} first: pick a unit in the sidebar to see "
        "the units below it, or download the data for all of them",
    ),
    "counts_title": ("จำนวนหน่วยงานรายไตรมาส", "Units per quarter"),
    "cell_late": ("ล่าช้า {days} วัน", "{days} days late"),
    "cell_overdue": ("เลยกำหนด {days} วัน", "{days} days overdue"),
    "timeliness_title": ("การส่งตามกำหนด", "Submitted against the deadline"),
    "timeliness_counts_title": ("ตรงเวลา / ล่าช้า / เลยกำหนด รายไตรมาส", "On time, late and overdue per quarter"),
    "deadlines_caption": ("กำหนดส่ง: {deadlines}", "Deadlines: {deadlines}"),
    "no_deadline": ("ไม่ได้กำหนด", "none set"),
    "no_deadlines": (
        "ยังไม่ได้กำหนดวันส่งของปีงบประมาณ {year} (ผู้ดูแลระบบกำหนดได้ที่หน้ารอบการรายงานและกำหนดส่ง)",
        "No deadline set for FY {year} yet (an administrator sets them on the Quarters and deadlines page)",
    ),
    "late_title": ("หน่วยงานที่ส่งล่าช้าหรือเลยกำหนด", "Late and overdue units"),
    "none_late": ("ไม่มีหน่วยงานที่ส่งล่าช้าหรือเลยกำหนดในปีงบประมาณนี้", "No unit is late or overdue this fiscal year"),
    "deadline": ("กำหนดส่ง", "Deadline"),
    "first_submitted": ("ส่งฉบับแรก", "First submitted"),
    "timeliness": ("การส่งตามกำหนด", "Timeliness"),
    "days_late": ("ล่าช้า (วัน)", "Days late"),
    "state": ("สถานะการส่ง", "Submission state"),
    "missing": ("ตัวชี้วัดที่ยังไม่รายงาน", "KPIs missing"),
    "kpis_owned": ("ตัวชี้วัดที่รับผิดชอบ", "KPIs owned"),
    "no_submissions_year": (
        "ยังไม่มีหน่วยงานใดส่งข้อมูลในปีงบประมาณ {year}",
        "No unit has submitted anything in fiscal year {year}",
    ),
}


def translator(table: dict[str, tuple[str, str]]) -> Callable[..., str]:
    """`t(key, lang, **values)` over one table of (Thai, English) strings; the other string tables reuse it."""
    def translate(key: str, lang: str, **values: object) -> str:
        thai, english = table[key]
        text = thai if lang == "th" else english
        return text.format(**values) if values else text

    return translate


t = translator(TEXT)


def _pick(pair: tuple[str, ...], lang: str) -> str:
    return pair[0] if lang == "th" else pair[1]


def dimension_name(code: str, lang: str, short: bool = False) -> str:
    """The dimension's name; `short` drops the Thai prefix มิติด้าน for chart axes."""
    name = _pick(DIMENSIONS[code], lang)
    return name.removeprefix("มิติด้าน") if short else name


def status_name(code: str, lang: str) -> str:
    return _pick(AGGREGATE_STATUSES[code], lang)


def timeliness_name(code: str, lang: str) -> str:
    return _pick(TIMELINESS[code], lang)


def pmqa_name(category: int, lang: str) -> str:
    return _pick(PMQA_CATEGORIES[int(category)], lang)


def pmqa_group_name(group: str, lang: str) -> str:
    return _pick(PMQA_GROUPS[group], lang)


def level_name(level: str, lang: str) -> str:
    return _pick(ORG_LEVELS[level], lang) if level in ORG_LEVELS else level


def unit_name(name_th: object, name_en: object, lang: str) -> str:
    """The unit's name in the language; an English name may be missing, then the Thai one stands in."""
    if lang == "en" and isinstance(name_en, str) and name_en.strip():
        return name_en
    return str(name_th)


def kpi_name(name_th: object, name_en: object, lang: str) -> str:
    return unit_name(name_th, name_en, lang)


def period_label(fiscal_year: int, quarter: int, lang: str) -> str:
    return format_fiscal_period(int(fiscal_year), int(quarter), lang)


def score_text(score: float | None) -> str:
    return format_score(None if score is None or pd.isna(score) else float(score))


def pct_text(value: float | None, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    return f"{value:,.{decimals}f}%"


def number_text(value: float | None) -> str:
    """An actual or target as a reader expects it: no trailing .0, up to two decimals."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def date_texts(values: pd.Series, lang: str, *, with_time: bool = False) -> pd.Series:
    """A column of dates as `pipelines.calendar.format_date` writes them: '27 พ.ย. 2569' or '27 Nov 2569' (BE in
    both languages), with ' 16:15' when `with_time`; '–' where there is none."""
    return pd.Series([format_date(value, lang, with_time=with_time) for value in values], index=values.index,
                     dtype=object)


def _names(th: pd.Series, en: pd.Series, lang: str) -> pd.Series:
    """Vectorised `unit_name`: the English name where there is one and English is asked for."""
    if lang != "en":
        return th.astype(object)
    english = en.astype(object)
    return english.where(english.notna() & (english.astype(str).str.strip() != ""), th).astype(object)


def localize(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with readable columns in the language beside the codes, wherever their sources are present:
    unit_name, kpi_name, dimension_name, status_name, period, score_text; a KPI's `unit` of measure is put in
    the language in place (unit_of_measure_name)."""
    frame = frame.copy()
    if "unit" in frame.columns and "kpi_code" in frame.columns:
        frame["unit"] = [unit_of_measure_name(unit, lang) or None for unit in frame["unit"]]
    if "unit_name_th" in frame.columns:
        frame["unit_name"] = _names(frame["unit_name_th"], frame["unit_name_en"], lang)
    if "name_th" in frame.columns:
        target = "kpi_name" if "kpi_code" in frame.columns else "unit_name"
        frame[target] = _names(frame["name_th"], frame["name_en"], lang)
    if "dimension" in frame.columns:
        names = {code: dimension_name(code, lang) for code in DIMENSIONS}
        frame["dimension_name"] = frame["dimension"].map(names).fillna("").astype(object)
    if "status" in frame.columns:
        frame["status_name"] = frame["status"].map({code: status_name(code, lang) for code in AGGREGATE_STATUSES})
    if "fiscal_year" in frame.columns and "quarter" in frame.columns:
        periods = zip(frame["fiscal_year"], frame["quarter"], strict=True)
        labels = {key: period_label(*key, lang) for key in set(periods)}
        frame["period"] = [labels[key] for key in zip(frame["fiscal_year"], frame["quarter"], strict=True)]
    if "score" in frame.columns:
        frame["score_text"] = [score_text(s) for s in frame["score"]]
    return frame

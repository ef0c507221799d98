"""Every user-visible string of the dashboard, Thai and English, in one table, and the one function that reads it.

`t(key, lang, **values)` is the lookup; tests/test_i18n_keys.py checks that every key the code uses is in TEXT with
both languages and that TEXT holds no key the code does not use (keys built at run time are listed in
DYNAMIC_KEYS). Domain vocabulary (dimensions, statuses, PMQA categories, org levels, roles, audit actions) comes
from `pipelines`, so the dashboard, the CLI and the templates name things alike; quarter labels and dates come from
`pipelines.calendar` (format_fiscal_period, format_date).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from pipelines.approval import APPROVAL_STATUSES
from pipelines.audit import ACTIONS, OUTCOMES
from pipelines.calendar import format_date, format_fiscal_period
from pipelines.domain import (
    AGGREGATE_STATUSES,
    DIMENSIONS,
    ORG_LEVELS,
    PLAN_LEVELS,
    PMQA_CATEGORIES,
    PMQA_GROUPS,
    THRUSTS,
    unit_of_measure_name,
)
from pipelines.periods import TIMELINESS
from pipelines.problems import Problem
from pipelines.reports import STATES
from pipelines.roles import PAGES, ROLES
from pipelines.scoring import format_score
from pipelines.sqlconsole import DOWNLOAD_TYPES
from pipelines.uploads import PREVIEW_FIELDS

LANGUAGES = {"th": "ไทย", "en": "English"}
"""Language code -> its own name, as the switch shows it in either language."""
DEFAULT_LANGUAGE = "th"
LANGUAGE_SWITCH_LABEL = "ภาษา · Language"
"""The switch's label names itself in both languages, so a reader of either can find it."""
LANGUAGE_STATE_KEY = "filter_lang"  # the sidebar's language switch (dashboard.filters.language)

TEXT: dict[str, tuple[str, str]] = {
    # app and navigation
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
    "period_in_page_form": ("หน้านี้เลือกหน่วยงาน ปีงบประมาณ และไตรมาสในแบบฟอร์มของหน้าเอง",
                            "This page picks its unit, fiscal year and quarter in its own form"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "quarter": ("ไตรมาส", "Quarter"),
    "unit": ("หน่วยงาน", "Org unit"),
    "fiscal_year_option": ("พ.ศ. {year}", "{year} BE"),
    "quarter_option": ("ไตรมาส {quarter}", "Q{quarter}"),
    "includes_below": ("รวมหน่วยงานในสังกัด", "Includes the units below"),
    "share_hint": ("คัดลอกลิงก์ในแถบที่อยู่เพื่อแชร์มุมมองนี้", "Copy the address bar link to share this view"),
    "picker_search": ("{label}: พิมพ์รหัสหรือชื่อเพื่อค้นหา", "{label}: type a code or name to search"),
    "picker_shown": ("แสดง {shown:,} จาก {total:,} รายการ", "{shown:,} of {total:,} shown"),
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
    # executive report download on the overview (issue 14, report-core; docs/reference/report.md)
    "report_title": ("ดาวน์โหลดรายงานผู้บริหาร", "Download executive report"),
    "report_caption": (
        "รายงานของ {unit} {period}: คะแนน หน่วยงาน ตัวชี้วัดต่ำกว่าเป้าหมาย คาดการณ์สิ้นปี PMQA OKR และการส่งผล",
        "The pack of {unit} for {period}: scores, units, KPIs below target, year-end outlook, PMQA, OKR, submissions",
    ),
    "report_format": ("รูปแบบไฟล์", "File format"),
    "report_pdf": ("PDF", "PDF"),
    "report_pptx": ("PowerPoint", "PowerPoint"),
    "report_xlsx": ("Excel", "Excel"),
    "report_build": ("สร้างรายงาน", "Build the report"),
    "report_building": ("กำลังสร้างรายงาน…", "Building the report…"),
    "report_download": ("ดาวน์โหลด {file}", "Download {file}"),
    # year-end projection (overview and KPI detail; docs/reference/forecast.md)
    "outlook_title": ("คาดการณ์ผลสิ้นปี ณ {period}", "Year-end projection as of {period}"),
    "outlook_caption": (
        "หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา: คะแนนสิ้นปีงบประมาณ (ไตรมาส 4) ที่คาดว่าจะได้ "
        "ถ่วงน้ำหนักเช่นเดียวกับคะแนนจริง จากตัวชี้วัดที่คาดการณ์ได้",
        "If the trend of the past quarters continues: the fiscal year-end (Q4) score to expect, weighted as the real "
        "scores are, over the KPIs that can be projected",
    ),
    "outlook_methods": (
        "วิธีคาดการณ์ที่ระบบใช้ (เลือกจากการทดสอบย้อนหลังปีงบประมาณ {basis}): {methods}",
        "Forecast methods the product used (chosen by the backtest of fiscal year {basis}): {methods}",
    ),
    "method_count": ("{method} {count} ตัวชี้วัด", "{method} {count} KPIs"),
    "outlook_q4": (
        "ไตรมาส 4 คือผลสิ้นปีแล้ว จึงไม่มีค่าคาดการณ์ — เลือกไตรมาส 1–3 เพื่อดูการคาดการณ์สิ้นปี",
        "Q4 is the year-end result itself, so there is nothing to project: pick Q1–Q3 to see the year-end projection",
    ),
    "no_outlook": ("ยังไม่มีค่าคาดการณ์สิ้นปีของ {unit} ณ {period}", "No year-end projection for {unit} as of {period} yet"),
    "scope": ("ขอบเขต", "Scope"),
    "projected_score": ("คะแนนคาดการณ์สิ้นปี", "Projected year-end score"),
    "projected_weight": ("น้ำหนักที่คาดการณ์ได้", "Weight projected"),
    "at_risk_title": ("ตัวชี้วัดเสี่ยงไม่บรรลุเป้าหมายสิ้นปี", "KPIs at risk by year end"),
    "at_risk_caption": (
        "บรรลุเป้าหมายหรือต้องเฝ้าระวังในไตรมาสนี้ แต่คาดว่าสิ้นปีจะได้ต่ำกว่าระดับ 3 เรียงจากคะแนนคาดการณ์ต่ำสุด",
        "On track or at risk this quarter, but projected to end the year below level 3, lowest projection first",
    ),
    "at_risk_truncated": ("แสดง {shown} จากทั้งหมด {total} ตัวชี้วัด", "Showing {shown} of {total} KPIs"),
    "none_at_risk": (
        "ไม่มีตัวชี้วัดที่บรรลุเป้าหมายหรือต้องเฝ้าระวังในไตรมาสนี้ที่คาดว่าสิ้นปีจะต่ำกว่าระดับ 3",
        "No KPI on track or at risk this quarter is projected to end the year below level 3",
    ),
    "projection": ("การคาดการณ์", "Projection"),
    "projected_actual": ("ผลสิ้นปีที่คาดการณ์", "Projected year-end actual"),
    "interval_low": ("ช่วงคาดการณ์ ต่ำ", "Interval low"),
    "interval_high": ("ช่วงคาดการณ์ สูง", "Interval high"),
    "projection_trace": ("คาดการณ์ ณ ไตรมาส {quarter}", "projection as of Q{quarter}"),
    "interval": ("ช่วง", "range"),
    "kpi_projection_caption": (
        "เส้นประ: ผลสะสมสิ้นปี (ไตรมาส 4) ที่คาดการณ์ ณ {period} และช่วงคาดการณ์ (เส้นแนวตั้ง)",
        "Dotted: the year-end (Q4) year-to-date actual projected as of {period}, with its interval (the whisker)",
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
    "first_rows_shown": ("แสดง {shown} แถวแรกจากทั้งหมด {total} แถว — ดาวน์โหลดเพื่อดูทั้งหมด",
                         "Showing the first {shown} of {total} rows: download them for all"),
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
    "trend_short": ("แนวโน้ม 8 ไตรมาส", "Last 8 quarters"),
    "peers_title": ("เทียบกับหน่วยงานระดับเดียวกัน", "Beside its sibling units"),
    "children_title": ("เทียบกับหน่วยงานในสังกัด", "Beside the units below it"),
    # kpi detail
    "kpi_title": ("รายละเอียดตัวชี้วัด", "KPI detail"),
    "pick_kpi": ("ตัวชี้วัด", "KPI"),
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
    # ep-align: the End Products and Alignment pages, the PMQA page's 3:1:3 view per objective
    "page_end_products": ("ผลผลิตขั้นสุดท้าย", "End Products"),
    "page_alignment": ("ความสอดคล้องกับแผน", "Alignment with the plans"),
    "end_products_title": ("ผลผลิตขั้นสุดท้ายและหน่วยงานร่วม", "End Products and the units that deliver them"),
    "end_products_caption": (
        "ผลผลิตขั้นสุดท้ายคือผลที่หลายหน่วยงานต้องทำร่วมกันจึงจะสำเร็จ · คะแนนของแต่ละหน่วยงาน = คะแนนถ่วงน้ำหนักของผลลัพธ์หลัก"
        "ที่หน่วยงานนั้นรับผิดชอบในผลผลิตนี้ · หน่วยงานที่คะแนนต่ำสุดและต่ำกว่าระดับ 3 คือผู้ที่ทำให้ผลผลิตยังไม่สำเร็จ",
        "An End Product is a result only several units deliver together · a unit's score = the weighted score of the "
        "key results it owns in that End Product · the lowest-scoring unit below level 3 holds the End Product back",
    ),
    "no_end_products": ("{unit} ไม่มีส่วนร่วมในผลผลิตขั้นสุดท้ายของแผนยุทธศาสตร์ปีงบประมาณ {year}",
                        "{unit} contributes to no End Product of the fiscal year {year} strategy"),
    "end_product_heading": ("{code} · {name}", "{code} · {name}"),
    "end_product_summary": ("วัตถุประสงค์ {objective} {objective_name} · คะแนนรวม {score}",
                            "Objective {objective} {objective_name} · overall score {score}"),
    "held_back_by": ("ผลผลิตนี้ติดอยู่ที่ {unit} {name}: คะแนน {score} ({status}) ต่ำสุดในบรรดาหน่วยงานร่วม",
                     "Held back by {unit} {name}: score {score} ({status}), the lowest of the contributing units"),
    "held_back_none": ("ทุกหน่วยงานร่วมที่มีคะแนนแล้วถึงระดับ 3 (เป้าหมาย)",
                       "Every contributing unit with a score reaches level 3 (the target)"),
    "parts_unscored": ("ยังไม่มีคะแนนของ: {units}", "No score yet for: {units}"),
    "no_part": ("ไม่ได้ระบุส่วนที่รับผิดชอบ", "No part stated"),
    "part_key_results": ("ผลลัพธ์หลัก: {codes}", "Key results: {codes}"),
    "no_key_result": ("ไม่มีผลลัพธ์หลักที่วัดส่วนนี้", "No key result measures this part"),
    "handoffs_title": ("การส่งต่องาน: ผู้ส่ง → สิ่งที่ส่งต่อ → ผู้รับ", "Hand-offs: giver → what → receiver"),
    "handoffs_colour_note": ("สีของเส้นและของหน่วยงานผู้ส่ง = สถานะของหน่วยงานผู้ส่งในผลผลิตนี้",
                             "The colour of a flow and of its giving unit is the giver's status in this End Product"),
    "handoffs_outside_colour_note": (
        "สีของเส้นและของหน่วยงานผู้ส่ง = สถานะของตัวชี้วัดของหน่วยงานผู้ส่งเอง",
        "The colour of a flow and of its giving unit is the status of the giver's own KPIs",
    ),
    "no_handoffs": ("ไม่มีการส่งต่องานที่บันทึกไว้", "No hand-off recorded"),
    "handoffs_outside_title": ("การส่งต่องานอื่นที่ไม่อยู่ในผลผลิตขั้นสุดท้าย", "Other hand-offs, of no End Product"),
    "parts_table_title": ("ส่วนของแต่ละหน่วยงาน", "Every unit's part"),
    "part": ("ส่วนที่รับผิดชอบ", "Part"),
    "handoff_from": ("ผู้ส่ง", "From"),
    "handoff_from_name": ("หน่วยงานผู้ส่ง", "Giving unit"),
    "handoff_what": ("สิ่งที่ส่งต่อ", "What"),
    "handoff_to": ("ผู้รับ", "To"),
    "handoff_to_name": ("หน่วยงานผู้รับ", "Receiving unit"),
    "handoff_from_status": ("สถานะของผู้ส่ง", "Giver's status"),
    "alignment_title": ("ความสอดคล้องของตัวชี้วัดกับยุทธศาสตร์ชาติและแผนแม่บท",
                        "How the KPIs serve the national strategy and the master plans"),
    "alignment_caption": (
        "ตัวชี้วัด → ผลลัพธ์หลัก → วัตถุประสงค์ → แผน → แผนระดับบน · สัดส่วนน้ำหนัก = น้ำหนักของตัวชี้วัดที่ส่งผลต่อแผนนั้น "
        "(นับตัวชี้วัดของแต่ละหน่วยงานครั้งเดียวต่อแผน) ÷ น้ำหนักของตัวชี้วัดทั้งหมดของหน่วยงานที่เลือก",
        "KPI → key result → objective → plan item → the items above it · weight share = the weight of the KPIs "
        "serving the item (each KPI of a unit once per item) ÷ the weight of every KPI of the units selected",
    ),
    "alignment_kpis": ("ตัวชี้วัดของหน่วยงาน", "KPIs of the units"),
    "alignment_objective_share": ("น้ำหนักที่ส่งผลต่อวัตถุประสงค์", "Weight serving an objective"),
    "alignment_plan_share": ("น้ำหนักที่ส่งผลต่อแผน", "Weight serving a plan item"),
    "no_plan_items": ("แผนยุทธศาสตร์ปีงบประมาณ {year} ไม่มีรายการแผน", "The fiscal year {year} strategy has no plan items"),
    "alignment_bars_title": ("สัดส่วนน้ำหนักตัวชี้วัดต่อยุทธศาสตร์ชาติและแผนแม่บท",
                             "Share of the KPI weight serving each national strategy and master plan"),
    "alignment_table_title": ("ทุกระดับของแผน", "Every plan item"),
    "plan_code": ("รหัสแผน", "Plan"),
    "plan_name": ("ชื่อแผน", "Plan item"),
    "plan_level": ("ระดับแผน", "Level"),
    "plan_parent": ("แผนระดับบน", "Above"),
    "unserved_title": ("ตัวชี้วัดที่ไม่ส่งผลต่อวัตถุประสงค์ใด", "KPIs serving no objective"),
    "unserved_none": ("ตัวชี้วัดทุกตัวส่งผลต่ออย่างน้อยหนึ่งวัตถุประสงค์", "Every KPI serves at least one objective"),
    "unserved_summary": ("{count} ตัวชี้วัด ({pct} ของน้ำหนัก) ไม่ได้วัดผลลัพธ์หลักใดของหน่วยงานเจ้าของ",
                         "{count} KPIs ({pct} of the weight) measure no key result of their unit"),
    "stages_title": ("3:1:3 รายวัตถุประสงค์ (คิด 1·3·7 / เตรียม 2 / ทำ 4·5·6)",
                     "3:1:3 per objective (think 1·3·7 / prepare 2 / do 4·5·6)"),
    "stages_caption": (
        "หมวด PMQA ที่ผลลัพธ์หลักของแต่ละวัตถุประสงค์ใช้ (ตามที่ระบุในแผนยุทธศาสตร์ หรือหมวดของตัวชี้วัดที่วัดผลลัพธ์หลักนั้น) "
        "ของแผนยุทธศาสตร์ทั้งส่วนราชการ",
        "The PMQA categories each objective's key results draw on (as the strategy gives them, else those of the "
        "KPIs measuring the key result), over the agency's whole strategy",
    ),
    "objective_name": ("ชื่อวัตถุประสงค์", "Objective name"),
    "stage_think": ("คิด (1·3·7)", "Think (1·3·7)"),
    "stage_prepare": ("เตรียม (2)", "Prepare (2)"),
    "stage_do": ("ทำ (4·5·6)", "Do (4·5·6)"),
    "only_do": ("{code} {name}: มีแต่ ทำ (หมวด {categories}) ไม่มี คิด หรือ เตรียม",
                "{code} {name}: only do (categories {categories}), no think or prepare"),
    "no_only_do": ("ทุกวัตถุประสงค์ที่มี ทำ มี คิด หรือ เตรียม ด้วย", "Every objective that does also thinks or prepares"),
    # okr-map (issue 13): the OKR page and the strategy map
    "page_okr": ("วัตถุประสงค์และผลลัพธ์หลัก", "Objectives and key results"),
    "page_strategy_map": ("แผนที่ยุทธศาสตร์", "Strategy map"),
    "okr_title": ("วัตถุประสงค์และผลลัพธ์หลัก (OKR)", "Objectives and key results (OKR)"),
    "okr_formula": (
        "คะแนนของผลลัพธ์หลัก = คะแนนเฉลี่ยถ่วงน้ำหนักของตัวชี้วัดที่วัดผลลัพธ์นั้น (ผลของหน่วยงานที่รับผิดชอบ) · "
        "คะแนนของวัตถุประสงค์ = คะแนนเฉลี่ยถ่วงน้ำหนักของผลลัพธ์หลัก · ความก้าวหน้า (%) = 100 × min(คะแนน, 3) / 3 "
        "(ระดับ 3 คือค่าเป้าหมาย) · สถานะใช้เกณฑ์เดียวกับทุกหน้า: รายงานน้อยกว่า {threshold}% ของน้ำหนัก "
        "ถือว่าข้อมูลยังไม่ครบ",
        "A key result's score = the weighted score of the KPIs that measure it (its owner unit's results) · an "
        "objective's score = the weighted score of its key results · progress % = 100 × min(score, 3) / 3 (level 3 "
        "is the target) · status by the rule of every page: under {threshold}% of the weight reported is incomplete",
    ),
    "no_strategy": (
        "ยังไม่มีแผนยุทธศาสตร์ (OKR) ของปีงบประมาณ {year} — กองแผนงานนำเข้าได้ที่หน้าหน่วยงานและบัญชีตัวชี้วัด",
        "No strategy (OKR) is loaded for fiscal year {year}: the planning division loads it on the Org units and "
        "catalogues page",
    ),
    "no_objectives_unit": ("{unit} ไม่มีวัตถุประสงค์หรือผลลัพธ์หลักที่รับผิดชอบในปีงบประมาณ {year}",
                           "{unit} holds no objective or key result in fiscal year {year}"),
    "okr_unit_scope": (
        "แสดงเฉพาะผลลัพธ์หลักที่ {unit} และหน่วยงานในสังกัดรับผิดชอบ คะแนนของวัตถุประสงค์คิดจากผลลัพธ์หลักทั้งหมด",
        "Only the key results {unit} and the units below it hold are shown; an objective's score counts all its "
        "key results",
    ),
    "okr_pick_objective": ("วัตถุประสงค์", "Objective"),
    "okr_all_objectives": ("ทุกวัตถุประสงค์", "All objectives"),
    "okr_at_risk_title": ("วัตถุประสงค์ที่ต่ำกว่าหรือใกล้ต่ำกว่าเป้าหมาย และหน่วยงานที่รับผิดชอบ",
                          "Objectives below or close to target, and the units that hold them"),
    "okr_at_risk_line": ("**{code}** {name} — {status} · ความก้าวหน้า {progress} · หน่วยงาน: {units}",
                         "**{code}** {name} — {status} · progress {progress} · units: {units}"),
    "okr_none_at_risk": ("ไม่มีวัตถุประสงค์ที่ต่ำกว่าหรือใกล้ต่ำกว่าเป้าหมายใน{period}",
                         "No objective is below or close to target in {period}"),
    "okr_table_title": ("วัตถุประสงค์ เรียงจากที่ต้องเร่งแก้ไขก่อน", "Objectives, the most urgent first"),
    "okr_objective": ("วัตถุประสงค์", "Objective"),
    "okr_key_result": ("ผลลัพธ์หลัก", "Key result"),
    "okr_held_by": ("หน่วยงานที่รับผิดชอบผลลัพธ์หลัก", "Units holding its key results"),
    "okr_owner": ("เจ้าของ", "Owner"),
    "okr_due": ("ครบกำหนด", "Due"),
    "okr_sunburst_title": ("วัตถุประสงค์ → ผลลัพธ์หลัก → ตัวชี้วัด (ขนาดตามน้ำหนัก สีตามสถานะ)",
                           "Objective → key result → KPI (size: weight, colour: status)"),
    "okr_details_title": ("ผลลัพธ์หลักของแต่ละวัตถุประสงค์", "Each objective's key results"),
    "okr_objective_facts": (
        "{dimension} · แนวทาง: {thrust} · เจ้าของ: {owner} · คะแนน {score} · ความก้าวหน้า {progress}",
        "{dimension} · thrust: {thrust} · owner: {owner} · score {score} · progress {progress}",
    ),
    "okr_kpi_links": ("ตัวชี้วัดของ {code} (คลิกเพื่อเปิดรายละเอียด):", "KPIs of {code} (click to open):"),
    "map_title": ("แผนที่ยุทธศาสตร์", "Strategy map"),
    "map_caption": (
        "ทั้งส่วนราชการ · {period} · มิติ BSC 4 ชั้นจากล่างขึ้นบน (การพัฒนาองค์กร → ประสิทธิภาพ → คุณภาพการให้บริการ "
        "→ ประสิทธิผล) · ลูกศรคือเหตุและผล · สีคือสถานะของวัตถุประสงค์ · ด้านบนคือแผนที่วัตถุประสงค์ตอบสนอง",
        "The whole agency · {period} · the four BSC dimensions from the bottom up (organisational development → "
        "efficiency → service quality → effectiveness) · arrows: cause and effect · colour: the objective's status · "
        "above: the plan items the objectives serve",
    ),
    "map_figure_title": ("วัตถุประสงค์ตามมิติ BSC เหตุและผล และแผนที่ตอบสนอง",
                         "Objectives by BSC dimension, cause and effect, and the plans they serve"),
    "map_pick_objective": ("เลือกวัตถุประสงค์ (หรือคลิกที่แผนที่) เพื่อเปิดในหน้า OKR",
                           "Pick an objective (or click it on the map) to open it on the OKR page"),
    "map_open_objective": ("เปิด {code} ในหน้าวัตถุประสงค์และผลลัพธ์หลัก", "Open {code} on the OKR page"),
    "okr_plan": ("แผนที่ตอบสนอง", "Plan item served"),
    "map_leads_to": ("ส่งผลต่อ", "Leads to"),
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
    # login gate
    "login_title": ("เข้าสู่ระบบติดตามตัวชี้วัด BSC", "Sign in to the BSC KPI dashboard"),
    "login_intro": ("ใช้ชื่อผู้ใช้และรหัสผ่านที่ผู้ดูแลระบบกำหนดให้",
                    "Use the user name and password your administrator gave you"),
    "username": ("ชื่อผู้ใช้", "User name"),
    "password": ("รหัสผ่าน", "Password"),
    "login_button": ("เข้าสู่ระบบ", "Sign in"),
    "login_missing": ("กรุณากรอกชื่อผู้ใช้และรหัสผ่าน", "Enter your user name and password"),
    "login_wrong": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong user name or password"),
    "login_attempts_left": ("(ลองได้อีก {left} ครั้งก่อนบัญชีถูกล็อก)", "({left} attempts left before the lock)"),
    "login_locked": ("บัญชีถูกล็อกชั่วคราว {minutes} นาที เพราะใส่รหัสผ่านผิด 5 ครั้งติดต่อกัน "
                     "ลองใหม่หลังเวลา {until} น. หรือติดต่อผู้ดูแลระบบ",
                     "Account locked for {minutes} minutes after 5 wrong passwords in a row; try again after "
                     "{until} or ask an administrator"),
    "login_rate_limited": ("เข้าสู่ระบบไม่สำเร็จจากเครื่องนี้หลายครั้งเกินไปภายใน {minutes} นาที "
                           "จึงระงับไว้ชั่วคราว ลองใหม่หลังเวลา {until} น.",
                           "Too many failed sign-ins from this address within {minutes} minutes; sign-ins "
                           "from it are paused until {until}"),
    "login_too_long": ("ชื่อผู้ใช้ยาวได้ไม่เกิน {username} ตัวอักษร และรหัสผ่านยาวได้ไม่เกิน {password} ตัวอักษร",
                       "A user name has at most {username} characters and a password at most {password}"),
    "login_busy": ("มีผู้เข้าสู่ระบบพร้อมกันจำนวนมาก กรุณากดเข้าสู่ระบบอีกครั้ง",
                   "Many people are signing in at this moment; please press Sign in again"),
    "page_failed": ("ขออภัย เกิดข้อผิดพลาดในการแสดงหน้านี้ ลองโหลดหน้าใหม่อีกครั้ง หากยังเกิดขึ้นอีก "
                    "แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิง {reference}",
                    "Sorry, something went wrong while showing this page. Reload it; if it happens again, give "
                    "your administrator the reference {reference}"),
    "login_disabled": ("บัญชีนี้ถูกระงับการใช้งาน ติดต่อผู้ดูแลระบบ", "This account is disabled; ask an administrator"),
    "sso_button": ("เข้าสู่ระบบด้วยบัญชีองค์กร (SSO)", "Sign in with your organisation account (SSO)"),
    "sso_no_account": ("อีเมล {email} ยังไม่ได้ผูกกับบัญชีผู้ใช้ในระบบ ติดต่อผู้ดูแลระบบ",
                       "No account in this system has the e-mail {email}; ask an administrator"),
    "logout_button": ("ออกจากระบบ", "Sign out"),
    "access_denied": ("บทบาท {role} ไม่มีสิทธิ์เปิดหน้านี้ (บันทึกการเข้าถึงไว้แล้ว)",
                      "The role {role} may not open this page (the attempt has been logged)"),
    "accounts_db_missing": ("ยังไม่มีฐานข้อมูลที่ `{path}` — สร้างข้อมูลตัวอย่างด้วย `make run`",
                   "No database at `{path}` yet: build the demo with `make run`"),
    "db_not_migrated": ("ฐานข้อมูล `{path}` ยังไม่มีตารางผู้ใช้ — รัน `python -m pipelines init` แล้วเพิ่มผู้ใช้ด้วย "
                        "`python -m pipelines users add`",
                        "The database `{path}` has no accounts yet: run `python -m pipelines init`, then "
                        "`python -m pipelines users add`"),
    "snapshot_failed": ("บันทึกแล้ว แต่สำเนาสำหรับนักวิเคราะห์ปรับปรุงไม่ได้ ({error}) จึงถูกถอนออกจนกว่าจะรัน "
                        "`python -m pipelines snapshot` — หน้าสรุปผลยังแสดงข้อมูลล่าสุด",
                        "Stored, but the analysts' copy could not be refreshed ({error}), so it is withdrawn until "
                        "`python -m pipelines snapshot` runs; the dashboard pages still show the latest data"),
    "no_accounts": ("ยังไม่มีบัญชีผู้ใช้ — สร้างผู้ดูแลระบบคนแรกด้วย `python -m pipelines users add admin --role admin`",
                    "No accounts yet: create the first admin with `python -m pipelines users add admin --role admin`"),
    # navigation
    "section_submit": ("นำส่งข้อมูล", "Submit"),
    "section_analysis": ("วิเคราะห์ข้อมูล", "Analysis"),
    "section_admin": ("ผู้ดูแลระบบ", "Administration"),
    "page_upload": ("นำส่งข้อมูลตัวชี้วัด", "Submit KPI results"),
    "page_admin_users": ("ผู้ใช้งาน", "Users"),
    "page_admin_data": ("หน่วยงานและบัญชีตัวชี้วัด", "Org units and catalogues"),
    "page_admin_periods": ("รอบการรายงานและกำหนดส่ง", "Quarters and deadlines"),
    "page_admin_audit": ("บันทึกการใช้งาน", "Audit trail"),
    # upload page
    "unit_refused": ("คุณไม่มีสิทธิ์นำส่งข้อมูลของหน่วยงาน {unit} (บันทึกความพยายามนี้ไว้แล้ว)",
                     "You may not submit for unit {unit} (the attempt has been logged)"),
    "no_unit_assigned": ("บัญชีของคุณยังไม่ได้ผูกกับหน่วยงาน ติดต่อผู้ดูแลระบบ",
                         "Your account has no unit yet; ask an administrator"),
    "no_catalogue_yet": ("ยังไม่มีบัญชีตัวชี้วัด ผู้ดูแลระบบต้องโหลดบัญชีตัวชี้วัดก่อน",
                         "No KPI catalogue yet: an administrator must load one first"),
    "deadline_is": ("กำหนดส่ง {date}", "deadline {date}"),
    "upload_no_deadline": ("ยังไม่กำหนดวันส่ง", "no deadline set"),
    "no_kpis_for_unit": ("{unit} ไม่มีตัวชี้วัดในปีงบประมาณ {year}", "{unit} owns no KPI in fiscal year {year}"),
    "download_template": ("ดาวน์โหลดแบบฟอร์ม ({count} ตัวชี้วัด)", "Download the template ({count} KPIs)"),
    "step_upload": ("อัปโหลดไฟล์ผลการดำเนินงาน {period}", "Upload the results file for {period}"),
    "choose_file": ("เลือกไฟล์ {types} (ไม่เกิน {mb} MB)", "Choose a {types} file (up to {mb} MB)"),
    "period_rule": ("ไฟล์จะบันทึกเป็นข้อมูลของหน่วยงานและ{period} ที่เลือกไว้ด้านบน ไฟล์ที่ระบุหน่วยงาน ปีงบประมาณ หรือไตรมาสอื่นไว้ "
                    "(ที่หัวแบบฟอร์ม ในคอลัมน์ หรือในชื่อไฟล์ เช่น PLAN_2568_Q3.xlsx) จะไม่ถูกรับ",
                    "The file is stored for the unit and {period} selected above; a file that names another unit, "
                    "fiscal year or quarter (in the form header, a column or its name, e.g. PLAN_2568_Q3.xlsx) "
                    "is refused"),
    "file_too_large": ("ไฟล์ใหญ่เกิน {mb} MB", "The file is larger than {mb} MB"),
    "period_closed": ("{period} ปิดรับข้อมูลแล้ว (เหตุผล: {reason}) หากต้องแก้ไขข้อมูล ติดต่อผู้ดูแลระบบเพื่อเปิดรับอีกครั้ง",
                      "{period} is closed to uploads (reason: {reason}); ask an administrator to reopen it"),
    "problems_found": ("พบปัญหา {count} รายการ ยังไม่ได้บันทึกข้อมูลใด ๆ — แก้ไขไฟล์แล้วอัปโหลดใหม่",
                       "{count} problem(s) found; nothing was stored. Fix the file and upload it again"),
    "problem_line": ("แถว {row} คอลัมน์ {column} ค่า “{value}”: {reason}",
                     "row {row}, column {column}, value “{value}”: {reason}"),
    "problems_more": ("และอีก {count} รายการในตารางด้านล่าง", "and {count} more in the table below"),
    "file_preview": ("ข้อมูลในไฟล์ (ช่องสีแดงคือช่องที่ต้องแก้ไข)", "The file's rows (red cells need fixing)"),
    "problem_list": ("รายการปัญหาทั้งหมด", "Every problem"),
    "file_clean": ("ไฟล์ถูกต้อง ({count} แถว) ตรวจสอบข้อมูลด้านล่างแล้วกดยืนยันเพื่อบันทึก",
                   "The file is clean ({count} rows): check below, then confirm to store it"),
    "identical": ("ไฟล์นี้เหมือนกับฉบับล่าสุด (ฉบับที่ {version}) ทุกไบต์ ไม่มีอะไรต้องบันทึกเพิ่ม",
                  "This file is identical to the latest version ({version}); nothing new to store"),
    "resulting_score": ("คะแนนถ่วงน้ำหนักของหน่วยงานหากบันทึก", "Unit's weighted score if stored"),
    "upload_reported_weight": ("น้ำหนักที่รายงานแล้ว", "Weight reported"),
    "will_store": ("ข้อมูลที่จะบันทึก", "What will be stored"),
    "changes": ("การเปลี่ยนแปลงเทียบกับฉบับที่ {version}", "Changes against version {version}"),
    "first_version": ("ฉบับแรกของไตรมาสนี้", "The first version of this quarter"),
    "no_value_changes": ("ค่าผลการดำเนินงานไม่เปลี่ยน (อาจเปลี่ยนเฉพาะหมายเหตุหรือหลักฐาน)",
                         "No value changes (notes or evidence may differ)"),
    "change_new": ("ใหม่", "new"),
    "change_changed": ("เปลี่ยน", "changed"),
    "change_removed": ("ลบออก", "removed"),
    "change_unchanged": ("เหมือนเดิม", "unchanged"),
    "notes_needed": ("ปัญหาอุปสรรคและแนวทางแก้ไข", "Problems and remedies"),
    "notes_needed_help": ("ตัวชี้วัดที่ต่ำกว่าเป้าหมายหรือยังไม่รายงานต้องมีหมายเหตุ (ปัญหาอุปสรรคและแนวทางแก้ไข) "
                          "กรอกในช่องด้านล่าง หรือใส่ในคอลัมน์หมายเหตุของไฟล์",
                          "A KPI that is off track or not reported needs a note (the problem and the remedy): "
                          "type it below or put it in the file's note column"),
    "note_placeholder": ("ปัญหา: ... แนวทางแก้ไข: ...", "Problem: ... Remedy: ..."),
    "notes_missing": ("ยังขาดหมายเหตุของ {codes}", "Notes still missing for {codes}"),
    "note_too_long": ("หมายเหตุของ {codes} ยาวเกิน {limit:,} ตัวอักษร ให้ย่อลง", "The note for {codes} is longer than "
                      "{limit:,} characters: shorten it"),
    "confirm": ("ยืนยันบันทึกข้อมูล", "Confirm and store"),
    "saving": ("กำลังบันทึก…", "Storing…"),
    "refused_on_commit": ("บันทึกไม่ได้: ไตรมาสนี้เพิ่งถูกปิดรับข้อมูล", "Not stored: this quarter was just closed"),
    "saved_version": ("บันทึกแล้ว: {file} เป็นฉบับที่ {version} ของ{period}",
                      "Stored: {file} is version {version} of {period}"),
    "unit_score_now": ("คะแนนถ่วงน้ำหนักของหน่วยงาน (ที่หน้าภาพรวมแสดง)", "Unit's weighted score (as the overview shows)"),
    "history": ("ประวัติการนำส่งของ {unit}", "Submission history of {unit}"),
    "no_history": ("ยังไม่เคยนำส่งข้อมูล", "Nothing submitted yet"),
    "download_version": ("เลือกฉบับที่จะดาวน์โหลด", "Version to download"),
    "version_n": ("ฉบับที่ {version}", "version {version}"),
    "download_file": ("ดาวน์โหลดไฟล์ที่นำส่ง", "Download the submitted file"),
    "file_not_archived": ("ไม่พบไฟล์นี้ในคลังไฟล์", "This file is not in the archive"),
    # entry (issue 15): the upload page's form (dashboard/web_entry_view.py) and the "my tasks" box on the overview
    "entry_tab_form": ("กรอกบนหน้าเว็บ", "Enter on the page"),
    "entry_tab_file": ("อัปโหลดไฟล์", "Upload a file"),
    "entry_help": ("กรอกผลการดำเนินงานสะสมของ{period} ในตารางด้านล่าง คะแนนและสถานะคำนวณทันทีที่กรอก "
                   "แล้วกดบันทึก ระบบตรวจสอบและเก็บเหมือนไฟล์ที่อัปโหลดทุกประการ",
                   "Type the year-to-date results for {period} in the table below; the score and status follow "
                   "as you type. Saving checks and stores them exactly as an uploaded file."),
    "entry_prefilled": ("ข้อมูลตั้งต้นมาจากฉบับที่ {version} แก้เฉพาะช่องที่ต้องการ",
                        "Filled in from version {version}: change only the cells you need"),
    "entry_col_target": ("ค่าเป้าหมาย", "Target"),
    "entry_col_level": ("ระดับ {level}", "Level {level}"),
    "entry_col_previous": ("ผลไตรมาสก่อน ({period})", "Previous quarter ({period})"),
    "entry_col_actual": ("ผลการดำเนินงานสะสม", "Year-to-date actual"),
    "entry_actual_help": ("ตัวเลขผลสะสมตั้งแต่ต้นปีงบประมาณ (ร้อยละ 85 กรอก 85) ตัวชี้วัดแบบขั้นตอนกรอกระดับ 0–5 "
                          "เว้นว่างหรือ - หากยังไม่รายงาน",
                          "The year-to-date result as a number (85 % is typed 85); a milestone KPI takes its level "
                          "0–5; leave empty or '-' when not reported"),
    "entry_note_help": ("ปัญหาอุปสรรคและแนวทางแก้ไข ต้องกรอกเมื่อต่ำกว่าเป้าหมายหรือยังไม่รายงาน",
                        "Problems and remedies: needed where a KPI is off track or not reported"),
    "entry_evidence_help": ("ลิงก์หรือชื่อเอกสารหลักฐาน", "A link to, or the name of, the supporting document"),
    "entry_problems_found": ("พบปัญหา {count} รายการ ยังบันทึกไม่ได้ — แก้ไขช่องที่ระบุในตาราง",
                             "{count} problem(s) found; nothing can be saved yet: fix the cells named"),
    "entry_problem_line": ("แถว {row} ({code}) คอลัมน์ {column} ค่า “{value}”: {reason}",
                           "row {row} ({code}), column {column}, value “{value}”: {reason}"),
    "entry_unchanged": ("ยังไม่มีการแก้ไขจากฉบับที่ {version}", "Nothing changed from version {version} yet"),
    "entry_save": ("บันทึกผลการดำเนินงาน", "Save the results"),
    "entry_saved": ("บันทึกแล้ว: ฉบับที่ {version} ของ{period} (กรอกบนหน้าเว็บ)",
                    "Stored: version {version} of {period} (entered on the page)"),
    "my_tasks": ("งานของฉัน", "My tasks"),
    "my_tasks_none": ("ไม่มีงานค้าง ส่งข้อมูลครบทุกไตรมาสที่เปิดรับแล้ว", "Nothing due: every open quarter is submitted"),
    "my_tasks_more": ("และอีก {count} รายการ", "and {count} more"),
    "task_due": ("ส่งผลการดำเนินงาน {unit} {period} — {when}", "Submit {unit}'s results for {period}: {when}"),
    "task_returned": ("แก้ไขผลที่ถูกส่งคืน {unit} {period} — {reasons}",
                      "Correct {unit}'s returned results for {period}: {reasons}"),
    "task_due_in": ("กำหนดส่ง {date} (อีก {days} วัน)", "due {date} ({days} days left)"),
    "task_overdue": ("กำหนดส่ง {date} (เลยกำหนดมา {days} วัน)", "due {date} ({days} days overdue)"),
    # review and approval (issue 15: the review page, the sidebar switch and marker, the upload page's returned
    # version, the periods page's setting)
    "page_review": ("ตรวจสอบและอนุมัติผล", "Review and approve"),
    "review_intro": ("ผลที่หน่วยงานส่งมาในปีงบประมาณที่ต้องอนุมัติจะนับในแดชบอร์ดเมื่ออนุมัติแล้วเท่านั้น "
                     "เลือกฉบับจากคิว ตรวจความเปลี่ยนแปลงเทียบกับผลที่อนุมัติแล้ว แล้วอนุมัติหรือส่งคืนพร้อมเหตุผลรายตัวชี้วัด",
                     "In a fiscal year that requires approval, a unit's results count on the dashboard only once "
                     "approved. Pick a version from the queue, check its changes against the approved figures, then "
                     "approve it or return it with a reason per KPI."),
    "review_queue_empty": ("ไม่มีผลการดำเนินงานรอการตรวจสอบ", "Nothing waits for review"),
    "review_queue_title": ("รอการตรวจสอบ {count} ฉบับ (กำหนดส่งก่อนอยู่บนสุด)",
                           "{count} version(s) waiting for review (earliest deadline first)"),
    "review_choose": ("เลือกฉบับที่จะตรวจสอบ", "Version to review"),
    "review_item": ("{unit} · {period} · ฉบับที่ {version}", "{unit} · {period} · version {version}"),
    "review_diff_caption": ("ไฟล์ {file} นำส่งโดย {by} · ผลเดิม = ฉบับที่แดชบอร์ดนับอยู่ขณะนี้ (อนุมัติแล้ว)",
                            "File {file} submitted by {by} · old = the version the dashboard counts now (approved)"),
    "col_review_kpi_code": ("รหัส", "KPI"),
    "col_review_kpi_name": ("ตัวชี้วัด", "KPI name"),
    "col_review_old_actual": ("ผลเดิม (อนุมัติแล้ว)", "Old actual (approved)"),
    "col_review_new_actual": ("ผลที่ส่งใหม่", "New actual"),
    "col_review_old_score": ("คะแนนเดิม", "Old score"),
    "col_review_new_score": ("คะแนนใหม่", "New score"),
    "col_review_changed": ("เปลี่ยน", "Changed"),
    "col_review_note": ("หมายเหตุ", "Note"),
    "col_review_evidence": ("หลักฐาน", "Evidence"),
    "review_decision": ("ผลการตรวจสอบ", "Decision"),
    "review_reasons_help": ("อนุมัติ: ไม่ต้องกรอกเหตุผล · ส่งคืน: กรอกเหตุผลเฉพาะตัวชี้วัดที่ต้องแก้ไข (อย่างน้อยหนึ่งตัว)",
                            "Approve: no reason needed · Return: write a reason only for each KPI to correct (at "
                            "least one)"),
    "review_approve": ("อนุมัติ", "Approve"),
    "review_return": ("ส่งคืนให้แก้ไข", "Return for correction"),
    "review_approved": ("อนุมัติ {item} แล้ว แดชบอร์ดนับฉบับนี้", "Approved {item}: the dashboard counts it now"),
    "review_returned": ("ส่งคืน {item} พร้อมเหตุผล {count} ตัวชี้วัดแล้ว",
                        "Returned {item} with reasons for {count} KPI(s)"),
    "returned_notice": ("ฉบับที่ {version} ถูกส่งคืนให้แก้ไขโดย {by} เมื่อ {at} กรุณาแก้ไขแล้วนำส่งฉบับใหม่:",
                        "Version {version} was returned for correction by {by} on {at}; correct it and submit a new "
                        "version:"),
    "waiting_notice": ("ฉบับที่ {version} รอการตรวจสอบจากกองแผน แดชบอร์ดแสดงผลที่อนุมัติแล้วจนกว่าจะอนุมัติฉบับนี้",
                       "Version {version} waits for the planning division's review; the dashboard shows the approved "
                       "figures until it is approved"),
    "include_submitted": ("รวมข้อมูลที่ส่งแล้วแต่ยังไม่อนุมัติ", "Include submitted, not yet approved"),
    "include_submitted_help": ("ปิด: แสดงเฉพาะผลที่อนุมัติแล้ว (ค่าเริ่มต้น) · เปิด: ใช้ฉบับล่าสุดที่ส่งแม้ยังรอการตรวจสอบ",
                               "Off: approved figures only (the default) · On: the latest version submitted, even "
                               "while it waits for review"),
    "unapproved_badge": ("ยังไม่อนุมัติ", "Not yet approved"),
    "unapproved_included": ("ตัวเลขนี้รวมผลที่ยังรอการตรวจสอบของ {count} หน่วยงาน: {units}",
                            "These figures include results still waiting for review from {count} unit(s): {units}"),
    "unapproved_left_out": ("{count} หน่วยงานส่งผลไตรมาสนี้แล้วแต่ยังรอการตรวจสอบ ({units}) จึงยังไม่นับ — "
                            "เปิดสวิตช์ 'รวมข้อมูลที่ส่งแล้วแต่ยังไม่อนุมัติ' ที่แถบด้านข้างเพื่อดู",
                            "{count} unit(s) submitted this quarter but wait for review ({units}), not counted yet: "
                            "turn on 'Include submitted, not yet approved' in the sidebar to see them"),
    "approval_setting_title": ("การอนุมัติผล ปีงบประมาณ {year}", "Approval, fiscal year {year}"),
    "approval_setting_by": ("ตั้งค่าล่าสุดโดย {by} เมื่อ {at}", "Last set by {by} on {at}"),
    "approval_required": ("ผลที่นำส่งต้องได้รับการอนุมัติจากกองแผนก่อนนับ",
                          "Submissions need approval by the planning division before they count"),
    "approval_required_help": ("มีผลกับฉบับที่นำส่งหลังจากนี้ ฉบับที่นำส่งก่อนหน้ายังนับตามเดิม",
                               "Applies to versions submitted from now on; earlier versions keep counting"),
    "col_approval_status": ("การอนุมัติ", "Approval"),
    "approval_save": ("บันทึกการตั้งค่า", "Save the setting"),
    "approval_saved": ("บันทึกการตั้งค่าการอนุมัติของปีงบประมาณ {year} แล้ว", "Approval setting of fiscal year {year} saved"),
    # admin: users
    "add_user": ("เพิ่มผู้ใช้", "Add a user"),
    "edit_user": ("แก้ไขผู้ใช้", "Change a user"),
    "username_help": ("อักษรอังกฤษตัวเล็ก ตัวเลข . _ - เช่น somchai.k", "a-z, 0-9, '.', '_', '-', e.g. somchai.k"),
    "unit_help": ("จำเป็นสำหรับหัวหน้าหน่วยงาน: นำส่งข้อมูลได้เฉพาะหน่วยงานนี้และหน่วยงานในสังกัด",
                  "Needed for a division head, who submits for this unit and the units below it"),
    "email_help": ("ใช้จับคู่บัญชีเมื่อเข้าสู่ระบบด้วย SSO และเป็นที่ส่งอีเมลแจ้งเตือน (หัวหน้าหน่วยงาน) "
                   "และสรุปรายวัน (ผู้ดูแลระบบ)",
                   "Matches the account at single sign-on; reminders (division heads) and the daily digest "
                   "(admins) are sent here"),
    "password_help": ("อย่างน้อย {length} ตัวอักษร เว้นว่างเพื่อให้ระบบสร้างรหัสผ่านให้",
                      "At least {length} characters; leave empty to generate one"),
    "no_unit": ("— ไม่ระบุ —", "— none —"),
    "no_users": ("ยังไม่มีผู้ใช้", "No users yet"),
    "save_changes": ("บันทึกการแก้ไข", "Save changes"),
    "new_password": ("รหัสผ่านใหม่", "New password"),
    "set_password": ("ตั้งรหัสผ่านใหม่", "Set the password"),
    "disable_user": ("ระงับผู้ใช้", "Disable"),
    "enable_user": ("เปิดใช้ผู้ใช้", "Enable"),
    "unlock_user": ("ปลดล็อก", "Unlock"),
    "user_added": ("เพิ่มผู้ใช้ {username} แล้ว", "Added {username}"),
    "user_saved": ("บันทึกการแก้ไขของ {username} แล้ว", "Saved {username}"),
    "password_changed": ("ตั้งรหัสผ่านใหม่ของ {username} แล้ว (ออกจากระบบทุกเครื่องแล้ว)",
                         "New password set for {username} (signed out everywhere)"),
    "generated_password": ("รหัสผ่านที่สร้างให้: `{password}` — แจ้งผู้ใช้ตอนนี้ ระบบจะไม่แสดงอีก",
                           "Generated password: `{password}`; pass it on now, it is not shown again"),
    "user_disabled": ("ระงับ {username} แล้ว", "Disabled {username}"),
    "user_enabled": ("เปิดใช้ {username} แล้ว", "Enabled {username}"),
    "user_unlocked": ("ปลดล็อก {username} แล้ว", "Unlocked {username}"),
    # admin: org units and catalogues
    "orgs_file": ("ไฟล์โครงสร้างหน่วยงาน", "Org unit file"),
    "catalogue_file": ("ไฟล์บัญชีตัวชี้วัด", "KPI catalogue file"),
    "orgs_help": ("คอลัมน์: รหัสหน่วยงาน ชื่อหน่วยงาน ชื่อภาษาอังกฤษ หน่วยงานต้นสังกัด ระดับ — หน่วยงานเดิมจะถูกแก้ไข "
                  "หน่วยงานที่ไม่อยู่ในไฟล์คงไว้",
                  "Columns: code, name_th, name_en, parent_code, level. Existing units are updated; units missing "
                  "from the file are kept"),
    "catalogue_help": ("หนึ่งไฟล์ต่อหนึ่งปีงบประมาณ แทนที่บัญชีตัวชี้วัดเดิมของปีนั้นทั้งหมด และคำนวณคะแนนที่ส่งแล้วใหม่",
                       "One file per fiscal year; replaces that year's catalogue and re-scores what was submitted"),
    "catalogue_year": ("ปีงบประมาณ (หากไฟล์ไม่ระบุ)", "Fiscal year (if the file has none)"),
    "year_from_file": ("ตามที่ระบุในไฟล์", "as the file says"),
    "orgs_clean": ("ไฟล์ถูกต้อง: {count} หน่วยงาน (ใหม่ {new})", "Clean: {count} units ({new} new)"),
    "file_stored": ("บันทึก {file} แล้ว", "{file} has been stored"),
    "confirm_orgs": ("ยืนยันบันทึกโครงสร้างหน่วยงาน", "Confirm and store the org units"),
    "orgs_saved": ("บันทึกหน่วยงาน {count} หน่วยแล้ว", "Stored {count} org units"),
    "catalogue_clean": ("ไฟล์ถูกต้อง: {count} ตัวชี้วัด ปีงบประมาณ {year}", "Clean: {count} KPIs for fiscal year {year}"),
    "catalogue_replaces": ("บัญชีตัวชี้วัดปี {year} ที่มีอยู่จะถูกแทนที่ และคะแนนที่ส่งแล้วจะคำนวณใหม่",
                           "The existing {year} catalogue will be replaced and its stored scores recomputed"),
    "catalogue_drops_used": ("บันทึกไม่ได้: ไฟล์ใหม่ตัดตัวชี้วัด {count} รายการที่มีผลการดำเนินงานส่งแล้ว ({pairs})",
                             "Cannot store: the new file drops {count} KPI(s) that submissions use ({pairs})"),
    "confirm_catalogue": ("ยืนยันบันทึกบัญชีตัวชี้วัดปี {year}", "Confirm and store the {year} catalogue"),
    "catalogue_saved": ("บันทึกบัญชีตัวชี้วัดปี {year} แล้ว ({count} ตัวชี้วัด)", "Stored the {year} catalogue ({count} KPIs)"),
    # admin: the strategy file (issue 13)
    "strategy_file": ("ไฟล์แผนยุทธศาสตร์ (OKR)", "Strategy file (OKR)"),
    "strategy_help": ("หนึ่งไฟล์ต่อหนึ่งปีงบประมาณ: สมุดงานที่มีแผ่นงาน วัตถุประสงค์ ผลลัพธ์หลัก ตัวชี้วัดของผลลัพธ์หลัก "
                      "ผลผลิตขั้นสุดท้าย หน่วยงานร่วม ผลลัพธ์หลักของผลผลิต การส่งต่อ เหตุและผล และแผน (หรือไฟล์ CSV "
                      "หนึ่งไฟล์ต่อตาราง) แทนที่แผนยุทธศาสตร์เดิมของปีนั้นทั้งหมด",
                      "One file per fiscal year: a workbook with the sheets objectives, key_results, key_result_kpis, "
                      "end_products, end_product_units, end_product_key_results, handoffs, objective_links and "
                      "plan_items (or CSV files, one per table); replaces that year's strategy"),
    "choose_strategy_files": ("เลือกไฟล์ (สมุดงานหนึ่งไฟล์ หรือ CSV หนึ่งไฟล์ต่อตาราง ไม่เกิน {mb} MB ต่อไฟล์: {types})",
                              "Choose the file (one workbook, or one CSV per table; up to {mb} MB each: {types})"),
    "strategy_clean": ("ไฟล์ถูกต้อง: แผนยุทธศาสตร์ปีงบประมาณ {year} วัตถุประสงค์ {objectives} ผลลัพธ์หลัก {key_results} "
                       "ผลผลิตขั้นสุดท้าย {end_products}",
                       "Clean: the {year} strategy, {objectives} objectives, {key_results} key results, "
                       "{end_products} End Products"),
    "strategy_replaces": ("แผนยุทธศาสตร์ปี {year} ที่มีอยู่จะถูกแทนที่ทั้งหมด (ประวัติการโหลดยังเก็บไว้)",
                          "The existing {year} strategy will be replaced (the load history is kept)"),
    "strategy_template": ("ดาวน์โหลดแบบฟอร์มแผนยุทธศาสตร์ (ว่าง)", "Download an empty strategy workbook"),
    "strategy_objectives": ("วัตถุประสงค์", "Objectives"),
    "strategy_key_results": ("ผลลัพธ์หลัก", "Key results"),
    "strategy_end_products": ("ผลผลิตขั้นสุดท้าย", "End Products"),
    "confirm_strategy": ("ยืนยันบันทึกแผนยุทธศาสตร์ปี {year}", "Confirm and store the {year} strategy"),
    "strategy_saved": ("บันทึกแผนยุทธศาสตร์ปี {year} แล้ว (วัตถุประสงค์ {objectives} ผลลัพธ์หลัก {key_results})",
                       "Stored the {year} strategy ({objectives} objectives, {key_results} key results)"),
    "strategy_history": ("ประวัติการโหลดแผนยุทธศาสตร์", "Strategy loads"),
    "col_objective_count": ("วัตถุประสงค์", "Objectives"),
    "col_key_result_count": ("ผลลัพธ์หลัก", "Key results"),
    "col_loaded_by": ("ผู้โหลด", "Loaded by"),
    "col_loaded_at": ("เวลาที่โหลด", "Loaded at"),
    "col_objective_code": ("วัตถุประสงค์", "Objective"),
    "col_key_result_code": ("ผลลัพธ์หลัก", "Key result"),
    "col_end_product_code": ("ผลผลิตขั้นสุดท้าย", "End Product"),
    "col_thrust": ("แนวทาง", "Thrust"),
    "col_key_results": ("ผลลัพธ์หลัก", "Key results"),
    "col_due_quarter": ("ครบกำหนด", "Due"),
    "col_kpis": ("ตัวชี้วัด (น้ำหนัก)", "KPIs (weight)"),
    "col_units": ("หน่วยงานร่วม (ส่วนที่รับผิดชอบ)", "Units (their part)"),
    # admin: the strategy editor (issue 13, strategy-edit)
    "page_admin_strategy": ("แก้ไขแผนยุทธศาสตร์", "Strategy editor"),
    "strategy_editor_help": ("เพิ่ม แก้ไข หรือปลดวัตถุประสงค์ ผลลัพธ์หลัก และผลผลิตขั้นสุดท้ายของปีงบประมาณทีละรายการ "
                             "ทุกการแก้ไขตรวจด้วยกฎเดียวกับไฟล์แผนยุทธศาสตร์ บันทึกเป็นฉบับใหม่ และเก็บในบันทึกการใช้งาน",
                             "Add, edit or retire one objective, key result or End Product of a fiscal year at a "
                             "time; each change is checked with the strategy file's rules, stored as a new version "
                             "and written to the audit trail"),
    "strategy_empty_year": ("ปีงบประมาณ {year} ยังไม่มีแผนยุทธศาสตร์ เริ่มจากเพิ่มวัตถุประสงค์พร้อมผลลัพธ์หลักแรก",
                            "Fiscal year {year} has no strategy yet: start by adding an objective with its first "
                            "key result"),
    "strategy_change": ("เพิ่ม แก้ไข หรือปลดรายการ", "Add, edit or retire an item"),
    "choose_codes": ("เลือกรหัส", "Choose codes"),
    "change_kind": ("รายการ", "Item"),
    "change_action": ("การแก้ไข", "Change"),
    "change_which": ("เลือกรายการ", "Which one"),
    "nothing_to_change": ("ยังไม่มีรายการประเภทนี้ในปีนี้", "The year has none of these yet"),
    "edit_kind_objective": ("วัตถุประสงค์", "objective"),
    "edit_kind_key_result": ("ผลลัพธ์หลัก", "key result"),
    "edit_kind_end_product": ("ผลผลิตขั้นสุดท้าย", "End Product"),
    "edit_action_add": ("เพิ่ม", "Add"),
    "edit_action_edit": ("แก้ไข", "Edit"),
    "edit_action_retire": ("ปลดออก", "Retire"),
    "change_file_load": ("โหลดจากไฟล์", "Loaded from a file"),
    "none_option": ("— ไม่ระบุ —", "— none —"),
    "field_code": ("รหัส", "Code"),
    "field_name_th": ("ชื่อ (ภาษาไทย)", "Name (Thai)"),
    "field_name_en": ("ชื่อภาษาอังกฤษ", "Name (English)"),
    "field_dimension": ("มิติ BSC", "BSC dimension"),
    "field_plan": ("แผนที่รองรับ", "Plan item it serves"),
    "field_thrust": ("แนวทางขับเคลื่อน", "Policy thrust"),
    "field_owner_unit": ("หน่วยงานรับผิดชอบ", "Owner unit"),
    "field_owner_executive": ("ผู้บริหารที่รับผิดชอบ", "Owner executive"),
    "field_leads_to": ("ส่งผลต่อวัตถุประสงค์ (เหตุ → ผล)", "Leads to objectives (cause → effect)"),
    "field_objective": ("วัตถุประสงค์", "Objective"),
    "field_target": ("ค่าเป้าหมาย", "Target statement"),
    "field_pmqa": ("หมวด PMQA", "PMQA categories"),
    "field_due_quarter": ("ไตรมาสที่ครบกำหนด", "Due quarter"),
    "field_kr_weight": ("น้ำหนักในวัตถุประสงค์", "Weight within the objective"),
    "field_units": ("หน่วยงานร่วม (อย่างน้อยสองหน่วยงาน) และส่วนที่รับผิดชอบ",
                    "Contributing units (at least two) and their part"),
    "field_linked_key_results": ("ผลลัพธ์หลักที่วัดผลผลิตนี้", "Key results it is measured by"),
    "field_handoffs": ("การส่งต่องาน: ผลงานของหน่วยงานหนึ่งเป็นปัจจัยนำเข้าของอีกหน่วยงาน",
                       "Hand-offs: one unit's output is another unit's input"),
    "first_key_result": ("ผลลัพธ์หลักแรกของวัตถุประสงค์", "The objective's first key result"),
    "save_change": ("ตรวจและบันทึกการแก้ไข", "Check and store the change"),
    "col_part": ("ส่วนที่รับผิดชอบ", "Part"),
    "col_from_unit": ("จากหน่วยงาน", "From unit"),
    "col_to_unit": ("ถึงหน่วยงาน", "To unit"),
    "col_what": ("สิ่งที่ส่งต่อ", "What"),
    "col_title": ("ชื่อ", "Name"),
    "col_target": ("ค่าเป้าหมาย", "Target"),
    "col_edit_summary": ("การเปลี่ยนแปลง", "Change"),
    "retire_warning": ("ปลด{item}ออกจากแผนยุทธศาสตร์ปัจจุบัน (ฉบับก่อนหน้ายังเก็บไว้)",
                       "Retire {item} from the current strategy (earlier versions keep it)"),
    "retire_takes": ("ปลดออกพร้อมกัน: {items}", "Retired with it: {items}"),
    "retire_confirm": ("ยืนยันการปลด {code}", "I confirm retiring {code}"),
    "retire_button": ("ปลดออก", "Retire"),
    "edit_refused": ("บันทึกไม่ได้ พบปัญหา {count} รายการ แผนยุทธศาสตร์ไม่เปลี่ยนแปลง",
                     "Not stored: {count} problem(s); the strategy is unchanged"),
    "change_saved": ("บันทึกแล้ว: {change} — แผนยุทธศาสตร์ปี {year} ฉบับใหม่",
                     "Stored: {change}, a new version of the {year} strategy"),
    "strategy_versions": ("ฉบับของแผนยุทธศาสตร์ปีนี้", "Versions of this year's strategy"),
    "download_strategy_version": ("ดาวน์โหลดฉบับนี้ (สมุดงาน)", "Download this version (workbook)"),
    # admin: periods
    "set_deadline": ("กำหนดวันส่งข้อมูล {period}", "Deadline for {period}"),
    "save_deadline": ("บันทึกกำหนดส่ง", "Save the deadline"),
    "clear_deadline": ("ยกเลิกกำหนดส่ง", "Clear"),
    "deadline_saved": ("กำหนดส่ง{period} เป็น {date} แล้ว", "{period} deadline set to {date}"),
    "deadline_cleared": ("ยกเลิกกำหนดส่ง{period} แล้ว", "{period} deadline cleared"),
    "close_period": ("ปิดรับข้อมูล {period}", "Close {period} to uploads"),
    "close_reason": ("เหตุผลในการปิดรับข้อมูล (จำเป็น)", "Why close it (required)"),
    "close_button": ("ปิดรับข้อมูล", "Close the quarter"),
    "period_closed_done": ("ปิดรับข้อมูล{period} แล้ว", "{period} closed"),
    "reopen_period": ("เปิดรับข้อมูล {period} อีกครั้ง", "Reopen {period}"),
    "closed_because": ("ปิดรับข้อมูลอยู่ เหตุผล: {reason}", "Closed; reason: {reason}"),
    "reopen_reason": ("เหตุผลในการเปิดรับข้อมูลอีกครั้ง (จำเป็น)", "Why reopen it (required)"),
    "reopen_button": ("เปิดรับข้อมูลอีกครั้ง", "Reopen"),
    "period_reopened": ("เปิดรับข้อมูล{period} อีกครั้งแล้ว", "{period} reopened"),
    "periods_timeliness_title": ("การส่งข้อมูลของแต่ละหน่วยงาน {period}", "Who submitted {period}, and when"),
    # evidence-remind (issue 15): evidence files (upload page, KPI page) and reminder e-mails (periods page)
    "evidence_title": ("ไฟล์หลักฐาน", "Evidence files"),
    "evidence_caption": ("ไฟล์ที่แนบกับผลล่าสุดของแต่ละไตรมาส ระบบตรวจชนิดไฟล์จากเนื้อไฟล์แต่ไม่ได้สแกนไวรัส",
                         "Files attached to each quarter's latest result; their type was checked by content, but "
                         "they are not scanned for viruses"),
    "no_evidence": ("ไม่มีไฟล์หลักฐาน", "No evidence files"),
    "evidence_download": ("ดาวน์โหลด {file} ({size})", "Download {file} ({size})"),
    "evidence_missing_file": ("ไม่พบไฟล์ {file} ในที่เก็บ แจ้งผู้ดูแลระบบ (python -m pipelines check)",
                              "{file} is missing from the archive; tell an administrator (python -m pipelines check)"),
    "evidence_more": ("แสดงปุ่มดาวน์โหลด {shown} ไฟล์แรกจาก {total} ไฟล์ เลือกหน่วยงานให้แคบลงเพื่อดูที่เหลือ",
                      "Download buttons for the first {shown} of {total} files; pick a narrower unit for the rest"),
    "evidence_step": ("แนบไฟล์หลักฐาน {period} (ฉบับที่ {version})", "Evidence files for {period} (version {version})"),
    "evidence_rule": ("รับ PDF รูปภาพ PNG/JPEG และเอกสาร Word Excel PowerPoint (.docx .xlsx .pptx) ไฟล์ละไม่เกิน "
                      "{file_mb} MB รวมไม่เกิน {total_mb} MB ต่อฉบับ ตรวจชนิดจากเนื้อไฟล์ ไม่ใช่จากชื่อ "
                      "เมื่อนำส่งฉบับใหม่ ไฟล์ของตัวชี้วัดที่ยังรายงานอยู่จะติดไปด้วย",
                      "PDF, PNG/JPEG images and Word, Excel, PowerPoint documents (.docx .xlsx .pptx), at most "
                      "{file_mb} MB each and {total_mb} MB per version, their type checked by content, not by name. "
                      "A new version keeps the files of the KPIs it still reports"),
    "evidence_none_yet": ("นำส่งผล{period} ก่อน จึงจะแนบไฟล์หลักฐานได้",
                          "Submit {period} first: evidence is attached to a stored version"),
    "evidence_kpi": ("ตัวชี้วัดที่แนบหลักฐาน", "KPI the evidence is for"),
    "evidence_files": ("เลือกไฟล์หลักฐาน (เลือกได้หลายไฟล์)", "Choose evidence files (several at once)"),
    "evidence_attach": ("แนบไฟล์", "Attach"),
    "evidence_attached": ("แนบ {count} ไฟล์กับ {kpi} แล้ว", "{count} file(s) attached to {kpi}"),
    "evidence_already": ("{count} ไฟล์เคยแนบกับ {kpi} แล้ว ไม่ได้แนบซ้ำ",
                         "{count} file(s) were already attached to {kpi}; not added again"),
    "evidence_refused": ("ไม่ได้แนบไฟล์ใดเลย: พบ {count} ปัญหา แก้แล้วแนบใหม่",
                         "Nothing attached: {count} problem(s); fix them and attach again"),
    "col_media_type": ("ชนิดไฟล์", "Type"),
    "col_size": ("ขนาด", "Size"),
    "col_uploaded_by": ("ผู้แนบ", "Attached by"),
    "col_uploaded_at": ("เวลาที่แนบ", "Attached at"),
    "reminder_days": ("อีเมลแจ้งเตือน {period}", "Reminder e-mails for {period}"),
    "reminder_days_input": ("วันแจ้งเตือนเทียบกับกำหนดส่ง (คั่นด้วยจุลภาค)", "Reminder days from the deadline (comma-separated)"),
    "reminder_days_help": ("ลบ = ก่อนกำหนดส่ง บวก = หลังกำหนดส่ง เช่น -7, -1, +3 เว้นว่าง = ไม่แจ้งเตือน "
                           "ส่งถึงหัวหน้าหน่วยงานที่ยังไม่ส่งข้อมูล เมื่อ python -m pipelines remind ทำงาน (cron ทุกชั่วโมง)",
                           "Negative = before the deadline, positive = after it, e.g. -7, -1, +3; blank = none. "
                           "Sent to the division heads still missing when python -m pipelines remind runs "
                           "(cron, hourly)"),
    "reminder_no_deadline": ("ยังไม่ได้กำหนดวันส่ง จึงยังไม่มีการแจ้งเตือน", "No deadline set: no reminder goes out until one is"),
    "reminder_no_email": ("หัวหน้าหน่วยงาน {count} คนยังไม่มีอีเมลในบัญชี จึงไม่ได้รับการแจ้งเตือน: {users}",
                          "{count} division head(s) have no e-mail on their account and get no reminder: {users}"),
    "save_reminder_days": ("บันทึกวันแจ้งเตือน", "Save the reminder days"),
    "reminder_days_saved": ("บันทึกวันแจ้งเตือน{period} แล้ว: {days}", "{period} reminder days saved: {days}"),
    "reminders_sent_title": ("อีเมลแจ้งเตือนที่ส่งแล้ว (ล่าสุดก่อน)", "Reminder e-mails sent, newest first"),
    "no_reminders_sent": ("ยังไม่มีอีเมลแจ้งเตือนที่ส่ง", "No reminder has been sent yet"),
    "reminder_kind_missing": ("แจ้งหน่วยงานที่ยังไม่ส่ง", "Unit still missing"),
    "reminder_kind_digest": ("สรุปรายวัน", "Daily digest"),
    "col_sent_at": ("ส่งเมื่อ", "Sent at"),
    "col_offset_days": ("วันเทียบกำหนดส่ง", "Days from deadline"),
    "col_due_on": ("วันที่ครบกำหนดแจ้ง", "Due on"),
    "col_recipient": ("ผู้รับ", "Recipient"),
    "col_subject": ("หัวเรื่อง", "Subject"),
    # admin: audit
    "audit_help": ("บันทึกนี้เพิ่มได้อย่างเดียว แก้ไขหรือลบไม่ได้ กรองได้ที่นี่ และดาวน์โหลดเป็น CSV ด้านล่างเพื่อวิเคราะห์ต่อ "
                   "(เปิดด้วย Excel หรือ DuckDB) บันทึกนี้อยู่ในฐานข้อมูลหลักเท่านั้น ไม่อยู่ในสำเนาสำหรับนักวิเคราะห์ "
                   "จึงค้นด้วยหน้า SQL ไม่ได้",
                   "Append-only: never edited or deleted. Filter it here and download it as CSV below to analyse it "
                   "further (Excel or DuckDB). It lives only in the live database, not in the analyst snapshot, so the "
                   "SQL page cannot query it"),
    "everyone": ("ทุกคน", "everyone"),
    "every_action": ("ทุกการกระทำ", "every action"),
    "since": ("ตั้งแต่", "from"),
    "until": ("ถึง", "to"),
    "date_help": ("พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. หรือ ค.ศ. เช่น 15/10/2568, 15 ต.ค. 2568 หรือ 2025-10-15",
                  "Type the date as day/month/year, BE or CE, e.g. 15/10/2568, 15 Oct 2568 or 2025-10-15"),
    "audit_count": ("{count} รายการ (ล่าสุดก่อน)", "{count} events, newest first"),
    "no_short": ("ไม่", "no"),
    # column headers
    "col_row": ("แถว", "Row"),
    "col_problem": ("ปัญหาในแถวนี้", "Problem in this row"),
    "col_division": ("หน่วยงาน", "Unit"),
    "col_fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "col_quarter": ("ไตรมาส", "Quarter"),
    "col_kpi_code": ("รหัสตัวชี้วัด", "KPI code"),
    "col_actual": ("ผลการดำเนินงาน", "Actual"),
    "col_note": ("หมายเหตุ", "Note"),
    "col_evidence": ("หลักฐาน", "Evidence"),
    "col_sheet": ("ชีต", "Sheet"),
    "col_column": ("คอลัมน์", "Column"),
    "col_value": ("ค่าในไฟล์", "Value"),
    "col_reason": ("สาเหตุ", "Reason"),
    "col_change": ("การเปลี่ยนแปลง", "Change"),
    "col_score": ("คะแนน", "Score"),
    "col_name": ("ชื่อตัวชี้วัด", "KPI"),
    "col_unit": ("หน่วยนับ", "Unit of measure"),
    "col_unit_name": ("หน่วยงาน", "Unit"),
    "col_status": ("สถานะ", "Status"),
    "col_period": ("รอบ", "Period"),
    "col_version": ("ฉบับที่", "Version"),
    "col_is_latest": ("ฉบับล่าสุด", "Latest"),
    "col_file_name": ("ไฟล์", "File"),
    "col_submitted_by": ("ผู้นำส่ง", "Submitted by"),
    "col_submitted_at": ("เวลานำส่ง", "Submitted at"),
    "col_row_count": ("จำนวนแถว", "Rows"),
    "col_sha256": ("SHA-256", "SHA-256"),
    "col_username": ("ชื่อผู้ใช้", "User name"),
    "col_display_name": ("ชื่อที่แสดง", "Display name"),
    "col_role": ("บทบาท", "Role"),
    "col_unit_code": ("หน่วยงาน", "Unit"),
    "col_email": ("อีเมล", "E-mail"),
    "col_disabled": ("ระงับ", "Disabled"),
    "col_locked_until": ("ล็อกถึง", "Locked until"),
    "col_last_login_at": ("เข้าระบบล่าสุด", "Last sign-in"),
    "col_code": ("รหัส", "Code"),
    "col_name_th": ("ชื่อหน่วยงาน", "Thai name"),
    "col_name_en": ("ชื่อภาษาอังกฤษ", "English name"),
    "col_parent_code": ("ต้นสังกัด", "Parent"),
    "col_level": ("ระดับ", "Level"),
    "col_is_new": ("ใหม่", "New"),
    "col_dimension": ("มิติ", "Dimension"),
    "col_owner": ("หน่วยงานรับผิดชอบ", "Owner"),
    "col_weight": ("น้ำหนัก", "Weight"),
    "col_kind": ("ประเภท", "Kind"),
    "col_direction": ("ทิศทาง", "Direction"),
    "col_thresholds": ("เกณฑ์ระดับ 1–5", "Thresholds 1–5"),
    "col_pmqa": ("หมวด PMQA", "PMQA"),
    "col_deadline": ("กำหนดส่ง", "Deadline"),
    "col_is_closed": ("ปิดรับข้อมูล", "Closed"),
    "col_updated_by": ("แก้ไขโดย", "Changed by"),
    "col_updated_at": ("แก้ไขเมื่อ", "Changed at"),
    "col_first_submitted_at": ("ส่งครั้งแรก", "First submitted"),
    "col_latest_version": ("ฉบับล่าสุด", "Latest version"),
    "col_timeliness": ("ตรงเวลา/ล่าช้า", "On time / late"),
    "col_occurred_at": ("เวลา", "When"),
    "col_actor": ("ผู้ใช้", "Who"),
    "col_action": ("การกระทำ", "Action"),
    "col_outcome": ("ผล", "Outcome"),
    "col_detail": ("รายละเอียด", "Detail"),
    "col_channel": ("ช่องทาง", "Channel"),
    # SQL page
    "page_sql": ("วิเคราะห์ข้อมูล SQL", "SQL workbench"),
    "intro": (
        "อ่านอย่างเดียวจากสำเนาข้อมูลสำหรับนักวิเคราะห์ (ข้อมูล ณ {published}) · รันได้ครั้งละหนึ่งคำสั่ง SELECT · "
        "หยุดอัตโนมัติเมื่อเกิน {seconds:g} วินาที หรือใช้หน่วยความจำเกิน {memory} · แสดง {display:,} แถวแรก · "
        "ผลลัพธ์เก็บได้สูงสุด {download:,} แถวหรือ {result_size} · ดาวน์โหลด CSV/Parquet ได้ทั้งหมด, Excel {xlsx:,} แถว",
        "Read-only, on the analyst snapshot (data as of {published}) · one SELECT at a time · "
        "stopped after {seconds:g} s or at {memory} of memory · shows the first {display:,} rows · keeps up to "
        "{download:,} rows or {result_size} of result, all of it in the CSV and Parquet downloads, {xlsx:,} rows "
        "as Excel",
    ),
    "no_snapshot": (
        "ยังไม่มีสำเนาข้อมูลสำหรับนักวิเคราะห์ — ผู้ดูแลระบบสร้างได้ด้วย `python -m pipelines snapshot`",
        "No analyst snapshot yet: an administrator creates it with `python -m pipelines snapshot`",
    ),
    "admin_audit_note": (
        "บันทึกการใช้งาน (audit_log) ไม่อยู่ในสำเนานี้ จึงค้นด้วย SQL ที่นี่ไม่ได้: กรองและดาวน์โหลดเป็น CSV ได้ที่หน้าบันทึกการใช้งาน",
        "The audit trail (audit_log) is not in the snapshot, so it cannot be queried here: filter it and download "
        "it as CSV on the audit page",
    ),
    "editor": ("คำสั่ง SQL", "SQL"),
    "editor_help": ("Ctrl+Enter หรือปุ่ม รัน เพื่อรันคำสั่ง", "Ctrl+Enter or the Run button runs the query"),
    "run": ("รัน", "Run"),
    "examples": ("ตัวอย่างคำสั่ง", "Example queries"),
    "saved": ("คำสั่งที่บันทึกไว้", "My saved queries"),
    "sql_history": ("คำสั่งล่าสุด (50 รายการ)", "My last 50 queries"),
    "load": ("เปิด", "Open"),
    "delete": ("ลบ", "Delete"),
    "none_saved": ("ยังไม่มีคำสั่งที่บันทึกไว้", "No saved queries yet"),
    "none_history": ("ยังไม่มีประวัติการรัน", "No queries run yet"),
    "save_title": ("ชื่อคำสั่งที่จะบันทึก", "Title to save under"),
    "save": ("บันทึกคำสั่ง", "Save query"),
    "saved_ok": ("บันทึก “{title}” แล้ว", "Saved “{title}”"),
    "saved_full": ("บันทึกคำสั่งไว้ครบ {limit:,} รายการแล้ว ลบรายการที่ไม่ใช้ก่อน หรือบันทึกทับชื่อเดิม",
                   "You have {limit:,} saved queries, the most allowed: delete one first, or save under an existing "
                   "title"),
    "save_needs": ("ใส่ชื่อและคำสั่ง SQL (ไม่เกิน {limit:,} ตัวอักษร) ก่อนบันทึก",
                   "Give a title and some SQL (at most {limit:,} characters) to save"),
    "deleted_ok": ("ลบ “{title}” แล้ว", "Deleted “{title}”"),
    "history_not_saved": ("บันทึกประวัติการรันไม่ได้: {error}", "Could not record the run in your history: {error}"),
    "schema": ("วิวสาธารณะ", "Public views"),
    "schema_help": ("คลิกชื่อเพื่อแทรกลงในคำสั่ง", "Click a name to insert it into the editor"),
    "insert_view": ("แทรก {view}", "Insert {view}"),
    "result_summary": ("{rows:,} แถว · {seconds:.3f} วินาที", "{rows:,} rows · {seconds:.3f} s"),
    "result_bytes_capped": (
        "ผลลัพธ์ใหญ่เกิน {size}: เก็บไว้เฉพาะ {rows:,} แถวแรก เลือกคอลัมน์ให้น้อยลง กรองให้แคบลง หรือใช้ DuckDB CLI",
        "The result is over {size}: only the first {rows:,} rows were kept; select fewer columns, filter, or use "
        "the DuckDB CLI",
    ),
    "result_truncated": (
        "ผลลัพธ์มีมากกว่า {limit:,} แถว: เก็บไว้เฉพาะ {limit:,} แถวแรก ใช้ DuckDB CLI หรือคำสั่ง export สำหรับทั้งหมด",
        "More than {limit:,} rows: only the first {limit:,} were kept; use the DuckDB CLI or the export command "
        "for all of them",
    ),
    "display_capped": (
        "แสดง {shown:,} แถวแรกจาก {rows:,} แถว ไฟล์ดาวน์โหลดมีครบทุกแถว",
        "Showing the first {shown:,} of {rows:,} rows; the downloads have them all",
    ),
    "no_rows": ("ไม่มีแถวที่ตรงเงื่อนไข", "No rows"),
    "download_parquet": ("ดาวน์โหลด Parquet", "Download Parquet"),
    "xlsx_too_long": ("เกิน {limit:,} แถวสำหรับ Excel: ใช้ CSV หรือ Parquet",
                      "Over {limit:,} rows for Excel: use CSV or Parquet"),
    "chart": ("กราฟด่วน", "Quick chart"),
    "chart_kind": ("ชนิดกราฟ", "Chart"),
    "chart_bar": ("แท่ง", "Bar"),
    "chart_line": ("เส้น", "Line"),
    "chart_scatter": ("จุด", "Scatter"),
    "chart_x": ("แกน X", "x"),
    "chart_y": ("แกน Y", "y"),
    "chart_colour": ("สี", "Colour"),
    "chart_no_colour": ("(ไม่แยกสี)", "(none)"),
    "chart_row_number": ("(ลำดับแถว)", "(row number)"),
    "chart_needs_number": ("ผลลัพธ์ไม่มีคอลัมน์ตัวเลขสำหรับแกน Y", "The result has no numeric column for y"),
    "kind_refused": ("ไม่อนุญาต", "Refused"),
    "kind_timeout": ("เกินเวลา", "Time limit"),
    "kind_memory": ("เกินหน่วยความจำ", "Memory limit"),
    "kind_bytes": ("ผลลัพธ์ใหญ่เกิน", "Result too large"),
    "kind_busy": ("ไม่ว่าง", "Busy"),
    "kind_error": ("ข้อผิดพลาด", "Error"),
    "kind_unavailable": ("ไม่มีข้อมูล", "Unavailable"),
}

CATALOGUE_PREVIEW_COLUMNS = ("kpi_code", "name", "dimension", "owner", "weight", "kind", "direction", "thresholds",
                             "pmqa")
"""The columns of the admin page's catalogue preview, each headed by `col_<column>`."""

STRATEGY_PREVIEW_COLUMNS = ("objective_code", "key_result_code", "end_product_code", "name", "dimension", "thrust",
                            "owner", "key_results", "due_quarter", "kpis", "units", "objective_count",
                            "key_result_count", "loaded_by", "loaded_at")
"""The columns of the admin page's strategy preview and load history tables, each headed by `col_<column>`."""

DYNAMIC_KEYS: dict[str, tuple[str, ...]] = {
    "page_{}": tuple(page.key for page in PAGES),
    "section_{}": tuple(dict.fromkeys(page.section for page in PAGES)),
    "state_{}": tuple(STATES),
    "cell_{}": ("late", "overdue"),
    "direction_{}": ("higher", "lower"),
    "kind_{}": ("refused", "error", "timeout", "memory", "bytes", "busy", "unavailable"),
    "chart_{}": ("bar", "line", "scatter"),
    "download_{}": tuple(DOWNLOAD_TYPES),
    "change_{}": ("new", "changed", "removed", "unchanged"),
    "col_{}": ("row", "problem", *PREVIEW_FIELDS, *CATALOGUE_PREVIEW_COLUMNS, *STRATEGY_PREVIEW_COLUMNS,
               # the tables dashboard/upload_view.labelled heads (its column lists are arguments)
               "sheet", "column", "value", "reason", "change", "period", "version", "is_latest", "file_name",
               "submitted_by", "submitted_at", "row_count", "sha256", "code", "name_th", "name_en", "parent_code",
               "level", "is_new", "score", "status", "unit", "approval_status"),
}
"""Keys the code builds at run time from a value it cannot know before (`f"state_{state}"`): the pattern, `{}`
standing for the value, and every value it can take. Each pattern here is used by some `t(f"...")` call whose value
tests/test_i18n_keys.py cannot read from the source; every key it yields must be in TEXT."""


def t(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang` ('th' or 'en'), its `{placeholders}` filled from `values`."""
    thai, english = TEXT[key]
    text = thai if lang == "th" else english
    return text.format(**values) if values else text


def ui_lang() -> str:
    """The language the sidebar switch (or ?lang=) chose; Thai by default and on the login page."""
    lang = st.session_state.get(LANGUAGE_STATE_KEY) or st.query_params.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


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


def plan_level_name(level: str, lang: str) -> str:
    """A plan item's level (ยุทธศาสตร์ชาติ, แผนแม่บท, ...): domain.PLAN_LEVELS."""
    return _pick(PLAN_LEVELS[level], lang) if level in PLAN_LEVELS else level


def thrust_name(thrust: str | None, lang: str) -> str:
    """An objective's policy thrust (ทำ / ขยาย / ยกระดับ / ขับเคลื่อน); empty for none."""
    return _pick(THRUSTS[thrust], lang) if thrust in THRUSTS else ""


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


def date_text(value: object, lang: str, *, with_time: bool = False) -> str:
    """One date with its year in BE ('15 เม.ย. 2568'), as `pipelines.calendar.format_date` writes every date."""
    return format_date(value, lang, with_time=with_time)


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


def role_name(role: str, lang: str) -> str:
    return _pick(ROLES.get(role, (role, role)), lang)


def approval_status_name(code: str, lang: str) -> str:
    return _pick(APPROVAL_STATUSES[code], lang)


def action_name(action: str, lang: str) -> str:
    return _pick(ACTIONS.get(action, (action, action)), lang)


def outcome_name(outcome: str, lang: str) -> str:
    return _pick(OUTCOMES.get(outcome, (outcome, outcome)), lang)


def yes_no(value: bool, lang: str) -> str:
    return t("yes" if value else "no_short", lang)


def problem_text(problem: Problem, lang: str) -> str:
    reason = problem.reason_th if lang == "th" else problem.reason_en
    return f"{problem.value}: {reason}" if problem.value else reason

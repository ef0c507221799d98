"""The quarterly executive pack (issue 14): one `Report` (pipelines.report_model) for a unit and a quarter, built
from the published database with the dashboard's own report functions (pipelines.reports), so the pack and the
overview never disagree; `write_report` lays it out as PDF, PowerPoint or Excel (docs/reference/report.md).

Sections, in this order: scores, units, below_target, at_risk, pmqa, okr, end_products, submissions. Every text is
in the report's language: the domain's names come from pipelines.domain, periods and dates from pipelines.calendar,
the report's own words from LABELS below.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import forecast, queries, reports
from pipelines.calendar import QUARTERS, format_date, format_fiscal_period, previous_quarter
from pipelines.domain import AGGREGATE_STATUSES, DIMENSIONS, PMQA_CATEGORIES
from pipelines.lazy import lazy_module
from pipelines.periods import TIMELINESS
from pipelines.report_model import Chart, Report, Section, Series, Table
from pipelines.scoring import format_score
from pipelines.strategy import strategy_years

pd = lazy_module("pandas")

Progress = Callable[[float, str], None]
"""progress(fraction done 0-1, what is being done) for a long generation (the CLI's line, the page's bar)."""

FORMATS = ("pdf", "pptx", "xlsx")
RENDERERS = {
    "pdf": ("pipelines.report_pdf", "render_pdf"),
    "pptx": ("pipelines.report_pptx", "render_pptx"),
    "xlsx": ("pipelines.report_xlsx", "render_xlsx"),
}
"""Format -> (module, function(report, path, progress)); imported on first use: each pulls a large library."""
SECTION_KEYS = ("scores", "units", "below_target", "at_risk", "pmqa", "okr", "end_products", "submissions")
BELOW_TARGET_ROWS = 15
"""The pack lists this many KPIs below target at most (the lowest scores), then says how many more there are."""
SUBMISSION_ROWS = 30
"""The pack names this many units behind with their submission at most, then says how many more there are."""
TARGET_LEVEL = 3.0
"""Level 3 of the scoring scale is the target (DOMAIN section 6): the charts' reference line."""
SCORE_RANGE = (0.0, 5.0)
BEHIND = ["overdue", "pending", "late"]
"""The submission states (periods.TIMELINESS) the pack names units for, in this order: deadline passed and nothing
submitted, nothing submitted yet, submitted after the deadline."""
NEUTRAL = "#90a4ae"

LABELS: dict[str, tuple[str, str]] = {
    "title": ("รายงานผลการดำเนินงานสำหรับผู้บริหาร", "Executive performance report"),
    "period": ("ไตรมาสที่ {quarter} ปีงบประมาณ พ.ศ. {fiscal_year}", "Quarter {quarter}, fiscal year {fiscal_year} (BE)"),
    "page": ("หน้า", "Page"),
    "unknown_unit": ("ไม่พบหน่วยงานรหัส {unit}", "unknown org unit code {unit}"),
    "no_catalogue": ("ไม่มีบัญชีตัวชี้วัดของปีงบประมาณ {fiscal_year}", "no KPI catalogue for fiscal year {fiscal_year}"),
    "bad_quarter": ("ไตรมาสต้องเป็น 1 ถึง 4 (ได้ {quarter})", "the quarter must be 1 to 4 (got {quarter})"),
    # section titles, keyed as the sections
    "scores": ("คะแนนภาพรวมและรายมิติ", "Overall and dimension scores"),
    "units": ("ผลการดำเนินงานรายหน่วยงาน", "Units ranked"),
    "below_target": ("ตัวชี้วัดที่ต่ำกว่าเป้าหมาย", "KPIs below target"),
    "at_risk": ("ตัวชี้วัดเสี่ยงไม่บรรลุเป้าหมายสิ้นปี", "KPIs at risk by year end"),
    "pmqa": ("ความครอบคลุมเกณฑ์ PMQA", "PMQA coverage"),
    "okr": ("ความก้าวหน้าของ OKR", "OKR progress"),
    "end_products": ("ผลผลิตขั้นสุดท้าย (End Products)", "End Products"),
    "submissions": ("สถานะการส่งผลการดำเนินงาน", "Submission status"),
    # column headers
    "col_scope": ("ขอบเขต", "Scope"),
    "col_score": ("คะแนน", "Score"),
    "col_status": ("สถานะ", "Status"),
    "col_reported": ("น้ำหนักที่รายงานแล้ว", "Weight reported"),
    "col_previous": ("คะแนน {period}", "Score {period}"),
    "col_change": ("เปลี่ยนแปลง", "Change"),
    "col_rank": ("อันดับ", "Rank"),
    "col_unit": ("หน่วยงาน", "Unit"),
    "col_code": ("รหัส", "Code"),
    "col_kpi": ("ตัวชี้วัด", "KPI"),
    "col_actual": ("ผลการดำเนินงาน", "Actual"),
    "col_target": ("ค่าเป้าหมาย", "Target"),
    "col_note": ("ปัญหาอุปสรรคและแนวทางแก้ไข", "Problems and remedies"),
    "col_projected": ("คะแนนคาดการณ์สิ้นปี", "Projected year-end score"),
    "col_projected_status": ("สถานะคาดการณ์", "Projected status"),
    "col_projection": ("คำอธิบาย", "In words"),
    "col_category": ("หมวด", "Category"),
    "col_name": ("ชื่อ", "Name"),
    "col_kpi_count": ("จำนวนตัวชี้วัด", "KPIs"),
    "col_weight_share": ("สัดส่วนน้ำหนัก", "Weight share"),
    "col_reported_pct": ("รายงานแล้ว", "Reported"),
    "col_okr": ("วัตถุประสงค์ / ผลลัพธ์หลัก", "Objective / key result"),
    "col_progress": ("ความก้าวหน้า", "Progress"),
    "col_objective": ("วัตถุประสงค์", "Objective"),
    "col_unit_count": ("จำนวนหน่วยงาน", "Units"),
    "col_units": ("หน่วยงานที่ร่วมดำเนินการ", "Contributing units"),
    "col_timeliness": ("การส่ง", "Submission"),
    "col_deadline": ("กำหนดส่ง", "Deadline"),
    "col_first_submitted": ("ส่งครั้งแรก", "First submitted"),
    "col_days_late": ("ล่าช้า (วัน)", "Days late"),
    # chart words
    "overall": ("ภาพรวม", "Overall"),
    "target_line": ("เป้าหมาย (ระดับ 3)", "Target (level 3)"),
    "projected": ("คาดการณ์สิ้นปี", "Projected year end"),
    "category_n": ("หมวด {category}", "Category {category}"),
    "submitted": ("ส่งครบ", "Complete"),
    "partial": ("ส่งบางส่วน", "Partial"),
    "not_submitted": ("ยังไม่ส่ง", "Not submitted"),
    # sentences
    "score_line": ("คะแนนภาพรวมของ {unit}: {score} ({status})", "{unit}'s overall score: {score} ({status})"),
    "change_line": ("เปลี่ยนแปลง {change} เทียบกับ {period}", "Change {change} compared with {period}"),
    "no_previous": ("ไม่มีคะแนนของ {period} ให้เทียบ", "No score in {period} to compare with"),
    "reported_line": ("รายงานผลแล้ว {pct} ของน้ำหนักตัวชี้วัด", "{pct} of the KPI weight is reported"),
    "no_scores": ("{unit} ยังไม่มีผลการดำเนินงานใน {period}", "{unit} has no results in {period} yet"),
    "units_best": ("สูงสุด: {best} ({best_score}) · ต่ำสุด: {worst} ({worst_score})",
                   "Highest: {best} ({best_score}) · lowest: {worst} ({worst_score})"),
    "units_below": ("หน่วยงานที่คะแนนต่ำกว่าระดับ 3: {count} จาก {total}", "Units scoring below level 3: {count} of {total}"),
    "no_units": ("{unit} ไม่มีหน่วยงานย่อยที่มีตัวชี้วัด", "{unit} has no units below it that own KPIs"),
    "below_line": ("ตัวชี้วัดต่ำกว่าเป้าหมายหรือต้องเฝ้าระวัง {total} ตัว เรียงจากคะแนนต่ำสุด",
                   "{total} KPIs off track or at risk, lowest score first"),
    "more_kpis": ("และอีก {count} ตัวชี้วัด (ดูทั้งหมดได้ในแดชบอร์ด)", "and {count} more (the dashboard lists them all)"),
    "none_below": ("ไม่มีตัวชี้วัดต่ำกว่าเป้าหมาย", "No KPI is below target"),
    "outlook_line": ("คาดการณ์คะแนนภาพรวมสิ้นปี {score} ({status}) จากน้ำหนักที่คาดการณ์ได้ {pct}",
                     "Projected year-end overall score {score} ({status}) on {pct} of the weight"),
    "at_risk_line": ("ตัวชี้วัดที่วันนี้ยังบรรลุเป้าหมายหรือต้องเฝ้าระวัง แต่คาดว่าสิ้นปีจะต่ำกว่าระดับ 3: {count} ตัว",
                     "KPIs on track or at risk today but projected to end the year below level 3: {count}"),
    "outlook_q4": ("ไตรมาส 4: ทราบผลสิ้นปีแล้ว ไม่มีการคาดการณ์",
                   "Quarter 4: the year-end result is known; nothing to project"),
    "no_outlook": ("ยังไม่มีค่าคาดการณ์สิ้นปีของ {unit}", "No year-end projection for {unit} yet"),
    "none_at_risk": ("ไม่มีตัวชี้วัดที่คาดว่าจะต่ำกว่าเป้าหมายสิ้นปี", "No KPI is projected to end the year below target"),
    "pmqa_covered": ("ตัวชี้วัดครอบคลุม {covered} จาก 7 หมวด", "The KPIs cover {covered} of the 7 categories"),
    "pmqa_no_kpi": ("หมวด {category} {name}: ไม่มีตัวชี้วัด", "Category {category} {name}: no KPI"),
    "pmqa_small": ("หมวด {category} {name}: น้ำหนักเพียง {pct}", "Category {category} {name}: only {pct} of the weight"),
    "no_pmqa": ("{unit} ไม่มีตัวชี้วัดในปีงบประมาณนี้", "{unit} owns no KPI in this fiscal year"),
    "no_strategy": ("ยังไม่ได้นำเข้าแผนยุทธศาสตร์ของปีงบประมาณ {fiscal_year}",
                    "No strategy is loaded for fiscal year {fiscal_year}"),
    "no_okr": ("{unit} ไม่มีผลลัพธ์หลักที่รับผิดชอบ", "{unit} owns no key result"),
    "okr_line": ("วัตถุประสงค์ {count} ข้อ ความก้าวหน้าเฉลี่ย {pct}", "{count} objectives, average progress {pct}"),
    "no_end_products": ("{unit} ไม่ได้ร่วมดำเนินการผลผลิตขั้นสุดท้ายใด", "{unit} contributes to no End Product"),
    "end_products_line": ("ผลผลิตขั้นสุดท้ายที่ {unit} ร่วมดำเนินการ {count} รายการ",
                          "{count} End Products {unit} contributes to"),
    "submission_line": ("{period}: ส่งครบ {submitted} ส่งบางส่วน {partial} ยังไม่ส่ง {missing} จาก {total} หน่วยงาน",
                        "{period}: {submitted} complete, {partial} partial, {missing} not submitted of {total} units"),
    "timeliness_line": ("กำหนดส่ง {deadline}: ส่งล่าช้า {late} หน่วยงาน เลยกำหนดแล้วยังไม่ส่ง {overdue} หน่วยงาน",
                        "Deadline {deadline}: {late} units late, {overdue} units overdue"),
    "no_deadline": ("ยังไม่ได้กำหนดวันส่งของ {period}", "No deadline is set for {period}"),
    "more_units": ("และอีก {count} หน่วยงาน (ดูทั้งหมดได้ในหน้าสถานะการส่งข้อมูล)",
                   "and {count} more units (the submission status page lists them all)"),
    "all_on_time": ("ทุกหน่วยงานส่งแล้ว ไม่มีหน่วยงานส่งล่าช้าหรือเลยกำหนด", "Every unit has submitted; none late or overdue"),
    # the renderers' own words
    "cover": ("ปก", "Cover"),
    "cover_agency": ("ส่วนราชการ", "Agency"),
    "cover_period": ("ช่วงเวลา", "Period"),
    "cover_generated": ("จัดทำเมื่อ", "Generated"),
    "contents": ("เนื้อหา", "Contents"),
    "chart_data": ("ข้อมูลกราฟ", "Chart data"),
    "continued": ("{title} (ต่อ)", "{title} (continued)"),
    "font_note": ("ตัวอักษร {font}: หากเครื่องไม่มีฟอนต์นี้ โปรแกรมจะใช้ฟอนต์อื่นแทน",
                  "Set in {font}; where that font is not installed the program substitutes another"),
    "no_submitters": ("{unit} ไม่มีหน่วยงานที่ต้องส่งผลในปีงบประมาณนี้", "{unit} has no unit that reports this year"),
}
"""The report's own words, (Thai, English); `text` fills them in."""


class ReportRefused(Exception):
    """The report cannot be made as asked (an unknown unit, a year without catalogue): nothing was written."""

    def __init__(self, reason_th: str, reason_en: str) -> None:
        super().__init__(f"{reason_th} / {reason_en}")
        self.reason_th, self.reason_en = reason_th, reason_en


def text(key: str, lang: str, **values: object) -> str:
    return LABELS[key][0 if lang == "th" else 1].format(**values)


def _both(key: str, **values: object) -> tuple[str, str]:
    return text(key, "th", **values), text(key, "en", **values)


def _name(thai: object, english: object, lang: str) -> str:
    """A name in the language; the Thai name where no English one is given."""
    if lang != "th" and isinstance(english, str) and english.strip():
        return english
    return "" if thai is None or (isinstance(thai, float) and thai != thai) else str(thai)


def _value(value: object) -> object:
    """A frame cell as the report keeps it: None for NaN/NA/NaT, Python numbers for numpy ones."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}%"


@dataclass(frozen=True)
class _Context:
    con: duckdb.DuckDBPyConnection
    fiscal_year: int
    quarter: int
    unit_code: str
    unit_name: str
    lang: str
    today: dt.date

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    @property
    def params(self) -> dict[str, object]:
        return {"unit": self.unit_code, "fiscal_year": self.fiscal_year, "quarter": self.quarter}

    def status(self, code: str) -> str:
        names = AGGREGATE_STATUSES.get(code)
        return names[0 if self.lang == "th" else 1] if names else str(code)

    def colour(self, code: object) -> str:
        return AGGREGATE_STATUSES[code][2] if code in AGGREGATE_STATUSES else NEUTRAL

    def dimension(self, code: str) -> str:
        return DIMENSIONS[code][0 if self.lang == "th" else 1]

    def period(self, fiscal_year: int, quarter: int) -> str:
        return format_fiscal_period(fiscal_year, quarter, self.lang)


def _score_chart(ctx: _Context, categories: list[str], series: list[Series]) -> Chart:
    return Chart("bar", tuple(categories), tuple(series), ctx.t("col_score"), SCORE_RANGE, TARGET_LEVEL,
                 ctx.t("target_line"))


def scores_section(ctx: _Context, view: reports.Overview) -> Section:
    """The overall score and the four dimension scores: status, weight reported, change from last quarter."""
    title = ctx.t("scores")
    if view.score is None and view.dimensions["score"].isna().all():
        return Section("scores", title, empty_text=ctx.t("no_scores", unit=ctx.unit_name,
                                                         period=ctx.period(ctx.fiscal_year, ctx.quarter)))
    before = previous_quarter(ctx.fiscal_year, ctx.quarter)
    trend = view.trend
    earlier = trend[(trend["fiscal_year"] == before[0]) & (trend["quarter"] == before[1])]
    earlier = dict(zip(earlier["dimension"], earlier["score"], strict=True))
    rows = [(ctx.t("overall"), view.score, view.status, view.reported_weight_pct, view.previous_score)]
    for card in view.dimensions.itertuples():
        rows.append((ctx.dimension(card.dimension), _value(card.score), card.status, _value(card.reported_weight_pct),
                     _value(earlier.get(card.dimension))))
    rows = [(*row, None if row[1] is None or row[4] is None else row[1] - row[4]) for row in rows]
    previous_label = ctx.period(*before)
    table = Table(
        (ctx.t("col_scope"), ctx.t("col_score"), ctx.t("col_status"), ctx.t("col_reported"),
         ctx.t("col_previous", period=previous_label), ctx.t("col_change")),
        tuple(rows), ("text", "score", "status", "percent", "score", "score"),
    )
    categories = [row[0] for row in rows]
    chart = _score_chart(ctx, categories, [
        Series(ctx.period(ctx.fiscal_year, ctx.quarter), tuple(row[1] for row in rows),
               point_colours=tuple(ctx.colour(row[2]) for row in rows)),
        Series(previous_label, tuple(row[4] for row in rows), colour=NEUTRAL),
    ])
    summary = [ctx.t("score_line", unit=ctx.unit_name, score=format_score(view.score), status=ctx.status(view.status))]
    if view.score is not None and view.previous_score is not None:
        summary.append(ctx.t("change_line", change=f"{view.score - view.previous_score:+.4f}", period=previous_label))
    else:
        summary.append(ctx.t("no_previous", period=previous_label))
    summary.append(ctx.t("reported_line", pct=_pct(view.reported_weight_pct)))
    return Section("scores", title, tuple(summary), table, chart)


def units_section(ctx: _Context) -> Section:
    """The units directly below the unit, ranked by the score of their subtree."""
    title = ctx.t("units")
    frame = reports.with_status(ctx.con.execute(queries.REPORT_CHILD_SCORES, ctx.params).df())
    if frame.empty:
        return Section("units", title, empty_text=ctx.t("no_units", unit=ctx.unit_name))
    names = [_name(th, en, ctx.lang) for th, en in zip(frame["name_th"], frame["name_en"], strict=True)]
    scores = [_value(score) for score in frame["score"]]
    rows = tuple((rank, name, score, status, _value(pct)) for rank, name, score, status, pct
                 in zip(range(1, len(frame) + 1), names, scores, frame["status"], frame["reported_weight_pct"],
                        strict=True))
    table = Table((ctx.t("col_rank"), ctx.t("col_unit"), ctx.t("col_score"), ctx.t("col_status"),
                   ctx.t("col_reported")), rows, ("integer", "text", "score", "status", "percent"))
    chart = Chart("barh", tuple(names), (Series(ctx.period(ctx.fiscal_year, ctx.quarter), tuple(scores),
                                                point_colours=tuple(ctx.colour(s) for s in frame["status"])),),
                  ctx.t("col_score"), SCORE_RANGE, TARGET_LEVEL, ctx.t("target_line"))
    scored = [(name, score) for name, score in zip(names, scores, strict=True) if score is not None]
    summary = []
    if len(scored) > 1:
        summary.append(ctx.t("units_best", best=scored[0][0], best_score=format_score(scored[0][1]),
                             worst=scored[-1][0], worst_score=format_score(scored[-1][1])))
    if scored:
        below = sum(score < TARGET_LEVEL for _, score in scored)
        summary.append(ctx.t("units_below", count=f"{below:,}", total=f"{len(scored):,}"))
    return Section("units", title, tuple(summary), table, chart)


def below_target_section(ctx: _Context) -> Section:
    """KPIs off track or at risk, lowest score first, with the note each unit wrote (its problems and remedies)."""
    title = ctx.t("below_target")
    frame = ctx.con.execute(queries.REPORT_BELOW_TARGET, ctx.params | {"limit": BELOW_TARGET_ROWS}).df()
    if frame.empty:
        return Section("below_target", title, empty_text=ctx.t("none_below"))
    total = int(frame["total"].iloc[0])
    rows = tuple(
        (row.kpi_code, _name(row.name_th, row.name_en, ctx.lang), _name(row.unit_name_th, row.unit_name_en, ctx.lang),
         _value(row.actual), _value(row.target), _value(row.score), row.status, _value(row.note))
        for row in frame.itertuples()
    )
    more = total - len(rows)
    table = Table(
        (ctx.t("col_code"), ctx.t("col_kpi"), ctx.t("col_unit"), ctx.t("col_actual"), ctx.t("col_target"),
         ctx.t("col_score"), ctx.t("col_status"), ctx.t("col_note")),
        rows, ("text", "text", "text", "number", "number", "score", "status", "text"),
        note=ctx.t("more_kpis", count=f"{more:,}") if more > 0 else "",
    )
    return Section("below_target", title, (ctx.t("below_line", total=f"{total:,}"),), table)


def at_risk_section(ctx: _Context) -> Section:
    """The projected year-end scores and the KPIs on track or at risk today projected to end below level 3, each
    with the forecast's plain words (pipelines.forecast.plain_words)."""
    title = ctx.t("at_risk")
    outlook = reports.year_end_outlook(ctx.con, ctx.fiscal_year, ctx.quarter, ctx.unit_code)
    if outlook is None:
        return Section("at_risk", title, empty_text=ctx.t("outlook_q4"))
    if outlook.score is None:
        return Section("at_risk", title, empty_text=ctx.t("no_outlook", unit=ctx.unit_name))
    categories = [ctx.t("overall")] + [ctx.dimension(code) for code in outlook.dimensions["dimension"]]
    projected = [outlook.score] + [_value(score) for score in outlook.dimensions["score"]]
    statuses = [outlook.status, *outlook.dimensions["status"]]
    chart = _score_chart(ctx, categories, [Series(ctx.t("projected"), tuple(projected),
                                                  point_colours=tuple(ctx.colour(s) for s in statuses))])
    summary = (ctx.t("outlook_line", score=format_score(outlook.score), status=ctx.status(outlook.status),
                     pct=_pct(outlook.projected_weight_pct)),
               ctx.t("at_risk_line", count=f"{outlook.at_risk_count:,}"))
    if outlook.at_risk.empty:
        return Section("at_risk", title, summary + (ctx.t("none_at_risk"),), chart=chart)
    rows = tuple(
        (row["kpi_code"], _name(row["name_th"], row["name_en"], ctx.lang),
         _name(row["unit_name_th"], row["unit_name_en"], ctx.lang), _value(row["score"]), row["status"],
         _value(row["projected_score"]), row["projected_status"], forecast.plain_words(row, ctx.lang))
        for row in outlook.at_risk.to_dict("records")
    )
    more = outlook.at_risk_count - len(rows)
    table = Table(
        (ctx.t("col_code"), ctx.t("col_kpi"), ctx.t("col_unit"), ctx.t("col_score"), ctx.t("col_status"),
         ctx.t("col_projected"), ctx.t("col_projected_status"), ctx.t("col_projection")),
        rows, ("text", "text", "text", "score", "status", "score", "status", "text"),
        note=ctx.t("more_kpis", count=f"{more:,}") if more > 0 else "",
    )
    return Section("at_risk", title, summary, table, chart)


def pmqa_section(ctx: _Context) -> Section:
    """The seven PMQA categories: KPIs, weight share, share reported, score; the gaps in words."""
    title = ctx.t("pmqa")
    view = reports.pmqa_view(ctx.con, ctx.fiscal_year, ctx.quarter, ctx.unit_code)
    if not view.kpi_total:
        return Section("pmqa", title, empty_text=ctx.t("no_pmqa", unit=ctx.unit_name))
    language = 0 if ctx.lang == "th" else 1
    rows = tuple(
        (int(row.category), PMQA_CATEGORIES[int(row.category)][language], int(row.kpi_count),
         _value(row.weight_share_pct), _value(row.reported_pct), _value(row.score))
        for row in view.categories.itertuples()
    )
    table = Table((ctx.t("col_category"), ctx.t("col_name"), ctx.t("col_kpi_count"), ctx.t("col_weight_share"),
                   ctx.t("col_reported_pct"), ctx.t("col_score")), rows,
                  ("integer", "text", "integer", "percent", "percent", "score"))
    chart = Chart("radar", tuple(ctx.t("category_n", category=row[0]) for row in rows),
                  (Series(ctx.t("col_weight_share"), tuple(row[3] or 0.0 for row in rows), colour="#1565c0"),),
                  ctx.t("col_weight_share"))
    summary = [ctx.t("pmqa_covered", covered=sum(row[2] > 0 for row in rows))]
    for gap in reports.pmqa_gaps(view.categories):
        name = PMQA_CATEGORIES[gap["category"]][language]
        if gap["gap"] == "no_kpi":
            summary.append(ctx.t("pmqa_no_kpi", category=gap["category"], name=name))
        else:
            summary.append(ctx.t("pmqa_small", category=gap["category"], name=name, pct=_pct(gap["weight_share_pct"])))
    return Section("pmqa", title, tuple(summary), table, chart)


def okr_section(ctx: _Context, has_strategy: bool) -> Section:
    """Progress of each objective and key result (the view okr_progress) the unit's subtree owns."""
    title = ctx.t("okr")
    if not has_strategy:
        return Section("okr", title, empty_text=ctx.t("no_strategy", fiscal_year=ctx.fiscal_year))
    frame = ctx.con.execute(queries.REPORT_OKR_PROGRESS, ctx.params).df()
    if frame.empty:
        return Section("okr", title, empty_text=ctx.t("no_okr", unit=ctx.unit_name))
    rows = tuple(
        (row.key_result_code if isinstance(row.key_result_code, str) else row.objective_code,
         ("   " if isinstance(row.key_result_code, str) else "") + _name(row.name_th, row.name_en, ctx.lang),
         _value(row.progress_pct), _value(row.score), row.status)
        for row in frame.itertuples()
    )
    table = Table((ctx.t("col_code"), ctx.t("col_okr"), ctx.t("col_progress"), ctx.t("col_score"),
                   ctx.t("col_status")), rows, ("text", "text", "percent", "score", "status"))
    objectives = frame[frame["key_result_code"].isna()]
    progress = [_value(value) for value in objectives["progress_pct"]]
    chart = Chart("barh", tuple(objectives["objective_code"]),
                  (Series(ctx.t("col_progress"), tuple(progress),
                          point_colours=tuple(ctx.colour(s) for s in objectives["status"])),),
                  ctx.t("col_progress"), (0.0, 100.0))
    known = [value for value in progress if value is not None]
    summary = (ctx.t("okr_line", count=len(objectives), pct=_pct(sum(known) / len(known) if known else None)),)
    return Section("okr", title, summary, table, chart)


def end_products_section(ctx: _Context, has_strategy: bool) -> Section:
    """The End Products the subtree contributes to (end_products, end_product_units), with all their units."""
    title = ctx.t("end_products")
    if not has_strategy:
        return Section("end_products", title, empty_text=ctx.t("no_strategy", fiscal_year=ctx.fiscal_year))
    frame = ctx.con.execute(queries.REPORT_END_PRODUCTS, {"unit": ctx.unit_code, "fiscal_year": ctx.fiscal_year}).df()
    if frame.empty:
        return Section("end_products", title, empty_text=ctx.t("no_end_products", unit=ctx.unit_name))
    units = frame["units_th"] if ctx.lang == "th" else frame["units_en"]
    rows = tuple(
        (row.end_product_code, _name(row.name_th, row.name_en, ctx.lang), _value(row.objective_code),
         int(row.unit_count), unit_names)
        for row, unit_names in zip(frame.itertuples(), units, strict=True)
    )
    table = Table((ctx.t("col_code"), ctx.t("col_name"), ctx.t("col_objective"), ctx.t("col_unit_count"),
                   ctx.t("col_units")), rows, ("text", "text", "text", "integer", "text"))
    return Section("end_products", title, (ctx.t("end_products_line", unit=ctx.unit_name, count=len(rows)),), table)


def submissions_section(ctx: _Context) -> Section:
    """Units that submitted, partly or not at all per quarter, and the units of the quarter that are overdue, have
    not submitted yet or submitted late."""
    title = ctx.t("submissions")
    status = reports.submission_status(ctx.con, ctx.fiscal_year, ctx.quarter, ctx.unit_code)
    if status.unit_count == 0:
        return Section("submissions", title, empty_text=ctx.t("no_submitters", unit=ctx.unit_name))
    counts = status.counts.set_index("quarter")
    period = ctx.period(ctx.fiscal_year, ctx.quarter)
    now = counts.loc[ctx.quarter]
    summary = [ctx.t("submission_line", period=period, submitted=f"{int(now[reports.SUBMITTED]):,}",
                     partial=f"{int(now[reports.PARTIAL]):,}", missing=f"{int(now[reports.NOT_SUBMITTED]):,}",
                     total=f"{status.unit_count:,}")]
    timeliness = reports.submission_timeliness(ctx.con, ctx.fiscal_year, ctx.unit_code, ctx.today, tuple(BEHIND),
                                               ctx.quarter)
    quarter = timeliness.counts.set_index("quarter").loc[ctx.quarter]
    if pd.isna(quarter["deadline"]):
        summary.append(ctx.t("no_deadline", period=period))
    else:
        summary.append(ctx.t("timeliness_line", deadline=format_date(quarter["deadline"], ctx.lang),
                             late=f"{int(quarter['late']):,}", overdue=f"{int(quarter['overdue']):,}"))
    units = timeliness.units
    behind = units[(units["quarter"] == ctx.quarter) & units["timeliness"].isin(BEHIND)]
    behind = behind.sort_values("timeliness", key=lambda states: states.map(BEHIND.index), kind="stable")
    chart = Chart(
        "bar", tuple(ctx.period(ctx.fiscal_year, q) for q in QUARTERS),
        tuple(Series(ctx.t(state), tuple(int(counts.loc[q, state]) for q in QUARTERS), colour=colour)
              for state, colour in zip(reports.STATES, ("#2e7d32", "#f9a825", "#c62828"), strict=True)),
        ctx.t("col_unit_count"),
    )
    if behind.empty:
        return Section("submissions", title, (*summary, ctx.t("all_on_time")), chart=chart)
    language = 0 if ctx.lang == "th" else 1
    rows = tuple(
        (row.unit_code, _name(row.name_th, row.name_en, ctx.lang), TIMELINESS[row.timeliness][language],
         format_date(row.deadline, ctx.lang), format_date(_value(row.first_submitted_at), ctx.lang),
         _value(row.days_late))
        for row in behind.head(SUBMISSION_ROWS).itertuples()
    )
    more = len(behind) - len(rows)
    table = Table((ctx.t("col_code"), ctx.t("col_unit"), ctx.t("col_timeliness"), ctx.t("col_deadline"),
                   ctx.t("col_first_submitted"), ctx.t("col_days_late")), rows,
                  ("text", "text", "text", "text", "text", "integer"),
                  note=ctx.t("more_units", count=f"{more:,}") if more > 0 else "")
    return Section("submissions", title, tuple(summary), table, chart)


def build_report(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str, lang: str = "th",
                 progress: Progress | None = None, *, now: dt.datetime | None = None) -> Report:
    """The pack of `unit_code`'s subtree for the quarter, every text in `lang` ("th" or "en"); ReportRefused for
    an unknown unit, a quarter outside 1-4 or a year without catalogue. `now` is when it is made (its date counts
    overdue days)."""
    lang = "en" if lang == "en" else "th"
    now = now or dt.datetime.now()
    unit = reports.org_unit(con, unit_code)
    if unit is None:
        raise ReportRefused(*_both("unknown_unit", unit=unit_code))
    if quarter not in QUARTERS:
        raise ReportRefused(*_both("bad_quarter", quarter=quarter))
    if fiscal_year not in reports.catalogue_years(con):
        raise ReportRefused(*_both("no_catalogue", fiscal_year=fiscal_year))
    unit_name = _name(unit["name_th"], unit["name_en"], lang)
    tree = reports.org_units_tree(con)
    root = tree[tree["depth"] == 0].iloc[0] if not tree.empty else None
    agency = _name(root["name_th"], root["name_en"], lang) if root is not None else unit_name
    ctx = _Context(con, fiscal_year, quarter, unit_code, unit_name, lang, now.date())
    has_strategy = fiscal_year in strategy_years(con)
    builders: dict[str, Callable[[], Section]] = {
        "scores": lambda: scores_section(ctx, reports.overview(con, fiscal_year, quarter, unit_code)),
        "units": lambda: units_section(ctx),
        "below_target": lambda: below_target_section(ctx),
        "at_risk": lambda: at_risk_section(ctx),
        "pmqa": lambda: pmqa_section(ctx),
        "okr": lambda: okr_section(ctx, has_strategy),
        "end_products": lambda: end_products_section(ctx, has_strategy),
        "submissions": lambda: submissions_section(ctx),
    }
    sections = []
    for done, key in enumerate(SECTION_KEYS):
        if progress:
            progress(done / len(SECTION_KEYS), ctx.t(key))
        sections.append(builders[key]())
    if progress:
        progress(1.0, ctx.t("title"))
    return Report(
        lang=lang, title=ctx.t("title"), agency=agency, unit_code=unit_code, unit_name=unit_name,
        fiscal_year=fiscal_year, quarter=quarter, period=ctx.t("period", quarter=quarter, fiscal_year=fiscal_year),
        generated=format_date(now, lang, with_time=True),
        status_names={code: names[0 if lang == "th" else 1] for code, names in AGGREGATE_STATUSES.items()},
        sections=tuple(sections), page_label=ctx.t("page"),
    )


def available_formats() -> list[str]:
    """The FORMATS whose renderer is installed (the PDF renderer is a module of its own)."""
    return [fmt for fmt in FORMATS if importlib.util.find_spec(RENDERERS[fmt][0]) is not None]


def write_report(report: Report, fmt: str, path: Path | str, progress: Progress | None = None) -> None:
    """Lay `report` out as `fmt` (one of FORMATS) into the file `path`; the renderer is imported on first use."""
    module, function = RENDERERS[fmt]
    renderer = getattr(importlib.import_module(module), function)
    renderer(report, Path(path), progress)


def file_name(report: Report, fmt: str) -> str:
    """The pack's file name: unit code, BE year and quarter, e.g. `executive_report_AG_2568_Q2.pptx`."""
    code = re.sub(r"[^0-9A-Za-z_-]", "_", report.unit_code)
    return f"executive_report_{code}_{report.fiscal_year}_Q{report.quarter}.{fmt}"

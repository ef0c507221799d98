"""One line per public view and per column: the schema browser of the SQL page and docs/reference/views.md.

A view is public (in the analyst snapshot, the SQL page and `python -m pipelines export`) exactly when it
is documented here.  `tests/test_view_docs.py` fails when a view file gains a view that is neither
documented nor in pipelines.auth.ADMIN_ONLY_VIEWS or INTERNAL_VIEWS (those never reach the snapshot), or
when a documented column does not exist.  docs/reference/views.md ends with `reference_markdown()` verbatim
(`python -m pipelines.view_docs` prints it; paste it below the page's hand-written first lines).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.auth import ADMIN_ONLY_VIEWS
from pipelines.view_docs_th import COLUMNS_TH, VIEW_SUMMARIES_TH

__all__ = ["ADMIN_ONLY_VIEWS", "INTERNAL_VIEWS", "PUBLIC_VIEWS", "VIEW_DOCS", "ViewDoc", "column_description",
           "reference_markdown",
           "view_summary"]

INTERNAL_VIEWS: dict[str, str] = {
    "kpi_results_computed": "the derivation pipelines.results refreshes the table behind kpi_results from",
    "kpi_result_totals_computed": "the derivation pipelines.results refreshes the table behind scored_totals from",
    "kpi_subtree_totals_computed": "the derivation pipelines.results refreshes the table kpi_subtree_total from",
    "org_tree_computed": "the derivation pipelines.results refreshes the table behind org_tree from",
    "org_outline_computed": "the org tree depth-first, for the dashboard's unit picker (table org_unit_outline)",
}
"""Views the product uses itself and analysts do not need: left out of the snapshot, why given here."""


@dataclass(frozen=True)
class ViewDoc:
    name: str
    summary: str
    columns: dict[str, str]


_FY = "fiscal year in Buddhist Era (2568 = Oct 2024 - Sep 2025)"
_Q = "quarter 1-4 of the fiscal year (Q1 = Oct-Dec)"
_SCORE = "weighted score 0-5 over the results that have a score; NULL when nothing is reported"
_REPORTED = "percent of the total KPI weight that has a score (0 when nothing is reported)"
_STATUS = "on_track (score >= 3), at_risk (2 <= score < 3), off_track (< 2), not_reported (no score)"
_PROVISIONAL = "true when there is a score but less than 50 % of the weight is reported: the figure is incomplete"
_AGGREGATE_STATUS = "provisional (ข้อมูลยังไม่ครบ) where provisional is true, otherwise as score_status"
_APPROVAL = ("not_required (stored while its fiscal year did not require approval: counts at once), submitted "
             "(waits for a reviewer), approved, returned (sent back with reasons), superseded (a newer version came "
             "before a decision)")
_SCORE_STATUS = "status by the score alone, whatever weight is reported: " + _STATUS

VIEWS: tuple[ViewDoc, ...] = (
    ViewDoc("org_units", "Org units in file order: agency, divisions, work groups, individuals.", {
        "code": "org unit code, unique",
        "name_th": "Thai name",
        "name_en": "English name (may be NULL)",
        "parent_code": "code of the unit above; NULL for the agency",
        "level": "agency, division, group or individual",
    }),
    ViewDoc("org_tree", "Every (ancestor, descendant) pair of the org tree; a unit is its own ancestor at depth 0.", {
        "ancestor_code": "the unit higher up (or the unit itself)",
        "unit_code": "a unit at or below ancestor_code",
        "depth": "levels between them: 0 = the same unit, 1 = a direct child",
    }),
    ViewDoc("kpi_catalogue", "One row per KPI and owner per fiscal year (a KPI with two owners has two rows).", {
        "fiscal_year": _FY,
        "kpi_code": "KPI code, unique within the fiscal year",
        "name_th": "Thai name of the KPI",
        "name_en": "English name (may be NULL)",
        "dimension": "effectiveness, service_quality, efficiency or org_development",
        "pmqa": "list of linked PMQA categories 1-7, e.g. [2, 7]; empty when none",
        "owner_code": "org unit that reports this KPI",
        "unit": "unit of measure (ร้อยละ, วัน, ระดับ, ...)",
        "direction": "higher (more is better) or lower (less is better)",
        "kind": "numeric, or milestone (actual = completed steps 0-5)",
        "weight": "percent weight of the KPI in its owner's scorecard",
        "t1": "threshold for score 1",
        "t2": "threshold for score 2",
        "t3": "threshold for score 3",
        "t4": "threshold for score 4",
        "t5": "threshold for score 5",
        "target": "annual target shown on charts; t3 when the catalogue gives none (3 steps for a milestone)",
    }),
    ViewDoc("submissions", "Every version of every quarterly submission (a re-upload is a new version).", {
        "submission_id": "identifier of this version",
        "unit_code": "org unit that submitted",
        "fiscal_year": _FY,
        "quarter": _Q,
        "version": "1 for the first upload of the unit and quarter, then 2, 3, ...",
        "is_latest": "true for the newest version of the unit and quarter",
        "file_name": "name of the uploaded file",
        "sha256": "SHA-256 of the file bytes (the archived copy is uploads/<sha256>.<ext>)",
        "row_count": "number of KPI rows in the file (= its rows in submission_values)",
        "submitted_by": "who uploaded it",
        "submitted_at": "when it was stored (server time)",
        "approval_status": _APPROVAL,
        "approved_by": "the reviewer who approved it; NULL unless approval_status is approved",
        "approved_at": "when it was approved; NULL unless approval_status is approved",
        "is_counted": "true for the version the results use: the latest one approved or needing no approval",
    }),
    ViewDoc("submission_values", "Every value of every version: history, notes and evidence.", {
        "submission_id": "the version this value belongs to (see submissions)",
        "unit_code": "org unit that submitted",
        "fiscal_year": _FY,
        "quarter": _Q,
        "version": "version number of the submission",
        "is_latest": "true when this is the latest version",
        "kpi_code": "KPI reported",
        "actual": "year-to-date actual as submitted; NULL = left empty (not reported)",
        "score": "score 0-5 of this actual at full precision; NULL when not reported",
        "status": _STATUS,
        "note": "the unit's note (หมายเหตุ / ปัญหาอุปสรรค)",
        "evidence": "evidence text or link (หลักฐาน)",
        "submitted_by": "who uploaded the version",
        "submitted_at": "when the version was stored",
        "approval_status": "the version's approval state, as in submissions",
    }),
    ViewDoc("fiscal_quarters", "The four quarters of every fiscal year that has a catalogue.", {
        "fiscal_year": _FY,
        "quarter": _Q,
    }),
    ViewDoc("kpi_results", "The counted value of every owned KPI in every quarter (the latest version approved or "
            "needing no approval: submissions.is_counted); not_reported where nothing is.", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "owner of the KPI",
        "kpi_code": "KPI code",
        "dimension": "BSC dimension of the KPI",
        "actual": "year-to-date actual from the latest version; NULL = not reported",
        "score": "score 0-5 at full precision (shown with four decimals); NULL = not reported",
        "weight": "percent weight of the KPI in its owner's scorecard",
        "status": _STATUS,
        "note": "note of the latest version",
        "version": "version the value comes from; NULL when the unit has not submitted the quarter",
        "submitted_at": "when that version was stored",
    }),
    ViewDoc("score_scopes", "Whose results count towards each unit's score: its own; for the agency, its whole tree.", {
        "scope_code": "unit being scored",
        "unit_code": "unit whose results count towards it (the unit itself; for the agency every unit in its tree)",
    }),
    ViewDoc("scored_results", "kpi_results once per unit that scores them: its own, and for the agency all of them.", {
        "scope_code": "unit whose score this result counts towards (the agency counts every result in its tree)",
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "owner of the KPI",
        "kpi_code": "KPI code",
        "dimension": "BSC dimension of the KPI",
        "actual": "year-to-date actual; NULL = not reported",
        "score": "score 0-5; NULL = not reported",
        "weight": "percent weight of the KPI",
        "status": _STATUS,
        "note": "note of the latest version",
        "version": "version the value comes from",
        "submitted_at": "when that version was stored",
    }),
    ViewDoc("scored_totals", "scored_results summed per owner unit and dimension: fast sums for any group of units.", {
        "scope_code": "unit whose score these results count towards (the agency counts every unit in its tree)",
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "owner of the KPIs summed",
        "dimension": "BSC dimension of the KPIs summed",
        "result_count": "number of results (KPIs the unit owns in the dimension)",
        "weight": "sum of their weights",
        "scored_weight": "sum of the weights of those with a score (0 when none)",
        "weighted_sum": "sum of weight x score; score of a group = sum(weighted_sum) / sum(scored_weight)",
        "on_track_count": "results on_track",
        "at_risk_count": "results at_risk",
        "off_track_count": "results off_track",
        "not_reported_count": "results not_reported",
        "version": "latest version submitted for the quarter; NULL = nothing submitted",
        "submitted_at": "when that version was stored",
    }),
    ViewDoc("scope_totals", "scored_totals summed per unit that scores them and dimension: what unit_scores and "
            "dimension_scores add up (the agency's row is its whole tree).", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "scope_code": "unit scored (the agency counts every unit in its tree)",
        "dimension": "BSC dimension",
        "weight": "sum of the weights of its results",
        "scored_weight": "sum of the weights of those with a score (0 when none)",
        "weighted_sum": "sum of weight x score; score = sum(weighted_sum) / sum(scored_weight)",
    }),
    ViewDoc("unit_scores", "Weighted score and reported weight per unit and quarter (agency row = whole agency).", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "org unit",
        "score": _SCORE,
        "reported_weight_pct": _REPORTED,
        "provisional": _PROVISIONAL,
        "status": _AGGREGATE_STATUS,
        "score_status": _SCORE_STATUS,
    }),
    ViewDoc("dimension_scores", "Per unit, quarter and dimension; the agency always has all four dimensions.", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "org unit",
        "dimension": "effectiveness, service_quality, efficiency or org_development",
        "score": _SCORE,
        "reported_weight_pct": _REPORTED,
        "provisional": _PROVISIONAL,
        "status": _AGGREGATE_STATUS,
        "score_status": _SCORE_STATUS,
    }),
    ViewDoc("pmqa_coverage", "Seven rows per fiscal year and quarter, one per PMQA category; gaps have kpi_count 0.", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "category": "PMQA category 1-7 (หมวด)",
        "kpi_count": "distinct KPIs linked to the category (a KPI with two owners counts once)",
        "weight_share_pct": "their share of the total KPI weight of the quarter, percent",
        "reported_count": "distinct linked KPIs with a score",
        "score": "weighted mean score of the linked results; NULL when none is reported",
    }),
    ViewDoc("submission_periods", "Every quarter with a catalogue: closed to uploads or not, and its deadline.", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "is_closed": "true when uploads for the quarter are closed",
        "reason": "why the quarter was last closed or reopened",
        "deadline": "last day to submit; NULL = no deadline set",
    }),
    ViewDoc("submission_timeliness", "Each unit owning KPIs, per quarter: when it submitted against the deadline.", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "unit_code": "org unit that owns KPIs that year",
        "deadline": "last day to submit; NULL = none",
        "is_closed": "true when uploads for the quarter are closed",
        "first_submitted_at": "when version 1 was stored; NULL = nothing submitted",
        "latest_submitted_at": "when the latest version was stored",
        "latest_version": "latest version number; NULL = nothing submitted",
        "timeliness": "on_time, late (version 1 after the deadline day), submitted (no deadline), "
                      "overdue (nothing, deadline passed) or pending",
    }),
    ViewDoc("kpi_forecasts", "Year-end (Q4) projection of every KPI and owner as of each quarter reported so far "
            "(docs/reference/forecast.md).", {
        "fiscal_year": _FY,
        "as_of_quarter": "the quarter the projection is made at (1-3): only values reported up to it are used",
        "kpi_code": "KPI code",
        "unit_code": "owner of the KPI",
        "method": "naive (last value carried forward), run_rate (value x 4 / quarter) or last_year_shape (last "
                  "year's path of the KPI, scaled): the winner of the previous year's backtest",
        "projected_actual": "projected Q4 year-to-date actual (whole steps 0-5 for a milestone KPI)",
        "low": "lower end of the interval (80 % of the method's errors in last year's backtest; a fixed band "
               "without enough of them)",
        "high": "upper end of the interval",
        "projected_score": "score 0-5 the projected actual would earn, at full precision",
        "projected_status": "status of projected_score: on_track (>= 3), at_risk (2 to < 3) or off_track (< 2)",
    }),
    ViewDoc("plan_items", "The plan hierarchy the agency answers to, per fiscal year: national strategy, master "
            "plan, ministry plan, agency plan (from the strategy file).", {
        "fiscal_year": _FY,
        "plan_code": "plan item code, unique in the fiscal year",
        "name_th": "Thai name",
        "name_en": "English name (may be empty)",
        "level": "national_strategy, master_plan, ministry_plan or agency_plan",
        "parent_code": "code of the plan item above; NULL at the top",
    }),
    ViewDoc("objectives", "Objectives of each fiscal year's strategy, in file order.", {
        "fiscal_year": _FY,
        "objective_code": "objective code, unique in the fiscal year",
        "name_th": "Thai name",
        "name_en": "English name (may be empty)",
        "dimension": "BSC dimension (effectiveness, service_quality, efficiency, org_development)",
        "plan_code": "the plan item it serves (plan_items); NULL = none named",
        "thrust": "policy thrust: start (ทำ), expand (ขยาย), elevate (ยกระดับ) or drive (ขับเคลื่อน); NULL = none",
        "owner_unit": "org unit that owns it; NULL when an executive owns it",
        "owner_executive": "executive who owns it (free text); NULL when a unit owns it",
    }),
    ViewDoc("key_results", "Key results: what one unit delivers towards an objective, measured by KPIs "
            "(key_result_kpis).", {
        "fiscal_year": _FY,
        "key_result_code": "key result code, unique in the fiscal year",
        "objective_code": "the objective it serves",
        "name_th": "Thai name",
        "name_en": "English name (may be empty)",
        "owner_unit": "the one org unit that delivers it",
        "target": "target statement as written (may be empty)",
        "due_quarter": "quarter 1-4 it is due; NULL = not given",
        "pmqa": "PMQA categories 1-7 the file gives",
        "kpi_pmqa": "PMQA categories 1-7 of the KPIs that measure it (the 3:1:3 stages follow from these)",
        "weight": "weight among the objective's key results (default 1)",
    }),
    ViewDoc("key_result_kpis", "The KPIs that measure each key result, with their weights (100 per key result).", {
        "fiscal_year": _FY,
        "key_result_code": "key result code",
        "kpi_code": "KPI of that fiscal year's catalogue, owned by the key result's owner unit",
        "weight": "weight of the KPI in the key result's score (the weights of a key result add up to 100)",
    }),
    ViewDoc("end_products", "End Products: results only several units deliver together (at least two).", {
        "fiscal_year": _FY,
        "end_product_code": "End Product code, unique in the fiscal year",
        "objective_code": "the objective it serves",
        "name_th": "Thai name",
        "name_en": "English name (may be empty)",
        "unit_count": "number of contributing units (end_product_units), at least 2",
    }),
    ViewDoc("end_product_units", "Each End Product's contributing units and the part each one delivers.", {
        "fiscal_year": _FY,
        "end_product_code": "End Product code",
        "unit_code": "contributing org unit",
        "part": "what this unit contributes (may be empty)",
    }),
    ViewDoc("end_product_key_results", "The key results each End Product is measured by.", {
        "fiscal_year": _FY,
        "end_product_code": "End Product code",
        "key_result_code": "key result code (its owner is one of the End Product's units)",
        "weight": "weight of the key result in the End Product (default 1)",
    }),
    ViewDoc("handoffs", "Hand-offs between units: unit A's output is unit B's input.", {
        "fiscal_year": _FY,
        "handoff_number": "position in the file, 1, 2, ...",
        "from_unit": "org unit whose output it is",
        "to_unit": "org unit whose input it is (never from_unit)",
        "what": "what is handed over",
        "end_product_code": "the End Product it serves; NULL = none named",
    }),
    ViewDoc("objective_links", "Cause and effect between objectives (from -> to), for the strategy map; no loops.", {
        "fiscal_year": _FY,
        "from_objective": "the objective that is the cause",
        "to_objective": "the objective that is the effect",
    }),
    ViewDoc("okr_progress", "Score and progress of every objective (key_result_code NULL) and key result per "
            "quarter (docs/domain.md section 10).", {
        "fiscal_year": _FY,
        "quarter": _Q,
        "objective_code": "objective code",
        "key_result_code": "key result code; NULL on the objective's own row",
        "progress_pct": "100 x min(score, 3) / 3: level 3 is the target, so 100 = target reached; NULL without a "
                        "score",
        "score": "key result: weighted score 0-5 of its KPIs' results for its owner unit (key_result_kpis weights); "
                 "objective: weighted score of its key results' scores (key result weights); NULL when nothing "
                 "is reported",
        "status": "provisional when under 50 % of the weight is reported, otherwise on_track (>= 3), at_risk "
                  "(2 to < 3), off_track (< 2) or not_reported",
        "reported_weight_pct": "key result: percent of its KPI weight that has a score; objective: percent of its "
                               "key-result weight whose key result has a score",
    }),
    ViewDoc("evidence_files", "Every evidence file of every version's KPI results (a new version carries the files "
            "of the KPIs it still reports).", {
        "evidence_id": "identifier of this file's row",
        "submission_id": "the version it belongs to (see submissions)",
        "unit_code": "org unit that submitted",
        "fiscal_year": _FY,
        "quarter": _Q,
        "version": "version number of the submission",
        "is_latest": "true when this is the latest version",
        "kpi_code": "the KPI result the file is evidence for",
        "file_name": "the file's name as uploaded",
        "media_type": "its type, decided by its content: application/pdf, image/png, image/jpeg or an Office "
                      "document (.docx, .xlsx, .pptx)",
        "size_bytes": "size in bytes",
        "sha256": "SHA-256 of its bytes: the file is kept once, as <uploads>/<sha256><suffix>",
        "uploaded_by": "who attached it",
        "uploaded_at": "when it was attached (kept when a new version carries it)",
    }),
)

VIEW_DOCS: dict[str, ViewDoc] = {view.name: view for view in VIEWS}
PUBLIC_VIEWS: tuple[str, ...] = tuple(VIEW_DOCS)


def column_description(view: str, column: str, lang: str = "en") -> str:
    """The column's line in English, or in Thai (lang "th", pipelines.view_docs_th) where there is one."""
    doc = VIEW_DOCS.get(view)
    english = doc.columns.get(column, "") if doc else ""
    return COLUMNS_TH.get(view, {}).get(column, english) if lang == "th" else english


def view_summary(view: str, lang: str = "en") -> str:
    english = VIEW_DOCS[view].summary
    return VIEW_SUMMARIES_TH.get(view, english) if lang == "th" else english


def reference_markdown() -> str:
    """The "Public analyst views" reference of docs/reference/views.md: one table per view, one line per column."""
    parts = []
    for view in VIEWS:
        rows = "\n".join(f"| `{column}` | {text} |" for column, text in view.columns.items())
        parts.append(f"## `{view.name}`\n{view.summary}\n\n| column | meaning |\n|---|---|\n{rows}\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference_markdown(), end="")

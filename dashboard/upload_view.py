"""How the upload page and the admin data page draw what pipelines.uploads and pipelines.workflows return: problem
lists with each rejected cell marked, the preview of a clean file, the scores after a save, the version history, the
preview of an org unit, catalogue or strategy file."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.i18n import date_text, t
from pipelines import db, ingest, uploads, workflows
from pipelines.ingest import MAX_UPLOAD_BYTES, PreparedFile
from pipelines.periods import TIMELINESS
from pipelines.problems import Problem, problem_count
from pipelines.templates import write_template
from pipelines.validate import MAX_NOTE_CHARACTERS, note_too_long

PROBLEM_FILL = "background-color: #ffcdd2; color: #7f0000; font-weight: 600"
PROBLEMS_SPELLED_OUT = 10


def reason(problem: Problem, lang: str) -> str:
    return problem.reason_th if lang == "th" else problem.reason_en


def labelled(frame: pd.DataFrame, columns: list[str], lang: str, key: str) -> None:
    """The frame's `columns` with their labels in the page's language."""
    st.dataframe(frame[columns], hide_index=True, key=key,
                 column_config={name: t(f"col_{name}", lang) for name in columns})


def period_caption(period: uploads.UploadPeriod, period_text: str, lang: str) -> None:
    """The quarter, its deadline and whether the unit sent its data on time."""
    facts = [t("deadline_is", lang, date=date_text(period.state.deadline, lang)) if period.state.deadline
             else t("upload_no_deadline", lang)]
    if period.timeliness:
        facts.append(TIMELINESS[period.timeliness][0 if lang == "th" else 1])
    st.caption(f"{period_text} · " + " · ".join(facts))


def template_button(period: uploads.UploadPeriod, unit_code: str, fiscal_year: int, quarter: int, lang: str) -> None:
    """The unit's submission workbook for the quarter, written only when the button is pressed."""
    def template_bytes() -> bytes:
        buffer = io.BytesIO()
        write_template(buffer, period.unit, fiscal_year, quarter, period.kpis, lang)
        return buffer.getvalue()

    st.download_button(
        t("download_template", lang, count=len(period.kpis)), template_bytes, on_click="ignore",
        file_name=f"{unit_code}_{fiscal_year}_Q{quarter}.xlsx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_template")


def any_file_uploader(generation: int, lang: str):
    """The uploader, under a new key after each save (generation) so that the stored file does not linger. Any file
    is taken: a type no reader takes is refused by uploads.refused_unread, in Thai and English and audited, where
    Streamlit's own type filter would refuse it in English and tell nobody."""
    return st.file_uploader(
        t("choose_file", lang, mb=MAX_UPLOAD_BYTES // 2**20, types=" ".join(uploads.ACCEPTED_SUFFIXES)),
        key=f"upload_file_{generation}" if generation else "upload_file", max_upload_size=MAX_UPLOAD_BYTES // 2**20)


def refused_on_commit(problems: list[Problem], lang: str) -> None:
    """Checked again at the confirm, the file was refused (the quarter closed meanwhile, the right withdrawn, the
    catalogue changed)."""
    if any(problem.field == "closed_period" for problem in problems):
        st.error(t("refused_on_commit", lang))
    for problem in problems:
        if problem.field == "closed_period":
            st.warning(reason(problem, lang))
        else:
            st.error(reason(problem, lang))


def problem_list(problems: list[Problem], lang: str, key: str) -> None:
    """Every problem: sheet, row, column, value and the reason in the page's language."""
    table = uploads.problem_table(problems)
    table["reason"] = table["reason_th"] if lang == "th" else table["reason_en"]
    labelled(table, ["sheet", "row", "column", "value", "reason"], lang, key)


def file_problems(item: PreparedFile, data: bytes, lang: str) -> None:
    """The count, the first problems in words (the grids below are canvas: screen readers and search see these),
    whole-file problems, the file's rows with each rejected cell marked, and the full list."""
    cells = [p for p in item.problems if p.row is not None]
    lines = [t("problem_line", lang, row=p.row, column=p.column, value=p.value, reason=reason(p, lang))
             for p in cells[:PROBLEMS_SPELLED_OUT]]
    if len(cells) > PROBLEMS_SPELLED_OUT:
        lines.append(t("problems_more", lang, count=len(cells) - PROBLEMS_SPELLED_OUT))
    found = t("problems_found", lang, count=problem_count(item.problems))
    st.error("\n".join([found, *(f"- {line}" for line in lines)]))
    for problem in item.problems:
        if problem.row is None:
            st.warning(f"{problem.column + ': ' if problem.column else ''}{reason(problem, lang)}")
    preview = uploads.file_preview(item.file_name, data) if item.data else pd.DataFrame()
    if not preview.empty and cells:
        st.subheader(t("file_preview", lang))
        shown = _with_reasons(preview, cells, lang)
        flagged = {(p.row, p.field) for p in cells}

        def mark(frame: pd.DataFrame) -> pd.DataFrame:
            styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
            for index, row_number in frame["row"].items():
                if frame.at[index, "problem"]:
                    styles.at[index, "problem"] = "color: #b71c1c"
                for field in frame.columns:
                    if (row_number, field) in flagged:
                        styles.at[index, field] = PROBLEM_FILL
            return styles

        st.dataframe(shown.style.apply(mark, axis=None), hide_index=True, key="upload_file_preview",
                     column_config={name: t(f"col_{name}", lang) for name in shown.columns})
    st.subheader(t("problem_list", lang))
    problem_list(item.problems, lang, "upload_problem_list")


def _with_reasons(preview: pd.DataFrame, cells: list[Problem], lang: str) -> pd.DataFrame:
    """The file's rows with a `problem` column: each rejected cell of the row and why."""
    by_row: dict[int, list[str]] = {}
    for problem in cells:
        by_row.setdefault(problem.row, []).append(f"{problem.column}: {reason(problem, lang)}")
    return preview.assign(problem=preview["row"].map(lambda row: " · ".join(by_row.get(row, []))))


def clean_file(item: PreparedFile, preview: uploads.CleanPreview, lang: str) -> None:
    """A clean file: its resulting score, what it would store, and what changes against the latest version."""
    st.success(t("file_clean", lang, count=len(item.submission.rows)))
    left, right = st.columns(2)
    left.metric(t("resulting_score", lang), i18n.score_text(preview.score))
    right.metric(t("upload_reported_weight", lang), i18n.pct_text(preview.reported_weight))
    st.subheader(t("will_store", lang))
    kpis = preview.kpis
    shown = kpis.assign(
        name=[i18n.kpi_name(th, en, lang) for th, en in zip(kpis["name_th"], kpis["name_en"], strict=True)],
        actual=kpis["actual"].map(i18n.number_text),
        unit=[i18n.unit_of_measure_name(unit, lang) for unit in kpis["unit"]],
        score=kpis["score"].map(i18n.score_text),
        status=kpis["status"].map(lambda code: i18n.status_name(code, lang)),
    )
    labelled(shown, ["kpi_code", "name", "actual", "unit", "score", "status", "note"], lang, "upload_kpi_preview")
    latest = preview.latest_version
    st.subheader(t("changes", lang, version=latest) if latest else t("first_version", lang))
    changed = pd.DataFrame([c.__dict__ for c in preview.changes if c.change != "unchanged"])
    if latest and changed.empty:
        st.caption(t("no_value_changes", lang))
    elif not changed.empty:
        changed["change"] = changed["change"].map(lambda kind: t(f"change_{kind}", lang))
        for side in ("old", "new"):
            changed[f"{side}_actual"] = changed[f"{side}_actual"].map(i18n.number_text)
            changed[f"{side}_score"] = changed[f"{side}_score"].map(i18n.score_text)
        changed["actual"] = changed["old_actual"] + " → " + changed["new_actual"]
        changed["score"] = changed["old_score"] + " → " + changed["new_score"]
        labelled(changed, ["kpi_code", "change", "actual", "score"], lang, "upload_changes")


def note_inputs(item: PreparedFile, kpis: pd.DataFrame, lang: str) -> dict[str, str]:
    """A note (problem and remedy) for each KPI that comes out off track or not reported without one."""
    missing = uploads.missing_notes(item)
    if not missing:
        return {}
    st.subheader(t("notes_needed", lang))
    st.caption(t("notes_needed_help", lang))
    by_code = kpis.set_index("kpi_code")
    notes = {}
    for code in missing:
        row = by_code.loc[code]
        label = (f"{code} · {i18n.kpi_name(row['name_th'], row['name_en'], lang)} "
                 f"({i18n.status_name(row['status'], lang)})")
        notes[code] = st.text_area(label, key=f"upload_note_{code}", height=80,
                                   placeholder=t("note_placeholder", lang), max_chars=MAX_NOTE_CHARACTERS)
    return notes


def confirm_button(notes: dict[str, str], lang: str) -> bool:
    """The confirm button, disabled while a needed note is empty or too long; True when it was pressed and may be."""
    unfilled = [code for code, text in notes.items() if not text.strip()]
    if unfilled:
        st.warning(t("notes_missing", lang, codes=", ".join(unfilled)))
    too_long = [code for code, text in notes.items() if note_too_long(text.strip())]  # max_chars is the browser's
    if too_long:
        st.error(t("note_too_long", lang, codes=", ".join(too_long), limit=MAX_NOTE_CHARACTERS))
    clicked = st.button(t("confirm", lang), type="primary", disabled=bool(unfilled or too_long), key="upload_confirm")
    return clicked and not too_long  # a disabled button is the browser's: a crafted click is refused here


def saved_scores(unit_row: pd.DataFrame, kpi_rows: pd.DataFrame, english_names: dict[str, str], lang: str) -> None:
    """The unit's score and its KPIs' as the dashboard shows them after a save (uploads.saved_scores)."""
    if not unit_row.empty:
        left, right = st.columns(2)
        left.metric(t("unit_score_now", lang), i18n.score_text(unit_row["score"].iloc[0]))
        right.metric(t("upload_reported_weight", lang), i18n.pct_text(unit_row["reported_weight_pct"].iloc[0]))
    shown = kpi_rows.assign(
        actual=kpi_rows["actual"].map(i18n.number_text), score=kpi_rows["score"].map(i18n.score_text),
        status=kpi_rows["status"].map(lambda code: i18n.status_name(code, lang)),
        name=[i18n.kpi_name(th, english_names.get(code), lang)
              for code, th in zip(kpi_rows["kpi_code"], kpi_rows["name_th"], strict=True)],
    )
    labelled(shown, ["kpi_code", "name", "actual", "score", "status"], lang, "upload_result_scores")


def history(versions: pd.DataFrame, lang: str) -> None:
    """Every version the unit submitted (uploads.submission_history), and the download of the one picked."""
    if versions.empty:
        st.caption(t("no_history", lang))
        return
    shown = versions.assign(
        period=[i18n.period_label(y, q, lang) for y, q in zip(versions["fiscal_year"], versions["quarter"],
                                                               strict=True)],
        submitted_at=i18n.date_texts(versions["submitted_at"], lang, with_time=True),
        approval_status=versions["approval_status"].map(lambda code: i18n.approval_status_name(code, lang)),
    )
    labelled(shown, ["period", "version", "is_latest", "approval_status", "file_name", "submitted_by", "submitted_at",
                     "row_count", "sha256"], lang, "upload_history")
    by_id = versions.set_index("submission_id", drop=False)
    choice = st.selectbox(
        t("download_version", lang), versions["submission_id"].tolist(), key="upload_history_choice",
        format_func=lambda sid: f"{i18n.period_label(by_id.at[sid, 'fiscal_year'], by_id.at[sid, 'quarter'], lang)}"
                                f" · {t('version_n', lang, version=by_id.at[sid, 'version'])}"
                                f" · {by_id.at[sid, 'file_name']}",
    )
    row = by_id.loc[choice]
    path = ingest.archive_path(db.uploads_dir(db.resolve_db_path()), row["file_name"], row["sha256"])
    if path.exists():
        st.download_button(t("download_file", lang), path.read_bytes, file_name=row["file_name"], on_click="ignore",
                           key="download_version", icon=":material/download:")
    else:
        st.caption(t("file_not_archived", lang))


def orgs_preview(checked: workflows.OrgsLoad, lang: str) -> None:
    """A clean org unit file: how many units, how many new, and each as it will be stored."""
    frame = pd.DataFrame([unit.__dict__ for unit in checked.units])
    frame["is_new"] = ~frame["code"].isin(checked.existing)
    frame["level"] = frame["level"].map(lambda level: i18n.level_name(level, lang))
    st.success(t("orgs_clean", lang, count=len(checked.units), new=int(frame["is_new"].sum())))
    labelled(frame, ["code", "name_th", "name_en", "parent_code", "level", "is_new"], lang, "orgs_preview")


def catalogue_preview(checked: workflows.CatalogueLoad, lang: str) -> None:
    """A valid catalogue file: whether it replaces the year's, its warnings, and each KPI as it will be stored."""
    catalogue = checked.catalogue
    st.success(t("catalogue_clean", lang, count=len(catalogue.kpis), year=catalogue.fiscal_year))
    if checked.replaces:
        st.warning(t("catalogue_replaces", lang, year=catalogue.fiscal_year))
    for warning in catalogue.warnings:
        st.warning(warning.message_th if lang == "th" else warning.message_en)
    frame = pd.DataFrame([{
        "kpi_code": k.kpi_code, "name": i18n.kpi_name(k.name_th, k.name_en, lang),
        "dimension": i18n.dimension_name(k.dimension, lang, short=True), "owner": ", ".join(k.owners),
        "weight": k.weight, "kind": k.kind, "direction": k.direction,
        "thresholds": " / ".join("" if v is None else f"{v:g}" for v in k.thresholds),
        "pmqa": ", ".join(map(str, k.pmqa)),
    } for k in catalogue.kpis])
    labelled(frame, list(frame.columns), lang, "catalogue_preview")


def strategy_preview(checked: workflows.StrategyLoad, lang: str) -> None:
    """A valid strategy: its size, whether it replaces the year's, and its objectives, key results (with the KPIs
    that measure them) and End Products (with their units) as they will be stored."""
    strategy = checked.strategy
    counts = strategy.counts()
    st.success(t("strategy_clean", lang, year=strategy.fiscal_year, objectives=counts["objectives"],
                 key_results=counts["key_results"], end_products=counts["end_products"]))
    if checked.replaces:
        st.warning(t("strategy_replaces", lang, year=strategy.fiscal_year))
    key_results_of: dict[str, int] = {}
    for kr in strategy.key_results:
        key_results_of[kr.objective_code] = key_results_of.get(kr.objective_code, 0) + 1
    st.subheader(t("strategy_objectives", lang))
    labelled(pd.DataFrame([{
        "objective_code": o.objective_code, "name": i18n.kpi_name(o.name_th, o.name_en, lang),
        "dimension": i18n.dimension_name(o.dimension, lang, short=True), "thrust": i18n.thrust_name(o.thrust, lang),
        "owner": " / ".join(owner for owner in (o.owner_unit, o.owner_executive) if owner),
        "key_results": key_results_of.get(o.objective_code, 0),
    } for o in strategy.objectives]), ["objective_code", "name", "dimension", "thrust", "owner", "key_results"],
        lang, "strategy_objectives")
    kpis_of: dict[str, list[str]] = {}
    for link in strategy.key_result_kpis:
        kpis_of.setdefault(link.key_result_code, []).append(f"{link.kpi_code} {link.weight:g}")
    st.subheader(t("strategy_key_results", lang))
    labelled(pd.DataFrame([{
        "key_result_code": kr.key_result_code, "objective_code": kr.objective_code,
        "name": i18n.kpi_name(kr.name_th, kr.name_en, lang), "owner": kr.owner_unit,
        "due_quarter": "" if kr.due_quarter is None else f"Q{kr.due_quarter}",
        "kpis": ", ".join(kpis_of.get(kr.key_result_code, [])),
    } for kr in strategy.key_results]), ["key_result_code", "objective_code", "name", "owner", "due_quarter", "kpis"],
        lang, "strategy_key_results")
    if strategy.end_products:
        units_of: dict[str, list[str]] = {}
        for unit in strategy.end_product_units:
            units_of.setdefault(unit.end_product_code, []).append(
                f"{unit.unit_code} ({unit.part})" if unit.part else unit.unit_code)
        st.subheader(t("strategy_end_products", lang))
        labelled(pd.DataFrame([{
            "end_product_code": ep.end_product_code, "objective_code": ep.objective_code,
            "name": i18n.kpi_name(ep.name_th, ep.name_en, lang),
            "units": ", ".join(units_of.get(ep.end_product_code, [])),
        } for ep in strategy.end_products]), ["end_product_code", "objective_code", "name", "units"], lang,
            "strategy_end_products")


def strategy_history(loads: pd.DataFrame, lang: str) -> None:
    """Every strategy load, newest first, its time in BE."""
    if loads.empty:
        return
    st.subheader(t("strategy_history", lang))
    frame = loads.assign(loaded_at=i18n.date_texts(loads["loaded_at"], lang, with_time=True))
    labelled(frame, ["fiscal_year", "file_name", "objective_count", "key_result_count", "loaded_by", "loaded_at"],
             lang, "strategy_history")

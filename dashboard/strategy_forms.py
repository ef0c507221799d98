"""The strategy editor's drawing (dashboard/app_pages/admin_strategy.py): the year's objectives, key results and
End Products as stored, one form per kind that turns its fields into the strategy file's rows (a
pipelines.strategy.StrategyChange), the retire box, the problems of a refused edit and the year's versions.

No rule lives here: an edit is checked by pipelines.workflows.edit_strategy with the strategy file's own checks.
Every widget's key starts with `field_key(kind, action, code)`, so a form opened on another item starts from that
item's stored values, and a stored edit clears its form (`clear`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.i18n import t
from pipelines import db, ingest
from pipelines.domain import DIMENSIONS, PMQA_CATEGORIES, THRUSTS
from pipelines.parsing import clean_text
from pipelines.problems import Problem, problem_count
from pipelines.strategy import STRATEGY_TABLES, StrategyChange, Tables, retired_with
from pipelines.uploads import problem_table

MAX_TEXT = 2000
"""Characters a name, code or target field takes (a spreadsheet cell holds 32,767)."""
KIND_KEYS = {"objective": "edit_kind_objective", "key_result": "edit_kind_key_result",
             "end_product": "edit_kind_end_product"}
ACTION_KEYS = {"add": "edit_action_add", "edit": "edit_action_edit", "retire": "edit_action_retire"}


@dataclass(frozen=True)
class Choices:
    """What the pickers offer: org units (code -> name), the year's KPI codes, and the stored strategy's plan items,
    objectives and key results."""

    units: Mapping[str, str]
    kpis: list[str]
    plans: list[str]
    objectives: list[str]
    key_results: list[str]


def named_units(tables: Tables) -> list[str]:
    """The units the stored strategy names (owners, contributing units, hand-offs): a bounded picker keeps them."""
    return [clean_text(row.get(column)) for table, columns in (
        ("objectives", ("owner_unit",)), ("key_results", ("owner_unit",)), ("end_product_units", ("unit_code",)),
        ("handoffs", ("from_unit", "to_unit"))) for row in tables[table] for column in columns if row.get(column)]


def kind_label(kind: str, lang: str) -> str:
    return t(KIND_KEYS[kind], lang)


def action_label(action: str, lang: str) -> str:
    return t(ACTION_KEYS[action], lang)


def field_key(kind: str, action: str, code: str) -> str:
    """The prefix of every widget key of one form: `key_result:edit:KR1:` (a new item's code is empty)."""
    return f"{kind}:{action}:{code}:"


def clear(prefix: str) -> None:
    """Forget a form's values (after its edit was stored)."""
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]


def change_text(summary: object, lang: str) -> str:
    """A version's edit ("retire end_product EP1") in words; a file load when there is none (NULL, NaN in a frame)."""
    if not isinstance(summary, str) or not summary:
        return t("change_file_load", lang)
    action, kind, code = summary.split(" ", 2)
    return f"{t(ACTION_KEYS[action], lang)} {t(KIND_KEYS[kind], lang)} {code}"


def _row(tables: Tables, table: str, code: str) -> dict[str, object]:
    column = f"{table.removesuffix('s')}_code"
    return next((row for row in tables[table] if clean_text(row.get(column)) == code and code), {})


def _of(tables: Tables, table: str, column: str, code: str) -> list[dict[str, object]]:
    """The rows of `table` that belong to the item `code` (none for a new item)."""
    return [row for row in tables[table] if code and row[column] == code]


def _codes(rows: Sequence[Mapping[str, object]], column: str) -> list[str]:
    return [clean_text(row.get(column)) for row in rows]


class _Fields:
    """The widgets of one form, each starting from the item's stored row."""

    def __init__(self, prefix: str, row: Mapping[str, object], lang: str) -> None:
        self.prefix, self.row, self.lang = prefix, row, lang

    def text(self, name: str, label: str, *, disabled: bool = False) -> str:
        return st.text_input(label, value=clean_text(self.row.get(name)), key=self.prefix + name,
                             disabled=disabled, max_chars=MAX_TEXT).strip()

    def pick(self, name: str, label: str, options: list, shown: Callable[[object], str]) -> object:
        current = self.row.get(name)
        return st.selectbox(label, options, index=options.index(current) if current in options else 0,
                            format_func=shown, key=self.prefix + name)

    def unit(self, name: str, label: str, units: dict[str, str]) -> str | None:
        return self.pick(name, label, [None, *units],
                         lambda code: t("none_option", self.lang) if code is None else f"{code} · {units[code]}")

    def table(self, name: str, rows: list[dict[str, object]], columns: dict[str, object]) -> list[dict[str, object]]:
        """An editable table (rows may be added and deleted); the rows whose first column is filled."""
        frame = pd.DataFrame(rows, columns=list(columns)).astype(object)
        if "weight" in frame:
            frame["weight"] = frame["weight"].astype(float)
        edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, key=self.prefix + name,
                                column_config=columns, width="stretch")
        first = next(iter(columns))
        return [{column: (None if pd.isna(value) else value) for column, value in record.items()}
                for record in edited.to_dict("records") if clean_text(record.get(first))]


def _key_result_rows(fields: _Fields, choices: Choices, tables: Tables, code: str, lang: str,
                     objective: str | None = None) -> dict[str, list[dict[str, object]]]:
    """A key result's fields and the KPIs that measure it (with weights), as key_results and key_result_kpis rows;
    none when the code is left empty (an objective added without its first key result)."""
    new_code = fields.text("key_result_code", t("field_code", lang), disabled=bool(code)) or ""
    if objective is None:
        objective = fields.pick("objective_code", t("field_objective", lang), choices.objectives, str)
    name_th = fields.text("name_th", t("field_name_th", lang))
    name_en = fields.text("name_en", t("field_name_en", lang))
    owner = fields.unit("owner_unit", t("field_owner_unit", lang), choices.units)
    target = fields.text("target", t("field_target", lang))
    stored_pmqa = [int(part) for part in clean_text(fields.row.get("pmqa")).split(",") if part]
    pmqa = st.multiselect(t("field_pmqa", lang), list(PMQA_CATEGORIES), default=stored_pmqa, key=fields.prefix + "pmqa",
                          placeholder=t("choose_codes", lang),
                          format_func=lambda category: f"{category} {i18n.pmqa_name(category, lang)}")
    due = fields.pick("due_quarter", t("field_due_quarter", lang), [None, 1, 2, 3, 4],
                      lambda q: t("none_option", lang) if q is None else t("quarter_option", lang, quarter=q))
    weight = st.number_input(t("field_kr_weight", lang), min_value=0.0, value=float(fields.row.get("weight") or 1),
                             key=fields.prefix + "weight")
    kpis = fields.table("kpis", [{"kpi_code": row["kpi_code"], "weight": row["weight"]}
                                 for row in _of(tables, "key_result_kpis", "key_result_code", code)], {
        "kpi_code": st.column_config.SelectboxColumn(t("col_kpi_code", lang), options=choices.kpis),
        "weight": st.column_config.NumberColumn(t("col_weight", lang), min_value=0, max_value=100),
    })
    code = code or new_code
    if not code:
        return {}
    return {"key_results": [{"key_result_code": code, "objective_code": objective, "name_th": name_th,
                             "name_en": name_en, "owner_unit": owner, "target": target, "due_quarter": due,
                             "pmqa": ",".join(str(category) for category in pmqa), "weight": weight}],
            "key_result_kpis": [{"key_result_code": code, **row} for row in kpis]}


def objective_form(tables: Tables, action: str, code: str, choices: Choices, lang: str) -> StrategyChange | None:
    """Add (with its first key result) or edit an objective and the cause-and-effect links that leave it."""
    prefix = field_key("objective", action, code)
    fields = _Fields(prefix, _row(tables, "objectives", code), lang)
    with st.form(prefix + "form"):
        new_code = code or fields.text("objective_code", t("field_code", lang))
        name_th = fields.text("name_th", t("field_name_th", lang))
        name_en = fields.text("name_en", t("field_name_en", lang))
        dimension = fields.pick("dimension", t("field_dimension", lang), list(DIMENSIONS),
                                lambda d: i18n.dimension_name(d, lang))
        plan = fields.pick("plan_code", t("field_plan", lang), [None, *choices.plans],
                           lambda p: t("none_option", lang) if p is None else p)
        thrust = fields.pick("thrust", t("field_thrust", lang), [None, *THRUSTS],
                             lambda x: i18n.thrust_name(x, lang) or t("none_option", lang))
        owner = fields.unit("owner_unit", t("field_owner_unit", lang), choices.units)
        executive = fields.text("owner_executive", t("field_owner_executive", lang))
        links = _codes(_of(tables, "objective_links", "from_objective", code), "to_objective")
        leads_to = st.multiselect(t("field_leads_to", lang), [o for o in choices.objectives if o != code],
                                  default=links, key=prefix + "leads_to", placeholder=t("choose_codes", lang))
        rows = {"objectives": [{"objective_code": new_code, "name_th": name_th, "name_en": name_en,
                                "dimension": dimension, "plan_code": plan, "thrust": thrust, "owner_unit": owner,
                                "owner_executive": executive}],
                "objective_links": [{"from_objective": new_code, "to_objective": to} for to in leads_to]}
        if action == "add":
            st.subheader(t("first_key_result", lang))
            rows |= _key_result_rows(_Fields(prefix + "kr:", {}, lang), choices, tables, "", lang, new_code)
        submitted = st.form_submit_button(t("save_change", lang), type="primary")
    return StrategyChange(action, "objective", new_code, rows) if submitted else None


def key_result_form(tables: Tables, action: str, code: str, choices: Choices, lang: str) -> StrategyChange | None:
    """Add or edit a key result: its objective, owner unit, target, KPIs with weights, PMQA categories, due quarter."""
    prefix = field_key("key_result", action, code)
    with st.form(prefix + "form"):
        rows = _key_result_rows(_Fields(prefix, _row(tables, "key_results", code), lang), choices, tables, code, lang)
        submitted = st.form_submit_button(t("save_change", lang), type="primary")
    new_code = clean_text(rows["key_results"][0]["key_result_code"]) if rows else ""
    return StrategyChange(action, "key_result", new_code, rows) if submitted else None


def end_product_form(tables: Tables, action: str, code: str, choices: Choices, lang: str) -> StrategyChange | None:
    """Add or edit an End Product: its objective, contributing units with their parts, linked key results and the
    hand-offs between units."""
    prefix = field_key("end_product", action, code)
    fields = _Fields(prefix, _row(tables, "end_products", code), lang)
    mine = _of(tables, "end_product_key_results", "end_product_code", code)
    unit = st.column_config.SelectboxColumn
    with st.form(prefix + "form"):
        new_code = code or fields.text("end_product_code", t("field_code", lang))
        objective = fields.pick("objective_code", t("field_objective", lang), choices.objectives, str)
        name_th = fields.text("name_th", t("field_name_th", lang))
        name_en = fields.text("name_en", t("field_name_en", lang))
        st.caption(t("field_units", lang))
        units = fields.table("units", [{"unit_code": row["unit_code"], "part": row["part"]}
                                       for row in _of(tables, "end_product_units", "end_product_code", code)],
                             {"unit_code": unit(t("col_unit_code", lang), options=list(choices.units)),
                              "part": st.column_config.TextColumn(t("col_part", lang))})
        linked = st.multiselect(t("field_linked_key_results", lang), choices.key_results,
                                default=_codes(mine, "key_result_code"), key=prefix + "key_results",
                                placeholder=t("choose_codes", lang))
        st.caption(t("field_handoffs", lang))
        handoffs = fields.table("handoffs", [
            {"from_unit": row["from_unit"], "to_unit": row["to_unit"], "what": row["what"]}
            for row in _of(tables, "handoffs", "end_product_code", code)],
            {"from_unit": unit(t("col_from_unit", lang), options=list(choices.units)),
             "to_unit": unit(t("col_to_unit", lang), options=list(choices.units)),
             "what": st.column_config.TextColumn(t("col_what", lang))})
        submitted = st.form_submit_button(t("save_change", lang), type="primary")
    if not submitted:
        return None
    weights = {row["key_result_code"]: row["weight"] for row in mine}
    return StrategyChange(action, "end_product", new_code, {
        "end_products": [{"end_product_code": new_code, "objective_code": objective, "name_th": name_th,
                          "name_en": name_en}],
        "end_product_units": [{"end_product_code": new_code, **row} for row in units],
        "end_product_key_results": [{"end_product_code": new_code, "key_result_code": kr, "weight": weights.get(kr)}
                                    for kr in linked],
        "handoffs": [{**row, "end_product_code": new_code} for row in handoffs],
    })


FORMS = {"objective": objective_form, "key_result": key_result_form, "end_product": end_product_form}


def retire_box(tables: Tables, kind: str, code: str, lang: str) -> StrategyChange | None:
    """What retiring the item takes with it, a confirmation, and the button."""
    prefix = field_key(kind, "retire", code)
    st.warning(t("retire_warning", lang, item=f"{t(KIND_KEYS[kind], lang)} {code}"))
    taken = retired_with(tables, kind, code)
    if taken:
        st.caption(t("retire_takes", lang, items=", ".join(f"{t(KIND_KEYS[k], lang)} {c}" for k, c in taken)))
    confirmed = st.checkbox(t("retire_confirm", lang, code=code), key=prefix + "confirm")
    if st.button(t("retire_button", lang), type="primary", disabled=not confirmed, key=prefix + "button"):
        return StrategyChange("retire", kind, code)
    return None


def refused(problems: list[Problem], lang: str) -> None:
    """A refused edit's problems in the page's language, each naming the table, column and value."""
    st.error(t("edit_refused", lang, count=problem_count(problems)))
    frame = problem_table(problems)
    frame["sheet"] = [STRATEGY_TABLES[s].th if lang == "th" and s in STRATEGY_TABLES else s for s in frame["sheet"]]
    frame["reason"] = frame["reason_th"] if lang == "th" else frame["reason_en"]
    st.dataframe(frame[["sheet", "column", "value", "reason"]], hide_index=True, key="edit_problems", column_config={
        "sheet": t("col_sheet", lang), "column": t("col_column", lang), "value": t("col_value", lang),
        "reason": t("col_reason", lang)})


def current_lists(tables: Tables, lang: str) -> None:
    """The year's objectives, key results (with their KPIs) and End Products (with their units) as stored now."""
    def listed(table: str, columns: dict[str, str], extra: Callable[[dict], dict]) -> None:
        rows = [{name: clean_text(row.get(name)) for name in columns} | extra(row) for row in tables[table]]
        st.dataframe(pd.DataFrame(rows, columns=list(columns)), hide_index=True, key=f"editor_{table}",
                     column_config=columns)

    def joined(table: str, column: str, code: str, shown: Callable[[dict], str]) -> str:
        return ", ".join(shown(row) for row in tables[table] if row[column] == code)

    st.subheader(t("strategy_objectives", lang))
    listed("objectives", {"objective_code": t("col_objective_code", lang), "name_th": t("col_title", lang),
                          "dimension": t("col_dimension", lang), "thrust": t("col_thrust", lang)},
           lambda o: {"dimension": i18n.dimension_name(o["dimension"], lang, short=True),
                      "thrust": i18n.thrust_name(o["thrust"], lang)})
    st.subheader(t("strategy_key_results", lang))
    listed("key_results", {"key_result_code": t("col_key_result_code", lang), "objective_code":
                           t("col_objective_code", lang), "name_th": t("col_title", lang), "owner_unit":
                           t("col_unit_code", lang), "target": t("col_target", lang), "kpis": t("col_kpis", lang)},
           lambda k: {"kpis": joined("key_result_kpis", "key_result_code", k["key_result_code"],
                                     lambda m: f"{m['kpi_code']} {m['weight']:g}")})
    st.subheader(t("strategy_end_products", lang))
    listed("end_products", {"end_product_code": t("col_end_product_code", lang), "objective_code":
                            t("col_objective_code", lang), "name_th": t("col_title", lang), "units":
                            t("col_units", lang)},
           lambda e: {"units": joined("end_product_units", "end_product_code", e["end_product_code"],
                                      lambda u: f"{u['unit_code']} ({u['part']})" if u["part"] else u["unit_code"])})


def history(versions: pd.DataFrame, fiscal_year: int, lang: str) -> None:
    """Every version of the year's strategy, newest first, and the download of any one as a workbook."""
    if versions.empty:
        return
    st.subheader(t("strategy_versions", lang))
    frame = versions.assign(edit_summary=[change_text(s, lang) for s in versions["edit_summary"]],
                            loaded_at=i18n.date_texts(versions["loaded_at"], lang, with_time=True))
    st.dataframe(frame[["version", "edit_summary", "file_name", "objective_count", "key_result_count", "loaded_by",
                        "loaded_at"]], hide_index=True, key="strategy_versions", column_config={
        "version": t("col_version", lang), "edit_summary": t("col_edit_summary", lang),
        "file_name": t("col_file_name", lang), "objective_count": t("col_objective_count", lang),
        "key_result_count": t("col_key_result_count", lang), "loaded_by": t("col_loaded_by", lang),
        "loaded_at": t("col_loaded_at", lang)})
    by_version = versions.set_index("version", drop=False)
    choice = st.selectbox(t("download_version", lang), by_version.index.tolist(), key="strategy_version_choice",
                          format_func=lambda v: f"{t('version_n', lang, version=v)} · "
                                                f"{change_text(by_version.at[v, 'edit_summary'], lang)}")
    row = by_version.loc[choice]
    path = ingest.archive_path(db.uploads_dir(db.resolve_db_path()), row["file_name"], row["sha256"])
    if path.exists():
        st.download_button(t("download_strategy_version", lang), path.read_bytes,
                           file_name=f"strategy_{fiscal_year}_v{choice}{path.suffix}", on_click="ignore",
                           key="download_strategy_version", icon=":material/download:")
    else:
        st.caption(t("file_not_archived", lang))

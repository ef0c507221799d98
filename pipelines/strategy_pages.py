"""Read-side functions of the End Products, Alignment and PMQA 3:1:3 views of the strategy (issue 13): each runs
its page's queries (pipelines.queries) on the connection it is given and returns plain frames, as pipelines.reports
does for the other pages. The definitions are in docs/guides/executive.md."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import duckdb

from pipelines import queries
from pipelines.domain import PMQA_CATEGORIES, PMQA_GROUPS
from pipelines.lazy import lazy_module
from pipelines.scoring import aggregate_status

pd = lazy_module("pandas")

TARGET_SCORE = 3.0
"""Level 3, the target: a contributor scoring below it holds its End Product back."""


@dataclass(frozen=True)
class EndProductsView:
    end_products: pd.DataFrame
    """end_product_code, objective_code, name_th, name_en, objective_name_th/_en, key_result_count, score,
    reported_weight_pct, status: the End Products the subtree contributes to, in file order."""
    units: pd.DataFrame
    """end_product_code, unit_code, unit_name_th/_en, part, key_results (codes), key_result_count, score,
    reported_weight_pct, status: every contributing unit's part (see queries.END_PRODUCT_PARTS)."""
    handoffs: pd.DataFrame
    """handoff_number, end_product_code (None: of no End Product), from_unit, from_name_th/_en, to_unit,
    to_name_th/_en, what, from_status: the giving unit's part status in the End Product, or for a giver that is no
    contributor of it (or a hand-off of no End Product), the status of the giver's own KPIs (unit_scores)."""


def end_products_view(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int,
                      unit_code: str) -> EndProductsView:
    """The End Products page: what each unit of each End Product the subtree contributes to delivers, how it
    scores that quarter, and who hands what to whom."""
    params = {"fiscal_year": fiscal_year, "quarter": quarter, "unit": unit_code}
    scored = con.execute(queries.END_PRODUCT_PARTS, params).df()
    unit_columns = ["unit_code", "unit_name_th", "unit_name_en", "part", "key_results"]
    product_columns = ["objective_code", "name_th", "name_en", "objective_name_th", "objective_name_en"]
    products = scored[scored["unit_code"].isna()].drop(columns=unit_columns).reset_index(drop=True)
    units = scored[scored["unit_code"].notna()].drop(columns=product_columns).reset_index(drop=True)
    units["key_results"] = [list(codes) for codes in units["key_results"]]
    handoffs = con.execute(queries.END_PRODUCT_HANDOFFS, params).df()
    parts = {(row.end_product_code, row.unit_code): row.status for row in units.itertuples()}
    handoffs["from_status"] = [
        parts.get((product, giver)) or aggregate_status(_number(score), float(pct))
        for product, giver, score, pct in zip(handoffs["end_product_code"], handoffs["from_unit"],
                                              handoffs["from_unit_score"], handoffs["from_unit_reported_weight_pct"],
                                              strict=True)
    ]
    handoffs = handoffs.drop(columns=["from_unit_score", "from_unit_reported_weight_pct"])
    handoffs["end_product_code"] = handoffs["end_product_code"].astype(object).where(
        handoffs["end_product_code"].notna(), None)
    return EndProductsView(products, units, handoffs)


@dataclass(frozen=True)
class HeldBack:
    """Who holds an End Product back: the scored contributor with the lowest part score when it is below the
    target (None when every scored part reaches it), and the contributors with no score yet."""

    unit_code: str | None
    score: float | None
    status: str | None
    unscored: list[str]


def holding_back(parts: pd.DataFrame) -> HeldBack:
    """Of one End Product's parts (rows of EndProductsView.units): the lowest-scoring contributor below level 3
    (the first in file order on a tie), and the units whose part has no score (not reported, or no key result)."""
    scored = parts[parts["score"].notna()]
    unscored = parts.loc[parts["score"].isna(), "unit_code"].tolist()
    if scored.empty:
        return HeldBack(None, None, None, unscored)
    lowest = scored.loc[scored["score"].idxmin()]
    if lowest["score"] >= TARGET_SCORE - 1e-9:
        return HeldBack(None, None, None, unscored)
    return HeldBack(str(lowest["unit_code"]), float(lowest["score"]), str(lowest["status"]), unscored)


@dataclass(frozen=True)
class AlignmentView:
    plan_items: pd.DataFrame
    """plan_code, level, name_th, name_en, parent_code, kpi_count, weight, weight_share_pct: every plan item of the
    year in file order (ALIGNMENT_BY_PLAN_ITEM)."""
    unserved: pd.DataFrame
    """kpi_code, name_th, name_en, dimension, unit_code, unit_name_th/_en, weight: the first UNSERVED_LISTED KPIs of
    units that serve no objective, in org and catalogue order (alignment_unserved has them all)."""
    unserved_count: int
    """How many KPIs of units serve no objective."""
    kpi_count: int
    """KPIs of units (KPI x owner) of the subtree that year."""
    weight: float
    """Their weight in all: the denominator of every share."""
    objective_share_pct: float
    """Share of that weight serving at least one objective."""
    plan_share_pct: float
    """Share of that weight serving at least one plan item (through an objective that names one)."""


UNSERVED_LISTED = 200
"""The Alignment page lists this many KPIs serving no objective; its download reads them all."""


def alignment_view(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str) -> AlignmentView:
    """The Alignment page: how much of the subtree's KPI weight serves each plan item, and which KPIs serve none."""
    params = {"fiscal_year": fiscal_year, "unit": unit_code}
    plan_items = con.execute(queries.ALIGNMENT_BY_PLAN_ITEM, params).df()
    unserved = con.execute(queries.ALIGNMENT_UNSERVED, params | {"limit": UNSERVED_LISTED}).df()
    count, weight, objective_weight, plan_weight, unserved_count = con.execute(
        queries.ALIGNMENT_TOTALS, params).fetchone()
    weight = float(weight)

    def share(part: float) -> float:
        return 100 * float(part) / weight if weight else 0.0

    return AlignmentView(plan_items, unserved, int(unserved_count), int(count), weight, share(objective_weight),
                         share(plan_weight))


def alignment_unserved(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str) -> pd.DataFrame:
    """Every KPI of a unit of the subtree that serves no objective (the Alignment page's download)."""
    return con.execute(queries.ALIGNMENT_UNSERVED, {"fiscal_year": fiscal_year, "unit": unit_code,
                                                    "limit": None}).df()


STAGES = tuple(PMQA_GROUPS)
"""The 3:1:3 stages in order: think (categories 1, 3, 7), prepare (2), do (4, 5, 6); the mapping is
domain.PMQA_CATEGORIES."""


def stage_of(category: int) -> str:
    """The 3:1:3 stage a PMQA category belongs to."""
    return PMQA_CATEGORIES[int(category)][2]


def objective_stages(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> pd.DataFrame:
    """The PMQA page's 3:1:3 view: per objective of the year, the categories its key results draw on in each
    stage (a key result's categories: the strategy file's, else its KPIs'), and `only_do` for an objective that
    draws on "do" without "think" or "prepare"."""
    rows = con.execute(queries.OBJECTIVE_PMQA, {"fiscal_year": fiscal_year}).fetchall()
    out = []
    for (code, name_th, name_en, dimension), group in groupby(rows, key=lambda row: row[:4]):
        key_results = list(group)
        categories = sorted({int(c) for *_, pmqa in key_results for c in pmqa})
        by_stage = {stage: [c for c in categories if stage_of(c) == stage] for stage in STAGES}
        out.append({"objective_code": code, "name_th": name_th, "name_en": name_en, "dimension": dimension,
                    "key_result_count": len(key_results), **by_stage,
                    "only_do": bool(by_stage["do"]) and not by_stage["think"] and not by_stage["prepare"]})
    columns = ["objective_code", "name_th", "name_en", "dimension", "key_result_count", *STAGES, "only_do"]
    return pd.DataFrame(out, columns=columns)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)

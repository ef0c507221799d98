"""The reads of the OKR page and the strategy map (issue 13): one fiscal year's objectives, key results and KPIs
with their progress and status in a quarter, from the public views of views_strategy.sql (okr_progress: a key
result's score is the weighted score of its KPIs, progress % = 100 x min(score, 3) / 3; docs/domain.md section 10).

Each function takes the connection and returns plain frames, as `pipelines.reports` does (which re-exports them
for the dashboard's cached reads and the benchmark)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines import queries
from pipelines.lazy import lazy_module

pd = lazy_module("pandas")

SEVERITY = ("off_track", "at_risk", "provisional", "not_reported", "on_track")
"""The order objectives are listed in on the OKR page: those off track first, then at risk, then those without a
verdict yet (provisional: under half the weight reported; not reported), on track last."""
AT_RISK = ("off_track", "at_risk")
"""The statuses an executive is warned of: below level 3 (off track) or short of it (at risk)."""


@dataclass(frozen=True)
class OkrView:
    objectives: pd.DataFrame
    """objective_code, name_th, name_en, dimension, thrust, plan_code, owner_unit, owner_executive, score,
    progress_pct, status, reported_weight_pct, key_result_owners (unit codes): those the unit's subtree owns or
    holds a key result of, the most severe status first (SEVERITY), then the least progress, then file order."""
    key_results: pd.DataFrame
    """objective_code, key_result_code, name_th, name_en, owner_unit, target, due_quarter, weight, score,
    progress_pct, status, reported_weight_pct: those the subtree owns, in file order."""
    kpis: pd.DataFrame
    """key_result_code, kpi_code, name_th, name_en, weight, actual, score, status: the KPIs measuring those key
    results, with the owner unit's result in the quarter."""
    has_strategy: bool
    """Whether the fiscal year has a strategy at all (else the unit holds no part of it)."""


@dataclass(frozen=True)
class StrategyMap:
    objectives: pd.DataFrame
    """objective_code, name_th, name_en, dimension, plan_code, owner_unit, score, progress_pct, status,
    reported_weight_pct: every objective of the year, in file order."""
    links: pd.DataFrame
    """from_objective, to_objective: cause and effect."""
    plan_items: pd.DataFrame
    """plan_code, name_th, name_en, level, parent_code: the year's plan hierarchy."""


def okr_view(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str) -> OkrView:
    """The OKR page: the objectives the unit's subtree takes part in, their key results and KPIs; okr_progress is
    read once for the objectives and the key results."""
    year, period = {"fiscal_year": fiscal_year, "unit": unit_code}, {"fiscal_year": fiscal_year, "quarter": quarter}
    progress = con.execute(queries.OKR_PROGRESS, period).df()
    of_objectives = progress[progress["key_result_code"].isna()].drop(columns="key_result_code")
    of_results = progress[progress["key_result_code"].notna()].drop(columns="objective_code")
    objectives = con.execute(queries.OKR_OBJECTIVES, year).df().merge(of_objectives, how="left", on="objective_code")
    key_results = con.execute(queries.OKR_KEY_RESULTS, year).df().merge(of_results, how="left", on="key_result_code")
    for frame in (objectives, key_results):
        frame["status"] = frame["status"].fillna("not_reported")
    severity = objectives["status"].map({status: rank for rank, status in enumerate(SEVERITY)})
    objectives = (objectives.assign(_severity=severity, _position=range(len(objectives)))
                  .sort_values(["_severity", "progress_pct", "_position"], na_position="last")
                  .drop(columns=["_severity", "_position"]).reset_index(drop=True))
    has_strategy = fiscal_year in {year for (year,) in con.execute(queries.STRATEGY_YEARS).fetchall()}
    return OkrView(objectives, key_results, con.execute(queries.OKR_KPIS, year | period).df(), has_strategy)


def strategy_map(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int) -> StrategyMap:
    """The strategy map: every objective of the year with its status, cause and effect, the plan hierarchy."""
    params = {"fiscal_year": fiscal_year, "quarter": quarter}
    return StrategyMap(con.execute(queries.MAP_OBJECTIVES, params).df(),
                       con.execute(queries.MAP_LINKS, {"fiscal_year": fiscal_year}).df(),
                       con.execute(queries.MAP_PLAN_ITEMS, {"fiscal_year": fiscal_year}).df())


def plan_chain(plan_items: pd.DataFrame, plan_code: str | None) -> list[str]:
    """The plan item and every item above it, from the item up to the top of the hierarchy (no loop: the loader
    refuses one); [] for none or a code not in `plan_items`."""
    parents = dict(zip(plan_items["plan_code"], plan_items["parent_code"], strict=True))
    chain: list[str] = []
    while isinstance(plan_code, str) and plan_code in parents and plan_code not in chain:
        chain.append(plan_code)
        plan_code = parents[plan_code]
    return chain

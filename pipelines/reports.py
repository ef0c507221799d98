"""Read-side functions shared by the CLI and the dashboard: scores and lookups from the public views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipelines import queries
from pipelines.calendar import QUARTERS, previous_quarter, quarter_of_ordinal, quarter_ordinal
from pipelines.domain import DIMENSIONS, PMQA_CATEGORIES, PMQA_GROUPS, STATUSES
from pipelines.forecast import AS_OF_QUARTERS
from pipelines.lazy import lazy_module
from pipelines.periods import TIMELINESS
from pipelines.scoring import aggregate_status, enough_reported, progress_pct, score_results

np = lazy_module("numpy")
pd = lazy_module("pandas")

SCORE_QUERIES = {
    "unit": queries.SCORES_BY_UNIT,
    "dimension": queries.SCORES_BY_DIMENSION,
    "kpi": queries.SCORES_BY_KPI,
    "pmqa": queries.SCORES_BY_PMQA,
}


def scores(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, by: str = "unit",
           unit_code: str | None = None) -> pd.DataFrame:
    """Scores of one fiscal year and quarter, grouped as asked (unit, dimension, kpi or pmqa), with each row's
    status from the views (a unit's or dimension's provisional below half reported: views.sql's macros); only
    `unit_code`'s rows when given (not for pmqa)."""
    query, params = SCORE_QUERIES[by], [fiscal_year, quarter]
    if unit_code is not None:
        query, params = f"SELECT * FROM ({query}) WHERE unit_code = ?", [*params, unit_code]
    return con.execute(query, params).df()


def catalogue_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [row[0] for row in con.execute(queries.CATALOGUE_YEARS).fetchall()]


def strategy_loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every strategy load, newest first: year, file, counts, who and when (the admin page's history)."""
    return con.execute(queries.STRATEGY_LOADS).df()


def strategy_versions(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> pd.DataFrame:
    """Every version of the year's strategy, newest first, numbered from 1: each file load and each in-app edit
    (edit_summary says what it changed), with its archived file's name and sha256 (the strategy editor's history)."""
    return con.execute(queries.STRATEGY_VERSIONS, [fiscal_year]).df()


def org_unit(con: duckdb.DuckDBPyConnection, code: str) -> dict[str, str] | None:
    row = con.execute(queries.SELECT_ORG_UNIT, [code]).fetchone()
    return dict(zip(("code", "name_th", "name_en", "parent_code", "level"), row, strict=True)) if row else None


def kpis_owned_by(con: duckdb.DuckDBPyConnection, unit_code: str, fiscal_year: int) -> list[dict[str, object]]:
    """The unit's KPIs of the year, in catalogue order, as the template writer wants them."""
    frame = con.execute(queries.KPIS_OWNED_BY, [fiscal_year, unit_code]).df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# --- dashboard ---------------------------------------------------------------------------------------
# One function per dashboard page: each runs that page's queries on the connection it is given and returns
# plain frames, so the dashboard's cache can keep them and the benchmark can time them without Streamlit.
# A page over a large subtree fetches only what it draws; its downloads read the rest when clicked.

BELOW_TARGET_LIMIT = 10
DIMENSION_BARS = 50
"""The dimensions page draws this many results at most: the lowest scores."""
DIMENSION_LISTED = 20
"""... and names this many unreported results at most."""
DIMENSION_UNITS = 40
"""... and draws the weight of this many units at most, in org order."""
SPARKLINE_QUARTERS = 8
SUBMITTED, PARTIAL, NOT_SUBMITTED = "submitted", "partial", "not_submitted"
STATES = (SUBMITTED, PARTIAL, NOT_SUBMITTED)
"""A unit's submission state in one quarter: every owned KPI reported, some left empty, or no submission
(decided in queries._SUBMISSION_CELLS)."""
SUBMISSION_UNITS = 60
"""The submission status page draws this many units at most."""


@dataclass(frozen=True)
class Periods:
    fiscal_years: list[int]
    """Fiscal years (BE) with a catalogue, oldest first."""
    latest: tuple[int, int] | None
    """(fiscal year, quarter) of the latest submission, None when nothing was submitted yet."""
    default: tuple[int, int] | None
    """The quarter the dashboard opens on (default_period); None when nothing was submitted yet."""


@dataclass(frozen=True)
class Overview:
    has_kpis: bool
    """Whether the subtree owns any KPI in the selected or previous fiscal year."""
    score: float | None
    """The subtree's weighted score in the selected quarter (agency: the agency-wide score of unit_scores)."""
    reported_weight_pct: float
    status: str
    """scoring.aggregate_status of the score: provisional while less than half the weight is reported."""
    previous_score: float | None
    """The same score one quarter earlier (before Q1 comes Q4 of the previous fiscal year)."""
    dimensions: pd.DataFrame
    """Four rows in dimension order: dimension, score, reported_weight_pct, weight_share_pct, status."""
    trend: pd.DataFrame
    """fiscal_year, quarter, dimension, score, reported_weight_pct, status for every quarter of both fiscal years."""
    heat: pd.DataFrame
    """unit_code, name_th, name_en, own_kpis_only, dimension, score, reported_weight_pct, status: child units x
    dimension."""
    below_target: pd.DataFrame
    """The KPIs of the subtree with the lowest scores among those below the target level, with progress_pct."""


@dataclass(frozen=True)
class DimensionView:
    score: float | None
    """The subtree's weighted score in the dimension."""
    reported_weight_pct: float
    status: str
    """scoring.aggregate_status of the score."""
    result_count: int
    """Results (KPI x owner unit) of the subtree in the dimension; dimension_results lists them all."""
    scored_count: int
    lowest: pd.DataFrame
    """The DIMENSION_BARS scored results with the lowest scores, in org order, with progress_pct."""
    unreported: pd.DataFrame
    """kpi_code, unit_code of the first DIMENSION_LISTED results not reported, in org order."""
    status_counts: pd.DataFrame
    """status, count for every status of DOMAIN section 6, in that order."""
    weight_by_unit: pd.DataFrame
    """unit_code, name_th, name_en, weight_share_pct, score: what each unit of the subtree puts on the dimension, the
    first DIMENSION_UNITS units in org order (dimension_weights has them all)."""
    unit_count: int
    """How many units of the subtree have KPIs in the quarter (the rows of dimension_weights)."""


@dataclass(frozen=True)
class UnitScorecard:
    results: pd.DataFrame
    """The unit's own KPIs in the selected quarter, with progress_pct and `trend` (scores of the last quarters)."""
    trend_labels: list[tuple[int, int]]
    """The (fiscal year, quarter) of each point of `trend`."""
    dimensions: pd.DataFrame
    """dimension, score, reported_weight_pct, status from dimension_scores (the agency's row is agency-wide)."""
    peers: pd.DataFrame
    """code, name_th, name_en, level, score, reported_weight_pct, is_selected, status: the unit beside its
    siblings."""


@dataclass(frozen=True)
class KpiDetail:
    definition: dict[str, object] | None
    results: pd.DataFrame
    """quarter, unit_code, unit names, actual, score, weight, status, version: each owner in the subtree."""
    versions: pd.DataFrame
    """Every submitted version of the KPI's values, newest first within a quarter, with note and evidence."""


@dataclass(frozen=True)
class PmqaView:
    categories: pd.DataFrame
    """category 1-7 (gaps included), pmqa_group, kpi_count, weight_share_pct, reported_count, reported_pct, score."""
    groups: pd.DataFrame
    """pmqa_group (think/prepare/do), same measures, each KPI counted once per group."""
    matrix: pd.DataFrame
    """The KPI x category matrix of the subtree's first PMQA_MATRIX_ROWS KPIs (`pmqa_matrix`)."""
    kpi_total: int
    """How many KPIs the subtree owns: 0 means the page has nothing to show."""


def periods(con: duckdb.DuckDBPyConnection) -> Periods:
    latest = con.execute(queries.DASHBOARD_LATEST_PERIOD).fetchone()
    return Periods(catalogue_years(con), (int(latest[0]), int(latest[1])) if latest else None, default_period(con))


def default_period(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """The quarter the dashboard opens on (DOMAIN section 8): the latest quarter whose agency-wide reported weight
    is at least scoring.PROVISIONAL_BELOW_PCT; where none is, the latest quarter with any submission. So one
    division's early file does not move every executive to a quarter that is barely reported."""
    submitted = [(int(year), int(quarter), pct) for year, quarter, pct in
                 con.execute(queries.DASHBOARD_SUBMITTED_PERIODS).fetchall()]
    if not submitted:
        return None
    complete = [(year, quarter) for year, quarter, pct in submitted if enough_reported(pct)]
    return complete[0] if complete else submitted[0][:2]


def with_status(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with `status`: scoring.aggregate_status of each row's score and reported_weight_pct."""
    frame = frame.copy()
    frame["status"] = [
        aggregate_status(_none_if_nan(score), _none_if_nan(pct))
        for score, pct in zip(frame["score"], frame["reported_weight_pct"], strict=True)
    ]
    return frame.astype({"status": object})


@dataclass(frozen=True)
class FilterOptions:
    periods: Periods
    units: pd.DataFrame
    """reports.org_units_tree: every unit depth-first with its depth."""


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """What the dashboard's sidebar offers: fiscal years, the latest submitted quarter, the org tree."""
    return FilterOptions(periods(con), org_units_tree(con))


def org_units_tree(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Org units depth-first (each unit followed by the units below it), with their depth in the tree."""
    return con.execute(queries.ORG_UNITS_DEPTH_FIRST).df().astype({"depth": "int64"})


def _with_progress(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["progress_pct"] = [
        _none_if_nan(progress_pct(_none_if_nan(actual), _none_if_nan(target), direction))
        for actual, target, direction in zip(frame["actual"], frame["target"], frame["direction"], strict=True)
    ]
    frame["progress_pct"] = frame["progress_pct"].astype("float64")
    return frame


def _none_if_nan(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def overview(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str) -> Overview:
    """The overview page: the subtree's scores over two fiscal years, its child units by dimension, its worst KPIs."""
    scores = con.execute(
        queries.DASHBOARD_SUBTREE_SCORES, {"unit": unit_code, "first_year": fiscal_year - 1, "last_year": fiscal_year}
    ).df()
    overall = scores[scores["dimension"].isna()].set_index(["fiscal_year", "quarter"])
    trend = scores[scores["dimension"].notna()]
    current = trend[(trend["fiscal_year"] == fiscal_year) & (trend["quarter"] == quarter)]
    cards = current.set_index("dimension").reindex(list(DIMENSIONS)).rename_axis("dimension").reset_index()
    cards["reported_weight_pct"] = cards["reported_weight_pct"].fillna(0.0)
    total_weight = cards["weight"].sum()
    cards["weight_share_pct"] = 100 * cards["weight"].fillna(0.0) / total_weight if total_weight else 0.0
    cards = with_status(cards)
    period = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter}
    heat = with_status(con.execute(queries.DASHBOARD_CHILD_DIMENSION_SCORES, period).df())
    below = con.execute(queries.DASHBOARD_BELOW_TARGET, period | {"limit": BELOW_TARGET_LIMIT}).df()
    score = _none_if_nan(overall["score"].get((fiscal_year, quarter)))
    reported_weight_pct = float(overall["reported_weight_pct"].get((fiscal_year, quarter), 0.0))
    return Overview(
        has_kpis=not scores.empty,
        score=score,
        reported_weight_pct=reported_weight_pct,
        status=aggregate_status(score, reported_weight_pct),
        previous_score=_none_if_nan(overall["score"].get(previous_quarter(fiscal_year, quarter))),
        dimensions=cards.drop(columns=["fiscal_year", "quarter", "weight"]),
        trend=with_status(trend.drop(columns="weight").reset_index(drop=True)),
        heat=heat,
        below_target=_with_progress(below),
    )


def dimension_view(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str, dimension: str
) -> DimensionView:
    """The dimensions page: the subtree's score and statuses in one dimension (summed from kpi_result_total),
    the results it draws (the lowest scores) and what each unit puts on the dimension."""
    params = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter, "dimension": dimension}
    totals = con.execute(queries.DASHBOARD_DIMENSION_TOTALS, params).df().iloc[0]
    lowest = con.execute(queries.DASHBOARD_DIMENSION_LOWEST, params | {"limit": DIMENSION_BARS}).df()
    unreported = con.execute(queries.DASHBOARD_DIMENSION_UNREPORTED, params | {"limit": DIMENSION_LISTED}).df()
    weights = con.execute(queries.DASHBOARD_DIMENSION_WEIGHT_BY_UNIT, params | {"limit": DIMENSION_UNITS}).df()
    unit_count = int(weights["unit_total"].iloc[0]) if not weights.empty else 0
    counts = pd.DataFrame({"status": list(STATUSES), "count": [int(totals[status]) for status in STATUSES]})
    score, reported_weight_pct = _none_if_nan(totals["score"]), float(totals["reported_weight_pct"])
    return DimensionView(
        score=score, reported_weight_pct=reported_weight_pct, status=aggregate_status(score, reported_weight_pct),
        result_count=int(totals["result_count"]), scored_count=int(totals["scored_count"]),
        lowest=_with_progress(lowest), unreported=unreported, status_counts=counts,
        weight_by_unit=weights.drop(columns="unit_total"), unit_count=unit_count,
    )


def dimension_weights(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str, dimension: str
) -> pd.DataFrame:
    """What every unit of the subtree puts on the dimension, in org order (the dimensions page's download)."""
    params = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter, "dimension": dimension, "limit": None}
    return con.execute(queries.DASHBOARD_DIMENSION_WEIGHT_BY_UNIT, params).df().drop(columns="unit_total")


def dimension_results(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str, dimension: str
) -> pd.DataFrame:
    """Every result of the subtree in the dimension, in org order, with progress_pct (the page's download)."""
    params = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter, "dimension": dimension}
    return _with_progress(con.execute(queries.DASHBOARD_SUBTREE_RESULTS, params).df())


def unit_scorecard(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str) -> UnitScorecard:
    """The units page: one unit's own KPIs (as unit_scores scores it) with recent history, and its peers."""
    last = quarter_ordinal(fiscal_year, quarter)
    history = con.execute(
        queries.DASHBOARD_UNIT_RESULTS,
        {"unit": unit_code, "first_ordinal": last - SPARKLINE_QUARTERS + 1, "last_ordinal": last},
    ).df()
    labels = [quarter_of_ordinal(ordinal) for ordinal in range(last - SPARKLINE_QUARTERS + 1, last + 1)]
    current = history[(history["fiscal_year"] == fiscal_year) & (history["quarter"] == quarter)]
    trend = {
        code: dict(zip(zip(group["fiscal_year"], group["quarter"], strict=True), group["score"], strict=True))
        for code, group in history.groupby("kpi_code")
    }
    order = {code: position for position, code in enumerate(DIMENSIONS)}
    current = current.sort_values(["dimension", "kpi_code"], key=lambda c: c.map(order) if c.name == "dimension" else c)
    current = _with_progress(current.reset_index(drop=True))
    current["trend"] = [[_none_if_nan(trend[code].get(label)) for label in labels] for code in current["kpi_code"]]
    period = {"fiscal_year": fiscal_year, "quarter": quarter}
    dimensions = pd.DataFrame(columns=["dimension", "score", "reported_weight_pct"])
    if not current.empty:  # a unit that owns no KPI has no dimension table to head
        dimensions = con.execute(queries.DASHBOARD_UNIT_DIMENSION_SCORES, period | {"unit": unit_code}).df()
    dimensions = with_status(dimensions)
    peers = with_status(con.execute(queries.DASHBOARD_UNIT_PEERS, period | {"unit": unit_code}).df())
    return UnitScorecard(current, labels, dimensions, peers)


def kpi_choices(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str) -> pd.DataFrame:
    """kpi_code, name_th, name_en, dimension of every KPI owned in the subtree that fiscal year, in code order."""
    return con.execute(queries.DASHBOARD_SUBTREE_KPIS, {"unit": unit_code, "fiscal_year": fiscal_year}).df()


def kpi_detail(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str, kpi_code: str) -> KpiDetail:
    params = {"fiscal_year": fiscal_year, "kpi_code": kpi_code}
    definition = con.execute(queries.DASHBOARD_KPI_DEFINITION, params).df()
    record = None
    if not definition.empty:
        record = {key: _plain(value) for key, value in definition.iloc[0].items()}
    results = con.execute(queries.DASHBOARD_KPI_RESULTS, params | {"unit": unit_code}).df()
    versions = con.execute(queries.DASHBOARD_KPI_VERSIONS, params | {"unit": unit_code}).df()
    return KpiDetail(record, results, versions)


def kpi_evidence(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str, kpi_code: str) -> pd.DataFrame:
    """The evidence files of the KPI's latest results in the subtree (public view evidence_files): quarter,
    unit_code, unit_name_th, unit_name_en, version, file_name, media_type, size_bytes, sha256, uploaded_by,
    uploaded_at."""
    return con.execute(queries.DASHBOARD_KPI_EVIDENCE,
                       {"fiscal_year": fiscal_year, "unit": unit_code, "kpi_code": kpi_code}).df()


def _plain(value: object) -> object:
    """A scalar from a frame cell as Python sees it: NaN/NA become None, numpy arrays become lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return None if pd.isna(value) else value


def pmqa_view(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str) -> PmqaView:
    """The PMQA page: coverage of the seven categories by the subtree's KPIs (as the pmqa_coverage view counts)."""
    categories = list(PMQA_CATEGORIES)
    frame = con.execute(
        queries.DASHBOARD_PMQA_COVERAGE,
        {
            "unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter,
            "categories": categories, "groups": [PMQA_CATEGORIES[c][2] for c in categories],
        },
    ).df()
    frame["reported_pct"] = (100 * frame["reported_count"] / frame["kpi_count"].where(frame["kpi_count"] > 0))
    by_category = frame[frame["category"].notna()].astype({"category": "int64"}).sort_values("category")
    by_group = frame[frame["category"].isna()].drop(columns="category")
    by_group = by_group.set_index("pmqa_group").reindex(list(PMQA_GROUPS)).reset_index()
    matrix = pmqa_matrix(con, fiscal_year, unit_code, PMQA_MATRIX_ROWS)
    total = int(matrix["kpi_total"].iloc[0]) if not matrix.empty else 0
    return PmqaView(by_category.reset_index(drop=True), by_group, matrix.drop(columns="kpi_total"), total)


PMQA_MATRIX_ROWS = 200
"""KPIs the PMQA page's matrix shows; a ministry's subtree owns tens of thousands: the rest is in its download."""


def pmqa_matrix(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str,
                limit: int | None = None) -> pd.DataFrame:
    """kpi_code, name_th, name_en, dimension, c1..c7 (whether the KPI serves PMQA category n) and kpi_total, for the
    first `limit` KPIs of the subtree in code order (all when None), built in SQL."""
    return con.execute(queries.DASHBOARD_PMQA_MATRIX,
                       {"unit": unit_code, "fiscal_year": fiscal_year, "limit": limit}).df()


PMQA_SMALL_WEIGHT_PCT = 5.0
"""A category holding less than this share of the KPI weight is called out as thinly covered."""


def pmqa_gaps(categories: pd.DataFrame) -> list[dict[str, object]]:
    """Coverage gaps in category order: {'category', 'gap': 'no_kpi' | 'small_weight', 'weight_share_pct'}."""
    gaps = []
    for row in categories.itertuples():
        if row.kpi_count == 0:
            gaps.append({"category": int(row.category), "gap": "no_kpi", "weight_share_pct": 0.0})
        elif row.weight_share_pct < PMQA_SMALL_WEIGHT_PCT:
            gaps.append({"category": int(row.category), "gap": "small_weight",
                         "weight_share_pct": float(row.weight_share_pct)})
    return gaps


@dataclass(frozen=True)
class SubmissionStatus:
    unit_count: int
    """Units of the subtree that own KPIs in the fiscal year."""
    counts: pd.DataFrame
    """quarter 1-4 and how many of those units submitted, partly reported, did not submit (STATES)."""
    reported: pd.DataFrame
    """quarter 1-4, score, reported_weight_pct, status of the subtree: how complete each quarter is."""
    shown: pd.DataFrame
    """The cells of at most SUBMISSION_UNITS units (submission_matrix's columns): every unit in org order when
    they fit; otherwise those furthest behind in the selected quarter first (not submitted, then most KPIs
    missing), then in org order."""


def submission_status(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str
) -> SubmissionStatus:
    """The submission status page: counts per quarter and the part of the unit x quarter matrix it draws."""
    params = {"unit": unit_code, "fiscal_year": fiscal_year}
    shown = con.execute(queries.DASHBOARD_SUBMISSION_SHOWN,
                        params | {"quarter": quarter, "limit": SUBMISSION_UNITS}).df()
    counted = [*STATES, "unit_count"]
    counts = shown.groupby("quarter")[counted].first()
    shown = shown.drop(columns=counted)
    reported = con.execute(queries.DASHBOARD_SUBMISSION_REPORTED, params).df().set_index("quarter")
    reported = reported.reindex(list(QUARTERS)).fillna({"reported_weight_pct": 0.0}).rename_axis("quarter")
    unit_count = int(counts["unit_count"].max()) if not counts.empty else 0
    counts = counts.reindex(index=list(QUARTERS), columns=list(STATES), fill_value=0).astype("int64")
    return SubmissionStatus(unit_count, counts.rename_axis("quarter").reset_index(),
                            with_status(reported.reset_index()), shown)


def submission_matrix(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str) -> pd.DataFrame:
    """Unit x quarter of the fiscal year for every unit of the subtree that owns KPIs, with its state (the
    submission status page's download)."""
    return con.execute(queries.DASHBOARD_SUBMISSION_MATRIX, {"unit": unit_code, "fiscal_year": fiscal_year}).df()


@dataclass(frozen=True)
class Timeliness:
    units: pd.DataFrame
    """unit_code, name_th, name_en, quarter, deadline, first_submitted_at, latest_version, timeliness, days_late:
    the units of the subtree that own KPIs, per quarter, as the view submission_timeliness judges them, of the
    timeliness `listed` only (late and overdue unless asked otherwise: at 5M the subtree has 100,000 unit quarters,
    the page lists the late ones); days_late counts the days after the deadline day (late: to version 1; overdue:
    to `today`), NULL otherwise."""
    counts: pd.DataFrame
    """quarter 1-4, deadline (NaT = none set) and how many units are in each timeliness (periods.TIMELINESS)."""


LATE = ("late", "overdue")
"""The timeliness the submission page lists unit by unit."""


def submission_timeliness(
    con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str, today: dt.date,
    listed: tuple[str, ...] = LATE, quarter: int | None = None,
) -> Timeliness:
    """The subtree's units per quarter in each timeliness (counted in SQL), and the units whose timeliness is one of
    `listed` (of `quarter` only, when given): the submission status page and the executive report.
    `today` is the day overdue units are counted to; passing it keeps a cached answer from outliving its day."""
    units = con.execute(
        queries.DASHBOARD_TIMELINESS, {"unit": unit_code, "fiscal_year": fiscal_year, "today": today,
                                       "listed": list(listed), "quarter": quarter}
    ).df()
    return Timeliness(units.astype({"days_late": "Int64"}), timeliness_counts(con, fiscal_year, unit_code, today))


def timeliness_counts(con: duckdb.DuckDBPyConnection, fiscal_year: int, unit_code: str,
                      today: dt.date) -> pd.DataFrame:
    """How many units of the subtree are in each timeliness per quarter, counted in SQL (the overview shows only
    these; the submission page and the report beside the units they list). `today` is not a parameter of the
    query, but the view judges overdue units against the current date: passing it keeps a cached answer from
    outliving its day."""
    del today  # the cache key's part only (see above)
    groups = con.execute(queries.DASHBOARD_TIMELINESS_COUNTS, {"unit": unit_code, "fiscal_year": fiscal_year}).df()
    return _timeliness_counts(groups)


def _timeliness_counts(groups: pd.DataFrame) -> pd.DataFrame:
    """quarter, deadline and one column per timeliness from rows of quarter, timeliness, deadline and `units` (how
    many units that row stands for)."""
    counts = groups.pivot_table(index="quarter", columns="timeliness", values="units", aggfunc="sum")
    counts = counts.reindex(index=list(QUARTERS), columns=list(TIMELINESS)).fillna(0).astype("int64")
    deadlines = groups.groupby("quarter")["deadline"].first().reindex(list(QUARTERS))
    counts.insert(0, "deadline", pd.to_datetime(deadlines))
    counts.columns.name = None
    return counts.rename_axis("quarter").reset_index()



# --- year-end forecasts (docs/reference/forecast.md) -----------------------------------------------------------
# The projections are read from the view kpi_forecasts, which pipelines.forecast fills when the snapshot is
# published: a page never recomputes a forecast or a backtest.

FORECAST_AT_RISK_LIMIT = 20
"""The overview lists this many KPIs at risk by year end at most: the lowest projected scores."""


@dataclass(frozen=True)
class YearEndOutlook:
    as_of_quarter: int
    score: float | None
    """The subtree's projected year-end weighted score: the projected scores weighted as stored scores are."""
    projected_weight_pct: float
    """The share of the subtree's weight that has a projection (a KPI with nothing reported yet has none)."""
    status: str
    """aggregate_status of the projected score and that share (provisional below half)."""
    dimensions: pd.DataFrame
    """Four rows in dimension order: dimension, score, projected_weight_pct, status."""
    at_risk: pd.DataFrame
    """At most FORECAST_AT_RISK_LIMIT KPIs of the subtree on track or at risk in the quarter and projected to end
    the year below level 3: kpi_forecasts' columns, the names, today's score, status and weight, score_low and
    score_high (the scores of the interval's ends, the lower first), lowest projected score first."""
    at_risk_count: int
    """How many KPIs are at risk by year end in all."""
    methods: pd.DataFrame
    """method, count: how many of the subtree's projections each forecast method made."""


def interval_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with score_low and score_high: the scores of each projection's `low` and `high` under its KPI's
    rule (t1..t5, direction, kind), the lower first whatever the direction, as pipelines.forecast gives them."""
    frame = frame.copy()
    thresholds = frame[["t1", "t2", "t3", "t4", "t5"]].to_numpy(dtype=float, na_value=np.nan)
    ends = [score_results(frame[end].to_numpy(dtype=float), thresholds, frame["direction"].to_numpy(),
                          frame["kind"].to_numpy()) for end in ("low", "high")]
    frame["score_low"], frame["score_high"] = np.fmin(*ends), np.fmax(*ends)
    return frame


def year_end_outlook(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int,
                     unit_code: str) -> YearEndOutlook | None:
    """The overview's year-end projection for the subtree as of the selected quarter; None at Q4, when the
    year-end result is known and there is nothing to project."""
    if quarter not in AS_OF_QUARTERS:
        return None
    params = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter}
    scores = con.execute(queries.DASHBOARD_FORECAST_SCORES, params).df()
    overall = scores[scores["dimension"].isna()]
    dimensions = scores[scores["dimension"].notna()].set_index("dimension").reindex(list(DIMENSIONS))
    dimensions = dimensions.rename_axis("dimension").reset_index()
    dimensions["projected_weight_pct"] = dimensions["projected_weight_pct"].fillna(0.0)
    dimensions["status"] = dimensions["status"].fillna("not_reported").astype(object)
    at_risk = con.execute(queries.DASHBOARD_FORECAST_AT_RISK, params | {"limit": FORECAST_AT_RISK_LIMIT}).df()
    score = _none_if_nan(overall["score"].iloc[0]) if not overall.empty else None
    pct = float(overall["projected_weight_pct"].iloc[0]) if not overall.empty else 0.0
    return YearEndOutlook(
        as_of_quarter=quarter, score=score, projected_weight_pct=pct, status=aggregate_status(score, pct),
        dimensions=dimensions, at_risk=interval_scores(at_risk),
        at_risk_count=int(at_risk["total"].iloc[0]) if not at_risk.empty else 0,
        methods=con.execute(queries.DASHBOARD_FORECAST_METHODS, params).df(),
    )


def kpi_projection(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit_code: str,
                   kpi_code: str) -> pd.DataFrame:
    """One KPI's year-end projection as of the selected quarter for each owner in the subtree (kpi_forecasts'
    columns, unit names, score_low, score_high); empty at Q4 and where nothing was reported by that quarter."""
    params = {"unit": unit_code, "fiscal_year": fiscal_year, "quarter": quarter, "kpi_code": kpi_code}
    return interval_scores(con.execute(queries.DASHBOARD_KPI_FORECASTS, params).df())


def waiting_for_review(con: duckdb.DuckDBPyConnection, fiscal_year: int, quarter: int, unit: str) -> list[str]:
    """The units of the subtree whose latest version of the quarter waits for review (approval_status 'submitted'):
    the dashboard marks their figures unapproved when it includes them, and says they are left out otherwise."""
    return [row[0] for row in con.execute(
        queries.WAITING_IN_SUBTREE, {"fiscal_year": fiscal_year, "quarter": quarter, "unit": unit}).fetchall()]

"""Year-end forecasts: where each KPI will end the fiscal year (its Q4 year-to-date actual) if nothing changes.

Three methods project the Q4 actual from the quarters reported so far (docs/reference/forecast.md):
  naive            the last reported year-to-date value carried forward (the baseline to beat);
  run_rate         the pace so far: the value at quarter p times 4/p (the year starts from zero);
  last_year_shape  last year's path of the same KPI and owner, scaled: value at p x (last year's Q4 / its value at p).
A milestone KPI's projection is whole steps, rounded down and capped at 5 (so run_rate is "steps per quarter so
far, capped at 5"); a percent KPI's stays within 0-100. The score of a projection is `scoring.score_result` of
it, its status `scoring.status_of`.

The backtest replays a finished year as if at Q1, Q2 and Q3 and scores each method's Q4 against the real Q4. The
product forecasts year Y with the method that won the backtest of Y-1: per KPI and owner where that pair has
enough history, otherwise the method that won overall; the interval comes from the same backtest's errors.
Everything here but the last section is pure; `refresh_table` fills the table behind the view kpi_forecasts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from pipelines import db, queries
from pipelines.parsing import is_percent_unit
from pipelines.scoring import score_result, status_of

NAIVE, RUN_RATE, LAST_YEAR_SHAPE = "naive", "run_rate", "last_year_shape"
METHODS: tuple[str, ...] = (NAIVE, RUN_RATE, LAST_YEAR_SHAPE)
"""In order of simplicity: a tie goes to the simpler method."""
METHOD_NAMES: dict[str, dict[str, str]] = {
    NAIVE: {"th": "ค่าล่าสุด", "en": "last value"},
    RUN_RATE: {"th": "อัตราสะสมเฉลี่ย", "en": "run-rate"},
    LAST_YEAR_SHAPE: {"th": "รูปแบบปีก่อน", "en": "last year's shape"},
}
CHOSEN = "chosen"
"""The backtest's name for the product's own rule (the method the year before's backtest selects)."""
AS_OF_QUARTERS: tuple[int, ...] = (1, 2, 3)
"""Quarters a forecast can be made at; at Q4 the year-end actual is known."""
MAX_STEPS = 5

INTERVAL_QUANTILES = (0.1, 0.9)
"""The interval holds the middle 80 % of last year's backtest errors of the method at the same quarter."""
MIN_RESIDUALS = 8
"""Fewer backtest errors than this for a method and quarter: the fixed band instead."""
FIXED_BAND_PER_QUARTER = 0.1
"""The fixed band: ± this share of the KPI's scoring range (|t5 - t1|, 5 steps for a milestone) for each quarter
still to come (± 0.3 at Q1, 0.2 at Q2, 0.1 at Q3; one level is a quarter of the range)."""
MIN_QUARTERS_PER_KPI = 2
"""A KPI and owner needs backtest errors at this many quarters of last year to get a method of its own."""
MIN_COVERAGE = 0.5
"""A method competes overall when it projected at least this share of the cases the naive method did."""
_TIE = 1e-9

Progress = Callable[[int, int, str], None]


# ---------------------------------------------------------------------------- the series and the methods


@dataclass(frozen=True)
class Series:
    """One KPI of one owner in one fiscal year: its scoring rule and its reported year-to-date values."""

    kpi_code: str
    unit_code: str
    direction: str
    kind: str
    thresholds: tuple[float | None, ...]
    ytd: Mapping[int, float]
    """Quarter -> reported year-to-date actual (quarters not reported are absent)."""
    last_year: Mapping[int, float] = field(default_factory=dict)
    """The same KPI and owner a fiscal year earlier; empty when there is none."""
    percent: bool = False
    """Whether the unit of measure is a percent (domain.PERCENT_UNITS): projections stay within 0-100."""

    @property
    def key(self) -> tuple[str, str]:
        return self.kpi_code, self.unit_code

    @property
    def scale(self) -> float:
        """The KPI's scoring range: what the interval and the backtest errors are measured in."""
        if self.kind == "milestone":
            return float(MAX_STEPS)
        return abs(float(self.thresholds[4]) - float(self.thresholds[0]))

    def score(self, actual: float) -> float:
        return score_result(actual, self.thresholds, self.direction, self.kind)


def last_reported(ytd: Mapping[int, float], as_of: int) -> tuple[int, float] | None:
    """(quarter, value) of the latest value reported at or before `as_of`; None when nothing is."""
    quarters = [quarter for quarter in ytd if quarter <= as_of]
    if not quarters:
        return None
    quarter = max(quarters)
    return quarter, ytd[quarter]


def as_steps(value: float) -> float:
    """A milestone projection in whole completed steps, 0 to 5 (a step half done is not done)."""
    return float(min(MAX_STEPS, max(0, math.floor(value + _TIE))))


def project(series: Series, method: str, as_of: int) -> float | None:
    """The Q4 year-to-date actual `method` projects from what was reported up to quarter `as_of`; None when the
    method cannot (nothing reported yet; for last_year_shape, no usable value last year)."""
    last = last_reported(series.ytd, as_of)
    if last is None:
        return None
    quarter, value = last
    if method == NAIVE:
        projected = value
    elif method == RUN_RATE:
        projected = value * 4 / quarter
    elif method == LAST_YEAR_SHAPE:
        base, year_end = series.last_year.get(quarter), series.last_year.get(4)
        if base is None or year_end is None or base == 0:
            return None
        projected = value * year_end / base
    else:
        raise ValueError(f"unknown forecast method {method!r}")
    return _within_range(series, projected)


def _within_range(series: Series, value: float) -> float:
    """Whole steps 0-5 for a milestone KPI; 0-100 for a percent KPI (a share never passes 100 %)."""
    if series.kind == "milestone":
        return as_steps(value)
    if series.percent:
        return min(100.0, max(0.0, value))
    return value


def interval(series: Series, projected: float, as_of: int, residuals: Sequence[float] = ()) -> tuple[float, float]:
    """(low, high) around a projection. With at least MIN_RESIDUALS backtest errors (Q4 actual minus projection,
    divided by the KPI's scoring range) of the method at this quarter: the projection plus their 10th and 90th
    percentiles times this KPI's range. Otherwise a fixed band of FIXED_BAND_PER_QUARTER of the range for each
    quarter still to come. Always contains the projection; whole steps within 0-5 for a milestone."""
    scale = series.scale
    if len(residuals) >= MIN_RESIDUALS:
        below, above = np.quantile(np.asarray(residuals, dtype=float), INTERVAL_QUANTILES)
        low, high = projected + float(below) * scale, projected + float(above) * scale
    else:
        half_width = FIXED_BAND_PER_QUARTER * (4 - as_of) * scale
        low, high = projected - half_width, projected + half_width
    low, high = min(low, projected), max(high, projected)
    if series.kind == "milestone":
        return float(max(0, math.floor(low + _TIE))), float(min(MAX_STEPS, math.ceil(high - _TIE)))
    return _within_range(series, low), _within_range(series, high)


def on_track(score: float) -> bool:
    return status_of(score) == "on_track"


# ---------------------------------------------------------------------------- backtest and method selection


@dataclass(frozen=True)
class BacktestCase:
    """One method's projection of one KPI's Q4, made as if at quarter `as_of`, against the real Q4."""

    kpi_code: str
    unit_code: str
    as_of: int
    method: str
    projected: float
    actual: float
    projected_score: float
    actual_score: float
    residual: float
    """(actual - projected) / the KPI's scoring range."""

    @property
    def error(self) -> float:
        """Absolute error in score points."""
        return abs(self.projected_score - self.actual_score)

    @property
    def call_right(self) -> bool:
        """Whether the projection called on track / not on track at year end as it turned out."""
        return on_track(self.projected_score) == on_track(self.actual_score)


def backtest_cases(series: Iterable[Series], methods: Sequence[str] = METHODS,
                   as_of_quarters: Sequence[int] = AS_OF_QUARTERS) -> list[BacktestCase]:
    """Every (KPI and owner with a reported Q4, as-of quarter, method) the method can project."""
    cases = []
    for one in series:
        if 4 not in one.ytd:
            continue
        actual = one.ytd[4]
        actual_score = one.score(actual)
        for as_of in as_of_quarters:
            for method in methods:
                projected = project(one, method, as_of)
                if projected is None:
                    continue
                cases.append(BacktestCase(one.kpi_code, one.unit_code, as_of, method, projected, actual,
                                          one.score(projected), actual_score, (actual - projected) / one.scale))
    return cases


@dataclass(frozen=True)
class MethodResult:
    method: str
    cases: int
    mae: float | None
    """Mean absolute error in score points; None without cases."""
    call_accuracy: float | None
    """Share (0-1) of cases whose on-track call at year end was right; None without cases."""


def summarise(cases: Sequence[BacktestCase], method: str) -> MethodResult:
    """MAE and call accuracy of one method's cases."""
    return _result(method, [case for case in cases if case.method == method])


def _result(name: str, cases: Sequence[BacktestCase]) -> MethodResult:
    if not cases:
        return MethodResult(name, 0, None, None)
    return MethodResult(name, len(cases), sum(case.error for case in cases) / len(cases),
                        sum(case.call_right for case in cases) / len(cases))


@dataclass(frozen=True)
class Selection:
    """Which method forecasts each KPI and owner of a fiscal year, decided by the backtest of the year before."""

    basis_year: int
    overall: str
    per_kpi: Mapping[tuple[str, str], str]
    residuals: Mapping[tuple[str, int], tuple[float, ...]]
    """(method, as-of quarter) -> backtest errors (actual - projected) / scoring range, for the interval."""

    def method_for(self, key: tuple[str, str]) -> tuple[str, str]:
        """(method, why): "kpi" when the KPI's own backtest chose it, "overall" otherwise."""
        if key in self.per_kpi:
            return self.per_kpi[key], "kpi"
        return self.overall, "overall"


def _best(cases_by_method: Mapping[str, Sequence[BacktestCase]]) -> str:
    """Lowest mean error in score points; a tie (scores saturate at 0 and 5) goes to the lower mean error in the
    actual itself (|residual|), then to the simpler method."""
    def rank(method: str) -> tuple[float, float, int]:
        cases = cases_by_method[method]
        mae = sum(case.error for case in cases) / len(cases)
        miss = sum(abs(case.residual) for case in cases) / len(cases)
        return round(mae, 9), round(miss, 9), METHODS.index(method)
    return min(cases_by_method, key=rank)


def overall_winner(cases: Sequence[BacktestCase]) -> str:
    """The method with the lowest mean error on the cases every competing method projected; naive without any.
    A method competes when it projected at least MIN_COVERAGE of the cases naive did (last_year_shape needs the
    year before the backtested one)."""
    keys: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for case in cases:
        keys[case.method].add((case.kpi_code, case.unit_code, case.as_of))
    baseline = len(keys[NAIVE])
    competing = [method for method in METHODS if keys[method] and len(keys[method]) >= MIN_COVERAGE * baseline]
    if not competing:
        return NAIVE
    common = set.intersection(*(keys[method] for method in competing))
    if not common:
        return NAIVE
    by_method = {method: [case for case in cases if case.method == method
                          and (case.kpi_code, case.unit_code, case.as_of) in common] for method in competing}
    return _best(by_method)


def select_methods(cases: Sequence[BacktestCase], basis_year: int) -> Selection:
    """The selection a year's forecasts use, from the backtest cases of the year before (`basis_year`).

    Per KPI and owner: when naive was backtested at MIN_QUARTERS_PER_KPI quarters or more, the best method (`_best`)
    over those quarters among the methods backtested at all of them. Every other KPI and owner uses the overall
    winner. The interval's errors for (method, quarter) are those of the cases where the method is what this
    selection applies, so they measure the product's own rule."""
    overall = overall_winner(cases)
    grouped: dict[tuple[str, str], dict[str, list[BacktestCase]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        grouped[(case.kpi_code, case.unit_code)][case.method].append(case)
    per_kpi = {}
    for key, by_method in grouped.items():
        quarters = {case.as_of for case in by_method.get(NAIVE, [])}
        if len(quarters) < MIN_QUARTERS_PER_KPI:
            continue
        eligible = {method: found for method, found in by_method.items()
                    if {case.as_of for case in found} == quarters}
        per_kpi[key] = _best(eligible)
    residuals: dict[tuple[str, int], list[float]] = defaultdict(list)
    for key, by_method in grouped.items():
        method = per_kpi.get(key, overall)
        for case in by_method.get(method, []):
            residuals[(method, case.as_of)].append(case.residual)
    return Selection(basis_year, overall, per_kpi, {key: tuple(values) for key, values in residuals.items()})


# ---------------------------------------------------------------------------- forecasts


@dataclass(frozen=True)
class Forecast:
    """One row of the view kpi_forecasts, plus what the plain words need."""

    fiscal_year: int
    as_of_quarter: int
    kpi_code: str
    unit_code: str
    method: str
    projected_actual: float
    low: float
    high: float
    projected_score: float
    projected_status: str
    chosen_by: str
    """"kpi" (the KPI's own backtest), "overall" (the backtest's overall winner) or "fallback" (the chosen
    method could not project this KPI, so naive did)."""
    score_low: float
    score_high: float
    """The scores of low and high, the lower one first (for lower-is-better KPIs the low actual scores higher)."""

    def row(self) -> tuple:
        return tuple(getattr(self, column) for column in queries.FORECAST_COLUMNS)


def forecast_one(series: Series, fiscal_year: int, as_of: int, selection: Selection) -> Forecast | None:
    """The forecast of one KPI and owner as of a quarter; None when nothing has been reported yet."""
    method, chosen_by = selection.method_for(series.key)
    projected = project(series, method, as_of)
    if projected is None and method != selection.overall:
        method, chosen_by = selection.overall, "fallback"
        projected = project(series, method, as_of)
    if projected is None and method != NAIVE:
        method, chosen_by = NAIVE, "fallback"
        projected = project(series, method, as_of)
    if projected is None:
        return None
    low, high = interval(series, projected, as_of, selection.residuals.get((method, as_of), ()))
    score = series.score(projected)
    score_low, score_high = sorted((series.score(low), series.score(high)))
    return Forecast(fiscal_year, as_of, series.kpi_code, series.unit_code, method, projected, low, high, score,
                    status_of(score), chosen_by, score_low, score_high)


def forecast_year(series: Iterable[Series], fiscal_year: int, as_of: int, selection: Selection) -> list[Forecast]:
    found = (forecast_one(one, fiscal_year, as_of, selection) for one in series)
    return [one for one in found if one is not None]


# ---------------------------------------------------------------------------- plain words


_PLAIN = {
    "th": "หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา คาดว่าสิ้นปีจะได้ {score} (ช่วง {low}–{high}) · วิธี: {method}",
    "en": "If the trend of the past quarters continues, the year should end at {score} (range {low}–{high}) · "
          "method: {method}",
}


def plain_words(forecast: Forecast, lang: str = "th") -> str:
    """The sentence beside a projection, Thai unless lang is "en": the projected year-end score and the scores of
    its interval, one decimal, and the method's name."""
    lang = lang if lang in _PLAIN else "th"
    return _PLAIN[lang].format(score=f"{forecast.projected_score:.1f}", low=f"{forecast.score_low:.1f}",
                               high=f"{forecast.score_high:.1f}", method=METHOD_NAMES[forecast.method][lang])


# ---------------------------------------------------------------------------- reading the database


def load_series(con: duckdb.DuckDBPyConnection, first_year: int, last_year: int) -> dict[int, list[Series]]:
    """Fiscal year -> its series, each with the same KPI and owner's values of the year before attached."""
    values: dict[tuple[int, str, str], dict[int, float]] = defaultdict(dict)
    rules: dict[tuple[int, str, str], tuple[str, str, bool, tuple]] = {}
    rows = con.execute(queries.FORECAST_INPUTS, [first_year - 1, last_year]).fetchall()
    for year, quarter, unit, kpi, actual, direction, kind, measure, *thresholds in rows:
        key = (year, kpi, unit)
        rules[key] = (direction, kind, is_percent_unit(measure), tuple(thresholds))
        if actual is not None and not math.isnan(actual):
            values[key][quarter] = actual
    by_year: dict[int, list[Series]] = defaultdict(list)
    for (year, kpi, unit), (direction, kind, percent, thresholds) in rules.items():
        if year < first_year:
            continue
        by_year[year].append(Series(kpi, unit, direction, kind, thresholds, values.get((year, kpi, unit), {}),
                                    values.get((year - 1, kpi, unit), {}), percent))
    return by_year


def reported_quarters(con: duckdb.DuckDBPyConnection) -> dict[int, list[int]]:
    """Fiscal year -> the quarters at least one unit submitted."""
    found: dict[int, list[int]] = defaultdict(list)
    for year, quarter in con.execute(queries.FORECAST_REPORTED_QUARTERS).fetchall():
        found[year].append(quarter)
    return found


def selection_for(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> Selection:
    """The selection for `fiscal_year`'s forecasts: the backtest of the year before."""
    basis = fiscal_year - 1
    return select_methods(backtest_cases(load_series(con, basis, basis).get(basis, [])), basis)


@dataclass(frozen=True)
class YearForecast:
    fiscal_year: int
    as_of_quarter: int
    selection: Selection
    forecasts: list[Forecast]


def forecasts(con: duckdb.DuckDBPyConnection, fiscal_year: int, as_of: int) -> YearForecast:
    """Every KPI and owner's projection for `fiscal_year` as of quarter `as_of` (1-3), computed now."""
    if as_of not in AS_OF_QUARTERS:
        raise ValueError(f"a forecast is made as of quarter 1, 2 or 3, not {as_of}")
    series = load_series(con, fiscal_year, fiscal_year).get(fiscal_year, [])
    selection = selection_for(con, fiscal_year)
    return YearForecast(fiscal_year, as_of, selection, forecast_year(series, fiscal_year, as_of, selection))


def all_forecasts(con: duckdb.DuckDBPyConnection) -> list[Forecast]:
    """The rows of kpi_forecasts: every fiscal year, as of every quarter 1-3 that has a submission."""
    quarters = reported_quarters(con)
    if not quarters:
        return []
    series = load_series(con, min(quarters) - 1, max(quarters))
    found = []
    for year in sorted(quarters):
        as_of_quarters = [quarter for quarter in quarters[year] if quarter in AS_OF_QUARTERS]
        if not as_of_quarters:
            continue
        selection = select_methods(backtest_cases(series.get(year - 1, [])), year - 1)
        for as_of in as_of_quarters:
            found += forecast_year(series.get(year, []), year, as_of, selection)
    return found


def refresh_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Recompute the table behind kpi_forecasts when the data changed since it was last computed (its data
    generation, db.data_state); one transaction. Called by snapshot.publish. True when it recomputed."""
    state = db.data_state(con)
    try:
        if con.execute(queries.FORECAST_STATE).fetchone() == state:
            return False
    except duckdb.CatalogException:  # a database older than migration 008
        return False
    rows = [forecast.row() for forecast in all_forecasts(con)]
    with db.transaction(con):
        con.execute(queries.DELETE_FORECASTS)
        db.insert_rows(con, "kpi_forecast", queries.FORECAST_COLUMNS, rows)
        con.execute(queries.DELETE_FORECAST_STATE)
        con.execute(queries.INSERT_FORECAST_STATE, list(state))
    return True


# ---------------------------------------------------------------------------- the backtest report


@dataclass(frozen=True)
class BacktestReport:
    fiscal_year: int
    methods: list[MethodResult]
    chosen: MethodResult
    """The product's own rule on the same year: the method the backtest of the year before selects."""
    selection: Selection


def backtest(con: duckdb.DuckDBPyConnection, fiscal_year: int, progress: Progress | None = None) -> BacktestReport:
    """Replay `fiscal_year` as if at Q1, Q2 and Q3 and score each method's Q4 against the real one; also the
    product's choice (from the backtest of the year before). Reports progress per as-of quarter."""
    series = load_series(con, fiscal_year, fiscal_year).get(fiscal_year, [])
    selection = selection_for(con, fiscal_year)
    cases: list[BacktestCase] = []
    chosen: list[BacktestCase] = []
    for done, as_of in enumerate(AS_OF_QUARTERS, start=1):
        found = backtest_cases(series, as_of_quarters=(as_of,))
        cases += found
        by_key = {(case.kpi_code, case.unit_code, case.method): case for case in found}
        for forecast in forecast_year((one for one in series if 4 in one.ytd), fiscal_year, as_of, selection):
            chosen.append(by_key[(forecast.kpi_code, forecast.unit_code, forecast.method)])
        if progress:
            progress(done, len(AS_OF_QUARTERS), f"FY {fiscal_year} as of Q{as_of}")
    return BacktestReport(fiscal_year, [summarise(cases, method) for method in METHODS], _result(CHOSEN, chosen),
                          selection)


# ---------------------------------------------------------------------------- frames for printing


def forecast_frame(result: YearForecast) -> pd.DataFrame:
    columns = [*queries.FORECAST_COLUMNS, "chosen_by"]
    return pd.DataFrame([[getattr(one, column) for column in columns] for one in result.forecasts],
                        columns=columns)


def backtest_frame(report: BacktestReport) -> pd.DataFrame:
    """One row per method and one for the product's choice: cases, MAE in score points, call accuracy (%), and the
    change of MAE against the naive baseline."""
    naive = next(result for result in report.methods if result.method == NAIVE)
    rows = []
    for result in [*report.methods, report.chosen]:
        rows.append({
            "method": result.method, "cases": result.cases, "mae_score_points": result.mae,
            "call_accuracy_pct": None if result.call_accuracy is None else 100 * result.call_accuracy,
            "mae_vs_naive": None if result.mae is None or naive.mae is None else result.mae - naive.mae,
        })
    return pd.DataFrame(rows)


def selection_summary(selection: Selection, lang: str = "en") -> str:
    """Which method the product uses, in a line: the overall winner and how many KPIs have their own."""
    counts: dict[str, int] = defaultdict(int)
    for method in selection.per_kpi.values():
        counts[method] += 1
    own = ", ".join(f"{METHOD_NAMES[method][lang]} {counts[method]}" for method in METHODS if counts[method])
    if lang == "th":
        return (f"เลือกวิธีจากการทดสอบย้อนหลังปีงบประมาณ {selection.basis_year}: ตัวชี้วัดที่มีข้อมูลพอใช้วิธีที่ดีที่สุดของตน "
                f"({own or 'ไม่มี'}) ที่เหลือใช้ {METHOD_NAMES[selection.overall]['th']}")
    return (f"methods chosen by the backtest of fiscal year {selection.basis_year}: KPIs with enough history use "
            f"their own best ({own or 'none'}), the rest {METHOD_NAMES[selection.overall]['en']} (overall winner)")


def backtest_note(report: BacktestReport) -> str:
    """What the backtest table shows, Thai then English, and which method the year before's backtest selected."""
    if not any(result.cases for result in report.methods):
        return (f"ปีงบประมาณ {report.fiscal_year} ไม่มีตัวชี้วัดที่รายงานผลไตรมาส 4 จึงทดสอบย้อนหลังไม่ได้ / fiscal year "
                f"{report.fiscal_year} has no KPI with a Q4 result: nothing to backtest")
    return (f"ทดสอบย้อนหลังปีงบประมาณ {report.fiscal_year}: คาดการณ์ไตรมาส 4 ณ ไตรมาส 1, 2, 3 เทียบผลจริง; "
            f"{CHOSEN} = วิธีที่ระบบเลือก / backtest of fiscal year {report.fiscal_year}: Q4 projected as of Q1, Q2 "
            f"and Q3 against the real Q4 (MAE in score points, call = on track or not at year end); {CHOSEN} = the "
            f"product's rule, {selection_summary(report.selection)}")

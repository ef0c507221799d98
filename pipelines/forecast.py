"""Year-end forecasts: where each KPI will end the fiscal year (its Q4 year-to-date actual) if nothing changes.

Three methods project the Q4 actual from the quarters reported so far (docs/reference/forecast.md):
  naive            the last reported year-to-date value carried forward (the baseline to beat);
  run_rate         the pace so far: the value at quarter p times 4/p (the year starts from zero);
  last_year_shape  last year's path of the same KPI and owner, scaled: value at p x (last year's Q4 / its value at p).
A milestone KPI's projection is whole steps, rounded down and capped at 5 (so run_rate is "steps per quarter so
far, capped at 5"); a percent KPI's stays within 0-100. A projection is scored by pipelines.scoring
(`score_results`, the array form of `score_result`) and its status by `status_array` (of `status_of`).

The backtest replays a finished year as if at Q1, Q2 and Q3 and scores each method's Q4 against the real Q4. The
product forecasts year Y with the method that won the backtest of Y-1: per KPI and owner where that pair has
enough history, otherwise the method that won overall; the interval comes from the same backtest's errors.

The work is done on whole columns (pandas/numpy): one row per KPI, owner and fiscal year, with its year-to-date
values q1..q4 and last year's ly1..ly4 (NaN where not reported), so that a million results take seconds. `Series`
and the scalar helpers (`project`, `interval`, `forecast_one`) run the same code on one row. `refresh_table` keeps
the table behind the view kpi_forecasts current, recomputing only what a change reaches (`refresh_plan`): an upload,
its unit's rows of its year; a change to the year before, the whole year, whose stored selection it makes stale.
`all_forecasts` computes every row from nothing, the reference it must equal. `plain_words` is the sentence a page
shows beside a projection.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import db, queries, scoring
from pipelines.lazy import lazy_module
from pipelines.parsing import is_percent_unit
from pipelines.scoring import score_results, status_array

np = lazy_module("numpy")
pd = lazy_module("pandas")
pa = lazy_module("pyarrow")

NAIVE, RUN_RATE, LAST_YEAR_SHAPE = "naive", "run_rate", "last_year_shape"
METHODS: tuple[str, ...] = (NAIVE, RUN_RATE, LAST_YEAR_SHAPE)
"""In order of simplicity: a tie goes to the simpler method."""
CHOSEN = "chosen"
"""The backtest's name for the product's own rule (the method the year before's backtest selects)."""
METHOD_NAMES: dict[str, dict[str, str]] = {
    NAIVE: {"th": "ค่าล่าสุด", "en": "last value"},
    RUN_RATE: {"th": "อัตราสะสมเฉลี่ย", "en": "run-rate"},
    LAST_YEAR_SHAPE: {"th": "รูปแบบปีก่อน", "en": "last year's shape"},
}
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

THRESHOLDS = ["t1", "t2", "t3", "t4", "t5"]
THIS_YEAR = ["q1", "q2", "q3", "q4"]
LAST_YEAR = ["ly1", "ly2", "ly3", "ly4"]
KEY = ["kpi_code", "unit_code"]
CASE_COLUMNS = ["kpi_code", "unit_code", "as_of", "method", "projected", "actual", "projected_score", "actual_score",
                "residual", "error", "miss", "call_right"]

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

    def row(self, fiscal_year: int = 0) -> dict:
        thresholds = {name: np.nan if value is None else value
                      for name, value in zip(THRESHOLDS, self.thresholds, strict=True)}
        return {"fiscal_year": fiscal_year, "kpi_code": self.kpi_code, "unit_code": self.unit_code,
                "direction": self.direction, "kind": self.kind, "percent": self.percent, **thresholds,
                **{f"q{q}": self.ytd.get(q, np.nan) for q in range(1, 5)},
                **{f"ly{q}": self.last_year.get(q, np.nan) for q in range(1, 5)}}

    def score(self, actual: float) -> float:
        return float(scores(series_frame([self]), np.array([actual], dtype=float))[0])


def series_frame(series: Iterable[Series], fiscal_year: int = 0) -> pd.DataFrame:
    """The frame the functions below work on, from Series (tests and one-off use)."""
    return pd.DataFrame([one.row(fiscal_year) for one in series])


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=float, na_value=np.nan)


def scale(frame: pd.DataFrame) -> np.ndarray:
    """Each KPI's scoring range, what the interval and the backtest errors are measured in: |t5 - t1|, or the five
    steps of a milestone."""
    return np.where(frame["kind"].to_numpy() == "milestone", float(MAX_STEPS),
                    np.abs(_column(frame, "t5") - _column(frame, "t1")))


def scores(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """The score each row's KPI gives `values` (NaN stays NaN)."""
    return score_results(values, frame[THRESHOLDS].to_numpy(dtype=float, na_value=np.nan),
                         frame["direction"].to_numpy(), frame["kind"].to_numpy())


def on_track(values: np.ndarray) -> np.ndarray:
    return status_array(values) == "on_track"


def last_reported(frame: pd.DataFrame, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """(quarter, value) of each row's latest value reported at or before `as_of`; NaN where nothing is."""
    quarter = np.full(len(frame), np.nan)
    value = np.full(len(frame), np.nan)
    for q in range(1, as_of + 1):
        reported = _column(frame, f"q{q}")
        has = ~np.isnan(reported)
        quarter[has], value[has] = q, reported[has]
    return quarter, value


def within_range(frame: pd.DataFrame, values: np.ndarray, steps_up: bool = False) -> np.ndarray:
    """Whole steps 0-5 for a milestone KPI, rounded down (a step half done is not done; up for an interval's high
    end); 0-100 for a percent KPI (a share never passes 100 %)."""
    with np.errstate(invalid="ignore"):
        whole = np.ceil(values - _TIE) if steps_up else np.floor(values + _TIE)
        steps = np.clip(whole, 0, MAX_STEPS)
        share = np.clip(values, 0, 100)
    percent = frame["percent"].to_numpy(dtype=bool)
    return np.where(frame["kind"].to_numpy() == "milestone", steps, np.where(percent, share, values))


def projections(frame: pd.DataFrame, method: str, as_of: int) -> np.ndarray:
    """The Q4 year-to-date actual `method` projects for each row from what was reported up to quarter `as_of`; NaN
    where it cannot (nothing reported yet; for last_year_shape, no usable value last year at that quarter or Q4)."""
    quarter, value = last_reported(frame, as_of)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == NAIVE:
            projected = value
        elif method == RUN_RATE:
            projected = value * 4 / quarter
        elif method == LAST_YEAR_SHAPE:
            base = np.full(len(frame), np.nan)
            for q in range(1, as_of + 1):
                base = np.where(quarter == q, _column(frame, f"ly{q}"), base)
            projected = np.where(base != 0, value * _column(frame, "ly4") / base, np.nan)
        else:
            raise ValueError(f"unknown forecast method {method!r}")
    return within_range(frame, projected)


def intervals(frame: pd.DataFrame, projected: np.ndarray, as_of: int, below: np.ndarray,
              above: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) around each projection: projected + below/above x the KPI's range where the method's backtest
    errors give them (`Selection.bounds`), else the fixed band of FIXED_BAND_PER_QUARTER of the range per quarter
    still to come. Always contains the projection; whole steps 0-5 for a milestone, 0-100 for a percent."""
    width = scale(frame)
    band = FIXED_BAND_PER_QUARTER * (4 - as_of)
    low = projected + np.where(np.isnan(below), -band, below) * width
    high = projected + np.where(np.isnan(above), band, above) * width
    low, high = np.minimum(low, projected), np.maximum(high, projected)
    return within_range(frame, low), within_range(frame, high, steps_up=True)


def project(series: Series, method: str, as_of: int) -> float | None:
    """One series' projection (see `projections`); None when the method cannot project it."""
    value = projections(series_frame([series]), method, as_of)[0]
    return None if np.isnan(value) else float(value)


def residual_bounds(residuals: Sequence[float]) -> tuple[float, float]:
    """The 10th and 90th percentiles of backtest errors; NaN (the fixed band) with fewer than MIN_RESIDUALS."""
    if len(residuals) < MIN_RESIDUALS:
        return np.nan, np.nan
    below, above = np.quantile(np.asarray(residuals, dtype=float), INTERVAL_QUANTILES)
    return float(below), float(above)


def interval(series: Series, projected: float, as_of: int, residuals: Sequence[float] = ()) -> tuple[float, float]:
    """One projection's interval from the backtest errors of its method at that quarter (see `intervals`)."""
    below, above = residual_bounds(residuals)
    low, high = intervals(series_frame([series]), np.array([projected]), as_of, np.array([below]),
                          np.array([above]))
    return float(low[0]), float(high[0])


# ---------------------------------------------------------------------------- backtest and method selection


def backtest_cases(frame: pd.DataFrame | Iterable[Series], methods: Sequence[str] = METHODS,
                   as_of_quarters: Sequence[int] = AS_OF_QUARTERS) -> pd.DataFrame:
    """One row per (KPI and owner with a reported Q4, as-of quarter, method that can project it): the projection,
    the real Q4, their scores, the error in score points, the residual (actual - projected) / scoring range, its
    absolute value `miss`, and whether the on-track call at year end was right."""
    frame = frame if isinstance(frame, pd.DataFrame) else series_frame(frame)
    if frame.empty:
        return pd.DataFrame(columns=CASE_COLUMNS)
    done = frame[frame["q4"].notna()].reset_index(drop=True)
    actual = _column(done, "q4")
    actual_score = scores(done, actual)
    actual_on_track = on_track(actual_score)
    width = scale(done)
    kpi_codes, unit_codes = done["kpi_code"].to_numpy(dtype=object), done["unit_code"].to_numpy(dtype=object)
    parts = []
    for as_of in as_of_quarters:
        for method in methods:
            projected = projections(done, method, as_of)
            made = ~np.isnan(projected)
            projected_score = scores(done, projected)[made]
            residual = (actual[made] - projected[made]) / width[made]
            parts.append(pd.DataFrame({
                "kpi_code": kpi_codes[made], "unit_code": unit_codes[made], "as_of": as_of, "method": method,
                "projected": projected[made], "actual": actual[made], "projected_score": projected_score,
                "actual_score": actual_score[made], "residual": residual,
                "error": np.abs(projected_score - actual_score[made]), "miss": np.abs(residual),
                "call_right": on_track(projected_score) == actual_on_track[made],
            }))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class MethodResult:
    method: str
    cases: int
    mae: float | None
    """Mean absolute error in score points; None without cases."""
    call_accuracy: float | None
    """Share (0-1) of cases whose on-track call at year end was right; None without cases."""


def summarise(cases: pd.DataFrame, name: str) -> MethodResult:
    if cases.empty:
        return MethodResult(name, 0, None, None)
    return MethodResult(name, len(cases), float(cases["error"].mean()), float(cases["call_right"].mean()))


@dataclass(frozen=True, eq=False)
class Selection:
    """Which method forecasts each KPI and owner of a fiscal year, decided by the backtest of the year before."""

    basis_year: int
    overall: str
    choices: pd.DataFrame
    """kpi_code, unit_code, method: the KPIs and owners with a method of their own."""
    residuals: Mapping[tuple[str, int], tuple[float, ...]]
    """(method, as-of quarter) -> backtest errors (actual - projected) / scoring range where the selection
    applies the method: what its interval at that quarter is made of."""
    stored_bounds: Mapping[tuple[str, int], tuple[float, float]] | None = None
    """(method, as-of quarter) -> `bounds`, for a selection read back from the table kpi_forecast_bounds, which
    keeps the bounds and not the residuals; None for one made by `select_methods`."""

    @classmethod
    def of(cls, basis_year: int, overall: str, per_kpi: Mapping[tuple[str, str], str],
           residuals: Mapping[tuple[str, int], tuple[float, ...]]) -> Selection:
        choices = pd.DataFrame([(kpi, unit, method) for (kpi, unit), method in per_kpi.items()],
                               columns=[*KEY, "method"])
        return cls(basis_year, overall, choices, residuals)

    @functools.cached_property
    def per_kpi(self) -> dict[tuple[str, str], str]:
        """(kpi_code, unit_code) -> method, for the KPIs and owners with a method of their own."""
        return {(kpi, unit): method for kpi, unit, method in self.choices.itertuples(index=False)}

    def method_for(self, key: tuple[str, str]) -> tuple[str, str]:
        """(method, why): "kpi" when the KPI's own backtest chose it, "overall" otherwise."""
        if key in self.per_kpi:
            return self.per_kpi[key], "kpi"
        return self.overall, "overall"

    def bounds(self, method: str, as_of: int) -> tuple[float, float]:
        if self.stored_bounds is not None:
            return self.stored_bounds.get((method, as_of), (np.nan, np.nan))
        return residual_bounds(self.residuals.get((method, as_of), ()))


def _ranked(stats: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Best first within each `by` group: lowest mean error in score points; a tie (scores saturate at 0 and 5)
    goes to the lower mean miss in the actual itself, then to the simpler method."""
    stats = stats.assign(mae_key=stats["mae"].round(9), miss_key=stats["miss"].round(9),
                         simplicity=stats["method"].map(METHODS.index))
    return stats.sort_values([*by, "mae_key", "miss_key", "simplicity"])


def overall_winner(cases: pd.DataFrame) -> str:
    """The method with the lowest mean error on the cases every competing method projected; naive without any.
    A method competes when it projected at least MIN_COVERAGE of the cases naive did (last_year_shape needs the
    year before the backtested one)."""
    counts = cases["method"].value_counts()
    baseline = counts.get(NAIVE, 0)
    competing = [method for method in METHODS if counts.get(method, 0) and counts[method] >= MIN_COVERAGE * baseline]
    if not competing:
        return NAIVE
    mine = cases[cases["method"].isin(competing)]
    common = mine.groupby(["kpi_code", "unit_code", "as_of"])["method"].transform("nunique") == len(competing)
    stats = mine[common].groupby("method", as_index=False).agg(mae=("error", "mean"), miss=("miss", "mean"))
    return NAIVE if stats.empty else str(_ranked(stats, [])["method"].iloc[0])


def select_methods(cases: pd.DataFrame, basis_year: int) -> Selection:
    """The selection a year's forecasts use, from the backtest cases of the year before (`basis_year`).

    Per KPI and owner: when naive was backtested at MIN_QUARTERS_PER_KPI quarters or more, the best method
    (`_ranked`) over those quarters among the methods backtested at all of them. Every other KPI and owner uses
    the overall winner. The interval's errors for (method, quarter) are those of the cases where the selection
    applies the method, so they measure the product's own rule."""
    overall = overall_winner(cases)
    if cases.empty:
        return Selection.of(basis_year, overall, {}, {})
    stats = cases.groupby([*KEY, "method"], as_index=False).agg(
        quarters=("as_of", "nunique"), mae=("error", "mean"), miss=("miss", "mean"))
    naive = stats[stats["method"] == NAIVE][[*KEY, "quarters"]].rename(columns={"quarters": "naive_quarters"})
    stats = stats.merge(naive, on=KEY)
    eligible = stats[(stats["naive_quarters"] >= MIN_QUARTERS_PER_KPI) & (stats["quarters"] == stats["naive_quarters"])]
    best = _ranked(eligible, KEY).drop_duplicates(KEY)[[*KEY, "method"]]
    applied = cases.merge(best.rename(columns={"method": "applied"}), on=KEY, how="left")
    applied["applied"] = applied["applied"].fillna(overall)
    used = applied[applied["method"] == applied["applied"]]
    residuals = {(str(method), int(as_of)): tuple(group["residual"])
                 for (method, as_of), group in used.groupby(["method", "as_of"])}
    return Selection(basis_year, overall, best.reset_index(drop=True), residuals)


# ---------------------------------------------------------------------------- forecasts

OUTPUT_COLUMNS = [*queries.FORECAST_COLUMNS, "chosen_by", "score_low", "score_high"]
"""A forecast: the view's columns; chosen_by ("kpi": the KPI's own backtest, "overall": the overall winner,
"fallback": the chosen method could not project this KPI, so the overall winner or naive did); and the scores of
low and high, the lower first (for a lower-is-better KPI the low actual scores higher)."""


def forecast_rows(frame: pd.DataFrame, fiscal_year: int, as_of: int, selection: Selection) -> pd.DataFrame:
    """Every row's forecast as of quarter `as_of` (OUTPUT_COLUMNS); rows with nothing reported yet are left out."""
    if frame.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    frame = frame.reset_index(drop=True)
    projected_by = {method: projections(frame, method, as_of) for method in METHODS}
    own = frame[KEY].merge(selection.choices, on=KEY, how="left")["method"].to_numpy(dtype=object)
    has_own = pd.notna(own)
    method = np.where(has_own, own, selection.overall).astype(object)
    chosen_by = np.where(has_own, "kpi", "overall").astype(object)
    value = np.select([method == one for one in METHODS], [projected_by[one] for one in METHODS], np.nan)
    for fallback in (selection.overall, NAIVE):
        missing = np.isnan(value) & (method != fallback)
        method[missing], chosen_by[missing], value[missing] = fallback, "fallback", projected_by[fallback][missing]
    bounds = {one: selection.bounds(one, as_of) for one in METHODS}
    below = np.select([method == one for one in METHODS], [bounds[one][0] for one in METHODS], np.nan)
    above = np.select([method == one for one in METHODS], [bounds[one][1] for one in METHODS], np.nan)
    low, high = intervals(frame, value, as_of, below, above)
    score = scores(frame, value)
    score_of_low, score_of_high = scores(frame, low), scores(frame, high)
    rows = pd.DataFrame({
        "fiscal_year": fiscal_year, "as_of_quarter": as_of, "kpi_code": frame["kpi_code"],
        "unit_code": frame["unit_code"], "method": method, "projected_actual": value, "low": low, "high": high,
        "projected_score": score, "projected_status": status_array(score), "chosen_by": chosen_by,
        "score_low": np.fmin(score_of_low, score_of_high), "score_high": np.fmax(score_of_low, score_of_high),
    })
    return rows[~np.isnan(value)].reset_index(drop=True)


def forecast_one(series: Series, fiscal_year: int, as_of: int, selection: Selection) -> dict | None:
    """One series' forecast (OUTPUT_COLUMNS as a dict); None when nothing has been reported yet."""
    rows = forecast_rows(series_frame([series], fiscal_year), fiscal_year, as_of, selection)
    return None if rows.empty else rows.iloc[0].to_dict()


# ---------------------------------------------------------------------------- plain words


_PLAIN = {
    "th": "หากแนวโน้มเป็นเช่นไตรมาสที่ผ่านมา คาดว่าสิ้นปีจะได้ {score} (ช่วง {low}–{high}) · วิธี: {method}",
    "en": "If the trend of the past quarters continues, the year should end at {score} (range {low}–{high}) · "
          "method: {method}",
}


def plain_words(forecast: Mapping, lang: str = "th") -> str:
    """The sentence beside a projection, Thai unless lang is "en": the projected year-end score and the scores of
    its interval, one decimal, and the method's name. `forecast` is a row of `forecast_rows` (or a dict)."""
    lang = lang if lang in _PLAIN else "th"
    return _PLAIN[lang].format(score=f"{forecast['projected_score']:.1f}", low=f"{forecast['score_low']:.1f}",
                               high=f"{forecast['score_high']:.1f}", method=METHOD_NAMES[forecast["method"]][lang])


# ---------------------------------------------------------------------------- reading the database


def load_series(con: duckdb.DuckDBPyConnection, first_year: int, last_year: int,
                units: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per KPI, owner and fiscal year from `first_year` to `last_year`: scoring rule, q1..q4, ly1..ly4; of
    the owners in `units` only, when given."""
    units = None if units is None else list(units)
    frame = con.execute(queries.FORECAST_SERIES, [first_year, last_year, units, units, first_year, last_year]).df()
    for column in ("kpi_code", "unit_code", "direction", "kind", "measure"):
        frame[column] = frame[column].astype(object)  # plain Python strings: fast to merge and compare
    measures = {measure: is_percent_unit(measure) for measure in frame["measure"].unique()}
    frame["percent"] = frame["measure"].map(measures).astype(bool)
    return frame


def _year(frame: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    return frame[frame["fiscal_year"] == fiscal_year].reset_index(drop=True)


def selection_for(con: duckdb.DuckDBPyConnection, fiscal_year: int) -> Selection:
    """The selection for `fiscal_year`'s forecasts: the backtest of the year before."""
    basis = fiscal_year - 1
    return select_methods(backtest_cases(load_series(con, basis, basis)), basis)


@dataclass(frozen=True)
class YearForecast:
    fiscal_year: int
    as_of_quarter: int
    selection: Selection
    rows: pd.DataFrame
    """OUTPUT_COLUMNS, one row per KPI and owner that has reported something by the quarter."""


def forecasts(con: duckdb.DuckDBPyConnection, fiscal_year: int, as_of: int) -> YearForecast:
    """Every KPI and owner's projection for `fiscal_year` as of quarter `as_of` (1-3), computed now."""
    if as_of not in AS_OF_QUARTERS:
        raise ValueError(f"a forecast is made as of quarter 1, 2 or 3, not {as_of}")
    selection = selection_for(con, fiscal_year)
    rows = forecast_rows(load_series(con, fiscal_year, fiscal_year), fiscal_year, as_of, selection)
    return YearForecast(fiscal_year, as_of, selection, rows)


def all_forecasts(con: duckdb.DuckDBPyConnection, years: Iterable[int] | None = None) -> pd.DataFrame:
    """The rows of kpi_forecasts (OUTPUT_COLUMNS): every fiscal year (or those of `years`), as of every quarter 1-3
    with a submission."""
    quarters: dict[int, list[int]] = {}
    for year, quarter in con.execute(queries.FORECAST_REPORTED_QUARTERS).fetchall():
        quarters.setdefault(year, []).append(quarter)
    wanted = sorted(quarters if years is None else set(years) & set(quarters))
    if not wanted:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    series = load_series(con, min(wanted) - 1, max(wanted))
    found = []
    for year in wanted:
        as_of_quarters = [quarter for quarter in quarters[year] if quarter in AS_OF_QUARTERS]
        if as_of_quarters:
            selection = select_methods(backtest_cases(_year(series, year - 1)), year - 1)
            found += [forecast_rows(_year(series, year), year, as_of, selection) for as_of in as_of_quarters]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=OUTPUT_COLUMNS)


# ---------------------------------------------------------------------------- keeping the table current

Newest = Mapping[int, tuple[int, int]]
"""Fiscal year -> (newest submission_id, newest catalogue load_id) of that year, 0 for none: both tables are
append-only, so the pair names the year's data."""


def basis(newest: Newest, fiscal_year: int) -> str:
    """What the method selection for `fiscal_year` is made from: the data of the year before (its backtest) and of
    the year before that (that backtest's last year's shape)."""
    return "|".join("/".join(map(str, newest.get(year, (0, 0)))) for year in (fiscal_year - 1, fiscal_year - 2))


def refresh_plan(newest: Newest, selected_on: Mapping[int, str], changed: Mapping[int, Iterable[str]],
                 reloaded: Iterable[int]) -> dict[int, frozenset[str] | None]:
    """What a refresh recomputes: fiscal year -> None for the whole year, or the units whose rows to recompute.

    A forecast row of (year, unit, KPI) reads that unit's results of the year and of the year before (the shape),
    the year's catalogue, and the year's method selection, made from the data of the two years before (`basis`).
    So a year is recomputed whole when its catalogue was loaded again (`reloaded`) or its stored selection is not
    the one its basis gives now (`selected_on`: year -> basis of the stored selection; none stored: whole), which
    covers every change to the year before, including a unit's last-year shape; otherwise only the units with a new
    submission in the year (`changed`: year -> units). A year with nothing to do is left out."""
    reloaded = set(reloaded)
    plan: dict[int, frozenset[str] | None] = {}
    for year in newest:
        if year in reloaded or selected_on.get(year) != basis(newest, year):
            plan[year] = None
        elif changed.get(year):
            plan[year] = frozenset(changed[year])
    return plan


@functools.cache
def rules_fingerprint() -> str:
    """The forecast and scoring code: stored forecasts made by other code are computed again."""
    digest = hashlib.sha256()
    for source in (__file__, scoring.__file__):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class _StoredYear:
    """A row of kpi_forecast_year."""

    newest: tuple[int, int]
    quarters: tuple[int, ...]
    basis: str
    overall: str


@dataclass(frozen=True)
class Rewritten:
    """What a refresh wrote into kpi_forecast, for the snapshot publish to copy: every row, or per fiscal year the
    whole year (units None) or the rows of some units."""

    everything: bool
    parts: tuple[tuple[int, tuple[str, ...] | None], ...]


@dataclass(frozen=True)
class _YearRefresh:
    """What `refresh_table` writes for one fiscal year."""

    fiscal_year: int
    units: list[str] | None
    """None: every row of the year is replaced; else the rows of these units."""
    rows: pd.DataFrame
    stored: _StoredYear
    selection: Selection | None
    """A selection made now, to store; None when the stored one was used."""


def _stored_selection(con: duckdb.DuckDBPyConnection, fiscal_year: int, overall: str,
                      units: list[str] | None) -> Selection:
    choices = con.execute(queries.FORECAST_METHODS_OF_YEAR, [fiscal_year, units, units]).df()
    choices = choices.astype(object) if not choices.empty else pd.DataFrame(columns=[*KEY, "method"])
    bounds = {(method, as_of): (np.nan if below is None else below, np.nan if above is None else above)
              for method, as_of, below, above in con.execute(queries.FORECAST_BOUNDS_OF_YEAR, [fiscal_year]).fetchall()}
    return Selection(fiscal_year - 1, overall, choices, {}, bounds)


def _reported_quarters(con: duckdb.DuckDBPyConnection, fiscal_year: int, units: list[str] | None) -> set[int]:
    found = con.execute(queries.FORECAST_QUARTERS_REPORTED_BY, [fiscal_year, units, units]).fetchall()
    return {quarter for (quarter,) in found} & set(AS_OF_QUARTERS)


def _refresh_year(con: duckdb.DuckDBPyConnection, fiscal_year: int, units: frozenset[str] | None,
                  newest: Newest, old: _StoredYear | None) -> _YearRefresh:
    """Recompute one fiscal year's rows, of `units` only when given (and the year's as-of quarters stay the same:
    a unit reporting a quarter no one had before adds that quarter's rows for every unit)."""
    chosen = None if units is None else sorted(units)
    if chosen is not None and old is not None:
        quarters = tuple(sorted(set(old.quarters) | _reported_quarters(con, fiscal_year, chosen)))
        if quarters != old.quarters:
            chosen = None
    if chosen is None:
        quarters = tuple(sorted(_reported_quarters(con, fiscal_year, None)))
    year_basis = basis(newest, fiscal_year)
    made = None
    if old is not None and old.basis == year_basis:
        selection = _stored_selection(con, fiscal_year, old.overall, chosen)
    else:
        previous = fiscal_year - 1
        selection = made = select_methods(backtest_cases(load_series(con, previous, previous)), previous)
    found = []
    if quarters:
        series = load_series(con, fiscal_year, fiscal_year, chosen)
        found = [forecast_rows(series, fiscal_year, as_of, selection) for as_of in quarters]
    rows = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=OUTPUT_COLUMNS)
    stored = _StoredYear(newest[fiscal_year], quarters, year_basis, selection.overall)
    return _YearRefresh(fiscal_year, chosen, rows[queries.FORECAST_COLUMNS], stored, made)


def _insert_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, statement: str,
                  parameters: Sequence = ()) -> None:
    con.register(name, pa.Table.from_pandas(frame, preserve_index=False))
    try:
        con.execute(statement, list(parameters))
    finally:
        con.unregister(name)


def _write_year(con: duckdb.DuckDBPyConnection, done: _YearRefresh) -> None:
    year = done.fiscal_year
    if done.units is None:
        con.execute(queries.DELETE_FORECASTS_OF_YEAR, [year])
    else:
        con.execute(queries.DELETE_FORECASTS_OF_UNITS, [year, done.units])
    _insert_frame(con, "forecast_rows", done.rows, queries.INSERT_FORECASTS)
    stored = done.stored
    con.execute(queries.DELETE_FORECAST_YEAR, [year])
    con.execute(queries.INSERT_FORECAST_YEAR,
                [year, *stored.newest, list(stored.quarters), stored.basis, stored.overall])
    if done.selection is not None:
        con.execute(queries.DELETE_FORECAST_METHODS, [year])
        con.execute(queries.DELETE_FORECAST_BOUNDS, [year])
        _insert_frame(con, "forecast_methods", done.selection.choices[[*KEY, "method"]],
                      queries.INSERT_FORECAST_METHODS, [year])
        for method in METHODS:
            for as_of in AS_OF_QUARTERS:
                below, above = (None if np.isnan(bound) else float(bound)
                                for bound in done.selection.bounds(method, as_of))
                con.execute(queries.INSERT_FORECAST_BOUNDS, [year, method, as_of, below, above])


def refresh_table(con: duckdb.DuckDBPyConnection) -> Rewritten | None:
    """Bring the table behind kpi_forecasts up to date, in one transaction, computing only what changed reaches:
    nothing when the data generation (db.data_state) has not moved since the last refresh; otherwise what
    `refresh_plan` names from the submissions and catalogue loads newer than those the table includes (an upload
    to the current year recomputes its unit's rows of that year). Everything is computed again for another
    database, other forecast or scoring code, another schema, or when a submission or load appeared below the
    newest one included (so they were not append-only). Called by snapshot.publish, which copies what it rewrote
    (`Rewritten`) into the snapshot; None when nothing was written."""
    state = db.data_state(con)
    try:
        stored = con.execute(queries.FORECAST_STATE).fetchone()
    except (duckdb.CatalogException, duckdb.BinderException):  # older than migration 009, or a draft of it
        return None
    rules = f"{rules_fingerprint()}/{con.execute(queries.FORECAST_RULES).fetchone()[0]}"
    if stored and (stored[0], stored[1], stored[2]) == (*state, rules):
        return None
    seen_submission, seen_submissions, seen_load, seen_loads = stored[3:] if stored else (0, 0, 0, 0)
    counted_submissions, counted_loads, newest_submission, submissions, newest_load, loads = con.execute(
        queries.FORECAST_SOURCES, [seen_submission, seen_load]).fetchone()
    everything = (not stored or (stored[0], stored[2]) != (state[0], rules)
                  or (counted_submissions, counted_loads) != (seen_submissions, seen_loads))
    if everything:
        seen_submission = seen_load = 0
        years: dict[int, _StoredYear] = {}
    else:
        years = {year: _StoredYear((submission_id, load_id), tuple(quarters), year_basis, overall)
                 for year, submission_id, load_id, quarters, year_basis, overall
                 in con.execute(queries.FORECAST_YEARS).fetchall()}
    newest = {year: stored_year.newest for year, stored_year in years.items()}
    changed: dict[int, set[str]] = {}
    for year, unit, submission_id in con.execute(queries.FORECAST_NEW_SUBMISSIONS, [seen_submission]).fetchall():
        changed.setdefault(year, set()).add(unit)
        year_submission, year_load = newest.get(year, (0, 0))
        newest[year] = (max(year_submission, submission_id), year_load)
    reloaded = set()
    for year, load_id in con.execute(queries.FORECAST_NEW_LOADS, [seen_load]).fetchall():
        reloaded.add(year)
        year_submission, year_load = newest.get(year, (0, 0))
        newest[year] = (year_submission, max(year_load, load_id))
    plan = refresh_plan(newest, {year: stored_year.basis for year, stored_year in years.items()}, changed, reloaded)
    done = [_refresh_year(con, year, units, newest, years.get(year)) for year, units in sorted(plan.items())]
    with db.transaction(con):
        if everything:
            for statement in queries.DELETE_ALL_FORECASTS:
                con.execute(statement)
        for one in done:
            _write_year(con, one)
        con.execute(queries.DELETE_FORECAST_STATE)
        con.execute(queries.INSERT_FORECAST_STATE,
                    [*state, rules, newest_submission, submissions, newest_load, loads])
    return Rewritten(everything, tuple((one.fiscal_year, None if one.units is None else tuple(one.units))
                                       for one in done))


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
    series = load_series(con, fiscal_year, fiscal_year)
    done = series[series["q4"].notna()].reset_index(drop=True)
    selection = selection_for(con, fiscal_year)
    cases, chosen = [], []
    for step, as_of in enumerate(AS_OF_QUARTERS, start=1):
        found = backtest_cases(done, as_of_quarters=(as_of,))
        picked = forecast_rows(done, fiscal_year, as_of, selection)[[*KEY, "method"]]
        cases.append(found)
        chosen.append(found.merge(picked, on=[*KEY, "method"]))
        if progress:
            progress(step, len(AS_OF_QUARTERS), f"FY {fiscal_year} as of Q{as_of}")
    every = pd.concat(cases, ignore_index=True)
    results = [summarise(every[every["method"] == method], method) for method in METHODS]
    return BacktestReport(fiscal_year, results, summarise(pd.concat(chosen, ignore_index=True), CHOSEN), selection)


# ---------------------------------------------------------------------------- for printing


def forecast_frame(result: YearForecast) -> pd.DataFrame:
    return result.rows[[*queries.FORECAST_COLUMNS, "chosen_by"]]


def backtest_frame(report: BacktestReport) -> pd.DataFrame:
    """One row per method and one for the product's choice: cases, MAE in score points, call accuracy (%), and the
    change of MAE against the naive baseline."""
    naive = report.methods[METHODS.index(NAIVE)]
    return pd.DataFrame([{
        "method": result.method, "cases": result.cases, "mae_score_points": result.mae,
        "call_accuracy_pct": None if result.call_accuracy is None else 100 * result.call_accuracy,
        "mae_vs_naive": None if result.mae is None or naive.mae is None else result.mae - naive.mae,
    } for result in [*report.methods, report.chosen]])


def selection_summary(selection: Selection, lang: str = "en") -> str:
    """Which method the product uses, in a line: the overall winner and how many KPIs have their own."""
    counts = selection.choices["method"].value_counts()
    own = ", ".join(f"{METHOD_NAMES[method][lang]} {counts[method]}" for method in METHODS if method in counts)
    if lang == "th":
        return (f"เลือกวิธีจากการทดสอบย้อนหลังปีงบประมาณ {selection.basis_year}: ตัวชี้วัดที่มีข้อมูลพอใช้วิธีที่ดีที่สุดของตน "
                f"({own or 'ไม่มี'}) ที่เหลือใช้{METHOD_NAMES[selection.overall]['th']}")
    return (f"methods chosen by the backtest of fiscal year {selection.basis_year}: KPIs with enough history use "
            f"their own best ({own or 'none'}), the rest {METHOD_NAMES[selection.overall]['en']} (overall winner)")


def selection_note(selection: Selection) -> str:
    """selection_summary in Thai, then English: the command line's line."""
    return f"{selection_summary(selection, 'th')} / {selection_summary(selection, 'en')}"


def backtest_note(report: BacktestReport) -> str:
    """What the backtest table shows, Thai then English, and which method the year before's backtest selected."""
    if not any(result.cases for result in report.methods):
        return (f"ปีงบประมาณ {report.fiscal_year} ไม่มีตัวชี้วัดที่รายงานผลไตรมาส 4 จึงทดสอบย้อนหลังไม่ได้ / fiscal year "
                f"{report.fiscal_year} has no KPI with a Q4 result: nothing to backtest")
    return (f"ทดสอบย้อนหลังปีงบประมาณ {report.fiscal_year}: คาดการณ์ไตรมาส 4 ณ ไตรมาส 1, 2, 3 เทียบผลจริง; "
            f"{CHOSEN} = วิธีที่ระบบเลือก / backtest of fiscal year {report.fiscal_year}: Q4 projected as of Q1, Q2 "
            f"and Q3 against the real Q4 (MAE in score points, call = on track or not at year end); {CHOSEN} = the "
            f"product's rule. {selection_note(report.selection)}")

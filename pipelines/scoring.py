"""The 5-level scoring rules of DOMAIN.md section 6 as pure functions, so every layer scores alike.

Scores stay at full precision; only `format_score` rounds, to the four decimals users read.
A missing score (None, or NaN as pandas delivers it) is not reported: it never counts as 0.

`score_result` is the only implementation of a result's score: ingest stores what it returns. Aggregates are
different: for stored data the SQL macros of views.sql (`weighted_score`, `reported_weight_percent`,
`score_status`, `is_provisional`, `aggregate_status`), called by the public views and by every dashboard query,
are authoritative. `weighted_score`, `is_provisional` and `aggregate_status` here are the same rules for figures
not stored yet (the upload preview's resulting score) and for statuses of figures the SQL returned;
tests/test_weighted_score_property.py checks that both give the same answers on random data.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from pipelines.lazy import lazy_module

np = lazy_module("numpy")

_FOUR_DECIMALS = Decimal("0.0001")
_STATUS_TOLERANCE = 1e-9
"""Absorbs float error so a weighted score that is 3 up to rounding (2.9999999999999996) is on track, as it reads."""
PROVISIONAL_BELOW_PCT = 50.0
"""DOMAIN section 8: an aggregate whose score rests on less than this percent of its KPI weight is provisional.
The views unit_scores and dimension_scores (views.sql) use the same number; tests/test_provisional.py checks it."""
PROVISIONAL = "provisional"


def _check_direction(direction: str) -> None:
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")


def thresholds_are_monotonic(thresholds: Sequence[float | None], direction: str) -> bool:
    """Whether t1..t5 are all present and strictly improving in the KPI's direction."""
    _check_direction(direction)
    levels = [t for t in thresholds if t is not None and not math.isnan(t)]
    if len(levels) != 5 or len(thresholds) != 5:
        return False
    pairs = list(itertools.pairwise(levels))
    if direction == "higher":
        return all(a < b for a, b in pairs)
    return all(a > b for a, b in pairs)


def score_result(actual: float | None, thresholds: Sequence[float | None], direction: str, kind: str) -> float | None:
    """The 0-5 score of one result; None when not reported."""
    if actual is None or math.isnan(actual):
        return None
    if kind == "milestone":
        if not (float(actual).is_integer() and 0 <= actual <= 5):
            raise ValueError("a milestone actual must be a whole number of steps from 0 to 5")
        return float(actual)
    if kind != "numeric":
        raise ValueError(f"kind must be 'numeric' or 'milestone', not {kind!r}")
    if not thresholds_are_monotonic(thresholds, direction):
        raise ValueError(f"thresholds must be five values strictly in the {direction} direction")
    # Lower-is-better is the mirror image: negating every value turns it into higher-is-better.
    sign = 1.0 if direction == "higher" else -1.0
    value = sign * actual
    levels = [sign * t for t in thresholds if t is not None]
    if value >= levels[4]:
        return 5.0
    if value < levels[0]:
        return 0.0
    k = max(i for i in range(4) if levels[i] <= value)
    return k + 1 + (value - levels[k]) / (levels[k + 1] - levels[k])


def weighted_score(results: Iterable[tuple[float, float | None]]) -> tuple[float | None, float]:
    """(Σ weight·score / Σ weight over scored results, percent of all weight that is scored); (None, 0.0) when
    nothing is scored. The Python reference for a set of results not stored yet (the upload preview): stored
    figures come from the SQL macros `weighted_score` and `reported_weight_percent` (views.sql), which are
    authoritative; tests/test_weighted_score_property.py keeps the two in agreement."""
    total_weight = scored_weight = weighted_sum = 0.0
    for weight, score in results:
        total_weight += weight
        if score is not None and not math.isnan(score):
            scored_weight += weight
            weighted_sum += weight * score
    if scored_weight == 0 or total_weight == 0:
        return None, 0.0
    return weighted_sum / scored_weight, 100 * scored_weight / total_weight


def status_of(score: float | None) -> str:
    if score is None or math.isnan(score):
        return "not_reported"
    if score >= 3 - _STATUS_TOLERANCE:
        return "on_track"
    if score >= 2 - _STATUS_TOLERANCE:
        return "at_risk"
    return "off_track"


def enough_reported(reported_weight_pct: float | None) -> bool:
    """Whether at least PROVISIONAL_BELOW_PCT of the weight is reported (up to float error)."""
    if reported_weight_pct is None or math.isnan(reported_weight_pct):
        return False
    return reported_weight_pct >= PROVISIONAL_BELOW_PCT - _STATUS_TOLERANCE


def is_provisional(score: float | None, reported_weight_pct: float | None) -> bool:
    """Whether an aggregate has a score that rests on less than PROVISIONAL_BELOW_PCT of its weight; an aggregate
    with nothing reported is not provisional but not reported."""
    if score is None or math.isnan(score):
        return False
    return not enough_reported(reported_weight_pct)


def aggregate_status(score: float | None, reported_weight_pct: float | None) -> str:
    """The status of a unit, dimension or agency score (DOMAIN section 8): `provisional` while less than half
    the weight is reported, otherwise as `status_of`. A single KPI result is never provisional."""
    return PROVISIONAL if is_provisional(score, reported_weight_pct) else status_of(score)


def progress_pct(actual: float | None, target: float | None, direction: str) -> float | None:
    """Percent of target achieved, inverted for lower-is-better; None where the ratio is undefined."""
    _check_direction(direction)
    if actual is None or target is None or math.isnan(actual) or math.isnan(target):
        return None
    numerator, denominator = (actual, target) if direction == "higher" else (target, actual)
    return None if denominator == 0 else 100 * numerator / denominator


def format_score(score: float | None) -> str:
    """Four decimals, half up as Excel's ROUND and Thai reports do (3.60065 -> 3.6007). The float is first
    read to ten decimals, so sums added in another order (3.6006500000000004 or 3.6006499999999996) read alike."""
    if score is None or math.isnan(score):
        return "–"
    return str(Decimal(f"{score:.10f}").quantize(_FOUR_DECIMALS, rounding=ROUND_HALF_UP))


def score_results(actual: Sequence[float], thresholds: Sequence[Sequence[float | None]], direction: Sequence[str],
                  kind: Sequence[str]) -> np.ndarray:
    """`score_result` over arrays, row by row, with the same arithmetic (so the same floats): for the hundreds of
    thousands of projections pipelines.forecast scores at once. NaN where the actual is NaN (not reported); the
    rows are taken as valid (milestones whole steps 0-5, thresholds monotonic), as stored results are.
    tests/test_forecast.py checks it equals score_result."""
    actual = np.asarray(actual, dtype=float)
    sign = np.where(np.asarray(direction) == "lower", -1.0, 1.0)
    levels = sign[:, None] * np.asarray(thresholds, dtype=float).reshape(len(actual), 5)
    value = sign * actual
    with np.errstate(invalid="ignore", divide="ignore"):
        k = (levels[:, 1:4] <= value[:, None]).sum(axis=1)
        low = np.take_along_axis(levels, k[:, None], axis=1)[:, 0]
        high = np.take_along_axis(levels, k[:, None] + 1, axis=1)[:, 0]
        between = k + 1 + (value - low) / (high - low)
        numeric = np.where(value >= levels[:, 4], 5.0, np.where(value < levels[:, 0], 0.0, between))
    scores = np.where(np.asarray(kind) == "milestone", actual, numeric)
    scores[np.isnan(actual)] = np.nan
    return scores


def status_array(scores: Sequence[float]) -> np.ndarray:
    """`status_of` over an array of scores (NaN = not reported), with the same tolerance: for pipelines.forecast."""
    scores = np.asarray(scores, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.select([np.isnan(scores), scores >= 3 - _STATUS_TOLERANCE, scores >= 2 - _STATUS_TOLERANCE],
                         ["not_reported", "on_track", "at_risk"], "off_track").astype(object)

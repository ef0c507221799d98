"""Specification of DOMAIN.md section 6: the 5-level score, weighted scores, status and progress."""

import math

import pytest

from pipelines.scoring import (
    format_score,
    progress_pct,
    score_result,
    status_of,
    thresholds_are_monotonic,
    weighted_score,
)

HIGHER = (60, 70, 80, 90, 100)
LOWER_DAYS = (30, 25, 20, 15, 10)
PLAN_P01 = (50, 60, 70, 80, 90)
PLAN_P02_DAYS = (20, 17, 14, 11, 8)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(85, 3.5), (100, 5.0), (130, 5.0), (60, 1.0), (59.9, 0.0), (70, 2.0), (99.99, 4.999), (0, 0.0)],
)
def test_higher_is_better_kpi_scores_domain_worked_examples(actual, expected):
    assert score_result(actual, HIGHER, "higher", "numeric") == pytest.approx(expected)


@pytest.mark.parametrize(("actual", "expected"), [(18, 3.4), (9, 5.0), (10, 5.0), (31, 0.0), (30, 1.0), (25, 2.0)])
def test_lower_is_better_kpi_scores_domain_worked_examples(actual, expected):
    assert score_result(actual, LOWER_DAYS, "lower", "numeric") == pytest.approx(expected)


def test_higher_is_better_kpi_between_levels_interpolates():
    assert score_result(72.5, PLAN_P01, "higher", "numeric") == pytest.approx(3.25)
    assert score_result(61, PLAN_P01, "higher", "numeric") == pytest.approx(2.1)


def test_lower_is_better_kpi_between_levels_interpolates():
    assert score_result(15, PLAN_P02_DAYS, "lower", "numeric") == pytest.approx(2 + 2 / 3)


def test_score_keeps_full_precision():
    assert score_result(15, PLAN_P02_DAYS, "lower", "numeric") == 2 + 2 / 3
    assert score_result(80.001, HIGHER, "higher", "numeric") == pytest.approx(3.0001, abs=1e-12)


def test_thresholds_need_not_be_whole_numbers():
    assert score_result(0.85, (0.6, 0.7, 0.8, 0.9, 1.0), "higher", "numeric") == pytest.approx(3.5)


def test_not_reported_actual_has_no_score():
    assert score_result(None, HIGHER, "higher", "numeric") is None
    assert score_result(math.nan, HIGHER, "higher", "numeric") is None
    assert score_result(None, (None,) * 5, "higher", "milestone") is None


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4, 5, 3.0])
def test_milestone_kpi_scores_the_number_of_completed_steps(steps):
    assert score_result(steps, (None,) * 5, "higher", "milestone") == float(steps)


@pytest.mark.parametrize("steps", [-1, 6, 2.5])
def test_milestone_actual_outside_whole_0_to_5_is_rejected(steps):
    with pytest.raises(ValueError, match="whole number"):
        score_result(steps, (None,) * 5, "higher", "milestone")


@pytest.mark.parametrize(
    ("thresholds", "direction", "expected"),
    [
        (HIGHER, "higher", True),
        (LOWER_DAYS, "lower", True),
        (HIGHER, "lower", False),
        (LOWER_DAYS, "higher", False),
        ((60, 70, 70, 90, 100), "higher", False),
        ((60, 70, None, 90, 100), "higher", False),
        ((60, 70, math.nan, 90, 100), "higher", False),
        ((60, 70, 80, 90), "higher", False),
        ((None,) * 5, "higher", False),
    ],
)
def test_thresholds_must_be_five_strictly_improving_values(thresholds, direction, expected):
    assert thresholds_are_monotonic(thresholds, direction) is expected


def test_numeric_kpi_with_unusable_thresholds_cannot_be_scored():
    with pytest.raises(ValueError, match="thresholds"):
        score_result(85, LOWER_DAYS, "higher", "numeric")


@pytest.mark.parametrize(("direction", "kind"), [("sideways", "numeric"), ("higher", "qualitative")])
def test_unknown_direction_or_kind_is_a_caller_bug(direction, kind):
    with pytest.raises(ValueError):
        score_result(85, HIGHER, direction, kind)


def test_plan_q2_unit_score_is_weighted_mean_of_its_kpis():
    p01 = score_result(72.5, PLAN_P01, "higher", "numeric")
    p02 = score_result(15, PLAN_P02_DAYS, "lower", "numeric")
    score, reported_weight_pct = weighted_score([(60, p01), (40, p02)])
    assert score == pytest.approx(3.0167, abs=5e-5)
    assert format_score(score) == "3.0167"
    assert reported_weight_pct == 100.0


def test_not_reported_kpi_lowers_reported_weight_but_is_not_a_zero():
    p01 = score_result(61, PLAN_P01, "higher", "numeric")
    p02 = score_result(None, PLAN_P02_DAYS, "lower", "numeric")
    score, reported_weight_pct = weighted_score([(60, p01), (40, p02)])
    assert score == pytest.approx(2.1)
    assert reported_weight_pct == pytest.approx(60.0)


@pytest.mark.parametrize(
    "results",
    [[], [(60, None), (40, None)], [(0, 3.0)], [(0, None)], [(60, math.nan)]],
)
def test_set_with_nothing_reported_has_no_score_and_zero_reported_weight(results):
    assert weighted_score(results) == (None, 0.0)


def test_weights_need_not_sum_to_100():
    assert weighted_score([(1, 4.0), (3, 2.0)]) == (pytest.approx(2.5), 100.0)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (5.0, "on_track"),
        (3.0, "on_track"),
        (2.9999, "at_risk"),
        (2.0, "at_risk"),
        (1.9999, "off_track"),
        (0.0, "off_track"),
        (None, "not_reported"),
        (math.nan, "not_reported"),
    ],
)
def test_status_follows_the_score_bands(score, expected):
    assert status_of(score) == expected


def test_weighted_score_that_is_three_but_for_float_error_is_on_track():
    score, _ = weighted_score([(90, 3.09), (10, 2.19)])
    assert score < 3
    assert format_score(score) == "3.0000"
    assert status_of(score) == "on_track"


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        (72.5, 70, "higher", 100 * 72.5 / 70),
        (35, 70, "higher", 50.0),
        (0, 70, "higher", 0.0),
        (15, 14, "lower", 100 * 14 / 15),
        (7, 14, "lower", 200.0),
        (None, 70, "higher", None),
        (72.5, None, "higher", None),
        (72.5, 0, "higher", None),
        (0, 14, "lower", None),
        (math.nan, 14, "lower", None),
    ],
)
def test_progress_is_percent_of_target_inverted_when_lower_is_better(actual, target, direction, expected):
    assert progress_pct(actual, target, direction) == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("score", "expected"),
    [(3.45, "3.4500"), (5, "5.0000"), (0.0, "0.0000"), (2 + 2 / 3, "2.6667"), (None, "–"), (math.nan, "–")],
)
def test_score_is_shown_with_four_decimals(score, expected):
    assert format_score(score) == expected


@pytest.mark.parametrize(("score", "shown"), [
    (3.60065, "3.6007"), (3.6006500000000004, "3.6007"), (3.6006499999999996, "3.6007"), (3.60064999, "3.6006"),
    (0.0, "0.0000"), (5.0, "5.0000"), (2.99995, "3.0000"), (1 / 3, "0.3333"), (None, "–"), (float("nan"), "–"),
])
def test_scores_show_four_decimals_rounded_half_up_whatever_the_order_of_the_sums(score, shown):
    assert format_score(score) == shown

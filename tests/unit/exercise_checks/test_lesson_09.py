"""nnbook.checks.scale_like_training.

Right answers in several styles pass; each usual mistake fails with its hint on every run; the worked example
is lesson 09's, and its answer is what the lesson's own scaling gives."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with

from nnbook import checks
from nnbook.data import drug_trial
from nnbook.lessons import inference
from nnbook.tools.cases import lesson_09


def scale_vectorised(new_ages, training_ages):
    ages = np.asarray(new_ages, dtype=float)
    low, high = np.min(training_ages), np.max(training_ages)
    return ((ages - low) / (high - low)).reshape(-1, 1)


def scale_loops(new_ages, training_ages):
    low, high = min(training_ages), max(training_ages)
    return [[(age - low) / (high - low)] for age in new_ages]


def scale_in_place(new_ages, training_ages):
    x = np.array(new_ages, dtype=float)[:, None]
    x -= training_ages.min()
    x /= training_ages.max() - training_ages.min()
    return x


def scale_with_ptp(new_ages, training_ages):
    return np.subtract(np.c_[new_ages], np.min(training_ages)) / np.ptp(training_ages)


@pytest.mark.parametrize("scale_like_training", [scale_vectorised, scale_loops, scale_in_place, scale_with_ptp])
def test_scale_like_training_accepts_right_answers(scale_like_training):
    assert always_passes(checks.scale_like_training, scale_like_training)


def scale_own_range(new_ages, training_ages):
    return scale_vectorised(new_ages, new_ages)


def swapped_everywhere(new_ages, training_ages):
    ages, low, high = np.asarray(new_ages, dtype=float), np.min(training_ages), np.max(training_ages)
    return ((ages - high) / (low - high)).reshape(-1, 1)


def swapped_in_the_numerator(new_ages, training_ages):
    ages, low, high = np.asarray(new_ages, dtype=float), np.min(training_ages), np.max(training_ages)
    return ((ages - high) / (high - low)).reshape(-1, 1)


def by_max_only(new_ages, training_ages):
    return np.asarray(new_ages, dtype=float).reshape(-1, 1) / np.max(training_ages)


def minus_min_over_max(new_ages, training_ages):
    return (np.asarray(new_ages, dtype=float).reshape(-1, 1) - np.min(training_ages)) / np.max(training_ages)


def forgot_minus_min(new_ages, training_ages):
    return np.asarray(new_ages, dtype=float).reshape(-1, 1) / np.ptp(training_ages)


def study_range(new_ages, training_ages):
    return ((np.asarray(new_ages, dtype=float) - 13) / 87).reshape(-1, 1)


SHAPE_HINT = "the values are right but the shape is not"


@pytest.mark.parametrize("scale_like_training, hint", [
    (scale_own_range, "their OWN youngest and oldest"),
    (by_max_only, "divides by the largest training age only"),
    (minus_min_over_max, "that divides by the largest training age: divide by the range"),
    (forgot_minus_min, "the smallest training age was not subtracted"),
    (study_range, "uses the study's 13 and 100"),
    (swapped_everywhere, "min and max are swapped"),
    (swapped_in_the_numerator, "min and max are swapped"),
    (lambda new_ages, training_ages: scale_vectorised(new_ages, training_ages).ravel(), SHAPE_HINT),
    (lambda new_ages, training_ages: scale_vectorised(new_ages, training_ages).T, SHAPE_HINT),
])
def test_scale_like_training_names_the_usual_mistakes(scale_like_training, hint):
    assert always_fails_with(checks.scale_like_training, scale_like_training, hint)


def test_a_1d_answer_is_refused_because_the_network_takes_one_row_per_person():
    result = checks.scale_like_training(lambda new_ages, training_ages: scale_vectorised(new_ages, training_ages)[:, 0])
    assert failed_with(result, SHAPE_HINT) and result.passed_cases == 0
    assert "shape (n, 1)" in result.hint


def test_scale_like_training_hard_coded_worked_example_fails():
    answer = scale_vectorised(lesson_09.WORKED_NEW_AGES, drug_trial(seed=0).ages)
    assert always_fails_with(checks.scale_like_training, lambda *args: answer, "the worked example's answer")


def test_a_function_that_needs_an_array_is_told_that_ages_may_come_as_a_list():
    result = checks.scale_like_training(lambda new_ages, training_ages: new_ages.reshape(-1, 1))
    assert failed_with(result, "np.asarray(new_ages, dtype=float)")


def test_the_worked_example_is_lesson_09s_new_people_scaled_as_the_lesson_scales_them():
    case = lesson_09._scale_case("the worked example", lesson_09.WORKED_NEW_AGES, drug_trial(seed=0).ages)
    assert case.call.startswith("scale_like_training(new_ages=[18, 35, 52, 61, 64, 66, 70, 85, 99], ")
    np.testing.assert_allclose(case.expected, inference.ages_to_inputs(lesson_09.WORKED_NEW_AGES), rtol=1e-12)
    assert case.expected.shape == drug_trial(seed=0).x[:9].shape == (9, 1)


def test_the_hidden_cases_train_on_a_range_unlike_the_study_and_ask_inside_it():
    rng = np.random.default_rng(5)
    for _ in range(200):
        case = lesson_09._random_case(rng, "hidden", 4, as_list=True)
        new_ages, training_ages = case.args
        assert isinstance(new_ages, list) and len(set(new_ages)) == 4
        assert (min(training_ages), max(training_ages)) != (13, 100)
        assert min(training_ages) < min(new_ages) and max(new_ages) < max(training_ages)
        assert np.all((case.expected > 0) & (case.expected < 1))

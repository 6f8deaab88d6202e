"""nnbook.checks.softmax.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with

from nnbook import checks
from nnbook.tools.cases import common, lesson_01


def softmax_vectorised(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_loops(z):
    rows = []
    for row in z:
        top = max(row)
        exps = [math.exp(score - top) for score in row]
        total = sum(exps)
        rows.append([e / total for e in exps])
    return rows


def softmax_in_place(z):
    z -= np.max(z, axis=1)[:, None]
    np.exp(z, out=z)
    z /= np.sum(z, axis=1)[:, None]
    return z


def softmax_log_sum_exp(z):
    top = z.max(axis=1, keepdims=True)
    return np.exp(z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True)))


@pytest.mark.parametrize("softmax", [softmax_vectorised, softmax_loops, softmax_in_place, softmax_log_sum_exp])
def test_softmax_accepts_right_answers(softmax):
    assert always_passes(checks.softmax, softmax)


def no_max(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def no_max_loops(z):
    rows = []
    for row in z:
        exps = [math.exp(score) for score in row]          # math.exp(1000) raises OverflowError
        rows.append([e / sum(exps) for e in exps])
    return rows


def global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def columns(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def columns_no_max(z):
    e = np.exp(z)
    return e / e.sum(axis=0)


def whole_array(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum()


def no_keepdims(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


WORKED = np.array([[0.75, 0.25]])


@pytest.mark.parametrize("softmax, hint", [
    (no_max, "np.exp(1000) is inf"),
    (no_max_loops, "np.exp(1000) is inf"),
    (global_max, "not of each row"),
    (columns, "the columns sum to 1, not the rows"),
    (columns_no_max, "the columns sum to 1, not the rows"),
    (whole_array, "the sum of the whole array"),
    (lambda z: z / z.sum(axis=1, keepdims=True), "the exp is missing"),
    (lambda z: np.exp(z - z.max(axis=1, keepdims=True)), "not yet divided by their row's sum"),
    (lambda z: np.exp(z), "not yet divided by their row's sum"),
    (no_keepdims, "keepdims=True"),
    (lambda z: WORKED, "the worked example's answer"),
    (lambda z: np.full(np.shape(z), np.nan), "nan or inf, not numbers"),
])
def test_softmax_names_the_usual_mistakes(softmax, hint):
    assert always_fails_with(checks.softmax, softmax, hint)


def test_nan_and_inf_answers_get_a_sentence_and_no_warning(recwarn):
    result = checks.softmax(no_max)
    assert failed_with(result, "inf / inf is nan") and "received: [[nan" in result.feedback
    assert not [warning for warning in recwarn if issubclass(warning.category, RuntimeWarning)]
    assert common.compare_finite([np.inf, 1.0], [0.5, 0.5]) == \
        "1 of 2 entries are nan or inf, not numbers (an overflow, 0/0 or inf/inf)"
    assert common.compare_finite([0.5, 0.5], [0.5, 0.5]) is None


def test_the_worked_example_is_the_lessons_75_25():
    case = lesson_01._softmax_case("the worked example", np.array([[np.log(3), 0.0]]))
    np.testing.assert_allclose(case.expected, WORKED, rtol=1e-12)


def test_reference_is_the_librarys_softmax_and_survives_scores_in_the_thousands():
    from nnbook.activations import softmax

    rng = np.random.default_rng(1)
    for z in (rng.normal(0, 3, (4, 5)), 1000 + rng.uniform(0, 4, (3, 4)),
              np.array([[0.5, -1.0, 2.0], [2000.0, 2001.0, 1999.5]])):
        expected = lesson_01._reference(z)
        np.testing.assert_allclose(expected, softmax.forward(z), rtol=1e-12)
        np.testing.assert_allclose(expected.sum(axis=1), 1.0, rtol=1e-12)
        assert np.all(np.isfinite(expected)) and np.all(expected > 0)
    small = rng.normal(0, 1, (2, 3))
    np.testing.assert_allclose(lesson_01._reference(small),
                               np.exp(small) / np.exp(small).sum(axis=1, keepdims=True), rtol=1e-12)


def test_the_hidden_cases_hold_the_cases_that_separate_the_mistakes(monkeypatch):
    """Every run: non-square shapes, a case in the thousands, and a case with rows ~2000 apart."""
    seen = []
    real = lesson_01._softmax_case

    def record(name, z):
        seen.append(np.asarray(z))
        return real(name, z)

    monkeypatch.setattr(lesson_01, "_softmax_case", record)
    for _ in range(20):
        seen.clear()
        assert checks.softmax(softmax_vectorised)
        hidden = seen[1:]
        assert len(hidden) == 4 and all(z.shape[0] != z.shape[1] for z in hidden)
        assert any(z.min() >= 1000 for z in hidden)
        assert any(z.max(axis=1).max() - z.max(axis=1).min() > 1000 for z in hidden)

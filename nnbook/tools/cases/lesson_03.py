"""Lesson 03's checks: sse and mse.

Each check's docstring says what the learner writes; the reference answers are one numpy line each.

Which case rejects each named mistake, on every run (the values are random, the structure is fixed):

- sse: the worked example separates the mean, the square root, the sum of plain differences (0 there), the
  sum of absolute differences and the per-class vector. Hidden case 3 has every prediction below its
  target by 0.45 to 0.6, k >= 4: the sum of the differences, squared, is then at least 3.24, above every
  other named value, and nothing there comes near the worked example's 0.6638.
- mse: the worked example separates every named mistake (they give eight different values there); the
  hidden cases are redrawn until none of their values equals the worked example's 0.2486, so a copied
  answer is caught as such.
"""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng, random_probabilities
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"sse": 1, "mse": 1}

_LIST_ADVICE = (TypeError, "unsupported operand",
                "lists cannot be subtracted or squared entry by entry: turn them into arrays first "
                "with np.asarray, or loop over the entries.")


def _sse_case(name, y_true, y_pred) -> Case:
    errors = y_true - y_pred
    expected = float(np.sum(errors ** 2))
    return Case(name, call_text("sse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected / y_true.size, "that is the mean of the squared errors: SSE is their sum (no division "
                                 "by the number of classes)."),
        (np.sqrt(expected), "a square root was taken at the end: SSE keeps the squares as they are."),
        (float(np.sum(errors)), "the differences were added without squaring them, so positive and "
                                "negative ones cancel: square each difference before adding."),
        (float(np.sum(np.abs(errors))), "that adds the sizes of the differences (absolute values): square "
                                        "each difference instead, so that big misses count much more."),
        (float(np.sum(errors)) ** 2, "the differences were added first and the total squared: square each "
                                     "difference on its own, then add the squares."),
        (errors ** 2, "that is one squared error per class: add them up into one number."),
    ])


def _below_targets(rng):
    """Targets that are not one-hot (the formula holds for any vectors), each prediction 0.45 to 0.6 below."""
    k = int(rng.integers(4, 7))
    y_true = np.round(rng.uniform(0.6, 1.0, k), 2)
    return y_true, np.round(y_true - np.round(rng.uniform(0.45, 0.6, k), 2), 2)


def sse(student_sse) -> CheckResult:
    """Check ``sse(y_true, y_pred)`` for one sample: ``sum_j (y_true_j - y_pred_j)^2``, a float."""
    rng = fresh_rng()
    cases = [_sse_case("the worked example", np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13]))]
    for number in (1, 2):
        k = int(rng.integers(3, 7))
        y_true = np.eye(k)[rng.integers(k)]
        cases.append(_sse_case(f"hidden case {number}", y_true, random_probabilities(rng, 1, k)[0]))
    cases.append(_sse_case("hidden case 3", *_below_targets(rng)))
    return run_check("sse", student_sse, cases,
                     advice="SSE = sum over j of (y_true[j] - y_pred[j]) ** 2: take each difference, square "
                            "it, then add the squares.",
                     error_advice=[_LIST_ADVICE])


def _mse_case(name, y_true, y_pred) -> Case:
    n, k = y_true.shape
    squared = (y_true - y_pred) ** 2
    per_sample = squared.sum(axis=1)
    expected = float(per_sample.mean())
    return Case(name, call_text("mse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected * n, "the samples' SSEs were added up: the batch's error is their mean, so divide by the "
                       "number of samples n."),
        (expected / k, f"that averages over every entry (n x k of them): the course's MSE averages over the "
                       f"samples only, and each sample's error is the sum over its {k} classes. (Keras's "
                       f"'mse' is this value, the course's divided by k.)"),
        (np.sqrt(expected), "a square root was taken: MSE is the mean of the samples' SSEs, with no root."),
        (float(np.mean(np.sum(y_true - y_pred, axis=1))), "the differences were not squared before adding: "
                                                          "square each one, as in sse."),
        (float(np.mean(np.sum(np.abs(y_true - y_pred), axis=1))), "that uses absolute differences: square "
                                                                  "them instead, as in sse."),
        (float(squared.sum(axis=0).mean()), "the squared errors were summed down each class (axis 0) and "
                                            "those k sums averaged: sum across each sample's row (axis 1), "
                                            "then average those n sums."),
        (per_sample, "that is each sample's SSE: return their mean, one number for the batch."),
        (squared.mean(axis=0), "that is a mean per class (axis 0): sum over the classes of each sample "
                               "(axis 1), then take the mean over the samples."),
    ])


def _copied_answer_shows(case: Case, copied) -> bool:
    """True when a copied worked-example answer fails this case and no named mistake explains it."""
    return compare_numbers(copied, case.expected) is not None and all(
        wrong is None or compare_numbers(copied, wrong) is not None for wrong, _ in case.mistakes)


def mse(student_mse) -> CheckResult:
    """Check ``mse(y_true, y_pred)`` for a batch (n, k): the mean over samples of each sample's SSE,
    ``(1/n) sum_i sum_j (y_true_ij - y_pred_ij)^2``."""
    rng = fresh_rng()
    batch = pets()
    cases = [_mse_case("the worked example", np.eye(3)[batch.labels], batch.predictions)]
    for number in (1, 2):
        while True:   # n > k, so a per-sample and a per-class answer differ in shape
            k = int(rng.integers(3, 6))
            n = int(rng.integers(k + 1, k + 6))
            case = _mse_case(f"hidden case {number}", np.eye(k)[rng.integers(0, k, size=n)],
                             random_probabilities(rng, n, k))
            if _copied_answer_shows(case, cases[0].expected):
                break
        cases.append(case)
    return run_check("mse", student_mse, cases,
                     advice="MSE = (1/n) * sum over i of SSE_i, with SSE_i = sum over j of "
                            "(y_true[i, j] - y_pred[i, j]) ** 2: one SSE per row (axis=1), then the mean of "
                            "those n numbers.",
                     error_advice=[_LIST_ADVICE])

"""Lesson 03's checks: sse and mse.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng, random_probabilities
from nnbook.tools.grading import Case, CheckResult, call_text, run_check

_LIST_ADVICE = (TypeError, "unsupported operand",
                "lists cannot be subtracted or squared element by element: turn them into arrays first "
                "with np.asarray, or loop over the entries.")


def _sse_case(name, y_true, y_pred) -> Case:
    errors = y_true - y_pred
    expected = float(np.sum(errors ** 2))
    return Case(name, call_text("sse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected / y_true.size, "that is the mean of the squared errors: SSE is their sum (no division "
                                 "by the number of classes)."),
        (np.sqrt(expected), "a square root was taken: SSE is the plain sum of the squared errors."),
        (float(np.sum(errors)), "the differences were added without squaring them, so positive and "
                                "negative ones cancel: square each difference, then add."),
        (float(np.sum(np.abs(errors))), "that adds absolute differences: square each difference instead."),
        (float(np.sum(errors)) ** 2, "the differences were added first and squared after: square each "
                                     "difference, then add."),
        (errors ** 2, "that is each class's squared error: add them up into one number."),
    ])


def sse(student_sse) -> CheckResult:
    """Check ``sse(y_true, y_pred)`` for one sample: ``sum_j (y_true_j - y_pred_j)^2``, a float."""
    rng = fresh_rng()
    cases = [_sse_case("the worked example", np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13]))]
    for number in (1, 2):
        k = int(rng.integers(3, 7))
        y_true = np.eye(k)[rng.integers(k)]
        cases.append(_sse_case(f"hidden case {number}", y_true, random_probabilities(rng, 1, k)[0]))
    k = int(rng.integers(3, 7))    # targets that are not one-hot: the formula holds for any vectors
    cases.append(_sse_case("hidden case 3", np.round(rng.uniform(0, 1, k), 2), np.round(rng.uniform(0, 1, k), 2)))
    return run_check("sse", student_sse, cases,
                     advice="SSE = sum over j of (y_true[j] - y_pred[j]) ** 2: square each difference, "
                            "then add them all.",
                     error_advice=[_LIST_ADVICE])


def _mse_case(name, y_true, y_pred) -> Case:
    n, k = y_true.shape
    squared = (y_true - y_pred) ** 2
    per_sample = squared.sum(axis=1)
    expected = float(per_sample.mean())
    return Case(name, call_text("mse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected * n, "the samples' errors were summed: MSE is their mean, so divide by the number of "
                       "samples n."),
        (expected / k, f"that divides by n x k (every entry): the course's MSE averages over the samples "
                       f"only; each sample's error is the sum over its {k} classes. (Keras's 'mse' is this "
                       f"value divided by k.)"),
        (np.sqrt(expected), "a square root was taken: MSE is the mean of the samples' SSE, with no root."),
        (float(np.mean(np.sum(y_true - y_pred, axis=1))), "the differences were not squared before adding."),
        (float(np.mean(np.sum(np.abs(y_true - y_pred), axis=1))), "that uses absolute differences: square "
                                                                  "them instead."),
        (per_sample, "that is each sample's SSE: return their mean, one number for the batch."),
        (squared.mean(axis=0), "that is a mean per class (axis 0): sum over the classes of each sample "
                               "(axis 1), then take the mean over the samples."),
    ])


def mse(student_mse) -> CheckResult:
    """Check ``mse(y_true, y_pred)`` for a batch (n, k): the mean over samples of each sample's SSE,
    ``(1/n) sum_i sum_j (y_true_ij - y_pred_ij)^2``."""
    rng = fresh_rng()
    batch = pets()
    cases = [_mse_case("the worked example", np.eye(3)[batch.labels], batch.predictions)]
    for number in (1, 2):
        k = int(rng.integers(3, 6))
        n = int(rng.integers(k + 1, k + 6))
        cases.append(_mse_case(f"hidden case {number}", np.eye(k)[rng.integers(0, k, size=n)],
                               random_probabilities(rng, n, k)))
    return run_check("mse", student_mse, cases,
                     advice="For each sample (row) add up its squared errors, then take the mean of those "
                            "n sums.",
                     error_advice=[_LIST_ADVICE])

"""nnbook.checks.sse and mse.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks
from nnbook.tools import grading as _grading


def sse_loops(y_true, y_pred):
    total = 0.0
    for truth, prediction in zip(y_true, y_pred):
        total += (truth - prediction) ** 2
    return total


@pytest.mark.parametrize("sse", [
    sse_loops,
    lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2),
    lambda y_true, y_pred: sum((a - b) ** 2 for a, b in zip(list(y_true), list(y_pred))),
    lambda y_true, y_pred: np.dot(y_true - y_pred, y_true - y_pred),
    lambda y_true, y_pred: np.linalg.norm(np.subtract(y_pred, y_true)) ** 2,
])
def test_sse_accepts_right_answers(sse):
    assert always_passes(checks.sse, sse)


@pytest.mark.parametrize("sse, hint", [
    (lambda t, p: np.mean((t - p) ** 2), "that is the mean of the squared errors"),
    (lambda t, p: np.sqrt(np.sum((t - p) ** 2)), "a square root was taken"),
    (lambda t, p: np.sum(t - p), "added without squaring them"),
    (lambda t, p: np.sum(np.abs(t - p)), "the sizes of the differences (absolute values)"),
    (lambda t, p: np.sum(t - p) ** 2, "the differences were added first and the total squared"),
    (lambda t, p: (t - p) ** 2, "add them up into one number"),
    (lambda t, p: 0.6638, "the worked example's answer"),
    (lambda t, p: sum(d ** 2 for d in list(t) - list(p)), "np.asarray"),
])
def test_sse_names_the_usual_mistakes(sse, hint):
    assert always_fails_with(checks.sse, sse, hint)


def mse_loops(y_true, y_pred):
    total = 0.0
    for truth, prediction in zip(y_true, y_pred):
        total += sum((a - b) ** 2 for a, b in zip(truth, prediction))
    return total / len(y_true)


@pytest.mark.parametrize("mse", [
    mse_loops,
    lambda y_true, y_pred: np.mean(np.sum((y_true - y_pred) ** 2, axis=1)),
    lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2) / y_true.shape[0],
    lambda y_true, y_pred: np.mean([np.sum((np.array(t) - np.array(p)) ** 2)
                                    for t, p in zip(y_true.tolist(), y_pred.tolist())]),
])
def test_mse_accepts_right_answers(mse):
    assert always_passes(checks.mse, mse)


@pytest.mark.parametrize("mse, hint", [
    (lambda t, p: np.sum((t - p) ** 2), "the samples' SSEs were added up"),
    (lambda t, p: np.mean((t - p) ** 2), "that averages over every entry"),
    (lambda t, p: np.sqrt(np.mean(np.sum((t - p) ** 2, axis=1))), "a square root was taken"),
    (lambda t, p: np.mean(np.sum(t - p, axis=1)), "the differences were not squared before adding"),
    (lambda t, p: np.mean(np.sum(np.abs(t - p), axis=1)), "that uses absolute differences"),
    (lambda t, p: np.mean(np.sum((t - p) ** 2, axis=0)), "summed down each class (axis 0)"),
    (lambda t, p: np.sum((t - p) ** 2, axis=1), "that is each sample's SSE: return their mean"),
    (lambda t, p: np.mean((t - p) ** 2, axis=0), "that is a mean per class"),
    (lambda t, p: 0.2486, "the worked example's answer"),
    (lambda t, p: np.mean([sum(d ** 2 for d in list(x) - list(y)) for x, y in zip(t, p)]), "np.asarray"),
])
def test_mse_names_the_usual_mistakes(mse, hint):
    assert always_fails_with(checks.mse, mse, hint)


def test_sse_worked_example_is_the_lessons_cat():
    result = checks.sse(lambda t, p: 0.0)
    assert result.failures[0].call == "sse(y_true=[1.0, 0.0, 0.0], y_pred=[0.37, 0.5, 0.13])"
    assert result.failures[0].expected == "0.6638"


def test_mse_worked_example_is_the_mean_of_the_pets_sse():
    from nnbook.data import pets
    from nnbook.losses import mse

    batch = pets()
    result = checks.mse(lambda t, p: 0.0)
    assert result.failures[0].expected == _grading.show(mse(np.eye(3)[batch.labels], batch.predictions))

"""nnbook.checks.accuracy.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks


def accuracy_loops(labels, probabilities):
    right = 0
    for label, row in zip(labels, probabilities):
        best = 0
        for column in range(len(row)):
            if row[column] > row[best]:
                best = column
        right += best == label
    return right / len(labels)


@pytest.mark.parametrize("accuracy", [
    lambda labels, probabilities: np.mean(np.argmax(probabilities, axis=1) == labels),
    lambda labels, probabilities: (probabilities.argmax(1) == np.asarray(labels)).sum() / len(labels),
    lambda labels, probabilities: sum(int(np.argmax(row) == label) for label, row in
                                      zip(list(labels), list(probabilities))) / len(labels),
    lambda labels, probabilities: np.count_nonzero(np.argmax(probabilities, axis=-1) - labels == 0) / labels.size,
    accuracy_loops,
])
def test_accuracy_accepts_right_answers(accuracy):
    assert always_passes(checks.accuracy, accuracy)


@pytest.mark.parametrize("accuracy, hint", [
    (lambda y, p: 100 * np.mean(p.argmax(1) == y), "that is a percentage"),
    (lambda y, p: np.sum(p.argmax(1) == y), "that is a count of the rows predicted right"),
    (lambda y, p: 1 - np.mean(p.argmax(1) == y), "that is the error rate"),
    (lambda y, p: np.mean(p[np.arange(len(y)), y]), "the mean probability given to the true class"),
    (lambda y, p: np.mean(p.max(axis=1) == y), "the probabilities themselves were compared with the labels"),
    (lambda y, p: np.mean(p == np.asarray(y)[:, None]), "the probabilities themselves were compared"),
    (lambda y, p: np.mean(np.argmax(p) == y), "np.argmax without axis=1 gives one index for the whole array"),
    (lambda y, p: np.mean(p.argmax(0) == y), "the shapes do not match: take the argmax of each row"),
    (lambda y, p: 0.75, "the worked example's answer"),
])
def test_accuracy_names_the_usual_mistakes(accuracy, hint):
    assert always_fails_with(checks.accuracy, accuracy, hint)


def test_accuracy_worked_example_is_the_lessons_batch():
    result = checks.accuracy(lambda y, p: 1.0)
    assert result.failures[0].case == "the worked example" and result.failures[0].expected == "0.75"

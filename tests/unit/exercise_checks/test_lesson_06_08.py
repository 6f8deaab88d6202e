"""nnbook.checks.iterations_per_epoch and accuracy.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import math

import numpy as np
import pytest
from check_helpers import always_fails_with

from nnbook import checks


def iterations_loop(n_samples, batch_size):
    count, start = 0, 0
    while start < n_samples:
        count += 1
        start += batch_size
    return count


@pytest.mark.parametrize("iterations_per_epoch", [
    lambda n, b: math.ceil(n / b),
    lambda n, b: -(-n // b),
    lambda n, b: int(np.ceil(n / b)),
    lambda n, b: len(range(0, n, b)),
    iterations_loop,
])
def test_iterations_per_epoch_accepts_right_answers(iterations_per_epoch):
    assert checks.iterations_per_epoch(iterations_per_epoch)


@pytest.mark.parametrize("iterations_per_epoch, hint", [
    (lambda n, b: n // b, "that rounds down"),
    (lambda n, b: np.ceil(n / b), "return an int"),
    (lambda n, b: n / b, "unrounded"),
    (lambda n, b: n // b + 1, "adding 1 to the floor"),
    (lambda n, b: math.ceil(b / n), "the arguments are swapped"),
    (lambda n, b: 66, "the worked example's answer"),
])
def test_iterations_per_epoch_names_the_usual_mistakes(iterations_per_epoch, hint):
    assert always_fails_with(checks.iterations_per_epoch, iterations_per_epoch, hint)


def test_iterations_per_epoch_worked_example_is_2100_samples_in_batches_of_32():
    result = checks.iterations_per_epoch(lambda n, b: n // b)
    assert result.failures[0].call == "iterations_per_epoch(n_samples=2100, batch_size=32)"
    assert (result.failures[0].expected, result.failures[0].received) == (str(math.ceil(2100 / 32)), "65")


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
    accuracy_loops,
])
def test_accuracy_accepts_right_answers(accuracy):
    assert checks.accuracy(accuracy)


@pytest.mark.parametrize("accuracy, hint", [
    (lambda y, p: 100 * np.mean(p.argmax(1) == y), "that is a percentage"),
    (lambda y, p: np.sum(p.argmax(1) == y), "a count of correct rows"),
    (lambda y, p: np.mean(p.max(axis=1) == y), "probabilities were compared with the labels"),
    (lambda y, p: np.mean(np.argmax(p) == y), "without axis=1"),
    (lambda y, p: np.mean(p[np.arange(len(y)), y]), "the mean probability given to the true class"),
    (lambda y, p: 1 - np.mean(p.argmax(1) == y), "the error rate"),
    (lambda y, p: np.mean(p.argmax(0) == y), "take argmax per row"),
    (lambda y, p: 0.75, "the worked example's answer"),
])
def test_accuracy_names_the_usual_mistakes(accuracy, hint):
    assert always_fails_with(checks.accuracy, accuracy, hint)

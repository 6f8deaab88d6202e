"""nnbook.checks.one_hot.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks


def one_hot_loops(labels, num_classes):
    rows = []
    for label in labels:
        row = [0.0] * num_classes
        row[label] = 1.0
        rows.append(row)
    return rows


def one_hot_in_place(labels, num_classes):
    encoded = np.zeros((len(labels), num_classes))
    for row, label in enumerate(labels):
        encoded[row][label] += 1.0
    return encoded


@pytest.mark.parametrize("one_hot", [
    one_hot_loops,
    one_hot_in_place,
    lambda labels, num_classes: np.eye(num_classes)[labels],
    lambda labels, num_classes: (np.arange(num_classes) == np.asarray(labels)[:, None]).astype(float),
])
def test_one_hot_accepts_right_answers(one_hot):
    assert always_passes(checks.one_hot, one_hot)


@pytest.mark.parametrize("one_hot, hint", [
    (lambda labels, k: np.eye(k)[labels].T, "rows and columns are swapped"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) - 1], "one column to the left of its place"),
    # label + 1 with k columns: an IndexError where a label is k - 1, a shift to the right where none is
    (lambda labels, k: np.eye(k)[np.asarray(labels) + 1], "label l goes in column l (no + 1)"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) + 1], "to the right of its place: labels count from 0"),
    (lambda labels, k: np.eye(k + 1)[np.asarray(labels) + 1], "there is one column too many"),
    (lambda labels, k: np.eye(max(labels) + 1)[labels], "the number of columns came from the largest label"),
    (lambda labels, k: np.eye(3)[[0, 1, 2, 0, 1, 1, 2, 0]], "the worked example's answer"),
])
def test_one_hot_names_the_usual_mistakes(one_hot, hint):
    assert always_fails_with(checks.one_hot, one_hot, hint)


def test_one_hot_worked_example_is_the_lessons_batch():
    result = checks.one_hot(lambda labels, k: np.eye(k)[labels].T)
    assert result.failures[0].case == "the worked example"
    assert result.failures[0].call == "one_hot(labels=[0, 1, 2, 0, 1, 1, 2, 0], num_classes=3)"

"""nnbook.checks.one_hot.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with

from nnbook import checks


def one_hot_loops(labels, num_classes):
    rows = []
    for label in labels:
        row = [0.0] * num_classes
        row[label] = 1.0
        rows.append(row)
    return rows


@pytest.mark.parametrize("one_hot", [
    one_hot_loops,
    lambda labels, num_classes: np.eye(num_classes)[labels],
    lambda labels, num_classes: (np.arange(num_classes) == np.asarray(labels)[:, None]).astype(float),
])
def test_one_hot_accepts_right_answers(one_hot):
    assert checks.one_hot(one_hot)


@pytest.mark.parametrize("one_hot, hint", [
    (lambda labels, k: np.eye(k)[labels].T, "rows and columns are swapped"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) - 1], "one column to the left"),
    (lambda labels, k: np.eye(k + 1)[np.asarray(labels) + 1], "one column to the right"),
    (lambda labels, k: np.eye(max(labels) + 1)[labels], "the number of columns came from the largest label"),
    (lambda labels, k: np.eye(3)[[0, 1, 2, 0, 1, 1, 2, 0]], "the worked example's answer"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) + 1], "labels run from 0 to num_classes - 1"),
])
def test_one_hot_names_the_usual_mistakes(one_hot, hint):
    assert always_fails_with(checks.one_hot, one_hot, hint)



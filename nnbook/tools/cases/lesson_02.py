"""Lesson 02's check: one_hot.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, run_check


def _one_hot_reference(labels, k):
    encoded = np.zeros((len(labels), k))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded


def _one_hot_case(name, labels, k) -> Case:
    expected = _one_hot_reference(labels, k)
    shifted_up = np.zeros((len(labels), k + 1))
    shifted_up[np.arange(len(labels)), labels + 1] = 1.0
    return Case(name, call_text("one_hot", ["labels", "num_classes"], (labels, k)), (labels, k), expected, [
        (expected.T, "rows and columns are swapped: there is one row per sample (n rows) and one column per "
                     "class (num_classes columns), so the shape is (len(labels), num_classes)."),
        (np.roll(expected, -1, axis=1), "each 1 sits one column to the left: labels start at 0, so label 0 "
                                        "goes in column 0 (no `label - 1`)."),
        (np.roll(expected, 1, axis=1) if labels.max() < k - 1 else None,
         "each 1 sits one column to the right: labels start at 0, so label 0 goes in column 0 (no "
         "`label + 1`)."),
        (shifted_up, "each 1 sits one column to the right: labels start at 0, so label 0 goes in column 0 "
                     "(no `label + 1`, and exactly num_classes columns)."),
        (_one_hot_reference(labels, labels.max() + 1),
         "the number of columns came from the largest label: use num_classes, because a batch may hold no "
         "sample of the last class."),
    ])


def one_hot(student_one_hot) -> CheckResult:
    """Check ``one_hot(labels, num_classes)``: an (n, num_classes) float array, row i all zeros except a 1
    in column ``labels[i]``."""
    rng = fresh_rng()
    k = int(rng.integers(4, 7))
    no_last_class = rng.integers(0, k - 1, size=int(rng.integers(k + 2, k + 6)))   # max label < k - 1
    while True:   # a square case: only the values can reveal swapped rows and columns
        square = rng.integers(0, k, size=k)
        if not np.array_equal(_one_hot_reference(square, k), _one_hot_reference(square, k).T):
            break
    every_class = rng.permutation(np.concatenate([np.arange(k + 1), rng.integers(0, k + 1, size=3)]))
    cases = [
        _one_hot_case("the worked example", pets().labels, 3),
        _one_hot_case("hidden case 1", no_last_class, k),
        _one_hot_case("hidden case 2", square, k),
        _one_hot_case("hidden case 3", every_class, k + 1),
    ]
    return run_check("one_hot", student_one_hot, cases,
                     advice="Start from np.zeros((len(labels), num_classes)) and put a 1 in row i, column "
                            "labels[i].",
                     error_advice=[(IndexError, "out of bounds",
                                    "a label was used as a column number beyond the last column: labels run "
                                    "from 0 to num_classes - 1 (no + 1), and the array needs num_classes "
                                    "columns.")])

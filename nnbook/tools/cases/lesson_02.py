"""Lesson 02's check: one_hot.

Each check's docstring says what the learner writes; the reference answers are one numpy line each.

Which case rejects each named mistake, on every run (the values are random, the structure is fixed):

- rows and columns swapped: every case but the square one has n != k, so the shape differs;
- ``label - 1`` (each 1 one column to the left): the worked example;
- ``label + 1`` with k columns: an IndexError on the worked example (its labels reach k - 1), the roll to the
  right on hidden case 1 (no label there reaches k - 1);
- ``label + 1`` with k + 1 columns: the worked example (wrong shape);
- the number of columns taken from the largest label: hidden case 1 (its largest label is below k - 1);
- the worked example's answer copied: hidden cases 2 and 3 (their shapes differ from (8, 3)).
"""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"one_hot": 1}

_ZERO_BASED = "labels count from 0, so label 0 belongs in column 0 and label k - 1 in the last column"


def _one_hot_reference(labels, k):
    encoded = np.zeros((len(labels), k))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded


def _one_hot_case(name, labels, k) -> Case:
    expected = _one_hot_reference(labels, k)
    shifted_up = np.zeros((len(labels), k + 1))
    shifted_up[np.arange(len(labels)), labels + 1] = 1.0
    return Case(name, call_text("one_hot", ["labels", "num_classes"], (labels, k)), (labels, k), expected, [
        (expected.T, "rows and columns are swapped: the result has one row per sample and one column per "
                     "class, shape (len(labels), num_classes)."),
        (np.roll(expected, -1, axis=1), f"each 1 sits one column to the left of its place: {_ZERO_BASED} "
                                        f"(no `label - 1`)."),
        (np.roll(expected, 1, axis=1) if labels.max() < k - 1 else None,
         f"each 1 sits one column to the right of its place: {_ZERO_BASED} (no `label + 1`)."),
        (shifted_up, f"each 1 sits one column to the right of its place, and there is one column too many: "
                     f"{_ZERO_BASED}, so exactly num_classes columns are enough (no `label + 1`)."),
        (_one_hot_reference(labels, labels.max() + 1),
         "the number of columns came from the largest label: use num_classes, because a batch may hold no "
         "sample of the last class and still needs a column for it."),
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
                     advice="Start from an array of zeros of shape (len(labels), num_classes), e.g. "
                            "np.zeros((len(labels), num_classes)), then for each sample i put 1.0 in row i, "
                            "column labels[i].",
                     error_advice=[(IndexError, "out of bounds",
                                    "a label was used as a column number past the last column: labels run "
                                    "from 0 to num_classes - 1, so label l goes in column l (no + 1), and the "
                                    "array needs num_classes columns.")])

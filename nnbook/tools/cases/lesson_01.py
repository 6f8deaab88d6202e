"""Lesson 01's check: softmax.

The check's docstring says what the learner writes; the reference answer is one numpy line. Answers that hold
nan or inf (an overflow, a 0/0) get a sentence saying so (``common.compare_finite``)."""

from __future__ import annotations

import numpy as np

from nnbook.tools.cases.common import compare_finite, fresh_rng, same_numbers
from nnbook.tools.grading import Case, CheckResult, call_text, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"softmax": 1}


def _reference(z):
    """Softmax of each row: exp of the scores minus the row's largest, divided by the row's sum."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


OVERFLOW = ("exp overflowed: np.exp(1000) is inf (floats stop near 1.8e308, that is exp(709.8)), and inf / inf "
            "is nan. Subtract each row's largest score before the exp: the result does not change, since "
            "exp(s - c) / sum exp(s - c) = exp(s) / sum exp(s), and the largest exponent becomes exp(0) = 1.")
GLOBAL_MAX = ("that subtracts the largest score of the whole array, not of each row: a row far below it "
              "underflows, every exp(-2000) is 0, and 0 / 0 is nan. Subtract each row's own largest score "
              "(z.max(axis=1, keepdims=True)).")
COLUMNS = ("the columns sum to 1, not the rows: each row is one sample, so divide each exp by the sum of its "
           "own row (axis=1, keepdims=True).")
WHOLE = ("that divides by the sum of the whole array, so only all the entries together sum to 1: each row is "
         "one sample, and each row must sum to 1 on its own (sum over axis=1, keepdims=True).")
NO_EXP = ("the exp is missing: dividing the scores by their sum gives negative 'probabilities' and breaks "
          "when a row sums to 0. Take exp of each score (minus the row's largest) first, then divide.")
UNNORMALISED = "those are the exps, not yet divided by their row's sum: the rows must sum to 1."
BROADCAST = ("the shapes do not line up: z.sum(axis=1) has shape (n,), which numpy lines up with the "
             "columns, not the rows. Keep the summed axis with keepdims=True (shape (n, 1)), or index [:, None].")


def _softmax_case(name, z) -> Case:
    args = (z,)
    with np.errstate(all="ignore"):
        e = np.exp(z)
        shifted = np.exp(z - z.max(axis=1, keepdims=True))
        by_global = np.exp(z - z.max())
        mistakes = [
            (e / e.sum(axis=1, keepdims=True), OVERFLOW),
            (by_global / by_global.sum(axis=1, keepdims=True), GLOBAL_MAX),
            (e / e.sum(axis=0, keepdims=True), COLUMNS),
            (shifted / shifted.sum(axis=0, keepdims=True), COLUMNS),
            (e / e.sum(), WHOLE),
            (shifted / shifted.sum(), WHOLE),
            (z / z.sum(axis=1, keepdims=True), NO_EXP),
            ((z - z.max(axis=1, keepdims=True)) / (z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
             NO_EXP),
            (e, UNNORMALISED),
            (shifted, UNNORMALISED),
        ]
    return Case(name, call_text("softmax", ["z"], args), args, _reference(z), mistakes)


def _shape(rng, wide: bool):
    """(n, k) with n != k: n < k when ``wide``, else n > k, so no row/column mix-up can pass."""
    small, large = sorted(int(size) for size in rng.choice(np.arange(2, 6), 2, replace=False))
    return (small, large) if wide else (large, small)


def softmax(student_softmax) -> CheckResult:
    """Check ``softmax(z)``: z (n, k) scores, one row per sample -> (n, k) probabilities, each row the exps
    of its scores divided by their sum (after subtracting the row's largest score, so scores in the
    thousands do not overflow)."""
    rng = fresh_rng()
    ordinary = np.round(rng.uniform(-3, 3, _shape(rng, wide=True)), 2)
    tall = np.round(rng.uniform(-5, 5, _shape(rng, wide=False)), 2)
    n = int(rng.integers(2, 4))
    k = n + int(rng.integers(1, 3))                                      # never square
    thousands = float(rng.integers(1, 4)) * 1000 + np.round(rng.uniform(0, 4, (n, k)), 2)   # e.g. 1000 .. 1004
    apart = np.round(rng.uniform(-2, 2, (2, int(rng.integers(3, 6)))), 2)
    apart[int(rng.integers(0, 2))] += float(rng.integers(1500, 2500))   # one row near 0, the other near 2000
    cases = [
        _softmax_case("the worked example", np.array([[np.log(3), 0.0]])),   # lesson 01: 75% cat, 25% dog
        _softmax_case("hidden case 1", ordinary),
        _softmax_case("hidden case 2", thousands),
        _softmax_case("hidden case 3", apart),
        _softmax_case("hidden case 4", tall),
    ]
    with np.errstate(all="ignore"):   # a learner's overflow is explained in the hint, not in a warning
        return run_check("softmax", student_softmax, cases, compare=compare_finite, same=same_numbers,
                         advice="Each row is one sample: take exp of its scores minus the row's largest score, "
                                "then divide by the row's sum, so every row is positive and sums to 1. The "
                                "result has z's shape (n, k).",
                         error_advice=[(OverflowError, "", OVERFLOW), (ValueError, "broadcast", BROADCAST)])

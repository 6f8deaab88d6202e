"""Lesson 10's check: split_validation.

The learner shuffles the rows with a given order, then holds out the LAST ``validation_split`` of them, as
Keras's ``fit(validation_split=...)`` and nnbook's ``Sequential.fit`` do: the training part ends at
``int(n * (1 - validation_split))``, n times the training fraction rounded down. The reference answer is a few
numpy lines; each usual mistake's answer is computed beside it, and the hidden cases are drawn until every
one of them differs from the right answer.
"""

from __future__ import annotations

import math

import numpy as np

from nnbook.data import drug_trial
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, compare_parts, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"split_validation": 1}

PARTS = ["x_train", "labels_train", "x_val", "labels_val"]
_compare = compare_parts(PARTS)

_ROUNDING_HINT = ("the split is in the wrong place: the training part gets n * (1 - validation_split) rows "
                  "rounded DOWN, int(n * (1 - validation_split)), and validation gets the rest, as Keras and "
                  "Sequential.fit do.")


def split_at(n: int, validation_split: float) -> int:
    """Where the validation rows start: Keras's and ``Sequential.fit``'s ``int(n * (1 - validation_split))``."""
    return int(n * (1 - validation_split))


def _parts(x, labels, at):
    return x[:at], labels[:at], x[at:], labels[at:]


def _split_case(name, x, labels, order, validation_split) -> Case:
    args = (x, labels, order, validation_split)
    n = len(x)
    at = split_at(n, validation_split)
    mixed_x, mixed_labels = x[order], labels[order]       # row i of the shuffled data is row order[i]
    expected = _parts(mixed_x, mixed_labels, at)
    inverse = np.argsort(order)
    roundings = {math.ceil(n * (1 - validation_split)), round(n * (1 - validation_split)),
                 n - int(n * validation_split), n - round(n * validation_split)} - {at, 0, n}
    mistakes = [
        (_parts(x, labels, at),
         "the order was ignored: these are the rows as they came. Put them in the given order first "
         "(x[order], labels[order]), then split: on sorted data the last rows are not a fair sample."),
        (_parts(mixed_x, mixed_labels, at)[2:] + _parts(mixed_x, mixed_labels, at)[:2],
         "training and validation are swapped: return (x_train, labels_train, x_val, labels_val), the "
         "training part first."),
        (_parts(mixed_x, mixed_labels, n - at)[2:] + _parts(mixed_x, mixed_labels, n - at)[:2],
         "the validation rows were taken from the front: hold out the LAST rows of the shuffled data, as "
         "fit(validation_split=...) does."),
        (_parts(mixed_x, mixed_labels, int(n * validation_split)),
         "validation_split is the fraction held out for validation, not the fraction kept for training."),
        ((None, labels[:at], None, labels[at:]),
         "x was reordered but the labels were not: each label must stay with its row, so reorder both "
         "with the same order."),
        ((x[:at], None, x[at:], None),
         "the labels were reordered but x was not: each row of x must stay with its label, so reorder both "
         "with the same order."),
        (_parts(x[inverse], labels[inverse], at),
         "the order is used the other way round: row i of the shuffled data is row order[i] of the "
         "original, x[order]."),
        *[(_parts(mixed_x, mixed_labels, other), _ROUNDING_HINT) for other in sorted(roundings)],
    ]
    return Case(name, call_text("split_validation", ["x", "labels", "order", "validation_split"], args), args,
                expected, mistakes)


def _separates(case: Case) -> bool:
    """Every usual mistake gives a wrong answer on this case, so the case can name it."""
    return all(_compare(wrong, case.expected) is not None for wrong, _ in case.mistakes)


def _random_case(rng, name, sizes_and_splits) -> Case:
    """Small data whose rows are told apart at a glance: x holds distinct one-decimal numbers, two
    features per row; labels are classes 0, 1, 2. Drawn again until every usual mistake shows."""
    while True:
        n, validation_split = sizes_and_splits[int(rng.integers(len(sizes_and_splits)))]
        x = rng.permutation(np.arange(10, 10 + 2 * n)).reshape(n, 2) / 10
        labels = rng.integers(0, 3, size=n)
        order = rng.permutation(n)
        case = _split_case(name, x, labels, order, validation_split)
        if _separates(case):
            return case


def _splits(fractions, lowest, highest, sizes=range(5, 13)):
    """(n, validation_split) pairs whose n * (1 - validation_split) has a fractional part in [lowest, highest],
    far from a whole number, so that any way of rounding it gives the same answer in floating point."""
    return [(n, s) for n in sizes for s in fractions
            if lowest <= n * (1 - s) - math.floor(n * (1 - s)) <= highest and 0 < split_at(n, s) < n]


#: n * (1 - split) just above a whole number: rounding up (math.ceil) shows; to nearest (round) shows next.
_JUST_ABOVE = _splits((0.2, 0.25, 0.3, 0.4), 0.15, 0.45)
#: n * (1 - split) just below a whole number: rounding to the nearest and rounding up both show.
_JUST_BELOW = _splits((0.15, 0.2, 0.3, 0.35, 0.4), 0.55, 0.9)
#: n * (1 - split) a whole number, exact in floating point: every right way of rounding agrees.
_WHOLE = [(4, 0.25), (8, 0.25), (12, 0.25), (8, 0.125), (8, 0.375)]


def _worked_example() -> Case:
    """Lesson 10's study: 2100 people in the order they were generated (the exceptions last), shuffled
    with the lesson's seeded order, 10% held out: 1890 rows to train on and 210 to validate."""
    ordered = drug_trial(seed=0, shuffle=False)
    order = np.random.default_rng(0).permutation(ordered.labels.size)
    return _split_case("the worked example", ordered.x, ordered.labels, order, 0.1)


def split_validation(student_split_validation) -> CheckResult:
    """Check ``split_validation(x, labels, order, validation_split)`` -> ``(x_train, labels_train, x_val,
    labels_val)``: rows in the given order (``x[order]``, ``labels[order]``), then the last
    ``validation_split`` of them held out, from row ``int(n * (1 - validation_split))`` on."""
    rng = fresh_rng()
    cases = [
        _worked_example(),
        _random_case(rng, "hidden case 1", _JUST_BELOW),
        _random_case(rng, "hidden case 2", _JUST_ABOVE),
        _random_case(rng, "hidden case 3", _WHOLE),
    ]
    return run_check("split_validation", student_split_validation, cases, compare=_compare,
                     advice="Reorder both x and labels with order (x[order], labels[order]); then the first "
                            "int(n * (1 - validation_split)) rows train and the rest validate. Return "
                            "(x_train, labels_train, x_val, labels_val).",
                     error_advice=[(TypeError, "slice indices must be integers",
                                    "a row number must be a whole number: round n * (1 - validation_split) "
                                    "down with int(...) before slicing.")])

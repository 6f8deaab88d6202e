"""Lesson 08's check: accuracy.

Each check's docstring says what the learner writes; the reference answers are one numpy line each.

Which case rejects each named mistake, on every run (the values are random, the structure is fixed):

- the worked example (the lesson's eight pictures, accuracy 0.75) separates the percentage, the count, the
  error rate, the mean probability of the true class and the probabilities compared with the labels; an
  argmax over the wrong axis raises there (3 columns against 8 labels);
- hidden case 2 holds the largest probability of the whole array in its first row, which is predicted
  right, so ``np.argmax`` without ``axis=1`` gives a class number that some labels equal; it is redrawn
  until that fraction differs from the right answer and from every other named value;
- hidden case 1 is redrawn until no named value equals 0.75, so a copied worked answer is caught as such.
"""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng, random_probabilities
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"accuracy": 1}

_NO_AXIS = "np.argmax without axis=1 gives one index for the whole array: take the argmax of each row."


def _accuracy_case(name, labels, probabilities) -> Case:
    args = (labels, probabilities)
    n = len(labels)
    predicted = np.argmax(probabilities, axis=1)
    expected = float(np.mean(predicted == labels))
    compared_probabilities = ("the probabilities themselves were compared with the labels: first turn each "
                              "row into its predicted class, the position of its largest probability, then "
                              "compare those classes with the labels.")
    return Case(name, call_text("accuracy", ["labels", "probabilities"], args), args, expected, [
        (100 * expected, "that is a percentage: return a fraction between 0 and 1."),
        (expected * n, "that is a count of the rows predicted right: divide by the number of rows."),
        (1 - expected, "that is the error rate, the fraction of rows predicted wrong: return the fraction "
                       "predicted right."),
        (float(np.mean(probabilities[np.arange(n), labels])),
         "that is the mean probability given to the true class: accuracy counts the rows whose largest "
         "probability sits at the label, however large it is."),
        (float(np.mean(probabilities.max(axis=1) == labels)), compared_probabilities),
        (float(np.mean(probabilities == labels[:, None])), compared_probabilities),
        (float(np.mean(np.argmax(probabilities) == labels)), _NO_AXIS),
    ])


def _clear_winners(probabilities) -> bool:
    """True when every row has a single largest entry (no ties) and at least two classes are predicted."""
    top_two = np.sort(probabilities, axis=1)[:, -2:]
    return bool(np.all(top_two[:, 1] > top_two[:, 0])) and len(set(np.argmax(probabilities, axis=1))) > 1


def _hidden_case(name, rng, first_row_holds_the_maximum=False) -> Case:
    """Some rows right, some wrong; never 0.75 (the worked example's) or 0.25 (its error rate), so that a
    copied 0.75 is caught as such."""
    k = int(rng.integers(3, 6))
    n = int(rng.integers(k + 3, 13))
    probabilities = random_probabilities(rng, n, k)
    while not _clear_winners(probabilities):
        probabilities = random_probabilities(rng, n, k)
    if first_row_holds_the_maximum:
        top = int(np.argmax(probabilities.max(axis=1)))
        probabilities[[0, top]] = probabilities[[top, 0]]
    labels = np.argmax(probabilities, axis=1)
    right = int(rng.integers(1, n))
    while right / n in (0.25, 0.75):
        right = int(rng.integers(1, n))
    # The first row stays right when it holds the maximum: then argmax without axis=1 is its label.
    wrong = rng.choice(np.arange(1, n) if first_row_holds_the_maximum else n, size=n - right, replace=False)
    labels[wrong] = (labels[wrong] + rng.integers(1, k, size=wrong.size)) % k
    return _accuracy_case(name, labels, probabilities)


def _apart(value, others) -> bool:
    return all(other is None or compare_numbers(value, other) is not None for other in others)


def accuracy(student_accuracy) -> CheckResult:
    """Check ``accuracy(labels, probabilities)``: the fraction of rows whose argmax equals the label,
    ``mean(argmax(probabilities, axis=1) == labels)``."""
    rng = fresh_rng()
    batch = pets()
    worked = _accuracy_case("the worked example", batch.labels, batch.predictions)
    while True:   # a copied 0.75 equals no named mistake here
        first = _hidden_case("hidden case 1", rng)
        if _apart(worked.expected, [wrong for wrong, _ in first.mistakes]):
            break
    while True:   # argmax without axis=1 gives a value of its own here
        second = _hidden_case("hidden case 2", rng, first_row_holds_the_maximum=True)
        no_axis = second.mistakes[-1][0]
        if _apart(no_axis, [second.expected] + [wrong for wrong, _ in second.mistakes[:-1]]):
            break
    return run_check("accuracy", student_accuracy, [worked, first, second],
                     advice="The predicted class of a row is the position of its largest probability, "
                            "np.argmax(probabilities, axis=1); accuracy is the fraction of rows where it "
                            "equals the label: np.mean(predicted == labels).",
                     error_advice=[(ValueError, "broadcast",
                                    "the shapes do not match: take the argmax of each row (axis=1), giving "
                                    "one predicted class per sample, like labels.")])

"""Lesson 08's check: accuracy.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import numpy as np

from nnbook.data import pets
from nnbook.tools.cases.common import fresh_rng, random_probabilities
from nnbook.tools.grading import Case, CheckResult, call_text, run_check


def _accuracy_case(name, labels, probabilities) -> Case:
    args = (labels, probabilities)
    n = len(labels)
    predicted = np.argmax(probabilities, axis=1)
    expected = float(np.mean(predicted == labels))
    compared_probabilities = ("probabilities were compared with the labels (or np.argmax ran without "
                              "axis=1): first turn each row into its predicted class with "
                              "np.argmax(probabilities, axis=1), then compare.")
    return Case(name, call_text("accuracy", ["labels", "probabilities"], args), args, expected, [
        (100 * expected, "that is a percentage: return a fraction between 0 and 1."),
        (expected * n, "that is a count of correct rows: divide by the number of rows."),
        (1 - expected, "that is the error rate, the fraction of wrong rows: return the fraction of right ones."),
        (float(np.mean(probabilities[np.arange(n), labels])),
         "that is the mean probability given to the true class: accuracy counts the rows whose largest "
         "probability (argmax) is at the label."),
        (float(np.mean(probabilities.max(axis=1) == labels)), compared_probabilities),
        (float(np.mean(probabilities == labels[:, None])), compared_probabilities),
        (float(np.mean(np.argmax(probabilities) == labels)),
         "np.argmax without axis=1 gives one index for the whole array: take it per row."),
    ])


def _clear_winners(probabilities) -> bool:
    """True when every row has a single largest entry (no ties) and at least two classes are predicted."""
    top_two = np.sort(probabilities, axis=1)[:, -2:]
    return bool(np.all(top_two[:, 1] > top_two[:, 0])) and len(set(np.argmax(probabilities, axis=1))) > 1


def accuracy(student_accuracy) -> CheckResult:
    """Check ``accuracy(labels, probabilities)``: the fraction of rows whose argmax equals the label,
    ``mean(argmax(probabilities, axis=1) == labels)``."""
    rng = fresh_rng()
    batch = pets()
    cases = [_accuracy_case("the worked example", batch.labels, batch.predictions)]
    for number in (1, 2):
        k = int(rng.integers(3, 6))
        n = int(rng.integers(k + 3, 13))
        probabilities = random_probabilities(rng, n, k)
        while not _clear_winners(probabilities):
            probabilities = random_probabilities(rng, n, k)
        labels = np.argmax(probabilities, axis=1)
        # Some rows right, some wrong; never 0.75 (the worked example's) or 0.25 (its error rate), so that
        # a copied 0.75 is caught as such.
        right = int(rng.integers(1, n))
        while right / n in (0.25, 0.75):
            right = int(rng.integers(1, n))
        wrong = rng.choice(n, size=n - right, replace=False)
        labels[wrong] = (labels[wrong] + rng.integers(1, k, size=wrong.size)) % k
        cases.append(_accuracy_case(f"hidden case {number}", labels, probabilities))
    return run_check("accuracy", student_accuracy, cases,
                     advice="Predicted class of each row = np.argmax(probabilities, axis=1); accuracy is "
                            "the fraction of rows where it equals the label.",
                     error_advice=[(ValueError, "broadcast",
                                    "the shapes do not match: take argmax per row (axis=1), giving one "
                                    "predicted class per sample, like labels.")])

"""Lesson 09's check: scale_like_training.

The learner prepares new people's ages exactly as the training ages were prepared: min-max scaled with the
TRAINING data's youngest and oldest age, one row per person. The reference answer is one numpy line; each
usual mistake's answer is computed beside it, and the hidden cases are drawn so that every one of them
differs from the right answer on every run.
"""

from __future__ import annotations

import numpy as np

from nnbook.data import drug_trial
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"scale_like_training": 1}

#: Lesson 09's new people: nobody in the study, only their ages are known.
WORKED_NEW_AGES = [18, 35, 52, 61, 64, 66, 70, 85, 99]
#: The study's range (lessons 05-10): what a learner who copies lesson 09's (age - 13) / 87 uses.
STUDY_MIN, STUDY_MAX = 13, 100

_SHAPE_HINT = ("the values are right but the shape is not: the network takes one row per person and one "
               "column for the age, shape (n, 1), like the training input trial.x (reshape(-1, 1)).")
_SWAPPED_HINT = ("min and max are swapped: subtract the training data's smallest age and divide by its "
                 "largest minus its smallest, so the youngest training age becomes 0 and the oldest 1.")


def _scale_case(name, new_ages, training_ages) -> Case:
    args = (new_ages, training_ages)
    ages = np.asarray(new_ages, dtype=float)
    low, high = float(np.min(training_ages)), float(np.max(training_ages))   # the training data's range
    expected = ((ages - low) / (high - low)).reshape(-1, 1)

    def column(values):
        return np.asarray(values, dtype=float).reshape(-1, 1)

    own_low, own_high = ages.min(), ages.max()
    return Case(name, call_text("scale_like_training", ["new_ages", "training_ages"], args), args, expected, [
        (column((ages - own_low) / (own_high - own_low)),
         "that scales the new ages with their OWN youngest and oldest: the same age would then give a "
         "different input in every group of new people. Use the training data's min and max: "
         "(age - min(training_ages)) / (max(training_ages) - min(training_ages))."),
        (column(ages / high), "that divides by the largest training age only: subtract the smallest first, "
                              "and divide by the range, max - min."),
        (column((ages - low) / high), "that divides by the largest training age: divide by the range, "
                                      "max(training_ages) - min(training_ages)."),
        (column(ages / (high - low)), "the smallest training age was not subtracted first: (age - min) / "
                                      "(max - min), so the youngest training age becomes 0."),
        (None if (low, high) == (STUDY_MIN, STUDY_MAX) else column((ages - STUDY_MIN) / (STUDY_MAX - STUDY_MIN)),
         "that uses the study's 13 and 100 whatever the training data is: take the min and the max of "
         "training_ages."),
        (column((ages - high) / (high - low)), _SWAPPED_HINT),
        (column((ages - high) / (low - high)), _SWAPPED_HINT),
        (expected.reshape(-1), _SHAPE_HINT),
        (expected.reshape(1, -1), _SHAPE_HINT),
    ])


def _random_case(rng, name, size, as_list):
    """New ages strictly inside a training range unlike 13..100, so that their own min and max differ from
    the training data's; ``as_list`` gives the new ages as a Python list, as a learner might type them."""
    low, high = int(rng.integers(16, 31)), int(rng.integers(72, 96))
    training = rng.integers(low, high + 1, size=int(rng.integers(8, 15)))
    training[rng.permutation(training.size)[:2]] = [low, high]   # the range is exactly low..high
    new = rng.choice(np.arange(low + 1, high), size=size, replace=False)
    return _scale_case(name, new.tolist() if as_list else new, training)


def scale_like_training(student_scale_like_training) -> CheckResult:
    """Check ``scale_like_training(new_ages, training_ages)``: the new ages (a list or an array, n of them)
    min-max scaled with the training ages' min and max, ``(age - min) / (max - min)``, shape (n, 1)."""
    rng = fresh_rng()
    cases = [
        _scale_case("the worked example", list(WORKED_NEW_AGES), drug_trial(seed=0).ages),
        _random_case(rng, "hidden case 1", len(WORKED_NEW_AGES), as_list=False),
        _random_case(rng, "hidden case 2", int(rng.integers(3, 7)), as_list=True),
        _random_case(rng, "hidden case 3", 2, as_list=False),
    ]
    return run_check("scale_like_training", student_scale_like_training, cases,
                     advice="Prepare new ages exactly like the training ages: x = (age - min(training_ages)) / "
                            "(max(training_ages) - min(training_ages)), one row per person, shape (n, 1).",
                     error_advice=[(AttributeError, "'list' object",
                                    "new_ages may come as a list: make it an array first, "
                                    "np.asarray(new_ages, dtype=float).")])

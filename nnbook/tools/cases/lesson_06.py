"""Lesson 06's check: iterations_per_epoch.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import math

import numpy as np

from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, run_check


def _compare_whole(received, expected) -> str | None:
    if isinstance(received, (int, np.integer)) and not isinstance(received, (bool, np.bool_)):
        return None if int(received) == expected else "the count is wrong"
    problem = compare_numbers(received, expected)
    if problem is None:
        return ("the right count, but as a float: a number of iterations is a whole number, so return an "
                "int (math.ceil gives one; wrap np.ceil in int(...))")
    return problem


def _iterations_case(name, n_samples, batch_size) -> Case:
    args = (n_samples, batch_size)
    expected = math.ceil(n_samples / batch_size)
    return Case(name, call_text("iterations_per_epoch", ["n_samples", "batch_size"], args), args, expected, [
        (n_samples // batch_size, "that rounds down, dropping the last, smaller batch: round up, since a "
                                  "partial batch is still one iteration (math.ceil)."),
        (n_samples / batch_size if n_samples % batch_size else None,
         "that is n_samples / batch_size unrounded: round it up to a whole number."),
        (round(n_samples / batch_size), "that rounds to the nearest whole number: round up instead; a "
                                        "partial batch is still one iteration."),
        (n_samples // batch_size + 1, "adding 1 to the floor is wrong when the batch size divides the "
                                      "samples evenly: round up with math.ceil."),
        (math.ceil(batch_size / n_samples), "the arguments are swapped: n_samples / batch_size."),
    ])


def iterations_per_epoch(student_iterations_per_epoch) -> CheckResult:
    """Check ``iterations_per_epoch(n_samples, batch_size)``: ``ceil(n_samples / batch_size)``, an int
    (the last batch may be smaller; it still counts)."""
    rng = fresh_rng()
    batch_size = int(rng.choice([8, 10, 16, 32, 64]))
    uneven = int(rng.integers(3, 200)) * batch_size + int(rng.integers(1, batch_size))
    even_batch = int(rng.choice([10, 25, 32, 50]))
    small_batch = int(rng.choice([32, 64, 128]))
    cases = [
        _iterations_case("the worked example", 2100, 32),
        _iterations_case("hidden case 1", uneven, batch_size),
        _iterations_case("hidden case 2", int(rng.integers(3, 100)) * even_batch, even_batch),
        _iterations_case("hidden case 3", int(rng.integers(1, small_batch)), small_batch),
    ]
    return run_check("iterations_per_epoch", student_iterations_per_epoch, cases, compare=_compare_whole,
                     same=lambda received, wrong: compare_numbers(received, wrong) is None,
                     advice="Every batch is one iteration, and the last batch may be smaller: "
                            "ceil(n_samples / batch_size).")

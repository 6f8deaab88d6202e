"""Lesson 04's checks: update_weight and gradient_descent.

Each check's docstring says what the learner writes; the reference answers are one numpy line each.

Which case rejects each named mistake, on every run (the values are random, the structure is fixed):

- update_weight: the worked example (W = 0.38, slope -0.55, lr 0.01) gives seven different values for the
  right answer and the six named mistakes; hidden case 3 is an array, so a copied 0.3855 is caught as such.
- gradient_descent: the worked example separates every named mistake except following ``bowl_slope``,
  which is the worked example's own gradient_fn; the hidden bowls have their bottom at a two-decimal c,
  never at 0.655, so their paths differ from bowl_slope's by the second step at the latest. Hidden case 3
  starts from an array, so a copied worked path is caught as such.
"""

from __future__ import annotations

import numpy as np

from nnbook.descent import bowl_slope
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"update_weight": 1, "gradient_descent": 1}


def _update_case(name, w, gradient, learning_rate) -> Case:
    args = (w, gradient, learning_rate)
    expected = w - learning_rate * gradient
    return Case(name, call_text("update_weight", ["w", "gradient", "learning_rate"], args), args, expected, [
        (w + learning_rate * gradient, "the step went uphill, the way the slope points: a negative slope "
                                       "means the loss falls as w grows, so w must grow (and shrink for a "
                                       "positive slope). Move against the slope."),
        (w - gradient, "the whole slope was taken as the step: the learning rate is missing; it scales the "
                       "slope down to a small step."),
        (w + gradient, "the learning rate is missing and the step went uphill: scale the slope by the "
                       "learning rate, and move against it."),
        (-learning_rate * gradient, "that is only the step, how far w moves: return the new weight, w "
                                    "moved by that step."),
        (learning_rate * gradient, "that is only the step, and with the wrong sign: return the new weight, "
                                   "w moved against the slope."),
        (w - gradient / learning_rate, "the slope was divided by the learning rate, so a small learning rate "
                                       "made a huge step: multiply by it instead."),
    ])


def update_weight(student_update_weight) -> CheckResult:
    """Check ``update_weight(w, gradient, learning_rate)``: one gradient-descent step,
    ``w - learning_rate * gradient``, for a float or an array ``w``."""
    rng = fresh_rng()

    def slope(size=None):
        magnitude = np.round(rng.uniform(0.2, 3.0, size), 2)
        return magnitude * rng.choice([-1.0, 1.0], size)

    cases = [_update_case("the worked example", 0.38, -0.55, 0.01)]
    for number in (1, 2):
        cases.append(_update_case(f"hidden case {number}", float(np.round(rng.uniform(-2, 2), 3)), float(slope()),
                                  float(rng.choice([0.1, 0.05, 0.01, 0.001]))))
    cases.append(_update_case("hidden case 3", np.round(rng.uniform(-2, 2, 3), 3), slope(3),
                              float(rng.choice([0.1, 0.05, 0.01]))))
    return run_check("update_weight", student_update_weight, cases,
                     advice="The update rule of lesson 04: w_new = w - learning_rate * gradient. The minus "
                            "sign moves w against the slope; the learning rate sets the size of the step.")


def _descend(gradient_fn, w0, learning_rate, steps, sign=-1.0):
    path = [np.asarray(w0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] + sign * learning_rate * np.asarray(gradient_fn(path[-1]), dtype=float))
    return np.array(path)


def _descent_case(name, gradient_fn, w0, learning_rate, steps, where="") -> Case:
    args = (gradient_fn, w0, learning_rate, steps)
    call = call_text("gradient_descent", ["gradient_fn", "w0", "learning_rate", "steps"], args) + where
    expected = _descend(gradient_fn, w0, learning_rate, steps)
    mistakes = [
        (expected[1:], "the starting weight w0 is missing: the path starts with w0, then one weight per "
                       "step (steps + 1 in all)."),
        (expected[:-1], "one step too few: take exactly `steps` steps, and keep w0 first (steps + 1 weights)."),
        (_descend(gradient_fn, w0, learning_rate, steps + 1), "one step too many: take exactly `steps` steps "
                                                               "(steps + 1 weights with w0)."),
        (_descend(gradient_fn, w0, learning_rate, steps, sign=+1.0),
         "the path goes uphill: each step moved w the way the slope points; move against it, as in "
         "update_weight."),
        (_descend(gradient_fn, w0, 1.0, steps), "the learning rate is missing: each step is the slope at the "
                                                "current weight scaled by the learning rate."),
        (expected[-1], "only the last weight came back: return every weight visited, w0 first (steps + 1 "
                       "weights)."),
        (np.array([expected[-1]] * (steps + 1)),
         "every entry is the last weight: w was changed in place (w -= ...) so the list holds the same array "
         "many times; write w = w - learning_rate * gradient, which makes a new array."),
    ]
    if gradient_fn is not bowl_slope:
        mistakes.append((_descend(bowl_slope, w0, learning_rate, steps),
                         "that path follows bowl_slope: call the gradient_fn you were given."))
    return Case(name, call, args, expected, mistakes)


def _bowl(rng):
    """A random bowl's slope function 2 a (w - c) and its description."""
    a, c = float(np.round(rng.uniform(0.5, 2.0), 2)), float(np.round(rng.uniform(-1, 1), 2))

    def slope(w):
        return 2 * a * (w - c)

    return slope, c, f" where slope(w) = 2 * {a:g} * (w - {c:g})"


def gradient_descent(student_gradient_descent) -> CheckResult:
    """Check ``gradient_descent(gradient_fn, w0, learning_rate, steps)``: the ``steps + 1`` weights visited,
    ``w0`` first, each ``w_next = w - learning_rate * gradient_fn(w)``."""
    rng = fresh_rng()
    cases = [_descent_case("the worked example", bowl_slope, 0.38, 0.01, 3)]
    for number in (1, 2):
        slope, c, where = _bowl(rng)
        w0 = float(np.round(c + rng.choice([-1, 1]) * rng.uniform(0.5, 2), 2))
        cases.append(_descent_case(f"hidden case {number}", slope, w0, float(rng.choice([0.05, 0.1, 0.2])),
                                   int(rng.integers(3, 7)), where))
    slope, c, where = _bowl(rng)
    cases.append(_descent_case("hidden case 3", slope, np.round(c + rng.uniform(0.5, 2, 2), 2),
                               float(rng.choice([0.05, 0.1])), int(rng.integers(3, 5)), where))
    return run_check("gradient_descent", student_gradient_descent, cases,
                     advice="Start a list with w0; then, `steps` times, ask gradient_fn for the slope at the "
                            "current w, take one step w = w - learning_rate * gradient_fn(w) (your "
                            "update_weight), and append the new w.")

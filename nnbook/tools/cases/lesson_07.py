"""Lesson 07's check: adam_step.

The check's docstring says what the learner writes. The reference is Keras's form of Adam, the one
:class:`nnbook.optimizers.Adam` uses; the paper's form, which adds epsilon to the bias-corrected sqrt(v)
instead, is accepted as well (the two differ only where epsilon sits)."""

from __future__ import annotations

import numpy as np

from nnbook.tools.cases.common import compare_finite, fresh_rng, same_numbers
from nnbook.tools.grading import Case, CheckResult, call_text, compare_parts, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"adam_step": 1}

PARTS = ["w_new", "m_new", "v_new"]
PARAMETERS = ["w", "gradient", "m", "v", "t"]
DEFAULTS = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}


def _adam(w, g, m, v, t, learning_rate, beta_1, beta_2, epsilon, *, form="keras", t_m=None, t_v=None,
          correct_m=True, correct_v=True, square=True, sign=-1, root=True):
    """One Adam step, Keras's form or the paper's, with switches for the usual mistakes.

    ``t_m``/``t_v``: the t of the bias correction of m / of v (``None``: t itself); ``correct_m``/``correct_v``:
    whether m / v is bias-corrected at all; ``square``: v averages g**2 (else g); ``sign``: -1 steps against m;
    ``root``: divide by sqrt(v) (else by v).
    """
    t_m, t_v = (t if t_m is None else t_m), (t if t_v is None else t_v)
    m_new = m + (g - m) * (1 - beta_1)
    v_new = v + ((g * g if square else g) - v) * (1 - beta_2)
    # the bias corrections 1 - beta^t, as numpy floats so that a t of 0 gives inf or nan rather than an error
    correction_m = 1 - np.float64(beta_1) ** t_m if correct_m else np.float64(1)
    correction_v = 1 - np.float64(beta_2) ** t_v if correct_v else np.float64(1)
    scale = np.sqrt if root else (lambda x: x)
    if form == "keras":   # alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t); w - alpha m / (sqrt(v) + eps)
        alpha = learning_rate * scale(correction_v) / correction_m
        w_new = w + sign * alpha * m_new / (scale(v_new) + epsilon)
    else:                 # m_hat = m / (1 - beta_1^t), v_hat = v / (1 - beta_2^t); w - lr m_hat / (sqrt(v_hat) + eps)
        w_new = w + sign * learning_rate * (m_new / correction_m) / (scale(v_new / correction_v) + epsilon)
    return w_new, m_new, v_new


class _Answer(tuple):
    """Keras's (w_new, m_new, v_new), shown as the expected answer; ``paper_w_new`` is the paper's w_new."""

    paper_w_new = None


_compare_parts = compare_parts(PARTS, compare=compare_finite)


def _compare(received, expected) -> str | None:
    """Right when w_new matches Keras's form or the paper's, and m_new and v_new match."""
    problem = _compare_parts(received, expected)
    if problem is None or getattr(expected, "paper_w_new", None) is None:
        return problem
    return problem if _compare_parts(received, (expected.paper_w_new, *expected[1:])) is not None else None


_same_parts = compare_parts(PARTS, compare=lambda got, want: None if same_numbers(got, want) else "differs")


def _same(received, wrong) -> bool:
    return _same_parts(received, wrong) is None


NO_CORRECTION = ("no bias correction: m and v start at 0, so early on they are far too small (after the first "
                 "step m is only (1 - beta_1) g). Divide m by 1 - beta_1**t and v by 1 - beta_2**t before the "
                 "step, or, as Keras does, take the step size learning_rate * sqrt(1 - beta_2**t) / "
                 "(1 - beta_1**t).")
ONLY_M = ("only m was bias-corrected: v needs its own correction too, v / (1 - beta_2**t) (in Keras's form, "
          "the step size's factor sqrt(1 - beta_2**t)).")
ONLY_V = ("only v was bias-corrected: m needs its own correction too, m / (1 - beta_1**t) (in Keras's form, "
          "the step size's division by 1 - beta_1**t).")
NOT_SQUARED = ("v must be the running mean of the squared gradient, g**2, not of g: "
               "v_new = beta_2 * v + (1 - beta_2) * g**2.")
SIGN = ("the step has the wrong sign: like gradient descent, Adam moves w against the (averaged) gradient, "
        "w - step, not w + step.")
T_FROM_1 = ("t counts from 1: the first step has t = 1, so its bias correction divides by 1 - beta_1**1, "
            "not 1 - beta_1**0 or 1 - beta_1**2. Use t as given, without adding or subtracting 1.")
T_ZERO_DIVISION = ("a division by zero: 1 - beta_1**t is 0 only when t is 0. " + T_FROM_1)
SWAPPED = ("beta_1 and beta_2 are swapped: beta_1 (0.9) belongs to m, the mean of g, and beta_2 (0.999) to v, "
           "the mean of g**2.")
NO_ROOT = ("the square root is missing: the step divides the (corrected) m by the square root of the "
           "(corrected) v, plus epsilon, so that it is about learning_rate whatever the size of g.")
IGNORED = ("that is the answer for the default learning_rate, beta_1, beta_2 and epsilon: use the values "
           "passed in as arguments, not fixed numbers.")


def _adam_case(name, w, g, m, v, t, **kwargs) -> Case:
    args = (w, g, m, v, t)
    settings = {**DEFAULTS, **kwargs}
    swapped = {**settings, "beta_1": settings["beta_2"], "beta_2": settings["beta_1"]}
    with np.errstate(all="ignore"):
        keras = _adam(*args, **settings)
        expected = _Answer(keras)
        expected.paper_w_new = _adam(*args, **settings, form="paper")[0]
        mistakes = [((None, None, _adam(*args, **settings, square=False)[2]), NOT_SQUARED),
                    ((None, *_adam(*args, **swapped)[1:]), SWAPPED)]
        for form in ("keras", "paper"):
            def step(form=form, **mistake):
                return _adam(*args, **settings, form=form, **mistake)
            mistakes += [
                (step(correct_m=False, correct_v=False), NO_CORRECTION),
                (step(correct_v=False), ONLY_M),
                (step(correct_m=False), ONLY_V),
                (step(sign=+1), SIGN),
                (step(t_m=t - 1, t_v=t - 1), T_FROM_1),
                (step(t_m=t + 1, t_v=t + 1), T_FROM_1),
                (step(root=False), NO_ROOT),
                (_adam(*args, **DEFAULTS, form=form) if kwargs else None, IGNORED),
            ]
    return Case(name, call_text("adam_step", PARAMETERS, args, kwargs), args, expected, mistakes, kwargs)


def _values(rng, shape, low, high):
    """Random values with two decimals, |value| in [low, high], random signs (a float when shape is None)."""
    values = np.round(rng.uniform(low, high, shape), 2) * rng.choice([-1, 1], shape)
    return float(values) if shape is None else values


def adam_step(student_adam_step) -> CheckResult:
    """Check ``adam_step(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)``
    -> ``(w_new, m_new, v_new)``: m and v the running means of g and g**2, bias-corrected by 1 - beta**t (t from
    1), then ``w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)``; Keras's form, epsilon added to the
    uncorrected sqrt(v), is accepted too."""
    rng = fresh_rng()
    shape = (2, 3) if rng.integers(2) else (4,)
    later = tuple(int(size) for size in rng.choice([2, 3, 4], 2, replace=False))
    m_later = _values(rng, later, 0.05, 0.5)
    big_epsilon_shape = (int(rng.integers(3, 6)),)
    m_float = _values(rng, None, 0.05, 0.5)
    cases = [
        # lesson 07: one step from 0 for three weights whose gradients differ by a factor of 20 000
        _adam_case("the worked example", np.zeros(3), np.array([20.0, 0.5, -0.001]), np.zeros(3), np.zeros(3), 1,
                   learning_rate=0.0001),
        _adam_case("hidden case 1", _values(rng, shape, 0.5, 2), _values(rng, shape, 0.1, 0.8),
                   np.zeros(shape), np.zeros(shape), 1),
        _adam_case("hidden case 2", _values(rng, later, 0.5, 2), _values(rng, later, 0.1, 0.8), m_later,
                   np.round(m_later ** 2 + rng.uniform(0.01, 0.3, later), 4), int(rng.integers(5, 60)),
                   learning_rate=float(rng.choice([0.01, 0.005, 0.02])), beta_1=0.8, beta_2=0.99),
        # epsilon large enough that the paper's form and Keras's differ clearly: both must pass
        _adam_case("hidden case 3", _values(rng, big_epsilon_shape, 0.5, 2), _values(rng, big_epsilon_shape, 0.1, 0.8),
                   np.zeros(big_epsilon_shape), np.zeros(big_epsilon_shape), int(rng.integers(1, 4)),
                   learning_rate=0.01, epsilon=0.1),
        _adam_case("hidden case 4", _values(rng, None, 0.5, 2), _values(rng, None, 0.1, 0.8), m_float,
                   round(m_float ** 2 + float(rng.uniform(0.01, 0.3)), 4), int(rng.integers(2, 30))),
    ]
    with np.errstate(all="ignore"):   # a learner's 0/0 is explained in the hint, not in a warning
        return run_check("adam_step", student_adam_step, cases, compare=_compare, same=_same,
                         advice="Update the running means first: m moves a fraction 1 - beta_1 of the way to g, "
                                "v a fraction 1 - beta_2 of the way to g**2. Correct them for starting at 0 "
                                "(divide by 1 - beta_1**t and 1 - beta_2**t), then step against m: "
                                "w - learning_rate * m_hat / (sqrt(v_hat) + epsilon). Return (w_new, m_new, "
                                "v_new); Keras's form, with epsilon added to sqrt(v) before the correction, "
                                "is accepted too.",
                         error_advice=[(ZeroDivisionError, "", T_ZERO_DIVISION)])

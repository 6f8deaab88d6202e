"""nnbook.checks.update_weight and gradient_descent.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks


def update_in_place(w, gradient, learning_rate):
    w = np.array(w, dtype=float)      # a copy, changed in place
    w -= learning_rate * np.asarray(gradient)
    return w


@pytest.mark.parametrize("update_weight", [
    lambda w, gradient, learning_rate: w - learning_rate * gradient,
    lambda w, gradient, learning_rate: w + learning_rate * -gradient,
    lambda w, gradient, learning_rate: np.subtract(w, np.multiply(learning_rate, gradient)),
    lambda w, gradient, learning_rate: (np.asarray(w, dtype=float) - learning_rate * np.asarray(gradient)).tolist(),
    update_in_place,
])
def test_update_weight_accepts_right_answers(update_weight):
    assert always_passes(checks.update_weight, update_weight)


@pytest.mark.parametrize("update_weight, hint", [
    (lambda w, g, lr: w + lr * g, "the step went uphill, the way the slope points"),
    (lambda w, g, lr: w - g, "the learning rate is missing; it scales the slope"),
    (lambda w, g, lr: w + g, "the learning rate is missing and the step went uphill"),
    (lambda w, g, lr: -lr * g, "that is only the step, how far w moves"),
    (lambda w, g, lr: lr * g, "that is only the step, and with the wrong sign"),
    (lambda w, g, lr: w - g / lr, "the slope was divided by the learning rate"),
    (lambda w, g, lr: 0.3855, "the worked example's answer"),
])
def test_update_weight_names_the_usual_mistakes(update_weight, hint):
    assert always_fails_with(checks.update_weight, update_weight, hint)


def test_update_weight_worked_example_is_the_seed_step():
    result = checks.update_weight(lambda w, g, lr: w + lr * g)
    assert result.failures[0].call == "update_weight(w=0.38, gradient=-0.55, learning_rate=0.01)"
    assert result.failures[0].expected == "0.3855" and result.failures[0].received == "0.3745"


def test_update_weight_advice_gives_the_rule_when_no_mistake_explains_the_answer():
    result = checks.update_weight(lambda w, g, lr: w - 2 * lr * g)
    assert not result and "w_new = w - learning_rate * gradient" in result.failures[0].hint


def descent_list(gradient_fn, w0, learning_rate, steps):
    path = [w0]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * gradient_fn(path[-1]))
    return path


def descent_array(gradient_fn, w0, learning_rate, steps):
    path = np.empty((steps + 1, *np.shape(w0)))
    path[0] = w0
    for step in range(steps):
        path[step + 1] = path[step] - learning_rate * np.asarray(gradient_fn(path[step]))
    return path


def descent_while(gradient_fn, w0, learning_rate, steps):
    w, path, taken = w0, [w0], 0
    while taken < steps:
        w = w - learning_rate * gradient_fn(w)
        path.append(w)
        taken += 1
    return np.array(path)


def descent_copies(gradient_fn, w0, learning_rate, steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        w -= learning_rate * gradient_fn(w)   # in place, but a copy goes into the path
        path.append(w.copy())
    return path


@pytest.mark.parametrize("gradient_descent", [descent_list, descent_array, descent_while, descent_copies])
def test_gradient_descent_accepts_right_answers(gradient_descent):
    assert always_passes(checks.gradient_descent, gradient_descent)


def descent_in_place(gradient_fn, w0, learning_rate, steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(steps):
        w -= learning_rate * gradient_fn(w)
        path.append(w)
    return path


def descent_bowl(gradient_fn, w0, learning_rate, steps):
    from nnbook.descent import bowl_slope
    return descent_list(bowl_slope, w0, learning_rate, steps)


@pytest.mark.parametrize("gradient_descent, hint", [
    (lambda f, w0, lr, steps: descent_list(f, w0, lr, steps)[1:], "the starting weight w0 is missing"),
    (lambda f, w0, lr, steps: descent_list(f, w0, lr, steps - 1), "one step too few"),
    (lambda f, w0, lr, steps: descent_list(f, w0, lr, steps + 1), "one step too many"),
    (lambda f, w0, lr, steps: descent_list(lambda w: -f(w), w0, lr, steps), "the path goes uphill"),
    (lambda f, w0, lr, steps: descent_list(f, w0, lr, steps)[-1], "only the last weight"),
    (lambda f, w0, lr, steps: descent_list(f, w0, 1.0, steps), "the learning rate is missing"),
    (lambda f, w0, lr, steps: [0.38, 0.3855, 0.39089, 0.3961722], "the worked example's answer"),
    (descent_in_place, "w was changed in place"),
    (descent_bowl, "call the gradient_fn you were given"),
])
def test_gradient_descent_names_the_usual_mistakes(gradient_descent, hint):
    assert always_fails_with(checks.gradient_descent, gradient_descent, hint)

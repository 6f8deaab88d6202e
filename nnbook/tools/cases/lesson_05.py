"""Lesson 05's checks: numerical_gradient, dense_forward and dense_backward.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import numpy as np

from nnbook.descent import bowl_loss
from nnbook.tools import grading as _grading
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, compare_parts, run_check


def _difference(f, w, h, kind):
    """Finite-difference gradient of f at w, one entry at a time: central, forward or backward."""
    w = np.asarray(w, dtype=float)
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[index] += h
        minus[index] -= h
        here = w.copy()
        if kind == "central":
            gradient[index] = (f(plus) - f(minus)) / (2 * h)
        elif kind == "forward":
            gradient[index] = (f(plus) - f(here)) / h
        else:
            gradient[index] = (f(here) - f(minus)) / h
    return float(gradient) if gradient.ndim == 0 else gradient


def _numerical_case(name, f, w, h=None, where="") -> Case:
    args, kwargs = (f, w), ({} if h is None else {"h": h})
    step = 1e-5 if h is None else h
    call = call_text("numerical_gradient", ["f", "w"], args, kwargs) + where
    expected = _difference(f, w, step, "central")
    return Case(name, call, args, expected, [
        (_difference(f, w, step, "forward"), "that is the forward difference (f(w + h) - f(w)) / h: the "
                                             "central one, (f(w + h) - f(w - h)) / (2 h), is asked for; its "
                                             "error is far smaller."),
        (_difference(f, w, step, "backward"), "that is the backward difference (f(w) - f(w - h)) / h: use "
                                              "the central one, (f(w + h) - f(w - h)) / (2 h)."),
        (2 * np.asarray(expected), "twice the right value: divide by 2 h, the distance between w - h and "
                                   "w + h, not by h."),
        (np.asarray(expected) / 2, "half the right value: divide by 2 h once, not twice."),
    ], kwargs)


def _cubic(rng, size):
    """A random f(w) = sum(a w^3 + b w^2) whose curvature is clearly non-zero near the chosen w."""
    a = np.round(rng.uniform(0.5, 1.5, size), 2) * rng.choice([-1, 1], size)
    b = np.round(rng.uniform(1.0, 2.0, size), 2)
    w = np.round(rng.uniform(0.5, 1.5, size), 2) * np.sign(a)   # a and w share a sign: f'' = 6aw + 2b >= 2b

    def f(w):
        w = np.asarray(w, dtype=float)
        return float(np.sum(a * w ** 3 + b * w ** 2))

    return f, w, f" where f(w) = sum({_show_coefficients(a)} * w**3 + {_show_coefficients(b)} * w**2)"


def _show_coefficients(values) -> str:
    return _grading.one_line(_grading.show(values if np.ndim(values) else float(values)))



def numerical_gradient(student_numerical_gradient) -> CheckResult:
    """Check ``numerical_gradient(f, w, h=1e-5)``: the central difference
    ``(f(w + h e_i) - f(w - h e_i)) / (2 h)`` for each entry of ``w`` (a float or an array)."""
    rng = fresh_rng()
    f1, w1, where1 = _cubic(rng, None)
    f2, w2, where2 = _cubic(rng, 3)
    f3, w3, where3 = _cubic(rng, (2, 2))
    cases = [
        _numerical_case("the worked example", bowl_loss, 0.38),
        _numerical_case("hidden case 1", f1, float(w1), 1e-3, where1),
        _numerical_case("hidden case 2", f2, w2, 1e-4, where2),
        _numerical_case("hidden case 3", f3, w3, None, where3),
    ]
    return run_check("numerical_gradient", student_numerical_gradient, cases,
                     advice="For each entry i of w: nudge a copy of w up by h and another down by h, and "
                            "take (f(up) - f(down)) / (2 h). The gradient has w's shape.")


_SHAPE_ADVICE = (ValueError, "", "the shapes do not line up: x is (n, in), W is (in, out), b is (out,), "
                                 "and x @ W + b is (n, out).")


def _shapes(rng):
    """Three different sizes n, in, out, so that any mix-up of them shows."""
    n, fan_in, fan_out = rng.permutation(np.arange(2, 6))[:3]
    return int(n), int(fan_in), int(fan_out)


def _dense_forward_case(name, x, W, b) -> Case:
    args = (x, W, b)
    expected = x @ W + b
    return Case(name, call_text("dense_forward", ["x", "W", "b"], args), args, expected, [
        (x @ W, "the bias b is missing: x @ W + b."),
        (x @ W - b, "the bias was subtracted: x @ W + b."),
        (expected.T, "rows and columns are swapped: the result has one row per sample, shape (n, out)."),
        (np.tanh(expected), "an activation was applied: dense_forward returns x @ W + b, before any "
                            "activation."),
        (np.maximum(expected, 0), "relu was applied: dense_forward returns x @ W + b, before any activation."),
    ])


def _worked_dense():
    """The lessons' small example: two samples with three features into a layer of two units."""
    x = np.array([[0.5, -1.0, 2.0],
                  [1.5, 0.0, -0.5]])
    W = np.array([[0.1, -0.2],
                  [0.4, 0.3],
                  [-0.3, 0.2]])
    b = np.array([0.05, -0.1])
    grad_out = np.array([[0.2, -0.1],
                         [-0.4, 0.3]])
    return x, W, b, grad_out


def _random_dense(rng):
    n, fan_in, fan_out = _shapes(rng)
    x = np.round(rng.uniform(-1, 1, (n, fan_in)), 2)
    W = np.round(rng.uniform(-1, 1, (fan_in, fan_out)), 2)
    b = np.round(rng.uniform(-1, 1, fan_out), 2)
    grad_out = np.round(rng.uniform(-1, 1, (n, fan_out)), 2)
    return x, W, b, grad_out


def dense_forward(student_dense_forward) -> CheckResult:
    """Check ``dense_forward(x, W, b)``: ``x @ W + b`` for x (n, in), W (in, out), b (out,); (n, out)."""
    rng = fresh_rng()
    x, W, b, _ = _worked_dense()
    cases = [_dense_forward_case("the worked example", x, W, b)]
    for number in (1, 2):
        x, W, b, _ = _random_dense(rng)
        cases.append(_dense_forward_case(f"hidden case {number}", x, W, b))
    return run_check("dense_forward", student_dense_forward, cases,
                     advice="Each output is a weighted sum of the inputs plus a bias: x @ W + b, shape "
                            "(n, out).",
                     error_advice=[_SHAPE_ADVICE])


def _dense_backward_case(name, x, W, grad_out) -> Case:
    args = (x, W, grad_out)
    n = x.shape[0]
    grad_x, grad_W, grad_b = grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)
    return Case(name, call_text("dense_backward", ["x", "W", "grad_out"], args), args, (grad_x, grad_W, grad_b), [
        ((grad_W, grad_x, grad_b), "the results are in the wrong order: return (grad_x, grad_W, grad_b)."),
        ((None, None, grad_out.mean(axis=0)),
         "grad_b is averaged over the batch: sum grad_out over the rows instead. grad_out already holds "
         "the loss's 1/n, so averaging divides by n twice."),
        ((None, grad_W.T, None), "grad_W is transposed: it has W's shape (in, out), x.T @ grad_out."),
        ((None, grad_W / n, None), "grad_W was divided by n: x.T @ grad_out already sums over the batch, "
                                   "and grad_out already holds the loss's 1/n."),
        ((None, None, grad_out), "grad_b must have b's shape (out,): sum grad_out over the batch rows "
                                 "(axis 0)."),
        ((None, None, grad_out.sum(axis=1)), "grad_b was summed over the wrong axis: sum over the batch "
                                             "rows (axis 0), giving one value per unit."),
    ])


def dense_backward(student_dense_backward) -> CheckResult:
    """Check ``dense_backward(x, W, grad_out)`` for the layer ``x @ W + b``: returns
    ``(grad_x, grad_W, grad_b) = (grad_out @ W.T, x.T @ grad_out, grad_out summed over the rows)``."""
    rng = fresh_rng()
    x, W, _, grad_out = _worked_dense()
    cases = [_dense_backward_case("the worked example", x, W, grad_out)]
    for number in (1, 2):
        x, W, _, grad_out = _random_dense(rng)
        cases.append(_dense_backward_case(f"hidden case {number}", x, W, grad_out))
    return run_check("dense_backward", student_dense_backward, cases,
                     compare=compare_parts(["grad_x", "grad_W", "grad_b"]),
                     advice="Each gradient has the shape of what it belongs to: grad_x = grad_out @ W.T "
                            "(n, in), grad_W = x.T @ grad_out (in, out), grad_b = grad_out summed over the "
                            "rows (out,).",
                     error_advice=[(ValueError, "", "the shapes do not line up: grad_x = grad_out @ W.T, "
                                                    "grad_W = x.T @ grad_out.")])

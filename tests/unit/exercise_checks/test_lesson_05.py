"""nnbook.checks.numerical_gradient, dense_forward and dense_backward.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, failed_with

from nnbook import checks
from nnbook.tools.cases import lesson_05


def numerical_loops(f, w, h=1e-5):
    w = np.array(w, dtype=float)
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        up, down = w.copy(), w.copy()
        up[index] += h
        down[index] -= h
        gradient[index] = (f(up) - f(down)) / (2 * h)
    return gradient


def numerical_flat(f, w, h=1e-5):
    if np.ndim(w) == 0:
        return (f(w + h) - f(w - h)) / (2 * h)
    w = np.asarray(w, dtype=float)
    steps = np.eye(w.size).reshape(w.size, *w.shape) * h
    return np.array([(f(w + step) - f(w - step)) / (2 * h) for step in steps]).reshape(w.shape)


@pytest.mark.parametrize("numerical_gradient", [numerical_loops, numerical_flat])
def test_numerical_gradient_accepts_right_answers(numerical_gradient):
    assert checks.numerical_gradient(numerical_gradient)


def forward_difference(f, w, h=1e-5):
    w = np.array(w, dtype=float)
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        up = w.copy()
        up[index] += h
        gradient[index] = (f(up) - f(w)) / h
    return gradient


@pytest.mark.parametrize("numerical_gradient, hint", [
    (forward_difference, "that is the forward difference"),
    (lambda f, w, h=1e-5: 2 * numerical_loops(f, w, h), "divide by 2 h"),
    (lambda f, w, h=1e-5: (f(w + h) - f(w - h)) / (2 * h), "expected an array of shape"),
    (lambda f, w, h=1e-5: -0.55, "the worked example's answer"),
])
def test_numerical_gradient_names_the_usual_mistakes(numerical_gradient, hint):
    assert always_fails_with(checks.numerical_gradient, numerical_gradient, hint)


WORKED_X, WORKED_W, WORKED_B, _ = lesson_05._worked_dense()


def dense_forward_loops(x, W, b):
    out = []
    for row in x:
        out.append([sum(row[i] * W[i][j] for i in range(len(row))) + b[j] for j in range(len(b))])
    return out


@pytest.mark.parametrize("dense_forward", [
    lambda x, W, b: x @ W + b,
    lambda x, W, b: np.dot(x, W) + b[None, :],
    dense_forward_loops,
])
def test_dense_forward_accepts_right_answers(dense_forward):
    assert checks.dense_forward(dense_forward)


@pytest.mark.parametrize("dense_forward, hint", [
    (lambda x, W, b: x @ W, "the bias b is missing"),
    (lambda x, W, b: (x @ W + b).T, "rows and columns are swapped"),
    (lambda x, W, b: np.maximum(x @ W + b, 0), "relu was applied"),
    (lambda x, W, b: W @ x + b, "the shapes do not line up"),
    (lambda x, W, b: WORKED_X @ WORKED_W + WORKED_B, "the worked example's answer"),
])
def test_dense_forward_names_the_usual_mistakes(dense_forward, hint):
    assert always_fails_with(checks.dense_forward, dense_forward, hint)


def dense_backward_loops(x, W, grad_out):
    n, fan_in = len(x), len(W)
    fan_out = len(W[0])
    grad_x = [[sum(grad_out[r][j] * W[i][j] for j in range(fan_out)) for i in range(fan_in)] for r in range(n)]
    grad_W = [[sum(x[r][i] * grad_out[r][j] for r in range(n)) for j in range(fan_out)] for i in range(fan_in)]
    grad_b = [sum(grad_out[r][j] for r in range(n)) for j in range(fan_out)]
    return grad_x, grad_W, grad_b


@pytest.mark.parametrize("dense_backward", [
    lambda x, W, g: (g @ W.T, x.T @ g, g.sum(axis=0)),
    lambda x, W, g: [np.dot(g, W.T), np.einsum("ni,no->io", x, g), np.sum(g, axis=0)],
    dense_backward_loops,
])
def test_dense_backward_accepts_right_answers(dense_backward):
    assert checks.dense_backward(dense_backward)


@pytest.mark.parametrize("dense_backward, hint", [
    (lambda x, W, g: (g @ W.T, x.T @ g, g.mean(axis=0)), "grad_b is averaged over the batch"),
    (lambda x, W, g: (g @ W.T, g.T @ x, g.sum(axis=0)), "grad_W is transposed"),
    (lambda x, W, g: (x.T @ g, g @ W.T, g.sum(axis=0)), "in the wrong order"),
    (lambda x, W, g: (g @ W.T, x.T @ g, g), "grad_b must have b's shape"),
    (lambda x, W, g: (g @ W.T, x.T @ g / len(x), g.sum(axis=0)), "grad_W was divided by n"),
    (lambda x, W, g: (g @ W, x.T @ g, g.sum(axis=0)), "grad_x = grad_out @ W.T"),
])
def test_dense_backward_names_the_usual_mistakes(dense_backward, hint):
    assert always_fails_with(checks.dense_backward, dense_backward, hint)


def test_dense_backward_hard_coded_worked_example_fails():
    x, W, _, grad_out = lesson_05._worked_dense()
    answer = (grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0))
    assert failed_with(checks.dense_backward(lambda *args: answer), "the worked example's answer")


def test_dense_backward_reference_agrees_with_a_numerical_gradient():
    """The check's expected gradients are those of the loss sum(grad_out * (x @ W + b))."""
    x, W, b, grad_out = lesson_05._worked_dense()
    case = lesson_05._dense_backward_case("case", x, W, grad_out)
    numerical_W = numerical_loops(lambda V: float(np.sum(grad_out * (x @ V + b))), W)
    numerical_x = numerical_loops(lambda V: float(np.sum(grad_out * (V @ W + b))), x)
    numerical_b = numerical_loops(lambda c: float(np.sum(grad_out * (x @ W + c))), b)
    for expected, numerical in zip(case.expected, (numerical_x, numerical_W, numerical_b)):
        np.testing.assert_allclose(expected, numerical, atol=1e-8)



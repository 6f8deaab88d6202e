"""nnbook.checks.numerical_gradient, dense_forward, dense_backward, relu_backward and softmax_crossentropy_backward.

Right answers in several styles pass; each usual mistake fails with its hint on every run."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with

from nnbook import activations, checks, losses
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
    (lambda f, w, h=1e-5: numerical_loops(f, w, 1e-8), "use the h the function is given"),
    (lambda f, w, h=1e-5: numerical_loops(f, w), "use the h the function is given"),
    (lambda f, w, h=1e-5: forward_difference(f, w, 1e-8), "use the h the function is given"),
])
def test_numerical_gradient_names_the_usual_mistakes(numerical_gradient, hint):
    assert always_fails_with(checks.numerical_gradient, numerical_gradient, hint)


def test_numerical_gradient_has_cases_whose_answer_depends_on_h():
    """Two hidden cases use a large h, where the central difference of a cubic differs from the true slope."""
    import nnbook.tools.cases.lesson_05 as module
    seen = []
    original = module.run_check

    def spy(name, function, cases, **kwargs):
        seen.extend(cases)
        return original(name, function, cases, **kwargs)

    module.run_check = spy
    try:
        checks.numerical_gradient(numerical_loops)
    finally:
        module.run_check = original
    large = [case for case in seen if case.kwargs.get("h", 0) >= 0.1]
    assert len(large) == 2
    for case in large:
        f, w = case.args
        tiny = numerical_loops(f, w, 1e-6)
        assert np.all(np.abs(np.asarray(case.expected) - tiny) > 1e-3 * np.abs(tiny))


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




# ----------------------------------------------------------------------------------------------- relu_backward
def relu_backward_loops(z, grad_out):
    return [[g if value > 0 else 0.0 for value, g in zip(row, grads)] for row, grads in zip(z, grad_out)]


def relu_backward_in_place(z, grad_out):
    grad_out[z <= 0] = 0
    return grad_out


@pytest.mark.parametrize("relu_backward", [
    lambda z, g: g * (z > 0),
    lambda z, g: np.where(z > 0, g, 0.0),
    lambda z, g: g * np.heaviside(z, 0.0),
    relu_backward_loops,
    relu_backward_in_place,
])
def test_relu_backward_accepts_right_answers(relu_backward):
    assert always_passes(checks.relu_backward, relu_backward)


@pytest.mark.parametrize("relu_backward, hint", [
    (lambda z, g: g * (z >= 0), "the slope was taken as 1"),
    (lambda z, g: g * np.heaviside(z, 1.0), "the slope was taken as 1"),
    (lambda z, g: (z > 0).astype(float), "multiply it by grad_out"),
    (lambda z, g: g * np.maximum(z, 0), "grad_out was multiplied by relu(z)"),
    (lambda z, g: np.maximum(z, 0), "that is relu(z), the forward pass"),
    (lambda z, g: g, "that is grad_out unchanged"),
    (lambda z, g: g * (g > 0), "the mask came from grad_out's sign"),
    (lambda z, g: np.maximum(g, 0), "the mask came from grad_out's sign"),
    (lambda z, g: -g * (z > 0), "the sign is flipped"),
    (lambda z, g: (g * (z > 0)).T, "rows and columns are swapped"),
    (lambda z, g: g @ (z > 0), "no matrix product"),
    (lambda z, g: lesson_05._worked_relu()[1] * (lesson_05._worked_relu()[0] > 0), "the worked example's answer"),
])
def test_relu_backward_names_the_usual_mistakes(relu_backward, hint):
    assert always_fails_with(checks.relu_backward, relu_backward, hint)


def test_relu_backward_hidden_cases_hold_zeros_negatives_positives_and_non_square_shapes():
    rng = np.random.default_rng(5)
    for _ in range(200):
        z, grad_out = lesson_05._random_relu(rng)
        assert z.shape == grad_out.shape and z.shape[0] != z.shape[1]
        assert np.any((z == 0) & (grad_out != 0))
        assert np.any((z < 0) & (grad_out > 0)) and np.any((z > 0) & (grad_out < 0))
        assert np.all(z != 1) and np.all((grad_out != 0) & (np.abs(grad_out) != 1))


def test_relu_backward_reference_agrees_with_a_numerical_gradient():
    """Away from z = 0 (relu's corner), the expected answer is the gradient of sum(grad_out * relu(z))."""
    rng = np.random.default_rng(7)
    for z, grad_out in [lesson_05._worked_relu(), lesson_05._random_relu(rng), lesson_05._random_relu(rng)]:
        case = lesson_05._relu_backward_case("case", z, grad_out)
        numerical = numerical_loops(lambda v: float(np.sum(grad_out * np.maximum(v, 0))), z, 1e-6)
        away = z != 0
        np.testing.assert_allclose(case.expected[away], numerical[away], atol=1e-8)
        assert np.all(case.expected[~away] == 0)   # at the corner: slope 0, as in Keras
        assert np.all(numerical[~away] == pytest.approx(grad_out[~away] / 2))   # the corner's two slopes averaged


def test_relu_backward_agrees_with_the_library():
    z, grad_out = lesson_05._worked_relu()
    case = lesson_05._relu_backward_case("case", z, grad_out)
    np.testing.assert_array_equal(case.expected, activations.relu.backward(activations.relu(z), grad_out))


# ------------------------------------------------------------------------------- softmax_crossentropy_backward
def softmax_ce_loops(probabilities, labels):
    n = len(probabilities)
    return [[(p - (1.0 if j == label else 0.0)) / n for j, p in enumerate(row)]
            for row, label in zip(probabilities, labels)]


def softmax_ce_in_place(probabilities, labels):
    probabilities[np.arange(len(labels)), labels] -= 1
    probabilities /= len(labels)
    return probabilities


@pytest.mark.parametrize("softmax_crossentropy_backward", [
    lambda p, labels: (p - np.eye(p.shape[1])[labels]) / len(p),
    lambda p, labels: (p - (np.arange(p.shape[1]) == np.asarray(labels)[:, None])) / p.shape[0],
    softmax_ce_loops,
    softmax_ce_in_place,
])
def test_softmax_crossentropy_backward_accepts_right_answers(softmax_crossentropy_backward):
    assert always_passes(checks.softmax_crossentropy_backward, softmax_crossentropy_backward)


def label_column_only(p, labels):
    out = np.zeros_like(p)
    rows = np.arange(len(p))
    out[rows, labels] = (p[rows, labels] - 1) / len(p)
    return out


def slope_with_respect_to_p(p, labels):
    out = np.zeros_like(p)
    rows = np.arange(len(p))
    out[rows, labels] = -1 / p[rows, labels] / len(p)
    return out


def one_hot_of(labels, k):
    return np.eye(k)[labels]


@pytest.mark.parametrize("softmax_crossentropy_backward, hint", [
    (lambda p, labels: p - one_hot_of(labels, p.shape[1]), "n times too large"),
    (lambda p, labels: (one_hot_of(labels, p.shape[1]) - p) / len(p), "the sign is flipped"),
    (lambda p, labels: (p - one_hot_of(labels, p.shape[1])) / p.shape[1], "that divides by k"),
    (lambda p, labels: (p - one_hot_of(labels, p.shape[1])) / p.size, "that divides by n * k"),
    (lambda p, labels: (p - one_hot_of((labels + 1) % p.shape[1], p.shape[1])) / len(p), "off by one"),
    (lambda p, labels: (p - one_hot_of(labels - 1, p.shape[1])) / len(p), "off by one"),
    (lambda p, labels: p - one_hot_of(labels - 1, p.shape[1]), "off by one"),
    (label_column_only, "only the label's column is filled"),
    (lambda p, labels: (p[np.arange(len(p)), labels] - 1) / len(p), "only the label's column is filled"),
    (slope_with_respect_to_p, "the slope with respect to the probabilities"),
    (lambda p, labels: slope_with_respect_to_p(p, labels) * len(p), "the slope with respect to the probabilities"),
    (lambda p, labels: ((p - one_hot_of(labels, p.shape[1])) / len(p)).T, "rows and columns are swapped"),
])
def test_softmax_crossentropy_backward_names_the_usual_mistakes(softmax_crossentropy_backward, hint):
    assert always_fails_with(checks.softmax_crossentropy_backward, softmax_crossentropy_backward, hint)


def test_softmax_crossentropy_backward_hard_coded_worked_example_fails():
    p, labels = lesson_05._worked_softmax_crossentropy()
    answer = (p - np.eye(3)[labels]) / 2
    assert failed_with(checks.softmax_crossentropy_backward(lambda *args: answer), "the worked example's answer")


def test_softmax_crossentropy_worked_example_is_the_statements_number():
    p, labels = lesson_05._worked_softmax_crossentropy()
    case = lesson_05._softmax_crossentropy_case("case", p, labels)
    np.testing.assert_allclose(case.expected[0], [(0.37 - 1) / 2, 0.50 / 2, 0.13 / 2])
    np.testing.assert_allclose(case.expected[0], [-0.315, 0.25, 0.065])


def test_softmax_crossentropy_hidden_cases_separate_every_mistake():
    rng = np.random.default_rng(3)
    for _ in range(200):
        p, labels = lesson_05._random_softmax_crossentropy(rng)
        n, k = p.shape
        assert n != k and n > 1 and k > 1 and labels.shape == (n,)
        assert np.all(p >= 0.01) and np.allclose(p.sum(axis=1), 1) and np.all((labels >= 0) & (labels < k))


def test_softmax_crossentropy_backward_reference_agrees_with_a_numerical_gradient():
    """The expected answer is the gradient, with respect to the scores z, of the mean cross-entropy of
    softmax(z); z = log p gives softmax(z) = p exactly when p's rows sum to 1."""
    rng = np.random.default_rng(11)
    for p, labels in [lesson_05._worked_softmax_crossentropy(), lesson_05._random_softmax_crossentropy(rng),
                      lesson_05._random_softmax_crossentropy(rng)]:
        case = lesson_05._softmax_crossentropy_case("case", p, labels)
        rows = np.arange(len(labels))

        def loss(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return float(np.mean(-np.log((e / e.sum(axis=1, keepdims=True))[rows, labels])))

        np.testing.assert_allclose(case.expected, numerical_loops(loss, np.log(p)), atol=1e-8)
        library = losses.sparse_categorical_crossentropy
        assert loss(np.log(p)) == pytest.approx(float(np.mean(library(labels, np.log(p), from_logits=True))))

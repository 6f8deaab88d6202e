"""Lesson 05's checks: numerical_gradient, dense_forward, dense_backward, relu_backward and
softmax_crossentropy_backward.

Each check's docstring says what the learner writes; the reference answers are one numpy line each."""

from __future__ import annotations

import numpy as np

from nnbook.descent import bowl_loss
from nnbook.tools import grading as _grading
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import Case, CheckResult, call_text, compare_parts, run_check

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"numerical_gradient": 1, "dense_forward": 1, "dense_backward": 1, "relu_backward": 1,
          "softmax_crossentropy_backward": 1}


def _difference(f, w, h, kind):
    """Finite-difference gradient of f at w, one entry at a time: central, forward or backward."""
    w = np.asarray(w, dtype=float)
    gradient = np.zeros_like(w)
    if kind == "unrestored":                  # one array nudged in place, each entry left at w - h after use
        moved = w.copy()
        for index in np.ndindex(w.shape):
            moved[index] += h
            up = f(moved.copy())
            moved[index] -= 2 * h
            gradient[index] = (up - f(moved.copy())) / (2 * h)
        return float(gradient) if gradient.ndim == 0 else gradient
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
    fixed_step = ("this answer depends on h, and yours is the slope of a tiny fixed step: use the h the "
                  f"function is given (here h={_grading.show(step)}), not a number of your own.")
    return Case(name, call, args, expected, [
        (_difference(f, w, step, "forward"), "that is the forward difference (f(w + h) - f(w)) / h: the "
                                             "central one, (f(w + h) - f(w - h)) / (2 h), is asked for; its "
                                             "error is far smaller."),
        (_difference(f, w, step, "backward"), "that is the backward difference (f(w) - f(w - h)) / h: use "
                                              "the central one, (f(w + h) - f(w - h)) / (2 h)."),
        (2 * np.asarray(expected), "twice the right value: divide by 2 h, the distance between w - h and "
                                   "w + h, not by h."),
        (np.asarray(expected) / 2, "half the right value: divide by 2 h once, not twice."),
        (_difference(f, w, step, "unrestored") if np.ndim(w) else None,
         "the entries after the first are wrong: each nudged entry must go back to its value before the next "
         "one is nudged (here f couples the entries, so an entry left at w - h changes the others' slopes). "
         "Nudge a fresh copy of w for each entry, or put the entry back."),
        # h ignored: the default step, or a tiny one, where the case's own h is large (differs by about a h^2)
        (_difference(f, w, 1e-5, "central"), fixed_step),
        (_difference(f, w, 1e-8, "central"), fixed_step),
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


def _coupled(rng, size):
    """A random cubic (:func:`_cubic`) plus c * sum(w[:-1] * w[1:]) over w's entries in order: a function that
    is not a sum of one function per entry, so a nudge left in one entry changes the slope of the next."""
    cubic, w, where = _cubic(rng, size)
    c = float(np.round(rng.uniform(1.0, 2.0), 2) * rng.choice([-1, 1]))

    def f(w):
        flat = np.asarray(w, dtype=float).ravel()
        return cubic(w) + c * float(np.sum(flat[:-1] * flat[1:]))

    sign = "-" if c < 0 else "+"
    return f, w, f"{where} {sign} {_grading.show(abs(c))} * sum(v[:-1] * v[1:]) with v = w.ravel()"


def _show_coefficients(values) -> str:
    return _grading.one_line(_grading.show(values if np.ndim(values) else float(values)))


def _large_step(rng) -> float:
    """A step between 0.1 and 0.5: on a cubic the central difference then differs from the true slope by
    a h^2 (at least 0.005), so an answer that ignores h shows."""
    return float(np.round(rng.uniform(0.1, 0.5), 2))


def numerical_gradient(student_numerical_gradient) -> CheckResult:
    """Check ``numerical_gradient(f, w, h=1e-5)``: the central difference
    ``(f(w + h e_i) - f(w - h e_i)) / (2 h)`` for each entry of ``w`` (a float or an array).

    The array cases' functions couple the entries (:func:`_coupled`), so that a nudge never put back shows."""
    rng = fresh_rng()
    f1, w1, where1 = _cubic(rng, None)
    f2, w2, where2 = _coupled(rng, 3)
    f3, w3, where3 = _coupled(rng, (2, 2))
    f4, w4, where4 = _cubic(rng, None)
    f5, w5, where5 = _coupled(rng, 2)
    cases = [
        _numerical_case("the worked example", bowl_loss, 0.38),
        _numerical_case("hidden case 1", f1, float(w1), 1e-3, where1),
        _numerical_case("hidden case 2", f2, w2, 1e-4, where2),
        _numerical_case("hidden case 3", f3, w3, None, where3),
        _numerical_case("hidden case 4", f4, float(w4), _large_step(rng), where4),
        _numerical_case("hidden case 5", f5, w5, _large_step(rng), where5),
    ]
    return run_check("numerical_gradient", student_numerical_gradient, cases,
                     advice="For each entry i of w: nudge a copy of w up by h and another down by h, and "
                            "take (f(up) - f(down)) / (2 h), with the h you are given. The gradient has w's "
                            "shape.")


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


# ----------------------------------------------------------------------------------------------------
# relu_backward


def _worked_relu():
    """The statement's example: two samples, three units, one pre-activation exactly 0."""
    z = np.array([[0.5, -1.2, 0.0],
                  [-0.3, 2.0, 0.8]])
    grad_out = np.array([[0.2, -0.4, 0.7],
                         [0.1, -0.5, 0.3]])
    return z, grad_out


def _random_relu(rng):
    """z (n, units) with n != units, holding exact zeros, negatives and positives (none equal to 1), and a
    grad_out with no zeros and no ones, placed so that every usual mistake changes at least one entry:
    a zero of z under a non-zero grad_out, a negative z under a positive grad_out, a positive z under a
    negative grad_out."""
    n, units = (int(size) for size in rng.permutation(np.arange(2, 6))[:2])
    kinds = ["zero", "negative", "positive", "negative", "positive"]   # with the signs of grad_out below
    signs = [rng.choice([-1, 1]), 1, -1, -1, 1]
    extra = n * units - len(kinds)
    kinds += list(rng.choice(["zero", "negative", "positive"], extra))
    signs += list(rng.choice([-1, 1], extra))
    order = rng.permutation(n * units)
    magnitude = np.round(rng.uniform(0.1, 2.0, n * units), 2)
    magnitude[magnitude == 1.0] = 1.5
    sign_of_z = {"zero": 0.0, "negative": -1.0, "positive": 1.0}
    z = np.array([sign_of_z[kind] for kind in kinds]) * magnitude
    grad_out = np.array(signs, dtype=float) * np.round(rng.uniform(0.1, 0.9, n * units), 2)
    return z[order].reshape(n, units), grad_out[order].reshape(n, units)


def _relu_backward_case(name, z, grad_out) -> Case:
    args = (z, grad_out)
    expected = grad_out * (z > 0)
    return Case(name, call_text("relu_backward", ["z", "grad_out"], args), args, expected, [
        (grad_out * (z >= 0), "where z is exactly 0 the slope was taken as 1: relu has a corner there, and "
                              "the course (like Keras) takes its slope as 0, so only z > 0 lets the gradient "
                              "through."),
        ((z > 0).astype(float), "that is relu's slope alone (1 where z > 0, else 0): multiply it by grad_out, "
                                "the gradient arriving from above (chain rule): grad_out * (z > 0)."),
        (grad_out * np.maximum(z, 0), "grad_out was multiplied by relu(z): the chain rule needs relu's "
                                      "slope, 1 where z > 0 and 0 elsewhere, not its value."),
        (np.maximum(z, 0), "that is relu(z), the forward pass: the backward pass returns grad_out where "
                           "z > 0 and 0 elsewhere."),
        (grad_out, "that is grad_out unchanged: relu stops the gradient where z <= 0 (its slope is 0 there)."),
        (grad_out * (grad_out > 0), "the mask came from grad_out's sign: whether a unit lets the gradient "
                                    "through depends on z, its pre-activation: grad_out * (z > 0)."),
        (-expected, "the sign is flipped: relu's slope is +1 where z > 0, so the gradient passes unchanged "
                    "there."),
        (expected.T, "rows and columns are swapped: the result has z's shape (n, units)."),
    ])


def relu_backward(student_relu_backward) -> CheckResult:
    """Check ``relu_backward(z, grad_out)``: ``dL/dz = grad_out * (z > 0)`` for pre-activations z (n, units)
    and grad_out = dL/d(relu(z)) of the same shape; the slope at exactly 0 is 0, as in Keras."""
    rng = fresh_rng()
    cases = [_relu_backward_case("the worked example", *_worked_relu())]
    for number in (1, 2, 3):
        cases.append(_relu_backward_case(f"hidden case {number}", *_random_relu(rng)))
    return run_check("relu_backward", student_relu_backward, cases,
                     advice="relu's slope is 1 where z > 0 and 0 elsewhere (at z = 0 too); by the chain rule "
                            "dL/dz = grad_out times that slope, entry by entry: grad_out * (z > 0), shape "
                            "(n, units).",
                     error_advice=[(ValueError, "", "z and grad_out have the same shape (n, units): combine "
                                                    "them entry by entry, with no matrix product.")])


# ----------------------------------------------------------------------------------------------------
# softmax_crossentropy_backward


def _worked_softmax_crossentropy():
    """The statement's example: lesson 03's prediction (0.37, 0.50, 0.13) for a cat, and a dog."""
    probabilities = np.array([[0.37, 0.50, 0.13],
                              [0.10, 0.75, 0.15]])
    labels = np.array([0, 1])
    return probabilities, labels


def _random_softmax_crossentropy(rng):
    """n samples of k classes, n != k, both at least 2; every probability at least 0.01, with two
    decimals, each row summing to 1."""
    n, k = (int(size) for size in rng.permutation(np.arange(2, 7))[:2])
    cuts = np.array([np.sort(rng.choice(np.arange(1, 100), k - 1, replace=False)) for _ in range(n)])
    edges = np.concatenate([np.zeros((n, 1)), cuts, np.full((n, 1), 100)], axis=1)
    probabilities = np.diff(edges, axis=1) / 100
    labels = rng.integers(0, k, n)
    return probabilities, labels


def _softmax_crossentropy_case(name, probabilities, labels) -> Case:
    args = (probabilities, labels)
    n, k = probabilities.shape
    rows = np.arange(n)
    target = np.eye(k)[labels]
    expected = (probabilities - target) / n
    label_column = np.where(target == 1, expected, 0.0)
    wrt_p = np.where(target == 1, -1 / probabilities, 0.0)
    off_by_one = "the one-hot row marks the wrong class (a label off by one?): the 1 goes in column labels[r]."
    only_label = ("only the label's column is filled: the other classes get a gradient too, their "
                  "probability (divided by n), since raising their score lowers the label's probability.")
    with_respect_to_p = ("that is the slope with respect to the probabilities (-1/p at the label): the "
                         "softmax's own backward step turns it into the slope with respect to the scores z, "
                         "(probabilities - one_hot(labels)) / n.")
    call = call_text("softmax_crossentropy_backward", ["probabilities", "labels"], args)
    return Case(name, call, args, expected, [
        (probabilities - target, "the gradient is n times too large: the loss is the mean over the batch, "
                                 "so divide (probabilities - one_hot(labels)) by n, the number of samples."),
        (-expected, "the sign is flipped: it is probabilities minus the one-hot rows, (p - y) / n, since "
                    "raising the label's probability lowers the loss."),
        ((probabilities - target) / k, "that divides by k, the number of classes: the loss is a mean over "
                                       "the n samples, so divide by n (the number of rows)."),
        ((probabilities - target) / (n * k), "that divides by n * k: the loss is a mean over the n samples "
                                             "only, so divide by n."),
        ((probabilities - np.eye(k)[(labels + 1) % k]) / n, off_by_one),
        ((probabilities - np.eye(k)[(labels - 1) % k]) / n, off_by_one),
        (probabilities - np.eye(k)[(labels + 1) % k], off_by_one),
        (probabilities - np.eye(k)[(labels - 1) % k], off_by_one),
        (label_column, only_label),
        (label_column * n, only_label),
        (expected[rows, labels], only_label),
        (wrt_p / n, with_respect_to_p),
        (wrt_p, with_respect_to_p),
        (expected.T, "rows and columns are swapped: the result has the probabilities' shape (n, k)."),
    ])


def softmax_crossentropy_backward(student_softmax_crossentropy_backward) -> CheckResult:
    """Check ``softmax_crossentropy_backward(probabilities, labels)``: for softmax outputs p (n, k) and integer
    labels (n,), the gradient of L = mean over the batch of -log p[label] with respect to the scores z before
    the softmax: ``(p - one_hot(labels)) / n``, shape (n, k)."""
    rng = fresh_rng()
    cases = [_softmax_crossentropy_case("the worked example", *_worked_softmax_crossentropy())]
    for number in (1, 2, 3):
        cases.append(_softmax_crossentropy_case(f"hidden case {number}", *_random_softmax_crossentropy(rng)))
    return run_check("softmax_crossentropy_backward", student_softmax_crossentropy_backward, cases,
                     advice="Softmax and cross-entropy together have a simple slope with respect to the "
                            "scores: the probabilities minus the one-hot rows of the labels, and the loss is "
                            "a mean over the n samples: (probabilities - one_hot(labels)) / n, shape (n, k).",
                     error_advice=[(IndexError, "", "labels[r] is the column of sample r's class: index the "
                                                    "one-hot rows with integer labels in [0, k).")])

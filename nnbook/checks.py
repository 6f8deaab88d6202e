"""Self-graded exercises: one check per exercise of the course.

In an exercise notebook the learner writes a function, then runs its check::

    from nnbook import checks
    checks.one_hot(one_hot)

Each check calls the learner's function on the lesson's worked example and on hidden cases drawn at
random on every run (so a copied answer fails), and returns a result that is truthy exactly when every
case passed. For a failing case it shows the call, the expected value, the value received and a hint that
names the usual mistake when the answer reveals one (a sum where a mean belongs, rows and columns swapped,
the sign of the step flipped, ...). The learner's exceptions become feedback, code that runs longer than
``TIME_LIMIT`` seconds is stopped, and every call gets copies of its inputs.

The expected values come from short numpy reference code written here, one line per formula, independent
of the rest of nnbook.

Each check's docstring says what the learner writes.
"""

from __future__ import annotations

import math

import numpy as np

from nnbook.data import pets
from nnbook.descent import bowl_loss, bowl_slope
from nnbook.tools import grading as _grading
from nnbook.tools.grading import Case, CheckResult, call_text, compare_numbers, compare_parts, run_check

__all__ = ["CheckResult", "try_it", "one_hot", "sse", "mse", "update_weight", "gradient_descent",
           "numerical_gradient", "dense_forward", "dense_backward", "iterations_per_epoch", "accuracy"]


def try_it(function, *args, **kwargs) -> None:
    """Run the learner's ``function`` on ``args`` and print the call and what it returned.

    A function that is not written yet (it still raises ``NotImplementedError``) prints "not written yet"
    instead of failing, so a fresh exercise notebook runs from top to bottom. Errors are printed too,
    with the learner's line.
    """
    if not callable(function):
        print(f"try_it needs a function, got {_grading.describe(function)}")
        return
    name = getattr(function, "__name__", "the function")
    shown = [_grading.one_line(_grading.show(arg, limit=12)) for arg in args]
    shown += [f"{key}={_grading.one_line(_grading.show(value, limit=12))}" for key, value in kwargs.items()]
    call = f"{name}({', '.join(shown)})"
    outcome = _grading.call_with_limit(function, args, kwargs)
    if outcome.not_attempted:
        print(f"{name} is not written yet: write it in the cell above, run that cell, then this one.")
    elif outcome.timed_out:
        print(f"{call} was stopped after {_grading.TIME_LIMIT:g} s: does a loop never end?")
    elif outcome.error is not None:
        print(f"{call} raised {_grading.describe_error(outcome.error)}")
    else:
        value = _grading.show(outcome.value)
        print(f"{call} returned:\n{value}" if "\n" in value or len(call) + len(value) > 90
              else f"{call} returned {value}")


def _rng() -> np.random.Generator:
    """A fresh generator for the hidden cases: different numbers on every run of a check."""
    return np.random.default_rng()


def _probabilities(rng, n: int, k: int) -> np.ndarray:
    """(n, k) rows of probabilities with two decimals, each row summing to 1 (up to float rounding)."""
    rows = np.round(rng.dirichlet(np.ones(k), size=n), 2)
    rows[:, -1] = np.clip(np.round(1 - rows[:, :-1].sum(axis=1), 2), 0, 1)
    return rows


# --------------------------------------------------------------------------------------------------
# Lesson 02


def _one_hot_reference(labels, k):
    encoded = np.zeros((len(labels), k))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded


def _one_hot_case(name, labels, k) -> Case:
    expected = _one_hot_reference(labels, k)
    shifted_up = np.zeros((len(labels), k + 1))
    shifted_up[np.arange(len(labels)), labels + 1] = 1.0
    return Case(name, call_text("one_hot", ["labels", "num_classes"], (labels, k)), (labels, k), expected, [
        (expected.T, "rows and columns are swapped: there is one row per sample (n rows) and one column per "
                     "class (num_classes columns), so the shape is (len(labels), num_classes)."),
        (np.roll(expected, -1, axis=1), "each 1 sits one column to the left: labels start at 0, so label 0 "
                                        "goes in column 0 (no `label - 1`)."),
        (np.roll(expected, 1, axis=1) if labels.max() < k - 1 else None,
         "each 1 sits one column to the right: labels start at 0, so label 0 goes in column 0 (no "
         "`label + 1`)."),
        (shifted_up, "each 1 sits one column to the right: labels start at 0, so label 0 goes in column 0 "
                     "(no `label + 1`, and exactly num_classes columns)."),
        (_one_hot_reference(labels, labels.max() + 1),
         "the number of columns came from the largest label: use num_classes, because a batch may hold no "
         "sample of the last class."),
    ])


def one_hot(student_one_hot) -> CheckResult:
    """Check ``one_hot(labels, num_classes)``: an (n, num_classes) float array, row i all zeros except a 1
    in column ``labels[i]``."""
    rng = _rng()
    k = int(rng.integers(4, 7))
    no_last_class = rng.integers(0, k - 1, size=int(rng.integers(k + 2, k + 6)))   # max label < k - 1
    while True:   # a square case: only the values can reveal swapped rows and columns
        square = rng.integers(0, k, size=k)
        if not np.array_equal(_one_hot_reference(square, k), _one_hot_reference(square, k).T):
            break
    every_class = rng.permutation(np.concatenate([np.arange(k + 1), rng.integers(0, k + 1, size=3)]))
    cases = [
        _one_hot_case("the worked example", pets().labels, 3),
        _one_hot_case("hidden case 1", no_last_class, k),
        _one_hot_case("hidden case 2", square, k),
        _one_hot_case("hidden case 3", every_class, k + 1),
    ]
    return run_check("one_hot", student_one_hot, cases,
                     advice="Start from np.zeros((len(labels), num_classes)) and put a 1 in row i, column "
                            "labels[i].",
                     error_advice=[(IndexError, "out of bounds",
                                    "a label was used as a column number beyond the last column: labels run "
                                    "from 0 to num_classes - 1 (no + 1), and the array needs num_classes "
                                    "columns.")])


# --------------------------------------------------------------------------------------------------
# Lesson 03


_LIST_ADVICE = (TypeError, "unsupported operand",
                "lists cannot be subtracted or squared element by element: turn them into arrays first "
                "with np.asarray, or loop over the entries.")


def _sse_case(name, y_true, y_pred) -> Case:
    errors = y_true - y_pred
    expected = float(np.sum(errors ** 2))
    return Case(name, call_text("sse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected / y_true.size, "that is the mean of the squared errors: SSE is their sum (no division "
                                 "by the number of classes)."),
        (np.sqrt(expected), "a square root was taken: SSE is the plain sum of the squared errors."),
        (float(np.sum(errors)), "the differences were added without squaring them, so positive and "
                                "negative ones cancel: square each difference, then add."),
        (float(np.sum(np.abs(errors))), "that adds absolute differences: square each difference instead."),
        (float(np.sum(errors)) ** 2, "the differences were added first and squared after: square each "
                                     "difference, then add."),
        (errors ** 2, "that is each class's squared error: add them up into one number."),
    ])


def sse(student_sse) -> CheckResult:
    """Check ``sse(y_true, y_pred)`` for one sample: ``sum_j (y_true_j - y_pred_j)^2``, a float."""
    rng = _rng()
    cases = [_sse_case("the worked example", np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13]))]
    for number in (1, 2):
        k = int(rng.integers(3, 7))
        y_true = np.eye(k)[rng.integers(k)]
        cases.append(_sse_case(f"hidden case {number}", y_true, _probabilities(rng, 1, k)[0]))
    k = int(rng.integers(3, 7))    # targets that are not one-hot: the formula holds for any vectors
    cases.append(_sse_case("hidden case 3", np.round(rng.uniform(0, 1, k), 2), np.round(rng.uniform(0, 1, k), 2)))
    return run_check("sse", student_sse, cases,
                     advice="SSE = sum over j of (y_true[j] - y_pred[j]) ** 2: square each difference, "
                            "then add them all.",
                     error_advice=[_LIST_ADVICE])


def _mse_case(name, y_true, y_pred) -> Case:
    n, k = y_true.shape
    squared = (y_true - y_pred) ** 2
    per_sample = squared.sum(axis=1)
    expected = float(per_sample.mean())
    return Case(name, call_text("mse", ["y_true", "y_pred"], (y_true, y_pred)), (y_true, y_pred), expected, [
        (expected * n, "the samples' errors were summed: MSE is their mean, so divide by the number of "
                       "samples n."),
        (expected / k, f"that divides by n x k (every entry): the course's MSE averages over the samples "
                       f"only; each sample's error is the sum over its {k} classes. (Keras's 'mse' is this "
                       f"value divided by k.)"),
        (np.sqrt(expected), "a square root was taken: MSE is the mean of the samples' SSE, with no root."),
        (float(np.mean(np.sum(y_true - y_pred, axis=1))), "the differences were not squared before adding."),
        (float(np.mean(np.sum(np.abs(y_true - y_pred), axis=1))), "that uses absolute differences: square "
                                                                  "them instead."),
        (per_sample, "that is each sample's SSE: return their mean, one number for the batch."),
        (squared.mean(axis=0), "that is a mean per class (axis 0): sum over the classes of each sample "
                               "(axis 1), then take the mean over the samples."),
    ])


def mse(student_mse) -> CheckResult:
    """Check ``mse(y_true, y_pred)`` for a batch (n, k): the mean over samples of each sample's SSE,
    ``(1/n) sum_i sum_j (y_true_ij - y_pred_ij)^2``."""
    rng = _rng()
    batch = pets()
    cases = [_mse_case("the worked example", np.eye(3)[batch.labels], batch.predictions)]
    for number in (1, 2):
        k = int(rng.integers(3, 6))
        n = int(rng.integers(k + 1, k + 6))
        cases.append(_mse_case(f"hidden case {number}", np.eye(k)[rng.integers(0, k, size=n)],
                               _probabilities(rng, n, k)))
    return run_check("mse", student_mse, cases,
                     advice="For each sample (row) add up its squared errors, then take the mean of those "
                            "n sums.",
                     error_advice=[_LIST_ADVICE])


# --------------------------------------------------------------------------------------------------
# Lesson 04


def _update_case(name, w, gradient, learning_rate) -> Case:
    args = (w, gradient, learning_rate)
    expected = w - learning_rate * gradient
    return Case(name, call_text("update_weight", ["w", "gradient", "learning_rate"], args), args, expected, [
        (w + learning_rate * gradient, "the step went the wrong way (added instead of subtracted): move "
                                       "against the slope, w - learning_rate * gradient."),
        (w - gradient, "the learning rate is missing: the step is learning_rate * gradient."),
        (w + gradient, "the learning rate is missing and the sign is flipped: w - learning_rate * gradient."),
        (-learning_rate * gradient, "that is only the step: return the new weight, w minus the step."),
        (learning_rate * gradient, "that is only the step (with the wrong sign): return "
                                   "w - learning_rate * gradient."),
        (w - gradient / learning_rate, "the gradient was divided by the learning rate: multiply instead."),
    ])


def update_weight(student_update_weight) -> CheckResult:
    """Check ``update_weight(w, gradient, learning_rate)``: one gradient-descent step,
    ``w - learning_rate * gradient``, for a float or an array ``w``."""
    rng = _rng()

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
                     advice="The new weight is w - learning_rate * gradient: a step against the slope.")


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
        (_descend(gradient_fn, w0, learning_rate, steps, sign=+1.0), "the path goes uphill: each step must "
                                                                      "subtract learning_rate * gradient."),
        (_descend(gradient_fn, w0, 1.0, steps), "the learning rate is missing: each step is "
                                                "learning_rate * gradient_fn(w)."),
        (expected[-1], "only the last weight came back: return every weight visited, w0 first."),
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
    rng = _rng()
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
                     advice="Start the list with w0; then `steps` times: w = w - learning_rate * "
                            "gradient_fn(w), and append the new w.")


# --------------------------------------------------------------------------------------------------
# Lesson 05


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
    rng = _rng()
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
    rng = _rng()
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
    rng = _rng()
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


# --------------------------------------------------------------------------------------------------
# Lesson 06


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
    rng = _rng()
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


# --------------------------------------------------------------------------------------------------
# Lesson 08


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
    rng = _rng()
    batch = pets()
    cases = [_accuracy_case("the worked example", batch.labels, batch.predictions)]
    for number in (1, 2):
        k = int(rng.integers(3, 6))
        n = int(rng.integers(k + 3, 13))
        probabilities = _probabilities(rng, n, k)
        while not _clear_winners(probabilities):
            probabilities = _probabilities(rng, n, k)
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

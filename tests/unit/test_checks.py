"""nnbook.checks: right answers in several styles pass, the usual mistakes fail with the right hint.

Every check draws new hidden cases on each call, so each test below runs against fresh random cases.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from nnbook import checks
from nnbook.tools import grading as _grading


def failed_with(result, hint: str) -> bool:
    """The check failed, and one failing case's hint contains ``hint``."""
    return (not result and result.status == "failed"
            and any(hint in failure.hint for failure in result.failures))


def endless(*args, **kwargs):
    """Loops far past the checks' time limit (then ends, so that no stray thread spins forever)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pass


def not_written(*args, **kwargs):
    # YOUR CODE HERE
    raise NotImplementedError("write it here")


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(_grading, "TIME_LIMIT", 0.3)


ALL_CHECKS = ["one_hot", "sse", "mse", "update_weight", "gradient_descent", "numerical_gradient",
              "dense_forward", "dense_backward", "iterations_per_epoch", "accuracy"]


# --------------------------------------------------------------------------------------------------
# Behaviour shared by every check


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_the_stub_reads_as_not_attempted(name):
    result = getattr(checks, name)(not_written)
    assert not result and result.status == "not attempted" and result.score == 0
    assert "not attempted yet" in result.feedback and result.failures == []


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_an_endless_loop_is_stopped_and_reported(name, short_time_limit):
    result = getattr(checks, name)(endless)
    assert failed_with(result, "did not finish in time")
    assert "stopped after 0.3 s" in result.feedback


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_an_exception_becomes_feedback_with_the_learners_line(name):
    def broken(*args, **kwargs):
        total = 0
        return total + undefined_name   # noqa: F821  the learner's typo

    result = getattr(checks, name)(broken)
    assert not result and result.score == 0
    assert "NameError: name 'undefined_name' is not defined" in result.feedback
    assert "in broken, line" in result.feedback and "return total + undefined_name" in result.feedback


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_a_check_never_raises_whatever_comes_back(name):
    for answer in ["0.5", {"a": 1}, object(), [[1, 2], [3]], None, float("nan")]:
        result = getattr(checks, name)(lambda *args, answer=answer, **kwargs: answer)
        assert not result and result.status == "failed"
    assert "return` missing" in getattr(checks, name)(lambda *args, **kwargs: None).failures[0].hint


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_passing_something_that_is_not_a_function_says_so(name):
    result = getattr(checks, name)(0.6638)
    assert not result and "pass the function itself" in result.hint


def test_the_displayed_result_of_a_correct_solution_is_the_same_on_every_run():
    def sse(y_true, y_pred):
        return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))

    first, second = checks.sse(sse), checks.sse(sse)
    assert first and second.passed and first.score == 1.0
    assert first._repr_mimebundle_() == second._repr_mimebundle_()
    html = first._repr_html_()
    assert html.count("<div") == 1 and "<pre" not in html and "#1a7f37" in html   # one green line
    assert repr(first) == first.feedback == "✔ sse: all 4 cases passed (the worked example and 3 hidden cases)."
    assert first.as_dict() == {"check": "sse", "status": "passed", "passed": 4, "total": 4, "hint": ""}


def test_a_failure_shows_the_call_expected_received_and_hint_in_text_and_html():
    result = checks.sse(lambda y_true, y_pred: float(np.mean((y_true - y_pred) ** 2)))
    text = result.feedback
    assert "the worked example: sse(y_true=[1.0, 0.0, 0.0], y_pred=[0.37, 0.5, 0.13])" in text
    assert f"expected: {_grading.show(0.3969 + 0.25 + 0.0169)}" in text
    assert f"received: {_grading.show((0.3969 + 0.25 + 0.0169) / 3)}" in text
    assert "hint:" in text and "(the same for hidden case 1" in text
    html = result._repr_html_()
    assert "<pre" in html and "#cf222e" in html and "&lt;" not in text
    record = result._repr_mimebundle_()[_grading.MIMETYPE]
    assert record["status"] == "failed" and record["passed"] == 0 and "mean" in record["hint"]


def test_inputs_are_copies_so_an_in_place_change_cannot_leak():
    def one_hot(labels, num_classes):
        encoded = np.eye(num_classes)[labels]
        labels[:] = 0                      # scribbles on its input after computing the answer
        return encoded

    assert checks.one_hot(one_hot)
    weights = np.array([1.0, 2.0])

    def update_weight(w, gradient, learning_rate):
        w -= learning_rate * gradient      # in place, on the check's copy
        return w

    assert checks.update_weight(update_weight)
    checks.try_it(update_weight, weights, np.array([1.0, 1.0]), 0.5)
    assert weights.tolist() == [1.0, 2.0]


def test_the_time_limit_also_works_outside_the_main_thread(short_time_limit):
    import threading

    outcome = {}

    def slow(*args):
        time.sleep(1.5)                    # ends on its own, so no thread is left spinning

    def grade():
        outcome["result"] = checks.iterations_per_epoch(slow)

    started = time.monotonic()
    worker = threading.Thread(target=grade)
    worker.start()
    worker.join()
    assert time.monotonic() - started < 1.2
    assert failed_with(outcome["result"], "did not finish in time")


def test_try_it_shows_the_result_or_that_the_function_is_not_written(capsys):
    checks.try_it(lambda y_true, y_pred: float(np.sum((y_true - y_pred) ** 2)),
                  np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13]))
    checks.try_it(not_written, 1, 2)
    checks.try_it(lambda: 1 / 0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "<lambda>([1.0, 0.0, 0.0], [0.37, 0.5, 0.13]) returned 0.6638"
    assert lines[1].startswith("not_written is not written yet")
    assert lines[2] == "<lambda>() raised ZeroDivisionError: division by zero"


# --------------------------------------------------------------------------------------------------
# one_hot


def one_hot_loops(labels, num_classes):
    rows = []
    for label in labels:
        row = [0.0] * num_classes
        row[label] = 1.0
        rows.append(row)
    return rows


@pytest.mark.parametrize("one_hot", [
    one_hot_loops,
    lambda labels, num_classes: np.eye(num_classes)[labels],
    lambda labels, num_classes: (np.arange(num_classes) == np.asarray(labels)[:, None]).astype(float),
])
def test_one_hot_accepts_right_answers(one_hot):
    assert checks.one_hot(one_hot)


@pytest.mark.parametrize("one_hot, hint", [
    (lambda labels, k: np.eye(k)[labels].T, "rows and columns are swapped"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) - 1], "one column to the left"),
    (lambda labels, k: np.eye(k + 1)[np.asarray(labels) + 1], "one column to the right"),
    (lambda labels, k: np.eye(max(labels) + 1)[labels], "the number of columns came from the largest label"),
    (lambda labels, k: np.eye(3)[[0, 1, 2, 0, 1, 1, 2, 0]], "the worked example's answer"),
    (lambda labels, k: np.eye(k)[np.asarray(labels) + 1], "labels run from 0 to num_classes - 1"),
])
def test_one_hot_names_the_usual_mistakes(one_hot, hint):
    assert failed_with(checks.one_hot(one_hot), hint)


# --------------------------------------------------------------------------------------------------
# sse and mse


def sse_loops(y_true, y_pred):
    total = 0.0
    for truth, prediction in zip(y_true, y_pred):
        total += (truth - prediction) ** 2
    return total


@pytest.mark.parametrize("sse", [
    sse_loops,
    lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2),
    lambda y_true, y_pred: sum((a - b) ** 2 for a, b in zip(list(y_true), list(y_pred))),
    lambda y_true, y_pred: np.dot(y_true - y_pred, y_true - y_pred),
])
def test_sse_accepts_right_answers(sse):
    assert checks.sse(sse)


@pytest.mark.parametrize("sse, hint", [
    (lambda t, p: np.mean((t - p) ** 2), "mean of the squared errors"),
    (lambda t, p: np.sum(t - p), "without squaring"),
    (lambda t, p: np.sum(np.abs(t - p)), "absolute differences"),
    (lambda t, p: np.sqrt(np.sum((t - p) ** 2)), "square root"),
    (lambda t, p: (t - p) ** 2, "add them up into one number"),
    (lambda t, p: 0.6638, "the worked example's answer"),
    (lambda t, p: sum(d ** 2 for d in list(t) - list(p)), "np.asarray"),
])
def test_sse_names_the_usual_mistakes(sse, hint):
    assert failed_with(checks.sse(sse), hint)


def mse_loops(y_true, y_pred):
    total = 0.0
    for truth, prediction in zip(y_true, y_pred):
        total += sum((a - b) ** 2 for a, b in zip(truth, prediction))
    return total / len(y_true)


@pytest.mark.parametrize("mse", [
    mse_loops,
    lambda y_true, y_pred: np.mean(np.sum((y_true - y_pred) ** 2, axis=1)),
    lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2) / y_true.shape[0],
    lambda y_true, y_pred: np.mean([np.sum((t - p) ** 2) for t, p in zip(y_true.tolist(), y_pred.tolist())
                                    for t, p in [(np.array(t), np.array(p))]]),
])
def test_mse_accepts_right_answers(mse):
    assert checks.mse(mse)


@pytest.mark.parametrize("mse, hint", [
    (lambda t, p: np.sum((t - p) ** 2), "the samples' errors were summed"),
    (lambda t, p: np.mean((t - p) ** 2), "divides by n x k"),
    (lambda t, p: np.sum((t - p) ** 2, axis=1), "each sample's SSE: return their mean"),
    (lambda t, p: np.mean((t - p) ** 2, axis=0), "a mean per class"),
    (lambda t, p: np.sqrt(np.mean(np.sum((t - p) ** 2, axis=1))), "square root"),
    (lambda t, p: 0.2486, "the worked example's answer"),
])
def test_mse_names_the_usual_mistakes(mse, hint):
    result = checks.mse(mse)
    assert failed_with(result, hint), result.feedback


def test_mse_worked_example_is_the_mean_of_the_pets_sse():
    from nnbook.data import pets
    from nnbook.losses import mse

    batch = pets()
    result = checks.mse(lambda t, p: 0.0)
    assert result.failures[0].expected == _grading.show(mse(np.eye(3)[batch.labels], batch.predictions))


# --------------------------------------------------------------------------------------------------
# update_weight and gradient_descent


@pytest.mark.parametrize("update_weight", [
    lambda w, gradient, learning_rate: w - learning_rate * gradient,
    lambda w, gradient, learning_rate: np.subtract(w, np.multiply(learning_rate, gradient)),
    lambda w, gradient, learning_rate: (np.asarray(w, dtype=float) - learning_rate * np.asarray(gradient)).tolist(),
])
def test_update_weight_accepts_right_answers(update_weight):
    assert checks.update_weight(update_weight)


@pytest.mark.parametrize("update_weight, hint", [
    (lambda w, g, lr: w + lr * g, "the step went the wrong way"),
    (lambda w, g, lr: w - g, "the learning rate is missing"),
    (lambda w, g, lr: -lr * g, "only the step"),
    (lambda w, g, lr: w - g / lr, "divided by the learning rate"),
    (lambda w, g, lr: 0.3855, "the worked example's answer"),
])
def test_update_weight_names_the_usual_mistakes(update_weight, hint):
    assert failed_with(checks.update_weight(update_weight), hint)


def test_update_weight_worked_example_is_the_seed_step():
    result = checks.update_weight(lambda w, g, lr: w + lr * g)
    assert result.failures[0].call == "update_weight(w=0.38, gradient=-0.55, learning_rate=0.01)"
    assert result.failures[0].expected == "0.3855" and result.failures[0].received == "0.3745"


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


@pytest.mark.parametrize("gradient_descent", [descent_list, descent_array, descent_while])
def test_gradient_descent_accepts_right_answers(gradient_descent):
    assert checks.gradient_descent(gradient_descent)


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
    assert failed_with(checks.gradient_descent(gradient_descent), hint)


# --------------------------------------------------------------------------------------------------
# numerical_gradient, dense_forward, dense_backward


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
    assert failed_with(checks.numerical_gradient(numerical_gradient), hint)


WORKED_X, WORKED_W, WORKED_B, _ = checks._worked_dense()


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
    assert failed_with(checks.dense_forward(dense_forward), hint)


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
    assert failed_with(checks.dense_backward(dense_backward), hint)


def test_dense_backward_hard_coded_worked_example_fails():
    x, W, _, grad_out = checks._worked_dense()
    answer = (grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0))
    assert failed_with(checks.dense_backward(lambda *args: answer), "the worked example's answer")


def test_dense_backward_reference_agrees_with_a_numerical_gradient():
    """The check's expected gradients are those of the loss sum(grad_out * (x @ W + b))."""
    x, W, b, grad_out = checks._worked_dense()
    case = checks._dense_backward_case("case", x, W, grad_out)
    numerical_W = numerical_loops(lambda V: float(np.sum(grad_out * (x @ V + b))), W)
    numerical_x = numerical_loops(lambda V: float(np.sum(grad_out * (V @ W + b))), x)
    numerical_b = numerical_loops(lambda c: float(np.sum(grad_out * (x @ W + c))), b)
    for expected, numerical in zip(case.expected, (numerical_x, numerical_W, numerical_b)):
        np.testing.assert_allclose(expected, numerical, atol=1e-8)


# --------------------------------------------------------------------------------------------------
# iterations_per_epoch and accuracy


def iterations_loop(n_samples, batch_size):
    count, start = 0, 0
    while start < n_samples:
        count += 1
        start += batch_size
    return count


@pytest.mark.parametrize("iterations_per_epoch", [
    lambda n, b: math.ceil(n / b),
    lambda n, b: -(-n // b),
    lambda n, b: int(np.ceil(n / b)),
    lambda n, b: len(range(0, n, b)),
    iterations_loop,
])
def test_iterations_per_epoch_accepts_right_answers(iterations_per_epoch):
    assert checks.iterations_per_epoch(iterations_per_epoch)


@pytest.mark.parametrize("iterations_per_epoch, hint", [
    (lambda n, b: n // b, "that rounds down"),
    (lambda n, b: np.ceil(n / b), "return an int"),
    (lambda n, b: n / b, "unrounded"),
    (lambda n, b: n // b + 1, "adding 1 to the floor"),
    (lambda n, b: math.ceil(b / n), "the arguments are swapped"),
    (lambda n, b: 66, "the worked example's answer"),
])
def test_iterations_per_epoch_names_the_usual_mistakes(iterations_per_epoch, hint):
    assert failed_with(checks.iterations_per_epoch(iterations_per_epoch), hint)


def test_iterations_per_epoch_worked_example_is_2100_samples_in_batches_of_32():
    result = checks.iterations_per_epoch(lambda n, b: n // b)
    assert result.failures[0].call == "iterations_per_epoch(n_samples=2100, batch_size=32)"
    assert (result.failures[0].expected, result.failures[0].received) == (str(math.ceil(2100 / 32)), "65")


def accuracy_loops(labels, probabilities):
    right = 0
    for label, row in zip(labels, probabilities):
        best = 0
        for column in range(len(row)):
            if row[column] > row[best]:
                best = column
        right += best == label
    return right / len(labels)


@pytest.mark.parametrize("accuracy", [
    lambda labels, probabilities: np.mean(np.argmax(probabilities, axis=1) == labels),
    lambda labels, probabilities: (probabilities.argmax(1) == np.asarray(labels)).sum() / len(labels),
    lambda labels, probabilities: sum(int(np.argmax(row) == label) for label, row in
                                      zip(list(labels), list(probabilities))) / len(labels),
    accuracy_loops,
])
def test_accuracy_accepts_right_answers(accuracy):
    assert checks.accuracy(accuracy)


@pytest.mark.parametrize("accuracy, hint", [
    (lambda y, p: 100 * np.mean(p.argmax(1) == y), "that is a percentage"),
    (lambda y, p: np.sum(p.argmax(1) == y), "a count of correct rows"),
    (lambda y, p: np.mean(p.max(axis=1) == y), "probabilities were compared with the labels"),
    (lambda y, p: np.mean(np.argmax(p) == y), "without axis=1"),
    (lambda y, p: np.mean(p[np.arange(len(y)), y]), "the mean probability given to the true class"),
    (lambda y, p: 1 - np.mean(p.argmax(1) == y), "the error rate"),
    (lambda y, p: np.mean(p.argmax(0) == y), "take argmax per row"),
    (lambda y, p: 0.75, "the worked example's answer"),
])
def test_accuracy_names_the_usual_mistakes(accuracy, hint):
    assert failed_with(checks.accuracy(accuracy), hint)

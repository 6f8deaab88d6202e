"""The findings of issue 20's adversarial sweep of the checks, one test (or a few) per finding.

Each test failed before its fix. The checks' other tests are in tests/unit/exercise_checks/."""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from check_helpers import always_fails_with

from nnbook import checks

# --------------------------------------------------------------------------------------------------
# iterations_per_epoch: every rounding trick fails on every run


@pytest.mark.parametrize("trick, hint", [
    (lambda n, b: round(n / b + 0.5), "one too many"),              # half-to-even: odd exact quotient + 0.5
    (lambda n, b: int(np.round(n / b + 0.5)), "one too many"),
    (lambda n, b: round(n / b - 0.5) + 1, "one too many"),          # even exact quotient - 0.5 rounds down
    (lambda n, b: int(n / b + 0.99), "that rounds down"),           # a remainder under 1/100 of a batch
    (lambda n, b: math.floor(n / b + 63 / 64), "that rounds down"),  # a remainder under 1/64 of a batch
    (lambda n, b: int(n / b + 0.999), "that rounds down"),
    (lambda n, b: round(n / b), "that rounds down"),
    (lambda n, b: n // b + (n % b >= b / 2), "that rounds down"),
])
def test_iterations_per_epoch_separates_every_rounding_trick_on_every_run(trick, hint):
    assert always_fails_with(checks.iterations_per_epoch, trick, hint)


# --------------------------------------------------------------------------------------------------
# numerical_gradient: a nudge never put back fails on every run


def numerical_gradient_never_restoring(f, w, h=1e-5):
    w = np.array(w, dtype=float)
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += h
        up = f(w)
        w[index] -= 2 * h
        gradient[index] = (up - f(w)) / (2 * h)       # w[index] is left at w - h
    return float(gradient) if gradient.ndim == 0 else gradient


def test_numerical_gradient_that_never_restores_the_nudged_entry_fails_on_every_run():
    assert always_fails_with(checks.numerical_gradient, numerical_gradient_never_restoring,
                             "each nudged entry must go back")


# --------------------------------------------------------------------------------------------------
# train_epoch: the engine is refused however it is reached


def imports_the_engine_in_its_body(params, x, labels, order, batch_size, learning_rate):
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    from nnbook.optimizers import SGD

    model = Sequential([Dense(W.shape[1], input_shape=(W.shape[0],) if number == 0 else None,
                              activation="softmax" if number == len(params) - 1 else "relu")
                        for number, (W, _) in enumerate(params)])
    model.set_weights([array for pair in params for array in pair])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
    history = model.fit(x[order], labels[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    weights = model.get_weights()
    return list(zip(weights[::2], weights[1::2])), history.history["loss"][0]


def calls_the_checks_reference(params, x, labels, order, batch_size, learning_rate):
    import nnbook.tools.cases.lesson_06 as reference

    return reference._fit_epoch(params, x, labels, order, batch_size, learning_rate)


def calls_the_checks_numpy_epoch(params, x, labels, order, batch_size, learning_rate):
    import nnbook.tools.cases.lesson_06 as reference

    return reference._epoch(params, x, labels, order, batch_size, learning_rate)


class CallableEpoch:
    def __init__(self, epoch):
        self.epoch = epoch

    def __call__(self, *args):
        return self.epoch(*args)


def engine_wrappers():
    import functools

    from nnbook.tools.cases import lesson_06
    return [functools.partial(lesson_06._fit_epoch), CallableEpoch(lesson_06._fit_epoch),
            CallableEpoch(imports_the_engine_in_its_body)]


@pytest.mark.parametrize("train_epoch", [imports_the_engine_in_its_body, calls_the_checks_reference,
                                         calls_the_checks_numpy_epoch, *engine_wrappers()],
                         ids=["import_in_body", "private_fit_epoch", "private_epoch", "partial",
                              "callable_object", "callable_object_importing"])
def test_train_epoch_using_the_engine_in_any_form_is_refused(train_epoch):
    result = checks.train_epoch(train_epoch)
    assert not result and "must not call nnbook's engine" in result.hint, result.feedback


def test_train_epoch_turning_off_the_watch_is_refused():
    import sys

    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        sys.setprofile(None)
        return calls_the_checks_reference(params, x, labels, order, batch_size, learning_rate)

    result = checks.train_epoch(train_epoch)
    assert not result and "sys.setprofile" in result.hint


def test_the_capstone_check_raises_no_warning_for_numpy_names(recwarn):
    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        # `str` and `object` are builtins; the engine probe once looked them up on numpy too (np.str warns)
        return [(np.asarray(W), np.asarray(b)) for W, b in params], 0.0 * len(str(object()))

    checks.train_epoch(train_epoch)
    assert not [warning for warning in recwarn if "numpy" in str(warning.filename) or "np." in str(warning.message)]


# --------------------------------------------------------------------------------------------------
# Right answers computed in float32: passed, or told that float32 is the reason


def softmax_32(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def dense_forward_32(x, W, b):
    return np.float32(x) @ np.float32(W) + np.float32(b)


def dense_backward_32(x, W, grad_out):
    x, W, grad_out = np.float32(x), np.float32(W), np.float32(grad_out)
    return grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0)


def gradient_descent_32(gradient_fn, w0, learning_rate, steps):
    path = [np.asarray(w0, dtype=np.float32)]
    for _ in range(steps):
        path.append(np.float32(path[-1] - np.float32(learning_rate) * np.float32(gradient_fn(path[-1]))))
    return np.array(path, dtype=np.float32)


def adam_step_32(w, gradient, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    w, g, m, v = (np.asarray(value, dtype=np.float32) for value in (w, gradient, m, v))
    b1, b2 = np.float32(beta_1), np.float32(beta_2)
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g ** 2
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return w - np.float32(learning_rate) * m_hat / (np.sqrt(v_hat) + np.float32(epsilon)), m, v


@pytest.mark.parametrize("check, function", [
    (checks.softmax, softmax_32), (checks.dense_forward, dense_forward_32),
    (checks.dense_backward, dense_backward_32), (checks.gradient_descent, gradient_descent_32),
    (checks.adam_step, adam_step_32),
], ids=["softmax", "dense_forward", "dense_backward", "gradient_descent", "adam_step"])
def test_a_right_answer_in_float32_passes_or_is_told_the_precision(check, function):
    for _ in range(20):
        result = check(function)
        assert result or all("float32" in failure.hint for failure in result.failures), result.feedback


# --------------------------------------------------------------------------------------------------
# Answers the check cannot read: showing or comparing them runs the learner's code, and the check neither
# raises nor hangs on it


def _self_containing():
    value = []
    value.append(value)
    return value


def _deep(levels=100_000):
    value = [0.5]
    for _ in range(levels):
        value = [value]
    return value


class _Hostile:
    """A learner's object whose every conversion misbehaves in the way ``how`` names."""

    def __init__(self, how):
        self.how = how

    def _misbehave(self, *_):
        if self.how == "exit":
            raise SystemExit(3)
        if self.how == "slow":
            import time
            time.sleep(30)
        raise RuntimeError("no conversion for you")

    __array__ = __float__ = __repr__ = __str__ = __len__ = __iter__ = _misbehave


class _HugeLength(list):
    def __len__(self):
        return 2 ** 70


#: Built once: building it inside the learner's function took over the 0.5 s limit on a loaded machine, and
#: the test is about reading it.
_DEEP = _deep()

HOSTILE = {"a list holding itself": _self_containing, "a list 100000 deep": lambda: _DEEP,
           "__array__ and __repr__ raise": lambda: _Hostile("raise"),
           "__array__ raises SystemExit": lambda: _Hostile("exit"),
           "a huge __len__": lambda: _HugeLength([0.1, 0.2]),
           "a conversion that never ends": lambda: _Hostile("slow")}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_an_answer_the_check_cannot_read_is_feedback_not_a_crash_or_a_hang(make, monkeypatch, capsys):
    from nnbook.tools import grading
    monkeypatch.setattr(grading, "TIME_LIMIT", 0.5)
    result = checks.sse(lambda y_true, y_pred: make())
    assert not result and result.status == "failed"
    assert "that the check cannot read" in result.feedback or "could not read within 0.5 s" in result.feedback, \
        result.feedback
    assert "return plain numbers" in result.feedback
    checks.try_it(lambda: make())
    printed = capsys.readouterr().out
    assert printed.startswith("<lambda>() returned") and printed.count("\n") <= 2, printed   # shown, or named


def test_a_backprop_piece_the_capstone_cannot_read_is_named(monkeypatch):
    from nnbook.tools import grading
    from nnbook.tools.cases import lesson_06
    monkeypatch.setattr(grading, "TIME_LIMIT", 0.5)
    said = lesson_06._piece_problem("relu_backward", lambda z, grad_out: _Hostile("exit"))
    assert said.startswith("The step that went wrong") and "Your relu_backward returned a _Hostile" in said, said


# --------------------------------------------------------------------------------------------------
# A loop that catches everything is still stopped by the time limit

SWALLOWS = {
    "bare except around sleep": "while True:\n        try:\n            time.sleep(0.05)\n        except:\n"
                                "            pass",
    "BaseException, continue": "while True:\n        try:\n            time.sleep(0.05)\n"
                               "        except BaseException:\n            continue",
    "in a helper it calls": "def wait():\n        try:\n            time.sleep(0.05)\n        except:\n"
                            "            return\n    while True:\n        try:\n            wait()\n"
                            "        except:\n            pass",
}


@pytest.mark.parametrize("body", SWALLOWS.values(), ids=SWALLOWS.keys())
def test_a_loop_that_swallows_the_timer_is_stopped(body):
    # In a child process, so that a regression is a failed test after 60 s, not a hung test run.
    script = ("import time\nfrom nnbook import checks\nfrom nnbook.tools import grading\n"
              "grading.TIME_LIMIT = 0.5\n"
              f"def sse(y_true, y_pred):\n    {body}\n"
              "print(checks.sse(sse).feedback)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "nothing: stopped after 0.5 s" in result.stdout, result.stdout

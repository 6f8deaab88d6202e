"""Lesson 06's checks: iterations_per_epoch, and the capstone train_epoch.

Each check's docstring says what the learner writes. train_epoch's expected answer is one epoch of nnbook's
own ``Sequential.fit``; its usual mistakes are computed by a plain numpy epoch (:func:`_epoch`)."""

from __future__ import annotations

import functools
import importlib
import math
import os
import sys
import types
import warnings

import numpy as np

from nnbook.tools import grading as _grading
from nnbook.tools.cases.common import fresh_rng
from nnbook.tools.grading import (
    FAILED,
    NOT_ATTEMPTED,
    Case,
    CheckResult,
    Failure,
    call_text,
    compare_numbers,
    compare_parts,
    describe,
    for_nbgrader,
    grade,
    run_check,
    show,
)

#: This lesson's checks, in the order its exercise notebook calls them, each with its nbgrader points.
#: The course map, ``nnbook.checks`` and the nbgrader export read it.
CHECKS = {"iterations_per_epoch": 1, "train_epoch": 3}


def _compare_whole(received, expected) -> str | None:
    if isinstance(received, (bool, np.bool_)):
        return f"got {received}, a bool: return the count as an int"
    if isinstance(received, (int, np.integer)):
        return None if int(received) == expected else "the count is wrong"
    problem = compare_numbers(received, expected)
    if problem is None and isinstance(received, np.ndarray):
        return ("the right count, but as a numpy array: a number of iterations is a whole number, so return an "
                "int (wrap the result in int(...))")
    if problem is None:
        return ("the right count, but as a float: a number of iterations is a whole number, so return an "
                "int (math.ceil gives one; wrap np.ceil in int(...))")
    return problem


def _iterations_case(name, n_samples, batch_size) -> Case:
    args = (n_samples, batch_size)
    expected = math.ceil(n_samples / batch_size)
    floor, nearest = n_samples // batch_size, round(n_samples / batch_size)
    if nearest == floor:   # the remainder is under half a batch: rounding to the nearest also rounds down
        rounding = [(floor, "that rounds down (as // does, and round() too when less than half a batch is "
                            "left over): the samples left over still form a last, smaller batch, and that "
                            "batch is one more iteration, even when it holds a single sample. Round up.")]
    else:
        rounding = [(floor, "that rounds down, dropping the last, smaller batch: round up, since a partial "
                            "batch is still one iteration.")]
    return Case(name, call_text("iterations_per_epoch", ["n_samples", "batch_size"], args), args, expected, [
        *rounding,
        (n_samples / batch_size if n_samples % batch_size else None,
         "that is n_samples / batch_size unrounded: a count of iterations is a whole number; round it up."),
        (n_samples // batch_size + 1, "one too many: adding 1 to the floor is wrong when the batch size divides "
                                      "the samples evenly: then there is no smaller last batch (and "
                                      "round(n_samples / batch_size + 0.5) does the same to an odd count, as "
                                      "round() takes a half to the even number). Round up instead: math.ceil."),
        (math.ceil(batch_size / n_samples), "the arguments are swapped: it is n_samples divided by batch_size."),
    ])


def iterations_per_epoch(student_iterations_per_epoch) -> CheckResult:
    """Check ``iterations_per_epoch(n_samples, batch_size)``: ``ceil(n_samples / batch_size)``, an int
    (the last batch may be smaller; it still counts).

    The hidden cases are random in value but fixed in kind, so that every named mistake and every rounding
    trick fails on every run: a remainder under half a batch (round() and // both give one too few), a batch
    size that divides the samples an odd and an even number of times (// + 1 gives one too many on both;
    round(n / b + 0.5), which takes halves to even, on the odd one, and round(n / b - 0.5) on the even one),
    a single sample left over from a batch of over 1000 (int(n / b + 0.99) and the like round it away), more
    than half a batch left over, and fewer samples than half a batch (round() and // give 0)."""
    rng = fresh_rng()
    batch_size = int(rng.choice([8, 10, 16, 32, 64]))
    remainder = int(rng.integers(1, (batch_size + 1) // 2))                  # 1 <= remainder < batch_size / 2
    even_batch = int(rng.choice([10, 25, 32, 50]))
    big_batch = int(rng.integers(1001, 5000))
    wide_batch = int(rng.choice([10, 16, 20, 32]))
    small_batch = int(rng.choice([32, 64, 128]))
    cases = [
        _iterations_case("the worked example", 2100, 32),
        _iterations_case("hidden case 1", int(rng.integers(3, 200)) * batch_size + remainder, batch_size),
        _iterations_case("hidden case 2", (2 * int(rng.integers(1, 50)) + 1) * even_batch, even_batch),
        _iterations_case("hidden case 3", int(rng.integers(1, small_batch // 2)), small_batch),
        _iterations_case("hidden case 4", 2 * int(rng.integers(2, 50)) * even_batch, even_batch),
        _iterations_case("hidden case 5", int(rng.integers(1, 20)) * big_batch + 1, big_batch),
        _iterations_case("hidden case 6", int(rng.integers(1, 100)) * wide_batch
                         + int(rng.integers(wide_batch // 2 + 1, wide_batch)), wide_batch),
    ]
    return run_check("iterations_per_epoch", student_iterations_per_epoch, cases, compare=_compare_whole,
                     same=lambda received, wrong: compare_numbers(received, wrong) is None,
                     advice="Every batch is one iteration, and the samples left over at the end form one "
                            "more, smaller batch: ceil(n_samples / batch_size), as an int.")


# ----------------------------------------------------------------------------------------------------
# The capstone: train_epoch, one epoch of mini-batch SGD built from the learner's own functions

#: The modules of nnbook's training engine: the learner's train_epoch must not use them.
ENGINE = ("nnbook.models", "nnbook.layers", "nnbook.losses", "nnbook.optimizers", "nnbook.activations",
          "nnbook.callbacks")
#: The learner's functions from exercise 05 that an epoch is built from, in the order an iteration uses them,
#: with the step each one is.
PIECES = {"dense_forward": "the forward pass", "softmax_crossentropy_backward": "the loss's backward step",
          "dense_backward": "a layer's backward step", "relu_backward": "the backward step through relu"}
PARAMETERS = ["params", "x", "labels", "order", "batch_size", "learning_rate"]
#: The learner's weights and loss must match Sequential.fit's this closely.
TOLERANCE = 1e-9
#: The worked example: the lesson's network and data, batches of 32 (the last one holds 20), this rate.
WORKED_LEARNING_RATE, WORKED_BATCH_SIZE, WORKED_ORDER_SEED = 0.01, 32, 1
_ADVICE_LATER = "\x00the step that went wrong\x00"   # replaced, after the cases ran, by _diagnosis's text
_GENERAL_ADVICE = ("One epoch: take the samples in the given order (x[order], labels[order]); for each batch of "
                   "batch_size of them (the last may be smaller): forward through every layer (relu on the hidden "
                   "ones, softmax on the last), the batch's mean cross-entropy, backward from the last layer to the "
                   "first, then every W and b minus learning_rate times its gradient. The epoch's loss is the mean "
                   "over all samples of each one's loss in its batch's forward pass.")


# ----- the reference ---------------------------------------------------------------------------------

def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _forward(params, x):
    """(inputs of each layer, pre-activations z of each layer, probabilities)."""
    inputs, zs, a = [], [], x
    for number, (W, b) in enumerate(params, 1):
        inputs.append(a)
        zs.append(a @ W + b)
        a = _softmax(zs[-1]) if number == len(params) else np.maximum(zs[-1], 0)
    return inputs, zs, a


def _mean_crossentropy(probabilities, labels) -> float:
    return float(-np.mean(np.log(probabilities[np.arange(len(labels)), labels])))


def _step(W, b, grad_W, grad_b, learning_rate, mistake):
    if mistake == "added":
        return W + learning_rate * grad_W, b + learning_rate * grad_b
    if mistake == "biases":
        return W - learning_rate * grad_W, b
    if mistake == "biases_added":
        return W - learning_rate * grad_W, b + learning_rate * grad_b
    return W - learning_rate * grad_W, b - learning_rate * grad_b


def _epoch(params, x, labels, order, batch_size, learning_rate, mistake=None):
    """One epoch of mini-batch SGD in numpy, right (``mistake=None``) or with one of ``MISTAKES``.

    The expected answer comes from ``Sequential.fit`` (:func:`_fit_epoch`); this gives the usual mistakes'."""
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    if mistake == "labels":
        x = x[order]
    elif mistake != "order":
        x, labels = x[order], labels[order]
    n, last = len(x), len(params) - 1
    batch_size = n if mistake == "one_batch" else batch_size
    stop = n - n % batch_size if mistake == "drop_last" else n
    batch_losses = []
    for start in range(0, stop, batch_size):
        x_batch, y_batch = x[start:start + batch_size], labels[start:start + batch_size]
        rows = np.arange(len(y_batch))
        inputs, zs, probabilities = _forward(params, x_batch)
        loss = _mean_crossentropy(probabilities, y_batch)
        grad = probabilities.copy()
        grad[rows, y_batch] -= 1
        grad /= len(y_batch)                                   # dL/dz of the last layer: (p - one_hot) / n
        grads = [None] * len(params)
        for number in range(last, -1, -1):
            W, b = params[number]
            if number < last:
                grad = grad * (zs[number] > 0)                 # through relu: slope 0 where z <= 0
            grads[number] = (inputs[number].T @ grad, grad.sum(axis=0))
            if mistake == "during_backward":                   # updated now, so grad_x uses the new W
                params[number] = _step(W, b, *grads[number], learning_rate, mistake)
                W = params[number][0]
            grad = grad @ W.T
        if mistake != "during_backward":
            params = [_step(W, b, *grad_pair, learning_rate, mistake)
                      for (W, b), grad_pair in zip(params, grads)]
        if mistake == "after_update":
            loss = _mean_crossentropy(_forward(params, x_batch)[2], y_batch)
        batch_losses.append((loss, len(y_batch)))
    if mistake == "unweighted":
        epoch_loss = float(np.mean([loss for loss, _ in batch_losses]))
    elif mistake == "last_batch":
        epoch_loss = batch_losses[-1][0]
    elif mistake == "final_weights":
        epoch_loss = _mean_crossentropy(_forward(params, x)[2], labels)
    else:
        epoch_loss = sum(loss * size for loss, size in batch_losses) / sum(size for _, size in batch_losses)
    return params, epoch_loss


#: Each usual whole-epoch mistake, as _epoch computes it, and its hint.
MISTAKES = {
    "order": "the samples were taken in their stored order: this epoch must follow `order`, so take "
             "x[order] and labels[order] first and cut the batches from those.",
    "labels": "only x was put in `order`: the labels must follow it (labels[order]), or each sample is trained "
              "towards another sample's label.",
    "one_batch": "all the samples went in as one batch, one update for the epoch: cut x[order] into batches of "
                 "batch_size (the last one may be smaller), each with its own forward pass, backward pass and "
                 "update.",
    "drop_last": "the last, smaller batch was left out: when batch_size does not divide the samples, the "
                 "samples left over still form one more batch (and one more update).",
    "added": "the update went uphill: a weight moves against its gradient, W - learning_rate * grad_W "
             "(and the same for b), not plus.",
    "biases": "the biases were not updated: every b moves too, b - learning_rate * grad_b.",
    "biases_added": "the biases went uphill: each b moves against its gradient, b - learning_rate * grad_b, "
                    "as W does.",
    "during_backward": "a layer's weights were updated during the backward pass, before the gradient for the "
                       "layer below was computed from them: grad_x must use the weights as they were in the "
                       "forward pass. Compute every gradient of the batch first, then update.",
    "unweighted": "the epoch's loss is the plain mean of the batch losses: the last batch is smaller, so weight "
                  "each batch's loss by its number of samples (sum of loss * batch size, divided by the number "
                  "of samples).",
    "last_batch": "that loss is the last batch's alone: the epoch's loss is the mean over all the samples of "
                  "the epoch, each batch's loss weighted by its size.",
    "after_update": "each batch's loss was taken after its update: take it from the batch's forward pass, "
                    "before the weights move, as Keras logs it.",
    "final_weights": "that is the loss of the final weights over all the samples: the epoch's loss is the "
                     "mean of the losses met during the epoch, each batch's from its forward pass before its "
                     "update.",
}


def _fit_epoch(params, x, labels, order, batch_size, learning_rate):
    """The expected answer: one epoch of nnbook's ``Sequential.fit`` under plain SGD, from ``params``, with the
    samples in ``order`` (shuffle off)."""
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    from nnbook.optimizers import SGD

    last = len(params) - 1
    model = Sequential([Dense(W.shape[1], input_shape=(W.shape[0],) if number == 0 else None,
                              activation="softmax" if number == last else "relu")
                        for number, (W, _) in enumerate(params)], seed=0)
    model.set_weights([array for pair in params for array in pair])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
    history = model.fit(x[order], labels[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    weights = model.get_weights()
    return list(zip(weights[::2], weights[1::2])), history.history["loss"][0]


# ----- showing and comparing epochs ------------------------------------------------------------------

class _Epoch:
    """What train_epoch returns, ``(new_params, loss)``, shown by its shapes and its loss."""

    def __init__(self, params, loss):
        self.params, self.loss = params, loss

    def __repr__(self) -> str:
        return _summary((self.params, self.loss))


class _Returned:
    """The learner's return value, shown like :class:`_Epoch` when it has the right form."""

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return _summary(self.value)


def _summary(value) -> str:
    """``([(W (1, 16), b (16,)), ...], loss=0.6596)`` for an epoch's result; other values as ``show`` gives."""
    try:
        params, loss = value
        pairs = [f"(W {np.shape(W)}, b {np.shape(b)})" for W, b in params]
        return f"([{', '.join(pairs)}], loss={show(loss)})"
    except Exception:   # noqa: BLE001  not the expected form: show it as it is
        return show(value)


def _parts(value):
    return (value.params, value.loss) if isinstance(value, _Epoch) else \
        value.value if isinstance(value, _Returned) else value


def _compare_epoch(received, expected) -> str | None:
    """None when ``received`` is ``(new_params, loss)`` matching ``expected`` to TOLERANCE, else what differs."""
    received, (params, loss) = _parts(received), _parts(expected)
    if not isinstance(received, (tuple, list)) or len(received) != 2:
        return f"expected a tuple (new_params, loss), got {describe(received)}"
    got_params, got_loss = received
    if not isinstance(got_params, (tuple, list)) or len(got_params) != len(params):
        return (f"new_params: expected a list of {len(params)} (W, b) pairs, one per layer, got "
                f"{describe(got_params)}")
    problems = []
    for number, (pair, (W, b)) in enumerate(zip(got_params, params), 1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            problems.append(f"layer {number}: expected a pair (W, b), got {describe(pair)}")
            continue
        wrong = [f"{label} ({_short(problem)})" for label, got, want in (("W", pair[0], W), ("b", pair[1], b))
                 if (problem := compare_numbers(got, want, rtol=TOLERANCE, atol=TOLERANCE)) is not None]
        if wrong:
            problems.append(f"layer {number}'s {' and '.join(wrong)}")
    problem = compare_numbers(got_loss, loss, rtol=TOLERANCE, atol=TOLERANCE)
    if problem is not None:
        problems.append("the loss" if problem == "the value is wrong" else f"the loss ({problem})")
    return f"wrong: {'; '.join(problems)}" if problems else None


def _short(problem: str) -> str:
    """'10 of 16 entries are wrong' -> '10 of 16 entries wrong'; other problems as they are."""
    return problem.replace(" entries are wrong", " entries wrong")


# ----- the cases -------------------------------------------------------------------------------------

def _epoch_case(name, params, x, labels, order, batch_size, learning_rate, about) -> Case:
    args = (params, x, labels, order, batch_size, learning_rate)
    shapes = ", ".join(f"(W {W.shape}, b {b.shape})" for W, b in params)
    call = (f"train_epoch(params=[{shapes}], x=<array of shape {x.shape}>, labels=<array of shape "
            f"{labels.shape}>, order=<{about}>, batch_size={batch_size}, learning_rate={show(learning_rate)})")
    expected = _Epoch(*_fit_epoch(*args))
    mistakes = []
    with np.errstate(all="ignore"):        # going uphill, the loss can reach log(0): such a mistake is left out
        for mistake, hint in MISTAKES.items():
            wrong = _Epoch(*_epoch(*args, mistake=mistake))
            finite = np.isfinite(wrong.loss) and all(np.all(np.isfinite(W)) and np.all(np.isfinite(b))
                                                     for W, b in wrong.params)
            mistakes.append((wrong if finite else None, hint))
    return Case(name, call, args, expected, mistakes)


@functools.lru_cache(maxsize=1)
def _drug_trial():
    """The drug trial (seed 0), made once; the cases only index it, never change it."""
    from nnbook.data import drug_trial

    return drug_trial()


@functools.lru_cache(maxsize=1)
def worked_example() -> Case:
    """The lesson's network (1 -> 16 relu -> 32 relu -> 2 softmax, glorot-uniform start of
    ``Sequential(..., seed=0)``) on the drug trial (2100 samples), in the order of
    ``np.random.default_rng(1).permutation(2100)``, batches of 32 (the last holds 20), learning rate 0.01."""
    from nnbook.layers import Dense
    from nnbook.models import Sequential

    trial = _drug_trial()
    weights = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                          Dense(2, activation="softmax")], seed=0).get_weights()
    params = list(zip(weights[::2], weights[1::2]))
    order = np.random.default_rng(WORKED_ORDER_SEED).permutation(len(trial.labels))
    return _epoch_case("the worked example", params, trial.x, trial.labels, order, WORKED_BATCH_SIZE,
                       WORKED_LEARNING_RATE, f"np.random.default_rng({WORKED_ORDER_SEED}).permutation(2100)")


def _hidden_case(rng, name, hidden_layers) -> Case:
    """A random subset of the drug trial, random hidden sizes, a batch size that leaves a smaller last batch,
    a random order and learning rate, and random starting weights and biases."""
    trial = _drug_trial()
    n = int(rng.integers(150, 301))
    batch_size = int(rng.choice([16, 20, 25, 32, 40]))
    if n % batch_size == 0:                                    # so that the last batch is smaller
        n += 1
    rows = rng.choice(len(trial.labels), size=n, replace=False)
    sizes = [1, *(int(size) for size in rng.integers(3, 9, size=hidden_layers)), 2]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))                # glorot-uniform, as Dense draws them
        params.append((rng.uniform(-limit, limit, (fan_in, fan_out)), rng.uniform(-0.1, 0.1, fan_out)))
    order = rng.permutation(n)
    if np.array_equal(order, np.arange(n)):
        order = order[::-1].copy()
    learning_rate = float(rng.choice([0.01, 0.02, 0.05, 0.1]))
    return _epoch_case(name, params, trial.x[rows], trial.labels[rows], order, batch_size, learning_rate,
                       f"a random order of range({n})")


# ----- what the learner's code uses ------------------------------------------------------------------

def _globals_used(function) -> list[tuple[str, object, str]]:
    """``(name, value, where)`` for each global (or closure) name that ``function``'s code uses, and, through
    the learner's own functions it reaches, theirs; ``where`` names the function using it. A module's
    attributes that the code names (``models.Sequential``) count too."""
    found, seen, todo = [], set(), [function]
    while todo:
        current = todo.pop()
        code = getattr(current, "__code__", None)
        if not isinstance(code, types.CodeType) or id(current) in seen:
            continue
        seen.add(id(current))
        names, codes = set(), [code]
        while codes:                                           # nested functions, lambdas, comprehensions
            inner = codes.pop()
            names.update(inner.co_names)
            codes += [const for const in inner.co_consts if isinstance(const, types.CodeType)]
        namespace = getattr(current, "__globals__", None)
        namespace = namespace if isinstance(namespace, dict) else {}
        values = [(name, namespace[name]) for name in sorted(names) if name in namespace]
        for name, cell in zip(code.co_freevars, getattr(current, "__closure__", None) or ()):
            try:
                values.append((name, cell.cell_contents))
            except ValueError:                                 # an empty cell
                pass
        where = getattr(current, "__name__", "train_epoch")
        for name, value in values:
            found.append((name, value, where))
            if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] == "nnbook":
                found += [(f"{name}.{attribute}", getattr(value, attribute), where) for attribute in sorted(names)
                          if _has(value, attribute)]
            elif isinstance(value, (list, tuple, set, frozenset, dict)):
                items = list(value.values() if isinstance(value, dict) else value)[:100]
                found += [(f"{name}[...]", item, where) for item in items]
            if isinstance(value, types.FunctionType) and _grading._is_learners(value.__code__.co_filename):
                todo.append(value)
    return found


def _has(module, attribute) -> bool:
    try:
        with warnings.catch_warnings():      # a module's own deprecation notices are not the learner's concern
            warnings.simplefilter("ignore")
            return hasattr(module, attribute)
    except Exception:   # noqa: BLE001  a module whose __getattr__ misbehaves
        return False


def _engine_module(value) -> str | None:
    """The engine module ``value`` belongs to (a module, class, function or instance of one), else None."""
    try:
        module = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
    except Exception:   # noqa: BLE001  a learner's object whose attributes raise
        return None
    if not isinstance(module, str):
        return None
    return next((engine for engine in ENGINE if module == engine or module.startswith(engine + ".")), None)


def _engine_use(student) -> str | None:
    """A sentence naming the engine objects the learner's code uses, or None."""
    uses = []
    for name, value, where in _globals_used(student):
        module = _engine_module(value)
        via = "" if where == getattr(student, "__name__", "") else f" (in {where}, which it calls)"
        if module is not None and f"{name}{via} from {module}" not in uses:
            uses.append(f"{name}{via} from {module}")
    return ", ".join(uses) or None


@functools.lru_cache(maxsize=1)
def _watched_files() -> tuple[dict[str, str], str]:
    """``({file: module} of the engine's modules, the folder of nnbook.tools)``: code that the learner's
    train_epoch must not run. nnbook.tools holds the check's own reference epochs (``_fit_epoch``, ``_epoch``)."""
    files = {}
    for name in ENGINE:
        module = importlib.import_module(name)
        files[os.path.realpath(module.__file__)] = name
    return files, os.path.realpath(os.path.dirname(os.path.dirname(__file__))) + os.sep


class _EngineWatch:
    """Notes every function of the engine (or of nnbook.tools) that runs while the learner's train_epoch runs.

    Installed with ``sys.setprofile`` for the duration of the learner's call only, so it sees what static
    reading of the code cannot: an import inside the body, a ``functools.partial`` or a callable object
    wrapping the engine, a call of the check's own helpers. It changes nothing the learner's code does."""

    def __init__(self):
        self.used: list[str] = []
        self._where: dict[str, str | None] = {}

    def __call__(self, frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        module = self._where.get(code.co_filename, "")
        if module == "":
            files, tools = _watched_files()
            path = os.path.realpath(code.co_filename)
            ours = path.startswith(tools) and path != os.path.realpath(_grading.__file__)   # grading: the time limit
            module = files.get(path) or ("nnbook.tools, the check's own code" if ours else None)
            self._where[code.co_filename] = module
        if module is not None and len(self.used) < 3:
            used = f"{code.co_qualname} from {module}"
            if used not in self.used:
                self.used.append(used)

    def run(self, function, *args, **kwargs):
        """``function(*args, **kwargs)`` with the watch on (restoring whatever profiler was there before)."""
        previous = sys.getprofile()
        sys.setprofile(self)
        try:
            value = function(*args, **kwargs)
            # (checked on a return only: the time limit's exception, raised inside the watch, also ends it)
            if sys.getprofile() is not self and len(self.used) < 3:
                self.used.append("sys.setprofile, which turned off the check's watch on what it calls")
            return value
        finally:
            sys.setprofile(previous)


def _pieces(student) -> list[tuple[str, object]]:
    """The learner's exercise-05 functions that ``student`` uses, found by name in its globals (and in those
    of the learner's functions it calls), in the order an iteration uses them; each distinct function once."""
    found, seen = [], set()
    used = _globals_used(student)
    for piece in PIECES:
        for name, value, _ in used:
            if name == piece and callable(value) and id(value) not in seen:
                seen.add(id(value))
                found.append((name, value))
    return found


# ----- saying which step went wrong --------------------------------------------------------------------

def _piece_cases():
    """A small case for each piece: (args, parameter names, right answer)."""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    W = np.array([[0.1, -0.2], [0.4, 0.3], [-0.3, 0.2]])
    b = np.array([0.05, -0.1])
    grad_out = np.array([[0.2, -0.1], [-0.4, 0.3]])
    z = np.array([[1.5, 0.0, -2.0], [-0.5, 0.0, 3.0]])
    grad_z = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]])
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]])
    labels = np.array([0, 2])
    one_hot = np.eye(3)[labels]
    return {
        "dense_forward": ((x, W, b), ["x", "W", "b"], x @ W + b),
        "softmax_crossentropy_backward": ((probabilities, labels), ["probabilities", "labels"],
                                          (probabilities - one_hot) / 2),
        "dense_backward": ((x, W, grad_out), ["x", "W", "grad_out"],
                           (grad_out @ W.T, x.T @ grad_out, grad_out.sum(axis=0))),
        "relu_backward": ((z, grad_z), ["z", "grad_out"], grad_z * (z > 0)),
    }


def _piece_problem(name, function) -> str | None:
    """What is wrong with the learner's piece ``name`` on its small case, or None when it is right."""
    args, parameters, expected = _piece_cases()[name]
    call = call_text(name, parameters, args)
    fix = (f"Fix {name} in 05_backpropagation.ipynb (its check, checks.{name}, says more), save that notebook "
           f"(Ctrl+S), then run the functions_from cell and this check again.")
    outcome = _grading.call_with_limit(function, args, seconds=1.0)
    step = f"The step that went wrong: {PIECES[name]}."
    if outcome.not_attempted:
        return (f"{step} train_epoch uses your {name}, which is not written yet (it raises "
                f"NotImplementedError). Write it in 05_backpropagation.ipynb, save that notebook (Ctrl+S), then "
                f"run the functions_from cell and this check again.")
    if outcome.timed_out:
        return f"{step} Your {name} did not finish in time on {call}. {fix}"
    if outcome.error is not None:
        return f"{step} Your {name} raised {_grading.describe_error(outcome.error)} on {call}. {fix}"
    compare = compare_parts(["grad_x", "grad_W", "grad_b"]) if name == "dense_backward" else compare_numbers

    def wrong_answer() -> str:
        if compare(outcome.value, expected) is None:
            return ""
        return (f"{step} Your {name} is wrong: {call} gives {_grading.one_line(show(outcome.value))}, where "
                f"{_grading.one_line(show(expected))} is right. {fix}")

    judged = _grading.read_limited(wrong_answer)
    if judged.error is not None or judged.timed_out:
        return f"{step} Your {name} returned {_grading.unreadable(outcome.value, judged)} on {call}. {fix}"
    return judged.value or None


def _probe():
    """A small problem for locating a mistake: 1 -> 4 -> 3 -> 2, twelve samples."""
    rng = np.random.default_rng(6)
    trial = _drug_trial()
    x, labels = trial.x[:12], trial.labels[:12]
    params = [(rng.uniform(-0.8, 0.8, (fan_in, fan_out)), rng.uniform(-0.1, 0.1, fan_out))
              for fan_in, fan_out in [(1, 4), (4, 3), (3, 2)]]
    return params, x, labels, rng.permutation(12)


def _as_epoch(value, layers):
    """The learner's ``(new_params, loss)`` as float arrays and a float, or None when it is not that."""
    try:
        params, loss = value
        pairs = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]
        return (pairs, float(loss)) if len(pairs) == layers else None
    except Exception:   # noqa: BLE001
        return None


def _close(a, b) -> bool:
    return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=TOLERANCE, atol=TOLERANCE))


def _locate(student) -> str | None:
    """Run the learner's train_epoch on small problems that isolate one step each; say which step is wrong."""
    params, x, labels, order = _probe()
    n, layers = len(labels), len(params)
    outcome = _grading.call_with_limit(student, (params, x, labels, order, n, 0.0), seconds=1.0)
    still = _as_epoch(outcome.value, layers) if outcome.error is None and not outcome.timed_out else None
    if still is None:
        return None
    start_loss = _mean_crossentropy(_forward(params, x)[2], labels)
    if not all(_close(W, W0) and _close(b, b0) for (W, b), (W0, b0) in zip(still[0], params)):
        return ("The step that went wrong: the update. With learning_rate=0 no weight may change, yet yours "
                "do: each weight becomes W - learning_rate * grad_W, nothing more.")
    if not _close(still[1], start_loss):
        return (f"The step that went wrong: the forward pass or the loss. With learning_rate=0 and one batch "
                f"of all {n} samples, the loss must be the mean cross-entropy of the starting weights, "
                f"{show(start_loss)}; yours gives {show(still[1])}. Forward: z = a @ W + b in every layer, relu "
                f"on the hidden layers, softmax on the last; the loss is the mean of -log(probability of the "
                f"label).")
    outcome = _grading.call_with_limit(student, (params, x, labels, order, n, 0.5), seconds=1.0)
    one = _as_epoch(outcome.value, layers) if outcome.error is None and not outcome.timed_out else None
    if one is None:
        return None
    right = _epoch(params, x, labels, order, n, 0.5)[0]
    wrong = [number for number, ((W, b), (W0, b0)) in enumerate(zip(one[0], right), 1)
             if not (_close(W, W0) and _close(b, b0))]
    if wrong and all(_close(W, W0) for (W, _), (W0, _) in zip(one[0], right)):
        return (f"The step that went wrong: the biases' update. After one iteration (one batch of all the "
                f"samples) every W is right but the b of layer{'s' if len(wrong) > 1 else ''} "
                f"{', '.join(map(str, wrong))} is not: each b takes the same kind of step as its W, "
                f"b - learning_rate * grad_b, with grad_b as dense_backward returns it (no extra division by "
                f"the batch size, the same learning rate).")
    if wrong and wrong[-1] == layers:
        return ("The step that went wrong: the last layer's gradient or its update. After one iteration (one "
                "batch of all the samples) its W and b differ: its grad_W and grad_b come from dense_backward "
                "with the last hidden layer's output, the layer's W, and softmax_crossentropy_backward of the "
                "probabilities; then W - learning_rate * grad_W and b - learning_rate * grad_b.")
    if wrong:
        return (f"The step that went wrong: the backward pass into layer {wrong[-1]}. After one iteration (one "
                f"batch of all the samples) the layers after it are right but layer {wrong[-1]} is not: the "
                f"gradient handed down to it is wrong. Take grad_x of the layer above, computed with that "
                f"layer's weights from the forward pass, through relu_backward with layer {wrong[-1]}'s own "
                f"pre-activations z = a @ W + b (kept from the forward pass), then dense_backward with the "
                f"layer's input.")
    small = (params, x, labels, order, 4, 0.5)
    twice = [_grading.call_with_limit(student, small, seconds=1.0) for _ in range(2)]
    epochs = [_as_epoch(outcome.value, layers) if outcome.error is None and not outcome.timed_out else None
              for outcome in twice]
    if None not in epochs and not (_close(epochs[0][1], epochs[1][1]) and all(
            _close(W, W1) and _close(b, b1) for (W, b), (W1, b1) in zip(epochs[0][0], epochs[1][0]))):
        return ("The step that went wrong: the order of the samples. Called twice with the same arguments, your "
                "train_epoch gives two different answers: does it shuffle with its own random numbers "
                "(np.random...)? Follow the `order` it is given: x[order] and labels[order].")
    return ("One iteration is right, so the pieces are assembled well: the mistake is in going through the "
            "epoch. Take x[order] and labels[order], cut batches of batch_size in that order (the last one may "
            "be smaller), update after every batch, and report the mean over all samples of the losses, each "
            "batch's weighted by its size.")


def _diagnosis(student) -> str:
    """Which step of the learner's epoch went wrong: a wrong piece from exercise 05, else the step the small
    problems of :func:`_locate` single out, else the general advice."""
    try:
        for name, function in _pieces(student):
            problem = _piece_problem(name, function)
            if problem is not None:
                return problem
        return _locate(student) or _GENERAL_ADVICE
    except Exception:   # noqa: BLE001  the diagnosis is a courtesy: never let it crash the check
        return _GENERAL_ADVICE


def train_epoch(student_train_epoch) -> CheckResult:
    """Check ``train_epoch(params, x, labels, order, batch_size, learning_rate)``, the capstone: one epoch of
    mini-batch SGD for Dense(relu) -> ... -> Dense(softmax) with sparse cross-entropy.

    params is a list of (W, b) per layer, W (in, out), b (out,); x (n, features); labels (n,) integers;
    order a permutation of range(n). Returns ``(new_params, loss)``: the weights after one update per batch of
    x[order] (the last batch may be smaller), and the epoch's loss as Keras logs it, the mean over the samples
    of each one's loss in its batch's forward pass. Compared with ``Sequential.fit`` under SGD to 1e-9. The
    learner's code must not use nnbook's engine (models, layers, losses, optimizers, activations, callbacks),
    nor the check's own code (nnbook.tools): its names are read from its code first, and while it runs, an
    :class:`_EngineWatch` (``sys.setprofile``) notes any engine function that runs, however it was reached.
    """
    rng = fresh_rng()
    cases = [worked_example(), *(_hidden_case(rng, f"hidden case {number}", number) for number in (1, 2, 3))]
    if not callable(student_train_epoch):
        return run_check("train_epoch", student_train_epoch, cases, advice=_GENERAL_ADVICE)
    return for_nbgrader(_graded_epoch(student_train_epoch, cases))


def _refused(engine: str, total: int, check: str = "train_epoch") -> CheckResult:
    """The result of a check of the learner's train_epoch (this one, or lesson 11's train_digits) that uses
    the engine: failed, every case."""
    return CheckResult(check, FAILED, 0, total, [Failure(
        "the check", f"checks.{check}(train_epoch)", "an epoch built from your own functions and numpy",
        f"code that uses nnbook's engine: {engine}",
        f"train_epoch must not call nnbook's engine ({', '.join(ENGINE)}) nor the check's own code "
        f"(nnbook.tools); it uses {engine}. Build the epoch from your own dense_forward, dense_backward, "
        f"relu_backward and softmax_crossentropy_backward and numpy: the check compares your epoch with the "
        f"engine's fit, so calling it would prove nothing.")])


def _graded_epoch(student_train_epoch, cases) -> CheckResult:
    """The capstone's result: refused for using the engine, or graded case by case with a diagnosis."""
    engine = _engine_use(student_train_epoch)
    if engine is not None:
        return _refused(engine, len(cases))
    watch = _EngineWatch()

    def returned(*args, **kwargs):
        value = watch.run(student_train_epoch, *args, **kwargs)
        return None if value is None else _Returned(value)

    result = grade("train_epoch", returned, cases, compare=_compare_epoch, advice=_ADVICE_LATER)
    if watch.used:
        return _refused(", ".join(watch.used), len(cases))
    if result.status == NOT_ATTEMPTED:
        for name, function in _pieces(student_train_epoch):
            problem = _piece_problem(name, function)
            if problem is not None and "not written yet" in problem:
                return CheckResult("train_epoch", FAILED, 0, len(cases), [Failure(
                    "every case", cases[0].call, show(cases[0].expected),
                    f"an error: NotImplementedError from {name}", problem)])
    # A wrong answer that no named mistake explains: find the step that went wrong (a missing return needs none).
    explain = [failure for failure in result.failures if _ADVICE_LATER in failure.hint]
    advice = _diagnosis(student_train_epoch) if any(failure.received != "None" for failure in explain) else ""
    for failure in explain:
        failure.hint = failure.hint.replace(_ADVICE_LATER, "" if failure.received == "None" else advice).strip()
    return result

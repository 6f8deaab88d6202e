"""Lessons 06-07: ``Sequential``, a stack of layers trained the way Keras trains it.

The training loop that ``fit`` runs, for each epoch::

    shuffle the samples (a new order every epoch)
    for each batch of batch_size samples (one iteration; the last batch may be shorter):
        y_pred = forward pass through every layer
        loss   = the compiled loss of (y, y_pred)
        backward pass: dL/dy_pred from the loss, then through every layer from the last to the first
        the optimizer updates every weight: for SGD, w <- w - learning_rate * dL/dw
    report the epoch's loss and accuracy: the means over its batches weighted by batch size

All the weights of the model live in one flat float64 vector, ``model.params``; each layer's kernel and
bias are views of a slice of it, and the gradients likewise live in ``model.grads``. So the update is one
line over every weight at once, and ``layer.kernel`` is still the (in, out) matrix of lesson 05.

Shapes: rows are samples. ``x`` is (n, features); ``y`` is (n,) integer labels for
``sparse_categorical_crossentropy``, else (n, units) target rows.

Randomness (initial weights and shuffling) comes from one generator per model: ``Sequential(layers,
seed=42)`` makes a run reproducible to the last digit; see :mod:`nnbook.utils` for the Keras-style
``set_random_seed``.
"""

from __future__ import annotations

import math
import numbers
import sys
import time

import numpy as np

from nnbook import _validate, losses, optimizers, utils
from nnbook.encoding import integer_labels
from nnbook.layers import Dense, _check_width, set_arrays


class NotCompiledError(RuntimeError, ValueError):
    """Raised by fit, evaluate and compute_gradients before ``compile``. (A RuntimeError, as in Keras, and
    a ValueError, as nnbook's other bad-usage errors.)"""


class History:
    """What ``fit`` returns, as in Keras.

    Attributes:
        history: dict from metric name (``"loss"``, ``"accuracy"``, ``"val_loss"``, ...) to a list of
            floats, one per epoch.
        epoch: the epoch indices, ``[0, 1, ..., epochs - 1]``.
        params: ``{"verbose": ..., "epochs": ..., "steps": ...}`` (steps = iterations per epoch).
    """

    def __init__(self, params: dict):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params = dict(params)

    def append(self, epoch: int, logs: dict) -> None:
        """Record one epoch's logs."""
        self.epoch.append(epoch)
        for key in sorted(logs):
            self.history.setdefault(key, []).append(float(logs[key]))

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


class Sequential:
    """A stack of layers, each feeding the next, with Keras's methods.

    Args:
        layers: a list of :class:`nnbook.layers.Dense`; the first needs ``input_shape=(features,)`` for the
            model to be built at once (otherwise it is built by the first ``fit``/``predict``).
        seed: seeds the model's random generator (initial weights, then shuffling). The same seed gives the
            same run to the last digit. ``None``: drawn from :func:`nnbook.utils.set_random_seed`'s stream.
        name: the name ``summary()`` prints.

    >>> model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")],
    ...                    seed=0)
    >>> model.count_params()
    66
    """

    def __init__(self, layers=None, seed: int | None = None, name: str = "sequential"):
        self._rng = utils.new_generator(seed)
        self.name = name
        self.layers: list[Dense] = []
        self.params = self.grads = None
        self.optimizer = self.loss = None
        self.metrics: list[str] = []
        self.history = None
        if layers is not None:
            if not isinstance(layers, (list, tuple)):
                raise TypeError(f"layers must be a list of layers, got {_validate.describe(layers)}")
            for layer in layers:
                self._append(layer)
            if self.layers and self.layers[0].input_dim is not None:
                self._build(self.layers[0].input_dim)

    # ----- building -------------------------------------------------------------------------------------

    def add(self, layer: Dense) -> None:
        """Append a layer (Keras's ``model.add``); layers that already have weights keep them."""
        self._append(layer)
        if self.layers[0].input_dim is not None:
            self._build(self.layers[0].input_dim)

    def _append(self, layer: Dense) -> None:
        if not isinstance(layer, Dense):
            raise TypeError(f"layers must be nnbook Dense layers, got {_validate.describe(layer)}")
        if any(layer is other for other in self.layers):
            raise ValueError("the same layer object appears twice in the model: create a new Dense for each")
        if self.layers and layer.input_dim is not None and layer.input_dim != self.layers[-1].units:
            raise ValueError(f"input_shape=({layer.input_dim},) of the new layer does not match the "
                             f"{self.layers[-1].units} units of the layer before it")
        if layer.name is None:
            count = sum(1 for other in self.layers if other.name and other.name.startswith("dense"))
            layer.name = "dense" if count == 0 else f"dense_{count}"
        self.layers.append(layer)
        self.params = self.grads = None

    @property
    def built(self) -> bool:
        """True once every layer has its weights."""
        return self.params is not None

    def _build(self, input_dim: int) -> None:
        """Lay out one flat parameter vector (and one gradient vector), give each layer views of its slice,
        and initialise the weights layer by layer (kept where a layer already had weights)."""
        sizes, width = [], input_dim
        for layer in self.layers:
            sizes.append(layer.count_params(width))
            width = layer.units
        self.params, self.grads = np.empty(sum(sizes)), np.zeros(sum(sizes))
        start, width = 0, input_dim
        for layer, size in zip(self.layers, sizes):
            layer.build(width, self._rng, params=self.params[start:start + size],
                        grads=self.grads[start:start + size])
            start, width = start + size, layer.units

    def count_params(self) -> int:
        """The number of weights in the model: the sum over layers of ``in * units + units``."""
        self._require_built("count_params")
        return int(self.params.size)

    # ----- compile --------------------------------------------------------------------------------------

    def compile(self, optimizer, loss, metrics=None) -> None:
        """Choose how to learn: the optimizer, the loss and the metrics to report.

        Args:
            optimizer: ``"adam"``, ``"sgd"`` (their defaults) or an instance such as
                ``Adam(learning_rate=0.0001)``.
            loss: ``"sparse_categorical_crossentropy"`` (y holds integer labels), ``"categorical_crossentropy"``
                (y holds one-hot rows) or ``"mse"`` (Keras's: the mean over samples and outputs), or an
                :class:`nnbook.losses.Loss`.
            metrics: ``None`` or ``["accuracy"]``.
        """
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        if metrics is None:
            metrics = []
        if not isinstance(metrics, (list, tuple)):
            raise TypeError(f"metrics must be a list such as ['accuracy'], got {_validate.describe(metrics)}")
        for metric in metrics:
            if metric not in ("accuracy", "acc"):
                raise ValueError(f"metrics may only hold 'accuracy' (or 'acc'), got {metric!r}")
        self.metrics = list(metrics)

    # ----- the math of one step -------------------------------------------------------------------------

    def _forward(self, x: np.ndarray) -> np.ndarray:
        """The forward pass: each layer's output is the next layer's input."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _backward(self, grad: np.ndarray) -> None:
        """The backward pass: dL/dy_pred goes through the layers from last to first; each stores its
        weight gradients (into ``self.grads``) and hands dL/d(its input) to the layer below."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad)

    def _train_step(self, x: np.ndarray, y: np.ndarray):
        """One iteration on one batch: forward, loss, backward, update. Returns (loss, y_pred)."""
        y_pred = self._forward(x)
        loss = self.loss.forward(y, y_pred)
        self._backward(self.loss.backward())
        self.optimizer.update(self.params, self.grads)        # e.g. params <- params - lr * grads
        return loss, y_pred

    def compute_gradients(self, x, y):
        """Backpropagation on one batch, without updating anything.

        Returns:
            ``(loss, grads)``: the compiled loss on (x, y) as a float, and dL/dw for every weight as a list
            of arrays in ``get_weights()`` order ``[dL/dW0, dL/db0, dL/dW1, dL/db1, ...]``.
        """
        self._require_compiled("compute_gradients")
        x, y = self._check_data("x", x, "y", y)
        y_pred = self._forward(x)
        loss = self.loss.forward(y, y_pred)
        self._backward(self.loss.backward())
        grads = []
        for layer in self.layers:
            grads += [layer.grad_kernel.copy(), layer.grad_bias.copy()]
        return loss, grads

    # ----- fit, evaluate, predict -----------------------------------------------------------------------

    def fit(self, x, y, batch_size=32, epochs=1, *, verbose=1, validation_split=0.0, validation_data=None,
            shuffle=True) -> History:
        """Train the model: ``epochs`` passes over (x, y) in batches of ``batch_size``.

        Args:
            x: (n, features) inputs.
            y: (n,) integer labels for sparse categorical cross-entropy, else (n, units) targets.
            batch_size: samples per iteration (a whole number >= 1); iterations per epoch =
                ceil(n / batch_size), the last batch keeping what is left.
            epochs: passes over the training data (>= 1).
            verbose: 0 silent, 1 a progress bar per epoch, 2 one line per epoch, as Keras prints them.
            validation_split: a fraction in (0, 1): the LAST part of x and y (taken before shuffling, as
                Keras does) is held out and scored after each epoch as ``val_loss``/``val_accuracy``.
            validation_data: ``(x_val, y_val)`` to score after each epoch instead (wins over the split).
            shuffle: a new random order of the training samples every epoch.

        Returns:
            a :class:`History`; the model keeps it as ``model.history`` too.
        """
        self._require_compiled("fit")
        x, y = self._check_data("x", x, "y", y)
        batch_size = 32 if batch_size is None else _validate.whole_number("batch_size", batch_size, minimum=1)
        epochs = _validate.whole_number("epochs", epochs, minimum=1)
        verbose = _check_verbose(verbose)
        if not isinstance(shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False, got {_validate.describe(shuffle)}")
        x, y, validation = self._split_validation(x, y, validation_split, validation_data)

        n = x.shape[0]
        steps = math.ceil(n / batch_size)
        history = History({"verbose": verbose, "epochs": epochs, "steps": steps})
        for epoch in range(epochs):
            log = _ProgressLog(steps, verbose, epoch, epochs)
            if shuffle:
                order = self._rng.permutation(n)
                x_epoch, y_epoch = x[order], y[order]
            else:
                x_epoch, y_epoch = x, y
            means = _RunningMeans(self.metrics)
            for step in range(steps):
                x_batch = x_epoch[step * batch_size:(step + 1) * batch_size]
                y_batch = y_epoch[step * batch_size:(step + 1) * batch_size]
                loss, y_pred = self._train_step(x_batch, y_batch)
                means.add(loss, self._correct(y_batch, y_pred), x_batch.shape[0])
                if verbose == 1:
                    log.update(step + 1, means.result())
            logs = means.result()
            if validation is not None:
                scores = self._score(*validation, batch_size)
                logs.update({f"val_{key}": value for key, value in scores.items()})
            history.append(epoch, logs)
            log.end(logs)
        self.history = history
        return history

    def evaluate(self, x, y, batch_size=32, verbose=1):
        """The compiled loss (and metrics) on (x, y), computed in batches as Keras does.

        Returns:
            the loss as a float without metrics, else ``[loss, accuracy]``.
        """
        self._require_compiled("evaluate")
        x, y = self._check_data("x", x, "y", y)
        batch_size = 32 if batch_size is None else _validate.whole_number("batch_size", batch_size, minimum=1)
        verbose = _check_verbose(verbose)
        log = _ProgressLog(math.ceil(x.shape[0] / batch_size), verbose, 0, 1)
        scores = self._score(x, y, batch_size)
        log.end(scores)
        values = [scores["loss"]] + [scores[metric] for metric in self.metrics]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=32, verbose=0) -> np.ndarray:
        """The model's outputs for x (n, features): an (n, units) float array.

        Keras prints a progress bar by default; nnbook's ``predict`` is quiet unless ``verbose=1`` or 2.
        """
        x = self._check_x("x", x)
        batch_size = 32 if batch_size is None else _validate.whole_number("batch_size", batch_size, minimum=1)
        verbose = _check_verbose(verbose)
        steps = math.ceil(x.shape[0] / batch_size)
        log = _ProgressLog(steps, verbose, 0, 1)
        outputs = [self._forward(x[i * batch_size:(i + 1) * batch_size]) for i in range(steps)]
        log.end({})
        return np.concatenate(outputs) if outputs else np.empty((0, self.layers[-1].units))

    def _score(self, x, y, batch_size) -> dict:
        """Loss and metrics over (x, y) in batches: batch-size-weighted means, as Keras's evaluate."""
        means = _RunningMeans(self.metrics)
        for start in range(0, x.shape[0], batch_size):
            x_batch, y_batch = x[start:start + batch_size], y[start:start + batch_size]
            y_pred = self._forward(x_batch)
            means.add(self.loss.forward(y_batch, y_pred), self._correct(y_batch, y_pred), x_batch.shape[0])
        return means.result()

    def _correct(self, y_true, y_pred) -> int:
        """How many samples of the batch the model gets right, by Keras's rule for ``"accuracy"``:
        argmax(y_pred) == label for integer labels; argmax(y_pred) == argmax(y) for target rows; and
        (y_pred > 0.5) == y for a single output unit."""
        if not self.metrics:
            return 0
        if y_pred.shape[1] == 1:
            return int(np.count_nonzero((y_pred[:, 0] > 0.5) == (y_true.reshape(-1) == 1)))
        if self.loss.sparse:
            return int(np.count_nonzero(y_pred.argmax(axis=1) == y_true))
        return int(np.count_nonzero(np.argmax(y_pred, axis=1) == np.argmax(y_true, axis=1)))

    # ----- input checks (once per call, never per batch) ------------------------------------------------

    def _check_x(self, name, x) -> np.ndarray:
        if not self.layers:
            raise ValueError("the model has no layers: pass a list of Dense layers to Sequential")
        x = _validate.float_array(name, x, ndim=2)
        if not self.built:
            self._build(x.shape[1])
        _check_width(x, self.layers[0].input_dim, "the first layer")
        return x

    def _check_data(self, name_x, x, name_y, y):
        x = self._check_x(name_x, x)
        units = self.layers[-1].units
        if self.loss.sparse:
            y = _check_labels(name_y, y, units, self.loss.name)
        else:
            y = _validate.float_array(name_y, y, ndim=(1, 2))
            if y.ndim == 1 or y.shape[1] != units:
                hint = (" (integer labels? use loss='sparse_categorical_crossentropy', or one_hot(y, "
                        f"{units}))") if y.ndim == 1 else ""
                raise ValueError(f"{name_y} must have shape (n, {units}), one column per output unit, for "
                                 f"loss={self.loss.name!r}, got shape {y.shape}{hint}")
        if x.shape[0] != y.shape[0]:
            raise ValueError(f"{name_x} and {name_y} must hold the same number of samples, got {x.shape[0]} "
                             f"rows in {name_x} and {y.shape[0]} in {name_y}")
        if x.shape[0] == 0:
            raise ValueError(f"{name_x} must hold at least one sample, got shape {x.shape}")
        return x, y

    def _split_validation(self, x, y, validation_split, validation_data):
        """Keras's rule: validation_data if given; else the last ``validation_split`` of the samples."""
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError(f"validation_data must be a tuple (x_val, y_val), got "
                                 f"{_validate.describe(validation_data)}")
            return x, y, self._check_data("validation_data[0]", validation_data[0],
                                          "validation_data[1]", validation_data[1])
        if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real):
            raise TypeError(f"validation_split must be a number in (0, 1), got {_validate.describe(validation_split)}")
        if validation_split == 0:
            return x, y, None
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be in (0, 1) (or 0 for none), got {validation_split!r}")
        split_at = int(x.shape[0] * (1 - validation_split))
        if split_at == 0 or split_at == x.shape[0]:
            raise ValueError(f"validation_split={validation_split!r} of {x.shape[0]} samples leaves "
                             f"{split_at} for training and {x.shape[0] - split_at} for validation: both need at least one")
        return x[:split_at], y[:split_at], (x[split_at:], y[split_at:])

    def _require_compiled(self, method):
        if self.loss is None:
            raise NotCompiledError(f"call model.compile(optimizer=..., loss=...) before model.{method}()")

    def _require_built(self, method):
        if not self.built:
            raise ValueError(f"the model is not built yet, so it has no weights for {method}(): give the first "
                             f"layer input_shape=(features,), or call fit or predict on data first")

    # ----- weights and summary --------------------------------------------------------------------------

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight array, Keras's order: ``[W0, b0, W1, b1, ...]``, kernels (in, out)."""
        self._require_built("get_weights")
        weights = []
        for layer in self.layers:
            weights += layer.get_weights()
        return weights

    def set_weights(self, weights) -> None:
        """Copy a list ``[W0, b0, W1, b1, ...]`` (shapes as ``get_weights()``) into the model."""
        self._require_built("set_weights")
        targets = []
        for layer in self.layers:
            targets += [layer.kernel, layer.bias]
        set_arrays("weights", targets, weights)

    def summary(self) -> None:
        """Print the layers, their output shapes and weight counts, and the totals, like Keras."""
        self._require_built("summary")
        widths = (33, 24, 15)
        rows = [(f"{layer.name} (Dense)", f"(None, {layer.units})", f"{layer.count_params():,}")
                for layer in self.layers]

        def line(left, middle, right, fill):
            return left + middle.join(fill * (w + 2) for w in widths) + right

        def cells(texts, edge):
            left, mid, right = texts[0].ljust(widths[0]), texts[1].ljust(widths[1]), texts[2].rjust(widths[2])
            return f"{edge} {left} {edge} {mid} {edge} {right} {edge}"

        out = [f'Model: "{self.name}"', line("┏", "┳", "┓", "━"),
               cells(("Layer (type)", "Output Shape", "Param #"), "┃"), line("┡", "╇", "┩", "━")]
        for i, row in enumerate(rows):
            if i:
                out.append(line("├", "┼", "┤", "─"))
            out.append(cells(row, "│"))
        out.append(line("└", "┴", "┘", "─"))
        total = self.count_params()
        size = _readable_size(self.params.nbytes)
        out += [f" Total params: {total:,} ({size})", f" Trainable params: {total:,} ({size})",
                " Non-trainable params: 0 (0.00 B)"]
        print("\n".join(out))

    def __repr__(self) -> str:
        params = f", {self.count_params()} params" if self.built else ""
        return f"<Sequential {self.name!r}: {len(self.layers)} layers{params}>"


# ----- helpers ----------------------------------------------------------------------------------------------


def _check_labels(name, y, units, loss_name) -> np.ndarray:
    """Integer labels (n,) in [0, units) for a sparse loss; (n, 1) columns are accepted, as in Keras."""
    array = np.asarray(y) if not isinstance(y, (str, bytes)) else y
    if isinstance(array, np.ndarray) and array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if isinstance(array, np.ndarray) and array.ndim == 2:
        raise ValueError(f"{name} must be integer labels of shape (n,) for loss={loss_name!r}, got shape "
                         f"{array.shape}; for one-hot rows use loss='categorical_crossentropy'")
    try:
        labels = integer_labels(array)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name}: {error}") from None
    if labels.size and labels.max() >= units:
        raise ValueError(f"{name} must be labels in [0, {units}) for an output layer of {units} units, got "
                         f"{int(labels.max())}: give the last Dense layer one unit per class")
    return labels


def _check_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got {verbose!r}")
    return int(verbose)


def _readable_size(nbytes: int) -> str:
    size, unit = float(nbytes), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    return f"{size:.2f} {unit}"


class _RunningMeans:
    """The epoch's loss and accuracy so far: means over the batches, each weighted by its size."""

    def __init__(self, metrics):
        self.metrics = metrics
        self.loss_sum = 0.0          # sum over batches of batch loss * batch size
        self.correct = 0             # right answers so far
        self.seen = 0                # samples so far

    def add(self, loss: float, correct: int, batch_size: int) -> None:
        self.loss_sum += loss * batch_size
        self.correct += correct
        self.seen += batch_size

    def result(self) -> dict:
        logs = {"loss": self.loss_sum / self.seen}
        for metric in self.metrics:
            logs[metric] = self.correct / self.seen
        return logs


class _ProgressLog:
    """Keras's epoch log. verbose=2, at the end of an epoch::

        Epoch 1/20
        210/210 - 0s - 1ms/step - accuracy: 0.5576 - loss: 0.6400

    verbose=1: a bar on one line, redrawn with a carriage return as the epoch runs. Keys are sorted;
    values ``.4f`` (``.4e`` at or below 1e-3); the time per step leaves out the first step, as Keras does.
    """

    def __init__(self, steps, verbose, epoch, epochs):
        self.steps, self.verbose = steps, verbose
        self.start = time.perf_counter()
        self.after_first_step = None
        self.last_draw = 0.0
        self.width = 0
        if verbose and epochs > 1:
            print(f"Epoch {epoch + 1}/{epochs}")

    def _time_per_step(self, step, now):
        if self.after_first_step is not None and step > 1:
            return (now - self.after_first_step) / (step - 1)
        return (now - self.start) / max(step, 1)

    def update(self, step, logs):
        """Redraw the verbose=1 bar (at most every 0.05 s)."""
        now = time.perf_counter()
        if step == 1:
            self.after_first_step = now
        if now - self.last_draw >= 0.05 and step < self.steps:
            eta = self._time_per_step(step, now) * (self.steps - step)
            self._draw(step, f"{eta:.0f}s", self._time_per_step(step, now), logs, end="")
            self.last_draw = now

    def end(self, logs):
        """Print the epoch's final line."""
        if not self.verbose:
            return
        now = time.perf_counter()
        per_step = self._time_per_step(self.steps, now)
        if self.verbose == 2:
            count = f"{self.steps}/{self.steps}"
            print(f"{count} - {now - self.start:.0f}s - {_format_time(per_step)}{_format_logs(logs)}")
        else:
            self._draw(self.steps, f"{now - self.start:.0f}s", per_step, logs, end="\n")

    def _draw(self, step, clock, per_step, logs, end):
        digits = len(str(self.steps))
        done = int(20 * step / self.steps)
        text = f"{step:{digits}d}/{self.steps} {'━' * done}{'─' * (20 - done)} {clock} " \
               f"{_format_time(per_step)}{_format_logs(logs)}"
        padding = " " * max(0, self.width - len(text))
        self.width = len(text)
        sys.stdout.write("\r" + text + padding + end)
        sys.stdout.flush()


def _format_time(seconds: float) -> str:
    """Keras's time per step: whole seconds, milliseconds or microseconds."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


def _format_logs(logs: dict) -> str:
    parts = []
    for key in sorted(logs):
        value = logs[key]
        parts.append(f" - {key}: {value:.4f}" if abs(value) > 1e-3 else f" - {key}: {value:.4e}")
    return "".join(parts)

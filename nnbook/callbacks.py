"""Lessons 06-08, 10: callbacks, the code ``fit`` calls as training goes, as in Keras.

``fit`` calls every callback at fixed points of its loop::

    on_train_begin()
    for each epoch:
        on_epoch_begin(epoch)
        for each batch:  one training step, then on_train_batch_end(batch, logs)   (or on_batch_end)
        on_epoch_end(epoch, logs)
    on_train_end()

``logs`` is a dict such as ``{"loss": 0.52, "accuracy": 0.81}``: the epoch's running means so far, each
batch weighted by its size (Keras's rule), plus ``val_loss``/``val_accuracy`` at the end of an epoch when
there is validation data. ``fit`` adds two callbacks of its own: :class:`History`, which records each
epoch's logs and is what ``fit`` returns, and, unless ``verbose=0``, :class:`ProgbarLogger`, which prints
the log that ``verbose`` asks for.
Write your own by subclassing :class:`Callback` and passing ``fit(..., callbacks=[...])``.
"""

from __future__ import annotations

import sys
import time


class Callback:
    """Base class: every hook does nothing. ``self.model`` and ``self.params`` are set by ``fit``.

    ``params`` holds ``{"verbose": ..., "epochs": ..., "steps": ...}`` (steps = iterations per epoch).
    """

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = dict(params)

    def on_train_begin(self, logs=None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs=None) -> None:
        """After the last epoch."""

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        """Before epoch ``epoch`` (counted from 0)."""

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        """After epoch ``epoch``; ``logs`` holds its loss and metrics."""

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        """After the training step on batch ``batch`` (counted from 0 in each epoch); ``logs`` holds the
        epoch's running loss and metrics so far. By default it calls ``on_batch_end``: override either."""
        self.on_batch_end(batch, logs)

    def on_batch_end(self, batch: int, logs=None) -> None:
        """Keras's older name for ``on_train_batch_end``."""


class CallbackList:
    """The callbacks of one ``fit``: the caller's, then :class:`History` and (unless ``verbose=0``)
    :class:`ProgbarLogger`, as in Keras. Each hook is passed on to every callback in that order.

    ``batch_callbacks`` lists those whose class defines a batch hook: when there are none, ``fit`` skips the
    per-batch call and its logs, as Keras does.
    """

    def __init__(self, callbacks, *, model, params: dict):
        if callbacks is None:
            callbacks = []
        if not isinstance(callbacks, (list, tuple)) or not all(isinstance(c, Callback) for c in callbacks):
            raise TypeError(f"callbacks must be a list of nnbook Callback objects, got {callbacks!r}")
        self.history = History()
        self.callbacks = [*callbacks, self.history] + ([ProgbarLogger()] if params["verbose"] else [])
        self.batch_callbacks = [c for c in self.callbacks if _has_batch_hook(type(c))]
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)

    def on_train_begin(self):
        for callback in self.callbacks:
            callback.on_train_begin()

    def on_train_end(self):
        for callback in self.callbacks:
            callback.on_train_end()

    def on_epoch_begin(self, epoch):
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch)

    def on_epoch_end(self, epoch, logs):
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_train_batch_end(self, batch, logs):
        for callback in self.batch_callbacks:
            callback.on_train_batch_end(batch, logs)


def _has_batch_hook(cls) -> bool:
    return cls.on_train_batch_end is not Callback.on_train_batch_end or cls.on_batch_end is not Callback.on_batch_end


class History(Callback):
    """What ``fit`` returns, as in Keras.

    Attributes:
        history: dict from metric name (``"loss"``, ``"accuracy"``, ``"val_loss"``, ...) to a list of
            floats, one per epoch.
        epoch: the epoch indices, ``[0, 1, ..., epochs - 1]``.
        params: ``{"verbose": ..., "epochs": ..., "steps": ...}``.
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_epoch_end(self, epoch, logs=None):
        """Record one epoch's logs."""
        self.epoch.append(epoch)
        for key in sorted(logs or {}):
            self.history.setdefault(key, []).append(float(logs[key]))

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"


class ProgbarLogger(Callback):
    """Keras's epoch log. ``verbose=2`` prints one line at the end of each epoch::

        Epoch 1/20
        210/210 - 0s - 1ms/step - accuracy: 0.5576 - loss: 0.6400

    ``verbose=1``: a bar on one line, redrawn with a carriage return as the epoch runs. Keys are sorted;
    values ``.4f`` (``.4e`` at or below 1e-3); the time per step leaves out the first step, as Keras does.
    ``verbose=0`` prints nothing.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self.verbose, self.steps = self.params["verbose"], self.params["steps"]
        self.start = time.perf_counter()
        self.after_first_step = None
        self.last_draw = 0.0
        self.width = 0
        if self.verbose and self.params["epochs"] > 1:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}")

    def on_batch_end(self, batch, logs=None):
        """Redraw the verbose=1 bar (at most every 0.05 s)."""
        if self.verbose != 1:
            return
        step, now = batch + 1, time.perf_counter()
        if step == 1:
            self.after_first_step = now
        if now - self.last_draw >= 0.05 and step < self.steps:
            eta = self._time_per_step(step, now) * (self.steps - step)
            self._draw(step, f"{eta:.0f}s", self._time_per_step(step, now), logs, end="")
            self.last_draw = now

    def on_epoch_end(self, epoch, logs=None):
        """Print the epoch's final line."""
        if not self.verbose:
            return
        now = time.perf_counter()
        per_step = self._time_per_step(self.steps, now)
        if self.verbose == 2:
            print(f"{self.steps}/{self.steps} - {now - self.start:.0f}s - {_format_time(per_step)}"
                  f"{_format_logs(logs)}")
        else:
            self._draw(self.steps, f"{now - self.start:.0f}s", per_step, logs, end="\n")

    def _time_per_step(self, step, now):
        if self.after_first_step is not None and step > 1:
            return (now - self.after_first_step) / (step - 1)
        return (now - self.start) / max(step, 1)

    def _draw(self, step, clock, per_step, logs, end):
        digits = len(str(self.steps))
        done = int(20 * step / self.steps)
        text = f"{step:{digits}d}/{self.steps} {'━' * done}{'─' * (20 - done)} {clock} " \
               f"{_format_time(per_step)}{_format_logs(logs)}"
        padding = " " * max(0, self.width - len(text))
        self.width = len(text)
        sys.stdout.write("\r" + text + padding + end)
        sys.stdout.flush()


def logged(work, verbose: int, steps: int):
    """``work()``'s result, with Keras's one-line log after it (``evaluate`` and ``predict``): the logs are
    the result when it is a dict, else none."""
    logger = ProgbarLogger()
    logger.set_params({"verbose": verbose, "epochs": 1, "steps": steps})
    logger.on_epoch_begin(0)
    result = work()
    logger.on_epoch_end(0, result if isinstance(result, dict) else {})
    return result


def _format_time(seconds: float) -> str:
    """Keras's time per step: whole seconds, milliseconds or microseconds."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


def _format_logs(logs) -> str:
    parts = []
    for key in sorted(logs or {}):
        value = logs[key]
        parts.append(f" - {key}: {value:.4f}" if abs(value) > 1e-3 else f" - {key}: {value:.4e}")
    return "".join(parts)

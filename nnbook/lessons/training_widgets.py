"""Lessons 05-06: the logic behind the interactive parts, as plain functions, plus thin widgets.

Lesson 05, *nudge one weight*: change a single weight by a small amount and compare the change of the
loss with what its gradient predicts::

    loss(w + nudge) - loss(w)   ~   dL/dw * nudge          (the closer, the smaller the nudge)

Lesson 06, *live training curves*: ``Sequential.fit`` trains one epoch per step, and a callback keeps
what the figure draws; the training loop itself is the one in :mod:`nnbook.models`.

Notation: the lessons number layers from 1 (W1, b1 feed the first hidden layer); ``get_weights()``
returns the same arrays in Keras's order ``[W1, b1, W2, b2, ...]``, and ``model.params`` holds them all in
that order in one vector. Rows are samples: x is (n, features).

Every widget only wires controls to the plain functions, so the tests drive the logic without a browser
(set a control's ``.value`` or call a button's ``.click()``; observers fire at once).
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.callbacks import Callback
from nnbook.data import AGE_MAX, AGE_MIN, TRIAL_CLASSES, scale_ages
from nnbook.encoding import integer_labels
from nnbook.layers import Dense
from nnbook.models import Sequential
from nnbook.optimizers import SGD

LOSS_COLOUR = "tab:blue"
TANGENT_COLOUR = "tab:orange"
NUDGE_COLOUR = "tab:green"
ACCURACY_COLOUR = "tab:purple"


# ============================================================================================ lesson 05
def parameter_names(model) -> list[str]:
    """One name per weight of a built model, in the order of ``model.params``.

    Layers are numbered from 1: ``W1[i,j]`` joins input i to unit j of the first layer, ``b1[j]`` is that
    unit's bias. For a model ``Dense(2, input_shape=(1,)) -> Dense(2)``::

        ['W1[0,0]', 'W1[0,1]', 'b1[0]', 'b1[1]', 'W2[0,0]', 'W2[0,1]', 'W2[1,0]', 'W2[1,1]', 'b2[0]', 'b2[1]']
    """
    names = []
    for number, layer in enumerate(_checked_model(model).layers, start=1):
        names += [f"W{number}[{i},{j}]" for i, j in np.ndindex(layer.kernel.shape)]
        names += [f"b{number}[{j}]" for j in range(layer.units)]
    return names


def loss_with_weights(model, x, y, flat) -> float:
    """The model's compiled loss on (x, y) if its weights were ``flat``; the model keeps its own weights.

    Args:
        model: a compiled, built :class:`nnbook.models.Sequential`.
        x, y: the batch (as for ``model.compute_gradients``).
        flat: a vector of ``len(parameter_names(model))`` weights, in the order of ``model.params``.
    """
    flat = _validate.float_array("flat", flat, ndim=1)
    if flat.size != _checked_model(model).params.size:
        raise ValueError(f"flat must hold one value per weight of the model, {model.params.size}, got {flat.size}")
    saved = model.params.copy()
    try:
        model.params[...] = flat          # every weight at once: the layers' kernels and biases are views of it
        loss, _ = model.compute_gradients(x, y)
    finally:
        model.params[...] = saved
    return float(loss)


class Nudge(NamedTuple):
    """One nudge of one weight, and what it did to the loss."""

    name: str             #: the weight's name, e.g. "W2[0,1]"
    weight: float         #: its value before the nudge
    nudge: float          #: how far it moved
    gradient: float       #: dL/dw at the original weights, from backpropagation
    loss_before: float    #: the loss at the original weights
    loss_after: float     #: the loss with this one weight moved by ``nudge``

    @property
    def change(self) -> float:
        """The real change of the loss: ``loss_after - loss_before``."""
        return self.loss_after - self.loss_before

    @property
    def predicted(self) -> float:
        """What the gradient predicts for that change: ``gradient * nudge``."""
        return self.gradient * self.nudge


def _parameter_index(model, parameter) -> int:
    names = parameter_names(model)
    if isinstance(parameter, str):
        if parameter not in names:
            raise ValueError(f"parameter must be one of the model's weight names {names}, got {parameter!r}")
        return names.index(parameter)
    if isinstance(parameter, bool) or not isinstance(parameter, numbers.Integral):
        raise TypeError(f"parameter must be a weight name such as {names[0]!r} or an index, "
                        f"got {_validate.describe(parameter)}")
    if not 0 <= parameter < len(names):
        raise ValueError(f"parameter must be an index in [0, {len(names)}), got {parameter}")
    return int(parameter)




def nudge(model, x, y, parameter, amount) -> Nudge:
    """Move one weight by ``amount``, measure the loss, and put the weight back.

    Args:
        model: a compiled, built Sequential.
        x, y: the batch the loss is measured on.
        parameter: the weight, by name (``"W2[0,1]"``) or by its index in ``parameter_names(model)``.
        amount: the nudge, a number (negative moves the weight down).

    Returns:
        a :class:`Nudge`; compare its ``change`` with its ``predicted`` (= gradient x nudge).
    """
    index = _parameter_index(model, parameter)
    amount = _validate.real_number("amount", amount)
    loss_before, grads = model.compute_gradients(x, y)
    gradient = float(np.concatenate([g.ravel() for g in grads])[index])
    flat = model.params.copy()
    weight = float(flat[index])
    flat[index] += amount
    loss_after = loss_with_weights(model, x, y, flat)
    return Nudge(parameter_names(model)[index], weight, amount, gradient, float(loss_before), loss_after)


def nudge_report(result: Nudge) -> str:
    """The comparison in words, as the explorer shows it."""
    text = (f"{result.name} = {result.weight:.4f}, nudged by {result.nudge:+.4f}: "
            f"the loss goes from {result.loss_before:.6f} to {result.loss_after:.6f}, "
            f"a change of {result.change:+.6f}; gradient x nudge = {result.gradient:+.6f} x "
            f"{result.nudge:+.4f} = {result.predicted:+.6f}.")
    if result.predicted != 0:
        text += f" Ratio real / predicted: {result.change / result.predicted:.4f}."
    elif result.gradient == 0:
        text += " The gradient is zero: this weight does not touch the loss for this input (a ReLU is off)."
    return text


def nudge_figure(model, x, y, parameter, amount, *, span: float | None = None, ax=None) -> Figure:
    """The loss as one weight moves (the others fixed), its tangent at the current value, and a nudge.

    Args:
        model, x, y, parameter, amount: as for :func:`nudge`.
        span: the curve covers weight +- span (default: twice the nudge, at least 0.5).
        ax: the axes to draw on (a new figure when None).

    Returns:
        the figure. Lines, in order: the loss curve, the tangent, the real change (green) and the predicted
        change (orange dashed) at weight + nudge.
    """
    result = nudge(model, x, y, parameter, amount)
    span = max(0.5, 2 * abs(result.nudge)) if span is None else _validate.positive_number("span", span)
    index = _parameter_index(model, parameter)
    grid = result.weight + np.linspace(-span, span, 121)
    flat = model.params.copy()
    curve = []
    for value in grid:
        flat[index] = value
        curve.append(loss_with_weights(model, x, y, flat))
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.8))
    else:
        fig = ax.figure
    w0, l0, w1 = result.weight, result.loss_before, result.weight + result.nudge
    ax.plot(grid, curve, color=LOSS_COLOUR, label=f"loss as {result.name} moves")
    ax.plot(grid, l0 + result.gradient * (grid - w0), color=TANGENT_COLOUR, linewidth=1,
            label=f"tangent, slope dL/d{result.name} = {result.gradient:.4f}")
    gap = span / 40                           # the two bars side by side, either side of weight + nudge
    ax.plot([w1 - gap, w1 - gap], [l0, result.loss_after], color=NUDGE_COLOUR, linewidth=3,
            label=f"real change {result.change:+.4f}")
    ax.plot([w1 + gap, w1 + gap], [l0, l0 + result.predicted], color=TANGENT_COLOUR, linestyle="--",
            linewidth=2, label=f"gradient x nudge {result.predicted:+.4f}")
    ax.plot([w1], [result.loss_after], "o", color=NUDGE_COLOUR, markersize=5)
    ax.plot([w0], [l0], "o", color="k")
    ax.axhline(l0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel(f"{result.name} (now {w0:.4f}, nudged by {result.nudge:+.4f})")
    ax.set_ylabel("loss")
    ax.set_title(f"nudging {result.name}")
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    return fig


class NudgeExplorer:
    """Pick a weight and a nudge; see the loss change next to gradient x nudge.

    ``explorer.widget`` is what a notebook displays. ``explorer.parameter`` (Dropdown) and
    ``explorer.amount`` (FloatSlider) are the controls; ``explorer.result`` is the last :class:`Nudge`
    and ``explorer.readout`` (HTML) shows :func:`nudge_report` of it.
    """

    def __init__(self, model, x, y, *, parameter=0, amount: float = 0.1, max_amount: float = 1.0,
                 draw: bool = True):
        import ipywidgets as widgets

        self.model, self.x, self.y, self.draw = model, x, y, draw
        names = parameter_names(model)
        max_amount = _validate.positive_number("max_amount", max_amount)
        self.parameter = widgets.Dropdown(options=names, value=names[_parameter_index(model, parameter)],
                                          description="weight")
        self.amount = widgets.FloatSlider(value=_validate.real_number("amount", amount), min=-max_amount,
                                          max=max_amount,
                                          step=0.01, description="nudge", readout_format="+.2f",
                                          continuous_update=False)
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        self.result: Nudge | None = None
        self.parameter.observe(self._changed, names="value")
        self.amount.observe(self._changed, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.parameter, self.amount]), self.readout, self.output])
        self.update()

    def _changed(self, change) -> None:
        self.update()

    def update(self) -> Nudge:
        """Recompute the nudge for the controls' values; redraw the readout and the figure."""
        self.result = nudge(self.model, self.x, self.y, self.parameter.value, self.amount.value)
        self.readout.value = f"<p>{nudge_report(self.result)}</p>"
        if self.draw:
            _show_in(self.output, lambda: nudge_figure(self.model, self.x, self.y, self.parameter.value,
                                                       self.amount.value))
        return self.result


# ============================================================================================ lesson 06
class LiveTraining:
    """Lesson 06's training on a small network, one epoch per ``step()``: ``Sequential.fit`` with plain SGD,
    and a callback that keeps what the live figure draws.

    The network: ``Dense(h, relu)`` for each h in ``hidden``, then ``Dense(classes, softmax)``; the loss is
    sparse categorical cross-entropy (the mean over the batch); the update is ``w -= learning_rate * dL/dw``.
    The model is seeded, so ``reset()`` starts the same run again.

    Args:
        x: (n, features) inputs; labels: (n,) integer labels.
        hidden: the widths of the hidden layers.
        learning_rate, batch_size: SGD's settings.
        seed: the seed of the run (initial weights and shuffles).

    Attributes:
        model: the :class:`~nnbook.models.Sequential` being trained.
        epoch: epochs trained so far.
        history: ``{"loss": [...], "accuracy": [...]}``, one value per epoch, as ``fit`` reports them.
        batch_losses: every batch's loss, in order.
    """

    def __init__(self, x, labels, *, hidden=(16, 32), learning_rate: float = 0.01, batch_size: int = 10,
                 seed: int = 0, classes: int | None = None):
        self.x = _validate.float_array("x", x, ndim=2)
        self.labels = integer_labels(labels, classes)
        if self.labels.shape[0] != self.x.shape[0] or self.x.shape[0] == 0:
            raise ValueError(f"x and labels must hold the same number of samples (at least one), got "
                             f"{self.x.shape[0]} rows in x and {self.labels.shape[0]} labels")
        self.classes = int(self.labels.max()) + 1 if classes is None else _validate.whole_number(
            "classes", classes, minimum=2)
        self.classes = max(self.classes, 2)
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(f"hidden must be a tuple of layer widths such as (16, 32), "
                            f"got {_validate.describe(hidden)}")
        self.hidden = tuple(_validate.whole_number(f"hidden[{i}]", h, minimum=1) for i, h in enumerate(hidden))
        self.learning_rate = _validate.positive_number("learning_rate", learning_rate)
        self.batch_size = _validate.whole_number("batch_size", batch_size, minimum=1)
        self.seed = _validate.whole_number("seed", seed)
        self.reset()

    @property
    def iterations_per_epoch(self) -> int:
        """One iteration per batch: ``ceil(n / batch_size)``."""
        return math.ceil(self.x.shape[0] / self.batch_size)

    @property
    def layers(self) -> list[Dense]:
        """The model's Dense layers."""
        return self.model.layers

    def reset(self) -> None:
        """Back to epoch 0: a new model with the same seed, so the same initial weights and shuffles."""
        widths = self.hidden + (self.classes,)
        self.model = Sequential([Dense(units, activation="softmax" if i == len(self.hidden) else "relu",
                                       input_shape=(self.x.shape[1],) if i == 0 else None)
                                 for i, units in enumerate(widths)], seed=self.seed)
        self.model.compile(optimizer=SGD(learning_rate=self.learning_rate), loss="sparse_categorical_crossentropy",
                           metrics=["accuracy"])
        self.epoch = 0
        self.history: dict[str, list[float]] = {"loss": [], "accuracy": []}
        self.batch_losses: list[float] = []
        self._recorder = _Recorder(self)

    def step(self) -> float:
        """Train one epoch (``fit`` with ``epochs=1``: shuffle, then forward, loss, backward and update for
        every batch). Returns the epoch's loss (also appended to ``history["loss"]``)."""
        self.model.fit(self.x, self.labels, batch_size=self.batch_size, epochs=1, verbose=0,
                       callbacks=[self._recorder])
        return self.history["loss"][-1]

    def run(self, epochs: int) -> dict[str, list[float]]:
        """Train ``epochs`` more epochs; return the history."""
        for _ in range(_validate.whole_number("epochs", epochs)):
            self.step()
        return self.history

    def predict(self, x) -> np.ndarray:
        """The network's class probabilities for x (n, features), an (n, classes) array."""
        return self.model.predict(x)


class _Recorder(Callback):
    """Keeps a :class:`LiveTraining`'s history across its one-epoch fits, and each batch's own loss."""

    def __init__(self, trainer: LiveTraining):
        super().__init__()
        self.trainer = trainer

    def on_epoch_begin(self, epoch, logs=None):
        self.loss_sum, self.seen = 0.0, 0

    def on_batch_end(self, batch, logs=None):
        # logs["loss"] is the epoch's mean so far, weighted by batch size (Keras's rule); the batch's own
        # loss is what this batch added to the running sum, divided by its size.
        seen = min((batch + 1) * self.trainer.batch_size, self.trainer.x.shape[0])
        loss_sum = logs["loss"] * seen
        self.trainer.batch_losses.append((loss_sum - self.loss_sum) / (seen - self.seen))
        self.loss_sum, self.seen = loss_sum, seen

    def on_epoch_end(self, epoch, logs=None):
        self.trainer.epoch += 1
        for key in ("loss", "accuracy"):
            self.trainer.history[key].append(logs[key])


def status_text(trainer: LiveTraining, max_epochs: int | None = None) -> str:
    """``epoch 3/30 - loss 0.5123 - accuracy 0.8810`` (or ``epoch 0/30 - not trained yet``)."""
    total = "" if max_epochs is None else f"/{max_epochs}"
    if trainer.epoch == 0:
        return f"epoch 0{total} - not trained yet"
    return (f"epoch {trainer.epoch}{total} - loss {trainer.history['loss'][-1]:.4f} - "
            f"accuracy {trainer.history['accuracy'][-1]:.4f}")


def training_figure(trainer: LiveTraining, *, max_epochs: int | None = None) -> Figure:
    """Three panels of a drug-trial run: loss per epoch (and per batch, faint), accuracy per epoch, and the
    network's predicted chance of side effects for every age 13..100 beside the share observed in the data.

    ``trainer.x`` must be the drug trial's scaled ages (one feature), label 1 = side effects.

    Args:
        trainer: a :class:`LiveTraining`, at any epoch (0 too).
        max_epochs: fix the epoch axes to [0, max_epochs] so a live plot does not rescale as it grows.

    Returns:
        the figure. Its first axes' line labelled ``"epoch loss"`` holds ``trainer.history["loss"]``; the
        second's ``"accuracy"`` line the accuracies; the third's ``"predicted"`` line the probabilities.
    """
    if trainer.x.shape[1] != 1:
        raise ValueError(f"training_figure draws the drug trial: x must be one column of scaled ages, "
                         f"got shape {trainer.x.shape}")
    fig, (loss_ax, acc_ax, age_ax) = plt.subplots(1, 3, figsize=(12, 3.6))
    epochs = np.arange(1, trainer.epoch + 1)
    right = max(max_epochs or 0, trainer.epoch, 1)

    window = max(1, trainer.iterations_per_epoch // 10)
    if len(trainer.batch_losses) >= window:
        # single batches of 10 are noisy: show the mean of each run of `window` consecutive batch losses
        smooth = np.convolve(trainer.batch_losses, np.ones(window) / window, mode="valid")
        steps = np.arange(window, len(trainer.batch_losses) + 1) / trainer.iterations_per_epoch
        loss_ax.plot(steps, smooth, color=LOSS_COLOUR, alpha=0.35, linewidth=0.8,
                     label=f"batch loss (mean of {window})")
    loss_ax.plot(epochs, trainer.history["loss"], "o-", color=LOSS_COLOUR, markersize=3, label="epoch loss")
    loss_ax.set_xlim(0, right)
    loss_ax.set_ylim(0, 1.0)
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.set_title("loss")
    loss_ax.legend(loc="upper right", fontsize="small")

    acc_ax.plot(epochs, trainer.history["accuracy"], "o-", color=ACCURACY_COLOUR, markersize=3,
                label="accuracy")
    acc_ax.set_xlim(0, right)
    acc_ax.set_ylim(0.4, 1.0)
    acc_ax.set_xlabel("epoch")
    acc_ax.set_ylabel("share of samples right")
    acc_ax.set_title("accuracy")

    ages = np.arange(AGE_MIN, AGE_MAX + 1)
    predicted = trainer.predict(scale_ages(ages).reshape(-1, 1))[:, 1]
    data_ages = np.rint(trainer.x[:, 0] * (AGE_MAX - AGE_MIN) + AGE_MIN)
    edges = np.arange(10, AGE_MAX + 6, 5)          # bins 60-64, 65-69, ...: none straddles the age 65
    which = np.digitize(data_ages, edges) - 1
    centres, shares = [], []
    for b in range(edges.size - 1):
        inside = which == b
        if np.any(inside):
            centres.append(data_ages[inside].mean())
            shares.append(trainer.labels[inside].mean())
    age_ax.plot(centres, shares, "s", color="0.55", markersize=4, label="observed share (5-year bins)")
    age_ax.plot(ages, predicted, color=NUDGE_COLOUR, linewidth=2, label="predicted")
    age_ax.axvline(65, color="0.8", linewidth=0.8, zorder=0)
    age_ax.set_ylim(-0.03, 1.03)
    age_ax.set_xlabel("age (years)")
    age_ax.set_ylabel(f"P({TRIAL_CLASSES[1]})")
    age_ax.set_title(f"the network after {trainer.epoch} epoch{'s' if trainer.epoch != 1 else ''}")
    age_ax.legend(loc="center left", fontsize="small")
    fig.tight_layout()
    return fig


class LiveTrainingWidget:
    """Play / Pause / Stop and Reset for a :class:`LiveTraining`, with its curves redrawn each epoch.

    The ``Play`` control's value is the number of epochs to have trained: pressing play counts it up one
    epoch per ``interval`` ms, and each new value trains the missing epochs (``trainer.step()``). Pause
    stops the count; Stop (the square) and the Reset button go back to epoch 0 (``trainer.reset()``).

    Attributes: ``play`` (ipywidgets.Play), ``reset_button``, ``step_button`` (one epoch), ``status``
    (HTML, :func:`status_text`), ``output`` (the figure), ``widget`` (the whole box to display),
    ``figures_drawn`` (how many times the figure was redrawn).
    """

    def __init__(self, trainer: LiveTraining, *, max_epochs: int = 30, interval: int = 500, draw: bool = True):
        import ipywidgets as widgets

        if not isinstance(trainer, LiveTraining):
            raise TypeError(f"trainer must be a LiveTraining, got {_validate.describe(trainer)}")
        self.trainer, self.draw = trainer, draw
        self.max_epochs = _validate.whole_number("max_epochs", max_epochs, minimum=1)
        self.play = widgets.Play(value=min(trainer.epoch, self.max_epochs), min=0, max=self.max_epochs,
                                 step=1, interval=_validate.whole_number("interval", interval, minimum=1),
                                 description="train")
        self.step_button = widgets.Button(description="one epoch", icon="step-forward")
        self.reset_button = widgets.Button(description="reset", icon="undo")
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.figures_drawn = 0
        self.play.observe(self._play_moved, names="value")
        self.step_button.on_click(self._step_clicked)
        self.reset_button.on_click(self._reset_clicked)
        self.widget = widgets.VBox([widgets.HBox([self.play, self.step_button, self.reset_button, self.status]),
                                    self.output])
        self.sync(self.play.value)

    def sync(self, epochs: int) -> None:
        """Bring the trainer to ``epochs`` epochs (resetting first if it is past them), then redraw."""
        if epochs < self.trainer.epoch:
            self.trainer.reset()
        while self.trainer.epoch < epochs:
            self.trainer.step()
        self.refresh()

    def refresh(self) -> None:
        """Redraw the status line and the figure."""
        self.status.value = f"<code>{status_text(self.trainer, self.max_epochs)}</code>"
        if self.draw:
            _show_in(self.output, lambda: training_figure(self.trainer, max_epochs=self.max_epochs))
            self.figures_drawn += 1

    def _play_moved(self, change) -> None:
        self.sync(change["new"])

    def _step_clicked(self, _button) -> None:
        if self.play.value < self.max_epochs:
            self.play.value += 1                 # the observer trains the epoch

    def _reset_clicked(self, _button) -> None:
        self.play.playing = False
        if self.play.value != 0:
            self.play.value = 0                  # the observer resets
        else:
            self.sync(0)


def _show_in(output, make_figure) -> None:
    """Replace what ``output`` (an ipywidgets Output) shows with a new figure, then close the figure."""
    from IPython.display import display

    fig = make_figure()
    with output:
        output.clear_output(wait=True)
        display(fig)
    plt.close(fig)


def _checked_model(model) -> Sequential:
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be an nnbook Sequential, got {_validate.describe(model)}")
    if not model.built:
        raise ValueError("model must be built (give its first layer input_shape=(features,)) to name its weights")
    return model

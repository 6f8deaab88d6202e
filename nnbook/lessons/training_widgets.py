"""Lessons 05-06: the logic behind the interactive parts, as plain functions, plus thin widgets.

Lesson 05, *nudge one weight*: change a single weight by a small amount and compare the change of the
loss with what its gradient predicts::

    loss(w + nudge) - loss(w)   ~   dL/dw * nudge          (the closer, the smaller the nudge)

Lesson 06, *live training*: ``Sequential.fit`` trains one epoch per step, and a callback keeps what the
curves draw; the training loop itself is the one in :mod:`nnbook.models`. Beside the curves, the network
itself: one circle per unit, one line per weight, coloured by the weight's sign and as thick as its size
(:func:`network_drawing` gives the lines from the model's own kernels), so a learner sees which weights move.

Notation: the lessons number layers from 1 (W1, b1 feed the first hidden layer); ``get_weights()``
returns the same arrays in Keras's order ``[W1, b1, W2, b2, ...]``, and :func:`flat_weights` lays them all
out in that order in one vector. Rows are samples: x is (n, features).

Every widget only wires controls to the plain functions and to pictures drawn once and moved in place (the
pattern of :mod:`nnbook.lessons._explorer`), so the tests drive the logic without a browser (set a control's
``.value`` or call a button's ``.click()``; observers fire at once).
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.callbacks import Callback
from nnbook.data import AGE_MAX, AGE_MIN, TRIAL_CLASSES, scale_ages
from nnbook.encoding import integer_labels
from nnbook.layers import Dense
from nnbook.lessons import palette
from nnbook.lessons._explorer import Explorer, Picture, new_figure
from nnbook.lessons.alt import set_alt
from nnbook.models import Sequential
from nnbook.optimizers import SGD

LOSS_COLOUR = palette.BLUE
TANGENT_COLOUR = palette.ORANGE
NUDGE_COLOUR = palette.BLUISH_GREEN
ACCURACY_COLOUR = palette.REDDISH_PURPLE
#: Points on the loss curve along one weight: enough for a smooth line, few enough to follow the hand
#: (each point is one forward and backward pass).
CURVE_POINTS = 61


# ============================================================================================ lesson 05
def flat_weights(model) -> np.ndarray:
    """Every weight of a built model in one new vector: ``get_weights()`` in Keras's order (W1, b1, W2, b2,
    ...), each kernel row by row. Changing the vector does not change the model: :func:`set_flat_weights`."""
    return np.concatenate([w.ravel() for w in _checked_model(model).get_weights()])


def set_flat_weights(model, flat) -> None:
    """Put the vector ``flat``, laid out as :func:`flat_weights` gives it, into the model's kernels and biases."""
    shapes = [w.shape for w in _checked_model(model).get_weights()]
    sizes = [math.prod(shape) for shape in shapes]
    flat = _validate.float_array("flat", flat, ndim=1)
    if flat.size != sum(sizes):
        raise ValueError(f"flat must hold one value per weight of the model, {sum(sizes)}, got {flat.size}")
    pieces = np.split(flat, np.cumsum(sizes)[:-1])
    model.set_weights([piece.reshape(shape) for piece, shape in zip(pieces, shapes)])


def parameter_names(model) -> list[str]:
    """One name per weight of a built model, in the order of :func:`flat_weights`.

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
        flat: a vector of ``len(parameter_names(model))`` weights, in the order of :func:`flat_weights`.
    """
    saved = flat_weights(model)
    set_flat_weights(model, flat)
    try:
        loss, _ = model.compute_gradients(x, y)
    finally:
        set_flat_weights(model, saved)
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
    flat = flat_weights(model)
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
    return NudgePicture(model, x, y, parameter, amount, span=span, ax=ax).figure


class NudgePicture(Picture):
    """:func:`nudge_figure` as a picture; ``update(parameter, amount)`` shows another weight or nudge in place.

    The loss curve along a weight is computed again only when the weight, the span or the model's weights
    change (moving the nudge alone reuses it).
    """

    def __init__(self, model, x, y, parameter, amount, *, span: float | None = None, ax=None, live: bool = False):
        self.model, self.x, self.y, self.span = model, x, y, span
        self._curve_key, self._curve = None, None
        frame = self._frame(parameter, amount)
        result, grid, curve = frame["result"], frame["grid"], frame["curve"]
        if ax is None:
            self.figure, ax = new_figure((6.4, 3.8), live=live)
        else:
            self.figure = ax.figure
        self.ax = ax
        # The legend names the lines; their numbers are in the x label and the explorer's readout (fewer
        # letters to draw: a change of weight redraws the whole figure).
        self.curve, = ax.plot(grid, curve, color=LOSS_COLOUR, label="loss as the weight moves")
        self.tangent, = ax.plot(grid, frame["tangent"], color=TANGENT_COLOUR, linewidth=1,
                                label="tangent: slope = gradient")
        self.real, = ax.plot(*frame["real"], color=NUDGE_COLOUR, linewidth=3, label="real change")
        self.predicted, = ax.plot(*frame["predicted"], color=TANGENT_COLOUR, linestyle="--", linewidth=2,
                                  label="gradient x nudge")
        self.after, = ax.plot(*frame["after"], "o", color=NUDGE_COLOUR, markersize=5)
        self.before, = ax.plot(*frame["before"], "o", color="k")
        self.level = ax.axhline(result.loss_before, color="0.8", linewidth=0.8, zorder=0)
        ax.set_xlabel(frame["xlabel"])
        ax.set_ylabel("loss")
        ax.legend(fontsize="small", loc="best")
        self.result = result
        set_alt(ax, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The axes in words: the explorer's own readout (:func:`nudge_report`) of what the lines show."""
        return (f"The loss as {self.result.name} moves, the others fixed, with its tangent, the real change and "
                f"gradient x nudge side by side. " + nudge_report(self.result))

    def _frame(self, parameter, amount) -> dict:
        """Everything the picture shows for one weight and nudge: the result, the curve and each line's data."""
        result = nudge(self.model, self.x, self.y, parameter, amount)
        span = max(0.5, 2 * abs(result.nudge)) if self.span is None else _validate.positive_number("span", self.span)
        index = _parameter_index(self.model, parameter)
        grid = result.weight + np.linspace(-span, span, CURVE_POINTS)
        flat = flat_weights(self.model)
        key = (index, span, flat.tobytes())
        if key != self._curve_key:
            curve = []
            for value in grid:
                flat[index] = value
                curve.append(loss_with_weights(self.model, self.x, self.y, flat))
            self._curve_key, self._curve = key, np.array(curve)
        w0, l0, w1 = result.weight, result.loss_before, result.weight + result.nudge
        gap = span / 40                           # the two bars side by side, either side of weight + nudge
        return {"result": result, "grid": grid, "curve": self._curve,
                "tangent": l0 + result.gradient * (grid - w0),
                "real": ([w1 - gap, w1 - gap], [l0, result.loss_after]),
                "predicted": ([w1 + gap, w1 + gap], [l0, l0 + result.predicted]),
                "after": ([w1], [result.loss_after]), "before": ([w0], [l0]),
                "xlabel": f"{result.name} (now {w0:.4f}, nudged by {result.nudge:+.4f})"}

    def moving(self) -> list:
        return [self.curve, self.tangent, self.real, self.predicted, self.after, self.before, self.level,
                self.ax.get_legend(), self.ax.xaxis.label]

    def update(self, parameter, amount) -> None:
        """Show the nudge of ``parameter`` by ``amount``."""
        frame = self._frame(parameter, amount)
        result = frame["result"]
        self.result = result
        self.curve.set_data(frame["grid"], frame["curve"])
        self.tangent.set_data(frame["grid"], frame["tangent"])
        for line, name in ((self.real, "real"), (self.predicted, "predicted"), (self.after, "after"),
                           (self.before, "before")):
            line.set_data(*frame[name])
        self.level.set_ydata([result.loss_before, result.loss_before])
        self.ax.set_xlabel(frame["xlabel"])
        self.ax.relim()
        self.ax.autoscale_view()


class NudgeExplorer:
    """Pick a weight and a nudge; see the loss change next to gradient x nudge.

    ``explorer.widget`` is what a notebook displays (an :class:`~nnbook.lessons._explorer.Explorer`).
    ``explorer.parameter`` (Dropdown) and ``explorer.amount`` (FloatSlider, live while dragged) are the
    controls; ``explorer.result`` is the last :class:`Nudge`, ``explorer.readout`` (HTML) shows
    :func:`nudge_report` of it and ``explorer.image`` the :class:`NudgePicture` ``explorer.picture`` (both
    None with ``draw=False``).
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
                                          continuous_update=True)
        self.result: Nudge | None = None
        # The curve spans the largest nudge either way (and a little more), so moving the nudge moves only the
        # bars and the dot, never the axes.
        self.picture = NudgePicture(model, x, y, self.parameter.value, self.amount.value, span=1.25 * max_amount,
                                    live=True) if draw else None
        self.widget = Explorer([self.parameter, self.amount], self._report, self.picture,
                               lambda: self.picture.update(self.parameter.value, self.amount.value), paragraph=True)
        self.readout, self.image = self.widget.readout, self.widget.image

    def _report(self) -> str:
        self.result = nudge(self.model, self.x, self.y, self.parameter.value, self.amount.value)
        return nudge_report(self.result)

    def update(self) -> Nudge:
        """Recompute the nudge for the controls' values; redraw the readout and the figure."""
        self.widget.refresh()
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
    return TrainingPicture(trainer, max_epochs=max_epochs).figure


class TrainingPicture(Picture):
    """:func:`training_figure` as a picture; ``update()`` redraws it for the trainer's current epoch."""

    def __init__(self, trainer: LiveTraining, *, max_epochs: int | None = None, live: bool = False):
        if trainer.x.shape[1] != 1:
            raise ValueError(f"training_figure draws the drug trial: x must be one column of scaled ages, "
                             f"got shape {trainer.x.shape}")
        self.trainer, self.max_epochs = trainer, max_epochs
        self.figure, (self.loss_ax, self.acc_ax, self.age_ax) = new_figure((12, 3.6), live=live, ncols=3)
        window = max(1, trainer.iterations_per_epoch // 10)
        self.batch_loss, = self.loss_ax.plot([], [], color=LOSS_COLOUR, alpha=0.35, linewidth=0.8,
                                             label=f"batch loss (mean of {window})")
        self.epoch_loss, = self.loss_ax.plot([], [], "o-", color=LOSS_COLOUR, markersize=3, label="epoch loss")
        self.loss_ax.set_ylim(0, 1.0)
        self.loss_ax.set_xlabel("epoch")
        self.loss_ax.set_ylabel("cross-entropy loss")
        self.loss_ax.set_title("loss")

        self.accuracy, = self.acc_ax.plot([], [], "o-", color=ACCURACY_COLOUR, markersize=3, label="accuracy")
        self.acc_ax.set_ylim(0.4, 1.0)
        self.acc_ax.set_xlabel("epoch")
        self.acc_ax.set_ylabel("share of samples right")
        self.acc_ax.set_title("accuracy")

        self.ages = np.arange(AGE_MIN, AGE_MAX + 1)
        data_ages = np.rint(trainer.x[:, 0] * (AGE_MAX - AGE_MIN) + AGE_MIN)
        edges = np.arange(10, AGE_MAX + 6, 5)          # bins 60-64, 65-69, ...: none straddles the age 65
        which = np.digitize(data_ages, edges) - 1
        centres, shares = [], []
        for b in range(edges.size - 1):
            inside = which == b
            if np.any(inside):
                centres.append(data_ages[inside].mean())
                shares.append(trainer.labels[inside].mean())
        self.age_ax.plot(centres, shares, "s", color="0.55", markersize=4, label="observed share (5-year bins)")
        self.predicted, = self.age_ax.plot(self.ages, np.zeros(self.ages.size), color=NUDGE_COLOUR, linewidth=2,
                                           label="predicted")
        self.age_ax.axvline(65, color="0.8", linewidth=0.8, zorder=0)
        self.age_ax.set_ylim(-0.03, 1.03)
        self.age_ax.set_xlabel("age (years)")
        self.age_ax.set_ylabel(f"P({TRIAL_CLASSES[1]})")
        self.age_ax.legend(loc="center left", fontsize="small")
        self._legend_lines = None
        self.update()
        set_alt(self.figure, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The three panels in words: the run's loss and accuracy so far and the network's prediction by age."""
        trainer, history = self.trainer, self.trainer.history
        if trainer.epoch == 0:
            run = "Loss and accuracy per epoch: nothing trained yet"
        else:
            run = (f"Loss per epoch {history['loss'][0]:.4f} after epoch 1, {history['loss'][-1]:.4f} after epoch "
                   f"{trainer.epoch}; accuracy {history['accuracy'][0]:.4f}, then {history['accuracy'][-1]:.4f}")
        p = np.asarray(self.predicted.get_ydata(), dtype=float)
        above = self.ages[p > 0.5]
        where = "never above 50%" if above.size == 0 else f"above 50% from age {above.min():g}"
        return (f"{run}. {self.age_ax.get_title()}: predicted P({TRIAL_CLASSES[1]}) {p[0]:.1%} at age "
                f"{self.ages[0]:g} and {p[-1]:.1%} at {self.ages[-1]:g}, {where}, beside the share observed in "
                f"5-year bins of the data.")

    def moving(self) -> list:
        return [self.batch_loss, self.epoch_loss, self.accuracy, self.predicted, self.age_ax.title]

    def update(self) -> None:
        """Show the trainer as it is now: its history so far and its network's predictions."""
        trainer = self.trainer
        epochs = np.arange(1, trainer.epoch + 1)
        right = max(self.max_epochs or 0, trainer.epoch, 1)
        window = max(1, trainer.iterations_per_epoch // 10)
        if len(trainer.batch_losses) >= window:
            # single batches of 10 are noisy: show the mean of each run of `window` consecutive batch losses
            smooth = np.convolve(trainer.batch_losses, np.ones(window) / window, mode="valid")
            steps = np.arange(window, len(trainer.batch_losses) + 1) / trainer.iterations_per_epoch
            self.batch_loss.set_data(steps, smooth)
        else:
            self.batch_loss.set_data([], [])
        self.epoch_loss.set_data(epochs, trainer.history["loss"])
        # The legend names the lines that have something to show (no batch loss before the first epoch).
        shown = [line for line in (self.batch_loss, self.epoch_loss)
                 if line is self.epoch_loss or len(line.get_xdata())]
        if shown != self._legend_lines:
            self.loss_ax.legend(handles=shown, loc="upper right", fontsize="small")
            self._legend_lines = shown
        self.accuracy.set_data(epochs, trainer.history["accuracy"])
        for ax in (self.loss_ax, self.acc_ax):
            ax.set_xlim(0, right)
        self.predicted.set_ydata(trainer.predict(scale_ages(self.ages).reshape(-1, 1))[:, 1])
        self.age_ax.set_title(f"the network after {trainer.epoch} epoch{'s' if trainer.epoch != 1 else ''}")


# ------------------------------------------------------------------------------------ the network, drawn
#: Weights at or above this size get the widest line; smaller ones get thinner in proportion.
WEIGHT_SCALE = 1.0
POSITIVE_COLOUR = palette.BLUE
NEGATIVE_COLOUR = palette.ORANGE


class NetworkDrawing(NamedTuple):
    """What :func:`network_figure` draws for a model: one circle per unit, one line per weight."""

    units: list           #: per layer (input first), the (n, 2) positions of its units: x = layer, y in (0, 1)
    segments: np.ndarray  #: (m, 2, 2) one line per weight, from unit i of a layer to unit j of the next
    weights: np.ndarray   #: (m,) the weights: each kernel W (in, out) in turn, row by row, W[i, j] joining i to j
    widths: np.ndarray    #: (m,) line widths in points, growing with |weight| up to WEIGHT_SCALE
    colours: np.ndarray   #: (m, 4) RGBA: POSITIVE_COLOUR for a weight >= 0, NEGATIVE_COLOUR below 0


def network_drawing(model) -> NetworkDrawing:
    """The circles and lines :func:`network_figure` draws for a built model (biases are not drawn).

    Units of layer l sit at x = l, spread evenly over y in (0, 1), the first on top. The line for kernel
    entry ``W[i, j]`` joins unit i of its layer's input to unit j of its output; its width is
    ``0.3 + 2.7 * min(|W[i, j]| / WEIGHT_SCALE, 1)`` points and its colour says the sign.
    """
    layers = _checked_model(model).layers
    sizes = [layers[0].kernel.shape[0]] + [layer.units for layer in layers]
    units = [np.column_stack([np.full(n, float(k)), 1 - (np.arange(n) + 0.5) / n]) for k, n in enumerate(sizes)]
    segments, weights = [], []
    for k, layer in enumerate(layers):
        start, end = units[k], units[k + 1]
        i, j = np.meshgrid(np.arange(start.shape[0]), np.arange(end.shape[0]), indexing="ij")
        segments.append(np.stack([start[i.ravel()], end[j.ravel()]], axis=1))      # row by row: W[i, j]
        weights.append(layer.kernel.ravel())
    weights = np.concatenate(weights)
    widths = 0.3 + 2.7 * np.minimum(np.abs(weights) / WEIGHT_SCALE, 1.0)
    colours = np.where((weights >= 0)[:, None], to_rgba(POSITIVE_COLOUR), to_rgba(NEGATIVE_COLOUR))
    return NetworkDrawing(units, np.concatenate(segments), weights, widths, colours)


def network_figure(model, *, title: str = "the network's weights", input_names=None,
                   output_names=None) -> Figure:
    """The network itself: its units as circles, layer by layer, and its weights as lines between them,
    blue for positive, orange for negative, thicker for larger (see :func:`network_drawing`).

    Args:
        model: a built Sequential.
        title: the axes' title.
        input_names, output_names: names written beside the input and the output units (e.g. ``("age",)`` and
            ``TRIAL_CLASSES``).
    """
    return NetworkPicture(model, title=title, input_names=input_names, output_names=output_names).figure


class NetworkPicture(Picture):
    """:func:`network_figure` as a picture; ``update(model, title)`` recolours and resizes the weights' lines
    for the model's current weights (a model of the same shape: after ``LiveTraining.reset`` it is a new one)."""

    def __init__(self, model, *, title: str = "the network's weights", input_names=None, output_names=None,
                 live: bool = False):
        from matplotlib.collections import LineCollection

        drawing = network_drawing(model)
        self.model, self.shape = model, [units.shape[0] for units in drawing.units]
        self.figure, self.ax = new_figure((4.2, 3.6), live=live)
        self.lines = LineCollection(drawing.segments, linewidths=drawing.widths, colors=drawing.colours,
                                    alpha=0.75, zorder=2)
        self.ax.add_collection(self.lines)
        for positions in drawing.units:
            self.ax.scatter(positions[:, 0], positions[:, 1], s=max(8.0, min(40.0, 600.0 / positions.shape[0])),
                            facecolor="white", edgecolor="0.2", linewidth=0.8, zorder=3)
        # Labels below the lines' zorder stay in the background: they never overlap a line.
        layers = _checked_model(model).layers
        below = -0.06
        self.ax.text(0, below, f"input\n{self.shape[0]}", ha="center", va="top", fontsize=8, zorder=1)
        for k, layer in enumerate(layers, start=1):
            role = "output" if k == len(layers) else "hidden"
            self.ax.text(k, below, f"{role}\n{layer.units} {layer.activation.name}", ha="center", va="top",
                         fontsize=8, zorder=1)
        for names, positions, side in ((input_names, drawing.units[0], -1), (output_names, drawing.units[-1], 1)):
            for name, (x, y) in zip(names or (), positions):
                self.ax.text(x + 0.12 * side, y, name, ha="right" if side < 0 else "left", va="center",
                             fontsize=8, zorder=1)
        self.ax.text(0.5, -0.2, "blue: weight > 0   orange: weight < 0   thicker: larger",
                     transform=self.ax.transAxes, ha="center", va="top", fontsize=8, color="0.3", zorder=1)
        self.ax.set_xlim(-0.9, len(layers) + 0.9)
        self.ax.set_ylim(-0.02, 1.02)
        self.ax.axis("off")
        self.ax.set_title(title)
        set_alt(self.figure, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The drawing in words: the layer sizes and how many weights are positive, and the largest."""
        weights = network_drawing(self.model).weights
        return (f"{self.ax.get_title()}: a network of {' -> '.join(str(n) for n in self.shape)} units drawn as "
                f"circles, its {weights.size} weights as lines, blue for the {int(np.sum(weights >= 0))} positive "
                f"ones, orange for the {int(np.sum(weights < 0))} negative, thicker for larger; they range from "
                f"{weights.min():.3f} to {weights.max():.3f}.")

    def moving(self) -> list:
        return [self.lines, self.ax.title]

    def update(self, model=None, title: str | None = None) -> None:
        """Draw ``model``'s weights (by default the same model's, as they are now)."""
        if model is not None:
            drawing = network_drawing(model)
            if [units.shape[0] for units in drawing.units] != self.shape:
                raise ValueError(f"model must have the drawn network's layer sizes {self.shape}, got "
                                 f"{[units.shape[0] for units in drawing.units]}")
            self.model = model
        else:
            drawing = network_drawing(self.model)
        self.lines.set_linewidths(drawing.widths)
        self.lines.set_colors(drawing.colours)
        if title is not None:
            self.ax.title.set_text(title)


class LiveTrainingWidget:
    """Play / Pause / Stop and Reset for a :class:`LiveTraining`, with its curves and its network redrawn each
    epoch.

    The ``Play`` control's value is the number of epochs to have trained: pressing play counts it up one
    epoch per ``interval`` ms, and each new value trains the missing epochs (``trainer.step()``). When the
    kernel is slower than the interval, the browser sends only the latest count, so a frame may train more
    than one epoch; the last count is always drawn. Pause stops the count; Stop (the square) and the Reset
    button go back to epoch 0 (``trainer.reset()``).

    The widget is an :class:`~nnbook.lessons._explorer.Explorer`: its report is :func:`status_text`, its
    pictures a :class:`TrainingPicture` (the curves) and beside it a :class:`NetworkPicture` (the weights).

    Attributes: ``play`` (ipywidgets.Play), ``reset_button``, ``step_button`` (one epoch), ``status`` (the
    HTML readout), ``curves`` and ``network`` (the pictures, None with ``draw=False``), ``widget`` (the whole
    box to display), ``figures_drawn`` (how many frames were drawn).
    """

    def __init__(self, trainer: LiveTraining, *, max_epochs: int = 30, interval: int = 100, draw: bool = True):
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
        self._bring_to(self.play.value)
        self.play.observe(self._play_moved, names="value")         # before the Explorer's: train, then draw
        self.step_button.on_click(self._step_clicked)
        self.reset_button.on_click(self._reset_clicked)
        self.curves = self.network = None
        pictures = []
        if draw:
            self.curves = TrainingPicture(trainer, max_epochs=self.max_epochs, live=True)
            names = ("age",) if trainer.x.shape[1] == 1 else None
            self.network = NetworkPicture(trainer.model, title=self._network_title(), input_names=names,
                                          output_names=TRIAL_CLASSES if trainer.classes == 2 else None, live=True)
            pictures = [self.curves, self.network]
        self.widget = Explorer([self.play, self.step_button, self.reset_button],
                               lambda: status_text(self.trainer, self.max_epochs), pictures or None, self._move,
                               image_widths=("74%", "25%") if pictures else None)
        self.status = self.widget.readout

    @property
    def figures_drawn(self) -> int:
        """How many frames the widget has drawn (each frame: the curves and the network, once)."""
        return self.widget.draws

    def _network_title(self) -> str:
        return f"the weights after {self.trainer.epoch} epoch{'s' if self.trainer.epoch != 1 else ''}"

    def _move(self) -> None:
        self.curves.update()
        self.network.update(self.trainer.model, title=self._network_title())

    def _bring_to(self, epochs: int) -> None:
        """Bring the trainer to ``epochs`` epochs (resetting first if it is past them)."""
        if epochs < self.trainer.epoch:
            self.trainer.reset()
        while self.trainer.epoch < epochs:
            self.trainer.step()

    def sync(self, epochs: int) -> None:
        """Bring the trainer to ``epochs`` epochs (resetting first if it is past them), then redraw."""
        self._bring_to(epochs)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the status line and the pictures."""
        self.widget.refresh()

    def _play_moved(self, change) -> None:
        self._bring_to(change["new"])        # the Explorer, observing the same value, redraws next

    def _step_clicked(self, _button) -> None:
        if self.play.value < self.max_epochs:
            self.play.value += 1                 # the observers train the epoch and redraw

    def _reset_clicked(self, _button) -> None:
        self.play.playing = False
        if self.play.value != 0:
            self.play.value = 0                  # the observers reset and redraw
        else:
            self.sync(0)


def _checked_model(model) -> Sequential:
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be an nnbook Sequential, got {_validate.describe(model)}")
    if not model.built:
        raise ValueError("model must be built (give its first layer input_shape=(features,)) to name its weights")
    return model

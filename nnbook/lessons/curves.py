"""Lessons 08, 10, 11: training curves. Loss and accuracy per epoch, training against validation, runs compared.

``model.fit`` returns a ``History``; its ``.history`` is a dict of lists with one value per epoch::

    history.history["loss"]          the epoch's mean training loss (running mean over its batches)
    history.history["accuracy"]      the share of training samples the model got right during the epoch
    history.history["val_loss"]      the loss on held-out data, scored after the epoch (lesson 10)
    history.history["val_accuracy"]  the accuracy on held-out data

Plotting each list against the epoch number gives the training curves. Every function here accepts the
``History`` itself or its ``.history`` dict; the plotting functions return the
:class:`~matplotlib.figure.Figure`, so a lesson cell shows it (``plt.show()``) and a test inspects its lines.

Two references tell how good a curve can get on the drug-trial data, whatever the model: a network sees only
a person's age, and people of the same age do not all react the same way (the exceptions). The best any
function of age can do is to predict, at each age, the outcome most people of that age had::

    accuracy_ceiling = sum over ages of (the larger of the two outcome counts at that age) / n
    loss_floor       = mean over people of -log(share of their own outcome among people of their age)

The floor is *in-sample*: only a model that memorises how many exceptions each age happens to hold in these
people reaches it. What the process that made the data allows is the loss of its own probabilities (every
person breaks the rule with the same chance, ``exceptions / (typical + exceptions)``, 1/21 by default)::

    true_probability_loss = mean over people of -log(the generator's probability of their own outcome)

Shapes: each list of the history has one value per epoch; ``ages`` and ``labels`` are (n,).
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.data import AGE_OLDER
from nnbook.encoding import integer_labels
from nnbook.lessons import palette

TRAINING_COLOUR = palette.BLUE
VALIDATION_COLOUR = palette.ORANGE
REFERENCE_COLOUR = "0.45"
#: The markers of compare_runs's runs, in order, so they differ by more than colour.
RUN_MARKERS = ("o", "s", "^", "D", "v", "P")

#: How each metric is named on the figures.
METRIC_NAMES = {"loss": "loss", "accuracy": "accuracy"}


def as_history(history) -> dict[str, np.ndarray]:
    """The per-epoch values of a ``History`` (or of its ``.history`` dict), checked, as float arrays.

    Args:
        history: what ``model.fit`` returns, or its ``.history`` dict ``{"loss": [...], ...}``.

    Returns:
        a new dict from each key to a float array of shape (epochs,).

    Raises:
        TypeError: for anything else than a History or a dict of lists of numbers.
        ValueError: when ``"loss"`` is missing, a list is empty or holds NaN, or the lists differ in length.
    """
    logs = history.history if hasattr(history, "history") and hasattr(history, "epoch") else history
    if not isinstance(logs, dict):
        raise TypeError(f"history must be the History that model.fit returns (or its .history dict), "
                        f"got {_validate.describe(history)}")
    if "loss" not in logs:
        raise ValueError(f"history must hold a 'loss' list (one value per epoch), got keys {sorted(logs)}: "
                         f"pass the History that model.fit returns")
    arrays = {}
    for key, values in logs.items():
        if not isinstance(key, str):
            raise TypeError(f"history keys must be metric names (strings), got {key!r}")
        arrays[key] = _validate.float_array(f"history[{key!r}]", values, ndim=1)
        if arrays[key].size == 0:
            raise ValueError(f"history[{key!r}] is empty: the model was not trained for any epoch")
    lengths = {key: values.size for key, values in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history lists must all hold one value per epoch, got lengths {lengths}")
    return arrays


def best_epoch(history, metric: str = "val_loss") -> int:
    """The epoch, counted from 1 as Keras's log counts it, at which ``metric`` was best.

    Best is the lowest value for a loss (a key ending in ``"loss"``) and the highest for anything else
    (accuracy). Ties go to the earliest epoch.
    """
    logs = as_history(history)
    _require_key(logs, metric)
    values = logs[metric]
    index = np.argmin(values) if metric.endswith("loss") else np.argmax(values)
    return int(index) + 1


def history_table(history, epochs=None) -> str:
    """The history as a text table: one row per epoch, one column per metric, values to 4 decimals.

    Columns come in the order loss, accuracy, val_loss, val_accuracy (then any other key).

    Args:
        history: a History or its dict.
        epochs: which epochs to show, counted from 1 (default: all of them).
    """
    logs = as_history(history)
    count = logs["loss"].size
    if epochs is None:
        epochs = range(1, count + 1)
    if isinstance(epochs, (str, bytes)) or not hasattr(epochs, "__iter__"):
        raise TypeError(f"epochs must be a list of epoch numbers, got {_validate.describe(epochs)}")
    rows = []
    for epoch in epochs:
        epoch = _validate.whole_number("epochs", epoch, minimum=1)
        if epoch > count:
            raise ValueError(f"epochs must be between 1 and {count} (the epochs trained), got {epoch}")
        rows.append(epoch)
    order = ["loss", "accuracy", "val_loss", "val_accuracy"]
    keys = [key for key in order if key in logs] + sorted(key for key in logs if key not in order)
    width = max(12, *(len(key) + 2 for key in keys))
    lines = ["epoch" + "".join(f"{key:>{width}}" for key in keys)]
    for epoch in rows:
        lines.append(f"{epoch:>5}" + "".join(f"{logs[key][epoch - 1]:>{width}.4f}" for key in keys))
    return "\n".join(lines)


def _age_groups(ages, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(counts of label 0 at each age, counts of label 1 at each age, index of each person's age)."""
    ages = _validate.float_array("ages", ages, ndim=1)
    labels = integer_labels(labels, 2)
    if ages.size != labels.size or ages.size == 0:
        raise ValueError(f"ages and labels must hold one value per person (at least one), got "
                         f"{ages.size} ages and {labels.size} labels")
    _, which = np.unique(ages, return_inverse=True)
    counts = np.zeros((which.max() + 1, 2))
    np.add.at(counts, (which, labels), 1)
    return counts, which, labels


def accuracy_ceiling(ages, labels) -> float:
    """The best accuracy any prediction made from age alone can reach on these people.

    At each age the best guess is the outcome most people of that age had; the people with the other
    outcome at that age are wrong whatever a model does::

        ceiling = sum over ages of max(count of label 0, count of label 1) / n

    Args:
        ages: (n,) ages (people of the same age get the same prediction).
        labels: (n,) outcomes, 0 or 1.
    """
    counts, _, _ = _age_groups(ages, labels)
    return float(counts.max(axis=1).sum() / counts.sum())


def loss_floor(ages, labels) -> float:
    """The lowest mean cross-entropy any prediction made from age alone can reach on these people.

    The best probability of an outcome at an age is the share of people of that age who had it. So the
    floor is the mean over the n people of ``-log(share of their own outcome at their age)``::

        floor = -(1/n) * sum over people i of log(count of (age_i, label_i) / count of age_i)

    Args:
        ages: (n,) ages; labels: (n,) outcomes, 0 or 1.
    """
    counts, which, labels = _age_groups(ages, labels)
    share = counts[which, labels] / counts[which].sum(axis=1)
    return float(-np.mean(np.log(share)))


def true_probability_loss(ages, labels, *, typical: int = 1000, exceptions: int = 50) -> float:
    """The mean cross-entropy these people get from the drug-trial generator's own probabilities.

    ``drug_trial`` draws, at every age, a person who breaks the rule (younger with side effects, older
    without) with the same chance ``exceptions / (typical + exceptions)``. A model that knew those true
    probabilities would score, on these people::

        mean over people i of -log(p_true(label_i | age_i))

    On a large fresh sample this is also where :func:`loss_floor` ends up; on a small sample the in-sample
    floor is lower, because it memorises the sample's own noise.

    Args:
        ages: (n,) ages in whole years (65 and over count as older).
        labels: (n,) outcomes, 0 or 1.
        typical, exceptions: the generator's counts per age group (``drug_trial``'s defaults: 1000 and 50).
    """
    counts, _, labels = _age_groups(ages, labels)
    ages = np.asarray(ages)
    typical = _validate.whole_number("typical", typical, minimum=1)
    exceptions = _validate.whole_number("exceptions", exceptions)
    breaks = exceptions / (typical + exceptions)
    follows_rule = (ages >= AGE_OLDER) == (labels == 1)
    probability = np.where(follows_rule, 1 - breaks, breaks)
    return float(-np.mean(np.log(probability)))


def is_overfitting(history, tolerance: float = 0.02) -> bool:
    """The over-fitting sign of lesson 10: the validation loss has risen above its minimum while the
    training loss kept falling.

    True when both hold at the last epoch::

        val_loss[last]  > min(val_loss) + tolerance
        loss[last]      < loss[at the epoch of min(val_loss)]

    Args:
        history: a History (or dict) with ``"val_loss"`` (fit with validation_split or validation_data).
        tolerance: how far above its minimum the validation loss must end (epoch-to-epoch noise is smaller).
    """
    logs = as_history(history)
    _require_key(logs, "val_loss")
    tolerance = _validate.positive_number("tolerance", tolerance)
    best = best_epoch(logs, "val_loss") - 1
    val_loss, loss = logs["val_loss"], logs["loss"]
    return bool(val_loss[-1] > val_loss[best] + tolerance and loss[-1] < loss[best])


def plot_metric(history, metric: str = "loss", *, ax=None, title: str | None = None, mark_best: bool = False,
                reference: float | None = None, reference_label: str | None = None) -> Figure:
    """One metric per epoch: the training values, and the validation values (``"val_" + metric``) if any.

    Args:
        history: a History or its dict.
        metric: ``"loss"`` or ``"accuracy"`` (any key of the history without ``val_``).
        ax: the axes to draw on (a new figure when None).
        title: the axes' title (default: the metric's name).
        mark_best: mark the epoch with the best validation value (a dotted vertical line and a dot).
        reference: a value to draw as a dashed horizontal line, e.g. :func:`accuracy_ceiling`.
        reference_label: that line's label.

    Returns:
        the figure. Lines on the axes, in order: ``"training <metric>"`` (x = epochs 1..n, y = the
        history's values), ``"validation <metric>"`` when present, then the reference and the best epoch.
    """
    logs = as_history(history)
    if not isinstance(metric, str) or metric.startswith("val_"):
        raise ValueError(f"metric must be a training metric name such as 'loss' or 'accuracy' (its val_ "
                         f"partner is drawn with it), got {metric!r}")
    _require_key(logs, metric)
    if mark_best:
        _require_key(logs, f"val_{metric}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.6, 3.6))
    else:
        fig = ax.figure
    name = METRIC_NAMES.get(metric, metric)
    epochs = np.arange(1, logs[metric].size + 1)
    marker = "o" if epochs.size <= 40 else None
    ax.plot(epochs, logs[metric], marker=marker, markersize=3, color=TRAINING_COLOUR, label=f"training {name}")
    if f"val_{metric}" in logs:
        ax.plot(epochs, logs[f"val_{metric}"], marker=None if marker is None else "s", markersize=3,
                color=VALIDATION_COLOUR, label=f"validation {name}")          # squares: more than colour
    if reference is not None:
        reference = _validate.real_number("reference", reference)
        ax.axhline(reference, color=REFERENCE_COLOUR, linestyle="--", linewidth=1,
                   label=reference_label or f"{reference:.4f}")
    if mark_best:
        epoch = best_epoch(logs, f"val_{metric}")
        value = logs[f"val_{metric}"][epoch - 1]
        ax.axvline(epoch, color=VALIDATION_COLOUR, linestyle=":", linewidth=1)
        ax.plot([epoch], [value], "o", color="k", markersize=5,
                label=f"best validation {name}: epoch {epoch}, {value:.4f}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(name)
    ax.set_title(title if title is not None else name)
    ax.set_xlim(0.5 if epochs.size <= 40 else 0, epochs[-1] + (0.5 if epochs.size <= 40 else 0))
    if epochs.size <= 20:
        ax.set_xticks(epochs[epochs % 2 == 1] if epochs.size > 10 else epochs)
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    return fig


def training_curves(history, *, accuracy_ceiling: float | None = None, loss_floor: float | None = None,
                    title: str | None = None) -> Figure:
    """Two panels: the loss per epoch (left) and the accuracy per epoch (right), with validation when the
    history has it.

    Args:
        history: a History or its dict; needs ``"loss"`` and ``"accuracy"`` (compile with
            ``metrics=["accuracy"]``).
        accuracy_ceiling: draw this best possible accuracy on the right panel (see :func:`accuracy_ceiling`).
        loss_floor: draw this lowest possible loss on the left panel (see :func:`loss_floor`).
        title: a title over both panels.

    Returns:
        the figure, with two axes as described in :func:`plot_metric`.
    """
    logs = as_history(history)
    _require_key(logs, "accuracy")
    fig, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(11, 3.8))
    plot_metric(logs, "loss", ax=loss_ax, title="loss per epoch", reference=loss_floor,
                reference_label=None if loss_floor is None else f"lowest possible loss {loss_floor:.4f}")
    plot_metric(logs, "accuracy", ax=accuracy_ax, title="accuracy per epoch", reference=accuracy_ceiling,
                reference_label=None if accuracy_ceiling is None
                else f"best possible accuracy {accuracy_ceiling:.4f}")
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def add_reference(ax, value: float, label: str, *, colour: str = REFERENCE_COLOUR, linestyle: str = "--"):
    """Draw ``value`` as a horizontal line across ``ax``, labelled ``label``, and refresh the legend.

    For a second or third reference on a panel that :func:`plot_metric` drew (it draws one).

    Returns:
        the :class:`~matplotlib.lines.Line2D` drawn.
    """
    value = _validate.real_number("value", value)
    if not isinstance(label, str) or not label:
        raise TypeError(f"label must be a non-empty string, got {_validate.describe(label)}")
    line = ax.axhline(value, color=colour, linestyle=linestyle, linewidth=1, label=label)
    ax.legend(fontsize="small", loc="best")
    return line


def compare_runs(runs, *, loss_references=(), accuracy_references=(), mark_epoch: int | None = None,
                 title: str | None = None) -> Figure:
    """Several training runs on one pair of panels: loss per epoch (left), accuracy per epoch (right).

    Args:
        runs: a list of ``(label, history)`` pairs; each history needs ``"loss"`` and ``"accuracy"``, and
            the runs may differ in length. Only training values are drawn.
        loss_references, accuracy_references: lists of ``(value, label)`` pairs drawn as horizontal lines
            (dashed, then dotted, then dash-dotted) on the loss and on the accuracy panel.
        mark_epoch: draw a dotted vertical line at this epoch on both panels (e.g. where a shorter run
            stopped).
        title: a title over both panels.

    Returns:
        the figure. On each axes the lines come in order: one per run (x = epochs 1..n, y = the run's
        values, labelled with the run's label), then the references, then the epoch mark (labelled
        ``"epoch <mark_epoch>"``).
    """
    if isinstance(runs, (str, bytes, dict)) or not hasattr(runs, "__iter__"):
        raise TypeError(f"runs must be a list of (label, history) pairs, got {_validate.describe(runs)}")
    pairs = []
    for run in runs:
        if not (isinstance(run, tuple) and len(run) == 2 and isinstance(run[0], str)):
            raise TypeError(f"runs must be a list of (label, history) pairs, got an item {_validate.describe(run)}")
        logs = as_history(run[1])
        _require_key(logs, "accuracy")
        pairs.append((run[0], logs))
    if not pairs:
        raise ValueError("runs must hold at least one (label, history) pair, got none")
    longest = max(logs["loss"].size for _, logs in pairs)
    if mark_epoch is not None:
        mark_epoch = _validate.whole_number("mark_epoch", mark_epoch, minimum=1)
        if mark_epoch > longest:
            raise ValueError(f"mark_epoch must be between 1 and {longest} (the longest run), got {mark_epoch}")
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    styles = ["--", ":", "-."]
    for ax, metric, references in zip(axes, ["loss", "accuracy"], [loss_references, accuracy_references]):
        # Each run has its own colour and its own marker, so the runs differ by more than colour.
        for (label, logs), marker, colour in zip(pairs, itertools.cycle(RUN_MARKERS), itertools.cycle(palette.CYCLE)):
            epochs = logs[metric].size
            ax.plot(np.arange(1, epochs + 1), logs[metric], linewidth=1.5, marker=marker, markersize=4,
                    markevery=max(1, epochs // 10), color=colour, label=label)
        for index, (value, label) in enumerate(references):
            add_reference(ax, value, label, linestyle=styles[index % len(styles)])
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="k", linestyle=":", linewidth=1, label=f"epoch {mark_epoch}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(METRIC_NAMES[metric])
        ax.set_title(f"{METRIC_NAMES[metric]} per epoch")
        ax.set_xlim(0, longest)
        ax.legend(fontsize="small", loc="best")
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _require_key(logs: dict, key: str) -> None:
    if key not in logs:
        hint = ""
        if key.startswith("val_"):
            hint = "; fit with validation_split=... or validation_data=(x_val, y_val) to get validation values"
        elif key == "accuracy":
            hint = "; compile the model with metrics=['accuracy']"
        raise ValueError(f"history has no {key!r} values, got keys {sorted(logs)}{hint}")



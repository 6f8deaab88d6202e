"""Lessons 01, 03, 04: the course's figures, drawn with matplotlib from the library's own numbers.

Every function builds a new figure, draws on it and returns the :class:`~matplotlib.figure.Figure`, so that a
lesson cell can show it (``plt.show()``) and a test can inspect its artists. Nothing here computes a lesson's
numbers by itself: the losses, slopes and paths come from :mod:`nnbook.losses` and :mod:`nnbook.descent`.

The figures: a tiny network's probabilities as one weight moves (lesson 01), a loss along one weight with a
path of steps (01, 04), true against predicted vector with each squared error (03), the loss bowl with its
tangent, the slope's sign and gradient descent at several learning rates (04).

Colours are the same everywhere: truth grey, prediction and loss blue, tangent orange, new weight green.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.data import PET_CLASSES
from nnbook.descent import W_OPTIMUM, bowl_loss, bowl_slope, gradient_descent
from nnbook.encoding import class_map

TRUTH_COLOUR = "0.6"
PREDICTION_COLOUR = "tab:blue"
TANGENT_COLOUR = "tab:orange"
NEW_W_COLOUR = "tab:green"

#: The weights the bowl is drawn over, unless a point lies outside them.
BOWL_RANGE = (0.0, 1.31)


# ---------------------------------------------------------------------------------------------- lesson 01
def output_probabilities(weights, probabilities, w, class_names: Sequence[str] = ("Cat", "Dog"),
                         *, weight_name: str = "w_cat") -> Figure:
    """A network's output probabilities at one weight (bars) and across a range of that weight (curves).

    Args:
        weights: (m,) increasing values of the weight for the right panel.
        probabilities: (m, k) the network's output at each of ``weights``; each row sums to 1.
        w: the current weight, marked on the right and shown as bars on the left (interpolated from the
            curves, so pass a ``w`` inside ``weights``).
        class_names: the k class names, in output order.
        weight_name: the weight's name for the axis label.

    Returns:
        the figure: left axes with one bar per class (heights = probabilities at ``w``), right axes with one
        line per class over ``weights`` and a vertical line at ``w``.
    """
    weights = _validate.float_array("weights", weights, ndim=1)
    probabilities = _validate.float_array("probabilities", probabilities, ndim=2)
    w = _validate.real_number("w", w)
    names = list(class_map(class_names))   # checked: a list of distinct names
    if probabilities.shape != (weights.size, len(names)):
        raise ValueError(f"probabilities must have shape (len(weights), len(class_names)) = "
                         f"({weights.size}, {len(names)}), got {probabilities.shape}")
    if weights.size < 2 or np.any(np.diff(weights) <= 0):
        raise ValueError("weights must be at least two increasing values")
    if not weights[0] <= w <= weights[-1]:
        raise ValueError(f"w must lie within weights [{weights[0]:g}, {weights[-1]:g}], got {w:g}")
    at_w = np.array([np.interp(w, weights, probabilities[:, j]) for j in range(len(names))])

    fig, (bars_ax, curve_ax) = plt.subplots(1, 2, figsize=(9, 3.4), width_ratios=(1, 1.6))
    colours = [f"C{j}" for j in range(len(names))]
    bars = bars_ax.bar(names, at_w, color=colours, label="probabilities")
    bars_ax.bar_label(bars, labels=[f"{p:.0%}" for p in at_w])
    bars_ax.set_ylim(0, 1.1)
    bars_ax.set_ylabel("probability")
    bars_ax.set_title(f"output at {weight_name} = {w:.4f}")

    for j, name in enumerate(names):
        curve_ax.plot(weights, probabilities[:, j], color=colours[j], label=f"P({name})")
    curve_ax.axvline(w, color="k", linestyle=":", label=f"{weight_name} = {w:.4f}")
    curve_ax.set_ylim(-0.03, 1.03)
    curve_ax.set_xlabel(weight_name)
    curve_ax.set_ylabel("probability")
    curve_ax.set_title(f"the output as {weight_name} moves")
    curve_ax.legend(loc="center left")
    fig.tight_layout()
    return fig


def loss_curve(loss_fn, path=None, *, w_range=None, ax=None, weight_name: str = "W",
               title: str | None = None) -> Figure:
    """A loss as a function of one weight, and optionally the weights a training run visited.

    Args:
        loss_fn: a function of one weight (a float) returning the loss (a number).
        path: (steps + 1,) the weights visited, first to last, e.g. from :func:`nnbook.descent.gradient_descent`.
            Drawn as numbered dots joined by arrows.
        w_range: (low, high) weights to draw the curve over; by default the path's range with a margin.
        ax: the axes to draw on (a new figure when None).
        weight_name: the weight's name for the axis label.
        title: the axes' title.

    Returns:
        the figure. Its first line is the loss curve; the path's dots are the line labelled ``"steps"``.
    """
    _validate.callable_arg("loss_fn", loss_fn)
    path = None if path is None else _validate.float_array("path", path, ndim=1)
    if w_range is None:
        if path is None:
            raise ValueError("give w_range, path or both: the curve needs a range of weights")
        margin = max(0.1, 0.1 * float(np.ptp(path)))
        w_range = (float(path.min()) - margin, float(path.max()) + margin)
    low, high = _validate.float_array("w_range", w_range, ndim=1)
    if not low < high:
        raise ValueError(f"w_range must be (low, high) with low < high, got {tuple(w_range)}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.6))
    else:
        fig = ax.figure
    grid = np.linspace(low, high, 201)
    ax.plot(grid, [_loss_value(loss_fn, w) for w in grid], color=PREDICTION_COLOUR, label="loss")
    if path is not None:
        losses = np.array([_loss_value(loss_fn, w) for w in path])
        ax.plot(path, losses, "o", color="k", markersize=4, label="steps")
        for (w0, l0), (w1, l1) in zip(zip(path[:-1], losses[:-1]), zip(path[1:], losses[1:])):
            ax.annotate("", xy=(w1, l1), xytext=(w0, l0),
                        arrowprops={"arrowstyle": "->", "color": "k", "linewidth": 0.8})
        ax.annotate("start", (path[0], losses[0]), textcoords="offset points", xytext=(-6, -14), ha="right")
    ax.set_xlabel(weight_name)
    ax.set_ylabel("loss")
    if title:
        ax.set_title(title)
    return fig


# ---------------------------------------------------------------------------------------------- lesson 03
def prediction_bars(y_true, y_pred, class_names: Sequence[str] = PET_CLASSES) -> Figure:
    """One sample's true vector beside its predicted vector, each class labelled with its squared error.

    Args:
        y_true: (k,) the true (one-hot) vector.
        y_pred: (k,) the predicted probabilities.
        class_names: the k class names.

    Returns:
        the figure, with two bar containers labelled ``"true y"`` and ``"predicted y'"`` whose heights are
        ``y_true`` and ``y_pred``; the title gives SSE = sum of the squared errors.
    """
    y_true = _validate.float_array("y_true", y_true, ndim=1)
    y_pred = _validate.float_array("y_pred", y_pred, ndim=1)
    _validate.same_shape("y_true", y_true, "y_pred", y_pred)
    names = list(class_map(class_names))   # checked: a list of distinct names
    if len(names) != y_true.size:
        raise ValueError(f"class_names must name each of the {y_true.size} classes, got {names!r}")
    squared = (y_true - y_pred) ** 2

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    positions = np.arange(len(names))
    ax.bar(positions - 0.2, y_true, width=0.4, color=TRUTH_COLOUR, label="true y")
    ax.bar(positions + 0.2, y_pred, width=0.4, color=PREDICTION_COLOUR, label="predicted y'")
    for x, t, p, s in zip(positions, y_true, y_pred, squared):
        ax.annotate(f"({t:g} - {p:.2f})² = {s:.4f}", (x, max(t, p)), textcoords="offset points",
                    xytext=(0, 5), ha="center", fontsize=9)
    ax.set_xticks(positions, names)
    # Head-room above the tallest bar for its label and, above that, the legend.
    ax.set_ylim(0, max(1.0, float(np.max(np.maximum(y_true, y_pred)))) * 1.35)
    ax.set_ylabel("value")
    ax.set_title(f"SSE = {' + '.join(f'{s:.4f}' for s in squared)} = {np.sum(squared):.4f}")
    ax.legend(loc="upper center", ncols=2)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------- lesson 04
def bowl(w: float = 0.38, learning_rate: float | None = None) -> Figure:
    """The lesson bowl L(W) = (W - 0.655)^2 + c, the tangent at ``w`` and, with a learning rate, one step.

    Args:
        w: the current weight.
        learning_rate: when given, the update ``w - learning_rate * slope`` is drawn as a green dot.

    Returns:
        the figure. Its lines are labelled ``"loss"`` (the bowl), ``"tangent, slope ..."`` (its slope is
        ``bowl_slope(w)``)
        and, with a learning rate, ``"new W = ..."`` (a dot at the new weight).
    """
    w = _validate.real_number("w", w)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    _draw_bowl(ax, w)
    if learning_rate is not None:
        learning_rate = _validate.positive_number("learning_rate", learning_rate)
        new_w = w - learning_rate * bowl_slope(w)
        # The new weight's value goes in the legend: beside the point it would collide with the tangent.
        ax.plot([new_w], [bowl_loss(new_w)], "o", color=NEW_W_COLOUR, markersize=7, label=f"new W = {new_w:.4f}")
        ax.annotate("", xy=(new_w, bowl_loss(new_w)), xytext=(w, bowl_loss(w)),
                    arrowprops={"arrowstyle": "->", "color": NEW_W_COLOUR, "linewidth": 1.5})
        ax.set_title(f"W = {w:.4f}, slope {bowl_slope(w):.4f}, learning rate {learning_rate:g}")
    else:
        ax.set_title(f"the loss bowl and its tangent at W = {w:.4f}: slope {bowl_slope(w):.4f}")
    ax.legend(loc="upper center")
    fig.tight_layout()
    return fig


def slope_signs(left: float = 0.38, right: float = 0.93) -> Figure:
    """Two panels: the tangent left of the minimum (negative slope) and right of it (positive slope).

    Each panel's arrow shows the way the update rule moves the weight: against the slope's sign.

    Args:
        left: a weight below W_OPTIMUM.
        right: a weight above W_OPTIMUM.

    Returns:
        the figure with two axes; each holds lines labelled ``"loss"`` and ``"tangent, slope ..."``.
    """
    left, right = _validate.real_number("left", left), _validate.real_number("right", right)
    if not left < W_OPTIMUM:
        raise ValueError(f"left must be below the minimum W_OPTIMUM={W_OPTIMUM}, got {left:g}")
    if not right > W_OPTIMUM:
        raise ValueError(f"right must be above the minimum W_OPTIMUM={W_OPTIMUM}, got {right:g}")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for ax, w in zip(axes, (left, right)):
        slope = bowl_slope(w)
        _draw_bowl(ax, w)
        direction = "increase W" if slope < 0 else "decrease W"
        sign = "negative" if slope < 0 else "positive"
        ax.annotate("", xy=(w - 0.18 * np.sign(slope), bowl_loss(w) + 0.06), xytext=(w, bowl_loss(w) + 0.06),
                    arrowprops={"arrowstyle": "-|>", "color": NEW_W_COLOUR, "linewidth": 2})
        ax.set_title(f"W = {w:.2f}: slope {slope:.2f} is {sign}, so {direction}")
    axes[0].legend(loc="upper center")
    fig.tight_layout()
    return fig


def descent_paths(learning_rates: Sequence[float] = (0.01, 0.3, 1.05), w0: float = 0.38,
                  steps: int = 10) -> Figure:
    """Gradient descent on the lesson bowl, one panel per learning rate.

    Each path comes from ``gradient_descent(bowl_slope, w0, learning_rate, steps)``; each panel's title gives
    the rate and :func:`describe_descent` of its path.

    Returns:
        the figure with one axes per learning rate; in each, the line labelled ``"steps"`` holds the path.
    """
    if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates, Sequence) \
            or not learning_rates:
        raise TypeError(f"learning_rates must be a non-empty list of numbers, got "
                        f"{_validate.describe(learning_rates)}")
    rates = [_validate.positive_number("learning_rates[i]", lr) for lr in learning_rates]
    w0 = _validate.real_number("w0", w0)
    steps = _validate.whole_number("steps", steps, minimum=1)
    fig, axes = plt.subplots(1, len(rates), figsize=(4.2 * len(rates), 3.6), sharey=True, squeeze=False)
    for ax, lr in zip(axes[0], rates):
        path = gradient_descent(bowl_slope, w0, lr, steps, stop_if_diverging=True)
        verdict = describe_descent(path)
        # A diverging path is drawn until it leaves a window 10 times its starting distance wide.
        reach = max(10 * abs(w0 - W_OPTIMUM), 1.0)
        outside = np.flatnonzero(np.abs(path - W_OPTIMUM) > reach)
        if outside.size:
            path = path[:max(int(outside[0]), 2)]
            verdict += f" (drawn for {len(path) - 1} of {steps} steps, then W leaves the picture)"
        low = min(BOWL_RANGE[0], float(path.min()) - 0.05)
        high = max(BOWL_RANGE[1], float(path.max()) + 0.05)
        loss_curve(bowl_loss, path, w_range=(low, high), ax=ax,
                   title=f"learning rate {lr:g}: {verdict}")
        ax.axvline(W_OPTIMUM, color="0.7", linestyle="--", linewidth=1)
        ax.title.set_fontsize(10)
    fig.tight_layout()
    return fig


def describe_descent(path, optimum: float = W_OPTIMUM) -> str:
    """A few words on how a gradient-descent path approaches ``optimum``, judged from the path alone.

    Compares the distance to the optimum at the start and at the end of ``path`` (a (steps + 1,) array):

    - it grew: ``"too large: diverges"``; it stayed the same while crossing: ``"too large: bounces"``;
    - it shrank by less than half: ``"too small: slow"``;
    - it shrank while jumping across the optimum at every step: ``"large: zig-zags in"``;
    - otherwise ``"good: reaches the minimum"``.
    """
    path = _validate.float_array("path", path, ndim=1)
    if path.size < 2:
        raise ValueError(f"path must hold at least two weights (a start and one step), got {path.size}")
    offsets = path - _validate.real_number("optimum", optimum)
    start, end = abs(offsets[0]), abs(offsets[-1])
    if start == 0:
        return "starts at the minimum"
    crosses_every_step = bool(np.all(np.sign(offsets[:-1]) * np.sign(offsets[1:]) < 0))
    if end > start * (1 + 1e-9):
        return "too large: diverges"
    if end >= start * (1 - 1e-9):
        return "too large: bounces" if crosses_every_step else "stuck"
    if end > 0.5 * start:
        return "too small: slow"
    if crosses_every_step:
        return "large: zig-zags in"
    return "good: reaches the minimum"


# ---------------------------------------------------------------------------------------------- helpers
def _draw_bowl(ax, w: float) -> None:
    """The bowl over BOWL_RANGE (widened to hold ``w``), the minimum, the point at ``w`` and its tangent."""
    low, high = min(BOWL_RANGE[0], w - 0.1), max(BOWL_RANGE[1], w + 0.1)
    grid = np.linspace(low, high, 201)
    ax.plot(grid, bowl_loss(grid), color=PREDICTION_COLOUR, label="loss")
    ax.axvline(W_OPTIMUM, color="0.7", linestyle="--", linewidth=1)
    ax.text(W_OPTIMUM, 0.55, f" W_o = {W_OPTIMUM}", transform=ax.get_xaxis_transform(), color="0.4")
    slope, height = bowl_slope(w), bowl_loss(w)
    reach = 0.15
    xs = np.array([w - reach, w + reach])
    # The tangent touches the bowl at (w, L(w)) and rises by the slope per unit of W.
    ax.plot(xs, height + slope * (xs - w), color=TANGENT_COLOUR, linewidth=2,
            label=f"tangent, slope {slope:.2f}")
    ax.plot([w], [height], "o", color="k", markersize=6)
    # Label the point on the side away from the tangent's upper end: right of it on the left wall, left on the right.
    left_wall = w <= W_OPTIMUM
    ax.annotate(f"W = {w:.4f}", (w, height), textcoords="offset points", xytext=(8 if left_wall else -8, 4),
                ha="left" if left_wall else "right")
    ax.set_xlabel("W")
    ax.set_ylabel("loss L(W)")


def _loss_value(loss_fn, w: float) -> float:
    value = loss_fn(float(w))
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    return _validate.real_number("loss_fn(w)", value)





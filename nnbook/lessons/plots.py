"""Lessons 01, 03, 04: the course's figures, drawn with matplotlib from the library's own numbers.

Each figure is a small *picture* class: its ``__init__`` draws the figure for one state and its ``update(...)``
moves the same artists to another state (see :mod:`nnbook.lessons._explorer`). The figure functions a lesson
cell calls (``bowl``, ``prediction_bars``, ...) draw one picture and return its
:class:`~matplotlib.figure.Figure`, so that the cell can show it (``plt.show()``) and a test can inspect its
artists; the widgets of :mod:`nnbook.lessons.widgets` keep the picture and move it as a slider moves. Nothing
here computes a lesson's numbers by itself: the losses, slopes and paths come from :mod:`nnbook.losses` and
:mod:`nnbook.descent`.

The figures: a tiny network's probabilities as one weight moves (lesson 01), a loss along one weight with a
path of steps (01, 04), true against predicted vector with each squared error (03), the loss bowl with its
tangent, the slope's sign and gradient descent at several learning rates (04).

Colours are the same everywhere: truth grey, prediction and loss blue, tangent orange, new weight green.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.data import PET_CLASSES
from nnbook.descent import W_OPTIMUM, bowl_loss, bowl_slope, gradient_descent
from nnbook.encoding import class_map
from nnbook.lessons import palette
from nnbook.lessons._explorer import Picture, new_figure, set_legend_texts
from nnbook.lessons.alt import number, set_alt

TRUTH_COLOUR = "0.6"
PREDICTION_COLOUR = palette.BLUE
TANGENT_COLOUR = palette.ORANGE
NEW_W_COLOUR = palette.BLUISH_GREEN

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
    return ProbabilityPicture(weights, probabilities, w, class_names, weight_name=weight_name).figure


class ProbabilityPicture(Picture):
    """:func:`output_probabilities` as a picture; ``update(w)`` moves the bars and the marker to another weight."""

    def __init__(self, weights, probabilities, w, class_names: Sequence[str] = ("Cat", "Dog"), *,
                 weight_name: str = "w_cat", live: bool = False):
        weights = _validate.float_array("weights", weights, ndim=1)
        probabilities = _validate.float_array("probabilities", probabilities, ndim=2)
        names = list(class_map(class_names))   # checked: a list of distinct names
        if probabilities.shape != (weights.size, len(names)):
            raise ValueError(f"probabilities must have shape (len(weights), len(class_names)) = "
                             f"({weights.size}, {len(names)}), got {probabilities.shape}")
        if weights.size < 2 or np.any(np.diff(weights) <= 0):
            raise ValueError("weights must be at least two increasing values")
        self.weights, self.probabilities, self.weight_name = weights, probabilities, weight_name
        w, at_w = self._at(w)

        self.figure, (bars_ax, self.curve_ax) = new_figure((9, 3.4), live=live, ncols=2, width_ratios=(1, 1.6))
        colours = [palette.CYCLE[j % len(palette.CYCLE)] for j in range(len(names))]
        self.bars = bars_ax.bar(names, at_w, color=colours, label="probabilities")
        self.bar_labels = bars_ax.bar_label(self.bars, labels=[f"{p:.0%}" for p in at_w])
        bars_ax.set_ylim(0, 1.1)
        bars_ax.set_ylabel("probability")
        self.bars_title = bars_ax.set_title(f"output at {weight_name} = {w:.4f}")

        for j, name in enumerate(names):
            self.curve_ax.plot(weights, probabilities[:, j], color=colours[j], label=f"P({name})")
        self.marker = self.curve_ax.axvline(w, color="k", linestyle=":", label=f"{weight_name} = {w:.4f}")
        self.curve_ax.set_ylim(-0.03, 1.03)
        self.curve_ax.set_xlabel(weight_name)
        self.curve_ax.set_ylabel("probability")
        self.curve_ax.set_title(f"the output as {weight_name} moves")
        self.curve_ax.legend(loc="center left")
        self.names, self.w = names, w
        set_alt(self.figure, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The picture in words, with the probabilities at the current weight."""
        w, at_w = self._at(self.w)
        said = ", ".join(f"P({name}) {p:.0%}" for name, p in zip(self.names, at_w))
        return (f"The network's output at {self.weight_name} = {w:.4f}: {said}. Beside it, each probability as "
                f"{self.weight_name} goes from {number(self.weights[0])} to {number(self.weights[-1])}.")

    def _at(self, w) -> tuple[float, np.ndarray]:
        """The checked weight and the probabilities there, interpolated between the curves' points."""
        w = _validate.real_number("w", w)
        if not self.weights[0] <= w <= self.weights[-1]:
            raise ValueError(f"w must lie within weights [{self.weights[0]:g}, {self.weights[-1]:g}], got {w:g}")
        return w, np.array([np.interp(w, self.weights, column) for column in self.probabilities.T])

    def moving(self) -> list:
        return [*self.bars, *self.bar_labels, self.bars_title, self.marker, self.curve_ax.get_legend()]

    def update(self, w) -> None:
        """Show the output at weight ``w`` (within the curves' weights)."""
        w, at_w = self._at(w)
        self.w = w
        for bar, label, p in zip(self.bars, self.bar_labels, at_w):
            bar.set_height(p)
            label.xy = (bar.get_x() + bar.get_width() / 2, p)   # bar_label's place: the middle of the bar's top
            label.set_text(f"{p:.0%}")
        self.bars_title.set_text(f"output at {self.weight_name} = {w:.4f}")
        self.marker.set_xdata([w, w])
        self.marker.set_label(f"{self.weight_name} = {w:.4f}")
        set_legend_texts(self.curve_ax, [line.get_label() for line in self.curve_ax.get_lines()])


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
    return LossCurvePicture(loss_fn, path, w_range=w_range, ax=ax, weight_name=weight_name, title=title).figure


class LossCurvePicture(Picture):
    """:func:`loss_curve` as a picture; ``update(path, w_range, title)`` redraws the curve and the path in place.

    The arrows between steps are kept and reused: a longer path adds arrows, a shorter one hides the rest.
    """

    def __init__(self, loss_fn, path=None, *, w_range=None, ax=None, weight_name: str = "W",
                 title: str | None = None, live: bool = False):
        _validate.callable_arg("loss_fn", loss_fn)
        self.loss_fn, self.weight_name, self.path = loss_fn, weight_name, None
        path, (low, high) = self._checked(path, w_range)
        if ax is None:
            self.figure, ax = new_figure((6, 3.6), live=live)
        else:
            self.figure = ax.figure
        self.ax = ax
        grid = np.linspace(low, high, 201)
        self.curve, = ax.plot(grid, [_loss_value(loss_fn, w) for w in grid], color=PREDICTION_COLOUR, label="loss")
        self.steps, self.arrows, self.start = None, [], None
        if path is not None:
            self._draw_path(path)
        ax.set_xlabel(weight_name)
        ax.set_ylabel("loss")
        if title:
            ax.set_title(title)
        set_alt(ax, self.alt)

    def alt(self) -> str:
        """The axes in words: the curve's lowest point and, with a path, where the steps start and end."""
        ws, losses = (np.asarray(v, dtype=float) for v in self.curve.get_data())
        low = int(np.argmin(losses))
        name = self.weight_name
        text = (f"{self.ax.get_title() + ': ' if self.ax.get_title() else ''}the loss as {name} goes from "
                f"{number(ws[0])} to {number(ws[-1])}, lowest {number(losses[low])} at {name} = {number(ws[low])}")
        if self.path is not None:
            path = self.path
            text += (f"; {len(path) - 1} steps from {name} = {number(path[0])} (loss "
                     f"{number(_loss_value(self.loss_fn, path[0]))}) to {name} = {number(path[-1])} (loss "
                     f"{number(_loss_value(self.loss_fn, path[-1]))})")
        return text

    def _checked(self, path, w_range):
        path = None if path is None else _validate.float_array("path", path, ndim=1)
        if w_range is None:
            if path is None:
                raise ValueError("give w_range, path or both: the curve needs a range of weights")
            margin = max(0.1, 0.1 * float(np.ptp(path)))
            w_range = (float(path.min()) - margin, float(path.max()) + margin)
        low, high = _validate.float_array("w_range", w_range, ndim=1)
        if not low < high:
            raise ValueError(f"w_range must be (low, high) with low < high, got {tuple(w_range)}")
        return path, (low, high)

    def _draw_path(self, path) -> None:
        """Dots at the path's weights on the curve, an arrow from each to the next, "start" at the first."""
        losses = np.array([_loss_value(self.loss_fn, w) for w in path])
        self.path = path
        if self.steps is None:
            self.steps, = self.ax.plot(path, losses, "o", color="k", markersize=4, label="steps")
        else:
            self.steps.set_data(path, losses)
        pairs = list(zip(zip(path[:-1], losses[:-1]), zip(path[1:], losses[1:])))
        for arrow, ((w0, l0), (w1, l1)) in zip(self.arrows, pairs):
            arrow.xy = (w1, l1)
            arrow.set_position((w0, l0))
        if len(pairs) > len(self.arrows):
            # A longer path than ever: add arrows, twice as many as there were (a drag up the steps slider
            # then adds arrows, which forces a full redraw, only now and then).
            wanted = len(pairs) if not self.arrows else max(len(pairs), 2 * len(self.arrows))
            for k in range(len(self.arrows), wanted):
                (w0, l0), (w1, l1) = pairs[min(k, len(pairs) - 1)]
                self.arrows.append(self.ax.annotate("", xy=(w1, l1), xytext=(w0, l0),
                                                    arrowprops={"arrowstyle": "->", "color": "k", "linewidth": 0.8}))
        for k, arrow in enumerate(self.arrows):
            arrow.set_visible(k < len(pairs))
        if self.start is None:
            self.start = self.ax.annotate("start", (path[0], losses[0]), textcoords="offset points",
                                          xytext=(-6, -14), ha="right")
        else:
            self.start.xy = (path[0], losses[0])

    def moving(self) -> list:
        return [artist for artist in (self.curve, self.steps, *self.arrows, self.start, self.ax.title)
                if artist is not None]

    def update(self, path, w_range=None, title: str | None = None) -> None:
        """Draw another path (and the curve over ``w_range``, by default the path's range with a margin)."""
        path, (low, high) = self._checked(path, w_range)
        grid = np.linspace(low, high, 201)
        self.curve.set_data(grid, [_loss_value(self.loss_fn, w) for w in grid])
        if path is not None:
            self._draw_path(path)
        if title is not None:
            self.ax.title.set_text(title)
        self.ax.relim()
        self.ax.autoscale_view()


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
    return PredictionBarsPicture(y_true, y_pred, class_names).figure


class PredictionBarsPicture(Picture):
    """:func:`prediction_bars` as a picture; ``update(y_pred)`` moves the predicted bars, their labels and the SSE."""

    def __init__(self, y_true, y_pred, class_names: Sequence[str] = PET_CLASSES, *, live: bool = False):
        self.y_true = _validate.float_array("y_true", y_true, ndim=1)
        y_pred = self._checked(y_pred)
        names = list(class_map(class_names))   # checked: a list of distinct names
        if len(names) != self.y_true.size:
            raise ValueError(f"class_names must name each of the {self.y_true.size} classes, got {names!r}")

        self.figure, self.ax = new_figure((6.4, 3.6), live=live)
        positions = np.arange(len(names))
        self.ax.bar(positions - 0.2, self.y_true, width=0.4, color=TRUTH_COLOUR, label="true y")
        self.predicted = self.ax.bar(positions + 0.2, y_pred, width=0.4, color=PREDICTION_COLOUR,
                                     label="predicted y'")
        self.labels = [self.ax.annotate("", (x, 0.0), textcoords="offset points", xytext=(0, 5), ha="center",
                                        fontsize=9) for x in positions]
        self.ax.set_xticks(positions, names)
        self.ax.set_ylabel("value")
        self._show(y_pred)
        self.ax.legend(loc="upper center", ncols=2)
        self.names = names
        set_alt(self.figure, self.alt)
        self.figure.tight_layout()

    def alt(self) -> str:
        """The picture in words: both vectors, each squared error and their sum."""
        squared = (self.y_true - self.y_pred) ** 2
        truth = ", ".join(f"{name} {t:g}" for name, t in zip(self.names, self.y_true))
        predicted = ", ".join(f"{name} {p:.2f}" for name, p in zip(self.names, self.y_pred))
        return (f"Bars of the true vector ({truth}) beside the predicted one ({predicted}). Squared errors "
                f"{' + '.join(f'{e:.4f}' for e in squared)}, so SSE = {np.sum(squared):.4f}.")

    def _checked(self, y_pred) -> np.ndarray:
        y_pred = _validate.float_array("y_pred", y_pred, ndim=1)
        _validate.same_shape("y_true", self.y_true, "y_pred", y_pred)
        return y_pred

    def _show(self, y_pred) -> None:
        self.y_pred = y_pred
        squared = (self.y_true - y_pred) ** 2
        for label, bar, t, p, s in zip(self.labels, self.predicted, self.y_true, y_pred, squared):
            bar.set_height(p)
            label.xy = (label.xy[0], max(t, p))
            label.set_text(f"({t:g} - {p:.2f})² = {s:.4f}")
        # Head-room above the tallest bar for its label and, above that, the legend.
        self.ax.set_ylim(0, max(1.0, float(np.max(np.maximum(self.y_true, y_pred)))) * 1.35)
        self.ax.set_title(f"SSE = {' + '.join(f'{s:.4f}' for s in squared)} = {np.sum(squared):.4f}")

    def moving(self) -> list:
        return [*self.predicted, *self.labels, self.ax.title]

    def update(self, y_pred) -> None:
        """Show another prediction against the same truth."""
        self._show(self._checked(y_pred))


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
    return BowlPicture(w, learning_rate).figure


class BowlPicture(Picture):
    """:func:`bowl` as a picture; ``update(w, learning_rate)`` moves the tangent, the point and the step.

    A picture drawn with a learning rate is updated with one, and one drawn without, without.
    """

    def __init__(self, w: float = 0.38, learning_rate: float | None = None, *, live: bool = False, limits=None):
        w = _validate.real_number("w", w)
        self.stepping, self.limits = learning_rate is not None, limits
        self.figure, self.ax = new_figure((6.4, 3.8), live=live)
        self.bowl = _BowlArtists(self.ax, w, None if limits is None else limits[0])
        if self.stepping:
            learning_rate = _validate.positive_number("learning_rate", learning_rate)
            new_w = w - learning_rate * bowl_slope(w)
            # The new weight's value goes in the legend: beside the point it would collide with the tangent.
            self.new_w, = self.ax.plot([new_w], [bowl_loss(new_w)], "o", color=NEW_W_COLOUR, markersize=7,
                                       label=f"new W = {new_w:.4f}")
            self.step = self.ax.annotate("", xy=(new_w, bowl_loss(new_w)), xytext=(w, bowl_loss(w)),
                                         arrowprops={"arrowstyle": "->", "color": NEW_W_COLOUR, "linewidth": 1.5})
        self.ax.set_title(self._title(w, learning_rate))
        self.ax.legend(loc="upper center")
        self.w, self.learning_rate = w, learning_rate
        set_alt(self.figure, self.alt)
        if limits is not None:
            self.ax.set_xlim(*limits[0])
            self.ax.set_ylim(*limits[1])
        self.figure.tight_layout()

    def _title(self, w: float, learning_rate: float | None) -> str:
        if learning_rate is None:
            return f"the loss bowl and its tangent at W = {w:.4f}: slope {bowl_slope(w):.4f}"
        return f"W = {w:.4f}, slope {bowl_slope(w):.4f}, learning rate {learning_rate:g}"

    def alt(self) -> str:
        """The picture in words: the weight, the slope there and, with a learning rate, the step."""
        text = (f"The loss bowl L(W), lowest at W = {W_OPTIMUM}. At W = {self.w:.4f} its tangent has slope "
                f"{bowl_slope(self.w):.4f}")
        if self.stepping:
            new_w = self.w - self.learning_rate * bowl_slope(self.w)
            text += (f"; one step with learning rate {self.learning_rate:g} moves W to {new_w:.4f}, where the loss "
                     f"is {bowl_loss(new_w):.4f} instead of {bowl_loss(self.w):.4f}")
        return text + "."

    def moving(self) -> list:
        step = [self.new_w, self.step] if self.stepping else []
        return [*self.bowl.moving(), *step, self.ax.title, self.ax.get_legend()]

    def update(self, w: float, learning_rate: float | None = None) -> None:
        """Move to weight ``w`` (and, for a picture with a step, the step at ``learning_rate``)."""
        w = _validate.real_number("w", w)
        if self.stepping != (learning_rate is not None):
            raise ValueError("learning_rate must be given exactly when the picture was drawn with one, "
                             f"got {learning_rate!r}")
        if self.stepping:
            learning_rate = _validate.positive_number("learning_rate", learning_rate)
        self.bowl.update(w)
        if self.stepping:
            new_w = w - learning_rate * bowl_slope(w)
            self.new_w.set_data([new_w], [bowl_loss(new_w)])
            self.new_w.set_label(f"new W = {new_w:.4f}")
            self.step.xy = (new_w, bowl_loss(new_w))
            self.step.set_position((w, bowl_loss(w)))
        self.ax.title.set_text(self._title(w, learning_rate))
        self.w, self.learning_rate = w, learning_rate
        set_legend_texts(self.ax, [line.get_label() for line in self.ax.get_lines()
                                   if not line.get_label().startswith("_")])
        if self.limits is None:
            self.ax.relim()
            self.ax.autoscale_view()


def bowl_limits(w_range=(0.0, 1.3), max_learning_rate: float | None = None) -> tuple:
    """Axes limits that hold :class:`BowlPicture` for every ``w`` in ``w_range`` and, with a learning rate, every
    step up to ``max_learning_rate``: the bowl, the tangent and the new weight, with matplotlib's 5% margins.

    A live picture drawn with these limits never rescales as its slider moves.

    Returns:
        ``((w_low, w_high), (loss_low, loss_high))``.
    """
    low, high = _validate.float_array("w_range", w_range, ndim=1)
    if not low < high:
        raise ValueError(f"w_range must be (low, high) with low < high, got {tuple(w_range)}")
    ws = np.linspace(low, high, 261)
    slopes = bowl_slope(ws)
    xs = [np.array(BOWL_RANGE), ws - 0.15, ws + 0.15]                      # the bowl's range, the tangent's ends
    ys = [bowl_loss(ws) - 0.15 * np.abs(slopes), bowl_loss(ws) + 0.15 * np.abs(slopes)]
    if max_learning_rate is not None:
        new_ws = ws - _validate.positive_number("max_learning_rate", max_learning_rate) * slopes
        xs.append(new_ws)                      # a smaller rate's step lies between W and this one
        ys.append(bowl_loss(new_ws))
    x_low, x_high = min(x.min() for x in xs), max(x.max() for x in xs)
    curve = bowl_loss(np.linspace(x_low, x_high, 201))
    y_low, y_high = min(curve.min(), *(y.min() for y in ys)), max(curve.max(), *(y.max() for y in ys))
    x_margin, y_margin = 0.05 * (x_high - x_low), 0.05 * (y_high - y_low)
    return (float(x_low - x_margin), float(x_high + x_margin)), (float(y_low - y_margin), float(y_high + y_margin))


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
    fig, axes = new_figure((10, 3.8), ncols=2, sharey=True)
    said = []
    for ax, w in zip(axes, (left, right)):
        slope = bowl_slope(w)
        _BowlArtists(ax, w)
        direction = "increase W" if slope < 0 else "decrease W"
        sign = "negative" if slope < 0 else "positive"
        ax.annotate("", xy=(w - 0.18 * np.sign(slope), bowl_loss(w) + 0.06), xytext=(w, bowl_loss(w) + 0.06),
                    arrowprops={"arrowstyle": "-|>", "color": NEW_W_COLOUR, "linewidth": 2})
        ax.set_title(f"W = {w:.2f}: slope {slope:.2f} is {sign}, so {direction}")
        said.append(f"at W = {w:.2f} the slope is {slope:.2f}, {sign}, so the update moves W "
                    f"{'up' if slope < 0 else 'down'}")
    set_alt(fig, f"Two views of the loss bowl, lowest at W = {W_OPTIMUM}, each with a tangent: "
                 f"{'; '.join(said)}, towards the minimum.")
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
    return DescentPathsPicture(learning_rates, w0, steps).figure


class DescentPathsPicture(Picture):
    """:func:`descent_paths` as a picture; ``update(learning_rates, steps)`` redraws each panel's path in place
    (as many rates as panels)."""

    def __init__(self, learning_rates: Sequence[float] = (0.01, 0.3, 1.05), w0: float = 0.38, steps: int = 10,
                 *, live: bool = False):
        rates, steps = self._checked(learning_rates, steps)
        self.w0 = _validate.real_number("w0", w0)
        self.figure, axes = new_figure((4.2 * len(rates), 3.6), live=live, ncols=len(rates), sharey=True,
                                       squeeze=False)
        self.axes, self.curves = list(axes[0]), []
        for ax, lr in zip(self.axes, rates):
            path, w_range, title = self._panel(lr, steps)
            self.curves.append(LossCurvePicture(bowl_loss, path, w_range=w_range, ax=ax, title=title))
            ax.axvline(W_OPTIMUM, color="0.7", linestyle="--", linewidth=1)
            ax.title.set_fontsize(10)
        self.figure.tight_layout()

    @staticmethod
    def _checked(learning_rates, steps) -> tuple[list[float], int]:
        if isinstance(learning_rates, (str, bytes)) or not isinstance(learning_rates, Sequence) \
                or not learning_rates:
            raise TypeError(f"learning_rates must be a non-empty list of numbers, got "
                            f"{_validate.describe(learning_rates)}")
        rates = [_validate.positive_number("learning_rates[i]", lr) for lr in learning_rates]
        return rates, _validate.whole_number("steps", steps, minimum=1)

    def _panel(self, lr: float, steps: int) -> tuple[np.ndarray, tuple[float, float], str]:
        """One panel's path (cut where a diverging one leaves the picture), its weights' range and title."""
        path = gradient_descent(bowl_slope, self.w0, lr, steps, stop_if_diverging=True)
        verdict = describe_descent(path)
        # A diverging path is drawn until it leaves a window 10 times its starting distance wide.
        reach = max(10 * abs(self.w0 - W_OPTIMUM), 1.0)
        outside = np.flatnonzero(np.abs(path - W_OPTIMUM) > reach)
        if outside.size:
            path = path[:max(int(outside[0]), 2)]
            verdict += f" (drawn for {len(path) - 1} of {steps} steps, then W leaves the picture)"
        low = min(BOWL_RANGE[0], float(path.min()) - 0.05)
        high = max(BOWL_RANGE[1], float(path.max()) + 0.05)
        return path, (low, high), f"learning rate {lr:g}: {verdict}"

    def moving(self) -> list:
        return [artist for curve in self.curves for artist in curve.moving()]

    def update(self, learning_rates: Sequence[float], steps: int) -> None:
        """Draw the paths for these learning rates (one per panel) and this number of steps."""
        rates, steps = self._checked(learning_rates, steps)
        if len(rates) != len(self.axes):
            raise ValueError(f"learning_rates must hold one rate per panel, {len(self.axes)}, got {len(rates)}")
        for curve, lr in zip(self.curves, rates):
            path, w_range, title = self._panel(lr, steps)
            curve.update(path, w_range, title)
        for ax in self.axes:       # the panels share their loss axis: scale it to all the paths
            ax.autoscale_view()


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
class _BowlArtists:
    """The bowl over BOWL_RANGE (widened to hold ``w``; or over ``span`` when given), the minimum, the point at
    ``w`` and its tangent, drawn on ``ax``; ``update(w)`` moves them to another weight."""

    def __init__(self, ax, w: float, span=None):
        self.ax, self.span = ax, span
        self.curve, = ax.plot(*self._curve(w), color=PREDICTION_COLOUR, label="loss")
        ax.axvline(W_OPTIMUM, color="0.7", linestyle="--", linewidth=1)
        ax.text(W_OPTIMUM, 0.55, f" W_o = {W_OPTIMUM}", transform=ax.get_xaxis_transform(), color="0.4")
        xs, ys, slope = self._tangent(w)
        self.tangent, = ax.plot(xs, ys, color=TANGENT_COLOUR, linewidth=2, label=f"tangent, slope {slope:.2f}")
        self.point, = ax.plot([w], [bowl_loss(w)], "o", color="k", markersize=6)
        self.label = ax.annotate(f"W = {w:.4f}", (w, bowl_loss(w)), textcoords="offset points", xytext=(0, 0))
        self._place_label(w)
        ax.set_xlabel("W")
        ax.set_ylabel("loss L(W)")

    def _curve(self, w: float) -> tuple[np.ndarray, np.ndarray]:
        low, high = self.span or (min(BOWL_RANGE[0], w - 0.1), max(BOWL_RANGE[1], w + 0.1))
        grid = np.linspace(low, high, 201)
        return grid, bowl_loss(grid)

    @staticmethod
    def _tangent(w: float) -> tuple[np.ndarray, np.ndarray, float]:
        # The tangent touches the bowl at (w, L(w)) and rises by the slope per unit of W.
        slope, reach = bowl_slope(w), 0.15
        xs = np.array([w - reach, w + reach])
        return xs, bowl_loss(w) + slope * (xs - w), slope

    def _place_label(self, w: float) -> None:
        # Label the point on the side away from the tangent's upper end: right of it on the left wall, left on
        # the right.
        left_wall = w <= W_OPTIMUM
        self.label.set_position((8 if left_wall else -8, 4))
        self.label.set_horizontalalignment("left" if left_wall else "right")

    def moving(self) -> list:
        return [self.curve, self.tangent, self.point, self.label]

    def update(self, w: float) -> None:
        self.curve.set_data(*self._curve(w))
        xs, ys, slope = self._tangent(w)
        self.tangent.set_data(xs, ys)
        self.tangent.set_label(f"tangent, slope {slope:.2f}")
        self.point.set_data([w], [bowl_loss(w)])
        self.label.xy = (w, bowl_loss(w))
        self.label.set_text(f"W = {w:.4f}")
        self._place_label(w)


def _loss_value(loss_fn, w: float) -> float:
    value = loss_fn(float(w))
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    return _validate.real_number("loss_fn(w)", value)

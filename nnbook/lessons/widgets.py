"""Lessons 00-04: the interactive parts, plain functions that do the work and small widgets wired to them.

Each explorer has two halves:

- a *report* function (``sse_report``, ``update_report``, ...) that takes plain numbers and returns the text
  the learner sees. Tests call these directly; the library's own functions compute every number in them.
- an *explorer* function (``sse_explorer``, ``update_explorer``, ...) that builds ipywidgets controls and wires
  them, with the report, to a picture from :mod:`nnbook.lessons.plots` that is drawn once and then moved in
  place as the controls move (the pattern of :mod:`nnbook.lessons._explorer`). That is all it does.

Every explorer returns an :class:`Explorer`, an ``ipywidgets.VBox`` laid out the same way, so a test can
drive it without a browser (set a control's ``.value``; the observers run at once)::

    box.children[0]    the controls (an HBox or VBox of sliders / buttons)
    box.children[1]    the readout: an HTML widget holding the report's text in <pre>
    box.children[2]    the picture: an Image widget holding the figure as PNG bytes (absent if no figure)

Sliders update while they are dragged (``continuous_update=True``): each new value redraws the same figure
and sends one PNG. When the kernel is busy the browser sends only the latest value, so the last position is
always the one drawn.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.activations import softmax
from nnbook.data import PET_CLASSES
from nnbook.descent import W_OPTIMUM, bowl_slope, gradient_descent, update_weight
from nnbook.encoding import encode, one_hot
from nnbook.lessons import plots
from nnbook.lessons._explorer import Explorer
from nnbook.losses import sse

#: Lesson 01's tiny network: the cat weight at which it answers 75% cat, 25% dog. Softmax turns a score
#: gap of ln 3 into odds of e^(ln 3) = 3 to 1, that is 3/4 and 1/4.
TINY_NET_W_CAT = math.log(3)
#: The rest of the tiny network: its dog weight and the one input feature of the cat picture.
TINY_NET_W_DOG = 0.0
TINY_NET_X = 1.0
#: The range the tiny network's weight slider (and lesson 01's curves) cover.
TINY_NET_RANGE = (-3.0, 3.0)

#: Learning rates offered by the lesson-04 explorers, from the usual 0.0001 to too large for the bowl.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.05)


# ---------------------------------------------------------------------------------------------- lesson 00
def square_text(n) -> str:
    """The text of lesson 00's first widget: ``"5 x 5 = 25"``."""
    n = _validate.whole_number("n", n, minimum=-10**6)
    return f"{n} x {n} = {n * n}"


def hello_slider(n: int = 5) -> widgets.VBox:
    """Lesson 00's first widget: a slider and a line of text that follows it."""
    slider = widgets.IntSlider(value=n, min=0, max=12, description="n", continuous_update=True)
    return Explorer([slider], lambda: square_text(slider.value))


# ---------------------------------------------------------------------------------------------- lesson 01
def tiny_net(w_cat, w_dog=TINY_NET_W_DOG, x=TINY_NET_X) -> np.ndarray:
    """Lesson 01's network: one input, two output neurons (cat, dog), softmax. No hidden layer, no bias.

    ``scores = x @ W`` with the kernel ``W = [[w_cat, w_dog]]`` of shape (1, 2), then
    ``P = exp(scores) / sum(exp(scores))``.

    Args:
        w_cat: the cat neuron's weight: a float, or an (m,) array to evaluate m versions of the network.
        w_dog: the dog neuron's weight.
        x: the picture's one input feature.

    Returns:
        (2,) the probabilities (P(cat), P(dog)) for a float ``w_cat``; (m, 2) for an array.
    """
    w_cat_array = _validate.float_array("w_cat", w_cat, ndim=(0, 1))
    w_dog = _validate.real_number("w_dog", w_dog)
    x = _validate.real_number("x", x)
    scores = np.stack([x * w_cat_array, np.full_like(w_cat_array, x * w_dog)], axis=-1)
    # The network's output layer is a softmax, the same one every nnbook model uses (rows are samples).
    return softmax(scores.reshape(-1, 2)).reshape(scores.shape)


def tiny_net_report(w_cat) -> str:
    """The tiny network's forward pass as text: the two scores, then the two probabilities."""
    w_cat = _validate.real_number("w_cat", w_cat)
    p_cat, p_dog = tiny_net(w_cat)
    return (f"score(cat) = w_cat x x = {w_cat:.4f} x {TINY_NET_X:g} = {w_cat * TINY_NET_X:.4f}\n"
            f"score(dog) = w_dog x x = {TINY_NET_W_DOG:.4f} x {TINY_NET_X:g} = {TINY_NET_W_DOG * TINY_NET_X:.4f}\n"
            f"softmax:     P(cat) = {p_cat:.2%}   P(dog) = {p_dog:.2%}")


def tiny_net_figure(w_cat) -> Figure:
    """:func:`nnbook.lessons.plots.output_probabilities` for the tiny network at ``w_cat``, over TINY_NET_RANGE."""
    return _tiny_net_picture(w_cat).figure


def _tiny_net_picture(w_cat, *, live: bool = False) -> plots.ProbabilityPicture:
    """The tiny network's probabilities over TINY_NET_RANGE (widened to hold ``w_cat``), marked at ``w_cat``."""
    w_cat = _validate.real_number("w_cat", w_cat)
    low, high = min(TINY_NET_RANGE[0], w_cat), max(TINY_NET_RANGE[1], w_cat)
    weights = np.linspace(low, high, 241)
    return plots.ProbabilityPicture(weights, tiny_net(weights), w_cat, ("Cat", "Dog"), live=live)


def tiny_net_explorer(w_cat: float = TINY_NET_W_CAT) -> Explorer:
    """Slide the tiny network's cat weight and watch its two output probabilities."""
    w_cat = _validate.real_number("w_cat", w_cat)
    slider = widgets.FloatSlider(value=w_cat, min=TINY_NET_RANGE[0], max=TINY_NET_RANGE[1], step=0.01,
                                 description="w_cat", readout_format=".2f", continuous_update=True)
    picture = _tiny_net_picture(slider.value, live=True)     # the slider keeps its value within the range
    return Explorer([slider], lambda: tiny_net_report(slider.value), picture, lambda: picture.update(slider.value))


# ---------------------------------------------------------------------------------------------- lesson 02
def one_hot_report(class_name: str, class_names: Sequence[str] = PET_CLASSES) -> str:
    """One class name through the class map to its integer label and its one-hot vector, as text.

    >>> print(one_hot_report("Dog"))
    Dog -> integer label 1 -> one-hot vector (0, 1, 0)
    """
    label = int(encode([class_name], class_names)[0])
    vector = one_hot([label], len(class_names))[0]
    return f"{class_name} -> integer label {label} -> one-hot vector ({', '.join(f'{v:g}' for v in vector)})"


def one_hot_explorer(class_name: str = "Cat", class_names: Sequence[str] = PET_CLASSES) -> Explorer:
    """Pick a class with a button, see its integer label and one-hot vector."""
    one_hot_report(class_name, class_names)  # checks the arguments before any widget is made
    buttons = widgets.ToggleButtons(options=list(class_names), value=class_name, description="class")
    return Explorer([buttons], lambda: one_hot_report(buttons.value, class_names))


# ---------------------------------------------------------------------------------------------- lesson 03
def sse_report(y_pred, y_true=(1.0, 0.0, 0.0)) -> str:
    """The SSE of one prediction as the lesson writes it: one squared error per class, then their sum.

    The total comes from :func:`nnbook.losses.sse`. A last line says whether ``y_pred`` sums to 1, as
    probabilities from a softmax output always do.
    """
    y_true_array = _validate.float_array("y_true", y_true, ndim=1)
    y_pred_array = _validate.float_array("y_pred", y_pred, ndim=1)
    total = sse(y_true_array, y_pred_array)
    lines = [f"({t:g} - {p:.2f})^2 = {(t - p) ** 2:.4f}" for t, p in zip(y_true_array, y_pred_array)]
    lines.append(f"SSE = {' + '.join(f'{(t - p) ** 2:.4f}' for t, p in zip(y_true_array, y_pred_array))}"
                 f" = {total:.4f}")
    summed = float(np.sum(y_pred_array))
    if math.isclose(summed, 1.0, abs_tol=5e-3):
        lines.append(f"the predictions sum to {summed:.2f}, as probabilities should")
    else:
        lines.append(f"the predictions sum to {summed:.2f}, not 1: probabilities from a network's softmax "
                     f"output always sum to 1, so no network would give this prediction")
    return "\n".join(lines)


def sse_explorer(y_pred=(0.37, 0.50, 0.13), y_true=(1.0, 0.0, 0.0),
                 class_names: Sequence[str] = PET_CLASSES) -> Explorer:
    """Three sliders for the predicted probabilities; shows the squared errors, the SSE and the bars."""
    sse_report(y_pred, y_true)  # checks the arguments before any widget is made
    y_true = tuple(float(t) for t in y_true)
    sliders = [widgets.FloatSlider(value=float(p), min=0.0, max=1.0, step=0.01, description=f"P({name})",
                                   readout_format=".2f", continuous_update=True)
               for p, name in zip(y_pred, class_names)]

    def prediction():
        return [slider.value for slider in sliders]

    picture = plots.PredictionBarsPicture(y_true, prediction(), class_names, live=True)
    return Explorer(sliders, lambda: sse_report(prediction(), y_true), picture,
                    lambda: picture.update(prediction()), vertical=True)


# ---------------------------------------------------------------------------------------------- lesson 04
def update_report(w, learning_rate) -> str:
    """One step of gradient descent on the lesson bowl, written out: the slope, the update, the direction.

    The slope is :func:`nnbook.descent.bowl_slope` and the new weight :func:`nnbook.descent.update_weight`.
    """
    learning_rate = _validate.positive_number("learning_rate", learning_rate)
    w = _validate.real_number("w", w)
    slope = bowl_slope(w)
    new_w = update_weight(w, slope, learning_rate)
    if slope < 0:
        direction = f"the slope is negative, so W grows (moves right, towards W_o = {W_OPTIMUM})"
    elif slope > 0:
        direction = f"the slope is positive, so W shrinks (moves left, towards W_o = {W_OPTIMUM})"
    else:
        direction = "the slope is zero: W is at the minimum and stays there"
    return (f"slope at W = {w:.4f}:  dL/dW = 2 x ({w:.4f} - {W_OPTIMUM}) = {slope:.4f}\n"
            f"update:  W_new = W - lr x slope = {w:.4f} - {learning_rate:g} x ({slope:.4f}) = {new_w:.4f}\n"
            f"{direction}")


def update_explorer(w: float = 0.38, learning_rate: float = 0.01) -> Explorer:
    """Move W and the learning rate; see the slope, the update arithmetic and the new W on the bowl."""
    update_report(w, learning_rate)  # checks the arguments before any widget is made
    w_slider = widgets.FloatSlider(value=w, min=0.0, max=1.3, step=0.005, description="W",
                                   readout_format=".3f", continuous_update=True)
    lr_slider = _learning_rate_slider(learning_rate)
    # Axes fixed to hold every W and step the sliders reach: dragging never rescales the picture.
    limits = plots.bowl_limits((w_slider.min, w_slider.max), max(LEARNING_RATES))
    picture = plots.BowlPicture(w_slider.value, lr_slider.value, live=True, limits=limits)
    return Explorer([w_slider, lr_slider], lambda: update_report(w_slider.value, lr_slider.value), picture,
                    lambda: picture.update(w_slider.value, lr_slider.value))


def descent_report(learning_rate, w0: float = 0.38, steps: int = 10) -> str:
    """A run of gradient descent on the lesson bowl, as text: the weights visited and a verdict.

    The path is ``gradient_descent(bowl_slope, w0, learning_rate, steps)``; the verdict is
    :func:`nnbook.lessons.plots.describe_descent` of it.
    """
    learning_rate = _validate.positive_number("learning_rate", learning_rate)
    path = gradient_descent(bowl_slope, w0, learning_rate, steps, stop_if_diverging=True)
    def short(w):   # 4 decimals, or 4 significant digits for a weight that ran away
        return f"{w:.4g}" if abs(w) >= 1e4 else f"{w:.4f}"

    weights = ", ".join(short(w) for w in path)
    overflowed = (f"\nstopped after {len(path) - 1} of {steps} steps: W grew too large for a float"
                  if len(path) <= steps else "")
    return (f"learning rate {learning_rate:g}, {len(path) - 1} steps from W = {path[0]:.4f}\n"
            f"W visited: {weights}\n"
            f"distance to W_o: {abs(path[0] - W_OPTIMUM):.4f} -> {short(abs(path[-1] - W_OPTIMUM))}\n"
            f"verdict: {plots.describe_descent(path)}{overflowed}")


def learning_rate_explorer(learning_rate: float = 0.3, w0: float = 0.38, steps: int = 10) -> Explorer:
    """Choose a learning rate and a number of steps; see the path gradient descent takes on the bowl."""
    descent_report(learning_rate, w0, steps)  # checks the arguments before any widget is made
    lr_slider = _learning_rate_slider(learning_rate)
    steps_slider = widgets.IntSlider(value=steps, min=1, max=30, description="steps", continuous_update=True)
    picture = plots.DescentPathsPicture([lr_slider.value], w0, steps_slider.value, live=True)
    return Explorer([lr_slider, steps_slider], lambda: descent_report(lr_slider.value, w0, steps_slider.value),
                    picture, lambda: picture.update([lr_slider.value], steps_slider.value))


# ---------------------------------------------------------------------------------------------- helpers
def figure_png(fig) -> bytes:
    """A pyplot figure (a static figure function's) as PNG bytes at 80 dpi; the figure is closed, so it is not
    shown a second time. The explorers do not need this: their pictures encode themselves (``picture.png()``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()


def _learning_rate_slider(learning_rate: float) -> widgets.SelectionSlider:
    if learning_rate not in LEARNING_RATES:
        raise ValueError(f"learning_rate must be one of {LEARNING_RATES}, got {learning_rate!r}")
    return widgets.SelectionSlider(options=[(f"{lr:g}", lr) for lr in LEARNING_RATES], value=learning_rate,
                                   description="learning rate", continuous_update=True,
                                   style={"description_width": "initial"})

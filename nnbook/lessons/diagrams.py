"""Lessons 06, 09: box-and-arrow pictures of the training loop (lesson 06) and of inference (lesson 09).

Each box is a step, each arrow what flows from one step to the next. The pictures compute nothing: the
notebook passes in its own numbers (samples, batch size, learning rate; an age, its scaled input, the
network's probabilities) and the boxes show them as given.

Every box and arrow carries a ``gid`` so that a test can find it: ``"box:<name>"`` and
``"arrow:<from>-><to>"``; the box's text is the :class:`~matplotlib.text.Text` with the same gid.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnbook import _validate
from nnbook.lessons import palette
from nnbook.lessons.alt import set_alt

DATA_COLOUR = palette.tint(palette.SKY_BLUE)         # data and what is read from it (blue)
STEP_COLOUR = palette.tint(palette.ORANGE)           # computing steps (orange)
GRADIENT_COLOUR = palette.tint(palette.VERMILLION)   # the backward pass and the update (red)
ANSWER_COLOUR = palette.tint(palette.BLUISH_GREEN)   # the answer (green)

#: The training loop's boxes: name -> (centre x, centre y, title, colour). Top row forward, bottom row back.
LOOP_BOXES = {
    "data": (1.3, 3.4, "training data", DATA_COLOUR),
    "batch": (4.3, 3.4, "batch", DATA_COLOUR),
    "forward": (7.3, 3.4, "forward pass", STEP_COLOUR),
    "loss": (10.3, 3.4, "loss", STEP_COLOUR),
    "backward": (10.3, 1.0, "backward pass", GRADIENT_COLOUR),
    "update": (7.3, 1.0, "update", GRADIENT_COLOUR),
}
#: The inference picture's boxes, left to right.
INFERENCE_BOXES = ("age", "scaling", "network", "probabilities", "argmax", "class")

_BOX_W, _BOX_H = 2.3, 1.15


def training_loop_diagram(*, samples: int | None = None, batch_size: int | None = None,
                          learning_rate: float | None = None) -> Figure:
    """The training loop as a block diagram: data -> batch -> forward -> loss -> backward -> update, then
    back to the next batch, or, once every batch of the epoch has had its turn, to the next epoch.

    Args:
        samples: the number of training samples, shown in the data box (and, with ``batch_size``, the
            iterations per epoch, ceil(samples / batch_size), on the "next batch" arrow).
        batch_size: the samples per batch, shown in the batch box.
        learning_rate: shown in the update box.

    Returns:
        the figure: one axes without ticks holding six boxes (gids ``"box:data"``, ``"box:batch"``,
        ``"box:forward"``, ``"box:loss"``, ``"box:backward"``, ``"box:update"``) and the arrows between
        them (gids ``"arrow:data->batch"``, ``"arrow:batch->forward"``, ``"arrow:batch->loss"`` (the labels),
        ``"arrow:forward->loss"``, ``"arrow:loss->backward"``, ``"arrow:backward->update"``,
        ``"arrow:update->batch"`` (next batch), ``"arrow:update->data"`` (next epoch)).
    """
    samples = None if samples is None else _validate.whole_number("samples", samples, minimum=1)
    batch_size = None if batch_size is None else _validate.whole_number("batch_size", batch_size, minimum=1)
    learning_rate = None if learning_rate is None else _validate.positive_number("learning_rate", learning_rate)

    details = {
        "data": "inputs x and labels y" + (f"\n{samples} samples" if samples else ""),
        "batch": (f"the next {batch_size} samples" if batch_size else "the next few samples")
                 + "\nof the shuffled data",
        "forward": "the batch's inputs x\n-> predictions y'",
        "loss": "compare y' with\nthe labels y: one number",
        "backward": "backpropagation:\ndL/dw for every weight",
        "update": "w <- w - lr x dL/dw" + (f"\nlr = {learning_rate:g}" if learning_rate else ""),
    }
    fig, ax = plt.subplots(figsize=(12, 4.6))
    for name, (x, y, title, colour) in LOOP_BOXES.items():
        _box(ax, name, x, y, title, details[name], colour)

    iterations = None if not (samples and batch_size) else -(-samples // batch_size)
    next_batch = "next batch" + (f"\n({iterations} per epoch)" if iterations else "")
    _arrow(ax, "data", "batch", "shuffle, then\ncut into batches", text_at=(2.8, 4.35))
    _arrow(ax, "batch", "forward", "x")
    _arrow(ax, "forward", "loss", "y'")
    _arrow(ax, "batch", "loss", "labels y", start=(4.3, 3.4 + _BOX_H / 2), end=(10.3, 3.4 + _BOX_H / 2),
           connection="arc3,rad=-0.18", text_at=(7.3, 4.95))
    _arrow(ax, "loss", "backward", "loss L", text_at=(10.3 + 0.25, 2.2), ha="left")
    _arrow(ax, "backward", "update", "gradients")
    _arrow(ax, "update", "batch", next_batch, start=(7.3 - _BOX_W / 2, 1.0), end=(4.3, 3.4 - _BOX_H / 2),
           connection="arc3,rad=-0.25", text_at=(5.25, 2.25), ha="left")
    _arrow(ax, "update", "data", "every batch done:\nnext epoch", start=(7.3 - _BOX_W / 2, 1.0 - 0.3),
           end=(1.3, 3.4 - _BOX_H / 2), connection="arc3,rad=-0.2", text_at=(1.5, 0.6), ha="left")
    ax.text(8.8, 0.1, "one iteration: batch -> forward -> loss -> backward -> update", ha="center",
            va="center", fontsize=9, color="0.35", style="italic", gid="note:iteration")

    ax.set_xlim(-0.1, 11.7)
    ax.set_ylim(-0.1, 5.3)
    ax.set_axis_off()
    ax.set_title("the training loop")
    numbers = ", ".join(part for part in (
        f"{samples} samples" if samples else "", f"batches of {batch_size}" if batch_size else "",
        f"{iterations} iterations per epoch" if iterations else "",
        f"learning rate {learning_rate:g}" if learning_rate else "") if part)
    set_alt(fig, "The training loop as six boxes joined by arrows: the data is shuffled and cut into batches; "
                 "each batch goes forward to predictions y', the loss compares them with the labels, backward "
                 "gives dL/dw for every weight, the update sets w to w - lr x dL/dw, then the next batch, and "
                 "once every batch is done, the next epoch" + (f". Here: {numbers}." if numbers else "."))
    fig.tight_layout()
    return fig


def inference_diagram(age: float, x: float, probabilities, class_names: Sequence[str], *, age_min: float,
                      age_max: float, layer_sizes: Sequence[int] = (1, 16, 32, 2)) -> Figure:
    """Inference for one new person as a chain of boxes: age -> scaling with the training data's youngest and
    oldest -> the trained network -> probabilities -> argmax -> class name.

    Args:
        age: the new person's age in years.
        x: the scaled input the notebook computed, (age - age_min) / (age_max - age_min).
        probabilities: the network's output for that person, shape (k,) or (1, k), one per class.
        class_names: the k class names, in label order.
        age_min, age_max: the youngest and oldest age in the training data (the scaling's numbers).
        layer_sizes: the network's layer widths, input first, shown in the network box.

    Returns:
        the figure: one axes without ticks holding six boxes (gids ``"box:age"``, ``"box:scaling"``,
        ``"box:network"``, ``"box:probabilities"``, ``"box:argmax"``, ``"box:class"``), left to right, joined
        by five arrows (``"arrow:age->scaling"``, ...). The argmax box names the label of the largest
        probability, the class box that label's name.
    """
    age = _validate.real_number("age", age)
    x = _validate.real_number("x", x)
    age_min = _validate.real_number("age_min", age_min)
    age_max = _validate.real_number("age_max", age_max)
    row = _validate.float_array("probabilities", probabilities, ndim=(1, 2)).reshape(-1)
    names = [str(name) for name in class_names]
    if row.size != len(names):
        raise ValueError(f"probabilities must hold one value per class ({len(names)}), got {row.size}")
    sizes = [_validate.whole_number("layer_sizes", size, minimum=1) for size in layer_sizes]
    label = int(np.argmax(row))

    width = max(len(name) for name in names)
    texts = {
        "age": ("a new person", f"age {age:g}\n(no label)", DATA_COLOUR),
        "scaling": ("scale like training", f"({age:g} - {age_min:g}) / ({age_max:g} - {age_min:g})\n"
                                           f"= {x:.4f}\nmin, max of the training data", STEP_COLOUR),
        "network": ("the trained network", " -> ".join(str(size) for size in sizes) + "\nforward pass",
                    STEP_COLOUR),
        "probabilities": ("probabilities", "\n".join(f"{name:<{width}} {p:.4f}" for name, p in zip(names, row)),
                          STEP_COLOUR),
        "argmax": ("argmax", f"the largest is\nat position {label}", STEP_COLOUR),
        "class": ("class name", f"label {label}:\n\"{names[label]}\"", ANSWER_COLOUR),
    }
    fig, ax = plt.subplots(figsize=(13.5, 2.5))
    centres = {}
    for i, name in enumerate(INFERENCE_BOXES):
        title, detail, colour = texts[name]
        centres[name] = (1.35 + 2.75 * i, 1.2)
        _box(ax, name, *centres[name], title, detail, colour, height=1.6, fontfamily_detail=(
            "monospace" if name == "probabilities" else None))
    for left, right in zip(INFERENCE_BOXES, INFERENCE_BOXES[1:]):
        (x0, y0), (x1, y1) = centres[left], centres[right]
        _arrow(ax, left, right, "", start=(x0 + _BOX_W / 2, y0), end=(x1 - _BOX_W / 2, y1))
    ax.set_xlim(0, 16.6)
    ax.set_ylim(0.25, 2.15)
    ax.set_axis_off()
    ax.set_title("inference: from a new age to a class name")
    said = ", ".join(f"{name} {p:.4f}" for name, p in zip(names, row))
    set_alt(fig, f"Inference as a chain of boxes: a new person aged {age:g} is scaled like the training data, "
                 f"({age:g} - {age_min:g}) / ({age_max:g} - {age_min:g}) = {x:.4f}; the trained network "
                 f"({' -> '.join(str(size) for size in sizes)}) gives the probabilities {said}; the largest is at "
                 f"position {label}, the class \"{names[label]}\".")
    fig.tight_layout()
    return fig


def _box(ax, name: str, x: float, y: float, title: str, detail: str, colour: str, *, height: float = _BOX_H,
         fontfamily_detail: str | None = None) -> None:
    patch = FancyBboxPatch((x - _BOX_W / 2, y - height / 2), _BOX_W, height,
                           boxstyle="round,pad=0.02,rounding_size=0.15", facecolor=colour, edgecolor="0.3",
                           linewidth=1.2, gid=f"box:{name}")
    ax.add_patch(patch)
    ax.text(x, y + height / 2 - 0.2, title, ha="center", va="center", fontsize=10.5, fontweight="bold",
            gid=f"box:{name}")
    ax.text(x, y - 0.12, detail, ha="center", va="center", fontsize=8.5, gid=f"detail:{name}",
            **({"fontfamily": fontfamily_detail} if fontfamily_detail else {}))


def _arrow(ax, source: str, target: str, text: str, *, start=None, end=None, connection: str = "arc3,rad=0",
           text_at=None, ha: str = "center") -> None:
    if start is None or end is None:
        (x0, y0), (x1, y1) = _edge_points(source, target)
        start, end = start or (x0, y0), end or (x1, y1)
    arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, linewidth=1.4, color="0.25",
                            connectionstyle=connection, shrinkA=2, shrinkB=2, gid=f"arrow:{source}->{target}")
    ax.add_patch(arrow)
    if text:
        if text_at is None:
            text_at = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.22)
        ax.text(*text_at, text, ha=ha, va="center", fontsize=8.5, color="0.2", gid=f"label:{source}->{target}")


def _edge_points(source: str, target: str):
    """Where an arrow between two boxes of the training loop leaves and arrives: the facing sides."""
    (x0, y0, *_), (x1, y1, *_) = LOOP_BOXES[source], LOOP_BOXES[target]
    if abs(y0 - y1) < 1e-9:                    # same row: left or right side
        sign = 1 if x1 > x0 else -1
        return (x0 + sign * _BOX_W / 2, y0), (x1 - sign * _BOX_W / 2, y1)
    sign = 1 if y1 > y0 else -1                # same column: top or bottom
    return (x0, y0 + sign * _BOX_H / 2), (x1, y1 - sign * _BOX_H / 2)

"""Lesson 05: the computation graph of the lesson's small network, values forward and gradients back.

Lesson 05's network, for one sample, is a chain of five operations::

    x -> [x W1 + b1] -> z1 -> [relu] -> a1 -> [a1 W2 + b2] -> z2 -> [softmax] -> a2 -> [-log a2[y]] -> L
             ^ W1, b1                          ^ W2, b2                                    ^ y

:func:`computation_graph` draws it as boxes and arrows, top to bottom: the values (blue) and the operations
(orange) down the middle, the weights, biases and the label (green) coming in from the left of the operation
that uses them, every arrow of the forward pass pointing down. Given the gradients, it adds the backward pass
in a column to the right (red): level with each value its gradient dL/d(value), to the right of it each
weight's gradient, the arrows pointing up, from the loss back towards the input.

It computes nothing. The notebook computes every number with the library and passes them in, so the figure
shows exactly the numbers the text prints (rounded to ``digits`` decimals).

Shapes, one sample: x (1, 1); W1 (1, 2); b1 (2,); z1, a1 (1, 2); W2 (2, 2); b2 (2,); z2, a2 (1, 2); L a
number; y an integer label. Each gradient has the shape of what it is the gradient of.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook.lessons import palette
from nnbook.lessons.alt import set_alt

#: The values down the middle, in the order of the forward pass (x and the label y are data; L is the loss).
VALUES = ("x", "z1", "a1", "z2", "a2", "L")
#: The operations between them: (name, what the box says, the inputs drawn to its left).
OPERATIONS = (("dense1", "x W1 + b1", ("W1", "b1")),
              ("relu", "relu", ()),
              ("dense2", "a1 W2 + b2", ("W2", "b2")),
              ("softmax", "softmax", ()),
              ("loss", "-log a2[y]", ("y",)))
#: The weights and biases, the learned inputs of the two dense operations.
PARAMETERS = ("W1", "b1", "W2", "b2")
#: What the backward pass gives a gradient for: every value after x, every weight and bias.
GRADIENTS = ("z1", "a1", "z2", "a2", "W1", "b1", "W2", "b2")

VALUE_COLOUR = palette.tint(palette.SKY_BLUE)
PARAMETER_COLOUR = palette.tint(palette.BLUISH_GREEN)
OPERATION_COLOUR = palette.tint(palette.ORANGE)
GRADIENT_COLOUR = palette.tint(palette.VERMILLION)
FORWARD_COLOUR = "0.25"
BACKWARD_COLOUR = palette.VERMILLION

#: The graph runs top to bottom: the height of each value and operation, in the order of the forward pass.
_HEIGHTS = {"x": 0.0, "dense1": -1.2, "z1": -2.4, "relu": -3.4, "a1": -4.4, "dense2": -5.8, "z2": -7.2,
            "softmax": -8.2, "a2": -9.2, "loss": -10.3, "L": -11.4}
#: An operation's inputs sit to its left, one above and one below its height (the label y level with it).
_INPUT_OFFSETS = {0: (), 1: (0.0,), 2: (0.55, -0.5)}
#: The columns: inputs, the forward pass, the backward pass, the weights' gradients (mirroring the inputs).
_COLUMNS = {"inputs": -1.45, "forward": 0.0, "backward": 1.75, "weight gradients": 3.2}
_FONT = 9.5


def format_number(value, digits: int = 3) -> str:
    """``value`` as the figure shows it: a number (``"0.655"``), a row (``"[0.486, -0.124]"``), or one line
    per row for a matrix with several rows. A single entry, such as x of shape (1, 1), shows as a number;
    integers show as integers; -0.000 shows as 0.000."""
    array = np.asarray(value)
    if np.issubdtype(array.dtype, np.integer):
        return str(array.item()) if array.size == 1 else str(array.tolist())
    array = array.astype(float) + 0.0                    # + 0.0 turns -0.0 into 0.0

    def number(v):
        text = f"{v:.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text

    def row(r):
        return "[" + ", ".join(number(v) for v in r) + "]"

    if array.size == 1:
        return number(array.item())
    if array.ndim == 1 or array.shape[0] == 1:
        return row(array.ravel())
    return "\n".join(row(r) for r in array.reshape(array.shape[0], -1))


def _check(values, gradients):
    wanted = VALUES + PARAMETERS + ("y",)
    missing = [name for name in wanted if name not in values]
    if missing:
        raise ValueError(f"values must hold {', '.join(wanted)}; missing {', '.join(missing)}")
    if gradients is None:
        return
    missing = [name for name in GRADIENTS if name not in gradients]
    if missing:
        raise ValueError(f"gradients must hold {', '.join(GRADIENTS)}, or be None; missing {', '.join(missing)}")
    for name in GRADIENTS:
        value_shape, gradient_shape = np.shape(values[name]), np.shape(gradients[name])
        if value_shape != gradient_shape:
            raise ValueError(f"gradients[{name!r}] must have the shape of values[{name!r}], {value_shape}, "
                             f"got {gradient_shape}")


def _box(ax, xy, text, colour, gid, *, edge="0.35", style="round,pad=0.35", fontsize=_FONT):
    return ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, family="DejaVu Sans Mono", gid=gid,
                   zorder=3, bbox=dict(boxstyle=style, facecolor=colour, edgecolor=edge, linewidth=0.9))


def _margin(text):
    """How far, in points, a box's edge lies outside its text: an arrow between texts stops there."""
    patch = text.get_bbox_patch()
    return 1.0 + (patch.get_boxstyle().pad * text.get_fontsize() if patch is not None else 0.0)


def _arrow(ax, source, target, colour, gid, direction):
    """An arrow from one box to another; ``direction`` is (the point it leaves from, the point it reaches), each
    in its box's own 0..1 coordinates: one of DOWN, UP, RIGHT."""
    source_at, target_at = direction
    arrow = ax.annotate("", xy=target_at, xycoords=target, xytext=source_at, textcoords=source,
                        arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=1.2, shrinkA=_margin(source),
                                        shrinkB=_margin(target), mutation_scale=12))
    arrow.set_gid(gid)
    return arrow


DOWN, UP, RIGHT = ((0.5, 0.0), (0.5, 1.0)), ((0.5, 1.0), (0.5, 0.0)), ((1.0, 0.5), (0.0, 0.5))


def computation_graph(values: dict, gradients: dict | None = None, *, digits: int = 3) -> Figure:
    """Draw lesson 05's network as a computation graph, top to bottom, and return the figure.

    ``values`` maps each name of the graph to its number for one sample: ``x``, ``W1``, ``b1``, ``z1``,
    ``a1``, ``W2``, ``b2``, ``z2``, ``a2``, ``y`` (the label) and ``L`` (the loss); shapes as in the module's
    docstring. The forward pass runs down the middle column, each operation's weights and bias (or label)
    coming in from the left. ``gradients``, if given, maps ``z1``, ``a1``, ``z2``, ``a2``, ``W1``, ``b1``,
    ``W2`` and ``b2`` to dL/d(that name), each of its value's shape; the figure then also shows the backward
    pass in a column to the right, running up from dL/dL = 1, each weight's gradient going off to the right.

    Every artist carries a ``gid`` saying what it is, for the tests: ``"value:z1"``, ``"parameter:W1"``,
    ``"label:y"``, ``"operation:relu"``, ``"gradient:z1"``, ``"backstep:relu"``, ``"forward:z1->relu"`` and
    ``"backward:relu->z1"`` (an arrow: its source and target). Numbers are shown with ``digits`` decimals
    (:func:`format_number`).
    """
    _check(values, gradients)
    backward = gradients is not None
    fig, ax = plt.subplots(figsize=(8.6 if backward else 4.6, 8.4))
    ax.set_axis_off()
    column = _COLUMNS

    # ----- the forward pass, down the middle: values and operations alternate
    boxes = {}
    for name in VALUES:
        boxes[name] = _box(ax, (column["forward"], _HEIGHTS[name]),
                           f"{name}\n{format_number(values[name], digits)}", VALUE_COLOUR, f"value:{name}")
    for name, label, inputs in OPERATIONS:
        boxes[name] = _box(ax, (column["forward"], _HEIGHTS[name]), label, OPERATION_COLOUR, f"operation:{name}",
                           style="round4,pad=0.5", fontsize=_FONT + 0.5)
        for offset, item in zip(_INPUT_OFFSETS[len(inputs)], inputs):
            kind = "label" if item == "y" else "parameter"
            boxes[item] = _box(ax, (column["inputs"], _HEIGHTS[name] + offset),
                               f"{item}\n{format_number(values[item], digits)}", PARAMETER_COLOUR, f"{kind}:{item}")
    for index, (name, _, inputs) in enumerate(OPERATIONS):
        before, after = VALUES[index], VALUES[index + 1]
        _arrow(ax, boxes[before], boxes[name], FORWARD_COLOUR, f"forward:{before}->{name}", DOWN)
        _arrow(ax, boxes[name], boxes[after], FORWARD_COLOUR, f"forward:{name}->{after}", DOWN)
        for item in inputs:
            _arrow(ax, boxes[item], boxes[name], FORWARD_COLOUR, f"forward:{item}->{name}", RIGHT)
    top = _HEIGHTS["x"] + 0.75
    ax.text(column["forward"], top, "forward pass:\nvalues flow down", ha="center", va="bottom",
            fontsize=_FONT + 1, color=FORWARD_COLOUR, fontweight="bold", gid="title:forward")

    if backward:
        # ----- the backward pass, up the right-hand column: each value's gradient level with the value
        marks = {}
        for name in VALUES[1:]:
            gradient = 1.0 if name == "L" else gradients[name]
            marks[name] = _box(ax, (column["backward"], _HEIGHTS[name]),
                               f"∂L/∂{name}\n{format_number(gradient, digits)}", GRADIENT_COLOUR,
                               f"gradient:{name}", edge=BACKWARD_COLOUR)
        for name, label, inputs in OPERATIONS:
            marks[name] = ax.text(column["backward"], _HEIGHTS[name], f"back through {label}", ha="center",
                                  va="center", fontsize=_FONT - 1, color=BACKWARD_COLOUR, style="italic",
                                  gid=f"backstep:{name}",
                                  bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none"))
            for offset, item in zip(_INPUT_OFFSETS[len(inputs)], inputs):
                if item in PARAMETERS:
                    marks[item] = _box(ax, (column["weight gradients"], _HEIGHTS[name] + offset),
                                       f"∂L/∂{item}\n{format_number(gradients[item], digits)}", GRADIENT_COLOUR,
                                       f"gradient:{item}", edge=BACKWARD_COLOUR)
        for index, (name, _, inputs) in reversed(list(enumerate(OPERATIONS))):
            before, after = VALUES[index], VALUES[index + 1]
            _arrow(ax, marks[after], marks[name], BACKWARD_COLOUR, f"backward:{after}->{name}", UP)
            if before in marks:                                  # x gets no gradient: it is data, not learned
                _arrow(ax, marks[name], marks[before], BACKWARD_COLOUR, f"backward:{name}->{before}",
                       UP)
            for item in inputs:
                if item in marks:
                    _arrow(ax, marks[name], marks[item], BACKWARD_COLOUR, f"backward:{name}->{item}",
                           RIGHT)
        ax.text(column["backward"], top, "backward pass:\ngradients flow up", ha="center", va="bottom",
                fontsize=_FONT + 1, color=BACKWARD_COLOUR, fontweight="bold", gid="title:backward")

    right = column["weight gradients"] if backward else column["forward"]
    ax.set_xlim(column["inputs"] - 0.85, right + 0.85)
    ax.set_ylim(_HEIGHTS["L"] - 0.6, top + 0.75)
    set_alt(fig, _graph_alt(values, gradients, digits))
    fig.tight_layout()
    return fig


def _graph_alt(values: dict, gradients: dict | None, digits: int) -> str:
    """The graph in words: the forward pass's values in order and, with gradients, the weights' gradients."""
    def said(names, table, prefix=""):
        return "; ".join(f"{prefix}{name} = {format_number(table[name], digits)}".replace("\n", ", ")
                         for name in names)

    text = ("A computation graph, top to bottom: x -> x W1 + b1 -> z1 -> relu -> a1 -> a1 W2 + b2 -> z2 -> "
            f"softmax -> a2 -> -log a2[y] -> L. Forward: {said(('x', *VALUES[1:]), values)}; with "
            f"{said(PARAMETERS, values)} and label y = {format_number(values['y'], digits)}.")
    if gradients is not None:
        text += (" Backward, from dL/dL = 1 up: "
                 f"{said(('a2', 'z2', 'a1', 'z1'), gradients, 'dL/d')}; for the weights "
                 f"{said(PARAMETERS, gradients, 'dL/d')}.")
    return text


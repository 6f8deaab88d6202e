"""Lesson 04: a loss over two weights, drawn as a landscape and as a contour map with gradient-descent paths.

With one weight the loss is a curve; with two it is a surface over the plane of the two weights, with hills
(peaks) and hollows (valleys). :func:`surface_figure` draws it twice: on the left as a 3-D landscape, on the
right from above as a contour map (lines of equal loss, like the height lines of a map) with the paths of
gradient descent on it, each from its start (a circle) to its end (a star).

It computes no lesson number. The notebook defines the loss and runs :func:`nnbook.descent.gradient_descent`;
this module only evaluates the loss on a grid of points to draw it.

Shapes: a weight vector ``w`` is (2,), ``w[0]`` = w1 on the horizontal axis, ``w[1]`` = w2 on the vertical one.
A path is (steps + 1, 2), one row per weight vector visited, the start first.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.lessons import palette
from nnbook.lessons.alt import number, set_alt

#: The colours of the paths, in order (from the course palette, away from the contours' viridis);
#: each path also has its own line style and step marker, so they are told apart without colour.
PATH_COLOURS = (palette.VERMILLION, palette.BLACK, palette.REDDISH_PURPLE, palette.ORANGE)
PATH_STYLES = ("-", "--", ":", "-.")
PATH_MARKERS = ("o", "s", "^", "D")
#: The colour map of the landscape and of the contour lines: dark = low loss, light = high.
SURFACE_CMAP = "viridis"


def loss_grid(loss_fn, w1_range=(-3.0, 3.0), w2_range=(-3.0, 3.0), points: int = 121):
    """The loss on a grid of ``points`` x ``points`` weight vectors.

    Args:
        loss_fn: the loss of a weight vector, ``loss_fn(w)`` with ``w[0]`` = w1 and ``w[1]`` = w2. It is called
            once with ``w`` of shape (2, points, points) and must return shape (points, points) (numpy
            arithmetic on ``w[0]`` and ``w[1]`` does that by itself).
        w1_range, w2_range: (low, high) of each weight.
        points: grid points along each axis, at least 2.

    Returns:
        ``(W1, W2, L)``, three arrays of shape (points, points): row i, column j is
        ``w1 = W1[i, j], w2 = W2[i, j]`` with ``L[i, j] = loss_fn([w1, w2])``.
    """
    _validate.callable_arg("loss_fn", loss_fn)
    points = _validate.whole_number("points", points, minimum=2)
    w1 = np.linspace(*_range("w1_range", w1_range), points)
    w2 = np.linspace(*_range("w2_range", w2_range), points)
    W1, W2 = np.meshgrid(w1, w2)
    L = np.asarray(loss_fn(np.array([W1, W2])), dtype=float)
    if L.shape != W1.shape:
        raise ValueError(f"loss_fn must return one loss per grid point, shape {W1.shape}, when given w of shape "
                         f"{(2, *W1.shape)}, got shape {L.shape}")
    return W1, W2, L


def surface_figure(loss_fn, paths: Sequence = (), *, labels: Sequence[str] | None = None,
                   w1_range=(-3.0, 3.0), w2_range=(-3.0, 3.0), levels: int = 18, points: int = 121,
                   landscape: bool = True, title: str | None = None) -> Figure:
    """A loss of two weights as a 3-D landscape (left) and a contour map with gradient-descent paths (right).

    Args:
        loss_fn: the loss of a weight vector, as :func:`loss_grid` takes it.
        paths: gradient-descent paths, each an array (steps + 1, 2) of the weight vectors visited, start first
            (what ``descent.gradient_descent`` returns for a start of shape (2,)).
        labels: one legend label per path (default ``"path 1"``, ...).
        w1_range, w2_range: (low, high) of the weights drawn.
        levels: the number of contour lines, at evenly spaced losses strictly between the lowest and the
            highest loss drawn.
        points: grid points along each axis.
        landscape: draw the 3-D landscape on the left; False draws the contour map alone.
        title: the figure's title.

    Returns:
        the figure. Its last axes is the contour map (equal scales on both axes, so that right angles look
        right): its contour lines are the ContourSet among ``ax.collections``, and each path is the line
        labelled with its label, holding the path's points; its start is a circle and its end a star, labelled
        ``"<label> start"`` and ``"<label> end"``. With ``landscape`` the first axes is the 3-D surface.
    """
    paths = [_path(i, path) for i, path in enumerate(paths)]
    if labels is None:
        labels = [f"path {i + 1}" for i in range(len(paths))]
    labels = [str(label) for label in labels]
    if len(labels) != len(paths):
        raise ValueError(f"labels must give one label per path ({len(paths)}), got {len(labels)}")
    if len(paths) > len(PATH_COLOURS):
        raise ValueError(f"paths must be at most {len(PATH_COLOURS)}, got {len(paths)}")
    levels = _validate.whole_number("levels", levels, minimum=2)
    W1, W2, L = loss_grid(loss_fn, w1_range, w2_range, points)

    fig = plt.figure(figsize=(11.5, 4.8) if landscape else (6, 5))
    if landscape:
        ax3d = fig.add_subplot(1, 2, 1, projection="3d")
        ax3d.plot_surface(W1, W2, L, cmap=SURFACE_CMAP, linewidth=0, antialiased=True, alpha=0.9)
        for colour, style, path, label in zip(PATH_COLOURS, PATH_STYLES, paths, labels):
            ax3d.plot(path[:, 0], path[:, 1], _losses(loss_fn, path) + 0.02, style, color=colour, linewidth=2,
                      label=label, zorder=10)
        ax3d.set_xlabel("$w_1$")
        ax3d.set_ylabel("$w_2$")
        ax3d.set_zlabel("loss")
        ax3d.set_title("the landscape")
        ax3d.view_init(elev=38, azim=-120)
        ax = fig.add_subplot(1, 2, 2)
    else:
        ax = fig.add_subplot(1, 1, 1)

    heights = np.linspace(L.min(), L.max(), levels + 2)[1:-1]          # evenly spaced, strictly inside
    contours = ax.contour(W1, W2, L, levels=heights, cmap=SURFACE_CMAP, linewidths=0.9)
    ax.clabel(contours, contours.levels[::3], fontsize=7, fmt="%.2f")
    for colour, style, marker, path, label in zip(PATH_COLOURS, PATH_STYLES, PATH_MARKERS, paths, labels):
        ax.plot(path[:, 0], path[:, 1], linestyle=style, marker=marker, color=colour, linewidth=1.5, markersize=4,
                label=label)
        ax.plot(path[0, 0], path[0, 1], "o", color=colour, markersize=8, markerfacecolor="white",
                markeredgewidth=2, label=f"{label} start")
        ax.plot(path[-1, 0], path[-1, 1], "*", color=colour, markersize=14, markeredgecolor="black",
                markeredgewidth=0.6, label=f"{label} end")
    ax.set_xlim(W1[0, 0], W1[0, -1])
    ax.set_ylim(W2[0, 0], W2[-1, 0])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("seen from above: contour lines of equal loss")
    if paths:
        ax.legend(handles=[line for line in ax.get_lines() if line.get_label() in labels],
                  fontsize="small", loc="lower right")
    if title is not None:
        fig.suptitle(title)
    set_alt(fig, _surface_alt(loss_fn, L, W1, W2, paths, labels, landscape, title))
    fig.tight_layout()
    return fig


def _surface_alt(loss_fn, L, W1, W2, paths, labels, landscape: bool, title) -> str:
    """The figure in words: the lowest loss drawn and where, and each path's start, end and losses."""
    low = np.unravel_index(int(np.argmin(L)), L.shape)
    text = (f"{title + '. ' if title else ''}{'A 3-D landscape and a' if landscape else 'A'} contour map of the loss "
            f"over w1 from {number(W1[0, 0])} to {number(W1[0, -1])} and w2 from {number(W2[0, 0])} to "
            f"{number(W2[-1, 0])}, lowest {number(L[low])} at (w1, w2) = ({number(W1[low])}, {number(W2[low])})")
    for path, label in zip(paths, labels):
        start, end = _losses(loss_fn, path[[0, -1]])
        text += (f"; {label}: {len(path) - 1} steps from ({number(path[0, 0])}, {number(path[0, 1])}), loss "
                 f"{number(start)}, to ({number(path[-1, 0])}, {number(path[-1, 1])}), loss {number(end)}")
    return text + "."


def _range(name: str, value) -> tuple[float, float]:
    pair = _validate.float_array(name, value, ndim=1)
    if pair.size != 2 or not np.all(np.isfinite(pair)) or not pair[0] < pair[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got {value!r}")
    return float(pair[0]), float(pair[1])


def _path(index: int, path) -> np.ndarray:
    array = _validate.float_array(f"paths[{index}]", path, ndim=2)
    if array.shape[1] != 2 or array.shape[0] < 1:
        raise ValueError(f"paths[{index}] must have shape (steps + 1, 2), one row per weight vector, "
                         f"got shape {array.shape}")
    return array


def _losses(loss_fn, path: np.ndarray) -> np.ndarray:
    return np.asarray(loss_fn(path.T), dtype=float).reshape(-1)

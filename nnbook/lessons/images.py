"""Lesson 11: images. Handwritten digits as arrays and as pictures, what a digit network predicts, where it errs.

An image is a grid of numbers, one per pixel. The digits of :func:`nnbook.data.digits` are 8x8 grids of
whole numbers from 0 (no ink) to 16 (full ink). A dense network takes one row of numbers per sample, so each
image is flattened row after row into 64 inputs and scaled to [0, 1]::

    images (n, 8, 8)  ->  x = images.reshape(n, 64) / 16      (n, 64), the network's input
    labels (n,)       ->  one_hot(labels, 10)                 (n, 10), the targets
    x (n, 64)         ->  model.predict(x)                    (n, 10), one probability per digit
    row               ->  argmax                              the predicted digit

What went wrong is counted in a confusion matrix: ``matrix[t, p]`` is the number of images of digit ``t``
the network called ``p``; the diagonal holds the right answers. The first dense layer's kernel is (64, units):
column ``j`` holds unit ``j``'s weight for every pixel, so reshaped to 8x8 it is a picture of what that unit
responds to (:func:`kernel_images`).

Shapes: rows are samples. Images (n, 8, 8), inputs (n, 64), probabilities (n, 10), labels (n,).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.lessons import palette
from nnbook.lessons.alt import number, set_alt

#: The largest pixel value of the digits: a pixel counts the inked dots of a 4x4 block of the scan.
PIXEL_MAX = 16
#: The ten classes, in label order.
DIGITS = tuple(range(10))
RIGHT_COLOUR = palette.BLUISH_GREEN
WRONG_COLOUR = palette.VERMILLION
OTHER_COLOUR = "0.7"


def _images(name: str, images) -> np.ndarray:
    """``images`` as a float array (n, height, width), checked."""
    array = _validate.float_array(name, images, ndim=3)
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one image, got shape {array.shape}")
    return array


def _probabilities(name: str, probabilities, classes: int = len(DIGITS)) -> np.ndarray:
    array = _validate.float_array(name, probabilities, ndim=2)
    if array.shape[1] != classes:
        raise ValueError(f"{name} must have {classes} columns (one per digit), got shape {array.shape}")
    return array


def images_to_inputs(images, pixel_max: float = PIXEL_MAX) -> np.ndarray:
    """Flatten each image row after row and scale it to [0, 1]: ``x = images.reshape(n, h * w) / pixel_max``.

    Args:
        images: (n, h, w) pixel values from 0 to ``pixel_max``.
        pixel_max: the largest possible pixel value (16 for the digits).

    Returns:
        float array (n, h * w): row ``i`` is image ``i``'s first pixel row, then its second, and so on.
    """
    array = _images("images", images)
    pixel_max = _validate.positive_number("pixel_max", pixel_max)
    if array.min() < 0 or array.max() > pixel_max:
        raise ValueError(f"images must hold pixel values from 0 to pixel_max={pixel_max:g}, got values from "
                         f"{array.min():g} to {array.max():g}")
    return array.reshape(array.shape[0], -1) / pixel_max


def held_out_split(n_samples: int, train_fraction: float = 0.8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle the row numbers ``0..n_samples-1`` once (seeded) and cut them in two.

    The first ``int(n_samples * train_fraction)`` of the shuffled rows train, the rest are held out.

    Returns:
        ``(train_rows, held_out_rows)``, two int arrays that together hold every row exactly once.
    """
    n_samples = _validate.whole_number("n_samples", n_samples, minimum=2)
    train_fraction = _validate.fraction("train_fraction", train_fraction, upper_included=False)
    seed = _validate.whole_number("seed", seed)
    cut = int(n_samples * train_fraction)
    if not 0 < cut < n_samples:
        raise ValueError(f"train_fraction must leave at least one row on each side, got {train_fraction!r} "
                         f"of {n_samples} rows")
    order = np.random.default_rng(seed).permutation(n_samples)
    return order[:cut], order[cut:]


def predicted_digits(probabilities) -> np.ndarray:
    """The digit each row of ``probabilities`` (n, 10) gives the highest probability: its argmax, (n,)."""
    return np.argmax(_probabilities("probabilities", probabilities), axis=1)


def mistakes(labels, probabilities) -> np.ndarray:
    """The row numbers where the predicted digit is not the label, in order."""
    labels = _validate.integer_labels(labels, len(DIGITS))
    predicted = predicted_digits(probabilities)
    _validate.same_samples("labels", labels, "probabilities", predicted)
    return np.flatnonzero(predicted != labels)


def confusion_matrix(labels, predicted, num_classes: int = len(DIGITS)) -> np.ndarray:
    """Count each (true, predicted) pair: ``matrix[t, p]`` = how many samples of class ``t`` were called ``p``.

    Args:
        labels, predicted: (n,) integer classes in ``[0, num_classes)``.

    Returns:
        int array (num_classes, num_classes); rows are the true classes, columns the predictions. Each row
        sums to the number of samples of that class; the diagonal holds the right answers.
    """
    num_classes = _validate.whole_number("num_classes", num_classes, minimum=1)
    labels = _validate.integer_labels(labels, num_classes)
    predicted = _validate.integer_labels(predicted, num_classes)
    if labels.shape != predicted.shape:
        raise ValueError(f"labels and predicted must have the same length, got {labels.size} and {predicted.size}")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def confusions(matrix) -> list[tuple[int, int, int]]:
    """The off-diagonal cells of a confusion matrix that are not zero, as ``(count, true, predicted)``, the
    largest count first (ties: by true class, then predicted)."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    cells = [(int(matrix[t, p]), t, p) for t in range(matrix.shape[0]) for p in range(matrix.shape[1])
             if t != p and matrix[t, p]]
    return sorted(cells, key=lambda cell: (-cell[0], cell[1], cell[2]))


def kernel_images(kernel, shape: tuple[int, int] = (8, 8)) -> np.ndarray:
    """The first layer's kernel (pixels, units) as one picture per unit: ``kernel.T.reshape(units, *shape)``.

    Column ``j`` of the kernel is unit ``j``'s weight for each pixel, in the order :func:`images_to_inputs`
    flattened them, so reshaping it puts each weight back on its pixel.
    """
    kernel = _validate.float_array("kernel", kernel, ndim=2)
    if kernel.shape[0] != shape[0] * shape[1]:
        raise ValueError(f"kernel must have {shape[0] * shape[1]} rows (one per pixel of a {shape[0]}x{shape[1]} "
                         f"image), got shape {kernel.shape}")
    return kernel.T.reshape(kernel.shape[1], *shape)


# ----- figures ------------------------------------------------------------------------------------------------

def _grid(count: int, columns: int, cell: float = 1.0, extra_height: float = 0.3):
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * cell, rows * (cell + extra_height)), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    return fig, axes.flat


def _draw_digit(ax, image, title: str, colour: str = "black"):
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=PIXEL_MAX, interpolation="nearest")
    ax.set_title(title, fontsize="small", color=colour)
    ax.set_axis_off()


def sample_grid(images, labels, count: int = 30, columns: int = 10, title: str | None = None) -> Figure:
    """The first ``count`` images drawn in a grid, each titled with its label: labelled training data.

    Returns:
        the figure; axes ``i`` shows image ``i``, its title the label.
    """
    array = _images("images", images)
    labels = _validate.integer_labels(labels)
    _validate.same_samples("images", array, "labels", labels)
    count = min(_validate.whole_number("count", count, minimum=1), len(array))
    columns = _validate.whole_number("columns", columns, minimum=1)
    fig, axes = _grid(count, columns)
    for ax, image, label in zip(axes, array[:count], labels[:count]):
        _draw_digit(ax, image, f"label {label}")
    if title:
        fig.suptitle(title)
    set_alt(fig, f"{title + ': ' if title else ''}{count} handwritten digits, each 8 by 8 pixels, in rows of "
                 f"{columns}, labelled {', '.join(str(label) for label in labels[:count])}.")
    fig.tight_layout()
    return fig


def pixel_figure(image, label: int | None = None) -> Figure:
    """One image twice: as a picture, and as the grid of numbers the network reads (each pixel's value)."""
    image = _validate.float_array("image", image, ndim=2)
    fig, (picture, numbers) = plt.subplots(1, 2, figsize=(7.5, 3.6))
    _draw_digit(picture, image, "as a picture" if label is None else f"as a picture (label {label})")
    numbers.imshow(image, cmap="gray_r", vmin=0, vmax=PIXEL_MAX * 3, interpolation="nearest")
    for (row, column), value in np.ndenumerate(image):
        numbers.text(column, row, f"{value:g}", ha="center", va="center", fontsize=8)
    numbers.set_title("as numbers, 0 to 16", fontsize="small")
    numbers.set_xticks(range(image.shape[1]))
    numbers.set_yticks(range(image.shape[0]))
    numbers.tick_params(labelsize=7)
    inked = int(np.count_nonzero(image))
    set_alt(fig, f"One {image.shape[0]} by {image.shape[1]} digit image"
                 f"{'' if label is None else f' (label {label})'}, drawn as a picture and as its pixel values: "
                 f"{inked} of {image.size} pixels hold ink, up to {number(image.max())}; row by row: "
                 + "; ".join(" ".join(f"{v:g}" for v in row) for row in image) + ".")
    fig.tight_layout()
    return fig


def prediction_gallery(images, labels, probabilities, rows=None, columns: int = 5,
                       title: str | None = None) -> Figure:
    """For each chosen sample: the image, titled with what the network says, above a bar of its ten
    probabilities (the predicted digit's bar green when right, red when wrong; the true digit's outlined).

    Args:
        images: (n, 8, 8); labels: (n,); probabilities: (n, 10), what ``model.predict`` gave for them.
        rows: which samples to show (default: all of them).
        columns: samples per row of the figure.

    Returns:
        the figure: two axes per sample, the picture then its bars.
    """
    array = _images("images", images)
    labels = _validate.integer_labels(labels, len(DIGITS))
    probabilities = _probabilities("probabilities", probabilities)
    _validate.same_samples("images", array, "labels", labels)
    _validate.same_samples("images", array, "probabilities", probabilities)
    rows = np.arange(len(array)) if rows is None else _validate.integer_labels(rows, len(array))
    if rows.size == 0:
        raise ValueError("rows must choose at least one sample, got none")
    columns = min(_validate.whole_number("columns", columns, minimum=1), rows.size)
    lines = -(-rows.size // columns)
    fig, axes = plt.subplots(2 * lines, columns, figsize=(2.1 * columns, 3.0 * lines), squeeze=False,
                             gridspec_kw={"height_ratios": [1.25, 1] * lines})
    for ax in axes.flat:
        ax.set_axis_off()
    for k, row in enumerate(rows):
        picture, bars = axes[2 * (k // columns), k % columns], axes[2 * (k // columns) + 1, k % columns]
        said = int(np.argmax(probabilities[row]))
        right = said == labels[row]
        _draw_digit(picture, array[row], f"says {said} ({probabilities[row, said]:.0%})"
                    + ("" if right else f", is {labels[row]}"), RIGHT_COLOUR if right else WRONG_COLOUR)
        colours = [OTHER_COLOUR] * len(DIGITS)
        colours[said] = RIGHT_COLOUR if right else WRONG_COLOUR
        drawn = bars.bar(DIGITS, probabilities[row], color=colours)
        drawn[labels[row]].set_edgecolor("black")
        drawn[labels[row]].set_linewidth(1.2)
        bars.set_axis_on()
        bars.set_ylim(0, 1)
        bars.set_xticks(DIGITS)
        bars.set_yticks([0, 0.5, 1])
        bars.tick_params(labelsize=7)
        for side in ("top", "right"):
            bars.spines[side].set_visible(False)
    if title:
        fig.suptitle(title)
    said = predicted_digits(probabilities[rows])
    right = int(np.sum(said == labels[rows]))
    each = ", ".join(f"{s} ({probabilities[row, s]:.0%})" + ("" if s == labels[row] else f" but is {labels[row]}")
                     for row, s in zip(rows, said))
    set_alt(fig, f"{title + ': ' if title else ''}{rows.size} digits, each above a bar chart of its ten "
                 f"probabilities; the network reads {right} of {rows.size} right. It says: {each}.")
    fig.tight_layout()
    return fig


def confusion_figure(matrix, title: str = "confusion matrix") -> Figure:
    """The confusion matrix as a table of counts, true digit down, predicted digit across; the right answers
    (the diagonal) in green, the mistakes in red."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    fig, ax = plt.subplots(figsize=(5.4, 4.8))
    size = matrix.shape[0]
    ax.imshow(np.where(np.eye(size, dtype=bool), 0.0, np.minimum(matrix, 3)), cmap="Reds", vmin=0, vmax=4)
    for (t, p), count in np.ndenumerate(matrix):
        if count or t == p:
            ax.text(p, t, str(count), ha="center", va="center", fontsize=9,
                    color=RIGHT_COLOUR if t == p else "black", fontweight="bold" if t == p else "normal")
    ax.set_xticks(range(size))
    ax.set_yticks(range(size))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    total, right = int(matrix.sum()), int(np.trace(matrix))
    wrong = confusions(matrix)
    set_alt(fig, f"{title}: a {size} by {size} table of counts, true digit down, predicted across. "
                 f"{right} of {total} on the diagonal are right ({right / max(total, 1):.1%}); "
                 + ("no mistakes." if not wrong else f"{total - right} mistakes: "
                    + ", ".join(f"{t} read as {p} {c} time{'s' if c > 1 else ''}" for c, t, p in wrong) + "."))
    fig.tight_layout()
    return fig


def kernel_figure(kernel, columns: int = 8, title: str | None = None) -> Figure:
    """Each first-layer unit's 64 weights drawn as an 8x8 picture (:func:`kernel_images`): red for a positive
    weight (ink there raises the unit's input), blue for a negative one, one colour scale for all units."""
    pictures = kernel_images(kernel)
    columns = _validate.whole_number("columns", columns, minimum=1)
    limit = float(np.abs(pictures).max()) or 1.0
    fig, axes = _grid(len(pictures), columns, cell=1.1, extra_height=0.25)
    for j, (ax, picture) in enumerate(zip(axes, pictures)):
        ax.imshow(picture, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(f"unit {j}", fontsize="x-small")
    if title:
        fig.suptitle(title)
    set_alt(fig, f"{title + ': ' if title else ''}{len(pictures)} first-layer units, each drawn as its "
                 f"{pictures.shape[1]} by {pictures.shape[2]} weights, red for positive and blue for negative, "
                 f"from {number(pictures.min())} to {number(pictures.max())}.")
    fig.tight_layout()
    return fig

"""Lesson 11: a digit to draw. Paint an 8 x 8 digit and watch a trained network's ten probabilities move.

The pad is the digits data set's own format: 8 x 8 pixels, each an ink level from 0 (white) to 16 (black).
The network sees the picture exactly as lesson 11 trained it::

    image (8, 8) ints 0..16  ->  x = image.reshape(1, 64) / 16     flattened row by row, scaled to 0..1
    x (1, 64)                ->  model.predict(x) (1, 10)           one probability per digit 0..9
    probabilities (10,)      ->  argmax -> the digit the network reads

Rows and columns count from 0, as numpy indexes them: ``image[row, col]``, row 0 at the top.

The widget (:class:`DigitPad`) is the one explorer pattern of :mod:`nnbook.lessons._explorer`: 64 buttons
and a few controls change the image (:func:`paint`, :func:`next_ink`), the readout is :func:`drawing_report`
of :func:`digit_probabilities`, and one :class:`DigitPicture` (the image beside the ten bars) is moved in
place. :func:`digit_figure` is that picture's first frame, for the lesson's stored PNG.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.figure import Figure

from nnbook import _validate
from nnbook.lessons import palette
from nnbook.lessons._explorer import Explorer, Picture, new_figure
from nnbook.lessons.alt import set_alt
from nnbook.lessons.images import images_to_inputs
from nnbook.lessons.inference import _check_trained, predict_probabilities

#: The image's side in pixels, and the largest ink level (the digits data set's 0..16).
SIDE = 8
MAX_INK = 16
#: The ink levels a click steps through: 0 -> 8 -> 16 -> 0.
INK_LEVELS = (0, 8, 16)
#: The ten classes, in output order.
DIGITS = tuple(range(10))
#: What a click on a pixel does, by tool: step through the levels, or paint full ink, or erase.
TOOLS = ("cycle", "pen", "eraser")

BAR_COLOUR = palette.BLUE
PREDICTED_COLOUR = palette.ORANGE
PREDICTED_HATCH = "//"
#: The mark over the predicted digit's bar (besides its colour, its hatching and the title).
PREDICTED_MARK = "▼"


# ----- the image --------------------------------------------------------------------------------------

def _ink(name: str, value) -> int:
    """A whole number 0..16 (an int or numpy integer, not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number of ink from 0 to {MAX_INK}, got {_validate.describe(value)}")
    if not 0 <= value <= MAX_INK:
        raise ValueError(f"{name} must be from 0 (no ink) to {MAX_INK} (full ink), got {int(value)}")
    return int(value)


def _index(name: str, value) -> int:
    """A row or column 0..7 (an int or numpy integer, not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number from 0 to {SIDE - 1}, got {_validate.describe(value)}")
    if not 0 <= value < SIDE:
        raise ValueError(f"{name} must be from 0 to {SIDE - 1} (the image is {SIDE} x {SIDE}, counted from 0), "
                         f"got {int(value)}")
    return int(value)


def checked_image(image) -> np.ndarray:
    """``image`` as a new (8, 8) uint8 array of ink levels, checked: whole numbers from 0 to 16.

    Accepts what ``nnbook.data.digits()`` gives (uint8) and lists or float arrays of whole numbers.
    """
    array = _validate.float_array("image", image)
    if array.shape != (SIDE, SIDE):
        hint = " (one image, not a batch: pass images[i])" if array.ndim == 3 else \
            " (reshape a flat row of 64 with image.reshape(8, 8))" if array.size == SIDE * SIDE else ""
        raise ValueError(f"image must have shape ({SIDE}, {SIDE}), got {array.shape}{hint}")
    if np.any(array != np.round(array)) or np.any(array < 0) or np.any(array > MAX_INK):
        bad = array[(array != np.round(array)) | (array < 0) | (array > MAX_INK)][0]
        raise ValueError(f"image must hold whole ink levels from 0 to {MAX_INK} (the digits' scale, not yet "
                         f"divided by 16), got {bad:g}")
    return array.astype(np.uint8)


def blank_image() -> np.ndarray:
    """An empty pad: (8, 8) uint8 zeros."""
    return np.zeros((SIDE, SIDE), dtype=np.uint8)


def paint(image, row, col, ink) -> np.ndarray:
    """A copy of ``image`` with pixel ``image[row, col]`` set to ``ink``; the given image is not changed.

    Args:
        image: (8, 8) whole ink levels 0..16.
        row, col: the pixel, each 0..7 (row 0 at the top, column 0 on the left).
        ink: the new level, a whole number 0..16.

    Returns:
        a new (8, 8) uint8 array.
    """
    painted = checked_image(image)
    painted[_index("row", row), _index("col", col)] = _ink("ink", ink)
    return painted


def next_ink(ink, tool: str = "cycle") -> int:
    """The ink a click leaves on a pixel that holds ``ink``.

    ``"cycle"`` steps to the next level of :data:`INK_LEVELS` above ``ink`` (0 -> 8 -> 16 -> 0; a test image's
    5 -> 8, 12 -> 16), ``"pen"`` gives 16 and ``"eraser"`` 0.
    """
    ink = _ink("ink", ink)
    if tool not in TOOLS:
        raise ValueError(f"tool must be one of {TOOLS}, got {tool!r}")
    if tool == "pen":
        return MAX_INK
    if tool == "eraser":
        return 0
    return next((level for level in INK_LEVELS if level > ink), INK_LEVELS[0])


def image_inputs(image) -> np.ndarray:
    """The network's input for one image: ``image.reshape(1, 64) / 16``, a (1, 64) float row in 0..1.

    The 64 pixels are read row by row (row 0's eight, then row 1's, ...): lesson 11's
    :func:`nnbook.lessons.images.images_to_inputs` of a batch of one.
    """
    return images_to_inputs(checked_image(image)[np.newaxis], pixel_max=MAX_INK)


# ----- the network's answer ---------------------------------------------------------------------------

def _check_digit_model(model) -> None:
    _check_trained(model)
    inputs, outputs = model.layers[0].input_dim, model.layers[-1].units
    if inputs != SIDE * SIDE or outputs != len(DIGITS):
        raise ValueError(f"model must take the {SIDE * SIDE} pixels and give {len(DIGITS)} probabilities (one per "
                         f"digit), got a model of {inputs} inputs and {outputs} outputs")


def digit_probabilities(model, image) -> np.ndarray:
    """The trained network's ten probabilities for one 8 x 8 image.

    Args:
        model: a Sequential that ``fit`` has trained on the digits, 64 inputs -> softmax over 10 digits.
        image: (8, 8) whole ink levels 0..16; the network sees :func:`image_inputs` of it (pixels / 16).

    Returns:
        (10,) float array: P(digit 0), ..., P(digit 9), summing to 1.
    """
    _check_digit_model(model)
    return predict_probabilities(model, image_inputs(image))[0]


def _checked_probabilities(probabilities) -> np.ndarray:
    probabilities = _validate.float_array("probabilities", probabilities, ndim=1)
    if probabilities.size != len(DIGITS):
        raise ValueError(f"probabilities must be one per digit, {len(DIGITS)}, got {probabilities.size}")
    if np.any(probabilities < 0) or not np.isclose(probabilities.sum(), 1.0, atol=1e-6):
        raise ValueError(f"probabilities must be >= 0 and sum to 1, got a sum of {probabilities.sum():.4f}")
    return probabilities


def ranked(probabilities) -> list[tuple[int, float]]:
    """The digits with their probabilities, most probable first (ties: the smaller digit first)."""
    probabilities = _checked_probabilities(probabilities)
    order = np.argsort(-probabilities, kind="stable")
    return [(int(k), float(probabilities[k])) for k in order]


def drawing_report(probabilities, *, top: int = 3) -> str:
    """The network's answer in words, e.g. ``The network reads a 7: P(7) = 91.2%. Next: 9 at 5.1%, 1 at 2.0%.``

    Args:
        probabilities: (10,) the network's probabilities for one image (from :func:`digit_probabilities`).
        top: how many digits to name, the predicted one included (1..10).

    Percentages have one decimal; one that would round to 0.0% reads ``under 0.1%``.
    """
    top = _validate.whole_number("top", top, minimum=1)
    if top > len(DIGITS):
        raise ValueError(f"top must be at most {len(DIGITS)} digits, got {top}")
    (best, p), *others = ranked(probabilities)[:top]
    text = f"The network reads a {best}: P({best}) = {_percent(p)}."
    if others:
        text += " Next: " + ", ".join(f"{k} at {_percent(q)}" for k, q in others) + "."
    return text


def _percent(p: float) -> str:
    """A probability in words: ``91.2%``; below 0.05%, ``under 0.1%`` (not a 0.0% that reads as impossible)."""
    return f"{p:.1%}" if p >= 0.0005 else "under 0.1%"


def source_report(image, start=None, index=None, label=None) -> str:
    """Where the drawing came from and how much of it is the learner's.

    Args:
        image: the pad's (8, 8) image now.
        start: the test image it started from, (8, 8), or None for a blank pad.
        index, label: that test image's number and true label (when ``start`` is given).

    Returns:
        e.g. ``Test image 12 (true label 7), 3 pixels changed; 21 of 64 pixels inked.``
    """
    image = checked_image(image)
    inked = int(np.count_nonzero(image))
    begun = "A blank pad" if start is None else \
        f"Test image {index}" + ("" if label is None else f" (true label {label})")
    changed = int(np.count_nonzero(image != (blank_image() if start is None else checked_image(start))))
    return f"{begun}, {changed} pixel{'' if changed == 1 else 's'} changed; {inked} of {SIDE * SIDE} pixels inked."


# ----- the picture ------------------------------------------------------------------------------------

def digit_figure(model, image, *, title: str | None = None) -> Figure:
    """The image beside the trained network's ten probabilities for it (the :class:`DigitPad`'s first frame).

    Args:
        model: a trained digit network (64 inputs, 10 softmax outputs).
        image: (8, 8) whole ink levels 0..16.
        title: the image's title (default ``"the drawing: ink 0 to 16"``).

    Returns:
        the figure: left axes, the image (an ``AxesImage`` holding it); right axes, ten bars (heights =
        :func:`digit_probabilities`), each labelled with its percentage, the predicted digit's bar orange, hatched
        and marked with a ``"▼"`` above, and the title naming it.
    """
    image = checked_image(image)
    return DigitPicture(image, digit_probabilities(model, image), title=title).figure


class DigitPicture(Picture):
    """:func:`digit_figure` as a picture; ``update(image, probabilities)`` moves the pixels and the bars in place.

    Attributes: ``figure``; ``pixels`` (the AxesImage); ``bars`` (ten Rectangles), ``labels`` (their
    percentages), ``marker`` (the ``"▼"`` over the predicted bar), ``image_ax`` and ``bars_ax``.
    """

    def __init__(self, image, probabilities, *, title: str | None = None, live: bool = False):
        image, probabilities = checked_image(image), _checked_probabilities(probabilities)
        self.figure, (self.image_ax, self.bars_ax) = new_figure((7.2, 3.2), live=live, ncols=2,
                                                                width_ratios=(1, 1.7))
        ax = self.image_ax
        self.pixels = ax.imshow(image, cmap="gray_r", vmin=0, vmax=MAX_INK, interpolation="nearest")
        edges = np.arange(SIDE + 1) - 0.5      # the cells' borders, so each pixel reads as one square
        ax.hlines(edges, -0.5, SIDE - 0.5, colors="0.75", linewidths=0.5)
        ax.vlines(edges, -0.5, SIDE - 0.5, colors="0.75", linewidths=0.5)
        ax.set_xticks(range(SIDE))
        ax.set_yticks(range(SIDE))
        ax.tick_params(labelsize=8, length=0)
        ax.set_xlabel("column")
        ax.set_ylabel("row")
        ax.set_title(self._image_title(title), fontsize=9)

        ax = self.bars_ax
        self.bars = ax.bar(DIGITS, probabilities, color=BAR_COLOUR, edgecolor="black", linewidth=0.5)
        self.labels = [ax.annotate("", (k, 0.0), textcoords="offset points", xytext=(0, 2), ha="center",
                                   va="bottom", fontsize=8) for k in DIGITS]
        self.marker = ax.annotate(PREDICTED_MARK, (0, 0.0), textcoords="offset points", xytext=(0, 12),
                                  ha="center", va="bottom", fontsize=10)
        ax.set_xticks(DIGITS)
        ax.set_xlim(-0.6, len(DIGITS) - 0.4)
        ax.set_ylim(0, 1.3)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_xlabel("digit")
        ax.set_ylabel("probability")
        self.image, self.probabilities = image, probabilities
        self._show(probabilities)
        set_alt(self.figure, self.alt)
        # Fixed margins, not tight_layout: the layout must not depend on the first state (a long title, the
        # mark over bar 9), so that every later frame is the picture a fresh one of that state would be.
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.88, wspace=0.28)

    def alt(self) -> str:
        """The picture in words: what the image is, how much ink it holds, and the network's answer (the pad's
        own :func:`drawing_report`)."""
        inked = int(np.count_nonzero(self.image))
        return (f"{self.image_ax.get_title()}: an {SIDE} by {SIDE} image with {inked} of {SIDE * SIDE} pixels "
                f"inked, beside a bar chart of the network's ten probabilities. {drawing_report(self.probabilities)}")

    @staticmethod
    def _image_title(title) -> str:
        return "the drawing: ink 0 to 16" if title is None else str(title)

    def _show(self, probabilities) -> None:
        best = int(np.argmax(probabilities))
        for k, (bar, label, p) in enumerate(zip(self.bars, self.labels, probabilities)):
            bar.set_height(p)
            predicted = k == best
            bar.set_facecolor(PREDICTED_COLOUR if predicted else BAR_COLOUR)
            bar.set_hatch(PREDICTED_HATCH if predicted else None)
            bar.set_linewidth(1.5 if predicted else 0.5)
            label.xy = (k, p)
            label.set_text(f"{p:.0%}")
        self.marker.xy = (best, float(probabilities[best]))
        self.bars_ax.title.set_text(f"the network reads a {best} ({probabilities[best]:.1%})")

    def moving(self) -> list:
        return [self.pixels, self.image_ax.title, *self.bars, *self.labels, self.marker, self.bars_ax.title]

    def update(self, image, probabilities, *, title: str | None = None) -> None:
        """Show another image and the network's probabilities for it."""
        image, probabilities = checked_image(image), _checked_probabilities(probabilities)
        self.image, self.probabilities = image, probabilities
        self.pixels.set_data(image)
        self.image_ax.title.set_text(self._image_title(title))
        self._show(probabilities)


# ----- the widget -------------------------------------------------------------------------------------

def ink_colour(ink) -> str:
    """The pad's colour for an ink level, as the picture draws it (matplotlib's ``gray_r``): 0 white, 16 black."""
    level = round(255 * (1 - _ink("ink", ink) / MAX_INK))
    return f"#{level:02x}{level:02x}{level:02x}"


def pixel_tooltip(row, col, ink, tool: str = "cycle") -> str:
    """A pad button's description for the keyboard and screen readers, e.g. ``row 3, column 5: 8 of 16; press
    for 16``."""
    row, col, ink = _index("row", row), _index("col", col), _ink("ink", ink)
    return f"row {row}, column {col}: {ink} of {MAX_INK}; press for {next_ink(ink, tool)}"


class DigitPad:
    """An 8 x 8 pad to paint a digit on, with a trained network's ten probabilities updated at each click.

    Each of the 64 pixels is a button (Tab moves between them row by row, Enter or Space presses one); a press
    applies the chosen tool: ``cycle`` steps the pixel 0 -> 8 -> 16 -> 0, ``pen`` inks it fully, ``eraser``
    clears it. A button shows its ink as its grey and its number, and its tooltip says where it is and what a
    press does (:func:`pixel_tooltip`). ``clear`` blanks the pad; with test images, the ``test image``
    dropdown (each named with its true label) loads one onto the pad, and ``load`` loads it again.

    Args:
        model: a trained digit network (64 inputs -> 10 softmax outputs), fed as :func:`image_inputs`.
        images: optional (n, 8, 8) test images, ink 0..16 (``nnbook.data.digits()``'s format).
        labels: their (n,) true labels, with ``images``.
        start: the index of the test image to start from; None starts blank (or, with images, from image 0).
        draw: False leaves out the picture (a readout only).

    Attributes:
        ``widget`` (the box to display, an :class:`~nnbook.lessons._explorer.Explorer`), ``image`` (the pad's
        (8, 8) uint8 image now), ``probabilities`` (the network's (10,) for it), ``buttons`` (8 lists of 8,
        ``buttons[row][col]``), ``pad`` (their GridBox), ``tool``, ``clear_button``, ``choice`` (the dropdown,
        None without images), ``load_button``, ``readout``, ``picture`` (a :class:`DigitPicture`, None with
        ``draw=False``), ``figures_drawn``.
    """

    def __init__(self, model, images=None, labels=None, *, start: int | None = None, draw: bool = True):
        import ipywidgets as widgets

        _check_digit_model(model)
        self.model = model
        self.images, self.labels = self._checked_test_images(images, labels)
        if start is not None and self.images is None:
            raise ValueError("start needs test images: pass images and labels to start from one")
        if start is None and self.images is not None:
            start = 0
        if start is not None:
            start = _validate.whole_number("start", start)
            if start >= len(self.images):
                raise ValueError(f"start must be the index of a test image, 0 to {len(self.images) - 1}, got {start}")
        self.index = start                       # the test image the drawing started from, or None
        self.image = blank_image() if start is None else self.images[start].copy()
        self.probabilities = digit_probabilities(model, self.image)

        self.tool = widgets.ToggleButtons(options=TOOLS, value="cycle", description="a press",
                                          tooltips=["step the pixel 0 -> 8 -> 16 -> 0", "ink the pixel fully (16)",
                                                    "clear the pixel (0)"],
                                          style={"button_width": "64px"})
        self.tool.observe(self._tool_changed, names="value")
        self.buttons = [[self._pixel_button(widgets, row, col) for col in range(SIDE)] for row in range(SIDE)]
        self.pad = widgets.GridBox([button for row in self.buttons for button in row],
                                   layout=widgets.Layout(grid_template_columns=f"repeat({SIDE}, 30px)",
                                                         grid_gap="1px", width="max-content"))
        self.clear_button = widgets.Button(description="clear", icon="eraser", tooltip="blank the whole pad")
        self.clear_button.on_click(lambda _: self.clear())
        side = [self.tool, self.clear_button]
        self.choice = self.load_button = None
        if self.images is not None:
            self.choice = widgets.Dropdown(options=[(f"{i}: a {label}", i) for i, label in enumerate(self.labels)],
                                           value=start, description="test image")
            self.choice.observe(lambda change: self.load(change["new"]), names="value")
            self.load_button = widgets.Button(description="load", icon="upload",
                                              tooltip="put the chosen test image on the pad again")
            self.load_button.on_click(lambda _: self.load(self.choice.value))
            side += [self.choice, self.load_button]
        self._show_pad()
        self.picture = DigitPicture(self.image, self.probabilities, title=self._title(), live=True) if draw else None
        # The pad and the side panel are the Explorer's controls; none of them has a value it observes: each
        # handler here changes the image and calls refresh.
        self.widget = Explorer([self.pad, widgets.VBox(side)], self._report, self.picture,
                               self._move if draw else None)
        self.readout = self.widget.readout

    @staticmethod
    def _checked_test_images(images, labels):
        if images is None and labels is None:
            return None, None
        if images is None or labels is None:
            raise ValueError("images and labels go together: pass both, or neither for a blank pad only")
        array = _validate.float_array("images", images, ndim=3)
        if array.shape[1:] != (SIDE, SIDE) or len(array) == 0:
            raise ValueError(f"images must have shape (n, {SIDE}, {SIDE}) with n >= 1, got {array.shape}")
        array = np.stack([checked_image(image) for image in array])
        labels = _validate.integer_labels(labels, len(DIGITS))
        if len(labels) != len(array):
            raise ValueError(f"labels must give one label per image, {len(array)}, got {len(labels)}")
        return array, [int(label) for label in labels]

    def _pixel_button(self, widgets, row: int, col: int):
        button = widgets.Button(layout=widgets.Layout(width="30px", height="30px", padding="0px"),
                                style={"font_size": "9px"})
        button.on_click(lambda _, row=row, col=col: self.press(row, col))
        return button

    def _show_pad(self) -> None:
        """Each button's grey, number and tooltip from the image and the tool."""
        for row in range(SIDE):
            for col in range(SIDE):
                ink = int(self.image[row, col])
                button = self.buttons[row][col]
                button.description = str(ink)
                button.tooltip = pixel_tooltip(row, col, ink, self.tool.value)
                button.style.button_color = ink_colour(ink)
                button.style.text_color = "white" if ink > MAX_INK // 2 else "black"

    def _title(self) -> str:
        if self.index is None:
            return "your drawing"
        changed = not np.array_equal(self.image, self.images[self.index])
        return f"test image {self.index} (a {self.labels[self.index]}){', changed' if changed else ''}"

    @property
    def figures_drawn(self) -> int:
        """How many times the picture was drawn."""
        return self.widget.draws

    def _report(self) -> str:
        self.probabilities = digit_probabilities(self.model, self.image)
        start = None if self.index is None else self.images[self.index]
        label = None if self.index is None else self.labels[self.index]
        return source_report(self.image, start, self.index, label) + "\n" + drawing_report(self.probabilities)

    def _move(self) -> None:
        self.picture.update(self.image, self.probabilities, title=self._title())

    def _refresh(self) -> None:
        self._show_pad()
        self.widget.refresh()

    def _tool_changed(self, _change) -> None:
        self._show_pad()                         # the tooltips say what a press now does

    def press(self, row, col) -> None:
        """Apply the tool to pixel (row, col), as a press of its button does; redraw."""
        row, col = _index("row", row), _index("col", col)
        self.image = paint(self.image, row, col, next_ink(int(self.image[row, col]), self.tool.value))
        self._refresh()

    def clear(self) -> None:
        """Blank the pad (a drawing of one's own from now on); redraw."""
        self.image, self.index = blank_image(), None
        self._refresh()

    def load(self, index) -> None:
        """Put test image ``index`` on the pad; redraw."""
        if self.images is None:
            raise ValueError("this pad has no test images: pass images and labels to DigitPad")
        index = _validate.whole_number("index", index)
        if index >= len(self.images):
            raise ValueError(f"index must be the index of a test image, 0 to {len(self.images) - 1}, got {index}")
        self.image, self.index = self.images[index].copy(), index
        self._refresh()

"""The one pattern behind every interactive cell of the course: controls -> a report -> a picture moved in place.

A *picture* (:class:`Picture`) is one figure and the artists on it. Its ``__init__`` draws them for a first
state; its ``update(...)`` moves them to another state (``set_data``, ``set_height``, ``set_text``, ...)
without making a new figure. A lesson's static figure function is that first frame: it builds the picture
and returns its figure (``plots.bowl(0.38)`` is ``BowlPicture(0.38).figure``), so what a notebook stores as
a PNG and what the live widget starts from are drawn by the same code.

An :class:`Explorer` wires controls to a picture::

    a control's value changes -> readout = report()  (plain text, from a plain function the tests call)
                              -> move()              (the picture's update(...) with the controls' values)
                              -> image = picture.png()  (the same figure, drawn again and encoded once)

The picture reaches the browser as PNG bytes in an ``ipywidgets.Image``: no Output widget, no figure handed
to IPython's display, so it behaves the same in JupyterLab, under nbval and in a test. A live picture's
figure lives outside pyplot (nothing to close, never shown twice by the inline backend) at
:data:`LIVE_DPI`, and its layout is computed once, when it is first drawn.
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox
from PIL import Image

from nnbook.lessons.alt import figure_alt

#: Resolution of the pictures the widgets send: 80 dots per inch, so a 6.4 x 3.8 inch figure is 512 x 304 px.
LIVE_DPI = 80


def new_figure(figsize, *, live: bool = False, **subplots):
    """A figure and its axes (``Figure.subplots(**subplots)``).

    Args:
        figsize: (width, height) in inches.
        live: False for a lesson's static figure: a pyplot figure that a cell shows with ``plt.show()``.
            True for a widget's picture: a figure outside pyplot at LIVE_DPI, drawn on its own Agg canvas.

    Returns:
        ``(figure, axes)`` as ``plt.subplots`` returns them.
    """
    if not live:
        return plt.subplots(figsize=figsize, **subplots)
    fig = Figure(figsize=figsize, dpi=LIVE_DPI)
    FigureCanvasAgg(fig)
    return fig, fig.subplots(**subplots)


def png_bytes(fig) -> bytes:
    """Draw ``fig`` on its Agg canvas and encode the pixels as PNG (fast zlib level: these are sent, not kept)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return _encode(canvas)


def _encode(canvas) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class Picture:
    """A figure drawn once and moved in place. Subclasses draw in ``__init__`` and move in ``update(...)``.

    :meth:`png` draws the figure and encodes it. A subclass that lists the artists its ``update`` changes
    (:meth:`moving`) is drawn faster: everything else is drawn once and kept as a background, and each later
    frame restores that background and draws only the foreground: the moving artists and whatever the axes
    would draw over them where they are (a legend, the frame, a text), in the order the axes itself draws, so
    the picture is the same as a full draw. A frame with a new layout (an axes' place or limits) is one full
    draw, and the background is kept from the next frame with that layout on; when the foreground changes (an
    artist added, a line moving under a legend), the background is drawn again.

    Attributes:
        figure: the :class:`~matplotlib.figure.Figure`, the same object for the picture's whole life.
        background_draws: how many times a background was drawn (once per layout kept, and once per change of
            the foreground); a frame of a layout seen only once is drawn whole and not counted.
    """

    figure: Figure
    background_draws = 0
    _background = None
    _key = None
    _layout = None
    _boxes = None

    def update(self, *args, **kwargs) -> None:   # pragma: no cover - every subclass defines its own
        raise NotImplementedError

    def moving(self) -> list:
        """The artists ``update`` changes (an axis label too); empty (the default): every frame is drawn in full."""
        return []

    def png(self) -> bytes:
        """The figure as it now is, as PNG bytes."""
        moving = self.moving()
        if not moving:
            return png_bytes(self.figure)
        layout = _layout_key(self.figure)
        if layout != self._layout:
            # A new layout (the first frame, or axes moved or rescaled): one full draw. A background is kept
            # only for a layout seen twice in a row, so a control that rescales the axes each time (lesson 05's
            # choice of weight) costs one draw, not a background and a foreground.
            self._layout, self._key, self._boxes = layout, None, None
            return png_bytes(self.figure)
        candidates, labels = _foreground(self.figure, moving)
        canvas = self.figure.canvas
        if self._boxes is None:          # where the still artists are in this layout, which the last frame drew
            self._boxes = _still_boxes(candidates, moving, canvas.get_renderer())
        children = _needed(candidates, moving, self._boxes, canvas)
        key = (layout, tuple(map(id, children + labels)))
        if key != self._key:
            # The background is everything else. An axes leaves its animated children out of a draw; an axis
            # draws its label whatever, unless the label is hidden.
            shown = [label.get_visible() for label in labels]
            for artist in children:
                artist.set_animated(True)
            for label in labels:
                label.set_visible(False)
            try:
                canvas.draw()
            finally:
                for artist in children:
                    artist.set_animated(False)
                for label, visible in zip(labels, shown):
                    label.set_visible(visible)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._key = key
            self.background_draws += 1
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in children + labels:
            artist.draw(renderer)
        moving_ids = {id(artist) for artist in moving}
        if any(id(artist) not in self._boxes for artist in children if id(artist) not in moving_ids):
            self._boxes = _still_boxes(candidates, moving, renderer)   # a new artist
        return _encode(canvas)

    def full_png(self) -> bytes:
        """The figure drawn in full, every artist at once, as PNG bytes (what :meth:`png` must equal)."""
        return png_bytes(self.figure)


def _layout_key(fig) -> tuple:
    """What the background depends on besides its artists: each axes' place and limits."""
    return tuple((ax.get_position().bounds, ax.get_xlim(), ax.get_ylim()) for ax in fig.axes)


def _foreground(fig, moving) -> tuple[list, list]:
    """What :meth:`Picture.png` draws over the background: in each axes holding a moving artist, that artist and
    every one drawn after the lowest of them, in the order ``Axes.draw`` draws them (by zorder, ties in child
    order); and, apart, the moving axis labels (an axis draws its own label). Ticks stay in the background."""
    labels = {id(axis.label): ax for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)}
    moving_labels = [artist for artist in moving if id(artist) in labels]
    inside = [artist for artist in moving if id(artist) not in labels]
    axes = []
    for artist in inside:
        if artist.axes is None or artist.axes.figure is not fig:
            raise ValueError(f"moving artists must belong to an axes of the picture, got {artist!r}")
        if artist.axes not in axes:
            axes.append(artist.axes)
    foreground = []
    for ax in axes:
        lowest = min(artist.zorder for artist in inside if artist.axes is ax)
        hidden = [ax.patch, ax.xaxis, ax.yaxis]                  # the axes' back and its axes: background
        if not (ax.axison and ax.get_frame_on()):
            hidden += ax.spines.values()                          # Axes.draw leaves these out too
        children = [child for child in ax.get_children() if not any(child is h for h in hidden)]
        foreground += sorted((child for child in children if child.zorder >= lowest), key=lambda a: a.zorder)
    return foreground, moving_labels


def _still_boxes(candidates, moving, renderer) -> dict:
    """Where each still (not moving) candidate of the foreground is on the canvas: id -> padded Bbox, or None
    for one that may move anyway (a legend placed "best" follows the data)."""
    moving_ids = {id(artist) for artist in moving}
    boxes = {}
    for artist in candidates:
        if id(artist) in moving_ids:
            continue
        if isinstance(artist, Legend) and artist._loc in (0, "best"):
            boxes[id(artist)] = None
            continue
        try:
            box = artist.get_window_extent(renderer)
        except (AttributeError, NotImplementedError, RuntimeError):
            box = None
        boxes[id(artist)] = None if box is None else Bbox.from_extents(box.x0 - 1, box.y0 - 1, box.x1 + 1,
                                                                      box.y1 + 1)
    return boxes


def _covers(artist, box, renderer) -> bool:
    """Whether a moving ``artist``, as it is now, may put a pixel inside ``box`` (a line exactly, others by their
    bounding box)."""
    if not artist.get_visible():
        return False
    if isinstance(artist, Line2D):
        marker = artist.get_marker()
        size = artist.get_markersize() if marker not in (None, "None", "none", "", " ") else 0.0
        pad = (artist.get_linewidth() + size) * artist.figure.dpi / 72 / 2 + 1
        padded = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
        path = artist.get_transform().transform_path(artist.get_path())
        return bool(len(path.vertices)) and path.intersects_bbox(padded, filled=False)
    return artist.get_window_extent(renderer).overlaps(box)


def _needed(candidates, moving, boxes, canvas) -> list:
    """The candidates that must be drawn over the background this frame: every moving one, and every still one
    that something drawn before it in the foreground may cover (so it must be drawn again, on top)."""
    renderer = canvas.get_renderer()
    moving_ids = {id(artist) for artist in moving}
    needed, extents = [], {}

    def covers(other, box) -> bool:
        if id(other) in boxes and boxes[id(other)] is not None:     # a still artist: where it was measured
            return boxes[id(other)].overlaps(box)
        if isinstance(other, Line2D) or not other.get_visible():
            return _covers(other, box, renderer)
        if id(other) not in extents:                                # measured once a frame
            extents[id(other)] = other.get_window_extent(renderer)
        return extents[id(other)].overlaps(box)

    for artist in candidates:
        box = boxes.get(id(artist))
        if id(artist) in moving_ids or box is None \
                or any(other.axes is artist.axes and covers(other, box) for other in needed):
            needed.append(artist)
    return needed


def set_legend_texts(ax, labels) -> None:
    """Give the labelled lines of ``ax`` new labels, in the legend too, without laying the legend out again."""
    legend = ax.get_legend()
    for text, label in zip(legend.get_texts(), labels):
        text.set_text(label)


class TitledImage(widgets.Image):
    """An Image widget whose ``tooltip`` reaches the page as the picture's ``title`` (its name for a screen reader).

    ipywidgets 8's front end sets the title only when the widget's ``description`` is empty, and reads the
    length of a ``description`` that the plain Image model does not have, so a plain Image with a tooltip fails
    to draw. This one carries an empty ``description``.
    """

    description = traitlets.Unicode("").tag(sync=True)


class Explorer(widgets.VBox):
    """Controls, a readout and (optionally) pictures, wired together.

    The box's children, so a test can drive it without a browser (set a control's ``.value``; observers run
    at once)::

        children[0]    the controls (an HBox, or a VBox with ``vertical=True``)
        children[1]    the readout: an HTML widget holding ``report()`` in <pre> (or <p> with ``paragraph``)
        children[2]    the picture: an Image widget holding ``picture.png()`` and, as its tooltip (the
                       ``title`` a screen reader reads), the figure's alt text (:func:`nnbook.lessons.alt.figure_alt`);
                       absent without a picture; for several pictures, an HBox of one Image each, side by side

    Args:
        controls: the widgets shown at the top; a change of the ``value`` of any of them triggers an update
            (buttons have no value: they act through their own handlers, which call :meth:`refresh`).
        report: a function of no arguments returning the readout's text for the controls' values.
        picture: a :class:`Picture` already drawn for the controls' starting values, a list of them, or None.
        move: a function of no arguments that moves the pictures to the controls' values (calls their update).
        vertical: stack the controls instead of lining them up.
        paragraph: show the report as a wrapping paragraph instead of preformatted lines.
        image_widths: CSS widths of the pictures' images (e.g. ``("74%", "25%")``); by default their own size.

    Attributes:
        controls, readout, pictures (a list), images (one Image per picture), picture and image (the first,
        or None), figure (the first picture's figure), draws (how many times the pictures were encoded).
    """

    def __init__(self, controls, report, picture=None, move=None, *, vertical: bool = False,
                 paragraph: bool = False, image_widths=None):
        self.controls = list(controls)
        self.report, self.move, self.paragraph = report, move, paragraph
        self.pictures = [] if picture is None else list(picture) if isinstance(picture, (list, tuple)) \
            else [picture]
        widths = list(image_widths or [None] * len(self.pictures))
        if len(widths) != len(self.pictures):
            raise ValueError(f"image_widths must give one width per picture, {len(self.pictures)}, got {len(widths)}")
        self.readout = widgets.HTML()
        self.images = [TitledImage(format="png", layout=widgets.Layout(width=width or "auto")) for width in widths]
        self.draws = 0
        row = (widgets.VBox if vertical else widgets.HBox)(self.controls)
        shown = [] if not self.images else self.images if len(self.images) == 1 else [widgets.HBox(self.images)]
        super().__init__([row, self.readout] + shown)
        for control in self.controls:
            if control.has_trait("value"):
                control.observe(self.refresh, names="value")
        self.refresh()

    @property
    def picture(self) -> Picture | None:
        """The (first) picture."""
        return self.pictures[0] if self.pictures else None

    @property
    def image(self):
        """The (first) picture's Image widget."""
        return self.images[0] if self.images else None

    @property
    def figure(self) -> Figure | None:
        """The (first) picture's figure, the same object after every update."""
        return self.pictures[0].figure if self.pictures else None

    def refresh(self, change=None) -> None:
        """Show the controls' current values: the report's text, then the pictures moved and encoded once."""
        text = html.escape(self.report(), quote=False)
        self.readout.value = f"<p>{text}</p>" if self.paragraph else f"<pre>{text}</pre>"
        if self.pictures:
            if self.move is not None:
                self.move()
            for picture, image in zip(self.pictures, self.images):
                image.value = picture.png()
                # The picture's alt text as the image's title (a screen reader's name for it, a tooltip).
                image.tooltip = figure_alt(picture.figure)
            self.draws += 1

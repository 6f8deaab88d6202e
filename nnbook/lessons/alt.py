"""Lesson 07: text alternatives for the course's figures (every lesson helper installs them too): what a
figure shows, with its key numbers, for readers who cannot see it.

Each figure's alt text is built from the figure itself when it is shown, so it always says what the picture
says: a helper's own words for an axes or a figure where it gave them, else what is read from the drawn
artists (titles, labelled lines, bars, images).

In a notebook, importing any lesson helper calls :func:`install`: IPython then shows every matplotlib figure
(``plt.show()``) as an HTML ``<img alt="...">`` holding the PNG, beside the usual ``image/png`` (whose
output metadata also carries the ``alt``, as ``IPython.display.Image(alt=...)`` does). JupyterLab's image
renderer ignores that metadata and myst-nb reads an image's alt only from cell metadata, but both render the
HTML, so the text reaches a screen reader in JupyterLab and ``<img alt>`` on the website. The PNG itself is
unchanged: it is the inline backend's own rendering.
"""

from __future__ import annotations

import base64
import html
import numbers

import numpy as np

# matplotlib is imported inside the functions that need it: importing this module (which every lesson helper
# does, and so does `from nnbook import checks`, through the verdict colours) must not load it.

#: The attribute a figure or an axes keeps its alt text (or the function giving it) in.
ATTRIBUTE = "_nnbook_alt"


def set_alt(target, text):
    """Give a figure or an axes its alt text: a non-empty string, or a function of no arguments returning one
    (evaluated each time the figure is shown). Returns ``target``."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if not isinstance(target, (Figure, Axes)):
        raise TypeError(f"target must be a matplotlib Figure or Axes, got {type(target).__name__}")
    if not (callable(text) or (isinstance(text, str) and text.strip())):
        raise TypeError(f"text must be a non-empty string or a function returning one, got {text!r}")
    setattr(target, ATTRIBUTE, text)
    return target


def _own(target) -> str | None:
    text = getattr(target, ATTRIBUTE, None)
    if callable(text):
        text = text()
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"the alt text of {type(target).__name__} must be a non-empty string, got {text!r}")
    return " ".join(text.split())


def number(value, digits: int = 4) -> str:
    """A number as the alt texts write it: ``digits`` significant digits, no trailing zeros (``0.6638``,
    ``-0.55``, ``20``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    text = f"{float(value):.{digits}g}"
    return "0" if text == "-0" else text


def _title(ax) -> str:
    return " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)


def _line(line, xlabel: str, ylabel: str) -> str | None:
    label = line.get_label()
    if not line.get_visible() or not label or label.startswith("_"):
        return None
    x, y = (np.asarray(v, dtype=float).ravel() for v in line.get_data())
    if x.size == 0:
        return None
    # An axvline is drawn in data x and axes y (0 to 1), an axhline the other way round.
    in_x, in_y = line.get_transform().contains_branch_seperately(line.axes.transData)
    if in_x and not in_y:
        return f"{label}: a vertical line at {xlabel} {number(x[0])}"
    if in_y and not in_x:
        return f"{label}: a horizontal line at {ylabel} {number(y[0])}"
    if x.size == 1:
        return f"{label}: a point at {xlabel} {number(x[0])}, {ylabel} {number(y[0])}"
    text = (f"{label}: {ylabel} {number(y[0])} at {xlabel} {number(x[0])}, "
            f"{number(y[-1])} at {xlabel} {number(x[-1])}")
    low = int(np.nanargmin(y))
    if 0 < low < y.size - 1:
        text += f", lowest {number(y[low])} at {xlabel} {number(x[low])}"
    return text


def _bars(container, ax) -> str | None:
    label = container.get_label()
    if not label or label.startswith("_"):
        return None
    names = {round(float(tick), 6): text.get_text() for tick, text in zip(ax.get_xticks(), ax.get_xticklabels())}
    heights = []
    for bar in container:
        centre = round(bar.get_x() + bar.get_width() / 2, 6)
        name = names.get(centre) or next((n for x, n in names.items() if abs(x - centre) <= bar.get_width()), "")
        heights.append(f"{name} {number(bar.get_height())}".strip())
    return f"{label}: " + ", ".join(heights)


def describe_axes(ax) -> str:
    """One axes in words, read from what is drawn on it: its title, then each labelled line (its first and last
    value and, when it dips between them, its lowest), each labelled set of bars (every height) and each image
    (its size). Unlabelled artists are left out; an empty axes gives ``""``."""
    from matplotlib.container import BarContainer

    xlabel, ylabel = ax.get_xlabel() or "x", ax.get_ylabel() or "y"
    parts = [_title(ax)] if _title(ax) else []
    if ax.name == "3d":
        parts.append(f"a 3-D surface over {xlabel} and {ylabel}")
    for image in ax.images:
        rows, cols = np.shape(image.get_array())[:2]
        parts.append(f"an image of {rows} by {cols} values")
    parts += [text for text in (_bars(c, ax) for c in ax.containers if isinstance(c, BarContainer)) if text]
    parts += [text for text in (_line(line, xlabel, ylabel) for line in ax.get_lines()) if text]
    return "; ".join(parts)


def figure_alt(fig) -> str:
    """The alt text of a figure: its own (:func:`set_alt`), else its suptitle then each visible axes' own text
    or :func:`describe_axes`, joined with ``". "``. Never empty: a figure with nothing to read says so."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    own = _own(fig)
    if own is not None:
        return own
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(suptitle.get_text())
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        text = _own(ax)
        if text is None:
            text = describe_axes(ax)
        if text:
            parts.append(text)
    if not parts:
        return "a figure with no title or labelled data"
    return ". ".join(part.rstrip(". ") for part in parts) + "."


def img_html(png_base64: str, alt: str) -> str:
    """An ``<img>`` holding a base64 PNG, with its alt text escaped for an HTML attribute."""
    if not isinstance(png_base64, str):
        raise TypeError(f"png_base64 must be the PNG as base64 text, got {type(png_base64).__name__}")
    return f'<img src="data:image/png;base64,{png_base64}" alt="{html.escape(alt, quote=True)}"/>'


def mimebundle(fig, png):
    """What IPython shows for ``fig``: ``({"text/html": <img alt>}, {"image/png": {"alt": alt}})``.

    ``png`` is the ``image/png`` formatter (the inline backend's): the HTML holds the same PNG it gives, and
    IPython adds that ``image/png`` itself."""
    alt = figure_alt(fig)
    data = png(fig)
    if isinstance(data, tuple):          # a formatter may give (data, metadata)
        data = data[0]
    if data is None:
        return {}, {"image/png": {"alt": alt}}
    if isinstance(data, bytes):
        data = base64.b64encode(data).decode("ascii")
    return {"text/html": img_html(data.replace("\n", ""), alt)}, {"image/png": {"alt": alt}}


def install(shell=None) -> bool:
    """Show every matplotlib figure in this IPython shell with its alt text (see the module's docstring).

    Registers a mime-bundle printer for :class:`~matplotlib.figure.Figure`; IPython's inline backend resets
    only its per-mime printers, so the printer stays. Returns False (and does nothing) outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:           # pragma: no cover - IPython comes with ipywidgets
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatters = shell.display_formatter

    def printer(fig):
        return mimebundle(fig, formatters.formatters["image/png"])

    # By name, so matplotlib loads only when a figure is first shown (IPython resolves the name then).
    formatters.mimebundle_formatter.for_type_by_name("matplotlib.figure", "Figure", printer)
    return True

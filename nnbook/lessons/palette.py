"""Lesson 07: the course's one colour-blind-safe palette (every lesson helper draws with it), for figures and verdicts.

The figure colours are Okabe and Ito's eight ("Color Universal Design", 2008): under a simulated protan,
deutan or tritan view any two of them stay apart (tests/unit/test_palette.py measures it), which the
matplotlib default cycle does not (its orange and green, or green and red, merge). Colour is never the only
cue: lines also differ by style or marker, bars by hatching or edge, verdicts by their words.

Helpers name a colour by its role (``LOSS_COLOUR = palette.BLUE``); notebooks use these names too.
"""

from __future__ import annotations

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
#: A neutral grey for what is context, not data (reference lines, observed points), as a matplotlib grey level.
GREY = "0.55"
WHITE = "#ffffff"

#: The eight, in the order figures take them for a series of lines (yellow last: faint on white).
CYCLE = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, BLACK, YELLOW)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` (0 to 1) of the way to ``other``, both "#rrggbb": a tint towards white,
    a shade towards black."""
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (colour, other))
    return "#" + "".join(f"{round(x * (1 - share) + y * share):02x}" for x, y in zip(a, b))


def tint(colour: str, share: float = 0.8) -> str:
    """A pale ``colour`` for a fill behind text: ``share`` of the way to white."""
    return mix(colour, WHITE, share)


def _verdict(colour: str, shade: float) -> tuple[str, str]:
    # Dark text on a pale tint of the same hue: it reads at 4.5:1 or more (WCAG AA) in a light theme and in
    # JupyterLab Dark alike, since it brings its own background (no one text colour does on both white and #111).
    return mix(colour, BLACK, shade), tint(colour, 0.88)


#: (text, background) of each verdict a check, the report card or a quiz shows.
RIGHT = _verdict(BLUISH_GREEN, 0.35)
WRONG = _verdict(VERMILLION, 0.3)
UNCHECKED = _verdict(ORANGE, 0.4)
NEUTRAL = ("#4d4d4d", "#ededed")


def badge_style(verdict: tuple[str, str]) -> str:
    """The inline CSS of a verdict's words: its text colour on its own background."""
    text, background = verdict
    return f"color:{text};background:{background};padding:0 0.25em;border-radius:3px"

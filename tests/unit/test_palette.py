"""One colour-blind-safe palette for the course (issue 21): its colours stay apart under simulated colour
vision deficiencies, its verdicts are legible in any theme, and the figures draw with it.

The simulation is Machado, Oliveira and Fernandes (2009) at full severity, on linear RGB; distances are CIE76
differences in CIELAB. The same measure is shown to fail matplotlib's default colours, so it can fail."""

from __future__ import annotations

import itertools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import Collection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from nnbook import data, descent
from nnbook.lessons import curves, images, palette, plots, surfaces
from nnbook.tools import grading, progress

SIMULATIONS = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
#: Two colours this far apart (CIE76) are told apart at a glance; 2.3 is the just-noticeable difference.
APART = 15.0


def _linear(colour) -> np.ndarray:
    c = np.array(matplotlib.colors.to_rgb(colour))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear) -> np.ndarray:
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ np.clip(linear, 0, 1)
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_apart(a, b, simulation: str) -> float:
    """How far apart colours a and b look (CIE76) to someone with the given deficiency."""
    m = np.array(SIMULATIONS[simulation])
    return float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b))))


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours."""
    la, lb = (float(np.dot([0.2126, 0.7152, 0.0722], _linear(c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_every_two_colours_of_the_cycle_stay_apart(simulation):
    closest = min(((seen_apart(a, b, simulation), a, b) for a, b in itertools.combinations(palette.CYCLE, 2)))
    assert closest[0] >= APART, f"under {simulation}, {closest[1]} and {closest[2]} are only {closest[0]:.1f} apart"


def test_the_measure_catches_matplotlibs_default_colours():
    # tab:orange and tab:green merge for a protan eye, tab:green and tab:red for a deutan one.
    assert seen_apart("tab:orange", "tab:green", "protan") < APART
    assert seen_apart("tab:green", "tab:red", "deutan") < APART
    assert seen_apart("tab:blue", "tab:orange", "deutan") >= APART


@pytest.mark.parametrize("verdict", ["RIGHT", "WRONG", "UNCHECKED", "NEUTRAL"])
def test_a_verdict_reads_at_4_5_to_1_on_its_own_background(verdict):
    text, background = getattr(palette, verdict)
    assert contrast(text, background) >= 4.5
    # with its own background, it does not matter what the theme's is (white, or JupyterLab Dark's #111)
    assert palette.badge_style(getattr(palette, verdict)) == (
        f"color:{text};background:{background};padding:0 0.25em;border-radius:3px")


def test_right_and_wrong_stay_apart_under_every_simulation():
    for simulation in SIMULATIONS:
        assert seen_apart(palette.RIGHT[0], palette.WRONG[0], simulation) >= APART / 2
        assert seen_apart(palette.RIGHT[1], palette.WRONG[1], simulation) > 2.3


def test_mix_and_tint():
    assert palette.mix("#000000", "#ffffff", 0.5) == "#808080"
    assert palette.mix(palette.BLUE, palette.BLACK, 0.0) == palette.BLUE.lower()
    assert palette.tint("#000000", 0.8) == "#cccccc"


def test_a_check_and_the_report_card_show_their_verdicts_in_the_palette():
    passed = grading.CheckResult(name="sse", status=grading.PASSED, passed_cases=4, total=4)
    assert palette.badge_style(palette.RIGHT) in passed._repr_html_()
    failed = progress.Exercise("exercises/03.ipynb", "sse", grading.FAILED, "a hint")
    card = progress.Report(runs=[progress.NotebookRun("exercises/03.ipynb", [failed])])
    assert f'<span style="{palette.badge_style(palette.WRONG)}">failed: a hint</span>' in card._repr_html_()


# ----- the figures draw with it -------------------------------------------------------------------------------

def _course_colours() -> list:
    named = [value for name, value in vars(palette).items() if name.isupper() and isinstance(value, str)]
    verdicts = [c for name in ("RIGHT", "WRONG", "UNCHECKED", "NEUTRAL") for c in getattr(palette, name)]
    return [*named, *verdicts, *(palette.tint(c) for c in palette.CYCLE)]


def _is_course_colour(rgba) -> bool:
    r, g, b, a = matplotlib.colors.to_rgba(rgba)
    if a == 0 or (r == g == b):     # transparent, or a neutral grey (black and white included)
        return True
    return any(matplotlib.colors.same_color((r, g, b), c) for c in _course_colours())


def _drawn_colours(fig) -> list:
    found = []
    for artist in fig.findobj(lambda a: isinstance(a, (Line2D, Patch, Collection))):
        if isinstance(artist, Line2D):
            found += [artist.get_color(), artist.get_markerfacecolor(), artist.get_markeredgecolor()]
        elif isinstance(artist, Patch):
            found += [artist.get_facecolor(), artist.get_edgecolor()]
        elif artist.get_array() is None:      # (a colour-mapped collection, like contours, uses its colour map)
            found += [*artist.get_facecolor(), *artist.get_edgecolor()]
    return [c for c in found if not (isinstance(c, str) and c in ("none", "auto"))]


def _figures():
    rng = np.random.default_rng(3)
    history = {"loss": np.linspace(0.7, 0.3, 8), "accuracy": np.linspace(0.5, 0.9, 8)}
    runs = [(f"run {k}", {key: value + 0.01 * k for key, value in history.items()}) for k in range(5)]
    digits, labels = rng.integers(0, 17, size=(6, 8, 8)), np.arange(6)
    probabilities = rng.dirichlet(np.ones(10), size=6)
    weights = np.linspace(-2, 2, 9)
    pet = np.exp(np.stack([weights, -weights, 0 * weights], axis=1))
    path = descent.gradient_descent(lambda w: 2 * w, np.array([-2.0, 2.0]), 0.1, 6)
    return {
        "compare_runs": lambda: curves.compare_runs(runs, mark_epoch=3),
        "training_curves": lambda: curves.training_curves({**history, "val_loss": history["loss"] + 0.1,
                                                           "val_accuracy": history["accuracy"] - 0.1}),
        "output_probabilities": lambda: plots.output_probabilities(weights, pet / pet.sum(1, keepdims=True), 0.5,
                                                                   ("Cat", "Dog", "Bird")),
        "prediction_bars": lambda: plots.prediction_bars(np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.5, 0.3]),
                                                         data.PET_CLASSES),
        "bowl": lambda: plots.bowl(0.38, learning_rate=0.3),
        "descent_paths": lambda: plots.descent_paths((0.01, 0.3, 1.05)),
        "surface": lambda: surfaces.surface_figure(lambda w: w[0] ** 2 + w[1] ** 2, [path, path * 0.5],
                                                   labels=["a", "b"], points=21),
        "prediction_gallery": lambda: images.prediction_gallery(digits, labels, probabilities, rows=range(6)),
    }


def test_the_figure_test_tells_a_stray_colour():
    assert not _is_course_colour("tab:green") and _is_course_colour(palette.BLUISH_GREEN) and _is_course_colour("0.3")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])      # matplotlib's default first colour, tab:blue
    assert [c for c in _drawn_colours(fig) if not _is_course_colour(c)]
    plt.close(fig)


@pytest.mark.parametrize("name", list(_figures()))
def test_a_figure_draws_only_with_the_palettes_colours_and_greys(name):
    fig = _figures()[name]()
    try:
        strays = {matplotlib.colors.to_hex(c) for c in _drawn_colours(fig) if not _is_course_colour(c)}
        assert not strays, f"{name} draws with colours outside the palette: {sorted(strays)}"
    finally:
        plt.close(fig)

"""Lesson 04 (gradient descent) and its exercises (update_weight, gradient_descent).

The seed figures (W = 0.38, learning rate 0.01, slope -0.55 give 0.3855) as the library computes them, and the
same numbers in the stored notebook. The lesson's claims (issue 9): the learning rate is chosen, not learned,
and what the two-weight loss surface shows (two valleys and a peak; each step the steepest way down, across the
contour lines at a right angle; the valley reached depends on the start), each recomputed here independently of
the lesson's own check cell; the lesson is executed once, by the lesson04 fixture (tests/conftest.py). The
exercises' statements give the worked number and a lesson section, not the answer (issue 8).
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    check_executed_once_cleanly,
    check_figures,
    check_section_links,
    check_statement_teaches,
    check_widget_cells,
    code_cells,
    load,
    markdown_text,
    source,
)
from notebook_helpers import stored_text as notebook_text

from nnbook import descent
from nnbook.lessons import plots, widgets
from nnbook.optimizers import SGD, Adam

LESSON = COURSE / "04_gradient_descent.ipynb"
#: exercise notebook, function, the worked number its statement shows, and pieces of the answer it must not show
STATEMENTS = [
    ("04_gradient_descent", "update_weight", "0.3855", ["learning_rate * gradient", "lr \\times", "0.01 × (−0.55)",
                                                        "W - "]),
    ("04_gradient_descent", "gradient_descent", "0.3961722", ["learning_rate * gradient", "w = w -", "W - lr"]),
]


def stored():
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return notebook_text(LESSON, skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


def markdown():
    return markdown_text(load(LESSON))


def prose():
    """The lesson's markdown with every run of white space made one space, so that line breaks do not matter."""
    return " ".join(markdown_text(load(LESSON)).split())


def local_extrema(loss, step=0.01):
    """The grid's interior local minima and maxima of ``loss`` over [-3, 3]^2: lists of (w1, w2, loss)."""
    w = np.arange(-3, 3 + step / 2, step)
    W1, W2 = np.meshgrid(w, w)
    L = loss(np.array([W1, W2]))
    centre = L[1:-1, 1:-1]
    neighbours = np.stack([L[1 + di:L.shape[0] - 1 + di, 1 + dj:L.shape[1] - 1 + dj]
                           for di in (-1, 0, 1) for dj in (-1, 0, 1) if (di, dj) != (0, 0)])
    found = {}
    for kind, mask in (("min", centre < neighbours.min(axis=0)), ("max", centre > neighbours.max(axis=0))):
        rows, cols = np.nonzero(mask)
        found[kind] = [(W1[r + 1, c + 1], W2[r + 1, c + 1], centre[r, c]) for r, c in zip(rows, cols)]
    return found


# ------------------------------------------------------------------------------ the seed figures, from the library
def test_slope_and_update_worked_example():
    assert descent.bowl_slope(0.38) == pytest.approx(-0.55, abs=1e-12)
    assert descent.update_weight(0.38, descent.bowl_slope(0.38), 0.01) == pytest.approx(0.3855, abs=1e-12)
    assert descent.numerical_gradient(descent.bowl_loss, 0.38) == pytest.approx(-0.55, abs=1e-8)


def test_slope_sign_on_either_side_of_the_minimum():
    assert descent.bowl_slope(0.38) < 0 < descent.bowl_slope(0.93)
    assert descent.bowl_slope(descent.W_OPTIMUM) == 0


def test_learning_rates_small_good_too_large():
    verdicts = [plots.describe_descent(descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10))
                for lr in (0.01, 0.3, 1.05)]
    assert verdicts == ["too small: slow", "good: reaches the minimum", "too large: diverges"]



# ----------------------------------------------------------------------------------------- claims (issue 9)
def test_the_learning_rate_sentence_is_true():
    text = markdown_text(load(LESSON))
    assert "Training never changes lr" not in text and "stays put" not in text
    assert "not learned from the data" in text and "learning-rate schedule" in text and "Adam" in text


def test_adam_scales_each_weights_step_and_sgd_does_not():
    gradients = np.array([0.01, 10.0])               # one gentle and one steep direction
    steps = {}
    for optimizer in (SGD(learning_rate=0.001), Adam(learning_rate=0.001)):
        w = np.zeros(2)
        optimizer.update(w, gradients.copy())
        steps[type(optimizer).__name__] = -w
    np.testing.assert_allclose(steps["SGD"], 0.001 * gradients)             # proportional to the slope
    assert steps["Adam"][0] == pytest.approx(steps["Adam"][1], rel=1e-3)   # the same size for both weights
    assert steps["Adam"][0] / steps["SGD"][0] > 50                          # scaled up where the slope is gentle


def test_the_surface_has_two_valleys_and_a_peak(lesson04):
    ns, _ = lesson04
    found = local_extrema(ns["surface_loss"])
    assert len(found["min"]) == 2 and len(found["max"]) == 1
    (peak_w1, peak_w2, _), = found["max"]
    assert f"The ring of lines around $({peak_w1:.1f}, {peak_w2:.1f})$ is the peak" in prose()


def test_the_valley_reached_depends_on_the_start(lesson04):
    ns, _ = lesson04
    paths, loss = ns["paths"], ns["surface_loss"]
    valleys = sorted(local_extrema(loss)["min"], key=lambda v: v[2])         # deeper first
    deeper, shallower = valleys
    for name, valley in (("B", deeper), ("A", shallower)):
        end = paths[name][-1]
        assert end == pytest.approx(valley[:2], abs=0.02)
        assert loss(end) == pytest.approx(valley[2], abs=1e-3)
        assert loss(end) <= valley[2] + 1e-12                                 # at the bottom, not beside it
    assert np.linalg.norm(paths["A"][0] - paths["B"][0]) == pytest.approx(0.8)
    text = prose()
    assert f"B reaches the deeper valley (loss {loss(paths['B'][-1]):.4f})" in text
    assert f"A settles in the shallower one (loss {loss(paths['A'][-1]):.4f})" in text
    assert f"(loss {loss(paths['A'][-1]):.4f}), from B, 0.8 away, the deeper one (loss {loss(paths['B'][-1]):.4f})" \
        in text
    assert "only 0.8 apart" in text


def test_each_step_goes_the_steepest_way_down_across_the_contours(lesson04):
    ns, _ = lesson04
    loss, h = ns["surface_loss"], 1e-6
    checked = 0
    for path in ns["paths"].values():
        for w, w_next in zip(path[:-1], path[1:]):
            step = w_next - w
            if np.linalg.norm(step) < 1e-2:
                continue
            # the steepest way down is minus the gradient, measured here with our own central differences
            gradient = np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(2)])
            assert np.dot(step, -gradient) / np.linalg.norm(step) / np.linalg.norm(gradient) > 0.99999
            # the contour line through w, traced by matplotlib on a small grid around w: its tangent is at a
            # right angle to the step
            grid = np.linspace(-0.005, 0.005, 41)
            G1, G2 = np.meshgrid(w[0] + grid, w[1] + grid)
            contour = plt.contour(G1, G2, loss(np.array([G1, G2])), levels=[loss(w)])
            segment = min(contour.allsegs[0], key=lambda s: np.min(np.linalg.norm(s - w, axis=1)))
            nearest = np.argmin(np.linalg.norm(segment - w, axis=1))
            tangent = segment[min(nearest + 1, len(segment) - 1)] - segment[max(nearest - 1, 0)]
            cosine = np.dot(tangent, step) / np.linalg.norm(tangent) / np.linalg.norm(step)
            assert abs(cosine) < np.sin(np.radians(2)), np.degrees(np.arccos(cosine))
            plt.close("all")
            checked += 1
    assert checked > 30


def test_the_lessons_check_cell_agrees_and_the_outputs_are_stored(lesson04):
    _, printed = lesson04
    text = stored()
    shown = [line for line in printed.splitlines() if line.startswith(("start ", "the starts", "each step"))]
    assert len(shown) == 5 and all(line in text for line in shown)
    lines = [line for line in text.splitlines() if line.startswith("each step")]
    steepest = float(lines[0].split("within ")[1].split(" degrees")[0])
    right_angle = float(lines[1].split("within ")[1].split(" degrees")[0])
    assert steepest <= 1.0 and right_angle <= 1.0


def test_the_surface_figure_is_shown():
    (cell,) = [cell for cell in code_cells(LESSON) if "surfaces.surface_figure" in source(cell)]
    assert any("image/png" in output.get("data", {}) for output in cell["outputs"])
    assert source(cell).rstrip().endswith("plt.show()")


# ------------------------------------------------------------------------------------- the notebook as stored
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings():
    check_executed_once_cleanly(LESSON)


def test_widget_cells_ignore_output_and_a_static_cell_follows_them():
    check_widget_cells(LESSON)


def test_lessons_show_their_figures():
    check_figures(LESSON, 5)


def test_lesson04_shows_the_slope_and_the_update():
    text = stored()
    slope = descent.bowl_slope(0.38)
    new_w = descent.update_weight(0.38, slope, 0.01)
    assert f"slope from the formula at W = 0.38: {slope:.4f}" in text
    assert f"slope measured numerically:      {descent.numerical_gradient(descent.bowl_loss, 0.38):.4f}" in text
    assert f"W_new = 0.38 - 0.01 x ({slope:.2f}) = {new_w:.4f}" in text
    assert "W_new = 0.38 - 0.01 x (-0.55) = 0.3855" in text
    assert widgets.update_report(0.38, 0.01) in text


def test_lesson04_shows_the_signs_and_the_learning_rates():
    text = stored()
    for w in (0.38, 0.93):
        slope = descent.bowl_slope(w)
        assert f"W = {w:.2f}: slope {slope:+.2f} -> {'increase' if slope < 0 else 'decrease'} W" in text
    for lr in (0.01, 0.3, 1.05):
        path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10)
        assert f"... {path[-1]:.3f}  ({plots.describe_descent(path)})" in text
    assert widgets.descent_report(0.3, w0=0.38, steps=10) in text
    assert "0.01" in markdown() and "0.0001" in markdown()



# --------------------------------------------------------------------------- the exercises' statements (issue 8)
@pytest.mark.parametrize("stem, function, worked, answer_pieces", STATEMENTS, ids=[row[1] for row in STATEMENTS])
def test_a_statement_gives_the_worked_number_and_a_lesson_section_but_not_the_answer(stem, function, worked,
                                                                                     answer_pieces):
    check_statement_teaches(stem, function, worked, answer_pieces)


def test_every_section_link_of_the_exercises_points_at_a_heading_of_its_lesson():
    check_section_links("04_gradient_descent")

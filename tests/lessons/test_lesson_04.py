"""Lesson 04's claims (issue 9): the learning rate is chosen, not learned, and what the two-weight loss surface
shows (two valleys and a peak; each step the steepest way down, across the contour lines at a right angle; the
valley reached depends on the start), each recomputed here independently of the lesson's own check cell."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, code_cells, load, markdown_text, run_code_cells, source  # noqa: E402
from notebook_helpers import stored_text as notebook_text  # noqa: E402

from nnbook.optimizers import SGD, Adam  # noqa: E402

LESSON = COURSE / "04_gradient_descent.ipynb"


@pytest.fixture(scope="module")
def lesson():
    namespace, printed, _ = run_code_cells(LESSON)
    return namespace, printed


def stored():
    return notebook_text(LESSON, skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


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


def test_the_surface_has_two_valleys_and_a_peak(lesson):
    ns, _ = lesson
    found = local_extrema(ns["surface_loss"])
    assert len(found["min"]) == 2 and len(found["max"]) == 1
    (peak_w1, peak_w2, _), = found["max"]
    assert f"The ring of lines around $({peak_w1:.1f}, {peak_w2:.1f})$ is the peak" in prose()


def test_the_valley_reached_depends_on_the_start(lesson):
    ns, _ = lesson
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


def test_each_step_goes_the_steepest_way_down_across_the_contours(lesson):
    ns, _ = lesson
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


def test_the_lessons_check_cell_agrees_and_the_outputs_are_stored(lesson):
    _, printed = lesson
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

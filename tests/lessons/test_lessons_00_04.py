"""Lessons 00-04: the seed figures as the library computes them, and the same numbers in the stored notebooks.

Each test of a stored notebook reads its .ipynb JSON (the outputs ``nnbook execute`` stored) and looks for text
built here from the library calls the lesson makes. A lesson that stops showing a number, or shows one the
library no longer computes, fails here; nbval separately checks that re-running gives the stored outputs.
"""

import math
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, ROOT, code_cells, load, markdown_text, output_text, source  # noqa: E402
from notebook_helpers import stored_text as notebook_text  # noqa: E402

from nnbook import descent, encoding, losses  # noqa: E402
from nnbook.data import PET_CLASSES, pets  # noqa: E402
from nnbook.lessons import plots, widgets  # noqa: E402

LESSONS = {
    "00": "00_start_here",
    "01": "01_training_is_optimisation",
    "02": "02_labels_and_one_hot",
    "03": "03_loss_functions",
    "04": "04_gradient_descent",
}
#: Every lesson of the course map (COURSE.md), by file name.
ALL_LESSONS = [*LESSONS.values(), "05_backpropagation", "06_training_loop", "07_keras_style_training",
               "08_training_plots", "09_inference", "10_validation", "11_images"]
IGNORE = "# NBVAL_IGNORE_OUTPUT"


def notebook(number):
    return load(COURSE / f"{LESSONS[number]}.ipynb")


def stored_text(number):
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return notebook_text(notebook(number), skip=lambda text: text.startswith(IGNORE))


def markdown(number):
    return markdown_text(notebook(number))


def png_count(number):
    return sum("image/png" in output.get("data", {}) for cell in code_cells(notebook(number))
               for output in cell["outputs"])


# =========================================================================== the seed figures, from the library
def test_class_map_and_integer_labels():
    assert encoding.class_map(PET_CLASSES) == {"Cat": 0, "Dog": 1, "Other": 2}
    assert encoding.encode(["Cat", "Dog", "Other"], PET_CLASSES).tolist() == [0, 1, 2]


def test_one_hot_rows():
    rows = encoding.one_hot([0, 1, 2], 3)
    assert [tuple(row) for row in rows] == [(1, 0, 0), (0, 1, 0), (0, 0, 1)]


def test_argmax_reads_the_worked_example_as_dog():
    assert encoding.decode(pets().predictions[0], PET_CLASSES) == "Dog"
    assert pets().names[0] == "Cat"


def test_sse_worked_example_and_its_three_terms():
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), pets().predictions[0]
    terms = (y_true - y_pred) ** 2
    assert [round(t, 4) for t in terms] == [0.3969, 0.25, 0.0169]
    assert losses.sse(y_true, y_pred) == pytest.approx(0.6638, abs=1e-12)
    assert losses.sse(y_true, y_pred) == pytest.approx(terms.sum())


def test_mse_of_the_pets_batch_is_the_mean_of_its_sses():
    batch = pets()
    y_true = encoding.one_hot(batch.labels, 3)
    per_sample = [losses.sse(t, p) for t, p in zip(y_true, batch.predictions)]
    assert losses.mse(y_true, batch.predictions) == pytest.approx(np.mean(per_sample))
    keras_mse = np.mean((y_true - batch.predictions) ** 2)
    assert keras_mse == pytest.approx(losses.mse(y_true, batch.predictions) / 3)


def test_iterations_per_epoch_with_the_default_batch_size():
    assert [math.ceil(n / 32) for n in (8, 32, 100, 2100)] == [1, 1, 4, 66]


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


def test_tiny_network_says_75_percent_cat():
    scores = np.array([[1.0]]) @ np.array([[np.log(3), 0.0]])
    probabilities = np.exp(scores) / np.exp(scores).sum()
    assert probabilities[0] == pytest.approx([0.75, 0.25], abs=1e-12)
    assert widgets.tiny_net(widgets.TINY_NET_W_CAT) == pytest.approx([0.75, 0.25], abs=1e-12)


# =========================================================================== every lesson notebook, as stored
@pytest.mark.parametrize("number", LESSONS)
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings(number):
    cells = code_cells(notebook(number))
    assert [cell["execution_count"] for cell in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", source(cell)
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output_text(output)
    assert not re.search(r"0x[0-9a-f]{6,}|np\.float64\(", stored_text(number))


@pytest.mark.parametrize("number", LESSONS)
def test_widget_cells_ignore_output_and_a_static_cell_follows_them(number):
    cells = code_cells(notebook(number))
    widget_cells = [i for i, cell in enumerate(cells) if re.search(r"widgets\.\w+_(explorer|slider)\(", source(cell))]
    ignored = [i for i, cell in enumerate(cells) if source(cell).startswith(IGNORE)]
    assert widget_cells, "every lesson 00-04 has an interactive part"
    assert ignored == widget_cells, "NBVAL_IGNORE_OUTPUT only on widget cells, and on every one"
    for i in widget_cells:
        after = cells[i + 1]
        assert after["outputs"] and not source(after).startswith(IGNORE)
        assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {}) for o in after["outputs"])


@pytest.mark.parametrize("number, figures", [("01", 2), ("03", 1), ("04", 5)])
def test_lessons_show_their_figures(number, figures):
    assert png_count(number) == figures
    for cell in code_cells(notebook(number)):
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            assert source(cell).rstrip().endswith("plt.show()")


# ------------------------------------------------------------------------------------------------- lesson 00
def test_lesson00_links_every_lesson_and_marks_any_missing_one():
    text = markdown("00")
    for name in ALL_LESSONS:
        assert f"]({name}.ipynb)" in text, name
        row = next(line for line in text.splitlines() if f"]({name}.ipynb)" in line)
        assert (COURSE / f"{name}.ipynb").exists() or "coming soon" in row, row
        has_exercises = (ROOT / "exercises" / f"{name}.ipynb").exists()
        assert (f"(../exercises/{name}.ipynb)" in row) == has_exercises, row


def test_lesson00_shows_the_check_cell_as_text_only():
    assert "from nnbook import checks\nchecks.one_hot(one_hot)" in markdown("00")
    assert not any("checks" in source(cell) for cell in code_cells(notebook("00")))
    for folder in ("course/", "exercises/", "solutions/"):
        assert folder in markdown("00")
    for words in ("Shift+Enter", "Run All Cells", "Restart Kernel"):
        assert words in markdown("00")


def test_lesson00_outputs():
    text = stored_text("00")
    assert repr(encoding.one_hot([0, 1, 2], 3)) in text
    assert widgets.square_text(5) in text


# ------------------------------------------------------------------------------------------------- lesson 01
def test_lesson01_shows_75_25_and_the_loss():
    text = stored_text("01")
    p_cat, p_dog = widgets.tiny_net(np.log(3))
    assert f"P(cat) = {p_cat:.0%}, P(dog) = {p_dog:.0%}" in text
    assert "P(cat) = 75%, P(dog) = 25%" in text
    assert widgets.tiny_net_report(np.log(3)) in text
    assert f"(75% cat): {losses.sse([1, 0], [p_cat, p_dog]):.4f}" in text
    assert f"(50% cat): {losses.sse([1, 0], widgets.tiny_net(0.0)):.4f}" in text


def test_lesson01_training_table_is_the_library_run():
    def loss(w):
        return losses.sse([1.0, 0.0], widgets.tiny_net(w))

    path = descent.gradient_descent(lambda w: descent.numerical_gradient(loss, w), 0.0, 2.0, 8)
    text = stored_text("01")
    for epoch, w in enumerate(path[1:], start=1):
        line = f"after epoch {epoch}: w_cat = {w:.3f}   P(cat) = {widgets.tiny_net(w)[0]:.1%}   loss = {loss(w):.4f}"
        assert line in text
    assert loss(path[-1]) < loss(path[0])
    # why a learning rate of 2.0 is safe here: the prose quotes the steepest slope and the largest step
    steepest = max(abs(descent.numerical_gradient(loss, w)) for w in np.linspace(-3, 3, 601))
    assert f"steepest slope of this loss for w_cat in [-3, 3]: {steepest:.4f}" in text
    assert f"never steeper than {steepest:.4f}" in markdown("01")
    assert f"by more than {2.0 * steepest:.4f}" in markdown("01")


# ------------------------------------------------------------------------------------------------- lesson 02
def test_lesson02_shows_the_class_map_and_the_one_hot_table():
    text = stored_text("02")
    for name, label in encoding.class_map(PET_CLASSES).items():
        assert f"{label:>5}  {name}" in text
    for name, row in zip(PET_CLASSES, encoding.one_hot([0, 1, 2], 3)):
        assert f"{name:<7} " + "  ".join(f"{v:>5.0f}" for v in row) in text
        assert widgets.one_hot_report(name) in text
    assert str(encoding.one_hot(pets().labels, 3)) in text


def test_lesson02_shows_argmax_back_to_a_name():
    text = stored_text("02")
    batch = pets()
    position = int(np.argmax(batch.predictions[0]))
    assert f"largest entry at position {position} -> {PET_CLASSES[position]}" in text
    assert "largest entry at position 1 -> Dog" in text
    for i, (truth, guess) in enumerate(zip(batch.names, encoding.decode(batch.predictions, PET_CLASSES))):
        verdict = "right" if truth == guess else "wrong"
        assert f"picture {i}: true {truth:<5}  predicted {guess:<5}  {verdict}" in text


# ------------------------------------------------------------------------------------------------- lesson 03
def test_lesson03_shows_the_sse_worked_example():
    text = stored_text("03")
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), pets().predictions[0]
    terms = (y_true - y_pred) ** 2
    total = losses.sse(y_true, y_pred)
    assert f"SSE = {terms[0]:.4f} + {terms[1]:.4f} + {terms[2]:.4f} = {total:.4f}" in text
    assert "SSE = 0.3969 + 0.2500 + 0.0169 = 0.6638" in text
    assert widgets.sse_report((0.37, 0.50, 0.13)) in text
    assert "not 1" in text   # the explorer's printout also shows a prediction that does not sum to one


def test_lesson03_shows_the_mse_of_the_batch_and_keras_mse():
    text = stored_text("03")
    batch = pets()
    y_true = encoding.one_hot(batch.labels, 3)
    per_sample = losses.sse(y_true, batch.predictions)
    for i, (name, value) in enumerate(zip(batch.names, per_sample)):
        assert f"picture {i} ({name:<5}): SSE = {value:.4f}" in text
    mse = losses.mse(y_true, batch.predictions)
    assert f"mean of the 8 SSEs = {np.mean(per_sample):.4f}" in text
    assert f"losses.mse(y_true, y_pred) = {mse:.4f}" in text
    assert f"course MSE / k = {mse:.4f} / 3 = {mse / 3:.4f}" in text
    assert f"Keras mse  (mean of all 24 squared errors): {np.mean((y_true - batch.predictions) ** 2):.4f}" in text


def test_lesson03_shows_batch_size_32_and_iterations():
    text = stored_text("03")
    assert f"2100 samples: {math.ceil(2100 / 32):>2} iteration(s)" in text
    assert "100 samples:  4 iteration(s), batch sizes 32, 32, 32, 4" in text
    assert "batch size" in markdown("03") and "32" in markdown("03") and "iteration" in markdown("03")


# ------------------------------------------------------------------------------------------------- lesson 04
def test_lesson04_shows_the_slope_and_the_update():
    text = stored_text("04")
    slope = descent.bowl_slope(0.38)
    new_w = descent.update_weight(0.38, slope, 0.01)
    assert f"slope from the formula at W = 0.38: {slope:.4f}" in text
    assert f"slope measured numerically:      {descent.numerical_gradient(descent.bowl_loss, 0.38):.4f}" in text
    assert f"W_new = 0.38 - 0.01 x ({slope:.2f}) = {new_w:.4f}" in text
    assert "W_new = 0.38 - 0.01 x (-0.55) = 0.3855" in text
    assert widgets.update_report(0.38, 0.01) in text


def test_lesson04_shows_the_signs_and_the_learning_rates():
    text = stored_text("04")
    for w in (0.38, 0.93):
        slope = descent.bowl_slope(w)
        assert f"W = {w:.2f}: slope {slope:+.2f} -> {'increase' if slope < 0 else 'decrease'} W" in text
    for lr in (0.01, 0.3, 1.05):
        path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10)
        assert f"... {path[-1]:.3f}  ({plots.describe_descent(path)})" in text
    assert widgets.descent_report(0.3, w0=0.38, steps=10) in text
    assert "0.01" in markdown("04") and "0.0001" in markdown("04")

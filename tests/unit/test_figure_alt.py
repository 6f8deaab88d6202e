"""Every figure has a text alternative with its key numbers (issue 21): the mechanism (nnbook.lessons.alt), the
helpers' own words, the live pictures' titles, and the alt stored with every figure of every course notebook.

The key numbers are computed here with the library (losses.sse, descent.bowl_slope, ...), never typed."""

from __future__ import annotations

import html
import math
import re
import subprocess
import sys

import matplotlib.pyplot as plt
import notebook_helpers
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure

from nnbook import data, descent, losses
from nnbook.layers import Dense
from nnbook.lessons import alt, curves, diagrams, draw, graph, images, inference, plots, surfaces, widgets
from nnbook.lessons import training_widgets as tw
from nnbook.models import Sequential
from nnbook.optimizers import Adam


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----- the mechanism ----------------------------------------------------------------------------------------

def test_set_alt_refuses_what_is_not_a_figure_or_a_text():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="target must be a matplotlib Figure or Axes"):
        alt.set_alt("a figure", "words")
    for bad in ("", "   ", None, 3):
        with pytest.raises(TypeError, match="text must be a non-empty string"):
            alt.set_alt(ax, bad)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        alt.figure_alt(ax)


def test_a_function_gives_the_alt_when_the_figure_is_shown_and_an_empty_answer_is_an_error():
    fig, ax = plt.subplots()
    state = {"text": "first"}
    alt.set_alt(fig, lambda: state["text"])
    assert alt.figure_alt(fig) == "first"
    state["text"] = "second, after an update"
    assert alt.figure_alt(fig) == "second, after an update"
    state["text"] = ""
    with pytest.raises(ValueError, match="must be a non-empty string"):
        alt.figure_alt(fig)


def test_describe_axes_reads_the_drawn_lines_bars_and_images():
    rng = np.random.default_rng(3)
    y = rng.uniform(1, 2, size=7)
    y[3] = 0.25 + rng.uniform()                          # the lowest, inside the line
    fig, (left, right) = plt.subplots(1, 2)
    left.plot(np.arange(1, 8), y, label="training loss")
    left.axhline(0.125, label="floor")
    left.axvline(4, label="mark")
    left.plot(np.arange(7), y, label="_hidden")
    left.set(xlabel="epoch", ylabel="loss", title="loss per epoch")
    heights = rng.uniform(size=3)
    right.bar(["Cat", "Dog", "Other"], heights, label="predicted")
    right.imshow(np.zeros((8, 5)))
    text = alt.describe_axes(left)
    assert text.startswith("loss per epoch; ")
    assert (f"training loss: loss {alt.number(y[0])} at epoch 1, {alt.number(y[-1])} at epoch 7, "
            f"lowest {alt.number(y[3])} at epoch 4") in text
    assert "floor: a horizontal line at loss 0.125" in text and "mark: a vertical line at epoch 4" in text
    assert "_hidden" not in text
    described = alt.describe_axes(right)
    assert "an image of 8 by 5 values" in described
    assert ("predicted: " + ", ".join(f"{name} {alt.number(h)}" for name, h in zip(["Cat", "Dog", "Other"], heights))
            in described)
    whole = alt.figure_alt(fig)
    assert whole == f"{text}. {described}."


def test_a_figure_with_nothing_to_read_still_has_an_alt_and_a_suptitle_leads():
    fig, ax = plt.subplots()
    ax.set_axis_off()
    assert alt.figure_alt(fig) == "a figure with no title or labelled data"
    fig.suptitle("the title over all")
    assert alt.figure_alt(fig).startswith("the title over all")


def test_numbers_are_written_with_four_significant_digits():
    assert [alt.number(v) for v in (0.66380001, -0.55, 20.0, -0.0, 1234567.0)] == \
        ["0.6638", "-0.55", "20", "0", "1.235e+06"]
    with pytest.raises(TypeError):
        alt.number(True)


def test_ipython_shows_a_figure_as_an_img_with_its_alt_beside_the_unchanged_png():
    """What the kernel does after `install`: the inline backend's PNG, and an HTML <img> holding that PNG with
    the alt text (escaped), which JupyterLab and myst-nb render; the alt is also the PNG's output metadata."""

    class Shell:
        display_formatter = DisplayFormatter()

    shell = Shell()
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, lambda fig: "UE5HIGZha2U=")     # what the inline backend registers, in miniature
    assert alt.install(shell) is True
    fig, ax = plt.subplots()
    alt.set_alt(fig, 'a "quoted" <word> & more')
    data, metadata = shell.display_formatter.format(fig)
    assert data["image/png"] == "UE5HIGZha2U="
    assert data["text/html"] == ('<img src="data:image/png;base64,UE5HIGZha2U=" '
                                 'alt="a &quot;quoted&quot; &lt;word&gt; &amp; more"/>')
    assert metadata["image/png"] == {"alt": 'a "quoted" <word> & more'}
    assert data["text/plain"].startswith("<Figure size")    # the lessons' tests read this repr


def test_install_outside_ipython_does_nothing():
    assert alt.install(object()) is False


def test_importing_the_checks_or_the_helpers_package_does_not_load_matplotlib():
    """nbgrader's autograde imports nnbook.checks in every notebook it grades; the verdict colours come from
    nnbook.lessons.palette, whose package installs the alt printer, by name, without importing matplotlib."""
    code = ("import sys; import nnbook.checks, nnbook.lessons.alt, nnbook.lessons.palette; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# ----- the helpers' words carry their numbers -------------------------------------------------------------

def test_prediction_bars_say_each_squared_error_and_the_sse():
    rng = np.random.default_rng(7)
    y_true, y_pred = np.array([0.0, 1.0, 0.0]), rng.dirichlet(np.ones(3))
    text = alt.figure_alt(plots.prediction_bars(y_true, y_pred, data.PET_CLASSES))
    assert f"SSE = {losses.sse(y_true, y_pred):.4f}" in text
    assert " + ".join(f"{e:.4f}" for e in (y_true - y_pred) ** 2) in text
    assert all(f"{name} {p:.2f}" in text for name, p in zip(data.PET_CLASSES, y_pred))


@pytest.mark.parametrize("w, lr", [(0.38, 0.01), (0.93, 0.3), (0.1, None)])
def test_the_bowl_says_the_slope_and_the_new_weight(w, lr):
    text = alt.figure_alt(plots.bowl(w, learning_rate=lr))
    assert f"At W = {w:.4f} its tangent has slope {descent.bowl_slope(w):.4f}" in text
    if lr is None:
        assert "learning rate" not in text
    else:
        new_w = descent.update_weight(w, descent.bowl_slope(w), lr)
        assert f"moves W to {new_w:.4f}" in text and f"loss is {descent.bowl_loss(new_w):.4f}" in text


def test_slope_signs_and_descent_paths_say_their_numbers():
    text = alt.figure_alt(plots.slope_signs(0.2, 1.1))
    assert f"at W = 0.20 the slope is {descent.bowl_slope(0.2):.2f}, negative" in text
    assert f"at W = 1.10 the slope is {descent.bowl_slope(1.1):.2f}, positive" in text
    text = alt.figure_alt(plots.descent_paths((0.01, 0.3), w0=0.38, steps=7))
    for lr in (0.01, 0.3):
        path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 7)
        assert f"learning rate {lr:g}: {plots.describe_descent(path)}" in text
        assert f"7 steps from W = 0.38 (loss {alt.number(descent.bowl_loss(0.38))}) to W = {alt.number(path[-1])}" \
            in text


def test_the_tiny_network_says_its_probabilities():
    w = 0.4
    p_cat, p_dog = widgets.tiny_net(w)[0] if np.ndim(widgets.tiny_net(w)) == 2 else widgets.tiny_net(w)
    text = alt.figure_alt(widgets.tiny_net_figure(w))
    assert f"w_cat = {w:.4f}: P(Cat) {p_cat:.0%}, P(Dog) {p_dog:.0%}" in text


def test_the_surface_says_its_lowest_loss_and_each_path():
    def loss(w):
        w1, w2 = w
        return (w1 - 0.5) ** 2 + 2 * (w2 + 0.25) ** 2

    path = descent.gradient_descent(lambda w: np.array([2 * (w[0] - 0.5), 4 * (w[1] + 0.25)]),
                                    np.array([-2.0, 2.0]), 0.1, 12)
    text = alt.figure_alt(surfaces.surface_figure(loss, [path], labels=["from the corner"], points=41))
    W1, W2, L = surfaces.loss_grid(loss, points=41)
    assert f"lowest {alt.number(L.min())}" in text
    assert f"from the corner: 12 steps from (-2, 2), loss {alt.number(loss(path[0]))}" in text
    assert f"to ({alt.number(path[-1, 0])}, {alt.number(path[-1, 1])}), loss {alt.number(loss(path[-1]))}" in text


def test_training_curves_say_the_first_and_last_value_of_each_curve():
    rng = np.random.default_rng(11)
    history = {"loss": np.sort(rng.uniform(0.2, 0.7, 9))[::-1], "accuracy": np.sort(rng.uniform(0.5, 0.95, 9)),
               "val_loss": rng.uniform(0.2, 0.7, 9), "val_accuracy": rng.uniform(0.5, 0.95, 9)}
    text = alt.figure_alt(curves.training_curves(history, title="a run"))
    assert text.startswith("a run. ")
    for key in history:
        name = ("validation " if key.startswith("val_") else "training ") + key.removeprefix("val_")
        metric = key.removeprefix("val_")
        assert (f"{name}: {metric} {alt.number(history[key][0])} at epoch 1, "
                f"{alt.number(history[key][-1])} at epoch 9") in text


def test_the_diagrams_say_their_numbers():
    text = alt.figure_alt(diagrams.training_loop_diagram(samples=2100, batch_size=32, learning_rate=0.05))
    assert f"2100 samples, batches of 32, {math.ceil(2100 / 32)} iterations per epoch, learning rate 0.05" in text
    p = np.array([0.125, 0.875])
    text = alt.figure_alt(diagrams.inference_diagram(70, (70 - 13) / 87, p, data.TRIAL_CLASSES, age_min=13,
                                                     age_max=100))
    assert f"= {(70 - 13) / 87:.4f}" in text and "side effects 0.8750" in text and 'the class "side effects"' in text


def test_the_computation_graph_says_the_loss_and_each_gradient():
    rng = np.random.default_rng(5)
    values = {"x": np.array([[0.5]]), "W1": rng.normal(size=(1, 2)), "b1": np.zeros(2), "W2": rng.normal(size=(2, 2)),
              "b2": np.zeros(2), "y": 1}
    values["z1"] = values["x"] @ values["W1"] + values["b1"]
    values["a1"] = np.maximum(values["z1"], 0)
    values["z2"] = values["a1"] @ values["W2"] + values["b2"]
    values["a2"] = np.exp(values["z2"]) / np.exp(values["z2"]).sum()
    values["L"] = float(np.mean(losses.sparse_categorical_crossentropy([1], values["a2"])))
    text = alt.figure_alt(graph.computation_graph(values))
    assert f"L = {graph.format_number(values['L'])}" in text and "Backward" not in text
    gradients = {name: rng.normal(size=np.shape(values[name])) for name in graph.GRADIENTS}
    text = alt.figure_alt(graph.computation_graph(values, gradients))
    assert f"dL/dW2 = {graph.format_number(gradients['W2'])}".replace("\n", ", ") in text


def test_the_image_figures_say_their_labels_counts_and_answers():
    rng = np.random.default_rng(2)
    digits = rng.integers(0, 17, size=(12, 8, 8))
    labels = rng.integers(0, 10, size=12)
    text = alt.figure_alt(images.sample_grid(digits, labels, count=12, columns=6, title="twelve"))
    assert text.startswith("twelve: 12 handwritten digits") and ", ".join(map(str, labels)) in text
    text = alt.figure_alt(images.pixel_figure(digits[0], labels[0]))
    assert f"{np.count_nonzero(digits[0])} of 64 pixels hold ink" in text
    assert " ".join(f"{v:g}" for v in digits[0][3]) in text
    probabilities = rng.dirichlet(np.ones(10), size=12)
    text = alt.figure_alt(images.prediction_gallery(digits, labels, probabilities, rows=range(5)))
    said = images.predicted_digits(probabilities[:5])
    assert f"reads {int(np.sum(said == labels[:5]))} of 5 right" in text
    assert f"{said[0]} ({probabilities[0, said[0]]:.0%})" in text
    matrix = images.confusion_matrix(labels, images.predicted_digits(probabilities))
    text = alt.figure_alt(images.confusion_figure(matrix, title="held out"))
    assert f"{np.trace(matrix)} of 12 on the diagonal are right ({np.trace(matrix) / 12:.1%})" in text
    count, t, p = images.confusions(matrix)[0]
    assert f"{t} read as {p} {count} time" in text
    kernel = rng.normal(size=(64, 6))
    text = alt.figure_alt(images.kernel_figure(kernel, columns=3))
    assert "6 first-layer units" in text and f"from {alt.number(kernel.min())} to {alt.number(kernel.max())}" in text


@pytest.fixture(scope="module")
def trial_model():
    trial = data.drug_trial(seed=5, typical=150, exceptions=8)
    model = Sequential([Dense(8, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=0)
    model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy", ["accuracy"])
    model.fit(trial.x, trial.labels, batch_size=10, epochs=8, verbose=0)
    return model, trial


def test_the_probability_by_age_figure_says_where_the_class_changes(trial_model):
    model, trial = trial_model
    fig = inference.probability_figure(model, age=70, people=(trial.ages, trial.labels))
    ages, p = inference.probability_by_age(model)
    text = alt.figure_alt(fig)
    assert f"{p[0]:.1%} at 13 and {p[-1]:.1%} at 100" in text
    assert f"above 50% from age {ages[p > 0.5].min():g}" in text
    assert f"marked: age 70, {inference.age_prediction(model, 70).probability:.1%}" in text
    assert f"{trial.ages.size} people drawn as dots, {int(trial.labels.sum())} of them" in text


def test_the_age_slider_image_follows_the_slider(trial_model):
    model, _ = trial_model
    slider = inference.AgeSlider(model, age=30)
    slider.age.value = 90
    assert f"marked: age 90, {inference.age_prediction(model, 90).probability:.1%}" in slider.image.tooltip
    assert f"{inference.age_prediction(model, 90).probability:.1%}" in slider.readout.value


def test_the_nudge_and_training_pictures_say_the_readouts_numbers(trial_model):
    model, trial = trial_model
    x, y = trial.x[:1], trial.labels[:1]
    text = alt.figure_alt(tw.nudge_figure(model, x, y, "W1[0,0]", 0.2))
    assert tw.nudge_report(tw.nudge(model, x, y, "W1[0,0]", 0.2)) in text
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=1, learning_rate=0.05, batch_size=20)
    assert "nothing trained yet" in alt.figure_alt(tw.training_figure(trainer))
    trainer.run(3)
    text = alt.figure_alt(tw.training_figure(trainer))
    assert f"{trainer.history['loss'][-1]:.4f} after epoch 3" in text
    weights = tw.network_drawing(trainer.model).weights
    text = alt.figure_alt(tw.network_figure(trainer.model))
    assert f"{int(np.sum(weights >= 0))} positive" in text and f"{weights.max():.3f}" in text


# ----- live pictures: the image's title is the picture's alt, after every move ------------------------------

def test_an_explorer_image_is_titled_with_its_picture_alt_and_follows_the_sliders():
    explorer = widgets.sse_explorer((0.37, 0.50, 0.13))
    y_true = (1.0, 0.0, 0.0)
    assert f"SSE = {losses.sse(y_true, (0.37, 0.50, 0.13)):.4f}" in explorer.image.tooltip
    explorer.controls[0].value = 0.8
    assert explorer.image.tooltip == alt.figure_alt(explorer.figure)
    assert f"SSE = {losses.sse(y_true, (0.8, 0.50, 0.13)):.4f}" in explorer.image.tooltip
    # the readout beside the picture carries the same number
    readout = html.unescape(explorer.readout.value).splitlines()
    assert readout[3].startswith("SSE = ") and readout[3].endswith(f" = {losses.sse(y_true, (0.8, 0.50, 0.13)):.4f}")


def test_the_update_explorer_image_says_the_new_weight():
    explorer = widgets.update_explorer(w=0.38, learning_rate=0.01)
    explorer.controls[0].value = 0.9
    new_w = descent.update_weight(0.9, descent.bowl_slope(0.9), 0.01)
    assert f"moves W to {new_w:.4f}" in explorer.image.tooltip
    assert f"{new_w:.4f}" in explorer.readout.value


# ----- every figure of every course notebook ----------------------------------------------------------------

LESSONS = sorted(notebook_helpers.COURSE.glob("[0-9][0-9]_*.ipynb"))
#: What a file name or a path in place of a description would look like.
PATH_LIKE = re.compile(r"\.(png|jpe?g|svg|gif)\b|\w[\\/]\w+[\\/]|^\S+$")


def stored_alts(path) -> list[str]:
    """The alt text of each figure a notebook stores, checked: in the PNG's metadata, and in an <img> of the
    same PNG that JupyterLab and the website show."""
    alts = []
    for cell in notebook_helpers.code_cells(path):
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            where = f"{path.name}, the figure of the cell starting {notebook_helpers.source(cell)[:60]!r}"
            text = output.get("metadata", {}).get("image/png", {}).get("alt")
            assert text, f"{where} has no alt text: re-execute the lesson (make execute)"
            png = "".join(output["data"]["image/png"]).replace("\n", "")
            assert "".join(output["data"].get("text/html", "")) == alt.img_html(png, text), \
                f"{where}: no <img> of the same PNG with this alt"
            assert not PATH_LIKE.search(text), f"{where}: the alt looks like a file name: {text!r}"
            assert re.search(r"\d", text), f"{where}: the alt gives no number: {text!r}"
            alts.append(text)
    return alts


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_figure_of_the_lesson_has_an_alt_with_numbers_in_its_metadata_and_its_img(path):
    alts = stored_alts(path)
    figures = sum("image/png" in output.get("data", {}) for cell in notebook_helpers.code_cells(path)
                  for output in cell.get("outputs", []))
    assert len(alts) == figures


def lesson(number: str):
    return next(path for path in LESSONS if path.name.startswith(number))


def test_lesson_01_figures_say_the_tiny_networks_75_25_and_the_runs_steps():
    first, curve = stored_alts(lesson("01"))
    p_cat, p_dog = np.ravel(widgets.tiny_net(widgets.TINY_NET_W_CAT))
    assert f"w_cat = {widgets.TINY_NET_W_CAT:.4f}: P(Cat) {p_cat:.0%}, P(Dog) {p_dog:.0%}" in first
    assert "8 steps from w_cat = 0" in curve


def test_lesson_03_figure_says_the_sse_of_the_worked_example():
    (text,) = stored_alts(lesson("03"))
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13])
    assert f"SSE = {losses.sse(y_true, y_pred):.4f}" in text
    assert " + ".join(f"{e:.4f}" for e in (y_true - y_pred) ** 2) in text


def test_lesson_04_figures_say_the_slope_the_update_and_each_learning_rates_verdict():
    bowl, signs, step, paths, surface = stored_alts(lesson("04"))
    slope = descent.bowl_slope(0.38)
    assert f"At W = 0.3800 its tangent has slope {slope:.4f}" in bowl
    assert f"the slope is {descent.bowl_slope(0.93):.2f}, positive" in signs
    assert f"moves W to {descent.update_weight(0.38, slope, 0.01):.4f}" in step
    for lr in (0.01, 0.3, 1.05):
        path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10, stop_if_diverging=True)
        assert f"learning rate {lr:g}: {plots.describe_descent(path)}" in paths
    assert "start A: 60 steps" in surface and "start B: 60 steps" in surface


def test_lesson_06_diagram_says_the_iterations_per_epoch_of_the_trial_data():
    diagram = stored_alts(lesson("06"))[0]
    samples = len(data.drug_trial().x)
    assert f"{samples} samples, batches of 10, {math.ceil(samples / 10)} iterations per epoch" in diagram


def test_lesson_09_diagram_says_the_scaled_age_of_the_new_person():
    diagram = stored_alts(lesson("09"))[0]
    assert f"= {inference.ages_to_inputs([70])[0, 0]:.4f}" in diagram and "a new person aged 70" in diagram


def test_lesson_11_grid_says_the_labels_of_the_first_30_digits():
    grid = stored_alts(lesson("11"))[1]
    assert "labelled " + ", ".join(str(label) for label in data.digits().labels[:30]) + "." in grid


# ----- widgets: every control labelled, and the readout beside each picture carries the picture's numbers -----

def controls(widget) -> list:
    """Every control inside a widget box: what a learner moves, types in or presses."""
    import ipywidgets

    found = []
    kinds = (ipywidgets.widgets.widget_int._Int, ipywidgets.widgets.widget_float._Float,
             ipywidgets.widgets.widget_selection._Selection, ipywidgets.Button, ipywidgets.Play,
             ipywidgets.widgets.widget_bool._Bool)
    if isinstance(widget, kinds):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found += controls(child)
    return found


@pytest.fixture(scope="module")
def explorers(trial_model):
    model, trial = trial_model
    rng = np.random.default_rng(0)
    digit_images, digit_labels = rng.integers(0, 17, size=(20, 8, 8)).astype(np.uint8), rng.integers(0, 10, 20)
    digit_model = Sequential([Dense(8, input_shape=(64,), activation="relu"), Dense(10, activation="softmax")], seed=0)
    digit_model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy", ["accuracy"])
    digit_model.fit(digit_images.reshape(-1, 64) / 16, digit_labels, epochs=1, verbose=0)
    return {
        "tiny net": widgets.tiny_net_explorer(),
        "one hot": widgets.one_hot_explorer(),
        "sse": widgets.sse_explorer(),
        "update": widgets.update_explorer(),
        "learning rate": widgets.learning_rate_explorer(),
        "age": inference.AgeSlider(model, age=40).widget,
        "nudge": tw.NudgeExplorer(model, trial.x[:1], trial.labels[:1]).widget,
        "live training": tw.LiveTrainingWidget(tw.LiveTraining(trial.x, trial.labels, seed=0), max_epochs=3).widget,
        "digit pad": draw.DigitPad(digit_model, digit_images, digit_labels).widget,
    }


def test_every_control_of_every_widget_is_labelled(explorers):
    for name, widget in explorers.items():
        found = controls(widget)
        assert found, name
        for control in found:
            label = (getattr(control, "description", "") or "").strip() or (control.tooltip or "").strip()
            assert label, f"{name}: a {type(control).__name__} has no description or tooltip"


def test_every_picture_beside_a_readout_is_titled_with_its_alt(explorers):
    for name, widget in explorers.items():
        images = [image for image in getattr(widget, "images", [])]
        for picture, image in zip(widget.pictures, images):
            assert image.tooltip == alt.figure_alt(picture.figure), name
            assert re.search(r"\d", image.tooltip), name


def test_the_readouts_carry_the_numbers_of_their_pictures(explorers):
    p_cat, p_dog = np.ravel(widgets.tiny_net(widgets.TINY_NET_W_CAT))
    tiny = explorers["tiny net"]
    assert f"P(Cat) {p_cat:.0%}" in tiny.image.tooltip and f"P(cat) = {p_cat:.2%}" in tiny.readout.value
    nudge = explorers["nudge"]
    report = html.escape(tw.nudge_report(tw.nudge(nudge.pictures[0].model, nudge.pictures[0].x, nudge.pictures[0].y,
                                                  0, 0.1)), quote=False)
    assert report in nudge.readout.value
    assert html.unescape(report) in nudge.image.tooltip
    pad = explorers["digit pad"]
    report = draw.drawing_report(pad.pictures[0].probabilities)
    assert report in html.unescape(pad.readout.value) and report in pad.image.tooltip

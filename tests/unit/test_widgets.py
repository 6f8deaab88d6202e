"""nnbook.lessons.widgets: the report functions' numbers, and the explorers driven as a learner would, without a
browser.

Setting a control's ``.value`` runs its observers at once, so each test changes a control and reads what the
readout (``box.children[1]``) and the picture (``box.children[2]``) now show. Sliders are live while dragged,
so each test also checks the pattern every explorer shares: one figure, kept and moved in place (never a new
one), and a picture that shows the last value set, drawn exactly as a full redraw of that figure would be.
"""

import html
import math

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import descent, encoding, losses  # noqa: E402
from nnbook.data import PET_CLASSES  # noqa: E402
from nnbook.lessons import plots, widgets  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def controls(box):
    return list(box.children[0].children)


def readout(box):
    """The readout's text as the learner reads it (HTML entities decoded, <pre> removed)."""
    value = box.children[1].value
    assert value.startswith("<pre>") and value.endswith("</pre>")
    return html.unescape(value[len("<pre>"):-len("</pre>")])


def picture(box):
    image = box.children[2]
    assert isinstance(image, ipywidgets.Image)
    data = bytes(image.value)  # the Image widget hands its bytes back as a memoryview
    assert data.startswith(PNG_SIGNATURE)
    return data


def shows_the_figure_as_it_is(box):
    """The explorer's picture is its figure, moved to the last value and drawn in full, pixel for pixel."""
    assert picture(box) == box.picture.full_png()


def drag(slider, values):
    """A drag: the slider passes through each value, one change after another."""
    for value in values:
        slider.value = value


def softmax(scores):
    exps = np.exp(scores)
    return exps / exps.sum()


# -------------------------------------------------------------------------------------------------- lesson 00
def test_square_text_and_hello_slider():
    assert widgets.square_text(7) == "7 x 7 = 49"
    box = widgets.hello_slider(5)
    assert readout(box) == "5 x 5 = 25"
    slider, = controls(box)
    slider.value = 9
    assert readout(box) == "9 x 9 = 81"


def test_square_text_rejects_a_float():
    with pytest.raises(TypeError, match="n must be a whole number"):
        widgets.square_text(2.5)


# -------------------------------------------------------------------------------------------------- lesson 01
def test_tiny_net_answers_75_percent_cat_at_its_weight():
    p_cat, p_dog = widgets.tiny_net(widgets.TINY_NET_W_CAT)
    assert p_cat == pytest.approx(0.75, abs=1e-12)
    assert p_dog == pytest.approx(0.25, abs=1e-12)


@pytest.mark.parametrize("w_cat", [-2.5, -0.3, 0.0, 0.7, 2.9])
def test_tiny_net_is_softmax_of_x_times_the_kernel(w_cat):
    scores = np.array([[widgets.TINY_NET_X]]) @ np.array([[w_cat, widgets.TINY_NET_W_DOG]])
    assert widgets.tiny_net(w_cat) == pytest.approx(softmax(scores[0]))


def test_tiny_net_evaluates_many_weights_and_never_overflows():
    weights = np.array([-1000.0, 0.0, 1000.0])
    out = widgets.tiny_net(weights)
    assert out.shape == (3, 2)
    assert np.all(np.isfinite(out))
    assert out.sum(axis=1) == pytest.approx(np.ones(3))
    assert out[:, 0] == pytest.approx([0.0, 0.5, 1.0])


def test_tiny_net_rejects_a_matrix_of_weights():
    with pytest.raises(ValueError, match="w_cat must be 0-D or 1-D"):
        widgets.tiny_net([[1.0, 2.0]])


def test_tiny_net_report_shows_scores_and_probabilities():
    text = widgets.tiny_net_report(widgets.TINY_NET_W_CAT)
    assert f"{math.log(3):.4f}" in text
    assert "P(cat) = 75.00%" in text and "P(dog) = 25.00%" in text


def test_tiny_net_explorer_follows_its_slider():
    box = widgets.tiny_net_explorer()
    slider, = controls(box)
    assert slider.value == pytest.approx(widgets.TINY_NET_W_CAT, abs=0.01)
    assert slider.continuous_update is True
    first, figure = picture(box), box.figure
    slider.value = 0.0
    assert "P(cat) = 50.00%   P(dog) = 50.00%" in readout(box)
    assert picture(box) != first
    drag(slider, [-0.5, -1.0, -1.5])
    p_cat = widgets.tiny_net(-1.5)[0]
    assert f"P(cat) = {p_cat:.2%}" in readout(box)
    bars_ax, curve_ax = box.figure.axes
    assert [bar.get_height() for bar in bars_ax.containers[0]] == pytest.approx(widgets.tiny_net(-1.5), abs=1e-3)
    assert curve_ax.get_lines()[-1].get_xdata()[0] == -1.5
    assert box.figure is figure and matplotlib.pyplot.get_fignums() == []
    shows_the_figure_as_it_is(box)


def test_tiny_net_figure_marks_the_weight():
    fig = widgets.tiny_net_figure(widgets.TINY_NET_W_CAT)
    heights = [bar.get_height() for bar in fig.axes[0].containers[0]]
    assert heights == pytest.approx([0.75, 0.25], abs=1e-3)
    matplotlib.pyplot.close(fig)


# -------------------------------------------------------------------------------------------------- lesson 02
@pytest.mark.parametrize("label, name", list(enumerate(PET_CLASSES)))
def test_one_hot_report_matches_the_encoding(label, name):
    row = encoding.one_hot([label], 3)[0]
    assert widgets.one_hot_report(name) == (
        f"{name} -> integer label {label} -> one-hot vector ({', '.join(f'{v:g}' for v in row)})")


def test_one_hot_report_worked_rows():
    assert widgets.one_hot_report("Dog").endswith("(0, 1, 0)")
    assert widgets.one_hot_report("Other").endswith("(0, 0, 1)")
    assert widgets.one_hot_report("b", ["a", "b", "c", "d"]).endswith("(0, 1, 0, 0)")


def test_one_hot_report_rejects_an_unknown_class():
    with pytest.raises(ValueError, match="names must be among class_names"):
        widgets.one_hot_report("Horse")


def test_one_hot_explorer_follows_the_chosen_class():
    box = widgets.one_hot_explorer()
    buttons, = controls(box)
    assert list(buttons.options) == list(PET_CLASSES)
    assert readout(box) == widgets.one_hot_report("Cat")
    buttons.value = "Other"
    assert readout(box) == "Other -> integer label 2 -> one-hot vector (0, 0, 1)"
    assert len(box.children) == 2  # no picture


def test_one_hot_explorer_rejects_an_unknown_start():
    with pytest.raises(ValueError, match="Horse"):
        widgets.one_hot_explorer("Horse")


# -------------------------------------------------------------------------------------------------- lesson 03
def test_sse_report_worked_example():
    lines = widgets.sse_report((0.37, 0.50, 0.13)).splitlines()
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), np.array([0.37, 0.50, 0.13])
    terms = (y_true - y_pred) ** 2
    assert lines[:3] == [f"({t:g} - {p:.2f})^2 = {s:.4f}" for t, p, s in zip(y_true, y_pred, terms)]
    assert lines[3] == f"SSE = {terms[0]:.4f} + {terms[1]:.4f} + {terms[2]:.4f} = {losses.sse(y_true, y_pred):.4f}"
    assert lines[3] == "SSE = 0.3969 + 0.2500 + 0.0169 = 0.6638"
    assert "sum to 1.00, as probabilities should" in lines[4]


def test_sse_report_says_when_the_prediction_does_not_sum_to_one():
    text = widgets.sse_report((0.60, 0.50, 0.13))
    assert "sum to 1.23, not 1" in text
    assert f"= {losses.sse([1, 0, 0], [0.6, 0.5, 0.13]):.4f}" in text


def test_sse_report_with_another_truth():
    text = widgets.sse_report((0.2, 0.7, 0.1), y_true=(0, 1, 0))
    assert f"= {losses.sse([0, 1, 0], [0.2, 0.7, 0.1]):.4f}" in text
    assert "(1 - 0.70)^2 = 0.0900" in text


@pytest.mark.parametrize("y_pred, y_true, error, words", [
    ((0.5, 0.5), (1, 0, 0), ValueError, "same shape"),
    ("0.37", (1, 0, 0), TypeError, "y_pred must be numbers"),
    ((0.37, 0.5, 0.13), [[1, 0, 0]], ValueError, "y_true must be 1-D"),
])
def test_sse_report_rejects_bad_input(y_pred, y_true, error, words):
    with pytest.raises(error, match=words):
        widgets.sse_report(y_pred, y_true)


def test_sse_explorer_starts_at_the_worked_example_and_follows_its_sliders():
    box = widgets.sse_explorer()
    sliders = controls(box)
    assert [s.value for s in sliders] == [0.37, 0.50, 0.13]
    assert [s.description for s in sliders] == [f"P({name})" for name in PET_CLASSES]
    assert all(s.continuous_update is True for s in sliders)
    assert "SSE = 0.3969 + 0.2500 + 0.0169 = 0.6638" in readout(box)
    first = picture(box)

    sliders[0].value = 0.87
    sliders[1].value = 0.0
    expected = losses.sse([1, 0, 0], [0.87, 0.0, 0.13])
    assert f"SSE = 0.0169 + 0.0000 + 0.0169 = {expected:.4f}" in readout(box)
    assert "sum to 1.00" in readout(box)
    assert picture(box) != first

    sliders[2].value = 0.5
    assert "sum to 1.37, not 1" in readout(box)
    predicted = [c for c in box.figure.axes[0].containers if c.get_label() == "predicted y'"][0]
    assert [bar.get_height() for bar in predicted] == pytest.approx([0.87, 0.0, 0.5])
    assert box.figure.axes[0].get_title().endswith(f"= {losses.sse([1, 0, 0], [0.87, 0.0, 0.5]):.4f}")
    shows_the_figure_as_it_is(box)


def test_sse_explorer_rejects_a_bad_start():
    with pytest.raises(ValueError, match="same shape"):
        widgets.sse_explorer((0.5, 0.5))


# -------------------------------------------------------------------------------------------------- lesson 04
def test_update_report_worked_example():
    lines = widgets.update_report(0.38, 0.01).splitlines()
    slope = descent.bowl_slope(0.38)
    new_w = descent.update_weight(0.38, slope, 0.01)
    assert lines[0].endswith(f"= {slope:.4f}") and lines[0].endswith("= -0.5500")
    assert lines[1].endswith(f"0.3800 - 0.01 x ({slope:.4f}) = {new_w:.4f}")
    assert lines[1].endswith("= 0.3855")
    assert "negative, so W grows" in lines[2]


def test_update_report_right_of_the_minimum_and_at_it():
    text = widgets.update_report(0.93, 0.1)
    new_w = descent.update_weight(0.93, descent.bowl_slope(0.93), 0.1)
    assert f"= {new_w:.4f}" in text and "positive, so W shrinks" in text
    assert "slope is zero" in widgets.update_report(descent.W_OPTIMUM, 0.1)


@pytest.mark.parametrize("w, lr, error, words", [
    (0.38, -0.01, ValueError, "learning_rate must be a positive"),
    (0.38, "0.01", TypeError, "learning_rate must be a positive number"),
    ("0.38", 0.01, TypeError, "w must be a finite number"),
])
def test_update_report_rejects_bad_input(w, lr, error, words):
    with pytest.raises(error, match=words):
        widgets.update_report(w, lr)


def test_update_explorer_starts_at_the_worked_example_and_follows_its_controls():
    box = widgets.update_explorer()
    w_slider, lr_slider = controls(box)
    assert (w_slider.value, lr_slider.value) == (0.38, 0.01)
    assert w_slider.continuous_update is True and lr_slider.continuous_update is True
    assert readout(box) == widgets.update_report(0.38, 0.01)
    assert "= 0.3855" in readout(box)
    first = picture(box)

    w_slider.value = 0.93
    lr_slider.value = 0.3
    expected = descent.update_weight(0.93, descent.bowl_slope(0.93), 0.3)
    assert f"= {expected:.4f}" in readout(box)
    assert "W shrinks" in readout(box)
    assert picture(box) != first
    ax = box.figure.axes[0]
    tangent = [line for line in ax.get_lines() if line.get_label().startswith("tangent")][0]
    slope = np.diff(tangent.get_ydata())[0] / np.diff(tangent.get_xdata())[0]
    assert slope == pytest.approx(descent.bowl_slope(0.93))
    new_w = [line for line in ax.get_lines() if line.get_label().startswith("new W")][0]
    assert new_w.get_xdata()[0] == pytest.approx(expected)
    shows_the_figure_as_it_is(box)


def test_update_explorer_keeps_its_axes_while_w_and_the_rate_move():
    box = widgets.update_explorer()
    w_slider, lr_slider = controls(box)
    ax = box.figure.axes[0]
    limits = (ax.get_xlim(), ax.get_ylim())
    for w in (w_slider.min, 0.2, 0.655, 1.0, w_slider.max):
        for lr in (min(widgets.LEARNING_RATES), 0.5, max(widgets.LEARNING_RATES)):
            w_slider.value, lr_slider.value = w, lr
            assert (ax.get_xlim(), ax.get_ylim()) == limits
            for line in ax.get_lines():        # every point drawn stays inside the fixed axes
                if line.get_label() == "loss":
                    continue
                x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
                if line.get_transform() is ax.transData:
                    assert limits[0][0] <= x.min() and x.max() <= limits[0][1], (w, lr, line.get_label())
                    assert limits[1][0] <= y.min() and y.max() <= limits[1][1], (w, lr, line.get_label())
    # Fixed axes: most frames redraw only what moves (a full redraw only when, say, the tangent reaches a label).
    assert box.picture.background_draws < 15 / 2
    shows_the_figure_as_it_is(box)


def test_learning_rate_slider_offers_the_usual_rates_and_too_large_ones():
    assert min(widgets.LEARNING_RATES) == 0.0001 and 0.01 in widgets.LEARNING_RATES
    assert max(widgets.LEARNING_RATES) > 1
    with pytest.raises(ValueError, match="learning_rate must be one of"):
        widgets.update_explorer(learning_rate=0.02)


def test_descent_report_lists_the_path_and_its_verdict():
    path = descent.gradient_descent(descent.bowl_slope, 0.38, 0.3, 10)
    lines = widgets.descent_report(0.3, w0=0.38, steps=10).splitlines()
    assert lines[1] == "W visited: " + ", ".join(f"{w:.4f}" for w in path)
    assert lines[2] == (f"distance to W_o: {abs(0.38 - descent.W_OPTIMUM):.4f} -> "
                        f"{abs(path[-1] - descent.W_OPTIMUM):.4f}")
    assert lines[3] == f"verdict: {plots.describe_descent(path)}"


@pytest.mark.parametrize("lr, verdict", [(0.01, "too small"), (0.3, "good"), (1.05, "diverges")])
def test_descent_report_verdicts(lr, verdict):
    assert verdict in widgets.descent_report(lr).splitlines()[-1]


def test_descent_report_says_where_a_diverging_run_overflowed():
    report = widgets.descent_report(5.0, steps=500).splitlines()
    path = descent.gradient_descent(descent.bowl_slope, 0.38, 5.0, 500, stop_if_diverging=True)
    assert report[0] == f"learning rate 5, {len(path) - 1} steps from W = 0.3800"
    assert report[-2] == "verdict: too large: diverges"
    assert report[-1] == f"stopped after {len(path) - 1} of 500 steps: W grew too large for a float"


def test_descent_report_rejects_bad_steps():
    with pytest.raises(ValueError, match="steps must be at least 0"):
        widgets.descent_report(0.3, steps=-1)


def test_learning_rate_explorer_follows_its_controls():
    box = widgets.learning_rate_explorer()
    lr_slider, steps_slider = controls(box)
    assert (lr_slider.value, steps_slider.value) == (0.3, 10)
    assert readout(box) == widgets.descent_report(0.3, 0.38, 10)
    first = picture(box)

    lr_slider.value = 1.05
    assert readout(box).endswith("verdict: too large: diverges")
    steps_slider.value = 3
    path = descent.gradient_descent(descent.bowl_slope, 0.38, 1.05, 3)
    assert "W visited: " + ", ".join(f"{w:.4f}" for w in path) in readout(box)
    assert picture(box) != first
    ax = box.figure.axes[0]
    steps = [line for line in ax.get_lines() if line.get_label() == "steps"][0]
    assert steps.get_xdata() == pytest.approx(path)
    assert sum(text.get_visible() and text.arrow_patch is not None for text in ax.texts) == 3   # one per step
    shows_the_figure_as_it_is(box)


@pytest.mark.parametrize("make, control, values", [
    (widgets.tiny_net_explorer, 0, [0.5, -2.0, 2.9, 0.01]),
    (widgets.sse_explorer, 1, [0.9, 0.1, 0.33]),
    (widgets.update_explorer, 0, [1.2, 0.0, 0.61]),
    (widgets.update_explorer, 1, [1.05, 0.0001, 0.3]),
    (widgets.learning_rate_explorer, 0, [1.05, 0.01, 0.5]),
    (widgets.learning_rate_explorer, 1, [30, 1, 17]),
])
def test_a_drag_is_drawn_once_per_value_on_one_figure_and_ends_at_the_last_value(make, control, values):
    box = make()
    figure, slider = box.figure, controls(box)[control]
    pictures = [picture(box)]
    for value in values:
        slider.value = value
        pictures.append(picture(box))
    assert box.draws == 1 + len(values)              # one PNG per change, none skipped, none twice
    assert len(set(pictures)) == len(pictures)        # each value changed the picture
    assert box.figure is figure and matplotlib.pyplot.get_fignums() == []
    assert readout(box) == box.report()               # the readout is the last value's report
    fresh = make()                                    # the same values given from the start
    for each, other in zip(controls(fresh), controls(box)):
        each.value = other.value
    assert readout(fresh) == readout(box)
    shows_the_figure_as_it_is(box)


def test_figure_png_closes_the_figure():
    fig = plots.bowl(0.38)
    data = widgets.figure_png(fig)
    assert data.startswith(PNG_SIGNATURE)
    assert not matplotlib.pyplot.fignum_exists(fig.number)

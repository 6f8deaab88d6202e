"""nnbook.lessons.plots: each figure holds the data it claims to draw, and bad input gets a clear error."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import descent, losses  # noqa: E402
from nnbook.data import PET_CLASSES, pets  # noqa: E402
from nnbook.lessons import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line_labelled(ax, prefix):
    lines = [line for line in ax.get_lines() if line.get_label().startswith(prefix)]
    labels = [line.get_label() for line in ax.get_lines()]
    assert len(lines) == 1, f"expected one line labelled {prefix!r}, got {labels}"
    return lines[0]


def slope_of(line):
    x, y = line.get_xdata(), line.get_ydata()
    return (y[-1] - y[0]) / (x[-1] - x[0])


def container_labelled(ax, label):
    matches = [c for c in ax.containers if c.get_label() == label]
    assert len(matches) == 1, [c.get_label() for c in ax.containers]
    return matches[0]


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]


# ------------------------------------------------------------------------------------------- prediction_bars
def test_prediction_bars_heights_are_the_truth_and_the_prediction():
    sample = pets()
    y_pred = sample.predictions[0]
    y_true = np.eye(3)[sample.labels[0]]
    fig = plots.prediction_bars(y_true, y_pred, PET_CLASSES)
    ax = fig.axes[0]
    assert [bar.get_height() for bar in container_labelled(ax, "predicted y'")] == pytest.approx(y_pred)
    assert [bar.get_height() for bar in container_labelled(ax, "true y")] == pytest.approx(y_true)
    assert [tick.get_text() for tick in ax.get_xticklabels()] == list(PET_CLASSES)


def test_prediction_bars_show_each_squared_error_and_the_sse():
    y_true, y_pred = [1.0, 0.0, 0.0], [0.37, 0.50, 0.13]
    fig = plots.prediction_bars(y_true, y_pred)
    shown = " ".join(texts(fig))
    for t, p in zip(y_true, y_pred):
        assert f"{(t - p) ** 2:.4f}" in shown
    assert fig.axes[0].get_title().endswith(f"= {losses.sse(y_true, y_pred):.4f}")
    assert "0.6638" in fig.axes[0].get_title()


def test_prediction_bars_follow_another_prediction():
    fig = plots.prediction_bars([0, 1, 0], [0.2, 0.7, 0.1])
    ax = fig.axes[0]
    assert [bar.get_height() for bar in container_labelled(ax, "predicted y'")] == pytest.approx([0.2, 0.7, 0.1])
    assert f"{losses.sse([0, 1, 0], [0.2, 0.7, 0.1]):.4f}" in ax.get_title()


@pytest.mark.parametrize("y_true, y_pred, classes, error, words", [
    ([1, 0, 0], [0.5, 0.5], PET_CLASSES, ValueError, "same shape"),
    ([1, 0, 0], [[0.37, 0.5, 0.13]], PET_CLASSES, ValueError, "y_pred must be 1-D"),
    ([1, 0, 0], "0.37", PET_CLASSES, TypeError, "y_pred must be numbers"),
    ([1, 0, 0], [0.37, 0.5, 0.13], ("Cat", "Dog"), ValueError, "class_names must name each"),
    ([1, 0, 0], [0.37, 0.5, 0.13], "CatDogOther", TypeError, "class_names must be"),
    ([1, 0, 0], [0.37, np.nan, 0.13], PET_CLASSES, ValueError, "y_pred must be finite"),
])
def test_prediction_bars_rejects_bad_input(y_true, y_pred, classes, error, words):
    with pytest.raises(error, match=words):
        plots.prediction_bars(y_true, y_pred, classes)


# ------------------------------------------------------------------------------------------------------ bowl
def test_bowl_tangent_has_the_slope_at_w_and_touches_the_bowl():
    fig = plots.bowl(0.38)
    ax = fig.axes[0]
    tangent = line_labelled(ax, "tangent")
    assert slope_of(tangent) == pytest.approx(descent.bowl_slope(0.38))
    assert slope_of(tangent) == pytest.approx(-0.55)
    x, y = tangent.get_xdata(), tangent.get_ydata()
    assert np.interp(0.38, x, y) == pytest.approx(descent.bowl_loss(0.38))
    assert "-0.55" in tangent.get_label()


def test_bowl_curve_is_the_lesson_loss():
    ax = plots.bowl(0.38).axes[0]
    curve = line_labelled(ax, "loss")
    assert curve.get_ydata() == pytest.approx(descent.bowl_loss(curve.get_xdata()))
    assert curve.get_xdata().min() <= 0.0 and curve.get_xdata().max() >= 1.3


@pytest.mark.parametrize("w", [0.1, 0.93, 1.6, -0.4])
def test_bowl_tangent_follows_w_and_the_range_holds_it(w):
    ax = plots.bowl(w).axes[0]
    assert slope_of(line_labelled(ax, "tangent")) == pytest.approx(descent.bowl_slope(w))
    xs = line_labelled(ax, "loss").get_xdata()
    assert xs.min() < w < xs.max()


def test_bowl_with_a_learning_rate_marks_the_new_weight():
    ax = plots.bowl(0.38, learning_rate=0.01).axes[0]
    new_w = line_labelled(ax, "new W")
    expected = descent.update_weight(0.38, descent.bowl_slope(0.38), 0.01)
    assert new_w.get_xdata()[0] == pytest.approx(expected)
    assert new_w.get_xdata()[0] == pytest.approx(0.3855)
    assert new_w.get_ydata()[0] == pytest.approx(descent.bowl_loss(expected))
    assert new_w.get_label() == f"new W = {expected:.4f}" == "new W = 0.3855"
    assert "new W = 0.3855" in [text.get_text() for text in ax.get_legend().get_texts()]


def test_bowl_without_a_learning_rate_draws_no_step():
    ax = plots.bowl(0.38).axes[0]
    assert not [line for line in ax.get_lines() if line.get_label().startswith("new W")]


@pytest.mark.parametrize("kwargs, error, words", [
    ({"w": "0.38"}, TypeError, "w must be a finite number"),
    ({"w": [0.38, 0.5]}, ValueError, "w must be a single number"),
    ({"w": 0.38, "learning_rate": 0}, ValueError, "learning_rate must be a positive"),
    ({"w": 0.38, "learning_rate": "0.01"}, TypeError, "learning_rate must be a positive number"),
])
def test_bowl_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        plots.bowl(**kwargs)


# ----------------------------------------------------------------------------------------------- slope_signs
def test_slope_signs_two_panels_negative_then_positive():
    fig = plots.slope_signs(0.38, 0.93)
    assert len(fig.axes) == 2
    left, right = (slope_of(line_labelled(ax, "tangent")) for ax in fig.axes)
    assert left == pytest.approx(descent.bowl_slope(0.38)) and left < 0
    assert right == pytest.approx(descent.bowl_slope(0.93)) and right > 0
    assert "increase W" in fig.axes[0].get_title() and "negative" in fig.axes[0].get_title()
    assert "decrease W" in fig.axes[1].get_title() and "positive" in fig.axes[1].get_title()


@pytest.mark.parametrize("left, right, words", [
    (0.7, 0.93, "left must be below the minimum"),
    (0.38, 0.655, "right must be above the minimum"),
])
def test_slope_signs_needs_one_point_on_each_side(left, right, words):
    with pytest.raises(ValueError, match=words):
        plots.slope_signs(left, right)


# --------------------------------------------------------------------------------------------- descent_paths
def test_descent_paths_one_panel_per_rate_holding_the_path():
    rates = (0.01, 0.3, 1.05)
    fig = plots.descent_paths(rates, w0=0.38, steps=10)
    assert len(fig.axes) == 3
    for ax, lr in zip(fig.axes, rates):
        path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10)
        steps = line_labelled(ax, "steps")
        assert steps.get_xdata() == pytest.approx(path)
        assert steps.get_ydata() == pytest.approx(descent.bowl_loss(path))
        assert ax.get_title() == f"learning rate {lr:g}: {plots.describe_descent(path)}"
    titles = [ax.get_title() for ax in fig.axes]
    assert "too small" in titles[0] and "good" in titles[1] and "diverges" in titles[2]


def test_descent_paths_widen_the_curve_to_hold_a_runaway_path():
    ax = plots.descent_paths([1.05], steps=12).axes[0]
    path = line_labelled(ax, "steps").get_xdata()
    curve = line_labelled(ax, "loss").get_xdata()
    assert curve.min() <= path.min() and curve.max() >= path.max()


def test_descent_paths_draw_a_path_that_overflows_until_it_leaves_the_picture():
    fig = plots.descent_paths((10.0,), steps=300)
    ax = fig.axes[0]
    drawn = line_labelled(ax, "steps").get_xdata()
    full = descent.gradient_descent(descent.bowl_slope, 0.38, 10.0, 300, stop_if_diverging=True)
    assert len(full) < 301                                   # the weight really did overflow
    assert drawn == pytest.approx(full[:len(drawn)]) and 2 <= len(drawn) < len(full)
    assert ax.get_title() == (f"learning rate 10: too large: diverges (drawn for {len(drawn) - 1} of 300 steps, "
                              f"then W leaves the picture)")
    plt.close(fig)


@pytest.mark.parametrize("rates, steps, error, words", [
    ((), 10, TypeError, "learning_rates must be a non-empty list"),
    (0.3, 10, TypeError, "learning_rates must be a non-empty list"),
    ((0.3, -1), 10, ValueError, "learning_rates"),
    ((0.3,), 0, ValueError, "steps must be at least 1"),
    ((0.3,), 2.5, TypeError, "steps must be a whole number"),
])
def test_descent_paths_rejects_bad_input(rates, steps, error, words):
    with pytest.raises(error, match=words):
        plots.descent_paths(rates, steps=steps)


# ------------------------------------------------------------------------------------------ describe_descent
@pytest.mark.parametrize("lr, verdict", [
    (0.01, "too small: slow"),
    (0.3, "good: reaches the minimum"),
    (0.9, "large: zig-zags in"),
    (1.0, "too large: bounces"),
    (1.05, "too large: diverges"),
])
def test_describe_descent_on_the_bowl(lr, verdict):
    path = descent.gradient_descent(descent.bowl_slope, 0.38, lr, 10)
    assert plots.describe_descent(path) == verdict


def test_describe_descent_reads_the_path_not_the_rate():
    assert plots.describe_descent([2.0, 1.5, 1.1], optimum=1.0) == "good: reaches the minimum"
    assert plots.describe_descent([2.0, 1.9], optimum=1.0) == "too small: slow"
    assert plots.describe_descent([1.0, 1.0], optimum=1.0) == "starts at the minimum"
    assert plots.describe_descent([2.0, 2.0], optimum=1.0) == "stuck"


@pytest.mark.parametrize("path, error, words", [
    ([0.38], ValueError, "at least two weights"),
    ([[0.38, 0.4]], ValueError, "path must be 1-D"),
    ("0.38", TypeError, "path must be numbers"),
])
def test_describe_descent_rejects_bad_paths(path, error, words):
    with pytest.raises(error, match=words):
        plots.describe_descent(path)


# ------------------------------------------------------------------------------------------------ loss_curve
def test_loss_curve_draws_the_function_and_the_path():
    path = descent.gradient_descent(descent.bowl_slope, 0.1, 0.2, 4)
    fig = plots.loss_curve(descent.bowl_loss, path, weight_name="w")
    ax = fig.axes[0]
    curve = line_labelled(ax, "loss")
    assert curve.get_ydata() == pytest.approx(descent.bowl_loss(curve.get_xdata()))
    assert curve.get_xdata().min() < path.min() and curve.get_xdata().max() > path.max()
    assert line_labelled(ax, "steps").get_xdata() == pytest.approx(path)
    assert ax.get_xlabel() == "w"


def test_loss_curve_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert plots.loss_curve(lambda w: w**2, w_range=(-1, 1), ax=ax) is fig
    assert line_labelled(ax, "loss").get_ydata().max() == pytest.approx(1.0)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"loss_fn": 3, "w_range": (0, 1)}, TypeError, "loss_fn must be a function"),
    ({"loss_fn": abs}, ValueError, "give w_range, path or both"),
    ({"loss_fn": abs, "w_range": (1, 0)}, ValueError, "low < high"),
    ({"loss_fn": lambda w: [w, w], "w_range": (0, 1)}, ValueError, "loss_fn\\(w\\) must be a single number"),
])
def test_loss_curve_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        plots.loss_curve(**kwargs)


# ---------------------------------------------------------------------------------------- output_probabilities
def test_output_probabilities_bars_and_curves():
    weights = np.linspace(-2, 2, 5)
    p_cat = np.array([0.1, 0.2, 0.5, 0.8, 0.9])
    probabilities = np.stack([p_cat, 1 - p_cat], axis=1)
    fig = plots.output_probabilities(weights, probabilities, 1.0, ("Cat", "Dog"))
    bars_ax, curve_ax = fig.axes
    assert [bar.get_height() for bar in container_labelled(bars_ax, "probabilities")] == pytest.approx([0.8, 0.2])
    assert line_labelled(curve_ax, "P(Cat)").get_ydata() == pytest.approx(p_cat)
    assert line_labelled(curve_ax, "P(Dog)").get_ydata() == pytest.approx(1 - p_cat)
    assert line_labelled(curve_ax, "w_cat =").get_xdata()[0] == pytest.approx(1.0)


@pytest.mark.parametrize("weights, probabilities, w, error, words", [
    ([0, 1], [[0.5, 0.5]], 0.5, ValueError, "probabilities must have shape"),
    ([0, 1], [[0.5, 0.5], [0.2, 0.8]], 2.0, ValueError, "w must lie within weights"),
    ([1, 0], [[0.5, 0.5], [0.2, 0.8]], 0.5, ValueError, "increasing"),
    ([0, 1], [[0.5, 0.5], [0.2, 0.8]], "a", TypeError, "w must be a finite number"),
])
def test_output_probabilities_rejects_bad_input(weights, probabilities, w, error, words):
    with pytest.raises(error, match=words):
        plots.output_probabilities(weights, probabilities, w)


# ------------------------------------------------------------------------- pictures: drawn once, moved in place
def drawing(fig):
    """What a figure shows, artist by artist: per axes its title, lines, bars, visible texts and legend."""
    shown = []
    for ax in fig.axes:
        legend = ax.get_legend()
        shown.append({
            "title": ax.get_title(), "xlim": ax.get_xlim(), "ylim": ax.get_ylim(),
            # (matplotlib names unlabelled lines "_child<n>" by their place among the axes' children: left out)
            "lines": [(line.get_label() if not line.get_label().startswith("_") else "",
                       np.asarray(line.get_xdata(), float).round(12).tolist(),
                       np.asarray(line.get_ydata(), float).round(12).tolist()) for line in ax.get_lines()],
            "bars": [[round(bar.get_height(), 12) for bar in container] for container in ax.containers],
            "texts": sorted((text.get_text(), tuple(np.round(getattr(text, "xy", text.get_position()), 12)))
                            for text in ax.texts if text.get_visible()),
            "legend": None if legend is None else [text.get_text() for text in legend.get_texts()],
        })
    return shown


@pytest.mark.parametrize("start, moves", [
    ((0.38, 0.01), [(0.93, 0.3), (1.6, 0.5), (-0.4, 1.05), (plots.W_OPTIMUM, 0.1)]),
    ((0.38, None), [(0.1, None), (1.2, None)]),
])
def test_bowl_picture_moved_shows_what_a_new_bowl_shows(start, moves):
    picture = plots.BowlPicture(*start, live=True)
    for w, lr in moves:
        picture.update(w, lr)
        assert drawing(picture.figure) == drawing(plots.bowl(w, lr)), (w, lr)


def test_bowl_picture_is_updated_with_a_rate_exactly_when_drawn_with_one():
    with pytest.raises(ValueError, match="learning_rate must be given exactly when"):
        plots.BowlPicture(0.38, 0.01).update(0.5)
    with pytest.raises(ValueError, match="learning_rate must be given exactly when"):
        plots.BowlPicture(0.38).update(0.5, 0.1)


def test_bowl_limits_hold_every_bowl_the_sliders_reach():
    (x_low, x_high), (y_low, y_high) = plots.bowl_limits((0.0, 1.3), 1.05)
    for w in np.linspace(0.0, 1.3, 27):
        for lr in (0.0001, 0.3, 1.05):
            ax = plots.bowl(w, lr).axes[0]
            for line in ax.get_lines():
                if line.get_transform() is not ax.transData:
                    continue                              # the minimum's vertical line spans the axes
                x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
                if line.get_label() == "loss":            # the bowl may reach past the picture: it is clipped
                    continue
                assert x_low <= x.min() and x.max() <= x_high, (w, lr, line.get_label())
                assert y_low <= y.min() and y.max() <= y_high, (w, lr, line.get_label())
            plt.close(ax.figure)


def test_a_bowl_with_fixed_limits_draws_the_bowl_across_them():
    limits = plots.bowl_limits((0.0, 1.3), 1.05)
    picture = plots.BowlPicture(0.38, 0.01, limits=limits)
    picture.update(1.3, 1.05)
    ax = picture.figure.axes[0]
    assert (ax.get_xlim(), ax.get_ylim()) == limits
    curve = line_labelled(ax, "loss")
    assert (curve.get_xdata()[0], curve.get_xdata()[-1]) == pytest.approx(limits[0])
    assert curve.get_ydata() == pytest.approx(descent.bowl_loss(curve.get_xdata()))


def test_prediction_bars_picture_moved_shows_what_new_bars_show():
    picture = plots.PredictionBarsPicture([1, 0, 0], [0.37, 0.5, 0.13], live=True)
    for y_pred in ([0.9, 0.05, 0.05], [0.0, 1.0, 0.0], [0.6, 0.5, 0.13]):
        picture.update(y_pred)
        assert drawing(picture.figure) == drawing(plots.prediction_bars([1, 0, 0], y_pred))
    with pytest.raises(ValueError, match="same shape"):
        picture.update([0.5, 0.5])


def test_probability_picture_moved_shows_what_a_new_one_shows():
    weights = np.linspace(-3, 3, 61)
    p_cat = 1 / (1 + np.exp(-weights))
    probabilities = np.stack([p_cat, 1 - p_cat], axis=1)
    picture = plots.ProbabilityPicture(weights, probabilities, 0.0, live=True)
    for w in (1.5, -2.9, 3.0):
        picture.update(w)
        assert drawing(picture.figure) == drawing(plots.output_probabilities(weights, probabilities, w))
    with pytest.raises(ValueError, match="w must lie within weights"):
        picture.update(3.5)


def test_descent_paths_picture_moved_shows_what_new_paths_show():
    picture = plots.DescentPathsPicture([0.3], 0.38, 10, live=True)
    for rates, steps in (([0.01], 30), ([1.05], 20), ([5.0], 3), ([0.3], 1), ([0.9], 25)):
        picture.update(rates, steps)
        assert drawing(picture.figure) == drawing(plots.descent_paths(rates, 0.38, steps)), (rates, steps)
    with pytest.raises(ValueError, match="one rate per panel, 1, got 2"):
        picture.update([0.1, 0.2], 10)


def test_loss_curve_picture_keeps_its_arrows_and_shows_one_per_step():
    picture = plots.LossCurvePicture(descent.bowl_loss, [0.1, 0.3, 0.5], live=True)
    ax = picture.figure.axes[0]

    def arrows():
        return sum(text.get_visible() for text in ax.texts if text.arrow_patch is not None)

    assert arrows() == 2
    picture.update(np.linspace(0.0, 1.0, 8), title="longer")
    assert arrows() == 7 and ax.get_title() == "longer"
    kept = list(ax.texts)
    picture.update([0.2, 0.4])
    assert arrows() == 1 and list(ax.texts) == kept           # shorter: the rest are hidden, none removed
    assert line_labelled(ax, "steps").get_xdata() == pytest.approx([0.2, 0.4])

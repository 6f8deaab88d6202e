"""nnbook.lessons.curves: the training-curve figures hold the history's values; the references are computed right."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnbook.data import drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import curves  # noqa: E402
from nnbook.models import History, Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def random_history(epochs=7, validation=True, seed=0):
    """A History filled with random values, so a figure can only hold them by copying them."""
    rng = np.random.default_rng(seed)
    history = History()
    for epoch in range(epochs):
        logs = {"loss": rng.uniform(0.1, 1.0), "accuracy": rng.uniform(0.4, 1.0)}
        if validation:
            logs.update(val_loss=rng.uniform(0.1, 1.0), val_accuracy=rng.uniform(0.4, 1.0))
        history.on_epoch_end(epoch, logs)
    return history


@pytest.fixture(scope="module")
def fitted_history():
    data = drug_trial(seed=3, typical=100, exceptions=5)
    model = Sequential([Dense(8, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=2)
    model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy", ["accuracy"])
    return model.fit(data.x, data.labels, batch_size=10, epochs=6, verbose=0, validation_split=0.2)


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


# ----- as_history, best_epoch, history_table --------------------------------------------------------------

def test_as_history_accepts_the_history_and_its_dict_alike(fitted_history):
    from_object = curves.as_history(fitted_history)
    from_dict = curves.as_history(fitted_history.history)
    assert sorted(from_object) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for key, values in fitted_history.history.items():
        np.testing.assert_array_equal(from_object[key], values)
        np.testing.assert_array_equal(from_dict[key], values)


@pytest.mark.parametrize("bad, error, words", [
    ({"accuracy": [0.5, 0.6]}, ValueError, "'loss'"),
    ([0.5, 0.4], TypeError, "History"),
    ("loss", TypeError, "History"),
    ({"loss": []}, ValueError, "empty"),
    ({"loss": [0.5, float("nan")]}, ValueError, "finite"),
    ({"loss": [0.5, 0.4], "accuracy": [0.5]}, ValueError, "one value per epoch"),
    ({"loss": ["a", "b"]}, TypeError, "numbers"),
])
def test_as_history_rejects_what_is_not_a_history(bad, error, words):
    with pytest.raises(error, match=words):
        curves.as_history(bad)


def test_a_history_without_loss_names_the_keys_it_got():
    with pytest.raises(ValueError) as info:
        curves.training_curves({"accuracy": [0.5, 0.7]})
    assert "'loss'" in str(info.value) and "['accuracy']" in str(info.value)


def test_best_epoch_counts_from_one_lowest_loss_highest_accuracy():
    history = random_history(epochs=9)
    logs = history.history
    assert curves.best_epoch(history) == int(np.argmin(logs["val_loss"])) + 1
    assert curves.best_epoch(history, "loss") == int(np.argmin(logs["loss"])) + 1
    assert curves.best_epoch(history, "val_accuracy") == int(np.argmax(logs["val_accuracy"])) + 1


def test_best_epoch_without_validation_says_how_to_get_it():
    with pytest.raises(ValueError, match="validation_split"):
        curves.best_epoch(random_history(validation=False))


def test_history_table_rows_hold_the_values_to_four_decimals():
    history = random_history(epochs=5)
    lines = curves.history_table(history, epochs=[2, 5]).splitlines()
    assert lines[0].split() == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    for line, epoch in zip(lines[1:], [2, 5]):
        cells = line.split()
        assert cells[0] == str(epoch)
        expected = [history.history[key][epoch - 1] for key in ("loss", "accuracy", "val_loss", "val_accuracy")]
        assert cells[1:] == [f"{value:.4f}" for value in expected]
    assert len(curves.history_table(history).splitlines()) == 6


@pytest.mark.parametrize("epochs, error", [([0], ValueError), ([6], ValueError), ([1.5], TypeError), (3, TypeError)])
def test_history_table_rejects_epochs_that_were_not_trained(epochs, error):
    with pytest.raises(error, match="epochs"):
        curves.history_table(random_history(epochs=5), epochs=epochs)


# ----- references ---------------------------------------------------------------------------------------

def test_accuracy_ceiling_is_the_majority_share_at_each_age():
    # age 20: three people, two have no side effects; age 70: four people, one without.
    ages = [20, 20, 20, 70, 70, 70, 70]
    labels = [0, 0, 1, 1, 1, 1, 0]
    assert curves.accuracy_ceiling(ages, labels) == pytest.approx((2 + 3) / 7)


def test_loss_floor_is_the_cross_entropy_of_the_share_at_each_age():
    ages = [20, 20, 20, 70, 70, 70, 70]
    labels = [0, 0, 1, 1, 1, 1, 0]
    expected = -(2 * math.log(2 / 3) + math.log(1 / 3) + 3 * math.log(3 / 4) + math.log(1 / 4)) / 7
    assert curves.loss_floor(ages, labels) == pytest.approx(expected)


def test_no_predictor_of_age_beats_the_references_on_the_drug_trial():
    data = drug_trial(seed=4)
    ceiling = curves.accuracy_ceiling(data.ages, data.labels)
    floor = curves.loss_floor(data.ages, data.labels)
    # The rule "side effects from 65 on" is one predictor of age: it cannot beat the ceiling.
    rule = (data.ages >= 65).astype(int)
    assert np.mean(rule == data.labels) <= ceiling + 1e-12
    # Nor can any constant-per-age probability beat the floor: try the rule softened to 95%.
    p_side = np.where(data.ages >= 65, 0.95, 0.05)
    p_true = np.where(data.labels == 1, p_side, 1 - p_side)
    assert -np.mean(np.log(p_true)) >= floor
    # 100 exceptions in 2100 people, spread over the ages, leave the ceiling near 2000 / 2100.
    assert 0.94 < ceiling < 0.97


def test_references_reject_mismatched_or_bad_labels():
    with pytest.raises(ValueError, match="one value per person"):
        curves.accuracy_ceiling([20, 30], [0])
    with pytest.raises(ValueError, match="labels"):
        curves.loss_floor([20, 30], [0, 2])


# ----- is_overfitting -----------------------------------------------------------------------------------

def test_is_overfitting_needs_a_rising_validation_loss_and_a_falling_training_loss():
    falling = [0.7, 0.5, 0.4, 0.3, 0.2]
    assert curves.is_overfitting({"loss": falling, "val_loss": [0.7, 0.5, 0.45, 0.5, 0.6]})
    # validation still at its minimum: no
    assert not curves.is_overfitting({"loss": falling, "val_loss": [0.7, 0.6, 0.5, 0.45, 0.4]})
    # validation up by less than the tolerance: no
    assert not curves.is_overfitting({"loss": falling, "val_loss": [0.7, 0.5, 0.45, 0.46, 0.46]})
    # training loss rose as well (a learning rate too large, not over-fitting): no
    assert not curves.is_overfitting({"loss": [0.7, 0.5, 0.4, 0.5, 0.6], "val_loss": [0.7, 0.5, 0.45, 0.5, 0.6]})


def test_is_overfitting_without_validation_says_how_to_get_it():
    with pytest.raises(ValueError, match="validation_data"):
        curves.is_overfitting({"loss": [0.5, 0.4]})


# ----- figures ------------------------------------------------------------------------------------------

def test_training_curves_lines_hold_the_history(fitted_history):
    fig = curves.training_curves(fitted_history, accuracy_ceiling=0.95, loss_floor=0.2)
    loss_ax, accuracy_ax = fig.axes
    epochs = np.arange(1, 7)
    for ax, metric in ((loss_ax, "loss"), (accuracy_ax, "accuracy")):
        lines = lines_by_label(ax)
        np.testing.assert_array_equal(lines[f"training {metric}"].get_xdata(), epochs)
        np.testing.assert_array_equal(lines[f"training {metric}"].get_ydata(), fitted_history.history[metric])
        np.testing.assert_array_equal(lines[f"validation {metric}"].get_ydata(),
                                      fitted_history.history[f"val_{metric}"])
    assert lines_by_label(loss_ax)["lowest possible loss 0.2000"].get_ydata()[0] == 0.2
    assert lines_by_label(accuracy_ax)["best possible accuracy 0.9500"].get_ydata()[0] == 0.95


def test_training_curves_without_validation_draw_only_training_lines():
    history = random_history(validation=False)
    fig = curves.training_curves(history)
    for ax, metric in zip(fig.axes, ("loss", "accuracy")):
        assert list(lines_by_label(ax)) == [f"training {metric}"]
        np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), history.history[metric])


def test_training_curves_without_accuracy_say_to_compile_with_it():
    with pytest.raises(ValueError, match="metrics=\\['accuracy'\\]"):
        curves.training_curves({"loss": [0.5, 0.4]})


def test_plot_metric_marks_the_best_validation_epoch():
    history = random_history(epochs=12, seed=5)
    fig = curves.plot_metric(history, "loss", mark_best=True)
    best = int(np.argmin(history.history["val_loss"])) + 1
    value = history.history["val_loss"][best - 1]
    dot = lines_by_label(fig.axes[0])[f"best validation loss: epoch {best}, {value:.4f}"]
    assert list(dot.get_xdata()) == [best] and list(dot.get_ydata()) == [value]


def test_plot_metric_draws_on_a_given_axes_and_refuses_val_names():
    fig, ax = plt.subplots()
    assert curves.plot_metric(random_history(), "accuracy", ax=ax) is fig
    with pytest.raises(ValueError, match="training metric"):
        curves.plot_metric(random_history(), "val_loss")
    with pytest.raises(TypeError, match="reference"):
        curves.plot_metric(random_history(), "loss", reference="0.2")


# ----- true_probability_loss, add_reference, compare_runs (issue 9) ---------------------------------------

def test_true_probability_loss_scores_the_generators_own_probabilities():
    ages = np.array([20, 20, 70, 70, 70])
    labels = np.array([0, 1, 1, 1, 0])          # younger: 0 follows the rule; older: 1 follows it
    breaks = 50 / 1050
    expected = -np.mean(np.log([1 - breaks, breaks, 1 - breaks, 1 - breaks, breaks]))
    assert curves.true_probability_loss(ages, labels) == pytest.approx(expected, abs=1e-15)
    other = -np.mean(np.log([0.8, 0.2, 0.8, 0.8, 0.2]))
    assert curves.true_probability_loss(ages, labels, typical=4, exceptions=1) == pytest.approx(other, abs=1e-15)


def test_on_a_large_sample_the_in_sample_floor_meets_the_true_probability_loss():
    small = drug_trial(seed=0)
    large = drug_trial(seed=5, typical=50_000, exceptions=2_500)
    true_loss = -(1 / 21 * np.log(1 / 21) + 20 / 21 * np.log(20 / 21))
    assert curves.true_probability_loss(large.ages, large.labels) == pytest.approx(true_loss, abs=1e-12)
    assert abs(curves.loss_floor(large.ages, large.labels) - true_loss) < 0.003
    assert curves.loss_floor(small.ages, small.labels) < true_loss - 0.01      # memorising the noise of 2100


@pytest.mark.parametrize("kwargs, error", [
    ({"typical": 0}, ValueError), ({"exceptions": 1.5}, TypeError), ({"typical": True}, TypeError)])
def test_true_probability_loss_rejects_bad_counts(kwargs, error):
    with pytest.raises(error):
        curves.true_probability_loss([20, 70], [0, 1], **kwargs)


def test_add_reference_draws_a_labelled_line_and_shows_it_in_the_legend():
    fig = curves.plot_metric(random_history(), "loss", reference=0.2, reference_label="first")
    ax = fig.axes[0]
    line = curves.add_reference(ax, 0.35, "second", linestyle=":")
    assert line in ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), [0.35, 0.35])
    assert line.get_linestyle() == ":"
    assert [text.get_text() for text in ax.get_legend().get_texts()][-2:] == ["first", "second"]
    with pytest.raises(TypeError, match="label"):
        curves.add_reference(ax, 0.1, "")
    with pytest.raises(TypeError):
        curves.add_reference(ax, "0.1", "a label")


def test_compare_runs_draws_every_run_its_references_and_the_epoch_mark():
    short, longer = random_history(epochs=5, validation=False, seed=1), random_history(epochs=9, seed=2)
    fig = curves.compare_runs([("short", short), ("longer", longer)],
                              loss_references=[(0.19, "true 0.19"), (0.17, "floor 0.17")],
                              accuracy_references=[(0.95, "ceiling 0.95")], mark_epoch=5, title="two runs")
    loss_ax, accuracy_ax = fig.axes
    assert fig._suptitle.get_text() == "two runs"
    for ax, metric, references in [(loss_ax, "loss", {"true 0.19": 0.19, "floor 0.17": 0.17}),
                                   (accuracy_ax, "accuracy", {"ceiling 0.95": 0.95})]:
        lines = lines_by_label(ax)
        for label, run in [("short", short), ("longer", longer)]:
            np.testing.assert_array_equal(lines[label].get_ydata(), run.history[metric])
            np.testing.assert_array_equal(lines[label].get_xdata(), np.arange(1, len(run.history[metric]) + 1))
        assert "validation loss" not in lines and "validation accuracy" not in lines
        for label, value in references.items():
            np.testing.assert_array_equal(lines[label].get_ydata(), [value, value])
        np.testing.assert_array_equal(lines["epoch 5"].get_xdata(), [5, 5])
        assert ax.get_xlim() == (0, 9) and ax.get_xlabel() == "epoch" and ax.get_ylabel() == metric
        legend = [text.get_text() for text in ax.get_legend().get_texts()]
        assert legend[:2] == ["short", "longer"] and legend[-1] == "epoch 5"
    assert lines_by_label(loss_ax)["true 0.19"].get_linestyle() != lines_by_label(loss_ax)["floor 0.17"].get_linestyle()


@pytest.mark.parametrize("runs, kwargs, error, words", [
    ([], {}, ValueError, "at least one"),
    ({"a": None}, {}, TypeError, "pairs"),
    ([("a",)], {}, TypeError, "pairs"),
    ([("a", {"loss": [0.5, 0.4]})], {}, ValueError, "accuracy"),
    ([("a", {"loss": [0.5, 0.4], "accuracy": [0.6, 0.7]})], {"mark_epoch": 3}, ValueError, "mark_epoch"),
])
def test_compare_runs_rejects_what_it_cannot_draw(runs, kwargs, error, words):
    with pytest.raises(error, match=words):
        curves.compare_runs(runs, **kwargs)

"""The logic behind lessons 05-06's interactive parts, and the widgets driven without a browser."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.data import drug_trial, scale_ages  # noqa: E402
from nnbook.descent import numerical_gradient  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import training_widgets as tw  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import SGD  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def tiny_model(seed=3):
    """A 1-2-2 network with random weights (non-zero biases, so both ReLU states occur)."""
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(seed)
    model.set_weights([w + rng.normal(0, 0.3, w.shape) for w in model.get_weights()])
    return model


def batch():
    trial = drug_trial(seed=2)
    return trial.x[:12], trial.labels[:12]


def small_trial():
    return drug_trial(seed=4, typical=60, exceptions=3)       # 126 samples


# ----------------------------------------------------------------------------------------------- nudge
def test_parameter_names_follow_the_weights_shapes_and_order():
    model = Sequential([Dense(3, input_shape=(2,), activation="relu"), Dense(2, activation="softmax")], seed=0)
    names = tw.parameter_names(model)
    assert len(names) == model.count_params() == 2 * 3 + 3 + 3 * 2 + 2
    assert names[:7] == ["W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]", "W1[1,1]", "W1[1,2]", "b1[0]"]
    assert names[9:] == ["W2[0,0]", "W2[0,1]", "W2[1,0]", "W2[1,1]", "W2[2,0]", "W2[2,1]", "b2[0]", "b2[1]"]
    flat = tw.flat_weights(model)
    weights = model.get_weights()
    # W1[1,2] is row 1, column 2 of the first kernel; b2[1] the last bias
    assert flat[names.index("W1[1,2]")] == weights[0][1, 2]
    assert flat[names.index("b2[1]")] == weights[3][1]


def test_loss_with_weights_matches_set_weights_and_leaves_the_model_alone():
    model, (x, y) = tiny_model(), batch()
    before = model.get_weights()
    other = tw.flat_weights(model) + 0.05
    loss = tw.loss_with_weights(model, x, y, other)
    for kept, original in zip(model.get_weights(), before):
        np.testing.assert_array_equal(kept, original)
    twin = tiny_model()
    twin.set_weights([w + 0.05 for w in before])
    assert loss == pytest.approx(twin.compute_gradients(x, y)[0], rel=1e-14)
    assert loss != pytest.approx(model.compute_gradients(x, y)[0], rel=1e-6)


def test_loss_with_weights_rejects_a_vector_of_the_wrong_length():
    model, (x, y) = tiny_model(), batch()
    with pytest.raises(ValueError, match="flat must hold one value per weight of the model, 10, got 9"):
        tw.loss_with_weights(model, x, y, np.zeros(9))


def test_nudge_measures_the_loss_and_uses_backpropagations_gradient():
    model, (x, y) = tiny_model(), batch()
    index = tw.parameter_names(model).index("W2[1,0]")
    _, grads = model.compute_gradients(x, y)
    result = tw.nudge(model, x, y, "W2[1,0]", 0.2)
    assert result.name == "W2[1,0]"
    assert result.gradient == np.concatenate([g.ravel() for g in grads])[index]
    assert result.weight == tw.flat_weights(model)[index]
    moved = tw.flat_weights(model)
    moved[index] += 0.2
    assert result.loss_after == tw.loss_with_weights(model, x, y, moved)
    assert result.change == result.loss_after - result.loss_before
    assert result.predicted == pytest.approx(result.gradient * 0.2, rel=1e-15)
    assert tw.nudge(model, x, y, index, 0.2) == result          # by index too


def test_gradient_times_nudge_predicts_the_change_better_for_smaller_nudges():
    model, (x, y) = tiny_model(), batch()
    names = tw.parameter_names(model)
    for name in names:
        result = tw.nudge(model, x, y, name, 1e-4)
        assert abs(result.change - result.predicted) < 1e-7, name
    gaps = [abs(tw.nudge(model, x, y, "W1[0,0]", a).change - tw.nudge(model, x, y, "W1[0,0]", a).predicted)
            for a in (0.2, 0.02, 0.002)]
    assert gaps[0] > gaps[1] > gaps[2]
    assert gaps[1] / gaps[2] == pytest.approx(100, rel=0.2)      # the gap shrinks like nudge^2


def test_nudge_gradient_equals_a_finite_difference():
    model, (x, y) = tiny_model(seed=7), batch()
    flat = tw.flat_weights(model)
    numeric = numerical_gradient(lambda w: tw.loss_with_weights(model, x, y, w), flat)
    gradients = np.array([tw.nudge(model, x, y, i, 0.01).gradient for i in range(flat.size)])
    np.testing.assert_allclose(gradients, numeric, rtol=1e-6, atol=1e-9)


def test_nudge_report_says_what_happened():
    model, (x, y) = tiny_model(), batch()
    result = tw.nudge(model, x, y, "b2[0]", -0.05)
    text = tw.nudge_report(result)
    assert text.startswith(f"b2[0] = {result.weight:.4f}, nudged by -0.0500")
    assert f"from {result.loss_before:.6f} to {result.loss_after:.6f}" in text
    assert f"= {result.predicted:+.6f}" in text
    assert f"Ratio real / predicted: {result.change / result.predicted:.4f}." in text


def test_a_weight_into_a_switched_off_unit_has_gradient_zero_and_the_report_says_why():
    model = Sequential([Dense(2, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.set_weights([np.array([[1.2, -0.8]]), np.array([-0.3, 0.4]),
                       np.array([[-0.5, 0.7], [0.6, -0.4]]), np.array([0.05, -0.05])])
    x = scale_ages([[70.0]])                                   # unit 2: z = -0.8 * 0.655 + 0.4 < 0
    result = tw.nudge(model, x, [1], "b1[1]", 0.05)
    assert result.gradient == 0 and result.change == 0
    assert "a ReLU is off" in tw.nudge_report(result)
    switched_on = tw.nudge(model, x, [1], "b1[1]", 0.3)        # z = 0.176 > 0: the unit joins in
    assert switched_on.change != 0 and switched_on.predicted == 0


@pytest.mark.parametrize("parameter, error, message", [
    ("W3[0,0]", ValueError, "parameter must be one of the model's weight names"),
    (10, ValueError, r"parameter must be an index in \[0, 10\), got 10"),
    (1.5, TypeError, "parameter must be a weight name such as 'W1\\[0,0\\]' or an index"),
])
def test_nudge_names_a_bad_parameter(parameter, error, message):
    model, (x, y) = tiny_model(), batch()
    with pytest.raises(error, match=message):
        tw.nudge(model, x, y, parameter, 0.1)


def test_nudge_rejects_a_non_number_amount():
    model, (x, y) = tiny_model(), batch()
    with pytest.raises(TypeError, match="amount must be a finite number, got 'big'"):
        tw.nudge(model, x, y, 0, "big")


def test_nudge_figure_draws_the_loss_curve_tangent_and_both_changes():
    model, (x, y) = tiny_model(), batch()
    fig = tw.nudge_figure(model, x, y, "W1[0,1]", 0.25, span=0.8)
    curve, tangent, real, predicted = fig.axes[0].lines[:4]
    result = tw.nudge(model, x, y, "W1[0,1]", 0.25)
    grid = curve.get_xdata()
    assert grid[0] == pytest.approx(result.weight - 0.8) and grid[-1] == pytest.approx(result.weight + 0.8)
    index = tw.parameter_names(model).index("W1[0,1]")
    for k in (0, tw.CURVE_POINTS // 2, tw.CURVE_POINTS - 1):
        flat = tw.flat_weights(model)
        flat[index] = grid[k]
        assert curve.get_ydata()[k] == pytest.approx(tw.loss_with_weights(model, x, y, flat))
    slope = np.diff(tangent.get_ydata()) / np.diff(tangent.get_xdata())
    np.testing.assert_allclose(slope, result.gradient)
    assert real.get_ydata()[1] - real.get_ydata()[0] == pytest.approx(result.change)
    assert predicted.get_ydata()[1] - predicted.get_ydata()[0] == pytest.approx(result.predicted)


def test_nudge_explorer_follows_its_controls():
    model, (x, y) = tiny_model(), batch()
    explorer = tw.NudgeExplorer(model, x, y, parameter="b1[0]", amount=0.1, draw=False)
    assert explorer.result == tw.nudge(model, x, y, "b1[0]", 0.1)
    explorer.parameter.value = "W2[0,1]"
    assert explorer.result == tw.nudge(model, x, y, "W2[0,1]", 0.1)
    explorer.amount.value = -0.37
    assert explorer.result == tw.nudge(model, x, y, "W2[0,1]", -0.37)
    assert tw.nudge_report(explorer.result) in explorer.readout.value
    assert explorer.amount.min == -1.0 and explorer.amount.max == 1.0


def test_nudge_explorer_draws_without_a_browser_on_one_figure_moved_in_place():
    model, (x, y) = tiny_model(), batch()
    explorer = tw.NudgeExplorer(model, x, y)
    assert explorer.amount.continuous_update is True
    figure, first = explorer.picture.figure, bytes(explorer.image.value)
    for amount in (0.3, -0.6, 0.45):                       # a drag
        explorer.amount.value = amount
    explorer.parameter.value = "W2[1,1]"
    assert explorer.result == tw.nudge(model, x, y, "W2[1,1]", 0.45)
    assert explorer.picture.figure is figure and plt.get_fignums() == []    # no new figure, none left open
    assert bytes(explorer.image.value) != first
    assert bytes(explorer.image.value) == explorer.picture.full_png()     # the last state, drawn in full
    real = [line for line in figure.axes[0].lines if line.get_label().startswith("real change")][0]
    assert real.get_ydata()[1] - real.get_ydata()[0] == pytest.approx(explorer.result.change)
    assert explorer.widget.draws == 5


def test_nudge_picture_moved_shows_what_a_new_nudge_figure_shows():
    model, (x, y) = tiny_model(), batch()
    picture = tw.NudgePicture(model, x, y, "W1[0,0]", 0.1, span=2.0, live=True)
    for parameter, amount in (("W1[0,0]", -0.8), ("b2[1]", 0.3), ("W2[0,1]", 1.0)):
        picture.update(parameter, amount)
        fresh = tw.nudge_figure(model, x, y, parameter, amount, span=2.0)
        for moved, new in zip(picture.figure.axes[0].lines, fresh.axes[0].lines):
            np.testing.assert_allclose(moved.get_xydata(), new.get_xydata(), rtol=1e-12)
            assert moved.get_label() == new.get_label() or moved.get_label().startswith("_")
        assert picture.figure.axes[0].get_xlabel() == fresh.axes[0].get_xlabel()
        assert [t.get_text() for t in picture.figure.axes[0].get_legend().get_texts()] == \
            [t.get_text() for t in fresh.axes[0].get_legend().get_texts()]
        assert picture.figure.axes[0].get_ylim() == pytest.approx(fresh.axes[0].get_ylim())


# ------------------------------------------------------------------------------------------ live training
def reference_fit(x, labels, epochs, seed, learning_rate=0.01, batch_size=10):
    model = Sequential([Dense(16, input_shape=(1,), activation="relu"), Dense(32, activation="relu"),
                        Dense(2, activation="softmax")], seed=seed)
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model, model.fit(x, labels, batch_size=batch_size, epochs=epochs, verbose=0)


def test_live_training_is_the_same_run_as_sequential_fit_with_sgd():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=5, learning_rate=0.05, batch_size=8)
    trainer.run(4)
    model, history = reference_fit(trial.x, trial.labels, 4, seed=5, learning_rate=0.05, batch_size=8)
    np.testing.assert_allclose(trainer.history["loss"], history.history["loss"], rtol=0, atol=1e-12)
    assert trainer.history["accuracy"] == history.history["accuracy"]
    for layer, (kernel, bias) in zip(trainer.layers, zip(model.get_weights()[0::2], model.get_weights()[1::2])):
        np.testing.assert_allclose(layer.kernel, kernel, rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.bias, bias, rtol=0, atol=1e-12)


def test_live_training_counts_epochs_and_batches():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, batch_size=10)
    assert trainer.iterations_per_epoch == math.ceil(126 / 10) == 13
    assert trainer.epoch == 0 and trainer.history == {"loss": [], "accuracy": []}
    loss = trainer.step()
    assert loss == trainer.history["loss"][-1]
    trainer.step()
    assert trainer.epoch == 2 and len(trainer.batch_losses) == 2 * 13
    # the epoch loss is the mean of its batch losses weighted by batch size (12 batches of 10, one of 6)
    sizes = np.array([10] * 12 + [6])
    assert trainer.history["loss"][1] == pytest.approx(np.dot(trainer.batch_losses[13:], sizes) / 126)
    assert 0 <= trainer.history["accuracy"][1] <= 1


def test_live_training_learns_the_drug_trial():
    trial = drug_trial(seed=0)
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=0)
    trainer.run(8)
    loss, accuracy = trainer.history["loss"], trainer.history["accuracy"]
    assert loss[-1] < 0.75 * loss[0] and accuracy[-1] > 0.9
    probabilities = trainer.predict(scale_ages([[20.0], [90.0]]))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[0, 1] < 0.2 < 0.8 < probabilities[1, 1]


def test_reset_starts_the_same_run_again():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=9)
    first = list(trainer.run(3)["loss"])
    kernel = trainer.layers[0].kernel.copy()
    trainer.reset()
    assert trainer.epoch == 0 and trainer.batch_losses == []
    assert trainer.run(3)["loss"] == first
    np.testing.assert_array_equal(trainer.layers[0].kernel, kernel)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"learning_rate": 0}, ValueError, "learning_rate must be a positive finite number, got 0.0"),
    ({"batch_size": 2.5}, TypeError, "batch_size must be a whole number"),
    ({"hidden": 16}, TypeError, "hidden must be a tuple of layer widths"),
    ({"hidden": (16, 0)}, ValueError, "hidden\\[1\\] must be at least 1, got 0"),
])
def test_live_training_rejects_bad_settings(kwargs, error, message):
    trial = small_trial()
    with pytest.raises(error, match=message):
        tw.LiveTraining(trial.x, trial.labels, **kwargs)


def test_live_training_rejects_mismatched_data():
    trial = small_trial()
    with pytest.raises(ValueError, match="x and labels must hold the same number of samples"):
        tw.LiveTraining(trial.x, trial.labels[:-1])
    with pytest.raises(ValueError, match="x must be 2-D"):
        tw.LiveTraining(trial.x[:, 0], trial.labels)


def test_status_text():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels)
    assert tw.status_text(trainer, 30) == "epoch 0/30 - not trained yet"
    trainer.step()
    assert tw.status_text(trainer, 30) == (f"epoch 1/30 - loss {trainer.history['loss'][0]:.4f} - "
                                           f"accuracy {trainer.history['accuracy'][0]:.4f}")


def test_training_figure_plots_the_history_and_the_networks_predictions():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels)
    trainer.run(3)
    fig = tw.training_figure(trainer, max_epochs=10)
    loss_ax, acc_ax, age_ax = fig.axes
    epoch_loss = [line for line in loss_ax.lines if line.get_label() == "epoch loss"][0]
    np.testing.assert_array_equal(epoch_loss.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(epoch_loss.get_ydata(), trainer.history["loss"])
    np.testing.assert_array_equal(acc_ax.lines[0].get_ydata(), trainer.history["accuracy"])
    assert loss_ax.get_xlim() == (0, 10)
    predicted = [line for line in age_ax.lines if line.get_label() == "predicted"][0]
    np.testing.assert_array_equal(predicted.get_xdata(), np.arange(13, 101))
    np.testing.assert_allclose(predicted.get_ydata(),
                               trainer.predict(scale_ages(np.arange(13, 101)).reshape(-1, 1))[:, 1])


def test_training_figure_at_epoch_zero_and_for_other_data():
    trial = small_trial()
    fig = tw.training_figure(tw.LiveTraining(trial.x, trial.labels))
    assert fig.axes[2].get_title() == "the network after 0 epochs"
    two_features = np.hstack([trial.x, trial.x])
    with pytest.raises(ValueError, match="x must be one column of scaled ages"):
        tw.training_figure(tw.LiveTraining(two_features, trial.labels))


def test_widget_play_trains_up_to_its_value_and_back():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=1)
    live = tw.LiveTrainingWidget(trainer, max_epochs=6, draw=False)
    assert live.play.max == 6 and trainer.epoch == 0
    live.play.value = 3                                     # what pressing play does, one tick at a time
    assert trainer.epoch == 3
    assert tw.status_text(trainer, 6) in live.status.value
    live.step_button.click()
    assert trainer.epoch == 4 and live.play.value == 4
    live.play.value = 2                                     # moving back replays from the start
    fresh = tw.LiveTraining(trial.x, trial.labels, seed=1)
    assert trainer.history == fresh.run(2)
    live.play.value = 6
    live.step_button.click()                                # at the end: nothing more to train
    assert trainer.epoch == 6 and live.play.value == 6


def test_widget_reset_and_stop_go_back_to_epoch_zero():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels)
    live = tw.LiveTrainingWidget(trainer, max_epochs=5, draw=False)
    live.play.value = 2
    live.play.playing = True
    live.reset_button.click()
    assert trainer.epoch == 0 and live.play.value == 0 and live.play.playing is False
    assert "not trained yet" in live.status.value
    live.reset_button.click()                               # already at 0: still fine
    assert trainer.epoch == 0


def test_widget_redraws_its_pictures_each_epoch_on_the_same_figures():
    trial = small_trial()
    live = tw.LiveTrainingWidget(tw.LiveTraining(trial.x, trial.labels), max_epochs=3)
    assert live.figures_drawn == 1 and live.play.interval <= 100       # 10 epochs a second when it keeps up
    figures = (live.curves.figure, live.network.figure)
    curves_image, network_image = live.widget.images
    first = (bytes(curves_image.value), bytes(network_image.value))
    live.play.value = 1
    live.play.value = 2
    assert live.figures_drawn == 3
    assert (live.curves.figure, live.network.figure) == figures and plt.get_fignums() == []
    assert bytes(curves_image.value) != first[0] and bytes(network_image.value) != first[1]
    assert bytes(curves_image.value) == live.curves.full_png()            # the last epoch, drawn in full
    assert bytes(network_image.value) == live.network.full_png()


def test_widget_shows_the_curves_and_the_weights_of_the_epoch_it_is_at():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=2)
    live = tw.LiveTrainingWidget(trainer, max_epochs=4)
    for epochs in (1, 2, 4, 0, 3):                   # play, then stop (back to 0), then play again
        live.play.value = epochs
        assert trainer.epoch == epochs
        loss_ax, acc_ax, age_ax = live.curves.figure.axes
        epoch_loss = [line for line in loss_ax.lines if line.get_label() == "epoch loss"][0]
        np.testing.assert_array_equal(epoch_loss.get_ydata(), trainer.history["loss"])
        np.testing.assert_array_equal(acc_ax.lines[0].get_ydata(), trainer.history["accuracy"])
        assert age_ax.get_title() == f"the network after {epochs} epoch{'s' if epochs != 1 else ''}"
        drawn = live.network.lines                   # the weights drawn are the model's, now
        expected = tw.network_drawing(trainer.model)
        np.testing.assert_array_equal(drawn.get_linewidths(), expected.widths)
        np.testing.assert_array_equal(drawn.get_colors()[:, :3], expected.colours[:, :3])
        assert live.network.model is trainer.model
        assert f"after {epochs} epoch" in live.network.figure.axes[0].get_title()
    assert f"epoch 3/4 - loss {trainer.history['loss'][-1]:.4f}" in live.status.value


def test_training_picture_moved_shows_what_a_new_training_figure_shows():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=3)
    picture = tw.TrainingPicture(trainer, max_epochs=5, live=True)
    for _ in range(3):
        trainer.step()
        picture.update()
        fresh = tw.training_figure(trainer, max_epochs=5)
        for moved_ax, new_ax in zip(picture.figure.axes, fresh.axes):
            moved = {line.get_label(): line.get_xydata() for line in moved_ax.lines if len(line.get_xdata())}
            new = {line.get_label(): line.get_xydata() for line in new_ax.lines if len(line.get_xdata())}
            assert moved.keys() == new.keys()
            for label in moved:
                np.testing.assert_array_equal(moved[label], new[label])
            assert moved_ax.get_title() == new_ax.get_title()
            legends = [ax.get_legend() for ax in (moved_ax, new_ax)]
            assert [None if g is None else [t.get_text() for t in g.get_texts()] for g in legends][0] == \
                [None if g is None else [t.get_text() for t in g.get_texts()] for g in legends][1]


# ------------------------------------------------------------------------------------------ the network drawn
def test_network_drawing_draws_each_weight_of_the_model_once():
    model = Sequential([Dense(3, input_shape=(2,), activation="relu"), Dense(2, activation="softmax")], seed=4)
    model.set_weights([np.array([[0.5, -1.5, 0.0], [2.0, -0.1, 0.3]]), np.zeros(3),
                       np.array([[1.0, -1.0], [0.25, 0.0], [-3.0, 0.7]]), np.zeros(2)])
    drawing = tw.network_drawing(model)
    kernels = [w for w in model.get_weights() if w.ndim == 2]
    np.testing.assert_array_equal(drawing.weights, np.concatenate([k.ravel() for k in kernels]))
    assert [units.shape for units in drawing.units] == [(2, 2), (3, 2), (2, 2)]
    assert drawing.segments.shape == (12, 2, 2)
    # W1[1, 2] = 0.3 joins input unit 1 to hidden unit 2: the 6th line (row by row)
    np.testing.assert_array_equal(drawing.segments[5], [drawing.units[0][1], drawing.units[1][2]])
    np.testing.assert_array_equal(drawing.segments[6], [drawing.units[1][0], drawing.units[2][0]])
    positive = np.array(matplotlib.colors.to_rgba(tw.POSITIVE_COLOUR))
    negative = np.array(matplotlib.colors.to_rgba(tw.NEGATIVE_COLOUR))
    for weight, colour in zip(drawing.weights, drawing.colours):
        np.testing.assert_array_equal(colour, positive if weight >= 0 else negative)
    order = np.argsort(np.abs(drawing.weights), kind="stable")
    assert np.all(np.diff(drawing.widths[order]) >= 0)             # wider for larger |weight|
    assert drawing.widths[drawing.weights == -3.0] == drawing.widths[drawing.weights == 2.0]  # capped at the scale
    assert drawing.widths[drawing.weights == 0.0].max() < drawing.widths[drawing.weights == 0.25].min()


def test_network_figure_holds_the_drawing_and_its_picture_follows_training():
    trial = small_trial()
    trainer = tw.LiveTraining(trial.x, trial.labels, seed=1)
    fig = tw.network_figure(trainer.model, input_names=("age",), output_names=("no", "yes"))
    lines = [c for c in fig.axes[0].collections if isinstance(c, matplotlib.collections.LineCollection)][0]
    assert len(lines.get_segments()) == 16 + 512 + 64
    np.testing.assert_array_equal(np.array(lines.get_segments()), tw.network_drawing(trainer.model).segments)
    assert {"age", "no", "yes"} <= {text.get_text() for text in fig.axes[0].texts}
    picture = tw.NetworkPicture(trainer.model, live=True)
    before = picture.lines.get_linewidths().copy()
    trainer.run(2)
    picture.update(title="after two epochs")
    assert not np.array_equal(picture.lines.get_linewidths(), before)
    np.testing.assert_array_equal(picture.lines.get_linewidths(), tw.network_drawing(trainer.model).widths)
    assert picture.png() == picture.full_png()
    other = Sequential([Dense(4, input_shape=(1,), activation="relu"), Dense(2, activation="softmax")], seed=0)
    with pytest.raises(ValueError, match="layer sizes"):
        picture.update(other)


def test_widget_needs_a_live_training():
    with pytest.raises(TypeError, match="trainer must be a LiveTraining"):
        tw.LiveTrainingWidget("model")


def test_nudge_explorer_keeps_its_axes_while_the_nudge_moves_across_its_range():
    model, (x, y) = tiny_model(), batch()
    explorer = tw.NudgeExplorer(model, x, y, parameter="W1[0,1]", amount=0.0, max_amount=0.8)
    ax = explorer.picture.figure.axes[0]
    limits = (ax.get_xlim(), ax.get_ylim())
    for amount in np.linspace(-0.8, 0.8, 17):
        explorer.amount.value = round(float(amount), 2)
        assert ax.get_xlim() == pytest.approx(limits[0], rel=1e-9)
        assert ax.get_ylim() == pytest.approx(limits[1], rel=1e-9)
        nudged = explorer.result.weight + explorer.result.nudge
        assert limits[0][0] < nudged < limits[0][1]
    assert explorer.picture.background_draws < 17 / 2       # most frames redraw only the bars, the dot and the texts
    assert bytes(explorer.image.value) == explorer.picture.full_png()


def test_the_flat_vector_of_weights_is_a_copy_and_goes_back_into_the_layers():
    model = tiny_model()
    weights = model.get_weights()
    flat = tw.flat_weights(model)
    assert np.array_equal(flat, np.concatenate([w.ravel() for w in weights])) and flat.size == model.count_params()
    flat[0] = 99.0                                       # a copy: the model does not change
    assert model.layers[0].kernel[0, 0] == weights[0][0, 0]
    flat[-2:] = [0.5, -0.5]
    tw.set_flat_weights(model, flat)                     # into the layers' own kernel and bias
    assert model.layers[0].kernel[0, 0] == 99.0 and list(model.layers[1].bias) == [0.5, -0.5]
    with pytest.raises(ValueError, match=r"flat must hold one value per weight of the model, 10, got 3"):
        tw.set_flat_weights(model, [1.0, 2.0, 3.0])

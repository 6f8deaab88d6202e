"""nnbook.lessons.inference: from a trained model and raw ages to probabilities, class names and the slider."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnbook.data import AGE_MAX, AGE_MIN, TRIAL_CLASSES, drug_trial  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import inference  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def new_model(output="softmax", seed=0):
    model = Sequential([Dense(8, input_shape=(1,), activation="relu"), Dense(2, activation=output)], seed=seed)
    model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy", ["accuracy"])
    return model


@pytest.fixture(scope="module")
def model():
    data = drug_trial(seed=5, typical=150, exceptions=8)
    trained = new_model()
    trained.fit(data.x, data.labels, batch_size=10, epochs=8, verbose=0)
    return trained


def by_hand(model, ages):
    """The network's forward pass written out with its own weights: relu(x W0 + b0) W1 + b1, softmax."""
    x = (np.asarray(ages, dtype=float).reshape(-1, 1) - 13) / 87
    w0, b0, w1, b1 = model.get_weights()
    z = np.maximum(x @ w0 + b0, 0) @ w1 + b1
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ----- ages_to_inputs -----------------------------------------------------------------------------------

def test_ages_are_scaled_as_in_training_one_row_each():
    x = inference.ages_to_inputs([13, 65, 100, 56.5])
    assert x.shape == (4, 1)
    np.testing.assert_allclose(x[:, 0], [0.0, 52 / 87, 1.0, 43.5 / 87])
    assert inference.ages_to_inputs(70).shape == (1, 1)


@pytest.mark.parametrize("ages, error, words", [
    (12, ValueError, "13 to 100"),
    ([30, 101], ValueError, "got 101"),
    (-5, ValueError, "13 to 100"),
    ("70", TypeError, "numbers"),
    (None, TypeError, "numbers"),
    (True, TypeError, "years"),
    ([[30, 40]], ValueError, "1-D"),
    (float("nan"), ValueError, "finite"),
])
def test_ages_outside_the_study_or_not_numbers_are_refused(ages, error, words):
    with pytest.raises(error, match=words):
        inference.ages_to_inputs(ages)


# ----- predict_probabilities, predict_classes -----------------------------------------------------------

def test_probabilities_are_the_models_forward_pass(model):
    ages = [15, 40, 64, 66, 90]
    probabilities = inference.predict_probabilities(model, inference.ages_to_inputs(ages))
    np.testing.assert_allclose(probabilities, by_hand(model, ages), rtol=1e-12)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def test_class_names_are_the_argmax_of_each_row(model):
    ages = np.arange(AGE_MIN, AGE_MAX + 1)
    expected = [TRIAL_CLASSES[k] for k in by_hand(model, ages).argmax(axis=1)]
    assert inference.predict_classes(model, inference.ages_to_inputs(ages), TRIAL_CLASSES) == expected
    # A model trained on this data says "no side effects" at 13 and "side effects" at 100.
    assert expected[0] == TRIAL_CLASSES[0] and expected[-1] == TRIAL_CLASSES[1]


def test_an_untrained_model_is_refused():
    with pytest.raises(ValueError, match="not been trained"):
        inference.predict_probabilities(new_model(), [[0.5]])
    with pytest.raises(ValueError, match="not been trained"):
        inference.age_prediction(new_model(), 50)
    with pytest.raises(ValueError, match="not been trained"):
        inference.AgeSlider(new_model(), draw=False)


def test_what_is_not_a_model_is_refused():
    with pytest.raises(TypeError, match="Sequential"):
        inference.predict_classes("model", [[0.5]], TRIAL_CLASSES)


def test_outputs_that_are_not_probabilities_point_to_softmax():
    data = drug_trial(seed=5, typical=20, exceptions=1)
    sigmoid_model = new_model(output="sigmoid")
    sigmoid_model.fit(data.x, data.labels, batch_size=10, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="softmax"):
        inference.predict_probabilities(sigmoid_model, data.x)


def test_class_names_must_name_every_output(model):
    with pytest.raises(ValueError, match="2 outputs"):
        inference.predict_classes(model, [[0.5]], ["only one"])


def test_x_must_be_rows_of_samples(model):
    with pytest.raises(ValueError, match="2-D"):
        inference.predict_probabilities(model, [0.5, 0.6])


# ----- one age: the slider's logic ----------------------------------------------------------------------

@pytest.mark.parametrize("age", [13, 30, 64, 65, 77, 100])
def test_age_prediction_is_the_models_prediction_for_the_scaled_age(model, age):
    prediction = inference.age_prediction(model, age)
    expected = by_hand(model, [age])[0]
    assert prediction.age == age
    assert prediction.x == pytest.approx((age - 13) / 87)
    assert prediction.probability == pytest.approx(expected[1], rel=1e-12)
    assert prediction.class_name == TRIAL_CLASSES[int(expected.argmax())]


@pytest.mark.parametrize("age, error", [(12, ValueError), (100.5, ValueError), ("70", TypeError),
                                        (None, TypeError), ([70], TypeError), (float("inf"), TypeError)])
def test_age_prediction_refuses_bad_ages(model, age, error):
    with pytest.raises(error, match="age"):
        inference.age_prediction(model, age)


def test_the_sentence_states_the_numbers_of_the_prediction(model):
    prediction = inference.age_prediction(model, 71)
    sentence = inference.prediction_sentence(prediction)
    assert sentence.startswith("Age 71 (input ")
    assert f"{(71 - 13) / 87:.4f}" in sentence
    assert f"{prediction.probability:.1%} chance of side effects" in sentence
    assert sentence.endswith(f'predicts "{prediction.class_name}".')
    with pytest.raises(TypeError, match="AgePrediction"):
        inference.prediction_sentence(0.7)


def test_probability_by_age_covers_13_to_100(model):
    ages, probabilities = inference.probability_by_age(model)
    np.testing.assert_array_equal(ages, np.arange(13, 101))
    np.testing.assert_allclose(probabilities, by_hand(model, ages)[:, 1], rtol=1e-12)


def test_probability_figure_holds_the_curve_the_boundary_and_the_age(model):
    fig = inference.probability_figure(model, age=72, people=([20, 80], [0, 1]))
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_allclose(lines["P(side effects)"].get_ydata(), by_hand(model, np.arange(13, 101))[:, 1])
    assert list(lines["age 65: younger | older"].get_xdata()) == [65, 65]
    marked = inference.age_prediction(model, 72)
    dot = lines[f"age 72: {marked.probability:.1%}"]
    assert list(dot.get_xdata()) == [72] and list(dot.get_ydata()) == [marked.probability]
    assert list(lines["people (2): 1 = side effects"].get_ydata()) == [0, 1]


def test_the_slider_shows_the_prediction_for_its_age(model):
    slider = inference.AgeSlider(model, age=40, draw=False)
    assert (slider.age.min, slider.age.max, slider.age.value) == (13, 100, 40)
    for age in (40, 66, 99):
        slider.age.value = age                 # the observer fires at once
        expected = inference.age_prediction(model, age)
        assert slider.prediction == expected
        assert inference.prediction_sentence(expected) in slider.readout.value


def test_the_slider_redraws_one_figure_once_per_move(model):
    slider = inference.AgeSlider(model, age=70)
    assert slider.figures_drawn == 1 and slider.age.continuous_update is True
    figure, first = slider.picture.figure, bytes(slider.image.value)
    slider.age.value = 20
    slider.age.value = 20                      # no change, no redraw
    assert slider.figures_drawn == 2
    assert slider.picture.figure is figure and plt.get_fignums() == []     # moved in place, never a new figure
    assert bytes(slider.image.value) != first


def test_the_slider_shows_the_last_age_of_a_drag(model):
    slider = inference.AgeSlider(model, age=70)
    for age in range(70, 30, -3):              # a drag, one value after another
        slider.age.value = age
    last = inference.age_prediction(model, 31)
    assert slider.prediction == last and inference.prediction_sentence(last) in slider.readout.value
    lines = {line.get_label(): line for line in slider.picture.figure.axes[0].get_lines()}
    dot = lines[f"age 31: {last.probability:.1%}"]
    assert list(dot.get_xdata()) == [31] and list(dot.get_ydata()) == [last.probability]
    assert f"age 31: {last.probability:.1%}" in [t.get_text() for t in slider.picture.ax.get_legend().get_texts()]
    assert bytes(slider.image.value) == slider.picture.full_png()          # the last state, drawn in full


def test_probability_picture_moves_only_when_drawn_with_an_age(model):
    picture = inference.ProbabilityByAgePicture(model, live=True)
    with pytest.raises(ValueError, match="drawn without an age"):
        picture.update(40)


def test_the_slider_refuses_a_start_age_outside_the_study(model):
    with pytest.raises(ValueError, match="13 to 100"):
        inference.AgeSlider(model, age=5, draw=False)

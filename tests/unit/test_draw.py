"""nnbook.lessons.draw: an 8 x 8 pad, the network's ten probabilities for it, its picture and its widget.

The network is trained here on ten synthetic patterns that a test can draw on the pad: digit k < 8 is a line
of ink along row k, digit 8 a line down column 1 and digit 9 a line down column 6, each with a little noise.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import draw  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def pattern(k):
    """The clean picture of synthetic digit k: full ink (16) along one line."""
    image = np.zeros((8, 8), dtype=np.uint8)
    if k < 8:
        image[k, :] = 16
    else:
        image[:, 1 if k == 8 else 6] = 16
    return image


def noisy_patterns(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = np.stack([pattern(k) for k in labels]).astype(int)
    images += rng.integers(0, 5, images.shape)                 # faint stray ink everywhere
    return np.clip(images, 0, 16).astype(np.uint8), labels


def new_model(inputs=64, outputs=10, seed=0):
    model = Sequential([Dense(16, input_shape=(inputs,), activation="relu"),
                        Dense(outputs, activation="softmax")], seed=seed)
    model.compile(Adam(learning_rate=0.02), "sparse_categorical_crossentropy", ["accuracy"])
    return model


@pytest.fixture(scope="module")
def model():
    images, labels = noisy_patterns(400, seed=1)
    trained = new_model()
    trained.fit(images.reshape(-1, 64) / 16, labels, batch_size=20, epochs=15, verbose=0)
    return trained


@pytest.fixture(scope="module")
def tests():
    return noisy_patterns(6, seed=2)


def by_hand(model, image):
    """The forward pass written out: x = image flattened row by row / 16, relu(x W0 + b0) W1 + b1, softmax."""
    x = np.asarray(image, dtype=float).reshape(1, 64) / 16
    w0, b0, w1, b1 = model.get_weights()
    z = np.maximum(x @ w0 + b0, 0) @ w1 + b1
    e = np.exp(z - z.max())
    return (e / e.sum())[0]


# ----- the image ----------------------------------------------------------------------------------------

def test_paint_sets_one_pixel_of_a_copy():
    image = np.zeros((8, 8), dtype=np.uint8)
    painted = draw.paint(image, 3, 5, 8)
    assert painted.dtype == np.uint8 and painted.shape == (8, 8)
    assert painted[3, 5] == 8 and np.count_nonzero(painted) == 1
    assert np.count_nonzero(image) == 0                        # the given image is left alone
    assert draw.paint(painted, 3, 5, 0).sum() == 0
    assert draw.paint([[16] * 8] * 8, np.int64(7), 0, np.uint8(4))[7, 0] == 4


@pytest.mark.parametrize("row, col, ink, error, words", [
    (8, 0, 8, ValueError, "row must be from 0 to 7"),
    (0, -1, 8, ValueError, "col must be from 0 to 7"),
    (0, 0, 17, ValueError, "ink must be from 0"),
    (0, 0, -1, ValueError, "ink must be from 0"),
    (0, 0, 8.0, TypeError, "ink must be a whole number"),
    (2.5, 0, 8, TypeError, "row must be a whole number"),
    (True, 0, 8, TypeError, "row must be a whole number"),
    (0, "1", 8, TypeError, "col must be a whole number"),
])
def test_paint_refuses_pixels_outside_the_pad_and_bad_ink(row, col, ink, error, words):
    with pytest.raises(error, match=words):
        draw.paint(np.zeros((8, 8)), row, col, ink)


@pytest.mark.parametrize("image, words", [
    (np.zeros((64,)), r"shape \(8, 8\), got \(64,\) \(reshape"),
    (np.zeros((3, 8, 8)), r"not a batch"),
    (np.full((8, 8), 17), "0 to 16 .*got 17"),
    (np.full((8, 8), 0.5), "whole ink levels .*got 0.5"),
    (np.full((8, 8), -1), "got -1"),
    (np.full((8, 8), np.nan), "finite"),
])
def test_images_must_be_8_by_8_whole_ink_levels(image, words):
    with pytest.raises(ValueError, match=words):
        draw.checked_image(image)


def test_a_press_cycles_0_8_16_and_the_tools_ink_or_erase():
    assert [draw.next_ink(ink) for ink in (0, 8, 16)] == [8, 16, 0]
    assert [draw.next_ink(ink) for ink in (1, 5, 9, 12, 15)] == [8, 8, 16, 16, 16]   # a test image's levels
    assert [draw.next_ink(ink, "pen") for ink in (0, 8, 16)] == [16, 16, 16]
    assert [draw.next_ink(ink, "eraser") for ink in (0, 8, 16)] == [0, 0, 0]
    with pytest.raises(ValueError, match="tool must be one of"):
        draw.next_ink(0, "brush")
    with pytest.raises(ValueError, match="ink must be from 0"):
        draw.next_ink(20)


def test_the_inputs_are_the_pixels_row_by_row_over_16():
    image = np.arange(64).reshape(8, 8) % 17
    x = draw.image_inputs(image)
    assert x.shape == (1, 64)
    np.testing.assert_allclose(x[0, :8], image[0] / 16)        # row 0 first
    np.testing.assert_allclose(x[0, 8:16], image[1] / 16)
    assert x[0, 63] == image[7, 7] / 16


# ----- the network's answer -----------------------------------------------------------------------------

def test_probabilities_are_the_networks_forward_pass_on_the_scaled_pixels(model, tests):
    for image in tests[0]:
        p = draw.digit_probabilities(model, image)
        assert p.shape == (10,)
        np.testing.assert_allclose(p, by_hand(model, image), rtol=1e-12)
        assert p.sum() == pytest.approx(1.0)


def test_the_trained_network_reads_each_clean_pattern(model):
    read = [int(np.argmax(draw.digit_probabilities(model, pattern(k)))) for k in range(10)]
    assert read == list(range(10))


def test_a_model_that_is_not_a_trained_digit_network_is_refused(model):
    with pytest.raises(ValueError, match="not been trained"):
        draw.digit_probabilities(new_model(), np.zeros((8, 8)))
    small = new_model(inputs=4, outputs=3)
    small.fit(np.zeros((6, 4)), [0, 1, 2, 0, 1, 2], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="64 pixels .* got a model of 4 inputs and 3 outputs"):
        draw.digit_probabilities(small, np.zeros((8, 8)))
    with pytest.raises(TypeError, match="Sequential"):
        draw.digit_probabilities("model", np.zeros((8, 8)))
    with pytest.raises(ValueError, match="shape"):
        draw.digit_probabilities(model, np.zeros((4, 4)))


def test_the_report_names_the_predicted_digit_and_the_next_ones():
    p = np.array([0.01, 0.02, 0.05, 0.0, 0.0, 0.0, 0.0, 0.8, 0.02, 0.1])
    assert draw.drawing_report(p) == "The network reads a 7: P(7) = 80.0%. Next: 9 at 10.0%, 2 at 5.0%."
    assert draw.drawing_report(p, top=1) == "The network reads a 7: P(7) = 80.0%."
    sure = np.array([0.0002, 0.0006] + [0.0] * 7 + [0.9992])
    assert draw.drawing_report(sure) == "The network reads a 9: P(9) = 99.9%. Next: 1 at 0.1%, 0 at under 0.1%."
    assert draw.ranked(p)[:4] == [(7, 0.8), (9, 0.1), (2, 0.05), (1, 0.02)]    # ties: the smaller digit first


@pytest.mark.parametrize("probabilities, top, error, words", [
    (np.full(9, 1 / 9), 3, ValueError, "one per digit, 10, got 9"),
    (np.full(10, 0.2), 3, ValueError, "sum to 1"),
    (np.full(10, 0.1), 0, ValueError, "top must be at least 1"),
    (np.full(10, 0.1), 11, ValueError, "top must be at most 10"),
    ("7", 3, TypeError, "probabilities must be numbers"),
])
def test_the_report_refuses_what_is_not_ten_probabilities(probabilities, top, error, words):
    with pytest.raises(error, match=words):
        draw.drawing_report(probabilities, top=top)


def test_the_source_report_counts_changed_and_inked_pixels():
    start = pattern(2)
    image = draw.paint(draw.paint(start, 2, 0, 0), 5, 5, 8)
    assert draw.source_report(image, start, 12, 2) == \
        "Test image 12 (true label 2), 2 pixels changed; 8 of 64 pixels inked."
    assert draw.source_report(draw.paint(draw.blank_image(), 0, 0, 16)) == \
        "A blank pad, 1 pixel changed; 1 of 64 pixels inked."


# ----- the picture --------------------------------------------------------------------------------------

def test_the_figure_shows_the_image_and_marks_the_predicted_digit(model):
    image = pattern(4)
    fig = draw.digit_figure(model, image)
    p = by_hand(model, image)
    image_ax, bars_ax = fig.axes
    np.testing.assert_array_equal(image_ax.get_images()[0].get_array(), image)
    bars = bars_ax.patches
    np.testing.assert_allclose([bar.get_height() for bar in bars], p, rtol=1e-12)
    assert [bar.get_hatch() for bar in bars] == [draw.PREDICTED_HATCH if k == 4 else None for k in range(10)]
    texts = {text.get_text(): text for text in bars_ax.texts}
    assert texts[draw.PREDICTED_MARK].xy == (4, p[4])
    assert f"{p[4]:.0%}" in texts and bars_ax.get_title() == f"the network reads a 4 ({p[4]:.1%})"


def test_the_picture_moves_in_place_and_equals_a_fresh_one(model):
    picture = draw.DigitPicture(pattern(1), draw.digit_probabilities(model, pattern(1)), live=True)
    figure, first = picture.figure, picture.png()
    for k, title in ((8, "pattern 8"), (3, "pattern 3"), (9, None)):
        picture.update(pattern(k), draw.digit_probabilities(model, pattern(k)), title=title)
        assert picture.png() == picture.full_png()
    assert picture.figure is figure and plt.get_fignums() == [] and picture.png() != first
    fresh = draw.DigitPicture(pattern(9), draw.digit_probabilities(model, pattern(9)), live=True)
    assert picture.png() == fresh.png()
    with pytest.raises(ValueError, match="one per digit"):
        picture.update(pattern(0), np.full(5, 0.2))


# ----- the pad ------------------------------------------------------------------------------------------

def test_pressing_a_button_paints_its_pixel_and_updates_readout_and_picture(model):
    pad = draw.DigitPad(model)
    assert pad.image.sum() == 0 and pad.choice is None and pad.figures_drawn == 1
    figure, first = pad.picture.figure, bytes(pad.widget.image.value)
    button = pad.buttons[3][5]
    assert button.tooltip == "row 3, column 5: 0 of 16; press for 8" and button.description == "0"
    button.click()
    assert pad.image[3, 5] == 8 and np.count_nonzero(pad.image) == 1
    assert button.description == "8" and button.tooltip == "row 3, column 5: 8 of 16; press for 16"
    assert button.style.button_color == draw.ink_colour(8) == "#808080"
    np.testing.assert_array_equal(pad.picture.pixels.get_array(), pad.image)
    np.testing.assert_allclose(pad.probabilities, by_hand(model, pad.image), rtol=1e-12)
    assert draw.drawing_report(pad.probabilities) in pad.readout.value
    assert "A blank pad, 1 pixel changed; 1 of 64 pixels inked." in pad.readout.value
    assert pad.figures_drawn == 2 and pad.picture.figure is figure and bytes(pad.widget.image.value) != first
    button.click()
    button.click()
    assert pad.image[3, 5] == 0                                 # 8 -> 16 -> 0


def test_drawing_a_pattern_on_the_pad_makes_the_network_read_it(model):
    pad = draw.DigitPad(model, draw=False)
    pad.tool.value = "pen"
    assert pad.buttons[0][0].tooltip.endswith("press for 16")  # the tooltips follow the tool
    for col in range(8):
        pad.buttons[6][col].click()
    np.testing.assert_array_equal(pad.image, pattern(6))
    assert pad.readout.value.startswith("<pre>A blank pad, 8 pixels changed")
    assert "The network reads a 6" in pad.readout.value
    pad.tool.value = "eraser"
    pad.buttons[6][2].click()
    assert pad.image[6, 2] == 0
    pad.clear_button.click()
    assert pad.image.sum() == 0 and "0 pixels changed; 0 of 64" in pad.readout.value


def test_the_test_image_control_loads_that_image(model, tests):
    images, labels = tests
    pad = draw.DigitPad(model, images, labels)
    np.testing.assert_array_equal(pad.image, images[0])
    assert pad.choice.options[3] == (f"3: a {labels[3]}", 3)
    pad.choice.value = 3
    np.testing.assert_array_equal(pad.image, images[3])
    np.testing.assert_array_equal(pad.picture.pixels.get_array(), images[3])
    assert f"Test image 3 (true label {labels[3]}), 0 pixels changed" in pad.readout.value
    assert pad.picture.image_ax.get_title() == f"test image 3 (a {labels[3]})"
    assert pad.buttons[2][4].description == str(images[3][2, 4])
    pad.buttons[0][0].click()
    assert "1 pixel changed" in pad.readout.value and pad.picture.image_ax.get_title().endswith(", changed")
    pad.load_button.click()                                     # the same image again, unchanged
    np.testing.assert_array_equal(pad.image, images[3])
    assert images[3][0, 0] == pad.image[0, 0]                   # the test images themselves were not painted
    pad.clear_button.click()
    assert pad.picture.image_ax.get_title() == "your drawing" and "A blank pad" in pad.readout.value


def test_the_pad_can_start_from_a_chosen_image(model, tests):
    pad = draw.DigitPad(model, *tests, start=4, draw=False)
    np.testing.assert_array_equal(pad.image, tests[0][4])
    assert pad.choice.value == 4 and pad.picture is None


@pytest.mark.parametrize("kwargs, error, words", [
    ({"images": np.zeros((2, 8, 8))}, ValueError, "images and labels go together"),
    ({"start": 0}, ValueError, "start needs test images"),
    ({"images": np.zeros((2, 8, 8)), "labels": [1, 2, 3]}, ValueError, "one label per image, 2, got 3"),
    ({"images": np.zeros((2, 8, 8)), "labels": [1, 10]}, ValueError, "labels"),
    ({"images": np.zeros((2, 4, 4)), "labels": [1, 2]}, ValueError, r"shape \(n, 8, 8\)"),
    ({"images": np.full((2, 8, 8), 20), "labels": [1, 2]}, ValueError, "0 to 16"),
    ({"images": np.zeros((2, 8, 8)), "labels": [1, 2], "start": 2}, ValueError, "0 to 1, got 2"),
])
def test_the_pad_refuses_bad_test_images(model, kwargs, error, words):
    with pytest.raises(error, match=words):
        draw.DigitPad(model, draw=False, **kwargs)


def test_the_pad_refuses_an_untrained_model_and_bad_presses(model):
    with pytest.raises(ValueError, match="not been trained"):
        draw.DigitPad(new_model(), draw=False)
    pad = draw.DigitPad(model, draw=False)
    with pytest.raises(ValueError, match="row must be from 0 to 7"):
        pad.press(8, 0)
    with pytest.raises(ValueError, match="no test images"):
        pad.load(0)

"""nnbook.lessons.images: lesson 11's plain functions, on small hand-made arrays, and its figures' contents."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.lessons import images  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_inputs_are_the_rows_end_to_end_divided_by_16():
    pictures = np.arange(2 * 3 * 4).reshape(2, 3, 4) % 17
    x = images.images_to_inputs(pictures)
    assert x.shape == (2, 12)
    np.testing.assert_array_equal(x[1, 4:8] * 16, pictures[1, 1])     # input 4r + c is pixel (r, c)
    np.testing.assert_allclose(x[0], pictures[0].ravel() / 16)
    np.testing.assert_allclose(images.images_to_inputs(pictures, pixel_max=255) * 255, x * 16)


@pytest.mark.parametrize("value, error, match", [
    (np.zeros((8, 8)), ValueError, r"images must be 3-D, got shape \(8, 8\)"),
    (np.full((1, 2, 2), 17), ValueError, r"pixel values from 0 to pixel_max=16, got values from 17 to 17"),
    (-np.ones((1, 2, 2)), ValueError, r"pixel values from 0"),
    ("pixels", TypeError, r"images must be numbers"),
    (np.zeros((0, 8, 8)), ValueError, r"at least one image"),
])
def test_inputs_refuse_what_is_not_a_stack_of_images(value, error, match):
    with pytest.raises(error, match=match):
        images.images_to_inputs(value)


def test_the_split_is_seeded_complete_and_disjoint():
    train, held = images.held_out_split(1797, 0.8, seed=0)
    assert len(train) == int(1797 * 0.8) == 1437 and len(held) == 360
    assert sorted(np.concatenate([train, held]).tolist()) == list(range(1797))
    again, _ = images.held_out_split(1797, 0.8, seed=0)
    other, _ = images.held_out_split(1797, 0.8, seed=1)
    np.testing.assert_array_equal(train, again)
    assert not np.array_equal(train, other)
    np.testing.assert_array_equal(train, np.random.default_rng(0).permutation(1797)[:1437])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_samples": 1797, "train_fraction": 1.0}, ValueError, r"train_fraction must be a number in \[0, 1\)"),
    ({"n_samples": 10, "train_fraction": 0.05}, ValueError, r"at least one row on each side"),
    ({"n_samples": 1, "train_fraction": 0.5}, ValueError, r"n_samples must be at least 2"),
    ({"n_samples": 10.0}, TypeError, r"n_samples must be a whole number"),
])
def test_the_split_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        images.held_out_split(**kwargs)


def probabilities_for(said, size=10, confidence=0.9):
    rows = np.full((len(said), size), (1 - confidence) / (size - 1))
    rows[np.arange(len(said)), said] = confidence
    return rows


def test_predicted_digits_and_mistakes():
    labels = np.array([3, 1, 4, 1, 5])
    probabilities = probabilities_for([3, 7, 4, 1, 6])
    np.testing.assert_array_equal(images.predicted_digits(probabilities), [3, 7, 4, 1, 6])
    np.testing.assert_array_equal(images.mistakes(labels, probabilities), [1, 4])
    with pytest.raises(ValueError, match=r"probabilities must have 10 columns \(one per digit\), got shape"):
        images.predicted_digits(np.ones((2, 3)) / 3)


def test_confusion_matrix_counts_true_down_predicted_across():
    labels = [0, 0, 1, 2, 2, 2]
    predicted = [0, 1, 1, 2, 0, 0]
    matrix = images.confusion_matrix(labels, predicted, num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [2, 0, 1]])
    assert matrix.sum(axis=1).tolist() == [2, 1, 3]                    # each row: the samples of that class
    assert np.trace(matrix) == sum(t == p for t, p in zip(labels, predicted))
    assert images.confusions(matrix) == [(2, 2, 0), (1, 0, 1)]


@pytest.mark.parametrize("labels, predicted, match", [
    ([0, 1], [0], r"labels and predicted must have the same length, got 2 and 1"),
    ([0, 10], [0, 1], r"labels must be integers in \[0, num_classes\), got 10 with num_classes=10"),
    ([0.5], [0], r"labels must be whole numbers"),
])
def test_confusion_matrix_refuses_bad_labels(labels, predicted, match):
    with pytest.raises(ValueError, match=match):
        images.confusion_matrix(labels, predicted)


def test_kernel_images_put_each_weight_back_on_its_pixel():
    kernel = np.arange(64 * 3, dtype=float).reshape(64, 3)
    pictures = images.kernel_images(kernel)
    assert pictures.shape == (3, 8, 8)
    x = np.zeros((1, 64))
    x[0, 8 * 2 + 5] = 1.0                                               # ink at pixel (2, 5) only
    np.testing.assert_array_equal((x @ kernel)[0], pictures[:, 2, 5])    # each unit's input is its weight there
    with pytest.raises(ValueError, match=r"kernel must have 64 rows .* got shape \(63, 3\)"):
        images.kernel_images(np.zeros((63, 3)))


def test_sample_grid_titles_each_picture_with_its_label():
    pictures = np.random.default_rng(0).integers(0, 17, size=(12, 8, 8))
    labels = np.arange(12) % 10
    fig = images.sample_grid(pictures, labels, count=12, columns=5)
    drawn = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in drawn] == [f"label {label}" for label in labels]
    np.testing.assert_array_equal(drawn[7].images[0].get_array(), pictures[7])
    with pytest.raises(ValueError, match="images and labels"):
        images.sample_grid(pictures, labels[:5])


def test_gallery_shows_each_prediction_and_colours_mistakes():
    pictures = np.zeros((3, 8, 8))
    labels = np.array([2, 9, 4])
    probabilities = probabilities_for([2, 5, 4], confidence=0.82)
    fig = images.prediction_gallery(pictures, labels, probabilities, rows=[0, 1], columns=2)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["says 2 (82%)", "says 5 (82%), is 9"]
    bars = [ax for ax in fig.axes if ax.patches]
    assert len(bars) == 2
    heights = [patch.get_height() for patch in bars[1].patches]
    np.testing.assert_allclose(heights, probabilities[1])
    assert bars[1].patches[5].get_facecolor() == matplotlib.colors.to_rgba(images.WRONG_COLOUR)
    assert bars[1].patches[9].get_linewidth() > bars[1].patches[5].get_linewidth()   # the true digit outlined


def test_confusion_figure_writes_every_count_that_is_not_zero():
    matrix = np.array([[5, 0], [2, 7]])
    fig = images.confusion_figure(matrix)
    texts = sorted(text.get_text() for text in fig.axes[0].texts)
    assert texts == ["2", "5", "7"]


def test_kernel_figure_has_one_picture_per_unit_on_one_scale():
    kernel = np.random.default_rng(1).normal(size=(64, 6))
    fig = images.kernel_figure(kernel, columns=3)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 6 and [ax.get_title() for ax in drawn] == [f"unit {j}" for j in range(6)]
    limits = {ax.images[0].get_clim() for ax in drawn}
    assert limits == {(-np.abs(kernel).max(), np.abs(kernel).max())}


def test_pixel_figure_writes_every_pixel_value():
    image = np.arange(64).reshape(8, 8) % 17
    fig = images.pixel_figure(image, label=3)
    numbers = [text.get_text() for text in fig.axes[1].texts]
    assert numbers == [f"{value:g}" for value in image.ravel()]
    assert fig.axes[0].get_title() == "as a picture (label 3)"

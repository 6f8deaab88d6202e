"""nnbook.checks.flatten_images and nnbook.checks.confusion_matrix.

Right answers in several styles pass; each usual mistake fails with its hint on every run; the references agree
with lesson 11's helpers."""

from __future__ import annotations

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes

from nnbook import checks
from nnbook.lessons import images as pictures
from nnbook.tools.cases import lesson_11


# ============================================================================================ flatten_images
def flatten_numpy(images):
    images = np.asarray(images)
    return images.reshape(len(images), 64) / 16


def flatten_loops(images):
    return [[float(pixel) / 16 for row in image for pixel in row] for image in np.asarray(images).tolist()]


def flatten_cast_first(images):
    return np.asarray(images, dtype=float).reshape(np.shape(images)[0], -1) / 16.0


def flatten_float32(images):
    """Pixel / 16 is exact in float32 too (a whole number over a power of two)."""
    return np.asarray(images).astype(np.float32).reshape(len(images), -1) / np.float32(16)


@pytest.mark.parametrize("flatten_images", [flatten_numpy, flatten_loops, flatten_cast_first, flatten_float32,
                                            pictures.images_to_inputs])
def test_flatten_images_accepts_right_answers(flatten_images):
    assert always_passes(checks.flatten_images, flatten_images)


def flat(images):
    images = np.asarray(images, dtype=float)
    return images.reshape(len(images), 64)


@pytest.mark.parametrize("flatten_images, hint", [
    (flat, "were not scaled"),
    (lambda images: flat(images) / 255, "divides by 255"),
    (lambda images: flat(images) / np.max(images), "largest pixel of this batch"),
    (lambda images: flat(images) / flat(images).max(axis=1, keepdims=True), "its own largest pixel"),
    (lambda images: np.asarray(images, dtype=float).transpose(0, 2, 1).reshape(len(images), 64) / 16,
     "column after column"),
    (lambda images: np.array([np.asarray(image).flatten(order="F") for image in images]) / 16,
     "column after column"),
    (lambda images: np.asarray(images) / 16, "kept as (n, 8, 8)"),
    (lambda images: np.asarray(images).ravel() / 16, "one long row"),
    (lambda images: flat(images) // 16, "whole-number division"),
    (lambda images: np.asarray(images).reshape(len(images), 64) // 16, "whole-number division"),
    (lambda images: (flat(images) / 16).astype(int), "whole-number division"),
])
def test_flatten_images_names_the_usual_mistakes(flatten_images, hint):
    assert always_fails_with(checks.flatten_images, flatten_images, hint)


def test_flatten_images_hard_coded_worked_example_fails():
    answer = lesson_11._flatten_worked_example().expected
    result = checks.flatten_images(lambda images: answer)
    assert not result and result.passed_cases == 1


def test_the_flatten_worked_example_is_the_lessons_first_ten_digits_as_the_lesson_flattens_them():
    case = lesson_11._flatten_worked_example()
    (images,) = case.args
    assert images.shape == (10, 8, 8) and images.dtype == np.uint8 and images.max() == 16
    np.testing.assert_array_equal(case.expected, pictures.images_to_inputs(images))


def test_every_flatten_hidden_case_separates_every_named_mistake():
    rng = np.random.default_rng(11)
    for below in (True, False):
        for _ in range(100):
            case = lesson_11._flatten_hidden(rng, "hidden", below_sixteen=below)
            assert lesson_11._distinct(case)
            (images,) = case.args
            assert images.dtype == np.uint8 and images.shape[1:] == (8, 8)
            assert (images.max() < 16) == below
            assert sum(wrong is None for wrong, _ in case.mistakes) == (0 if below else 1)


# ========================================================================================== confusion_matrix
def confusion_loops(labels, predicted, num_classes=10):
    matrix = [[0] * num_classes for _ in range(num_classes)]
    for true, said in zip(labels, predicted):
        matrix[true][said] += 1
    return matrix


def confusion_add_at(labels, predicted, num_classes=10):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def confusion_bincount(labels, predicted, num_classes=10):
    return np.bincount(np.asarray(labels) * num_classes + np.asarray(predicted),
                       minlength=num_classes ** 2).reshape(num_classes, num_classes)


def confusion_float(labels, predicted, num_classes=10):
    return np.array([[np.sum((labels == t) & (predicted == p)) for p in range(num_classes)]
                     for t in range(num_classes)], dtype=float)


@pytest.mark.parametrize("confusion_matrix", [confusion_loops, confusion_add_at, confusion_bincount,
                                              confusion_float, pictures.confusion_matrix])
def test_confusion_matrix_accepts_right_answers(confusion_matrix):
    assert always_passes(checks.confusion_matrix, confusion_matrix)


def fancy_plus_one(labels, predicted, num_classes=10):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    matrix[labels, predicted] += 1
    return matrix


def by_classes_seen(labels, predicted, num_classes=10):
    k = int(max(np.max(labels), np.max(predicted))) + 1
    return confusion_add_at(labels, predicted, k)


def by_classes_present(labels, predicted, num_classes=10):
    present = np.unique(np.concatenate([labels, predicted]))
    return np.asarray(confusion_add_at(labels, predicted, num_classes))[np.ix_(present, present)]


def one_too_many(labels, predicted, num_classes=10):
    return confusion_add_at(labels, predicted, num_classes + 1)


def shifted_by(offset):
    def confusion_matrix(labels, predicted, num_classes=10):
        matrix = np.zeros((num_classes, num_classes), dtype=int)
        for true, said in zip(labels, predicted):
            matrix[(true + offset) % num_classes, (said + offset) % num_classes] += 1
        return matrix
    return confusion_matrix


def counted_from_one(labels, predicted, num_classes=10):
    matrix = np.zeros((num_classes + 1, num_classes + 1), dtype=int)
    for true, said in zip(labels, predicted):
        matrix[true + 1, said + 1] += 1
    return matrix


def row_normalised(labels, predicted, num_classes=10):
    matrix = confusion_add_at(labels, predicted, num_classes)
    with np.errstate(invalid="ignore"):       # a class no sample has: 0 / 0
        return matrix / matrix.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("confusion_matrix, hint", [
    (lambda labels, predicted, num_classes=10: confusion_add_at(predicted, labels, num_classes), "swapped"),
    (lambda labels, predicted, num_classes=10: np.transpose(confusion_loops(labels, predicted, num_classes)),
     "swapped"),
    (lambda labels, predicted, num_classes=10: confusion_add_at(labels, predicted, num_classes) / len(labels),
     "fractions of all the samples"),
    (row_normalised, "each row was divided by its total"),
    (fancy_plus_one, "counted once"),
    (one_too_many, "one class too many"),
    (counted_from_one, "class 0 is row 0"),
    (shifted_by(-1), "not c - 1"),
    (shifted_by(1), "not c + 1"),
    (by_classes_seen, "sized by the classes found in the data"),
    (by_classes_present, "sized by the classes found in the data"),
    (lambda labels, predicted, num_classes=10: confusion_add_at(labels, predicted), "num_classes was ignored"),
])
def test_confusion_matrix_names_the_usual_mistakes(confusion_matrix, hint):
    assert always_fails_with(checks.confusion_matrix, confusion_matrix, hint)


def test_confusion_matrix_hard_coded_worked_example_fails():
    answer = lesson_11._confusion_worked_example().expected
    result = checks.confusion_matrix(lambda *args: answer)
    assert not result and result.passed_cases == 1


def test_the_confusion_worked_example_is_the_lessons_held_out_digits():
    case = lesson_11._confusion_worked_example()
    labels, predicted, num_classes = case.args
    assert (len(labels), num_classes) == (360, 10)
    np.testing.assert_array_equal(case.expected, pictures.confusion_matrix(labels, predicted))
    assert np.trace(case.expected) / len(labels) > 0.95           # the lesson's network, well trained


def test_every_confusion_hidden_case_separates_every_named_mistake():
    rng = np.random.default_rng(11)
    for ten in (True, False):
        for _ in range(100):
            case = lesson_11._confusion_hidden(rng, "hidden", ten=ten)
            assert lesson_11._distinct(case)
            labels, predicted, k = case.args
            assert (k == 10) == ten
            assert k - 1 not in labels and k - 1 not in predicted
            np.testing.assert_array_equal(case.expected, pictures.confusion_matrix(labels, predicted, k))

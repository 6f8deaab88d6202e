"""nnbook.checks.flatten_images, nnbook.checks.confusion_matrix and nnbook.checks.train_digits.

Right answers in several styles pass; each usual mistake fails with its hint on every run; the references agree
with lesson 11's helpers."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest
from check_helpers import always_fails_with, always_passes, failed_with

from nnbook import checks
from nnbook.lessons import images as pictures
from nnbook.tools.cases import lesson_06, lesson_11


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


# ============================================================================================== train_digits
# The learner's train_epoch of exercise 06, written here as a learner would (numpy only), with one switch for
# each whole-epoch mistake. train_digits grades the accuracy it reaches on the digits.
def make_epoch(mistake=None):
    def train_epoch(params, x, labels, order, batch_size, learning_rate):
        x, labels = (x[order], labels) if mistake == "labels" else (x[order], labels[order])
        batch_size = len(labels) if mistake == "one_batch" else batch_size
        sign = 1 if mistake == "uphill" else -1
        total = 0.0
        for first in range(0, len(labels), batch_size):
            a, y = x[first:first + batch_size], labels[first:first + batch_size]
            inputs, scores = [], []
            for number, (W, b) in enumerate(params):
                inputs.append(a)
                scores.append(a @ W + b)
                a = np.maximum(scores[-1], 0) if number < len(params) - 1 else scores[-1]
            e = np.exp(a - a.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            with np.errstate(divide="ignore"):      # the uphill mistake drives p to 0: its loss is inf
                total += -np.log(p[np.arange(len(y)), y]).sum()
            grad = p.copy()
            grad[np.arange(len(y)), y] -= 1
            grad /= len(y)
            new = list(params)
            for number in range(len(params) - 1, -1, -1):
                W, b = params[number]
                if number < len(params) - 1:
                    grad = grad * (scores[number] > 0)
                grad_W, grad_b = inputs[number].T @ grad, grad.sum(axis=0)
                grad = grad @ W.T
                new[number] = (W + sign * learning_rate * grad_W, b + sign * learning_rate * grad_b)
            if mistake != "frozen":
                params = new
        return params, total / len(labels)

    return train_epoch


def epoch_from_the_engine(params, x, labels, order, batch_size, learning_rate):
    from nnbook.layers import Dense
    from nnbook.models import Sequential
    from nnbook.optimizers import SGD

    model = Sequential([Dense(32, input_shape=(64,), activation="relu"), Dense(10, activation="softmax")])
    model.set_weights([array for pair in params for array in pair])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="sparse_categorical_crossentropy")
    model.fit(x[order], labels[order], batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    weights = model.get_weights()
    return list(zip(weights[::2], weights[1::2])), 0.0


def test_train_digits_passes_a_right_epoch_and_the_solved_exercise_06():
    from nnbook.tools.reuse import functions_from

    assert always_passes(checks.train_digits, make_epoch(), runs=1)
    solved = functions_from(pathlib.Path(__file__).parents[3] / "solutions" / "06_training_loop.ipynb",
                            "train_epoch")
    assert always_passes(checks.train_digits, solved, runs=1)


@pytest.mark.parametrize("mistake, hint", [
    ("frozen", "hands back the weights it was given"),
    ("uphill", lesson_06.MISTAKES["added"]),
    ("labels", lesson_06.MISTAKES["labels"]),
    ("one_batch", lesson_06.MISTAKES["one_batch"]),
])
def test_train_digits_names_the_mistakes_that_keep_the_network_from_learning(mistake, hint, digits_cases_once):
    # One graded run per mistake, on hidden cases drawn once per worker: the hint comes from a fixed probe, and
    # new draws would give only new splits, whose accuracy a frozen or uphill epoch never nears. Each run still
    # trains the network with the wrong epoch on the worked example and both hidden cases.
    result = checks.train_digits(make_epoch(mistake))
    assert failed_with(result, hint), result.feedback
    assert "of the held-out digits right, below 95%" in result.hint
    assert result.total == 3 and result.passed_cases == 0


def test_the_worked_example_is_lesson_11s_split_and_start_trained_by_the_engines_own_epochs():
    """The expected accuracy (from lesson 06's numpy reference epoch) is what Sequential.fit's own epochs reach
    with the same weights and orders."""
    case = lesson_11._digits_worked_example()
    params, x, labels, x_held, labels_held, order_seed = case.args
    train, held_out = pictures.held_out_split(1797, train_fraction=0.8, seed=0)
    images, all_labels = lesson_11.digits()
    assert np.array_equal(x, pictures.images_to_inputs(images)[train]) and np.array_equal(labels, all_labels[train])
    assert np.array_equal(labels_held, all_labels[held_out])
    rng = np.random.default_rng(order_seed)
    for _ in range(lesson_11.DIGITS_EPOCHS):
        params = epoch_from_the_engine(params, x, labels, rng.permutation(len(labels)), 32, 0.1)[0]
    engine = lesson_11._accuracy(params, x_held, labels_held)
    assert case.expected.accuracy == pytest.approx(engine, abs=1 / len(labels_held))
    assert case.expected.accuracy >= lesson_11.DIGITS_MARGIN


def test_train_digits_refuses_an_epoch_that_uses_the_engine(digits_cases_once):
    result = checks.train_digits(epoch_from_the_engine)
    assert not result and "must not call nnbook's engine" in result.hint
    assert "checks.train_digits(train_epoch)" in result.feedback


def test_train_digits_names_new_params_of_the_wrong_shape(digits_cases_once):
    def transposed(params, x, labels, order, batch_size, learning_rate):
        new, loss = make_epoch()(params, x, labels, order, batch_size, learning_rate)
        return [(W.T, b) for W, b in new], loss

    result = checks.train_digits(transposed)
    assert not result and "train_epoch returned new_params [(W (32, 64), b (32,))" in result.feedback
    assert "(W (64, 32), b (32,)), (W (32, 10), b (10,)) was expected (epoch 1)" in result.feedback


def test_a_hidden_digits_case_is_kept_only_when_a_right_epoch_clears_the_bar_with_room():
    rng = np.random.default_rng(5)
    for number in range(3):
        case = lesson_11._digits_hidden(rng, f"hidden case {number}")
        assert case.expected.accuracy >= lesson_11.DIGITS_MARGIN
        accuracy = lesson_11._digits_run(make_epoch(), *case.args).accuracy
        assert accuracy == pytest.approx(case.expected.accuracy, abs=1 / len(case.args[4]))

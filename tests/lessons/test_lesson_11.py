"""Lesson 11's claims (issue 18), recomputed with the library and found in the lesson.

The digit network is trained here as the lesson trains it (same data, split, seed and settings), and every
number the lesson prints is rebuilt from that run and looked for in its stored outputs; the sentences of its
prose that describe the run (about 98% held-out accuracy, most mistakes are nines, the true digit is always
the runner-up, three pixels never move) are checked against the run too.
"""

import matplotlib

matplotlib.use("Agg")

import notebook_helpers  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from notebook_helpers import COURSE, markdown_text  # noqa: E402

from nnbook.data import digits  # noqa: E402
from nnbook.encoding import one_hot  # noqa: E402
from nnbook.layers import Dense  # noqa: E402
from nnbook.lessons import curves  # noqa: E402
from nnbook.lessons import images as pictures  # noqa: E402
from nnbook.models import Sequential  # noqa: E402
from nnbook.optimizers import Adam  # noqa: E402

NAME = "11_images.ipynb"


@pytest.fixture(scope="module")
def run():
    images, labels = digits()
    x, y = pictures.images_to_inputs(images), one_hot(labels, 10)
    train, held_out = pictures.held_out_split(len(x), train_fraction=0.8, seed=0)
    model = Sequential([Dense(32, input_shape=(64,), activation="relu"), Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    start = model.get_weights()[0].copy()
    history = model.fit(x[train], y[train], batch_size=32, epochs=20, verbose=0,
                        validation_data=(x[held_out], y[held_out]))
    probabilities = model.predict(x[held_out])
    return dict(images=images, labels=labels, x=x, train=train, held_out=held_out, model=model, start=start,
                history=history, probabilities=probabilities, labels_test=labels[held_out])


@pytest.fixture(scope="module")
def text():
    return notebook_helpers.stored_text(notebook_helpers.load(COURSE / NAME),
                                        skip=lambda source: "NBVAL_IGNORE_OUTPUT" in source)


@pytest.fixture(scope="module")
def prose():
    return markdown_text(COURSE / NAME)


def test_the_data_as_the_lesson_describes_them(run, text):
    images, labels = run["images"], run["labels"]
    assert f"images: shape {images.shape}, pixel values 0 to 16" in text
    assert "images of each digit: " + str(dict(zip(range(10), np.bincount(labels).tolist()))) in text
    assert str(images[0]) in text and f"label: {labels[0]}" in text
    assert f"first 8 inputs of sample 0:   {np.round(run['x'][0, :8], 4).tolist()}" in text
    assert "inputs 8 to 15 = second row:  True" in text
    assert "label 2 -> [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]" in text


def test_the_split_and_the_network(run, text, prose):
    assert f"training digits: {len(run['train'])}, held-out digits: {len(run['held_out'])}" in text
    counts = np.bincount(run["labels_test"], minlength=10)
    assert counts.min() > 0                                          # "every digit turns up on both sides"
    assert "held-out digits of each kind: " + str(dict(zip(range(10), counts.tolist()))) in text
    assert run["model"].count_params() == 64 * 32 + 32 + 32 * 10 + 10
    assert f"weights: {run['model'].count_params()} = 64 x 32" in text
    assert f"{run['history'].params['steps']} batches per epoch" in text
    assert f"from {len(run['train'])} digits carries over to {len(run['held_out'])} it never" in prose


def test_the_training_curves_claims(run, text, prose):
    history = run["history"]
    assert curves.history_table(history, epochs=[1, 2, 5, 10, 15, 20]) in text
    best = curves.best_epoch(history, "val_loss")
    assert f"lowest validation loss at epoch {best}: {history.history['val_loss'][best - 1]:.4f}" in text
    loss = history.history["loss"]
    # "about two in three after the first epoch to almost every training digit right"
    assert abs(history.history["accuracy"][0] - 2 / 3) < 0.05 and history.history["accuracy"][-1] > 0.99
    # "after epoch 1 the validation loss is even below the training loss"
    assert history.history["val_loss"][0] < loss[0] and "the validation loss is even below the training" in prose
    # "in the last epochs the training loss still drifts down while the validation loss has stopped improving"
    assert loss[-1] < loss[-6] and min(loss) == min(loss[-5:])
    assert 10 <= best < 20 and history.history["val_loss"][-1] > history.history["val_loss"][best - 1]
    assert "the training loss still drifts down while the validation loss has\nstopped improving" in prose


def test_held_out_accuracy_is_about_98_percent(run, text):
    said = pictures.predicted_digits(run["probabilities"])
    right = int(np.sum(said == run["labels_test"]))
    accuracy = right / len(said)
    assert 0.97 <= accuracy <= 0.99
    assert f"held-out accuracy: {right} of {len(said)} right, {accuracy:.1%}" in text
    assert run["model"].evaluate(run["x"][run["held_out"]], one_hot(run["labels_test"], 10))[1] == accuracy
    assert f"training accuracy after the last epoch: {run['history'].history['accuracy'][-1]:.1%}" in text


def test_the_mistakes_and_what_the_lesson_says_of_them(run, text, prose):
    probabilities, labels = run["probabilities"], run["labels_test"]
    wrong = pictures.mistakes(labels, probabilities)
    assert f"{len(wrong)} mistakes among {len(labels)} held-out digits" in text
    for row in wrong:
        guess = int(np.argmax(probabilities[row]))
        assert (f"held-out row {row:3d}: is {labels[row]}, says {guess} with {probabilities[row, guess]:.3f}; "
                f"gives the true digit {probabilities[row, labels[row]]:.3f}") in text
    # "Most of the mistakes are nines"
    assert np.sum(labels[wrong] == 9) > len(wrong) / 2 and "Most of the mistakes are nines" in prose
    # "on every one of them the true digit has the second-tallest bar"
    second = np.argsort(probabilities, axis=1)[:, -2]
    assert np.all(second[wrong] == labels[wrong]) and "on every one of them the true digit" in prose
    assert f"the true digit has the second-tallest bar in {len(wrong)} of them" in text
    confidence = probabilities.max(axis=1)
    right_median, wrong_median = np.median(np.delete(confidence, wrong)), np.median(confidence[wrong])
    assert wrong_median < right_median - 0.2                          # "far below the near certainty"
    assert f"median confidence: right answers {right_median:.3f}, mistakes {wrong_median:.3f}" in text


def test_the_confusion_matrix(run, text, prose):
    said = pictures.predicted_digits(run["probabilities"])
    matrix = pictures.confusion_matrix(run["labels_test"], said)
    assert str(matrix) in text
    assert f"right (the diagonal): {np.trace(matrix)}, wrong (everything else): {matrix.sum() - np.trace(matrix)}" \
        in text
    listed = pictures.confusions(matrix)
    for count, true, guess in listed:
        assert f"{count} x a {true} called {guess}" in text
    # "The nines' row holds most of the mistakes, and one cell stands out: nines called fives."
    off_diagonal = matrix - np.diag(np.diag(matrix))
    assert off_diagonal.sum(axis=1).argmax() == 9 and off_diagonal[9].sum() > off_diagonal.sum() / 2
    assert listed[0][1:] == (9, 5) and listed[0][0] > listed[1][0]
    assert "one cell stands out: nines called fives" in prose


def test_the_first_layer_and_its_blank_pixels(run, text, prose):
    kernel = run["model"].get_weights()[0]
    assert f"first kernel: {kernel.shape} (pixels, units)" in text
    train_images = run["images"][run["train"]]
    blank = np.argwhere((train_images == 0).all(axis=0))
    assert [tuple(p) for p in blank.tolist()] == [(0, 0), (4, 0), (4, 7)]   # "both ends of row 4 ... top-left corner"
    assert "both ends of row 4 (rows count from 0) and the top-left" in prose
    moved = np.abs(kernel - run["start"]).max(axis=1).reshape(8, 8)
    assert all(moved[r, c] == 0 for r, c in blank)                          # "still the random numbers"
    inked = moved[(train_images != 0).any(axis=0)]
    assert inked.min() > 0.05
    assert f"pixels blank in all {len(run['train'])} training pictures (row, column): " \
           f"{[tuple(p) for p in blank.tolist()]}" in text
    assert (f"largest change of their weights during training: 0.0000; smallest largest change of any other "
            f"pixel's: {inked.min():.4f}") in text

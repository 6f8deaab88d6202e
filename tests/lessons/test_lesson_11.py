"""Lesson 11 (images), the last lesson, and its exercises (flatten_images, confusion_matrix).

The lesson's claims (issue 18), recomputed with the library and found in the lesson: the digit network is
trained here as the lesson trains it (same data, split, seed and settings; the lesson11 fixture,
tests/conftest.py), and every number the lesson prints is rebuilt from that run and looked for in its stored
outputs; the sentences of its prose that describe the run (about 98% held-out accuracy, most mistakes are nines,
the true digit is always the runner-up, three pixels never move) are checked against the run too. As the last
lesson it ends the course pointing back to lesson 00 and to the exercises.

The exercises: what the solution notebook shows, recomputed with the library alone (not with the solution's
functions), the statement's worked numbers, and the lesson's link to the exercise.
"""

import notebook_helpers
import numpy as np
import pytest
from notebook_helpers import COURSE, ROOT, clean_stored_text, markdown_text

from nnbook.data import digits
from nnbook.encoding import one_hot
from nnbook.lessons import curves
from nnbook.lessons import images as pictures
from nnbook.tools.cases import lesson_11
from nnbook.tools.course_map import LESSONS

NAME = "11_images.ipynb"
SOLUTIONS = ROOT / "solutions"


def solution_text(name: str = NAME) -> str:
    """The text outputs of solutions/<name>, which must be stored executed, without an error or stderr."""
    return clean_stored_text(SOLUTIONS / name)


@pytest.fixture(scope="module")
def text():
    return notebook_helpers.stored_text(notebook_helpers.load(COURSE / NAME),
                                        skip=lambda source: "NBVAL_IGNORE_OUTPUT" in source)


@pytest.fixture(scope="module")
def prose():
    return markdown_text(COURSE / NAME)


def test_the_data_as_the_lesson_describes_them(lesson11, text):
    images, labels = lesson11["images"], lesson11["labels"]
    assert f"images: shape {images.shape}, pixel values 0 to 16" in text
    assert "images of each digit: " + str(dict(zip(range(10), np.bincount(labels).tolist()))) in text
    assert str(images[0]) in text and f"label: {labels[0]}" in text
    assert f"first 8 inputs of sample 0:   {np.round(lesson11['x'][0, :8], 4).tolist()}" in text
    assert "inputs 8 to 15 = second row:  True" in text
    assert "label 2 -> [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]" in text


def test_the_split_and_the_network(lesson11, text, prose):
    assert f"training digits: {len(lesson11['train'])}, held-out digits: {len(lesson11['held_out'])}" in text
    counts = np.bincount(lesson11["labels_test"], minlength=10)
    assert counts.min() > 0                                          # "every digit turns up on both sides"
    assert "held-out digits of each kind: " + str(dict(zip(range(10), counts.tolist()))) in text
    assert lesson11["model"].count_params() == 64 * 32 + 32 + 32 * 10 + 10
    assert f"weights: {lesson11['model'].count_params()} = 64 x 32" in text
    assert f"{lesson11['history'].params['steps']} batches per epoch" in text
    assert f"from {len(lesson11['train'])} digits carries over to {len(lesson11['held_out'])} it never" in prose


def test_the_training_curves_claims(lesson11, text, prose):
    history = lesson11["history"]
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


def test_held_out_accuracy_is_about_98_percent(lesson11, text):
    said = pictures.predicted_digits(lesson11["probabilities"])
    right = int(np.sum(said == lesson11["labels_test"]))
    accuracy = right / len(said)
    assert 0.97 <= accuracy <= 0.99
    assert f"held-out accuracy: {right} of {len(said)} right, {accuracy:.1%}" in text
    assert lesson11["model"].evaluate(lesson11["x"][lesson11["held_out"]],
                                      one_hot(lesson11["labels_test"], 10))[1] == accuracy
    assert f"training accuracy after the last epoch: {lesson11['history'].history['accuracy'][-1]:.1%}" in text


def test_the_mistakes_and_what_the_lesson_says_of_them(lesson11, text, prose):
    probabilities, labels = lesson11["probabilities"], lesson11["labels_test"]
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


def test_the_confusion_matrix(lesson11, text, prose):
    said = pictures.predicted_digits(lesson11["probabilities"])
    matrix = pictures.confusion_matrix(lesson11["labels_test"], said)
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


def test_the_first_layer_and_its_blank_pixels(lesson11, text, prose):
    kernel = lesson11["model"].get_weights()[0]
    assert f"first kernel: {kernel.shape} (pixels, units)" in text
    train_images = lesson11["images"][lesson11["train"]]
    blank = np.argwhere((train_images == 0).all(axis=0))
    assert [tuple(p) for p in blank.tolist()] == [(0, 0), (4, 0), (4, 7)]   # "both ends of row 4 ... top-left corner"
    assert "both ends of row 4 (rows count from 0) and the top-left" in prose
    moved = np.abs(kernel - lesson11["start"]).max(axis=1).reshape(8, 8)
    assert all(moved[r, c] == 0 for r, c in blank)                          # "still the random numbers"
    inked = moved[(train_images != 0).any(axis=0)]
    assert inked.min() > 0.05
    assert f"pixels blank in all {len(lesson11['train'])} training pictures (row, column): " \
           f"{[tuple(p) for p in blank.tolist()]}" in text
    assert (f"largest change of their weights during training: 0.0000; smallest largest change of any other "
            f"pixel's: {inked.min():.4f}") in text


def test_the_last_lesson_ends_the_course_pointing_back_to_00_and_to_the_exercises():
    last = LESSONS[-1]                                  # lesson 10 until lesson 11 came (issue 18)
    text = markdown_text(COURSE / f"{last.stem}.ipynb")
    assert "This was the last lesson." in text
    assert "This was the last lesson." not in markdown_text(COURSE / "10_validation.ipynb") or last.number == "10"
    assert "00_start_here.ipynb" in text
    assert "../exercises/" in text
    assert "File > New > Terminal" in text and "`.venv/bin/nnbook progress`" in text


# ------------------------------------------------------------------------------------------ the exercises
def test_both_checks_pass_in_the_stored_solution():
    text = solution_text()
    assert "✔ flatten_images: all 3 cases passed" in text
    assert "✔ confusion_matrix: all 3 cases passed" in text


def test_the_statements_do_not_give_the_answers_code():
    text = markdown_text(SOLUTIONS / NAME)
    lines = notebook_helpers.solution_lines(SOLUTIONS / NAME)
    assert len(lines) >= 5
    for line in lines:
        assert line not in text, line
    for fragment in ["reshape(", "/ 16", "np.add.at", "+= 1"]:
        assert fragment not in text, fragment


def test_the_statements_worked_numbers():
    text = markdown_text(SOLUTIONS / NAME)
    row = np.array([[[0, 0, 5, 13, 9, 1, 0, 0]] + [[0] * 8] * 7])
    assert np.array_equal(digits().images[0, 0], row[0, 0])          # the first digit's top row
    inputs = pictures.images_to_inputs(row)[0, :8]
    assert "the inputs 0, 0, 0.3125, 0.8125,\n0.5625, 0.0625, 0, 0" in text
    assert inputs.tolist() == [0, 0, 0.3125, 0.8125, 0.5625, 0.0625, 0, 0]
    matrix = pictures.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert "[[1, 1, 0],\n [0, 1, 0],\n [1, 0, 2]]" in solution_text()


def test_the_solutions_run_is_the_lessons_network_and_its_matrix():
    """The check's worked example trains the lesson's network; the notebook shows the same accuracy and matrix."""
    labels, said = lesson_11._lessons_predictions()
    matrix = pictures.confusion_matrix(labels, said)
    text = solution_text()
    assert f"held-out accuracy: {np.mean(said == labels):.1%} of {len(labels)} digits" in text
    assert str(matrix) in text
    right = int(np.trace(matrix))
    assert f"right (the diagonal): {right}, wrong: {len(labels) - right}" in text
    count, true, guess = pictures.confusions(matrix)[0]
    assert f"the most frequent mistake: {count} x a {true} called {guess}" in text
    assert right / len(labels) > 0.95


def test_the_solutions_try_it_accuracy_is_what_the_library_computes():
    """The try-it cell trains lesson 11's digit network with the solved train_epoch (split seed 0, weights seed 0,
    orders from default_rng(0), 20 epochs): the run of train_digits' worked example. The accuracy and the count
    it prints are that run's, as the library computes them, and train_digits' own numpy epoch reaches them."""
    case = lesson_11._digits_worked_example()
    params, x, labels, x_held, labels_held, order_seed = case.args
    line = f"held-out accuracy: {case.expected.accuracy:.2%} of {len(labels_held)} digits"
    assert line in solution_text().splitlines(), line
    assert (len(labels_held), lesson_11.DIGITS_EPOCHS) == (360, 20)
    from nnbook.tools.reuse import functions_from

    solved = functions_from(SOLUTIONS / "06_training_loop.ipynb", "train_epoch")
    run = lesson_11._digits_run(solved, params, x, labels, x_held, labels_held, order_seed)
    assert run.accuracy == pytest.approx(case.expected.accuracy, abs=0.5 / len(labels_held))


def test_lesson_11_points_to_its_exercise_which_exists():
    assert "](../exercises/11_images.ipynb)" in markdown_text(COURSE / NAME)
    assert (ROOT / "exercises" / NAME).is_file()

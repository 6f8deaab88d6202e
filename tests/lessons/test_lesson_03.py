"""Lesson 03 (loss functions) and its exercises (sse, mse).

The seed figures (the SSE worked example 0.3969 + 0.25 + 0.0169 = 0.6638, the MSE of a batch, 32 a batch) as the
library computes them, and the same numbers in the stored notebook. Claims a fresh read checked (issue 9): the
two wrong answers of the batch have the largest SSEs; Keras's mse and its slopes are the course's divided by k;
the drug trial takes 66 iterations of 32. The exercises' statements give the worked number and a lesson section,
not the answer (issue 8).
"""

import math

import numpy as np
import pytest
from notebook_helpers import (
    COURSE,
    check_executed_once_cleanly,
    check_figures,
    check_section_links,
    check_statement_teaches,
    check_widget_cells,
    load,
    markdown_text,
    stored_text,
)

from nnbook import data, encoding, losses
from nnbook.data import pets
from nnbook.lessons import widgets

LESSON = COURSE / "03_loss_functions.ipynb"
#: exercise notebook, function, the worked number its statement shows, and pieces of the answer it must not show
STATEMENTS = [
    ("03_loss_functions", "sse", "0.6638", ["** 2", "\\sum", "^2", "square each"]),
    ("03_loss_functions", "mse", "0.2486", ["** 2", "\\frac", "axis", "\\sum"]),
]


def stored():
    """All text the lesson's compared cells show (streams and text/plain), widget cells left out."""
    return stored_text(LESSON, skip=lambda text: text.startswith("# NBVAL_IGNORE_OUTPUT"))


def markdown():
    return markdown_text(load(LESSON))


# ------------------------------------------------------------------------------ the seed figures, from the library
def test_sse_worked_example_and_its_three_terms():
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), pets().predictions[0]
    terms = (y_true - y_pred) ** 2
    assert [round(t, 4) for t in terms] == [0.3969, 0.25, 0.0169]
    assert losses.sse(y_true, y_pred) == pytest.approx(0.6638, abs=1e-12)
    assert losses.sse(y_true, y_pred) == pytest.approx(terms.sum())


def test_mse_of_the_pets_batch_is_the_mean_of_its_sses():
    batch = pets()
    y_true = encoding.one_hot(batch.labels, 3)
    per_sample = [losses.sse(t, p) for t, p in zip(y_true, batch.predictions)]
    assert losses.mse(y_true, batch.predictions) == pytest.approx(np.mean(per_sample))
    keras_mse = np.mean((y_true - batch.predictions) ** 2)
    assert keras_mse == pytest.approx(losses.mse(y_true, batch.predictions) / 3)


def test_iterations_per_epoch_with_the_default_batch_size():
    assert [math.ceil(n / 32) for n in (8, 32, 100, 2100)] == [1, 1, 4, 66]



# ----------------------------------------------------------------------------------------- claims (issue 9)
def test_03_the_two_wrong_answers_have_the_largest_sse():
    pets = data.pets()
    y_true = encoding.one_hot(pets.labels, num_classes=3)
    per_sample = losses.sse(y_true, pets.predictions)
    wrong = np.flatnonzero(np.argmax(pets.predictions, axis=1) != pets.labels)
    assert list(wrong) == [0, 5]                              # "the two wrong answers (pictures 0 and 5)"
    assert set(np.argsort(per_sample)[-2:]) == set(wrong)
    assert "The two wrong answers (pictures 0 and 5) have the largest SSEs" in markdown_text(
        COURSE / "03_loss_functions.ipynb")


def test_03_keras_mse_and_its_slopes_are_the_course_mse_over_k():
    pets = data.pets()
    y_true = encoding.one_hot(pets.labels, num_classes=3)
    k = y_true.shape[1]

    def keras_mse(pred):
        return np.mean((y_true - pred) ** 2)

    assert math.isclose(keras_mse(pets.predictions) * k, losses.mse(y_true, pets.predictions))
    h = 1e-6
    nudge = np.zeros_like(pets.predictions)
    nudge[0, 1] = h                                           # one prediction entry moved a little
    course_slope = (losses.mse(y_true, pets.predictions + nudge)
                    - losses.mse(y_true, pets.predictions - nudge)) / (2 * h)
    keras_slope = (keras_mse(pets.predictions + nudge) - keras_mse(pets.predictions - nudge)) / (2 * h)
    assert math.isclose(keras_slope * k, course_slope, rel_tol=1e-6)
    text = markdown_text(COURSE / "03_loss_functions.ipynb")
    assert "learning rate for plain\ngradient descent" in text


def test_03_the_drug_trial_takes_66_iterations_of_32():
    trial = data.drug_trial(seed=0)
    assert math.ceil(trial.labels.size / 32) == 66
    assert "take 66 iterations" in markdown_text(COURSE / "03_loss_functions.ipynb")



# ------------------------------------------------------------------------------------- the notebook as stored
def test_stored_executed_once_top_to_bottom_without_errors_or_warnings():
    check_executed_once_cleanly(LESSON)


def test_widget_cells_ignore_output_and_a_static_cell_follows_them():
    check_widget_cells(LESSON)


def test_lessons_show_their_figures():
    check_figures(LESSON, 1)


def test_lesson03_shows_the_sse_worked_example():
    text = stored()
    y_true, y_pred = np.array([1.0, 0.0, 0.0]), pets().predictions[0]
    terms = (y_true - y_pred) ** 2
    total = losses.sse(y_true, y_pred)
    assert f"SSE = {terms[0]:.4f} + {terms[1]:.4f} + {terms[2]:.4f} = {total:.4f}" in text
    assert "SSE = 0.3969 + 0.2500 + 0.0169 = 0.6638" in text
    assert widgets.sse_report((0.37, 0.50, 0.13)) in text
    assert "not 1" in text   # the explorer's printout also shows a prediction that does not sum to one


def test_lesson03_shows_the_mse_of_the_batch_and_keras_mse():
    text = stored()
    batch = pets()
    y_true = encoding.one_hot(batch.labels, 3)
    per_sample = losses.sse(y_true, batch.predictions)
    for i, (name, value) in enumerate(zip(batch.names, per_sample)):
        assert f"picture {i} ({name:<5}): SSE = {value:.4f}" in text
    mse = losses.mse(y_true, batch.predictions)
    assert f"mean of the 8 SSEs = {np.mean(per_sample):.4f}" in text
    assert f"losses.mse(y_true, y_pred) = {mse:.4f}" in text
    assert f"course MSE / k = {mse:.4f} / 3 = {mse / 3:.4f}" in text
    assert f"Keras mse  (mean of all 24 squared errors): {np.mean((y_true - batch.predictions) ** 2):.4f}" in text


def test_lesson03_shows_batch_size_32_and_iterations():
    text = stored()
    assert f"2100 samples: {math.ceil(2100 / 32):>2} iteration(s)" in text
    assert "100 samples:  4 iteration(s), batch sizes 32, 32, 32, 4" in text
    assert "batch size" in markdown() and "32" in markdown() and "iteration" in markdown()



# --------------------------------------------------------------------------- the exercises' statements (issue 8)
@pytest.mark.parametrize("stem, function, worked, answer_pieces", STATEMENTS, ids=[row[1] for row in STATEMENTS])
def test_a_statement_gives_the_worked_number_and_a_lesson_section_but_not_the_answer(stem, function, worked,
                                                                                     answer_pieces):
    check_statement_teaches(stem, function, worked, answer_pieces)


def test_every_section_link_of_the_exercises_points_at_a_heading_of_its_lesson():
    check_section_links("03_loss_functions")
